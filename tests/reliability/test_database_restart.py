"""PostgreSQL restarts (every connection ended with ``pg_terminate_backend``): the next request
and the next task succeed without restarting the web or the workers (``CONN_HEALTH_CHECKS``),
and a transaction cut off half-way leaves nothing behind."""

import time
from io import BytesIO

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test.client import RequestFactory

from ai4media_portal.core.enums import EmailStatus
from ai4media_portal.core.models import OutboundEmail
from ai4media_portal.core.outbox import email_queue
from opencalls.enums import ProposalStatus
from opencalls.evaluation import services
from opencalls.evaluation.enums import RunProgress, RunStatus
from opencalls.evaluation.models import Assignment, AssignmentRun
from opencalls.models import Proposal
from tests.faults import terminate_connections, wait_for
from tests.opencalls.evaluation.factories import call_under_evaluation, pool_evaluator
from tests.utils import celery_broker

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _serve(handler, path: str) -> int:
    """One request through the real WSGI entry point (unlike the test client, it runs the
    request_started signal that checks the connection, as gunicorn's workers do)."""
    environ = RequestFactory().get(path).environ
    environ["wsgi.input"] = BytesIO()
    status = []
    body = handler(environ, lambda s, headers: status.append(s))
    b"".join(body)
    body.close()
    return int(status[0].split()[0])


def test_the_web_serves_the_next_request_after_the_database_restarts(monkeypatch):
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    # Persistent connections as in production (CONN_MAX_AGE=60, health checks on).
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    connection.close()
    handler = WSGIHandler()
    assert _serve(handler, "/healthz/ready") == 200
    before = connection.connection.info.backend_pid
    assert terminate_connections() >= 1
    started = time.monotonic()
    assert _serve(handler, "/network/") == 200
    recovered = time.monotonic() - started
    assert connection.connection.info.backend_pid != before  # a new connection, silently
    assert recovered < 2


def test_the_worker_runs_the_next_task_after_the_database_restarts(worker):
    with celery_broker(worker.broker_url):
        first = email_queue(to="before-restart@example.org", subject="Before", body_text="x")
        wait_for(lambda: OutboundEmail.objects.filter(pk=first.pk, status="sent").exists())
        # Celery's Django fixup closes the worker's connections after each task, so there may
        # be none to end now: the restart costs the worker nothing (a task in progress is the
        # test below).
        terminate_connections(keep_mine=True)
        started = time.monotonic()
        second = email_queue(to="after-restart@example.org", subject="After", body_text="x")
        wait_for(lambda: OutboundEmail.objects.filter(pk=second.pk, status="sent").exists())
        recovered = time.monotonic() - started
    second.refresh_from_db()
    assert (second.status, second.attempts) == (EmailStatus.SENT, 1)
    assert len(worker.sent_to("after-restart@example.org")) == 1
    assert recovered < 5


def test_a_run_whose_connection_ends_mid_transaction_saves_nothing_and_is_failed(worker):
    call, proposals, manager = call_under_evaluation(proposals=3)
    for _ in range(4):
        pool_evaluator(call, max_proposals=3)
    worker.arm("run")
    with celery_broker(worker.broker_url):
        run = services.assignment_run_start(call=call, actor=manager)
        # The worker has deleted and inserted the assignments, not yet committed: the
        # database goes away under it, then it carries on.
        worker.held_at("run")
        assert terminate_connections(keep_mine=True) >= 1
        worker.release("run")
        wait_for(
            lambda: AssignmentRun.objects.filter(pk=run.pk, status=RunStatus.FAILED).exists(),
            timeout=20,
            what="the run to be failed",
        )
        run.refresh_from_db()
        assert run.step == RunProgress.CRASHED
        assert Assignment.objects.filter(call=call).count() == 0
        assert set(Proposal.objects.filter(call=call).values_list("status", flat=True)) == {
            ProposalStatus.ELIGIBLE
        }
        told = OutboundEmail.objects.get(template="opencalls/evaluation/run_failed")
        wait_for(lambda: OutboundEmail.objects.filter(pk=told.pk, status="sent").exists())
        # Nothing is in the way of running it again.
        again = services.assignment_run_start(call=call, actor=manager)
        wait_for(
            lambda: AssignmentRun.objects.filter(pk=again.pk, status=RunStatus.SUCCEEDED).exists(),
            timeout=30,
            what="the second run",
        )
    assert Assignment.objects.filter(call=call).count() == 3 * len(proposals)
