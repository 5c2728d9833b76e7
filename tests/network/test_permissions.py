"""Who may open which page and call which endpoint of the network."""

import pytest

from network.enums import ApplicationStatus
from tests.factories import UserFactory
from tests.utils import Access, check_matrix

from .factories import ApplicationFactory, ContactFactory

pytestmark = pytest.mark.django_db

S = ApplicationStatus
EVERYONE_ELSE = [
    "member",
    "staff",
    "superuser",
    "call-manager",
    "evaluator",
    "partner",
    "editor-in-chief",
]


@pytest.fixture
def cast(people):
    """The people fixture plus an applicant and a contact of an organisation."""
    contact = ContactFactory()
    return {
        **people,
        "applicant": UserFactory(),
        "contact": contact.user,
        "_organisation": contact.organisation,
    }


def test_public_pages(client, cast):
    slug = cast["_organisation"].slug
    rows = [
        Access("get", url, who, 200)
        for url in [
            "/network/",
            "/network/numbers/",
            "/network/terms/",
            f"/network/organisations/{slug}/",
        ]
        for who in ["anonymous", "member", "network-manager"]
    ]
    check_matrix(client, cast, rows)


def test_organisation_editing(client, cast):
    url = f"/network/organisations/{cast['_organisation'].slug}/edit/"
    rows = [
        Access("get", url, "anonymous", 302),
        Access("get", url, "contact", 200),
        Access("get", url, "network-manager", 200),
        *[Access("get", url, who, 403) for who in [*EVERYONE_ELSE, "applicant"]],
    ]
    check_matrix(client, cast, rows)


def test_manager_pages(client, cast):
    rows = []
    for url in ["/network/manage/applications/", "/network/manage/applications/export/"]:
        rows += [
            Access("get", url, "anonymous", 302),
            Access("get", url, "network-manager", 200),
            *[Access("get", url, who, 403) for who in [*EVERYONE_ELSE, "applicant", "contact"]],
        ]
    check_matrix(client, cast, rows)


def test_application_pages(client, cast):
    application = ApplicationFactory(applicant=cast["applicant"], status=S.SUBMITTED)
    base = f"/network/applications/{application.pk}/"
    rows = [
        Access("get", "/network/apply/", "anonymous", 302),
        Access("get", "/network/apply/", "member", 200),
        Access("get", base, "anonymous", 302),
        Access("get", base, "applicant", 200),
        Access("get", base, "network-manager", 200),
        *[Access("get", base, who, 404) for who in [*EVERYONE_ELSE, "contact"]],
        # Submitted: no longer editable, the applicant is sent back to the page.
        Access("get", base + "edit/", "applicant", 302),
        Access("get", base + "edit/", "network-manager", 403),
        *[
            Access("post", base + action, "applicant", 403)
            for action in ["start-review/", "request-information/", "approve/", "reject/"]
        ],
        *[
            Access("post", base + action, "network-manager", 403)
            for action in ["withdraw/", "resubmit/", "submit/"]
        ],
        *[Access("post", base + "start-review/", who, 404) for who in EVERYONE_ELSE],
        Access("post", base + "start-review/", "anonymous", 302),
        # Last, as it changes the state: the manager starts the review.
        Access("post", base + "start-review/", "network-manager", 302),
    ]
    check_matrix(client, cast, rows)
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW


def test_api_permissions(client, cast):
    application = ApplicationFactory(applicant=cast["applicant"], status=S.UNDER_REVIEW)
    detail = f"/api/v1/membership-applications/{application.pk}/"
    rows = [
        Access("get", "/api/v1/organisations/", "anonymous", 200),
        Access("get", f"/api/v1/organisations/{cast['_organisation'].slug}/", "anonymous", 200),
        Access("post", "/api/v1/organisations/", "network-manager", 405),
        Access("get", "/api/v1/membership-applications/", "anonymous", 401),
        Access("get", "/api/v1/membership-applications/", "member", 200),
        Access("get", detail, "anonymous", 401),
        Access("get", detail, "applicant", 200),
        Access("get", detail, "network-manager", 200),
        *[Access("get", detail, who, 404) for who in [*EVERYONE_ELSE, "contact"]],
        Access("post", detail + "approve/", "applicant", 403),
        *[Access("post", detail + "approve/", who, 404) for who in EVERYONE_ELSE],
        Access("post", detail + "withdraw/", "network-manager", 403),
        # Last, as it changes the state.
        Access("post", detail + "approve/", "network-manager", 200),
    ]
    check_matrix(client, cast, rows)
    application.refresh_from_db()
    assert application.status == S.APPROVED
