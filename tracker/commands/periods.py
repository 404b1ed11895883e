"""periods: list, open, close and reopen reporting periods."""

from __future__ import annotations

import argparse
from datetime import date

from tracker.cli import actor, arguments, command, open_for
from tracker.dates import required_day
from tracker.textout import table


def _date(text: str) -> date:
    try:
        return required_day(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _periods_args(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION")
    sub.add_parser("list", help="list the reporting periods (the default)")
    o = sub.add_parser("open", help="open a new reporting period")
    o.add_argument("name", help="e.g. '2024/25 Q1'")
    o.add_argument("--start", type=_date, required=True, help="first day, DD/MM/YYYY (or YYYY-MM-DD)")
    o.add_argument("--end", type=_date, required=True, help="last day, DD/MM/YYYY (or YYYY-MM-DD)")
    c = sub.add_parser("close", help="close a period: its updates become the record as reported to SLT")
    c.add_argument("name")
    r = sub.add_parser("reopen", help="reopen a closed period (the reason is recorded)")
    r.add_argument("name")
    r.add_argument("--reason", required=True)


@command("periods", "list, open, close or reopen reporting periods")
@arguments(_periods_args)
def periods(args: argparse.Namespace) -> int:
    from tracker.commands.plan import period_named
    from tracker.queries import periods as list_periods

    action = args.action or "list"
    if action == "list":
        with open_for(args, readonly=True) as store, store.read() as session:
            rows = list_periods(session)
        if not rows:
            print(
                "No reporting periods yet. Open one with: periods open NAME --start DD/MM/YYYY --end DD/MM/YYYY"
            )
            return 0
        print(table(["Period", "From", "To", "Status", "Updates"],
                    [[p.name, p.start, p.end, p.status, p.n_updates] for p in rows]))  # fmt: skip
        return 0

    from tracker.services import close_period, open_period, reopen_period

    who = actor(args)
    with open_for(args) as store, store.write() as session:
        if action == "open":
            changes = open_period(
                session, actor=who, data={"name": args.name, "start_date": args.start, "end_date": args.end}
            )
        else:
            period = period_named(session, args.name)
            if action == "close":
                changes = close_period(session, actor=who, period_id=period.id)
            else:
                changes = reopen_period(session, actor=who, period_id=period.id, reason=args.reason)
    print(changes.summary)
    return 0
