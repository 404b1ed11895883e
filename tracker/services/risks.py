"""Risks: add, re-score and change, remove and restore.

A risk belongs to one objective or one theme, in one plan; its reference is unique in the plan
(ignoring case) and, when none is given, is the next free ``R-nnn``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session, func, select

from tracker.db import Actor
from tracker.errors import Problem, ValidationError
from tracker.models import Objective, Risk, Theme
from tracker.schemas import RiskIn
from tracker.services._common import (
    as_changes,
    changed_values,
    check_revision,
    exists_problem,
    fail_if,
    merged,
    person_problem,
    set_deleted,
)
from tracker.services.base import Changes, UnitOfWork, unit_of_work, validate
from tracker.services.permissions import require_may_write


def create_risk(session: Session, *, actor: Actor, data: RiskIn | Mapping[str, Any]) -> Changes:
    uow = unit_of_work(session, actor)
    valid = validate(RiskIn, as_changes(data))
    plan_id = _plan_of(uow, valid)
    fail_if([person_problem(uow, valid.owner_id, "owner_id"), _ref_problem(uow, plan_id, valid.ref, None)])
    values = valid.to_row()
    require_may_write(session, actor, Risk(**values), "add a risk that is not yours")
    values["ref"] = valid.ref or _next_ref(session, plan_id)
    row = uow.create(Risk, plan_id=plan_id, **values)
    return uow.changes(f"Added risk {row.ref}: {row.title}")


def update_risk(
    session: Session,
    *,
    actor: Actor,
    risk_id: str,
    changes: Mapping[str, Any],
    expected_revision: int | None = None,
) -> Changes:
    uow = unit_of_work(session, actor)
    row = uow.get(Risk, risk_id)
    require_may_write(session, actor, row, "change this risk")
    check_revision(uow, row, expected_revision)
    changes = as_changes(changes)
    valid = merged(RiskIn, row, changes)
    plan_id = _plan_of(uow, valid)
    problems = [
        person_problem(uow, valid.owner_id, "owner_id", current=row.owner_id),
        _ref_problem(uow, row.plan_id, valid.ref, row.id)
        if valid.ref
        else Problem("ref", "ref must not be empty"),
    ]
    if plan_id != row.plan_id:
        field = "objective_id" if valid.objective_id else "theme_id"
        problems.append(Problem(field, f"{field.replace('_', ' ')}: a risk cannot move to another plan"))
    fail_if(problems)
    changed = uow.update(row, changed_values(valid, changes))
    require_may_write(session, actor, row, "give this risk to an objective or owner that is not yours")
    what = ", ".join(c.replace("_", " ") for c in changed) or "nothing"
    return uow.changes(f"Changed risk {row.ref}: {what}")


def delete_risk(
    session: Session, *, actor: Actor, risk_id: str, expected_revision: int | None = None
) -> Changes:
    uow = unit_of_work(session, actor)
    row = uow.get(Risk, risk_id)
    require_may_write(session, actor, row, "remove this risk")
    set_deleted(uow, row, True, expected_revision)
    return uow.changes(f"Removed risk {row.ref}: {row.title}")


def restore_risk(session: Session, *, actor: Actor, risk_id: str) -> Changes:
    uow = unit_of_work(session, actor)
    row = uow.get(Risk, risk_id, allow_deleted=True)
    if not row.deleted:
        return Changes(summary=f"Risk {row.ref} is not deleted")
    require_may_write(session, actor, row, "restore this risk")
    problems = [_ref_problem(uow, row.plan_id, row.ref, row.id)]
    if row.objective_id:
        problems.append(exists_problem(uow, Objective, row.objective_id, "objective_id"))
    if row.theme_id:
        problems.append(exists_problem(uow, Theme, row.theme_id, "theme_id"))
    fail_if(problems)
    uow.restore(row)
    return uow.changes(f"Restored risk {row.ref}: {row.title}")


def _plan_of(uow: UnitOfWork, valid: RiskIn) -> str:
    """The plan of the objective or theme the risk belongs to (refused when that does not exist)."""
    cls: type[Objective] | type[Theme]
    if valid.objective_id:
        field, cls = "objective_id", Objective
    else:
        field, cls = "theme_id", Theme
    row_id = getattr(valid, field)
    problem = exists_problem(uow, cls, row_id, field)
    if problem is not None:
        raise ValidationError(problem)
    return uow.session.get(cls, row_id).plan_id  # type: ignore[union-attr]


def _ref_problem(uow: UnitOfWork, plan_id: str, ref: str, own_id: str | None) -> Problem | None:
    if not ref:
        return None
    clash = uow.session.exec(
        select(func.count())
        .select_from(Risk)
        .where(
            Risk.plan_id == plan_id,
            Risk.deleted == False,  # noqa: E712
            Risk.id != (own_id or ""),
            func.lower(Risk.ref) == ref.lower(),
        )
    ).one()
    return Problem("ref", f"ref: the plan already has a risk {ref}") if clash else None


def _next_ref(session: Session, plan_id: str) -> str:
    taken = {r.lower() for r in session.exec(select(Risk.ref).where(Risk.plan_id == plan_id)).all()}
    n = len(taken) + 1
    while f"r-{n:03d}" in taken:
        n += 1
    return f"R-{n:03d}"
