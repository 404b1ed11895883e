"""Draft a period's committee paper for a board to a Word file, written whole or not at all."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session

from tracker.outputs import written
from tracker.papers.content import build_paper
from tracker.papers.document import write_document
from tracker.queries.committee import committee_data


def draft_committee_paper(
    session: Session,
    period_id: str,
    board_id: str,
    out: Path,
    *,
    paper_date: date | None = None,
    replace: bool = False,
    progress: Callable[[int, int], Any] | None = None,
) -> Path:
    """Write the paper to ``out``; the file is read back before it takes its name."""
    data = committee_data(session, period_id, board_id)
    paper = build_paper(data, paper_date=paper_date or date.today())
    with written(out, replace=replace, check=_readable, what="committee paper") as temp:
        write_document(paper, temp, progress=progress)
    return out


def _readable(path: Path) -> None:
    from docx import Document

    doc = Document(str(path))
    if not doc.paragraphs:
        raise ValueError("the document has no paragraphs")
