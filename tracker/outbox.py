"""An offline replica's outbox: every change, captured by the unit of work in the same transaction.

On a replica (a SQLite copy of a team plan, see :mod:`tracker.sync`) each transaction's unit of work
hands its creates and field changes to a :class:`Capture`, which writes one operation per row into
``outbox`` when the service reports its changes, before the transaction commits: a change rolled
back leaves nothing, and no write path (a form, an applied return, undo, an import) can miss it,
because they all write through the unit of work. An operation carries its own id, the row's revision
it was based on (never a clock: laptops' clocks are wrong), each field's old and new value encoded
as the audit log encodes them, the login and the local transaction that the local audit log names.
Changes that a sync brings down from the team plan are not captured: they are the server's already.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col

from tracker.audit import encode
from tracker.migrate import SCHEMA_HEAD
from tracker.models import Outbox, StoreMeta

# store_meta keys of a replica (written by tracker.sync.replica)
REPLICA_ID = "replica.id"
REPLICA_LOGIN = "replica.login"
REPLICA_ROLE = "replica.role"
REPLICA_PERSON = "replica.person_id"
REPLICA_SERVER = "replica.server"  # the team plan's location, without a password
REPLICA_SERVER_ID = "replica.server_id"  # the team plan's identity: the hash of its log's first entry
REPLICA_CURSOR = "replica.cursor"  # the last entry of the team plan's log this replica has taken
REPLICA_KEYS = (REPLICA_ID, REPLICA_LOGIN, REPLICA_ROLE, REPLICA_PERSON, REPLICA_SERVER, REPLICA_SERVER_ID,
                REPLICA_CURSOR)  # fmt: skip

CREATE = "create"
UPDATE = "update"
PENDING = "pending"
REFUSED = "refused"
_INFO = "tracker.replica_login"


def replica_login(session: Session) -> str | None:
    """The login a replica works as, or None when this store is not a replica (asked once per connection)."""
    if session.get_bind().dialect.name != "sqlite":
        return None
    info = session.connection().info
    if _INFO not in info:
        info[_INFO] = session.execute(
            select(col(StoreMeta.value)).where(col(StoreMeta.key) == REPLICA_LOGIN)
        ).scalar()
    found: str | None = info[_INFO]
    return found


def forget_replica(session: Session) -> None:
    """Ask again whether this connection's store is a replica (after making or unmaking one on it)."""
    session.connection().info.pop(_INFO, None)
    session.connection().info.pop(_WHO, None)


@dataclass
class _Op:
    op_id: str
    kind: str
    row_id: str
    action: str
    base_revision: int | None
    fields: dict[str, list[str | None]] = field(default_factory=dict)


class Capture:
    """One transaction's operations on a replica, written to the outbox at each ``flush``."""

    def __init__(self, login: str):
        self.login = login
        self._ops: dict[tuple[str, str], _Op] = {}
        self._dirty: set[tuple[str, str]] = set()

    def created(self, kind: str, row_id: str, snapshot: dict[str, str | None]) -> None:
        op = _Op(str(uuid.uuid4()), kind, row_id, CREATE, None)
        op.fields = {name: [None, value] for name, value in snapshot.items()}
        self._ops[(kind, row_id)] = op
        self._dirty.add((kind, row_id))

    def updated(self, kind: str, row_id: str, base_revision: int, name: str, old: Any, new: Any) -> None:
        key = (kind, row_id)
        op = self._ops.get(key)
        if op is None:
            op = self._ops[key] = _Op(str(uuid.uuid4()), kind, row_id, UPDATE, base_revision)
        if name in op.fields:
            op.fields[name][1] = encode(new)
        else:
            op.fields[name] = [encode(old), encode(new)]
        self._dirty.add(key)

    def flush(self, session: Session, txn: str) -> None:
        """Write the operations changed since the last flush (an upsert on the operation's id), in the
        order they were first made: a new parent goes before its children, as the team plan needs them."""
        rows, emptied = [], []
        for key in [k for k in self._ops if k in self._dirty]:
            op = self._ops[key]
            fields = op.fields
            if op.action == UPDATE:
                fields = {k: v for k, v in fields.items() if v[0] != v[1]}
            if not fields:
                emptied.append(op.op_id)
                continue
            rows.append({
                "op_id": op.op_id, "txn": txn, "kind": op.kind, "row_id": op.row_id, "action": op.action,
                "base_revision": op.base_revision, "fields": json.dumps(fields, separators=(",", ":")),
                "login": self.login, "schema_version": SCHEMA_HEAD, "state": PENDING, "message": "",
            })  # fmt: skip
        if emptied:
            session.execute(delete(Outbox).where(col(Outbox.op_id).in_(emptied)))
        if rows:
            stmt = sqlite_insert(Outbox)
            session.execute(
                stmt.on_conflict_do_update(index_elements=["op_id"], set_={"fields": stmt.excluded.fields}),
                rows,
            )
        self._dirty.clear()


_WHO = "tracker.replica_identity"


def replica_identity(session: Session) -> tuple[str, str | None] | None:
    """On a replica, the role and (for a lead) the person its login has on the team plan, as the server
    said when the replica was taken: the local services refuse what the server would (None elsewhere)."""
    if replica_login(session) is None:
        return None
    info = session.connection().info
    if _WHO not in info:
        meta = dict(
            session.execute(
                select(col(StoreMeta.key), col(StoreMeta.value)).where(
                    col(StoreMeta.key).in_([REPLICA_ROLE, REPLICA_PERSON])
                )
            ).all()
        )
        info[_WHO] = (meta.get(REPLICA_ROLE, "viewer"), meta.get(REPLICA_PERSON) or None)
    found: tuple[str, str | None] = info[_WHO]
    return found
