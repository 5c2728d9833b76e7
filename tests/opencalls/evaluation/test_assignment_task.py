"""The automatic assignment through its Celery task (eager in tests): conflicts, loads, locks,
progress, infeasible pools, and random pools checked property by property."""

from collections import Counter
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.models import AuditEntry
from opencalls.enums import ProposalStatus
from opencalls.evaluation import services
from opencalls.evaluation.enums import ConflictSource, RunProgress, RunStatus
from opencalls.evaluation.models import Assignment, AssignmentRun, Conflict, PoolMember
from opencalls.evaluation.wording import issue_text
from opencalls.models import Proposal

from .factories import assign, call_under_evaluation, pool_evaluator, review

pytestmark = pytest.mark.django_db


def _run(call, by, capture):
    with capture(execute=True):
        run = services.assignment_run_start(call=call, actor=by)
    run.refresh_from_db()
    return run


def _check_constraints(call, proposals, maxima, conflicts, k):
    assignments = list(Assignment.objects.filter(call=call))
    per_proposal = Counter(a.proposal_id for a in assignments)
    assert {p.pk: per_proposal[p.pk] for p in proposals} == {p.pk: k for p in proposals}
    loads = Counter(a.evaluator_id for a in assignments)
    assert all(loads[e] <= maximum for e, maximum in maxima.items())
    assert not {(a.proposal_id, a.evaluator_id) for a in assignments} & set(conflicts)
    return assignments


def test_the_task_assigns_every_proposal_within_loads_and_conflicts_with_progress(
    django_capture_on_commit_callbacks,
):
    call, proposals, by = call_under_evaluation(proposals=5)
    people = [pool_evaluator(call, max_proposals=4) for _ in range(5)]
    services.conflict_declare_organisation(call=call, actor=people[0], organisation="Org 0")
    with CaptureQueriesContext(connection) as queries:
        run = _run(call, by, django_capture_on_commit_callbacks)
    assert run.status == RunStatus.SUCCEEDED
    assert (run.progress, run.step) == (1.0, RunProgress.DONE)
    assert run.started_at is not None
    assert run.finished_at >= run.started_at
    progress_updates = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('UPDATE "opencalls_assignmentrun" SET "progress"')
    ]
    assert len(progress_updates) >= 5  # each step of the engine is recorded as it happens
    assert run.upper_bound >= run.total_affinity
    assert run.gap <= 0.01
    assert run.stats["created"] == 15
    assert run.stats["load"] == {"min": 3, "max": 3, "mean": 3.0}
    maxima = {p.pk: 4 for p in people}
    assignments = _check_constraints(
        call, proposals, maxima, [(proposals[0].pk, people[0].pk)], k=3
    )
    assert {a.source for a in assignments} == {"automatic"}
    assert {a.run_id for a in assignments} == {run.pk}
    assert set(Proposal.objects.values_list("status", flat=True)) == {
        ProposalStatus.UNDER_EVALUATION
    }
    assert AuditEntry.objects.filter(action="opencalls.evaluation.run.apply").count() == 1


def test_locked_and_started_assignments_survive_a_new_run(django_capture_on_commit_callbacks):
    call, proposals, by = call_under_evaluation(proposals=3)
    people = [pool_evaluator(call, max_proposals=3) for _ in range(4)]
    locked = assign(proposals[0], people[3], by, locked=True)
    started = assign(proposals[1], people[3], by)
    review(started, submit=False)
    assign(proposals[2], people[3], by)  # neither locked nor started: may be replaced
    first = _run(call, by, django_capture_on_commit_callbacks)
    assert first.status == RunStatus.SUCCEEDED
    assert first.stats["kept"] == 2
    assert Assignment.objects.filter(pk=locked.pk, locked=True).exists()
    assert Assignment.objects.filter(pk=started.pk).exists()
    maxima = {p.pk: 3 for p in people}
    _check_constraints(call, proposals, maxima, [], k=3)
    # A second run keeps the lock, and what was chosen stays chosen.
    before = set(Assignment.objects.values_list("proposal_id", "evaluator_id"))
    second = _run(call, by, django_capture_on_commit_callbacks)
    assert second.status == RunStatus.SUCCEEDED
    assert set(Assignment.objects.values_list("proposal_id", "evaluator_id")) == before
    assert second.stats["created"] == 0


def test_an_impossible_pool_fails_with_the_reasons_and_changes_nothing(
    django_capture_on_commit_callbacks,
):
    call, proposals, by = call_under_evaluation(proposals=2)
    people = [pool_evaluator(call, max_proposals=5) for _ in range(2)]
    run = _run(call, by, django_capture_on_commit_callbacks)
    assert run.status == RunStatus.FAILED
    assert [issue["code"] for issue in run.issues] == ["too_few_evaluators"]
    assert [issue_text(i) for i in run.issues] == [
        "Each proposal needs 3 evaluators but only 2 evaluators of the pool can take reviews."
    ]
    assert not Assignment.objects.exists()
    third = pool_evaluator(call, max_proposals=5)
    Conflict.objects.create(
        call=call,
        proposal=proposals[1],
        evaluator=third,
        source=ConflictSource.DECLARED,
        reason="My former employer",
    )
    run = _run(call, by, django_capture_on_commit_callbacks)
    assert run.status == RunStatus.FAILED
    assert [issue_text(i) for i in run.issues] == [
        f"Proposal {proposals[1].reference} has only 2 evaluators without a conflict and with "
        "free capacity; it needs 3."
    ]
    assert not Assignment.objects.exists()
    del people


def test_a_run_with_nothing_to_assign_says_so(django_capture_on_commit_callbacks):
    call, _proposals, by = call_under_evaluation(proposals=1)
    run = _run(call, by, django_capture_on_commit_callbacks)
    assert run.status == RunStatus.FAILED
    assert [issue_text(i) for i in run.issues] == [
        "No evaluator of the pool has accepted the terms yet."
    ]


def test_one_run_at_a_time_and_a_silent_run_is_taken_for_dead():
    call, _proposals, by = call_under_evaluation(proposals=1)
    first = AssignmentRun.objects.create(call=call, actor=by)
    with pytest.raises(PortalError) as error:
        services.assignment_run_start(call=call, actor=by)
    assert error.value.code == "running"
    AssignmentRun.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - timezone.timedelta(hours=1)
    )
    second = services.assignment_run_start(call=call, actor=by)
    first.refresh_from_db()
    assert first.status == RunStatus.FAILED
    assert second.status == RunStatus.QUEUED


def test_a_run_already_taken_is_not_run_twice():
    call, _proposals, by = call_under_evaluation(proposals=1)
    run = AssignmentRun.objects.create(call=call, actor=by, status=RunStatus.SUCCEEDED)
    assert services.assignment_run_execute(run_id=run.pk).status == RunStatus.SUCCEEDED
    assert not AuditEntry.objects.filter(action="opencalls.evaluation.run.finish").exists()


@pytest.fixture
def random_pool(db):
    """Five eligible proposals and six evaluators, made once; each example resets them."""
    call, proposals, by = call_under_evaluation(proposals=5)
    people = [pool_evaluator(call) for _ in range(6)]
    return call, proposals, people, by


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_every_constraint_holds_on_random_pools_or_the_run_explains_why(random_pool, data):
    call, proposals, people, by = random_pool
    Assignment.objects.filter(call=call).delete()
    Conflict.objects.filter(call=call).delete()
    k = data.draw(st.integers(1, 3), label="k")
    type(call).objects.filter(pk=call.pk).update(evaluators_per_proposal=k)
    maxima = {p.pk: data.draw(st.integers(0, 4), label="max") for p in people}
    for person in people:
        PoolMember.objects.filter(call=call, evaluator=person).update(
            max_proposals=maxima[person.pk]
        )
    pairs = [(p.pk, e.pk) for p in proposals for e in people]
    conflicts = data.draw(st.lists(st.sampled_from(pairs), max_size=8, unique=True))
    Conflict.objects.bulk_create(
        Conflict(call=call, proposal_id=p, evaluator_id=e, source="declared", reason="random")
        for p, e in conflicts
    )
    run = AssignmentRun.objects.create(call=call, actor=by)
    run = services.assignment_run_execute(run_id=run.pk)
    if run.status == RunStatus.SUCCEEDED:
        _check_constraints(call, proposals, maxima, conflicts, k)
    else:
        assert run.status == RunStatus.FAILED
        assert run.issues
        assert all(issue_text(issue) for issue in run.issues)
        assert not Assignment.objects.filter(call=call).exists()
        # Infeasible for a reason the engine can name: capacity or conflicts.
        assert {issue["code"] for issue in run.issues} <= {
            "capacity",
            "too_few_evaluators",
            "proposal_short",
            "group_short",
        }


def test_the_run_uses_the_calls_load_balancing_and_reports_what_it_cost(
    django_capture_on_commit_callbacks,
):
    call, _proposals, by = call_under_evaluation(proposals=4)
    for _ in range(4):
        pool_evaluator(call, max_proposals=4)
    services.settings_update(call=call, actor=by, data={"balance_weight": Decimal("0.5")})
    run = _run(call, by, django_capture_on_commit_callbacks)
    assert run.status == RunStatus.SUCCEEDED
    assert run.stats["balance_weight"] == 0.5
    assert run.stats["load"] == {"min": 3, "max": 3, "mean": 3.0}
    assert run.stats["affinity_given_up"] == pytest.approx(run.upper_bound - run.total_affinity)


@pytest.mark.parametrize("weight", [Decimal("-0.1"), Decimal("1.5")])
def test_load_balancing_outside_zero_to_one_is_refused(weight):
    call, _proposals, by = call_under_evaluation(proposals=1)
    with pytest.raises(ValidationError) as error:
        services.settings_update(call=call, actor=by, data={"balance_weight": weight})
    assert "balance_weight" in error.value.message_dict


def test_a_run_stores_its_progress_as_codes_and_the_page_words_them(client):
    """Every step the engine reports is a ``RunProgress`` code; the run keeps the code and the
    page shows its label in the reader's language."""
    from opencalls.engine import assignment as engine

    steps = [getattr(engine, name) for name in dir(engine) if name.startswith("STEP_")]
    assert set(steps) == {"checking", "optimising", "balancing", "verifying", "done"}
    assert set(steps) <= set(RunProgress.values)
    call, _proposals, by = call_under_evaluation(proposals=1)
    run = AssignmentRun.objects.create(call=call, actor=by, progress=0.5, step="optimising")
    client.force_login(by)
    html = client.get(f"/calls/evaluation/manage/{call.number}/runs/{run.pk}/").content.decode()
    assert ("Finding the highest possible total affinity" in html, "optimising" in html) == (
        True,
        False,
    )
    assert AssignmentRun.objects.filter(step__in=RunProgress.values).count() == 1
