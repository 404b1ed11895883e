"""Milestones: add, change (forecasts move, baselines are re-set on purpose), remove and restore."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session, func, select

from tracker.db import Actor
from tracker.errors import Problem
from tracker.models import Milestone, Objective
from tracker.schemas import MilestoneIn
from tracker.services._common import (
    as_changes,
    exists_problem,
    fail_if,
    person_problem,
    set_deleted,
    update_from,
)
from tracker.services.base import Changes, UnitOfWork, unit_of_work, validate
from tracker.services.permissions import require_may_write


def create_milestone(session: Session, *, actor: Actor, data: MilestoneIn | Mapping[str, Any]) -> Changes:
    uow = unit_of_work(session, actor)
    valid = validate(MilestoneIn, as_changes(data))
    fail_if(_problems(uow, valid, current=None))
    values = valid.to_row()
    require_may_write(session, actor, Milestone(**values), "add a milestone to this objective")
    if values["ordinal"] is None:
        values["ordinal"] = _next_ordinal(session, valid.objective_id)
    row = uow.create(Milestone, **values)
    return uow.changes(f"Added milestone “{row.title}” to {_ref(uow, row)}")


def update_milestone(
    session: Session,
    *,
    actor: Actor,
    milestone_id: str,
    changes: Mapping[str, Any],
    expected_revision: int | None = None,
) -> Changes:
    uow = unit_of_work(session, actor)
    row = uow.get(Milestone, milestone_id)
    require_may_write(session, actor, row, "change this milestone")
    owner = row.owner_id
    changed = update_from(
        uow,
        row,
        MilestoneIn,
        as_changes(changes),
        expected_revision=expected_revision,
        checks=lambda valid: _problems(uow, valid, current=owner),
    )
    require_may_write(session, actor, row, "give this milestone to an objective or owner that is not yours")
    what = ", ".join(c.replace("_", " ") for c in changed) or "nothing"
    return uow.changes(f"Changed milestone “{row.title}” of {_ref(uow, row)}: {what}")


def delete_milestone(
    session: Session, *, actor: Actor, milestone_id: str, expected_revision: int | None = None
) -> Changes:
    uow = unit_of_work(session, actor)
    row = uow.get(Milestone, milestone_id)
    require_may_write(session, actor, row, "remove this milestone")
    set_deleted(uow, row, True, expected_revision)
    return uow.changes(f"Removed milestone “{row.title}” from {_ref(uow, row)}")


def restore_milestone(session: Session, *, actor: Actor, milestone_id: str) -> Changes:
    uow = unit_of_work(session, actor)
    row = uow.get(Milestone, milestone_id, allow_deleted=True)
    if not row.deleted:
        return Changes(summary=f"Milestone “{row.title}” is not deleted")
    require_may_write(session, actor, row, "restore this milestone")
    fail_if([_parent_problem(uow, row.objective_id)])
    uow.restore(row)
    return uow.changes(f"Restored milestone “{row.title}” to {_ref(uow, row)}")


def _problems(uow: UnitOfWork, valid: MilestoneIn, *, current: str | None) -> list[Problem | None]:
    return [
        exists_problem(uow, Objective, valid.objective_id, "objective_id"),
        person_problem(uow, valid.owner_id, "owner_id", current=current),
    ]


def _parent_problem(uow: UnitOfWork, objective_id: str) -> Problem | None:
    problem = exists_problem(uow, Objective, objective_id, "objective_id")
    if problem is None:
        return None
    return Problem("objective_id", "its objective was removed: restore the objective first")


def _next_ordinal(session: Session, objective_id: str) -> int:
    top = session.exec(
        select(func.max(Milestone.ordinal)).where(Milestone.objective_id == objective_id)
    ).one()
    return 0 if top is None else top + 1


def _ref(uow: UnitOfWork, row: Milestone) -> str:
    objective = uow.session.get(Objective, row.objective_id)
    return objective.ref if objective is not None else "its objective"
