"""The real components the reliability tests stop and kill (``tests.faults``).

One worker process (and the Redis it listens to) serves the whole session: starting Django in
a new process takes seconds. The tests that stop Redis get one of their own (``redis_server``).
"""

import email
import os
import signal
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.faults import RedisServer, WorkerProcess, no_consumer_left, wait_for


@pytest.fixture
def redis_server():
    """A Redis of the test's own, started; ``stop()`` / ``start()`` it."""
    server = RedisServer()
    server.start()
    yield server
    server.stop()


@dataclass
class Worker:
    process: WorkerProcess
    broker_url: str
    fault_dir: Path

    @property
    def mail_dir(self) -> Path:
        return self.fault_dir / "mail"

    def arm(self, fault: str) -> Path:
        """Arm a fault of ``tests.reliability.faulty``; return the file its process id will
        be written to."""
        (self.fault_dir / f"{fault}.pid").unlink(missing_ok=True)
        (self.fault_dir / f"{fault}.go").unlink(missing_ok=True)
        (self.fault_dir / f"{fault}.armed").touch()
        return self.fault_dir / f"{fault}.pid"

    def held_at(self, fault: str) -> int:
        """Wait for a pool process to reach the armed fault; return its process id."""
        marker = self.fault_dir / f"{fault}.pid"
        return int(wait_for(lambda: marker.exists() and marker.read_text(), timeout=30, what=fault))

    def release(self, fault: str) -> None:
        """Let the process held at ``fault`` go on."""
        (self.fault_dir / f"{fault}.armed").unlink()
        (self.fault_dir / f"{fault}.go").touch()

    def kill_at(self, fault: str) -> int:
        """SIGKILL the pool process held at the armed fault (waiting for it to get there)."""
        marker = self.fault_dir / f"{fault}.pid"
        pid = int(wait_for(lambda: marker.exists() and marker.read_text(), timeout=30, what=fault))
        (self.fault_dir / f"{fault}.armed").unlink()
        os.kill(pid, signal.SIGKILL)
        return pid

    def restart(self) -> None:
        """A new worker process in place of one a test killed."""
        self.process.stop()
        wait_for(lambda: no_consumer_left(self.broker_url), what="the killed worker to be gone")
        self.process = WorkerProcess(
            self.broker_url, self.fault_dir / "worker.log", {"FAULT_DIR": str(self.fault_dir)}
        )

    def sent_to(self, address: str) -> list:
        """The messages the worker has sent to ``address`` (parsed)."""
        messages = [email.message_from_bytes(p.read_bytes()) for p in self.mail_dir.glob("*.eml")]
        return [m for m in messages if address in m.get("To", "")]


@pytest.fixture(scope="session")
def worker(django_db_setup, django_db_blocker, tmp_path_factory):
    """A real ``celery worker`` process (prefork, one pool process) on the test database and a
    Redis of its own."""
    broker = RedisServer()
    broker.start()
    fault_dir = tmp_path_factory.mktemp("faults")
    (fault_dir / "mail").mkdir()
    with django_db_blocker.unblock():
        process = WorkerProcess(
            broker.url(), fault_dir / "worker.log", {"FAULT_DIR": str(fault_dir)}
        )
    started = Worker(process, broker.url(), fault_dir)
    yield started
    started.process.stop()  # the one running now: a test may have restarted it
    broker.stop()
