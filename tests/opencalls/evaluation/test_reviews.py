"""Reviews: drafts, submission, deadlines and what evaluators see of each other's."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from ai4media_portal.core.exceptions import PortalError
from opencalls.evaluation import selectors, services
from opencalls.evaluation.enums import ConflictSource, ReviewStatus
from opencalls.evaluation.models import Assignment, Conflict, EvaluationSettings

from .factories import assign, call_under_evaluation, pool_evaluator, review
from .helpers import _criteria

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("5.5", "Scores go from 0 to 5."),
        ("-1", "Scores go from 0 to 5."),
        ("2.3", "Scores go in half points, for example 3 or 3.5."),
        ("three", "Enter a number, for example 3 or 3.5."),
    ],
)
def test_bad_scores_are_refused_by_field_and_the_rest_of_the_draft_is_kept(typed, message):
    call, (p0,), by = call_under_evaluation(proposals=1)
    assignment = assign(p0, pool_evaluator(call), by)
    excellence, impact, _implementation = _criteria(call)
    services.review_save_draft(
        assignment=assignment, actor=assignment.evaluator, scores={excellence.pk: "4"}
    )
    outcome = services.review_save_draft(
        assignment=assignment,
        actor=assignment.evaluator,
        scores={excellence.pk: typed, impact.pk: "3.5"},
        comments={excellence.pk: "Clear and novel."},
    )
    assert outcome.errors == {f"score_{excellence.pk}": [message]}
    values = selectors.review_values(outcome.obj)
    assert values[excellence.pk].score == Decimal("4.0")  # the previous value stays
    assert values[excellence.pk].comment == "Clear and novel."
    assert values[impact.pk].score == Decimal("3.5")


def test_submitting_needs_every_score_and_comment_and_keeps_the_draft():
    call, (p0,), by = call_under_evaluation(proposals=1)
    assignment = assign(p0, pool_evaluator(call), by)
    excellence, impact, implementation = _criteria(call)
    services.review_save_draft(
        assignment=assignment,
        actor=assignment.evaluator,
        scores={excellence.pk: "4", impact.pk: "3"},
        comments={excellence.pk: "Strong."},
    )
    with pytest.raises(ValidationError) as error:
        services.review_submit(assignment=assignment, actor=assignment.evaluator)
    assert error.value.message_dict == {
        f"comment_{impact.pk}": ["Explain your score for Impact."],
        f"score_{implementation.pk}": ["Give a score."],
        f"comment_{implementation.pk}": ["Explain your score for Implementation."],
    }
    review_row = selectors.review_of(Assignment.objects.get(pk=assignment.pk))
    assert review_row.status == ReviewStatus.DRAFT
    assert selectors.review_values(review_row)[excellence.pk].comment == "Strong."


def test_a_submitted_review_is_locked():
    call, (p0,), by = call_under_evaluation(proposals=1)
    assignment = assign(p0, pool_evaluator(call), by)
    submitted = review(assignment)
    assert submitted.status == ReviewStatus.SUBMITTED
    with pytest.raises(PortalError) as error:
        services.review_save_draft(
            assignment=assignment, actor=assignment.evaluator, overall_comment="Changed my mind"
        )
    assert error.value.code == "locked"
    # Submitting again (a double click) changes nothing.
    again = services.review_submit(assignment=assignment, actor=assignment.evaluator)
    assert (again.pk, again.status, again.submitted_at) == (
        submitted.pk,
        ReviewStatus.SUBMITTED,
        submitted.submitted_at,
    )


def test_a_review_after_the_deadline_is_refused_unless_extended():
    call, (p0,), by = call_under_evaluation(proposals=1)
    deadline = dt.datetime(2031, 3, 1, 17, 0, tzinfo=dt.UTC)
    EvaluationSettings.objects.filter(call=call).update(review_deadline=deadline)
    assignment = assign(p0, pool_evaluator(call), by)
    review(assignment, submit=False)
    with time_machine.travel(deadline, tick=False), pytest.raises(PortalError) as error:
        services.review_submit(assignment=assignment, actor=assignment.evaluator)
    assert error.value.code == "deadline_passed"
    assert error.value.message == (
        "The review deadline passed on 1 March 2031, 18:00 CET: the review can no longer be "
        "submitted. Ask the call team to extend your deadline."
    )
    with time_machine.travel(deadline - dt.timedelta(seconds=1), tick=False):
        services.assignment_extend(
            assignment=assignment, actor=by, until=deadline + dt.timedelta(days=2)
        )
    with time_machine.travel(deadline + dt.timedelta(days=1), tick=False):
        assert (
            services.review_submit(assignment=assignment, actor=assignment.evaluator).status
            == ReviewStatus.SUBMITTED
        )


def test_only_the_assigned_unconflicted_evaluator_writes_the_review():
    call, (p0,), by = call_under_evaluation(proposals=1)
    assignment = assign(p0, pool_evaluator(call), by)
    other = pool_evaluator(call)
    for actor in (other, by, p0.applicant):
        with pytest.raises(PermissionDenied):
            services.review_save_draft(assignment=assignment, actor=actor, overall_comment="x")
    Conflict.objects.create(
        call=call,
        proposal=p0,
        evaluator=assignment.evaluator,
        source=ConflictSource.DETECTED,
        reason="Found late",
    )
    with pytest.raises(PermissionDenied):
        services.review_save_draft(
            assignment=assignment, actor=assignment.evaluator, overall_comment="x"
        )


def test_other_reviews_are_hidden_until_ones_own_is_submitted_then_anonymised():
    call, (p0,), by = call_under_evaluation(proposals=1)
    first, second, third = (assign(p0, pool_evaluator(call), by) for _ in range(3))
    criteria = _criteria(call)
    review(first, (5, 5, 5), {"Excellence": "First's view."})
    review(third, submit=False)
    assert selectors.peer_reviews(assignment=second, criteria=criteria) is None
    review(second, (3, 3, 3))
    peers = selectors.peer_reviews(
        assignment=Assignment.objects.get(pk=second.pk), criteria=criteria
    )
    assert [(p.label, p.is_own, p.total) for p in peers] == [
        ("A", False, Decimal(15)),
        ("B", True, Decimal(9)),
    ]
    assert peers[0].scores[0][2] == "First's view."
    # The third's draft is not shown to anyone.
    assert all(p.label != "C" for p in peers)


def test_the_rapporteur_hears_when_every_review_is_in(django_capture_on_commit_callbacks):
    call, (p0,), by = call_under_evaluation(proposals=1)
    first, second = (assign(p0, pool_evaluator(call), by) for _ in range(2))
    review(first)
    with django_capture_on_commit_callbacks(execute=True):
        services.consensus_set_rapporteur(proposal=p0, actor=by, rapporteur=first.evaluator)
    assert "You will be told when every review is in." in mail.outbox[-1].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review(second)
    assert [m.to for m in mail.outbox] == [[first.evaluator.email]]
    assert mail.outbox[0].subject == (
        f"[AI4Media] Every review of {p0.reference} is in: the consensus can start"
    )
