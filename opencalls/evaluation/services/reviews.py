"""Reviews: drafts, submission and the hand-over to the rapporteur."""

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
from ..enums import REVIEW_TRANSITIONS, ReviewStatus
from ..models import Assignment, ConsensusReport, Review, ReviewScore
from .common import _ensure_evaluating, _local
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
    the proposal's last review, the rapporteur is told the consensus can start."""
    assignment = _assignment_for(actor, assignment)
    _ensure_evaluating(assignment.call)
    review = Review.objects.select_for_update().filter(assignment=assignment).first()
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
