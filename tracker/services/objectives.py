"""Editing an objective's own fields. Objectives come from the plan's template, so there is no create
here, and no delete: an objective that is dropped is reported as cancelled. Its lifecycle, RAG and
progress change only through status updates."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session

from tracker.db import Actor
from tracker.errors import Problem
from tracker.models import Board, Objective
from tracker.schemas import ObjectiveEdit
from tracker.services._common import as_changes, exists_problem, person_problem, update_from
from tracker.services.base import Changes, UnitOfWork, unit_of_work


def update_objective(
    session: Session,
    *,
    actor: Actor,
    objective_id: str,
    changes: Mapping[str, Any],
    expected_revision: int | None = None,
) -> Changes:
    uow = unit_of_work(session, actor)
    row = uow.get(Objective, objective_id)
    lead = row.lead_id
    changed = update_from(
        uow,
        row,
        ObjectiveEdit,
        as_changes(changes),
        expected_revision=expected_revision,
        checks=lambda valid: _problems(uow, row, valid, current_lead=lead),
    )
    what = ", ".join("4P" if c == "four_p" else c.replace("_", " ") for c in changed) or "nothing"
    return uow.changes(f"Changed objective {row.ref}: {what}")


def _problems(
    uow: UnitOfWork, row: Objective, valid: ObjectiveEdit, *, current_lead: str | None
) -> list[Problem | None]:
    problems = [person_problem(uow, valid.lead_id, "lead_id", current=current_lead)]
    if valid.board_id:
        missing = exists_problem(uow, Board, valid.board_id, "board_id")
        board = uow.session.get(Board, valid.board_id)
        if missing is None and board is not None and board.plan_id != row.plan_id:
            missing = Problem("board_id", "board id: that board belongs to another plan")
        problems.append(missing)
    return problems
