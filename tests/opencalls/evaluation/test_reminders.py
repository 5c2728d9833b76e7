"""Review reminders before and after an evaluator's deadline."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from opencalls.evaluation import services
from opencalls.evaluation.models import Conflict, EvaluationSettings, ReviewReminder

from .factories import assign, call_under_evaluation, pool_evaluator, review

pytestmark = pytest.mark.django_db


def test_reviewers_are_reminded_three_days_and_one_day_before_once_each(
    django_capture_on_commit_callbacks,
):
    call, (p0, p1), by = call_under_evaluation(proposals=2)
    deadline = timezone.now() + dt.timedelta(days=10)
    EvaluationSettings.objects.filter(call=call).update(review_deadline=deadline)
    person = pool_evaluator(call)
    assign(p0, person, by)
    review(assign(p1, person, by))  # submitted: never reminded
    conflicted = pool_evaluator(call)
    assign(p0, conflicted, by)
    Conflict.objects.create(
        call=call, proposal=p0, evaluator=conflicted, source="detected", reason="Late"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.review_reminders_send(now=deadline - dt.timedelta(days=5)) == {
            "three_days": 0,
            "one_day": 0,
            "overdue": 0,
        }
        assert services.review_reminders_send(now=deadline - dt.timedelta(days=2, hours=20)) == {
            "three_days": 1,
            "one_day": 0,
            "overdue": 0,
        }
        services.review_reminders_send(now=deadline - dt.timedelta(days=2))
        assert services.review_reminders_send(now=deadline - dt.timedelta(hours=20)) == {
            "three_days": 0,
            "one_day": 1,
            "overdue": 0,
        }
        services.review_reminders_send(now=deadline - dt.timedelta(hours=2))
    assert [m.to for m in mail.outbox] == [[person.email], [person.email]]
    assert mail.outbox[0].subject == "[AI4Media] Your reviews are due in three days"
    assert mail.outbox[1].subject == "[AI4Media] Your reviews are due tomorrow"
    assert p0.reference in mail.outbox[1].body
    assert p1.reference not in mail.outbox[1].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.review_reminders_send(now=deadline + dt.timedelta(hours=1))["overdue"] == 1
        assert services.review_reminders_send(now=deadline + dt.timedelta(days=1))["overdue"] == 0
    assert [m.to for m in mail.outbox] == [[by.email]]
    assert person.email in mail.outbox[0].body
    assert conflicted.email not in mail.outbox[0].body
    assert ReviewReminder.objects.count() == 3
