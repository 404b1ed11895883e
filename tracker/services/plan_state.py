"""A plan's structure as plain rows, each item known by its code: what a plan workbook carries.

Shared by importing a plan workbook (to match the file's rows with the store's) and exporting one.
Items are known by what a person types, never by id: a theme, an outcome by its code, an objective
and a risk by its ref, a person and a board by name, a milestone by its objective's ref and its
title, an inspection by its title, a recommendation by its inspection's title and its ref.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, select
from sqlmodel import Session, SQLModel

from tracker.errors import ValidationError
from tracker.models import (
    AuditHead,
    Board,
    Editable,
    Inspection,
    Kind,
    Milestone,
    Objective,
    Outcome,
    Person,
    Plan,
    Recommendation,
    RecommendationObjective,
    RecommendationRisk,
    Risk,
    Theme,
)

# The kinds a plan workbook carries, in the order they are written (each after what it refers to).
ORDER: tuple[Kind, ...] = (
    Kind.PERSON, Kind.BOARD, Kind.THEME, Kind.OUTCOME, Kind.OBJECTIVE, Kind.MILESTONE, Kind.RISK,
    Kind.INSPECTION, Kind.RECOMMENDATION,
)  # fmt: skip


def _folded(name: str) -> str:
    return " ".join(name.split()).casefold()


# How each kind is known: its key from its own values (references already named by their keys).
KEYS: dict[Kind, Callable[[Mapping[str, Any]], Any]] = {
    Kind.PERSON: lambda v: _folded(v["name"]),
    Kind.BOARD: lambda v: _folded(v["name"]),
    Kind.THEME: lambda v: v["code"],
    Kind.OUTCOME: lambda v: v["code"],
    Kind.OBJECTIVE: lambda v: v["ref"],
    Kind.MILESTONE: lambda v: (v["objective"], v["title"]),
    Kind.RISK: lambda v: v["ref"],
    Kind.INSPECTION: lambda v: v["title"],
    Kind.RECOMMENDATION: lambda v: (v["inspection"], v["ref"]),
}


@dataclass(frozen=True)
class Ref:
    """A column naming another item by its key: ``name`` in the workbook, ``column`` in the table."""

    name: str
    target: Kind
    column: str


# Per kind, the references it carries.
REFS: dict[Kind, tuple[Ref, ...]] = {
    Kind.OUTCOME: (Ref("theme", Kind.THEME, "theme_id"),),
    Kind.OBJECTIVE: (
        Ref("outcome", Kind.OUTCOME, "outcome_id"),
        Ref("lead", Kind.PERSON, "lead_id"),
        Ref("board", Kind.BOARD, "board_id"),
    ),
    Kind.MILESTONE: (Ref("objective", Kind.OBJECTIVE, "objective_id"), Ref("owner", Kind.PERSON, "owner_id")),
    Kind.RISK: (
        Ref("objective", Kind.OBJECTIVE, "objective_id"),
        Ref("theme", Kind.THEME, "theme_id"),
        Ref("owner", Kind.PERSON, "owner_id"),
    ),
    Kind.RECOMMENDATION: (
        Ref("inspection", Kind.INSPECTION, "inspection_id"),
        Ref("owner", Kind.PERSON, "owner_id"),
    ),
}
# A recommendation's links, by the keys of what it is linked to: name -> (target, link table, column).
LINK_LISTS: dict[str, tuple[Kind, type[Editable], str]] = {
    "objectives": (Kind.OBJECTIVE, RecommendationObjective, "objective_id"),
    "risks": (Kind.RISK, RecommendationRisk, "risk_id"),
}
# Columns a workbook never carries: bookkeeping, the plan, and what status updates set.
NOT_CARRIED = frozenset(
    {"id", "revision", "changed_by", "changed_at", "deleted", "plan_id", "lifecycle", "rag", "progress_pct"}
)


@dataclass
class PlanState:
    """The store's plan: every row of each kind (tombstoned ones too) as a mapping of its columns."""

    plan_id: str
    plan_name: str
    marking: str
    caveat: str
    rows: dict[Kind, list[dict[str, Any]]]
    links: dict[str, list[dict[str, Any]]]  # LINK_LISTS name -> its link rows (tombstoned ones too)
    audit_seq: int = 0  # the audit log's last entry as read: every write moves it on
    _keys: dict[Kind, dict[str, Any]] = field(default_factory=dict)
    _names: dict[Kind, dict[str, str]] = field(default_factory=dict)

    def live(self, kind: Kind) -> list[dict[str, Any]]:
        return [r for r in self.rows[kind] if not r["deleted"]]

    def key_of(self, kind: Kind, row_id: str | None) -> Any:
        """The key of the item with this id (None for None)."""
        if row_id is None:
            return None
        if kind not in self._keys:
            self._keys[kind] = {r["id"]: self.key(kind, r) for r in self.rows[kind]}
        return self._keys[kind].get(row_id)

    def key(self, kind: Kind, row: Mapping[str, Any]) -> Any:
        """The key of a stored row (its references named by their keys first)."""
        return KEYS[kind](self.named(kind, row))

    def named(self, kind: Kind, row: Mapping[str, Any]) -> dict[str, Any]:
        """A stored row's carried columns, with each reference as its target's key, as a workbook names it."""
        out = {k: v for k, v in row.items() if k not in NOT_CARRIED}
        for ref in REFS.get(kind, ()):
            out[ref.name] = self.key_of(ref.target, out.pop(ref.column))
            if ref.target in (Kind.PERSON, Kind.BOARD) and out[ref.name] is not None:
                out[ref.name] = self.display_name(ref.target, row[ref.column])
        return out

    def display_name(self, kind: Kind, row_id: str) -> str:
        """A person's or board's name as written (its key is the name folded)."""
        names = self._names.get(kind)
        if names is None:
            names = self._names[kind] = {r["id"]: r["name"] for r in self.rows[kind]}
        return names[row_id]

    def linked(self, name: str) -> dict[str, list[str]]:
        """Recommendation id -> the ids of its live links of this list."""
        column = LINK_LISTS[name][2]
        out: dict[str, list[str]] = defaultdict(list)
        for link in self.links[name]:
            if not link["deleted"]:
                out[link["recommendation_id"]].append(link[column])
        return out


def _rows(session: Session, table: Table, *where: Any) -> list[dict[str, Any]]:
    return [dict(r) for r in session.execute(select(table).where(*where)).mappings()]


def read_plan_state(session: Session) -> PlanState:
    """The store's one live plan, as rows (ValidationError when the store holds none or several)."""
    plans = _rows(session, _t(Plan), _t(Plan).c.deleted.is_(False))
    if len(plans) != 1:
        what = (
            "no plan yet: create one first (init --empty --name NAME)" if not plans else "more than one plan"
        )
        raise ValidationError(f"The store holds {what}.", field="plan")
    plan = plans[0]
    pid = plan["id"]
    th, oc, ob, ins, rec = _t(Theme), _t(Outcome), _t(Objective), _t(Inspection), _t(Recommendation)
    order = {Kind.THEME: "ordinal", Kind.OUTCOME: "ordinal", Kind.OBJECTIVE: "ordinal"}
    rows = {
        Kind.PERSON: _rows(session, _t(Person)),
        Kind.BOARD: _rows(session, _t(Board), _t(Board).c.plan_id == pid),
        Kind.THEME: _rows(session, th, th.c.plan_id == pid),
        Kind.OUTCOME: _rows(session, oc, oc.c.theme_id.in_(select(th.c.id).where(th.c.plan_id == pid))),
        Kind.OBJECTIVE: _rows(session, ob, ob.c.plan_id == pid),
        Kind.MILESTONE: _rows(
            session,
            _t(Milestone),
            _t(Milestone).c.objective_id.in_(select(ob.c.id).where(ob.c.plan_id == pid)),
        ),
        Kind.RISK: _rows(session, _t(Risk), _t(Risk).c.plan_id == pid),
        Kind.INSPECTION: _rows(session, ins, ins.c.plan_id == pid),
        Kind.RECOMMENDATION: _rows(
            session, rec, rec.c.inspection_id.in_(select(ins.c.id).where(ins.c.plan_id == pid))
        ),
    }
    for kind, name in order.items():
        rows[kind].sort(key=lambda r, n=name: (r[n], r["id"]))  # type: ignore[misc]
    mine = select(rec.c.id).where(rec.c.inspection_id.in_(select(ins.c.id).where(ins.c.plan_id == pid)))
    links = {
        name: _rows(session, _t(table), _t(table).c.recommendation_id.in_(mine))
        for name, (_, table, _) in LINK_LISTS.items()
    }
    return PlanState(
        pid,
        plan["name"],
        plan["protective_marking"],
        plan["handling_caveat"],
        rows,
        links,
        audit_seq(session),
    )


def audit_seq(session: Session) -> int:
    """The audit log's last sequence number: it moves on with every write to the store."""
    return int(session.execute(select(_t(AuditHead).c.seq).where(_t(AuditHead).c.id == 1)).scalar() or 0)


def _t(cls: type[SQLModel]) -> Table:
    return cls.__table__  # type: ignore[attr-defined, no-any-return]
