"""Taking a replica: the team plan as a login may read it, copied in one snapshot into a new SQLite file,
stamped with where it came from, the login's role, and the point of the team plan's log it holds."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, delete, insert, select, text, update
from sqlmodel import Session, col

from tracker.backup import Progress
from tracker.db import StoreError, make_engine
from tracker.migrate import SCHEMA_HEAD, current_revision
from tracker.models import AuditEntry, StoreMeta
from tracker.outbox import (
    REPLICA_CURSOR,
    REPLICA_ID,
    REPLICA_KEYS,
    REPLICA_LOGIN,
    REPLICA_PERSON,
    REPLICA_ROLE,
    REPLICA_SERVER,
    REPLICA_SERVER_ID,
)
from tracker.store import building_store
from tracker.team.connect import TeamServer
from tracker.team.identity import server_identity


class SyncError(StoreError):
    """A replica that cannot be made or synced, said in one line with what to do."""


@dataclass(frozen=True)
class Replica:
    """What a replica records of itself (store_meta ``replica.*``)."""

    id: str
    login: str
    role: str
    person_id: str | None
    server: str  # the team plan's location, without a password
    server_id: str
    cursor: int


def server_id(conn: Connection | Session) -> str:
    """The team plan's identity: the hash of its log's first entry (unique to each plan's history)."""
    first = conn.execute(select(col(AuditEntry.hash)).where(col(AuditEntry.seq) == 1)).scalar()
    return str(first or "")


def create_replica(url: str, out: Path, progress: Progress | None = None) -> Replica:
    """Copy the team plan at ``url`` (a login's own URL) into the new file ``out``; all of it or nothing."""
    from tracker.copy import copy_rows  # not needed to open a replica, only to take one

    out = Path(out)
    if out.exists():
        raise SyncError(f"{out} already exists; choose a new file name for the replica.")
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            who = server_identity(session)
            if who is None:
                raise SyncError(
                    "That database is not a team plan with logins (run `server init` and `users add` on it "
                    "first), so there is nothing to take offline."
                )
            schema = current_revision(session.connection())
        if schema != SCHEMA_HEAD:
            raise SyncError(
                f"The team plan is at schema {schema} and this app at {SCHEMA_HEAD}: the team plan and the "
                "app must be at the same version to take a replica (ask the administrator to upgrade)."
            )
        location = TeamServer.from_url(url).location
        with building_store(out) as built, built.engine.begin() as conn:
            copy_rows(engine, conn, progress)
            cursor = conn.execute(text("SELECT coalesce(max(seq), 0) FROM audit_entry")).scalar_one()
            replica = Replica(
                str(uuid.uuid4()), who.login, who.role, who.person_id, location, server_id(conn), int(cursor)
            )
            conn.execute(text("DELETE FROM sync_applied"))  # the server's record, not the replica's
            conn.execute(delete(StoreMeta).where(col(StoreMeta.key).in_(REPLICA_KEYS)))
            conn.execute(insert(StoreMeta), [{"key": k, "value": v} for k, v in _meta(replica).items()])
        return replica
    finally:
        engine.dispose()


def _meta(r: Replica) -> dict[str, str]:
    return {
        REPLICA_ID: r.id, REPLICA_LOGIN: r.login, REPLICA_ROLE: r.role, REPLICA_PERSON: r.person_id or "",
        REPLICA_SERVER: r.server, REPLICA_SERVER_ID: r.server_id, REPLICA_CURSOR: str(r.cursor),
    }  # fmt: skip


def read_replica(session: Session) -> Replica | None:
    """This store's replica record, or None when it is not a replica."""
    meta: dict[str, str] = {
        k: v for k, v in session.execute(select(col(StoreMeta.key), col(StoreMeta.value)))
    }
    if REPLICA_ID not in meta:
        return None
    return Replica(
        meta[REPLICA_ID], meta.get(REPLICA_LOGIN, ""), meta.get(REPLICA_ROLE, "viewer"),
        meta.get(REPLICA_PERSON) or None, meta.get(REPLICA_SERVER, ""), meta.get(REPLICA_SERVER_ID, ""),
        int(meta.get(REPLICA_CURSOR, "0") or 0),
    )  # fmt: skip


def set_cursor(session: Session, cursor: int) -> None:
    session.execute(update(StoreMeta).where(col(StoreMeta.key) == REPLICA_CURSOR).values(value=str(cursor)))
