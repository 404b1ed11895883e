"""issue-returns, import-return and returns: period returns from the command line."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from tracker.cli import CliError, actor, arguments, command, open_for
from tracker.commands.plan import period_named
from tracker.dates import required_day
from tracker.textout import table
from tracker.wording import plural

EXIT_PROBLEMS = 3


def _day(text: str) -> date:
    try:
        return required_day(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _issue_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--period", required=True, help="the reporting period, e.g. '2023/24 Q4'")
    p.add_argument("--out", required=True, metavar="DIR", help="the folder to write the workbooks into")
    p.add_argument(
        "--return-by", type=_day, metavar="DATE",
        help="when the returns are due, e.g. 12/04/2024 (kept on the period; default: the period's)",
    )  # fmt: skip
    p.add_argument(
        "--contact", metavar="TEXT",
        help="whom at the PMO leads send the return to and ask, e.g. 'EMSOU PMO, pmo@example.org' "
        "(kept on the period; default: the period's)",
    )  # fmt: skip
    p.add_argument(
        "--force", action="store_true",
        help="replace returns already in the folder (including any a lead has filled in)",
    )  # fmt: skip


@command("issue-returns", "write a period return workbook for each lead, to fill in without the app")
@arguments(_issue_args)
def issue(args: argparse.Namespace) -> int:
    from tracker.queries.period_report import period_report
    from tracker.workbooks.returns_issue import issue_returns

    with open_for(args) as store, store.write() as session:
        period = period_named(session, args.period)
        issued = issue_returns(
            session, actor(args), period.id, Path(args.out), return_by=args.return_by, contact=args.contact,
            replace=args.force,
        )  # fmt: skip
        details = period_report(session, period.id)
    for r in issued:
        print(f"{r.lead_name}: {plural(r.rows, 'item')} -> {r.path}")
    due = f"due {details.return_by:%d %b %Y}" if details.return_by else "no return-by date (--return-by)"
    contact = f"to {details.return_contact}" if details.return_contact else "no PMO contact (--contact)"
    print(f"Issued {plural(len(issued), 'return')} for {period.name}: {due}, {contact}")
    return 0


def _import_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="the returned workbook (.xlsx)")
    p.add_argument("--apply", action="store_true", help="apply the return (all or nothing)")
    settle = p.add_mutually_exclusive_group()
    settle.add_argument(
        "--take-theirs", action="store_true", help="settle every conflict with the return's value"
    )
    settle.add_argument(
        "--keep-ours", action="store_true", help="settle every conflict with the plan's value"
    )


@command("import-return", "preview a returned workbook (problems, conflicts, changes); --apply to apply it")
@arguments(_import_args)
def import_return(args: argparse.Namespace) -> int:
    from tracker.services import record_return_received
    from tracker.workbooks.returns_apply import KEEP_OURS, TAKE_THEIRS, apply_return, settle_all
    from tracker.workbooks.returns_import import preview_return, read_return

    who = actor(args)
    returned = read_return(Path(args.file))  # parsed before the store (and its write lock) is opened
    with open_for(args) as store:
        with store.read() as session:
            preview = preview_return(session, returned)
        print("\n".join(preview_lines(preview)))
        if preview.applied_already:
            if args.apply:
                raise CliError(f"{preview.applied_already} Nothing was applied.")
            return 0
        if preview.problems:
            print(
                f"\n{plural(len(preview.problems), 'problem')}: fix them in the workbook and import it again. Nothing was applied."
            )
            return EXIT_PROBLEMS
        choice = TAKE_THEIRS if args.take_theirs else KEEP_OURS if args.keep_ours else None
        if not args.apply:
            with store.write() as session:
                record_return_received(
                    session, actor=who, period_id=preview.period_id, lead_id=preview.lead_id
                )
            print("\nPreview only: nothing was changed. Run again with --apply to apply it.")
            return 0
        if preview.conflicts and choice is None:
            raise CliError(
                f"{plural(len(preview.conflicts), 'conflict')} to settle: add --take-theirs or --keep-ours. Nothing was applied."
            )
        with store.write() as session:
            changes = apply_return(session, who, preview, settle_all(preview, choice) if choice else {})
    print(f"\n{changes.summary if changes else 'Nothing to change: the plan already holds this return.'}")
    return 0


def preview_lines(p) -> list[str]:  # type: ignore[no-untyped-def]
    """The preview as text: what file, then problems, conflicts, rows not applied and changes."""
    out = [
        f"{p.file_name}: the {p.period_name} return from {p.lead_name} ({plural(p.rows_read, 'row')} read)",
        *([p.applied_already] if p.applied_already else []),
        *p.notes,
    ]
    if p.problems:
        out += ["", "Problems:"]
        out += [f"  {x}" for x in p.problems]
    if p.conflicts:
        out += ["", "Conflicts (changed in the plan since the return was issued):"]
        rows = [
            [
                c.sheet,
                c.row,
                c.item,
                c.column,
                *(_v(c.kind, c.field, v) for v in (c.issued, c.ours, c.theirs)),
            ]
            for c in p.conflicts
        ]
        out.append(
            _indent(
                table(["Sheet", "Row", "Item", "Column", "Issued", "Ours (plan)", "Theirs (return)"], rows)
            )
        )
    if p.not_owned:
        out += ["", "Not applied (not this lead's):"]
        out += [f"  {n.sheet}, row {n.row}: {n.item} — {n.reason}" for n in p.not_owned]
    out += ["", f"Changes to apply: {p.changes_in_words()}" if p.n_changes else "Changes: none"]
    for c in p.changes:
        for f in c.fields:
            extra = " (follows)" if f.implied else ""
            ours, theirs = _v(c.kind, f.field, f.ours), _v(c.kind, f.field, f.theirs)
            out.append(f"  {c.sheet}, row {c.row}: {c.item} — {f.column}: {ours} -> {theirs}{extra}")
    return out


def _v(kind: str, field: str, value: object) -> str:
    from tracker.workbooks.returns_layout import value_words

    return value_words(kind, field, value)


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


def _returns_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--period", required=True, help="the reporting period, e.g. '2023/24 Q4'")


@command("returns", "the returns tracker for a period: per lead, issued, received, applied, outstanding")
@arguments(_returns_args)
def returns(args: argparse.Namespace) -> int:
    from tracker.queries.returns import returns_tracker

    with open_for(args, readonly=True, create=False) as store, store.read() as session:
        period = period_named(session, args.period)
        rows = returns_tracker(session, period.id)

    def when(d) -> str:  # type: ignore[no-untyped-def]
        return f"{d:%d %b %Y %H:%M}" if d else ""

    body = [[r.lead_name, r.n_objectives, r.status, when(r.issued_at), when(r.received_at), when(r.applied_at),
             "yes" if r.outstanding else ""] for r in rows]  # fmt: skip
    print(f"Returns for {period.name}")
    print(table(["Lead", "Objectives", "Status", "Issued", "Received", "Applied", "Outstanding"], body))
    waiting = sum(r.outstanding for r in rows)
    print(f"\n{waiting} outstanding of {sum(r.status != 'not issued' for r in rows)} issued")
    return 0
