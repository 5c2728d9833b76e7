"""The fellows programme's contribution to the site-wide search: open host offers and
completed exchanges (only what the public pages show)."""

from django.utils.translation import gettext as _

from ai4media_portal.core.search import SearchGroup, SearchHit

from . import selectors


def search(text: str, *, user, limit: int) -> SearchGroup:
    """Open host offers whose title, topics or description, and completed exchanges whose
    title contain ``text``. Two queries; nothing in progress is ever found."""
    offers = selectors.offers(search=text)[:limit]
    exchanges = (
        selectors.completed_exchanges().prefetch_related(None).filter(title__icontains=text)[:limit]
    )
    hits = [
        SearchHit(
            title=offer.title,
            url=offer.get_absolute_url(),
            kind=_("Host offer"),
            summary=f"{offer.organisation.name} · {offer.topics}",
        )
        for offer in offers
    ] + [
        SearchHit(
            title=exchange.title,
            url=exchange.get_public_url(),
            kind=_("Fellows' exchange"),
            summary=f"{exchange.sender.name} → {exchange.host.name}",
        )
        for exchange in exchanges
    ]
    return SearchGroup(title=_("Junior Fellows"), hits=hits[:limit], order=60)
