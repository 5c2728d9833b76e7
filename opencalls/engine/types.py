"""Small types and helpers shared by the engine's modules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeAlias

# Ids are whatever the caller uses to name things: primary keys or reference codes.
Id: TypeAlias = int | str

# Proposal × evaluator work is done a block of rows at a time, each about this many cells,
# so temporaries stay small however large the call.
BLOCK_CELLS = 2_000_000


def row_blocks(n_rows: int, n_cols: int) -> Iterator[slice]:
    """Slices of consecutive rows covering ``n_rows``, each of about ``BLOCK_CELLS`` cells."""
    size = max(1, BLOCK_CELLS // max(n_cols, 1))
    for start in range(0, n_rows, size):
        yield slice(start, min(start + size, n_rows))
