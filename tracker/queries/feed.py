"""What changed in the store since a point in its audit log: how an open window learns of changes
made elsewhere (another window, the command line, a colleague on the same file or server).

The audit head's sequence number moves with every committed change, so one cheap read says whether
anything happened; only then are the entries after it read.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import select
from sqlmodel import Session

from ._sql import t


class FeedEntry(NamedTuple):
    seq: int
    txn: str
    entity: str
    entity_id: str
    actor: str
    at: datetime


def audit_head_seq(session: Session) -> int:
    """The sequence number of the newest audit entry (0 for an empty log)."""
    value = session.execute(select(t.audit_head.c.seq)).scalar()
    return int(value or 0)


def entries_after(session: Session, seq: int, *, limit: int = 20_000) -> list[FeedEntry]:
    """The audit entries after ``seq``, oldest first (at most ``limit``: a reload follows anyway)."""
    a = t.audit.c
    stmt = (
        select(a.seq, a.txn, a.entity, a.entity_id, a.actor, a.at)
        .where(a.seq > seq)
        .order_by(a.seq)
        .limit(limit)
    )
    return [FeedEntry(*r) for r in session.execute(stmt).all()]
