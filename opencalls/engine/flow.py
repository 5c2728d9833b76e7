"""The assignment as an exact minimum-cost flow with a convex load cost (OR-Tools).

The network, in integers::

    proposal i ──(1, −a[i, j] × SCALE)──▶ evaluator j ──(1, step × (r − 1))──▶ sink
                                                        one arc per free place r

Proposal ``i`` supplies ``need[i]`` units (``k`` minus its locked evaluators) and the sink
demands their sum. Each open pair (allowed, not locked) is an arc of capacity 1 whose cost is
the pair's affinity, negated and scaled to an integer. From each evaluator one unit arc per
free place leads to the sink; the evaluator's ``r``-th review, locked reviews counted first
(so locks use up the cheapest places), costs ``step × (r − 1)``. Those marginal costs rise,
so the load cost is convex and a minimum-cost flow fills each evaluator's cheapest places
first: the flow's cost is exactly −(total affinity − load penalty) × SCALE. All capacities
are integers, so the optimal flow is integral, i.e. an assignment.

Rounding: affinities are rounded to multiples of 1/SCALE = 1e-6. The flow is optimal for the
rounded affinities; measured with the exact ones, its objective is within (number of pairs
assigned) × 1e-6 of the true optimum (each pair is off by at most 5e-7, in the found and in
the best assignment). ``step`` is already an integer, so the load penalty carries no error.

Large calls: at first only the ``candidates`` best open pairs of each proposal are arcs.
After each solve, shortest distances in the residual network (Bellman–Ford) give node
potentials under which every residual arc has a non-negative reduced cost, the optimality
certificate of a minimum-cost flow. A left-out pair with a negative reduced cost could
improve the flow: all such pairs are added and the flow is solved again, until none is left.
The answer is therefore optimal for the full problem; leaving pairs out changes the time,
never the optimum. Candidates that cannot carry the whole need are widened, up to every open
pair, before a problem is called infeasible.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from ortools.graph.python import min_cost_flow

from .types import row_blocks

# Affinities become integer costs in units of 1/SCALE.
SCALE = 1_000_000
# Arcs per proposal in the first network; pricing adds whatever else the optimum needs.
CANDIDATES = 40


class FlowStatus(StrEnum):
    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"
    FAILED = "failed"


@dataclass(frozen=True)
class Flow:
    """A solved network. ``rows``/``cols`` index the open pairs carrying a review (locked
    pairs are not in it); ``cost`` is the flow's integer cost; ``arcs`` the pair arcs of the
    final network; ``rounds`` how many networks were solved; ``network`` the pairs in the
    final network (a start for a related solve)."""

    status: FlowStatus
    rows: np.ndarray
    cols: np.ndarray
    cost: int = 0
    arcs: int = 0
    rounds: int = 0
    message: str = ""
    network: np.ndarray | None = None


def scaled(affinity: np.ndarray) -> np.ndarray:
    """Affinities as integers in units of 1/SCALE, rounded to nearest."""
    return np.rint(np.asarray(affinity, dtype=np.float64) * SCALE).astype(np.int64)


def best_pairs(affinity: np.ndarray, open_pairs: np.ndarray, count: int) -> np.ndarray:
    """Mask of the ``count`` open pairs of highest affinity in each row (all of them when a
    row has no more)."""
    n_p, n_e = open_pairs.shape
    if count >= n_e:
        return open_pairs.copy()
    chosen = np.zeros_like(open_pairs)
    for block in row_blocks(n_p, n_e):
        scores = np.where(open_pairs[block], affinity[block], -1.0)
        top = np.argpartition(-scores, count - 1, axis=1)[:, :count]
        chosen[block][np.arange(top.shape[0])[:, None], top] = True
    return chosen & open_pairs


def solve(
    affinity: np.ndarray,
    open_pairs: np.ndarray,
    need: np.ndarray,
    taken: np.ndarray,
    free: np.ndarray,
    step: int,
    *,
    candidates: int = CANDIDATES,
    start: np.ndarray | None = None,
) -> Flow:
    """The optimal flow of the network above.

    ``affinity`` is P×E (floats ≥ 0), ``open_pairs`` a P×E mask of the pairs that may be
    assigned; ``need`` (P) the evaluators each proposal still needs; ``taken`` (E) each
    evaluator's locked reviews and ``free`` (E) their places left; ``step`` the integer rise
    of an evaluator's marginal load cost per review (0: no balancing). ``candidates`` arcs
    per proposal start the pricing; ``start`` adds pairs known to be useful (e.g. from a
    related solve). Returns a ``Flow`` whose status says whether the need can be met.
    """
    n_p, n_e = open_pairs.shape
    count = max(1, candidates)
    network = best_pairs(affinity, open_pairs, count)
    if start is not None:
        network |= start & open_pairs
    rounds = 0
    while True:
        rounds += 1
        rows, cols = np.nonzero(network)
        cost = -scaled(affinity[rows, cols])
        status, used, total, message = _solve_network(rows, cols, cost, need, taken, free, step)
        if status == FlowStatus.INFEASIBLE:
            if count >= n_e or not (open_pairs & ~network).any():
                return Flow(status, rows[:0], cols[:0], arcs=len(rows), rounds=rounds)
            count *= 4
            network |= best_pairs(affinity, open_pairs, count)
            continue
        if status == FlowStatus.FAILED:
            return Flow(status, rows[:0], cols[:0], rounds=rounds, message=message)
        potential = _potentials(n_p, n_e, rows, cols, cost, used, taken, free, step)
        better = _price(affinity, open_pairs & ~network, potential)
        if not better.any():
            return Flow(
                FlowStatus.OPTIMAL, rows[used], cols[used], total, len(rows), rounds, "", network
            )
        network |= better


def _solve_network(rows, cols, cost, need, taken, free, step):
    n_p, n_e = len(need), len(free)
    sink = n_p + n_e
    network = min_cost_flow.SimpleMinCostFlow()
    network.add_arcs_with_capacity_and_unit_cost(
        rows.astype(np.int32),
        (n_p + cols).astype(np.int32),
        np.ones(len(rows), dtype=np.int64),
        cost,
    )
    # No evaluator can take more reviews than they have arcs.
    places = np.minimum(free, np.bincount(cols, minlength=n_e))
    if step == 0:
        owners = np.nonzero(places)[0]
        capacities = places[owners].astype(np.int64)
        place_costs = np.zeros(len(owners), dtype=np.int64)
    else:
        owners = np.repeat(np.arange(n_e), places)
        rank = np.arange(len(owners)) - np.repeat(np.cumsum(places) - places, places)
        capacities = np.ones(len(owners), dtype=np.int64)
        place_costs = (step * (taken[owners] + rank)).astype(np.int64)
    network.add_arcs_with_capacity_and_unit_cost(
        (n_p + owners).astype(np.int32),
        np.full(len(owners), sink, dtype=np.int32),
        capacities,
        place_costs,
    )
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[:n_p] = need
    supplies[sink] = -int(need.sum())
    network.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies)
    status = network.solve()
    if status == network.OPTIMAL:
        used = network.flows(np.arange(len(rows), dtype=np.int32)) > 0
        return FlowStatus.OPTIMAL, used, int(network.optimal_cost()), ""
    if status == network.INFEASIBLE:
        return FlowStatus.INFEASIBLE, None, 0, ""
    return FlowStatus.FAILED, None, 0, f"the flow solver answered {status.name}"


def _potentials(n_p, n_e, rows, cols, cost, used, taken, free, step) -> np.ndarray:
    """Shortest distances in the residual network from a virtual root joined to every node
    at cost 0. The evaluator → sink arcs are those of the full problem (every free place),
    so the certificate covers places the current network left out."""
    sink = n_p + n_e
    evaluators = n_p + np.arange(n_e)
    load = np.bincount(cols[used], minlength=n_e)
    room, busy = load < free, load > 0
    tails = np.concatenate(
        [rows[~used], n_p + cols[used], evaluators[room], np.full(busy.sum(), sink)]
    )
    heads = np.concatenate(
        [n_p + cols[~used], rows[used], np.full(room.sum(), sink), evaluators[busy]]
    )
    costs = np.concatenate(
        [
            cost[~used],
            -cost[used],
            step * (taken + load)[room],
            -step * (taken + load - 1)[busy],
        ]
    ).astype(np.int64)
    return _bellman_ford(sink + 1, tails, heads, costs)


def _bellman_ford(n_nodes, tails, heads, costs) -> np.ndarray:
    distance = np.zeros(n_nodes, dtype=np.int64)
    if len(tails) == 0:
        return distance
    order = np.argsort(heads, kind="stable")
    tails, heads, costs = tails[order], heads[order], costs[order]
    targets, starts = np.unique(heads, return_index=True)
    for _ in range(n_nodes + 1):
        best = np.minimum.reduceat(distance[tails] + costs, starts)
        better = best < distance[targets]
        if not better.any():
            return distance
        distance[targets[better]] = best[better]
    # An optimal flow has no negative cycle in its residual network.
    raise ArithmeticError("The residual network has a negative cycle; the flow is not optimal.")


def _price(affinity, left_out, potential) -> np.ndarray:
    """Left-out pairs whose arc would have a negative reduced cost."""
    n_p, n_e = left_out.shape
    from_proposal, into_evaluator = potential[:n_p], potential[n_p : n_p + n_e]
    better = np.zeros_like(left_out)
    for block in row_blocks(n_p, n_e):
        if not left_out[block].any():
            continue
        reduced = from_proposal[block, None] - into_evaluator[None, :] - scaled(affinity[block])
        better[block] = left_out[block] & (reduced < 0)
    return better
