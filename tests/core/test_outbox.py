import pytest
from django.core import mail
from django.test import override_settings

from ai4media_portal.core.enums import EmailStatus
from ai4media_portal.core.models import OutboundEmail
from ai4media_portal.core.outbox import email_deliver, email_queue
from ai4media_portal.core.tasks import outbox_sweep
from tests.utils import celery_broker

pytestmark = pytest.mark.django_db


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server down")


def test_email_queue_delivers_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = email_queue(to="a@example.org", subject="Hello", body_text="Body")
        # Nothing leaves before the transaction commits.
        assert mail.outbox == []
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert email.attempts == 1
    assert [(m.subject, m.to, m.body) for m in mail.outbox] == [
        ("[AI4Media] Hello", ["a@example.org"], "Body")
    ]


def test_email_queue_rolled_back_sends_nothing(django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                email_queue(to="a@example.org", subject="Never", body_text="x")
                raise RuntimeError("the action failed")
        except RuntimeError:
            pass
    assert callbacks == []
    assert OutboundEmail.objects.count() == 0
    assert mail.outbox == []


def test_email_queue_renders_template_with_context(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email_queue(to=["b@example.org"], template="core/email_check", context={"name": "Ana"})
    assert mail.outbox[0].subject == "[AI4Media] Email check for Ana"
    assert "Dear Ana," in mail.outbox[0].body


@override_settings(EMAIL_BACKEND="tests.core.test_outbox.BrokenBackend")
def test_email_deliver_failure_records_error_and_backs_off():
    email = email_queue(to="a@example.org", subject="Hi", body_text="x")
    assert email_deliver(email_id=email.pk) is False
    email.refresh_from_db()
    assert email.status == EmailStatus.QUEUED
    assert email.attempts == 1
    assert email.last_error == "ConnectionRefusedError: SMTP server down"
    assert email.next_attempt_at > email.created_at


@override_settings(EMAIL_BACKEND="tests.core.test_outbox.BrokenBackend", OUTBOX_MAX_ATTEMPTS=2)
def test_email_deliver_gives_up_after_max_attempts():
    email = email_queue(to="a@example.org", subject="Hi", body_text="x")
    email_deliver(email_id=email.pk)
    OutboundEmail.objects.filter(pk=email.pk).update(next_attempt_at=email.created_at)
    email_deliver(email_id=email.pk)
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.FAILED, 2)


def test_email_deliver_twice_sends_once():
    email = email_queue(to="a@example.org", subject="Hi", body_text="x")
    assert email_deliver(email_id=email.pk) is True
    assert email_deliver(email_id=email.pk) is True
    assert len(mail.outbox) == 1


def test_outbox_delivers_queued_email_after_broker_comes_back(django_capture_on_commit_callbacks):
    # The broker is down when the user acts: publishing fails fast, the email stays queued.
    with (
        celery_broker("redis://127.0.0.1:1/0"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        email = email_queue(to="a@example.org", subject="Queued", body_text="x")
    email.refresh_from_db()
    assert email.status == EmailStatus.QUEUED
    assert mail.outbox == []

    # The broker is back: beat's sweep delivers what was left.
    assert outbox_sweep.delay().get() == 1
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert [m.subject for m in mail.outbox] == ["[AI4Media] Queued"]
