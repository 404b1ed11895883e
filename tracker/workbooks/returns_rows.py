"""What previewing a return finds, row by row: problems, changes, conflicts and rows not applied.

Shared by reading and comparing a return (:mod:`tracker.workbooks.returns_diff`), its preview
(:mod:`tracker.workbooks.returns_import`) and applying it (:mod:`tracker.workbooks.returns_apply`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tracker.errors import SheetProblem
from tracker.wording import plural

ReturnProblem = SheetProblem  # one problem's place and words, as every workbook import reports them


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
    implied_by: str = ""  # the field whose change it follows from ("" on a new item: it comes with it)


@dataclass(frozen=True)
class RowChange:
    kind: str
    item_id: str
    sheet: str
    row: int
    item: str
    fields: tuple[FieldChange, ...]  # what will change, conflicts not included
    our_revision: int  # the item's revision when previewed (a status update: 0 when none exists)
    # ours, for a record written whole; for a new item, what to create
    base: dict[str, Any] = field(default_factory=dict)
    new: bool = False  # a new item (a new risk): ``base`` is what to create, ``fields`` what to show


def changes_in_words(changes: int, items: int, new: int = 0) -> str:
    """ "9 changes to 4 items, one of them a new risk": how the preview and the result of applying count alike.

    A return's only new items are risks (the risks sheet's "New risk" rows).
    """
    text = f"{plural(changes, 'change')} to {plural(items, 'item')}"
    if new == 1:
        text += ", a new risk" if items == 1 else ", one of them a new risk"
    elif new:
        text += f", {new} of them new risks" if new < items else ", all new risks"
    return text
