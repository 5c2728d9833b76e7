"""Eligibility screening of submitted proposals, and the applicant's answers to clarifications."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ai4media_portal.accounts.selectors import emails_of
from ai4media_portal.core.audit import log_action
from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.links import absolute_url
from ai4media_portal.core.outbox import email_queue
from ai4media_portal.core.permissions import require_perm
from ai4media_portal.core.roles import Role
from ai4media_portal.core.workflow import ensure_transition

from ..enums import TRANSITIONS, ProposalStatus, ScreeningOutcome
from ..models import EligibilityCheck, EligibilityScreening, Proposal
from .workflow import proposal_set_status

SCREENING_STATES = frozenset(
    {ProposalStatus.SUBMITTED, ProposalStatus.SCREENING, ProposalStatus.CLARIFICATION_REQUESTED}
)


@dataclass(frozen=True)
class CheckInput:
    item_id: int
    passed: bool | None
    reason: str = ""


@transaction.atomic
def proposal_screen(
    *,
    proposal: Proposal,
    actor,
    checks: Iterable[CheckInput],
    outcome: ScreeningOutcome | None = None,
    message: str = "",
) -> EligibilityScreening:
    """Record the eligibility checklist of a submitted proposal (after the deadline) and,
    when ``outcome`` is given, decide:

    - eligible: every item passed;
    - ineligible: at least one item failed with its reason; the applicant is told why;
    - clarification: ``message`` is the question; the applicant answers in the portal, then
      the screener decides.

    A failed item needs a reason. Managers only.
    """
    require_perm(actor, "opencalls.screen_proposal", proposal)
    proposal = (
        Proposal.objects.select_for_update(of=("self",)).select_related("call").get(pk=proposal.pk)
    )
    call = proposal.call
    if proposal.status not in SCREENING_STATES:
        raise PortalError(_("This proposal is not waiting for an eligibility check."))
    if timezone.now() < call.closes_at:
        raise PortalError(_("Eligibility checks start after the deadline."))
    screening, _created = EligibilityScreening.objects.select_for_update().get_or_create(
        proposal=proposal, defaults={"screener": actor}
    )
    items = {item.pk: item for item in call.checklist.all()}
    errors = {}
    existing = {check.item_id: check for check in screening.checks.all()}
    for check in checks:
        if check.item_id not in items:
            raise PortalError(_("This item is not on the call's checklist."))
        if check.passed is False and not check.reason.strip():
            errors[f"check_{check.item_id}"] = [_("Say why this criterion is not met.")]
        row = existing.get(check.item_id) or EligibilityCheck(
            screening=screening, item=items[check.item_id]
        )
        row.passed, row.reason = check.passed, check.reason.strip()
        existing[check.item_id] = row
    if errors:
        raise ValidationError(errors)
    for row in existing.values():
        row.save()
    screening.screener = actor
    target = None
    if outcome:
        target = _screening_decide(proposal, screening, ScreeningOutcome(outcome), message, items)
    elif proposal.status == ProposalStatus.SUBMITTED:
        target = ProposalStatus.SCREENING
    screening.save()
    if target is None:
        log_action(
            "opencalls.proposal.screen",
            actor=actor,
            target=proposal,
            data={"outcome": screening.outcome},
        )
    else:
        proposal_set_status(
            proposal=proposal,
            to=target,
            actor=actor,
            message=screening.message,
            action="opencalls.proposal.screen",
            data={"outcome": screening.outcome},
        )
    return screening


def _screening_decide(proposal, screening, outcome, message, items) -> ProposalStatus:
    """Fill in the screening's outcome and queue the applicant's email; return the status the
    proposal moves to (checked against the workflow before anything is queued)."""
    checks = {row.item_id: row for row in screening.checks.all()}
    failed = [row for row in checks.values() if row.passed is False]
    context = {
        "proposal": proposal,
        "call": proposal.call,
        "message": message.strip(),
        "url": absolute_url("opencalls:proposal", proposal.pk),
    }
    if outcome == ScreeningOutcome.ELIGIBLE:
        unchecked = [items[pk].text for pk in items if not getattr(checks.get(pk), "passed", None)]
        if unchecked:
            raise PortalError(
                _("Every criterion must be met for an eligible proposal; not met: %(items)s.")
                % {"items": "; ".join(unchecked)},
                field="outcome",
            )
        target, template = ProposalStatus.ELIGIBLE, "opencalls/screening_eligible"
    elif outcome == ScreeningOutcome.INELIGIBLE:
        if not failed:
            raise PortalError(
                _("Mark the criteria that are not met, with the reason, first."), field="outcome"
            )
        target, template = ProposalStatus.INELIGIBLE, "opencalls/screening_ineligible"
        context["failed"] = sorted(failed, key=lambda row: (row.item.order, row.item_id))
    elif outcome == ScreeningOutcome.CLARIFICATION:
        if not message.strip():
            raise PortalError(_("Write the question the applicant must answer."), field="message")
        target, template = ProposalStatus.CLARIFICATION_REQUESTED, "opencalls/clarification"
        screening.clarification_question = message.strip()
        screening.clarification_requested_at = timezone.now()
        screening.clarification_answer = ""
        screening.clarification_answered_at = None
    else:
        raise PortalError(_("Choose an outcome."), field="outcome")
    ensure_transition(ProposalStatus(proposal.status), target, TRANSITIONS)
    screening.outcome = outcome
    screening.message = message.strip()
    if outcome != ScreeningOutcome.CLARIFICATION:
        screening.decided_at = timezone.now()
    email_queue(to=proposal.applicant.email, template=template, context=context)
    return target


@transaction.atomic
def clarification_answer(*, proposal: Proposal, actor, answer: str) -> EligibilityScreening:
    """The applicant answers the screener's question; the proposal goes back to the
    eligibility check and the screener is told."""
    require_perm(actor, "opencalls.answer_clarification", proposal)
    proposal = (
        Proposal.objects.select_for_update(of=("self",)).select_related("call").get(pk=proposal.pk)
    )
    if proposal.status != ProposalStatus.CLARIFICATION_REQUESTED:
        raise PortalError(_("No clarification is requested for this proposal."))
    if not answer.strip():
        raise PortalError(_("Write your answer."), field="answer")
    screening = EligibilityScreening.objects.select_for_update().get(proposal=proposal)
    screening.clarification_answer = answer.strip()
    screening.clarification_answered_at = timezone.now()
    screening.save(update_fields=["clarification_answer", "clarification_answered_at"])
    proposal_set_status(
        proposal=proposal,
        to=ProposalStatus.SCREENING,
        actor=actor,
        action="opencalls.proposal.clarify",
    )
    recipients = [screening.screener.email] if screening.screener else emails_of(Role.CALL_MANAGER)
    email_queue(
        to=recipients,
        template="opencalls/clarification_answered",
        context={
            "proposal": proposal,
            "screening": screening,
            "url": absolute_url("opencalls:screening", proposal.pk),
        },
    )
    return screening
