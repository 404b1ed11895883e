"""plan-template, export-plan and import-plan: the plan as a spreadsheet, out and back in."""

from __future__ import annotations

import argparse
from pathlib import Path

from tracker.cli import CliError, actor, arguments, command, open_for
from tracker.outputs import check_destination
from tracker.wording import plural

EXIT_PROBLEMS = 3


def _out_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx", help="where to write the workbook")
    p.add_argument("--force", action="store_true", help="replace the file if it exists")


def _checked_out(args: argparse.Namespace) -> Path:
    out: Path = args.out
    if out.suffix.lower() != ".xlsx":
        raise CliError(f"--out: {out.name} should end in .xlsx (the workbook is an Excel .xlsx file)")
    check_destination(out, replace=args.force, what="plan workbook")
    return out


@command("plan-template", "write a blank plan workbook to fill in (instructions, a sheet per kind of item)")
@arguments(_out_args)
def plan_template(args: argparse.Namespace) -> int:
    from tracker.workbooks.plan_write import write_plan_template

    out = write_plan_template(_checked_out(args), replace=args.force, author=actor(args).name)
    print(f"Wrote a blank plan template to {out}")
    return 0


@command("export-plan", "write the plan (themes to recommendations) as a workbook in the template's layout")
@arguments(_out_args)
def export_plan(args: argparse.Namespace) -> int:
    from tracker.workbooks.plan_write import export_plan as write_plan

    out = _checked_out(args)
    with open_for(args, readonly=True) as store, store.read() as session:
        write_plan(session, out, replace=args.force, author=actor(args).name)
    print(f"Wrote the plan to {out}")
    return 0


def _import_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="the plan workbook (.xlsx), made from plan-template or export-plan")
    p.add_argument("--apply", action="store_true", help="import it (all or nothing)")


@command("import-plan", "preview a plan workbook (problems, what it adds and changes); --apply to import it")
@arguments(_import_args)
def import_plan(args: argparse.Namespace) -> int:
    from tracker.services.plan_import import import_plan as apply_plan
    from tracker.services.plan_import import preview_plan
    from tracker.workbooks.plan_read import read_plan_file

    data = read_plan_file(Path(args.file))  # parsed before the store (and its write lock) is opened
    with open_for(args, readonly=True) as store, store.read() as session:
        preview = preview_plan(session, data)
    print("\n".join(preview.lines()))
    if preview.problems:
        print(f"\n{plural(len(preview.problems), 'problem')}: fix them in the workbook and import it again. "
              "Nothing was imported.")  # fmt: skip
        return EXIT_PROBLEMS
    if not args.apply:
        print("\nPreview only: nothing was changed. Run again with --apply to import it.")
        return 0
    if not (preview.n_create or preview.n_update):
        print("\nNothing to import: the plan already holds everything in the workbook.")
        return 0
    with open_for(args) as store, store.write() as session:
        who = actor(args, f"plan import from {data.file_name}")
        changes = apply_plan(session, actor=who, data=data, preview=preview)  # previewed again if stale
    print(f"\n{changes.summary}")
    return 0
