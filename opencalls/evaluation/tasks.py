"""Celery tasks of the evaluation: thin, ids in, the services do the work."""

from celery import shared_task

from .services.reminders import review_reminders_send
from .services.runs import assignment_run_execute


@shared_task(name="opencalls.evaluation.run_assignment")
def run_assignment(run_id: int) -> str:
    """Run a queued automatic assignment; its progress and outcome are recorded on the run."""
    return assignment_run_execute(run_id=run_id).status


@shared_task(name="opencalls.evaluation.send_review_reminders")
def send_review_reminders() -> dict[str, int]:
    """Daily: evaluators hear three days and one day before their review deadline; call
    managers get the list of overdue reviews."""
    return review_reminders_send()
