"""The network's panels on "My portal"."""

from django.utils.translation import gettext_lazy as _

from ai4media_portal.core.dashboard import Panel
from ai4media_portal.core.permissions import can

from . import selectors


def panels(request) -> list[Panel]:
    user = request.user
    result = []
    if can(user, "network.manage_membershipapplications"):
        result.append(
            Panel(
                _("Membership applications"),
                "network/dashboard/manager.html",
                {"waiting": selectors.applications_waiting_count()},
                order=10,
            )
        )
    organisations = list(selectors.organisations_of_contact(user))
    if organisations:
        result.append(
            Panel(
                _("Your organisations"),
                "network/dashboard/organisations.html",
                {"organisations": organisations},
                order=20,
            )
        )
    applications = list(selectors.applications_of(user)[:10])
    if applications:
        result.append(
            Panel(
                _("Your membership applications"),
                "network/dashboard/applications.html",
                {"applications": applications},
                order=30,
            )
        )
    return result
