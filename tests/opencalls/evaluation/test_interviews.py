"""Interviews: invitations, slots, booking and recorded scores."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from ai4media_portal.core.exceptions import PortalError
from opencalls.enums import ProposalStatus
from opencalls.evaluation import selectors, services
from opencalls.evaluation.enums import InterviewStatus
from opencalls.evaluation.models import EvaluationSettings, Interview
from opencalls.evaluation.predicates import interview_open_for_booking
from opencalls.models import Proposal

from .factories import assign, call_under_evaluation, pool_evaluator, review
from .helpers import _evaluated

pytestmark = pytest.mark.django_db


def test_top_proposals_per_track_are_invited_and_book_slots(django_capture_on_commit_callbacks):
    call, proposals, by = call_under_evaluation(proposals=3, interviews_per_track=2)
    _evaluated(call, by, proposals, [(4, 4, 4), (5, 5, 5), (3, 3, 3.5)])
    with django_capture_on_commit_callbacks(execute=True):
        invited = services.interviews_invite(call=call, actor=by)
    assert [i.proposal for i in invited] == [proposals[1], proposals[0]]
    assert set(Proposal.objects.filter(status=ProposalStatus.INTERVIEW)) == {
        proposals[0],
        proposals[1],
    }
    assert {m.to[0] for m in mail.outbox} == {
        proposals[0].applicant.email,
        proposals[1].applicant.email,
    }
    assert all("/interview/" in m.body for m in mail.outbox)
    # Inviting again changes nothing.
    assert services.interviews_invite(call=call, actor=by) == []
    soon = timezone.now() + dt.timedelta(days=3)
    slot = services.interview_slot_add(
        call=call, actor=by, starts_at=soon, duration_minutes=30, location="Room 2"
    )
    first, second = invited
    with django_capture_on_commit_callbacks(execute=True):
        services.interview_book(interview=first, actor=first.proposal.applicant, slot=slot)
    assert "Where: Room 2" in mail.outbox[-1].body
    with pytest.raises(PortalError) as error:
        services.interview_book(interview=second, actor=second.proposal.applicant, slot=slot)
    assert error.value.message == "Someone has just booked this slot: choose another."
    with pytest.raises(PermissionDenied):
        services.interview_book(interview=second, actor=first.proposal.applicant, slot=slot)
    with pytest.raises(PortalError) as error:
        services.interview_slot_add(
            call=call,
            actor=by,
            starts_at=timezone.now() - dt.timedelta(hours=1),
            duration_minutes=30,
            location="Room 2",
        )
    assert error.value.field == "starts_at"


def test_interviews_need_final_consensus_reports():
    call, proposals, by = call_under_evaluation(proposals=2, interviews_per_track=1)
    review(assign(proposals[0], pool_evaluator(call), by))
    with pytest.raises(PortalError) as error:
        services.interviews_invite(call=call, actor=by)
    assert error.value.code == "consensus_missing"


def test_interview_scores_are_validated_and_combined_as_the_call_says():
    call, proposals, by = call_under_evaluation(proposals=2, interviews_per_track=2)
    _evaluated(call, by, proposals, [(4, 4, 4), (4.5, 4, 4)])
    EvaluationSettings.objects.filter(call=call).update(
        interview_weight=Decimal("0.5"), interview_max_score=Decimal(10)
    )
    first, second = services.interviews_invite(call=call, actor=by)
    with pytest.raises(PortalError) as error:
        services.interview_record(interview=first, actor=by, score="10.5")
    assert error.value.field == "score"
    assert error.value.message == "Scores go from 0 to 10."
    services.interview_record(interview=first, actor=by, score="4", notes="Weak demo.")
    services.interview_record(interview=second, actor=by, score="10", notes="Great demo.")
    assert Interview.objects.get(pk=second.pk).status == InterviewStatus.HELD
    (research, _application) = selectors.call_ranking(call)
    # proposals[1]: 0.5 × 12.5 + 0.5 × 6 = 9.25; proposals[0]: 0.5 × 12 + 0.5 × 15 = 13.5.
    assert [(r.proposal, r.ranked.final_score) for r in research.rows] == [
        (proposals[0], Decimal("13.5")),
        (proposals[1], Decimal("9.25")),
    ]


def test_bookable_slots_are_the_calls_future_free_ones_and_the_interviews_own():
    call, proposals, by = call_under_evaluation(proposals=2, interviews_per_track=2)
    _evaluated(call, by, proposals, [(4, 4, 4), (5, 5, 5)])
    first, second = services.interviews_invite(call=call, actor=by)
    now = timezone.now()

    def slot(days, where):
        return services.interview_slot_add(
            call=call,
            actor=by,
            starts_at=now + dt.timedelta(days=days),
            duration_minutes=30,
            location=where,
        )

    early, late, taken = slot(2, "A"), slot(4, "B"), slot(3, "C")
    other_call, (other,), other_by = call_under_evaluation(proposals=1)
    services.interview_slot_add(
        call=other_call,
        actor=other_by,
        starts_at=now + dt.timedelta(days=1),
        duration_minutes=30,
        location="Elsewhere",
    )
    services.interview_book(interview=first, actor=by, slot=taken)
    first.refresh_from_db()
    second.refresh_from_db()

    assert list(selectors.free_slots(call)) == [early, late]
    assert list(selectors.bookable_slots(second)) == [early, late]
    assert list(selectors.bookable_slots(first)) == [early, taken, late]
    # Once the first two days have passed, the early slot is no longer offered.
    assert list(selectors.bookable_slots(second, now=now + dt.timedelta(days=2, hours=1))) == [late]
    del other


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (InterviewStatus.INVITED, True),
        (InterviewStatus.BOOKED, True),
        (InterviewStatus.HELD, False),
    ],
)
def test_an_interview_can_be_booked_until_it_is_held(status, expected):
    assert interview_open_for_booking(Interview(status=status)) is expected
