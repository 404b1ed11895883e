"""People: add, change, deactivate, remove (only when nothing depends on them) and restore."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session, func, select

from tracker.db import Actor
from tracker.enums import OPEN_RECOMMENDATION_STATUSES, RiskStatus
from tracker.errors import Problem, ValidationError
from tracker.models import Milestone, Objective, Person, Recommendation, Risk
from tracker.schemas import PersonIn
from tracker.services._common import as_changes, set_deleted, update_from
from tracker.services.base import Changes, unit_of_work, validate
from tracker.wording import listing, plural


def create_person(session: Session, *, actor: Actor, data: PersonIn | Mapping[str, Any]) -> Changes:
    uow = unit_of_work(session, actor)
    valid = validate(PersonIn, as_changes(data))
    row = uow.create(Person, **valid.to_row())
    return uow.changes(f"Added {row.name}")


def update_person(
    session: Session,
    *,
    actor: Actor,
    person_id: str,
    changes: Mapping[str, Any],
    expected_revision: int | None = None,
) -> Changes:
    """Change a person's details; ``{"active": False}`` is how someone who still owns items leaves."""
    uow = unit_of_work(session, actor)
    row = uow.get(Person, person_id)
    changed = update_from(uow, row, PersonIn, as_changes(changes), expected_revision=expected_revision)
    if changed == ["active"]:
        return uow.changes(f"{row.name} is now {'active' if row.active else 'inactive'}")
    what = ", ".join(c.replace("_", " ") for c in changed) or "nothing"
    return uow.changes(f"Changed {row.name}: {what}")


def delete_person(
    session: Session, *, actor: Actor, person_id: str, expected_revision: int | None = None
) -> Changes:
    """Remove a person who leads no objective and owns no open item; otherwise refuse and say what they hold."""
    uow = unit_of_work(session, actor)
    row = uow.get(Person, person_id)
    uow.update(row, {}, expected_revision=expected_revision)
    held = holdings(session, row.id)
    if held:
        raise ValidationError(
            Problem(
                "person",
                f"{row.name} cannot be removed: they {listing(held)}. "
                "Give those to someone else first, or mark the person inactive instead.",
            )
        )
    set_deleted(uow, row, True)
    return uow.changes(f"Removed {row.name}")


def restore_person(session: Session, *, actor: Actor, person_id: str) -> Changes:
    uow = unit_of_work(session, actor)
    row = uow.get(Person, person_id, allow_deleted=True)
    if not row.deleted:
        return Changes(summary=f"{row.name} is not deleted")
    uow.restore(row)
    return uow.changes(f"Restored {row.name}")


def holdings(session: Session, person_id: str) -> list[str]:
    """What a person leads or owns that is still live, in words ('lead 2 objectives', ...)."""
    live = False
    counts = [
        (
            "lead",
            "objective",
            select(func.count())
            .select_from(Objective)
            .where(Objective.lead_id == person_id, Objective.deleted == live),
        ),
        (
            "own",
            "open milestone",
            select(func.count())
            .select_from(Milestone)
            .where(
                Milestone.owner_id == person_id,
                Milestone.deleted == live,
                Milestone.completed_date == None,  # noqa: E711
            ),
        ),
        (
            "own",
            "open risk",
            select(func.count())
            .select_from(Risk)
            .where(Risk.owner_id == person_id, Risk.deleted == live, Risk.status == RiskStatus.OPEN.value),
        ),
        (
            "own",
            "open recommendation",
            select(func.count())
            .select_from(Recommendation)
            .where(
                Recommendation.owner_id == person_id,
                Recommendation.deleted == live,
                Recommendation.status.in_([s.value for s in OPEN_RECOMMENDATION_STATUSES]),  # type: ignore[attr-defined]
            ),
        ),
    ]
    found: list[str] = []
    for verb, noun, query in counts:
        n = session.exec(query).one()
        if n:
            found.append(f"{verb} {plural(n, noun)}")
    return found
