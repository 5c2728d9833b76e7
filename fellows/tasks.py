"""Celery tasks of the fellows programme: thin, the services do the work."""

from celery import shared_task

from .services import send_report_reminders


@shared_task(name="fellows.send_report_reminders")
def report_reminders() -> int:
    """Daily (Celery beat): remind fellows a week before and on the day their report is due;
    each reminder goes once however often this runs. Returns how many went out."""
    return send_report_reminders()
