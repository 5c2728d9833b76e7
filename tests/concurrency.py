"""Running requests at the same moment, for the tests of every limit and every idempotent
create or submit.

``run_in_parallel(n, fn)`` starts ``n`` threads that wait at a barrier and then call
``fn(i)`` together; each thread works on its own database connection (Django gives one per
thread) and closes it when done. Use it in ``@pytest.mark.django_db(transaction=True)`` tests,
so the threads see the committed test data and really contend for rows and constraints::

    results = run_in_parallel(2, lambda i: services.proposal_submit(proposal=p, actor=user))

``fn`` may call services, or send requests through its own ``django.test.Client`` (see
``parallel_clients``): both run the real code path, locks and all.
"""

import threading
from collections.abc import Callable

from django.db import connections
from django.test import Client


class ParallelFailure(AssertionError):
    pass


def run_in_parallel(n: int, fn: Callable[[int], object], *, timeout: float = 60) -> list:
    """Call ``fn(0)``, …, ``fn(n - 1)`` in ``n`` threads released together; return their
    results in order. An exception raised in a thread is returned in its place (tests assert
    on it); a thread still running after ``timeout`` seconds fails the test."""
    barrier = threading.Barrier(n, timeout=timeout)
    results: list = [None] * n

    def work(i: int) -> None:
        try:
            barrier.wait()
            results[i] = fn(i)
        except BaseException as error:  # noqa: BLE001 — handed back to the test
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    if any(thread.is_alive() for thread in threads):
        raise ParallelFailure(f"a request did not finish within {timeout} seconds")
    return results


def parallel_clients(n: int, user) -> list[Client]:
    """``n`` test clients signed in as ``user`` (one session each, like tabs or retries), one
    per thread of ``run_in_parallel``."""
    clients = []
    for _ in range(n):
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def live_sessions(n: int, user):
    """``n`` HTTP sessions (``requests``) signed in as ``user``, for races against a real
    server: pytest-django's ``live_server``, threaded, every request on its own database
    connection, with the whole middleware stack (CSRF included). Pass the full URL::

        sessions = live_sessions(50, manager)
        url = live_server.url + f"/calls/tranches/{tranche.pk}/release/"
        responses = run_in_parallel(50, lambda i: sessions[i].post(url, allow_redirects=False))
    """
    import requests
    from django.conf import settings
    from django.utils.crypto import get_random_string

    sessions = []
    for client in parallel_clients(n, user):
        session = requests.Session()
        session.cookies.set(
            settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value
        )
        # A CSRF secret of the session's own, sent back in the header as a page's script does.
        secret = get_random_string(32)
        session.cookies.set(settings.CSRF_COOKIE_NAME, secret)
        session.headers["X-CSRFToken"] = secret
        sessions.append(session)
    return sessions
