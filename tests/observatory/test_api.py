"""/api/v1/observatory/content/: published pieces only, filtered, at a constant cost."""

from datetime import UTC, datetime

import pytest

from observatory.enums import ContentKind, ContentStatus
from observatory.models import ContentItem
from tests.factories import UserFactory
from tests.utils import assert_constant_queries

from .factories import ContentItemFactory, topic

pytestmark = pytest.mark.django_db

S = ContentStatus
URL = "/api/v1/observatory/content/"


def test_lists_published_pieces_newest_first_with_their_fields(api_client):
    old = ContentItemFactory(status=S.PUBLISHED, title="Older")
    new = ContentItemFactory(status=S.PUBLISHED, title="Newer", kind=ContentKind.NEWS)
    new.topics.set([topic("policy-legislation")])
    ContentItem.objects.filter(pk=old.pk).update(published_at=datetime(2026, 1, 1, tzinfo=UTC))
    ContentItem.objects.filter(pk=new.pk).update(published_at=datetime(2026, 2, 1, tzinfo=UTC))
    for state in S:
        if state != S.PUBLISHED:
            ContentItemFactory(status=state)
    body = api_client.get(URL).json()
    assert [row["title"] for row in body["results"]] == ["Newer", "Older"]
    first = body["results"][0]
    assert first["topics"] == ["policy-legislation"]
    assert first["authors"] == [{"name": new.created_by.display_name, "expert": None, "url": None}]
    assert first["url"] == f"http://testserver/observatory/content/{new.slug}/"
    assert first["body_html"] == new.body_html
    assert "email" not in str(first)
    assert "status" not in first


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?kind=news", ["Newsroom watermarks"]),
        ("?topic=research-innovation", ["Newsroom watermarks"]),
        ("?tag=licensing", ["Licensing deals"]),
        ("?search=watermark", ["Newsroom watermarks"]),
        ("?language=fr", []),
    ],
)
def test_filters(api_client, query, expected):
    from observatory.services import tags_from_names

    a = ContentItemFactory(status=S.PUBLISHED, title="Newsroom watermarks", kind=ContentKind.NEWS)
    a.topics.set([topic("research-innovation")])
    b = ContentItemFactory(status=S.PUBLISHED, title="Licensing deals")
    b.tags.set(tags_from_names(["Licensing"]))
    rows = api_client.get(URL + query).json()["results"]
    assert [row["title"] for row in rows] == expected


def test_a_bad_filter_value_is_refused(api_client):
    assert api_client.get(URL + "?kind=poem").status_code == 400


def test_writing_is_not_offered(api_client):
    api_client.force_authenticate(UserFactory())
    assert api_client.post(URL, {"title": "x"}).status_code == 405


def test_list_runs_a_constant_number_of_queries(client):
    def add():
        item = ContentItemFactory(status=S.PUBLISHED)
        item.topics.set([topic("policy-legislation")])

    assert_constant_queries(client, URL, add)
