"""One integration test with a real Celery worker on Redis (skipped without REDIS_URL)."""

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from ai4media_portal.core.enums import EmailStatus
from ai4media_portal.core.outbox import email_queue
from tests.utils import celery_broker

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs a real Redis (REDIS_URL)"),
]


@pytest.fixture
def redis_worker():
    # A Redis database of its own so that a parallel test process never takes our task.
    base = os.environ["REDIS_URL"].rsplit("/", 1)[0]
    worker_number = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    url = f"{base}/{10 + worker_number}"
    with (
        celery_broker(url) as app,
        start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10),
    ):
        yield


def _wait_until_sent(email, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        email.refresh_from_db()
        if email.status == EmailStatus.SENT:
            return
        time.sleep(0.1)


def test_real_worker_delivers_outbox_email(redis_worker):
    # Outside a transaction the email is handed to Redis at once; the worker thread sends it.
    email = email_queue(to="worker@example.org", subject="Via Redis", body_text="x")
    _wait_until_sent(email)
    assert email.status == EmailStatus.SENT
    assert email.attempts == 1
    assert [m.subject for m in mail.outbox] == ["[AI4Media] Via Redis"]
