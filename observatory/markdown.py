"""Markdown to safe HTML: the body of every piece of content goes through ``render_markdown``.

markdown-it-py parses CommonMark (plus tables and strikethrough) with raw HTML switched off, so
tags typed in the text come out as text; nh3 (the Rust ``ammonia`` sanitiser) then keeps only an
allow-list of tags and attributes and only http, https and mailto links, so nothing that runs
(scripts, event handlers, ``javascript:`` links, iframes, styles) survives whatever the parser
lets through. Images are not allowed in a body: nothing is loaded from a third party.
"""

import math
import re

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "code", "pre",
        "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
WORDS_PER_MINUTE = 200

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(
    ["table", "strikethrough"]
)


def sanitise_html(html: str) -> str:
    """``html`` with everything outside the allow-list removed; links get
    ``rel="noopener noreferrer nofollow"``."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def render_markdown(text: str) -> str:
    """The sanitised HTML of Markdown ``text`` (empty for empty text). A level-one heading
    becomes level two: the page's title is the only ``h1``."""
    if not (text or "").strip():
        return ""
    html = _parser.render(text)
    html = re.sub(r"<(/?)h1>", r"<\1h2>", html)
    return sanitise_html(html)


def reading_minutes(*texts: str) -> int:
    """Minutes to read ``texts`` at 200 words a minute, rounded up, at least 1."""
    words = sum(len((text or "").split()) for text in texts)
    return max(1, math.ceil(words / WORDS_PER_MINUTE))
