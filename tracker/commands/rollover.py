"""rollover: start next year's plan in a new file from this one's open items."""

from __future__ import annotations

import argparse
from pathlib import Path

from tracker.cli import actor, arguments, command, open_for
from tracker.commands.periods import _date


def _rollover_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--name", required=True, help="the new plan's name, e.g. 'EMSOU Strategy 2022/23'")
    p.add_argument("--start", type=_date, required=True, help="its first day, DD/MM/YYYY (or YYYY-MM-DD)")
    p.add_argument("--end", type=_date, required=True, help="its last day, DD/MM/YYYY (or YYYY-MM-DD)")
    p.add_argument(
        "--out", type=Path, required=True, metavar="NEW_DB", help="the new plan's file (must not exist)"
    )
    p.add_argument(
        "--include-closed",
        action="store_true",
        help="carry completed and cancelled objectives, completed milestones, closed risks and "
        "recommendations too",
    )


@command(
    "rollover",
    "start a new plan (next year's) in a new file from this one's open items; this plan then stays read-only",
)
@arguments(_rollover_args)
def rollover(args: argparse.Namespace) -> int:
    from tracker.services.rollover import roll_over

    with open_for(args) as store:
        old = store.display_name
        done = roll_over(
            store,
            args.out,
            actor=actor(args),
            name=args.name,
            start_date=args.start,
            end_date=args.end,
            include_closed=args.include_closed,
        )
    print(f"{done.summary}. {Path(old).name} is now kept read-only as the record of {done.old_name!r}.")
    return 0
