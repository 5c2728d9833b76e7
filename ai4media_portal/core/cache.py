"""The shared Redis cache, made to survive Redis being down.

``ResilientRedisCache`` is Django's ``RedisCache`` whose every call that fails to reach Redis
(connection refused, timeout) answers as if the cache were empty instead of raising: the page
is computed again, the session is read from the database (``cached_db``), nothing is stored.
Two things must not degrade that way, because "no cache" would mean "no limit":

* allauth's rate limits (sign-in, sign-up, password reset: keys ``allauth:rl:…``),
* the API's throttles (keys ``throttle_…``) and
* the replay guards: a TOTP code, an ORCID sign-in token accepted once (``cache.add``).

Their keys (``FALLBACK_KEY_PREFIXES``, ``settings.RATE_LIMIT_KEY_PREFIXES``) go to the cache
named by ``FALLBACK`` (a table in the database, ``settings.CACHES["fallback"]``) while Redis is
down, so a limit keeps counting, a used code stays used, and sign-in keeps working.

After a failure Redis is left alone for ``RETRY_AFTER`` seconds (each request would otherwise
wait for the connection timeout), then tried again. The outage is logged once per
``LOG_INTERVAL`` seconds per process, not per request. Keys written or deleted while Redis was
down are deleted from Redis when it answers again: a session signed out, a public page's
version bumped during the outage must not come back with the stale copy Redis still holds.

Options (``CACHES[alias]["OPTIONS"]``), besides those of ``RedisCache``:
``FALLBACK`` (alias or None), ``FALLBACK_KEY_PREFIXES`` (tuple of str), ``RETRY_AFTER``
(seconds, default 5), ``LOG_INTERVAL`` (seconds, default 60); ``socket_connect_timeout`` and
``socket_timeout`` default to 0.5 s.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError, OSError)
MAX_STALE_KEYS = 10_000


@dataclass
class _Outage:
    """What every thread of a process knows about one Redis server (by its URL)."""

    down_until: float = 0.0
    last_logged: float = float("-inf")
    failures: int = 0
    stale_keys: set = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)


_outages: dict[str, _Outage] = {}
_outages_lock = threading.Lock()


def outage_for(location: str) -> _Outage:
    with _outages_lock:
        return _outages.setdefault(location, _Outage())


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self._fallback_alias = options.pop("FALLBACK", None)
        self._fallback_prefixes = tuple(options.pop("FALLBACK_KEY_PREFIXES", ()))
        self._retry_after = float(options.pop("RETRY_AFTER", 5))
        self._log_interval = float(options.pop("LOG_INTERVAL", 60))
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 0.5)
        super().__init__(server, {**params, "OPTIONS": options})
        self._location = server if isinstance(server, str) else ",".join(server)
        self._outage = outage_for(self._location)

    # --- state ------------------------------------------------------------------------------
    def is_down(self) -> bool:
        """True while Redis is being left alone after a failure."""
        return time.monotonic() < self._outage.down_until

    def _failed(self, error: Exception) -> None:
        now = time.monotonic()
        outage = self._outage
        with outage.lock:
            outage.down_until = now + self._retry_after
            outage.failures += 1
            if now - outage.last_logged >= self._log_interval:
                outage.last_logged = now
                logger.error(
                    "Redis cache at %s unreachable (%s: %s); serving without it, rate limits "
                    "in the database (%s failures so far)",
                    self._location,
                    type(error).__name__,
                    error,
                    outage.failures,
                )

    def _remember_stale(self, keys) -> None:
        outage = self._outage
        with outage.lock:
            if len(outage.stale_keys) < MAX_STALE_KEYS:
                outage.stale_keys.update(keys)

    def _recovered(self) -> None:
        """First call after an outage: delete the keys that went stale (or just ping), and only
        then take Redis for back. Raises the connection error if it is still down."""
        outage = self._outage
        with outage.lock:
            stale = list(outage.stale_keys)
        client = self._cache.get_client(None, write=True)
        if stale:
            client.delete(*stale)  # keys already made (prefix, version)
        else:
            client.ping()
        with outage.lock:
            outage.stale_keys.difference_update(stale)
            outage.failures = 0
        logger.warning("Redis cache at %s answers again", self._location)

    def _call(self, name: str, keys, degraded, *args, **kwargs):
        """Run ``RedisCache.<name>`` unless Redis is down; otherwise (or if it fails now)
        return ``degraded()``. ``keys`` are those the call writes (remembered as stale)."""
        if not self.is_down():
            try:
                if self._outage.stale_keys or self._outage.failures:
                    self._recovered()
                return getattr(super(), name)(*args, **kwargs)
            except UNREACHABLE as error:
                self._failed(error)
        if keys:
            self._remember_stale(keys)
        return degraded()

    def _fallback_for(self, key):
        if self._fallback_alias and str(key).startswith(self._fallback_prefixes):
            return caches[self._fallback_alias]
        return None

    # --- the cache API ----------------------------------------------------------------------
    def get(self, key, default=None, version=None):
        def degraded():
            fallback = self._fallback_for(key)
            return fallback.get(key, default, version) if fallback else default

        return self._call("get", (), degraded, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        def degraded():
            fallback = self._fallback_for(key)
            if fallback:
                fallback.set(key, value, timeout, version)

        return self._call(
            "set", [self.make_key(key, version)], degraded, key, value, timeout, version
        )

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        def degraded():
            fallback = self._fallback_for(key)
            return fallback.add(key, value, timeout, version) if fallback else True

        return self._call(
            "add", [self.make_key(key, version)], degraded, key, value, timeout, version
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        def degraded():
            fallback = self._fallback_for(key)
            return fallback.touch(key, timeout, version) if fallback else False

        return self._call("touch", (), degraded, key, timeout, version)

    def delete(self, key, version=None):
        def degraded():
            fallback = self._fallback_for(key)
            return fallback.delete(key, version) if fallback else False

        return self._call("delete", [self.make_key(key, version)], degraded, key, version)

    def has_key(self, key, version=None):
        def degraded():
            fallback = self._fallback_for(key)
            return fallback.has_key(key, version) if fallback else False

        return self._call("has_key", (), degraded, key, version)

    def incr(self, key, delta=1, version=None):
        def degraded():
            fallback = self._fallback_for(key)
            if fallback:
                return fallback.incr(key, delta, version)
            raise ValueError(f"Key '{key}' not found (the cache is unreachable)")

        return self._call("incr", [self.make_key(key, version)], degraded, key, delta, version)

    def get_many(self, keys, version=None):
        keys = list(keys)

        def degraded():
            found = {}
            for key in keys:
                fallback = self._fallback_for(key)
                if fallback:
                    value = fallback.get(key, version=version)
                    if value is not None:
                        found[key] = value
            return found

        return self._call("get_many", (), degraded, keys, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        timeout = self.default_timeout if timeout is ... else timeout
        data = dict(data)

        def degraded():
            for key, value in data.items():
                fallback = self._fallback_for(key)
                if fallback:
                    fallback.set(key, value, timeout, version)
            return []

        stale = [self.make_key(key, version) for key in data]
        return self._call("set_many", stale, degraded, data, timeout, version)

    def delete_many(self, keys, version=None):
        keys = list(keys)

        def degraded():
            for key in keys:
                fallback = self._fallback_for(key)
                if fallback:
                    fallback.delete(key, version)

        stale = [self.make_key(key, version) for key in keys]
        return self._call("delete_many", stale, degraded, keys, version)

    def clear(self):
        return self._call("clear", (), lambda: None)
