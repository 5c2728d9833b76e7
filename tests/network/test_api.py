"""/api/v1/organisations/ and /api/v1/membership-applications/."""

import uuid
from datetime import date

import pytest
from django.core import mail

from network.enums import ApplicationStatus, NetworkRole, OrganisationType
from network.models import MembershipApplication
from tests.factories import UserFactory
from tests.utils import assert_constant_queries

from .factories import ApplicationFactory, OrganisationFactory, topic

pytestmark = pytest.mark.django_db

S = ApplicationStatus
ORGS = "/api/v1/organisations/"
APPS = "/api/v1/membership-applications/"


def payload(**changes):
    data = {
        "org_name": "Lumina Media Labs",
        "org_type": "sme",
        "org_country": "BE",
        "org_website": "https://luminalabs.example.be",
        "org_ror_id": "https://ror.org/04dkp9463",
        "org_description": "Tools for newsrooms.",
        "contact_name": "Anna Applicant",
        "contact_position": "CEO",
        "motivation": "We want to test early demonstrators.",
        "areas_of_interest": ["generative-ai"],
        "benefits": ["early-demonstrators"],
        "accept_terms": True,
    }
    data.update(changes)
    return data


# --- Organisations -----------------------------------------------------------------------------


def test_organisations_are_public_with_roles_and_topics(api_client):
    organisation = OrganisationFactory(
        name="Helix Vision Ltd",
        slug="helix",
        country="GB",
        ror_id="052gg0110",
        role=NetworkRole.CONSORTIUM_PARTNER,
        role__since=date(2020, 9, 1),
        topics=[topic("computer-vision")],
    )
    OrganisationFactory(role=False)  # not a member: not in the API
    response = api_client.get(ORGS)
    assert response.status_code == 200
    (item,) = response.json()["results"]
    assert item["slug"] == "helix"
    assert (item["country"], item["country_name"]) == ("GB", "United Kingdom")
    assert item["roles"] == [{"role": "consortium-partner", "since": "2020-09-01"}]
    assert item["areas_of_interest"] == ["computer-vision"]
    assert item["ror_id"] == "052gg0110"
    assert item["url"] == "http://testserver" + organisation.get_absolute_url()
    assert api_client.get(ORGS + "helix/").json()["name"] == "Helix Vision Ltd"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=IT", ["univda"]),
        ("type=sme", ["helix"]),
        ("role=open-call-beneficiary", ["helix"]),
        ("topic=computer-vision", ["univda"]),
        ("search=universita", ["univda"]),
        ("search=helix&country=IT", []),
    ],
)
def test_organisations_filters_match_the_directory(api_client, query, expected):
    OrganisationFactory(
        name="Università di Valdadige",
        slug="univda",
        country="IT",
        type=OrganisationType.UNIVERSITY,
        topics=[topic("computer-vision")],
    )
    OrganisationFactory(
        name="Helix Vision Ltd",
        slug="helix",
        country="GB",
        type=OrganisationType.SME,
        role=NetworkRole.OPEN_CALL_BENEFICIARY,
    )
    response = api_client.get(f"{ORGS}?{query}")
    assert [item["slug"] for item in response.json()["results"]] == expected


def test_organisations_bad_filter_is_a_400(api_client):
    response = api_client.get(ORGS + "?country=XX")
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "country"


def test_organisations_list_constant_queries(client):
    assert_constant_queries(
        client, ORGS, lambda: OrganisationFactory(topics=[topic(), topic("ai-act")])
    )


# --- Applications: seeing --------------------------------------------------------------------


def test_applicant_lists_only_their_own(api_client, applicant):
    mine = ApplicationFactory(applicant=applicant)
    ApplicationFactory(status=S.SUBMITTED)
    api_client.force_authenticate(applicant)
    response = api_client.get(APPS)
    assert [item["id"] for item in response.json()["results"]] == [mine.pk]


def test_manager_lists_all_but_others_drafts(api_client, manager):
    submitted = ApplicationFactory(status=S.SUBMITTED)
    ApplicationFactory()  # someone's draft
    api_client.force_authenticate(manager)
    assert [item["id"] for item in api_client.get(APPS).json()["results"]] == [submitted.pk]


@pytest.mark.parametrize(
    ("method", "suffix"),
    [
        ("get", ""),
        ("patch", ""),
        ("put", ""),
        ("post", "submit/"),
        ("post", "resubmit/"),
        ("post", "withdraw/"),
        ("post", "start-review/"),
        ("post", "request-information/"),
        ("post", "approve/"),
        ("post", "reject/"),
    ],
)
def test_guessed_application_id_is_404(api_client, applicant, method, suffix):
    theirs = ApplicationFactory(status=S.SUBMITTED)
    api_client.force_authenticate(applicant)
    response = getattr(api_client, method)(f"{APPS}{theirs.pk}/{suffix}", {}, format="json")
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == S.SUBMITTED


def test_anonymous_gets_401(api_client):
    assert api_client.get(APPS).status_code == 401


def test_applications_list_constant_queries(client, manager):
    client.force_login(manager)

    def add():
        application = ApplicationFactory(status=S.SUBMITTED, topics=[topic(), topic("ai-act")])
        application.possible_duplicates.set([OrganisationFactory()])
        from network import services

        services.application_start_review(application=application, actor=manager)

    assert_constant_queries(client, APPS, add)


def test_applications_filter_by_status(api_client, manager):
    ApplicationFactory(status=S.SUBMITTED)
    reviewed = ApplicationFactory(status=S.UNDER_REVIEW)
    api_client.force_authenticate(manager)
    response = api_client.get(APPS + "?status=under-review")
    assert [item["id"] for item in response.json()["results"]] == [reviewed.pk]


# --- Applications: writing ---------------------------------------------------------------------


def test_create_is_idempotent_with_a_form_token(api_client, applicant):
    api_client.force_authenticate(applicant)
    token = str(uuid.uuid4())
    first = api_client.post(APPS, payload(form_token=token), format="json")
    second = api_client.post(APPS, payload(form_token=token), format="json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    body = first.json()
    assert (body["status"], body["org_ror_id"], body["applicant"]) == (
        "draft",
        "04dkp9463",
        applicant.email,
    )
    assert MembershipApplication.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "attr"),
    [
        ({"org_country": "XX"}, "org_country"),
        ({"org_ror_id": "04dkp9464"}, "org_ror_id"),
        ({"org_website": "nope"}, "org_website"),
        ({"org_contact_email": "a@"}, "org_contact_email"),
        ({"areas_of_interest": ["no-such-topic"]}, "areas_of_interest"),
        ({"benefits": []}, "benefits"),
        ({"accept_terms": False}, "accept_terms"),
    ],
)
def test_create_bad_input_is_a_400_naming_the_field(api_client, applicant, changes, attr):
    api_client.force_authenticate(applicant)
    response = api_client.post(APPS, payload(**changes), format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [error["attr"] for error in errors] == [attr]
    assert MembershipApplication.objects.count() == 0


def test_update_a_draft(api_client, applicant):
    application = ApplicationFactory(applicant=applicant)
    api_client.force_authenticate(applicant)
    response = api_client.patch(
        f"{APPS}{application.pk}/",
        {"motivation": "Updated.", "accept_terms": True},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["motivation"] == "Updated."


def test_update_after_submission_is_a_400(api_client, applicant):
    application = ApplicationFactory(applicant=applicant, status=S.SUBMITTED)
    api_client.force_authenticate(applicant)
    response = api_client.patch(
        f"{APPS}{application.pk}/", {"motivation": "x", "accept_terms": True}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "not_editable"


def test_the_whole_workflow_through_the_api(
    api_client, applicant, manager, django_capture_on_commit_callbacks
):
    api_client.force_authenticate(applicant)
    created = api_client.post(APPS, payload(org_ror_id=""), format="json").json()
    url = f"{APPS}{created['id']}/"
    with django_capture_on_commit_callbacks(execute=True):
        assert api_client.post(url + "submit/").json()["status"] == "submitted"
    # The applicant may not decide.
    assert api_client.post(url + "approve/", {}, format="json").status_code == 403

    api_client.force_authenticate(manager)
    assert api_client.post(url + "start-review/").json()["status"] == "under-review"
    missing = api_client.post(url + "request-information/", {}, format="json")
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["attr"] == "message"
    response = api_client.post(
        url + "request-information/", {"message": "Which newsrooms?"}, format="json"
    )
    assert response.json()["status"] == "information-requested"

    api_client.force_authenticate(applicant)
    assert api_client.post(url + "resubmit/").json()["status"] == "resubmitted"

    api_client.force_authenticate(manager)
    approved = api_client.post(url + "approve/", {"message": "Welcome"}, format="json").json()
    assert approved["status"] == "approved"
    assert approved["organisation"] == "lumina-media-labs"
    assert [change["to_status"] for change in approved["history"]] == [
        "draft",
        "submitted",
        "under-review",
        "information-requested",
        "resubmitted",
        "approved",
    ]
    # A decided application cannot be decided again: a domain error, a 400.
    again = api_client.post(url + "reject/", {"message": "No"}, format="json")
    assert again.status_code == 400
    assert again.json()["errors"][0]["code"] == "already_decided"
    assert api_client.get(ORGS + "lumina-media-labs/").status_code == 200
    assert mail.outbox[0].to == [applicant.email]


def test_api_transition_in_the_wrong_state_is_a_400(api_client, manager):
    application = ApplicationFactory(status=S.SUBMITTED)
    api_client.force_authenticate(manager)
    response = api_client.post(f"{APPS}{application.pk}/approve/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "invalid_transition"


def test_superuser_who_is_not_a_manager_cannot_decide(api_client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    application = ApplicationFactory(applicant=admin, status=S.UNDER_REVIEW)
    api_client.force_authenticate(admin)
    response = api_client.post(f"{APPS}{application.pk}/approve/", {}, format="json")
    assert response.status_code == 403
