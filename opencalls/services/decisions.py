"""A call manager's decision on a proposal, outside the evaluation's ranking."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.links import absolute_url
from ai4media_portal.core.outbox import email_queue
from ai4media_portal.core.permissions import require_perm

from ..enums import DECIDABLE_STATES, DECISION_STATES, ProposalStatus
from ..models import Proposal
from .workflow import proposal_set_status

DECISION_TEMPLATES = {
    ProposalStatus.SELECTED: "opencalls/decision_selected",
    ProposalStatus.RESERVE: "opencalls/decision_reserve",
    ProposalStatus.REJECTED: "opencalls/decision_rejected",
}


@transaction.atomic
def proposal_decide(
    *, proposal: Proposal, actor, outcome: ProposalStatus, message: str = ""
) -> Proposal:
    """Select, put on the reserve list or reject an eligible (or evaluated) proposal, and tell
    the applicant. A reserve proposal may later be selected or rejected. Managers only; the
    evaluation engine calls this same service when its ranking is final."""
    require_perm(actor, "opencalls.decide_proposal", proposal)
    proposal = (
        Proposal.objects.select_for_update(of=("self",)).select_related("call").get(pk=proposal.pk)
    )
    outcome = ProposalStatus(outcome)
    if outcome not in DECISION_STATES:
        raise PortalError(_("Choose selected, reserve or rejected."), field="outcome")
    if proposal.status not in DECIDABLE_STATES:
        raise PortalError(
            _("Only eligible proposals can be decided; this one is %(status)s.")
            % {"status": proposal.get_status_display().lower()}
        )
    proposal.decision_message = message.strip()
    proposal.decided_at = timezone.now()
    proposal.decided_by = actor
    proposal_set_status(
        proposal=proposal,
        to=outcome,
        actor=actor,
        message=proposal.decision_message,
        action="opencalls.proposal.decide",
        extra_fields=["decision_message", "decided_at", "decided_by", "updated_at"],
        data={"outcome": outcome.value},
    )
    email_queue(
        to=proposal.applicant.email,
        template=DECISION_TEMPLATES[outcome],
        context={
            "proposal": proposal,
            "call": proposal.call,
            "message": proposal.decision_message,
            "url": absolute_url("opencalls:proposal", proposal.pk),
        },
    )
    return proposal
