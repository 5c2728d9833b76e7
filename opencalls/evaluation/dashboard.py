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
    queue = selectors.evaluator_queue(user=user)
    pending = [i for i in queue if i.status != "submitted"]
    # The panel stays once everything is submitted: it is the way back to the reviews and
    # their export.
    if invitations or queue or selectors.has_assignments(user=user):
        submitted = [i for i in queue if i.status == "submitted"]
        result.append(
            Panel(
                _("My evaluations"),
                "opencalls/evaluation/dashboard/evaluator.html",
                {
                    "queue": pending[:6],
                    "invitations": invitations,
                    "submitted": len(submitted),
                    "export_calls": list(
                        {i.assignment.call.number: i.assignment.call for i in submitted}.values()
                    ),
                },
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
