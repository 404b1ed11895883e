"""What a PostgreSQL database holds now, read from its catalogs: roles, owners, grants, RLS, policies.

Both ``server init`` (to do only what is missing) and ``server check`` (to report it) read it here.
Every catalog named is readable by any login, so ``server check`` needs no special rights.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection, text


@dataclass(frozen=True)
class RoleInfo:
    name: str
    login: bool
    superuser: bool
    bypassrls: bool
    createrole: bool


@dataclass
class Catalog:
    database: str
    session_user: str
    is_superuser: bool
    roles: dict[str, RoleInfo] = field(default_factory=dict)
    members: dict[str, set[str]] = field(default_factory=dict)  # role -> every role that is a member of it
    table_owner: dict[str, str] = field(default_factory=dict)  # public tables only
    rls: dict[str, tuple[bool, bool]] = field(default_factory=dict)  # table -> (enabled, forced)
    grants: dict[tuple[str, str], set[str]] = field(default_factory=dict)  # (table, grantee) -> privileges
    column_grants: dict[tuple[str, str, str], set[str]] = field(
        default_factory=dict
    )  # (table, grantee, priv)
    policies: dict[tuple[str, str], str | None] = field(default_factory=dict)  # (table, name) -> comment
    functions: dict[str, str | None] = field(default_factory=dict)  # signature -> comment
    triggers: dict[tuple[str, str], bool] = field(default_factory=dict)  # (table, name) -> enabled
    schema_create: set[str] = field(default_factory=set)  # who may CREATE in schema public
    revision: str | None = None

    def owns_tables(self, role: str) -> list[str]:
        return sorted(t for t, owner in self.table_owner.items() if owner == role)


def read_catalog(conn: Connection) -> Catalog:
    row = conn.execute(
        text("SELECT current_database(), session_user, rolsuper FROM pg_roles WHERE rolname = session_user")
    ).one()
    cat = Catalog(database=row[0], session_user=row[1], is_superuser=bool(row[2]))
    for name, login, sup, bypass, createrole in conn.execute(
        text("SELECT rolname, rolcanlogin, rolsuper, rolbypassrls, rolcreaterole FROM pg_roles")
    ):
        cat.roles[name] = RoleInfo(name, login, sup, bypass, createrole)
    for role, member in conn.execute(
        text(
            "WITH RECURSIVE m(role, member) AS ("
            " SELECT r.rolname, u.rolname FROM pg_auth_members a"
            " JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles u ON u.oid = a.member"
            " UNION SELECT m.role, u.rolname FROM m JOIN pg_roles g ON g.rolname = m.member"
            " JOIN pg_auth_members a ON a.roleid = g.oid JOIN pg_roles u ON u.oid = a.member)"
            " SELECT role, member FROM m"
        )
    ):
        cat.members.setdefault(role, set()).add(member)
    for table, owner, enabled, forced in conn.execute(
        text(
            "SELECT c.relname, pg_get_userbyid(c.relowner), c.relrowsecurity, c.relforcerowsecurity "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')"
        )
    ):
        cat.table_owner[table] = owner
        cat.rls[table] = (bool(enabled), bool(forced))
    for table, grantee, privilege in conn.execute(
        text(
            "SELECT c.relname, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END, "
            "a.privilege_type FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, "
            "aclexplode(c.relacl) a WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')"
        )
    ):
        cat.grants.setdefault((table, grantee), set()).add(privilege)
    for table, column, grantee, privilege in conn.execute(
        text(
            "SELECT c.relname, t.attname, CASE WHEN a.grantee = 0 THEN 'PUBLIC' "
            "ELSE pg_get_userbyid(a.grantee) END, a.privilege_type "
            "FROM pg_attribute t JOIN pg_class c ON c.oid = t.attrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace, aclexplode(t.attacl) a "
            "WHERE n.nspname = 'public' AND t.attacl IS NOT NULL AND t.attnum > 0 AND NOT t.attisdropped"
        )
    ):
        cat.column_grants.setdefault((table, grantee, privilege), set()).add(column)
    for table, name, comment in conn.execute(
        text(
            "SELECT c.relname, p.polname, obj_description(p.oid, 'pg_policy') FROM pg_policy p "
            "JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public'"
        )
    ):
        cat.policies[(table, name)] = comment
    for signature, comment in conn.execute(
        text(
            "SELECT p.oid::regprocedure::text, obj_description(p.oid, 'pg_proc') FROM pg_proc p "
            "JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = 'public' AND p.proname LIKE 'tracker\\_%'"
        )
    ):
        cat.functions[signature] = comment
    for table, name, enabled in conn.execute(
        text(
            "SELECT c.relname, t.tgname, t.tgenabled <> 'D' FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND NOT t.tgisinternal"
        )
    ):
        cat.triggers[(table, name)] = bool(enabled)
    for grantee in conn.execute(
        text(
            "SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END "
            "FROM pg_namespace n, aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a "
            "WHERE n.nspname = 'public' AND a.privilege_type = 'CREATE'"
        )
    ).scalars():
        cat.schema_create.add(grantee)
    if "alembic_version" in cat.table_owner:
        cat.revision = conn.execute(text("SELECT max(version_num) FROM public.alembic_version")).scalar()
    return cat
