"""What the board pack reads beyond the dashboard: the top risks with their trend, the open recommendations.

A risk's score is not kept per period, but every change to it is in the audit log: the score a risk
had when the period compared with was closed is the old value of the first change made after that
moment (or its value now, when none was made since).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import NamedTuple

from sqlalchemy import case, func, select
from sqlmodel import Session

from tracker.audit import decode
from tracker.enums import RiskBand, RiskStatus
from tracker.rules import RuleSettings, risk_band

from ._sql import live, t
from .common import PeriodRow, rule_settings
from .exceptions import risk_scope
from .filters import NO_FILTERS, Filters, scope_conditions
from .registers import OPEN_STATUSES, answered_by_objective

__all__ = ["OpenRecommendation", "RiskTrend", "TopRisk", "TopRisks", "open_recommendations", "period_moment",
           "top_risks"]  # fmt: skip

TOP_RISKS = 10


class RiskTrend(StrEnum):
    """How a risk's residual score moved since a moment."""

    UP = "up"
    DOWN = "down"
    SAME = "same"
    NEW = "new"  # added to the register after the moment
    UNKNOWN = "unknown"  # the plan's record starts after the moment: nothing to compare with


class TopRisk(NamedTuple):
    id: str
    ref: str
    title: str
    owner_name: str
    objective_ref: str  # "" for a risk held against a theme
    theme_name: str  # the theme the risk or its objective sits in
    inherent: int  # scores, likelihood x impact
    residual: int
    target: int
    band: RiskBand  # of the residual score
    above_appetite: bool
    response: str
    mitigations: str
    before: int | None  # the residual score at the moment compared with (None: new or unknown)
    trend: RiskTrend


class TopRisks(NamedTuple):
    rows: tuple[TopRisk, ...]  # the highest residual scores first
    n_open: int  # every open risk in scope
    n_above: int  # of which above appetite
    since: datetime | None  # the moment the trend compares with (None: no earlier period)
    record_starts: datetime | None  # the audit log's first entry


def period_moment(row: PeriodRow) -> datetime:
    """When a period's figures were fixed: when it was closed, else the end of its last day (UTC)."""
    if row.closed_at is not None:
        at = row.closed_at
        return at.astimezone(UTC) if at.tzinfo else at.replace(tzinfo=UTC)
    return datetime.combine(row.end + timedelta(days=1), time(0), tzinfo=UTC)


def top_risks(
    session: Session,
    baseline: PeriodRow | None,
    filters: Filters | None = None,
    *,
    limit: int = TOP_RISKS,
    settings: RuleSettings | None = None,
    on: date | None = None,
) -> TopRisks:
    """The open risks with the highest residual scores (then inherent, then ref), with each one's trend
    since ``baseline`` was closed, and how many open risks there are in all; banded with ``settings``
    (those in force for the pack's period; the plan's current ones without); with ``on`` (the period's
    start) only those of what was in the plan that day, as the dashboard counts them."""
    f = filters or NO_FILTERS
    settings = settings or rule_settings(session)
    r, th, owner = t.risk, t.theme, t.person.alias("risk_owner")
    residual = r.c.residual_likelihood * r.c.residual_impact
    inherent = r.c.inherent_likelihood * r.c.inherent_impact
    above = func.coalesce(func.sum(case((residual > settings.risk_appetite, 1), else_=0)), 0)
    scoped = risk_scope(select(func.count(), above).select_from(r), f, on=on).where(
        r.c.status == RiskStatus.OPEN.value
    )
    n_open, n_above = session.execute(scoped).one()
    ob, oc = t.objective, t.outcome
    stmt = (
        risk_scope(
            select(
                r.c.id, r.c.ref, r.c.title, func.coalesce(owner.c.name, ""), func.coalesce(ob.c.ref, ""),
                func.coalesce(th.c.name, ""), inherent, residual, r.c.target_likelihood * r.c.target_impact,
                r.c.response, r.c.mitigations, r.c.residual_likelihood, r.c.residual_impact,
            ).select_from(r),
            f,
            on=on,
        )
        .outerjoin(owner, owner.c.id == r.c.owner_id)
        .outerjoin(th, th.c.id == func.coalesce(r.c.theme_id, oc.c.theme_id))
        .where(r.c.status == RiskStatus.OPEN.value)
        .order_by(residual.desc(), inherent.desc(), r.c.ref, r.c.id)
        .limit(limit)
    )  # fmt: skip
    rows = session.execute(stmt).all()
    since = period_moment(baseline) if baseline is not None else None
    starts = session.execute(select(func.min(t.audit.c.at))).scalar_one_or_none()
    now = {row[0]: (row[-2], row[-1]) for row in rows}
    then = _residual_at(session, now, since) if since is not None else {}
    out = []
    for rid, ref, title, owner_name, oref, theme, inh, res, tgt, response, mitigations, _lk, _im in rows:
        before, trend = _trend(then.get(rid, res), res, since, starts)
        out.append(
            TopRisk(rid, ref, title, owner_name, oref, theme, inh, res, tgt, risk_band(res, settings),
                    res > settings.risk_appetite, response, mitigations, before, trend)
        )  # fmt: skip
    return TopRisks(tuple(out), int(n_open), int(n_above), since, starts)


_NEW = -1  # in _residual_at's answer: created after the moment


def _residual_at(session: Session, now: dict[str, tuple[int, int]], moment: datetime) -> dict[str, int]:
    """The residual score at the moment of the risks in ``now`` (id -> likelihood and impact now) that
    were changed since (or created since: ``_NEW``)."""
    a = t.audit
    fields = ("created", "residual_likelihood", "residual_impact")
    rows = session.execute(
        select(a.c.entity_id, a.c.field, a.c.old)
        .where(a.c.entity == "risk", a.c.entity_id.in_(list(now)), a.c.field.in_(fields), a.c.at > moment)
        .order_by(a.c.seq)
    ).all()
    first: dict[str, dict[str, object]] = {}
    for rid, field, old in rows:
        first.setdefault(rid, {}).setdefault(field, decode(old))  # the first change after the moment
    out = {}
    for rid, changed in first.items():
        if "created" in changed:
            out[rid] = _NEW
            continue
        lk, im = now[rid]
        out[rid] = _int(changed.get("residual_likelihood", lk)) * _int(changed.get("residual_impact", im))
    return out


def _int(value: object) -> int:
    """A score as the audit log decodes it (a whole number)."""
    return int(value)  # type: ignore[call-overload]  # decode() gives int for a score; anything else should fail loudly


def _trend(
    then: int, now: int, since: datetime | None, starts: datetime | None
) -> tuple[int | None, RiskTrend]:
    if since is None or starts is None or starts > since:
        return None, RiskTrend.UNKNOWN
    if then == _NEW:
        return None, RiskTrend.NEW
    if now > then:
        return then, RiskTrend.UP
    if now < then:
        return then, RiskTrend.DOWN
    return then, RiskTrend.SAME


# ---------------------------------------------------------------------------------------------- recommendations


class OpenRecommendation(NamedTuple):
    id: str
    body: str
    inspection_title: str
    kind: str
    ref: str
    text: str
    owner_name: str
    due_date: date | None
    status: str
    overdue: bool  # due before the as-of date


def open_recommendations(
    session: Session, as_of: date, filters: Filters | None = None
) -> list[OpenRecommendation]:
    """The open recommendations the dashboard counts (answering an objective in scope, when filtered), by
    body, inspection and reference."""
    f = filters or NO_FILTERS
    rec, insp, owner = t.recommendation, t.inspection, t.person.alias("rec_owner")
    objective_scope = scope_conditions(f, t.objective, t.outcome)
    stmt = (
        select(rec.c.id, insp.c.body, insp.c.title, rec.c.kind, rec.c.ref, rec.c.text,
               func.coalesce(owner.c.name, ""), rec.c.due_date, rec.c.status)
        .join(insp, insp.c.id == rec.c.inspection_id)
        .outerjoin(owner, owner.c.id == rec.c.owner_id)
        .where(live(rec), live(insp), rec.c.status.in_(OPEN_STATUSES))
        .where(*([answered_by_objective(objective_scope)] if objective_scope else []))
        .order_by(insp.c.body, insp.c.published_date, insp.c.title, rec.c.ref, rec.c.id)
    )  # fmt: skip
    return [
        OpenRecommendation._make((*row, row[7] is not None and row[7] < as_of))
        for row in session.execute(stmt).all()
    ]
