"""What a register or dashboard is narrowed to, and the SQL conditions that narrow it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, FromClause

from tracker.enums import Brag, FourP, Lifecycle, MilestoneState

from ._sql import brag_is, ids_in_sql, live

_CHOICES: dict[str, tuple[str, ...]] = {
    "brag": tuple(Brag),
    "lifecycle": tuple(Lifecycle),
    "four_p": tuple(FourP),
    "state": tuple(MilestoneState),
}


@dataclass(frozen=True)
class Filters:
    """Every field is optional; a register applies the ones that mean something for its rows.

    ``brag`` and ``lifecycle`` are the objective's current status; ``state`` is a milestone state;
    ``status`` a risk or recommendation status; ``ids`` the rows behind a dashboard bar.
    """

    theme_id: str | None = None
    outcome_id: str | None = None
    objective_id: str | None = None
    lead_id: str | None = None
    owner_id: str | None = None
    board_id: str | None = None
    brag: str | None = None
    lifecycle: str | None = None
    four_p: str | None = None
    text: str | None = None
    due_from: date | None = None
    due_to: date | None = None
    state: str | None = None
    status: str | None = None
    body: str | None = None
    include_deleted: bool = False
    ids: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        for name, allowed in _CHOICES.items():
            value = getattr(self, name)
            if value is not None and value not in allowed:
                words = ", ".join(allowed)
                raise ValueError(f"{name.replace('_', ' ')}: {value!r} is not one of {words}")
        if self.ids is not None and not isinstance(self.ids, tuple):
            object.__setattr__(self, "ids", tuple(self.ids))
        if self.text is not None and not self.text.strip():
            object.__setattr__(self, "text", None)
        if self.due_from and self.due_to and self.due_from > self.due_to:
            raise ValueError(f"due from ({self.due_from}) is after due to ({self.due_to})")

    @property
    def is_empty(self) -> bool:
        return all(getattr(self, f.name) in (None, False) for f in fields(self))


NO_FILTERS = Filters()


def scope_conditions(
    f: Filters, objective: FromClause, outcome: FromClause, *, theme_id: ColumnElement[Any] | None = None
) -> list[ColumnElement[bool]]:
    """Where an objective sits: theme, outcome, the objective itself, lead, board and 4P tag.

    ``theme_id`` overrides the theme column (a risk may name its theme directly).
    """
    o = objective.c
    out: list[ColumnElement[bool]] = []
    if f.theme_id is not None:
        out.append((outcome.c.theme_id if theme_id is None else theme_id) == f.theme_id)
    if f.outcome_id is not None:
        out.append(o.outcome_id == f.outcome_id)
    if f.objective_id is not None:
        out.append(o.id == f.objective_id)
    if f.lead_id is not None:
        out.append(o.lead_id == f.lead_id)
    if f.board_id is not None:
        out.append(o.board_id == f.board_id)
    if f.four_p is not None:
        out.append(o.four_p.contains(f.four_p, autoescape=True))
    return out


def status_conditions(f: Filters, objective: FromClause) -> list[ColumnElement[bool]]:
    """The objective's current lifecycle and displayed status."""
    o = objective.c
    out: list[ColumnElement[bool]] = []
    if f.lifecycle is not None:
        out.append(o.lifecycle == f.lifecycle)
    if f.brag is not None:
        out.append(brag_is(o.lifecycle, o.rag, f.brag))
    return out


def due_conditions(f: Filters, column: ColumnElement[Any]) -> list[ColumnElement[bool]]:
    out: list[ColumnElement[bool]] = []
    if f.due_from is not None:
        out.append(column >= f.due_from)
    if f.due_to is not None:
        out.append(column <= f.due_to)
    return out


def id_conditions(f: Filters, column: ColumnElement[Any]) -> list[ColumnElement[bool]]:
    """Bind a short explicit id list; a long one is applied after the fetch (see _sql.keep_ids)."""
    return [column.in_(f.ids)] if f.ids is not None and ids_in_sql(f.ids) else []


def deleted_conditions(f: Filters, tables: Iterable[FromClause]) -> list[ColumnElement[bool]]:
    return [] if f.include_deleted else [live(x) for x in tables]
