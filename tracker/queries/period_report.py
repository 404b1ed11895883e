"""A period's settings for returns and what the PMO reports to the board for it (the board pack's summary)."""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import and_, select
from sqlmodel import Session

from tracker.errors import NotFound

from ._sql import live, t


class PeriodReportRow(NamedTuple):
    period_id: str
    period_name: str
    period_revision: int
    return_by: date | None  # when leads' returns are due
    return_contact: str  # whom at the PMO a lead asks
    report_id: str | None  # None: nothing written for the board yet
    report_revision: int  # 0 when there is no report
    key_messages: str
    decisions: str  # the decisions the board is asked to make
    written_by: str  # who last changed the report ("" when there is none)
    written_at: datetime | None

    @property
    def has_report(self) -> bool:
        return bool(self.key_messages.strip() or self.decisions.strip())


def period_report(session: Session, period_id: str) -> PeriodReportRow:
    """The period's returns settings and its report to the board (NotFound for no live period)."""
    p, r = t.period.c, t.period_report.c
    row = session.execute(
        select(
            p.id,
            p.name,
            p.revision,
            p.return_by,
            p.return_contact,
            r.id,
            r.revision,
            r.key_messages,
            r.decisions,
            r.changed_by,
            r.changed_at,
        )  # fmt: skip
        .outerjoin(t.period_report, and_(r.period_id == p.id, live(t.period_report)))
        .where(p.id == period_id, live(t.period))
    ).first()
    if row is None:
        raise NotFound("There is no such reporting period in this plan (it may have been deleted).")
    (pid, name, prev, return_by, contact, rid, rrev, messages, decisions, by, at) = row
    return PeriodReportRow(pid, name, prev, return_by, contact or "", rid, rrev or 0, messages or "",
                           decisions or "", (by or "") if rid else "", at if rid else None)  # fmt: skip
