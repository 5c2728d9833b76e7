"""Report reminders: a week before and on the due day, each sent once."""

from datetime import date, timedelta

import pytest

from ai4media_portal.core.models import OutboundEmail
from fellows import services, tasks
from fellows.enums import ExchangeStatus, ReminderKind
from fellows.models import ReminderSent
from tests.concurrency import run_in_parallel

from .factories import ExchangeFactory

DUE = date(2027, 6, 30)


@pytest.mark.django_db
def test_a_week_before_and_on_the_day_each_once():
    exchange = ExchangeFactory(status=ExchangeStatus.COMPLETED, report_due_on=DUE)
    ExchangeFactory(status=ExchangeStatus.REPORT_SUBMITTED, report_due_on=DUE)  # done already
    assert services.send_report_reminders(today=DUE - timedelta(days=8)) == 0
    assert services.send_report_reminders(today=DUE - timedelta(days=7)) == 1
    assert services.send_report_reminders(today=DUE - timedelta(days=7)) == 0
    assert services.send_report_reminders(today=DUE) == 1
    assert services.send_report_reminders(today=DUE) == 0
    emails = list(OutboundEmail.objects.order_by("pk"))
    assert [email.to for email in emails] == [[exchange.fellow.email]] * 2
    assert "due in a week" in emails[0].subject
    assert "due today" in emails[1].subject
    assert set(ReminderSent.objects.values_list("kind", flat=True)) == set(ReminderKind)


@pytest.mark.django_db
def test_the_beat_task_run_twice_sends_once(settings):
    ExchangeFactory(status=ExchangeStatus.COMPLETED, report_due_on=date.today())
    assert tasks.report_reminders.delay().get() == 1
    assert tasks.report_reminders.delay().get() == 0
    assert OutboundEmail.objects.count() == 1
    assert "fellows.send_report_reminders" in {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_moment_send_once():
    ExchangeFactory(status=ExchangeStatus.COMPLETED, report_due_on=DUE)
    results = run_in_parallel(2, lambda i: services.send_report_reminders(today=DUE))
    assert sorted(results) == [0, 1], results
    assert OutboundEmail.objects.count() == 1
