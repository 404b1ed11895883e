"""replica, sync and conflicts: take a team plan offline, sync it, and settle what could not be merged."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from tracker.cli import CliError, actor, arguments, command, say
from tracker.textout import table

PASSWORD_ENV = "PGPASSWORD"  # libpq's own variable; otherwise ~/.pgpass or PGPASSFILE


def _replica_args(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION")
    c = sub.add_parser("create", help="copy the team plan, as your login may read it, into a new file")
    c.add_argument("--from", dest="source", required=True, metavar="URL",
                   help="the team plan as your own login: postgresql+psycopg://LOGIN@HOST/DATABASE")  # fmt: skip
    c.add_argument("--out", required=True, type=Path, metavar="FILE.db", help="the new replica file")


@command("replica", "take a team plan offline: replica create --from URL --out FILE.db")
@arguments(_replica_args)
def replica(args: argparse.Namespace) -> int:
    if args.action != "create":
        raise CliError("say what to do: replica create --from URL --out FILE.db")
    from tracker.sync.replica import create_replica
    from tracker.team.connect import TeamServer

    made = create_replica(args.source, args.out)
    print(
        f"Took {args.out} offline from {TeamServer.from_url(made.server).where} as {made.login} ({made.role}), at entry {made.cursor} of its "
        f"log. Work in it with --db {args.out}; send and fetch changes with: sync {args.out}"
    )
    return 0


def _sync_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path, metavar="FILE.db", help="the replica to sync")


@command("sync", "send a replica's waiting changes to its team plan and fetch what changed there")
@arguments(_sync_args)
def sync(args: argparse.Namespace) -> int:
    from tracker.sync.run import sync_file

    if not args.file.is_file():
        raise CliError(f"there is no replica at {args.file}")
    report = sync_file(args.file, os.environ.get(PASSWORD_ENV, ""))
    print(report.words)
    for line in report.refused:
        say(f"refused: {line}", 0)
    held = report.outcomes.get("conflict", 0) + report.outcomes.get("merged", 0)
    if held:
        print(f"Some changes are held as conflicts: see them with: conflicts --db {args.file}")
    return 1 if report.refused else 0


def _conflicts_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--all", action="store_true", help="settled ones too")
    p.add_argument("--resolve", metavar="ID", help="settle one (the start of its id is enough)")
    p.add_argument(
        "--choose", choices=("mine", "theirs", "edit", "accept", "reject"), help="how to settle it"
    )
    p.add_argument("--value", help="with --choose edit: the value to keep")


@command(
    "conflicts",
    "list a plan's sync conflicts and settle one (keep mine, take theirs, edit; accept or reject)",
)
@arguments(_conflicts_args)
def conflicts(args: argparse.Namespace) -> int:
    from tracker.cli import open_for
    from tracker.queries.conflicts import conflict_rows
    from tracker.services import resolve_conflict

    if args.resolve:
        if not args.choose:
            raise CliError("say how to settle it: --choose mine, theirs, edit, accept or reject")
        with open_for(args) as store:
            with store.read() as session:
                ids = [
                    r.id
                    for r in conflict_rows(session, include_settled=True)
                    if r.id.startswith(args.resolve)
                ]
            if len(ids) != 1:
                raise CliError(f"{len(ids)} conflicts have an id starting {args.resolve!r}: give more of it")
            with store.write() as session:
                done = resolve_conflict(session, actor=actor(args), conflict_id=ids[0], choice=args.choose,
                                        value=args.value)  # fmt: skip
        print(done.summary)
        return 0
    with open_for(args, readonly=True) as store, store.read() as session:
        rows = conflict_rows(session, include_settled=args.all)
    if not rows:
        print("No sync conflicts." if not args.all else "No sync conflicts, settled or open.")
        return 0
    print(table(["Id", "Item", "Field", "Why", "Base", "Mine", "Theirs", "Sent by", "State"],
                [[r.id[:8], r.item, r.field or "(whole)", r.why, r.base, r.mine, r.theirs, r.login, r.state]
                 for r in rows]))  # fmt: skip
    return 0
