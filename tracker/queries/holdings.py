"""The people list with what each person leads or owns, and the names in the audit log (not `people`: that name is the short list in common)."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import func, literal, select, union_all
from sqlmodel import Session

from tracker.enums import OPEN_RECOMMENDATION_STATUSES, RiskStatus
from tracker.wording import listing, plural

from ._sql import live, t

# (verb, noun) in the order services.holdings words them
_KINDS = (
    ("lead", "objective"),
    ("own", "open milestone"),
    ("own", "open risk"),
    ("own", "open recommendation"),
)


class PersonHoldingRow(NamedTuple):
    id: str
    name: str
    role_title: str
    email: str
    active: bool
    revision: int
    objectives: int
    milestones: int
    risks: int
    recommendations: int

    @property
    def holds(self) -> str:
        """'lead 2 objectives and own 1 open risk', as :func:`tracker.services.holdings` says it."""
        counts = (self.objectives, self.milestones, self.risks, self.recommendations)
        return listing(
            f"{verb} {plural(n, noun)}" for (verb, noun), n in zip(_KINDS, counts, strict=True) if n
        )


def people_with_holdings(session: Session) -> list[PersonHoldingRow]:
    """Every live person with counts of the live objectives they lead and open items they own (one statement)."""
    o, m, r, rec = t.objective.c, t.milestone.c, t.risk.c, t.recommendation.c
    held = union_all(
        select(o.lead_id.label("pid"), literal(0).label("k")).where(live(t.objective)),
        select(m.owner_id, literal(1)).where(live(t.milestone), m.completed_date.is_(None)),
        select(r.owner_id, literal(2)).where(live(t.risk), r.status == RiskStatus.OPEN.value),
        select(rec.owner_id, literal(3)).where(
            live(t.recommendation), rec.status.in_([s.value for s in OPEN_RECOMMENDATION_STATUSES])
        ),
    ).subquery()
    counts = [func.count().filter(held.c.k == k) for k in range(4)]
    p = t.person.c
    stmt = (
        select(p.id, p.name, p.role_title, p.email, p.active, p.revision, *counts)
        .outerjoin(held, held.c.pid == p.id)
        .where(live(t.person))
        .group_by(p.id, p.name, p.role_title, p.email, p.active, p.revision)
        .order_by(p.name, p.id)
    )
    return [PersonHoldingRow(*row) for row in session.execute(stmt).all()]


def audit_actors(session: Session) -> list[str]:
    """Everyone who appears in the audit log, by name."""
    a = t.audit.c
    return [row[0] for row in session.execute(select(a.actor).distinct().order_by(a.actor)).all()]
