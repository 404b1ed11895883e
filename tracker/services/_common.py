"""Small helpers the services share: input as a mapping, partial updates, reference checks, labels."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlmodel import Session, select

from tracker.db import Actor
from tracker.enums import Role
from tracker.errors import NotPermitted, Problem, ValidationError
from tracker.models import (
    KIND_OF,
    Editable,
    Milestone,
    Objective,
    Outcome,
    Person,
    Plan,
    ProgressNote,
    Recommendation,
    ReportingPeriod,
    Risk,
    StatusUpdate,
    Theme,
)
from tracker.schemas import InputModel
from tracker.services.base import UnitOfWork, validate

S = TypeVar("S", bound=InputModel)


def as_changes(data: Mapping[str, Any] | BaseModel | None) -> dict[str, Any]:
    """The fields a caller gave: a mapping as is, a model's explicitly set fields."""
    if data is None:
        return {}
    if isinstance(data, BaseModel):
        return data.model_dump(exclude_unset=True)
    return dict(data)


def fail_if(problems: Iterable[Problem | None]) -> None:
    found = [p for p in problems if p is not None]
    if found:
        raise ValidationError(found)


def check_revision(uow: UnitOfWork, row: Editable, expected_revision: int | None) -> None:
    """Refuse (ConflictError) before validating when the caller's copy is stale: reload comes first."""
    if expected_revision is not None:
        uow.update(row, {}, expected_revision=expected_revision)


def merged(
    schema: type[S], row: Editable, changes: Mapping[str, Any], *, context: Mapping[str, Any] | None = None
) -> S:
    """Validate the changed fields merged over the row's current values."""
    return validate(schema, {**schema.from_row(row), **changes}, context=context)


def changed_values(valid: InputModel, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The validated values of just the fields the caller changed (untouched fields are not rewritten)."""
    return {k: v for k, v in valid.to_row().items() if k in changes}


def update_from(
    uow: UnitOfWork,
    row: Editable,
    schema: type[S],
    changes: Mapping[str, Any],
    *,
    expected_revision: int | None,
    checks: Any = None,
) -> list[str]:
    """A partial update: stale copy refused, merged input validated, rules checked, changed fields written.

    ``checks(valid)`` returns the database-dependent problems (references, uniqueness).
    """
    check_revision(uow, row, expected_revision)
    valid = merged(schema, row, changes)
    if checks is not None:
        fail_if(checks(valid))
    return uow.update(row, changed_values(valid, changes))


def set_deleted(uow: UnitOfWork, row: Editable, deleted: bool, expected_revision: int | None = None) -> bool:
    return bool(uow.update(row, {"deleted": deleted}, expected_revision=expected_revision))


# ---------------------------------------------------------------------------------------------- references


def exists_problem(
    uow: UnitOfWork, cls: type[Editable], row_id: str | None, field: str, *, required: bool = True
) -> Problem | None:
    """A problem when the id names no live row (or is missing and required)."""
    what = KIND_OF[cls].label
    if not row_id:
        return Problem(field, f"{field.replace('_', ' ')}: choose the {what}") if required else None
    row = uow.session.get(cls, row_id)
    if row is None or row.deleted:
        return Problem(field, f"{field.replace('_', ' ')}: the chosen {what} no longer exists")
    return None


def person_problem(
    uow: UnitOfWork, person_id: str | None, field: str, *, current: str | None = None
) -> Problem | None:
    """The person must exist; a newly chosen one must also be active (an existing choice may stay)."""
    if not person_id:
        return None
    missing = exists_problem(uow, Person, person_id, field)
    if missing is not None:
        return missing
    person = uow.session.get(Person, person_id)
    if person is not None and not person.active and person_id != current:
        return Problem(
            field, f"{field.replace('_', ' ')}: {person.name} is inactive; choose an active person"
        )
    return None


def retired_since(session: Session, objective: Objective) -> date | None:
    """When the objective left the plan: its own retirement, or its outcome's or theme's, the earliest."""
    outcome = session.get(Outcome, objective.outcome_id)
    theme = session.get(Theme, outcome.theme_id) if outcome is not None else None
    days = [
        d
        for d in (
            objective.retired_on,
            getattr(outcome, "retired_on", None),
            getattr(theme, "retired_on", None),
        )
        if d
    ]
    return min(days) if days else None


def resolve_plan(uow: UnitOfWork, plan_id: str | None) -> Plan:
    """The plan named, or the store's only plan when none is named."""
    if plan_id:
        return uow.get(Plan, plan_id)
    plans = uow.session.exec(select(Plan).where(Plan.deleted == False).limit(2)).all()  # noqa: E712
    if len(plans) != 1:
        what = "no plan" if not plans else "more than one plan"
        raise ValidationError(Problem("plan_id", f"plan id: the store holds {what}; say which plan"))
    return plans[0]


# ---------------------------------------------------------------------------------------------- labels


def describe(session: Session, entity: str, row: Editable) -> str:
    """An item in words, for messages: 'milestone “Train staff”', 'risk R-004', 'status update for ...'."""
    word = entity.replace("_", " ")
    if isinstance(row, StatusUpdate):
        objective = session.get(Objective, row.objective_id)
        period = session.get(ReportingPeriod, row.period_id)
        return (
            f"the status update for {objective.ref if objective else '?'} in {period.name if period else '?'}"
        )
    if isinstance(row, Recommendation):
        return f"{row.kind} {row.ref}"
    if isinstance(row, ProgressNote):
        return f"the progress note of {row.note_date:%d %b %Y}"
    if isinstance(row, Objective | Risk):
        return f"{word} {row.ref}"
    if isinstance(row, Milestone):
        return f"milestone “{row.title}”"
    for attr in ("name", "title"):
        value = getattr(row, attr, None)
        if value:
            return f"{word} “{_clip(str(value))}”"
    return f"a {word}"


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def require_pmo(actor: Actor, doing: str) -> None:
    """Refuse unless the actor works as the PMO: ``doing`` says what, as in "add an objective"."""
    if actor.role != Role.PMO:
        raise NotPermitted(
            f"Only the PMO can {doing}: you are working as {Role(actor.role).label} ({actor.name}). "
            "Ask the programme office to make this change."
        )
