"""Interviews and their slots."""

from django.db.models import QuerySet
from django.utils import timezone

from ...models import Call, Proposal
from ..models import Interview, InterviewSlot


def interview_of(proposal: Proposal) -> Interview | None:
    """The proposal's interview, with its slot and call, or ``None``."""
    return Interview.objects.filter(proposal=proposal).select_related("slot", "call").first()


def free_slots(call: Call, *, now=None) -> QuerySet[InterviewSlot]:
    """The call's slots still to come that no interview has taken."""
    return InterviewSlot.objects.filter(
        call=call, starts_at__gt=now or timezone.now(), interview__isnull=True
    )


def bookable_slots(interview: Interview, *, now=None) -> QuerySet[InterviewSlot]:
    """The slots ``interview`` may take, by start: the call's free slots, and the one it
    already holds (so keeping it is a choice too)."""
    slots = free_slots(interview.call, now=now)
    if interview.slot_id:
        slots = slots | InterviewSlot.objects.filter(pk=interview.slot_id)
    return slots.order_by("starts_at")


def call_interviews(call: Call) -> list[Interview]:
    """The call's interviews by track, then slot, for the call managers."""
    return list(
        Interview.objects.filter(call=call)
        .select_related("proposal__call", "proposal__current_version__track", "slot")
        .order_by("proposal__current_version__track__order", "slot__starts_at", "pk")
    )


def call_slots(call: Call) -> list[InterviewSlot]:
    """The call's slots, with the interview that took each one, if any."""
    return list(InterviewSlot.objects.filter(call=call).select_related("interview__proposal__call"))
