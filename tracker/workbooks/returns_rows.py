"""What previewing a return finds, row by row: problems, changes, conflicts and rows not applied.

Shared by reading and comparing a return (:mod:`tracker.workbooks.returns_diff`), its preview
(:mod:`tracker.workbooks.returns_import`) and applying it (:mod:`tracker.workbooks.returns_apply`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ReturnProblem:
    sheet: str
    row: int
    column: str
    found: str
    expected: str

    def __str__(self) -> str:
        where = f"sheet '{self.sheet}'" + (f", row {self.row}" if self.row else "")
        where += f", column '{self.column}'" if self.column else ""
        return f"{where}: found {self.found}; expected {self.expected}"


@dataclass(frozen=True)
class FieldConflict:
    kind: str
    item_id: str
    sheet: str
    row: int
    item: str  # the item in words, e.g. "SER-01.02" or "milestone “Train staff”"
    field: str
    column: str
    issued: Any
    ours: Any
    theirs: Any

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.kind, self.item_id, self.field)


@dataclass(frozen=True)
class NotOwned:
    sheet: str
    row: int
    item: str
    reason: str


@dataclass(frozen=True)
class FieldChange:
    field: str
    column: str
    ours: Any
    theirs: Any
    implied: bool = False  # follows from another change (e.g. complete sets progress to 100)


@dataclass(frozen=True)
class RowChange:
    kind: str
    item_id: str
    sheet: str
    row: int
    item: str
    fields: tuple[FieldChange, ...]  # what will change, conflicts not included
    our_revision: int  # the item's revision when previewed (a status update: 0 when none exists)
    base: dict[str, Any] = field(default_factory=dict)  # ours, for a record written whole
