from django.apps import AppConfig
from django.db import connections
from django.db.backends.signals import connection_created
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
        from .private_cache import connect_write_watch
        from .public_cache import connect_public_models
        from .vocabulary import ensure_reference_rows

        post_migrate.connect(ensure_reference_rows, sender=self)
        connect_public_models()
        connection_created.connect(connect_write_watch, dispatch_uid="private-cache-writes")
        for connection in connections.all(initialized_only=True):
            connect_write_watch(connection=connection)
        # Tasks carry the id of the request that queued them (core.logs).
        connect_signals()
