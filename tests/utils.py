"""Test helpers every pillar reuses."""

from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url: str) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries), response


def assert_constant_queries(client, url: str, add_item: Callable[[], object]) -> int:
    """Fetch ``url`` with one item and again with three; the query count must not grow.

    ``add_item`` creates one more item that the page lists. Returns the query count so a test
    can also pin it with ``==``.
    """
    add_item()
    with_one, _ = count_queries(client, url)
    add_item()
    add_item()
    with_three, _ = count_queries(client, url)
    assert with_one == with_three, (
        f"{url}: {with_one} queries with 1 item but {with_three} with 3 — "
        "a query runs per item (missing select_related/prefetch_related?)"
    )
    return with_three


@dataclass(frozen=True)
class Access:
    """One row of a permission matrix: ``who`` doing ``method`` on ``url`` gets ``status``."""

    method: str
    url: str
    who: str
    status: int
    data: dict | None = None

    def __str__(self) -> str:
        return f"{self.who}-{self.method}-{self.url}-{self.status}"


def request_as(client, user, method: str, url: str, data: dict | None = None):
    client.logout()
    if user is not None:
        client.force_login(user)
    call = getattr(client, method.lower())
    return call(url, data) if data is not None else call(url)


def check_matrix(client, people: dict, rows: Iterable[Access]) -> None:
    """Run every row and report all mismatches at once."""
    failures = []
    for row in rows:
        response = request_as(client, people[row.who], row.method, row.url, row.data)
        if response.status_code != row.status:
            failures.append(f"{row}: got {response.status_code}")
    assert not failures, "\n".join(failures)


@contextmanager
def celery_broker(url: str, *, eager: bool = False, result_backend: str | None = None):
    """Point the Celery app at another broker for the duration (a dead port simulates an
    outage; a real Redis runs a worker), then restore eager mode."""
    from ai4media_portal.celery import app

    conf = app.conf
    saved = (conf.task_always_eager, conf.broker_url, conf.result_backend)

    def fresh_connections():
        # Drop the app's references to its connection and producer pools (what Celery does
        # after a fork) so that the next publish connects to the broker now configured.
        app._after_fork()

    fresh_connections()
    conf.task_always_eager, conf.broker_url, conf.result_backend = eager, url, result_backend
    try:
        yield app
    finally:
        fresh_connections()
        conf.task_always_eager, conf.broker_url, conf.result_backend = saved
