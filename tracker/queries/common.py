"""The plan, its periods and the short lists every screen needs (people, boards, themes, outcomes)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import func, literal, select
from sqlmodel import Session

from tracker.db import StoreError
from tracker.enums import Brag, PeriodStatus
from tracker.errors import NotFound
from tracker.models import kept_settings
from tracker.rules import RuleSettings, brag
from tracker.wording import name_and_role

from ._sql import live, t

NO_UPDATE = "no update"
# The keys of a status tally, in display order: the five BRAG colours, then "no update".
STATUS_KEYS: tuple[str, ...] = (*(b.value for b in Brag), NO_UPDATE)


# ---------------------------------------------------------------------------------------------- plan


@dataclass(frozen=True)
class PlanInfo:
    id: str
    name: str
    organisation: str
    start_date: date
    end_date: date
    period_frequency: str
    protective_marking: str
    handling_caveat: str
    source: str
    vision: str
    mission: str
    is_sample: bool
    rag_green: str
    rag_amber: str
    rag_red: str
    rag_blue: str
    rag_grey: str
    risk_appetite: int
    risk_low_max: int
    risk_medium_max: int
    risk_high_max: int
    slip_tolerance_days: int
    contact_officer: str
    revision: int
    rule_settings: RuleSettings

    @property
    def rag_definitions(self) -> dict[Brag, str]:
        """The scheme's words for each colour, as printed on every export."""
        return {
            Brag.RED: self.rag_red,
            Brag.AMBER: self.rag_amber,
            Brag.GREEN: self.rag_green,
            Brag.BLUE: self.rag_blue,
            Brag.GREY: self.rag_grey,
        }


_PLAN_FIELDS = [f for f in PlanInfo.__dataclass_fields__ if f != "rule_settings"]


def current_plan(session: Session) -> PlanInfo:
    """The store's one live plan (StoreError when there is none, or more than one)."""
    rows = session.execute(
        select(*(t.plan.c[name] for name in _PLAN_FIELDS)).where(live(t.plan)).order_by(t.plan.c.name)
    ).all()
    if not rows:
        raise StoreError("This store holds no plan yet: create one or load a plan template first.")
    if len(rows) > 1:
        names = ", ".join(repr(r.name) for r in rows)
        raise StoreError(f"This store holds {len(rows)} live plans ({names}); it should hold one.")
    values = rows[0]._asdict()
    return PlanInfo(**values, rule_settings=RuleSettings.from_plan(rows[0]))


def plan_for_period(session: Session, period_id: str | None) -> PlanInfo:
    """The plan with the settings in force for a period: those a closed period was reported with, the
    plan's current ones for an open period (and when no period is named).

    Every report drawn for a period reads its settings here, so a closed period's reports keep the
    appetite, bands, slip tolerance and RAG definitions they were reported with.
    """
    plan = current_plan(session)
    if period_id is None:
        return plan
    p = t.period.c
    row = session.execute(select(p.status, p.settings).where(p.id == period_id)).one_or_none()
    if row is None or row.status != PeriodStatus.CLOSED:
        return plan
    kept = replace(plan, **kept_settings(row.settings))
    return replace(kept, rule_settings=RuleSettings.from_plan(kept))


def rule_settings(session: Session, period_id: str | None = None) -> RuleSettings:
    """The rules' settings in force for a period (see :func:`plan_for_period`); the plan's current ones without."""
    return plan_for_period(session, period_id).rule_settings


# ---------------------------------------------------------------------------------------------- periods


class PeriodRow(NamedTuple):
    id: str
    name: str
    start: date
    end: date
    status: str
    closed_at: datetime | None
    n_updates: int


def periods(session: Session, *, count_updates: bool = True) -> list[PeriodRow]:
    """Every live reporting period, earliest first, with how many live status updates it holds.

    Counting reads every status update; ``count_updates=False`` skips it (``n_updates`` is then 0)
    for callers that only need the periods' dates.
    """
    p = t.period.c
    if not count_updates:
        rows = session.execute(
            select(p.id, p.name, p.start_date, p.end_date, p.status, p.closed_at, literal(0))
            .where(live(t.period))
            .order_by(p.start_date, p.name)
        ).all()
        return [PeriodRow(*r) for r in rows]
    counts = (
        select(t.status.c.period_id, func.count().label("n"))
        .join(t.objective, t.objective.c.id == t.status.c.objective_id)
        .where(live(t.status), live(t.objective))
        .group_by(t.status.c.period_id)
        .subquery()
    )
    rows = session.execute(
        select(p.id, p.name, p.start_date, p.end_date, p.status, p.closed_at, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.period_id == p.id)
        .where(live(t.period))
        .order_by(p.start_date, p.name)
    ).all()
    return [PeriodRow(*r) for r in rows]


def period(session: Session, period_id: str) -> PeriodRow:
    """One period (NotFound when there is no live period with that id)."""
    return find_period(periods(session, count_updates=False), period_id)


def latest_period_with_updates(session: Session) -> PeriodRow | None:
    with_updates = [p for p in periods(session) if p.n_updates]
    return with_updates[-1] if with_updates else None


def previous_period(session: Session, period_id: str) -> PeriodRow | None:
    """The period that starts last before this one starts."""
    rows = periods(session, count_updates=False)
    return period_before(rows, find_period(rows, period_id))


def same_period_last_year(session: Session, period_id: str) -> PeriodRow | None:
    """The period that starts twelve months before this one (29 February compares with the 28th)."""
    rows = periods(session, count_updates=False)
    start = find_period(rows, period_id).start
    try:
        target = start.replace(year=start.year - 1)
    except ValueError:
        target = start.replace(year=start.year - 1, day=28)
    return next((p for p in rows if p.start == target), None)


def find_period(rows: Iterable[PeriodRow], period_id: str) -> PeriodRow:
    """The period with this id among rows from :func:`periods` (NotFound if absent)."""
    for p in rows:
        if p.id == period_id:
            return p
    raise NotFound("There is no such reporting period in this plan (it may have been deleted).")


def period_before(rows: Iterable[PeriodRow], this: PeriodRow) -> PeriodRow | None:
    """Among rows from :func:`periods`, the one that starts last before ``this`` starts."""
    earlier = [p for p in rows if p.start < this.start]
    return earlier[-1] if earlier else None


# ---------------------------------------------------------------------------------------------- short lists


class PersonRow(NamedTuple):
    id: str
    name: str
    role_title: str
    email: str
    active: bool

    @property
    def label(self) -> str:
        """How a list of people offers them: 'name — role', each fact once (``wording.name_and_role``)."""
        return " — ".join(name_and_role(self.name, self.role_title))


def people(session: Session, active_only: bool = False) -> list[PersonRow]:
    c = t.person.c
    stmt = select(c.id, c.name, c.role_title, c.email, c.active).where(live(t.person))
    if active_only:
        stmt = stmt.where(c.active == True)  # noqa: E712 - SQL comparison
    return [PersonRow(*r) for r in session.execute(stmt.order_by(c.name, c.id)).all()]


def person_contacts(session: Session) -> dict[str, tuple[str, str]]:
    """Every person's (name, email) by id, tombstoned ones too (as an outer join would show them): one
    small read instead of joining person into a statement of many thousands of rows."""
    c = t.person.c
    rows = session.execute(select(c.id, c.name, c.email)).all()
    return {pid: (name or "", email or "") for pid, name, email in rows}


class BoardRow(NamedTuple):
    id: str
    name: str
    cadence: str
    description: str


def boards(session: Session) -> list[BoardRow]:
    c = t.board.c
    stmt = select(c.id, c.name, c.cadence, c.description).where(live(t.board)).order_by(c.name, c.id)
    return [BoardRow(*r) for r in session.execute(stmt).all()]


def objectives_by_board(session: Session) -> dict[str, int]:
    """Board id -> how many live objectives report to it (a board in use cannot be removed)."""
    ob = t.objective.c
    stmt = (
        select(ob.board_id, func.count())
        .where(live(t.objective), ob.board_id.is_not(None))
        .group_by(ob.board_id)
    )
    return {board_id: int(n) for board_id, n in session.execute(stmt).all()}


class ThemeRow(NamedTuple):
    id: str
    code: str
    name: str
    ordinal: int
    description: str


def themes(session: Session) -> list[ThemeRow]:
    c = t.theme.c
    stmt = (
        select(c.id, c.code, c.name, c.ordinal, c.description)
        .where(live(t.theme))
        .order_by(c.ordinal, c.code, c.id)
    )
    return [ThemeRow(*r) for r in session.execute(stmt).all()]


class OutcomeRow(NamedTuple):
    id: str
    theme_id: str
    theme_code: str
    theme_name: str
    code: str
    title: str
    ordinal: int
    description: str


def outcomes(session: Session) -> list[OutcomeRow]:
    """Live outcomes of live themes, in plan order."""
    o, th = t.outcome.c, t.theme.c
    stmt = (
        select(o.id, o.theme_id, th.code, th.name, o.code, o.title, o.ordinal, o.description)
        .join(t.theme, th.id == o.theme_id)
        .where(live(t.outcome), live(t.theme))
        .order_by(th.ordinal, th.code, o.ordinal, o.code, o.id)
    )
    return [OutcomeRow(*r) for r in session.execute(stmt).all()]


# ---------------------------------------------------------------------------------------------- tallies


class BragCounts(NamedTuple):
    """How many objectives show each status; ``no_update`` counts those with no update for the period."""

    red: int = 0
    amber: int = 0
    green: int = 0
    blue: int = 0
    grey: int = 0
    no_update: int = 0

    @property
    def total(self) -> int:
        return sum(self)

    def of(self, key: str) -> int:
        """The count for a status key: a Brag value or NO_UPDATE."""
        return self[STATUS_KEYS.index(key)]

    @classmethod
    def tally(cls, keys: Iterable[str]) -> BragCounts:
        counts = [0] * len(STATUS_KEYS)
        for key in keys:
            counts[STATUS_KEYS.index(key)] += 1
        return cls(*counts)


def status_key(has_update: bool, lifecycle: str | None, rag: str | None) -> str:
    """The tally key for one objective in one period: its BRAG colour, or NO_UPDATE."""
    return brag(lifecycle, rag).value if has_update else NO_UPDATE
