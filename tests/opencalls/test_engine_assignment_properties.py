"""Property-based tests of the assignment: on random instances either every rule holds and
the objective equals the optimum of the same convex problem written from scratch as a linear
programme (HiGHS, through SciPy), or the instance is reported infeasible, and then an
independent maximum flow (a few lines of plain Python, sharing nothing with the engine)
confirms that it is, and that the group of proposals the explanation names is short."""

import math
from collections import deque

import numpy as np
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from scipy import sparse
from scipy.optimize import linprog

from opencalls.engine.assignment import (
    AssignmentProblem,
    AssignmentStatus,
    assign_evaluators,
    check_feasibility,
)

# Affinities become integers of 1e-6: the flow's objective may differ from the exact
# optimum by up to 1e-6 per assigned pair, plus the LP solver's own tolerance.
ROUNDING = 1e-6

KNOWN_CODES = {
    "locked_conflict",
    "locked_excluded",
    "locked_over_k",
    "locked_over_capacity",
    "capacity",
    "too_few_evaluators",
    "proposal_short",
    "group_short",
}


@st.composite
def instances(draw):
    n_p = draw(st.integers(1, 40))
    n_e = draw(st.integers(1, 15))
    k = draw(st.integers(1, 4))
    # Capacities around the average load needed, so instances fall on both sides of the edge.
    average = math.ceil(n_p * k / n_e)
    capacities = draw(
        st.lists(st.integers(max(0, average - 3), average + 4), min_size=n_e, max_size=n_e)
    )
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    # Two decimals give ties; some zeros are realistic for TF-IDF.
    affinity = np.round(rng.random((n_p, n_e)), 2) * (rng.random((n_p, n_e)) < 0.8)
    conflict_share = draw(st.sampled_from([0.0, 0.05, 0.2, 0.5]))
    conflicts = rng.random((n_p, n_e)) < conflict_share
    if draw(st.booleans()):
        # A group of proposals that only a few evaluators may read: shortages that show
        # only when the group is taken together.
        group = draw(st.integers(1, n_p))
        readers = draw(st.integers(1, n_e))
        conflicts[:group, readers:] = True
    pair = st.tuples(st.integers(0, n_p - 1), st.integers(0, n_e - 1))
    locked = draw(st.lists(pair, max_size=6, unique=True))
    excluded = draw(st.lists(pair, max_size=6, unique=True))
    if draw(st.integers(0, 9)) != 0:
        # Mostly, managers lock pairs that are allowed.
        excluded = [item for item in excluded if item not in locked]
        for i, j in locked:
            conflicts[i, j] = False
    p_ids = [f"P-{i}" for i in range(n_p)]
    e_ids = [f"E-{j}" for j in range(n_e)]
    return AssignmentProblem(
        proposal_ids=p_ids,
        evaluator_ids=e_ids,
        affinity=affinity,
        k=k,
        max_load=dict(zip(e_ids, capacities, strict=True)),
        conflicts=[(p_ids[i], e_ids[j]) for i, j in zip(*np.nonzero(conflicts), strict=True)],
        locked=[(p_ids[i], e_ids[j]) for i, j in locked],
        excluded=[(p_ids[i], e_ids[j]) for i, j in excluded],
    )


def feasible_by_max_flow(problem: AssignmentProblem, proposals=None) -> bool:
    """Plain Edmonds–Karp on source → proposal → evaluator → sink, after placing the locks;
    over ``proposals`` only when given (then the others' locks still use capacity)."""
    forbidden = set(problem.conflicts) | set(problem.excluded)
    locked = set(problem.locked)
    if locked & forbidden:
        return False
    need = dict.fromkeys(problem.proposal_ids, problem.k)
    free = dict(problem.max_load)
    for p, e in locked:
        need[p] -= 1
        free[e] -= 1
    if min(need.values()) < 0 or min(free.values()) < 0:
        return False
    chosen = problem.proposal_ids if proposals is None else proposals
    capacity: dict[object, dict[object, int]] = {"source": {}, "sink": {}}
    for p in chosen:
        capacity["source"][p] = need[p]
        capacity[p] = {
            e: 1 for e in problem.evaluator_ids if (p, e) not in forbidden and (p, e) not in locked
        }
    for e in problem.evaluator_ids:
        capacity[e] = {"sink": free[e]}
    flow = 0
    while True:
        parent = {"source": None}
        queue = deque(["source"])
        while queue and "sink" not in parent:
            node = queue.popleft()
            for neighbour, room in capacity[node].items():
                if room > 0 and neighbour not in parent:
                    parent[neighbour] = node
                    queue.append(neighbour)
        if "sink" not in parent:
            return flow == sum(need[p] for p in chosen)
        node = "sink"
        while parent[node] is not None:
            previous = parent[node]
            capacity[previous][node] -= 1
            capacity[node][previous] = capacity[node].get(previous, 0) + 1
            node = previous
        flow += 1


def load_step(problem: AssignmentProblem, weight: float) -> float:
    """The price of one more review, as the engine documents it: ``weight`` × the mean
    affinity of each proposal's k best evaluators without a conflict or an exclusion and
    with a maximum above 0, rounded to 1e-6 (at least 1e-6 when ``weight`` > 0)."""
    forbidden = set(problem.conflicts) | set(problem.excluded)
    best = []
    for i, p in enumerate(problem.proposal_ids):
        allowed = [
            problem.affinity[i, j]
            for j, e in enumerate(problem.evaluator_ids)
            if (p, e) not in forbidden and problem.max_load[e] > 0
        ]
        best += sorted(allowed, reverse=True)[: problem.k]
    unit = math.fsum(best) / len(best) if best else 0.0
    step = round(weight * unit * 1e6)
    return max(step, 1 if weight > 0 else 0) / 1e6


def convex_optimum_by_lp(problem: AssignmentProblem, step: float) -> float:
    """max Σ affinity·x − Σ step·(r − 1)·y over x (one per pair, 0–1, conflicts and
    exclusions at 0, locks at 1) and y (one per place r of each evaluator, 0–1), every
    proposal's x summing to k and every evaluator's x to their y. Its matrix is a network
    matrix, so this LP has the same optimum as the whole-number problem."""
    n_p, n_e = len(problem.proposal_ids), len(problem.evaluator_ids)
    p_index = {p: i for i, p in enumerate(problem.proposal_ids)}
    e_index = {e: j for j, e in enumerate(problem.evaluator_ids)}
    lower, upper = np.zeros((n_p, n_e)), np.ones((n_p, n_e))
    for p, e in [*problem.conflicts, *problem.excluded]:
        upper[p_index[p], e_index[e]] = 0
    for p, e in problem.locked:
        lower[p_index[p], e_index[e]] = 1
    caps = [problem.max_load[e] for e in problem.evaluator_ids]
    owner = np.repeat(np.arange(n_e), caps)
    rank = np.concatenate([np.arange(c) for c in caps]) if n_e else np.zeros(0)
    n_y = len(owner)
    cost = np.concatenate([-np.asarray(problem.affinity, dtype=float).ravel(), step * rank])
    per_proposal = sparse.hstack(
        [sparse.kron(sparse.eye(n_p), np.ones((1, n_e))), sparse.csr_array((n_p, n_y))]
    )
    per_evaluator = sparse.hstack(
        [
            sparse.kron(np.ones((1, n_p)), sparse.eye(n_e)),
            -sparse.csr_array((np.ones(n_y), (owner, np.arange(n_y))), shape=(n_e, n_y)),
        ]
    )
    outcome = linprog(
        cost,
        A_eq=sparse.vstack([per_proposal, per_evaluator]).tocsr(),
        b_eq=np.concatenate([np.full(n_p, problem.k), np.zeros(n_e)]),
        bounds=np.column_stack(
            [
                np.concatenate([lower.ravel(), np.zeros(n_y)]),
                np.concatenate([upper.ravel(), np.ones(n_y)]),
            ]
        ),
        method="highs",
    )
    assert outcome.status == 0, outcome.message
    return -outcome.fun


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    problem=instances(),
    weight=st.sampled_from([0.0, 0.02, 0.3, 4.0]),
    candidates=st.sampled_from([1, 2, 40]),
)
def test_assignment_keeps_every_rule_or_proves_infeasibility(problem, weight, candidates):
    result = assign_evaluators(problem, balance_weight=weight, candidates=candidates)
    truly_feasible = feasible_by_max_flow(problem)
    event(f"status: {result.status}")
    assert (check_feasibility(problem) == ()) == truly_feasible

    if result.status == AssignmentStatus.INFEASIBLE:
        assert not truly_feasible
        assert result.pairs == ()
        assert result.issues
        for issue in result.issues:
            assert issue.code in KNOWN_CODES
            assert issue.message.endswith(".")
            event(f"reason: {issue.code}")
            if issue.code in {"proposal_short", "group_short"}:
                # The proposals named cannot get their evaluators even on their own.
                assert not feasible_by_max_flow(problem, issue.proposal_ids)
        return

    assert result.status == AssignmentStatus.OPTIMAL
    assert truly_feasible
    forbidden = set(problem.conflicts) | set(problem.excluded)
    for p in problem.proposal_ids:
        evaluators = result.evaluators_for(p)
        assert len(evaluators) == problem.k
        assert len(set(evaluators)) == problem.k
    assert len(result.pairs) == len(set(result.pairs)) == len(problem.proposal_ids) * problem.k
    assert not set(result.pairs) & forbidden
    assert set(problem.locked) <= set(result.pairs)
    for e in problem.evaluator_ids:
        assert result.loads[e] == len(result.proposals_for(e)) <= problem.max_load[e]

    p_index = {p: i for i, p in enumerate(problem.proposal_ids)}
    e_index = {e: j for j, e in enumerate(problem.evaluator_ids)}
    total = math.fsum(problem.affinity[p_index[p], e_index[e]] for p, e in result.pairs)
    assert math.isclose(result.total_affinity, total, abs_tol=1e-9)
    step = load_step(problem, weight)
    assert math.isclose(result.balance_step, step, abs_tol=1e-12)
    penalty = step * sum(load * (load - 1) / 2 for load in result.loads.values())
    assert math.isclose(result.load_penalty, penalty, abs_tol=1e-9)

    # Exact: the balanced objective is the LP optimum of the same convex problem, and the
    # pure optimum is the LP optimum without the load price.
    tolerance = ROUNDING * len(result.pairs) + 1e-6
    assert abs(result.objective - convex_optimum_by_lp(problem, step)) <= tolerance
    assert abs(result.upper_bound - convex_optimum_by_lp(problem, 0.0)) <= tolerance
    assert result.total_affinity <= result.upper_bound + tolerance


@settings(max_examples=60, deadline=None)
@given(problem=instances())
def test_pure_affinity_assignment_reaches_the_bound(problem):
    result = assign_evaluators(problem, balance_weight=0)
    if result.ok:
        assert math.isclose(result.total_affinity, result.upper_bound, abs_tol=1e-9)
        assert (result.balance_step, result.load_penalty) == (0.0, 0.0)
