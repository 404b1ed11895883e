"""The people list with what each person leads or owns, and the names in the audit log (not `people`: that name is the short list in common).

What counts as held is :mod:`tracker.services.holdings`, the rule that also refuses to remove a person who holds anything.
"""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import func, select
from sqlmodel import Session

from tracker.services.holdings import HELD, held_items, in_words

from ._sql import live, t


class PersonHoldingRow(NamedTuple):
    id: str
    name: str
    role_title: str
    email: str
    active: bool
    revision: int
    held: tuple[int, ...]  # how many of each kind in tracker.services.holdings.HELD

    @property
    def holds(self) -> str:
        """'lead 2 objectives and own 1 open risk', in the words the refusal to remove them uses."""
        return in_words(self.held)


def people_with_holdings(session: Session) -> list[PersonHoldingRow]:
    """Every live person with counts of the live objectives they lead and open items they own (one statement)."""
    held = held_items()
    counts = [func.count().filter(held.c.k == k) for k in range(len(HELD))]
    p = t.person.c
    stmt = (
        select(p.id, p.name, p.role_title, p.email, p.active, p.revision, *counts)
        .outerjoin(held, held.c.pid == p.id)
        .where(live(t.person))
        .group_by(p.id, p.name, p.role_title, p.email, p.active, p.revision)
        .order_by(p.name, p.id)
    )
    return [
        PersonHoldingRow(pid, name, role, email, active, revision, tuple(held))
        for pid, name, role, email, active, revision, *held in session.execute(stmt).all()
    ]


def audit_actors(session: Session) -> list[str]:
    """Everyone who appears in the audit log, by name."""
    a = t.audit.c
    return [row[0] for row in session.execute(select(a.actor).distinct().order_by(a.actor)).all()]
