"""The evaluation's panels on "My portal": an evaluator's queue and deadlines (and
invitations to answer), and the calls under evaluation for call managers."""

from django.utils.translation import gettext_lazy as _

from ai4media_portal.core.dashboard import Panel
from ai4media_portal.core.permissions import can

from . import selectors


def panels(request) -> list[Panel]:
    user = request.user
    result = []
    invitations = list(selectors.evaluator_invitations(user=user))
    queue = [i for i in selectors.evaluator_queue(user=user) if i.status != "submitted"]
    if invitations or queue:
        result.append(
            Panel(
                _("My evaluations"),
                "opencalls/evaluation/dashboard/evaluator.html",
                {"queue": queue[:6], "invitations": invitations},
                order=43,
            )
        )
    if can(user, "opencalls.manage_evaluation"):
        calls = selectors.manager_evaluation_calls()
        if calls:
            result.append(
                Panel(
                    _("Evaluations in progress"),
                    "opencalls/evaluation/dashboard/manager.html",
                    {"calls": calls},
                    order=44,
                )
            )
    return result
