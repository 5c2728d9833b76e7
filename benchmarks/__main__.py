"""Run the benchmarks: ``python -m benchmarks [name ...]`` (``make bench`` runs them all).

Each benchmark is a module with ``NAME`` and ``run() -> list[Row]``; add a new one to
``BENCHMARKS``. The command prints one table and exits 1 when any target is missed.
"""

from __future__ import annotations

import os
import platform
import sys

from . import (
    aida_seats_bench,
    assignment_bench,
    evaluation_run_bench,
    outputs_bench,
    ranking_bench,
    web_bench,
)
from .report import print_table

BENCHMARKS = [
    assignment_bench,
    ranking_bench,
    evaluation_run_bench,
    aida_seats_bench,
    outputs_bench,
    web_bench,
]


def main(argv: list[str]) -> int:
    chosen = [b for b in BENCHMARKS if not argv or b.NAME in argv]
    unknown = set(argv) - {b.NAME for b in BENCHMARKS}
    if unknown:
        names = ", ".join(b.NAME for b in BENCHMARKS)
        print(f"Unknown benchmark {', '.join(sorted(unknown))}; choose from {names}.")
        return 2
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores")
    rows = []
    for benchmark in chosen:
        print(f"Running {benchmark.NAME} ...", flush=True)
        rows.extend(benchmark.run())
    print()
    print_table(rows)
    missed = [row for row in rows if row.passed is False]
    if missed:
        print(f"\n{len(missed)} target(s) missed.")
        return 1
    print("\nEvery target met.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
