"""Which evaluators read which proposals: an exact optimisation, not a greedy loop.

The rules come from the EU's evaluation practice for Horizon Europe and the cascade-funding
calls it finances: every proposal is read by at least three independent experts (the call's
``k``, 3 by default), none of them with a conflict of interest. Here: every proposal gets
exactly ``k`` distinct evaluators, no conflicted or excluded pair is used, locked pairs
always are, and no evaluator exceeds their maximum load, locked reviews included.

Among those assignments the engine takes the one with the highest total affinity minus a
convex load penalty: an evaluator's ``r``-th review costs ``balance_weight × unit × (r − 1)``,
where ``unit`` is the mean affinity of a proposal's ``k`` best evaluators. Each further review
on a busy evaluator must therefore buy more affinity than the one before, so loads even out
as far as that price allows, and the total affinity is the highest possible at that price.
``balance_weight=0`` gives the pure affinity optimum; the pure optimum is solved as well, so
the affinity given up for balance is known (``upper_bound``, ``gap``, ``affinity_given_up``).
Both are exact minimum-cost flows (``flow``).

A problem without an assignment is explained in words a call manager understands
(``explain``): which proposals cannot get ``k`` evaluators and why.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from . import explain, flow
from .affinity import AffinityMatrix
from .explain import AssignmentIssue
from .types import Id, row_blocks

__all__ = [
    "DEFAULT_BALANCE_WEIGHT",
    "AssignmentIssue",
    "AssignmentProblem",
    "AssignmentResult",
    "AssignmentStatus",
    "assign_evaluators",
    "check_feasibility",
    "load_statistics",
]

Progress = Callable[[float, str], None]

# The steps ``assign_evaluators`` reports to ``progress``, as codes: the web layer stores them
# (``RunProgress`` has the same values) and words them in the reader's language.
STEP_CHECKING = "checking"
STEP_OPTIMISING = "optimising"
STEP_BALANCING = "balancing"
STEP_VERIFYING = "verifying"
STEP_DONE = "done"

# The price of one more review on a busy evaluator, in units of a proposal's typical best
# affinity (see the module docstring). On the benchmark call (1,000 × 200, TF-IDF) the loads
# of the pure optimum, 1 to 20, become 6 to 20 for 0.7 % of the total affinity; on random
# affinities of the same shape, 14 to 16 for 0.05 %. 0.5 evens loads to within 2 or 3.
DEFAULT_BALANCE_WEIGHT = 0.02


class AssignmentStatus(StrEnum):
    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"
    FAILED = "failed"


@dataclass(frozen=True)
class AssignmentProblem:
    """One call's assignment problem.

    ``affinity[i, j]`` (a float ≥ 0, e.g. in [0, 1]) is the affinity of ``proposal_ids[i]``
    and ``evaluator_ids[j]``; a dense numpy array, any float type. ``max_load`` is one
    maximum for everyone, a mapping evaluator id → maximum, or a sequence aligned with
    ``evaluator_ids``. ``conflicts`` are (proposal id, evaluator id) pairs or a boolean P×E
    mask; ``locked`` pairs are fixed by the call manager and always kept; ``excluded`` pairs
    are never used. Labels (e.g. "P-17", "Dr Ada Byron") name things in messages; ids are
    used where a label is missing.
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
    evaluators. ``loads`` has every evaluator (locked reviews included), those without
    reviews at 0. ``total_affinity`` is the sum of the pairs' affinities.
    ``upper_bound`` is the pure affinity optimum (no balancing), when computed: no
    assignment has a higher total affinity. ``balance_weight`` is the weight used and
    ``balance_step`` the affinity one more review costs over the previous one on the same
    evaluator (weight × unit); ``load_penalty`` = ``balance_step`` × Σ load × (load − 1) / 2,
    so ``objective`` = ``total_affinity`` − ``load_penalty`` is what was maximised.
    ``arcs`` counts the pairs the final flow network held and ``rounds`` the networks solved.
    """

    status: AssignmentStatus
    pairs: tuple[tuple[Id, Id], ...] = ()
    loads: Mapping[Id, int] = field(default_factory=dict)
    total_affinity: float = 0.0
    upper_bound: float | None = None
    balance_weight: float = 0.0
    balance_step: float = 0.0
    load_penalty: float = 0.0
    solve_seconds: float = 0.0
    arcs: int = 0
    rounds: int = 0
    issues: tuple[AssignmentIssue, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status == AssignmentStatus.OPTIMAL

    @property
    def messages(self) -> tuple[str, ...]:
        return tuple(issue.message for issue in self.issues)

    @property
    def objective(self) -> float:
        """Total affinity minus the load penalty: the balanced objective."""
        return self.total_affinity - self.load_penalty

    @property
    def affinity_given_up(self) -> float | None:
        """Affinity traded for balance: pure optimum − total affinity (≥ 0, up to rounding
        of 1e-6 per pair), or None without the pure optimum."""
        if self.upper_bound is None or not self.ok:
            return None
        return max(0.0, self.upper_bound - self.total_affinity)

    @property
    def gap(self) -> float | None:
        """``affinity_given_up`` as a share of the pure optimum (0 when that is 0)."""
        given_up = self.affinity_given_up
        if given_up is None:
            return None
        return given_up / self.upper_bound if self.upper_bound > 0 else 0.0

    @property
    def load_stats(self) -> dict[str, float]:
        """Minimum, maximum and mean load, and the spread (maximum − minimum)."""
        stats = load_statistics(self.loads)
        return {**stats, "spread": stats["max"] - stats["min"]}

    def evaluators_for(self, proposal_id: Id) -> tuple[Id, ...]:
        return tuple(e for p, e in self.pairs if p == proposal_id)

    def proposals_for(self, evaluator_id: Id) -> tuple[Id, ...]:
        return tuple(p for p, e in self.pairs if e == evaluator_id)


class Instance:
    """The problem in index form: the arrays the checks and the flow work on.

    Raises ``ValueError`` for malformed input (unknown or duplicate ids, wrong shapes,
    negative or non-finite affinities, negative maxima, ``k`` not a positive integer).
    """

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

        affinity = np.asarray(problem.affinity)
        if not np.issubdtype(affinity.dtype, np.floating):
            affinity = affinity.astype(np.float64)
        if affinity.shape != (n_p, n_e):
            raise ValueError(f"affinity has shape {affinity.shape}; expected {(n_p, n_e)}.")
        if not np.isfinite(affinity).all():
            raise ValueError("affinity contains NaN or infinite values.")
        if (affinity < 0).any():
            raise ValueError("affinity must not be negative.")
        self.affinity = affinity
        self.capacity = self._capacities(problem.max_load)

        self.conflict = self._mask(problem.conflicts, "conflicts")
        self.excluded = self._mask(problem.excluded, "excluded")
        self.locked = self._mask(problem.locked, "locked")
        # Locks on forbidden pairs are reported by the checks; they place nothing.
        valid_locks = self.locked & ~self.conflict & ~self.excluded
        self.locked_per_proposal = valid_locks.sum(axis=1)
        self.locked_per_evaluator = valid_locks.sum(axis=0)
        self.need = np.maximum(self.k - self.locked_per_proposal, 0)
        self.free = np.maximum(self.capacity - self.locked_per_evaluator, 0)
        # The pairs the flow may still choose.
        self.open_pairs = ~(self.conflict | self.excluded | self.locked)
        self.open_pairs &= (self.free > 0)[None, :]
        self.open_pairs &= (self.need > 0)[:, None]
        self.valid_locks = valid_locks

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

    def solve(self, step: int, **options) -> flow.Flow:
        """The optimal flow with load step ``step`` (see ``flow.solve``)."""
        return flow.solve(
            self.affinity,
            self.open_pairs,
            self.need,
            self.locked_per_evaluator,
            self.free,
            step,
            **options,
        )

    def affinity_unit(self) -> float:
        """The mean, over proposals, of the mean affinity of their ``k`` best evaluators
        among those without a conflict or an exclusion and with a maximum load above 0: the
        yardstick of ``balance_weight``. Locks do not change it, so a second run with the
        first run's assignments locked prices load the same way."""
        allowed = ~(self.conflict | self.excluded) & (self.capacity > 0)[None, :]
        best: list[float] = []
        for block in row_blocks(*allowed.shape):
            scores = np.where(allowed[block], self.affinity[block], -1.0)
            width = min(self.k, scores.shape[1])
            if width:
                top = -np.partition(-scores, width - 1, axis=1)[:, :width]
                best += top[top >= 0].tolist()
        # An exactly rounded sum, so the unit does not depend on the blocks' order.
        return math.fsum(best) / len(best) if best else 0.0


def _index(ids: tuple[Id, ...], what: str) -> dict[Id, int]:
    index = {identifier: position for position, identifier in enumerate(ids)}
    if len(index) != len(ids):
        raise ValueError(f"Duplicate {what} ids.")
    return index


def check_feasibility(problem: AssignmentProblem) -> tuple[AssignmentIssue, ...]:
    """Every reason why ``problem`` has no assignment, in a call manager's words; empty
    when an assignment exists (the check is exact: it ends with a maximum flow). Raises
    ``ValueError`` for malformed input (unknown ids, wrong shapes), which is a programming
    error rather than a property of the call."""
    return explain.explain(Instance(problem))


def assign_evaluators(
    problem: AssignmentProblem,
    *,
    balance_weight: float = DEFAULT_BALANCE_WEIGHT,
    compute_bound: bool = True,
    candidates: int = flow.CANDIDATES,
    progress: Progress | None = None,
) -> AssignmentResult:
    """The assignment with the highest total affinity minus the convex load penalty.

        Guarantees, when the status is OPTIMAL: every proposal has exactly ``k`` distinct
        evaluators, no conflicted or excluded pair is used, every locked pair is used, no
        evaluator exceeds their maximum load (locked reviews included), and no assignment has
        a higher ``objective`` (exact up to the rounding of affinities to 1e-6 per pair).

        ``balance_weight`` (≥ 0, default ``DEFAULT_BALANCE_WEIGHT``) prices load: an evaluator's
        ``r``-th review costs ``balance_weight × unit × (r − 1)`` in affinity, ``unit`` being the
        mean affinity of a proposal's ``k`` best evaluators; 0 switches balancing off. With
        ``compute_bound`` the pure affinity optimum is solved too (``upper_bound``, ``gap``).
        ``candidates`` is how many pairs per proposal the flow starts from; it changes the time,
        never the answer. ``progress(fraction, step)`` is called as the work advances, ``step``
    being one of the ``STEP_*`` codes.

        When no assignment exists the status is INFEASIBLE and ``issues`` say why; FAILED means
        the solver itself gave up. Raises ``ValueError`` for malformed input or a negative or
        non-finite ``balance_weight``. Deterministic: the same problem gives the same result.
    """
    if not (math.isfinite(balance_weight) and balance_weight >= 0):
        raise ValueError("balance_weight must be a finite number ≥ 0.")
    started = time.perf_counter()

    def report(fraction: float, step: str) -> None:
        if progress is not None:
            progress(fraction, step)

    def finish(status, **fields) -> AssignmentResult:
        elapsed = time.perf_counter() - started
        return AssignmentResult(status, solve_seconds=elapsed, **fields)

    report(0.0, STEP_CHECKING)
    inst = Instance(problem)
    issues = explain.simple_issues(inst)
    if issues:
        return finish(AssignmentStatus.INFEASIBLE, issues=issues)

    unit = inst.affinity_unit()
    step = round(balance_weight * unit * flow.SCALE)
    if balance_weight > 0 and step == 0:
        step = 1  # every affinity is 0: balancing costs nothing and stays on
    upper_bound = None
    start = None
    if compute_bound or step == 0:
        report(0.1, STEP_OPTIMISING)
        pure = inst.solve(0, candidates=candidates)
        if pure.status != flow.FlowStatus.OPTIMAL:
            return _unsolved(inst, pure, finish)
        upper_bound = _total(inst, pure)
        start, chosen = pure.network, pure
    if step > 0:
        report(0.5, STEP_BALANCING)
        chosen = inst.solve(step, candidates=candidates, start=start)
        if chosen.status != flow.FlowStatus.OPTIMAL:
            return _unsolved(inst, chosen, finish)

    report(0.9, STEP_VERIFYING)
    assigned = inst.valid_locks.copy()
    assigned[chosen.rows, chosen.cols] = True
    broken = _verify(inst, assigned)
    if broken:
        return finish(AssignmentStatus.FAILED, issues=(broken,))
    pi, ej = np.nonzero(assigned)
    loads = np.bincount(ej, minlength=len(inst.evaluator_ids))
    balance_step = step / flow.SCALE
    report(1.0, STEP_DONE)
    return finish(
        AssignmentStatus.OPTIMAL,
        pairs=tuple(
            (inst.proposal_ids[i], inst.evaluator_ids[j]) for i, j in zip(pi, ej, strict=True)
        ),
        loads={e: int(n) for e, n in zip(inst.evaluator_ids, loads, strict=True)},
        total_affinity=math.fsum(inst.affinity[pi, ej].tolist()),
        upper_bound=upper_bound,
        balance_weight=float(balance_weight),
        balance_step=balance_step,
        load_penalty=balance_step * float((loads * (loads - 1) // 2).sum()),
        arcs=chosen.arcs,
        rounds=chosen.rounds,
    )


def _total(inst: Instance, solved: flow.Flow) -> float:
    locked = inst.affinity[inst.valid_locks].tolist()
    return math.fsum([*inst.affinity[solved.rows, solved.cols].tolist(), *locked])


def _unsolved(inst: Instance, solved: flow.Flow, finish) -> AssignmentResult:
    if solved.status == flow.FlowStatus.INFEASIBLE:
        group = explain.group_shortage(inst)
        if group is not None:
            return finish(AssignmentStatus.INFEASIBLE, issues=(group,))
        issue = AssignmentIssue(
            "solver_infeasible",
            "No assignment satisfies every constraint together (evaluators per proposal, "
            "maximum loads, conflicts, exclusions and locks). Relax one of them: raise "
            "maximum loads, add evaluators or remove locks.",
        )
        return finish(AssignmentStatus.INFEASIBLE, issues=(issue,))
    issue = AssignmentIssue(
        "solver_failed",
        f"The optimiser stopped before finding an assignment ({solved.message}). "
        f"Please report this.",
    )
    return finish(AssignmentStatus.FAILED, issues=(issue,))


def _verify(inst: Instance, assigned: np.ndarray) -> AssignmentIssue | None:
    """Check the assignment against every rule before anyone sees it."""
    broken = []
    if np.any(assigned.sum(axis=1) != inst.k):
        broken.append("evaluators per proposal")
    if np.any(assigned.sum(axis=0) > inst.capacity):
        broken.append("maximum loads")
    if np.any(assigned & (inst.conflict | inst.excluded)):
        broken.append("conflicts or exclusions")
    if np.any(inst.locked & ~assigned):
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
