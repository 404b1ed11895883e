"""backup, check and audit: looking after the store itself."""

from __future__ import annotations

import argparse
from pathlib import Path

from tracker.cli import CliError, arguments, command, db_location, open_for
from tracker.textout import table
from tracker.wording import file_size, plural


def _backup_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", type=Path, nargs="?", help="where to write the copy (a new SQLite file)")
    p.add_argument("--out", type=Path, metavar="FILE", help="the same as PATH: where to write the copy")
    p.add_argument(
        "--list", action="store_true", help="list the automatic backups kept beside the plan instead"
    )


@command("backup", "write a verified copy of the plan to a new SQLite file (safe while the app is open)")
@arguments(_backup_args)
def backup(args: argparse.Namespace) -> int:
    if args.list:
        return _list_backups(args)
    if args.out is not None:
        if args.path is not None and args.path != args.out:
            raise CliError(f"give the copy's file name once: {args.path} or --out {args.out}, not both")
        args.path = args.out
    if args.path is None:
        raise CliError("give a file name for the copy (backup PATH), or --list to see the automatic backups")
    if args.path.is_dir():
        raise CliError(
            f"{args.path} is a folder: give the backup a file name, e.g. {args.path / 'plan backup.db'}"
        )
    if args.path.exists():
        raise CliError(f"{args.path} already exists; choose a new file name for the backup")
    with open_for(args, readonly=True) as store:
        report = store.backup(args.path)
    print(f"Backed up {report.rows:,} rows in {report.tables} tables to {report.path} (verified)")
    return 0


def _list_backups(args: argparse.Namespace) -> int:
    from tracker import autobackup

    path = _plan_file(args)
    if path is None:
        print(autobackup.SERVER_NOTE)
        return 0
    kept = autobackup.listing(path)
    if not kept:
        print(f"No automatic backups of {path.name} yet (they go in {autobackup.folder_for(path)}).")
        return 0
    print(f"Automatic backups of {path.name}, newest first, in {autobackup.folder_for(path)}:")
    rows = [
        [f"{k.at:%Y-%m-%d %H:%M:%S}", k.why, file_size(k.size),
         f"{k.rows:,}" if k.rows is not None else "not verified", k.path.name]
        for k in kept
    ]  # fmt: skip
    print(table(["When (UTC)", "Why", "Size", "Rows", "Name (for restore)"], rows))
    print(autobackup.RULE)
    return 0


def _restore_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("backup", help="a name from `backup --list`, or the path of a backup file")


@command("restore", "replace the plan with a backup (the plan as it is now is backed up first)")
@arguments(_restore_args)
def restore(args: argparse.Namespace) -> int:
    from tracker import autobackup

    path = _plan_file(args)
    if path is None:
        raise CliError(
            "restore works on plan files (SQLite); a plan on a server is restored by its administrators"
        )
    done = autobackup.restore(path, autobackup.resolve(path, args.backup))
    saved = f"; the plan as it was is kept as {done.saved_first.path.name!r}" if done.saved_first else ""
    print(
        f"Restored {path.name} from {done.source.name}: {done.rows:,} rows in {done.tables} tables (verified){saved}"
    )
    return 0


def _plan_file(args: argparse.Namespace) -> Path | None:
    from tracker.db import sqlite_path, to_url

    return sqlite_path(to_url(db_location(args)))


def _check_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--anchor", action="append", default=[], metavar="SEQ:HASH",
                   help="an audit anchor printed on a board pack or status workbook: the log must still hold it")  # fmt: skip
    p.add_argument("--forget-anchors", action="store_true",
                   help="forget the heads remembered for this plan (after restoring or replacing it on purpose)")  # fmt: skip


@command(
    "check", "check the plan's integrity: database, references, the audit chain and the data it explains"
)
@arguments(_check_args)
def check(args: argparse.Namespace) -> int:
    from tracker import anchors
    from tracker.integrity import check_store

    try:
        given = [anchors.parse(a) for a in args.anchor]
    except ValueError as exc:
        raise CliError(str(exc)) from None
    with open_for(args, readonly=True) as store:
        if args.forget_anchors:
            anchors.forget(store.display_name)
            print(f"Forgot the audit heads remembered for {store.display_name}")
        findings = check_store(store, given)
    for f in findings:
        print(f"{'ok  ' if f.ok else 'FAIL'}  {f.name}: {f.detail}")
        for line in f.more:
            print(f"        {line}")
    failed = [f for f in findings if not f.ok]
    if failed:
        raise CliError(f"{plural(len(failed), 'check')} failed: {', '.join(f.name for f in failed)}")
    return 0


@command("repair-audit-head", "set a missing or wrong audit log head to the log's last entry (after `check`)")
def repair_audit_head(args: argparse.Namespace) -> int:
    from tracker.audit import head_problem, last_entry, read_head, repair_head, verify_chain

    with open_for(args) as store:
        with store.read() as session:
            problem = head_problem(read_head(session), last_entry(session))
            broken = [p for p in verify_chain(session) if "head" not in p.message]
        if not problem:
            print("The audit log's head already matches its last entry; nothing to repair")
            return 0
        if broken:
            raise CliError(
                f"The audit log itself is broken ({broken[0].message}); restore the latest backup instead"
            )
        with store.write() as session:
            seq, digest = repair_head(session)
    print(f"Repaired: {problem}; the head is now entry {seq:,} ({digest[:16]})")
    return 0


def _audit_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--limit", type=int, default=30, help="how many entries, newest first (default 30)")
    p.add_argument("--entity", help="only this kind of item, e.g. milestone, risk, status_update")
    p.add_argument("--actor", dest="who", help="only changes by this person")


@command("audit", "recent changes from the audit log: who changed what, when, from where")
@arguments(_audit_args)
def audit(args: argparse.Namespace) -> int:
    from tracker.queries import audit_rows
    from tracker.queries.audit_words import clip

    if args.limit < 1:
        raise CliError("--limit must be at least 1")
    if args.entity is not None:
        from tracker.models import ENTITIES

        if args.entity not in ENTITIES:
            raise CliError(
                f"--entity {args.entity!r} is not a kind of item: choose from {', '.join(sorted(ENTITIES))}"
            )
    with open_for(args, readonly=True) as store, store.read() as session:
        rows = audit_rows(session, limit=args.limit, entity=args.entity, actor=args.who)
    if not rows:
        print("No changes recorded" + (" matching that filter" if args.entity or args.who else ""))
        return 0
    print(
        table(
            ["#", "When (UTC)", "Who", "From", "Item", "Change"],
            [
                [
                    r.seq,
                    f"{r.at:%Y-%m-%d %H:%M}",
                    r.actor,
                    clip(r.source_text, 40),
                    clip(r.item, 50),
                    r.change,
                ]
                for r in rows
            ],
        )
    )
    return 0
