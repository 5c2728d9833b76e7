"""Automatic assignment at the scale of a large call: 1,000 proposals, 200 evaluators,
k = 3, at most 20 reviews each, 5 % random conflicts, affinities from TF-IDF over
generated texts. Targets: affinity + assignment under 30 s, balanced total affinity within
1 % of the optimum of the LP relaxation of the pure affinity problem."""

from __future__ import annotations

import time

import numpy as np

from opencalls.engine.affinity import compute_affinity
from opencalls.engine.assignment import (
    AssignmentProblem,
    AssignmentResult,
    assign_evaluators,
    load_statistics,
)

from . import data
from .report import Row

NAME = "assignment"
PROPOSALS, EVALUATORS, K, MAX_LOAD, CONFLICT_SHARE = 1000, 200, 3, 20, 0.05
TIME_TARGET, GAP_TARGET = 30.0, 0.01


def run() -> list[Row]:
    proposals = data.proposals(PROPOSALS, seed=20211201)
    evaluators = data.evaluators(EVALUATORS, seed=951911)

    started = time.perf_counter()
    affinity = compute_affinity(proposals, evaluators)
    affinity_seconds = time.perf_counter() - started

    conflicts = data.random_conflicts(
        list(affinity.proposal_ids),
        list(affinity.evaluator_ids),
        share=CONFLICT_SHARE,
        seed=17,
    )
    problem = AssignmentProblem(
        proposal_ids=affinity.proposal_ids,
        evaluator_ids=affinity.evaluator_ids,
        affinity=affinity.scores,
        k=K,
        max_load=MAX_LOAD,
        conflicts=conflicts,
    )
    started = time.perf_counter()
    result = assign_evaluators(problem)
    assignment_seconds = time.perf_counter() - started
    total_seconds = affinity_seconds + assignment_seconds

    size = f"{PROPOSALS} × {EVALUATORS}, k={K}, max {MAX_LOAD}, {len(conflicts)} conflicts"
    rows = [
        Row(NAME, "instance", size),
        Row(NAME, "affinity (TF-IDF + cosine)", f"{affinity_seconds:.2f} s"),
        Row(NAME, "assignment (bound + balanced LP)", f"{assignment_seconds:.2f} s"),
        Row(
            NAME,
            "affinity + assignment",
            f"{total_seconds:.2f} s",
            f"< {TIME_TARGET:.0f} s",
            total_seconds < TIME_TARGET and result.ok,
        ),
    ]
    if not result.ok:
        return [*rows, Row(NAME, "status", "; ".join(result.messages), "optimal", False)]

    pure = assign_evaluators(problem, balance_weight=0, compute_bound=False)
    balanced_loads = load_statistics(result.loads)
    pure_loads = load_statistics(pure.loads)
    rows += [
        Row(NAME, "LP optimum, pure affinity (bound)", f"{result.upper_bound:.3f}"),
        Row(NAME, "balanced total affinity", f"{result.total_affinity:.3f}"),
        Row(
            NAME,
            "gap to the bound",
            f"{result.gap:.3%}",
            f"≤ {GAP_TARGET:.0%}",
            result.gap <= GAP_TARGET,
        ),
        Row(NAME, "balance weight chosen", f"{result.balance_weight:.5f}"),
        Row(NAME, "loads, balanced (min/max/mean)", _loads(balanced_loads)),
        Row(NAME, "loads, pure affinity (min/max/mean)", _loads(pure_loads)),
        Row(NAME, "load std dev, balanced / pure", f"{_std(result):.2f} / {_std(pure):.2f}"),
        Row(NAME, "every constraint holds", *_constraints(problem, conflicts, result)),
    ]
    return rows


def _loads(stats: dict[str, float]) -> str:
    return f"{stats['min']} / {stats['max']} / {stats['mean']:.1f}"


def _std(result: AssignmentResult) -> float:
    return float(np.std(list(result.loads.values())))


def _constraints(problem, conflicts, result) -> tuple[str, str, bool]:
    per_proposal: dict[int, set[int]] = {}
    for proposal_id, evaluator_id in result.pairs:
        per_proposal.setdefault(proposal_id, set()).add(evaluator_id)
    exact_k = (
        len(per_proposal) == PROPOSALS
        and all(len(evaluators) == K for evaluators in per_proposal.values())
        and len(result.pairs) == PROPOSALS * K
    )
    no_conflict = not set(result.pairs) & set(conflicts)
    within = max(result.loads.values()) <= MAX_LOAD
    fine = exact_k and no_conflict and within
    return ("yes" if fine else "NO", "k each, no conflict, ≤ max", fine)
