"""Consensus reports: the rapporteur, drafts, finalising and reopening."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ai4media_portal.core.audit import log_action
from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.links import absolute_url
from ai4media_portal.core.outbox import email_queue
from ai4media_portal.core.permissions import can, require_perm
from ai4media_portal.core.workflow import set_state

from ...models import Proposal
from .. import selectors
from ..enums import CONSENSUS_TRANSITIONS, ConsensusStatus
from ..models import Assignment, ConsensusReport, ConsensusScore
from ..predicates import awaiting_own_review, peer_reviews_open
from .common import PS, _ensure_evaluating
from .scores import DraftOutcome, require_complete_scores, score_rows_save

# --- Consensus --------------------------------------------------------------------------------


def _report_for(proposal: Proposal) -> ConsensusReport:
    report, _created = ConsensusReport.objects.select_for_update().get_or_create(
        proposal=proposal, defaults={"call": proposal.call}
    )
    return report


@transaction.atomic
def consensus_set_rapporteur(*, proposal: Proposal, actor, rapporteur) -> ConsensusReport:
    """Choose the rapporteur of a proposal's consensus: one of its evaluators without a
    conflict who has submitted their review (the rapporteur reads the others': the
    blind-review rule). They are told (now, or when the last review is in). Call managers who
    are not a party to the proposal."""
    require_perm(actor, "opencalls.evaluate_proposal", proposal)
    proposal = (
        Proposal.objects.select_for_update(of=("self",)).select_related("call").get(pk=proposal.pk)
    )
    _ensure_evaluating(proposal.call)
    assignment = (
        Assignment.objects.filter(proposal=proposal, evaluator=rapporteur)
        .counted()
        .select_related("review")
        .first()
        if rapporteur is not None
        else None
    )
    if assignment is None or selectors.active_conflict(proposal.pk, rapporteur.pk):
        raise PortalError(
            _("The rapporteur must be one of the proposal's evaluators, without a conflict."),
            field="rapporteur",
        )
    if not peer_reviews_open(assignment):
        # The rapporteur reads every review: they must have written theirs first.
        raise PortalError(
            _(
                "%(name)s has not submitted their review of this proposal yet: a rapporteur "
                "reads the other reviews, so choose them once their own is in."
            )
            % {"name": rapporteur.display_name},
            field="rapporteur",
            code="review_not_submitted",
        )
    report = _report_for(proposal)
    if report.is_final:
        raise PortalError(_("The consensus is final: reopen it first."))
    report.rapporteur = rapporteur
    report.save(update_fields=["rapporteur", "updated_at"])
    log_action(
        "opencalls.evaluation.consensus.rapporteur",
        actor=actor,
        target=proposal,
        data={"rapporteur": rapporteur.pk},
    )
    email_queue(
        to=rapporteur.email,
        template="opencalls/evaluation/rapporteur",
        context={
            "proposal": proposal,
            "call": proposal.call,
            "ready": selectors.reviews_complete(proposal),
            "url": absolute_url("opencalls:evaluation:consensus", proposal.pk),
        },
    )
    return report


def _consensus_editable(proposal: Proposal, actor) -> ConsensusReport:
    _ensure_evaluating(proposal.call)
    if proposal.status not in {PS.UNDER_EVALUATION, PS.INTERVIEW}:
        raise PortalError(
            _("Only a proposal under evaluation has a consensus to write."), code="not_evaluated"
        )
    report = _report_for(proposal)
    require_perm(actor, "opencalls.write_consensus", report)
    if awaiting_own_review(actor).filter(proposal=proposal).exists():
        raise PortalError(
            _(
                "You evaluate this proposal: submit your own review before you read or write "
                "its consensus."
            ),
            code="own_review_pending",
        )
    manager = can(actor, "opencalls.manage_evaluation")
    if not manager and not selectors.reviews_complete(proposal):
        raise PortalError(
            _("The consensus starts once every evaluator of the proposal has submitted."),
            code="reviews_pending",
        )
    if report.is_final:
        raise PortalError(_("The consensus is final: a call manager can reopen it."))
    return report


@transaction.atomic
def consensus_save(
    *,
    proposal: Proposal,
    actor,
    scores: dict | None = None,
    comments: dict | None = None,
    summary: str | None = None,
) -> DraftOutcome:
    """Save the consensus draft: agreed scores (validated like reviews) and comments per
    criterion, and the overall comments the applicant will read. The rapporteur (once all
    reviews are in) or a call manager."""
    proposal = (
        Proposal.objects.select_for_update(of=("self",)).select_related("call").get(pk=proposal.pk)
    )
    report = _consensus_editable(proposal, actor)
    errors = score_rows_save(
        report,
        ConsensusScore,
        "report",
        criteria=selectors.criteria_of(proposal.call),
        scores=scores,
        comments=comments,
    )
    if summary is not None:
        report.summary = summary.strip()[:5000]
    report.save(update_fields=["summary", "updated_at"])
    log_action(
        "opencalls.evaluation.consensus.save",
        actor=actor,
        target=proposal,
        data={"refused": sorted(errors)},
    )
    return DraftOutcome(report, errors)


@transaction.atomic
def consensus_finalise(*, proposal: Proposal, actor) -> ConsensusReport:
    """Make the consensus final: every criterion has an agreed score and comment (a
    ``ValidationError`` lists what is missing). The ranking uses final reports only."""
    proposal = (
        Proposal.objects.select_for_update(of=("self",)).select_related("call").get(pk=proposal.pk)
    )
    report = _consensus_editable(proposal, actor)
    criteria = selectors.criteria_of(proposal.call)
    values = selectors.consensus_values(report)
    require_complete_scores(criteria, values, _("Write the agreed comment on %(criterion)s."))
    report.finalised_at = timezone.now()
    report.finalised_by = actor
    set_state(
        report,
        ConsensusStatus.FINAL,
        CONSENSUS_TRANSITIONS,
        also=["finalised_at", "finalised_by", "updated_at"],
    )
    log_action("opencalls.evaluation.consensus.finalise", actor=actor, target=proposal)
    return report


@transaction.atomic
def consensus_reopen(*, proposal: Proposal, actor) -> ConsensusReport:
    """Reopen a final consensus for changes, until the proposal is decided. Call managers who
    are not a party to the proposal."""
    require_perm(actor, "opencalls.evaluate_proposal", proposal)
    proposal = (
        Proposal.objects.select_for_update(of=("self",)).select_related("call").get(pk=proposal.pk)
    )
    _ensure_evaluating(proposal.call)
    if proposal.status not in {PS.UNDER_EVALUATION, PS.INTERVIEW}:
        raise PortalError(_("The proposal is decided: its consensus can no longer change."))
    report = _report_for(proposal)
    report.finalised_at = None
    report.finalised_by = None
    set_state(
        report,
        ConsensusStatus.DRAFT,
        CONSENSUS_TRANSITIONS,
        also=["finalised_at", "finalised_by", "updated_at"],
    )
    log_action("opencalls.evaluation.consensus.reopen", actor=actor, target=proposal)
    return report
