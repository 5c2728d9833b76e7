"""apply_changes / apply_file_change: what a service changed, and nothing it was not asked to."""

import pytest

from ai4media_portal.core.changes import apply_changes, apply_file_change
from tests.network.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_apply_changes_sets_only_allowed_fields_that_differ():
    organisation = OrganisationFactory(city="Berlin", website="https://a.example")
    data = {"city": "Turin", "website": "https://a.example", "slug": "hijacked"}
    changed = apply_changes(organisation, data, ["website", "city"])
    assert changed == ["city"]
    assert organisation.city == "Turin"
    assert organisation.slug != "hijacked"


def test_apply_file_change_sets_clears_and_reports():
    organisation = OrganisationFactory()
    assert apply_file_change(organisation, "logo", None, clear=True) is False
    assert apply_file_change(organisation, "logo", "organisations/logo.png") is True
    assert organisation.logo.name == "organisations/logo.png"
    assert apply_file_change(organisation, "logo", None, clear=True) is True
    assert organisation.logo.name == ""
