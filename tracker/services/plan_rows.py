"""What a plan workbook holds and what importing it would do, as plain values.

The workbook layer reads a file into a :class:`PlanInput`; :mod:`tracker.services.plan_import`
previews it into a :class:`PlanPreview` and imports it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tracker.errors import SheetProblem
from tracker.models import Kind
from tracker.textout import table

PlanProblem = SheetProblem  # one problem's place and words, as every workbook import reports them


@dataclass(frozen=True)
class SheetRow:
    row: int
    values: dict[str, Any]  # a cell that could not be read is None here (its problem is reported)


@dataclass(frozen=True)
class PlanSheet:
    kind: Kind
    title: str
    headers: Mapping[str, str]  # field -> column heading, for messages
    rows: tuple[SheetRow, ...]


@dataclass(frozen=True)
class PlanInput:
    file_name: str
    sheets: Mapping[Kind, PlanSheet]
    problems: tuple[PlanProblem, ...] = ()  # found in the cells alone
    titles: tuple[str, ...] = ()  # the sheets in the workbook's order, for listing problems in it


@dataclass(frozen=True)
class FieldChange:
    sheet: str
    row: int
    item: str
    column: str
    old: str
    new: str

    def __str__(self) -> str:
        return f"{self.sheet}, row {self.row}: {self.item} — {self.column}: {self.old} -> {self.new}"


@dataclass(frozen=True)
class SheetCount:
    sheet: str
    create: int
    update: int
    unchanged: int


@dataclass(frozen=True)
class PlanPreview:
    file_name: str
    plan_name: str
    problems: tuple[PlanProblem, ...]
    counts: tuple[SheetCount, ...]
    changes: tuple[FieldChange, ...]
    creates: Mapping[Kind, list[dict[str, Any]]] = field(repr=False)
    updates: Mapping[Kind, list[tuple[str, dict[str, Any]]]] = field(repr=False)
    link_creates: Mapping[str, list[dict[str, Any]]] = field(repr=False)
    link_flips: tuple[tuple[str, str, bool], ...] = field(repr=False)  # (list, link id, deleted)
    data: PlanInput = field(repr=False, compare=False)  # what was previewed
    audit_seq: int = 0  # the store's last audit entry when it was previewed: any write since moves it

    @property
    def n_create(self) -> int:
        return sum(c.create for c in self.counts)

    @property
    def n_update(self) -> int:
        return sum(c.update for c in self.counts)

    @property
    def can_import(self) -> bool:
        """No problems, and something to add or change."""
        return not self.problems and bool(self.n_create or self.n_update)

    def lines(self) -> list[str]:
        """The preview as text: the file, counts per sheet, then its problems or its changes field by field."""
        out = [f"{self.file_name} into the plan {self.plan_name!r}:", ""]
        out.append(table(["Sheet", "To add", "To change", "Unchanged"],
                         [[c.sheet, c.create, c.update, c.unchanged] for c in self.counts]))  # fmt: skip
        if self.problems:
            out += ["", "Problems:"]
            out += [f"  {x}" for x in self.problems]
        elif self.changes:
            out += ["", "Changes:"]
            out += [f"  {c}" for c in self.changes]
        return out
