"""Small types shared by the engine's modules."""

from __future__ import annotations

from typing import TypeAlias

# Ids are whatever the caller uses to name things: primary keys or reference codes.
Id: TypeAlias = int | str
