"""The Observatory's public pages and API lists come from the shared cache for visitors, and
every change that concerns them shows at once."""

import datetime as dt
import re

import pytest

from observatory import public_data
from observatory.enums import ContentKind, ContentStatus
from observatory.video import EMBED_ORIGINS

from .factories import ContentItemFactory

pytestmark = pytest.mark.django_db(transaction=True)

S = ContentStatus


@pytest.fixture(autouse=True)
def public_cache(settings, tmp_path):
    settings.CACHES = {
        **settings.CACHES,
        "public": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "public-cache"),
        },
    }
    settings.PUBLIC_CACHE_ALIAS = "public"


def _surfaces(item) -> list[str]:
    return ["/observatory/", "/observatory/content/", item.get_absolute_url(),
            "/api/v1/observatory/content/"]  # fmt: skip


def test_a_change_to_a_piece_shows_at_once_on_every_surface(client):
    item = ContentItemFactory(status=S.PUBLISHED, title="Synthetic voices in radio")
    for url in _surfaces(item):
        assert client.get(url)["X-Cache"] == "MISS"
        assert client.get(url)["X-Cache"] == "HIT"

    item.title = "Cloned voices in radio"
    item.save()

    for url in _surfaces(item):
        response = client.get(url)
        assert response["X-Cache"] == "MISS", url
        assert "Cloned voices in radio" in response.content.decode(), url


def test_an_unpublished_piece_leaves_every_cached_surface_at_once(client):
    item = ContentItemFactory(status=S.PUBLISHED, title="Withdrawn analysis")
    for url in _surfaces(item):
        client.get(url)

    item.status = S.UNPUBLISHED
    item.save()

    assert client.get(item.get_absolute_url()).status_code == 404
    for url in _surfaces(item)[:2] + _surfaces(item)[3:]:
        assert "Withdrawn analysis" not in client.get(url).content.decode(), url


def test_a_staff_authors_new_name_shows_at_once(client):
    item = ContentItemFactory(status=S.PUBLISHED)
    client.get(item.get_absolute_url())
    author = item.created_by

    author.full_name = "Renamed Staff Writer"
    author.save()

    assert "Renamed Staff Writer" in client.get(item.get_absolute_url()).content.decode()


def test_a_cached_video_page_still_allows_the_two_players(client):
    item = ContentItemFactory(
        status=S.PUBLISHED,
        kind=ContentKind.INTERVIEW_VIDEO,
        video_url="https://vimeo.com/76979871",
    )
    client.get(item.get_absolute_url())

    hit = client.get(item.get_absolute_url())

    assert hit["X-Cache"] == "HIT"
    frame_src = re.search(r"frame-src ([^;]*)", hit["Content-Security-Policy"])[1].split()
    assert sorted(frame_src) == sorted(EMBED_ORIGINS)


@pytest.mark.parametrize(
    ("now", "seconds"),
    [
        (dt.datetime(2026, 11, 30, 22, 30, tzinfo=dt.UTC), 30 * 60),  # 23:30 in Brussels
        # The night clocks go forward: 01:00 CET is 22 hours before midnight, not 23.
        (dt.datetime(2026, 3, 29, 0, 0, tzinfo=dt.UTC), 22 * 3600),
    ],
)
def test_pages_telling_past_from_upcoming_milestones_expire_at_midnight_in_brussels(now, seconds):
    assert public_data.seconds_until_change(now) == seconds
