"""The write path every service shares: validate, write, bump the revision, audit, report what changed.

A service is a keyword-only function ``fn(session, *, actor, ...) -> Changes`` called inside
``store.write()`` (one transaction). Inside, it gets the transaction's :class:`UnitOfWork` with
:func:`unit_of_work`; several services called in one transaction share it, so an import or a
merge is one audited transaction with one id that undo can revert as a whole.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError
from sqlalchemy import Boolean as SABoolean
from sqlalchemy import Date, DateTime, Integer, String, UniqueConstraint, insert, select, update
from sqlmodel import Session

from tracker.audit import CREATED, AuditWriter, encode, server_login, take_append_lock
from tracker.db import Actor
from tracker.enums import Source
from tracker.errors import ConflictError, NotFound, Problem, ValidationError
from tracker.models import KIND_OF, Editable, Kind, utcnow
from tracker.outbox import Capture, replica_login

E = TypeVar("E", bound=Editable)
M = TypeVar("M", bound=BaseModel)

BOOKKEEPING = frozenset({"id", "revision", "changed_by", "changed_at"})


# ---------------------------------------------------------------------------------------------- changes


@dataclass(frozen=True)
class Changes:
    """What a write did, for the UI to broadcast once and each view to decide what to reload."""

    txn: str | None = None
    kinds: frozenset[Kind] = frozenset()
    ids: frozenset[str] = frozenset()
    summary: str = ""
    created: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.ids)

    def touches(self, *kinds: Kind) -> bool:
        """Whether any of these kinds of item changed (each must be a :class:`Kind`, not a bare string)."""
        for kind in kinds:
            if not isinstance(kind, Kind):
                raise TypeError(f"touches() takes Kind members, not {kind!r}")
        return not self.kinds.isdisjoint(kinds)

    def merge(self, other: Changes) -> Changes:
        return Changes(
            txn=self.txn or other.txn,
            kinds=self.kinds | other.kinds,
            ids=self.ids | other.ids,
            summary="; ".join(s for s in (self.summary, other.summary) if s),
            created=self.created + other.created,
        )


# ---------------------------------------------------------------------------------------------- validation


def validate(
    model: type[M], data: Mapping[str, Any] | BaseModel, *, context: Mapping[str, Any] | None = None
) -> M:
    """Validate input with a non-table model, turning pydantic's errors into our field problems.

    ``context`` reaches the model's validators (``info.context``): facts from the database that a
    rule needs, such as the RAG reported last period, so that every problem is listed in one pass.
    """
    if isinstance(data, model) and context is None:
        return data
    raw = data.model_dump() if isinstance(data, BaseModel) else dict(data)
    try:
        return model.model_validate(raw, context=dict(context) if context is not None else None)
    except PydanticValidationError as exc:
        raise ValidationError([_problem(err) for err in exc.errors()]) from None


def _problem(err: Mapping[str, Any]) -> Problem:
    name = ".".join(str(p) for p in err.get("loc", ())) or "value"
    label = name.replace("_", " ")
    kind = err.get("type", "")
    got = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "missing":
        msg = f"{label} is required"
    elif kind in {"date_from_datetime_parsing", "date_parsing", "date_type", "date_from_datetime_inexact"}:
        msg = f"{label}: {got!r} is not a date (type it as DD/MM/YYYY)"
    elif kind in {"int_parsing", "int_type", "int_from_float"}:
        msg = f"{label}: {got!r} is not a whole number"
    elif kind in {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}:
        bound = next(iter(ctx.values()), "")
        words = {"greater_than_equal": "at least", "less_than_equal": "at most",
                 "greater_than": "more than", "less_than": "less than"}[kind]  # fmt: skip
        msg = f"{label} must be {words} {bound} (got {got!r})"
    elif kind == "enum":
        msg = f"{label}: {got!r} is not one of {ctx.get('expected', 'the allowed values')}"
    elif kind == "string_too_long":
        msg = f"{label} is too long (at most {ctx.get('max_length')} characters)"
    elif kind == "string_too_short":
        msg = f"{label} must not be empty"
    else:
        msg = f"{label}: {err.get('msg', 'invalid value')}"
    return Problem(name, msg)


# ---------------------------------------------------------------------------------------------- unit of work


class UnitOfWork:
    """The transaction's writer: every create, update and tombstone goes through here to be audited."""

    def __init__(self, session: Session, actor: Actor):
        if not actor.name.strip():
            raise ValidationError("Say who is making the change.", field="actor")
        self.session = session
        self.actor = actor
        # Who the log and the rows name: on a team server the login the server knows, whatever
        # name the client gives (the server refuses any other); elsewhere the actor's name.
        self.by = server_login(session) or actor.name
        self.txn = str(uuid.uuid4())
        self.at = utcnow()
        self.audit = AuditWriter(
            session, txn=self.txn, actor=self.by, source=actor.source, detail=actor.detail, at=self.at
        )
        self.kinds: set[Kind] = set()
        self.ids: set[str] = set()
        self.created: list[str] = []
        self._bumped: set[str] = set()
        # On an offline replica every change is also an operation for the outbox, except what a sync
        # brings down from the team plan (see tracker.outbox).
        login = replica_login(session) if actor.source != Source.SYNC else None
        self.capture = Capture(login) if login is not None else None

    # -- reads

    def get(
        self, cls: type[E], row_id: str | None, *, what: str | None = None, allow_deleted: bool = False
    ) -> E:
        row = self.session.get(cls, row_id) if row_id else None
        if row is None or (row.deleted and not allow_deleted):
            label = what or KIND_OF[cls].label
            # no internal id in what a person reads: they never typed one
            if row is not None:
                raise NotFound(f"The {label} has been deleted (or its adding undone) since it was shown.")
            raise NotFound(f"There is no such {label} in this plan.")
        return row

    # -- writes

    def create(self, cls: type[E], **values: Any) -> E:
        row = cls(**values, changed_by=self.by, changed_at=self.at, revision=1)
        self.session.add(row)
        self.session.flush()
        entity = KIND_OF[cls]
        snapshot = _snapshot(row)
        self.audit.record(entity, row.id, CREATED, None, snapshot)
        if self.capture is not None:
            self.capture.created(entity, row.id, {k: encode(v) for k, v in snapshot.items()})
        self._touch(entity, row.id)
        self.created.append(row.id)
        self._bumped.add(row.id)
        return row

    def bulk_create(self, cls: type[Editable], rows: list[dict[str, Any]]) -> int:
        """Insert many rows with one executemany; each is audited as created. Rows need an 'id'."""
        if not rows:
            return 0
        entity = KIND_OF[cls]
        stamped = [dict(r, revision=1, changed_by=self.by, changed_at=self.at, deleted=False) for r in rows]
        self.session.execute(insert(cls), stamped)
        for r in stamped:
            snap = {k: v for k, v in r.items() if k not in BOOKKEEPING and k != "deleted"}
            self.audit.record_encoded(entity, r["id"], CREATED, None, encode(snap))
            if self.capture is not None:
                self.capture.created(entity, r["id"], {k: encode(v) for k, v in snap.items()})
        self.kinds.add(entity)
        self.ids.update(r["id"] for r in stamped)
        return len(stamped)

    def update(
        self, row: Editable, values: Mapping[str, Any], *, expected_revision: int | None = None
    ) -> list[str]:
        """Set the fields that differ; audit each; bump the revision once. Returns the changed field names."""
        entity = KIND_OF[type(row)]
        if expected_revision is not None:
            self._current(row)
        if expected_revision is not None and row.revision != expected_revision:
            raise ConflictError(
                f"This {entity.label} was changed by {row.changed_by or 'someone'} at "
                f"{row.changed_at:%d %b %Y %H:%M} since you opened it (revision {row.revision}, "
                f"you had {expected_revision}). Reload and try again."
            )
        changed = []
        base = row.revision if row.id not in self._bumped else row.revision - 1
        for name, new in values.items():
            if name in BOOKKEEPING:
                raise ValueError(f"{name} is managed by the unit of work")
            old = getattr(row, name)
            if _same(old, new):
                continue
            setattr(row, name, new)
            self.audit.record(entity, row.id, name, old, new)
            if self.capture is not None:
                self.capture.updated(entity, row.id, base, name, old, new)
            changed.append(name)
        if changed:
            self._bump(row)
            self._touch(entity, row.id)
        return changed

    def delete(self, row: Editable) -> bool:
        return bool(self.update(row, {"deleted": True}))

    def restore(self, row: Editable) -> bool:
        return bool(self.update(row, {"deleted": False}))

    def mark(self) -> tuple[int, frozenset[Kind], frozenset[str], int, frozenset[str]]:
        """Where this unit of work stands, to go back to if a savepoint after it is rolled back."""
        return (self.audit.pending, frozenset(self.kinds), frozenset(self.ids), len(self.created),
                frozenset(self._bumped))  # fmt: skip

    def rollback_to(self, mark: tuple[int, frozenset[Kind], frozenset[str], int, frozenset[str]]) -> None:
        """Forget what was recorded after ``mark`` (its savepoint was rolled back: the rows are as before)."""
        pending, kinds, ids, created, bumped = mark
        self.audit.truncate(pending)
        self.kinds, self.ids, self._bumped = set(kinds), set(ids), set(bumped)
        del self.created[created:]

    def changes(self, summary: str = "") -> Changes:
        """Flush the audit entries and say what changed. Call once at the end of each service."""
        self.audit.flush()
        self.session.flush()
        if self.capture is not None:
            self.capture.flush(self.session, self.txn)
        return Changes(
            txn=self.txn if self.ids else None,
            kinds=frozenset(self.kinds),
            ids=frozenset(self.ids),
            summary=summary,
            created=tuple(self.created),
        )

    def _current(self, row: Editable) -> None:
        """Make ``row`` what is committed now, and keep it so until this transaction ends.

        On a server each statement reads what is committed when it runs, so a row loaded earlier in
        this transaction may have been saved over since; checking its revision in hand would let
        this save overwrite that one unseen. Every write appends to the audit log under one lock,
        held until its commit: once this transaction holds it, the revision read now is the last
        committed and no other save can land before this one. SQLite's writers never overlap.
        """
        if self.session.get_bind().dialect.name != "postgresql":
            return
        take_append_lock(self.session)
        table = type(row).__table__  # type: ignore[attr-defined]
        now = self.session.execute(select(table.c.revision).where(table.c.id == row.id)).scalar()
        if now is not None and now != row.revision:
            self.session.refresh(row)

    def _bump(self, row: Editable) -> None:
        if row.id not in self._bumped:
            row.revision += 1
            self._bumped.add(row.id)
        row.changed_by = self.by
        row.changed_at = self.at

    def _touch(self, entity: Kind, row_id: str) -> None:
        self.kinds.add(entity)
        self.ids.add(row_id)


def unit_of_work(session: Session, actor: Actor) -> UnitOfWork:
    """The unit of work of the session's current transaction (made on first use)."""
    trans = session.get_transaction()
    key = "tracker.uow"
    held = session.info.get(key)
    if held is not None and held[0] is trans and held[1].actor == actor:
        return held[1]
    uow = UnitOfWork(session, actor)
    session.info[key] = (trans, uow)
    return uow


def park(session: Session, cls: type[Editable], field: str, ids: list[str]) -> None:
    """Move a unique text column out of the way for these rows, in SQL only, before they are given
    each other's values (a renumbering, or undoing one): the audit then records each change once,
    from its old value to its new, and no intermediate state breaks the constraint."""
    if not ids:
        return
    session.flush()
    table = cls.__table__  # type: ignore[attr-defined]
    for row_id in ids:
        session.execute(update(table).where(table.c.id == row_id).values({field: f"~{row_id[:18]}"}))


def unique_text_fields(cls: type[Editable]) -> frozenset[str]:
    """The text columns of a table that a unique constraint covers (with the plan, as objective.ref)."""
    table = cls.__table__  # type: ignore[attr-defined]
    found: set[str] = set()
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint):
            found.update(c.name for c in constraint.columns if _is_text(c.type) and not c.foreign_keys)
    return frozenset(found)


def _is_text(ctype: Any) -> bool:
    impl = getattr(ctype, "impl", ctype)  # sqlmodel's AutoString decorates a String
    return isinstance(ctype, String) or isinstance(impl, String)


def _same(old: Any, new: Any) -> bool:
    # Compared as they would be audited: a value is unchanged when its record would be identical.
    return encode(old) == encode(new)


def _snapshot(row: Editable) -> dict[str, Any]:
    data = row.model_dump()
    return {k: v for k, v in data.items() if k not in BOOKKEEPING and k != "deleted"}


def coerce(cls: type[Editable], field_name: str, value: Any) -> Any:
    """Turn a decoded audit value back into the column's Python type (for undo)."""
    if value is None:
        return None
    column = cls.__table__.c[field_name]  # type: ignore[attr-defined]
    ctype = column.type
    impl = getattr(ctype, "impl", ctype)
    if isinstance(impl, DateTime) or isinstance(ctype, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(impl, Date) or isinstance(ctype, Date):
        return date.fromisoformat(value)
    if isinstance(impl, SABoolean):
        return bool(value)
    if isinstance(impl, Integer):
        return int(value)
    return value
