"""``core.slugs.unique_slug``: the candidates in order, the record being renamed, the
fallback, and the transaction it must run in. Its races are tested where it is used
(``test_slug_race.py`` of network, observatory and aida)."""

import pytest
from django.db import transaction

from ai4media_portal.core.slugs import unique_slug
from network.models import Organisation
from tests.network.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_candidates_in_order():
    with transaction.atomic():
        assert unique_slug(Organisation, "Lumina Labs", fallback="organisation") == "lumina-labs"
        OrganisationFactory(slug="lumina-labs")
        assert (
            unique_slug(Organisation, "Lumina Labs", fallback="organisation", also_try=["fr"])
            == "lumina-labs-fr"
        )
        OrganisationFactory(slug="lumina-labs-fr")
        assert (
            unique_slug(Organisation, "Lumina Labs", fallback="organisation", also_try=["fr", ""])
            == "lumina-labs-2"
        )


def test_the_record_renamed_keeps_its_own_slug():
    own = OrganisationFactory(slug="lumina-labs")
    with transaction.atomic():
        assert (
            unique_slug(Organisation, "Lumina Labs", fallback="organisation", exclude_pk=own.pk)
            == "lumina-labs"
        )


def test_a_name_of_no_letters_takes_the_fallback_and_long_names_are_cut():
    with transaction.atomic():
        assert unique_slug(Organisation, "¿¡ —", fallback="organisation") == "organisation"
        long = unique_slug(Organisation, "word " * 60, fallback="organisation", max_length=30)
        assert len(long) <= 30
        assert not long.endswith("-")


def test_past_the_numbered_candidates_the_count_goes_on():
    OrganisationFactory(slug="busy")
    for n in range(2, 205):
        OrganisationFactory(slug=f"busy-{n}")
    with transaction.atomic():
        assert unique_slug(Organisation, "Busy", fallback="organisation") == "busy-205"


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_it_refuses():
    # The lock would end with the statement, before the record is saved.
    with pytest.raises(transaction.TransactionManagementError):
        unique_slug(Organisation, "Lumina Labs", fallback="organisation")


def test_names_in_other_scripts_are_transliterated():
    with transaction.atomic():
        assert unique_slug(Organisation, "Ψηφιακή Πολιτική", fallback="x") == "psifiaki-politiki"
        assert unique_slug(Organisation, "Uniwersytet Łódzki", fallback="x") == "uniwersytet-lodzki"
        assert unique_slug(Organisation, "«— !! —»", fallback="organisation") == "organisation"


def test_a_suffix_never_makes_the_slug_longer_than_the_field():
    OrganisationFactory(slug="a" * 20)
    with transaction.atomic():
        slug = unique_slug(Organisation, "a" * 40, fallback="x", max_length=20)
    assert slug == "a" * 18 + "-2"
