"""Property-based tests of the assignment: on random instances either every rule holds or
the instance is reported infeasible, and then an independent maximum-flow argument (a few
lines of plain Python, sharing nothing with the engine) confirms that it is."""

import math
from collections import deque

import numpy as np
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from opencalls.engine.assignment import (
    AssignmentProblem,
    AssignmentStatus,
    assign_evaluators,
    check_feasibility,
)

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


def feasible_by_max_flow(problem: AssignmentProblem) -> bool:
    """Plain Edmonds–Karp on source → proposal → evaluator → sink, after placing the locks."""
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
    capacity: dict[object, dict[object, int]] = {"source": {}, "sink": {}}
    for p in problem.proposal_ids:
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
            return flow == sum(need.values())
        node = "sink"
        while parent[node] is not None:
            previous = parent[node]
            capacity[previous][node] -= 1
            capacity[node][previous] = capacity[node].get(previous, 0) + 1
            node = previous
        flow += 1


def best_total_by_milp(problem: AssignmentProblem) -> float:
    """The pure affinity optimum as a 0/1 programme written from scratch (dense)."""
    n_p, n_e = len(problem.proposal_ids), len(problem.evaluator_ids)
    p_index = {p: i for i, p in enumerate(problem.proposal_ids)}
    e_index = {e: j for j, e in enumerate(problem.evaluator_ids)}
    lower, upper = np.zeros((n_p, n_e)), np.ones((n_p, n_e))
    for p, e in [*problem.conflicts, *problem.excluded]:
        upper[p_index[p], e_index[e]] = 0
    for p, e in problem.locked:
        lower[p_index[p], e_index[e]] = 1
    rows = np.kron(np.eye(n_p), np.ones(n_e))
    columns = np.kron(np.ones(n_p), np.eye(n_e))
    caps = np.array([problem.max_load[e] for e in problem.evaluator_ids], dtype=float)
    outcome = milp(
        -np.asarray(problem.affinity).ravel(),
        constraints=[
            LinearConstraint(rows, problem.k, problem.k),
            LinearConstraint(columns, 0, caps),
        ],
        integrality=np.ones(n_p * n_e),
        bounds=Bounds(lower.ravel(), upper.ravel()),
    )
    assert outcome.status == 0
    return -outcome.fun


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problem=instances(), tolerance=st.sampled_from([0.001, 0.01, 0.05]))
def test_assignment_keeps_every_rule_or_proves_infeasibility(problem, tolerance):
    result = assign_evaluators(problem, affinity_tolerance=tolerance)
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
    # The LP bound is the true integer optimum (total unimodularity) ...
    assert math.isclose(result.upper_bound, best_total_by_milp(problem), abs_tol=1e-6)
    # ... and balancing never gives up more than the tolerance.
    assert result.total_affinity <= result.upper_bound + 1e-9
    assert result.total_affinity >= (1 - tolerance) * result.upper_bound - 1e-9


@settings(max_examples=60, deadline=None)
@given(problem=instances())
def test_pure_affinity_assignment_reaches_the_bound(problem):
    result = assign_evaluators(problem, balance_weight=0)
    if result.ok:
        assert math.isclose(result.total_affinity, result.upper_bound, abs_tol=1e-9)
        assert result.balance_weight == 0.0
