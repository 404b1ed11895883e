"""Team mode, server side (issue 14): what PostgreSQL itself lets each login do, by raw SQL on the
login's own connection, and ``server init`` / ``server check``. Runs when TRACKER_TEST_DATABASE_URL
names a server (as in CI); each module gets one server database, set up once."""

from __future__ import annotations

from datetime import datetime

import psycopg
import pytest
from psycopg import errors
from sqlalchemy.engine import make_url

from tests.builders import small_plan
from tests.conftest import _pg_database
from tests.team_server import drop_roles, libpq_url, login_url, raw, team_server
from tracker.audit import entry_hash, verify_chain
from tracker.db import Actor
from tracker.enums import Role
from tracker.services import update_objective
from tracker.store import open_store
from tracker.team.accounts import add_user
from tracker.team.check import check_server
from tracker.team.server import init_server

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def team():
    with team_server() as t:
        yield t


def status_of(t, objective_id: str) -> str:
    return f"UPDATE status_update SET commentary = 'raw' WHERE objective_id = '{objective_id}'"


# ---------------------------------------------------------------------------------------------- init, check


def test_init_twice_changes_nothing_and_check_passes(team):
    assert not init_server(team.admin).changed
    assert check_server(team.admin) == []


def test_the_schema_belongs_to_a_role_no_one_logs_in_as(team):
    rows = raw_rows(team.admin, "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")
    assert rows == [(team.roles.owner,)]
    assert raw_rows(team.admin, f"SELECT rolcanlogin FROM pg_roles WHERE rolname = '{team.roles.owner}'") == [
        (False,)
    ]


def test_check_finds_a_login_that_bypasses_rls_and_a_table_without_its_policy(team):
    lead_b = team.logins.lead_b
    raw(team.admin, f'ALTER ROLE "{lead_b}" BYPASSRLS')
    raw(team.admin, "DROP POLICY tracker_lead_update ON milestone")
    try:
        found = check_server(team.admin)
        assert any(lead_b in line and "BYPASSRLS" in line for line in found), found
        assert any("milestone lacks its policy tracker_lead_update" in line for line in found), found
    finally:
        raw(team.admin, f'ALTER ROLE "{lead_b}" NOBYPASSRLS')
        assert "created the policy tracker_lead_update on milestone" in init_server(team.admin).done
    assert check_server(team.admin) == []


def test_check_finds_a_table_without_forced_rls_and_a_grant_beyond_the_plan(team):
    raw(team.admin, "ALTER TABLE status_update NO FORCE ROW LEVEL SECURITY")
    raw(team.admin, f'GRANT DELETE ON status_update TO "{team.roles.lead}"')
    try:
        found = check_server(team.admin)
        assert "table status_update does not FORCE row-level security: run server init" in found
        assert any(line.startswith(f"{team.roles.lead} may DELETE on status_update") for line in found), found
    finally:
        init_server(team.admin)
    assert check_server(team.admin) == []


@pytest.mark.parametrize(
    ("harm", "undo", "finding"),
    [
        ('GRANT "{owner}" TO "{lead_b}"', 'REVOKE "{owner}" FROM "{lead_b}"', "login {lead_b} can act as {owner}"),
        ('ALTER ROLE "{lead_b}" CREATEROLE', 'ALTER ROLE "{lead_b}" NOCREATEROLE', "login {lead_b} has CREATEROLE"),
        ('ALTER ROLE "{lead_b}" SUPERUSER', 'ALTER ROLE "{lead_b}" NOSUPERUSER', "login {lead_b} is a SUPERUSER"),
        ('CREATE TABLE stray (id int); ALTER TABLE stray OWNER TO "{lead_b}"', "DROP TABLE stray",
         "login {lead_b} owns stray"),
        ("GRANT SELECT ON person TO PUBLIC", "REVOKE SELECT ON person FROM PUBLIC", "PUBLIC may SELECT on person"),
        ('GRANT UPDATE (title) ON objective TO "{lead}"', 'REVOKE UPDATE (title) ON objective FROM "{lead}"',
         "{lead} may UPDATE objective (title)"),
        ("ALTER TABLE status_update DISABLE TRIGGER tracker_status_frozen",
         "ALTER TABLE status_update ENABLE TRIGGER tracker_status_frozen",
         "table status_update's trigger tracker_status_frozen is disabled"),
        ("CREATE POLICY open_door ON risk FOR UPDATE USING (true)", "DROP POLICY open_door ON risk",
         "table risk has a policy open_door the plan does not define"),
        ("GRANT CREATE ON SCHEMA public TO \"{lead}\"", "REVOKE CREATE ON SCHEMA public FROM \"{lead}\"",
         "{lead} may create tables in the schema public"),
    ],
)  # fmt: skip
def test_check_finds_what_lets_a_login_past_the_rules(team, harm, undo, finding):
    names = {"owner": team.roles.owner, "lead": team.roles.lead, "lead_b": team.logins.lead_b}
    for statement in harm.format(**names).split("; "):
        raw(team.admin, statement)
    try:
        found = check_server(team.admin)
    finally:
        raw(team.admin, undo.format(**names))
    assert any(finding.format(**names) in line for line in found), found
    assert check_server(team.admin) == []


# ---------------------------------------------------------------------------------------------- leads


def test_a_lead_updates_their_own_status_update_but_not_another_leads(team):
    assert raw(team.lead_a, status_of(team, team.ids.obj1)) == 1
    assert (
        raw(team.lead_a, status_of(team, team.ids.obj3)) == 0
    )  # lead B's objective: not even seen for update
    assert raw(team.lead_b, status_of(team, team.ids.obj3)) == 1
    assert raw(team.lead_b, status_of(team, team.ids.obj1)) == 0


def test_a_lead_cannot_insert_a_status_update_for_another_leads_objective(team):
    insert = (
        "INSERT INTO status_update (id, revision, changed_by, changed_at, deleted, objective_id, period_id, "
        "lifecycle, rationale, corrective_action, commentary, next_steps, author, reported_at) "
        "VALUES (%s, 1, 'x', now(), false, %s, %s, 'in progress', '', '', '', '', '', now())"
    )
    with pytest.raises(errors.InsufficientPrivilege, match="row-level security"):
        raw(team.lead_a, insert, ("raw-insert-1", team.ids.obj3, team.ids.q2))
    assert raw(team.lead_b, insert, ("raw-insert-2", team.ids.obj3, team.ids.q2)) == 1


def test_a_lead_cannot_hand_their_row_to_another_lead_or_take_one(team):
    # moving lead A's own status update onto lead B's objective fails the policy's check on the new row
    with pytest.raises(errors.InsufficientPrivilege, match="row-level security"):
        raw(team.lead_a, f"UPDATE status_update SET objective_id = '{team.ids.obj3}' "
                         f"WHERE objective_id = '{team.ids.obj1}'")  # fmt: skip
    # taking over the Programme Manager's objective: lead A cannot even reach the row
    assert raw(team.lead_a, f"UPDATE objective SET rag = 'red' WHERE id = '{team.ids.obj3}'") == 0


def test_a_lead_changes_only_an_objectives_current_status_never_its_definition(team):
    assert raw(team.lead_a, f"UPDATE objective SET rag = 'amber' WHERE id = '{team.ids.obj1}'") == 1
    with pytest.raises(errors.InsufficientPrivilege):
        raw(team.lead_a, f"UPDATE objective SET title = 'Mine now' WHERE id = '{team.ids.obj1}'")
    with pytest.raises(errors.InsufficientPrivilege):
        raw(team.lead_a, f"UPDATE objective SET lead_id = NULL WHERE id = '{team.ids.obj1}'")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE person SET name = 'x'",
        "UPDATE reporting_period SET status = 'open'",
        "UPDATE plan SET name = 'x'",
        "DELETE FROM status_update",
        "DELETE FROM milestone",
        "INSERT INTO team_login (login, role) VALUES ('someone', 'pmo')",
        "INSERT INTO store_meta (key, value) VALUES ('superseded_by', 'mine')",
        "UPDATE alembic_version SET version_num = '9999'",
        "CREATE TABLE sneaky (id int)",
        "ALTER TABLE status_update DISABLE ROW LEVEL SECURITY",
        "DROP POLICY tracker_lead_update ON status_update",
    ],
)
def test_a_lead_cannot_write_what_only_the_pmo_or_the_owner_can(team, statement):
    with pytest.raises((errors.InsufficientPrivilege, errors.UndefinedObject)):
        raw(team.lead_a, statement)


def test_the_pmo_notes_a_rollover_in_store_meta_but_never_changes_the_schema_version(team):
    assert raw(team.pmo, "INSERT INTO store_meta (key, value) VALUES ('pmo_note', 'x')") == 1
    assert raw(team.pmo, "DELETE FROM store_meta WHERE key = 'pmo_note'") == 1
    with pytest.raises(errors.InsufficientPrivilege):
        raw(team.pmo, "UPDATE alembic_version SET version_num = '9999'")


def test_a_lead_cannot_set_role_to_the_owner_or_the_pmo(team):
    for role in (team.roles.owner, team.roles.pmo):
        with pytest.raises(errors.InsufficientPrivilege):
            raw(team.lead_a, f'SET ROLE "{role}"')


# ---------------------------------------------------------------------------------------------- viewer


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE status_update SET commentary = 'x'",
        "UPDATE milestone SET notes = 'x'",
        "UPDATE objective SET rag = 'red'",
        "DELETE FROM risk",
        "UPDATE audit_head SET seq = seq",
        "INSERT INTO audit_entry (seq, txn, at, actor, source, detail, entity, entity_id, field, prev_hash, hash) "
        "VALUES (999, 't', now(), session_user, 'app', '', 'x', 'x', 'x', '', '')",
    ],
)
def test_a_viewer_writes_nothing(team, statement):
    with pytest.raises(errors.InsufficientPrivilege):
        raw(team.viewer, statement)


def test_a_viewer_reads_everything(team):
    assert raw_rows(team.viewer, "SELECT count(*) FROM status_update")[0][0] >= 2
    assert raw_rows(team.viewer, "SELECT count(*) FROM audit_entry")[0][0] > 0


# ---------------------------------------------------------------------------------------------- audit log


@pytest.mark.parametrize("who", ["pmo", "lead_a"])
def test_no_login_may_change_or_remove_an_audit_entry(team, who):
    url = getattr(team, who)
    for statement in ("UPDATE audit_entry SET actor = 'someone else'", "DELETE FROM audit_entry",
                      "TRUNCATE audit_entry"):  # fmt: skip
        with pytest.raises(errors.InsufficientPrivilege):
            raw(url, statement)


def test_not_even_the_administrator_may_change_an_audit_entry(team):
    for statement in ("UPDATE audit_entry SET actor = 'someone else'", "DELETE FROM audit_entry",
                      "TRUNCATE audit_entry"):  # fmt: skip
        with pytest.raises(errors.InsufficientPrivilege, match="append-only"):
            raw(team.admin, statement)


def test_an_entry_must_name_its_writer_follow_the_chain_and_hash_true(team):
    seq, prev = raw_rows(team.pmo, "SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1")[0]
    insert = (
        "INSERT INTO audit_entry (seq, txn, at, actor, source, detail, entity, entity_id, field, old, new, "
        "prev_hash, hash) VALUES (%(seq)s, %(txn)s, %(at)s, %(actor)s, %(source)s, %(detail)s, %(entity)s, "
        "%(entity_id)s, %(field)s, %(old)s, %(new)s, %(prev_hash)s, %(hash)s)"
    )

    def entry(actor: str, **changes):
        row = {"seq": seq + 1, "txn": "t", "at": datetime(2025, 1, 2, 3, 4, 5), "actor": actor, "source": "app",
               "detail": "", "entity": "risk", "entity_id": "x", "field": "title", "old": None, "new": '"x"',
               "prev_hash": prev, **changes}  # fmt: skip
        return {
            **row,
            "hash": entry_hash(row["prev_hash"], row),
            **({"hash": changes["hash"]} if "hash" in changes else {}),
        }

    with pytest.raises(errors.InsufficientPrivilege, match="row-level security"):  # someone else's name
        raw(team.lead_a, insert, entry("PMO analyst"))
    with pytest.raises(errors.CheckViolation, match="does not follow"):  # a gap in the chain
        raw(team.lead_a, insert, entry(team.logins.lead_a, seq=seq + 5))
    with pytest.raises(errors.CheckViolation, match="does not hash"):
        raw(team.lead_a, insert, entry(team.logins.lead_a, hash="0" * 64))


def test_the_head_moves_only_to_the_last_entry(team):
    with pytest.raises(errors.InsufficientPrivilege, match="row-level security"):
        raw(team.lead_a, "UPDATE audit_head SET seq = 0")


def test_the_chain_verifies_and_names_the_logins(team):
    with open_store(team.admin) as store, store.read() as session:
        assert verify_chain(session) == []
        actors = {
            a for (a,) in session.connection().exec_driver_sql("SELECT DISTINCT actor FROM audit_entry")
        }
    assert team.logins.pmo in actors
    assert "PMO analyst" not in actors  # the name the client gave is not what the log records


# ---------------------------------------------------------------------------------------------- closed periods


def test_a_closed_periods_updates_are_frozen_for_everyone_until_the_pmo_reopens_it(team):
    q1 = team.ids.q1
    update = f"UPDATE status_update SET commentary = 'late' WHERE period_id = '{q1}'"
    raw(team.pmo, f"UPDATE reporting_period SET status = 'closed' WHERE id = '{q1}'")
    try:
        for url in (team.pmo, team.lead_a, team.admin):
            with pytest.raises(errors.CheckViolation, match="2024/25 Q1 is closed"):
                raw(url, update)
        with pytest.raises(errors.CheckViolation, match="is closed"):
            raw(team.pmo, f"DELETE FROM status_update WHERE period_id = '{q1}'")
    finally:
        raw(team.pmo, f"UPDATE reporting_period SET status = 'open' WHERE id = '{q1}'")
    assert raw(team.lead_a, f"{update} AND objective_id = '{team.ids.obj1}'") == 1


def raw_rows(url: str, statement: str) -> list[tuple]:
    with psycopg.connect(libpq_url(url)) as conn:
        return conn.execute(statement).fetchall()  # type: ignore[arg-type]


def test_init_takes_over_a_plan_already_on_the_server():
    """A plan kept on PostgreSQL before team mode: its tables pass to the owner, its log goes on."""
    databases = _pg_database()
    url = next(databases)
    db = str(make_url(url).database)
    try:
        with open_store(url) as store:
            ids = small_plan(store, Actor("PMO analyst"))
        done = init_server(url).done
        assert f"gave the table plan to {db}_owner (it belonged to postgres)" in done
        assert check_server(url) == []
        add_user(url, f"{db}_pmo1", Role.PMO, "pw")
        with open_store(login_url(url, f"{db}_pmo1")) as store, store.write() as session:
            update_objective(
                session, actor=Actor("PMO analyst"), objective_id=ids.obj1, changes={"title": "Renamed"}
            )
        with open_store(url) as store, store.read() as session:
            assert verify_chain(session) == []
    finally:
        next(databases, None)
        drop_roles(db)
