import pytest
from django.core.exceptions import ValidationError

from outputs.validators import (
    normalise_arxiv,
    normalise_doi,
    normalise_licence,
    normalise_orcid,
    orcid_checksum,
    parse_partial_date,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0000-0002-1825-0097", "0000-0002-1825-0097"),
        ("https://orcid.org/0000-0002-1825-0097", "0000-0002-1825-0097"),
        ("0000000218250097", "0000-0002-1825-0097"),
        ("0000-0002-1694-233x", "0000-0002-1694-233X"),
    ],
)
def test_orcid_normalised(value, expected):
    assert normalise_orcid(value) == expected


def test_orcid_checksum_is_iso_7064_mod_11_2():
    # The examples of ORCID's documentation: one ends in 7, one in X.
    assert orcid_checksum("000000021825009") == "7"
    assert orcid_checksum("000000021694233") == "X"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("0000-0002-1825-0098", "orcid_checksum"),
        ("0000-0002-1825-009", "orcid_format"),
        ("orcid", "orcid_format"),
    ],
)
def test_orcid_refused(value, code):
    with pytest.raises(ValidationError) as raised:
        normalise_orcid(value)
    assert raised.value.code == code


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("10.5281/zenodo.4584285", "10.5281/zenodo.4584285"),
        ("https://doi.org/10.1109/TMM.2021.3091234", "10.1109/tmm.2021.3091234"),
        ("doi:10.1145/3394171.3413532", "10.1145/3394171.3413532"),
        ("  http://dx.doi.org/10.1007/978-3-030-1  ", "10.1007/978-3-030-1"),
    ],
)
def test_doi_normalised(value, expected):
    assert normalise_doi(value) == expected


@pytest.mark.parametrize("value", ["10.5281", "11.1234/abc", "zenodo.4584285", "10.12/x"])
def test_doi_refused(value):
    with pytest.raises(ValidationError):
        normalise_doi(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("cc-by-4.0", "CC-BY-4.0"),
        ("mit", "MIT"),
        ("MIT OR Apache-2.0", "MIT OR Apache-2.0"),
        ("gpl-3.0-or-later", "GPL-3.0-or-later"),
    ],
)
def test_licence_normalised_to_spdx(value, expected):
    assert normalise_licence(value) == expected


@pytest.mark.parametrize("value", ["CC-BY-5.0", "Creative Commons", "MIT OR"])
def test_licence_outside_spdx_refused(value):
    with pytest.raises(ValidationError):
        normalise_licence(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023", (2023, None, None)),
        ("2023-05", (2023, 5, None)),
        ("2023-5-7", (2023, 5, 7)),
        ("2024-02-29", (2024, 2, 29)),
    ],
)
def test_partial_date_keeps_its_precision(value, expected):
    assert parse_partial_date(value) == expected


@pytest.mark.parametrize("value", ["2023-02-30", "2023-13", "23", "May 2023", "1800"])
def test_partial_date_refused(value):
    with pytest.raises(ValidationError):
        parse_partial_date(value)


def test_arxiv_identifier():
    assert normalise_arxiv("arXiv:2101.01234v2") == "2101.01234v2"
    with pytest.raises(ValidationError):
        normalise_arxiv("21.01234")
