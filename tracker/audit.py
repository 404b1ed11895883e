"""The append-only, hash-chained audit log.

Each entry's hash covers the previous entry's hash and every field of its own, so editing,
deleting or reordering any entry breaks the chain from that point on, and ``check`` reports it.
Values are stored as JSON text so that undo can restore them exactly.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col

from tracker.errors import ServiceError
from tracker.models import AuditEntry, AuditHead

GENESIS = "0" * 64
# pg_advisory_xact_lock's key for appending to the log ("tracker" in ASCII): one writer at a time
# per database, taken before the head is read, released when the transaction ends.
APPEND_LOCK = 0x74726163_6B6572
_HEAD = "tracker.audit_head"
# On PostgreSQL each append notifies this channel with the new head (delivered when the transaction
# commits, never for one rolled back): the app's windows LISTEN to look for changes at once.
NOTIFY_CHANNEL = "tracker_audit"
CREATED = "created"  # the field name of an entry that records a row's creation (new = the row as JSON)
REOPEN_REASON = "reopen_reason"  # an entry's field that records why a period was reopened, not a column
SUPERSEDED = "superseded_by"  # an entry's field that records which newer plan carried this one over
NOTE_FIELDS = frozenset({REOPEN_REASON, SUPERSEDED})  # entries that explain a change rather than make one


def encode(value: Any) -> str | None:
    """A value as JSON text; None stays NULL so 'no value' and 'empty text' stay distinct."""
    if value is None:
        return None
    return json.dumps(_plain(value), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def decode(text: str | None) -> Any:
    """The value ``encode`` wrote. Plain strings and whole numbers, most of the log, skip the parser."""
    if text is None:
        return None
    # encode() escapes every quote, backslash and control character inside a string with a backslash,
    # so a quoted text without one is the string itself.
    if len(text) > 1 and text[0] == '"' and text[-1] == '"' and "\\" not in text:
        return text[1:-1]
    if text.isascii() and text.isdigit() and (text[0] != "0" or len(text) == 1):
        return int(text)
    return json.loads(text)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _stamp(at: datetime) -> str:
    # Second precision, no zone: what comes back from SQLite and PostgreSQL alike.
    return at.strftime("%Y-%m-%d %H:%M:%S")


def entry_hash(prev_hash: str, row: dict[str, Any]) -> str:
    parts = [
        prev_hash,
        str(row["seq"]),
        row["txn"],
        _stamp(row["at"]),
        row["actor"],
        row["source"],
        row["detail"],
        row["entity"],
        row["entity_id"],
        row["field"],
        "\x00" if row["old"] is None else row["old"],
        "\x00" if row["new"] is None else row["new"],
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


class AuditWriter:
    """Collects entries for one transaction and appends them, chained, in one executemany."""

    def __init__(self, session: Session, *, txn: str, actor: str, source: str, detail: str, at: datetime):
        self.session = session
        self.txn, self.actor, self.source, self.detail, self.at = txn, actor, source, detail, at
        self._pending: list[dict[str, Any]] = []

    def record(self, entity: str, entity_id: str, field: str, old: Any, new: Any) -> None:
        self._pending.append(
            {"entity": entity, "entity_id": entity_id, "field": field, "old": encode(old), "new": encode(new)}
        )

    def record_encoded(
        self, entity: str, entity_id: str, field: str, old: str | None, new: str | None
    ) -> None:
        self._pending.append(
            {"entity": entity, "entity_id": entity_id, "field": field, "old": old, "new": new}
        )

    @property
    def pending(self) -> int:
        """How many entries are recorded and not yet appended."""
        return len(self._pending)

    def truncate(self, count: int) -> None:
        """Forget the entries recorded after the first ``count`` (their changes were rolled back)."""
        del self._pending[count:]

    def flush(self) -> int:
        """Append what was recorded; returns how many entries were written."""
        if not self._pending:
            return 0
        seq, prev = self._lock_head()
        rows = []
        for item in self._pending:
            seq += 1
            row = {
                "seq": seq,
                "txn": self.txn,
                "at": self.at,
                "actor": self.actor,
                "source": self.source,
                "detail": self.detail,
                **item,
            }
            row["prev_hash"] = prev
            row["hash"] = prev = entry_hash(prev, row)
            rows.append(row)
        self.session.execute(insert(AuditEntry), rows)
        self.session.execute(update(AuditHead).where(col(AuditHead.id) == 1).values(seq=seq, hash=prev))
        if self.session.get_bind().dialect.name == "postgresql":  # wakes the other windows at commit
            self.session.execute(
                text("SELECT pg_notify(:channel, :seq)"), {"channel": NOTIFY_CHANNEL, "seq": str(seq)}
            )
        self.session.info[_HEAD] = (self.session.get_transaction(), seq, prev)
        count = len(self._pending)
        self._pending = []
        return count

    def _lock_head(self) -> tuple[int, str]:
        # Every writer in one transaction shares the head it locked, so several units of work
        # (an undo beside an edit, an import's many services) append to one unbroken chain.
        held = self.session.info.get(_HEAD)
        if held is not None and held[0] is self.session.get_transaction():
            return held[1], held[2]
        # On PostgreSQL a transaction-level advisory lock serialises every appender, even the first
        # ones, before there is a head row to lock; FOR UPDATE then locks the head itself. SQLite's
        # BEGIN IMMEDIATE has already serialised writers.
        take_append_lock(self.session)
        row = self.session.execute(
            select(col(AuditHead.seq), col(AuditHead.hash)).where(col(AuditHead.id) == 1).with_for_update()
        ).first()
        last = last_entry(self.session)
        if row is None and last is None:
            self.session.execute(insert(AuditHead).values(id=1, seq=0, hash=GENESIS))
            return 0, GENESIS
        head = None if row is None else (int(row[0]), str(row[1]))
        if head != (last or (0, GENESIS)):
            raise AuditLogDamaged(head_problem(head, last))
        return head  # type: ignore[return-value]


def take_append_lock(session: Session) -> None:
    """On PostgreSQL, wait for the log's append lock (held to the end of the transaction; taking it
    again in the same transaction is free). SQLite's BEGIN IMMEDIATE has serialised writers already."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": APPEND_LOCK})


def server_login(session: Session) -> str | None:
    """On a team server (PostgreSQL with ``team_login``), the login the server knows: the audit's actor.

    The server accepts an entry only when its actor is the ``session_user`` that writes it (a
    row-level policy), and the entry's hash covers the actor, so the writer puts it there itself:
    the server cannot rewrite it without breaking the chain. None on SQLite or a plain server.
    """
    if session.get_bind().dialect.name != "postgresql":
        return None
    login, team = session.execute(
        text("SELECT session_user, to_regclass('public.team_login') IS NOT NULL")
    ).one()
    return str(login) if team else None


class AuditLogDamaged(ServiceError):
    """The log's head is missing or disagrees with its last entry: nothing is written until it is settled."""

    def __init__(self, problem: str):
        super().__init__(
            f"Nothing was saved: {problem}, so the log may have been tampered with. Run `check` to see "
            "what else differs, then restore the latest backup (or run `repair-audit-head` if you trust the log)."
        )


def last_entry(conn: Connection | Session) -> tuple[int, str] | None:
    """The last entry's sequence number and hash, or None for an empty log."""
    row = conn.execute(
        select(col(AuditEntry.seq), col(AuditEntry.hash)).order_by(col(AuditEntry.seq).desc()).limit(1)
    ).first()
    return None if row is None else (int(row[0]), str(row[1]))


def read_head(conn: Connection | Session) -> tuple[int, str] | None:
    """The head row's sequence number and hash, or None when it is missing."""
    row = conn.execute(select(col(AuditHead.seq), col(AuditHead.hash)).where(col(AuditHead.id) == 1)).first()
    return None if row is None else (int(row[0]), str(row[1]))


def head_problem(head: tuple[int, str] | None, last: tuple[int, str] | None) -> str:
    """What is wrong between the head and the last entry, in words ("" when they agree)."""
    if head is None:
        return f"the audit log's head is missing (the log holds entries up to {last[0]:,})" if last else ""
    if last is None:
        return f"the audit log is empty but its head says entry {head[0]:,}" if head[0] else ""
    if head[0] != last[0]:
        return f"the audit log ends at entry {last[0]:,} but its head says {head[0]:,}"
    if head[1] != last[1]:
        return f"the audit log's head does not match its last entry, {last[0]:,}"
    return ""


def repair_head(session: Session) -> tuple[int, str]:
    """Set the head to the log's last entry (an explicit repair, after ``check``); returns the new head."""
    seq, prev = last_entry(session) or (0, GENESIS)
    if read_head(session) is None:
        session.execute(insert(AuditHead).values(id=1, seq=seq, hash=prev))
    else:
        session.execute(update(AuditHead).where(col(AuditHead.id) == 1).values(seq=seq, hash=prev))
    return seq, prev


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    message: str


def verify_chain(conn: Connection | Session, batch: int = 20_000) -> list[ChainProblem]:
    """Every entry links to the one before and hashes to what it says; the head agrees with the tail."""
    problems: list[ChainProblem] = []
    prev, expected_seq = GENESIS, 1
    last_seq = 0
    sha, null = hashlib.sha256, "\x00"
    for (
        seq,
        txn,
        at,
        actor,
        source,
        detail,
        entity,
        entity_id,
        field,
        old,
        new,
        prev_hash,
        digest,
    ) in _raw_entries(conn, batch):
        if seq != expected_seq:
            problems.append(ChainProblem(seq, f"entry {expected_seq} is missing (next found is {seq})"))
        if prev_hash != prev:
            problems.append(ChainProblem(seq, f"entry {seq} does not link to the entry before it"))
        # entry_hash(), unrolled: this loop runs once per entry, a million times on the scale plan
        stamp = at[:19] if isinstance(at, str) else _stamp(at)
        parts = (prev_hash, str(seq), txn, stamp, actor, source, detail, entity, entity_id, field,
                 null if old is None else old, null if new is None else new)  # fmt: skip
        if sha("\x1f".join(parts).encode("utf-8")).hexdigest() != digest:
            problems.append(ChainProblem(seq, f"entry {seq} was altered after it was written"))
        prev, expected_seq, last_seq = digest, seq + 1, seq
        if len(problems) >= 50:
            problems.append(ChainProblem(seq, "more problems not listed"))
            return problems
    problem = head_problem(read_head(conn), (last_seq, prev) if last_seq else None)
    if problem:
        problems.append(ChainProblem(last_seq, problem))
    return problems


def _raw_entries(conn: Connection | Session, batch: int) -> Iterator[tuple[Any, ...]]:
    """Every entry as the driver gives it, in order (SQLite gives ``at`` as text, PostgreSQL as a datetime)."""
    return driver_rows(
        conn,
        "SELECT seq, txn, at, actor, source, detail, entity, entity_id, field, old, new, prev_hash, hash "
        "FROM audit_entry ORDER BY seq",
        batch,
    )


def driver_rows(conn: Connection | Session, sql: str, batch: int = 20_000) -> Iterator[tuple[Any, ...]]:
    """A large read as plain tuples from the driver (no per-row work in SQLAlchemy), in the caller's
    transaction; a driver error comes out as SQLAlchemy's, as from any other read."""
    connection = conn.connection() if isinstance(conn, Session) else conn
    connection.execute(select(col(AuditHead.seq)).limit(1))  # begin the transaction the cursor reads in
    dbapi_error = connection.dialect.loaded_dbapi.Error
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql)
        while rows := cursor.fetchmany(batch):
            yield from rows
    except dbapi_error as exc:
        raise DBAPIError.instance(sql, None, exc, dbapi_error) from exc
    finally:
        cursor.close()


def chain_rows(
    start_seq: int, prev_hash: str, rows: Iterable[dict[str, Any]]
) -> tuple[list[dict[str, Any]], int, str]:
    """Number and hash rows for a bulk append (seeding); returns the rows and the new head."""
    out = []
    seq, prev = start_seq, prev_hash
    for item in rows:
        seq += 1
        row = dict(item, seq=seq, prev_hash=prev)
        row["hash"] = prev = entry_hash(prev, row)
        out.append(row)
    return out, seq, prev
