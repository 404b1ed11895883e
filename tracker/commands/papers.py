"""committee-paper: draft a period's inspection-progress paper for a board, in Word."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from tracker.cli import CliError, arguments, command, open_for
from tracker.commands.plan import period_named
from tracker.dates import required_day
from tracker.errors import NotFound
from tracker.outputs import check_destination


def _args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--period", help="the reporting period, e.g. '2023/24 Q4' (default: the latest with updates)"
    )
    p.add_argument("--board", required=True, metavar="NAME", help="the board the paper goes to, by name")
    p.add_argument("--out", type=Path, required=True, metavar="FILE.docx", help="where to write the paper")
    p.add_argument(
        "--date", type=_day, metavar="DATE", help="the paper's date, e.g. 17/04/2024 (default: today)"
    )
    p.add_argument("--force", action="store_true", help="replace the file if it exists")


def _day(text: str) -> date:
    try:
        return required_day(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


@command("committee-paper", "draft the inspection-progress paper (Word) for a board and period")
@arguments(_args)
def committee_paper(args: argparse.Namespace) -> int:
    from tracker.papers.draft import draft_committee_paper
    from tracker.queries import latest_period_with_updates
    from tracker.queries.committee import board_named, paper_text

    out: Path = args.out
    if out.suffix.lower() != ".docx":
        raise CliError(f"--out: {out.name} should end in .docx (the paper is a Word .docx file)")
    check_destination(out, replace=args.force, what="committee paper")
    with open_for(args, readonly=True) as store, store.read() as session:
        period = period_named(session, args.period) if args.period else latest_period_with_updates(session)
        if period is None:
            raise CliError("the plan has no reporting period with updates yet; give one with --period")
        try:
            board_id, board = board_named(session, args.board)
        except NotFound as exc:
            raise CliError(f"--board: {exc}") from None
        text = paper_text(session, period.id, board_id)
        try:
            draft_committee_paper(session, period.id, board_id, out, paper_date=args.date, replace=args.force)
        except OSError as exc:
            raise CliError(f"could not write {out}: {exc.strerror or exc}") from None
    print(f"Wrote the committee paper for the {board}, {period.name}, to {out}")
    if text.from_period:
        print(
            f"The summary and item notes are those written for {text.from_period}: edit them in the app for {period.name}"
        )
    return 0
