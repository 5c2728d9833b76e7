"""Automatic assignment runs: started by a manager, executed by a worker with the engine."""

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal
from functools import partial

from celery import signature
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerUnreachable

from ai4media_portal.accounts.selectors import emails_of
from ai4media_portal.core.audit import log_action
from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.links import absolute_url
from ai4media_portal.core.outbox import email_queue
from ai4media_portal.core.permissions import require_perm
from ai4media_portal.core.roles import Role
from ai4media_portal.core.workflow import set_state

from ...engine.assignment import AssignmentProblem, assign_evaluators, load_statistics
from ...models import Call
from .. import selectors
from ..enums import RUN_TRANSITIONS, AssignmentSource, RunProgress, RunStatus
from ..models import Assignment, AssignmentRun
from .common import _ensure_evaluating, _lock_call, _start_evaluation, refuse_own_cases
from .conflicts import conflicts_detect

logger = logging.getLogger(__name__)

# A run that has not finished in this time is taken for dead (its worker was lost).
STALE_RUN = timedelta(minutes=30)
# The first key of the PostgreSQL advisory lock that the worker executing a run holds (the
# second is the run's id): the lock dies with the worker's connection, even when the worker is
# killed, so a run whose lock is free while it says "running" has lost its worker.
RUN_LOCK_NAMESPACE = 4015


@contextmanager
def _run_claim(run_id: int, *, wait: float = 0.0) -> Iterator[bool]:
    """Hold the run's advisory lock (session level, outside any transaction) while the body
    runs; yields False if another connection holds it after ``wait`` seconds."""
    deadline = time.monotonic() + wait
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [RUN_LOCK_NAMESPACE, run_id])
            claimed = cursor.fetchone()[0]
            if claimed or time.monotonic() >= deadline:
                break
            time.sleep(0.1)
    try:
        yield claimed
    finally:
        if claimed:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [RUN_LOCK_NAMESPACE, run_id])


def _worker_lost(run: AssignmentRun) -> bool:
    """A run that says "running" but whose worker no longer holds its lock."""
    if run.status != RunStatus.RUNNING:
        return False
    with _run_claim(run.pk) as claimed:
        return claimed


# --- Automatic assignment ---------------------------------------------------------------------


@transaction.atomic
def assignment_run_start(*, call: Call, actor) -> AssignmentRun:
    """Queue an automatic assignment of the call (a Celery task runs it after commit; its
    progress is on the run). Only one run at a time; a run silent for 30 minutes is taken for
    dead. Call managers who are not a party to any of the call's proposals."""
    require_perm(actor, "opencalls.manage_evaluation")
    call = _lock_call(call)
    _ensure_evaluating(call)
    refuse_own_cases(call, actor)
    active = AssignmentRun.objects.select_for_update().filter(
        call=call, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
    )
    for run in active:
        if run.created_at > timezone.now() - STALE_RUN and not _worker_lost(run):
            raise PortalError(
                _("An automatic assignment is already running for this call."), code="running"
            )
        run.step = RunProgress.STALE
        run.finished_at = timezone.now()
        set_state(run, RunStatus.FAILED, RUN_TRANSITIONS, also=["step", "finished_at"])
    run = AssignmentRun.objects.create(call=call, actor=actor, step=RunProgress.QUEUED)
    log_action("opencalls.evaluation.run.start", actor=actor, target=call, data={"run": run.pk})

    transaction.on_commit(partial(_hand_run_to_worker, run.pk))
    return run


def _hand_run_to_worker(run_id: int) -> None:
    """Queue the run's task. If the broker (Redis) cannot be reached the run is marked failed
    at once, saying so, rather than the manager's request failing or the run waiting for a
    worker that will never hear of it; they start it again once Redis is back."""
    try:
        # By name: the task module imports the services, not the other way round.
        signature("opencalls.evaluation.run_assignment", args=(run_id,)).delay()
    except (BrokerUnreachable, OSError) as error:
        logger.warning("Assignment run %s not queued (%s: %s)", run_id, type(error).__name__, error)
        if not AssignmentRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).exists():
            return
        _run_finish(
            run_id,
            status=RunStatus.FAILED,
            step=RunProgress.STALE,
            issues=[{"code": "broker_down", "message": "broker_down", "params": {}}],
        )


def _run_progress(run_id: int, fraction: float, step: RunProgress) -> None:
    # Outside any transaction: each update commits at once so the manager's page sees it.
    AssignmentRun.objects.filter(pk=run_id).update(
        progress=max(0.0, min(1.0, fraction)), step=RunProgress(step)
    )


def _issue_json(issue, proposal_labels, evaluator_labels) -> dict:
    def plain(value):
        if isinstance(value, Decimal):
            return str(value)
        if hasattr(value, "item"):
            return value.item()
        return value

    return {
        "code": issue.code,
        "message": issue.message,
        "params": {k: plain(v) for k, v in dict(issue.params).items()},
        "proposals": [proposal_labels.get(p, str(p)) for p in issue.proposal_ids],
        "evaluators": [evaluator_labels.get(e, str(e)) for e in issue.evaluator_ids],
    }


def _run_finish(run_id: int, *, status: RunStatus, **fields) -> AssignmentRun:
    with transaction.atomic():
        run = AssignmentRun.objects.select_for_update().get(pk=run_id)
        run.finished_at = timezone.now()
        run.progress = 1.0 if status == RunStatus.SUCCEEDED else run.progress
        for name, value in fields.items():
            setattr(run, name, value)
        set_state(run, status, RUN_TRANSITIONS, also=["finished_at", "progress", *fields])
        log_action(
            "opencalls.evaluation.run.finish",
            actor=run.actor,
            target=run.call,
            data={"run": run.pk, "status": status.value},
        )
        return run


def _snapshot(call: Call) -> set:
    return set(
        Assignment.objects.filter(call=call).values_list(
            "proposal_id", "evaluator_id", "locked", "review__id"
        )
    )


def assignment_run_execute(*, run_id: int) -> AssignmentRun:
    """Run the automatic assignment recorded as ``run_id`` (the Celery task calls this).

    Conflicts are detected again first. Locked assignments and those whose review has started
    are kept; every other assignment of the call's eligible proposals may be replaced. The
    engine then gives every proposal exactly ``k`` evaluators (the call's setting), none
    conflicted, none above their maximum for the call, loads evened out by the call's
    ``balance_weight`` setting and, at that price, the highest total affinity (an exact
    min-cost flow; the affinity given up against the pure optimum is stored with the run's
    statistics). An impossible problem fails with the engine's
    explanations. The result is written in one transaction, and only if nobody changed the
    call's assignments meanwhile; proposals that receive evaluators go under evaluation."""
    run = AssignmentRun.objects.select_related("call", "actor").get(pk=run_id)
    if run.status not in (RunStatus.QUEUED, RunStatus.RUNNING):
        return run  # a retry of a run already finished
    # The task is delivered again when its worker died mid-run (acks_late,
    # task_reject_on_worker_lost): the dead worker's connection, and with it the lock, is
    # gone within moments; a live one keeps it, and this delivery is a duplicate.
    with _run_claim(run_id, wait=5.0) as claimed:
        if not claimed:
            return run
        run.refresh_from_db()
        if run.status == RunStatus.RUNNING:
            return _run_lost(run)
        if run.status != RunStatus.QUEUED:
            return run
        return _run_claimed(run)


def _run_lost(run: AssignmentRun) -> AssignmentRun:
    """The worker of a running run was lost (killed, out of memory, restarted). Its result
    is written in one transaction, so nothing of it was saved: the run is marked failed and
    the call managers are told they can start it again."""
    logger.error("Assignment run %s lost its worker; marked failed", run.pk)
    with transaction.atomic():
        finished = _run_finish(
            run.pk,
            status=RunStatus.FAILED,
            step=RunProgress.STALE,
            issues=[{"code": "worker_lost", "message": "worker_lost", "params": {}}],
        )
        _tell_managers_it_stopped(finished)
    return finished


def _tell_managers_it_stopped(run: AssignmentRun) -> None:
    """Email the call managers that ``run`` stopped without finishing (its worker was lost,
    or it crashed, e.g. its database connection ended) and changed nothing."""
    managers = emails_of(Role.CALL_MANAGER)
    if managers:
        email_queue(
            to=managers,
            template="opencalls/evaluation/run_failed",
            context={
                "call": run.call,
                "run": run,
                "url": absolute_url("opencalls:evaluation:run", run.call.number, run.pk),
            },
        )


def _run_claimed(run: AssignmentRun) -> AssignmentRun:
    run_id = run.pk
    with transaction.atomic():
        locked_run = AssignmentRun.objects.select_for_update().get(pk=run_id)
        locked_run.started_at = timezone.now()
        locked_run.step = RunProgress.DETECTING
        set_state(locked_run, RunStatus.RUNNING, RUN_TRANSITIONS, also=["started_at", "step"])
    call = run.call
    try:
        return _execute(run, call)
    except Exception as error:
        logger.exception("Assignment run %s failed", run_id)
        with transaction.atomic():
            finished = _run_finish(
                run_id,
                status=RunStatus.FAILED,
                step=RunProgress.CRASHED,
                issues=[{"code": "solver_failed", "message": str(error)[:500], "params": {}}],
            )
            _tell_managers_it_stopped(finished)
        return finished


def _execute(run: AssignmentRun, call: Call) -> AssignmentRun:
    conflicts_detect(call=call, actor=run.actor)
    _run_progress(run.pk, 0.05, RunProgress.READING)
    proposals = list(selectors.assignable_proposals(call))
    members = list(selectors.accepted_pool(call))
    if not proposals or not members:
        code = "no_proposals" if not proposals else "no_evaluators"
        return _run_finish(
            run.pk,
            status=RunStatus.FAILED,
            step=RunProgress.NOTHING,
            issues=[{"code": code, "message": code, "params": {}}],
        )
    before = _snapshot(call)
    proposal_ids = {p.pk for p in proposals}
    existing = list(
        Assignment.objects.filter(call=call, proposal_id__in=proposal_ids).select_related(
            "review", "evaluator"
        )
    )
    # A review set aside stays for the record but its proposal needs a replacement: the pair
    # is left alone (never removed, never chosen again) and its work still uses capacity.
    aside = [a for a in existing if getattr(selectors.review_of(a), "is_set_aside", False)]
    existing = [a for a in existing if a not in aside]
    kept = [a for a in existing if a.locked or selectors.review_of(a) is not None]
    member_ids = {m.evaluator_id for m in members}
    capacity = {m.evaluator_id: m.max_proposals for m in members}
    labels = {m.evaluator_id: m.evaluator.display_name for m in members}
    # Someone who left the pool keeps what they started; they take nothing new.
    outsiders = {}
    for a in kept:
        if a.evaluator_id not in member_ids:
            outsiders[a.evaluator_id] = outsiders.get(a.evaluator_id, 0) + 1
            labels[a.evaluator_id] = a.evaluator.display_name
    # Assignments in other proposals of the call (e.g. already decided) use capacity too.
    elsewhere = dict(
        Assignment.objects.filter(call=call)
        .exclude(proposal_id__in=proposal_ids)
        .values_list("evaluator_id")
        .annotate(n=Count("pk"))
        .values_list("evaluator_id", "n")
    )
    for a in aside:
        elsewhere[a.evaluator_id] = elsewhere.get(a.evaluator_id, 0) + 1
    _run_progress(run.pk, 0.1, RunProgress.AFFINITIES)
    matrix = selectors.affinity_for(proposals, members)
    evaluator_ids = [*matrix.evaluator_ids, *outsiders]
    scores = matrix.scores
    if outsiders:
        import numpy as np

        scores = np.hstack([scores, np.zeros((len(proposals), len(outsiders)))])
    max_load = {
        e: max(0, capacity.get(e, outsiders.get(e, 0)) - elsewhere.get(e, 0)) for e in evaluator_ids
    }
    conflict_pairs = [
        pair
        for pair in [
            *selectors.active_conflict_pairs(call),
            *((a.proposal_id, a.evaluator_id) for a in aside),
        ]
        if pair[0] in proposal_ids and pair[1] in set(evaluator_ids)
    ]
    proposal_labels = {p.pk: p.reference for p in proposals}
    problem = AssignmentProblem(
        proposal_ids=list(matrix.proposal_ids),
        evaluator_ids=evaluator_ids,
        affinity=scores,
        k=call.evaluators_per_proposal,
        max_load=max_load,
        conflicts=conflict_pairs,
        locked=[(a.proposal_id, a.evaluator_id) for a in kept],
        proposal_labels=proposal_labels,
        evaluator_labels=labels,
    )

    def progress(fraction: float, step: str) -> None:
        # The engine's step codes are ``RunProgress`` values.
        _run_progress(run.pk, 0.1 + 0.85 * fraction, RunProgress(step))

    balance_weight = float(selectors.settings_for(call).balance_weight)
    result = assign_evaluators(problem, balance_weight=balance_weight, progress=progress)
    if not result.ok:
        return _run_finish(
            run.pk,
            status=RunStatus.FAILED,
            step=RunProgress.IMPOSSIBLE,
            issues=[_issue_json(i, proposal_labels, labels) for i in result.issues],
        )
    _run_progress(run.pk, 0.96, RunProgress.SAVING)
    # Only the chosen pairs: a dict of every pair would not fit in memory for a large call.
    row = {pid: i for i, pid in enumerate(problem.proposal_ids)}
    column = {eid: j for j, eid in enumerate(evaluator_ids)}
    affinity_of = {(pid, eid): float(scores[row[pid], column[eid]]) for pid, eid in result.pairs}
    with transaction.atomic():
        _lock_call(call)
        if _snapshot(call) != before:
            return _run_finish(
                run.pk,
                status=RunStatus.FAILED,
                step=RunProgress.CHANGED,
                issues=[
                    {
                        "code": "changed",
                        "message": "Assignments changed while the run was working; run it again.",
                        "params": {},
                    }
                ],
            )
        chosen = set(result.pairs)
        current = {(a.proposal_id, a.evaluator_id): a for a in existing}
        kept_pairs = {(a.proposal_id, a.evaluator_id) for a in kept}
        removed = [
            a for pair, a in current.items() if pair not in chosen and pair not in kept_pairs
        ]
        Assignment.objects.filter(pk__in=[a.pk for a in removed]).delete()
        new = [
            Assignment(
                call=call,
                proposal_id=pid,
                evaluator_id=eid,
                source=AssignmentSource.AUTOMATIC,
                run_id=run.pk,
                affinity=affinity_of[(pid, eid)],
                created_by=run.actor,
            )
            for pid, eid in result.pairs
            if (pid, eid) not in current
        ]
        Assignment.objects.bulk_create(new)
        for pair, assignment in current.items():
            if pair in chosen and assignment.affinity is None:
                Assignment.objects.filter(pk=assignment.pk).update(affinity=affinity_of[pair])
        for proposal in proposals:
            _start_evaluation(proposal, run.actor)
        stats = {
            "loads": {str(e): n for e, n in result.loads.items()},
            "load": load_statistics({e: n for e, n in result.loads.items() if e in member_ids}),
            "kept": len(kept),
            "created": len(new),
            "removed": len(removed),
            "unchanged": len(chosen) - len(new),
            "proposals": len(proposals),
            "evaluators": len(members),
            "k": call.evaluators_per_proposal,
            "seconds": round(result.solve_seconds, 2),
            "balance_weight": balance_weight,
            "affinity_given_up": result.affinity_given_up,
        }
        log_action(
            "opencalls.evaluation.run.apply",
            actor=run.actor,
            target=call,
            data={"run": run.pk, "created": len(new), "removed": len(removed)},
        )
        return _run_finish(
            run.pk,
            status=RunStatus.SUCCEEDED,
            step=RunProgress.DONE,
            total_affinity=result.total_affinity,
            upper_bound=result.upper_bound,
            gap=result.gap,
            stats=stats,
        )
