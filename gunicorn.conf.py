"""Gunicorn's settings for production (the image, docker-compose) and the web benchmark.

Chosen by measuring with wrk on 2 cores (README, "Performance"): threaded workers with
keep-alive served the cheapest view, cached pages and API lists 1.5–3× faster than sync
workers (which close the connection after every response) and signed-in pages about 2×
faster (a thread waits for the database while another renders). Environment:
``WEB_CONCURRENCY`` (workers, default one per core), ``WEB_THREADS`` (threads per worker,
default 4), ``GUNICORN_BIND``.
"""

import gc
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 2))
threads = int(os.environ.get("WEB_THREADS", "4"))
worker_class = "gthread" if threads > 1 else "sync"
# Browsers and proxies reuse a connection for the next request within these seconds.
keepalive = 5
# A request running longer is killed and logged: no page of the portal needs that long.
timeout = 30
graceful_timeout = 30
# Load the portal once in the master: workers share its memory and start at once.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"


def when_ready(server):
    # What the master has loaded lives as long as the process: the garbage collector need not
    # walk it on every full collection (pauses of tens of milliseconds otherwise).
    if preload_app:
        gc.freeze()


# A worker loads more on its first requests (templates, URL patterns, compiled queries and
# formats), all of which then lives as long as it does. Freezing that too, once, keeps full
# collections short: on 2 cores, OAI-PMH pages of 100 records paused every ~10th page for
# 250–350 ms without it and stayed under 125 ms with it (benchmarks/outputs_bench.py).
WARM_AFTER_REQUESTS = int(os.environ.get("GUNICORN_FREEZE_AFTER", "50"))


def post_request(worker, req, environ, resp):
    served = getattr(worker, "portal_requests_served", 0) + 1
    worker.portal_requests_served = served
    if served == WARM_AFTER_REQUESTS:
        gc.collect()  # what is garbage now is not frozen with the rest
        gc.freeze()
