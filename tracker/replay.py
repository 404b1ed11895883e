"""Replaying the audit log: what every audited table should hold now, compared with what it holds.

Every write goes through the unit of work, which records a row's creation (the row as JSON) and
then each changed field (old and new), removals and restores included (``deleted`` is a field
like any other). Replaying the entries in order therefore gives each row's fields as they must be
now; a field that differs from the table was changed without the log, a row with no history was
added without it, and history for a row that is gone means the row was removed without it.

Reads are plain driver rows (no ORM objects): the scale plan has hundreds of thousands of rows and
a million entries.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Boolean, Connection, Date, DateTime, Integer

from tracker.audit import CREATED, NOTE_FIELDS, decode, driver_rows
from tracker.models import ENTITIES, Editable

# Columns the log does not record, and why. Nothing else in an audited table is left out.
NOT_AUDITED: dict[str, str] = {
    "revision": "a counter the unit of work bumps once per transaction, for spotting stale copies",
    "changed_by": "who last changed the row: the log's actor of that change says the same, in full",
    "changed_at": "when the row last changed: the log's time of that change says the same, in full",
}
# Tables that are not plan data, and why they are not replayed.
NOT_REPLAYED: dict[str, str] = {
    "audit_entry": "the log itself, checked by its hash chain",
    "audit_head": "the log's last entry, checked against the chain and the anchors",
    "store_meta": "which app version last wrote the file, and which plan replaced it: facts about the file, not the plan",
    "alembic_version": "the schema's version, checked by the schema finding",
}

LIMIT = 20  # differences listed; the count says how many in all
_MISSING = object()


@dataclass(frozen=True)
class Difference:
    entity: str
    entity_id: str
    field: str  # "" for the row as a whole
    message: str


@dataclass
class ReplayReport:
    entries: int = 0
    rows: int = 0
    total: int = 0  # differences found
    differences: list[Difference] = field(default_factory=list)

    def add(self, entity: str, entity_id: str, name: str, message: str) -> None:
        self.total += 1
        if len(self.differences) < LIMIT:
            self.differences.append(Difference(entity, entity_id, name, message))


def replay(conn: Connection, batch: int = 20_000) -> ReplayReport:
    """Replay the log and compare every audited table with it, in the connection's one transaction."""
    report = ReplayReport()
    columns = {str(entity): _columns(cls) for entity, cls in ENTITIES.items()}
    expected = _expected(conn, report, columns, batch)
    for kind in ENTITIES:  # a kind's value is its table's name
        _compare(conn, report, kind.value, columns[kind.value], expected, batch)
    for entity, row_id in expected:
        report.add(entity, row_id, "", f"{_item(entity, row_id)} is in the audit log but not in the table")
    return report


Key = tuple[str, str]  # (entity, entity_id)


def _expected(
    conn: Connection, report: ReplayReport, columns: dict[str, dict[str, _Column]], batch: int
) -> dict[Key, dict[str, Any]]:
    """Each row's fields as the log says they are now: its creation, then every change in order.

    The loop runs once per entry (a million on the scale plan), so the common cases come first.
    """
    expected: dict[Key, dict[str, Any]] = {}
    bases = {entity: _base(cols) for entity, cols in columns.items()}
    sql = "SELECT entity, entity_id, field, new FROM audit_entry ORDER BY seq"
    for entity, entity_id, name, new in driver_rows(conn, sql, batch):
        report.entries += 1
        key = (entity, entity_id)
        if name != CREATED:
            row = expected.get(key)
            if row is not None and name in row:
                try:
                    row[name] = decode(new)
                except ValueError:
                    row[name] = _UNREADABLE
            elif name not in NOTE_FIELDS:
                _odd_change(report, columns, expected, key, name, new)
        elif entity in bases and key not in expected:
            try:
                snapshot = json.loads(new) if new is not None else None
            except ValueError:
                snapshot = None
            row = expected[key] = bases[entity].copy()
            if isinstance(snapshot, dict):
                row.update(snapshot)
            else:
                report.add(
                    entity, entity_id, "", f"{_item(entity, entity_id)}: its creation in the log is not a row"
                )
        elif entity in bases:
            report.add(entity, entity_id, "", f"{_item(entity, entity_id)} is created twice in the log")
        else:
            report.add(
                entity, entity_id, name, f"the log names a kind of item this plan does not have ({entity})"
            )
    return expected


def _odd_change(
    report: ReplayReport, columns: dict[str, dict[str, _Column]], expected: dict[Key, dict[str, Any]],
    key: Key, name: str, new: str | None,
) -> None:  # fmt: skip
    """A change the fast path did not take: of an unknown kind or field, or before the row's creation."""
    entity, entity_id = key
    cols = columns.get(entity)
    if cols is None:
        report.add(
            entity, entity_id, name, f"the log names a kind of item this plan does not have ({entity})"
        )
    elif name not in cols:
        report.add(
            entity,
            entity_id,
            name,
            f"the log changes {name!r}, which is not an audited field of {entity.replace('_', ' ')}",
        )
    else:
        report.add(
            entity, entity_id, name, f"{_item(entity, entity_id)} is changed in the log before it is created"
        )
        expected.setdefault(key, {})[name] = _json(new, decode)


def _compare(
    conn: Connection, report: ReplayReport, entity: str, cols: dict[str, _Column],
    expected: dict[Key, dict[str, Any]], batch: int,
) -> None:  # fmt: skip
    """Each row of the table against the log's version of it; the rows compared leave ``expected``."""
    names = list(cols)
    for row in driver_rows(conn, f"SELECT id, {', '.join(names)} FROM {entity}", batch):
        report.rows += 1
        row_id = row[0]
        want = expected.pop((entity, row_id), None)
        if want is None:
            report.add(entity, row_id, "", f"{_item(entity, row_id)} has no history in the audit log")
            continue
        for name, actual in zip(names, row[1:], strict=True):
            value = want.get(name, _MISSING)
            if value is _MISSING:
                continue  # changed before it was created: already reported
            if value != actual and not _same(cols[name].kind, value, actual):
                report.add(entity, row_id, name,
                           f"{_item(entity, row_id)}: {name} is {_show(actual)} but the audit log says {_show(value)}")  # fmt: skip


@dataclass(frozen=True)
class _Column:
    kind: str  # bool | int | date | datetime | text: how _same compares it
    default: Any  # what a creation that left the field out stored (_MISSING: the field was required)


def _columns(cls: type[Editable]) -> dict[str, _Column]:
    out = {}
    for column in cls.__table__.columns:  # type: ignore[attr-defined]
        name = column.name
        if name == "id" or name in NOT_AUDITED:
            continue
        # A bulk creation is a Core insert: a field it leaves out gets the column's default, not the model's.
        given = column.default
        if given is not None and given.is_scalar:
            default = given.arg
        else:
            default = None if column.nullable else _MISSING
        out[name] = _Column(_kind(column.type), default)
    return out


def _kind(ctype: Any) -> str:
    impl = getattr(ctype, "impl", ctype)
    for kind, cls in (("bool", Boolean), ("datetime", DateTime), ("date", Date), ("int", Integer)):
        if isinstance(impl, cls) or isinstance(ctype, cls):
            return kind
    return "text"


def _base(cols: dict[str, _Column]) -> dict[str, Any]:
    """A created row before its snapshot is laid over it: a bulk creation leaves out the fields it did
    not set, and they hold the column's default. Every column is a key, so ``name in row`` says a
    change names a column."""
    return {name: (None if c.default is _MISSING else c.default) for name, c in cols.items()}


def _same(kind: str, want: Any, actual: Any) -> bool:
    """Equal once both are in one form; called only when ``==`` said no (so 1 and true already agree).

    The log holds JSON: a date as "2024-03-31", a time as "2024-03-31 16:00:00+00:00". SQLite gives
    text ("2024-03-31 16:00:00.000000" for a time), PostgreSQL date and datetime objects. Nothing
    else is loosened: a number stored as text, or a date with something after it, is a difference.
    """
    if want is None or actual is None:
        return False
    if kind == "date":
        return _date_text(want) == _date_text(actual)
    if kind == "datetime":
        return _utc(want) == _utc(actual) is not None
    return False


def _date_text(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) and not isinstance(value, datetime) else value


def _utc(value: Any) -> datetime | None:
    try:
        at = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return at.astimezone(UTC).replace(tzinfo=None) if at.tzinfo else at


def _json(text: str | None, read: Any = json.loads) -> Any:
    try:
        return None if text is None else read(text)
    except ValueError:
        return _UNREADABLE


class _Unreadable:
    def __repr__(self) -> str:
        return "an unreadable value"


_UNREADABLE = _Unreadable()


def _item(entity: str, entity_id: str) -> str:
    return f"{entity.replace('_', ' ')} {entity_id}"


def _show(value: Any, width: int = 40) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= width else text[: width - 1] + "…"
