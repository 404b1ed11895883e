"""Committee papers: what the PMO writes into a period's paper for a board (its summary, a narrative per item)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session, select

from tracker.db import Actor
from tracker.models import Board, CommitteePaper, ReportingPeriod
from tracker.schemas import CommitteePaperIn
from tracker.services._common import as_changes, require_pmo, update_from
from tracker.services.base import Changes, unit_of_work, validate


def record_committee_paper(
    session: Session,
    *,
    actor: Actor,
    period_id: str,
    board_id: str,
    data: CommitteePaperIn | Mapping[str, Any],
    expected_revision: int | None = None,
) -> Changes:
    """Write the PMO's text for the period's paper to the board; the first write creates it, later ones
    change the fields given. Kept whatever the period's status: a paper is written after a period closes."""
    require_pmo(actor, "write a committee paper")
    uow = unit_of_work(session, actor)
    period = uow.get(ReportingPeriod, period_id, what="reporting period")
    board = uow.get(Board, board_id, what="board")
    paper = session.exec(
        select(CommitteePaper).where(
            CommitteePaper.period_id == period.id, CommitteePaper.board_id == board.id
        )
    ).first()
    if paper is None:
        valid = validate(CommitteePaperIn, as_changes(data))
        uow.create(CommitteePaper, period_id=period.id, board_id=board.id, **valid.to_row())
    else:
        if paper.deleted:
            uow.restore(paper)
        update_from(uow, paper, CommitteePaperIn, as_changes(data), expected_revision=expected_revision)
    return uow.changes(f"Wrote the committee paper for {board.name}, {period.name}")
