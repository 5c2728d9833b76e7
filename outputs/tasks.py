"""Celery tasks of the outputs: thin, the services do the work."""

from zoneinfo import ZoneInfo

from celery import shared_task
from django.utils import timezone

from .services import embargoes_lift


@shared_task(name="outputs.lift_embargoes")
def lift_embargoes() -> int:
    """Daily (00:05 UTC, after midnight in Brussels): open the outputs whose embargo ended,
    the date being the day in Europe/Brussels."""
    return embargoes_lift(today=timezone.localdate(timezone=ZoneInfo("Europe/Brussels")))
