"""Opening a plan: the work done off the UI thread, and what to tell the person when it fails."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from tracker.db import StoreError, sqlite_path, to_url
from tracker.enums import Source
from tracker.lock import DatabaseLocked
from tracker.migrate import NewerSchema, NotATrackerDatabase
from tracker.queries import PersonRow, PlanInfo, current_plan, people
from tracker.store import Store, Unwritable, building_store, default_db_path, open_store
from tracker.sync.replica import Replica, read_replica
from tracker.team.connect import (
    ConnectError,
    TeamServer,
    WhoYouAre,
    check_connection,
    who_you_are,
    why_not_connected,
)
from ui.tasks import Progress


@dataclass(frozen=True)
class Opened:
    """A store that opened, with what the window needs before it is built."""

    location: str
    store: Store
    plan: PlanInfo
    people: list[PersonRow]
    created: bool  # the sample plan was just made for this run
    warnings: tuple[str, ...] = ()  # e.g. today's automatic backup failed: shown, never silent
    team: WhoYouAre | None = None  # a team plan: who the server says you are
    server: TeamServer | None = None  # a team plan: where it is (never the password)
    replica: Replica | None = None  # an offline copy of a team plan: where from, and as whom


@dataclass(frozen=True)
class OpenFailure:
    """What the dialog says: a title, what happened, what the person can do."""

    title: str
    text: str
    can_open_read_only: bool = False


def open_plan(
    location: str | None, *, readonly: bool, progress: Progress, seed_default: bool = True
) -> Opened:
    """Open the plan at ``location`` (the default file when None), creating the sample plan there if absent.

    Runs on a worker thread: it must not touch any widget.
    """
    default = location is None
    where = str(default_db_path()) if default else str(location)
    path = sqlite_path(to_url(where))
    missing = path is not None and not path.exists()
    created = False
    progress.report(0, 0, f"Opening {Path(where).name if path else where}…")
    if default and missing and seed_default and not readonly:
        progress.report(0, 0, "Creating the EMSOU plan with sample progress…")
        create_sample_plan(where)
        created = True
    store = open_store(where, readonly=readonly, create=False)
    try:
        warnings: list[str] = []  # (the day's backup is taken once the window is on screen: Launcher)
        progress.report(0, 0, "Reading the plan…")
        team = server = replica = None
        with store.read() as session:
            plan = current_plan(session)
            persons = people(session)
            if store.path is not None:  # an offline copy: who you are is the login it was taken as
                replica = read_replica(session)
            if store.path is None:  # a team plan given as --db URL: the server says who you are
                server = TeamServer.from_url(where)
                try:
                    team = who_you_are(session, server)
                except ConnectError:
                    server = None  # not a team plan: the identity picker asks
    except BaseException:
        store.close()
        raise
    # a team plan is remembered (recent plans) without any password the URL held
    location = server.location if server is not None else where
    return Opened(
        location, store, plan, persons, created, tuple(warnings), team=team, server=server, replica=replica
    )


def open_team_plan(server: TeamServer, password: str, progress: Progress) -> Opened:
    """Log in to a team plan and open it as the server says you are (a worker thread: no widgets).

    ConnectError (one line) when the server cannot be reached, refuses the login, or holds no team plan.
    """
    progress.report(0, 0, f"Connecting to {server.where} as {server.login}…")
    who = check_connection(server, password)
    progress.report(0, 0, "Reading the plan…")
    try:
        store = open_store(server.url(password), create=False)
    except DBAPIError as exc:  # the server went away between the two
        raise ConnectError(why_not_connected(exc, server)) from exc
    try:
        with store.read() as session:
            plan = current_plan(session)
            persons = people(session)
    except BaseException:
        store.close()
        raise
    return Opened(server.location, store, plan, persons, False, team=who, server=server)


def create_sample_plan(location: str) -> None:
    """Make the EMSOU plan with sample progress at ``location`` (one transaction)."""
    from tracker.db import Actor
    from tracker.seed.sample import add_sample_progress
    from tracker.seed.template import emsou_template, seed_plan

    who = Actor("Delivery Plan Tracker", Source.APP, "sample plan")
    with building_store(location) as store, store.write() as session:
        seed_plan(session, actor=who, template=emsou_template())
        add_sample_progress(session, actor=who)


def create_blank_plan(location: str, name: str, who: str) -> None:
    """A new file holding a blank plan (default settings, no objectives) for File > New plan."""
    from tracker.db import Actor
    from tracker.seed.template import empty_template, seed_plan

    if Path(location).exists():
        raise StoreError(f"{Path(location).name} already exists: choose a new file name for the new plan.")
    with building_store(location) as store, store.write() as session:
        seed_plan(session, actor=Actor(who, Source.APP, "new plan"), template=empty_template(name=name))


def describe_failure(exc: BaseException, location: str) -> OpenFailure:
    """Turn an exception from :func:`open_plan` into words for a person (never a traceback)."""
    name = Path(location).name or location
    if isinstance(exc, ConnectError):
        return OpenFailure("Cannot connect to the team plan", f"{exc}\n\nNothing has been changed.")
    if isinstance(exc, DatabaseLocked):
        return OpenFailure(
            "Plan in use",
            f"{exc}\n\nYou can open it read-only to look without changing anything, "
            "or close it in the other window first and try again.",
            can_open_read_only=True,
        )
    if isinstance(exc, NewerSchema):
        return OpenFailure(
            "Plan from a newer version",
            f"{exc}\n\nInstall the newer version of Delivery Plan Tracker to open it. "
            "The file has not been changed.",
        )
    if isinstance(exc, NotATrackerDatabase):
        return OpenFailure(
            "Not a plan file",
            f"{exc}\n\nChoose a Delivery Plan Tracker plan file (File > Open), "
            "or create a new plan (File > New plan). The file has not been changed.",
        )
    if isinstance(exc, Unwritable):
        return OpenFailure(
            "Plan cannot be changed here",
            f"{exc}\n\nYou can open it read-only to look without changing anything. Nothing has been changed.",
            can_open_read_only=True,
        )
    if isinstance(exc, StoreError):
        hint = (
            "If the file is damaged, restore it from a backup (`backup --list` and `restore` at the command "
            "line; File > Backups… in the app on a plan that opens). "
            if "damaged" in str(exc)
            else ""
        )
        return OpenFailure("Cannot open the plan", f"{exc}\n\n{hint}Nothing has been changed.")
    return OpenFailure(
        "Cannot open the plan",
        f"{name} could not be opened: {type(exc).__name__}: {exc}\n\nNothing has been changed.",
    )
