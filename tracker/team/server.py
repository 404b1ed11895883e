"""``server init``: bring a PostgreSQL database to the team plan's roles, schema, grants and policies.

Run by an administrator's login that can create roles. Each step first reads what the database
holds (:mod:`tracker.team.catalog`) and does only what is missing, so a second run changes nothing
and says so. The schema is created or upgraded with Alembic as the owner role (``SET ROLE``), so
every table belongs to a role no one logs in as.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, event, text

from tracker.audit import GENESIS
from tracker.db import StoreError, make_engine
from tracker.migrate import ensure_schema
from tracker.team.catalog import Catalog, read_catalog
from tracker.team.policies import (
    FUNCTIONS,
    LOGIN_TABLE,
    LOGIN_TABLE_SQL,
    TRIGGERS,
    Roles,
    column_grants,
    policies,
    q,
    rls_tables,
    table_grants,
)


@dataclass
class InitReport:
    database: str
    done: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.done)


def lit(value: str) -> str:
    """A quoted SQL string literal (for comments: DDL takes no parameters)."""
    return "'" + value.replace("'", "''") + "'"


def server_engine(url: str) -> Engine:
    engine = make_engine(url)
    if engine.dialect.name != "postgresql":
        engine.dispose()
        raise StoreError(
            "Team mode needs a PostgreSQL server: give --db postgresql+psycopg://ADMIN@HOST/DATABASE"
        )
    return engine


def init_server(url: str) -> InitReport:
    """Create or bring up to date the team plan in the database at ``url``; returns what was done."""
    engine = server_engine(url)
    try:
        with engine.begin() as conn:
            cat = read_catalog(conn)
            roles = Roles(cat.database)
            report = InitReport(cat.database)
            _roles(conn, cat, roles, report.done)
            _adopt_tables(conn, cat, roles, report.done)
        _schema(url, roles, report.done)
        with engine.begin() as conn:
            conn.execute(text(f"SET LOCAL ROLE {q(roles.owner)}"))
            _login_table(conn, read_catalog(conn), report.done)
            cat = read_catalog(conn)
            _functions(conn, cat, report.done)
            _triggers(conn, cat, report.done)
            _row_security(conn, cat, roles, report.done)
            _grants(conn, cat, roles, report.done)
            _audit_head(conn, report.done)
        return report
    finally:
        engine.dispose()


def _roles(conn: Connection, cat: Catalog, roles: Roles, done: list[str]) -> None:
    for name in (roles.owner, *roles.groups):
        info = cat.roles.get(name)
        if info is None:
            conn.execute(text(f"CREATE ROLE {q(name)} NOLOGIN"))
            done.append(f"created the role {name}")
            continue
        if info.login or info.bypassrls or info.createrole:
            conn.execute(text(f"ALTER ROLE {q(name)} NOLOGIN NOBYPASSRLS NOCREATEROLE"))
            done.append(f"made {name} a role no one logs in as, without BYPASSRLS or CREATEROLE")
    if not cat.is_superuser and cat.session_user not in cat.members.get(roles.owner, set()):
        conn.execute(text(f"GRANT {q(roles.owner)} TO {q(cat.session_user)}"))
        done.append(f"let {cat.session_user} act as {roles.owner} (to create and upgrade the schema)")
    if roles.owner not in cat.schema_create:
        conn.execute(text(f"GRANT USAGE, CREATE ON SCHEMA public TO {q(roles.owner)}"))
        done.append(f"let {roles.owner} create tables in the schema public")
    if "PUBLIC" in cat.schema_create:
        conn.execute(text("REVOKE CREATE ON SCHEMA public FROM PUBLIC"))
        done.append("stopped everyone from creating tables in the schema public")


def _adopt_tables(conn: Connection, cat: Catalog, roles: Roles, done: list[str]) -> None:
    for table, owner in sorted(cat.table_owner.items()):
        if owner != roles.owner:
            conn.execute(text(f"ALTER TABLE public.{q(table)} OWNER TO {q(roles.owner)}"))
            done.append(f"gave the table {table} to {roles.owner} (it belonged to {owner})")


def _schema(url: str, roles: Roles, done: list[str]) -> None:
    engine = make_engine(url)

    @event.listens_for(engine, "connect")
    def _as_owner(dbapi_connection: Any, _record: Any) -> None:
        with dbapi_connection.cursor() as cur:
            cur.execute(f"SET ROLE {q(roles.owner)}")
        dbapi_connection.commit()

    try:
        report = ensure_schema(engine, db_path=None)
    finally:
        engine.dispose()
    if report.created:
        done.append("created the plan's tables")
    elif report.upgraded_from:
        done.append(f"upgraded the schema from {report.upgraded_from}")


def _login_table(conn: Connection, cat: Catalog, done: list[str]) -> None:
    if LOGIN_TABLE not in cat.table_owner:
        conn.execute(text(LOGIN_TABLE_SQL))
        done.append(f"created the table {LOGIN_TABLE} (which login is which person)")


def _functions(conn: Connection, cat: Catalog, done: list[str]) -> None:
    for fn in FUNCTIONS:
        if cat.functions.get(fn.key, "") == fn.fingerprint:
            continue
        conn.execute(text(fn.create_sql()))
        conn.execute(text(f"COMMENT ON FUNCTION public.{fn.signature} IS {lit(fn.fingerprint)}"))
        done.append(f"{'replaced' if fn.key in cat.functions else 'created'} the function {fn.key}")


def _triggers(conn: Connection, cat: Catalog, done: list[str]) -> None:
    for trigger in TRIGGERS:
        enabled = cat.triggers.get((trigger.table, trigger.name))
        if enabled is None:
            conn.execute(text(trigger.create_sql()))
            done.append(f"created the trigger {trigger.name} on {trigger.table}")
        elif not enabled:
            conn.execute(text(f"ALTER TABLE public.{q(trigger.table)} ENABLE TRIGGER {q(trigger.name)}"))
            done.append(f"enabled the trigger {trigger.name} on {trigger.table}")


def _row_security(conn: Connection, cat: Catalog, roles: Roles, done: list[str]) -> None:
    for table in rls_tables():
        enabled, forced = cat.rls.get(table, (False, False))
        if not enabled:
            conn.execute(text(f"ALTER TABLE public.{q(table)} ENABLE ROW LEVEL SECURITY"))
            done.append(f"enabled row-level security on {table}")
        if not forced:
            conn.execute(text(f"ALTER TABLE public.{q(table)} FORCE ROW LEVEL SECURITY"))
            done.append(f"forced row-level security on {table} (its owner too)")
    wanted = {(p.table, p.name): p for p in policies(roles)}
    for key, policy in wanted.items():
        comment = cat.policies.get(key, "")
        if comment == policy.fingerprint:
            continue
        if key in cat.policies:
            conn.execute(text(f"DROP POLICY {q(policy.name)} ON public.{q(policy.table)}"))
        conn.execute(text(policy.create_sql()))
        conn.execute(
            text(
                f"COMMENT ON POLICY {q(policy.name)} ON public.{q(policy.table)} IS {lit(policy.fingerprint)}"
            )
        )
        done.append(
            f"{'replaced' if key in cat.policies else 'created'} the policy {policy.name} on {policy.table}"
        )
    for table, name in sorted(cat.policies):
        if name.startswith("tracker_") and (table, name) not in wanted:
            conn.execute(text(f"DROP POLICY {q(name)} ON public.{q(table)}"))
            done.append(f"dropped the policy {name} on {table} (no longer part of the plan)")


def _grants(conn: Connection, cat: Catalog, roles: Roles, done: list[str]) -> None:
    wanted = table_grants(roles)
    for table in sorted(cat.table_owner):
        for grantee in (*roles.groups, "PUBLIC"):
            want = wanted.get((table, grantee), frozenset())
            have = cat.grants.get((table, grantee), set())
            _change(conn, table, grantee, want - have, have - want, done)
    wanted_columns = column_grants(roles)
    for (table, grantee, privilege), have in sorted(cat.column_grants.items()):
        if grantee in (*roles.groups, "PUBLIC"):
            want = wanted_columns.get((table, grantee), {}).get(privilege, frozenset())
            extra = have - want
            if extra:
                cols = ", ".join(q(c) for c in sorted(extra))
                conn.execute(text(f"REVOKE {privilege} ({cols}) ON public.{q(table)} FROM {_who(grantee)}"))
                done.append(f"revoked {privilege} on {table} ({', '.join(sorted(extra))}) from {grantee}")
    for (table, grantee), by_privilege in wanted_columns.items():
        for privilege, columns in by_privilege.items():
            missing = columns - cat.column_grants.get((table, grantee, privilege), set())
            if missing:
                cols = ", ".join(q(c) for c in sorted(missing))
                conn.execute(text(f"GRANT {privilege} ({cols}) ON public.{q(table)} TO {q(grantee)}"))
                done.append(f"granted {privilege} on {table} ({', '.join(sorted(missing))}) to {grantee}")


def _change(
    conn: Connection,
    table: str,
    grantee: str,
    grant: AbstractSet[str],
    revoke: AbstractSet[str],
    done: list[str],
) -> None:
    if grant:
        privs = ", ".join(sorted(grant))
        conn.execute(text(f"GRANT {privs} ON public.{q(table)} TO {_who(grantee)}"))
        done.append(f"granted {privs} on {table} to {grantee}")
    if revoke:
        privs = ", ".join(sorted(revoke))
        conn.execute(text(f"REVOKE {privs} ON public.{q(table)} FROM {_who(grantee)}"))
        done.append(f"revoked {privs} on {table} from {grantee}")


def _who(grantee: str) -> str:
    return "PUBLIC" if grantee == "PUBLIC" else q(grantee)


def _audit_head(conn: Connection, done: list[str]) -> None:
    """The head row exists from the start, so writers only ever update it (and lock it to append)."""
    has_head = conn.execute(text("SELECT count(*) FROM public.audit_head")).scalar()
    has_entries = conn.execute(text("SELECT count(*) FROM public.audit_entry")).scalar()
    if not has_head and not has_entries:
        conn.execute(text("INSERT INTO public.audit_head (id, seq, hash) VALUES (1, 0, :g)"), {"g": GENESIS})
        done.append("started the audit log's head")
