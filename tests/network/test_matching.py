import pytest
from django.core.exceptions import ValidationError

from network.matching import name_similarity, name_tokens, normalise_name, website_domain
from network.validators import normalise_ror_id, ror_checksum, validate_ror_id

# Real ROR IDs (University of Amsterdam, Oxford, CERN, Harvard, MIT).
REAL_ROR_IDS = ["04dkp9463", "052gg0110", "01ggx4157", "03vek6s52", "042nb2s44"]


@pytest.mark.parametrize("ror_id", REAL_ROR_IDS)
def test_validate_ror_id_accepts_real_ids(ror_id):
    validate_ror_id(ror_id)
    assert ror_checksum(ror_id[1:7]) == ror_id[7:]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("https://ror.org/04dkp9463", "04dkp9463"),
        ("http://ror.org/04dkp9463/", "04dkp9463"),
        ("ror.org/04DKP9463", "04dkp9463"),
        ("  04dkp9463 ", "04dkp9463"),
        ("", ""),
    ],
)
def test_normalise_ror_id_keeps_the_nine_characters(typed, stored):
    assert normalise_ror_id(typed) == stored


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("14dkp9463", "ror_format"),  # must start with 0
        ("04dkp946", "ror_format"),  # too short
        ("04dkp94633", "ror_format"),  # too long
        ("04dkl9463", "ror_format"),  # "l" is not in Crockford's base32
        ("04dkp94ab", "ror_format"),  # checksum must be digits
        ("04dkp9464", "ror_checksum"),  # wrong checksum
        ("052gg0111", "ror_checksum"),
    ],
)
def test_validate_ror_id_refuses_bad_ids_with_a_clear_code(value, code):
    with pytest.raises(ValidationError) as excinfo:
        validate_ror_id(value)
    assert excinfo.value.code == code


@pytest.mark.parametrize(
    ("name", "normalised"),
    [
        ("Universität Wien", "universitat wien"),
        ("Synthetica AI GmbH", "synthetica ai"),
        ("Polaris Telecom S.A.", "polaris telecom"),
        ("Veritas Check sp. z o.o.", "veritas check"),
        ("Helix Vision Ltd.", "helix vision"),
        ("Smith & Jones, Inc", "smith and jones"),
        ("  ÉCOLE   Polytechnique  ", "ecole polytechnique"),
    ],
)
def test_normalise_name_drops_case_accents_punctuation_and_legal_forms(name, normalised):
    assert normalise_name(name) == normalised


def test_name_tokens_keep_only_distinctive_words():
    assert name_tokens("University of Valdadige", "UNIVDA") == ["univda", "valdadige"]
    assert name_tokens("Institute of Technology") == []


@pytest.mark.parametrize(
    ("first", "second", "similar"),
    [
        ("Università di Valdadige", "Universita di Valdadige", True),
        ("Synthetica AI GmbH", "Synthetica AI", True),
        ("Helix Vision Ltd", "Helix Visions Limited", True),
        ("Helix Vision Ltd", "Prism Vision Ltd", False),
        ("University of Vienna", "University of Verona", False),
    ],
)
def test_name_similarity_threshold(first, second, similar):
    assert (name_similarity(first, second) >= 0.85) is similar


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://www.TUWien.at/en/", "tuwien.at"),
        ("http://tuwien.at", "tuwien.at"),
        ("www.tuwien.at/about", "tuwien.at"),
        ("https://tuwien.at:8443/x?y=1", "tuwien.at"),
        ("https://research.tuwien.at", "research.tuwien.at"),
        ("", ""),
    ],
)
def test_website_domain_ignores_scheme_www_port_and_path(url, domain):
    assert website_domain(url) == domain
