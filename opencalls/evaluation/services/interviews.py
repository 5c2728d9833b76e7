"""Interviews: invitations, slots, booking and the recorded score."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ai4media_portal.core.audit import log_action
from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.links import absolute_url
from ai4media_portal.core.outbox import email_queue
from ai4media_portal.core.permissions import require_perm
from ai4media_portal.core.workflow import ensure_transition

from ...engine.scoring import ScoreError, validate_score
from ...enums import TRANSITIONS
from ...models import Call, Proposal
from .. import selectors
from ..enums import INTERVIEW_TRANSITIONS, InterviewStatus
from ..models import Interview, InterviewSlot
from .common import PS, _ensure_evaluating, _local, _lock_call, score_error_message

# --- Interviews -------------------------------------------------------------------------------


@transaction.atomic
def interviews_invite(*, call: Call, actor) -> list[Interview]:
    """Invite the top proposals of each track (the call's "interviews per track", by the
    written ranking of final consensus reports, above every threshold) to an interview; they
    go to the interview stage and their applicants are asked to book a slot. Proposals
    already invited keep their interview. Managers only."""
    require_perm(actor, "opencalls.manage_evaluation")
    call = _lock_call(call)
    _ensure_evaluating(call)
    if not call.interview_enabled or not call.interviews_per_track:
        raise PortalError(_("This call has no interview stage."))
    missing = selectors.unfinished_consensus_count(call)
    if missing:
        raise PortalError(
            _("%(count)s proposals have no final consensus yet: finish them first.")
            % {"count": missing},
            code="consensus_missing",
        )
    invited = []
    for track_ranking in selectors.call_ranking(call, provisional=False, with_interviews=False):
        for row in track_ranking.rows[: call.interviews_per_track]:
            proposal = Proposal.objects.select_for_update().get(pk=row.proposal.pk)
            if (
                proposal.status != PS.UNDER_EVALUATION
                or Interview.objects.filter(proposal=proposal).exists()
            ):
                continue
            ensure_transition(PS(proposal.status), PS.INTERVIEW, TRANSITIONS)
            proposal.status = PS.INTERVIEW
            proposal.save(update_fields=["status", "updated_at"])
            interview = Interview.objects.create(proposal=proposal, call=call, invited_by=actor)
            invited.append(interview)
            log_action(
                "opencalls.evaluation.interview.invite",
                actor=actor,
                target=proposal,
                data={"rank": row.ranked.rank},
            )
            email_queue(
                to=proposal.applicant.email,
                template="opencalls/evaluation/interview_invited",
                context={
                    "proposal": proposal,
                    "call": call,
                    "url": absolute_url("opencalls:evaluation:interview_book", proposal.pk),
                },
            )
    return invited


@transaction.atomic
def interview_slot_add(
    *, call: Call, actor, starts_at, duration_minutes: int, location: str
) -> InterviewSlot:
    """Offer a slot for interviews. Managers only."""
    require_perm(actor, "opencalls.manage_evaluation")
    _ensure_evaluating(call)
    if starts_at is None or starts_at <= timezone.now():
        raise PortalError(_("A slot starts in the future."), field="starts_at")
    slot = InterviewSlot(
        call=call,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        location=location.strip(),
        created_by=actor,
    )
    slot.full_clean()
    slot.save()
    log_action(
        "opencalls.evaluation.interview.slot",
        actor=actor,
        target=call,
        data={"starts_at": starts_at.isoformat()},
    )
    return slot


@transaction.atomic
def interview_book(*, interview: Interview, actor, slot: InterviewSlot) -> Interview:
    """Book (or change) the interview's slot: a free slot of the same call, in the future.
    The applicant or a call manager; the applicant gets the time and place by email."""
    interview = (
        Interview.objects.select_for_update(of=("self",))
        .select_related("proposal__applicant", "call")
        .get(pk=interview.pk)
    )
    require_perm(actor, "opencalls.book_interview", interview)
    slot = InterviewSlot.objects.select_for_update().get(pk=slot.pk)
    if slot.call_id != interview.call_id:
        raise PortalError(_("Choose one of this call's slots."), field="slot")
    if slot.starts_at <= timezone.now():
        raise PortalError(_("This slot has passed: choose another."), field="slot")
    taken = Interview.objects.filter(slot=slot).exclude(pk=interview.pk).exists()
    if taken:
        raise PortalError(_("Someone has just booked this slot: choose another."), field="slot")
    ensure_transition(
        InterviewStatus(interview.status), InterviewStatus.BOOKED, INTERVIEW_TRANSITIONS
    )
    interview.slot = slot
    interview.status = InterviewStatus.BOOKED
    try:
        with transaction.atomic():
            interview.save(update_fields=["slot", "status", "updated_at"])
    except IntegrityError as error:
        raise PortalError(
            _("Someone has just booked this slot: choose another."), field="slot"
        ) from error
    log_action(
        "opencalls.evaluation.interview.book",
        actor=actor,
        target=interview.proposal,
        data={"slot": slot.pk},
    )
    email_queue(
        to=interview.proposal.applicant.email,
        template="opencalls/evaluation/interview_booked",
        context={
            "proposal": interview.proposal,
            "call": interview.call,
            "slot": slot,
            "when": _local(slot.starts_at, interview.call),
            "url": absolute_url("opencalls:evaluation:interview_book", interview.proposal_id),
        },
    )
    return interview


@transaction.atomic
def interview_record(*, interview: Interview, actor, score, notes: str = "") -> Interview:
    """The panel records the interview's score (0 to the call's interview maximum, in half
    points) and notes; the final ranking combines it with the written score as the call says.
    Managers only."""
    require_perm(actor, "opencalls.manage_evaluation")
    interview = (
        Interview.objects.select_for_update(of=("self",))
        .select_related("call")
        .get(pk=interview.pk)
    )
    _ensure_evaluating(interview.call)
    maximum = selectors.settings_for(interview.call).interview_max_score
    try:
        value = validate_score(score, max_score=maximum)
    except ScoreError as error:
        raise PortalError(score_error_message(error), field="score") from error
    if interview.status != InterviewStatus.HELD:
        ensure_transition(
            InterviewStatus(interview.status), InterviewStatus.HELD, INTERVIEW_TRANSITIONS
        )
    interview.status = InterviewStatus.HELD
    interview.score = value
    interview.panel_notes = notes.strip()
    interview.held_at = interview.held_at or timezone.now()
    interview.recorded_by = actor
    interview.save()
    log_action(
        "opencalls.evaluation.interview.record",
        actor=actor,
        target=interview.proposal,
        data={"score": str(value)},
    )
    return interview
