"""What the status workbook shows that no other view reads: each objective's status period by period,
and the risks added, closed or re-scored since the last period (from the audit log).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NamedTuple, cast

from sqlalchemy import or_, select
from sqlmodel import Session

from tracker.audit import CREATED, decode
from tracker.rules import RuleSettings, brag, brag_label, risk_band

from ._period import carried_statuses
from ._sql import Days, driver_rows, in_plan, live, t
from .common import NO_UPDATE, PeriodRow, find_period, period_before, periods, person_contacts, rule_settings

__all__ = [
    "ObjectiveTrend", "ObjectiveTrendRow", "RiskChange", "RiskChanges", "TrendCell", "objective_trend",
    "risk_changes",
]  # fmt: skip


# ---------------------------------------------------------------------------------------------- trend


class TrendCell(NamedTuple):
    label: str  # the app's word: "Amber", "Complete", "No update"...
    key: str  # a BRAG value, or NO_UPDATE


class ObjectiveTrendRow(NamedTuple):
    id: str
    ref: str
    title: str
    lead_name: str
    cells: tuple[TrendCell, ...]  # one per period, earliest first


@dataclass(frozen=True)
class ObjectiveTrend:
    periods: tuple[PeriodRow, ...]  # up to and including the period reported on: never a later one
    rows: tuple[ObjectiveTrendRow, ...]  # live objectives (of live outcomes and themes) in plan order


_NO_UPDATE = TrendCell("No update", NO_UPDATE)
NOT_IN_PLAN = "retired"  # a cell's key in the periods that start on or after the objective's retirement
_RETIRED = TrendCell("Retired", NOT_IN_PLAN)


def objective_trend(session: Session, period_id: str) -> ObjectiveTrend:
    """Every objective's status in each period up to ``period_id``: three statements.

    A period's status is its update; without one, a closed status (complete or cancelled) reported
    earlier and not since carries forward, as in every other period view; otherwise "No update".
    An objective retired (or in a retired outcome or theme) shows "Retired" from the first period
    starting on or after that day, and is left out when that is the first period shown.
    """
    rows = periods(session, count_updates=False)
    this = find_period(rows, period_id)
    shown = [p for p in rows if p.start < this.start] + [this]
    index = {p.id: i for i, p in enumerate(shown)}
    ob, oc, th, su = t.objective, t.outcome, t.theme, t.status
    first = shown[0].start
    found = driver_rows(
        session,
        select(ob.c.id, ob.c.ref, ob.c.title, ob.c.lead_id, ob.c.retired_on, oc.c.retired_on, th.c.retired_on)
        .join(oc, oc.c.id == ob.c.outcome_id)
        .join(th, th.c.id == oc.c.theme_id)
        .where(live(ob), live(oc), live(th), *(in_plan(x, first) for x in (ob, oc, th)))
        .order_by(th.c.ordinal, th.c.code, oc.c.ordinal, oc.c.code, ob.c.ordinal, ob.c.ref),
    )
    objectives = [row[:4] for row in found]
    grid: dict[str, list[TrendCell]] = {oid: [_NO_UPDATE] * len(shown) for oid, *_ in objectives}
    days = cast(dict[Any, date], Days())  # only days that are set are looked up
    retired = {row[0]: min(days[d] for d in row[4:] if d is not None) for row in found if any(row[4:])}
    words: dict[tuple[str | None, str | None], TrendCell] = {}

    def cell(lifecycle: str | None, rag: str | None) -> TrendCell:
        found = words.get((lifecycle, rag))
        if found is None:
            found = words[(lifecycle, rag)] = TrendCell(
                brag_label(lifecycle, rag), brag(lifecycle, rag).value
            )
        return found

    reported: set[tuple[str, int]] = set()
    # Every live update, the later periods' skipped here: a scan of the covering index
    # ix_status_update_objective_status is a quarter of the time of finding the periods' updates by
    # period and then each one's row (64,000 updates at scale: about 60 ms against 225).
    updates = select(su.c.objective_id, su.c.period_id, su.c.lifecycle, su.c.rag).where(live(su))
    for oid, pid, lifecycle, rag in driver_rows(session, updates):
        n = index.get(pid)
        statuses = grid.get(oid)
        if n is not None and statuses is not None:
            statuses[n] = cell(lifecycle, rag)
            reported.add((oid, n))
    for n, carried in enumerate(carried_statuses(session, *(p.start for p in shown))):
        for oid, (lifecycle, _pid, _name) in carried.items():
            if oid in grid and (oid, n) not in reported:
                grid[oid][n] = cell(lifecycle, None)
    for oid, day in retired.items():
        grid[oid] = [_RETIRED if p.start >= day else c for p, c in zip(shown, grid[oid], strict=True)]
    leads = person_contacts(session)
    out = tuple(
        ObjectiveTrendRow(
            oid, ref, title, leads.get(lead_id, ("", ""))[0] if lead_id else "", tuple(grid[oid])
        )
        for oid, ref, title, lead_id in objectives
    )
    return ObjectiveTrend(tuple(shown), out)


# ---------------------------------------------------------------------------------------------- risk changes

SCORES = ("inherent", "residual", "target")
_FIELDS = ("status", "deleted", *(f"{kind}_{part}" for kind in SCORES for part in ("likelihood", "impact")))
CHANGE_ORDER = ("new", "closed", "reopened", "re-scored", "removed", "restored")


class RiskChange(NamedTuple):
    risk_id: str
    ref: str
    title: str
    owner_name: str
    change: str  # one of CHANGE_ORDER
    what: str  # "Residual score" for a re-score, "Status" for closed or reopened, "" otherwise
    was: str  # "" for a new risk
    now: str
    direction: int  # a re-score: 1 higher, -1 lower, 0 the same score from another likelihood and impact
    at: datetime  # the last change of the risk in the window (aware, UTC)
    by: str


@dataclass(frozen=True)
class RiskChanges:
    since: date  # the first day counted: the day after the previous period ended (or the period's start)
    until: date  # the last day counted: the period's as-of date
    rows: tuple[RiskChange, ...]


def risk_changes(session: Session, period_id: str, *, as_of: date) -> RiskChanges:
    """Risks added, closed, reopened, re-scored, removed or restored since the last period, up to ``as_of``.

    Risks keep no copy per period, so the audit log is the record of what changed: each field is
    compared as it stood when the window opened and when it closed, so a score changed and changed
    back shows nothing, and a change made after the window does not show. Days are the computer's
    local days (the audit log's times are UTC).
    """
    rows = periods(session, count_updates=False)
    this = find_period(rows, period_id)
    before = period_before(rows, this)
    since = before.end + timedelta(days=1) if before is not None else this.start
    since = min(since, this.start)
    opens, closes = _utc(since), _utc(as_of + timedelta(days=1))
    a = t.audit
    # Every entry from the window's start: those after it tell what a field was when the window closed.
    stmt = (
        select(a.c.entity_id, a.c.field, a.c.old, a.c.new, a.c.at, a.c.actor)
        .where(
            a.c.entity == "risk",
            a.c.at >= opens,
            a.c.field.in_([CREATED, *_FIELDS]),
            or_(a.c.at < closes, a.c.field != CREATED),
        )
        .order_by(a.c.seq)
    )
    inside: dict[str, dict[str, list[Any]]] = defaultdict(dict)  # risk -> field -> [first old, last new]
    after: dict[str, dict[str, Any]] = defaultdict(dict)  # risk -> field -> first old after the window
    last: dict[str, tuple[datetime, str]] = {}
    created: set[str] = set()
    for rid, field, old, new, at, actor in session.execute(stmt).all():
        if at >= closes:
            after[rid].setdefault(field, old)
            continue
        last[rid] = (at, actor)
        if field == CREATED:
            created.add(rid)
            continue
        seen = inside[rid].setdefault(field, [old, new])
        seen[1] = new
    if not last:
        return RiskChanges(since, as_of, ())
    r = t.risk
    current = {
        row[0]: row
        for row in session.execute(
            select(r.c.id, r.c.ref, r.c.title, r.c.owner_id, *(r.c[f] for f in _FIELDS)).where(
                r.c.id.in_(list(last))
            )
        ).all()
    }
    names = person_contacts(session)
    settings = rule_settings(session, period_id)
    out = []
    for rid, (at, actor) in last.items():
        row = current.get(rid)
        if row is None:
            continue
        now_values = dict(zip(_FIELDS, row[4:], strict=True))

        def at_close(field: str, rid: str = rid, now_values: dict[str, Any] = now_values) -> Any:
            if field in inside[rid]:
                return decode(inside[rid][field][1])
            if field in after[rid]:
                return decode(after[rid][field])
            return now_values[field]

        def at_open(field: str, rid: str = rid) -> Any:
            return decode(inside[rid][field][0]) if field in inside[rid] else at_close(field)

        if rid in created and at_close("deleted"):
            continue  # added and removed within the window: nothing to report
        head = (rid, row[1], row[2], names.get(row[3], ("", ""))[0] if row[3] else "")
        found: list[tuple[str, str, str, str, int]] = []  # change, what, was, now, direction
        if rid in created:
            found.append(("new", "Residual score", "", _score(at_close, "residual", settings), 0))
        else:
            was_status, now_status = at_open("status"), at_close("status")
            if was_status != now_status:
                change = "closed" if now_status == "closed" else "reopened"
                found.append(
                    (change, "Status", str(was_status).capitalize(), str(now_status).capitalize(), 0)
                )
            for kind in SCORES:
                was, now = _score(at_open, kind, settings), _score(at_close, kind, settings)
                if was != now:
                    diff = _product(at_close, kind) - _product(at_open, kind)
                    found.append(
                        ("re-scored", f"{kind.capitalize()} score", was, now, (diff > 0) - (diff < 0))
                    )
            if bool(at_open("deleted")) != bool(at_close("deleted")):
                change = "removed" if at_close("deleted") else "restored"
                found.append((change, "", "In the register" if change == "removed" else "Removed",
                              "Removed" if change == "removed" else "In the register", 0))  # fmt: skip
        out += [
            RiskChange(*head, change, what, was, now, direction, at, actor)
            for change, what, was, now, direction in found
        ]
    out.sort(key=lambda c: (CHANGE_ORDER.index(c.change), c.ref, c.what))
    return RiskChanges(since, as_of, tuple(out))


def _utc(day: date) -> datetime:
    """The start of a local day (the computer's time zone), in UTC as the audit log records times."""
    return datetime.combine(day, time()).astimezone(UTC)


def _product(value: Any, kind: str) -> int:
    return int(value(f"{kind}_likelihood")) * int(value(f"{kind}_impact"))


def _score(value: Any, kind: str, settings: RuleSettings) -> str:
    """ "16 High (4×4)": the score, its band's word, likelihood × impact."""
    likelihood, impact = int(value(f"{kind}_likelihood")), int(value(f"{kind}_impact"))
    score = likelihood * impact
    return f"{score} {risk_band(score, settings).label} ({likelihood}×{impact})"
