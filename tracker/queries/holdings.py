"""The people list with what each person leads or owns, what a hand-over would move, and the names in the audit log (not `people`: that name is the short list in common).

What counts as held is :mod:`tracker.services.holdings`, the rule that also refuses to remove a person who holds anything.
"""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import ColumnElement, FromClause, String, cast, func, literal, select, true, union_all
from sqlmodel import Session

from tracker.models import Kind
from tracker.services.holdings import HELD, held_items, held_where, in_words
from tracker.services.registry import Entity

from ._sql import live, t


class PersonHoldingRow(NamedTuple):
    id: str
    name: str
    role_title: str
    email: str
    active: bool
    revision: int
    held: tuple[int, ...]  # how many of each kind in tracker.services.holdings.HELD

    @property
    def holds(self) -> str:
        """'lead 2 objectives and own 1 open risk', in the words the refusal to remove them uses."""
        return in_words(self.held)


def people_with_holdings(session: Session) -> list[PersonHoldingRow]:
    """Every live person with counts of the live objectives they lead and open items they own (one statement)."""
    held = held_items()
    counts = [func.count().filter(held.c.k == k) for k in range(len(HELD))]
    p = t.person.c
    stmt = (
        select(p.id, p.name, p.role_title, p.email, p.active, p.revision, *counts)
        .outerjoin(held, held.c.pid == p.id)
        .where(live(t.person))
        .group_by(p.id, p.name, p.role_title, p.email, p.active, p.revision)
        .order_by(p.name, p.id)
    )
    return [
        PersonHoldingRow(pid, name, role, email, active, revision, tuple(held))
        for pid, name, role, email, active, revision, *held in session.execute(stmt).all()
    ]


class HeldItemRow(NamedTuple):
    """One item a person holds, as a hand-over's preview lists it."""

    kind: Kind
    id: str
    ref: str  # its code; for an item without one (a milestone), its objective's
    title: str
    open: bool


TITLE_CHARS = 300  # a recommendation's text can run to pages; the preview shows its start


def held_item_rows(session: Session, person_id: str, *, include_closed: bool = False) -> list[HeldItemRow]:
    """What handing over ``person_id``'s work would move, in the registry's order of kinds (one statement)."""
    parts = []
    for k, (entity, holding) in enumerate(HELD):
        table = entity.table.__table__  # type: ignore[attr-defined]
        still_open = holding.still_open(table) if holding.still_open is not None else true()
        parts.append(
            select(
                literal(k).label("k"),
                table.c.id.label("id"),
                _ref(table).label("ref"),
                _title(entity, table).label("title"),
                still_open.label("open"),
            ).where(*held_where(entity, holding, [person_id], include_closed=include_closed))
        )
    held = union_all(*parts).subquery("held")
    stmt = select(held.c.k, held.c.id, held.c.ref, held.c.title, held.c.open).order_by(
        held.c.k, held.c.ref, held.c.title, held.c.id
    )
    return [
        HeldItemRow(HELD[k][0].kind, item_id, ref or "", title or "", bool(is_open))
        for k, item_id, ref, title, is_open in session.execute(stmt).all()
    ]


def _ref(table: FromClause) -> ColumnElement[str]:
    if "ref" in table.c:
        return cast(table.c.ref, String)
    if "objective_id" in table.c:
        o = t.objective.c
        return select(o.ref).where(o.id == table.c.objective_id).scalar_subquery()
    return cast(literal(""), String)


def _title(entity: Entity, table: FromClause) -> ColumnElement[str]:
    for name in ("title", "text", entity.name_field or "name"):
        if name in table.c:
            return func.substr(table.c[name], 1, TITLE_CHARS)
    return cast(literal(""), String)


def audit_actors(session: Session) -> list[str]:
    """Everyone who appears in the audit log, by name."""
    a = t.audit.c
    return [row[0] for row in session.execute(select(a.actor).distinct().order_by(a.actor)).all()]
