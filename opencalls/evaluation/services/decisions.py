"""Decisions and results: the plan from the ranking, applying it and publishing the results."""

from django.db import transaction
from django.utils.translation import gettext as _

from ai4media_portal.core.audit import log_action
from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.links import absolute_url
from ai4media_portal.core.outbox import email_queue
from ai4media_portal.core.permissions import require_perm

from ... import services as call_services
from ...enums import CallStage
from ...models import Call, Proposal
from .. import selectors
from ..enums import ConsensusStatus
from .common import PS, _ensure_evaluating, _lock_call, refuse_own_cases

# --- Decisions and results --------------------------------------------------------------------


@transaction.atomic
def decisions_apply(*, call: Call, actor, message: str = "") -> dict[str, int]:
    """Apply the final ranking: above the budget line → selected, reserve list → reserve,
    below a threshold → rejected, each through ``proposal_decide`` (audited, emailed to the
    applicant with the link to their Evaluation Summary Report). Refused while a consensus is
    not final or an invited interview has not been held. Call managers who are not a party to
    any of the call's proposals."""
    require_perm(actor, "opencalls.manage_evaluation")
    call = _lock_call(call)
    _ensure_evaluating(call)
    refuse_own_cases(call, actor)
    blockers = selectors.decision_blockers(call, actor=actor)
    if blockers:
        raise PortalError(" ".join(blockers), code="not_ready")
    counts = {"selected": 0, "reserve": 0, "rejected": 0}
    for proposal, outcome, _row in selectors.decision_plan(call):
        esr = _(
            "Your Evaluation Summary Report (scores and comments of the evaluation) will "
            "be available here when the results are published: %(url)s"
        ) % {"url": absolute_url("opencalls:evaluation:esr", proposal.pk)}
        text = "\n\n".join(filter(None, [message.strip(), esr]))
        call_services.proposal_decide(proposal=proposal, actor=actor, outcome=outcome, message=text)
        counts[outcome.value] += 1
    log_action("opencalls.evaluation.decisions.apply", actor=actor, target=call, data=counts)
    return counts


@transaction.atomic
def results_publish(*, call: Call, actor) -> Call:
    """Publish the call's results (every proposal has its final outcome) and tell each
    evaluated applicant that their Evaluation Summary Report is available. Managers only."""
    require_perm(actor, "opencalls.manage_evaluation")
    call = call_services.call_set_stage(call=call, actor=actor, stage=CallStage.RESULTS_PUBLISHED)
    proposals = (
        Proposal.objects.filter(call=call, consensus__status=ConsensusStatus.FINAL)
        .filter(status__in=[PS.SELECTED, PS.RESERVE, PS.REJECTED])
        .select_related("applicant")
    )
    sent = 0
    for proposal in proposals:
        email_queue(
            to=proposal.applicant.email,
            template="opencalls/evaluation/esr_available",
            context={
                "proposal": proposal,
                "call": call,
                "url": absolute_url("opencalls:evaluation:esr", proposal.pk),
            },
        )
        sent += 1
    log_action("opencalls.evaluation.results.publish", actor=actor, target=call, data={"esr": sent})
    return call
