"""The video series' players, loaded only when the reader asks.

A piece's video link (YouTube or Vimeo) becomes a privacy-enhanced player address: YouTube's
youtube-nocookie.com domain, which sets no cookie until the video plays, and Vimeo's player
with ``dnt=1`` (Do Not Track: no session data kept). The page shows a button and a static
placeholder; ``static/observatory/video.js`` inserts the player only on that click, so nothing
reaches the video platform before the reader chooses. The item pages' Content-Security-Policy
allows frames from ``EMBED_ORIGINS`` and nowhere else.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

YOUTUBE_EMBED = "https://www.youtube-nocookie.com"
VIMEO_EMBED = "https://player.vimeo.com"
# The only frame sources the item pages allow (``frame-src``).
EMBED_ORIGINS = (YOUTUBE_EMBED, VIMEO_EMBED)

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^[0-9]{1,12}$")
_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtube-nocookie.com",
                  "www.youtube-nocookie.com"}  # fmt: skip
_VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}


@dataclass(frozen=True)
class VideoEmbed:
    """A player to load on request: ``provider`` ("YouTube" or "Vimeo") and ``src``, the
    privacy-enhanced player address (https, one of ``EMBED_ORIGINS``)."""

    provider: str
    src: str


def _youtube_id(host: str, path: str, query: str) -> str | None:
    if host == "youtu.be":
        candidate = path.strip("/").split("/")[0]
    elif host in _YOUTUBE_HOSTS:
        parts = [part for part in path.split("/") if part]
        if parts[:1] == ["watch"]:
            candidate = (parse_qs(query).get("v") or [""])[0]
        elif len(parts) >= 2 and parts[0] in ("embed", "shorts", "live", "v"):
            candidate = parts[1]
        else:
            return None
    else:
        return None
    return candidate if _YOUTUBE_ID.match(candidate) else None


def _vimeo_id(host: str, path: str) -> str | None:
    if host not in _VIMEO_HOSTS:
        return None
    parts = [part for part in path.split("/") if part]
    if host == "player.vimeo.com":
        parts = parts[1:] if parts[:1] == ["video"] else []
    candidate = parts[0] if parts else ""
    return candidate if _VIMEO_ID.match(candidate) else None


def video_embed(url: str) -> VideoEmbed | None:
    """The privacy-enhanced player for a YouTube or Vimeo link (``watch?v=``, ``youtu.be/``,
    ``/embed/``, ``/shorts/``; ``vimeo.com/<n>``, ``player.vimeo.com/video/<n>``); None for
    any other link, which the page shows as a plain link only."""
    try:
        parts = urlsplit(url or "")
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    host = (parts.hostname or "").lower()
    youtube = _youtube_id(host, parts.path, parts.query)
    if youtube:
        return VideoEmbed("YouTube", f"{YOUTUBE_EMBED}/embed/{youtube}?autoplay=1&rel=0")
    vimeo = _vimeo_id(host, parts.path)
    if vimeo:
        return VideoEmbed("Vimeo", f"{VIMEO_EMBED}/video/{vimeo}?dnt=1&autoplay=1")
    return None
