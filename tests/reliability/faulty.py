"""Faults injected into the worker processes of the reliability tests (their settings,
``worker_settings``, import this module). A test arms a fault by creating
``$FAULT_DIR/<name>.armed``; the first pool process that then reaches the point writes its
process id into ``$FAULT_DIR/<name>.pid`` and sleeps, so that the test can SIGKILL exactly that
process there, or end its database connection and then let it go on (``<name>.go``). Once the
``.pid`` file exists the code runs through (the delivery after the kill).

* ``mail``: inside an email delivery (the outbox row locked, in ``message.send()``).
* ``run``: inside an assignment run's final transaction, after the old assignments were
  deleted and the new ones inserted, before it commits.
"""

import os
import time
from pathlib import Path

from celery.signals import worker_process_init
from django.core.mail.backends.base import BaseEmailBackend


def pause_once(name: str) -> None:
    folder = os.environ.get("FAULT_DIR")
    if not folder or not Path(folder, f"{name}.armed").exists():
        return
    marker = Path(folder, f"{name}.pid")
    if marker.exists():
        return
    marker.write_text(str(os.getpid()))
    go = Path(folder, f"{name}.go")
    deadline = time.monotonic() + 60
    while not go.exists() and time.monotonic() < deadline:
        time.sleep(0.05)


class SlowOnceFileBackend(BaseEmailBackend):
    """Writes each message it sends into ``EMAIL_FILE_PATH`` as one ``.eml`` file (what the
    test counts), after the ``mail`` fault's pause."""

    def send_messages(self, email_messages):
        from django.conf import settings

        sent = 0
        for message in email_messages:
            pause_once("mail")
            name = f"{time.time_ns()}-{os.getpid()}.eml"
            Path(settings.EMAIL_FILE_PATH, name).write_bytes(message.message().as_bytes())
            sent += 1
        return sent


@worker_process_init.connect
def _pause_assignment_runs(**kwargs) -> None:
    from opencalls.evaluation.services import runs

    original = runs._start_evaluation

    def start_evaluation(*args, **kw):
        pause_once("run")
        return original(*args, **kw)

    runs._start_evaluation = start_evaluation
