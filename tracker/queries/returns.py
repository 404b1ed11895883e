"""What a period return holds for each lead, and the returns tracker: one statement per list.

A lead's return covers the objectives they lead; the milestones and risks they own, or that have
no owner and sit under an objective they lead; and the open inspection recommendations they own.
``responsible`` on each row is that person (None when nobody is).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, func, or_, select
from sqlmodel import Session

from ._period import CLOSED_LIFECYCLES
from ._sql import MAX_BOUND_IDS, in_plan, live, out_of_plan, t
from .common import find_period, periods
from .registers import OPEN_STATUSES

__all__ = [
    "ReturnMilestone", "ReturnObjective", "ReturnRecommendation", "ReturnRisk", "ReturnTrackerRow",
    "return_milestones", "return_objectives", "return_recommendations", "return_risks",
    "returns_tracker",
]  # fmt: skip


def _scope(
    id_column: ColumnElement[Any],
    responsible: ColumnElement[Any],
    lead_id: str | None,
    ids: Collection[str] | None,
) -> list[Any]:
    """Rows for one person (None: everyone), or rows with the given ids (whoever owns them)."""
    if ids is not None:
        return [id_column.in_(list(ids))] if len(ids) <= MAX_BOUND_IDS else []
    return [] if lead_id is None else [responsible == lead_id]


def _keep(rows: list[Any], ids: Collection[str] | None) -> list[Any]:
    if ids is None or len(ids) <= MAX_BOUND_IDS:
        return rows
    wanted = set(ids)
    return [r for r in rows if r.id in wanted]


class ReturnObjective(NamedTuple):
    id: str
    ref: str
    title: str
    responsible: str | None  # the lead
    lifecycle: str  # the objective's current values, the starting point when no update exists yet
    rag: str | None
    progress_pct: int | None
    update_id: str | None  # this period's live update, if any
    update_revision: int  # 0 when there is none
    u_lifecycle: str | None
    u_rag: str | None
    u_progress_pct: int | None
    u_rationale: str | None
    u_corrective_action: str | None
    u_commentary: str | None
    u_next_steps: str | None
    prev_period: str | None  # the latest earlier period the objective was reported in
    prev_rag: str | None
    prev_lifecycle: str | None
    prev_commentary: str | None


def return_objectives(
    session: Session, period_id: str, *, lead_id: str | None = None, ids: Collection[str] | None = None
) -> list[ReturnObjective]:
    """Live objectives in plan order with this period's update and the previous reported one.

    Those asked about (no ``ids``) are the ones in the plan at the period's start; ``ids`` finds any.
    """
    this = find_period(periods(session), period_id)
    ob, oc, th, per = t.objective, t.outcome, t.theme, t.period
    cur, prev, pp = t.status.alias("cur"), t.status.alias("prev"), t.period.alias("pp")
    latest = t.status.alias("latest")
    lp = t.period.alias("lp")
    prev_id = (
        select(latest.c.id)
        .join(lp, lp.c.id == latest.c.period_id)
        .where(
            latest.c.objective_id == ob.c.id,
            live(latest),
            live(lp),
            lp.c.plan_id == ob.c.plan_id,
            lp.c.start_date < this.start,
        )  # fmt: skip
        .order_by(lp.c.start_date.desc())
        .limit(1)
        .correlate(ob)
        .scalar_subquery()
    )
    stmt = (
        select(
            ob.c.id,
            ob.c.ref,
            ob.c.title,
            ob.c.lead_id,
            ob.c.lifecycle,
            ob.c.rag,
            ob.c.progress_pct,
            cur.c.id,
            func.coalesce(cur.c.revision, 0),
            cur.c.lifecycle,
            cur.c.rag,
            cur.c.progress_pct,
            cur.c.rationale,
            cur.c.corrective_action,
            cur.c.commentary,
            cur.c.next_steps,
            pp.c.name,
            prev.c.rag,
            prev.c.lifecycle,
            prev.c.commentary,
        )  # fmt: skip
        .join(oc, oc.c.id == ob.c.outcome_id)
        .join(th, th.c.id == oc.c.theme_id)
        .outerjoin(cur, (cur.c.objective_id == ob.c.id) & (cur.c.period_id == this.id) & live(cur))
        .outerjoin(prev, prev.c.id == prev_id)
        .outerjoin(pp, pp.c.id == prev.c.period_id)
        .where(live(ob), live(oc), live(th), *_scope(ob.c.id, ob.c.lead_id, lead_id, ids))
        .where(*(in_plan(x, this.start) for x in (ob, oc, th) if ids is None))
        .where(ob.c.plan_id == select(per.c.plan_id).where(per.c.id == this.id).scalar_subquery())
        .order_by(th.c.ordinal, th.c.code, oc.c.ordinal, oc.c.code, ob.c.ordinal, ob.c.ref)
    )
    return _keep([ReturnObjective(*r) for r in session.execute(stmt).all()], ids)


class ReturnMilestone(NamedTuple):
    id: str
    responsible: str | None
    objective_ref: str
    title: str
    owner_name: str
    baseline_date: date
    forecast_date: date
    completed_date: date | None
    revision: int
    objective_lifecycle: str  # a complete or cancelled objective's open milestones are not pursued


def return_milestones(
    session: Session,
    *,
    lead_id: str | None = None,
    ids: Collection[str] | None = None,
    on: date | None = None,
) -> list[ReturnMilestone]:
    """Live milestones of live objectives, in plan order, with who answers for each; with ``on`` (a
    period's start), only those of objectives in the plan that day."""
    m, ob, oc, th, owner = t.milestone, t.objective, t.outcome, t.theme, t.person
    responsible = func.coalesce(m.c.owner_id, ob.c.lead_id)
    stmt = (
        select(
            m.c.id,
            responsible,
            ob.c.ref,
            m.c.title,
            func.coalesce(owner.c.name, ""),
            m.c.baseline_date,
            m.c.forecast_date,
            m.c.completed_date,
            m.c.revision,
            ob.c.lifecycle,
        )  # fmt: skip
        .join(ob, ob.c.id == m.c.objective_id)
        .join(oc, oc.c.id == ob.c.outcome_id)
        .join(th, th.c.id == oc.c.theme_id)
        .outerjoin(owner, owner.c.id == m.c.owner_id)
        .where(live(m), live(ob), live(oc), live(th), *_scope(m.c.id, responsible, lead_id, ids))
        .where(*(in_plan(x, on) for x in (ob, oc, th) if on is not None))
        .order_by(th.c.ordinal, oc.c.ordinal, ob.c.ordinal, ob.c.ref, m.c.ordinal, m.c.forecast_date, m.c.id)
    )
    return _keep([ReturnMilestone(*r) for r in session.execute(stmt).all()], ids)


class ReturnRisk(NamedTuple):
    id: str
    responsible: str | None
    ref: str
    title: str
    objective_ref: str
    inherent_likelihood: int
    inherent_impact: int
    residual_likelihood: int
    residual_impact: int
    mitigations: str
    revision: int
    cause: str
    event: str
    effect: str
    owner_name: str
    target_likelihood: int
    target_impact: int


def return_risks(
    session: Session,
    *,
    lead_id: str | None = None,
    ids: Collection[str] | None = None,
    on: date | None = None,
) -> list[ReturnRisk]:
    """Live open risks (of live objectives, or of a theme) by reference, with who answers for each; with
    ``on`` (a period's start), only those of objectives in the plan that day."""
    r, ob, owner = t.risk, t.objective, t.person
    responsible = func.coalesce(r.c.owner_id, ob.c.lead_id)
    where = [live(r), or_(r.c.objective_id.is_(None), live(ob)), *_scope(r.c.id, responsible, lead_id, ids)]
    if on is not None:
        where.append(or_(r.c.objective_id.is_(None), r.c.objective_id.not_in(out_of_plan(on))))
    if ids is None:
        where.append(r.c.status == "open")
    stmt = (
        select(
            r.c.id,
            responsible,
            r.c.ref,
            r.c.title,
            func.coalesce(ob.c.ref, ""),
            r.c.inherent_likelihood,
            r.c.inherent_impact,
            r.c.residual_likelihood,
            r.c.residual_impact,
            r.c.mitigations,
            r.c.revision,
            r.c.cause,
            r.c.event,
            r.c.effect,
            func.coalesce(owner.c.name, ""),
            r.c.target_likelihood,
            r.c.target_impact,
        )  # fmt: skip
        .outerjoin(ob, ob.c.id == r.c.objective_id)
        .outerjoin(owner, owner.c.id == r.c.owner_id)
        .where(*where)
        .order_by(r.c.ref, r.c.id)
    )
    return _keep([ReturnRisk(*x) for x in session.execute(stmt).all()], ids)


class ReturnRecommendation(NamedTuple):
    id: str
    responsible: str | None
    body: str
    inspection_title: str
    kind: str
    ref: str
    text: str
    due_date: date | None
    latest_note: str
    latest_note_date: date | None
    status: str
    evidence: str
    closure_rationale: str
    revision: int


def return_recommendations(
    session: Session,
    *,
    lead_id: str | None = None,
    ids: Collection[str] | None = None,
    on: date | None = None,
) -> list[ReturnRecommendation]:
    """Live open recommendations (of live inspections) with their latest note, by inspection and ref.

    ``on`` is taken as the other kinds take it: an inspection's recommendations are not retired with
    the plan's structure, so every open one is asked about.
    """
    rec, insp, note = t.recommendation, t.inspection, t.note.alias("latest")
    latest_id = (
        select(note.c.id)
        .where(note.c.recommendation_id == rec.c.id, live(note))
        .order_by(note.c.note_date.desc(), note.c.changed_at.desc(), note.c.id.desc())
        .limit(1)
        .correlate(rec)
        .scalar_subquery()
    )
    shown = t.note.alias("shown")
    where = [live(rec), live(insp), *_scope(rec.c.id, rec.c.owner_id, lead_id, ids)]
    if ids is None:
        where.append(rec.c.status.in_(OPEN_STATUSES))
    stmt = (
        select(
            rec.c.id,
            rec.c.owner_id,
            insp.c.body,
            insp.c.title,
            rec.c.kind,
            rec.c.ref,
            rec.c.text,
            rec.c.due_date,
            func.coalesce(shown.c.text, ""),
            shown.c.note_date,
            rec.c.status,
            rec.c.evidence,
            rec.c.closure_rationale,
            rec.c.revision,
        )  # fmt: skip
        .join(insp, insp.c.id == rec.c.inspection_id)
        .outerjoin(shown, shown.c.id == latest_id)
        .where(*where)
        .order_by(insp.c.published_date, insp.c.title, insp.c.id, rec.c.ref, rec.c.id)
    )
    return _keep([ReturnRecommendation(*r) for r in session.execute(stmt).all()], ids)


# ---------------------------------------------------------------------------------------------- tracker


class ReturnTrackerRow(NamedTuple):
    lead_id: str
    lead_name: str
    lead_email: str
    n_objectives: int
    status: str  # "not issued", or the return's status: issued | received | applied
    file_name: str
    issued_at: datetime | None
    received_at: datetime | None
    applied_at: datetime | None
    rows_applied: int
    applied_by: str  # who applied it ("" until applied)

    @property
    def outstanding(self) -> bool:
        """Issued and not yet back."""
        return self.status == "issued"


def returns_tracker(session: Session, period_id: str) -> list[ReturnTrackerRow]:
    """Per lead of a live open objective (and anyone issued a return for the period): where their return is.

    ``n_objectives`` counts the objectives a return asks about: not those complete or cancelled, nor
    those out of the plan at the period's start (retired).
    """
    this = find_period(periods(session), period_id)
    ob, person, ret = t.objective, t.person, t.period_return
    led = (  # a complete or cancelled objective is not asked about in a return
        select(ob.c.lead_id.label("lead_id"), func.count().label("n"))
        .where(live(ob), ob.c.lead_id.is_not(None), ob.c.lifecycle.not_in(CLOSED_LIFECYCLES))
        .where(ob.c.id.not_in(out_of_plan(this.start)))
        .group_by(ob.c.lead_id)
        .subquery()
    )
    mine = select(ret).where(ret.c.period_id == this.id, live(ret)).subquery()
    stmt = (
        select(
            person.c.id,
            person.c.name,
            person.c.email,
            func.coalesce(led.c.n, 0),
            func.coalesce(mine.c.status, "not issued"),
            func.coalesce(mine.c.file_name, ""),
            mine.c.issued_at,
            mine.c.received_at,
            mine.c.applied_at,
            func.coalesce(mine.c.rows_applied, 0),
            func.coalesce(mine.c.applied_by, ""),
        )  # fmt: skip
        .outerjoin(led, led.c.lead_id == person.c.id)
        .outerjoin(mine, mine.c.lead_id == person.c.id)
        .where(live(person), or_(led.c.n.is_not(None), mine.c.id.is_not(None)))
        .order_by(person.c.name, person.c.id)
    )
    return [ReturnTrackerRow(*r) for r in session.execute(stmt).all()]


def note_texts(session: Session, recommendation_ids: Collection[str]) -> set[tuple[str, str]]:
    """(recommendation id, text) of the live progress notes of these recommendations."""
    n = t.note
    if not recommendation_ids:
        return set()
    stmt = select(n.c.recommendation_id, n.c.text).where(live(n))
    if len(recommendation_ids) <= MAX_BOUND_IDS:
        stmt = stmt.where(n.c.recommendation_id.in_(list(recommendation_ids)))
    wanted = set(recommendation_ids)
    return {(r, text.strip()) for r, text in session.execute(stmt).all() if r in wanted}


class IssuedReturnRow(NamedTuple):
    id: str
    status: str
    checksum: str
    issued_at: datetime | None
    applied_at: datetime | None
    applied_by: str
    past_checksums: frozenset[str]  # every checksum this return was issued with, from the audit log
    applied_checksums: frozenset[str] = frozenset()  # the issues that were applied, from the audit log


def issued_return(session: Session, period_id: str, lead_id: str) -> IssuedReturnRow | None:
    """The lead's return for the period, with the checksums of its issues and of those applied.

    An issue was applied when the return's status became "applied" while its checksum was in force
    (issuing again sets a new checksum and starts the status over).
    """
    from tracker.audit import CREATED, decode

    ret, a = t.period_return, t.audit
    stmt = (
        select(
            ret.c.id,
            ret.c.status,
            ret.c.checksum,
            ret.c.issued_at,
            ret.c.applied_at,
            ret.c.applied_by,
            a.c.field,
            a.c.new,
        )  # fmt: skip
        .outerjoin(
            a,
            (a.c.entity == "period_return")
            & (a.c.entity_id == ret.c.id)
            & a.c.field.in_(["checksum", "status", CREATED]),
        )  # fmt: skip
        .where(ret.c.period_id == period_id, ret.c.lead_id == lead_id, live(ret))
        .order_by(a.c.seq)
    )
    rows = session.execute(stmt).all()
    if not rows:
        return None
    past: set[str] = set()
    applied: set[str] = set()
    in_force = ""
    for r in rows:
        value = decode(r.new) if r.new is not None else None
        if r.field == CREATED and isinstance(value, dict):
            in_force = str(value.get("checksum") or "")
            past.add(in_force)
            if value.get("status") == "applied":
                applied.add(in_force)
        elif r.field == "checksum" and isinstance(value, str):
            in_force = value
            past.add(value)
        elif r.field == "status" and value == "applied":
            applied.add(in_force)
    first = rows[0]
    if first.status == "applied":  # also when the log holds no status change (applied on creation)
        applied.add(first.checksum)
    past.discard("")
    applied.discard("")
    return IssuedReturnRow(
        first.id,
        first.status,
        first.checksum,
        first.issued_at,
        first.applied_at,
        first.applied_by,
        frozenset(past),
        frozenset(applied),
    )
