"""Tampering with a plan file behind the app's back: `check` names what was changed.

Each test edits a real SQLite file directly, as someone with the file and a SQLite browser would,
then runs `check` from the command line.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from tracker.audit import encode, entry_hash
from tracker.cli import EXIT_ERROR, main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def sample_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tamper") / "sample.db"
    assert main(["--db", str(path), "init", "--sample"]) == 0
    return path


@pytest.fixture
def plan(sample_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[Path]:
    """A copy of the sample plan that `check` has seen once (so its head is remembered as an anchor)."""
    path = tmp_path / "plan.db"
    with sqlite3.connect(sample_file) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
    code, out, _ = run(capsys, "--db", str(path), "check")
    assert code == 0, out
    yield path


def sql(path: Path, *statements: str, params: tuple[object, ...] = ()) -> None:
    with sqlite3.connect(path) as con:
        for s in statements:
            con.execute(s, params) if params else con.execute(s)


def one(path: Path, query: str) -> tuple[object, ...]:
    with sqlite3.connect(path) as con:
        row = con.execute(query).fetchone()
    assert row is not None, query
    return row


def check(capsys: pytest.CaptureFixture[str], path: Path, *extra: str) -> tuple[int, dict[str, str], str]:
    """`check`'s exit code, each finding's line by name (with the lines under it), and stderr."""
    code, out, err = run(capsys, "--db", str(path), "check", *extra)
    found: dict[str, str] = {}
    name = ""
    for line in out.splitlines():
        if line.startswith(("ok", "FAIL")):
            name = line[6:].split(":", 1)[0]
            found[name] = line
        elif name:
            found[name] += "\n" + line
    return code, found, err


def rechain(path: Path, from_seq: int = 1) -> None:
    """Recompute every hash from ``from_seq`` on and the head, as a careful forger would."""
    with sqlite3.connect(path) as con:
        con.row_factory = sqlite3.Row
        prev_row = con.execute("SELECT hash FROM audit_entry WHERE seq = ?", (from_seq - 1,)).fetchone()
        prev = prev_row["hash"] if prev_row else "0" * 64
        rows = con.execute("SELECT * FROM audit_entry WHERE seq >= ? ORDER BY seq", (from_seq,)).fetchall()
        for r in rows:
            row = dict(r, at=datetime.fromisoformat(r["at"]))
            digest = entry_hash(prev, row)
            con.execute(
                "UPDATE audit_entry SET prev_hash = ?, hash = ? WHERE seq = ?", (prev, digest, r["seq"])
            )
            prev = digest
        con.execute("UPDATE audit_head SET seq = (SELECT max(seq) FROM audit_entry), hash = ?", (prev,))


# ---------------------------------------------------------------------------------------------- data edited


def test_an_edited_commentary_is_named_by_table_row_and_field(plan, capsys):
    (uid,) = one(plan, "SELECT id FROM status_update WHERE commentary <> '' LIMIT 1")
    sql(plan, "UPDATE status_update SET commentary = 'All fine.' WHERE id = ?", params=(uid,))
    code, found, err = check(capsys, plan)
    assert code == EXIT_ERROR and "audited data" in err
    assert found["audited data"].startswith("FAIL  audited data: 1 difference")
    assert f'status update {uid}: commentary is "All fine." but the audit log says' in found["audited data"]
    assert found["audit chain"].startswith("ok")


def test_a_closed_periods_rationale_edited_is_found(plan, capsys):
    (uid,) = one(
        plan,
        "SELECT u.id FROM status_update u JOIN reporting_period p ON p.id = u.period_id "
        "WHERE p.status = 'closed' AND u.rationale <> '' LIMIT 1",
    )
    sql(plan, "UPDATE status_update SET rationale = 'Nothing to report.' WHERE id = ?", params=(uid,))
    code, found, _ = check(capsys, plan)
    assert code == EXIT_ERROR
    assert f'status update {uid}: rationale is "Nothing to report."' in found["audited data"]


def test_a_risk_rescored_in_sqlite_is_found(plan, capsys):
    (rid, score) = one(plan, "SELECT id, residual_likelihood FROM risk LIMIT 1")
    sql(plan, "UPDATE risk SET residual_likelihood = ? WHERE id = ?", params=(1 if score != 1 else 2, rid))
    code, found, _ = check(capsys, plan)
    assert code == EXIT_ERROR
    assert f"risk {rid}: residual_likelihood is" in found["audited data"]


def test_a_status_update_deleted_in_sqlite_is_found(plan, capsys):
    (uid,) = one(plan, "SELECT id FROM status_update LIMIT 1")
    sql(plan, "DELETE FROM status_update WHERE id = ?", params=(uid,))
    code, found, _ = check(capsys, plan)
    assert code == EXIT_ERROR
    assert f"status update {uid} is in the audit log but not in the table" in found["audited data"]


def test_a_row_added_in_sqlite_has_no_history(plan, capsys):
    sql(plan, "INSERT INTO person (id, revision, changed_by, changed_at, deleted, name, role_title, email, active) "
              "VALUES ('intruder', 1, 'x', '2024-01-01 00:00:00', 0, 'Intruder', '', '', 1)")  # fmt: skip
    code, found, _ = check(capsys, plan)
    assert code == EXIT_ERROR
    assert "person intruder has no history in the audit log" in found["audited data"]


def test_many_differences_are_counted_and_a_few_listed(plan, capsys):
    sql(plan, "UPDATE milestone SET notes = notes || ' (edited)'")
    (n,) = one(plan, "SELECT count(*) FROM milestone")
    code, found, _ = check(capsys, plan)
    assert code == EXIT_ERROR
    assert f"{n:,} differences between the tables and the audit log (20 listed)" in found["audited data"]
    assert found["audited data"].count("\n") == 20


@pytest.mark.parametrize(
    ("table", "column", "edit"),
    [
        ("milestone", "baseline_date", "baseline_date || ' '"),  # a date with something after it
        ("reporting_period", "closed_at", "replace(closed_at, ':00.000000', ':01.000000')"),  # a second later
        ("person", "active", "2"),  # not a yes or no
    ],
)
def test_edits_that_read_alike_are_still_differences(plan, capsys, table, column, edit):
    (row_id,) = one(plan, f"SELECT id FROM {table} WHERE {column} IS NOT NULL LIMIT 1")
    sql(plan, f"UPDATE {table} SET {column} = {edit} WHERE id = ?", params=(row_id,))
    code, found, _ = check(capsys, plan)
    assert code == EXIT_ERROR
    assert f"{table.replace('_', ' ')} {row_id}: {column} is" in found["audited data"]


# ---------------------------------------------------------------------------------------------- the log itself


def test_a_plan_whose_log_and_head_were_deleted_fails(plan, capsys):
    sql(plan, "DELETE FROM audit_entry", "DELETE FROM audit_head")
    code, found, _ = check(capsys, plan)
    assert code == EXIT_ERROR
    assert "the audit log is empty but the plan holds" in found["audit chain"]
    assert found["audited data"].startswith("FAIL")
    assert "is no longer in the log: entries were removed" in found["anchors"]


def test_a_deleted_head_is_found_and_writes_are_refused_in_one_line(plan, capsys):
    sql(plan, "DELETE FROM audit_head")
    code, found, _ = check(capsys, plan)
    assert code == EXIT_ERROR
    assert "the audit log's head is missing" in found["audit chain"]

    code, _, err = run(capsys, "--db", str(plan), "periods", "reopen", "2021/22 Q1", "--reason", "Typo")
    assert code == EXIT_ERROR
    assert err.count("\n") == 1 and "UNIQUE" not in err
    assert err.startswith("error: Nothing was saved: the audit log's head is missing")

    code, out, _ = run(capsys, "--db", str(plan), "repair-audit-head")
    assert code == 0 and out.startswith("Repaired: the audit log's head is missing")
    code, _, err = run(capsys, "--db", str(plan), "periods", "reopen", "2021/22 Q1", "--reason", "Typo")
    assert code == 0, err
    assert check(capsys, plan)[0] == 0


def test_a_truncated_log_with_its_head_fixed_is_found(plan, capsys):
    (last,) = one(plan, "SELECT max(seq) FROM audit_entry")
    sql(plan, "DELETE FROM audit_entry WHERE seq > ?", params=(last - 5,))
    rechain(plan, last - 5)  # the head now names the new last entry, as a forger would leave it
    code, found, _ = check(capsys, plan)
    assert code == EXIT_ERROR
    assert found["audit chain"].startswith("ok")  # the chain itself is consistent
    assert f"entry {last:,} (" in found["anchors"] and "entries were removed" in found["anchors"]


def test_a_rewritten_entry_with_its_chain_recomputed_is_found(plan, capsys):
    """Who made a change, rewritten and the chain recomputed: only the remembered head can tell."""
    (seq,) = one(plan, "SELECT max(seq) FROM audit_entry WHERE field <> 'created'")
    sql(plan, "UPDATE audit_entry SET actor = 'Someone else' WHERE seq = ?", params=(seq,))
    rechain(plan, seq)
    code, found, _ = check(capsys, plan)
    assert code == EXIT_ERROR
    assert found["audit chain"].startswith("ok") and found["audited data"].startswith("ok")
    assert "the log was rewritten" in found["anchors"]


def test_a_consistent_forgery_without_an_anchor_is_caught_by_a_printed_one(plan, capsys):
    """Data and log rewritten together leave nothing in the file; a head printed earlier still differs."""
    (seq, digest) = one(plan, "SELECT seq, hash FROM audit_head")
    (e_seq, uid, new) = one(
        plan,
        "SELECT seq, entity_id, new FROM audit_entry WHERE entity = 'risk' AND field = 'created' LIMIT 1",
    )
    was = json.loads(str(new))
    forged = 1 if was["residual_impact"] != 1 else 2  # a real change, whichever risk the index returns first
    created = dict(was, residual_impact=forged)
    sql(plan, "UPDATE audit_entry SET new = ? WHERE seq = ?", params=(encode(created), e_seq))
    sql(plan, "UPDATE risk SET residual_impact = ? WHERE id = ?", params=(forged, uid))
    rechain(plan, e_seq)
    code, found, _ = check(capsys, plan, "--forget-anchors")  # as if the app had never seen the file
    assert code == 0, found
    code, found, _ = check(capsys, plan, "--forget-anchors", "--anchor", f"{seq}:{str(digest)[:16]}")
    assert code == EXIT_ERROR
    assert f"entry {seq:,} no longer has the hash {str(digest)[:16]}" in found["anchors"]


def test_an_anchor_must_be_given_as_printed(plan, capsys):
    code, _, err = run(capsys, "--db", str(plan), "check", "--anchor", "12:abc")
    assert code == EXIT_ERROR and "is not an anchor" in err


def test_a_changed_value_in_the_log_with_its_chain_recomputed_is_found(plan, capsys):
    (seq, uid, name) = one(
        plan, "SELECT seq, entity_id, field FROM audit_entry WHERE field = 'rag' ORDER BY seq DESC LIMIT 1"
    )
    sql(plan, "UPDATE audit_entry SET new = '\"Purple\"' WHERE seq = ?", params=(seq,))
    rechain(plan, int(str(seq)))
    code, found, _ = check(capsys, plan)
    assert code == EXIT_ERROR
    assert (
        f"{uid}: rag is" in found["audited data"] and 'the audit log says "Purple"' in found["audited data"]
    )


def test_a_head_behind_the_log_is_a_finding_and_refuses_writes(plan, capsys):
    sql(plan, "UPDATE audit_head SET seq = seq - 1")
    code, found, _ = check(capsys, plan)
    assert code == EXIT_ERROR and "but its head says" in found["audit chain"]
    code, _, err = run(capsys, "--db", str(plan), "periods", "reopen", "2021/22 Q1", "--reason", "Typo")
    assert code == EXIT_ERROR and err.count("\n") == 1 and "Nothing was saved" in err
