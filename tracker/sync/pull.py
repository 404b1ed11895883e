"""The replica's side of a pull: what changed on the team plan since the cursor, in commit order, applied
locally in one transaction with the new cursor.

The team plan's log is its change feed. Every append takes the log's transaction-level advisory lock
before reading the head and holds it to its commit, so entries become visible in sequence order: a
reader that sees entry N has seen every entry before it, and ``seq > cursor`` never skips a
transaction that committed late (the caveat of feeds polled by a sequence's id). The feed and the
rows it names are read in one REPEATABLE READ snapshot, so the rows are exactly as of the new cursor.

Locally the rows are written through the unit of work as a sync (audited, so the replica's own log
still explains every value it holds, and not captured in the outbox: they are the server's), then
given the server's revision, author and time, so that the replica's next changes are based on the
revision the server knows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, Table, bindparam, select, text, update
from sqlmodel import Session, SQLModel

from tracker.db import Actor, bulk_rows
from tracker.enums import Source
from tracker.models import ENTITIES, Editable, Kind
from tracker.services.base import BOOKKEEPING, UnitOfWork, park, unique_text_fields, unit_of_work
from tracker.sync.replica import set_cursor

CHUNK = 1000


@dataclass
class Feed:
    """The team plan's rows that changed after ``since``, as of entry ``head`` of its log."""

    since: int
    head: int
    rows: dict[Kind, list[dict[str, Any]]] = field(default_factory=dict)
    missing: list[tuple[Kind, str]] = field(default_factory=list)  # asked for, not on the team plan

    @property
    def count(self) -> int:
        return sum(len(r) for r in self.rows.values())


def read_feed(server: Engine, since: int, also: Iterable[tuple[str, str]] = ()) -> Feed:
    """The rows named by the log's entries after ``since`` (and ``also``: rows a push touched), in one snapshot."""
    with server.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        with conn.begin():
            head = int(conn.execute(text("SELECT coalesce(max(seq), 0) FROM audit_entry")).scalar_one())
            wanted: dict[str, set[str]] = {}
            for kind, row_id in also:
                wanted.setdefault(kind, set()).add(row_id)
            changed = conn.execute(
                text(
                    "SELECT DISTINCT entity, entity_id FROM audit_entry WHERE seq > :since AND seq <= :head"
                ),
                {"since": since, "head": head},
            )
            for kind, row_id in changed:
                wanted.setdefault(kind, set()).add(row_id)
            feed = Feed(since, head)
            with bulk_rows():
                for kind_name, ids in wanted.items():
                    if kind_name not in Kind.__members__.values():
                        continue
                    kind = Kind(kind_name)
                    table: Table = ENTITIES[kind].__table__  # type: ignore[attr-defined]
                    id_list = sorted(ids)
                    for start in range(0, len(id_list), CHUNK):
                        chunk = id_list[start : start + CHUNK]
                        rows = [r._asdict() for r in conn.execute(select(table).where(table.c.id.in_(chunk)))]
                        feed.rows.setdefault(kind, []).extend(rows)
                        found = {r["id"] for r in rows}
                        feed.missing.extend((kind, i) for i in chunk if i not in found)
    return feed


def apply_feed(session: Session, feed: Feed, *, server: str, keep: dict[tuple[str, str], set[str]]) -> int:
    """Write the feed's rows into the replica in this transaction and move the cursor; rows changed.

    ``keep``: fields of rows with changes still waiting to be sent, which stay as they are here (the
    waiting change is sent with the base it was made on, so the team plan merges it when it goes).
    """
    actor = Actor("team plan", Source.SYNC, detail=f"from {server}, log entries {feed.since + 1}-{feed.head}")
    uow = unit_of_work(session, actor)
    written = 0
    for table in SQLModel.metadata.sorted_tables:  # parents before children
        try:
            kind = Kind(table.name)
        except ValueError:
            continue
        rows = feed.rows.get(kind)
        if rows:
            written += _apply_table(uow, ENTITIES[kind], rows, keep)
    for kind, row_id in feed.missing:  # made here, refused there: removed here too (the outbox keeps it)
        local = session.get(ENTITIES[kind], row_id)
        if local is not None and not local.deleted and (kind.value, row_id) not in keep:
            uow.update(local, {"deleted": True})
    set_cursor(session, feed.head)
    uow.changes(f"Took {written} change(s) from the team plan")
    return written


def _apply_table(
    uow: UnitOfWork, cls: type[Editable], rows: list[dict[str, Any]], keep: dict[tuple[str, str], set[str]]
) -> int:
    session = uow.session
    kind = Kind(cls.__tablename__)  # type: ignore[arg-type]
    here = {r.id: r for r in _local(session, cls, [r["id"] for r in rows])}
    for name in unique_text_fields(cls):  # codes that move between rows: out of the way first
        moving = [r["id"] for r in rows if r["id"] in here and getattr(here[r["id"]], name) != r[name]]
        park(session, cls, name, moving)  # the rows still hold their old codes: the audit says old to new
    stamps: list[dict[str, Any]] = []
    for server_row in rows:
        kept = keep.get((kind.value, server_row["id"]), set())
        values = {k: v for k, v in server_row.items() if k not in BOOKKEEPING and k not in kept}
        local = here.get(server_row["id"])
        if local is None:
            deleted = values.pop("deleted", False)
            local = here[server_row["id"]] = uow.create(cls, id=server_row["id"], **values)
            if deleted:
                uow.update(local, {"deleted": True})
        else:
            uow.update(local, values)
        if not kept:
            stamps.append({"b_id": server_row["id"], "b_revision": server_row["revision"],
                           "b_by": server_row["changed_by"], "b_at": server_row["changed_at"]})  # fmt: skip
    if stamps:  # the replica now holds the server's rows as the server numbers them
        session.flush()
        table: Table = cls.__table__  # type: ignore[attr-defined]
        session.execute(
            update(table).where(table.c.id == bindparam("b_id")).values(
                revision=bindparam("b_revision"), changed_by=bindparam("b_by"), changed_at=bindparam("b_at")
            ),
            stamps,
        )  # fmt: skip
        for stamp in stamps:
            session.expire(here[stamp["b_id"]], ["revision", "changed_by", "changed_at"])
    return len(rows)


def _local(session: Session, cls: type[Editable], ids: list[str]) -> list[Editable]:
    found: list[Editable] = []
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        found.extend(session.scalars(select(cls).where(cls.id.in_(chunk))))  # type: ignore[attr-defined]
    return found
