"""What the evaluation's services share: call locks, the evaluation stage check, score messages."""

from decimal import Decimal

from django.utils.translation import gettext as _

from ai4media_portal.core.exceptions import PortalError

from ...engine.scoring import ScoreError, format_score
from ...enums import CallStage, ProposalStatus
from ...models import Call, Proposal
from ...services import common as call_common
from ...services.workflow import proposal_set_status

PS = ProposalStatus


def _lock_call(call: Call) -> Call:
    return Call.objects.select_for_update().get(pk=call.pk)


def _ensure_evaluating(call: Call) -> None:
    if call.stage != CallStage.UNDER_EVALUATION:
        raise PortalError(
            _("The call is not under evaluation: start the evaluation after the deadline first.")
            if call.stage in {CallStage.DRAFT, CallStage.PUBLISHED}
            else _("The results of this call are published: the evaluation is closed."),
            code="not_evaluating",
        )


def refuse_own_cases(call: Call, actor) -> None:
    """Refuse a call-wide action (an automatic assignment, interview invitations, applying
    the decisions) to a call manager who is a party to one of the call's submitted proposals
    (``Proposal.is_party``): it decides on their own case too, so another call manager
    acts."""
    submitted = Proposal.objects.filter(call=call).exclude(status__in=[PS.DRAFT, PS.WITHDRAWN])
    own = submitted.party_ids(actor)
    if own:
        references = ", ".join(
            p.reference for p in submitted.filter(pk__in=own).select_related("call")
        )
        raise PortalError(
            _(
                "You are a party to %(references)s: another call manager does this for the "
                "whole call."
            )
            % {"references": references},
            code="own_case",
        )


def _start_evaluation(proposal: Proposal, actor) -> None:
    """An eligible proposal that receives its first evaluator is under evaluation. Locks the
    proposal's row and reads its status afresh (the caller holds the call's lock)."""
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status == PS.ELIGIBLE:
        proposal_set_status(
            proposal=locked,
            to=PS.UNDER_EVALUATION,
            actor=actor,
            action="opencalls.evaluation.proposal.start",
        )
    proposal.status = locked.status


def _local(moment, call: Call) -> str:
    return call_common._local(moment, call.tzinfo)


def score_error_message(error: ScoreError) -> str:
    """The engine's refusal of a score, in the portal's language."""
    if error.code == "out_of_range":
        maximum = error.params.get("max_score")
        return _("Scores go from 0 to %(max)s.") % {
            "max": format_score(maximum) if isinstance(maximum, Decimal) else maximum
        }
    if error.code == "not_half_point":
        return _("Scores go in half points, for example 3 or 3.5.")
    if error.code == "required":
        return _("Give a score.")
    return _("Enter a number, for example 3 or 3.5.")
