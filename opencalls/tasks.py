from celery import shared_task

from .services.reminders import reminders_send


@shared_task(name="opencalls.send_reminders")
def send_reminders() -> dict[str, int]:
    """Daily: deadline reminders to funded projects' teams, overdue digest to call managers."""
    return reminders_send()


# The evaluation's tasks (automatic assignment runs, review reminders) register with Celery here.
from .evaluation.tasks import run_assignment, send_review_reminders  # noqa: E402, F401
