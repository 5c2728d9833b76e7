"""AIDA's contribution to the site-wide search: the course catalogue."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ai4media_portal.core.search import SearchGroup, SearchHit

from . import selectors


def search(text: str, *, user, limit: int) -> SearchGroup:
    """Courses matching ``text`` by the catalogue's full-text search, best first (one
    query)."""
    courses = selectors.catalogue(selectors.CatalogueFilters(search=text))[:limit]
    return SearchGroup(
        title=_("AIDA courses"),
        hits=[
            SearchHit(
                title=course.title,
                url=course.get_absolute_url(),
                kind=course.get_format_display(),
                summary=course.description[:200],
            )
            for course in courses
        ],
        more_url=f"{reverse('aida:catalogue')}?{urlencode({'q': text})}",
        order=30,
    )
