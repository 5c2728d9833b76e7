"""Reminders of deliverables that are due soon or overdue."""

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from ai4media_portal.accounts.selectors import emails_of
from ai4media_portal.core.links import absolute_url
from ai4media_portal.core.outbox import email_queue
from ai4media_portal.core.roles import Role

from ..enums import ReminderKind
from ..models import Deliverable, DeliverableReminder


def _remind_once(deliverable: Deliverable, kind: ReminderKind) -> bool:
    """Record a reminder; False when it had been sent already (the unique constraint decides,
    so two workers running at once never both send)."""
    try:
        with transaction.atomic():
            DeliverableReminder.objects.create(
                deliverable=deliverable, kind=kind, due_date=deliverable.due_date
            )
    except IntegrityError:
        return False
    return True


def reminders_send(*, today: date | None = None) -> dict[str, int]:
    """Daily: remind projects' teams of what is due within 7 days and tomorrow, and send call
    managers a digest when items have become overdue. Each reminder is sent once per
    deliverable and due date, however often this runs."""
    from ..selectors import outstanding_deliverables

    today = today or timezone.localdate()
    sent = {"due_soon": 0, "due_tomorrow": 0, "overdue": 0}
    upcoming = outstanding_deliverables().filter(
        due_date__gte=today, due_date__lte=today + timedelta(days=7)
    )
    for deliverable in upcoming:
        days_left = (deliverable.due_date - today).days
        kind = ReminderKind.DUE_TOMORROW if days_left <= 1 else ReminderKind.DUE_SOON
        with transaction.atomic():
            if not _remind_once(deliverable, kind):
                continue
            email_queue(
                to=deliverable.project.team_emails,
                template="opencalls/deliverable_due",
                context={
                    "deliverable": deliverable,
                    "project": deliverable.project,
                    "days_left": days_left,
                    "url": absolute_url("opencalls:project", deliverable.project_id),
                },
            )
        sent["due_tomorrow" if kind == ReminderKind.DUE_TOMORROW else "due_soon"] += 1

    overdue = list(outstanding_deliverables().filter(due_date__lt=today))
    with transaction.atomic():
        new = [d for d in overdue if _remind_once(d, ReminderKind.OVERDUE)]
        managers = emails_of(Role.CALL_MANAGER)
        if new and managers:
            new_ids = {d.pk for d in new}
            email_queue(
                to=managers,
                template="opencalls/overdue_digest",
                context={
                    "items": [(d, d.pk in new_ids, (today - d.due_date).days) for d in overdue],
                    "new_count": len(new),
                    "url": absolute_url("opencalls:manage_projects"),
                },
            )
            sent["overdue"] = len(new)
    return sent
