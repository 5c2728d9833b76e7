from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ai4media_portal.core"
    label = "core"
    verbose_name = _("Portal core")

    def ready(self):
        # Register the outbox's tasks in every process: services queue them by name, which
        # runs them in place when Celery is eager (tests, a local run without Redis).
        from . import tasks  # noqa: F401
        from .logs import connect_signals
        from .public_cache import connect_public_models
        from .vocabulary import ensure_reference_rows

        post_migrate.connect(ensure_reference_rows, sender=self)
        connect_public_models()
        # Tasks carry the id of the request that queued them (core.logs).
        connect_signals()
