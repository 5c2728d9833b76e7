"""What the health endpoints report, for an orchestrator and for operators.

* ``/healthz/live`` (liveness): the process answers; it checks nothing else, so that a Redis or
  database outage never gets a healthy web process restarted in a loop.
* ``/healthz/ready`` (readiness): can this process serve pages? 503 only when the database is
  unreachable (nothing can be served without it). The broker and the cache are reported by
  name; their being down makes the answer ``degraded``, still 200, because every page that does
  not need a background task keeps working without them (README, "When things fail").
* ``/healthz``: every dependency must answer (503 otherwise), for monitoring that alerts.
"""

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


def cache_status() -> str:
    """``ok``, ``error`` (Redis unreachable: pages are served without a cache), or ``local``
    when the cache is not Redis (development, tests)."""
    from django.core.cache import caches

    client = getattr(caches["default"], "_cache", None)  # RedisCache's client, if Redis
    if not hasattr(client, "get_client"):
        return "local"
    try:
        client.get_client().ping()
    except Exception:  # noqa: BLE001
        return "error"
    return "ok"


def readiness() -> tuple[int, dict]:
    """(HTTP status, body) of ``/healthz/ready``: 503 without the database; ``degraded`` when
    the broker or the cache is down."""
    checks = {"database": database_status(), "broker": broker_status(), "cache": cache_status()}
    if checks["database"] != "ok":
        return 503, {"status": "error", **checks}
    degraded = "error" in (checks["broker"], checks["cache"])
    return 200, {"status": "degraded" if degraded else "ok", **checks}
