"""Celery tasks of the Observatory: thin, the services do the work."""

from celery import shared_task

from .services import content_publish_due


@shared_task(name="observatory.publish_due")
def publish_due() -> list[int]:
    """Every minute (``CELERY_BEAT_SCHEDULE``): publish the scheduled pieces that are due."""
    return content_publish_due()
