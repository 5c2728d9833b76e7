"""AIDA coordinators add member institutions, representatives and lecturers through the
portal; bad input comes back beside its field, and nobody else reaches the page."""

import pytest

from aida.models import Lecturer, Member
from network.enums import NetworkRole
from network.models import OrganisationRole
from tests.factories import UserFactory
from tests.network.factories import OrganisationFactory

from .factories import MemberFactory

pytestmark = pytest.mark.django_db
URL = "/aida/manage/members/"


def _member_form(**changes) -> dict:
    return {
        "form": "member",
        "member-organisation": "",
        "member-tier": "full",
        "member-joined_on": "2024-03-01",
        "member-mou_signed_on": "2024-02-15",
        **changes,
    }


def test_a_coordinator_adds_a_member_named_by_its_directory_address(client, coordinator):
    organisation = OrganisationFactory(name="Université de Lille", slug="universite-de-lille")
    client.force_login(coordinator)

    response = client.post(
        URL, _member_form(**{"member-organisation": "/network/organisations/universite-de-lille/"})
    )

    assert response.status_code == 302
    member = Member.objects.get(organisation=organisation)
    assert (member.tier, str(member.joined_on)) == ("full", "2024-03-01")
    assert OrganisationRole.objects.filter(
        organisation=organisation, role=NetworkRole.AIDA_MEMBER
    ).exists()
    page = client.get(URL).content.decode()
    assert "Université de Lille is now an AIDA member." in page
    assert "Université de Lille</a></th>" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"member-organisation": "Nowhere Institute"}, "organisation", "No organisation"),
        ({"member-mou_signed_on": "2024-04-01"}, "mou_signed_on", "before they join"),
        ({"member-joined_on": "01/03/2024x"}, "joined_on", "valid date"),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_kept(
    client, coordinator, changes, field, message
):
    OrganisationFactory(name="Known Lab", slug="known-lab")
    client.force_login(coordinator)
    data = _member_form(**{"member-organisation": "Known Lab", **changes})

    response = client.post(URL, data)

    assert response.status_code == 422
    form = response.context["forms"]["member"]
    assert message in " ".join(form.errors[field])
    assert form["tier"].value() == "full"
    assert not Member.objects.exists()


def test_an_organisation_already_a_member_is_refused_beside_the_field(client, coordinator):
    member = MemberFactory()
    client.force_login(coordinator)

    response = client.post(URL, _member_form(**{"member-organisation": member.organisation.slug}))

    assert response.status_code == 422
    assert response.context["forms"]["member"].errors["organisation"]


def test_representatives_and_lecturers_are_named_by_their_account(client, coordinator):
    member = MemberFactory()
    person = UserFactory(email="rita@example.org", full_name="Rita Representative")
    teacher = UserFactory(email="leo@example.org")
    client.force_login(coordinator)

    client.post(
        URL,
        {"form": "representative", "representative-email": "RITA@example.org",
         "representative-member": member.pk},
    )  # fmt: skip
    client.post(
        URL,
        {"form": "lecturer", "lecturer-email": "leo@example.org", "lecturer-member": member.pk,
         "lecturer-position": "Associate professor"},
    )  # fmt: skip
    refused = client.post(
        URL,
        {"form": "lecturer", "lecturer-email": "nobody@example.org",
         "lecturer-member": member.pk},
    )  # fmt: skip

    assert list(member.representatives.all()) == [person]
    assert Lecturer.objects.get(user=teacher).position == "Associate professor"
    assert refused.status_code == 422
    assert "sign up first" in refused.context["forms"]["lecturer"].errors["email"][0]
    assert refused.context["forms"]["lecturer"]["email"].value() == "nobody@example.org"


@pytest.mark.parametrize("who", ["anonymous", "member", "staff", "superuser"])
def test_only_coordinators_reach_the_page(client, people, who):
    if people[who] is not None:
        client.force_login(people[who])
    response = client.get(URL)
    assert response.status_code == (302 if who == "anonymous" else 403)
    post = client.post(URL, _member_form(**{"member-organisation": "x"}))
    assert post.status_code in (302, 403)
    assert not Member.objects.exists()


def test_the_page_costs_the_same_queries_with_one_or_three_members(client, coordinator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(coordinator)
    MemberFactory()
    client.get(URL)
    with CaptureQueriesContext(connection) as one:
        client.get(URL)
    MemberFactory()
    MemberFactory()
    with CaptureQueriesContext(connection) as three:
        client.get(URL)
    assert len(three) == len(one)
