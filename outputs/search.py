"""The outputs' contribution to the site-wide search: published outputs."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ai4media_portal.core.search import SearchGroup, SearchHit

from . import selectors


def search(text: str, *, user, limit: int) -> SearchGroup:
    """Published outputs matching ``text`` by the catalogue's full-text search, best first
    (three queries: outputs, their creators, their creators' affiliations)."""
    outputs = selectors.catalogue(selectors.Filters(search=text))[:limit]
    return SearchGroup(
        title=_("Research outputs"),
        hits=[
            SearchHit(
                title=output.title,
                url=output.get_absolute_url(),
                kind=output.get_kind_display(),
                summary=output.abstract,
            )
            for output in outputs
        ],
        more_url=f"{reverse('outputs:index')}?{urlencode({'q': text})}",
        order=30,
    )
