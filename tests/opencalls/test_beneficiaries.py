"""Funded organisations join the network's directory as open-call beneficiaries, and an
organisation's page lists the projects the open calls funded."""

from datetime import date

import pytest

from network.enums import NetworkRole, OrganisationType
from network.models import Organisation, OrganisationRole
from tests.network.factories import OrganisationFactory
from tests.utils import assert_constant_queries

from .factories import CallFactory, funded

pytestmark = pytest.mark.django_db


def test_funding_lists_a_new_organisation_as_beneficiary():
    project = funded(organisation_name="Lumen Labs", country="BE", start=date(2026, 3, 1))
    organisation = project.organisation
    assert (organisation.name, str(organisation.country), organisation.type) == (
        "Lumen Labs",
        "BE",
        OrganisationType.SME,
    )
    roles = OrganisationRole.objects.filter(organisation=organisation)
    assert [(r.role, r.since) for r in roles] == [
        (NetworkRole.OPEN_CALL_BENEFICIARY, date(2026, 3, 1))
    ]
    assert organisation.joined_on == date(2026, 3, 1)


def test_funding_reuses_the_listed_organisation_with_a_similar_name_in_that_country():
    listed = OrganisationFactory(
        name="Lumen Labs SRL", country="BE", role=NetworkRole.CONSORTIUM_PARTNER
    )
    project = funded(organisation_name="Lumen Labs", country="BE")
    assert project.organisation == listed
    assert Organisation.objects.count() == 1
    assert set(listed.roles.values_list("role", flat=True)) == {
        NetworkRole.CONSORTIUM_PARTNER,
        NetworkRole.OPEN_CALL_BENEFICIARY,
    }


def test_funding_does_not_merge_namesakes_from_another_country():
    OrganisationFactory(name="Lumen Labs", country="NL")
    project = funded(organisation_name="Lumen Labs", country="BE")
    assert str(project.organisation.country) == "BE"
    assert Organisation.objects.count() == 2


def test_an_earlier_funding_moves_the_beneficiary_role_back():
    later = funded(organisation_name="Lumen Labs", country="BE", start=date(2026, 8, 1))
    funded(
        organisation_name="Lumen Labs",
        country="BE",
        registration="0999.888.777",
        start=date(2022, 3, 1),
        call=CallFactory(),
    )
    role = OrganisationRole.objects.get(organisation=later.organisation)
    assert role.since == date(2022, 3, 1)


def test_organisation_page_lists_its_funded_projects(client):
    project = funded(organisation_name="Lumen Labs", country="BE", acronym="LUMEN")
    html = client.get(project.organisation.get_absolute_url()).content.decode()
    assert "Funded by the open calls" in html
    assert f'href="/calls/projects/{project.pk}/"' in html
    assert "LUMEN" in html


def test_organisation_page_without_funding_has_no_open_calls_section(client):
    organisation = OrganisationFactory()
    html = client.get(organisation.get_absolute_url()).content.decode()
    assert "Funded by the open calls" not in html


def test_organisation_page_query_count_does_not_grow_with_projects(client):
    first = funded(organisation_name="Lumen Labs", country="BE")
    url = first.organisation.get_absolute_url()
    calls = iter([CallFactory() for _ in range(3)])
    registrations = iter(["0111.111.111", "0222.222.222", "0333.333.333"])

    def add_project():
        return funded(
            organisation_name="Lumen Labs",
            country="BE",
            call=next(calls),
            registration=next(registrations),
        )

    assert_constant_queries(client, url, add_project)
