"""Open calls' panels on "My portal": an applicant's proposals, a funded team's due items, and
what call managers have to do."""

from django.utils.translation import gettext_lazy as _

from ai4media_portal.core.dashboard import Panel

from . import selectors
from .evaluation.dashboard import panels as evaluation_panels


def panels(request) -> list[Panel]:
    user = request.user
    result = []
    proposals = list(selectors.proposals_of_applicant(user=user)[:6])
    if proposals:
        result.append(
            Panel(
                _("My proposals"),
                "opencalls/dashboard/proposals.html",
                {"proposals": proposals},
                order=40,
            )
        )
    due = selectors.due_items_for_team(user=user)
    if due:
        result.append(
            Panel(_("Due for my funded project"), "opencalls/dashboard/due.html", {"due": due}, 41)
        )
    if selectors.user_is_manager(user):
        result.append(
            Panel(
                _("Open calls: to do"),
                "opencalls/dashboard/manager.html",
                {"counts": selectors.manager_counts()},
                order=42,
            )
        )
    result.extend(evaluation_panels(request))
    return result
