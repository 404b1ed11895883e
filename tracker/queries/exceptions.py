"""What needs SLT attention in a period, the derived RAG behind it, and everything overdue."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from enum import StrEnum
from itertools import chain
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, FromClause, Select, func, literal, null, or_, select, union_all
from sqlmodel import Session

from tracker.enums import Brag, Movement, RiskStatus
from tracker.rules import (
    DerivedRag,
    MilestoneFacts,
    RuleSettings,
    as_of_date,
    derive_rag,
    disagrees,
    risk_band,
)

from ._period import ObjectiveStatus, closed_objectives, objective_statuses
from ._sql import in_plan, live, milestone_done, milestone_overdue, out_of_plan, t
from .common import PeriodRow, find_period, period_before, periods, rule_settings
from .filters import NO_FILTERS, Filters, scope_conditions
from .registers import OPEN_STATUSES, answered_by_objective


class ExceptionKind(StrEnum):
    RED = "red"
    DETERIORATED = "deteriorated"
    OVERDUE_MILESTONE = "overdue milestone"
    RISK_ABOVE_APPETITE = "risk above appetite"
    DISAGREEMENT = "derived status disagrees"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class ExceptionRow(NamedTuple):
    kind: ExceptionKind
    objective_id: str | None  # None for a risk held against a theme only
    objective_ref: str
    objective_title: str
    lead_name: str
    status: Brag | None  # the objective's status for the period
    status_label: str
    rationale: str  # the lead's, from the objective's update for the period
    corrective_action: str
    detail: str
    item_id: str  # the objective, milestone or risk the row is about


def exceptions(
    session: Session,
    period_id: str,
    as_of: date | None = None,
    filters: Filters | None = None,
    *,
    today: date | None = None,
) -> list[ExceptionRow]:
    """Red, deteriorated, overdue milestones, open risks above appetite, derived RAG disagreeing.

    Ordered by kind, then plan order. Milestones and the derived RAG are judged as of ``as_of``
    (default: the period's end, or today while it runs).
    """
    f = filters or NO_FILTERS
    rows = periods(session, count_updates=False)
    this = find_period(rows, period_id)
    baseline = period_before(rows, this)
    as_of = as_of or as_of_date(this.end, today or date.today())
    settings = rule_settings(session, this.id)
    statuses = objective_statuses(session, this, baseline, f)
    overdue = [
        (mid, title, oid, forecast)
        for mid, title, oid, forecast in session.execute(_overdue_milestones(f, this, as_of)).all()
    ]
    above = [tuple(r) for r in session.execute(_risks_above(f, settings, this.start)).all()]
    facts = milestone_facts(session, f, as_of, settings)
    derived = derive_all(statuses, facts, above, as_of=as_of, settings=settings, period_name=this.name)
    return fold_exceptions(this, baseline, statuses, overdue, above, derived, as_of=as_of, settings=settings)


def fold_exceptions(
    this: PeriodRow,
    baseline: PeriodRow | None,
    statuses: list[ObjectiveStatus],
    overdue: Iterable[tuple[str, str, str, date]],
    above: Iterable[tuple[str, str, str, str | None, int, int]],
    derived: dict[str, DerivedRag],
    *,
    as_of: date,
    settings: RuleSettings,
) -> list[ExceptionRow]:
    """The exception rows from what the dashboard already read.

    ``overdue``: (id, title, objective id, forecast) by forecast; ``above``: open risks above
    appetite as (id, ref, title, objective id, residual likelihood, impact), highest first.
    """
    # Tens of thousands of rows at scale: each objective's columns are made once, each date written
    # once, and every kind is collected in plan order already (a stable sort by place keeps the
    # overdue milestones by date and the risks by score within an objective).
    heads = {
        s.id: (s.id, s.ref, s.title, s.lead_name, s.brag, s.label, s.rationale, s.corrective_action)
        for s in statuses
    }
    placed = {oid: (i, head) for i, (oid, head) in enumerate(heads.items())}
    nowhere = (len(placed), (None, "", "", "", None, "", "", ""))
    make = tuple.__new__  # ExceptionRow's own __new__ is a Python call per row

    red = [
        ExceptionRow(ExceptionKind.RED, *heads[s.id], f"Reported Red for {this.name}", s.id)
        for s in statuses
        if s.has_update and s.brag is Brag.RED
    ]
    worse = [
        ExceptionRow(ExceptionKind.DETERIORATED, *heads[s.id], f"{s.before_label} in {baseline.name}, {s.label} in {this.name}", s.id)
        for s in statuses
        if s.movement is Movement.DETERIORATED and baseline is not None
    ]  # fmt: skip

    # Overdue milestones and risks go into a list per place (the objective's index in plan order):
    # read out in order, that is a stable sort by place without a key per row.
    kind = ExceptionKind.OVERDUE_MILESTONE
    written: dict[date, str] = {}
    late: list[list[ExceptionRow]] = [[] for _ in range(len(placed) + 1)]
    for mid, title, oid, forecast in overdue:
        when = written.get(forecast)
        if when is None:
            when = written[forecast] = f"{forecast:%d %b %Y}: {_days((as_of - forecast).days)} overdue"
        at, head = placed.get(oid, nowhere)
        late[at].append(
            make(ExceptionRow, (kind, *head, f"Milestone \u201c{title}\u201d was forecast for {when}", mid))
        )

    kind = ExceptionKind.RISK_ABOVE_APPETITE
    risky: list[list[ExceptionRow]] = [[] for _ in range(len(placed) + 1)]
    for rid, ref, title, risk_oid, likelihood, impact in above:  # a theme's risk has no objective
        score = likelihood * impact
        band = risk_band(score, settings).label.lower()
        detail = (
            f"Risk {ref} \u201c{title}\u201d: residual score {score} ({band}), "
            f"above the appetite of {settings.risk_appetite}"
        )
        at, head = placed.get(risk_oid, nowhere) if risk_oid else nowhere
        risky[at].append(make(ExceptionRow, (kind, *head, detail, rid)))

    disagree = []
    for s in statuses:
        if not s.has_update:
            continue  # only a reported status can disagree
        d = derived.get(s.id)  # ``derived`` may hold only those that can: reported Red, Amber or Green
        if d is not None and disagrees(s.brag, d.status):
            detail = f"Reported {s.label}; the evidence suggests {_word(d.status)}: {d.reason}"
            disagree.append(ExceptionRow(ExceptionKind.DISAGREEMENT, *heads[s.id], detail, s.id))

    return [*red, *worse, *chain.from_iterable(late), *chain.from_iterable(risky), *disagree]


def derived_rags(
    session: Session, period_id: str, filters: Filters | None = None, *, today: date | None = None
) -> dict[str, DerivedRag]:
    """Each live objective's suggested status for the period, from milestones, residual risks and its update.

    Judged as of the period's end (today while it runs). The lifecycle is the period's update's (or the
    closed one it carries forward), else the objective's current one.
    """
    f = filters or NO_FILTERS
    this = find_period(periods(session, count_updates=False), period_id)
    as_of = as_of_date(this.end, today or date.today())
    settings = rule_settings(session, this.id)
    statuses = objective_statuses(session, this, None, f)
    facts = milestone_facts(session, f, as_of, settings)
    above = session.execute(_risks_above(f, settings, this.start)).all()
    return derive_all(statuses, facts, above, as_of=as_of, settings=settings, period_name=this.name)


def milestone_facts(
    session: Session, f: Filters, as_of: date, settings: RuleSettings
) -> dict[str, list[MilestoneFacts]]:
    """Per objective, the milestones that can change its derived RAG: overdue or slipping as of the date."""
    m, ob, oc = t.milestone, t.objective, t.outcome
    facts: dict[str, list[MilestoneFacts]] = defaultdict(list)
    stmt = (
        select(m.c.objective_id, m.c.baseline_date, m.c.forecast_date, m.c.completed_date)
        .join(ob, ob.c.id == m.c.objective_id)
        .join(oc, oc.c.id == ob.c.outcome_id)
        .where(live(m), live(ob), ~milestone_done(m, as_of), *scope_conditions(f, ob, oc))
        .where(*could_count(m, as_of, settings))
    )
    for oid, baseline, forecast, completed in session.execute(stmt).all():
        facts[oid].append(MilestoneFacts(baseline, forecast, completed))
    return facts


def could_count(milestone: FromClause, as_of: date, settings: RuleSettings) -> list[ColumnElement[bool]]:
    """Milestones on track cannot change a derived RAG: only those overdue or with a later forecast can
    be overdue or slipping (whatever the tolerance, as long as it is not negative)."""
    c = milestone.c
    if settings.slip_tolerance_days < 0:
        return []
    return [or_(c.forecast_date < as_of, c.forecast_date > c.baseline_date)]


def derive_all(
    statuses: Iterable[ObjectiveStatus],
    facts: dict[str, list[MilestoneFacts]] | dict[str, list[tuple[date, date, date | None]]],
    above: Iterable[Sequence[Any]],
    *,
    as_of: date,
    settings: RuleSettings,
    period_name: str,
) -> dict[str, DerivedRag]:
    """Each status's derived RAG, from its milestones' facts and the open risks above appetite
    (rows as from ``_risks_above``: id, ref, title, objective id, likelihood, impact)."""
    scores: dict[str, list[int]] = defaultdict(list)
    for _rid, _ref, _title, oid, likelihood, impact in above:
        if oid is not None:
            scores[oid].append(likelihood * impact)
    return {
        s.id: derive_rag(
            s.lifecycle if s.has_status else s.current_lifecycle,
            facts.get(s.id, ()),
            scores.get(s.id, ()),
            has_update=s.has_update,
            as_of=as_of,
            settings=settings,
            period_name=period_name,
        )
        for s in statuses
    }


def _overdue_milestones(f: Filters, this: PeriodRow, as_of: date) -> Select[Any]:
    """Milestones overdue as of the date, of objectives still pursued in the period."""
    m, ob, oc, th = t.milestone, t.objective, t.outcome, t.theme
    return (
        select(m.c.id, m.c.title, m.c.objective_id, m.c.forecast_date)
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
            m.c.objective_id.not_in(closed_objectives(this.start)),
            m.c.objective_id.not_in(out_of_plan(this.start)),
        )
        .order_by(m.c.forecast_date, m.c.id)
    )


def _risks_above(f: Filters, settings: RuleSettings, on: date | None = None) -> Select[Any]:
    """Open risks whose residual score is above appetite, highest first (in the plan on ``on``)."""
    r = t.risk
    score = r.c.residual_likelihood * r.c.residual_impact
    return (
        risk_scope(
            select(
                r.c.id, r.c.ref, r.c.title, r.c.objective_id, r.c.residual_likelihood, r.c.residual_impact
            ).select_from(r),
            f,
            on=on,
        )
        .where(r.c.status == RiskStatus.OPEN.value, score > settings.risk_appetite)
        .order_by(score.desc(), r.c.ref)
    )


def risk_scope(stmt: Select[Any], f: Filters, *, on: date | None = None) -> Select[Any]:
    """Live risks (whose objective, if any, is live) within the filters' theme, lead, board...

    A risk held against a theme matches that theme; objective-level filters need an objective.
    With ``on`` (a period's start), only the risks of objectives and themes in the plan that day.
    """
    r, ob, oc = t.risk, t.objective, t.outcome
    in_plan_on = []
    if on is not None:
        gone_theme = t.theme.alias("gone_risk_theme")
        in_plan_on = [
            or_(r.c.objective_id.is_(None), r.c.objective_id.not_in(out_of_plan(on))),
            or_(
                r.c.theme_id.is_(None),
                r.c.theme_id.not_in(select(gone_theme.c.id).where(~in_plan(gone_theme, on))),
            ),
        ]
    return (
        stmt.outerjoin(ob, ob.c.id == r.c.objective_id)
        .outerjoin(oc, oc.c.id == ob.c.outcome_id)
        .where(
            live(r),
            or_(r.c.objective_id.is_(None), live(ob)),
            *scope_conditions(f, ob, oc, theme_id=func.coalesce(r.c.theme_id, oc.c.theme_id)),
            *in_plan_on,
        )
    )


# ---------------------------------------------------------------------------------------------- overdue


class OverdueItem(NamedTuple):
    kind: str  # "milestone", "recommendation" or "risk review"
    id: str
    ref: str  # the objective's for a milestone; the recommendation's or risk's own
    title: str
    owner_id: str | None
    owner_name: str
    due: date
    days_overdue: int
    objective_id: str | None


def overdue_items(
    session: Session,
    period_id: str,
    filters: Filters | None = None,
    *,
    today: date | None = None,
    as_of: date | None = None,
) -> list[OverdueItem]:
    """Unfinished milestones past their forecast (of objectives still pursued in the period), open
    recommendations past due, open risks past review: as of ``as_of`` (default: the period's end, or
    today while it runs).

    One UNION ALL, most overdue first.
    """
    f = filters or NO_FILTERS
    this = find_period(periods(session, count_updates=False), period_id)
    as_of = as_of or as_of_date(this.end, today or date.today())
    m, ob, oc, th, person = t.milestone, t.objective, t.outcome, t.theme, t.person
    rec, insp, r = t.recommendation, t.inspection, t.risk
    owner_m, owner_rec, owner_r = person.alias("mo"), person.alias("ro"), person.alias("rko")
    milestones = (
        select(
            literal("milestone").label("kind"),
            m.c.id,
            ob.c.ref,
            m.c.title,
            m.c.owner_id,
            owner_m.c.name,
            m.c.forecast_date.label("due"),
            ob.c.id.label("objective_id"),
        )  # fmt: skip
        .join(ob, ob.c.id == m.c.objective_id)
        .join(oc, oc.c.id == ob.c.outcome_id)
        .join(th, th.c.id == oc.c.theme_id)
        .outerjoin(owner_m, owner_m.c.id == m.c.owner_id)
        .where(
            live(m),
            live(ob),
            live(oc),
            live(th),
            milestone_overdue(m, as_of),
            *scope_conditions(f, ob, oc),
            m.c.objective_id.not_in(closed_objectives(this.start)),
            m.c.objective_id.not_in(out_of_plan(this.start)),
        )
    )
    objective_scope = scope_conditions(f, t.objective, t.outcome)
    recommendations = (
        select(
            literal("recommendation"),
            rec.c.id,
            rec.c.ref,
            rec.c.text,
            rec.c.owner_id,
            owner_rec.c.name,
            rec.c.due_date,
            null(),
        )  # fmt: skip
        .join(insp, insp.c.id == rec.c.inspection_id)
        .outerjoin(owner_rec, owner_rec.c.id == rec.c.owner_id)
        .where(live(rec), live(insp), rec.c.status.in_(OPEN_STATUSES), rec.c.due_date < as_of)
        .where(*([answered_by_objective(objective_scope)] if objective_scope else []))
    )
    reviews = (
        risk_scope(
            select(
                literal("risk review"),
                r.c.id,
                r.c.ref,
                r.c.title,
                r.c.owner_id,
                owner_r.c.name,
                r.c.review_date,
                r.c.objective_id,
            ).select_from(r),
            f,
            on=this.start,
        )  # fmt: skip
        .outerjoin(owner_r, owner_r.c.id == r.c.owner_id)
        .where(r.c.status == RiskStatus.OPEN.value, r.c.review_date < as_of)
    )
    out = [
        OverdueItem(kind, iid, ref, title, owner_id, owner or "", due, (as_of - due).days, oid)
        for kind, iid, ref, title, owner_id, owner, due, oid in session.execute(
            union_all(milestones, recommendations, reviews)
        ).all()
    ]
    out.sort(key=lambda x: (x.due, x.kind, x.ref, x.id))
    return out


def _word(status: Brag) -> str:
    return {Brag.BLUE: "Complete", Brag.GREY: "Grey"}.get(status, status.value.capitalize())


def _days(n: int) -> str:
    return f"{n} day{'' if n == 1 else 's'}"
