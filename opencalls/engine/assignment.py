"""Which evaluators read which proposals: an optimisation, not a greedy loop.

The assignment is a bipartite b-matching: every proposal gets exactly ``k`` distinct
evaluators, every evaluator at most their maximum load, conflicted and excluded pairs are
never used and locked pairs always are. It is solved as a linear programme with HiGHS
(``scipy.optimize.linprog``). The constraint matrix of a bipartite b-matching is totally
unimodular, so the optimum found by the simplex method is a vertex with 0/1 values; the
solution is nevertheless checked for integrality and, should it ever not be, re-solved as
a mixed-integer programme.

Loads are balanced with a convex piecewise-linear penalty: an evaluator's ``j``-th review
costs ``weight × (j − 1)``, modelled by unit "slot" variables with increasing cost, which
keeps the problem a min-cost flow (still integral). The weight is chosen from the instance
so the total affinity provably stays within ``affinity_tolerance`` (1 % by default) of the
unbalanced optimum: for the balanced solution ``b`` and the pure optimum ``*``,
``affinity(*) − affinity(b) ≤ weight × (penalty(*) − least possible penalty)``.

Before anything is solved the instance is checked, and an impossible one is explained in
words a call manager understands (see ``check_feasibility``). The check is exact: after the
simple explanations it runs a maximum flow, so a problem it lets through is feasible.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse.csgraph import breadth_first_order, maximum_flow

from .affinity import AffinityMatrix
from .types import Id

Progress = Callable[[float, str], None]

# Values this close to 0 or 1 are read as 0 or 1; anything further is a fractional solution.
INTEGRALITY_TOLERANCE = 1e-6
# Up to how many names a message lists before it says "and N more".
MAX_NAMES_IN_MESSAGE = 8
# How many balanced solves the automatic weight search may spend.
BALANCE_PROBES = 5


class AssignmentStatus(StrEnum):
    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"
    FAILED = "failed"


@dataclass(frozen=True)
class AssignmentIssue:
    """Why no assignment is possible (or why the solver gave up). ``code`` is stable for
    programs; ``message`` is for the call manager; ``params`` holds the numbers in it."""

    code: str
    message: str
    proposal_ids: tuple[Id, ...] = ()
    evaluator_ids: tuple[Id, ...] = ()
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class AssignmentProblem:
    """One call's assignment problem.

    ``affinity[i, j]`` is the affinity of ``proposal_ids[i]`` and ``evaluator_ids[j]``.
    ``max_load`` is one maximum for everyone, a mapping evaluator id → maximum, or a
    sequence aligned with ``evaluator_ids``. ``conflicts`` are (proposal id, evaluator id)
    pairs or a boolean P×E mask; ``locked`` pairs are fixed by the call manager and always
    kept; ``excluded`` pairs are never used. Labels (e.g. "P-17", "Dr Ada Byron") name
    things in messages; ids are used where a label is missing.
    """

    proposal_ids: Sequence[Id]
    evaluator_ids: Sequence[Id]
    affinity: np.ndarray
    k: int = 3
    max_load: int | Mapping[Id, int] | Sequence[int] = 20
    conflicts: Iterable[tuple[Id, Id]] | np.ndarray = ()
    locked: Iterable[tuple[Id, Id]] = ()
    excluded: Iterable[tuple[Id, Id]] = ()
    proposal_labels: Mapping[Id, str] = field(default_factory=dict)
    evaluator_labels: Mapping[Id, str] = field(default_factory=dict)

    @classmethod
    def from_affinity(cls, matrix: AffinityMatrix, **kwargs) -> AssignmentProblem:
        """The problem over the proposals and evaluators of ``compute_affinity``'s result."""
        return cls(matrix.proposal_ids, matrix.evaluator_ids, matrix.scores, **kwargs)


@dataclass(frozen=True)
class AssignmentResult:
    """The outcome of ``assign_evaluators``.

    ``pairs`` are (proposal id, evaluator id), in the order of the problem's proposals then
    evaluators. ``loads`` has every evaluator, those without reviews at 0.
    ``upper_bound`` is the optimum of the LP relaxation of the pure affinity problem (no
    balancing), when computed; no assignment can have a higher total affinity.
    """

    status: AssignmentStatus
    pairs: tuple[tuple[Id, Id], ...] = ()
    loads: Mapping[Id, int] = field(default_factory=dict)
    total_affinity: float = 0.0
    upper_bound: float | None = None
    balance_weight: float = 0.0
    solve_seconds: float = 0.0
    issues: tuple[AssignmentIssue, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status == AssignmentStatus.OPTIMAL

    @property
    def messages(self) -> tuple[str, ...]:
        return tuple(issue.message for issue in self.issues)

    @property
    def gap(self) -> float | None:
        """Relative affinity given up for balance: (upper bound − total) / upper bound."""
        if self.upper_bound is None or not self.ok:
            return None
        if self.upper_bound <= 0:
            return 0.0
        return max(0.0, (self.upper_bound - self.total_affinity) / self.upper_bound)

    def evaluators_for(self, proposal_id: Id) -> tuple[Id, ...]:
        return tuple(e for p, e in self.pairs if p == proposal_id)

    def proposals_for(self, evaluator_id: Id) -> tuple[Id, ...]:
        return tuple(p for p, e in self.pairs if e == evaluator_id)


class _Instance:
    """The problem in index form: arrays the checks and the solver work on."""

    def __init__(self, problem: AssignmentProblem):
        self.problem = problem
        self.proposal_ids = tuple(problem.proposal_ids)
        self.evaluator_ids = tuple(problem.evaluator_ids)
        self.p_index = _index(self.proposal_ids, "proposal")
        self.e_index = _index(self.evaluator_ids, "evaluator")
        n_p, n_e = len(self.proposal_ids), len(self.evaluator_ids)
        if isinstance(problem.k, bool) or not isinstance(problem.k, int) or problem.k < 1:
            raise ValueError("k must be a positive whole number.")
        self.k = problem.k

        affinity = np.asarray(problem.affinity, dtype=np.float64)
        if affinity.shape != (n_p, n_e):
            raise ValueError(f"affinity has shape {affinity.shape}; expected {(n_p, n_e)}.")
        if not np.all(np.isfinite(affinity)):
            raise ValueError("affinity contains NaN or infinite values.")
        if np.any(affinity < 0):
            raise ValueError("affinity must not be negative.")
        self.affinity = affinity
        self.capacity = self._capacities(problem.max_load)

        self.conflict = self._mask(problem.conflicts, "conflicts")
        self.excluded = self._mask(problem.excluded, "excluded")
        self.locked = self._mask(problem.locked, "locked")
        # Pairs the solver may use. Locked pairs are in it unless a check refuses them.
        self.allowed = ~self.conflict & ~self.excluded & (self.capacity > 0)[None, :]
        self.allowed |= self.locked & ~self.conflict & ~self.excluded

    def _capacities(self, max_load) -> np.ndarray:
        n_e = len(self.evaluator_ids)
        if isinstance(max_load, int) and not isinstance(max_load, bool):
            capacity = np.full(n_e, max_load, dtype=np.int64)
        elif isinstance(max_load, Mapping):
            missing = [e for e in self.evaluator_ids if e not in max_load]
            if missing:
                raise ValueError(f"max_load has no maximum for evaluators {missing[:5]}.")
            capacity = np.array([max_load[e] for e in self.evaluator_ids], dtype=np.int64)
        else:
            capacity = np.asarray(list(max_load), dtype=np.int64)
            if capacity.shape != (n_e,):
                raise ValueError("max_load must have one maximum per evaluator.")
        if np.any(capacity < 0):
            raise ValueError("A maximum load cannot be negative.")
        return capacity

    def _mask(self, pairs, name: str) -> np.ndarray:
        shape = (len(self.proposal_ids), len(self.evaluator_ids))
        if isinstance(pairs, np.ndarray):
            if pairs.shape != shape:
                raise ValueError(f"{name} mask has shape {pairs.shape}; expected {shape}.")
            return pairs.astype(bool)
        mask = np.zeros(shape, dtype=bool)
        for proposal_id, evaluator_id in pairs:
            try:
                mask[self.p_index[proposal_id], self.e_index[evaluator_id]] = True
            except KeyError as error:
                raise ValueError(f"{name} names an unknown id: {error.args[0]!r}.") from None
        return mask

    def proposal(self, i: int) -> str:
        proposal_id = self.proposal_ids[i]
        return str(self.problem.proposal_labels.get(proposal_id, proposal_id))

    def evaluator(self, j: int) -> str:
        evaluator_id = self.evaluator_ids[j]
        return str(self.problem.evaluator_labels.get(evaluator_id, evaluator_id))


def _index(ids: tuple[Id, ...], what: str) -> dict[Id, int]:
    index = {identifier: position for position, identifier in enumerate(ids)}
    if len(index) != len(ids):
        raise ValueError(f"Duplicate {what} ids.")
    return index


def _names(names: Sequence[str]) -> str:
    shown = list(names[:MAX_NAMES_IN_MESSAGE])
    rest = len(names) - len(shown)
    if rest:
        return ", ".join(shown) + f" and {rest} more"
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


def check_feasibility(problem: AssignmentProblem) -> tuple[AssignmentIssue, ...]:
    """Every reason why ``problem`` has no assignment, in a call manager's words; empty
    when an assignment exists. Raises ``ValueError`` for malformed input (unknown ids,
    wrong shapes), which is a programming error rather than a property of the call."""
    return _check(_Instance(problem))


def _check(inst: _Instance) -> tuple[AssignmentIssue, ...]:
    issues: list[AssignmentIssue] = []
    k = inst.k
    n_p, n_e = inst.locked.shape
    p_ids, e_ids = inst.proposal_ids, inst.evaluator_ids

    for i, j in zip(*np.nonzero(inst.locked & inst.conflict), strict=True):
        issues.append(
            AssignmentIssue(
                "locked_conflict",
                f"{inst.evaluator(j)} is locked to proposal {inst.proposal(i)} but has a "
                f"conflict of interest with it.",
                (p_ids[i],),
                (e_ids[j],),
            )
        )
    for i, j in zip(*np.nonzero(inst.locked & inst.excluded), strict=True):
        issues.append(
            AssignmentIssue(
                "locked_excluded",
                f"{inst.evaluator(j)} is both locked to and excluded from proposal "
                f"{inst.proposal(i)}.",
                (p_ids[i],),
                (e_ids[j],),
            )
        )
    locked = inst.locked & ~inst.conflict & ~inst.excluded
    locked_per_proposal = locked.sum(axis=1)
    locked_per_evaluator = locked.sum(axis=0)
    for i in np.nonzero(locked_per_proposal > k)[0]:
        count = int(locked_per_proposal[i])
        issues.append(
            AssignmentIssue(
                "locked_over_k",
                f"Proposal {inst.proposal(i)} has {count} locked evaluators but needs exactly {k}.",
                (p_ids[i],),
                params={"locked": count, "k": k},
            )
        )
    for j in np.nonzero(locked_per_evaluator > inst.capacity)[0]:
        count, maximum = int(locked_per_evaluator[j]), int(inst.capacity[j])
        issues.append(
            AssignmentIssue(
                "locked_over_capacity",
                f"Locked assignments exceed the maximum load of evaluator "
                f"{inst.evaluator(j)}: {count} locked, maximum {maximum}.",
                evaluator_ids=(e_ids[j],),
                params={"locked": count, "max_load": maximum},
            )
        )

    needed = n_p * k
    total_capacity = int(inst.capacity.sum())
    if needed > total_capacity:
        issues.append(
            AssignmentIssue(
                "capacity",
                f"Total capacity {total_capacity} is below the {needed} reviews needed "
                f"({_plural(n_p, 'proposal')} × {k}).",
                params={"capacity": total_capacity, "needed": needed},
            )
        )
    if n_p and int((inst.capacity > 0).sum()) < k:
        able = int((inst.capacity > 0).sum())
        issues.append(
            AssignmentIssue(
                "too_few_evaluators",
                f"Each proposal needs {k} evaluators but only {able} of the "
                f"{_plural(n_e, 'evaluator')} can take reviews.",
                params={"k": k, "evaluators": able},
            )
        )
    if issues:
        return tuple(issues)

    # From here on the locks are consistent: work on what is left once they are placed.
    need = k - locked_per_proposal
    free = inst.capacity - locked_per_evaluator
    open_pairs = inst.allowed & ~locked & (free > 0)[None, :]
    available = open_pairs.sum(axis=1)
    for i in np.nonzero(available < need)[0]:
        found = int(available[i] + locked_per_proposal[i])
        excluded_here = bool(inst.excluded[i].any())
        without = "without a conflict or an exclusion" if excluded_here else "without a conflict"
        issues.append(
            AssignmentIssue(
                "proposal_short",
                f"Proposal {inst.proposal(i)} has only {_plural(found, 'evaluator')} "
                f"{without} and with free capacity; it needs {k}.",
                (p_ids[i],),
                params={"available": found, "k": k},
            )
        )
    if issues:
        return tuple(issues)
    group = _flow_shortage(inst, need, free, open_pairs)
    return (group,) if group else ()


def _flow_shortage(
    inst: _Instance, need: np.ndarray, free: np.ndarray, open_pairs: np.ndarray
) -> AssignmentIssue | None:
    """Exact test by maximum flow (source → proposals → evaluators → sink); when the flow
    falls short, the minimum cut names the proposals that compete for too few places."""
    n_p, n_e = open_pairs.shape
    total_need = int(need.sum())
    if total_need == 0:
        return None
    source, sink = 0, n_p + n_e + 1
    pi, ej = np.nonzero(open_pairs)
    has_free = np.nonzero(free > 0)[0]
    rows = np.concatenate([np.zeros(n_p, dtype=np.int64), 1 + pi, 1 + n_p + has_free])
    cols = np.concatenate([1 + np.arange(n_p), 1 + n_p + ej, np.full(len(has_free), sink)])
    caps = np.concatenate([need, np.ones(len(pi), dtype=np.int64), free[has_free]])
    size = n_p + n_e + 2
    graph = sparse.csr_array((caps.astype(np.int32), (rows, cols)), shape=(size, size))
    graph.sum_duplicates()
    result = maximum_flow(graph, source, sink)
    if result.flow_value >= total_need:
        return None

    residual = (sparse.csr_array(graph, dtype=np.int64) - result.flow).tocsr()
    residual.data[residual.data < 0] = 0
    residual.eliminate_zeros()
    reachable = breadth_first_order(residual, source, directed=True, return_predecessors=False)
    reached = np.zeros(size, dtype=bool)
    reached[reachable] = True
    short_proposals = np.nonzero(reached[1 : 1 + n_p])[0]
    bottleneck = np.nonzero(reached[1 + n_p : 1 + n_p + n_e])[0]
    group_need = int(need[short_proposals].sum())
    # What the group can get: the bottleneck evaluators' free places plus the pairs that
    # already lead outside the bottleneck (each worth one review at most).
    crossing = int(
        open_pairs[np.ix_(short_proposals, np.setdiff1d(np.arange(n_e), bottleneck))].sum()
    )
    possible = int(free[bottleneck].sum()) + crossing
    proposals = _names([inst.proposal(i) for i in short_proposals])
    evaluators = _names([inst.evaluator(j) for j in bottleneck])
    return AssignmentIssue(
        "group_short",
        f"Proposals {proposals} need {group_need} more evaluators between them, but at most "
        f"{possible} can be found: the evaluators without a conflict who could read them "
        f"({evaluators}) have only {int(free[bottleneck].sum())} free places left.",
        tuple(inst.proposal_ids[i] for i in short_proposals),
        tuple(inst.evaluator_ids[j] for j in bottleneck),
        params={"needed": group_need, "possible": possible},
    )


def assign_evaluators(
    problem: AssignmentProblem,
    *,
    balance_weight: float | None = None,
    affinity_tolerance: float = 0.01,
    compute_bound: bool = True,
    time_limit: float | None = None,
    progress: Progress | None = None,
) -> AssignmentResult:
    """Find the assignment with the highest total affinity among well-balanced ones.

    Guarantees, when the status is OPTIMAL: every proposal has exactly ``k`` distinct
    evaluators, no conflicted or excluded pair is used, every locked pair is used, no
    evaluator exceeds their maximum load. With ``balance_weight=None`` the weight is chosen
    so the total affinity is within ``affinity_tolerance`` of ``upper_bound`` (which is then
    always computed); ``balance_weight=0`` switches balancing off. When no assignment
    exists the status is INFEASIBLE and ``issues`` say why. ``progress(fraction, message)``
    is called as the work advances. Deterministic: the same problem gives the same result.
    """
    started = time.perf_counter()

    def report(fraction: float, message: str) -> None:
        if progress is not None:
            progress(fraction, message)

    report(0.0, "Checking conflicts, locks and capacities")
    inst = _Instance(problem)
    issues = _check(inst)
    if issues:
        return AssignmentResult(
            AssignmentStatus.INFEASIBLE,
            issues=issues,
            solve_seconds=time.perf_counter() - started,
        )
    if not inst.proposal_ids:
        report(1.0, "Done")
        return AssignmentResult(
            AssignmentStatus.OPTIMAL,
            loads=dict.fromkeys(inst.evaluator_ids, 0),
            solve_seconds=time.perf_counter() - started,
        )

    model = _Model(inst, time_limit)
    upper_bound = None
    pure = None
    if compute_bound or balance_weight is None or balance_weight == 0:
        report(0.1, "Finding the highest possible total affinity")
        pure = model.solve(weight=0.0)
        if isinstance(pure, AssignmentIssue):
            return _failed(pure, started)
        upper_bound = model.objective_affinity

    weight = 0.0 if balance_weight == 0 else balance_weight
    chosen = pure
    if weight is None:
        weight, chosen = _balance_automatically(
            model, pure, upper_bound, affinity_tolerance, report
        )
        if isinstance(chosen, AssignmentIssue):
            return _failed(chosen, started)
    elif weight > 0:
        report(0.5, "Balancing evaluator loads")
        chosen = model.solve(weight=weight)
        if isinstance(chosen, AssignmentIssue):
            return _failed(chosen, started)

    report(0.9, "Checking the assignment")
    problem_found = _verify(inst, chosen)
    if problem_found:
        return _failed(problem_found, started)
    pi, ej = np.nonzero(chosen)
    pairs = tuple(
        (inst.proposal_ids[i], inst.evaluator_ids[j]) for i, j in zip(pi, ej, strict=True)
    )
    loads = chosen.sum(axis=0)
    total = float(inst.affinity[pi, ej].sum())
    report(1.0, "Done")
    return AssignmentResult(
        AssignmentStatus.OPTIMAL,
        pairs=pairs,
        loads={e: int(load) for e, load in zip(inst.evaluator_ids, loads, strict=True)},
        total_affinity=total,
        upper_bound=upper_bound,
        balance_weight=float(weight),
        solve_seconds=time.perf_counter() - started,
    )


def _failed(issue: AssignmentIssue, started: float) -> AssignmentResult:
    status = (
        AssignmentStatus.INFEASIBLE
        if issue.code == "solver_infeasible"
        else AssignmentStatus.FAILED
    )
    return AssignmentResult(status, issues=(issue,), solve_seconds=time.perf_counter() - started)


def _balance_automatically(model, pure, upper_bound, tolerance, report):
    """The largest balance weight whose assignment stays within ``tolerance`` of the best
    total affinity, found in a few solves.

    The first probe uses the weight that is guaranteed to be within the tolerance (see the
    module docstring), so there is always an answer. The affinity lost grows with the weight
    (a parametric LP), so further probes interpolate on a log-log scale between the largest
    weight known to be within the tolerance and the smallest known to be beyond it, and stop
    once the loss is within the last fifth of the allowance.
    """
    excess = _penalty(pure.sum(axis=0)) - model.least_penalty
    if excess <= 0:
        # The best assignment is already as balanced as the capacities allow.
        return 0.0, pure
    if upper_bound <= 0:
        # Every usable pair has affinity 0: nothing to lose, balance firmly.
        return 1.0, model.solve(weight=1.0)
    allowance = tolerance * upper_bound
    if allowance <= 0:
        return 0.0, pure
    best_weight, best = 0.0, pure
    low, low_loss = 0.0, 0.0
    high = high_loss = None
    weight = allowance / excess
    for probe in range(BALANCE_PROBES):
        report(0.3 + 0.1 * probe, "Balancing evaluator loads")
        chosen = model.solve(weight=weight)
        if isinstance(chosen, AssignmentIssue):
            return weight, chosen
        loss = max(0.0, upper_bound - model.objective_affinity)
        if loss <= allowance:
            best_weight, best = weight, chosen
            low, low_loss = weight, loss
            if loss >= 0.8 * allowance:
                break
        else:
            high, high_loss = weight, loss
        aim = 0.9 * allowance
        if high is None:
            # The loss grows roughly with the square of the weight at this scale.
            factor = math.sqrt(aim / low_loss) if low_loss > 0 else 16.0
            weight = low * min(max(factor, 1.5), 16.0)
        elif low_loss > 0:
            share = math.log(aim / low_loss) / math.log(high_loss / low_loss)
            weight = low * (high / low) ** min(max(share, 0.2), 0.8)
        else:
            weight = math.sqrt(low * high) if low > 0 else high / 4
    return best_weight, best


def _penalty(loads: np.ndarray) -> float:
    loads = loads.astype(np.float64)
    return float((loads * (loads - 1) / 2).sum())


class _Model:
    """The sparse linear programme, built once and solved with different balance weights.

    Columns: one variable per usable (proposal, evaluator) pair, then one unit "slot" per
    place of each evaluator (slot ``j`` costs ``weight × (j − 1)``). Rows: each proposal's
    pairs sum to ``k``; each evaluator's pairs sum to their used slots (balanced) or stay
    within their maximum (pure).
    """

    def __init__(self, inst: _Instance, time_limit: float | None):
        self.inst = inst
        self.time_limit = time_limit
        n_p, n_e = inst.allowed.shape
        self.pi, self.ej = np.nonzero(inst.allowed)
        self.n_pairs = len(self.pi)
        self.gain = inst.affinity[self.pi, self.ej]
        lower = inst.locked[self.pi, self.ej].astype(np.float64)
        self.pair_bounds = (lower, np.ones(self.n_pairs))
        pair_ids = np.arange(self.n_pairs)
        self.proposal_rows = sparse.csr_array(
            (np.ones(self.n_pairs), (self.pi, pair_ids)), shape=(n_p, self.n_pairs)
        )
        self.evaluator_rows = sparse.csr_array(
            (np.ones(self.n_pairs), (self.ej, pair_ids)), shape=(n_e, self.n_pairs)
        )
        # No evaluator can read more than every proposal once, however high their maximum.
        capacity = np.minimum(inst.capacity, n_p)
        self.slot_owner = np.repeat(np.arange(n_e), capacity)
        self.slot_rank = np.concatenate([np.arange(c) for c in capacity]) if n_e else np.zeros(0)
        n_slots = len(self.slot_owner)
        self.slot_rows = sparse.csr_array(
            (-np.ones(n_slots), (self.slot_owner, np.arange(n_slots))), shape=(n_e, n_slots)
        )
        # The least penalty any assignment can have: the cheapest slots filled first.
        needed = n_p * inst.k
        cheapest = np.sort(self.slot_rank.astype(np.float64))[:needed]
        self.least_penalty = float(cheapest.sum())
        self.objective_affinity = 0.0

    def solve(self, *, weight: float) -> np.ndarray | AssignmentIssue:
        inst = self.inst
        n_p, n_e = inst.allowed.shape
        k_rhs = np.full(n_p, float(inst.k))
        if weight > 0:
            n_slots = len(self.slot_owner)
            cost = np.concatenate([-self.gain, weight * self.slot_rank])
            equality = sparse.vstack(
                [
                    sparse.hstack([self.proposal_rows, sparse.csr_array((n_p, n_slots))]),
                    sparse.hstack([self.evaluator_rows, self.slot_rows]),
                ],
                format="csr",
            )
            rhs = np.concatenate([k_rhs, np.zeros(n_e)])
            lower = np.concatenate([self.pair_bounds[0], np.zeros(n_slots)])
            upper = np.concatenate([self.pair_bounds[1], np.ones(n_slots)])
            kwargs = {"A_eq": equality, "b_eq": rhs}
        else:
            cost = -self.gain
            lower, upper = self.pair_bounds
            kwargs = {
                "A_eq": self.proposal_rows,
                "b_eq": k_rhs,
                "A_ub": self.evaluator_rows,
                "b_ub": inst.capacity.astype(np.float64),
            }
        options = {"presolve": True}
        if self.time_limit is not None:
            options["time_limit"] = self.time_limit
        outcome = linprog(
            cost,
            bounds=np.column_stack([lower, upper]),
            method="highs",
            options=options,
            **kwargs,
        )
        if outcome.status == 2:
            return AssignmentIssue(
                "solver_infeasible",
                "No assignment satisfies every constraint together (evaluators per "
                "proposal, maximum loads, conflicts, exclusions and locks). Relax one of "
                "them: raise maximum loads, add evaluators or remove locks.",
            )
        if outcome.status != 0 or outcome.x is None:
            return AssignmentIssue(
                "solver_failed",
                f"The optimiser stopped before finding an assignment ({outcome.message}). "
                f"Try again, or with a longer time limit.",
            )
        values = outcome.x[: self.n_pairs]
        if np.max(np.abs(values - np.round(values)), initial=0.0) > INTEGRALITY_TOLERANCE:
            values = self._solve_integer(cost, lower, upper, kwargs)
            if isinstance(values, AssignmentIssue):
                return values
        chosen_pairs = np.round(values) > 0.5
        self.objective_affinity = float(self.gain[chosen_pairs].sum())
        chosen = np.zeros(inst.allowed.shape, dtype=bool)
        chosen[self.pi[chosen_pairs], self.ej[chosen_pairs]] = True
        return chosen

    def _solve_integer(self, cost, lower, upper, kwargs) -> np.ndarray | AssignmentIssue:
        # Total unimodularity makes this unreachable in theory; floating point is not theory.
        constraints = [LinearConstraint(kwargs["A_eq"], kwargs["b_eq"], kwargs["b_eq"])]
        if "A_ub" in kwargs:
            constraints.append(LinearConstraint(kwargs["A_ub"], -np.inf, kwargs["b_ub"]))
        integrality = np.zeros(len(cost))
        integrality[: self.n_pairs] = 1
        options = {} if self.time_limit is None else {"time_limit": self.time_limit}
        outcome = milp(
            cost,
            constraints=constraints,
            integrality=integrality,
            bounds=Bounds(lower, upper),
            options=options,
        )
        if outcome.status != 0 or outcome.x is None:
            return AssignmentIssue(
                "solver_failed",
                f"The optimiser could not find a whole-number assignment ({outcome.message}).",
            )
        return outcome.x[: self.n_pairs]


def _verify(inst: _Instance, chosen: np.ndarray) -> AssignmentIssue | None:
    """Check the rounded assignment against every rule before anyone sees it."""
    broken = []
    if np.any(chosen.sum(axis=1) != inst.k):
        broken.append("evaluators per proposal")
    if np.any(chosen.sum(axis=0) > inst.capacity):
        broken.append("maximum loads")
    if np.any(chosen & (inst.conflict | inst.excluded)):
        broken.append("conflicts or exclusions")
    if np.any(inst.locked & ~chosen):
        broken.append("locked assignments")
    if not broken:
        return None
    return AssignmentIssue(
        "solver_failed",
        f"The optimiser returned an assignment that breaks {', '.join(broken)}; it was "
        f"discarded. Please report this.",
    )


def load_statistics(loads: Mapping[Id, int]) -> dict[str, float]:
    """Minimum, maximum and mean load (0 for an empty pool)."""
    values = list(loads.values())
    if not values:
        return {"min": 0, "max": 0, "mean": 0.0}
    return {"min": min(values), "max": max(values), "mean": math.fsum(values) / len(values)}
