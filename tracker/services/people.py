"""People: add, change, deactivate, remove (only when nothing depends on them) and restore; the PMO only.

Handing a person's work to a successor is :mod:`tracker.services.handover`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session

from tracker.db import Actor
from tracker.errors import Problem, ValidationError
from tracker.models import Person
from tracker.schemas import PersonIn
from tracker.services._common import as_changes, require_pmo, set_deleted, update_from
from tracker.services.base import Changes, unit_of_work, validate


def create_person(session: Session, *, actor: Actor, data: PersonIn | Mapping[str, Any]) -> Changes:
    require_pmo(actor, "add a person")
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
    require_pmo(actor, "change a person's details")
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
    require_pmo(actor, "remove a person")
    uow = unit_of_work(session, actor)
    row = uow.get(Person, person_id)
    uow.update(row, {}, expected_revision=expected_revision)
    # the registry names the services, this among them, so the rule that reads it is imported here
    from tracker.services.holdings import held_counts, in_words

    held = in_words(held_counts(session, row.id))
    if held:
        raise ValidationError(
            Problem(
                "person",
                f"{row.name} cannot be removed: they {held}. "
                "Hand their work over to someone else first, or mark the person inactive instead.",
            )
        )
    set_deleted(uow, row, True)
    return uow.changes(f"Removed {row.name}")


def restore_person(session: Session, *, actor: Actor, person_id: str) -> Changes:
    require_pmo(actor, "restore a person")
    uow = unit_of_work(session, actor)
    row = uow.get(Person, person_id, allow_deleted=True)
    if not row.deleted:
        return Changes(summary=f"{row.name} is not deleted")
    uow.restore(row)
    return uow.changes(f"Restored {row.name}")
