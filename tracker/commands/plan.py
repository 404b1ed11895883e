"""init and summary."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from sqlmodel import Session

from tracker.cli import CliError, actor, arguments, command, db_location, open_for
from tracker.enums import Brag
from tracker.queries.common import NO_UPDATE, STATUS_KEYS, PeriodRow
from tracker.queries.dashboard import ThemeStatusRow
from tracker.textout import table


def _init_args(p: argparse.ArgumentParser) -> None:
    kind = p.add_mutually_exclusive_group()
    kind.add_argument(
        "--sample", action="store_true", help="add sample progress (periods, updates, milestones, risks)"
    )
    kind.add_argument(
        "--empty", action="store_true", help="a blank plan with default settings instead of EMSOU's"
    )
    p.add_argument("--name", help="the name of a blank plan (with --empty)")


@command("init", "create the plan: the EMSOU 2021/22 plan, optionally with sample progress, or a blank plan")
@arguments(_init_args)
def init(args: argparse.Namespace) -> int:
    from tracker.seed.sample import add_sample_progress
    from tracker.seed.template import empty_template, emsou_template, seed_plan
    from tracker.store import building_store

    if args.name and not args.empty:
        raise CliError("--name names a blank plan: use it with --empty (the EMSOU plan keeps its own name)")
    who = actor(args)
    template = empty_template(name=args.name) if args.empty else emsou_template()
    with building_store(db_location(args)) as store:
        with store.write() as session:
            seed_plan(session, actor=who, template=template)
            if args.sample:
                add_sample_progress(session, actor=who)
        where = store.display_name
    # Said once the store is in place: a closed output must not undo it.
    print(f"Created {template.plan.name!r} in {where}" + (" with SAMPLE progress" if args.sample else ""))
    return 0


def _summary_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--period", help="the reporting period, e.g. '2023/24 Q4' (default: the latest with updates)"
    )


@command("summary", "RAG by theme for a reporting period, as a table")
@arguments(_summary_args)
def summary(args: argparse.Namespace) -> int:
    from tracker.queries import current_plan, latest_period_with_updates, rag_by_theme

    with open_for(args, readonly=True, create=False) as store, store.read() as session:
        plan = current_plan(session)
        period = period_named(session, args.period) if args.period else latest_period_with_updates(session)
        if period is None:  # a plan just set up or carried over: say what it holds and what comes next
            from tracker.models import Kind
            from tracker.queries import live_count
            from tracker.wording import plural

            print(f"{plan.name}" + ("  [SAMPLE DATA]" if plan.is_sample else ""))
            objectives = live_count(session, Kind.OBJECTIVE)
            if not objectives:
                print("The plan is empty: fill in 'plan-template' and bring it in with 'import-plan'.")
                return 0
            print(
                f"{plural(live_count(session, Kind.THEME), 'theme')}, {plural(objectives, 'objective')}; "
                "no status updates yet. Open a reporting period with 'periods open', then issue returns or "
                "record updates."
            )
            return 0
        rows = rag_by_theme(session, period.id)
    print(f"{plan.name} — {period.name}" + ("  [SAMPLE DATA]" if plan.is_sample else ""))
    print(f"{plan.protective_marking}{' ' + plan.handling_caveat if plan.handling_caveat else ''}")
    headers, body, total = summary_table(rows)
    print(table(headers, body, footer=total))
    return 0


def summary_table(rows: Sequence[ThemeStatusRow]) -> tuple[list[str], list[list[object]], list[object]]:
    """Headers, one row per theme and a total row: BRAG counts with the words, never colour alone."""
    headers = ["Theme", *(Brag(k).label if k != NO_UPDATE else "No update" for k in STATUS_KEYS), "Total"]
    body: list[list[object]] = [[f"{r.code} {r.name}", *r.counts, r.counts.total] for r in rows]
    totals = (
        [sum(col) for col in zip(*(r.counts for r in rows), strict=True)] if rows else [0] * len(STATUS_KEYS)
    )
    return headers, body, ["All themes", *totals, sum(totals)]


def period_named(session: Session, name: str) -> PeriodRow:
    """The reporting period called ``name`` (case and spacing forgiven), or a CliError listing them."""
    from tracker.queries import periods

    rows = periods(session)
    want = " ".join(name.split()).casefold()
    for p in rows:
        if " ".join(p.name.split()).casefold() == want:
            return p
    known = ", ".join(p.name for p in rows) or "none yet"
    raise CliError(f"there is no reporting period called {name!r} (periods: {known})")
