"""Inspections, their recommendations, and the dated progress notes recorded against them.

Status rules are in :class:`tracker.schemas.RecommendationIn`. When the status changes and no
closed date is given, the closed date follows: today on closing, cleared on any other status.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session, func, select

from tracker.db import Actor
from tracker.errors import Problem
from tracker.models import Inspection, ProgressNote, Recommendation
from tracker.schemas import InspectionIn, ProgressNoteIn, RecommendationIn
from tracker.services._common import (
    as_changes,
    exists_problem,
    fail_if,
    person_problem,
    resolve_plan,
    set_deleted,
    update_from,
)
from tracker.services.base import Changes, UnitOfWork, unit_of_work, validate
from tracker.services.permissions import require_may_write, require_pmo_here
from tracker.services.returns import ReturnedItem

# ---------------------------------------------------------------------------------------------- inspections


def create_inspection(
    session: Session, *, actor: Actor, data: InspectionIn | Mapping[str, Any], plan_id: str | None = None
) -> Changes:
    require_pmo_here(session, actor, "add an inspection")
    uow = unit_of_work(session, actor)
    plan = resolve_plan(uow, plan_id)
    valid = validate(InspectionIn, as_changes(data))
    row = uow.create(Inspection, plan_id=plan.id, **valid.to_row())
    return uow.changes(f"Added the {row.body} inspection “{row.title}”")


def update_inspection(
    session: Session,
    *,
    actor: Actor,
    inspection_id: str,
    changes: Mapping[str, Any],
    expected_revision: int | None = None,
) -> Changes:
    uow = unit_of_work(session, actor)
    row = uow.get(Inspection, inspection_id)
    require_pmo_here(session, actor, "change an inspection")
    update_from(uow, row, InspectionIn, as_changes(changes), expected_revision=expected_revision)
    return uow.changes(f"Changed the inspection “{row.title}”")


def delete_inspection(
    session: Session, *, actor: Actor, inspection_id: str, expected_revision: int | None = None
) -> Changes:
    """Remove an inspection; its recommendations stay with it and come back if it is restored."""
    uow = unit_of_work(session, actor)
    row = uow.get(Inspection, inspection_id)
    require_pmo_here(session, actor, "remove an inspection")
    set_deleted(uow, row, True, expected_revision)
    return uow.changes(f"Removed the inspection “{row.title}”")


def restore_inspection(session: Session, *, actor: Actor, inspection_id: str) -> Changes:
    uow = unit_of_work(session, actor)
    row = uow.get(Inspection, inspection_id, allow_deleted=True)
    require_pmo_here(session, actor, "restore an inspection")
    if not row.deleted:
        return Changes(summary=f"The inspection “{row.title}” is not deleted")
    uow.restore(row)
    return uow.changes(f"Restored the inspection “{row.title}”")


# ---------------------------------------------------------------------------------------------- recommendations


def create_recommendation(
    session: Session, *, actor: Actor, data: RecommendationIn | Mapping[str, Any]
) -> Changes:
    uow = unit_of_work(session, actor)
    require_pmo_here(session, actor, "add a recommendation")
    valid = validate(RecommendationIn, as_changes(data))
    fail_if(_problems(uow, valid, own_id=None, current_owner=None))
    row = uow.create(Recommendation, **valid.to_row())
    return uow.changes(f"Added {row.kind} {row.ref}")


def update_recommendation(
    session: Session,
    *,
    actor: Actor,
    recommendation_id: str,
    changes: Mapping[str, Any],
    expected_revision: int | None = None,
) -> Changes:
    uow = unit_of_work(session, actor)
    row = uow.get(Recommendation, recommendation_id)
    require_may_write(session, actor, row, f"change {row.kind} {row.ref}")
    changes = as_changes(changes)
    if "status" in changes and "closed_date" not in changes and changes["status"] != row.status:
        changes["closed_date"] = None  # validation sets today when the new status is closed
    owner = row.owner_id
    changed = update_from(
        uow,
        row,
        RecommendationIn,
        changes,
        expected_revision=expected_revision,
        checks=lambda valid: _problems(uow, valid, own_id=row.id, current_owner=owner),
    )
    require_may_write(session, actor, row, f"give {row.kind} {row.ref} to an owner who is not you")
    if "status" in changed:
        return uow.changes(f"{row.kind.capitalize()} {row.ref} is now {row.status}")
    what = ", ".join(c.replace("_", " ") for c in changed) or "nothing"
    return uow.changes(f"Changed {row.kind} {row.ref}: {what}")


def delete_recommendation(
    session: Session, *, actor: Actor, recommendation_id: str, expected_revision: int | None = None
) -> Changes:
    uow = unit_of_work(session, actor)
    row = uow.get(Recommendation, recommendation_id)
    require_pmo_here(session, actor, "remove a recommendation")
    set_deleted(uow, row, True, expected_revision)
    return uow.changes(f"Removed {row.kind} {row.ref}")


def restore_recommendation(session: Session, *, actor: Actor, recommendation_id: str) -> Changes:
    uow = unit_of_work(session, actor)
    row = uow.get(Recommendation, recommendation_id, allow_deleted=True)
    require_pmo_here(session, actor, "restore a recommendation")
    if not row.deleted:
        return Changes(summary=f"{row.kind.capitalize()} {row.ref} is not deleted")
    fail_if(
        [
            exists_problem(uow, Inspection, row.inspection_id, "inspection_id"),
            _ref_problem(uow, row.inspection_id, row.ref, row.id),
        ]
    )
    uow.restore(row)
    return uow.changes(f"Restored {row.kind} {row.ref}")


def _problems(
    uow: UnitOfWork, valid: RecommendationIn, *, own_id: str | None, current_owner: str | None
) -> list[Problem | None]:
    return [
        exists_problem(uow, Inspection, valid.inspection_id, "inspection_id"),
        person_problem(uow, valid.owner_id, "owner_id", current=current_owner),
        _ref_problem(uow, valid.inspection_id, valid.ref, own_id),
    ]


def _ref_problem(uow: UnitOfWork, inspection_id: str, ref: str, own_id: str | None) -> Problem | None:
    clash = uow.session.exec(
        select(func.count())
        .select_from(Recommendation)
        .where(
            Recommendation.inspection_id == inspection_id,
            Recommendation.deleted == False,  # noqa: E712
            Recommendation.id != (own_id or ""),
            func.lower(Recommendation.ref) == ref.lower(),
        )
    ).one()
    return Problem("ref", f"ref: this inspection already has an item {ref}") if clash else None


def write_returned_recommendation(session: Session, actor: Actor, item: ReturnedItem) -> Changes:
    """A recommendation's fields from a period return; its "note" becomes a progress note by the lead."""
    fields = dict(item.fields)
    note = fields.pop("note", None)
    out = Changes()
    if fields:
        out = update_recommendation(
            session,
            actor=actor,
            recommendation_id=item.item_id,
            changes=fields,
            expected_revision=item.revision,
        )
    if note:
        out = out.merge(
            add_progress_note(
                session,
                actor=actor,
                recommendation_id=item.item_id,
                data={"text": note, "author": item.lead_name},
            )
        )
    return out


# ---------------------------------------------------------------------------------------------- progress notes


def add_progress_note(
    session: Session, *, actor: Actor, recommendation_id: str, data: ProgressNoteIn | Mapping[str, Any]
) -> Changes:
    """A dated note of progress on a recommendation (author: the person making it, unless given)."""
    uow = unit_of_work(session, actor)
    rec = uow.get(Recommendation, recommendation_id)
    require_may_write(session, actor, rec, f"note progress on {rec.kind} {rec.ref}")
    valid = validate(ProgressNoteIn, as_changes(data))
    values = valid.to_row()
    values["author"] = valid.author or actor.name
    uow.create(ProgressNote, recommendation_id=rec.id, **values)
    return uow.changes(f"Noted progress on {rec.kind} {rec.ref} ({valid.note_date:%d %b %Y})")


def update_progress_note(
    session: Session,
    *,
    actor: Actor,
    note_id: str,
    changes: Mapping[str, Any],
    expected_revision: int | None = None,
) -> Changes:
    uow = unit_of_work(session, actor)
    row = uow.get(ProgressNote, note_id, what="progress note")
    require_may_write(session, actor, row, "change this progress note")
    update_from(uow, row, ProgressNoteIn, as_changes(changes), expected_revision=expected_revision)
    return uow.changes(f"Changed the progress note of {row.note_date:%d %b %Y}")


def delete_progress_note(
    session: Session, *, actor: Actor, note_id: str, expected_revision: int | None = None
) -> Changes:
    uow = unit_of_work(session, actor)
    row = uow.get(ProgressNote, note_id, what="progress note")
    require_may_write(session, actor, row, "remove this progress note")
    set_deleted(uow, row, True, expected_revision)
    return uow.changes(f"Removed the progress note of {row.note_date:%d %b %Y}")


def restore_progress_note(session: Session, *, actor: Actor, note_id: str) -> Changes:
    uow = unit_of_work(session, actor)
    row = uow.get(ProgressNote, note_id, what="progress note", allow_deleted=True)
    if not row.deleted:
        return Changes(summary="That progress note is not deleted")
    require_may_write(session, actor, row, "restore this progress note")
    fail_if([exists_problem(uow, Recommendation, row.recommendation_id, "recommendation_id")])
    uow.restore(row)
    return uow.changes(f"Restored the progress note of {row.note_date:%d %b %Y}")
