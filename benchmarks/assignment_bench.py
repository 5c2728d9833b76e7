"""Automatic assignment at conference scale, each case in its own process so its peak
memory is its own (resident set size, libraries included).

- ``tfidf``: 1,000 proposals × 200 evaluators, k = 3, at most 20 reviews each, 5 % random
  conflicts, affinities from TF-IDF over generated texts. Targets: the engine (pure optimum
  and balanced assignment) under 1 s. Balance is reported against the pure optimum for a
  few weights, with the least any assignment with loads within 3 of each other must give
  up, so the trade-off of these affinities is visible.
- ``uniform``: the same shape with uniformly random affinities. Targets: engine under 1 s,
  loads within 3 of each other, within 0.1 % of the pure optimum.
- ``large``: 10,000 × 2,000, TF-IDF, same rules. Targets: affinity + engine under 30 s,
  peak memory under 4 GiB.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time

import numpy as np
from ortools.graph.python import min_cost_flow

from opencalls.engine.affinity import compute_affinity
from opencalls.engine.assignment import (
    DEFAULT_BALANCE_WEIGHT,
    AssignmentProblem,
    AssignmentResult,
    assign_evaluators,
)

from . import data
from .report import Row

NAME = "assignment"
K, MAX_LOAD, CONFLICT_SHARE = 3, 20, 0.05
SIZES = {"tfidf": (1000, 200), "uniform": (1000, 200), "large": (10_000, 2_000)}
ENGINE_TARGET, LARGE_TARGET, MEMORY_TARGET = 1.0, 30.0, 4 * 1024**3
SPREAD_TARGET, GAP_TARGET = 3, 0.001
# Weights shown beside the default, to see what the setting does on TF-IDF affinities.
OTHER_WEIGHTS = (0.0, 0.005, 0.1, 0.5)


def run() -> list[Row]:
    rows = []
    for case in SIZES:
        outcome = subprocess.run(
            [sys.executable, "-m", "benchmarks.assignment_bench", case],
            capture_output=True,
            text=True,
            check=False,
        )
        if outcome.returncode != 0:
            error = outcome.stderr.strip().splitlines()[-1:] or ["no output"]
            rows.append(Row(NAME, f"{case}: failed", error[0], "runs", False))
            continue
        rows += _rows(case, json.loads(outcome.stdout.strip().splitlines()[-1]))
    return rows


def measure(case: str) -> dict:
    """Build and solve one case; every figure the table shows, as JSON-friendly values."""
    n_p, n_e = SIZES[case]
    if case == "uniform":
        started = time.perf_counter()
        proposal_ids, evaluator_ids = list(range(1, n_p + 1)), list(range(1, n_e + 1))
        scores = np.random.default_rng(20211201).random((n_p, n_e))
    else:
        texts = data.proposals(n_p, seed=20211201), data.evaluators(n_e, seed=951911)
        started = time.perf_counter()
        matrix = compute_affinity(*texts)
        proposal_ids, evaluator_ids, scores = (
            matrix.proposal_ids,
            matrix.evaluator_ids,
            matrix.scores,
        )
    affinity_seconds = time.perf_counter() - started
    conflicts = _conflicts(proposal_ids, evaluator_ids)
    problem = AssignmentProblem(
        proposal_ids, evaluator_ids, scores, k=K, max_load=MAX_LOAD, conflicts=conflicts
    )
    started = time.perf_counter()
    result = assign_evaluators(problem)
    engine_seconds = time.perf_counter() - started
    figures = {
        "size": f"{n_p:,} × {n_e:,}, k={K}, max {MAX_LOAD}, {len(conflicts):,} conflicts",
        "affinity_seconds": affinity_seconds,
        "engine_seconds": engine_seconds,
        "ok": result.ok,
        "messages": list(result.messages),
    }
    if result.ok:
        figures |= _figures(result) | {"valid": _valid(problem, conflicts, result)}
    if case == "tfidf" and result.ok:
        figures["weights"] = {
            str(weight): _figures(assign_evaluators(problem, balance_weight=weight))
            for weight in OTHER_WEIGHTS
        }
        figures["least_for_spread"] = _best_with_spread(problem, SPREAD_TARGET)
    figures["peak_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return figures


def _conflicts(proposal_ids, evaluator_ids) -> list[tuple]:
    if len(proposal_ids) <= 1000:
        return data.random_conflicts(
            list(proposal_ids), list(evaluator_ids), share=CONFLICT_SHARE, seed=17
        )
    mask = np.random.default_rng(17).random((len(proposal_ids), len(evaluator_ids)))
    rows, cols = np.nonzero(mask < CONFLICT_SHARE)
    return [(proposal_ids[i], evaluator_ids[j]) for i, j in zip(rows, cols, strict=True)]


def _figures(result: AssignmentResult) -> dict:
    return {
        "pure": result.upper_bound,
        "total": result.total_affinity,
        "objective": result.objective,
        "gap": result.gap,
        "loads": result.load_stats,
        "arcs": result.arcs,
        "rounds": result.rounds,
    }


def _valid(problem: AssignmentProblem, conflicts, result: AssignmentResult) -> bool:
    per_proposal: dict = {}
    for proposal_id, evaluator_id in result.pairs:
        per_proposal.setdefault(proposal_id, set()).add(evaluator_id)
    return (
        len(per_proposal) == len(problem.proposal_ids)
        and all(len(evaluators) == K for evaluators in per_proposal.values())
        and len(result.pairs) == len(problem.proposal_ids) * K
        and not set(result.pairs) & set(conflicts)
        and max(result.loads.values()) <= MAX_LOAD
    )


def _best_with_spread(problem: AssignmentProblem, spread: int) -> dict:
    """The highest total affinity of any assignment whose loads lie within ``spread`` of
    each other: for each window [low, low + spread] around the mean load, a min-cost flow
    whose first ``low`` places of each evaluator are compulsory (a large bonus)."""
    n_p, n_e = len(problem.proposal_ids), len(problem.evaluator_ids)
    forbidden = np.zeros((n_p, n_e), dtype=bool)
    p_index = {p: i for i, p in enumerate(problem.proposal_ids)}
    e_index = {e: j for j, e in enumerate(problem.evaluator_ids)}
    for p, e in problem.conflicts:
        forbidden[p_index[p], e_index[e]] = True
    pi, ej = np.nonzero(~forbidden)
    gain = np.rint(problem.affinity[pi, ej] * 1e6).astype(np.int64)
    mean = n_p * K / n_e
    best = None
    for low in range(max(0, int(np.ceil(mean)) - spread), int(mean) + 1):
        high = min(low + spread, MAX_LOAD)
        network = min_cost_flow.SimpleMinCostFlow()
        network.add_arcs_with_capacity_and_unit_cost(
            pi.astype(np.int32), (n_p + ej).astype(np.int32), np.ones(len(pi), np.int64), -gain
        )
        evaluators = np.arange(n_p, n_p + n_e, dtype=np.int32)
        sink = np.full(n_e, n_p + n_e, dtype=np.int32)
        network.add_arcs_with_capacity_and_unit_cost(
            evaluators, sink, np.full(n_e, low, np.int64), np.full(n_e, -(10**9), np.int64)
        )
        network.add_arcs_with_capacity_and_unit_cost(
            evaluators, sink, np.full(n_e, high - low, np.int64), np.zeros(n_e, np.int64)
        )
        supplies = np.concatenate([np.full(n_p, K), np.zeros(n_e), [-n_p * K]])
        network.set_nodes_supplies(
            np.arange(n_p + n_e + 1, dtype=np.int32), supplies.astype(np.int64)
        )
        if network.solve() != network.OPTIMAL:
            continue
        used = network.flows(np.arange(len(pi), dtype=np.int32)) > 0
        loads = np.bincount(ej[used], minlength=n_e)
        if loads.min() < low:
            continue
        total = float(problem.affinity[pi[used], ej[used]].sum())
        if best is None or total > best["total"]:
            best = {"total": total, "min": int(loads.min()), "max": int(loads.max())}
    return best


def _rows(case: str, f: dict) -> list[Row]:
    label = {"tfidf": "TF-IDF", "uniform": "uniform random", "large": "TF-IDF"}[case]
    rows = [Row(NAME, f"{case}: instance", f"{f['size']}, {label} affinities")]
    if not f["ok"]:
        return [*rows, Row(NAME, f"{case}: status", "; ".join(f["messages"]), "optimal", False)]
    peak = f"{f['peak_bytes'] / 1024**2:,.0f} MiB"
    engine = f"{f['engine_seconds']:.2f} s"
    loads = f["loads"]
    rows += [
        Row(NAME, f"{case}: affinity", f"{f['affinity_seconds']:.2f} s"),
        Row(NAME, f"{case}: pure optimum / balanced total", f"{f['pure']:.3f} / {f['total']:.3f}"),
        Row(NAME, f"{case}: balanced objective (total − load penalty)", f"{f['objective']:.3f}"),
        Row(NAME, f"{case}: network pairs, networks solved", f"{f['arcs']:,}, {f['rounds']}"),
    ]
    weight = f"weight {DEFAULT_BALANCE_WEIGHT}"
    if case == "large":
        total = f["affinity_seconds"] + f["engine_seconds"]
        rows += [
            Row(NAME, f"{case}: engine", engine),
            Row(
                NAME,
                f"{case}: affinity + engine",
                f"{total:.2f} s",
                f"< {LARGE_TARGET:.0f} s",
                total < LARGE_TARGET,
            ),
            Row(NAME, f"{case}: peak memory", peak, "< 4 GiB", f["peak_bytes"] < MEMORY_TARGET),
            Row(NAME, f"{case}: gap, {weight}", f"{f['gap']:.3%}"),
            Row(NAME, f"{case}: loads min / max / mean", _loads(loads)),
        ]
    else:
        rows += [
            Row(
                NAME,
                f"{case}: engine (pure + balanced)",
                engine,
                f"< {ENGINE_TARGET:.0f} s",
                f["engine_seconds"] < ENGINE_TARGET,
            ),
            Row(NAME, f"{case}: peak memory", peak),
        ]
        if case == "uniform":
            rows += [
                Row(
                    NAME,
                    f"{case}: gap, {weight}",
                    f"{f['gap']:.3%}",
                    f"≤ {GAP_TARGET:.1%}",
                    f["gap"] <= GAP_TARGET,
                ),
                Row(
                    NAME,
                    f"{case}: loads min / max / mean",
                    _loads(loads),
                    f"spread ≤ {SPREAD_TARGET}",
                    loads["spread"] <= SPREAD_TARGET,
                ),
            ]
        else:
            rows.append(Row(NAME, f"{case}: gap, loads, {weight}", _trade(f)))
            for other, figures in f["weights"].items():
                rows.append(Row(NAME, f"{case}: gap, loads, weight {other}", _trade(figures)))
            least = f["least_for_spread"]
            gap = (f["pure"] - least["total"]) / f["pure"]
            rows.append(
                Row(
                    NAME,
                    f"{case}: least gap of any assignment with spread ≤ {SPREAD_TARGET}",
                    f"{gap:.3%} (loads {least['min']}–{least['max']})",
                )
            )
    rows.append(
        Row(
            NAME,
            f"{case}: every constraint holds",
            "yes" if f["valid"] else "NO",
            "k each, no conflict, ≤ max",
            f["valid"],
        )
    )
    return rows


def _loads(stats: dict) -> str:
    return f"{stats['min']} / {stats['max']} / {stats['mean']:.1f}"


def _trade(f: dict) -> str:
    return f"{f['gap']:.3%}, {_loads(f['loads'])}"


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1])))
