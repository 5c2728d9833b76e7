"""Who may open which Observatory page, with every role of the portal."""

import pytest

from ai4media_portal.core.permissions import can
from observatory.enums import ContentStatus
from tests.factories import UserFactory
from tests.utils import Access, check_matrix

from .factories import ContentItemFactory

pytestmark = pytest.mark.django_db

S = ContentStatus
TEAM = ["observatory-editor", "editor-in-chief"]
OUTSIDERS = [
    "member",
    "staff",
    "superuser",
    "network-manager",
    "call-manager",
    "evaluator",
    "partner",
    "aida-coordinator",
    "fellows-coordinator",
]


@pytest.fixture
def cast(people):
    author = UserFactory()
    draft = ContentItemFactory(status=S.DRAFT, created_by=author)
    in_review = ContentItemFactory(status=S.IN_REVIEW, created_by=author)
    published = ContentItemFactory(status=S.PUBLISHED, created_by=author)
    return {
        **people,
        "author": author,
        "_draft": draft,
        "_in_review": in_review,
        "_published": published,
    }


def test_public_pages(client, cast):
    slug = cast["_published"].slug
    rows = [
        Access("get", url, who, 200)
        for url in [
            "/observatory/",
            "/observatory/content/",
            f"/observatory/content/{slug}/",
            "/observatory/feed/",
            "/observatory/sitemap.xml",
        ]
        for who in ["anonymous", "member", "staff", "superuser", *TEAM]
    ]
    check_matrix(client, cast, rows)


def test_writing(client, cast):
    rows = [
        Access("get", "/observatory/write/", "anonymous", 302),
        Access("get", "/observatory/mine/", "anonymous", 302),
        *[Access("get", "/observatory/write/", who, 200) for who in ["member", *TEAM]],
        *[Access("get", "/observatory/mine/", who, 200) for who in ["member", *TEAM]],
    ]
    check_matrix(client, cast, rows)


def test_a_draft_is_seen_by_its_author_and_the_team_only(client, cast):
    pk = cast["_draft"].pk
    page, edit, history = (
        f"/observatory/manage/{pk}/",
        f"/observatory/manage/{pk}/edit/",
        f"/observatory/manage/{pk}/history/",
    )
    rows = [
        Access("get", page, "anonymous", 302),
        Access("get", page, "author", 200),
        Access("get", edit, "author", 200),
        Access("get", history, "author", 403),
        *[Access("get", url, who, 200) for url in (page, edit, history) for who in TEAM],
        *[Access("get", url, who, 404) for url in (page, edit, history) for who in OUTSIDERS],
    ]
    check_matrix(client, cast, rows)


def test_in_review_the_author_reads_but_no_longer_edits(client, cast):
    pk = cast["_in_review"].pk
    rows = [
        Access("get", f"/observatory/manage/{pk}/", "author", 200),
        Access("get", f"/observatory/manage/{pk}/edit/", "author", 403),
        *[Access("get", f"/observatory/manage/{pk}/edit/", who, 200) for who in TEAM],
    ]
    check_matrix(client, cast, rows)


def test_dashboard(client, cast):
    rows = [
        Access("get", "/observatory/manage/", "anonymous", 302),
        *[Access("get", "/observatory/manage/", who, 200) for who in TEAM],
        *[Access("get", "/observatory/manage/", who, 403) for who in [*OUTSIDERS, "author"]],
    ]
    check_matrix(client, cast, rows)


@pytest.mark.parametrize(
    ("perm", "allowed"),
    [
        ("observatory.add_contentitem", "everyone signed in"),
        ("observatory.manage_content", set(TEAM)),
        ("observatory.publish_contentitem", {"editor-in-chief"}),
        ("observatory.review_contentitem", set(TEAM)),
        ("observatory.claim_contentitem", set(TEAM)),
        ("observatory.view_revisions", set(TEAM)),
    ],
)
def test_named_permissions(people, perm, allowed):
    item = ContentItemFactory(status=S.IN_REVIEW)
    holders = {who for who, user in people.items() if can(user, perm, item)}
    if allowed == "everyone signed in":
        allowed = set(people) - {"anonymous"}
    assert holders == allowed


def test_a_superuser_holds_no_editorial_power_over_anothers_draft(people):
    item = ContentItemFactory(status=S.DRAFT)
    superuser = people["superuser"]
    for perm in (
        "observatory.view_contentitem",
        "observatory.change_contentitem",
        "observatory.submit_contentitem",
        "observatory.publish_contentitem",
    ):
        assert can(superuser, perm, item) is False, perm
