"""What a committee paper reads: a board's inspection items for a period, with the work done on them in it,
the status of what answers them, and the text the PMO wrote for the paper.

An item belongs to a board's paper when it is linked to a live objective reporting to that board. A
paper for a period shows nothing dated after the period's end.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import and_, func, select
from sqlmodel import Session

from tracker.audit import decode
from tracker.enums import (
    OPEN_RECOMMENDATION_STATUSES,
    MilestoneState,
    RecommendationKind,
    RecommendationStatus,
)
from tracker.errors import NotFound
from tracker.rules import as_of_date, brag_label, is_pursued, milestone_state

from ._sql import live, t
from .common import PeriodRow, PlanInfo, find_period, period_before, periods, plan_for_period
from .filters import Filters
from .registers import RecommendationRow, recommendation_rows

KIND_ORDER = {k.value: i for i, k in enumerate(RecommendationKind)}
ENDED = frozenset(
    {RecommendationStatus.CLOSED, RecommendationStatus.SUPERSEDED, RecommendationStatus.NOT_ACCEPTED}
)


class PaperNote(NamedTuple):
    note_date: date
    text: str
    author: str


class PaperObjective(NamedTuple):
    ref: str
    title: str
    status: str  # the BRAG word of its update for the period ("No update" without one)
    progress_pct: int | None


class PaperMilestone(NamedTuple):
    title: str
    objective_ref: str
    baseline: date
    forecast: date
    completed: date | None
    state: MilestoneState


@dataclass(frozen=True)
class PaperItem:
    row: RecommendationRow
    notes: tuple[PaperNote, ...]  # dated in the period, earliest first
    objectives: tuple[PaperObjective, ...]
    milestones: tuple[PaperMilestone, ...]
    changed_in_period: bool  # an audited change to the item itself during the period

    @property
    def unchanged(self) -> bool:
        """Nothing recorded on it in the period: no note and no change to the item."""
        return not self.notes and not self.changed_in_period


class PaperInspection(NamedTuple):
    id: str
    body: str
    title: str
    published_date: date | None
    grade: str
    counts: dict[str, int]  # every live item of the inspection by kind


class PaperText(NamedTuple):
    id: str | None  # None: nothing written for this period and board yet
    revision: int
    summary: str
    item_notes: dict[str, str]  # recommendation id -> the PMO's narrative
    from_period: str | None  # the earlier period whose text this starts from; None when it is this period's


@dataclass(frozen=True)
class CommitteeData:
    plan: PlanInfo
    period: PeriodRow
    previous: PeriodRow | None
    board_id: str
    board_name: str
    as_of: date
    inspections: tuple[PaperInspection, ...]
    items: tuple[PaperItem, ...]  # every item linked to the board, by inspection, kind and reference
    text: PaperText
    reported: tuple[PaperItem, ...] = field(default=())  # those the paper reports on one by one

    def __post_init__(self) -> None:
        start = self.period.start
        shown = tuple(
            i
            for i in self.items
            if not (i.row.status in ENDED and i.row.closed_date is not None and i.row.closed_date < start)
        )
        object.__setattr__(self, "reported", shown)


def board_named(session: Session, name: str) -> tuple[str, str]:
    """A live board by name, ignoring case (NotFound naming the boards there are)."""
    b = t.board.c
    rows = session.execute(select(b.id, b.name).where(live(t.board)).order_by(b.name)).all()
    for bid, bname in rows:
        if bname.casefold() == name.strip().casefold():
            return bid, bname
    names = ", ".join(repr(r.name) for r in rows) or "none"
    raise NotFound(f"there is no board called {name!r}; the boards are {names}")


def paper_text(session: Session, period_id: str, board_id: str) -> PaperText:
    """The PMO's text for the period's paper to the board, or else the latest earlier period's (the
    starting point), or else nothing."""
    c, p = t.committee_paper.c, t.period.c
    start = session.execute(select(p.start_date).where(p.id == period_id)).scalar_one()
    row = session.execute(
        select(c.id, c.revision, c.summary, c.item_notes, c.period_id, p.name)
        .join(t.period, p.id == c.period_id)
        .where(live(t.committee_paper), live(t.period), c.board_id == board_id, p.start_date <= start)
        .order_by(p.start_date.desc())
        .limit(1)
    ).one_or_none()
    if row is None:
        return PaperText(None, 0, "", {}, None)
    notes = json.loads(row.item_notes) if row.item_notes else {}
    if row.period_id == period_id:
        return PaperText(row.id, row.revision, row.summary, notes, None)
    return PaperText(None, 0, row.summary, notes, row.name)


def committee_data(
    session: Session, period_id: str, board_id: str, *, today: date | None = None
) -> CommitteeData:
    """Everything the period's paper to the board says, read in a handful of statements."""
    all_periods = periods(session, count_updates=False)
    period = find_period(all_periods, period_id)
    b = t.board.c
    board_name = session.execute(select(b.name).where(b.id == board_id, live(t.board))).scalar()
    if board_name is None:
        raise NotFound("that board has been removed")
    plan = plan_for_period(session, period_id)
    as_of = as_of_date(period.end, today or date.today())
    rows = sorted(
        recommendation_rows(session, Filters(board_id=board_id), as_of=as_of),
        key=lambda r: (r.inspection_id, KIND_ORDER.get(r.kind, 9), r.ref, r.id),
    )
    ids = [r.id for r in rows]
    rows = _as_at(session, rows, as_of)
    notes = _notes(session, ids, period.start, as_of)
    objectives = _objectives(session, ids, period.id)
    milestones = _milestones(session, ids, as_of, plan.slip_tolerance_days)
    changed = _changed(session, ids, period.start, as_of)
    inspections = _inspections(session, {r.inspection_id for r in rows})
    order = {i.id: n for n, i in enumerate(inspections)}
    items = tuple(
        PaperItem(r, tuple(notes[r.id]), tuple(objectives[r.id]), tuple(milestones[r.id]), r.id in changed)
        for r in sorted(rows, key=lambda r: (order[r.inspection_id], KIND_ORDER.get(r.kind, 9), r.ref, r.id))
    )
    return CommitteeData(
        plan, period, period_before(all_periods, period), board_id, board_name, as_of, inspections, items,
        paper_text(session, period_id, board_id),
    )  # fmt: skip


AS_AT_FIELDS = ("text", "status", "due_date", "evidence", "closure_rationale", "closed_date")


def _as_at(session: Session, rows: list[RecommendationRow], as_of: date) -> list[RecommendationRow]:
    """Each item as it stood at the end of the as-of day: a field changed since then is given the value it
    had before its first change after it (the audit log's ``old``), so a paper for a past period shows
    nothing that happened after it."""
    a = t.audit.c
    after = _utc_day(as_of + timedelta(days=1))
    was: dict[str, dict[str, Any]] = defaultdict(dict)
    for rid, name, old in session.execute(
        select(a.entity_id, a.field, a.old)
        .where(a.entity == "recommendation", a.entity_id.in_([r.id for r in rows]), a.at >= after,
               a.field.in_(AS_AT_FIELDS))
        .order_by(a.seq)
    ).all():  # fmt: skip
        was[rid].setdefault(name, decode(old))
    if not was:
        return rows
    out = []
    for r in rows:
        then = was.get(r.id)
        if then:
            for name in ("due_date", "closed_date"):
                if isinstance(then.get(name), str):
                    then[name] = date.fromisoformat(then[name])
            r = r._replace(**then)
            r = r._replace(
                overdue=r.status in OPEN_RECOMMENDATION_STATUSES
                and r.due_date is not None
                and r.due_date < as_of
            )
        out.append(r)
    return out


def _utc_day(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _notes(session: Session, ids: Sequence[str], start: date, end: date) -> dict[str, list[PaperNote]]:
    n = t.note.c
    out: dict[str, list[PaperNote]] = defaultdict(list)
    for rid, day, text, author in session.execute(
        select(n.recommendation_id, n.note_date, n.text, n.author)
        .where(live(t.note), n.recommendation_id.in_(ids), n.note_date >= start, n.note_date <= end)
        .order_by(n.note_date, n.changed_at, n.id)
    ).all():
        out[rid].append(PaperNote(day, text, author))
    return out


def _objectives(session: Session, ids: Sequence[str], period_id: str) -> dict[str, list[PaperObjective]]:
    ro, ob, su = t.rec_objective, t.objective, t.status
    out: dict[str, list[PaperObjective]] = defaultdict(list)
    for rid, ref, title, lifecycle, rag, pct in session.execute(
        select(ro.c.recommendation_id, ob.c.ref, ob.c.title, su.c.lifecycle, su.c.rag, su.c.progress_pct)
        .join(ob, ob.c.id == ro.c.objective_id)
        .outerjoin(su, and_(su.c.objective_id == ob.c.id, su.c.period_id == period_id, live(su)))
        .where(live(ro), live(ob), ro.c.recommendation_id.in_(ids))
        .order_by(ob.c.ref)
    ).all():
        out[rid].append(PaperObjective(ref, title, brag_label(lifecycle, rag), pct))
    return out


def _milestones(
    session: Session, ids: Sequence[str], as_of: date, tolerance: int
) -> dict[str, list[PaperMilestone]]:
    rm, m, ob = t.rec_milestone, t.milestone, t.objective
    out: dict[str, list[PaperMilestone]] = defaultdict(list)
    for rid, title, ref, lifecycle, base, fore, done in session.execute(
        select(rm.c.recommendation_id, m.c.title, ob.c.ref, ob.c.lifecycle, m.c.baseline_date,
               m.c.forecast_date, m.c.completed_date)
        .join(m, m.c.id == rm.c.milestone_id)
        .join(ob, ob.c.id == m.c.objective_id)
        .where(live(rm), live(m), rm.c.recommendation_id.in_(ids))
        .order_by(m.c.forecast_date, m.c.title)
    ).all():  # fmt: skip
        done = done if done is not None and done <= as_of else None  # nothing after the period
        state = milestone_state(
            base, fore, done, as_of=as_of, tolerance_days=tolerance, pursued=is_pursued(lifecycle)
        )
        out[rid].append(PaperMilestone(title, ref, base, fore, done, state))
    return out


def _changed(session: Session, ids: Sequence[str], start: date, end: date) -> set[str]:
    a = t.audit.c
    since, until = _utc_day(start), _utc_day(end + timedelta(days=1))
    return set(
        session.execute(
            select(a.entity_id)
            .where(a.entity == "recommendation", a.entity_id.in_(ids), a.at >= since, a.at < until)
            .group_by(a.entity_id)
        ).scalars()
    )


def _inspections(session: Session, ids: set[str]) -> tuple[PaperInspection, ...]:
    i, r = t.inspection.c, t.recommendation.c
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for iid, kind, n in session.execute(
        select(r.inspection_id, r.kind, func.count())
        .where(live(t.recommendation), r.inspection_id.in_(ids))
        .group_by(r.inspection_id, r.kind)
    ).all():
        counts[iid][kind] = n
    rows = session.execute(
        select(i.id, i.body, i.title, i.published_date, i.grade)
        .where(i.id.in_(ids))
        .order_by(i.published_date.nulls_last(), i.title, i.id)
    ).all()
    return tuple(
        PaperInspection(iid, body, title, published, grade, counts[iid])
        for iid, body, title, published, grade in rows
    )
