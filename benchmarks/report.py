"""What a benchmark reports: rows of a table, some with a target to meet."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    """One figure. ``passed`` is None for figures without a target."""

    benchmark: str
    measure: str
    value: str
    target: str = ""
    passed: bool | None = None

    @property
    def verdict(self) -> str:
        return {None: "", True: "ok", False: "MISSED"}[self.passed]


def print_table(rows: list[Row]) -> None:
    headers = ("benchmark", "measure", "value", "target", "result")
    cells = [headers, *((r.benchmark, r.measure, r.value, r.target, r.verdict) for r in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    line = "  ".join("-" * width for width in widths)
    for number, row in enumerate(cells):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
        if number == 0:
            print(line)
