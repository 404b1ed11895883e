"""export-status: the status workbook for a reporting period."""

from __future__ import annotations

import argparse
from pathlib import Path

from tracker.cli import CliError, actor, arguments, command, open_for
from tracker.commands.plan import period_named
from tracker.outputs import check_destination


def _export_status_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--period", help="the reporting period, e.g. '2023/24 Q4' (default: the latest with updates)"
    )
    p.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx", help="where to write the workbook")
    p.add_argument("--force", action="store_true", help="replace the file if it exists")


@command("export-status", "write the status workbook (Excel) for a reporting period")
@arguments(_export_status_args)
def export_status(args: argparse.Namespace) -> int:
    from tracker.queries import latest_period_with_updates
    from tracker.workbooks.status import export_status_workbook

    out: Path = args.out
    if out.suffix.lower() != ".xlsx":
        raise CliError(f"--out: {out.name} should end in .xlsx (the workbook is an Excel .xlsx file)")
    check_destination(out, replace=args.force, what="status workbook")
    with open_for(args, readonly=True) as store, store.read() as session:
        period = period_named(session, args.period) if args.period else latest_period_with_updates(session)
        if period is None:
            raise CliError("the plan has no reporting period with updates yet; give one with --period")
        try:
            export_status_workbook(session, period.id, out, generated_by=actor(args).name, replace=args.force)
        except OSError as exc:
            raise CliError(f"could not write {out}: {exc.strerror or exc}") from None
    print(f"Wrote the status workbook for {period.name} to {out}")
    return 0
