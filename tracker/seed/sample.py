"""Sample progress: give a freshly seeded plan a believable history, marked SAMPLE everywhere it is shown.

Quarterly periods across the plan (all closed but the last), a story per objective (see
:mod:`tracker.seed.story`), milestones, risks and inspection progress notes, all drawn from
``random.Random(seed)`` so the same seed gives the same plan. No wall clock: ``today`` (if given)
is the as-at date, otherwise the plan's last day.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from tracker.db import Actor
from tracker.enums import Lifecycle, PeriodStatus, Rag
from tracker.errors import ServiceError
from tracker.models import (
    Board,
    Inspection,
    Milestone,
    Objective,
    Outcome,
    PeriodReport,
    Person,
    Plan,
    ProgressNote,
    Recommendation,
    RecommendationObjective,
    ReportingPeriod,
    Risk,
    StatusUpdate,
    Theme,
    reported_settings,
)
from tracker.seed.notes import extra_notes
from tracker.seed.phrases import board_phrase
from tracker.seed.risks import make_risk, theme_subject
from tracker.seed.story import Facts, Period, Story, drop_open_returns, quarters, tell
from tracker.seed.subject import subject_of
from tracker.services.base import Changes, unit_of_work

OPEN_MISSING_SHARE = 0.15


class IdMaker:
    """UUIDs drawn from a seeded generator: the same plan and seed give the same ids, other plans others."""

    def __init__(self, key: str):
        self._rng = random.Random(key)

    def __call__(self) -> str:
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))


def plan_periods(start: date, end: date, today: date | None) -> tuple[list[Period], date]:
    """The plan's quarters up to the one holding ``today`` (all when None), and the as-at date."""
    periods = quarters(start, end)
    if today is None:
        return periods, periods[-1].end
    if today < start:
        raise ServiceError(
            f"The plan starts on {start:%d %b %Y}, after {today:%d %b %Y}: there is no progress yet."
        )
    periods = [p for p in periods if p.start <= today]
    return periods, min(today, periods[-1].end)


RETURN_DAYS = 14  # leads' returns are due a fortnight after the period ends
RETURN_CONTACT = "EMSOU Strategic PMO, pmo@emsou.example"

# What the PMO told the board for the quarter the 2024 report to the audit panel describes (the
# seeds' progress report, paragraphs 8 to 10): words only, no figures, so they stay true to the data.
BOARD_REPORTS = {
    "2023/24 Q4": (
        "The Section 22 agreement has been reviewed and every Chief Constable of the five forces supports "
        "it: the cause of concern is proposed for closure.\n"
        "After the December workshops all forces agreed the funding proposals and the organisation of "
        "EMSOU capabilities from April 2024; a cross-force working group will develop a longer-term "
        "financial plan.\n"
        "A full review of all EMSOU capabilities, including the intelligence functions the inspection "
        "highlighted, has begun under a Chief Constable as Senior Responsible Officer.",
        "Note the progress against the HMICFRS causes of concern and recommendations, and those "
        "proposed for closure.\n"
        "Agree the terms of reference for the review of EMSOU capabilities.",
    ),
}


def report_rows(periods: Sequence[dict[str, Any]], ids: IdMaker) -> list[dict[str, Any]]:
    """The board reports of the sample's periods that have one."""
    return [
        {"id": ids(), "period_id": p["id"], "key_messages": BOARD_REPORTS[p["name"]][0],
         "decisions": BOARD_REPORTS[p["name"]][1]}
        for p in periods if p["name"] in BOARD_REPORTS
    ]  # fmt: skip


def period_rows(
    plan_id: str,
    periods: Sequence[Period],
    as_at: date,
    closed_by: str,
    rng: random.Random,
    ids: IdMaker,
    *,
    kept: str = "",
) -> list[dict[str, Any]]:
    """Every period closed a week or three after it ended, except the last, which is open; a closed one
    keeps ``kept``, the plan's settings it was reported with (``tracker.models.reported_settings``)."""
    rows = []
    latest = datetime.combine(as_at, time(18, 0), tzinfo=UTC)
    for n, p in enumerate(periods):
        is_open = n == len(periods) - 1
        closed_at = None
        if not is_open:
            closed_at = datetime.combine(p.end + timedelta(days=rng.randint(7, 21)), time(16, 0), tzinfo=UTC)
            closed_at = max(min(closed_at, latest), datetime.combine(p.end, time(18, 0), tzinfo=UTC))
        rows.append({"id": ids(), "plan_id": plan_id, "name": p.name, "start_date": p.start, "end_date": p.end,
                     "status": (PeriodStatus.OPEN if is_open else PeriodStatus.CLOSED).value,
                     "closed_at": closed_at, "closed_by": "" if is_open else closed_by,
                     "settings": "" if is_open else kept,
                     "return_by": p.end + timedelta(days=RETURN_DAYS), "return_contact": RETURN_CONTACT})  # fmt: skip
    return rows


def story_rows(
    story: Story, objective_id: str, period_ids: Sequence[str], ids: IdMaker
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A story's status updates and milestones as rows for ``bulk_create``."""
    updates = [
        {"id": ids(), "objective_id": objective_id, "period_id": period_ids[u["period"]], "rag": u["rag"],
         "lifecycle": u["lifecycle"], "progress_pct": u["progress_pct"], "rationale": u["rationale"],
         "corrective_action": u["corrective_action"], "commentary": u["commentary"],
         "next_steps": u["next_steps"], "author": u["author"], "reported_at": u["reported_at"]}
        for u in story.updates
    ]  # fmt: skip
    milestones = [{"id": ids(), "objective_id": objective_id, **m} for m in story.milestones]
    return updates, milestones


@dataclass(frozen=True)
class _Obj:
    id: str
    ref: str
    title: str
    theme_id: str
    lead_id: str | None
    lead_name: str | None
    board_name: str | None
    start: date | None
    target: date | None


def add_sample_progress(
    session: Session, *, actor: Actor, seed: int = 2021, today: date | None = None
) -> Changes:
    """Fill the store's plan with a deterministic sample history and mark it as a sample."""
    plan = session.execute(select(Plan).where(col(Plan.deleted).is_(False)).limit(1)).scalar()
    if plan is None:
        raise ServiceError("There is no plan in this store to add sample progress to.")
    _refuse_if_reported(session, plan.id)
    periods, as_at = plan_periods(plan.start_date, plan.end_date, today)
    rng = random.Random(seed)
    ids = IdMaker(f"{plan.id}:{seed}")
    objs = _objectives(session, plan.id)
    people = list(
        session.execute(
            select(col(Person.id))
            .where(col(Person.deleted).is_(False))
            .order_by(col(Person.name), col(Person.id))
        ).scalars()
    )

    inspected, inspection, named = _inspection(session, plan)
    periods_out = period_rows(plan.id, periods, as_at, actor.name, rng, ids, kept=reported_settings(plan))
    period_ids = [p["id"] for p in periods_out]
    stories = []
    for o in objs:
        others = tuple(rng.sample([p for p in people if p != o.lead_id], min(2, max(0, len(people) - 1))))
        facts = Facts(
            ref=o.ref, subject=subject_of(o.title, f"objective {o.ref}"), author=o.lead_name or actor.name,
            board=board_phrase(o.board_name or ""), start=o.start or plan.start_date,
            target=o.target or plan.end_date, owners=((o.lead_id,) if o.lead_id else ()) + others,
            inspected=inspected, inspection=inspection, named=o.id in named,
        )  # fmt: skip
        stories.append(tell(facts, periods, as_at, random.Random(f"{seed}:{o.ref}")))
    drop_open_returns(stories, len(periods) - 1, rng, OPEN_MISSING_SHARE)

    updates: list[dict[str, Any]] = []
    milestones: list[dict[str, Any]] = []
    for o, story in zip(objs, stories, strict=True):
        u, m = story_rows(story, o.id, period_ids, ids)
        updates += u
        milestones += m
    risks = _risks(session, plan, objs, stories, as_at, rng, ids)
    notes = _notes(session, plan.id, as_at, actor, rng, ids)

    uow = unit_of_work(session, actor)
    uow.update(plan, {"is_sample": True})
    uow.bulk_create(ReportingPeriod, periods_out)
    uow.bulk_create(PeriodReport, report_rows(periods_out, ids))
    uow.bulk_create(StatusUpdate, updates)
    uow.bulk_create(Milestone, milestones)
    uow.bulk_create(Risk, risks)
    uow.bulk_create(ProgressNote, notes)
    rows = {
        r.id: r for r in session.execute(select(Objective).where(col(Objective.plan_id) == plan.id)).scalars()
    }
    for o, story in zip(objs, stories, strict=True):
        lifecycle, rag, pct = story.current()
        uow.update(rows[o.id], {"lifecycle": lifecycle, "rag": rag, "progress_pct": pct})
    return uow.changes(
        f"Added sample progress to {plan.name!r} (seed {seed}, as at {as_at:%d %b %Y}): {len(periods_out)} periods, "
        f"{len(updates)} status updates, {len(milestones)} milestones, {len(risks)} risks, {len(notes)} progress notes"
    )


def _refuse_if_reported(session: Session, plan_id: str) -> None:
    periods = session.execute(
        select(func.count()).select_from(ReportingPeriod).where(col(ReportingPeriod.plan_id) == plan_id)
    ).scalar_one()
    milestones = session.execute(
        select(func.count()).select_from(Milestone).join(Objective).where(col(Objective.plan_id) == plan_id)
    ).scalar_one()
    risks = session.execute(
        select(func.count()).select_from(Risk).where(col(Risk.plan_id) == plan_id)
    ).scalar_one()
    if periods or milestones or risks:
        raise ServiceError(
            "Sample progress goes only into a plan with no reporting periods, milestones or risks yet; "
            f"this one has {periods} periods, {milestones} milestones and {risks} risks. Nothing was added."
        )


def _inspection(session: Session, plan: Plan) -> tuple[date | None, str, set[str]]:
    """The plan's first inspection published during it, in words, and the objectives its items name.

    Work still running when it reports is often widened by its findings (see :mod:`tracker.seed.story`).
    """
    found = session.execute(
        select(col(Inspection.id), col(Inspection.body), col(Inspection.published_date))
        .where(col(Inspection.plan_id) == plan.id, col(Inspection.deleted).is_(False),
               col(Inspection.published_date) >= plan.start_date, col(Inspection.published_date) <= plan.end_date)
        .order_by(col(Inspection.published_date), col(Inspection.id))
        .limit(1)
    ).first()  # fmt: skip
    if found is None:
        return None, "", set()
    named = set(
        session.execute(
            select(col(RecommendationObjective.objective_id))
            .join(Recommendation, col(RecommendationObjective.recommendation_id) == col(Recommendation.id))
            .where(col(Recommendation.inspection_id) == found.id, col(Recommendation.deleted).is_(False),
                   col(RecommendationObjective.deleted).is_(False))
        ).scalars()
    )  # fmt: skip
    return found.published_date, f"the {found.body} inspection ({found.published_date:%B %Y})", named


def _objectives(session: Session, plan_id: str) -> list[_Obj]:
    q = (
        select(col(Objective.id), col(Objective.ref), col(Objective.title), col(Theme.id), col(Objective.lead_id),
               col(Person.name), col(Board.name), col(Objective.start_date), col(Objective.target_date))
        .join(Outcome, col(Objective.outcome_id) == col(Outcome.id))
        .join(Theme, col(Outcome.theme_id) == col(Theme.id))
        .outerjoin(Person, col(Objective.lead_id) == col(Person.id))
        .outerjoin(Board, col(Objective.board_id) == col(Board.id))
        .where(col(Objective.plan_id) == plan_id, col(Objective.deleted).is_(False))
        .order_by(col(Theme.ordinal), col(Outcome.ordinal), col(Objective.ordinal), col(Objective.ref))
    )  # fmt: skip
    return [_Obj(*row) for row in session.execute(q).all()]


def _risks(
    session: Session, plan: Plan, objs: Sequence[_Obj], stories: Sequence[Story], as_at: date,
    rng: random.Random, ids: IdMaker,
) -> list[dict[str, Any]]:  # fmt: skip
    """About one risk per three objectives, one per theme for up to four themes, about a third of the open ones above appetite."""
    themes = session.execute(
        select(col(Theme.id), col(Theme.name))
        .where(col(Theme.plan_id) == plan.id, col(Theme.deleted).is_(False))
        .order_by(col(Theme.ordinal))
    ).all()
    homes: list[tuple[_Obj | None, tuple[str, str] | None, Story | None]] = []
    for n in sorted(rng.sample(range(len(objs)), round(len(objs) / 3))):
        homes.append((objs[n], None, stories[n]))
    for row in sorted(rng.sample(list(themes), min(4, len(themes))), key=themes.index):
        homes.append((None, (row[0], row[1]), None))
    closed = [
        s is not None and s.current()[0] in (Lifecycle.COMPLETE, Lifecycle.CANCELLED) and rng.random() < 0.8
        for _, _, s in homes
    ]
    open_ones = [i for i, c in enumerate(closed) if not c]
    troubled = [
        i
        for i in open_ones
        if (story := homes[i][2]) is not None and story.current()[1] in (Rag.AMBER, Rag.RED)
    ]
    want = max(2, round(0.3 * len(open_ones))) if len(homes) >= 4 else 0
    above = set(troubled[:want]) if len(troubled) >= want else set(troubled)
    above |= set(
        rng.sample(
            [i for i in open_ones if i not in above], min(want - len(above), len(open_ones) - len(above))
        )
    )
    leads_by_theme = _theme_leads(objs)
    rows = []
    for n, (obj, theme, _story) in enumerate(homes):
        if obj is not None:
            subject, owner = subject_of(obj.title, f"objective {obj.ref}"), obj.lead_id
            home: tuple[str | None, str | None] = (obj.id, None)  # (objective id, theme id)
        else:
            assert theme is not None  # every home is an objective or else a theme (see above)
            subject, owner = theme_subject(theme[1]), leads_by_theme.get(theme[0])
            home = (None, theme[0])
        risk = make_risk(rng, subject=subject, theme_level=obj is None, as_at=as_at,
                         appetite=plan.risk_appetite, above=n in above, closed=closed[n])  # fmt: skip
        rows.append({"id": ids(), "plan_id": plan.id, "ref": f"R-{n + 1:03d}", "owner_id": owner,
                     "objective_id": home[0], "theme_id": home[1], **risk})  # fmt: skip
    return rows


def _theme_leads(objs: Sequence[_Obj]) -> dict[str, str]:
    """Each theme's most frequent lead (first in plan order on a tie): the natural owner of a theme risk."""
    counts: dict[str, dict[str, int]] = {}
    for o in objs:
        if o.lead_id:
            per = counts.setdefault(o.theme_id, {})
            per[o.lead_id] = per.get(o.lead_id, 0) + 1
    return {t: max(per, key=lambda k: per[k]) for t, per in counts.items()}


def _notes(
    session: Session, plan_id: str, as_at: date, actor: Actor, rng: random.Random, ids: IdMaker
) -> list[dict[str, Any]]:
    items = session.execute(
        select(col(Recommendation.id), col(Recommendation.status), col(Recommendation.due_date), col(Person.name),
               col(Inspection.published_date))
        .join(Inspection, col(Recommendation.inspection_id) == col(Inspection.id))
        .outerjoin(Person, col(Recommendation.owner_id) == col(Person.id))
        .where(col(Inspection.plan_id) == plan_id, col(Recommendation.deleted).is_(False),
               col(Inspection.deleted).is_(False))
        .order_by(col(Inspection.published_date), col(Recommendation.ref))
    ).all()  # fmt: skip
    existing: dict[str, list[date]] = {}
    for rec_id, day in session.execute(
        select(col(ProgressNote.recommendation_id), col(ProgressNote.note_date)).where(
            col(ProgressNote.deleted).is_(False)
        )
    ).all():
        existing.setdefault(rec_id, []).append(day)
    linked: dict[str, list[str]] = {}
    for rec_id, ref in session.execute(
        select(col(RecommendationObjective.recommendation_id), col(Objective.ref))
        .join(Objective, col(RecommendationObjective.objective_id) == col(Objective.id))
        .where(col(RecommendationObjective.deleted).is_(False))
        .order_by(col(Objective.ref))
    ).all():
        linked.setdefault(rec_id, []).append(ref)
    rows = []
    for rec_id, status, due, owner, published in items:
        for day, text in extra_notes(rng, status=status, objectives=linked.get(rec_id, []),
                                     due=due, published=published, existing=existing.get(rec_id, []), as_at=as_at):  # fmt: skip
            rows.append({"id": ids(), "recommendation_id": rec_id, "note_date": day, "text": text,
                         "author": owner or actor.name})  # fmt: skip
    return rows
