"""Who may open which outputs page and call which endpoint."""

import pytest

from outputs.enums import OutputStatus
from tests.network.factories import ContactFactory
from tests.utils import Access, check_matrix

from .factories import OutputFactory

pytestmark = pytest.mark.django_db

CURATION_PAGES = ("/outputs/curate/", "/outputs/new/", "/outputs/import/")
NOBODY_SPECIAL = ["member", "network-manager", "call-manager", "evaluator", "partner"]


@pytest.fixture
def cast(people):
    contact = ContactFactory()
    return {
        **people,
        "contact": contact.user,
        "other-contact": ContactFactory().user,
        "_organisation": contact.organisation,
    }


def test_public_pages(client, cast):
    published = OutputFactory(organisation=cast["_organisation"])
    rows = [
        Access("get", url, who, 200)
        for url in [
            "/outputs/",
            "/outputs/export.bib",
            f"/outputs/{published.pk}/",
            f"/outputs/{published.pk}/cite.bib",
            "/api/v1/outputs/",
            f"/api/v1/outputs/{published.pk}/",
        ]
        for who in ["anonymous", "member", "contact", "staff"]
    ]
    check_matrix(client, cast, rows)


def test_draft_pages(client, cast):
    draft = OutputFactory(organisation=cast["_organisation"], status=OutputStatus.DRAFT)
    page, edit = f"/outputs/{draft.pk}/", f"/outputs/{draft.pk}/edit/"
    rows = [
        Access("get", page, "anonymous", 404),
        Access("get", edit, "anonymous", 302),
        *[
            Access("get", url, who, 200)
            for url in (page, edit)
            for who in ("contact", "staff", "superuser")
        ],
        *[Access("get", page, who, 404) for who in [*NOBODY_SPECIAL, "other-contact"]],
        *[Access("get", edit, who, 403) for who in [*NOBODY_SPECIAL, "other-contact"]],
    ]
    check_matrix(client, cast, rows)


def test_curation_pages(client, cast):
    rows = [
        *[Access("get", url, "anonymous", 302) for url in CURATION_PAGES],
        *[
            Access("get", url, who, 200)
            for url in CURATION_PAGES
            for who in ("contact", "other-contact", "staff", "superuser")
        ],
        *[Access("get", url, who, 403) for url in CURATION_PAGES for who in NOBODY_SPECIAL],
    ]
    check_matrix(client, cast, rows)


@pytest.mark.parametrize(
    ("who", "status", "after"),
    [
        ("anonymous", 302, OutputStatus.DRAFT),
        ("member", 403, OutputStatus.DRAFT),
        ("other-contact", 403, OutputStatus.DRAFT),
        ("network-manager", 403, OutputStatus.DRAFT),
        ("contact", 302, OutputStatus.PUBLISHED),
        ("staff", 302, OutputStatus.PUBLISHED),
        ("superuser", 302, OutputStatus.PUBLISHED),
    ],
)
def test_publishing(client, cast, who, status, after):
    draft = OutputFactory(organisation=cast["_organisation"], status=OutputStatus.DRAFT)
    check_matrix(client, cast, [Access("post", f"/outputs/{draft.pk}/publish/", who, status)])
    draft.refresh_from_db()
    assert draft.status == after


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("member", 403), ("other-contact", 403), ("contact", 200), ("staff", 200)],
)
def test_deleting(client, cast, who, status):
    output = OutputFactory(organisation=cast["_organisation"])
    check_matrix(client, cast, [Access("get", f"/outputs/{output.pk}/delete/", who, status)])


def test_a_tombstone_cannot_be_edited_or_deleted_again(client, cast):
    """Everyone asking to change a tombstone is sent back to it, told why (``test_views``);
    its own curators too."""
    output = OutputFactory(organisation=cast["_organisation"], status=OutputStatus.DELETED)
    rows = [
        Access(method, f"/outputs/{output.pk}/{action}/", who, 302)
        for method, action in (("get", "edit"), ("get", "delete"), ("post", "publish"))
        for who in ("contact", "staff", "other-contact")
    ]
    check_matrix(client, cast, rows)
    output.refresh_from_db()
    assert output.status == OutputStatus.DELETED
