"""Undo and redo from the audit log, and restoring a removed item.

Reverting a transaction puts back, newest entry first, what each of its entries changed: a
created row is removed (tombstoned), a removal is taken back, and every other field gets its old
value. The revert is itself a transaction (source "undo", detail "undo of <txn>"), so redo is
reverting the undo. It is refused when any row it would touch was changed by a later transaction
(undo that first), or when it would change a status update of a closed period.

Run it in a write transaction of its own: it writes as a different actor (source "undo").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import Select
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from tracker.audit import CREATED, decode
from tracker.db import Actor
from tracker.enums import PeriodStatus, Role, Source
from tracker.errors import ClosedPeriod, ConflictError, NotFound, Problem, ValidationError
from tracker.models import ENTITIES, AuditEntry, Editable, Kind, ReportingPeriod, StatusUpdate
from tracker.services._common import describe
from tracker.services.base import BOOKKEEPING, Changes, coerce, park, unique_text_fields, unit_of_work
from tracker.services.permissions import acting_as, require_may_write, require_pmo_here
from tracker.services.registry import REGISTRY
from tracker.team.policies import LEAD_COLUMN_WRITES
from tracker.wording import listing, plural

CHUNK = 500

Key = tuple[str, str]  # (entity, entity_id)
# what a lead may write on an objective they lead (its current status), as the team server grants
_LEAD_OBJECTIVE_FIELDS = frozenset(LEAD_COLUMN_WRITES[Kind.OBJECTIVE.value]) - BOOKKEEPING


def revert_transaction(session: Session, *, actor: Actor, txn: str) -> Changes:
    """Undo every change of a past transaction, or refuse and say which later change is in the way."""
    entries = session.execute(
        _columns("seq", "entity", "entity_id", "field", "old", "actor", "at")
        .where(col(AuditEntry.txn) == txn)
        .order_by(col(AuditEntry.seq).desc())
    ).all()
    if not entries:
        raise NotFound(f"There is no change {txn!r} in the audit log.")
    keys = {(e.entity, e.entity_id) for e in entries}
    unknown = {entity for entity, _ in keys if entity not in ENTITIES}
    if unknown:
        raise ValidationError(Problem("txn", f"txn: cannot undo changes to {', '.join(sorted(unknown))}"))
    rows = _load(session, keys)
    _refuse_if_changed_later(session, txn, entries[0].seq, rows)
    _refuse_if_frozen(session, rows)
    _refuse_unless_permitted(session, actor, entries, rows)

    uow = unit_of_work(session, replace(actor, source=Source.UNDO, detail=f"undo of {txn}"))
    _park_swapped(session, entries, rows)
    for entry in entries:
        cls = ENTITIES[entry.entity]
        row = rows[(entry.entity, entry.entity_id)]
        if entry.field == CREATED:
            uow.update(row, {"deleted": True})
        elif entry.field in cls.__table__.c and entry.field not in BOOKKEEPING:  # type: ignore[attr-defined]
            uow.update(row, {entry.field: coerce(cls, entry.field, decode(entry.old))})
        # any other entry is a note (e.g. why a period was reopened): nothing to put back
    first = entries[-1]
    return uow.changes(
        f"Undid {plural(len(entries), 'change')} to {_items(session, rows)} "
        f"made by {first.actor} on {first.at:%d %b %Y at %H:%M}"
    )


def _park_swapped(session: Session, entries: Sequence[Any], rows: Mapping[tuple[str, str], Editable]) -> None:
    """Unique codes put back (undoing a renumbering swaps them) are first moved out of each other's way."""
    moving: dict[tuple[type[Editable], str], list[str]] = {}
    for entry in entries:
        cls = ENTITIES[entry.entity]
        if entry.field in unique_text_fields(cls):
            row = rows[(entry.entity, entry.entity_id)]
            if getattr(row, entry.field) != decode(entry.old):
                moving.setdefault((cls, entry.field), []).append(row.id)
    for (cls, field), ids in moving.items():
        park(session, cls, field, sorted(set(ids)))


def restore_deleted(session: Session, *, actor: Actor, entity: str, entity_id: str) -> Changes:
    """Bring back a removed item from the audit log page, with its own service's checks where it has them."""
    if entity not in ENTITIES:
        raise ValidationError(
            Problem("entity", f"entity: {entity!r} is not a kind of item that can be restored")
        )
    return REGISTRY[Kind(entity)].restore_item(session, actor=actor, item_id=entity_id)


def _columns(*names: str) -> Select[Any]:
    """A select of audit entry columns, read as rows with named attributes."""
    return sa_select(*(AuditEntry.__table__.c[name] for name in names))  # type: ignore[attr-defined]


def _load(session: Session, keys: Iterable[Key]) -> dict[Key, Editable]:
    """The rows the entries name, read a chunk of ids at a time (an import can touch thousands)."""
    by_entity: dict[str, list[str]] = {}
    for entity, entity_id in keys:
        by_entity.setdefault(entity, []).append(entity_id)
    rows: dict[Key, Editable] = {}
    for entity, ids in by_entity.items():
        cls = ENTITIES[Kind(entity)]
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            for row in session.exec(select(cls).where(cls.id.in_(chunk))).all():  # type: ignore[attr-defined]
                rows[(entity, row.id)] = row
    missing = [k for k in keys if k not in rows]
    if missing:
        entity, entity_id = missing[0]
        raise NotFound(f"The {entity.replace('_', ' ')} {entity_id!r} this change touched no longer exists.")
    return rows


def _refuse_if_changed_later(session: Session, txn: str, last_seq: int, rows: dict[Key, Editable]) -> None:
    ids = sorted({entity_id for _, entity_id in rows})
    later: list[Any] = []
    for start in range(0, len(ids), CHUNK):
        later.extend(
            e
            for e in session.execute(
                _columns("seq", "txn", "entity", "entity_id", "actor", "at", "detail")
                .where(col(AuditEntry.seq) > last_seq, col(AuditEntry.entity_id).in_(ids[start : start + CHUNK]))
            ).all()
            if (e.entity, e.entity_id) in rows
        )  # fmt: skip
    later.sort(key=lambda e: e.seq)
    cancelled = _undone_pairs(later)
    first = next((e for e in later if e.txn not in cancelled), None)
    if first is None:
        return
    if first.detail == f"undo of {txn}":
        raise ConflictError(
            f"This change was already undone by {first.actor} on {first.at:%d %b %Y at %H:%M}."
        )
    item = describe(session, first.entity, rows[(first.entity, first.entity_id)])
    raise ConflictError(
        f"Cannot undo this change: {item} was changed again later by {first.actor} on "
        f"{first.at:%d %b %Y at %H:%M}. Undo that later change first."
    )


def _refuse_unless_permitted(
    session: Session, actor: Actor, entries: Sequence[Any], rows: Mapping[Key, Editable]
) -> None:
    """An undo is a change like any other: only whoever may make it may undo it (a lead, on an
    objective they lead, only the current status that a status update carries)."""
    if acting_as(session, actor)[0] == Role.PMO:
        return
    if any(e.entity == Kind.OBJECTIVE and e.field not in _LEAD_OBJECTIVE_FIELDS for e in entries):
        require_pmo_here(session, actor, "undo a change to an objective's details")
    for row in rows.values():
        require_may_write(session, actor, row, "undo this change")


def _undone_pairs(later: Sequence[Any]) -> set[str]:
    """The later transactions that cancel out: each one undone afterwards, with the undo that did it.

    So Edit > Undo can step back through several changes to the same item: a change already undone
    no longer stands in the way of undoing the one before it. A redo (the undo of an undo) stands, as
    it puts the change back, unless it too was undone.
    """
    cancelled: set[str] = set()
    seen: set[str] = set()
    for e in later:
        target = e.detail.removeprefix("undo of ") if e.detail.startswith("undo of ") else None
        if target is not None and target in seen and target not in cancelled and e.txn not in cancelled:
            cancelled.update((target, e.txn))
        seen.add(e.txn)
    return cancelled


def _refuse_if_frozen(session: Session, rows: dict[Key, Editable]) -> None:
    for (entity, _), row in rows.items():
        if entity != Kind.STATUS_UPDATE:
            continue
        assert isinstance(row, StatusUpdate)
        period = session.get(ReportingPeriod, row.period_id)
        if period is not None and period.status == PeriodStatus.CLOSED:
            raise ClosedPeriod(
                f"Cannot undo this change: it touched {describe(session, entity, row)}, and {period.name} "
                "is closed. Reopen the period first (giving a reason)."
            )


def _items(session: Session, rows: dict[Key, Editable]) -> str:
    if len(rows) == 1:
        (((entity, _), row),) = rows.items()
        return describe(session, entity, row)
    kinds = Counter(entity.replace("_", " ") for entity, _ in rows)
    return listing(plural(n, kind) for kind, n in sorted(kinds.items()))
