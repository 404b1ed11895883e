"""The team plan's side of a push: each operation of a replica's outbox applied once, merged field by field.

Runs in one transaction on the replica's login's own connection, so row-level security and the
grants decide what the login may do, as they do in the app. The log's append lock is taken first:
every row read after it is the last committed, and no other change lands until this one commits.

For each operation, in the replica's order:

- already in ``sync_applied`` (a sync interrupted after the server committed, retried): its recorded
  outcome is returned and nothing is applied again;
- a change to a row of a period closed meanwhile: held whole as a late submission for the PMO;
- an edit of a row removed here, or a removal of a row changed here since the replica's base: held
  whole as a conflict (never "delete wins");
- otherwise each field is three-way merged against the value the replica started from: taken when
  the team plan still holds that value (or already holds the new one), held as a conflict (base,
  mine, theirs) when the team plan changed it differently;
- a new item whose code was taken meanwhile is added under a free code, and flagged;
- what the login may not do is refused, with the services' words, and nothing of it is written.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from tracker.audit import decode, encode, take_append_lock
from tracker.db import Actor
from tracker.enums import ConflictReason, OpOutcome, Source
from tracker.errors import NotPermitted
from tracker.models import ENTITIES, Editable, Kind, ReportingPeriod, SyncApplied, SyncConflict
from tracker.outbox import CREATE
from tracker.services import permissions
from tracker.services.base import UnitOfWork, coerce, unique_text_fields, unit_of_work

REFUSAL_STATES = frozenset(
    {"42501", "23514"}
)  # insufficient privilege (RLS, grants); a check (a frozen period)


@dataclass(frozen=True)
class Op:
    """One outbox operation as sent: the fields hold [old, new], encoded as the audit log encodes values."""

    op_id: str
    txn: str  # the replica's transaction: its operations are one change, late or not as a whole
    kind: str
    row_id: str
    action: str
    base_revision: int | None
    fields: dict[str, list[str | None]]

    @classmethod
    def from_json(
        cls, op_id: str, txn: str, kind: str, row_id: str, action: str, base: int | None, fields: str
    ) -> Op:
        return cls(op_id, txn, kind, row_id, action, base, json.loads(fields))


@dataclass(frozen=True)
class Outcome:
    outcome: str  # an OpOutcome value
    message: str = ""


def apply_ops(session: Session, ops: Sequence[Op], *, login: str, replica_id: str) -> dict[str, Outcome]:
    """Apply a replica's operations in this (server) transaction; the outcome of each, by operation id.

    First all at once, under one savepoint: the usual case, where the server takes every operation, costs
    a statement per kind of change rather than several round trips per operation. If the server refuses
    any of them (row-level security, a grant, a trigger), that savepoint is rolled back and each operation
    is applied under its own, so the refused ones are refused alone.
    """
    take_append_lock(session)
    actor = Actor(login, Source.SYNC, detail=f"replica {replica_id} of {login}")
    uow = unit_of_work(session, actor)
    done = _already_applied(session, [op.op_id for op in ops])
    todo = [op for op in ops if op.op_id not in done]
    held = _load(
        session, todo
    )  # read once, after the lock: what is committed now (held: the session's map is weak)
    late = _late_transactions(session, todo)
    mark = uow.mark()
    try:
        with session.begin_nested():
            with session.no_autoflush:  # the updates go in one flush, batched by the ORM
                out = {op.op_id: _one(uow, op, replica_id, late.get(op.txn)) for op in todo}
            session.flush()
    except (StaleDataError, DBAPIError) as exc:
        if not _is_refusal(exc):
            raise  # a lost connection or a fault, not a refusal: the whole push is rolled back
        uow.rollback_to(mark)
        out = {op.op_id: _alone(uow, op, replica_id, late.get(op.txn)) for op in todo}
    session.add_all(
        SyncApplied(op_id=op_id, replica_id=replica_id, login=uow.by, outcome=result.outcome,
                    message=result.message, server_txn=uow.txn)
        for op_id, result in out.items()
    )  # fmt: skip
    uow.changes(f"Synced {len(ops)} change(s) from an offline replica")
    session.flush()
    del held
    return {**done, **out}


def _one(uow: UnitOfWork, op: Op, replica_id: str, period: str | None) -> Outcome:
    """Apply one operation; the services' own refusal comes before anything of it is written."""
    try:
        return _apply(uow, op, replica_id, period)
    except NotPermitted as exc:
        return Outcome(OpOutcome.REFUSED, str(exc))


def _alone(uow: UnitOfWork, op: Op, replica_id: str, period: str | None) -> Outcome:
    """Apply one operation under its own savepoint: a refusal by the server undoes it alone."""
    session = uow.session
    mark = uow.mark()
    savepoint = session.begin_nested()
    try:
        result = _apply(uow, op, replica_id, period)
        session.flush()
        savepoint.commit()
        return result
    except (NotPermitted, StaleDataError, DBAPIError) as exc:
        if not _is_refusal(exc):
            raise
        savepoint.rollback()
        uow.rollback_to(mark)
        return Outcome(OpOutcome.REFUSED, _refusal(exc, op))


def _load(session: Session, ops: Sequence[Op]) -> list[Editable]:
    """Bring every row the operations name into the session in one statement per kind."""
    loaded: list[Editable] = []
    by_kind: dict[str, list[str]] = {}
    for op in ops:
        by_kind.setdefault(op.kind, []).append(op.row_id)
    for kind, ids in by_kind.items():
        cls = ENTITIES[Kind(kind)]
        for start in range(0, len(ids), 1000):
            query = select(cls).where(cls.id.in_(ids[start : start + 1000]))  # type: ignore[attr-defined]
            loaded.extend(session.execute(query.execution_options(populate_existing=True)).scalars())
    return loaded


def _already_applied(session: Session, op_ids: list[str]) -> dict[str, Outcome]:
    found: dict[str, Outcome] = {}
    table: Table = SyncApplied.__table__  # type: ignore[attr-defined]
    for start in range(0, len(op_ids), 1000):
        chunk = op_ids[start : start + 1000]
        for op_id, outcome, message in session.execute(
            select(table.c.op_id, table.c.outcome, table.c.message).where(table.c.op_id.in_(chunk))
        ):
            found[op_id] = Outcome(outcome, message)
    return found


def _is_refusal(exc: BaseException) -> bool:
    """The server saying no (row-level security, a grant, a trigger), rather than a fault or a lost connection."""
    return not isinstance(exc, DBAPIError) or getattr(exc.orig, "sqlstate", None) in REFUSAL_STATES


def _refusal(exc: BaseException, op: Op) -> str:
    if isinstance(exc, NotPermitted):
        return str(exc)
    if isinstance(exc, DBAPIError):
        first = str(exc.orig).strip().splitlines()[0]
        return f"The team plan refused this change to a {Kind(op.kind).label}: {first}."
    return f"The team plan refused this change to a {Kind(op.kind).label}: it is not one you may change."


def _values(cls: type[Editable], fields: dict[str, list[str | None]], which: int) -> dict[str, Any]:
    return {name: coerce(cls, name, decode(pair[which])) for name, pair in fields.items()}


def _late_transactions(session: Session, ops: list[Op]) -> dict[str, str]:
    """The replica's transactions that touch a period closed meanwhile, each with that period: a status
    update and the objective's current status it carries are late together, or not at all."""
    late: dict[str, str] = {}
    for op in ops:
        if op.txn in late:
            continue
        cls = ENTITIES[Kind(op.kind)]
        sent = decode(op.fields["period_id"][1]) if "period_id" in op.fields else None
        period = _closed_period(session, cls, session.get(cls, op.row_id), sent)
        if period is not None:
            late[op.txn] = period
    return late


def _apply(uow: UnitOfWork, op: Op, replica_id: str, period: str | None) -> Outcome:
    cls = ENTITIES[Kind(op.kind)]
    session = uow.session
    row = session.get(cls, op.row_id)  # loaded by _load, after the append lock
    mine = _values(cls, op.fields, 1)
    if period is not None:
        _conflict(uow, op, replica_id, ConflictReason.LATE, "", None, _whole(op), None, period_id=period)
        return Outcome(
            OpOutcome.CONFLICT, "The period was closed meanwhile: held as a late submission for the PMO."
        )
    if op.action == CREATE:
        if row is not None:  # sent before under another operation id: the row is there
            return Outcome(OpOutcome.APPLIED)
        return _create(uow, op, cls, mine, replica_id)
    if row is None:
        return Outcome(OpOutcome.REFUSED, f"The {Kind(op.kind).label} is not in the team plan.")
    if not isinstance(row, SyncConflict):
        permissions.require_may_write(session, uow.actor, row, f"change a {Kind(op.kind).label}")
    removing = mine.get("deleted") is True
    restoring = mine.get("deleted") is False
    if row.deleted and not restoring:
        if removing:
            return Outcome(OpOutcome.APPLIED)  # removed on both sides
        _conflict(uow, op, replica_id, ConflictReason.REMOVED_THERE, "", None, _whole(op), None)
        return Outcome(OpOutcome.CONFLICT, "Removed on the team plan meanwhile: held as a conflict.")
    if removing and row.revision != op.base_revision:
        _conflict(uow, op, replica_id, ConflictReason.CHANGED_THERE, "", None, _whole(op), None)
        return Outcome(
            OpOutcome.CONFLICT, "Changed on the team plan meanwhile: your removal is held as a conflict."
        )
    take: dict[str, Any] = {}
    held = 0
    for name, (old, new) in op.fields.items():
        now = encode(getattr(row, name))
        if row.revision == op.base_revision or now == old:
            take[name] = mine[name]
        elif now != new:
            _conflict(uow, op, replica_id, ConflictReason.SAME_FIELD, name, old, new, now)
            held += 1
    uow.update(row, take)
    if not held:
        return Outcome(OpOutcome.APPLIED)
    return Outcome(OpOutcome.MERGED if take else OpOutcome.CONFLICT, f"{held} field(s) held as conflicts.")


def _create(uow: UnitOfWork, op: Op, cls: type[Editable], values: dict[str, Any], replica_id: str) -> Outcome:
    session = uow.session
    deleted = values.pop("deleted", False)
    if cls is not SyncConflict:
        permissions.require_may_write(session, uow.actor, cls(**values), f"add a {Kind(op.kind).label}")
    taken = [f for f in unique_text_fields(cls) if f in values and _code_taken(session, cls, f, values)]
    for name in taken:
        wanted = values[name]
        values[name] = _free_code(session, cls, name, values)
        _conflict(
            uow, op, replica_id, ConflictReason.CODE_TAKEN, name, None, encode(wanted), encode(values[name])
        )
    try:
        with session.begin_nested():
            row = uow.create(cls, id=op.row_id, **values)
    except IntegrityError as exc:
        raise NotPermitted(
            f"The team plan could not add this {Kind(op.kind).label}: {str(exc.orig).splitlines()[0]}."
        ) from None
    if deleted:
        uow.update(row, {"deleted": True})
    if taken:
        return Outcome(
            OpOutcome.MERGED, f"The code {', '.join(taken)} was taken meanwhile: added under a free code."
        )
    return Outcome(OpOutcome.APPLIED)


def _code_taken(session: Session, cls: type[Editable], name: str, values: dict[str, Any]) -> bool:
    table: Table = cls.__table__  # type: ignore[attr-defined]
    query = select(table.c.id).where(table.c[name] == values[name])
    if "plan_id" in table.c and "plan_id" in values:
        query = query.where(table.c.plan_id == values["plan_id"])
    return session.execute(query.limit(1)).first() is not None


def _free_code(session: Session, cls: type[Editable], name: str, values: dict[str, Any]) -> str:
    limit = cls.__table__.c[name].type.length or 20  # type: ignore[attr-defined]
    base = str(values[name])
    for n in range(2, 10_000):
        suffix = f"~{n}"
        candidate = base[: limit - len(suffix)] + suffix
        if not _code_taken(session, cls, name, {**values, name: candidate}):
            return candidate
    raise NotPermitted(f"No free code near {base!r}.")  # pragma: no cover - ten thousand copies of one code


def _closed_period(
    session: Session, cls: type[Editable], row: Editable | None, sent: str | None
) -> str | None:
    """The id of the closed period this row (as it is, or as the change would make it) belongs to."""
    table: Table = cls.__table__  # type: ignore[attr-defined]
    if "period_id" not in table.c or cls is SyncConflict:
        return None
    ids = {p for p in (getattr(row, "period_id", None), sent) if p}
    for period_id in ids:
        period = session.get(ReportingPeriod, period_id)
        if period is not None and period.status == "closed":
            return str(period_id)
    return None


def _whole(op: Op) -> str | None:
    return encode({"action": op.action, "fields": {name: pair[1] for name, pair in op.fields.items()}})


def _conflict(
    uow: UnitOfWork, op: Op, replica_id: str, reason: ConflictReason, field: str,
    base: str | None, mine: str | None, theirs: str | None, *, period_id: str | None = None,
) -> None:  # fmt: skip
    uow.create(
        SyncConflict, item_kind=op.kind, item_id=op.row_id, field=field, reason=reason.value, base=base,
        mine=mine, theirs=theirs, period_id=period_id, op_id=op.op_id, replica_id=replica_id, login=uow.by,
    )  # fmt: skip


def outcomes_in_words(outcomes: Iterable[Outcome]) -> str:
    counts: dict[str, int] = {}
    for o in outcomes:
        counts[o.outcome] = counts.get(o.outcome, 0) + 1
    return ", ".join(f"{n} {name}" for name, n in sorted(counts.items())) or "nothing to send"
