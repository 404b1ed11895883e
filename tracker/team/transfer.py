"""``server import-file``: upload a plan file into an empty team database, once, all or nothing.

The administrator's login runs it, acting as the owner role (``SET LOCAL ROLE``): every row is
loaded as it is in the file (ids, revisions, who changed it and when) and the audit log with its
chain, so ``check`` verifies the same history on the server. Each table goes in with one COPY.

A closed period's status updates are frozen by a trigger (``tracker_status_frozen``) that refuses
even the owner. For the load only, the owner disables that trigger inside the transaction and
enables it again before committing: only a table's owner can do that, other sessions never see it
disabled (the change is transactional and the table stays locked until the commit), and the
trigger itself keeps no way around it that a person's login could use (a session setting it
honoured could be set by anyone). The audit log's own trigger stays on: the server checks every
entry of the file's chain as it is appended.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Boolean, Connection, Engine, Table, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import SQLModel

from tracker.audit import APPEND_LOCK, GENESIS, driver_rows, last_entry, verify_chain
from tracker.db import StoreError, bulk_rows
from tracker.migrate import SCHEMA_HEAD
from tracker.team.catalog import Catalog, read_catalog
from tracker.team.policies import AUDIT_HEAD, LOGIN_TABLE, Roles, q
from tracker.team.server import server_engine

FROZEN_TRIGGER = ("status_update", "tracker_status_frozen")
BATCH = 5_000
NOT_COPIED = {"store_meta", AUDIT_HEAD}  # facts about the store itself; the head is set to the log's end


class ImportRefused(StoreError):
    """Why a plan file was not uploaded; nothing was changed on the server."""


@dataclass(frozen=True)
class ImportReport:
    database: str
    rows: dict[str, int]  # table -> rows loaded
    mapped: list[tuple[str, str]]  # (person's name, login)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def parse_map(items: Sequence[str]) -> list[tuple[str, str]]:
    """``"Person Name=login"`` pairs from the command line, in order."""
    out = []
    for item in items:
        name, sep, login = item.rpartition("=")
        if not sep or not name.strip() or not login.strip():
            raise ImportRefused(
                f'--map {item!r} is not "Person Name=login": give the person\'s name, =, the login'
            )
        out.append((name.strip(), login.strip()))
    return out


def copied_tables() -> list[Table]:
    """The plan's tables in the order their foreign keys need, without the store's own facts."""
    return [t for t in SQLModel.metadata.sorted_tables if t.name not in NOT_COPIED]


def import_file(source: Engine, name: str, url: str, mapping: Sequence[tuple[str, str]] = ()) -> ImportReport:
    """Load the plan file open on ``source`` (called ``name``) into the empty team database at ``url``.

    ``url`` is an administrator's login that may act as the owner role (the one that ran server
    init). The caller opens the file (read-only, its schema current, not damaged or superseded).
    """
    with source.connect() as src:  # one read transaction: the file as it is now, whatever writes it next
        problems = verify_chain(src)
        if problems:
            raise ImportRefused(
                f"{name}'s audit log does not verify ({problems[0].message}): "
                "run check on it and restore a good backup before uploading it."
            )
        return _load(src, name, url, mapping)


def _load(src: Connection, name: str, url: str, mapping: Sequence[tuple[str, str]]) -> ImportReport:
    engine = server_engine(url)
    try:
        return _load_on(engine, src, name, mapping)
    except DBAPIError as exc:  # a refusal of the server's own (a trigger, a constraint): one line
        first = str(exc.orig).splitlines()[0] if exc.orig is not None else str(exc)
        raise ImportRefused(f"The server refused to load {name} ({first}); nothing was kept.") from exc
    finally:
        engine.dispose()


def _load_on(engine: Engine, src: Connection, name: str, mapping: Sequence[tuple[str, str]]) -> ImportReport:
    with engine.begin() as conn:
        cat = read_catalog(conn)
        roles = Roles(cat.database)
        _ready(cat, roles)
        logins = _check_logins(cat, roles, mapping)
        # One upload at a time, and no app appending to the log while it is filled.
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": APPEND_LOCK})
        conn.execute(text(f"SET LOCAL ROLE {q(roles.owner)}"))
        _empty(conn, cat.database)
        table, trigger = FROZEN_TRIGGER
        conn.execute(text(f"ALTER TABLE public.{q(table)} DISABLE TRIGGER {q(trigger)}"))
        with bulk_rows():
            rows = {
                t.name: _copy(src, conn, t, cat.rls.get(t.name, (False, False))[1]) for t in copied_tables()
            }
        conn.execute(text(f"ALTER TABLE public.{q(table)} ENABLE TRIGGER {q(trigger)}"))
        seq, digest = last_entry(conn) or (0, GENESIS)
        conn.execute(
            text("UPDATE public.audit_head SET seq = :s, hash = :h WHERE id = 1"), {"s": seq, "h": digest}
        )
        mapped = _map(conn, name, mapping)
        problems = verify_chain(conn)
        if problems:  # the server's trigger checked each entry; this is the head and the whole
            raise ImportRefused(
                f"The uploaded audit log does not verify ({problems[0].message}); nothing was kept."
            )
        conn.execute(text("RESET ROLE"))
        for login in logins:  # a mapped login joins the leads' group (the administrator's right)
            conn.execute(text(f"GRANT {q(roles.lead)} TO {q(login)}"))
    return ImportReport(cat.database, rows, mapped)


def _ready(cat: Catalog, roles: Roles) -> None:
    if roles.owner not in cat.roles or LOGIN_TABLE not in cat.table_owner:
        raise ImportRefused(
            f"{cat.database} is not set up for team work yet: run server init --db URL first."
        )
    if cat.revision != SCHEMA_HEAD:
        raise ImportRefused(
            f"{cat.database}'s schema is at {cat.revision or 'no version'}, this app's is {SCHEMA_HEAD}: "
            "run server init --db URL first."
        )


def _check_logins(cat: Catalog, roles: Roles, mapping: Sequence[tuple[str, str]]) -> list[str]:
    """The mapped logins that must join the leads' group; each must already exist and be a person's."""
    seen: dict[str, str] = {}
    joining = []
    for name, login in mapping:
        if login in seen:
            raise ImportRefused(
                f"the login {login} is mapped twice ({seen[login]!r} and {name!r}); map it once."
            )
        seen[login] = name
        info = cat.roles.get(login)
        if info is None or not info.login:
            raise ImportRefused(
                f"there is no login {login} on the server for {name!r}: leave it out of --map and add it "
                f"afterwards with users add {login} --role lead --person {name!r}"
            )
        if login in (roles.owner, *roles.groups) or info.superuser or info.bypassrls:
            raise ImportRefused(
                f"{login} cannot be a lead's login: it is one of the team's roles, or has SUPERUSER or BYPASSRLS"
            )
        if roles.lead not in _groups_of(cat, login):
            joining.append(login)
    return joining


def _groups_of(cat: Catalog, login: str) -> set[str]:
    return {role for role, members in cat.members.items() if login in members}


def _empty(conn: Connection, database: str) -> None:
    for table in sorted(copied_tables(), key=lambda t: t.name != "plan"):  # name the plan first
        if conn.execute(text(f"SELECT EXISTS (SELECT 1 FROM public.{q(table.name)})")).scalar():
            raise ImportRefused(
                f"{database} already holds a plan ({table.name} has rows): a file can only be uploaded "
                "into an empty team database; create a new one and run server init there."
            )
    if conn.execute(
        text(f"SELECT EXISTS (SELECT 1 FROM public.{LOGIN_TABLE} WHERE person_id IS NOT NULL)")
    ).scalar():
        raise ImportRefused(f"{database} already maps logins to people: upload into a new team database.")


def _copy(src: Connection, conn: Connection, table: Table, forced: bool) -> int:
    """Copy one table's rows from the file to the server; returns how many.

    COPY where it can; PostgreSQL refuses COPY into a table whose row-level security applies to
    the loader (forced, so even to the owner), so those take a pipelined executemany in batches.
    """
    names = [c.name for c in table.columns]
    cols = ", ".join(q(n) for n in names)
    rows = driver_rows(src, f"SELECT {cols} FROM {q(table.name)}")
    raw: Any = conn.connection.driver_connection
    count = 0
    with raw.cursor() as cur:
        if not forced:
            with cur.copy(f"COPY public.{q(table.name)} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        # SQLite keeps booleans as 0 and 1, which a parameter sends as a number; COPY reads them as text.
        flags = [i for i, c in enumerate(table.columns) if isinstance(c.type, Boolean)]
        if flags:
            rows = (_with_bools(row, flags) for row in rows)
        insert = f"INSERT INTO public.{q(table.name)} ({cols}) VALUES ({', '.join(['%s'] * len(names))})"
        batch: list[tuple[Any, ...]] = []
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH:
                cur.executemany(insert, batch)
                count += len(batch)
                batch = []
        if batch:
            cur.executemany(insert, batch)
            count += len(batch)
    return count


def _with_bools(row: tuple[Any, ...], flags: list[int]) -> tuple[Any, ...]:
    out = list(row)
    for i in flags:
        if out[i] is not None:
            out[i] = bool(out[i])
    return tuple(out)


def _map(conn: Connection, file: str, mapping: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    out = []
    for name, login in mapping:
        role = conn.execute(
            text(f"SELECT role FROM public.{LOGIN_TABLE} WHERE login = :l"), {"l": login}
        ).scalar()
        if role is not None:
            raise ImportRefused(
                f"{login} is already the team's {role} login: map a lead's own login to {name!r}."
            )
        found = conn.execute(
            text(
                "SELECT id, name FROM public.person WHERE lower(name) = lower(:n) AND active AND NOT deleted"
            ),
            {"n": name},
        ).all()
        if len(found) != 1:
            why = "no active person" if not found else "more than one active person"
            raise ImportRefused(
                f"{file} has {why} called {name!r} to map to {login}; check the name on the People page."
            )
        conn.execute(
            text(f"INSERT INTO public.{LOGIN_TABLE} (login, person_id, role) VALUES (:l, :p, 'lead')"),
            {"l": login, "p": found[0][0]},
        )
        out.append((str(found[0][1]), login))
    return out
