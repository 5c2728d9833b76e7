from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpencallsConfig(AppConfig):
    name = "opencalls"
    verbose_name = _("Open calls")

    def ready(self):
        # django-rules and Celery find ``opencalls.rules`` and ``opencalls.tasks`` themselves,
        # not the evaluation's, which live in a sub-package. Tasks are registered in every
        # process because services queue them by name (run in place when Celery is eager).
        from . import tasks  # noqa: F401
        from .evaluation import rules  # noqa: F401
        from .evaluation import tasks as evaluation_tasks  # noqa: F401
