"""The portal's Celery application: JSON only, tasks found in every installed app."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ai4media_portal.settings.dev")

app = Celery("ai4media_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
