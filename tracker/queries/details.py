"""The lists behind one item: a recommendation's notes and links, an objective's status history, the audit log."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, NamedTuple

from sqlalchemy import and_, literal, select, union_all
from sqlmodel import Session

from tracker.audit import decode
from tracker.enums import Brag, Movement
from tracker.rules import brag, brag_label, movement

from ._sql import driver_rows, live, t, text_match
from .audit_words import KINDS, Names, change_words, source_words, targets, value_words

AUDIT_LIMIT = 1_000


class NoteRow(NamedTuple):
    id: str
    note_date: date
    text: str
    author: str
    changed_by: str
    changed_at: datetime


def progress_notes(session: Session, recommendation_id: str) -> list[NoteRow]:
    """A recommendation's live progress notes, newest first."""
    n = t.note.c
    stmt = (
        select(n.id, n.note_date, n.text, n.author, n.changed_by, n.changed_at)
        .where(n.recommendation_id == recommendation_id, live(t.note))
        .order_by(n.note_date.desc(), n.changed_at.desc(), n.id.desc())
    )
    return [NoteRow(*r) for r in session.execute(stmt).all()]


class LinkRow(NamedTuple):
    kind: str  # "objective", "milestone" or "risk"
    link_id: str  # the link row (to remove the link)
    target_id: str
    ref: str  # objective or risk reference; a milestone shows its objective's
    title: str


_KIND_ORDER = {"objective": 0, "milestone": 1, "risk": 2}


def recommendation_links(session: Session, recommendation_id: str) -> list[LinkRow]:
    """The live objectives, milestones and risks linked to a recommendation (one UNION ALL)."""
    ro, rm, rr = t.rec_objective, t.rec_milestone, t.rec_risk
    ob, m, r = t.objective, t.milestone, t.risk
    mob = t.objective.alias("milestone_objective")
    objectives = (
        select(literal("objective").label("kind"), ro.c.id, ob.c.id, ob.c.ref, ob.c.title)
        .join(ob, ob.c.id == ro.c.objective_id)
        .where(ro.c.recommendation_id == recommendation_id, live(ro), live(ob))
    )
    milestones = (
        select(literal("milestone"), rm.c.id, m.c.id, mob.c.ref, m.c.title)
        .join(m, m.c.id == rm.c.milestone_id)
        .join(mob, mob.c.id == m.c.objective_id)
        .where(rm.c.recommendation_id == recommendation_id, live(rm), live(m), live(mob))
    )
    risks = (
        select(literal("risk"), rr.c.id, r.c.id, r.c.ref, r.c.title)
        .join(r, r.c.id == rr.c.risk_id)
        .where(rr.c.recommendation_id == recommendation_id, live(rr), live(r))
    )
    rows = [LinkRow(*x) for x in session.execute(union_all(objectives, milestones, risks)).all()]
    rows.sort(key=lambda x: (_KIND_ORDER[x.kind], x.ref, x.title))
    return rows


class StatusHistoryRow(NamedTuple):
    period_id: str
    period_name: str
    period_start: date
    period_end: date
    period_status: str
    update_id: str | None  # None: no update for this period
    lifecycle: str | None
    rag: str | None
    brag: Brag
    brag_label: str
    progress_pct: int | None
    rationale: str
    corrective_action: str
    commentary: str
    next_steps: str
    author: str
    reported_at: datetime | None
    movement: Movement | None  # against the period before; None when there is no update
    update_revision: int | None = None  # the update's revision, for an edit's conflict check


def status_history(session: Session, objective_id: str) -> list[StatusHistoryRow]:
    """An objective's status in every live period, earliest first (periods it missed show no update)."""
    p, su = t.period, t.status
    stmt = (
        select(
            p.c.id,
            p.c.name,
            p.c.start_date,
            p.c.end_date,
            p.c.status,
            su.c.id,
            su.c.lifecycle,
            su.c.rag,
            su.c.progress_pct,
            su.c.rationale,
            su.c.corrective_action,
            su.c.commentary,
            su.c.next_steps,
            su.c.author,
            su.c.reported_at,
            su.c.revision,
        )  # fmt: skip
        .outerjoin(su, and_(su.c.period_id == p.c.id, su.c.objective_id == objective_id, live(su)))
        .where(live(p))
        .order_by(p.c.start_date, p.c.name)
    )
    out: list[StatusHistoryRow] = []
    before: Brag | None = None
    for (pid, name, start, end, pstatus, uid, lifecycle, rag, pct, rationale, action, commentary, steps,
         author, at, revision) in session.execute(stmt).all():  # fmt: skip
        has = uid is not None
        shown = brag(lifecycle, rag)
        out.append(
            StatusHistoryRow(
                pid, name, start, end, pstatus, uid, lifecycle, rag, shown, brag_label(lifecycle, rag),
                pct, rationale or "", action or "", commentary or "", steps or "", author or "", at,
                movement(before, shown) if has else None, revision,
            )
        )  # fmt: skip
        before = shown if has else None
    return out


class AuditRow(NamedTuple):
    seq: int
    at: datetime  # UTC
    txn: str
    actor: str
    source: str
    detail: str
    entity: str
    entity_id: str
    field: str
    old: Any  # decoded from the stored JSON
    new: Any
    # in words (tracker.queries.audit_words): the item's code and title, where the change came from,
    # the change ("Progress: 45% → 70%"), and the old and new values in full
    item: str = ""
    source_text: str = ""
    change: str = ""
    old_text: str = ""
    new_text: str = ""


def audit_rows(
    session: Session,
    *,
    entity: str | None = None,
    entity_id: str | None = None,
    actor: str | None = None,
    text: str | None = None,
    since: date | datetime | None = None,
    before_seq: int | None = None,
    limit: int = AUDIT_LIMIT,
) -> list[AuditRow]:
    """Audit entries, newest first; ``before_seq`` pages back from an entry already shown."""
    a = t.audit.c
    where: list[Any] = []
    if entity is not None:
        where.append(a.entity == entity)
    if entity_id is not None:
        where.append(a.entity_id == entity_id)
    if actor is not None:
        where.append(a.actor == actor)
    if text and text.strip():
        where.append(text_match(text.strip(), (a.field, a.old, a.new, a.detail)))
    if since is not None:
        where.append(a.at >= _utc(since))
    if before_seq is not None:
        where.append(a.seq < before_seq)
    stmt = (
        select(a.seq, a.at, a.txn, a.actor, a.source, a.detail, a.entity, a.entity_id, a.field, a.old, a.new)
        .where(*where)
        .order_by(a.seq.desc())
        .limit(limit)
    )
    times = _UtcTimes()  # one transaction's entries share a time: each distinct value is read once
    rows = [
        AuditRow(seq, times[at], txn, who, source, detail, ent, eid, field, decode(old), decode(new))
        for seq, at, txn, who, source, detail, ent, eid, field, old, new in driver_rows(session, stmt)
    ]
    return in_words(session, rows)


def in_words(session: Session, rows: list[AuditRow]) -> list[AuditRow]:
    """The rows with their item, source, change and values in words, the names read for these rows only."""
    names = Names(session, rows)
    sources: dict[tuple[str, str], str] = {}
    out = []
    for r in rows:
        where = sources.get((r.source, r.detail))
        if where is None:
            where = sources[(r.source, r.detail)] = source_words(r.source, r.detail)
        refs = targets(kind) if (kind := KINDS.get(r.entity)) else {}
        out.append(
            r._replace(
                item=names.of(r),
                source_text=where,
                change=change_words(r, names),
                old_text=value_words(r.field, r.old, names, refs),
                new_text=value_words(r.field, r.new, names, refs),
            )
        )
    return out


class _UtcTimes(dict[Any, datetime]):
    """A driver's timestamp (ISO text on SQLite, a datetime on PostgreSQL) -> an aware UTC datetime,
    as the column's own type would give it (a time stored without an offset is UTC)."""

    def __missing__(self, value: Any) -> datetime:
        at = datetime.fromisoformat(value) if isinstance(value, str) else value
        at = at.replace(tzinfo=UTC) if at.utcoffset() is None else at.astimezone(UTC)
        self[value] = at
        return at


def _utc(since: date | datetime) -> datetime:
    """An aware UTC bound for the log's times: a date means from its midnight UTC, a naive time is UTC."""
    if not isinstance(since, datetime):
        return datetime(since.year, since.month, since.day, tzinfo=UTC)
    if since.tzinfo is None:
        return since.replace(tzinfo=UTC)
    return since.astimezone(UTC)
