"""Sync conflicts and an offline replica's outbox, as plain rows for the Conflicts page and the command line."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from tracker.audit import decode
from tracker.enums import ConflictReason, ConflictState
from tracker.models import ENTITIES, Kind, Outbox, SyncConflict
from tracker.outbox import PENDING
from tracker.services._common import describe


@dataclass(frozen=True)
class ConflictRow:
    id: str
    revision: int
    item_kind: str
    item_id: str
    item: str  # the item in words: 'milestone “Train staff”'
    field: str
    reason: str
    why: str
    base: str
    mine: str
    theirs: str
    login: str
    state: str
    resolved_by: str
    changed_at: Any

    @property
    def open(self) -> bool:
        return self.state == ConflictState.OPEN


@dataclass(frozen=True)
class OutboxRow:
    seq: int
    kind: str
    row_id: str
    item: str
    action: str
    fields: str  # the fields changed, in words
    state: str  # pending | refused
    message: str


def shown(encoded: str | None) -> str:
    """A conflict's value as a person reads it (a whole row's change as its fields)."""
    value = decode(encoded)
    if value is None:
        return "(none)"
    if isinstance(value, dict) and "fields" in value:
        fields = {k: decode(v) for k, v in value["fields"].items()}
        if fields == {"deleted": True}:
            return "removed"
        if fields == {"deleted": False}:
            return "restored"
        parts = [f"{k.replace('_', ' ')}: {shown(v)}" for k, v in value["fields"].items() if k != "deleted"]
        return "; ".join(parts) if value.get("action") != "create" else "new: " + "; ".join(parts)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value) if value != "" else "(empty)"


def conflict_rows(session: Session, *, include_settled: bool = False) -> list[ConflictRow]:
    query = select(SyncConflict).where(col(SyncConflict.deleted).is_(False))
    if not include_settled:
        query = query.where(col(SyncConflict.state) == ConflictState.OPEN)
    out = []
    for c in session.exec(query.order_by(col(SyncConflict.changed_at), col(SyncConflict.id))):
        out.append(
            ConflictRow(
                c.id, c.revision, c.item_kind, c.item_id, _item(session, c.item_kind, c.item_id), c.field,
                c.reason, ConflictReason(c.reason).label, shown(c.base), shown(c.mine), shown(c.theirs), c.login,
                c.state, c.resolved_by, c.changed_at,
            )
        )  # fmt: skip
    return out


def open_conflicts(session: Session) -> int:
    query = (
        select(func.count())
        .select_from(SyncConflict)
        .where(col(SyncConflict.deleted).is_(False), col(SyncConflict.state) == ConflictState.OPEN)
    )
    return int(session.exec(query).one())


def outbox_rows(session: Session) -> list[OutboxRow]:
    out = []
    for o in session.exec(select(Outbox).order_by(col(Outbox.seq))):
        fields = json.loads(o.fields)
        words = ", ".join(sorted(fields)) if o.action != "create" else "new"
        out.append(
            OutboxRow(o.seq or 0, o.kind, o.row_id, _item(session, o.kind, o.row_id), o.action, words, o.state,
                      o.message)
        )  # fmt: skip
    return out


def waiting_count(session: Session) -> int:
    """How many changes wait to be sent (read after every change on a replica: one count, no rows)."""
    return int(
        session.exec(select(func.count()).select_from(Outbox).where(col(Outbox.state) == PENDING)).one()
    )


def _item(session: Session, kind: str, item_id: str) -> str:
    row = session.get(ENTITIES[Kind(kind)], item_id)
    return describe(session, kind, row) if row is not None else f"a {Kind(kind).label} not in the plan"
