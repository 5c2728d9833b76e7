"""The AI4Media Virtual Centre of Excellence portal."""

from .celery import app as celery_app

__all__ = ("celery_app",)
