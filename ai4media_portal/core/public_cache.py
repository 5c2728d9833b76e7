"""The shared cache of what every visitor sees alike: public pages and public API lists.

Only anonymous requests use it — no session cookie, no messages cookie, no ``Authorization``
header — so nothing personal (a name, a CSRF token, a message) can be stored or served from
it; responses to everyone else are marked ``Cache-Control: private``. The cache is the one
every worker process shares (``settings.PUBLIC_CACHE_ALIAS``: Redis when ``REDIS_URL`` is
set, a file cache otherwise), so an invalidation seen by one worker is seen by all.

Invalidation is by versions, never by waiting for a timeout. Each scope (``core`` and each
pillar, named by its app label) has a version token in the cache. An entry records the tokens
of the scopes its page shows, and is served only while they are all unchanged; one round trip
fetches the entry together with the current tokens. A scope lists in ``<app>/public_data.py``
the models its public pages show (``MODELS``): saving or deleting one of them — through a
service, the admin or the shell — gives the scope a new token once the transaction commits.
After the commit, not before: a page rendered from the old data could otherwise be stored
under the new token and outlive the change. Writes that skip model signals (``bulk_create``,
``QuerySet.update``) call ``public_data_changed`` themselves.

Some public data changes with the clock alone (a call opens or closes): such a scope also
defines ``seconds_until_change(now)``, and the entries of pages that show it expire then.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import pickle
import time
import uuid
import zoneinfo
from collections.abc import Callable, Iterable
from functools import partial, wraps
from typing import TypeVar

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

from .htmx import is_htmx
from .pillars import PILLAR_APPS, pillar_modules

logger = logging.getLogger(__name__)

BASE_SCOPE = "core"
SCOPES = (BASE_SCOPE, *PILLAR_APPS)
# Headers a view sets that belong to the content and are kept with it. Everything else
# (security headers, cookies, Content-Length) is added afresh by the middleware and server.
KEPT_HEADERS = ("Content-Type", "Content-Language", "Content-Disposition", "Link")

_clocks: dict[str, Callable] = {}


def _cache():
    alias = settings.PUBLIC_CACHE_ALIAS
    return caches[alias] if alias else None


def _version_key(scope: str) -> str:
    return f"public-version:1:{scope}"


def new_token() -> str:
    # Random rather than a counter: two writers bumping at once can never produce a token
    # that an entry rendered before either change already carries.
    return uuid.uuid4().hex[:16]


# --- Invalidation ------------------------------------------------------------------------------


def public_data_changed(*scopes: str) -> None:
    """Invalidate every cached page and API list showing ``scopes`` once the current transaction
    commits (at once outside a transaction). Cache errors are logged, never raised: the write
    has already been committed."""
    transaction.on_commit(partial(_bump, tuple(scopes)), robust=True)


def _bump(scopes: tuple[str, ...]) -> None:
    cache = _cache()
    if cache is None or not scopes:
        return
    try:
        cache.set_many({_version_key(scope): new_token() for scope in scopes}, timeout=None)
    except Exception:  # a cache outage must not fail a committed write
        logger.exception("Could not invalidate the public cache of %s", ", ".join(scopes))


def _receiver(scope: str):
    def changed(sender, raw=False, action=None, **kwargs):
        if raw or (action is not None and not action.startswith("post_")):
            return  # fixtures being loaded; the "pre_" half of an m2m change
        public_data_changed(scope)

    return changed


def connect_public_models() -> None:
    """Connect the models each scope's ``public_data.py`` lists; run once, when apps are ready."""
    for label, module in pillar_modules("public_data", SCOPES):
        receiver = _receiver(label)
        for model in getattr(module, "MODELS", ()):
            uid = f"public-cache:{label}:{model._meta.label}"
            post_save.connect(receiver, sender=model, weak=False, dispatch_uid=uid)
            post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=uid)
            if model._meta.auto_created:  # the table behind a many-to-many field
                m2m_changed.connect(receiver, sender=model, weak=False, dispatch_uid=uid)
        if hasattr(module, "seconds_until_change"):
            _clocks[label] = module.seconds_until_change


def seconds_until_midnight(now) -> float:
    """Seconds from ``now`` (aware) until the next midnight where visitors' pages are drawn
    (``PORTAL_DEFAULT_TIMEZONE``, Europe/Brussels), daylight-saving changes included: for
    ``seconds_until_change`` of a pillar whose public pages depend on the date alone (an
    embargo ending, a milestone passing)."""
    local = now.astimezone(zoneinfo.ZoneInfo(settings.PORTAL_DEFAULT_TIMEZONE))
    midnight = datetime.datetime.combine(
        local.date() + datetime.timedelta(days=1), datetime.time(), tzinfo=local.tzinfo
    )
    # In UTC: between two times of one zone, Python ignores a change of offset.
    return (midnight.astimezone(datetime.UTC) - now).total_seconds()


# --- Lookups ----------------------------------------------------------------------------------


def _scopes(scopes: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted({BASE_SCOPE, *scopes}))


def _lookup(cache, key: str, scopes: tuple[str, ...]):
    """The item stored under ``key`` (None when absent or stale) and the scopes' current
    versions (None when they cannot be known), in one round trip."""
    return lookup_versioned(cache, key, [_version_key(scope) for scope in scopes])


def lookup_versioned(cache, key: str, version_keys):
    """The item stored under ``key`` if it was stored with the current tokens of
    ``version_keys`` and has not expired, else None; and those tokens (None when the cache
    cannot keep them). One round trip when the tokens exist."""
    try:
        found = cache.get_many([*version_keys, key])
    except (pickle.UnpicklingError, AttributeError, ImportError, TypeError, EOFError):
        # An entry another release wrote in a shape this one cannot read: drop it.
        cache.delete(key)
        found = cache.get_many(version_keys)
    versions = []
    for version_key in version_keys:
        token = found.get(version_key)
        if token is None:  # never set, or the cache was flushed
            cache.add(version_key, new_token(), timeout=None)
            token = cache.get(version_key)
            if token is None:
                return None, None
        versions.append(token)
    versions = tuple(versions)
    stored = found.get(key)
    if isinstance(stored, tuple) and len(stored) == 3:
        stored_versions, expires_at, item = stored
        if stored_versions == versions and (expires_at is None or time.time() < expires_at):
            return item, versions
    return None, versions


def _expires_at(scopes: Iterable[str]) -> float | None:
    waits = [clock(timezone.now()) for scope in scopes if (clock := _clocks.get(scope))]
    waits = [seconds for seconds in waits if seconds is not None]
    return time.time() + min(waits) if waits else None


def _store(cache, key: str, versions: tuple[str, ...], scopes: tuple[str, ...], item) -> None:
    store_versioned(cache, key, versions, scopes, item, timeout=settings.PUBLIC_CACHE_TIMEOUT)


def store_versioned(cache, key: str, versions, scopes, item, *, timeout: int) -> None:
    """Store ``item`` (plain data only — builtins unpickle whatever code is deployed next)
    with the versions it was made from and the moment the clocks of ``scopes`` make it stale;
    kept at most ``timeout`` seconds."""
    expires_at = _expires_at(scopes)
    if expires_at is not None:
        timeout = min(timeout, int(expires_at - time.time()))
        if timeout < 1:
            return  # stale before anyone could use it
    try:
        cache.set(key, (versions, expires_at, item), timeout=timeout)
    except Exception:  # the response is ready anyway
        logger.exception("Could not store %s in the cache", key)


# --- Values ------------------------------------------------------------------------------------

T = TypeVar("T")


def remembered(name: str, scopes: Iterable[str], compute: Callable[[], T]) -> T:
    """``compute()``'s value, computed once and shared by every worker until data in ``scopes``
    changes: for what many different pages need alike (the countries the directory offers, the
    number of results of a filter while someone pages through them). ``name`` identifies the
    value, its arguments included. Computed afresh when the cache is off or unavailable."""
    cache = _cache()
    if cache is None:
        return compute()
    scopes = _scopes(scopes)
    key = "public-value:1:" + hashlib.sha256(name.encode()).hexdigest()
    try:
        found, versions = _lookup(cache, key, scopes)
    except Exception:  # without the cache, values are computed as usual
        logger.exception("The public cache is unavailable")
        return compute()
    if found is not None:
        return found[0]
    value = compute()
    if versions is not None:
        _store(cache, key, versions, scopes, (value,))
    return value


# --- Pages -------------------------------------------------------------------------------------


def is_anonymous_request(request) -> bool:
    """True when the request carries nothing that could make its answer personal."""
    cookies = request.COOKIES
    return (
        settings.SESSION_COOKIE_NAME not in cookies
        and CookieStorage.cookie_name not in cookies
        and "HTTP_AUTHORIZATION" not in request.META
    )


def _cached_response(request, page: tuple) -> HttpResponse:
    content, headers, etag = page
    response = HttpResponse(content, headers=dict(headers))
    _public_headers(response, etag, hit=True)
    return get_conditional_response(request, etag=etag, response=response)


def _public_headers(response, etag: str, *, hit: bool) -> None:
    response["ETag"] = etag
    # Browsers keep the page but ask each time: a 304 when nothing changed.
    patch_cache_control(response, no_cache=True)
    patch_vary_headers(response, ["Cookie"])
    response["X-Cache"] = "HIT" if hit else "MISS"


def _page_key(request, variant: str) -> str:
    identity = "|".join(
        [
            request.build_absolute_uri(),
            get_language() or "",
            timezone.get_current_timezone_name(),
            "htmx" if is_htmx(request) else "",
            variant,
        ]
    )
    return "public-page:1:" + hashlib.sha256(identity.encode()).hexdigest()


def _storable(request, response) -> bool:
    """Only a complete, impersonal 200 may be shared."""
    messages = getattr(request, "_messages", None)
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        # A page that used its request's CSP nonce would carry it into other requests.
        and not getattr(request, "_csp_nonce", None)
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not getattr(getattr(request, "session", None), "modified", False)
        and not (messages is not None and messages.added_new)
        and "private" not in cache_control
        and "no-store" not in cache_control
        and not request.user.is_authenticated
        and b"csrfmiddlewaretoken" not in response.content
    )


def serve(request, scopes: Iterable[str], render: Callable[[], HttpResponse], *, variant=""):
    """The response of ``render()``, from the shared cache when the request is anonymous and
    a current copy is there. ``scopes``: the pillars whose data the response shows (``core``
    is always included). ``render`` must return a rendered response."""
    if request.method not in ("GET", "HEAD"):
        return render()
    if not is_anonymous_request(request):
        response = render()
        patch_cache_control(response, private=True)
        return response
    cache = _cache()
    if cache is None:
        return render()
    scopes = _scopes(scopes)
    key = _page_key(request, variant)
    try:
        page, versions = _lookup(cache, key, scopes)
    except Exception:  # without the cache, pages are rendered as usual
        logger.exception("The public cache is unavailable")
        return render()
    if page is not None:
        return _cached_response(request, page)
    response = render()
    if getattr(response, "is_rendered", True) is False:
        response.render()  # a TemplateResponse: its content is needed now
    if versions is None or not _storable(request, response):
        return response
    headers = tuple((name, response[name]) for name in KEPT_HEADERS if response.has_header(name))
    etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
    _store(cache, key, versions, scopes, (response.content, headers, etag))
    _public_headers(response, etag, hit=False)
    return get_conditional_response(request, etag=etag, response=response)


def public_page(*scopes: str):
    """Decorate a view whose page every anonymous visitor sees alike; ``scopes`` are the
    pillars whose data it shows (their changes invalidate it)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            return serve(request, scopes, lambda: view(request, *args, **kwargs))

        return wrapper

    return decorator


class PublicListCacheMixin:
    """For a DRF viewset whose list is public: anonymous JSON lists come from the shared cache
    (throttling still applies: it runs before ``list``). Set ``public_cache_scopes``."""

    public_cache_scopes: tuple[str, ...] = ()

    def list(self, request, *args, **kwargs):
        renderer = getattr(request, "accepted_renderer", None)
        if renderer is None or renderer.format != "json":
            return super().list(request, *args, **kwargs)

        def render():
            response = super(PublicListCacheMixin, self).list(request, *args, **kwargs)
            response.accepted_renderer = renderer
            response.accepted_media_type = request.accepted_media_type
            response.renderer_context = self.get_renderer_context()
            return response.render()

        return serve(request, self.public_cache_scopes, render, variant="json")
