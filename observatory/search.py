"""The Observatory's contribution to the site-wide search: published pieces only."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ai4media_portal.core.search import SearchGroup, SearchHit

from . import selectors


def search(text: str, *, user, limit: int) -> SearchGroup:
    """Published pieces matching ``text`` by the list's full-text search, best first (one
    query: no relations are shown)."""
    items = selectors.content_listing(search=text).prefetch_related(None)[:limit]
    return SearchGroup(
        title=_("Observatory"),
        hits=[
            SearchHit(
                title=item.title,
                url=item.get_absolute_url(),
                kind=item.get_kind_display(),
                summary=item.standfirst,
            )
            for item in items
        ],
        more_url=f"{reverse('observatory:list')}?{urlencode({'q': text})}",
        order=20,
    )
