"""Reminders of deliverables due soon or overdue."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core import mail

from opencalls import services
from opencalls.enums import ProposalStatus
from opencalls.models import Call, EvaluationSettings, Proposal, ProposalVersion

from .factories import CallFactory, applicant, funded, manager, pdf_upload
from .helpers import BRUSSELS, OC1_CLOSES, OC1_OPENS, UTC

pytestmark = pytest.mark.django_db


def test_reminders_are_sent_once_to_the_team_and_overdue_digest_to_managers(
    django_capture_on_commit_callbacks,
):
    from opencalls.tasks import send_reminders

    boss = manager()
    project = funded(by=boss, start=dt.date(2030, 1, 1))
    project.members.add(member := applicant())
    interim_report = project.deliverables.get(title="Interim report")  # due 2030-07-01
    prototype = project.deliverables.get(title="Prototype")  # due 2030-07-01 too
    # A week before: "due soon".
    with time_machine.travel(dt.datetime(2030, 6, 24, 6, 0, tzinfo=UTC), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert send_reminders.delay().get() == {"due_soon": 2, "due_tomorrow": 0, "overdue": 0}
        with django_capture_on_commit_callbacks(execute=True):
            assert send_reminders.delay().get() == {"due_soon": 0, "due_tomorrow": 0, "overdue": 0}
    assert sorted(m.subject for m in mail.outbox) == [
        "[AI4Media] Due in 7 days: Interim report",
        "[AI4Media] Due in 7 days: Prototype",
    ]
    assert mail.outbox[0].to == [project.beneficiary.email, member.email]
    mail.outbox.clear()
    # The day before: the last reminder, once.
    with time_machine.travel(dt.datetime(2030, 6, 30, 6, 0, tzinfo=UTC), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert send_reminders.delay().get() == {"due_soon": 0, "due_tomorrow": 2, "overdue": 0}
        with django_capture_on_commit_callbacks(execute=True):
            assert send_reminders.delay().get() == {"due_soon": 0, "due_tomorrow": 0, "overdue": 0}
    assert sorted(m.subject for m in mail.outbox) == [
        "[AI4Media] Due tomorrow: Interim report",
        "[AI4Media] Due tomorrow: Prototype",
    ]
    # Late: a submitted item is not overdue; the other goes to call managers, once.
    services.deliverable_submit(
        deliverable=prototype, actor=project.beneficiary, upload=pdf_upload()
    )
    mail.outbox.clear()
    with time_machine.travel(dt.datetime(2030, 7, 3, 6, 0, tzinfo=UTC), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert send_reminders.delay().get() == {"due_soon": 0, "due_tomorrow": 0, "overdue": 1}
        with django_capture_on_commit_callbacks(execute=True):
            assert send_reminders.delay().get() == {"due_soon": 0, "due_tomorrow": 0, "overdue": 0}
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == [boss.email]
    assert digest.subject == "[AI4Media] 1 deliverable is newly overdue"
    assert "* LUMEN — Interim report — due 1 Jul 2030, 2 days late" in digest.body
    assert interim_report.reminders.count() == 3


def test_reminders_skip_completed_projects():
    project = funded(start=dt.date(2030, 1, 1))
    project.status = "completed"
    project.save()
    with time_machine.travel(dt.datetime(2030, 6, 25, 6, 0, tzinfo=UTC), tick=False):
        assert services.reminders_send() == {"due_soon": 0, "due_tomorrow": 0, "overdue": 0}


def test_reminder_schedule_is_registered(settings):
    assert settings.CELERY_BEAT_SCHEDULE["opencalls-reminders"]["task"] == (
        "opencalls.send_reminders"
    )


def test_demo_data_loads_twice_without_duplicates():
    from django.core.management import call_command

    call_command("seed_demo", "--quiet-accounts")
    counts = (Call.objects.count(), Proposal.objects.count(), ProposalVersion.objects.count())
    call_command("seed_demo", "--quiet-accounts")
    assert (Call.objects.count(), Proposal.objects.count(), ProposalVersion.objects.count()) == (
        counts
    )
    statuses = set(Proposal.objects.values_list("status", flat=True))
    assert statuses >= set(ProposalStatus.values) - {"under-evaluation", "interview"}
    assert Call.objects.open_at().count() == 1


def test_call_copy_carries_the_evaluation_settings_a_year_on():
    call = CallFactory(opens_at=OC1_OPENS, closes_at=OC1_CLOSES)
    EvaluationSettings.objects.create(
        call=call,
        hide_applicant_identity=True,
        review_deadline=dt.datetime(2022, 1, 20, 17, 0, tzinfo=BRUSSELS),
        interview_weight=Decimal("0.40"),
    )
    with time_machine.travel(dt.datetime(2022, 6, 1, tzinfo=UTC), tick=False):
        copy = services.call_copy(call=call, actor=manager())
    copied = EvaluationSettings.objects.get(call=copy)
    assert (copied.hide_applicant_identity, copied.interview_weight) == (True, Decimal("0.40"))
    assert copied.review_deadline == dt.datetime(2023, 1, 20, 17, 0, tzinfo=BRUSSELS)
    assert EvaluationSettings.objects.get(call=call).review_deadline.year == 2022


def test_call_copy_without_evaluation_settings_creates_none():
    call = CallFactory()
    copy = services.call_copy(call=call, actor=manager())
    assert not EvaluationSettings.objects.filter(call=copy).exists()
