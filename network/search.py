"""The network's contribution to the site-wide search: member organisations."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ai4media_portal.core.search import SearchGroup, SearchHit

from . import selectors


def search(text: str, *, user, limit: int) -> SearchGroup:
    """Listed organisations matching ``text`` by the directory's full-text search, best first
    (one query)."""
    organisations = selectors.directory(search=text)[:limit]
    return SearchGroup(
        title=_("Network"),
        hits=[
            SearchHit(
                title=organisation.display_name,
                url=organisation.get_absolute_url(),
                kind=_("Organisation"),
                summary=organisation.description,
            )
            for organisation in organisations
        ],
        more_url=f"{reverse('network:index')}?{urlencode({'q': text})}",
        order=10,
    )
