"""Site-wide search: one box in the header, results grouped by pillar.

A pillar contributes by defining ``<app>/search.py`` with

    def search(text: str, *, user, limit: int) -> SearchGroup | None: ...

returning at most ``limit`` hits that ``user`` may see (only published, public things for
visitors), and a link to the pillar's own full search for the rest. Each pillar answers with a
fixed number of queries, whatever it finds.
"""

from dataclasses import dataclass, field

from .pillars import pillar_modules

MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class SearchHit:
    title: str
    url: str
    kind: str  # what it is, in words: "Organisation", "Funded project"
    summary: str = ""


@dataclass
class SearchGroup:
    """A pillar's hits: ``title`` names the pillar, ``more_url`` its own search for ``text``."""

    title: str
    hits: list[SearchHit] = field(default_factory=list)
    more_url: str = ""
    order: int = 100


def clean_query(text: str | None) -> str:
    """The search text as typed, trimmed, without control characters, at most 200 characters."""
    text = "".join(ch for ch in (text or "") if ch.isprintable())
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def search_everywhere(text: str, *, user, limit: int = 5) -> list[SearchGroup]:
    """Every pillar's group of hits for ``text`` (at most ``limit`` each), groups with hits
    only, in the pillars' order. An empty text finds nothing."""
    text = clean_query(text)
    if not text:
        return []
    groups = []
    for _label, module in pillar_modules("search"):
        group = module.search(text, user=user, limit=limit)
        if group is not None and group.hits:
            groups.append(group)
    return sorted(groups, key=lambda group: group.order)
