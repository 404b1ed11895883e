"""One sync of a replica with its team plan: check, push the outbox, pull the feed.

The order makes an interrupted sync safe to retry at any point. The push is one transaction on the
server, which records each operation's id with its effect; the local side (the outbox marked, the
pulled rows, the new cursor) is one transaction on the replica, made after the server committed.
Killed before the server commits: nothing happened. Killed after it, before the replica commits:
the retry sends the same operations, the server answers each from its record without applying it
again, and the pull starts from the old cursor. Either way the end state is an uninterrupted sync's.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session, col

from tracker.db import make_engine
from tracker.enums import OpOutcome, Role
from tracker.migrate import KNOWN_REVISIONS, SCHEMA_HEAD, current_revision
from tracker.models import Outbox
from tracker.outbox import PENDING, REFUSED
from tracker.store import Store, open_store
from tracker.sync.pull import apply_feed, read_feed
from tracker.sync.push import Op, Outcome, apply_ops
from tracker.sync.replica import Replica, SyncError, read_replica, server_id
from tracker.team.connect import TeamServer, is_connection_lost, why_not_connected

# How a waiting operation made under an older schema becomes one the current schema takes: revision ->
# a function of the operation (renamed or split fields). None yet: no migration since 0007 changes a
# table a replica writes. A migration that does must add its step here, with a test.
OP_UPGRADES: dict[str, Callable[[Op], Op]] = {}


@dataclass
class SyncReport:
    sent: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)  # the refusals, in words
    pulled: int = 0
    cursor: int = 0

    @property
    def words(self) -> str:
        sent = ", ".join(f"{n} {k}" for k, n in sorted(self.outcomes.items())) or "none"
        return f"Sent {self.sent} change(s) ({sent}); took {self.pulled} row(s) from the team plan (log entry {self.cursor})."


def sync_file(path: Path, password: str = "") -> SyncReport:
    """Sync the replica at ``path`` with its team plan (the password, or libpq's ~/.pgpass)."""
    with open_store(path, create=False) as store:
        return sync_store(store, password)


def sync_store(store: Store, password: str = "") -> SyncReport:
    with store.read() as session:
        replica = read_replica(session)
    if replica is None:
        raise SyncError(
            f"{store.display_name} is not a replica of a team plan (take one with `replica create`)."
        )
    server = TeamServer.from_url(replica.server)
    engine = make_engine(server.url(password))
    try:
        try:
            _check_server(engine, replica)
            with store.read() as session:
                ops = waiting_ops(session)
            outcomes = _push(engine, replica, ops) if ops and replica.role != Role.VIEWER else {}
            feed = read_feed(engine, replica.cursor, also=[(op.kind, op.row_id) for op in ops])
        except DBAPIError as exc:
            if not (isinstance(exc, OperationalError) or is_connection_lost(exc)):
                raise
            raise SyncError(
                f"Nothing was synced: {why_not_connected(exc, server)} Your waiting changes are kept."
            ) from exc
    finally:
        engine.dispose()
    report = SyncReport(sent=len(outcomes), cursor=feed.head)
    with store.write() as session:
        keep = _mark(session, outcomes, report)
        report.pulled = apply_feed(session, feed, server=server.where, keep=keep)
    return report


def waiting_ops(session: Session) -> list[Op]:
    """The outbox's waiting operations in the order they were made, brought up to this app's schema."""
    rows = session.execute(
        select(col(Outbox.op_id), col(Outbox.txn), col(Outbox.kind), col(Outbox.row_id), col(Outbox.action),
               col(Outbox.base_revision), col(Outbox.fields), col(Outbox.schema_version))
        .where(col(Outbox.state) == PENDING).order_by(col(Outbox.seq))
    ).all()  # fmt: skip
    ops = []
    for op_id, txn, kind, row_id, action, base, fields, schema in rows:
        op = Op.from_json(op_id, txn, kind, row_id, action, base, fields)
        ops.append(upgrade_op(op, schema))
    return ops


def upgrade_op(op: Op, schema: str) -> Op:
    """Carry an operation made under ``schema`` through each later migration's step (OP_UPGRADES)."""
    for revision in sorted(r for r in OP_UPGRADES if r > schema):
        op = OP_UPGRADES[revision](op)
    return op


def _check_server(engine: Engine, replica: Replica) -> None:
    with Session(engine) as session:
        schema = current_revision(session.connection())
        identity = server_id(session)
    if identity != replica.server_id:
        raise SyncError(
            f"The database at {TeamServer.from_url(replica.server).where} is not the team plan this replica "
            "was taken from (its history differs); nothing was sent. Take a new replica of it instead."
        )
    if schema == SCHEMA_HEAD:
        return
    if schema not in KNOWN_REVISIONS:
        raise SyncError(
            f"The team plan is at schema {schema}, newer than this app knows ({SCHEMA_HEAD}): upgrade the app, "
            "then sync. Your waiting changes are kept."
        )
    raise SyncError(
        f"This replica is at schema {SCHEMA_HEAD}, newer than the team plan ({schema}): ask the administrator "
        "to upgrade the team plan, then sync. Your waiting changes are kept, untouched."
    )


def _push(engine: Engine, replica: Replica, ops: list[Op]) -> dict[str, Outcome]:
    writer = engine.execution_options(tracker_write=True)
    with Session(writer, expire_on_commit=False) as session, session.begin():
        return apply_ops(session, ops, login=replica.login, replica_id=replica.id)


def _mark(
    session: Session, outcomes: dict[str, Outcome], report: SyncReport
) -> dict[tuple[str, str], set[str]]:
    """Settle the sent operations; the fields of rows with operations still waiting (kept as they are)."""
    settled = []
    for op_id, result in outcomes.items():
        report.outcomes[result.outcome] = report.outcomes.get(result.outcome, 0) + 1
        if result.outcome == OpOutcome.REFUSED:
            report.refused.append(result.message)
            session.execute(
                update(Outbox).where(col(Outbox.op_id) == op_id).values(state=REFUSED, message=result.message)
            )
        else:  # taken, or held on the team plan as a conflict (which the pull brings here)
            settled.append(op_id)
    for start in range(0, len(settled), 500):
        session.execute(delete(Outbox).where(col(Outbox.op_id).in_(settled[start : start + 500])))
    keep: dict[tuple[str, str], set[str]] = {}
    for kind, row_id, fields in session.execute(
        select(col(Outbox.kind), col(Outbox.row_id), col(Outbox.fields)).where(col(Outbox.state) == PENDING)
    ):
        keep.setdefault((kind, row_id), set()).update(json.loads(fields))
    return keep
