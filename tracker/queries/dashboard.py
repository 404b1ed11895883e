"""The SLT dashboard's numbers for a period: status by theme, trend, movement, headline, returns, risks.

Every function takes the dashboard's filters (theme, lead, board; outcome and 4P also apply).
Where a count has a drill-down, the ids behind it come with it, for ``Filters(ids=...)``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import NamedTuple

from sqlalchemy import and_, case, func, null, or_, select, true, union_all
from sqlmodel import Session

from tracker.enums import Lifecycle, Movement, Rag, RecommendationStatus, RiskBand, RiskStatus
from tracker.rules import RuleSettings, as_of_date, brag, risk_band

from ._period import ObjectiveStatus, carry_conditions, closed_objectives, objective_statuses
from ._sql import all_of, in_plan, in_plan_then, live, milestone_overdue, out_of_plan, t
from .common import (
    NO_UPDATE,
    STATUS_KEYS,
    BragCounts,
    PeriodRow,
    ThemeRow,
    find_period,
    period_before,
    periods,
    rule_settings,
    themes,
)
from .exceptions import (
    ExceptionKind,
    ExceptionRow,
    OverdueItem,
    derived_rags,
    exceptions,
    overdue_items,
    risk_scope,
)
from .filters import NO_FILTERS, Filters, scope_conditions
from .registers import OPEN_STATUSES, answered_by_objective

__all__ = [
    "BodyStatusRow", "ExceptionKind", "ExceptionRow", "Headline", "MatrixCell", "MovementSummary",
    "OverdueItem", "ReturnRow", "RiskMatrix", "ThemeStatusRow", "TrendRow", "derived_rags", "exceptions",
    "headline", "movement_summary", "overdue_items", "rag_by_theme", "recommendations_by_body_status",
    "returns_status", "risk_matrix", "trend",
]  # fmt: skip


# ---------------------------------------------------------------------------------------------- by theme


class ThemeStatusRow(NamedTuple):
    theme_id: str
    code: str
    name: str
    counts: BragCounts
    ids: dict[str, tuple[str, ...]]  # status key (a BRAG value or "no update") -> objective ids


def rag_by_theme(session: Session, period_id: str, filters: Filters | None = None) -> list[ThemeStatusRow]:
    """Each theme's objectives by their status for the period, themes in plan order."""
    f = filters or NO_FILTERS
    this = find_period(periods(session, count_updates=False), period_id)
    return fold_by_theme(objective_statuses(session, this, None, f), themes(session), f)


def fold_by_theme(
    statuses: Iterable[ObjectiveStatus], theme_rows: Iterable[ThemeRow], f: Filters = NO_FILTERS
) -> list[ThemeStatusRow]:
    by_theme: dict[str, dict[str, list[str]]] = defaultdict(lambda: {k: [] for k in STATUS_KEYS})
    for s in statuses:
        by_theme[s.theme_id][s.key].append(s.id)
    out = []
    for theme in theme_rows:
        if f.theme_id is not None and theme.id != f.theme_id:
            continue
        cells = by_theme[theme.id]
        counts = BragCounts(*(len(cells[k]) for k in STATUS_KEYS))
        out.append(
            ThemeStatusRow(theme.id, theme.code, theme.name, counts, {k: tuple(v) for k, v in cells.items()})
        )
    return out


# ---------------------------------------------------------------------------------------------- trend

RAGS = tuple(r.value for r in Rag)


class TrendRow(NamedTuple):
    period_id: str
    name: str
    start: date
    end: date
    counts: BragCounts


def trend(
    session: Session,
    theme_id: str | None = None,
    filters: Filters | None = None,
    *,
    up_to: str | None = None,
) -> list[TrendRow]:
    """Objectives by status in every period, earliest first; with ``up_to`` (a period's id), only the
    periods up to that one: a report for a period shows nothing after it.

    Counted over today's live objectives in the plan at each period's start: one that did not exist
    yet in a period counts as no update; one closed earlier and not reported since counts as its
    closed status (see ``_period``); one retired on or before a period's start is not counted in it.
    """
    f = filters or NO_FILTERS
    if theme_id is not None:
        f = replace(f, theme_id=theme_id)
    rows = periods(session, count_updates=False)
    if up_to is not None:
        rows = periods_up_to(rows, find_period(rows, up_to))
    return trend_rows(session, f, rows)


def periods_up_to(rows: list[PeriodRow], this: PeriodRow) -> list[PeriodRow]:
    """The periods that start no later than this one (earliest first, as given)."""
    return [p for p in rows if p.start <= this.start]


def trend_rows(
    session: Session, f: Filters, period_rows: list[PeriodRow], total: int | None = None
) -> list[TrendRow]:
    """The trend over these periods; ``total`` is the number of objectives in scope if known (retired
    ones included: each period leaves out those retired by its start)."""
    ob, oc, th, su, p = t.objective, t.outcome, t.theme, t.status, t.period
    scope = [live(ob), live(oc), live(th), *scope_conditions(f, ob, oc)]

    def scoped(stmt):  # type: ignore[no-untyped-def]
        return stmt.join(oc, oc.c.id == ob.c.outcome_id).join(th, th.c.id == oc.c.theme_id).where(*scope)

    # IN (the objectives in scope) rather than a join: SQLite then probes one list of ids instead of
    # looking up each status update's objective row. Unfiltered, NOT IN the few out of scope (tombstoned,
    # or under a tombstoned outcome or theme) is cheaper still: the list is short or empty.
    in_scope = scoped(select(ob.c.id)) if scope_conditions(f, ob, oc) else None
    out_of_scope = (
        select(ob.c.id)
        .join(oc, oc.c.id == ob.c.outcome_id)
        .join(th, th.c.id == oc.c.theme_id)
        .where(or_(ob.c.deleted == true(), oc.c.deleted == true(), th.c.deleted == true()))
    )

    # Each period counts what was in the plan at its start: the (objective, period) pairs out of it (few)
    # give each period's total; with none, the statement is as it was.
    gp = t.period.alias("gone_period")
    on = gp.c.start_date
    gone = (
        scoped(select(ob.c.id.label("objective_id"), gp.c.id.label("period_id")).select_from(ob))
        .join(gp, and_(live(gp), ~and_(in_plan(ob, on), in_plan(oc, on), in_plan(th, on))))
        .where(or_(*(x.c.retired_on.is_not(None) for x in (ob, oc, th))))  # so: only the retired pair up
    )
    n_gone = Counter(period_id for _oid, period_id in session.execute(gone).all())  # nothing retired: no cost

    def belongs(objective_id, period_id):  # type: ignore[no-untyped-def]
        scoped_in = objective_id.not_in(out_of_scope) if in_scope is None else objective_id.in_(in_scope)
        return and_(scoped_in, in_plan_then(objective_id, period_id)) if n_gone else scoped_in

    # Grouped by lifecycle and period with a count per RAG, in the order of ix_status_update_lifecycle:
    # no sort of every update into (period, lifecycle, RAG) groups.
    by_rag = [func.sum(case((su.c.rag == rag, 1), else_=0)) for rag in RAGS]
    reported = (
        select(su.c.period_id, su.c.lifecycle, func.count(), *by_rag)
        .where(live(su), belongs(su.c.objective_id, su.c.period_id))
        .group_by(su.c.lifecycle, su.c.period_id)
    )
    c, cp = t.status.alias("carried"), t.period.alias("carried_period")
    carried = (
        select(p.c.id, c.c.lifecycle, func.count(), *(null() for _ in RAGS))
        .select_from(c)
        .join(cp, cp.c.id == c.c.period_id)
        .join(p, p.c.start_date > cp.c.start_date)
        .where(live(p), *carry_conditions(c, cp, p.c.start_date), belongs(c.c.objective_id, p.c.id))
        .group_by(p.c.id, c.c.lifecycle)
    )
    tallies: dict[str, list[int]] = defaultdict(lambda: [0] * len(STATUS_KEYS))
    for pid, lifecycle, n, *ks in session.execute(union_all(reported, carried)).all():
        tally = tallies[pid]
        for rag, k in zip(RAGS, ks, strict=True):
            if k:
                tally[STATUS_KEYS.index(brag(lifecycle, rag).value)] += k
                n -= k
        if n:  # no RAG
            tally[STATUS_KEYS.index(brag(lifecycle, None).value)] += n
    if total is None:
        total = session.execute(scoped(select(func.count()).select_from(ob))).scalar_one()
    out = []
    for row in period_rows:
        counts = tallies[row.id]
        counts[-1] = total - n_gone[row.id] - sum(counts)
        out.append(TrendRow(row.id, row.name, row.start, row.end, BragCounts(*counts)))
    return out


# ---------------------------------------------------------------------------------------------- movement


class MovementSummary(NamedTuple):
    period_id: str
    compare_to_id: str | None
    improved: tuple[str, ...]  # objective ids
    deteriorated: tuple[str, ...]
    unchanged: tuple[str, ...]
    new: tuple[str, ...]
    no_update: tuple[str, ...]  # no update this period: no movement to show

    @property
    def counts(self) -> dict[str, int]:
        """How many objectives moved each way, keyed by Movement value and "no update"."""
        return {m.value: len(getattr(self, m.value)) for m in Movement} | {NO_UPDATE: len(self.no_update)}


def movement_summary(
    session: Session, period_id: str, compare_to: str | None = None, filters: Filters | None = None
) -> MovementSummary:
    """How objectives' status moved since another period (default: the one before)."""
    rows = periods(session, count_updates=False)
    this = find_period(rows, period_id)
    other = find_period(rows, compare_to) if compare_to is not None else period_before(rows, this)
    return fold_movement(objective_statuses(session, this, other, filters or NO_FILTERS), this, other)


def fold_movement(
    statuses: Iterable[ObjectiveStatus], this: PeriodRow, other: PeriodRow | None
) -> MovementSummary:
    groups: dict[str, list[str]] = {k: [] for k in (*Movement, NO_UPDATE)}
    for s in statuses:
        groups[s.movement.value if s.movement is not None else NO_UPDATE].append(s.id)
    return MovementSummary(
        this.id,
        other.id if other else None,
        *(tuple(groups[k]) for k in ("improved", "deteriorated", "unchanged", "new", NO_UPDATE)),
    )


# ---------------------------------------------------------------------------------------------- headline


@dataclass(frozen=True)
class Headline:
    period_id: str
    period_name: str
    as_of: date
    n_objectives: int
    by_status: BragCounts  # blue = complete; grey = not started, cancelled or no RAG
    not_started: int
    cancelled: int
    overdue_milestones: int
    risks_above_appetite: int
    open_recommendations: int
    overdue_recommendations: int


def headline(
    session: Session, period_id: str, filters: Filters | None = None, *, today: date | None = None
) -> Headline:
    """The numbers at the top of the dashboard for a period, as of its end (or today while it runs)."""
    f = filters or NO_FILTERS
    this = find_period(periods(session, count_updates=False), period_id)
    settings = rule_settings(session, this.id)
    as_of = as_of_date(this.end, today or date.today())
    statuses = objective_statuses(session, this, None, f)
    return fold_headline(this, as_of, statuses, _headline_counts(session, f, this, as_of, settings))


def fold_headline(
    this: PeriodRow, as_of: date, statuses: Iterable[ObjectiveStatus], counts: tuple[int, int, int, int]
) -> Headline:
    """The headline from the statuses and (overdue milestones, risks above appetite, open and overdue
    recommendations)."""
    tally = [0] * len(STATUS_KEYS)
    by_lifecycle: dict[str | None, int] = defaultdict(int)
    for s in statuses:
        tally[STATUS_KEYS.index(s.key)] += 1
        by_lifecycle[s.lifecycle] += 1
    return Headline(
        this.id, this.name, as_of, sum(tally), BragCounts(*tally),
        by_lifecycle[Lifecycle.NOT_STARTED.value], by_lifecycle[Lifecycle.CANCELLED.value], *counts,
    )  # fmt: skip


def _headline_counts(
    session: Session, f: Filters, this: PeriodRow, as_of: date, settings: RuleSettings
) -> tuple[int, int, int, int]:
    """Overdue milestones, open risks above appetite, open and overdue recommendations: one SELECT."""
    m, r, rec, insp = t.milestone, t.risk, t.recommendation, t.inspection
    ob, oc, th = t.objective, t.outcome, t.theme
    # The same milestones as the overdue list and the milestone register: a deleted theme hides its own.
    milestones = (
        select(func.count())
        .select_from(m)
        .join(ob, ob.c.id == m.c.objective_id)
        .join(oc, oc.c.id == ob.c.outcome_id)
        .join(th, th.c.id == oc.c.theme_id)
        .where(
            live(m),
            live(ob),
            live(oc),
            live(th),
            milestone_overdue(m, as_of),
            *scope_conditions(f, ob, oc),
            m.c.objective_id.not_in(closed_objectives(this.start)),  # not pursued: not overdue
            m.c.objective_id.not_in(out_of_plan(this.start)),
        )
    )
    risks = risk_scope(select(func.count()).select_from(r), f, on=this.start).where(
        r.c.status == RiskStatus.OPEN.value,
        r.c.residual_likelihood * r.c.residual_impact > settings.risk_appetite,
    )
    objective_scope = scope_conditions(f, t.objective, t.outcome)
    recs = (
        select(
            func.count(),
            func.coalesce(
                func.sum(case((and_(rec.c.due_date.is_not(None), rec.c.due_date < as_of), 1), else_=0)), 0
            ),
        )
        .join(insp, insp.c.id == rec.c.inspection_id)
        .where(live(rec), live(insp), rec.c.status.in_(OPEN_STATUSES))
        .where(*([answered_by_objective(objective_scope)] if objective_scope else []))
    )
    recs_sq = recs.subquery()
    row = session.execute(select(milestones.scalar_subquery(), risks.scalar_subquery(), *recs_sq.c)).one()
    return int(row[0]), int(row[1]), int(row[2]), int(row[3])


# ---------------------------------------------------------------------------------------------- returns


class ReturnRow(NamedTuple):
    lead_id: str | None  # None: objectives with no lead
    lead_name: str
    lead_email: str
    n_objectives: int  # live objectives led
    n_expected: int  # those still being delivered, or reported on this period anyway
    n_received: int
    missing_ids: tuple[str, ...]
    missing_refs: tuple[str, ...]

    @property
    def n_missing(self) -> int:
        return len(self.missing_ids)


def returns_status(session: Session, period_id: str, filters: Filters | None = None) -> list[ReturnRow]:
    """Per lead: objectives led, updates received for the period, and which are missing.

    An objective closed in an earlier period and not reported since (it carries its closed status
    forward) expects no return; every other one does, and one that reported counts as received.
    """
    this = find_period(periods(session, count_updates=False), period_id)
    return fold_returns(objective_statuses(session, this, None, filters or NO_FILTERS))


def fold_returns(statuses: Iterable[ObjectiveStatus]) -> list[ReturnRow]:
    leads: dict[str | None, list[ObjectiveStatus]] = defaultdict(list)
    for s in statuses:
        leads[s.lead_id].append(s)
    out = []
    for lead_id, items in leads.items():
        expected = [s for s in items if not s.is_carried]
        missing = [s for s in expected if not s.has_update]
        out.append(
            ReturnRow(
                lead_id, items[0].lead_name if lead_id else "No lead", items[0].lead_email, len(items),
                len(expected), sum(s.has_update for s in items),
                tuple(s.id for s in missing), tuple(s.ref for s in missing),
            )
        )  # fmt: skip
    out.sort(key=lambda r: (r.lead_id is None, r.lead_name.casefold(), r.lead_id or ""))
    return out


# ---------------------------------------------------------------------------------------------- risks


class MatrixCell(NamedTuple):
    likelihood: int
    impact: int
    score: int
    band: RiskBand
    above_appetite: bool
    ids: tuple[str, ...]

    @property
    def n(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class RiskMatrix:
    kind: str
    appetite: int
    cells: tuple[MatrixCell, ...]  # 25 cells: likelihood 5 down to 1, impact 1 to 5 within each

    def cell(self, likelihood: int, impact: int) -> MatrixCell:
        return self.cells[(5 - likelihood) * 5 + (impact - 1)]

    @property
    def total(self) -> int:
        return sum(c.n for c in self.cells)


_MATRIX_KINDS = ("residual", "inherent", "target")


def risk_matrix(
    session: Session,
    kind: str = "residual",
    filters: Filters | None = None,
    *,
    period_id: str | None = None,
    on: date | None = None,
) -> RiskMatrix:
    """Open risks counted by likelihood and impact (the heat map), with the ids in each cell; banded with
    the settings in force for ``period_id`` (the plan's current ones without); with ``on`` (a period's
    start), those of what was in the plan that day, as the dashboard counts them."""
    if kind not in _MATRIX_KINDS:
        raise ValueError(f"kind: {kind!r} is not one of {', '.join(_MATRIX_KINDS)}")
    settings = rule_settings(session, period_id)
    r = t.risk
    rows = session.execute(
        risk_scope(
            select(r.c.id, r.c[f"{kind}_likelihood"], r.c[f"{kind}_impact"]).select_from(r),
            filters or NO_FILTERS,
            on=on,
        )
        .where(r.c.status == RiskStatus.OPEN.value)
        .order_by(r.c.ref, r.c.id)
    ).all()
    return fold_matrix(kind, rows, settings)


def fold_matrix(kind: str, rows: Iterable[tuple[str, int, int]], settings: RuleSettings) -> RiskMatrix:
    """The heat map from (id, likelihood, impact) rows in the order the cells list them."""
    ids: dict[tuple[int, int], list[str]] = defaultdict(list)
    for rid, likelihood, impact in rows:
        ids[(likelihood, impact)].append(rid)
    cells = tuple(
        MatrixCell(
            lk,
            im,
            lk * im,
            risk_band(lk * im, settings),
            lk * im > settings.risk_appetite,
            tuple(ids[(lk, im)]),
        )
        for lk in range(5, 0, -1)
        for im in range(1, 6)
    )
    return RiskMatrix(kind, settings.risk_appetite, cells)


# ---------------------------------------------------------------------------------------------- recommendations


class BodyStatusRow(NamedTuple):
    body: str
    status: str
    n: int
    n_overdue: int  # open and due before the as-of date


_STATUS_ORDER = {s.value: i for i, s in enumerate(RecommendationStatus)}


def recommendations_by_body_status(
    session: Session, as_of: date | None = None, filters: Filters | None = None
) -> list[BodyStatusRow]:
    """Live recommendations counted by inspection body and status (one GROUP BY)."""
    f = filters or NO_FILTERS
    as_of = as_of or date.today()
    rec, insp = t.recommendation, t.inspection
    overdue = case(
        (and_(rec.c.status.in_(OPEN_STATUSES), rec.c.due_date.is_not(None), rec.c.due_date < as_of), 1),
        else_=0,
    )
    objective_scope = scope_conditions(f, t.objective, t.outcome)
    where = [live(rec), live(insp)]
    if objective_scope:
        where.append(answered_by_objective(objective_scope))
    if f.owner_id is not None:
        where.append(rec.c.owner_id == f.owner_id)
    rows = session.execute(
        select(insp.c.body, rec.c.status, func.count(), func.sum(overdue))
        .join(insp, insp.c.id == rec.c.inspection_id)
        .where(all_of(where))
        .group_by(insp.c.body, rec.c.status)
    ).all()
    out = [BodyStatusRow(body, status, int(n), int(late or 0)) for body, status, n, late in rows]
    out.sort(key=lambda x: (x.body, _STATUS_ORDER.get(x.status, 99), x.status))
    return out
