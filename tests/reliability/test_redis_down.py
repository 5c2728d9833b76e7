"""Redis stops: the portal keeps serving pages, the API and sign-in; rate limits keep counting
(in the database); the health endpoints tell liveness from readiness; emails queued meanwhile
are delivered once Redis is back, by the sweep, none twice.

Each test starts a Redis of its own (``redis_server``) and kills it: no mock.
"""

import logging
import time

import pytest
from django.core import mail
from django.core.cache import caches
from rest_framework.throttling import AnonRateThrottle

from ai4media_portal.core.enums import EmailStatus
from ai4media_portal.core.models import OutboundEmail
from ai4media_portal.core.outbox import email_queue
from ai4media_portal.core.tasks import outbox_sweep
from tests.concurrency import run_in_parallel
from tests.factories import UserFactory
from tests.faults import resilient_caches
from tests.utils import celery_broker

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long enough password"


@pytest.fixture
def on_redis(settings, redis_server, monkeypatch):
    """The production cache, rate limits and broker, all on the test's Redis."""
    settings.CACHES = resilient_caches(redis_server.url(1))
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = redis_server.url(0)
    rates = {"anon": "5/min", "user": "1000/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", rates)
    caches["fallback"].clear()  # a table: transactional tests do not empty it
    with celery_broker(redis_server.url(0)):
        yield redis_server
    caches["fallback"].clear()


def _sign_in(client, email, password):
    return client.post("/accounts/login/", {"login": email, "password": password})


def test_pages_api_and_sign_in_work_while_redis_is_down(on_redis, client, caplog):
    user = UserFactory(password=PASSWORD)
    assert client.get("/").status_code == 200
    on_redis.stop()

    caplog.set_level(logging.ERROR, logger="ai4media_portal.core.cache")
    started = time.monotonic()
    answers = [client.get(url).status_code for url in ["/", "/network/", "/calls/"] * 5]
    api = [client.get("/api/v1/organisations/").status_code for _ in range(6)]
    seconds = time.monotonic() - started
    assert answers == [200] * 15
    # The API's throttle still counts (in the database): the sixth anonymous call is refused.
    assert api == [200] * 5 + [429]
    assert seconds < 10, f"{len(answers) + len(api)} requests took {seconds:.1f} s"

    # A member signs in and sees their own pages.
    response = _sign_in(client, user.email, PASSWORD)
    assert response.status_code == 302
    assert client.get("/me/profile/").status_code == 200
    client.logout()

    # Wrong passwords are still limited (5 per 5 minutes per account), not let through.
    wrong = [_sign_in(client, user.email, "wrong password") for _ in range(6)]
    assert [r.status_code for r in wrong] == [200] * 6
    limited = ["Too many failed login attempts" in r.content.decode() for r in wrong]
    assert limited == [False] * 5 + [True]
    # Even the right password is refused until the limit's window has passed.
    assert _sign_in(client, user.email, PASSWORD).status_code == 200
    # A TOTP code is still accepted once only (allauth's replay guard, cache.add).
    used = "allauth.mfa.totp.used?user=1&code=123456"
    assert [caches["default"].add(used, "y", 30) for _ in range(2)] == [True, False]
    # The outage is logged once for all these requests, not once per request.
    outage_logs = [r for r in caplog.records if "unreachable" in r.getMessage()]
    assert len(outage_logs) == 1


def test_health_is_live_and_reports_the_broker_down_as_degraded(on_redis, client):
    assert client.get("/healthz/ready").json() == {
        "status": "ok",
        "database": "ok",
        "broker": "ok",
        "cache": "ok",
    }
    on_redis.stop()
    live = client.get("/healthz/live")
    ready = client.get("/healthz/ready")
    assert (live.status_code, live.json()) == (200, {"status": "ok"})
    assert ready.status_code == 200
    assert ready.json() == {
        "status": "degraded",
        "database": "ok",
        "broker": "error",
        "cache": "error",
    }
    # The alerting endpoint says what is wrong.
    assert client.get("/healthz").status_code == 503


def test_emails_queued_during_the_outage_are_delivered_once_after_it(on_redis, settings):
    before = email_queue(to="before@example.org", subject="Before", body_text="x")
    before.refresh_from_db()
    on_redis.stop()
    started = time.monotonic()
    during = [
        email_queue(to=f"during{i}@example.org", subject=f"During {i}", body_text="x")
        for i in range(10)
    ]
    assert time.monotonic() - started < 10  # publishing fails fast, the request goes on
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {EmailStatus.QUEUED}

    on_redis.start()
    # The sweep (Celery beat, every two minutes) and a second sweep racing it deliver each
    # queued message once.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    run_in_parallel(2, lambda i: outbox_sweep.apply().get())
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {EmailStatus.SENT}
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == sorted(["[AI4Media] Before"] + [f"[AI4Media] During {i}" for i in range(10)])
    assert all(e.attempts == 1 for e in OutboundEmail.objects.filter(pk__in=[d.pk for d in during]))


def test_what_changed_while_redis_hung_is_not_served_stale_after_it(on_redis, caplog):
    """A hung Redis (SIGSTOP keeps its data): a value replaced during the outage must not
    come back from Redis's old copy once it answers again (say, a session signed out)."""
    cache = caches["default"]
    cache.set("session-like", "signed in")
    on_redis.freeze()
    try:
        cache.set("session-like", "signed out")  # not stored: Redis does not answer
        assert cache.get("session-like") is None  # served without a cache
    finally:
        on_redis.thaw()
    time.sleep(0.3)  # RETRY_AFTER in these tests: 0.2 s
    assert cache.get("session-like") is None  # the stale copy was deleted, not served
    cache.set("session-like", "fresh")
    assert cache.get("session-like") == "fresh"
    messages = [r.getMessage() for r in caplog.records if r.name == "ai4media_portal.core.cache"]
    assert [m.split(" (")[0].split(" at ")[1] for m in messages] == [
        f"{on_redis.url(1)} unreachable",
        f"{on_redis.url(1)} answers again",
    ]


def test_an_assignment_run_started_while_redis_is_down_is_failed_with_the_reason(on_redis):
    from opencalls.evaluation import services
    from opencalls.evaluation.enums import RunStatus
    from opencalls.evaluation.wording import issue_text
    from tests.opencalls.evaluation.factories import call_under_evaluation, pool_evaluator

    call, _, manager = call_under_evaluation(proposals=2)
    pool_evaluator(call)
    on_redis.stop()
    run = services.assignment_run_start(call=call, actor=manager)  # no error for the manager
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert "could not be handed to the background worker" in issue_text(run.issues[0])

    on_redis.start()
    again = services.assignment_run_start(call=call, actor=manager)
    again.refresh_from_db()
    assert again.status == RunStatus.QUEUED  # in Redis, for the worker
