"""``server check``: what a team database is missing, or allows beyond the plan, one finding a line."""

from __future__ import annotations

from sqlalchemy import Connection, text

from tracker.migrate import SCHEMA_HEAD
from tracker.team.catalog import Catalog, read_catalog
from tracker.team.policies import (
    FUNCTIONS,
    LOGIN_TABLE,
    TRIGGERS,
    Roles,
    all_tables,
    column_grants,
    policies,
    rls_tables,
    table_grants,
)
from tracker.team.server import server_engine


def check_server(url: str) -> list[str]:
    """Every finding, in words; an empty list when the database is as ``server init`` leaves it."""
    engine = server_engine(url)
    try:
        with engine.connect() as conn:
            cat = read_catalog(conn)
            logins = _mapped_logins(conn, cat)
    finally:
        engine.dispose()
    roles = Roles(cat.database)
    found: list[str] = []
    found += _role_findings(cat, roles, logins)
    if roles.owner not in cat.roles:
        return found
    found += _schema_findings(cat, roles)
    found += _table_findings(cat, roles)
    found += _grant_findings(cat, roles)
    return found


def _mapped_logins(conn: Connection, cat: Catalog) -> dict[str, str]:
    if LOGIN_TABLE not in cat.table_owner:
        return {}
    return dict(conn.execute(text(f"SELECT login, role FROM public.{LOGIN_TABLE}")).all())


def _role_findings(cat: Catalog, roles: Roles, logins: dict[str, str]) -> list[str]:
    found = []
    for name in (roles.owner, *roles.groups):
        info = cat.roles.get(name)
        if info is None:
            found.append(f"role {name} is missing: run server init")
            continue
        for flag, bad in (
            ("LOGIN", info.login),
            ("SUPERUSER", info.superuser),
            ("BYPASSRLS", info.bypassrls),
        ):
            if bad:
                found.append(f"role {name} has {flag}: no one should log in as it or bypass its rules")
    members: set[str] = set()
    for group in roles.groups:
        members |= cat.members.get(group, set())
    owners = cat.members.get(roles.owner, set())
    for name in sorted(members):
        info = cat.roles.get(name)
        if info is None:
            continue
        if info.superuser:
            found.append(f"login {name} is a SUPERUSER: it bypasses every permission; use a plain login")
        if info.bypassrls:
            found.append(
                f"login {name} has BYPASSRLS: row-level security does not apply to it; ALTER ROLE {name} NOBYPASSRLS"
            )
        if info.createrole:
            found.append(
                f"login {name} has CREATEROLE: it could give itself any role; ALTER ROLE {name} NOCREATEROLE"
            )
        if name in owners:
            found.append(
                f"login {name} can act as {roles.owner} (the schema's owner); REVOKE {roles.owner} FROM {name}"
            )
        owned = cat.owns_tables(name)
        if owned:
            found.append(
                f"login {name} owns {', '.join(owned)}: tables belong to {roles.owner}; run server init"
            )
    groups_of: dict[str, list[str]] = {}
    for group in roles.groups:
        for member in cat.members.get(group, set()):
            groups_of.setdefault(member, []).append(group)
    for name, groups in sorted(groups_of.items()):
        if len(groups) > 1 and name not in roles.groups:
            found.append(f"login {name} is in more than one group ({', '.join(sorted(groups))}): keep one")
    for login, role in sorted(logins.items()):
        if login in cat.roles and login not in cat.members.get(roles.group(role), set()):
            found.append(f"login {login} is listed as {role} but is not in {roles.group(role)}")
    return found


def _schema_findings(cat: Catalog, roles: Roles) -> list[str]:
    found = []
    if cat.revision is None:
        found.append("the plan's tables are missing: run server init")
    elif cat.revision != SCHEMA_HEAD:
        found.append(f"the schema is at {cat.revision}, not {SCHEMA_HEAD}: run server init to upgrade it")
    for grantee in sorted(cat.schema_create):
        if grantee == "PUBLIC" or grantee in roles.groups or grantee in _members(cat, roles):
            found.append(f"{grantee} may create tables in the schema public: only {roles.owner} should")
    return found


def _members(cat: Catalog, roles: Roles) -> set[str]:
    out: set[str] = set()
    for group in roles.groups:
        out |= cat.members.get(group, set())
    return out


def _table_findings(cat: Catalog, roles: Roles) -> list[str]:
    found = []
    for table in all_tables():
        owner = cat.table_owner.get(table)
        if owner is None:
            if cat.revision is not None or table == LOGIN_TABLE:
                found.append(f"table {table} is missing: run server init")
        elif owner != roles.owner:
            found.append(f"table {table} belongs to {owner}, not {roles.owner}: run server init")
    for table in rls_tables():
        if table not in cat.table_owner:
            continue
        enabled, forced = cat.rls.get(table, (False, False))
        if not enabled:
            found.append(f"table {table} does not have row-level security enabled: run server init")
        elif not forced:
            found.append(f"table {table} does not FORCE row-level security: run server init")
    wanted = {(p.table, p.name): p for p in policies(roles)}
    for (table, name), policy in sorted(wanted.items()):
        comment = cat.policies.get((table, name), "")
        if (table, name) not in cat.policies:
            found.append(f"table {table} lacks its policy {name}: run server init")
        elif comment != policy.fingerprint:
            found.append(f"table {table}'s policy {name} is not as the plan defines it: run server init")
    for table, name in sorted(set(cat.policies) - set(wanted)):
        found.append(f"table {table} has a policy {name} the plan does not define: it may let more through")
    for fn in FUNCTIONS:
        if fn.key not in cat.functions:
            found.append(f"function {fn.key} is missing: run server init")
        elif cat.functions[fn.key] != fn.fingerprint:
            found.append(f"function {fn.key} is not as the plan defines it: run server init")
    for trigger in TRIGGERS:
        state = cat.triggers.get((trigger.table, trigger.name))
        if state is None:
            found.append(f"table {trigger.table} lacks its trigger {trigger.name}: run server init")
        elif not state:
            found.append(f"table {trigger.table}'s trigger {trigger.name} is disabled: run server init")
    return found


def _grant_findings(cat: Catalog, roles: Roles) -> list[str]:
    found = []
    wanted = table_grants(roles)
    for (table, grantee), have in sorted(cat.grants.items()):
        if grantee == cat.table_owner.get(table):
            continue
        allowed = wanted.get((table, grantee), frozenset()) if grantee in roles.groups else frozenset()
        extra = have - allowed
        if extra:
            found.append(
                f"{grantee} may {', '.join(sorted(extra))} on {table}: beyond the plan; run server init"
            )
    for (table, grantee), want in sorted(wanted.items()):
        if table not in cat.table_owner:
            continue
        missing = want - cat.grants.get((table, grantee), set())
        if missing:
            found.append(f"{grantee} lacks {', '.join(sorted(missing))} on {table}: run server init")
    wanted_columns = column_grants(roles)
    for (table, grantee, privilege), have in sorted(cat.column_grants.items()):
        extra = have - wanted_columns.get((table, grantee), {}).get(privilege, frozenset())
        if extra and grantee != cat.table_owner.get(table):
            found.append(f"{grantee} may {privilege} {table} ({', '.join(sorted(extra))}): beyond the plan")
    for (table, grantee), by_privilege in sorted(wanted_columns.items()):
        for privilege, columns in by_privilege.items():
            missing = columns - cat.column_grants.get((table, grantee, privilege), set())
            if missing and table in cat.table_owner:
                found.append(
                    f"{grantee} lacks {privilege} on {table} ({', '.join(sorted(missing))}): run server init"
                )
    return found
