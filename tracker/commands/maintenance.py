"""backup, check and audit: looking after the store itself."""

from __future__ import annotations

import argparse
from pathlib import Path

from tracker.cli import CliError, arguments, command, open_for
from tracker.textout import table


def _backup_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", type=Path, help="where to write the copy (a new SQLite file)")


@command("backup", "write a verified copy of the plan to a new SQLite file (safe while the app is open)")
@arguments(_backup_args)
def backup(args: argparse.Namespace) -> int:
    if args.path.exists():
        raise CliError(f"{args.path} already exists; choose a new file name for the backup")
    with open_for(args, readonly=True) as store:
        report = store.backup(args.path)
    print(f"Backed up {report.rows:,} rows in {report.tables} tables to {report.path} (verified)")
    return 0


@command("check", "check the plan's integrity: database, references and the audit chain")
def check(args: argparse.Namespace) -> int:
    from tracker.integrity import check_store

    with open_for(args, readonly=True) as store:
        findings = check_store(store)
    for f in findings:
        print(f"{'ok  ' if f.ok else 'FAIL'}  {f.name}: {f.detail}")
    failed = [f for f in findings if not f.ok]
    if failed:
        raise CliError(f"{len(failed)} check(s) failed: {', '.join(f.name for f in failed)}")
    return 0


def _audit_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--limit", type=int, default=30, help="how many entries, newest first (default 30)")
    p.add_argument("--entity", help="only this kind of item, e.g. milestone, risk, status_update")
    p.add_argument("--actor", dest="who", help="only changes by this person")


@command("audit", "recent changes from the audit log: who changed what, when, from where")
@arguments(_audit_args)
def audit(args: argparse.Namespace) -> int:
    from tracker.queries import audit_rows

    if args.limit < 1:
        raise CliError("--limit must be at least 1")
    with open_for(args, readonly=True) as store, store.read() as session:
        rows = audit_rows(session, limit=args.limit, entity=args.entity, actor=args.who)
    if not rows:
        print("No changes recorded" + (" matching that filter" if args.entity or args.who else ""))
        return 0
    print(
        table(
            ["#", "When (UTC)", "Who", "Source", "Item", "Field", "Old", "New"],
            [
                [
                    r.seq,
                    f"{r.at:%Y-%m-%d %H:%M}",
                    r.actor,
                    r.source + (f" ({r.detail})" if r.detail else ""),
                    f"{r.entity} {r.entity_id[:8]}",
                    r.field,
                    _short(r.old),
                    _short(r.new),
                ]
                for r in rows
            ],  # fmt: skip
        )
    )
    return 0


def _short(value: object, width: int = 40) -> str:
    text = "" if value is None else str(value)
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"
