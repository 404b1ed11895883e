"""Governance boards: add, change, remove (only when no objective reports to it) and restore. PMO only."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session, col, func, select

from tracker.db import Actor
from tracker.errors import Problem, ValidationError
from tracker.models import Board, Objective
from tracker.schemas import BoardIn
from tracker.services._common import (
    as_changes,
    fail_if,
    require_pmo,
    resolve_plan,
    set_deleted,
    update_from,
)
from tracker.services.base import Changes, UnitOfWork, unit_of_work, validate
from tracker.wording import listing, plural

_SHOWN = 5  # objective refs named in a refusal; the rest are counted


def create_board(
    session: Session, *, actor: Actor, data: BoardIn | Mapping[str, Any], plan_id: str | None = None
) -> Changes:
    """Add a board to the plan (the store's only plan when none is named)."""
    require_pmo(actor, "add a board")
    uow = unit_of_work(session, actor)
    plan = resolve_plan(uow, plan_id)
    valid = validate(BoardIn, as_changes(data))
    fail_if([_name_problem(uow, plan.id, valid.name, own_id=None)])
    row = uow.create(Board, plan_id=plan.id, **valid.to_row())
    return uow.changes(f"Added the board “{row.name}”")


def update_board(
    session: Session,
    *,
    actor: Actor,
    board_id: str,
    changes: Mapping[str, Any],
    expected_revision: int | None = None,
) -> Changes:
    require_pmo(actor, "change a board")
    uow = unit_of_work(session, actor)
    row = uow.get(Board, board_id)
    changed = update_from(
        uow, row, BoardIn, as_changes(changes), expected_revision=expected_revision,
        checks=lambda valid: [_name_problem(uow, row.plan_id, valid.name, own_id=row.id)],
    )  # fmt: skip
    what = ", ".join(c.replace("_", " ") for c in changed) or "nothing"
    return uow.changes(f"Changed the board “{row.name}”: {what}")


def delete_board(
    session: Session, *, actor: Actor, board_id: str, expected_revision: int | None = None
) -> Changes:
    """Remove a board no objective reports to; otherwise refuse and name the objectives that do."""
    require_pmo(actor, "remove a board")
    uow = unit_of_work(session, actor)
    row = uow.get(Board, board_id)
    uow.update(row, {}, expected_revision=expected_revision)
    refs = session.exec(
        select(Objective.ref)
        .where(Objective.board_id == row.id, Objective.deleted == False)  # noqa: E712
        .order_by(col(Objective.ref))
    ).all()
    if refs:
        named = listing([*refs[:_SHOWN], *([f"{len(refs) - _SHOWN} more"] if len(refs) > _SHOWN else [])])
        raise ValidationError(
            Problem(
                "board",
                f"The board “{row.name}” cannot be removed: {plural(len(refs), 'objective')} "
                f"{'reports' if len(refs) == 1 else 'report'} to it ({named}). "
                "Move them to another board first.",
            )
        )
    set_deleted(uow, row, True)
    return uow.changes(f"Removed the board “{row.name}”")


def restore_board(session: Session, *, actor: Actor, board_id: str) -> Changes:
    """Bring back a removed board, unless another live board has taken its name."""
    require_pmo(actor, "restore a board")
    uow = unit_of_work(session, actor)
    row = uow.get(Board, board_id, allow_deleted=True)
    if not row.deleted:
        return Changes(summary=f"The board “{row.name}” is not deleted")
    fail_if([_name_problem(uow, row.plan_id, row.name, own_id=row.id)])
    uow.restore(row)
    return uow.changes(f"Restored the board “{row.name}”")


def _name_problem(uow: UnitOfWork, plan_id: str, name: str, *, own_id: str | None) -> Problem | None:
    """A board's name is unique among the plan's live boards (ignoring case)."""
    clash = uow.session.exec(
        select(func.count())
        .select_from(Board)
        .where(
            Board.plan_id == plan_id,
            Board.deleted == False,  # noqa: E712
            Board.id != (own_id or ""),
            func.lower(Board.name) == name.lower(),
        )
    ).one()
    return Problem("name", f"name: there is already a board called {name!r}") if clash else None
