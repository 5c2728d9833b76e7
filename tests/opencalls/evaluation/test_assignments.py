"""Assignments by hand: adding, removing, locking, extending and notifying."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.models import AuditEntry
from opencalls.enums import CallStage, ProposalStatus
from opencalls.evaluation import services
from opencalls.evaluation.enums import PoolStatus
from opencalls.evaluation.models import Assignment

from .factories import assign, call_under_evaluation, pool_evaluator, review

pytestmark = pytest.mark.django_db


def test_manual_assignment_starts_the_evaluation_and_is_audited():
    call, (p0,), by = call_under_evaluation(proposals=1)
    person = pool_evaluator(call)
    assignment = assign(p0, person, by, locked=True)
    p0.refresh_from_db()
    assert p0.status == ProposalStatus.UNDER_EVALUATION
    assert assignment.locked is True
    assert assignment.source == "manual"
    assert AuditEntry.objects.filter(action="opencalls.evaluation.assignment.add").count() == 1


def test_manual_assignment_to_a_conflicted_evaluator_is_refused_with_the_reason():
    call, (p0,), by = call_under_evaluation(proposals=1)
    person = pool_evaluator(call, full_name="Jo Bloggs", profile={"organisation_name": "Org 0"})
    with pytest.raises(PortalError) as error:
        assign(p0, person, by)
    assert error.value.code == "conflict"
    assert error.value.field == "evaluator"
    assert error.value.message == (
        f"Jo Bloggs has a conflict of interest with {p0.reference} (same organisation (Org 0)): "
        "a conflicted evaluator cannot be assigned."
    )
    assert not Assignment.objects.exists()


def test_manual_assignment_beyond_the_evaluators_maximum_is_refused():
    call, (p0, p1), by = call_under_evaluation(proposals=2)
    person = pool_evaluator(call, max_proposals=1, full_name="Jo Bloggs")
    assign(p0, person, by)
    with pytest.raises(PortalError) as error:
        assign(p1, person, by)
    assert error.value.code == "overloaded"
    assert error.value.message == "Jo Bloggs already has 1 proposals, their maximum for this call."


def test_manual_assignment_refuses_outsiders_duplicates_and_a_full_proposal():
    call, (p0,), by = call_under_evaluation(proposals=1, evaluators_per_proposal=1)
    invited = pool_evaluator(call, status=PoolStatus.INVITED)
    with pytest.raises(PortalError) as error:
        assign(p0, invited, by)
    assert error.value.code == "not_in_pool"
    person, other = pool_evaluator(call), pool_evaluator(call)
    assign(p0, person, by)
    with pytest.raises(PortalError) as error:
        assign(p0, person, by)
    assert error.value.code == "duplicate"
    with pytest.raises(PortalError) as error:
        assign(p0, other, by)
    assert error.value.code == "proposal_full"


def test_manual_assignment_needs_the_call_under_evaluation_and_a_manager():
    call, (p0,), by = call_under_evaluation(proposals=1)
    person = pool_evaluator(call)
    with pytest.raises(PermissionDenied):
        assign(p0, person, person)
    type(call).objects.filter(pk=call.pk).update(stage=CallStage.RESULTS_PUBLISHED)
    p0.call.refresh_from_db()
    with pytest.raises(PortalError) as error:
        assign(p0, person, by)
    assert error.value.code == "not_evaluating"


def test_an_assignment_with_a_submitted_review_stays():
    call, (p0,), by = call_under_evaluation(proposals=1)
    assignment = assign(p0, pool_evaluator(call), by)
    review(assignment)
    with pytest.raises(PortalError):
        services.assignment_remove(assignment=assignment, actor=by)
    assert Assignment.objects.filter(pk=assignment.pk).exists()


def test_removing_an_assignment_drops_its_draft():
    call, (p0,), by = call_under_evaluation(proposals=1)
    assignment = assign(p0, pool_evaluator(call), by)
    review(assignment, submit=False)
    services.assignment_remove(assignment=assignment, actor=by)
    assert not Assignment.objects.exists()
    entry = AuditEntry.objects.get(action="opencalls.evaluation.assignment.remove")
    assert entry.data == {"evaluator": assignment.evaluator_id, "had_draft": True}


def test_evaluators_are_notified_of_new_assignments_once(django_capture_on_commit_callbacks):
    call, (p0, p1), by = call_under_evaluation(proposals=2)
    person, other = pool_evaluator(call), pool_evaluator(call)
    assign(p0, person, by)
    assign(p1, person, by)
    assign(p0, other, by)
    with django_capture_on_commit_callbacks(execute=True):
        told = services.assignments_notify(call=call, actor=by)
    assert told == 2
    to_person = [m for m in mail.outbox if m.to == [person.email]]
    assert len(to_person) == 1
    assert p0.reference in to_person[0].body
    assert p1.reference in to_person[0].body
    assert (
        to_person[0].subject
        == f"[AI4Media] 2 new proposals to evaluate in Open Call #{call.number}"
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.assignments_notify(call=call, actor=by) == 0
    assert mail.outbox == []
    assign(p1, other, by)
    with django_capture_on_commit_callbacks(execute=True):
        services.assignments_notify(call=call, actor=by)
    assert [m.to for m in mail.outbox] == [[other.email]]
    assert p1.reference in mail.outbox[0].body
    assert p0.reference not in mail.outbox[0].body
