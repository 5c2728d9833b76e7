"""A Celery worker killed with SIGKILL in the middle of a task loses nothing and repeats
nothing: the task is acknowledged late and handed back (``acks_late``,
``task_reject_on_worker_lost``), and the tasks are written to be run twice safely.

Each test starts its own Redis and a real worker process (``tests.faults``); the fault hooks of
``tests.reliability.faulty`` hold the worker at the chosen point so that the kill lands there.
"""

import pytest
from django.core import mail

from ai4media_portal.core.enums import EmailStatus
from ai4media_portal.core.models import OutboundEmail
from ai4media_portal.core.outbox import email_deliver, email_queue
from ai4media_portal.core.tasks import outbox_sweep
from opencalls.evaluation import services
from opencalls.evaluation.enums import RunProgress, RunStatus
from opencalls.evaluation.models import Assignment, AssignmentRun
from tests.faults import WorkerProcess, no_consumer_left, wait_for
from tests.opencalls.evaluation.factories import call_under_evaluation, pool_evaluator
from tests.utils import celery_broker

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _status(model, pk, *expected):
    return model.objects.filter(pk=pk, status__in=expected).exists()


def test_an_email_is_sent_exactly_once_when_its_worker_is_killed_while_sending(worker):
    worker.arm("mail")
    with celery_broker(worker.broker_url):
        email = email_queue(to="killed@example.org", subject="Killed once", body_text="x")
        worker.kill_at("mail")
        wait_for(
            lambda: _status(OutboundEmail, email.pk, EmailStatus.SENT),
            timeout=20,
            what="the email handed back to the queue to be sent",
        )
    email.refresh_from_db()
    # The killed attempt's transaction died with its connection: it counts for nothing.
    assert (email.status, email.attempts) == (EmailStatus.SENT, 1)
    assert len(worker.sent_to("killed@example.org")) == 1
    assert b"WorkerLostError" in worker.process.log()


def test_an_assignment_run_killed_while_saving_is_marked_failed_managers_told_and_rerun(
    worker,
):
    call, proposals, manager = call_under_evaluation(proposals=3)
    for _ in range(4):
        pool_evaluator(call, max_proposals=3)
    worker.arm("run")
    with celery_broker(worker.broker_url):
        run = services.assignment_run_start(call=call, actor=manager)
        # Held inside the transaction that has deleted and inserted the assignments.
        worker.kill_at("run")
        wait_for(
            lambda: _status(AssignmentRun, run.pk, RunStatus.FAILED),
            timeout=20,
            what="the run to be marked failed",
        )
        run.refresh_from_db()
        # Nothing of the interrupted transaction is left: no assignment, no proposal moved.
        assert Assignment.objects.filter(call=call).count() == 0
        assert (run.step, [i["code"] for i in run.issues]) == (RunProgress.STALE, ["worker_lost"])
        told = OutboundEmail.objects.get(template="opencalls/evaluation/run_failed")
        assert manager.email in told.to
        wait_for(
            lambda: _status(OutboundEmail, told.pk, EmailStatus.SENT),
            timeout=20,
            what="the managers' email",
        )

        again = services.assignment_run_start(call=call, actor=manager)
        wait_for(
            lambda: _status(AssignmentRun, again.pk, RunStatus.SUCCEEDED),
            timeout=30,
            what="the second run",
        )
    assert Assignment.objects.filter(call=call, run=again).count() == 3 * len(proposals)
    assert len(worker.sent_to(manager.email)) == 1


def test_an_email_whose_whole_worker_was_killed_is_sent_once_by_the_sweep(
    worker, tmp_path, settings
):
    """The whole worker (main process and pool) is SIGKILLed while sending: the message is
    neither acknowledged nor handed back until Redis's visibility timeout, so the sweep sends
    it; when the task comes back later it finds the email sent and sends nothing."""
    # Only the worker about to be killed takes tasks.
    worker.process.kill()
    lost = None
    try:
        wait_for(lambda: no_consumer_left(worker.broker_url), what="the old worker to be gone")
        lost = WorkerProcess(
            worker.broker_url, tmp_path / "lost.log", {"FAULT_DIR": str(worker.fault_dir)}
        )
        worker.arm("mail")
        with celery_broker(worker.broker_url):
            email = email_queue(
                to="machine-lost@example.org", subject="Machine lost", body_text="x"
            )
            worker.held_at("mail")
            lost.kill()
            lost.stop()
        (worker.fault_dir / "mail.armed").unlink()
        email.refresh_from_db()
        assert (email.status, email.attempts) == (EmailStatus.QUEUED, 0)  # nothing half-done

        settings.CELERY_TASK_ALWAYS_EAGER = True

        def sweep_sent():
            # Beat's sweep, as often as it takes PostgreSQL to notice the dead connection and
            # release the row it held (skip_locked leaves a locked row for the next sweep).
            outbox_sweep.apply()
            return _status(OutboundEmail, email.pk, EmailStatus.SENT)

        wait_for(sweep_sent, timeout=30, interval=0.2, what="the sweep to send it")
        assert email_deliver(email_id=email.pk) is True  # the task handed back hours later
        email.refresh_from_db()
        assert (email.status, email.attempts) == (EmailStatus.SENT, 1)
        assert [m.subject for m in mail.outbox] == ["[AI4Media] Machine lost"]
        assert worker.sent_to("machine-lost@example.org") == []  # the killed one sent nothing
    finally:
        (worker.fault_dir / "mail.armed").unlink(missing_ok=True)
        if lost is not None:
            lost.kill()
            lost.stop()
        worker.restart()
