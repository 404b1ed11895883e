"""The registers: objectives, milestones, risks and inspection recommendations, one statement each.

Each list is one SELECT into tuples. What SQL cannot compute portably (milestone state needs date
arithmetic; BRAG words, risk bands) is computed here over the fetched tuples with the pure rules,
as of a date the caller gives (default today). Each row's columns are declared once, by field name
(a RowShape: the select is generated in the row's field order, the computed fields given by name).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import date
from typing import Any, NamedTuple, cast

from sqlalchemy import ColumnElement, FromClause, and_, exists, func, or_, select
from sqlmodel import Session

from tracker.db import bulk_rows
from tracker.enums import OPEN_RECOMMENDATION_STATUSES, Brag, MilestoneState, RiskBand, RiskStatus
from tracker.rules import (
    RuleSettings,
    above_appetite,
    brag,
    brag_label,
    days_overdue,
    milestone_state,
    risk_band,
    risk_score,
)

from ._period import CLOSED_LIFECYCLES, closed_objectives
from ._sql import (
    Days,
    RowShape,
    all_of,
    driver_rows,
    in_plan,
    keep_ids,
    live,
    milestone_done,
    milestone_overdue,
    t,
    text_match,
)
from .common import rule_settings
from .details import (
    AuditRow,
    LinkRow,
    NoteRow,
    StatusHistoryRow,
    audit_rows,
    progress_notes,
    recommendation_links,
    status_history,
)
from .filters import (
    NO_FILTERS,
    Filters,
    deleted_conditions,
    due_conditions,
    id_conditions,
    scope_conditions,
    status_conditions,
)

__all__ = [
    "AuditRow", "Filters", "LinkRow", "MilestoneRow", "NoteRow", "ObjectiveRow", "RecommendationRow",
    "RiskRow", "StatusHistoryRow", "audit_rows", "milestone_pages", "milestone_rows", "objective_rows", "progress_notes",
    "recommendation_links", "recommendation_rows", "risk_rows", "status_history",
]  # fmt: skip

OPEN_STATUSES = tuple(s.value for s in OPEN_RECOMMENDATION_STATUSES)
REF_SEPARATOR = "\x1f"  # between aggregated objective refs; cannot appear in a typed reference

FIRST_SCREEN_OBJECTIVES = 40  # about 400 milestones at the scale plan's ten an objective: a screen and more


# ---------------------------------------------------------------------------------------------- objectives


class ObjectiveRow(NamedTuple):
    id: str
    ref: str
    title: str
    theme_id: str
    theme_code: str
    theme_name: str
    outcome_id: str
    outcome_code: str
    outcome_title: str
    lead_id: str | None
    lead_name: str
    board_id: str | None
    board_name: str
    four_p: str
    start_date: date | None
    target_date: date | None
    lifecycle: str
    rag: str | None
    brag: Brag
    brag_label: str
    progress_pct: int | None
    revision: int
    deleted: bool
    retired_on: date | None = None  # out of the plan from this day (it, its outcome or its theme retired)


# Read from the driver, as the milestones are (dates come as ISO text on SQLite, booleans as 0/1).
OBJECTIVE = RowShape(
    ObjectiveRow,
    derived=("brag", "brag_label", "retired_on"),
    converted=("start_date", "target_date", "deleted"),
    inputs=("objective_retired_on", "outcome_retired_on", "theme_retired_on"),
)


def objective_rows(session: Session, filters: Filters = NO_FILTERS) -> list[ObjectiveRow]:
    """Objectives in plan order with where they sit, who leads them and their current status.

    Retired ones are listed too (their history stays readable), with the day they left the plan.
    """
    f = filters
    ob, oc, th, lead, board = t.objective, t.outcome, t.theme, t.person, t.board
    where = [
        *deleted_conditions(f, (ob, oc, th)),
        *scope_conditions(f, ob, oc),
        *status_conditions(f, ob),
        *due_conditions(f, ob.c.target_date),
        *id_conditions(f, ob.c.id),
    ]
    if f.text:
        where.append(text_match(f.text, (ob.c.ref, ob.c.title)))
    columns = {
        "id": ob.c.id,
        "ref": ob.c.ref,
        "title": ob.c.title,
        "theme_id": th.c.id,
        "theme_code": th.c.code,
        "theme_name": th.c.name,
        "outcome_id": oc.c.id,
        "outcome_code": oc.c.code,
        "outcome_title": oc.c.title,
        "lead_id": ob.c.lead_id,
        "lead_name": func.coalesce(lead.c.name, ""),
        "board_id": ob.c.board_id,
        "board_name": func.coalesce(board.c.name, ""),
        "four_p": ob.c.four_p,
        "start_date": ob.c.start_date,
        "target_date": ob.c.target_date,
        "lifecycle": ob.c.lifecycle,
        "rag": ob.c.rag,
        "progress_pct": ob.c.progress_pct,
        "revision": ob.c.revision,
        "deleted": ob.c.deleted,
        "objective_retired_on": ob.c.retired_on,
        "outcome_retired_on": oc.c.retired_on,
        "theme_retired_on": th.c.retired_on,
    }
    stmt = (
        OBJECTIVE.select(columns)
        .join(oc, oc.c.id == ob.c.outcome_id)
        .join(th, th.c.id == oc.c.theme_id)
        .outerjoin(lead, lead.c.id == ob.c.lead_id)
        .outerjoin(board, board.c.id == ob.c.board_id)
        .where(all_of(where))
        .order_by(th.c.ordinal, th.c.code, oc.c.ordinal, oc.c.code, ob.c.ordinal, ob.c.ref)
    )
    read = OBJECTIVE.getter("start_date", "target_date", "lifecycle", "rag", "deleted")
    retired = OBJECTIVE.getter("objective_retired_on", "outcome_retired_on", "theme_retired_on")
    make = OBJECTIVE.make
    days = Days()
    out = []
    with bulk_rows():
        for r in keep_ids(driver_rows(session, stmt), f.ids):
            start, target, lifecycle, rag, deleted = read(r)
            gone = [d for d in retired(r) if d is not None]
            out.append(
                make(
                    r,
                    start_date=days[start],
                    target_date=days[target],
                    brag=brag(lifecycle, rag),
                    brag_label=brag_label(lifecycle, rag),
                    deleted=bool(deleted),
                    retired_on=min(cast(date, days[d]) for d in gone) if gone else None,
                )
            )
    return out


# ---------------------------------------------------------------------------------------------- milestones


class MilestoneRow(NamedTuple):
    id: str
    objective_id: str
    objective_ref: str
    objective_title: str
    theme_id: str
    theme_name: str
    title: str
    owner_id: str | None
    owner_name: str
    baseline_date: date
    forecast_date: date
    completed_date: date | None
    state: MilestoneState
    days_overdue: int
    slip_days: int  # forecast minus baseline
    notes: str
    revision: int
    deleted: bool


# Read from the driver: dates come as ISO text on SQLite, booleans as 0/1 (see driver_rows).
MILESTONE = RowShape(
    MilestoneRow,
    derived=("state", "days_overdue", "slip_days"),
    converted=("baseline_date", "forecast_date", "completed_date", "deleted"),
    inputs=("pursued",),  # whether its objective still pursues it (not cancelled or complete)
)


def milestone_rows(
    session: Session,
    filters: Filters = NO_FILTERS,
    *,
    as_of: date | None = None,
    settings: RuleSettings | None = None,
    period_start: date | None = None,
    objectives: tuple[bool, Collection[str]] | None = None,
) -> list[MilestoneRow]:
    """Milestones in plan order (by objective, then milestone order) with their state as of a date.

    ``objectives`` = (True, ids) keeps only the milestones of those objectives, (False, ids) all but
    theirs: how :func:`milestone_pages` reads a first screen, then the rest.

    A view of a period gives the period's start (and its as-of date): an objective then stops
    pursuing its milestones when it is cancelled or complete as reported for that period; otherwise
    as it stands now. A retired objective (or one in a retired outcome or theme) stops pursuing them
    from its retirement: out of the plan at the period's start (else on the as-of date).
    """
    f = filters
    as_of = as_of or date.today()
    settings = settings or rule_settings(session)
    m, ob, oc, th, owner = t.milestone, t.objective, t.outcome, t.theme, t.person
    pursued: ColumnElement[bool]
    if period_start is not None:
        pursued = ob.c.id.not_in(closed_objectives(period_start))
    else:
        pursued = ob.c.lifecycle.not_in(CLOSED_LIFECYCLES)
    on = period_start or as_of
    pursued = and_(pursued, in_plan(ob, on), in_plan(oc, on), in_plan(th, on))
    where = [
        *deleted_conditions(f, (m, ob, oc, th)),
        *scope_conditions(f, ob, oc),
        *status_conditions(f, ob),
        *due_conditions(f, m.c.forecast_date),
        *id_conditions(f, m.c.id),
        *_state_conditions(f.state, m, as_of, pursued),
    ]
    if f.owner_id is not None:
        where.append(m.c.owner_id == f.owner_id)
    if f.text:
        where.append(text_match(f.text, (m.c.title, m.c.notes, ob.c.ref)))
    if objectives is not None:
        inside, ids = objectives
        where.append(m.c.objective_id.in_(list(ids)) if inside else m.c.objective_id.not_in(list(ids)))
    columns = {
        "id": m.c.id,
        "objective_id": ob.c.id,
        "objective_ref": ob.c.ref,
        "objective_title": ob.c.title,
        "theme_id": th.c.id,
        "theme_name": th.c.name,
        "title": m.c.title,
        "owner_id": m.c.owner_id,
        "owner_name": func.coalesce(owner.c.name, ""),
        "baseline_date": m.c.baseline_date,
        "forecast_date": m.c.forecast_date,
        "completed_date": m.c.completed_date,
        "notes": m.c.notes,
        "revision": m.c.revision,
        "deleted": m.c.deleted,
        "pursued": pursued,
    }
    stmt = (
        MILESTONE.select(columns)
        .join(ob, ob.c.id == m.c.objective_id)
        .join(oc, oc.c.id == ob.c.outcome_id)
        .join(th, th.c.id == oc.c.theme_id)
        .outerjoin(owner, owner.c.id == m.c.owner_id)
        .where(all_of(where))
        .order_by(
            th.c.ordinal,
            th.c.code,
            oc.c.ordinal,
            oc.c.code,
            ob.c.ordinal,
            ob.c.ref,
            m.c.ordinal,
            m.c.forecast_date,
            m.c.id,
        )  # fmt: skip
    )
    # 100,000 rows at scale: plain driver tuples, each distinct date parsed once, the state from the rules.
    tolerance = settings.slip_tolerance_days
    # Only dates are looked up (baseline and forecast are NOT NULL; a missing completion is tested
    # first), so every value the cache gives here is a date.
    days = cast(dict[Any, date], Days())
    OVERDUE = MilestoneState.OVERDUE  # noqa: N806 - a local for the loop
    driver = MILESTONE.getter("baseline_date", "forecast_date", "completed_date", "deleted", "pursued")
    make = MILESTONE.make
    out = []
    with bulk_rows():
        for r in keep_ids(driver_rows(session, stmt), f.ids):
            baseline, forecast, completed, deleted, going = driver(r)
            baseline, forecast = days[baseline], days[forecast]
            completed = None if completed is None else days[completed]
            state = milestone_state(
                baseline, forecast, completed, as_of=as_of, tolerance_days=tolerance, pursued=bool(going)
            )
            if f.state is not None and state != f.state:
                continue
            out.append(
                make(
                    r,
                    baseline_date=baseline,
                    forecast_date=forecast,
                    completed_date=completed,
                    state=state,
                    days_overdue=days_overdue(forecast, completed, as_of=as_of) if state is OVERDUE else 0,
                    slip_days=(forecast - baseline).days,
                    deleted=bool(deleted),
                )
            )
    return out


def milestone_pages(
    session: Session, filters: Filters = NO_FILTERS, *, first_objectives: int = FIRST_SCREEN_OBJECTIVES
) -> Iterator[list[MilestoneRow]]:
    """The milestone register in plan order, in two reads: a first screen, then the rest.

    The first is the milestones of the first ``first_objectives`` objectives in plan order (found
    through the milestone's objective index, a few milliseconds at any size); the second every other
    milestone. Plan order is by objective first, so the two together are :func:`milestone_rows`,
    row for row. Run in one read transaction, both see the same snapshot.
    """
    ob, oc, th = t.objective, t.outcome, t.theme
    first = list(
        session.execute(
            select(ob.c.id)
            .join(oc, oc.c.id == ob.c.outcome_id)
            .join(th, th.c.id == oc.c.theme_id)
            .where(live(ob), live(oc), live(th))
            .order_by(th.c.ordinal, th.c.code, oc.c.ordinal, oc.c.code, ob.c.ordinal, ob.c.ref)
            .limit(first_objectives)
        ).scalars()
    )
    as_of, settings = date.today(), rule_settings(session)
    yield milestone_rows(session, filters, as_of=as_of, settings=settings, objectives=(True, first))
    yield milestone_rows(session, filters, as_of=as_of, settings=settings, objectives=(False, first))


def _state_conditions(
    state: str | None, m: FromClause, as_of: date, pursued: ColumnElement[bool]
) -> list[ColumnElement[bool]]:
    """The part of a milestone-state filter SQL can do without date arithmetic (the rest is in Python)."""
    if state is None:
        return []
    if state == MilestoneState.COMPLETE:
        return [milestone_done(m, as_of)]
    if state == MilestoneState.NOT_PURSUED:
        return [~milestone_done(m, as_of), ~pursued]
    if state == MilestoneState.OVERDUE:
        return [milestone_overdue(m, as_of), pursued]
    # on track or slipping: decided per row
    return [~milestone_done(m, as_of), m.c.forecast_date >= as_of, pursued]


# ---------------------------------------------------------------------------------------------- risks


class RiskRow(NamedTuple):
    id: str
    ref: str
    title: str
    cause: str
    event: str
    effect: str
    owner_id: str | None
    owner_name: str
    objective_id: str | None
    objective_ref: str
    theme_id: str | None
    theme_name: str
    inherent_likelihood: int
    inherent_impact: int
    inherent_score: int
    inherent_band: RiskBand
    residual_likelihood: int
    residual_impact: int
    residual_score: int
    residual_band: RiskBand
    target_likelihood: int
    target_impact: int
    target_score: int
    target_band: RiskBand
    above_appetite: bool  # open, and the residual score is above the plan's appetite
    response: str
    mitigations: str
    status: str
    review_date: date | None
    revision: int
    deleted: bool


# Read from the driver, as the milestones are (dates come as ISO text on SQLite, booleans as 0/1).
RISK = RowShape(
    RiskRow,
    derived=("inherent_score", "inherent_band", "residual_score", "residual_band", "target_score",
             "target_band", "above_appetite"),
    converted=("review_date", "deleted"),
)  # fmt: skip


def risk_rows(
    session: Session, filters: Filters = NO_FILTERS, *, settings: RuleSettings | None = None
) -> list[RiskRow]:
    """Risks, highest residual score first, with scores, bands and whether each is above appetite."""
    f = filters
    settings = settings or rule_settings(session)
    r, ob, oc, th, owner = t.risk, t.objective, t.outcome, t.theme, t.person
    theme_id = func.coalesce(r.c.theme_id, oc.c.theme_id)
    where = [
        *scope_conditions(f, ob, oc, theme_id=theme_id),
        *status_conditions(f, ob),
        *due_conditions(f, r.c.review_date),
        *id_conditions(f, r.c.id),
    ]
    if not f.include_deleted:
        where += [live(r), or_(r.c.objective_id.is_(None), live(ob))]
    if f.owner_id is not None:
        where.append(r.c.owner_id == f.owner_id)
    if f.status is not None:
        where.append(r.c.status == f.status)
    if f.text:
        cols = (r.c.ref, r.c.title, r.c.cause, r.c.event, r.c.effect, r.c.mitigations)
        where.append(text_match(f.text, cols))
    columns = {
        "id": r.c.id,
        "ref": r.c.ref,
        "title": r.c.title,
        "cause": r.c.cause,
        "event": r.c.event,
        "effect": r.c.effect,
        "owner_id": r.c.owner_id,
        "owner_name": func.coalesce(owner.c.name, ""),
        "objective_id": r.c.objective_id,
        "objective_ref": func.coalesce(ob.c.ref, ""),
        "theme_id": th.c.id,
        "theme_name": func.coalesce(th.c.name, ""),
        "inherent_likelihood": r.c.inherent_likelihood,
        "inherent_impact": r.c.inherent_impact,
        "residual_likelihood": r.c.residual_likelihood,
        "residual_impact": r.c.residual_impact,
        "target_likelihood": r.c.target_likelihood,
        "target_impact": r.c.target_impact,
        "response": r.c.response,
        "mitigations": r.c.mitigations,
        "status": r.c.status,
        "review_date": r.c.review_date,
        "revision": r.c.revision,
        "deleted": r.c.deleted,
    }
    stmt = (
        RISK.select(columns)
        .outerjoin(ob, ob.c.id == r.c.objective_id)
        .outerjoin(oc, oc.c.id == ob.c.outcome_id)
        .outerjoin(th, th.c.id == theme_id)
        .outerjoin(owner, owner.c.id == r.c.owner_id)
        .where(all_of(where))
        .order_by((r.c.residual_likelihood * r.c.residual_impact).desc(), r.c.ref, r.c.id)
    )
    read = RISK.getter(
        "inherent_likelihood", "inherent_impact", "residual_likelihood", "residual_impact",
        "target_likelihood", "target_impact", "status", "review_date", "deleted",
    )  # fmt: skip
    make = RISK.make
    days = Days()
    out = []
    with bulk_rows():
        for x in keep_ids(driver_rows(session, stmt), f.ids):
            il, ii, rl, ri, tl, ti, status, review, deleted = read(x)
            inherent, residual, target = risk_score(il, ii), risk_score(rl, ri), risk_score(tl, ti)
            out.append(
                make(
                    x,
                    inherent_score=inherent,
                    inherent_band=risk_band(inherent, settings),
                    residual_score=residual,
                    residual_band=risk_band(residual, settings),
                    target_score=target,
                    target_band=risk_band(target, settings),
                    above_appetite=status == RiskStatus.OPEN and above_appetite(residual, settings),
                    review_date=days[review],
                    deleted=bool(deleted),
                )
            )
    return out


# ---------------------------------------------------------------------------------------------- recommendations


class RecommendationRow(NamedTuple):
    id: str
    inspection_id: str
    body: str
    inspection_title: str
    kind: str
    ref: str
    text: str
    owner_id: str | None
    owner_name: str
    due_date: date | None
    status: str
    overdue: bool  # open and due before the as-of date
    closed_date: date | None
    evidence: str
    closure_rationale: str
    latest_note: str
    latest_note_date: date | None
    objective_refs: tuple[str, ...]
    revision: int
    deleted: bool


RECOMMENDATION = RowShape(RecommendationRow, derived=("overdue",), converted=("objective_refs",))


def recommendation_rows(
    session: Session, filters: Filters = NO_FILTERS, *, as_of: date | None = None
) -> list[RecommendationRow]:
    """Inspection recommendations with their latest progress note and the objectives that answer them.

    The linked refs come from a grouped subquery with ``aggregate_strings`` (group_concat on SQLite,
    string_agg on PostgreSQL) joined in the same statement; they are sorted here.
    """
    f = filters
    as_of = as_of or date.today()
    rec, insp, owner, note = t.recommendation, t.inspection, t.person, t.note
    refs = _linked_refs()
    where = [
        *deleted_conditions(f, (rec, insp)),
        *due_conditions(f, rec.c.due_date),
        *id_conditions(f, rec.c.id),
    ]
    if f.owner_id is not None:
        where.append(rec.c.owner_id == f.owner_id)
    if f.status is not None:
        where.append(rec.c.status == f.status)
    if f.body is not None:
        where.append(insp.c.body == f.body)
    if f.text:
        cols = (rec.c.ref, rec.c.text, rec.c.evidence, rec.c.closure_rationale, insp.c.title)
        where.append(text_match(f.text, cols))
    objective_scope = [*scope_conditions(f, t.objective, t.outcome), *status_conditions(f, t.objective)]
    if objective_scope:
        where.append(answered_by_objective(objective_scope))
    columns = {
        "id": rec.c.id,
        "inspection_id": insp.c.id,
        "body": insp.c.body,
        "inspection_title": insp.c.title,
        "kind": rec.c.kind,
        "ref": rec.c.ref,
        "text": rec.c.text,
        "owner_id": rec.c.owner_id,
        "owner_name": func.coalesce(owner.c.name, ""),
        "due_date": rec.c.due_date,
        "status": rec.c.status,
        "closed_date": rec.c.closed_date,
        "evidence": rec.c.evidence,
        "closure_rationale": rec.c.closure_rationale,
        "latest_note": func.coalesce(note.c.text, ""),
        "latest_note_date": note.c.note_date,
        "objective_refs": refs.c.refs,  # joined by REF_SEPARATOR; split and sorted below
        "revision": rec.c.revision,
        "deleted": rec.c.deleted,
    }
    stmt = (
        RECOMMENDATION.select(columns)
        .join(insp, insp.c.id == rec.c.inspection_id)
        .outerjoin(owner, owner.c.id == rec.c.owner_id)
        .outerjoin(note, note.c.id == _latest_note_id(as_of))
        .outerjoin(refs, refs.c.recommendation_id == rec.c.id)
        .where(all_of(where))
        .order_by(insp.c.published_date, insp.c.title, insp.c.id, rec.c.ref, rec.c.id)
    )
    read = RECOMMENDATION.getter("status", "due_date", "objective_refs")
    make = RECOMMENDATION.make
    out = []
    for r in keep_ids(session.execute(stmt).all(), f.ids):
        status, due, joined = read(r)
        out.append(
            make(
                r,
                overdue=status in OPEN_STATUSES and due is not None and due < as_of,
                objective_refs=tuple(sorted(joined.split(REF_SEPARATOR))) if joined else (),
            )
        )
    return out


def _latest_note_id(as_of: date) -> Any:
    """The latest live note dated on or before the as-of date: a view of a period shows nothing after it."""
    n = t.note.alias("latest")
    return (
        select(n.c.id)
        .where(n.c.recommendation_id == t.recommendation.c.id, live(n), n.c.note_date <= as_of)
        .order_by(n.c.note_date.desc(), n.c.changed_at.desc(), n.c.id.desc())
        .limit(1)
        .correlate(t.recommendation)
        .scalar_subquery()
    )


def _linked_refs() -> Any:
    ro, ob = t.rec_objective, t.objective
    return (
        select(ro.c.recommendation_id, func.aggregate_strings(ob.c.ref, REF_SEPARATOR).label("refs"))
        .join(ob, ob.c.id == ro.c.objective_id)
        .where(live(ro), live(ob))
        .group_by(ro.c.recommendation_id)
        .subquery("linked")
    )


def answered_by_objective(conditions: list[ColumnElement[bool]]) -> ColumnElement[bool]:
    """The recommendation is linked to a live objective meeting the conditions."""
    ro, ob, oc = t.rec_objective, t.objective, t.outcome
    return exists(
        select(ro.c.id)
        .join(ob, ob.c.id == ro.c.objective_id)
        .join(oc, oc.c.id == ob.c.outcome_id)
        .where(ro.c.recommendation_id == t.recommendation.c.id, live(ro), live(ob), *conditions)
    )
