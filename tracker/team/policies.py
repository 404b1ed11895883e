"""What a team server holds: its roles, each group's grants, row-level security and the guards.

Everything here is data and SQL text; :mod:`tracker.team.server` applies it (``server init``) and
compares a database with it (``server check``). Names derive from the database's name, because
roles are shared by every database of a cluster: ``<db>_owner`` owns the schema and no one logs in
as it; ``<db>_pmo``, ``<db>_lead`` and ``<db>_viewer`` are the groups people's logins join.

The rules (issue 14):

- a viewer reads everything and writes nothing;
- the PMO reads and writes every row of the plan, but no DDL (only the owner has that);
- a lead reads everything and writes status updates only for objectives they lead; milestones and
  risks they own or whose objective they lead; recommendations they own or that are linked to an
  objective they lead, and those recommendations' progress notes; and on the objectives they lead,
  only the current status that their status update carries (column grants);
- a lead records what their offline replica sent (``sync_applied``) and the conflicts it raised
  (``sync_conflict``), and settles those conflicts; the PMO settles any;
- a login maps to a person in the plan through ``team_login`` (owned by the owner, read by all,
  written by the PMO or the administrator);
- a status update of a closed period cannot be inserted, changed or removed by anyone (a trigger:
  the PMO reopens the period first);
- the audit log is append-only for everyone: each new entry must follow the last one and hash to
  what it says (a trigger), its actor must be the login that writes it (``session_user``, a
  policy), the head may only be moved to the last entry (a policy), and no one may change or
  remove an entry (no grant, and a trigger that refuses even the owner).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlmodel import SQLModel

from tracker import models  # noqa: F401  (the tables are declared on SQLModel.metadata)

LOGIN_TABLE = "team_login"
AUDIT_ENTRY = "audit_entry"
AUDIT_HEAD = "audit_head"
GROUPS = ("pmo", "lead", "viewer")
PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")
DML = frozenset({"SELECT", "INSERT", "UPDATE", "DELETE"})


@dataclass(frozen=True)
class Roles:
    """The role names of one team database."""

    db: str

    @property
    def owner(self) -> str:
        return f"{self.db}_owner"

    def group(self, name: str) -> str:
        return f"{self.db}_{name}"

    @property
    def pmo(self) -> str:
        return self.group("pmo")

    @property
    def lead(self) -> str:
        return self.group("lead")

    @property
    def viewer(self) -> str:
        return self.group("viewer")

    @property
    def groups(self) -> tuple[str, ...]:
        return tuple(self.group(g) for g in GROUPS)


def q(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def plan_tables() -> tuple[str, ...]:
    """Every table the app's models declare (the plan, the audit log, store_meta)."""
    return tuple(sorted(SQLModel.metadata.tables))


def all_tables() -> tuple[str, ...]:
    return (*plan_tables(), "alembic_version", LOGIN_TABLE)


# What a lead may write, beyond reading everything.
LEAD_TABLE_WRITES: dict[str, frozenset[str]] = {
    "status_update": frozenset({"INSERT", "UPDATE"}),
    "milestone": frozenset({"INSERT", "UPDATE"}),
    "risk": frozenset({"INSERT", "UPDATE"}),
    "recommendation": frozenset({"UPDATE"}),
    "progress_note": frozenset({"INSERT", "UPDATE"}),
    "sync_conflict": frozenset({"INSERT", "UPDATE"}),
    "sync_applied": frozenset({"INSERT"}),
    AUDIT_ENTRY: frozenset({"INSERT"}),
    AUDIT_HEAD: frozenset({"UPDATE"}),
}
# The objective's current status follows its latest status update, in the same transaction.
LEAD_COLUMN_WRITES: dict[str, tuple[str, ...]] = {
    "objective": ("lifecycle", "rag", "progress_pct", "revision", "changed_by", "changed_at"),
}
# Only the app's writer appends to the log and moves its head; no one edits either.
AUDIT_WRITES: dict[str, frozenset[str]] = {
    AUDIT_ENTRY: frozenset({"SELECT", "INSERT"}),
    AUDIT_HEAD: frozenset({"SELECT", "UPDATE"}),
}
# The schema's version is the owner's to change; store_meta the PMO writes (a rollover notes the newer plan).
READ_ONLY = frozenset({"alembic_version"})


def table_grants(roles: Roles) -> dict[tuple[str, str], frozenset[str]]:
    """(table, group) -> the table-wide privileges the group should hold; absent means none."""
    out: dict[tuple[str, str], frozenset[str]] = {}
    for table in all_tables():
        out[(table, roles.viewer)] = frozenset({"SELECT"})
        out[(table, roles.lead)] = frozenset({"SELECT"}) | LEAD_TABLE_WRITES.get(table, frozenset())
        if table in AUDIT_WRITES:
            out[(table, roles.pmo)] = AUDIT_WRITES[table]
        elif table in READ_ONLY:
            out[(table, roles.pmo)] = frozenset({"SELECT"})
        else:
            out[(table, roles.pmo)] = DML
    return out


def column_grants(roles: Roles) -> dict[tuple[str, str], dict[str, frozenset[str]]]:
    """(table, group) -> privilege -> the columns it covers, where a group holds less than a whole table."""
    return {
        (table, roles.lead): {"UPDATE": frozenset(columns)} for table, columns in LEAD_COLUMN_WRITES.items()
    }


# ---------------------------------------------------------------------------------------------- RLS

# Row predicates for a lead: ``tracker_person()`` is the person the session's login maps to.
_LEAD_ROWS: dict[str, str] = {
    "objective": "lead_id = public.tracker_person()",
    "status_update": "public.tracker_leads(objective_id)",
    "milestone": "owner_id = public.tracker_person() OR public.tracker_leads(objective_id)",
    "risk": "owner_id = public.tracker_person() OR public.tracker_leads(objective_id)",
    "recommendation": "public.tracker_holds_recommendation(id)",
    "progress_note": "public.tracker_holds_recommendation(recommendation_id)",
    # an offline replica's sync: what the login sent, and the conflicts it raised
    "sync_conflict": "login = session_user",
    "sync_applied": "login = session_user",
}


def rls_tables() -> tuple[str, ...]:
    """Every table a lead can write: row-level security enabled and forced on each."""
    return tuple(sorted({*LEAD_TABLE_WRITES, *LEAD_COLUMN_WRITES}))


@dataclass(frozen=True)
class Policy:
    table: str
    name: str
    command: str  # SELECT, INSERT, UPDATE, DELETE or ALL
    roles: tuple[str, ...]
    using: str | None = None
    check: str | None = None

    def create_sql(self) -> str:
        sql = f"CREATE POLICY {q(self.name)} ON public.{q(self.table)} FOR {self.command} "
        sql += "TO " + ", ".join(q(r) for r in self.roles)
        if self.using is not None:
            sql += f" USING ({self.using})"
        if self.check is not None:
            sql += f" WITH CHECK ({self.check})"
        return sql

    @property
    def fingerprint(self) -> str:
        """Kept in the policy's comment: init replaces a policy whose definition has changed."""
        return "tracker:" + hashlib.sha256(self.create_sql().encode()).hexdigest()[:16]


def policies(roles: Roles) -> list[Policy]:
    everyone = roles.groups
    writers = (roles.pmo, roles.lead)
    out: list[Policy] = []
    for table in rls_tables():
        out.append(Policy(table, "tracker_read", "SELECT", everyone, using="true"))
        # The owner is no one's login; it keeps every row so that a data migration still sees them.
        out.append(Policy(table, "tracker_owner", "ALL", (roles.owner,), using="true", check="true"))
    for table, rows in _LEAD_ROWS.items():
        out.append(Policy(table, "tracker_pmo", "ALL", (roles.pmo,), using="true", check="true"))
        if "INSERT" in LEAD_TABLE_WRITES.get(table, ()):
            out.append(Policy(table, "tracker_lead_insert", "INSERT", (roles.lead,), check=rows))
        if "UPDATE" in LEAD_TABLE_WRITES.get(table, ()) or table in LEAD_COLUMN_WRITES:
            out.append(Policy(table, "tracker_lead_update", "UPDATE", (roles.lead,), using=rows, check=rows))
    out.append(Policy(AUDIT_ENTRY, "tracker_append", "INSERT", writers, check="actor = session_user"))
    out.append(
        Policy(
            AUDIT_HEAD, "tracker_advance", "UPDATE", writers, using="id = 1",
            check="id = 1 AND seq = (SELECT max(e.seq) FROM public.audit_entry e) "
            "AND hash = (SELECT e.hash FROM public.audit_entry e WHERE e.seq = audit_head.seq)",
        )
    )  # fmt: skip
    return out


# ---------------------------------------------------------------------------------------------- functions


@dataclass(frozen=True)
class Function:
    signature: str  # name(argument types), as in COMMENT ON FUNCTION
    body: str  # everything after CREATE OR REPLACE FUNCTION <signature>

    def create_sql(self) -> str:
        return f"CREATE OR REPLACE FUNCTION public.{self.signature} {self.body}"

    @property
    def fingerprint(self) -> str:
        return "tracker:" + hashlib.sha256(self.create_sql().encode()).hexdigest()[:16]

    @property
    def key(self) -> str:
        """The signature as the catalog prints it (``regprocedure``, with public on the search path)."""
        return self.signature.replace("public.", "")


FUNCTIONS: tuple[Function, ...] = (
    Function(
        "tracker_person()",
        "RETURNS text LANGUAGE sql STABLE AS $$ "
        f"SELECT person_id FROM public.{LOGIN_TABLE} WHERE login = session_user AND role = 'lead' $$",
    ),
    Function(
        "tracker_leads(text)",
        "RETURNS boolean LANGUAGE sql STABLE AS $$ "
        "SELECT EXISTS (SELECT 1 FROM public.objective o WHERE o.id = $1 "
        "AND o.lead_id = public.tracker_person()) $$",
    ),
    Function(
        "tracker_holds_recommendation(text)",
        "RETURNS boolean LANGUAGE sql STABLE AS $$ "
        "SELECT EXISTS (SELECT 1 FROM public.recommendation r WHERE r.id = $1 AND "
        "(r.owner_id = public.tracker_person() OR EXISTS (SELECT 1 FROM public.recommendation_objective l "
        "WHERE l.recommendation_id = r.id AND NOT l.deleted AND public.tracker_leads(l.objective_id)))) $$",
    ),
    # tracker.audit.entry_hash, in SQL: the server checks each entry as it is appended.
    Function(
        "tracker_entry_hash(public.audit_entry)",
        "RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT encode(sha256("
        "convert_to($1.prev_hash, 'UTF8') || '\\x1f'::bytea || convert_to($1.seq::text, 'UTF8') "
        "|| '\\x1f'::bytea || convert_to($1.txn, 'UTF8') "
        "|| '\\x1f'::bytea || convert_to(to_char($1.at, 'YYYY-MM-DD HH24:MI:SS'), 'UTF8') "
        "|| '\\x1f'::bytea || convert_to($1.actor, 'UTF8') || '\\x1f'::bytea || convert_to($1.source, 'UTF8') "
        "|| '\\x1f'::bytea || convert_to($1.detail, 'UTF8') || '\\x1f'::bytea || convert_to($1.entity, 'UTF8') "
        "|| '\\x1f'::bytea || convert_to($1.entity_id, 'UTF8') || '\\x1f'::bytea || convert_to($1.field, 'UTF8') "
        "|| '\\x1f'::bytea || coalesce(convert_to($1.old, 'UTF8'), '\\x00'::bytea) "
        "|| '\\x1f'::bytea || coalesce(convert_to($1.new, 'UTF8'), '\\x00'::bytea)), 'hex') $$",
    ),
    Function(
        "tracker_audit_append()",
        "RETURNS trigger LANGUAGE plpgsql AS $$ DECLARE last_seq bigint; last_hash text; BEGIN "
        "SELECT e.seq, e.hash INTO last_seq, last_hash FROM public.audit_entry e ORDER BY e.seq DESC LIMIT 1; "
        "IF NEW.seq IS DISTINCT FROM coalesce(last_seq, 0) + 1 "
        "OR NEW.prev_hash IS DISTINCT FROM coalesce(last_hash, repeat('0', 64)) THEN "
        "RAISE EXCEPTION 'audit entry % does not follow the last entry of the log (%)', "
        "NEW.seq, coalesce(last_seq, 0) USING ERRCODE = 'check_violation'; END IF; "
        "IF NEW.hash IS DISTINCT FROM public.tracker_entry_hash(NEW) THEN "
        "RAISE EXCEPTION 'audit entry % does not hash to what it says', NEW.seq "
        "USING ERRCODE = 'check_violation'; END IF; RETURN NEW; END $$",
    ),
    Function(
        "tracker_audit_immutable()",
        "RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "RAISE EXCEPTION 'the audit log is append-only: its entries cannot be changed or removed' "
        "USING ERRCODE = 'insufficient_privilege'; END $$",
    ),
    Function(
        "tracker_status_frozen()",
        "RETURNS trigger LANGUAGE plpgsql AS $$ DECLARE closed text; BEGIN "
        "IF TG_OP <> 'INSERT' THEN SELECT p.name INTO closed FROM public.reporting_period p "
        "WHERE p.id = OLD.period_id AND p.status = 'closed'; END IF; "
        "IF closed IS NULL AND TG_OP <> 'DELETE' THEN SELECT p.name INTO closed "
        "FROM public.reporting_period p WHERE p.id = NEW.period_id AND p.status = 'closed'; END IF; "
        "IF closed IS NOT NULL THEN RAISE EXCEPTION "
        "'% is closed: its status updates are frozen as reported; the PMO can reopen it, giving a reason', "
        "closed USING ERRCODE = 'check_violation'; END IF; "
        "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$",
    ),
)


@dataclass(frozen=True)
class Trigger:
    table: str
    name: str
    timing: str  # e.g. "BEFORE INSERT", "BEFORE UPDATE OR DELETE"
    level: str  # ROW or STATEMENT
    function: str

    def create_sql(self) -> str:
        return (
            f"CREATE TRIGGER {q(self.name)} {self.timing} ON public.{q(self.table)} "
            f"FOR EACH {self.level} EXECUTE FUNCTION public.{self.function}()"
        )


TRIGGERS: tuple[Trigger, ...] = (
    Trigger(AUDIT_ENTRY, "tracker_audit_append", "BEFORE INSERT", "ROW", "tracker_audit_append"),
    Trigger(AUDIT_ENTRY, "tracker_audit_immutable", "BEFORE UPDATE OR DELETE", "ROW", "tracker_audit_immutable"),
    Trigger(AUDIT_ENTRY, "tracker_audit_no_truncate", "BEFORE TRUNCATE", "STATEMENT", "tracker_audit_immutable"),
    Trigger("status_update", "tracker_status_frozen", "BEFORE INSERT OR UPDATE OR DELETE", "ROW",
            "tracker_status_frozen"),
)  # fmt: skip

LOGIN_TABLE_SQL = (
    f"CREATE TABLE public.{LOGIN_TABLE} ("
    "login varchar(63) PRIMARY KEY, "
    "person_id varchar(36) REFERENCES public.person (id), "
    "role varchar(10) NOT NULL CHECK (role IN ('pmo', 'lead', 'viewer')), "
    "added_at timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'), "
    "added_by varchar(63) NOT NULL DEFAULT session_user, "
    "CHECK (role <> 'lead' OR person_id IS NOT NULL))"
)
