"""The fellows programme's panels on "My portal"."""

from django.utils.translation import gettext_lazy as _

from ai4media_portal.core.dashboard import Panel
from ai4media_portal.core.permissions import can

from . import selectors


def panels(request) -> list[Panel]:
    user = request.user
    result = []
    if can(user, "fellows.manage_exchanges"):
        result.append(
            Panel(
                _("Fellows' exchanges"),
                "fellows/dashboard/coordinator.html",
                selectors.coordinator_waiting(),
                order=60,
            )
        )
    exchanges = list(selectors.exchanges_of(user)[:10])
    if exchanges:
        result.append(
            Panel(
                _("Your fellows' exchanges"),
                "fellows/dashboard/exchanges.html",
                {"exchanges": exchanges, "user_id": user.pk},
                order=61,
            )
        )
    return result
