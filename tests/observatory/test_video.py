"""The video series: a privacy-friendly player, loaded only on the reader's click."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from observatory.enums import ContentKind, ContentStatus
from observatory.video import EMBED_ORIGINS, video_embed

from .factories import ContentItemFactory

S = ContentStatus


@pytest.mark.parametrize(
    ("url", "src"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1&rel=0"),
        ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1&rel=0"),
        ("https://m.youtube.com/shorts/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1&rel=0"),
        ("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1&rel=0"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1"),
        ("https://player.vimeo.com/video/76979871", "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1"),
    ],
)  # fmt: skip
def test_youtube_and_vimeo_links_become_privacy_enhanced_players(url, src):
    embed = video_embed(url)
    assert embed.src == src
    assert embed.src.startswith(EMBED_ORIGINS)


@pytest.mark.parametrize(
    "url",
    [
        "https://video.example.org/lets-talk",
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ%22onload=%22x",
        "https://evil.example/youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "javascript:alert(1)//youtu.be/dQw4w9WgXcQ",
        "https://vimeo.com/channels/staffpicks",
        "",
    ],
)
def test_other_links_get_no_player(url):
    assert video_embed(url) is None


def _src_attributes(html: str) -> list[str]:
    return re.findall(r"""\ssrc\s*=\s*["']?([^"'\s>]+)""", html)


@pytest.mark.django_db
def test_the_page_loads_nothing_from_the_platform_before_the_click(client):
    item = ContentItemFactory(
        status=S.PUBLISHED,
        kind=ContentKind.INTERVIEW_VIDEO,
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    )
    response = client.get(item.get_absolute_url())
    page = response.content.decode()
    # A button, a static placeholder and a plain link; no iframe, no third-party source.
    assert "<iframe" not in page
    assert "data-video-load" in page
    assert (
        'data-video-src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1&amp;rel=0"'
        in page
    )
    assert 'href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"' in page
    sources = _src_attributes(page)
    assert sources
    assert all(src.startswith("/") and not src.startswith("//") for src in sources), sources
    assert "/static/observatory/video.js" in sources
    # The page may frame the two players, and nothing else.
    policy = response.headers["Content-Security-Policy"]
    frame_src = re.search(r"frame-src ([^;]*)", policy)[1].split()
    assert sorted(frame_src) == sorted(EMBED_ORIGINS)
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_a_link_to_another_platform_is_a_plain_link(client):
    item = ContentItemFactory(
        status=S.PUBLISHED, video_url="https://video.example.org/lets-talk/episode-3"
    )
    page = client.get(item.get_absolute_url()).content.decode()
    assert "data-video-load" not in page
    assert 'href="https://video.example.org/lets-talk/episode-3"' in page
    assert all(src.startswith("/") for src in _src_attributes(page))


@pytest.mark.django_db
def test_other_pages_still_frame_nothing(client):
    policy = client.get("/observatory/content/").headers["Content-Security-Policy"]
    assert "frame-src" not in policy
    assert "default-src 'none'" in policy


def test_the_script_inserts_only_the_privacy_enhanced_players():
    script = (Path(settings.BASE_DIR) / "static/observatory/video.js").read_text()
    assert 'createElement("iframe")' in script
    assert '"https://www.youtube-nocookie.com/"' in script
    assert '"https://player.vimeo.com/"' in script
    assert 'addEventListener("click"' in script
