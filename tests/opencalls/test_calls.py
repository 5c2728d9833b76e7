"""Calls: dates and statuses, creation, structure, stages and copies."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.models import AuditEntry
from opencalls import services
from opencalls.enums import CallStage, CallStatus
from opencalls.models import Call

from .factories import CallFactory, applicant, close, complete_draft, manager, submitted
from .helpers import BRUSSELS, OC1_CLOSES, OC1_OPENS, UTC

pytestmark = pytest.mark.django_db


def test_call_status_follows_the_dates():
    call = CallFactory(opens_at=OC1_OPENS, closes_at=OC1_CLOSES)
    assert call.status_at(OC1_OPENS - dt.timedelta(seconds=1)) == CallStatus.ANNOUNCED
    assert call.status_at(OC1_OPENS) == CallStatus.OPEN
    assert call.status_at(OC1_CLOSES - dt.timedelta(seconds=1)) == CallStatus.OPEN
    assert call.status_at(OC1_CLOSES) == CallStatus.CLOSED


def test_call_status_annotation_matches_the_property():
    now = timezone.now()
    upcoming = CallFactory(
        opens_at=now + dt.timedelta(days=1), closes_at=now + dt.timedelta(days=9)
    )
    running = CallFactory()
    past = CallFactory(opens_at=now - dt.timedelta(days=9), closes_at=now - dt.timedelta(days=1))
    draft = CallFactory(stage=CallStage.DRAFT)
    annotated = {c.pk: c.status for c in Call.objects.with_status()}
    assert annotated == {
        upcoming.pk: CallStatus.ANNOUNCED,
        running.pk: CallStatus.OPEN,
        past.pk: CallStatus.CLOSED,
        draft.pk: CallStatus.DRAFT,
    }
    assert [c.status for c in (upcoming, running, past, draft)] == [
        CallStatus.ANNOUNCED,
        CallStatus.OPEN,
        CallStatus.CLOSED,
        CallStatus.DRAFT,
    ]


def test_call_lifecycle_from_draft_to_results():
    boss = manager()
    call = services.call_create(
        actor=boss,
        data={
            "title": "New call",
            "description": "About it",
            "opens_at": OC1_OPENS,
            "closes_at": OC1_CLOSES,
            "timezone": "Europe/Brussels",
            "total_budget": Decimal(500000),
            "max_funding": Decimal(50000),
        },
    )
    assert call.status == CallStatus.DRAFT
    with pytest.raises(PortalError) as error:
        services.call_set_stage(call=call, actor=boss, stage=CallStage.PUBLISHED)
    assert error.value.message == (
        "Add at least one track. Add the evaluation criteria. Add the eligibility checklist."
    )
    services.call_save_structure(
        call=call,
        actor=boss,
        tracks=[{"kind": "research", "name": "Research", "duration_months": 12}],
        criteria=[{"name": "Excellence", "weight": 1, "threshold": 3, "max_score": 5}],
        checklist=[{"text": "Eligible country"}],
    )
    track = call.tracks.get()
    services.call_save_structure(
        call=call, actor=boss, challenges=[{"track": track, "code": "R1", "title": "Trust"}]
    )
    with time_machine.travel(OC1_OPENS - dt.timedelta(days=1), tick=False):
        services.call_set_stage(call=call, actor=boss, stage=CallStage.PUBLISHED)
        call.refresh_from_db()
        assert call.status == CallStatus.ANNOUNCED
        with pytest.raises(PortalError) as error:
            services.call_set_stage(call=call, actor=boss, stage=CallStage.UNDER_EVALUATION)
        assert error.value.message == "The evaluation starts after the deadline."
    with time_machine.travel(OC1_CLOSES + dt.timedelta(seconds=1), tick=False):
        assert call.status == CallStatus.CLOSED
        services.call_set_stage(call=call, actor=boss, stage=CallStage.UNDER_EVALUATION)
        services.call_set_stage(call=call, actor=boss, stage=CallStage.RESULTS_PUBLISHED)
    call.refresh_from_db()
    assert call.status == CallStatus.RESULTS_PUBLISHED
    assert list(
        AuditEntry.objects.filter(action="opencalls.call.stage").values_list("data", flat=True)
    ) == [
        {"from": "under-evaluation", "to": "results-published"},
        {"from": "published", "to": "under-evaluation"},
        {"from": "draft", "to": "published"},
    ]


def test_call_cannot_publish_results_while_proposals_are_undecided():
    proposal = submitted()
    call = close(proposal.call)
    boss = manager()
    services.call_set_stage(call=call, actor=boss, stage=CallStage.UNDER_EVALUATION)
    with pytest.raises(PortalError) as error:
        services.call_set_stage(call=call, actor=boss, stage=CallStage.RESULTS_PUBLISHED)
    assert error.value.message == "1 proposals have no final outcome yet."


def test_call_back_to_draft_only_before_it_opens():
    call = CallFactory()
    with pytest.raises(PortalError) as error:
        services.call_set_stage(call=call, actor=manager(), stage=CallStage.DRAFT)
    assert error.value.message == "A call that has opened cannot go back to draft."


def test_call_number_is_fixed_once_proposals_have_references():
    proposal = submitted()
    with pytest.raises(PortalError) as error:
        services.call_update(call=proposal.call, actor=manager(), data={"number": 99})
    assert error.value.field == "number"


def test_call_services_refuse_non_managers():
    call = CallFactory()
    with pytest.raises(PermissionDenied):
        services.call_copy(call=call, actor=applicant())
    with pytest.raises(PermissionDenied):
        services.call_set_stage(call=call, actor=applicant(), stage=CallStage.UNDER_EVALUATION)


def test_call_copy_deep_copies_into_a_new_draft():
    call = CallFactory(opens_at=OC1_OPENS, closes_at=OC1_CLOSES)
    call.faqs.create(question="Who?", answer="Anyone.")
    with time_machine.travel(dt.datetime(2022, 6, 1, tzinfo=UTC), tick=False):
        copy = services.call_copy(call=call, actor=manager())
    assert copy.number == call.number + 1
    assert copy.stage == CallStage.DRAFT
    assert copy.title == f"Copy of {call.title}"
    assert copy.opens_at == dt.datetime(2022, 9, 1, 0, 0, tzinfo=BRUSSELS)
    assert copy.closes_at == dt.datetime(2022, 12, 1, 17, 0, tzinfo=BRUSSELS)

    def shape(c):
        return {
            "tracks": [
                (
                    t.kind,
                    t.name,
                    t.duration_months,
                    [(ch.code, ch.title) for ch in t.challenges.all()],
                )
                for t in c.tracks.all()
            ],
            "criteria": list(c.criteria.values_list("order", "name", "weight", "threshold")),
            "checklist": list(c.checklist.values_list("order", "text")),
            "faqs": list(c.faqs.values_list("question", "answer")),
        }

    assert shape(copy) == shape(call)
    assert not set(copy.tracks.values_list("pk", flat=True)) & set(
        call.tracks.values_list("pk", flat=True)
    )


def test_call_structure_cannot_remove_a_challenge_with_proposals():
    proposal = complete_draft()
    call = proposal.call
    challenge = proposal.challenge
    with pytest.raises(PortalError) as error:
        services.call_save_structure(
            call=call,
            actor=manager(),
            challenges=[{"id": challenge.pk, "DELETE": True, "track": challenge.track}],
        )
    assert error.value.message == f"“{challenge}” cannot be removed: proposals refer to it."


def test_call_update_changes_only_its_editable_fields_and_logs_those_that_changed():
    boss = manager()
    call = CallFactory(stage=CallStage.DRAFT, title="Old")
    services.call_update(
        call=call,
        actor=boss,
        data={"title": "New", "summary": call.summary, "stage": CallStage.RESULTS_PUBLISHED},
    )
    call.refresh_from_db()
    assert (call.title, call.stage) == ("New", CallStage.DRAFT)
    entry = AuditEntry.objects.get(action="opencalls.call.update")
    assert entry.data == {"fields": ["title"]}
