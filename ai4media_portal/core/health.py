"""What /healthz reports: can the portal reach its database and its broker?"""

from functools import lru_cache

from django.conf import settings
from django.db import connection


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure means unhealthy
        return "error"
    return "ok"


@lru_cache(maxsize=4)
def _broker_client(url: str):
    # One client per worker, whose pool keeps its connection: probes come every few seconds
    # and must not each open a new one.
    import redis

    return redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)


def broker_status() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    try:
        _broker_client(settings.CELERY_BROKER_URL).ping()
    except Exception:  # noqa: BLE001
        return "error"
    return "ok"
