"""Committee papers: what the PMO writes into a period's paper for a board (its summary, a narrative per item)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session, col, select

from tracker.db import Actor
from tracker.errors import Problem
from tracker.models import Board, CommitteePaper, Recommendation, ReportingPeriod
from tracker.schemas import CommitteePaperIn
from tracker.services._common import as_changes, fail_if, require_pmo, update_from
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
        fail_if(_unknown_items(session, valid))
        uow.create(CommitteePaper, period_id=period.id, board_id=board.id, **valid.to_row())
    else:
        if paper.deleted:
            uow.restore(paper)
        update_from(
            uow, paper, CommitteePaperIn, as_changes(data), expected_revision=expected_revision,
            checks=lambda valid: _unknown_items(session, valid),
        )  # fmt: skip
    return uow.changes(f"Wrote the committee paper for {board.name}, {period.name}")


def _unknown_items(session: Session, valid: CommitteePaperIn) -> list[Problem]:
    """A narrative is about an inspection item the store holds (one removed since keeps its words)."""
    ids = list(valid.item_notes)
    if not ids:
        return []
    known = set(session.exec(select(Recommendation.id).where(col(Recommendation.id).in_(ids))).all())
    unknown = [i for i in ids if i not in known]
    if not unknown:
        return []
    return [
        Problem("item_notes", f"item notes: no inspection item has the id {unknown[0]!r}; reload the paper")
    ]
