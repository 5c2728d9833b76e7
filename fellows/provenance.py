"""Where an output came from, as the Outputs pillar shows it: a completed exchange of the
Junior Fellows programme, by its public title and page."""

from ai4media_portal.core.links import absolute_url

from .enums import COMPLETED_STATUSES
from .models import Exchange

KIND = "fellows_exchange"
LABEL = "Junior Fellows exchange"


def resolve(ids) -> dict[int, tuple[str, str]]:
    """``{exchange id: (public title, absolute URL of its public page)}`` for those of
    ``ids`` whose public page exists (completed exchanges and later); the others are left out.
    One query."""
    exchanges = Exchange.objects.filter(pk__in=list(ids), status__in=COMPLETED_STATUSES).only(
        "pk", "title"
    )
    return {
        exchange.pk: (exchange.title, absolute_url(exchange.get_public_url()))
        for exchange in exchanges
    }
