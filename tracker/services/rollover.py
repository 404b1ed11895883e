"""Next year's plan: a new store started from this one, carrying over what is still open.

The new store holds the plan's settings (under its new name and dates), its themes, outcomes,
people, boards and inspections, and the open objectives, milestones, risks and recommendations
with the links between them (completed and cancelled ones too when asked). Each carried item says
in words where it came from (``carried_from``: "EMSOU Strategy 2021/22 · SER-02.08"). No status
history, reporting periods, returns or progress notes are carried: the new plan starts with no
periods, and the PMO opens its first when reporting starts.

The new store is built whole (:func:`tracker.store.building_store`) in one audited transaction;
the old one records, in the same transaction as it is read, which plan replaced it (an audit note
on its plan and three ``store_meta`` keys), and from then on opens read-only, naming the new plan.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import delete
from sqlmodel import Session, col, select

from tracker.audit import SUPERSEDED
from tracker.db import Actor, StoreError
from tracker.enums import OPEN_RECOMMENDATION_STATUSES, Lifecycle, RiskStatus
from tracker.errors import Problem, ValidationError
from tracker.models import (
    Board,
    Editable,
    Inspection,
    Kind,
    Milestone,
    Objective,
    Outcome,
    Person,
    Plan,
    Recommendation,
    RecommendationMilestone,
    RecommendationObjective,
    RecommendationRisk,
    Risk,
    StoreMeta,
    Theme,
    new_id,
)
from tracker.schemas import NewPlanIn
from tracker.services._common import require_pmo
from tracker.services.base import BOOKKEEPING, Changes, unit_of_work, validate
from tracker.store import (
    SUPERSEDED_AT,
    SUPERSEDED_BY,
    SUPERSEDED_FILE,
    Store,
    building_store,
    superseded_words,
)
from tracker.wording import listing, plural

E = TypeVar("E", bound=Editable)
Report = Callable[[int, int, str], None]  # done, total, what: may raise to stop (a Cancel)

CLOSED_LIFECYCLES = frozenset({Lifecycle.COMPLETE, Lifecycle.CANCELLED})
SEP = " · "
CARRIED_MAX = 300  # the carried_from column's length
META_MAX = 200  # store_meta's value length


@dataclass
class Carried:
    """What a new plan takes from this one: rows as column values, with their old ids."""

    plan: dict[str, Any]
    themes: list[dict[str, Any]] = field(default_factory=list)
    outcomes: list[dict[str, Any]] = field(default_factory=list)
    people: list[dict[str, Any]] = field(default_factory=list)
    boards: list[dict[str, Any]] = field(default_factory=list)
    objectives: list[dict[str, Any]] = field(default_factory=list)
    milestones: list[dict[str, Any]] = field(default_factory=list)
    risks: list[dict[str, Any]] = field(default_factory=list)
    inspections: list[dict[str, Any]] = field(default_factory=list)
    recommendations: list[dict[str, Any]] = field(default_factory=list)
    links: dict[type[Editable], list[dict[str, Any]]] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {
            "objective": len(self.objectives),
            "milestone": len(self.milestones),
            "risk": len(self.risks),
            "recommendation": len(self.recommendations),
        }


@dataclass(frozen=True)
class RolledOver:
    """A new plan started from an old one: where, what it is called, and how many items it carried."""

    path: Path
    name: str
    old_name: str
    counts: dict[str, int]

    @property
    def summary(self) -> str:
        items = listing(plural(n, noun) for noun, n in self.counts.items())
        return f"Started {self.name!r} in {self.path}, carrying over {items} from {self.old_name!r}"


# ---------------------------------------------------------------------------------------------- the whole step


def roll_over(
    old: Store,
    out: str | os.PathLike[str],
    *,
    actor: Actor,
    name: str,
    start_date: Any,
    end_date: Any,
    include_closed: bool = False,
    report: Report | None = None,
) -> RolledOver:
    """Start a new plan at ``out`` from the plan in ``old``, and mark ``old`` as replaced by it.

    All or nothing: the new file appears only whole, and ``old`` is marked only once it has.
    """
    require_pmo(actor, "start a new plan")
    if old.superseded:
        raise StoreError(old.superseded)
    wanted = validate(NewPlanIn, {"name": name, "start_date": start_date, "end_date": end_date})
    target = Path(out).expanduser().absolute()
    if target.exists():
        raise StoreError(
            f"{target.name} already exists in {target.parent}: choose a new file name for the new plan."
        )
    step = report or (lambda _done, _total, _what: None)
    with old.write() as session:
        step(0, 3, "Reading the open items…")
        carried = read_carried(session, include_closed=include_closed)
        old_name = str(carried.plan["name"])
        if " ".join(wanted.name.split()).casefold() == " ".join(old_name.split()).casefold():
            raise ValidationError(
                Problem("name", f"name: the new plan needs a name of its own ({old_name!r} is this plan's)")
            )
        step(1, 3, f"Writing {target.name}…")
        with building_store(target) as new:
            with new.write() as new_session:
                carry_over(new_session, actor=actor, carried=carried, wanted=wanted)
            step(2, 3, f"Checking {target.name}…")
        mark_superseded(session, actor=actor, plan_name=wanted.name, file=target)
    # the open store is what the file now says: read-only, naming its successor (a window may hold it)
    shown = old.path.name if old.path is not None else old.display_name
    old.superseded = superseded_words({SUPERSEDED_BY: wanted.name, SUPERSEDED_FILE: str(target)}, shown)
    step(3, 3, "Done")
    return RolledOver(target, wanted.name, old_name, carried.counts())


# ---------------------------------------------------------------------------------------------- reading


def read_carried(session: Session, *, include_closed: bool = False) -> Carried:
    """What the live plan passes on: its settings and structure, and its open items (all, if asked)."""
    plan = session.exec(select(Plan).where(col(Plan.deleted).is_(False))).first()
    if plan is None:
        raise StoreError("This store holds no plan to carry over.")
    name = plan.name
    carried = Carried(plan=_values(plan))

    themes = {t.id: t for t in _live(session, Theme) if t.plan_id == plan.id}
    outcomes = {o.id: o for o in _live(session, Outcome) if o.theme_id in themes}
    every_objective = [
        o for o in _live(session, Objective) if o.plan_id == plan.id and o.outcome_id in outcomes
    ]
    objectives = [
        o for o in every_objective
        if o.retired_on is None
        and (include_closed or o.lifecycle not in CLOSED_LIFECYCLES)
    ]  # fmt: skip
    by_objective = {o.id: o for o in objectives}
    milestones = [
        m for m in _live(session, Milestone)
        if m.objective_id in by_objective and (include_closed or m.completed_date is None)
    ]  # fmt: skip
    risks = [
        r for r in _live(session, Risk)
        if r.plan_id == plan.id and (include_closed or r.status != RiskStatus.CLOSED)
    ]  # fmt: skip
    inspections = [i for i in _live(session, Inspection) if i.plan_id == plan.id]
    by_inspection = {i.id: i for i in inspections}
    recommendations = [
        r for r in _live(session, Recommendation)
        if r.inspection_id in by_inspection and (include_closed or r.status in OPEN_RECOMMENDATION_STATUSES)
    ]  # fmt: skip

    # a risk whose objective stays behind stays with that objective's theme
    objective_theme = {o.id: outcomes[o.outcome_id].theme_id for o in every_objective}
    needed_outcomes = {o.outcome_id for o in objectives}
    needed_themes = {outcomes[o].theme_id for o in needed_outcomes}

    def risk_theme(r: Risk) -> str | None:
        if r.objective_id in by_objective:
            return r.theme_id
        return r.theme_id or objective_theme.get(r.objective_id or "")

    needed_themes |= {t for r in risks if (t := risk_theme(r)) in themes}
    carried.themes = [_values(t) for t in themes.values() if t.retired_on is None or t.id in needed_themes]
    kept_themes = {t["id"] for t in carried.themes}
    carried.outcomes = [
        _values(o) for o in outcomes.values()
        if o.theme_id in kept_themes and (o.retired_on is None or o.id in needed_outcomes)
    ]  # fmt: skip
    carried.people = [_values(p) for p in _live(session, Person)]
    carried.boards = [_values(b) for b in _live(session, Board) if b.plan_id == plan.id]
    carried.inspections = [_values(i) for i in inspections]

    carried.objectives = [_values(o, carried_from=_from(name, o.ref)) for o in objectives]
    carried.milestones = [
        _values(m, carried_from=_from(name, by_objective[m.objective_id].ref, m.title)) for m in milestones
    ]
    carried.risks = []
    for r in risks:
        theme_id = risk_theme(r)
        carried.risks.append(
            _values(
                r,
                carried_from=_from(name, r.ref),
                objective_id=r.objective_id if r.objective_id in by_objective else None,
                theme_id=theme_id if theme_id in kept_themes else None,
            )
        )
    carried.recommendations = [
        _values(r, carried_from=_from(name, f"{by_inspection[r.inspection_id].body} {r.ref}"))
        for r in recommendations
    ]

    ends: dict[type[Editable], tuple[str, set[str]]] = {
        RecommendationObjective: ("objective_id", set(by_objective)),
        RecommendationMilestone: ("milestone_id", {m.id for m in milestones}),
        RecommendationRisk: ("risk_id", {r.id for r in risks}),
    }
    carried_recs = {r.id for r in recommendations}
    for cls, (column, kept) in ends.items():
        carried.links[cls] = [
            _values(link) for link in _live(session, cls)
            if link.recommendation_id in carried_recs and getattr(link, column) in kept  # type: ignore[attr-defined]
        ]  # fmt: skip
    return carried


def _live(session: Session, cls: type[E]) -> list[E]:
    return list(session.exec(select(cls).where(col(cls.deleted).is_(False))).all())


def _values(row: Editable, **extra: Any) -> dict[str, Any]:
    data = {k: v for k, v in row.model_dump().items() if k not in BOOKKEEPING - {"id"} and k != "deleted"}
    return data | extra


def _from(plan_name: str, *parts: str) -> str:
    """Where an item came from, in words that stay true: "EMSOU Strategy 2021/22 · SER-02.08"."""
    text = SEP.join((plan_name, *parts))
    return text if len(text) <= CARRIED_MAX else text[: CARRIED_MAX - 1] + "…"


# ---------------------------------------------------------------------------------------------- writing


def carry_over(session: Session, *, actor: Actor, carried: Carried, wanted: NewPlanIn) -> Changes:
    """Write the carried plan into an empty store, in the caller's transaction, every row audited."""
    require_pmo(actor, "start a new plan")
    if session.exec(select(Plan).where(col(Plan.deleted).is_(False))).first() is not None:
        raise StoreError("The new plan's file already holds a plan; nothing was added.")
    old_name = str(carried.plan["name"])
    uow = unit_of_work(session, replace(actor, detail=f"carried over from {old_name}"[:500]))
    ids: dict[str, str] = {}

    def fresh(rows: Iterable[dict[str, Any]], **refs: str | None) -> list[dict[str, Any]]:
        """The rows with new ids, and their references (column -> "") pointed at the new rows."""
        out = []
        for row in rows:
            ids[row["id"]] = new = new_id()
            values = dict(row, id=new)
            for column in refs:
                if values.get(column) is not None:
                    values[column] = ids.get(values[column])
            out.append(values)
        return out

    plan = fresh([carried.plan])
    plan[0].update(name=wanted.name, start_date=wanted.start_date, end_date=wanted.end_date)
    uow.bulk_create(Plan, plan)
    uow.bulk_create(Person, fresh(carried.people))
    uow.bulk_create(Board, fresh(carried.boards, plan_id=""))
    uow.bulk_create(Theme, fresh(carried.themes, plan_id=""))
    uow.bulk_create(Outcome, fresh(carried.outcomes, theme_id=""))
    uow.bulk_create(Objective, fresh(carried.objectives, plan_id="", outcome_id="", lead_id="", board_id=""))
    uow.bulk_create(Milestone, fresh(carried.milestones, objective_id="", owner_id=""))
    uow.bulk_create(Risk, fresh(carried.risks, plan_id="", owner_id="", objective_id="", theme_id=""))
    uow.bulk_create(Inspection, fresh(carried.inspections, plan_id=""))
    uow.bulk_create(Recommendation, fresh(carried.recommendations, inspection_id="", owner_id=""))
    for cls, links in carried.links.items():
        uow.bulk_create(cls, fresh(links, recommendation_id="", objective_id="", milestone_id="", risk_id=""))
    counts = listing(plural(n, noun) for noun, n in carried.counts().items())
    return uow.changes(f"Started the plan {wanted.name!r} from {old_name!r}, carrying over {counts}")


def mark_superseded(session: Session, *, actor: Actor, plan_name: str, file: Path) -> Changes:
    """Record in this store that ``plan_name`` in ``file`` replaced its plan: audited, and in store_meta."""
    require_pmo(actor, "start a new plan")
    plan = session.exec(select(Plan).where(col(Plan.deleted).is_(False))).first()
    if plan is None:
        raise StoreError("This store holds no plan to mark as replaced.")
    uow = unit_of_work(session, actor)
    where = str(file) if len(str(file)) <= META_MAX else file.name
    uow.audit.record(Kind.PLAN, plan.id, SUPERSEDED, None, f"{plan_name} ({where})")
    values = {SUPERSEDED_BY: plan_name[:META_MAX], SUPERSEDED_FILE: where, SUPERSEDED_AT: uow.at.isoformat()}
    session.execute(delete(StoreMeta).where(col(StoreMeta.key).in_(list(values))))
    session.add_all(StoreMeta(key=k, value=v) for k, v in values.items())
    return uow.changes(f"{plan.name!r} was carried over into {plan_name!r} ({where})")


__all__ = ["Carried", "RolledOver", "carry_over", "mark_superseded", "read_carried", "roll_over"]
