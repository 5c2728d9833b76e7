"""Real faults for the reliability tests (tests/reliability): a Redis server of the test's own,
started and stopped; a Celery worker in a process of its own, killed with SIGKILL; database
connections ended with ``pg_terminate_backend``. Nothing here is a mock.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

BASE_DIR = Path(settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, *, timeout: float = 10.0, interval: float = 0.05, what: str = "it"):
    """Poll ``condition()`` until it returns something truthy; return that. Fails the test
    after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"waited {timeout} s for {what}")


class RedisServer:
    """A ``redis-server`` on a free port, without persistence: ``stop()`` is an outage
    (SIGKILL, like a crashed or unreachable server), ``start()`` brings an empty one back on
    the same port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        if not Path(binary).exists():
            pytest.skip("needs redis-server (Debian package redis-server) to cause an outage")
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, what=f"redis-server on port {self.port}")

    def _answers(self) -> bool:
        import redis

        try:
            return redis.Redis(port=self.port, socket_connect_timeout=0.2).ping()
        except redis.exceptions.ConnectionError:
            return False

    def freeze(self) -> None:
        """SIGSTOP: the server hangs with its data (connections time out) until ``thaw()``."""
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(5)
        self.process = None


def no_consumer_left(broker_url: str) -> bool:
    """Redis has dropped every blocked read of a killed worker (else a message published now
    could be handed to that dead connection and lost: what the outbox sweep is for, but not
    what a test of something else is about)."""
    import redis

    clients = redis.Redis.from_url(broker_url).client_list()
    return not [c for c in clients if c.get("cmd") in {"brpop", "blpop"}]


def resilient_caches(redis_url: str, *, retry_after: float = 0.2) -> dict:
    """``settings.CACHES`` as production has them (base.py), on the given Redis."""
    return {
        "default": {
            "BACKEND": "ai4media_portal.core.cache.ResilientRedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "portal",
            "OPTIONS": {
                "FALLBACK": "fallback",
                "FALLBACK_KEY_PREFIXES": settings.RATE_LIMIT_KEY_PREFIXES,
                "RETRY_AFTER": retry_after,
            },
        },
        "fallback": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "core_cache_fallback",
            "KEY_PREFIX": "portal",
        },
    }


class WorkerProcess:
    """``celery -A ai4media_portal worker`` in its own process group, on the test database and
    the given broker, with ``tests.reliability.worker_settings``. ``extra_env`` reaches the
    worker (the faults it should meet). ``kill()`` is SIGKILL of the whole worker;
    ``kill_child(pid)`` of the pool process running a task."""

    def __init__(
        self, broker_url: str, log_path: Path, extra_env: dict | None = None, concurrency: int = 1
    ) -> None:
        db = connection.settings_dict
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.reliability.worker_settings",
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}",
            "REDIS_URL": broker_url,
            **(extra_env or {}),
        }
        self.log_path = log_path
        self._log = open(log_path, "wb")  # noqa: SIM115 — closed in stop()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "ai4media_portal",
                "worker",
                "--pool",
                "prefork",
                "--concurrency",
                str(concurrency),
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--hostname",
                f"fault{os.getpid()}-{free_port()}@localhost",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_for(lambda: b" ready." in self.log(), timeout=30, what="the worker to be ready")
        except AssertionError:
            self.kill()
            self._log.close()
            raise

    def log(self) -> bytes:
        return self.log_path.read_bytes()

    def kill(self) -> None:
        """SIGKILL the worker and its pool: nothing is cleaned up, nothing acknowledged."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log.close()


def terminate_connections(*, keep_mine: bool = False) -> int:
    """End the sessions on the test database with ``pg_terminate_backend``, as a PostgreSQL
    restart does, from a connection of its own; return how many. ``keep_mine`` spares this
    thread's Django connection."""
    import psycopg

    db = connection.settings_dict
    spared = []
    if keep_mine and connection.connection is not None:
        spared.append(connection.connection.info.backend_pid)
    with psycopg.connect(
        dbname=db["NAME"],
        user=db["USER"],
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        autocommit=True,
    ) as admin:
        return admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND NOT pid = ANY(%s)",
            [spared],
        ).fetchone()[0]
