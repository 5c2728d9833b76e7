"""Decisions: what applying the ranking would decide, what stops it, and what was decided."""

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from ...engine.ranking import Decision
from ...enums import ProposalStatus
from ...models import Call, Proposal
from ..enums import PS, ConsensusStatus, InterviewStatus
from ..models import ConsensusReport, Interview
from .ranking import call_ranking
from .reviews import blind_proposal_ids


def unfinished_consensus_count(call: Call) -> int:
    """How many of the call's proposals in evaluation (or interview) lack a final consensus."""
    evaluated = Proposal.objects.filter(call=call, status__in=[PS.UNDER_EVALUATION, PS.INTERVIEW])
    return evaluated.exclude(consensus__status=ConsensusStatus.FINAL).count()


OUTCOMES = {
    Decision.FUND: PS.SELECTED,
    Decision.RESERVE: PS.RESERVE,
    Decision.BELOW_THRESHOLD: PS.REJECTED,
}


def decision_plan(
    call: Call, *, withheld: frozenset = frozenset()
) -> list[tuple[Proposal, ProposalStatus, object]]:
    """What applying the ranking would decide: (proposal, outcome, ranked row) for every
    evaluated proposal not yet finally decided, per track. ``withheld`` proposals (the
    reader's ``blind_proposal_ids``) are left out, for display only."""
    plan = []
    for track_ranking in call_ranking(call, provisional=False, withheld=withheld):
        for row in [*track_ranking.rows, *track_ranking.below]:
            outcome = OUTCOMES[row.ranked.decision]
            if row.proposal.status in {PS.SELECTED, PS.REJECTED} or row.proposal.status == outcome:
                continue
            plan.append((row.proposal, outcome, row))
    return plan


def decision_blockers(call: Call, *, actor=None) -> list[str]:
    """What stops the ranking from being applied: consensus reports not final, interviews not
    recorded, and (for ``actor``) reviews of their own still to submit in the call."""
    blockers = []
    own = blind_proposal_ids(actor, call) if actor is not None else frozenset()
    if own:
        blockers.append(
            _(
                "You evaluate %(count)s proposals of this call and have not submitted your "
                "review: submit it before deciding."
            )
            % {"count": len(own)}
        )
    missing = unfinished_consensus_count(call)
    if missing:
        blockers.append(
            _("%(count)s proposals have no final consensus yet: finish them first.")
            % {"count": missing}
        )
    pending = Interview.objects.filter(call=call).exclude(status=InterviewStatus.HELD).count()
    if pending:
        blockers.append(_("%(count)s interviews have not been recorded yet.") % {"count": pending})
    return blockers


def decided_proposals(call: Call) -> QuerySet[Proposal]:
    """The call's decided proposals (selected, reserve, rejected), each marked ``has_summary``
    when its final consensus (hence its Evaluation Summary Report) exists."""
    final = ConsensusReport.objects.filter(proposal=OuterRef("pk"), status=ConsensusStatus.FINAL)
    return (
        Proposal.objects.filter(
            call=call,
            status__in=[ProposalStatus.SELECTED, ProposalStatus.RESERVE, ProposalStatus.REJECTED],
        )
        .annotate(has_summary=Exists(final))
        .select_related("call", "current_version")
        .order_by("status", "number")
    )
