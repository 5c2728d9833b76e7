"""Conflicts of interest: the call managers' list and the active pairs."""

from django.db.models import QuerySet

from ...models import Call
from ..models import Conflict


def call_conflicts(call: Call) -> QuerySet[Conflict]:
    return (
        Conflict.objects.filter(call=call)
        .select_related(
            "proposal__call",
            "proposal__current_version",
            "evaluator",
            "confirmed_by",
            "dismissed_by",
            "call",
        )
        .order_by("-active", "proposal__number", "evaluator__full_name", "pk")
    )


def active_conflict_pairs(call: Call) -> dict[tuple[int, int], str]:
    """(proposal id, evaluator id) → reason, for every active conflict in the call."""
    pairs = {}
    for proposal_id, evaluator_id, reason in Conflict.objects.filter(
        call=call, active=True
    ).values_list("proposal_id", "evaluator_id", "reason"):
        pairs.setdefault((proposal_id, evaluator_id), reason)
    return pairs


def active_conflict(proposal_id: int, evaluator_id: int) -> Conflict | None:
    """The active conflict between a proposal and an evaluator, if there is one."""
    return Conflict.objects.filter(
        proposal_id=proposal_id, evaluator_id=evaluator_id, active=True
    ).first()
