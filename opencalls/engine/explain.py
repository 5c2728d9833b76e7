"""Why an assignment problem has no solution, in a call manager's words.

The checks run from the simplest reason to the subtlest: locks that contradict conflicts,
exclusions, ``k`` or a maximum load; too little capacity overall; too few evaluators able
to take reviews; a single proposal without ``k`` evaluators free of conflicts and with free
capacity; and finally a group of proposals that compete for the same few evaluators, found
by a maximum flow and named through its minimum cut. Together they are exact: a problem
none of them objects to has an assignment.

Each reason is an ``AssignmentIssue`` with a stable ``code`` and the numbers of its message
in ``params``, so the portal can say the same thing in another language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import breadth_first_order, maximum_flow

from .types import Id

if TYPE_CHECKING:
    from .assignment import Instance

# Up to how many names a message lists before it says "and N more".
MAX_NAMES_IN_MESSAGE = 8


@dataclass(frozen=True)
class AssignmentIssue:
    """Why no assignment is possible (or why the solver gave up). ``code`` is stable for
    programs; ``message`` is for the call manager; ``params`` holds the numbers in it."""

    code: str
    message: str
    proposal_ids: tuple[Id, ...] = ()
    evaluator_ids: tuple[Id, ...] = ()
    params: Mapping[str, object] = field(default_factory=dict)


def names(labels: Sequence[str]) -> str:
    """``labels`` as English prose: "A", "A and B", "A, B and C", "A, …, H and 3 more"."""
    shown = list(labels[:MAX_NAMES_IN_MESSAGE])
    rest = len(labels) - len(shown)
    if rest:
        return ", ".join(shown) + f" and {rest} more"
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``count`` with the noun in the right number: "1 evaluator", "2 evaluators"."""
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"


def simple_issues(inst: Instance) -> tuple[AssignmentIssue, ...]:
    """Every reason that needs no flow to see: contradictory locks, total capacity, the
    number of evaluators able to read, and proposals short of evaluators on their own.
    Empty when none applies (the problem may still be infeasible; see ``group_shortage``)."""
    issues = _lock_and_capacity_issues(inst)
    if issues:
        return issues
    issues = []
    k = inst.k
    need, available = inst.need, inst.open_pairs.sum(axis=1)
    for i in np.nonzero(available < need)[0]:
        found = int(available[i] + inst.locked_per_proposal[i])
        excluded_here = bool(inst.excluded[i].any())
        without = "without a conflict or an exclusion" if excluded_here else "without a conflict"
        issues.append(
            AssignmentIssue(
                "proposal_short",
                f"Proposal {inst.proposal(i)} has only {plural(found, 'evaluator')} "
                f"{without} and with free capacity; it needs {k}.",
                (inst.proposal_ids[i],),
                params={"available": found, "k": k},
            )
        )
    return tuple(issues)


def _lock_and_capacity_issues(inst: Instance) -> tuple[AssignmentIssue, ...]:
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
    for i in np.nonzero(inst.locked_per_proposal > k)[0]:
        count = int(inst.locked_per_proposal[i])
        issues.append(
            AssignmentIssue(
                "locked_over_k",
                f"Proposal {inst.proposal(i)} has {count} locked evaluators but needs exactly {k}.",
                (p_ids[i],),
                params={"locked": count, "k": k},
            )
        )
    for j in np.nonzero(inst.locked_per_evaluator > inst.capacity)[0]:
        count, maximum = int(inst.locked_per_evaluator[j]), int(inst.capacity[j])
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
                f"({plural(n_p, 'proposal')} × {k}).",
                params={"capacity": total_capacity, "needed": needed},
            )
        )
    able = int((inst.capacity > 0).sum())
    if n_p and able < k:
        issues.append(
            AssignmentIssue(
                "too_few_evaluators",
                f"Each proposal needs {k} evaluators but only {able} of the "
                f"{plural(n_e, 'evaluator')} can take reviews.",
                params={"k": k, "evaluators": able},
            )
        )
    return tuple(issues)


def group_shortage(inst: Instance) -> AssignmentIssue | None:
    """The proposals that cannot all get their evaluators together, or None when every
    proposal can.

    A maximum flow from the proposals (each needing ``k`` minus its locks) through their
    open pairs (no conflict, no exclusion, not locked) to the evaluators (each with their
    free places) reaches the total need exactly when an assignment exists. Otherwise the
    nodes still reachable from the source in the residual network form a minimum cut: the
    proposals there need more than the evaluators they can reach have room for, and those
    evaluators are the bottleneck the message names (Hall's condition, violated).
    """
    need, free, open_pairs = inst.need, inst.free, inst.open_pairs
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
    places = int(free[bottleneck].sum())
    possible = places + crossing
    proposals = names([inst.proposal(i) for i in short_proposals])
    evaluators = names([inst.evaluator(j) for j in bottleneck])
    return AssignmentIssue(
        "group_short",
        f"Proposals {proposals} need {group_need} more evaluators between them, but at most "
        f"{possible} can be found: the evaluators without a conflict who could read them "
        f"({evaluators}) have only {places} free places left.",
        tuple(inst.proposal_ids[i] for i in short_proposals),
        tuple(inst.evaluator_ids[j] for j in bottleneck),
        params={"needed": group_need, "possible": possible},
    )


def explain(inst: Instance) -> tuple[AssignmentIssue, ...]:
    """Every reason why the problem has no assignment; empty when one exists."""
    issues = simple_issues(inst)
    if issues:
        return issues
    group = group_shortage(inst)
    return (group,) if group else ()
