"""What a person holds: the live items they lead or own that are still open, as the registry declares.

One rule for the People page (everyone's counts, one statement) and for removing a person (refused
while they hold anything), so the two can never disagree.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import ColumnElement, Subquery, false, func, literal, select, union_all
from sqlmodel import Session

from tracker.services.registry import REGISTRY, Entity, Holding
from tracker.wording import listing, plural

# (entity, how it is held) in the registry's order: the order counts are given and worded in
HELD: tuple[tuple[Entity, Holding], ...] = tuple(
    (e, e.holding) for e in REGISTRY.values() if e.holding is not None
)


def held_where(
    entity: Entity,
    holding: Holding,
    person_ids: Collection[str] | None = None,
    *,
    include_closed: bool = False,
) -> list[ColumnElement[bool]]:
    """The conditions for a live item of ``entity`` to be held (``include_closed``: closed ones too)."""
    table = entity.table.__table__  # type: ignore[attr-defined]
    where: list[ColumnElement[bool]] = [table.c.deleted == false()]
    if holding.still_open is not None and not include_closed:
        where.append(holding.still_open(table))
    if person_ids is not None:
        where.append(table.c[holding.field].in_(list(person_ids)))
    return where


def held_items(person_ids: Collection[str] | None = None, *, include_closed: bool = False) -> Subquery:
    """One row per held item: ``pid`` (the person) and ``k`` (its index in :data:`HELD`)."""
    parts = []
    for k, (entity, holding) in enumerate(HELD):
        table = entity.table.__table__  # type: ignore[attr-defined]
        where = held_where(entity, holding, person_ids, include_closed=include_closed)
        parts.append(select(table.c[holding.field].label("pid"), literal(k).label("k")).where(*where))
    return union_all(*parts).subquery("held")


def held_counts(session: Session, person_id: str, *, include_closed: bool = False) -> tuple[int, ...]:
    """How many of each kind in :data:`HELD` the person holds."""
    held = held_items([person_id], include_closed=include_closed)
    found = dict(session.execute(select(held.c.k, func.count()).group_by(held.c.k)).all())
    return tuple(int(found.get(k, 0)) for k in range(len(HELD)))


def in_words(counts: Sequence[int]) -> str:
    """'lead 2 objectives and own 1 open risk' ('' when nothing is held)."""
    return listing(
        f"{holding.verb} {plural(n, holding.noun)}" for (_, holding), n in zip(HELD, counts, strict=True) if n
    )
