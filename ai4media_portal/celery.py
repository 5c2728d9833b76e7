"""The portal's Celery application: JSON only, tasks found in every installed app.

DJANGO_SETTINGS_MODULE comes from the environment (docker-compose, `make run`); it is not
defaulted here because importing the package must not choose settings for other programs.
"""

from celery import Celery

app = Celery("ai4media_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
