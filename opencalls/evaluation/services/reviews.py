"""Reviews: drafts, submission, the hand-over to the rapporteur, and setting a review aside."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ai4media_portal.core.audit import log_action
from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.links import absolute_url
from ai4media_portal.core.outbox import email_queue
from ai4media_portal.core.permissions import require_perm
from ai4media_portal.core.workflow import ensure_transition, set_state

from ...models import Proposal
from .. import selectors
from ..enums import REVIEW_TRANSITIONS, ConsensusStatus, ReviewStatus
from ..models import Assignment, ConsensusReport, Review, ReviewScore
from .common import PS, _ensure_evaluating, _local
from .scores import DraftOutcome, require_complete_scores, score_rows_save

# --- Reviews ----------------------------------------------------------------------------------


def _assignment_for(actor, assignment: Assignment) -> Assignment:
    require_perm(actor, "opencalls.review_proposal", assignment.proposal)
    if assignment.evaluator_id != actor.pk:
        raise PermissionDenied
    return (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("call", "proposal")
        .get(pk=assignment.pk)
    )


@transaction.atomic
def review_save_draft(
    *,
    assignment: Assignment,
    actor,
    scores: dict | None = None,
    comments: dict | None = None,
    overall_comment: str | None = None,
) -> DraftOutcome:
    """Save what the evaluator has entered so far (the draft saves as they type). Valid
    scores (0 to the criterion's maximum, in half points) and comments are kept; the others
    are returned as errors by field and the previous value stays. Only the assigned,
    non-conflicted evaluator, only before submitting."""
    assignment = _assignment_for(actor, assignment)
    _ensure_evaluating(assignment.call)
    review, _created = Review.objects.select_for_update().get_or_create(assignment=assignment)
    if review.is_submitted:
        raise PortalError(_("This review is submitted and can no longer change."), code="locked")
    errors = score_rows_save(
        review,
        ReviewScore,
        "review",
        criteria=selectors.criteria_of(assignment.call),
        scores=scores,
        comments=comments,
    )
    if overall_comment is not None:
        review.overall_comment = overall_comment.strip()[:5000]
    review.save(update_fields=["overall_comment", "updated_at"])
    return DraftOutcome(review, errors)


def review_deadline(assignment: Assignment):
    return assignment.deadline(selectors.settings_for(assignment.call).review_deadline)


@transaction.atomic
def review_submit(*, assignment: Assignment, actor) -> Review:
    """Submit the saved review: every criterion scored (0–5 in half points) and commented
    (a ``ValidationError`` lists every problem by field; the draft stays as it is), before the
    review deadline (or the evaluator's extension). A submitted review is locked. When it is
    the proposal's last review, the rapporteur is told the consensus can start. Submitting a
    submitted review again (a double click, a retried call) does nothing and returns it: the
    assignment's row is locked, so two submits at once submit once."""
    assignment = _assignment_for(actor, assignment)
    _ensure_evaluating(assignment.call)
    review = Review.objects.select_for_update().filter(assignment=assignment).first()
    if review is not None and review.is_submitted:
        return review
    if review is None:
        review = Review.objects.create(assignment=assignment)
    ensure_transition(ReviewStatus(review.status), ReviewStatus.SUBMITTED, REVIEW_TRANSITIONS)
    deadline = review_deadline(assignment)
    now = timezone.now()
    if deadline is not None and now >= deadline:
        raise PortalError(
            _(
                "The review deadline passed on %(deadline)s: the review can no longer be "
                "submitted. Ask the call team to extend your deadline."
            )
            % {"deadline": _local(deadline, assignment.call)},
            code="deadline_passed",
        )
    criteria = selectors.criteria_of(assignment.call)
    values = {s.criterion_id: s for s in review.scores.all()}
    require_complete_scores(criteria, values, _("Explain your score for %(criterion)s."))
    review.submitted_at = now
    set_state(
        review, ReviewStatus.SUBMITTED, REVIEW_TRANSITIONS, also=["submitted_at", "updated_at"]
    )
    log_action(
        "opencalls.evaluation.review.submit",
        actor=actor,
        target=assignment.proposal,
        data={"assignment": assignment.pk},
    )
    _tell_rapporteur_if_ready(assignment.proposal)
    return review


def _tell_rapporteur_if_ready(proposal: Proposal) -> None:
    report = ConsensusReport.objects.filter(proposal=proposal).select_related("rapporteur").first()
    if report is None or report.rapporteur is None or not selectors.reviews_complete(proposal):
        return
    email_queue(
        to=report.rapporteur.email,
        template="opencalls/evaluation/consensus_ready",
        context={
            "proposal": proposal,
            "url": absolute_url("opencalls:evaluation:consensus", proposal.pk),
        },
    )


def set_aside(review: Review, *, actor, reason: str, why: str) -> Review:
    """Set ``review`` (submitted, locked by the caller) aside with ``reason``: kept for the
    record, excluded from every computation, its assignment counted as missing. A rapporteur
    whose review goes aside stops being the rapporteur of a consensus still in draft.
    ``why`` names the cause in the audit log ("manager", "conflict")."""
    assignment = review.assignment
    review.set_aside_at = timezone.now()
    review.set_aside_by = actor
    review.set_aside_reason = reason.strip()[:1000]
    review.full_clean(validate_unique=False, validate_constraints=True)
    review.save(update_fields=["set_aside_at", "set_aside_by", "set_aside_reason", "updated_at"])
    dropped = ConsensusReport.objects.filter(
        proposal_id=assignment.proposal_id,
        rapporteur_id=assignment.evaluator_id,
        status=ConsensusStatus.DRAFT,
    ).update(rapporteur=None, updated_at=timezone.now())
    log_action(
        "opencalls.evaluation.review.set_aside",
        actor=actor,
        target=assignment.proposal,
        data={
            "evaluator": assignment.evaluator_id,
            "reason": review.set_aside_reason,
            "why": why,
            "rapporteur_dropped": bool(dropped),
        },
    )
    return review


@transaction.atomic
def review_set_aside(*, assignment: Assignment, actor, reason: str) -> Review:
    """A call manager sets a submitted review aside, saying why (a conflict of interest that
    came to light after it was written, a review that does not assess the proposal...). The
    review stays, marked, for the record; it no longer counts anywhere (consensus suggestion,
    disagreement flags, z-scores, ranking, reviews done) and the assignment counts as missing,
    so a replacement evaluator can be assigned. Audited. Refused for a draft (remove the
    assignment instead), a review already set aside, without a reason, or once the proposal
    is decided. Call managers who are not a party to the proposal."""
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("call", "proposal", "evaluator")
        .get(pk=assignment.pk)
    )
    require_perm(actor, "opencalls.evaluate_proposal", assignment.proposal)
    _ensure_evaluating(assignment.call)
    if assignment.proposal.status not in {PS.UNDER_EVALUATION, PS.INTERVIEW}:
        raise PortalError(_("The proposal is decided: its reviews can no longer change."))
    review = Review.objects.select_for_update().filter(assignment=assignment).first()
    if review is None or not review.is_submitted:
        raise PortalError(
            _("Only a submitted review can be set aside: remove the assignment instead."),
            code="not_submitted",
        )
    if review.is_set_aside:
        raise PortalError(_("This review is already set aside."), code="already_set_aside")
    if not (reason or "").strip():
        raise PortalError(_("Say why the review is set aside."), field="reason")
    return set_aside(review, actor=actor, reason=reason, why="manager")
