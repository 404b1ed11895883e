"""board-pack: write the PDF board pack for a period, on a machine with or without a display."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from tracker.cli import CliError, arguments, command, open_for
from tracker.outputs import check_destination


def _args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--period", help="the reporting period, e.g. '2023/24 Q4' (default: the latest with updates)"
    )
    p.add_argument("--out", required=True, metavar="FILE.pdf", help="where to write the PDF")
    p.add_argument("--force", action="store_true", help="replace the file if it exists")


@command("board-pack", "write the board pack (PDF) for a reporting period")
@arguments(_args)
def board_pack(args: argparse.Namespace) -> int:
    from tracker.commands.plan import period_named
    from tracker.queries import latest_period_with_updates

    out = Path(args.out)
    if out.suffix.lower() != ".pdf":
        raise CliError(f"--out: {args.out!r} should be a file name ending in .pdf")
    check_destination(out, replace=args.force, what="board pack")
    with open_for(args, readonly=True, create=False) as store:
        with store.read() as session:
            period = (
                period_named(session, args.period) if args.period else latest_period_with_updates(session)
            )
            if period is None:
                raise CliError("the plan has no reporting period with updates yet; see 'periods'")
        _gui_application()
        from ui.boardpack import write_board_pack

        pages = write_board_pack(store, period.id, out, replace=args.force)
    print(f"Wrote {out} ({pages} pages) for {period.name}")
    return 0


def _gui_application() -> object:
    """Fonts and painting need a QGuiApplication; with no display, Qt's offscreen platform serves."""
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    return QGuiApplication.instance() or QGuiApplication(["delivery-plan"])
