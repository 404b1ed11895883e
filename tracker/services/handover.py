"""Hand over: everything a person leads or owns goes to a successor in one audited, undoable step.

What moves is what :mod:`tracker.services.holdings` says the person holds (the registry's
``Holding`` declarations), so a person who has handed over holds nothing and can be removed. Closed
items (completed milestones, closed risks and recommendations) stay with the person by default:
what a closed period reported stays attributed as it was. ``include_closed`` moves them too.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlmodel import Session, select

from tracker.db import Actor
from tracker.errors import ConflictError, Problem, ValidationError
from tracker.models import Person
from tracker.services._common import require_pmo
from tracker.services.base import Changes, UnitOfWork, unit_of_work
from tracker.services.holdings import HELD, held_where
from tracker.wording import listing, plural


def hand_over(
    session: Session,
    *,
    actor: Actor,
    from_person_id: str,
    to_person_id: str,
    include_closed: bool = False,
    expected_ids: Collection[str] | None = None,
    deactivate: bool = False,
) -> Changes:
    """Make ``to_person_id`` the lead or owner of every item ``from_person_id`` holds (open ones unless
    ``include_closed``); refuse when there is no one suitable to take them or nothing to move.

    ``expected_ids``: the items a preview showed; if what the person holds has changed since, refuse
    (a conflict) rather than move what the PMO did not see. ``deactivate``: the person is leaving, so
    they are also marked inactive in the same step (Undo brings both back).
    """
    require_pmo(actor, "hand over a person's work")
    uow = unit_of_work(session, actor)
    leaving = uow.get(Person, from_person_id, what="person handing over")
    successor = _successor(uow, leaving, to_person_id)
    held = [
        session.exec(
            select(entity.table).where(
                *held_where(entity, holding, [leaving.id], include_closed=include_closed)
            )
        ).all()
        for entity, holding in HELD
    ]
    if expected_ids is not None and {row.id for rows in held for row in rows} != set(expected_ids):
        raise ConflictError(
            f"What {leaving.name} leads or owns has changed since the list was shown "
            f"(someone else changed an item). Look at the list again and confirm."
        )
    for (_, holding), rows in zip(HELD, held, strict=True):
        for row in rows:
            uow.update(row, {holding.field: successor.id})
    counts = [len(rows) for rows in held]
    if not any(counts):
        what = "leads or owns nothing" if include_closed else "leads nothing and owns nothing open"
        raise ValidationError(
            Problem("from_person_id", f"{leaving.name} {what}: there is nothing to hand over.")
        )
    if deactivate:
        uow.update(leaving, {"active": False})
    return uow.changes(
        f"Handed over {moved_words(counts, include_closed=include_closed)} from {leaving.name} to {successor.name}"
        + (f"; {leaving.name} is now inactive" if deactivate else "")
    )


def moved_words(counts: Sequence[int], *, include_closed: bool = False) -> str:
    """'3 objectives, 1 open milestone and 2 open risks': how many of each kind in :data:`HELD` move."""
    return listing(
        plural(n, entity.noun, entity.nouns) if include_closed else plural(n, holding.noun)
        for (entity, holding), n in zip(HELD, counts, strict=True)
        if n
    )


def _successor(uow: UnitOfWork, leaving: Person, to_person_id: str) -> Person:
    """The person taking over: someone else, in the plan and active."""
    field = "to_person_id"
    if not to_person_id:
        raise ValidationError(Problem(field, f"successor: choose who takes over from {leaving.name}"))
    if to_person_id == leaving.id:
        raise ValidationError(
            Problem(field, f"successor: {leaving.name} cannot hand over to themselves; choose someone else")
        )
    row = uow.session.get(Person, to_person_id)
    if row is None or row.deleted:
        raise ValidationError(
            Problem(field, "successor: the chosen person is no longer in the plan; choose another")
        )
    if not row.active:
        raise ValidationError(
            Problem(
                field, f"successor: {row.name} is inactive; choose an active person or reactivate them first"
            )
        )
    return row
