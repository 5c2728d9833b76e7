"""Gunicorn's settings for production (the image, docker-compose) and the web benchmark.

Chosen by measuring with ``make bench-web`` on 2 cores (README, "Performance"): see there
for the alternatives tried. Environment: ``WEB_CONCURRENCY`` (workers), ``WEB_THREADS``
(threads per worker), ``GUNICORN_BIND``.
"""

import gc
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("WEB_THREADS", "1"))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread" if threads > 1 else "sync")
keepalive = 5
timeout = 30
graceful_timeout = 30
# Load the portal once in the master: workers share its memory and start at once.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"


def when_ready(server):
    # The objects loaded so far live as long as the process: keep the garbage collector from
    # walking them on every full collection (pauses of tens of milliseconds otherwise).
    if preload_app:
        gc.freeze()
