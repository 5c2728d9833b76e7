"""Each signed-in person's own list pages, kept for that person until anything in the database
changes.

A signed-in page costs tens of milliseconds to build (its queries, then 25 to 50 rendered
rows), and people page back and forth through the same lists and reload the same dashboard
many times between two changes. This cache keeps each rendered page for the one person and
session that asked for it, and throws every entry away at once when the database changes.

Who sees an entry: only the request that could have rendered it. The key holds the user, the
session key and the CSRF cookie (the page's CSRF token belongs to them), the full URL, the
language, the timezone and whether htmx asked. Nothing is ever shared between two people; the
browser is still told ``Cache-Control: private, no-store``
(``core.middleware.ConfidentialResponsesMiddleware``), so no shared HTTP cache keeps it.

When an entry stops being served: every statement that writes a row (``INSERT``, ``UPDATE``,
``DELETE``, through a service, the admin, ``QuerySet.update``, ``bulk_create`` or a task in
a worker) gives the whole cache a new version token once its transaction commits. The check
sits in the database connection itself (``connect_write_watch``), so no write path can forget
it. The version covers everything a page may depend on: the data it lists, the viewer's roles
(Django groups) and organisation contacts, and therefore the permission check the view made,
which a cached page skips. Writes to the session table alone do not count (signing in
elsewhere changes no page). Pages whose content changes with the clock expire when the
pillars' clocks say (``public_data.seconds_until_change``) and after
``PRIVATE_CACHE_TIMEOUT`` seconds in any case, a bound for writes made outside Django
(``psql``) that the watch cannot see.

What is never stored: anything but a complete 200 to a GET; a response that sets a cookie,
rotates the CSRF token or changes the session; a request with messages waiting to be shown
(they are shown on the page that is rendered for them); a page whose CSRF token belongs to a
secret that the browser does not hold yet. htmx fragments are stored apart from full pages.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from functools import partial, wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language

from .htmx import is_htmx
from .public_cache import KEPT_HEADERS, SCOPES, lookup_versioned, new_token, store_versioned

logger = logging.getLogger(__name__)

VERSION_KEY = "private-version:1"
# Tables whose writes change no page: the session store (written by signing in anywhere).
UNWATCHED_TABLES = frozenset({"django_session"})
_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z0-9_]+)"?', re.I)


def _cache():
    alias = settings.PRIVATE_CACHE_ALIAS
    return caches[alias] if alias else None


# --- Invalidation ------------------------------------------------------------------------------


def private_data_changed(using: str = "default") -> None:
    """Give the private cache a new version once the current transaction on ``using`` commits
    (at once outside a transaction). Cache errors are logged, never raised."""
    connection = transaction.get_connection(using)
    if connection.in_atomic_block:
        # One bump per transaction is enough. Django gives ``run_on_commit`` a new list when
        # a transaction or a savepoint ends, so a bump queued on the current list, at the
        # current savepoint depth, is still to come. (Constant time: a bulk load writes
        # thousands of rows in one transaction.)
        pending, depth = connection.run_on_commit, tuple(connection.savepoint_ids)
        queued = getattr(connection, "_private_bump_queued", None)
        if queued is not None and queued[0] is pending and queued[1] == depth:
            return
        connection._private_bump_queued = (pending, depth)
    transaction.on_commit(_bump, using=using, robust=True)


def _bump() -> None:
    cache = _cache()
    if cache is None:
        return
    try:
        cache.set(VERSION_KEY, new_token(), timeout=None)
    except Exception:  # a cache outage must not fail a committed write
        logger.exception("Could not invalidate the private page cache")


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if sql[:6].upper() in ("INSERT", "UPDATE", "DELETE"):
        match = _WRITE.match(sql)
        table = match.group(1) if match else ""
        rowcount = getattr(context.get("cursor"), "rowcount", -1)
        if table not in UNWATCHED_TABLES and rowcount != 0:
            private_data_changed(context["connection"].alias)
    return result


def connect_write_watch(sender=None, connection=None, **kwargs) -> None:
    """Watch every write on ``connection`` (the ``connection_created`` signal's receiver)."""
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


# --- Pages -------------------------------------------------------------------------------------


def _page_key(request) -> str:
    identity = "|".join(
        [
            str(request.user.pk),
            request.session.session_key or "",
            request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
            request.build_absolute_uri(),
            get_language() or "",
            timezone.get_current_timezone_name(),
            "htmx" if is_htmx(request) else "",
        ]
    )
    return "private-page:1:" + hashlib.sha256(identity.encode()).hexdigest()


def _usable(request) -> bool:
    """A signed-in GET with a saved session and no message waiting to be shown."""
    return (
        request.method in ("GET", "HEAD")
        and request.user.is_authenticated
        and request.session.session_key is not None
        and not request.COOKIES.get(CookieStorage.cookie_name)
        and "_messages" not in request.session
    )


def _storable(request, response) -> bool:
    messages = getattr(request, "_messages", None)
    csrf_cookie = settings.CSRF_COOKIE_NAME
    return (
        response.status_code == 200
        and not getattr(request, "_csp_nonce", None)
        and not response.streaming
        and not response.cookies
        # The page's CSRF token must belong to the cookie in the key: a page that made a new
        # secret (no cookie yet, or a rotation) is not kept. Django marks every use of the
        # token "needs update" only to refresh the cookie's age, which says nothing here.
        and request.META.get("CSRF_COOKIE", "") == request.COOKIES.get(csrf_cookie, "")
        and not request.session.modified
        and not (messages is not None and (messages.added_new or messages.used))
    )


def serve_private(request, render: Callable[[], HttpResponse]) -> HttpResponse:
    """``render()``'s response, from this person's cache when nothing was written since it was
    rendered for them. ``render`` checks permissions and returns a rendered response."""
    cache = _cache()
    if cache is None or not _usable(request):
        return render()
    key = _page_key(request)
    try:
        page, versions = lookup_versioned(cache, key, (VERSION_KEY,))
    except Exception:  # without the cache, pages are rendered as usual
        logger.exception("The private page cache is unavailable")
        return render()
    if page is not None:
        content, headers = page
        response = HttpResponse(content, headers=dict(headers))
        response["X-Cache"] = "HIT"
        return response
    response = render()
    if getattr(response, "is_rendered", True) is False:
        response.render()
    if versions is not None and _storable(request, response):
        headers = tuple(
            (name, response[name]) for name in KEPT_HEADERS if response.has_header(name)
        )
        store_versioned(
            cache,
            key,
            versions,
            SCOPES,
            (response.content, headers),
            timeout=settings.PRIVATE_CACHE_TIMEOUT,
        )
        response["X-Cache"] = "MISS"
    return response


def private_page(view):
    """Decorate a signed-in view whose page depends only on the database and the viewer: a
    list, a queue, a dashboard. Not for forms that show what was just typed."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return serve_private(request, partial(view, request, *args, **kwargs))

    return wrapper
