"""Celery tasks of open calls: thin, ids in, the services do the work."""

from celery import shared_task

from .services.reminders import reminders_send


@shared_task(name="opencalls.send_reminders")
def send_reminders() -> dict[str, int]:
    """Daily: deadline reminders to funded projects' teams, overdue digest to call managers."""
    return reminders_send()
