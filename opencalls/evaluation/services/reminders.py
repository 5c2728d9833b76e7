"""Review reminders before and after an evaluator's deadline."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from ai4media_portal.accounts.selectors import emails_of
from ai4media_portal.core.links import absolute_url
from ai4media_portal.core.outbox import email_queue
from ai4media_portal.core.roles import Role

from ...enums import CallStage
from .. import selectors
from ..enums import EVALUATED_STATES, ReviewReminderKind, ReviewStatus
from ..models import Assignment, ReviewReminder
from ..predicates import conflicted
from .common import _local

# --- Reminders --------------------------------------------------------------------------------


def _remind_once(assignment: Assignment, kind: ReviewReminderKind, deadline) -> bool:
    try:
        with transaction.atomic():
            ReviewReminder.objects.create(assignment=assignment, kind=kind, deadline=deadline)
    except IntegrityError:
        return False
    return True


def review_reminders_send(*, now=None) -> dict[str, int]:
    """Daily: remind evaluators of unsubmitted reviews three days and one day before their
    deadline (once each, per deadline: an extension starts afresh), and send call managers the
    list of overdue reviews when new ones appear. Evaluators are reminded only of what they may
    still see (no conflicts, pool joined)."""
    now = now or timezone.now()
    sent = {"three_days": 0, "one_day": 0, "overdue": 0}
    assignments = list(
        Assignment.objects.filter(call__stage=CallStage.UNDER_EVALUATION)
        .exclude(review__status=ReviewStatus.SUBMITTED)
        .filter(proposal__status__in=EVALUATED_STATES)
        .filter(~conflicted())
        .select_related(
            "call__evaluation_settings", "evaluator", "proposal__call", "proposal__current_version"
        )
        .order_by("call_id", "evaluator_id", "proposal__number")
    )
    due: dict[tuple[int, str], list] = {}
    overdue: dict[int, list] = {}
    for a in assignments:
        deadline = a.deadline(selectors.settings_for(a.call).review_deadline)
        if deadline is None:
            continue
        left = deadline - now
        if left <= timedelta(0):
            overdue.setdefault(a.call_id, []).append((a, deadline))
        elif left <= timedelta(days=1):
            due.setdefault((a.evaluator_id, ReviewReminderKind.ONE_DAY), []).append((a, deadline))
        elif left <= timedelta(days=3):
            due.setdefault((a.evaluator_id, ReviewReminderKind.THREE_DAYS), []).append(
                (a, deadline)
            )
    for (_evaluator_id, kind), items in due.items():
        with transaction.atomic():
            fresh = [(a, d) for a, d in items if _remind_once(a, kind, d)]
            if not fresh:
                continue
            evaluator = fresh[0][0].evaluator
            email_queue(
                to=evaluator.email,
                template="opencalls/evaluation/review_reminder",
                context={
                    "evaluator": evaluator,
                    "items": [(a, _local(d, a.call)) for a, d in fresh],
                    "tomorrow": kind == ReviewReminderKind.ONE_DAY,
                    "url": absolute_url("opencalls:evaluation:home"),
                },
            )
        sent["one_day" if kind == ReviewReminderKind.ONE_DAY else "three_days"] += len(fresh)
    managers = emails_of(Role.CALL_MANAGER)
    for items in overdue.values():
        with transaction.atomic():
            new = [(a, d) for a, d in items if _remind_once(a, ReviewReminderKind.OVERDUE, d)]
            if not new or not managers:
                continue
            call = new[0][0].call
            email_queue(
                to=managers,
                template="opencalls/evaluation/overdue_reviews",
                context={
                    "call": call,
                    "items": [(a, _local(d, call)) for a, d in items],
                    "new_count": len(new),
                    "url": absolute_url("opencalls:evaluation:manage", call.number),
                },
            )
        sent["overdue"] += len(new)
    return sent
