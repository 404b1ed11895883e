"""The command line: ``python main.py <command>`` or ``delivery-plan <command>``.

Every command takes ``--db PATH_OR_URL`` (default: the SQLite file in the user's data folder).
Errors are one clear line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import tracker
from tracker.db import Actor, StoreError
from tracker.enums import Source
from tracker.errors import ServiceError, explain

log = logging.getLogger("tracker.cli")

EXIT_ERROR = 2
EXIT_UNEXPECTED = 1


class CliError(Exception):
    """A problem worth one line to the person at the terminal."""


Handler = Callable[[argparse.Namespace], int]
_COMMANDS: dict[str, tuple[Handler, Callable[[argparse.ArgumentParser], None], str]] = {}


def command(name: str, help: str) -> Callable[[Handler], Handler]:
    """Register a sub-command; its module adds arguments through ``<handler>.arguments``."""

    def register(fn: Handler) -> Handler:
        _COMMANDS[name] = (fn, getattr(fn, "arguments", lambda p: None), help)
        return fn

    return register


def arguments(add: Callable[[argparse.ArgumentParser], None]) -> Callable[[Handler], Handler]:
    def attach(fn: Handler) -> Handler:
        fn.arguments = add  # type: ignore[attr-defined]
        return fn

    return attach


def build_parser() -> argparse.ArgumentParser:
    from tracker import commands  # noqa: F401  (registers the sub-commands)

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        default=argparse.SUPPRESS,
        help="the plan: a SQLite file or a SQLAlchemy URL (default: the file in your data folder)",
    )
    common.add_argument(
        "--as",
        dest="actor",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="who is making changes, for the audit log (default: your login name)",
    )
    parser = argparse.ArgumentParser(
        prog="delivery-plan",
        description="Delivery Plan Tracker: keep a strategic delivery plan and report on it.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"Delivery Plan Tracker {tracker.__version__}")
    subs = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (_fn, add_args, help_text) in _COMMANDS.items():
        sub = subs.add_parser(name, help=help_text, description=help_text, parents=[common])
        add_args(sub)
    return parser


def db_location(args: argparse.Namespace) -> str:
    from tracker.store import default_db_path

    return getattr(args, "db", None) or str(default_db_path())


def actor(args: argparse.Namespace, detail: str = "") -> Actor:
    name = getattr(args, "actor", None)
    if not name:
        try:
            name = getpass.getuser()
        except Exception:  # getpass raises several types when no login name is known
            name = "command line"
    return Actor(name, Source.CLI, detail)


def open_for(args: argparse.Namespace, *, readonly: bool = False, create: bool = False):  # type: ignore[no-untyped-def]
    from tracker.store import open_store

    store = open_store(db_location(args), readonly=readonly, create=create)
    if store.superseded and not readonly:  # a newer plan replaced it: say so before anything is done
        store.close()
        raise CliError(store.superseded)
    if store.damage and readonly:  # a write refuses with the same words; a read goes on, warned
        say(f"warning: {store.damage}", 0)
    if (
        not readonly and not store.damage
    ):  # the first write of the day takes the day's backup; a failure only warns
        from tracker.autobackup import on_open

        for warning in on_open(store.path, store.schema_report.backup):
            print(f"warning: {warning}", file=sys.stderr)
    return store


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_ERROR
    handler = _COMMANDS[args.command][0]
    try:
        return handler(args) or 0
    except (CliError, StoreError, ServiceError) as exc:
        return say(f"error: {exc}", EXIT_ERROR)
    except KeyboardInterrupt:
        return say("error: interrupted; nothing more was changed", EXIT_ERROR)
    except BrokenPipeError:
        _stdout_to_devnull()
        return say(
            "error: the output was closed before all of it was written (its reader, such as '| head', "
            "stopped early)",
            EXIT_ERROR,
        )
    except Exception as exc:  # the promise is one line, never a traceback
        where = db_location(args)
        known = explain(exc, Path(where).name or where)
        if known:
            return say(f"error: {known}", EXIT_ERROR)
        log = _log_unexpected(exc)
        return say(f"error: unexpected {type(exc).__name__}: {exc} (details in {log})", EXIT_UNEXPECTED)


def say(message: str, code: int) -> int:
    """Print one line on stderr (a newline or other control character in a name is shown escaped)."""
    line = "".join(c if c.isprintable() else repr(c)[1:-1] for c in message)
    with contextlib.suppress(OSError):  # stderr gone too: the exit code is all that is left
        print(line, file=sys.stderr)
    return code


def _stdout_to_devnull() -> None:
    """After a closed pipe, point stdout at nothing so the flush at exit does not fail again."""
    with contextlib.suppress(AttributeError, OSError, ValueError):  # not a real file: a test's capture
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _log_unexpected(exc: BaseException) -> Path:
    from tracker.places import log_to_file

    handler = log_to_file("cli.log", log)
    try:
        log.error("unexpected error", exc_info=exc)
    finally:
        log.removeHandler(handler)
        handler.close()
    return Path(handler.baseFilename)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
