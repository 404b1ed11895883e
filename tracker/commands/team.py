"""server and users: set up a PostgreSQL team plan, check it, and manage people's logins."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from tracker.cli import CliError, arguments, command, db_location, say
from tracker.enums import Role
from tracker.textout import table


def _server_db(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """--db after the action too (``server init --db URL``), as well as before it."""
    p.add_argument(
        "--db", metavar="URL", default=argparse.SUPPRESS,
        help="the server and database, as an administrator: postgresql+psycopg://LOGIN@HOST/DATABASE",
    )  # fmt: skip
    return p


def _server_args(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION")
    _server_db(
        sub.add_parser(
            "init", help="create or upgrade the team plan: schema, roles, grants, row-level security"
        )
    )
    _server_db(
        sub.add_parser(
            "check", help="report what is missing or too permissive (exit code 1 when anything is)"
        )
    )
    i = _server_db(
        sub.add_parser(
            "import-file", help="upload a plan file into an empty team database, with its audit log"
        )
    )
    i.add_argument("file", type=Path, metavar="PLAN.db", help="the plan file to upload")
    i.add_argument(
        "--map", action="append", default=[], metavar="PERSON=LOGIN",
        help='a person in the plan and the existing login that is them: "Head of Intelligence=j.khan" (repeatable)',
    )  # fmt: skip


@command(
    "server",
    "set up a PostgreSQL team plan (init), check its roles and permissions (check), upload a plan file (import-file)",
)
@arguments(_server_args)
def server(args: argparse.Namespace) -> int:
    url = _server_url(args)
    if args.action == "init":
        from tracker.team.server import init_server

        report = init_server(url)
        if not report.changed:
            print(f"{report.database} is already set up for team work: nothing changed.")
            return 0
        for line in report.done:
            print(line)
        print(
            f"{report.database} is set up for team work ({len(report.done)} changes). Add people with: users add"
        )
        return 0
    if args.action == "check":
        from tracker.team.check import check_server

        found = check_server(url)
        for line in found:
            print(line)
        if found:
            return say(f"{len(found)} problems found: the server does not enforce the plan's permissions", 1)
        print("The server enforces the team plan's roles, grants and row-level security.")
        return 0
    if args.action == "import-file":
        from tracker.store import open_store
        from tracker.team.transfer import import_file, parse_map

        mapping = parse_map(args.map)
        if not args.file.is_file():
            raise CliError(f"there is no plan file at {args.file}")
        with open_store(args.file, readonly=True, create=False) as source:
            if source.superseded or source.damage:
                raise CliError(f"{source.superseded or source.damage} Nothing was uploaded.")
            loaded = import_file(source.engine, args.file.name, url, mapping)
        for person, login in loaded.mapped:
            print(f"{login} is {person} in the plan (a lead).")
        print(
            f"Uploaded {args.file.name} into {loaded.database}: {loaded.total:,} rows in "
            f"{len(loaded.rows)} tables, audit log verified. Add people with: users add"
        )
        return 0
    raise CliError("say what to do: server init, server check or server import-file")


def _users_args(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION")
    a = _server_db(
        sub.add_parser("add", help="add a login (the password is asked twice, or read from standard input)")
    )
    a.add_argument("login")
    a.add_argument("--role", required=True, choices=[r.value for r in Role])
    a.add_argument("--person", metavar="NAME", help="for a lead: the person in the plan they are")
    _server_db(sub.add_parser("list", help="list the team's logins (the default)"))
    d = _server_db(sub.add_parser("disable", help="stop a login from logging in (its history stays)"))
    d.add_argument("login")


@command("users", "add, list or disable the logins of a PostgreSQL team plan")
@arguments(_users_args)
def users(args: argparse.Namespace) -> int:
    from tracker.team import accounts

    url = _server_url(args)
    action = args.action or "list"
    if action == "add":
        password = _new_password(args.login)
        account = accounts.add_user(url, args.login, args.role, password, person=args.person)
        who = f", who is {account.person} in the plan" if account.person else ""
        print(f"Added {account.login} as {Role(account.role).label}{who}.")
        return 0
    if action == "disable":
        if accounts.disable_user(url, args.login):
            print(f"{args.login} can no longer log in; what they did stays in the audit log.")
        else:
            print(f"{args.login} was already disabled: nothing changed.")
        return 0
    rows = accounts.list_users(url)
    if not rows:
        print("No team logins yet. Add one with: users add LOGIN --role pmo|lead|viewer [--person NAME]")
        return 0
    print(table(["Login", "Role", "Person", "Can log in"],
                [[r.login, r.role, r.person, "yes" if r.can_log_in else "no (disabled)"] for r in rows]))  # fmt: skip
    return 0


def _server_url(args: argparse.Namespace) -> str:
    url = getattr(args, "db", None)
    if not url or "://" not in url:
        raise CliError(
            f"give the server with --db postgresql+psycopg://LOGIN@HOST/DATABASE (not {db_location(args)})"
        )
    return str(url)


def _new_password(login: str) -> str:
    """Asked twice at a terminal; one line of standard input otherwise (for scripts). Never echoed or kept."""
    if not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise CliError("no password on standard input: give the new login's password on its first line")
        return password
    first = getpass.getpass(f"Password for {login}: ")
    if first != getpass.getpass(f"Password for {login} (again): "):
        raise CliError("the two passwords differ; nothing was changed")
    if not first:
        raise CliError("the password is empty; nothing was changed")
    return first
