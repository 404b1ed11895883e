"""Next year's plan (issue 13, item 5): the sample plan rolled over into a new file, by the service and
the command line; the old plan kept read-only beside it; a killed rollover leaves no new plan."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tracker.cli import EXIT_ERROR, main
from tracker.db import Actor, StoreError
from tracker.enums import Role
from tracker.errors import NotPermitted, ValidationError
from tracker.lock import WriteLock
from tracker.services import update_recommendation
from tracker.services.rollover import roll_over
from tracker.store import open_store

ROOT = Path(__file__).resolve().parents[1]
NEW_NAME = "EMSOU Strategy 2024/25"
OPEN_OBJECTIVE = "o.deleted = 0 AND o.retired_on IS NULL AND o.lifecycle NOT IN ('complete', 'cancelled')"
# What the old plan holds that the new one should carry, asked of the old file in plain SQL.
OPEN_ITEMS = {
    "objective": f"SELECT count(*) FROM objective o WHERE {OPEN_OBJECTIVE}",
    "milestone": "SELECT count(*) FROM milestone m JOIN objective o ON o.id = m.objective_id "
    f"WHERE m.deleted = 0 AND m.completed_date IS NULL AND {OPEN_OBJECTIVE}",
    "risk": "SELECT count(*) FROM risk WHERE deleted = 0 AND status <> 'closed'",
    "recommendation": "SELECT count(*) FROM recommendation r JOIN inspection i ON i.id = r.inspection_id "
    "WHERE r.deleted = 0 AND i.deleted = 0 "
    "AND r.status IN ('awaiting allocation', 'being progressed', 'proposed for closure')",
}
ALL_ITEMS = {
    "objective": "SELECT count(*) FROM objective o WHERE o.deleted = 0 AND o.retired_on IS NULL",
    "milestone": "SELECT count(*) FROM milestone m JOIN objective o ON o.id = m.objective_id "
    "WHERE m.deleted = 0 AND o.deleted = 0 AND o.retired_on IS NULL",
    "risk": "SELECT count(*) FROM risk WHERE deleted = 0",
    "recommendation": "SELECT count(*) FROM recommendation r JOIN inspection i ON i.id = r.inspection_id "
    "WHERE r.deleted = 0 AND i.deleted = 0",
}


def rows(db: Path, sql: str) -> list[tuple]:  # type: ignore[type-arg]
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def one(db: Path, sql: str) -> object:
    return rows(db, sql)[0][0]


def unchanged_since(db: Path) -> tuple[object, ...]:
    """What a refused rollover must leave as it was: the audit log, and no mark of a newer plan."""
    return one(db, "SELECT count(*) FROM audit_entry"), one(db, "SELECT count(*) FROM store_meta")


@pytest.fixture(scope="module")
def sample_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sample") / "plan.db"
    assert main(["--db", str(path), "init", "--sample"]) == 0
    return path


@pytest.fixture
def old_db(sample_file: Path, tmp_path: Path) -> Path:
    """A copy of the sample plan of this test's own, closed by no process."""
    path = tmp_path / "old.db"
    shutil.copyfile(sample_file, path)
    return path


def rolled(old_db: Path, *, include_closed: bool = False) -> Path:
    new_db = old_db.with_name("new.db")
    with open_store(old_db) as store:
        roll_over(
            store, new_db, actor=Actor("PMO analyst", "cli"), name=NEW_NAME,
            start_date=date(2024, 4, 1), end_date=date(2025, 3, 31), include_closed=include_closed,
        )  # fmt: skip
    return new_db


def test_the_new_plan_holds_the_open_items_each_saying_where_it_came_from(old_db: Path) -> None:
    old_name = one(old_db, "SELECT name FROM plan")
    for kind, sql in OPEN_ITEMS.items():  # the sample has closed items of each kind to leave behind
        if kind != "recommendation":  # (its recommendations are all open: the next test closes one)
            assert one(old_db, sql) < one(old_db, ALL_ITEMS[kind]), kind  # type: ignore[operator]
    new_db = rolled(old_db)

    for kind, sql in OPEN_ITEMS.items():
        assert one(new_db, f"SELECT count(*) FROM {kind}") == one(old_db, sql), kind
    assert rows(new_db, "SELECT name, start_date, end_date FROM plan") == [
        (NEW_NAME, "2024-04-01", "2025-03-31")
    ]
    assert set(rows(new_db, "SELECT lifecycle FROM objective")) <= {
        ("not started",),
        ("in progress",),
        ("on hold",),
    }
    assert one(new_db, "SELECT count(*) FROM milestone WHERE completed_date IS NOT NULL") == 0
    assert one(new_db, "SELECT count(*) FROM risk WHERE status = 'closed'") == 0
    # where each came from, in words: the old plan's name and the item's reference
    old_refs = dict(rows(old_db, "SELECT ref, lifecycle FROM objective"))
    for ref, carried_from in rows(new_db, "SELECT ref, carried_from FROM objective"):
        assert carried_from == f"{old_name} · {ref}" and old_refs[ref] not in ("complete", "cancelled")
    for carried_from, ref, title in rows(
        new_db,
        "SELECT m.carried_from, o.ref, m.title FROM milestone m JOIN objective o ON o.id = m.objective_id",
    ):
        assert carried_from == f"{old_name} · {ref} · {title}"
    assert {r[0] for r in rows(new_db, "SELECT carried_from FROM risk")} == {
        f"{old_name} · {r[0]}" for r in rows(old_db, "SELECT ref FROM risk WHERE status <> 'closed'")
    }
    assert {r[0] for r in rows(new_db, "SELECT carried_from FROM recommendation")} == {
        f"{old_name} · {body} {ref}"
        for body, ref in rows(
            old_db, "SELECT i.body, r.ref FROM recommendation r JOIN inspection i ON i.id = r.inspection_id"
        )
    }
    # an open risk of an objective left behind stays, under that objective's theme
    left = rows(old_db, "SELECT r.ref, t.code FROM risk r JOIN objective o ON o.id = r.objective_id "
                "JOIN outcome oc ON oc.id = o.outcome_id JOIN theme t ON t.id = oc.theme_id "
                "WHERE r.status <> 'closed' AND o.lifecycle IN ('complete', 'cancelled')")  # fmt: skip
    assert left and sorted(left) == rows(
        new_db,
        "SELECT r.ref, t.code FROM risk r JOIN theme t ON t.id = r.theme_id "
        f"WHERE r.objective_id IS NULL AND r.ref IN ({', '.join(repr(ref) for ref, _ in left)}) ORDER BY 1, 2",
    )
    # the structure, people, boards and inspections come whole; the links between carried items too
    for table in ("theme", "outcome", "person", "board", "inspection"):
        assert one(new_db, f"SELECT count(*) FROM {table}") == one(old_db, f"SELECT count(*) FROM {table}"), (
            table
        )
    assert one(new_db, "SELECT count(*) FROM recommendation_objective") == one(
        old_db,
        "SELECT count(*) FROM recommendation_objective l JOIN objective o ON o.id = l.objective_id "
        f"WHERE l.deleted = 0 AND {OPEN_OBJECTIVE}",
    )
    # no history: no periods, updates, returns or notes
    for table in ("reporting_period", "status_update", "period_return", "period_report", "progress_note"):
        assert one(new_db, f"SELECT count(*) FROM {table}") == 0, table
    # one audited transaction by the PMO, which `check` replays
    assert rows(new_db, "SELECT DISTINCT actor, detail FROM audit_entry") == [
        ("PMO analyst", f"carried over from {old_name}")
    ]
    assert one(new_db, "SELECT count(DISTINCT txn) FROM audit_entry") == 1
    assert main(["--db", str(new_db), "check"]) == 0


def test_completed_and_cancelled_items_are_carried_only_when_asked(old_db: Path) -> None:
    with open_store(old_db) as store, store.write() as session:
        rec_id = one(old_db, "SELECT id FROM recommendation LIMIT 1")
        update_recommendation(
            session, actor=Actor("PMO analyst", "cli"), recommendation_id=rec_id,  # type: ignore[arg-type]
            changes={"status": "closed", "closure_rationale": "Accepted by the inspectorate"},
        )  # fmt: skip
    new_db = rolled(old_db, include_closed=True)
    for kind, sql in ALL_ITEMS.items():
        assert one(new_db, f"SELECT count(*) FROM {kind}") == one(old_db, sql), kind
    assert one(new_db, "SELECT count(*) FROM recommendation WHERE status = 'closed'") == 1
    assert one(new_db, "SELECT count(*) FROM objective WHERE lifecycle = 'complete'") == one(
        old_db, "SELECT count(*) FROM objective WHERE lifecycle = 'complete' AND deleted = 0"
    )


def test_the_old_plan_stays_readable_and_refuses_writes_naming_the_new_plan(
    old_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    audit_before = one(old_db, "SELECT count(*) FROM audit_entry")
    new_db = rolled(old_db)
    # one audited note, and the store's record of what replaced it
    assert one(old_db, "SELECT count(*) FROM audit_entry") == audit_before + 1  # type: ignore[operator]
    assert rows(old_db, "SELECT field, new FROM audit_entry ORDER BY seq DESC LIMIT 1") == [
        ("superseded_by", f'"{NEW_NAME} ({new_db})"')
    ]
    meta = dict(rows(old_db, "SELECT key, value FROM store_meta WHERE key LIKE 'superseded%'"))
    assert (meta["superseded_by"], meta["superseded_file"]) == (NEW_NAME, str(new_db))

    with WriteLock(old_db), open_store(old_db) as store:  # asked for writing, it opens read-only, says why
        assert store.readonly and store.superseded is not None
        assert f"newer plan {NEW_NAME!r} ({new_db})" in store.superseded
        with (
            pytest.raises(StoreError, match="kept read-only as the record of this plan: open new.db"),
            store.write(),
        ):
            pass
    before = old_db.read_bytes()
    code = main(
        ["--db", str(old_db), "periods", "open", "2024/25 Q1", "--start", "01/04/2024", "--end", "30/06/2024"]
    )
    _, err = capsys.readouterr()
    assert code == EXIT_ERROR and err.count("\n") == 1
    assert err.startswith(f"error: old.db was carried over into the newer plan {NEW_NAME!r} ({new_db}) on ")
    assert err.endswith("so it is kept read-only as the record of this plan: open new.db to make changes.\n")
    assert old_db.read_bytes() == before
    assert main(["--db", str(old_db), "periods"]) == 0  # reading goes on
    assert main(["--db", str(old_db), "check"]) == 0  # the note is part of a chain that replays


def test_the_command_line_rolls_over_and_refuses_a_second_time(
    old_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new_db = tmp_path / "next" / "2024-25.db"
    args = [
        "--db",
        str(old_db),
        "rollover",
        "--name",
        NEW_NAME,
        "--start",
        "01/04/2024",
        "--end",
        "31/03/2025",
    ]
    assert main([*args, "--out", str(new_db)]) == 0
    out, _ = capsys.readouterr()
    n = {k: one(old_db, sql) for k, sql in OPEN_ITEMS.items()}
    assert out == (
        f"Started {NEW_NAME!r} in {new_db}, carrying over {n['objective']} objectives, {n['milestone']} "
        f"milestones, {n['risk']} risks and {n['recommendation']} recommendations from "
        "'EMSOU Strategy and Delivery Plan 2021/22'. old.db is now kept read-only as the record of "
        "'EMSOU Strategy and Delivery Plan 2021/22'.\n"
    )
    assert main([*args, "--out", str(tmp_path / "again.db")]) == EXIT_ERROR
    assert "kept read-only" in capsys.readouterr()[1]
    assert not (tmp_path / "again.db").exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": "  "}, "name must not be empty"),
        ({"end_date": date(2024, 3, 1)}, "must be after the start date"),
        ({"name": "EMSOU Strategy and Delivery Plan  2021/22"}, "needs a name of its own"),
    ],
)
def test_a_new_plan_without_a_name_or_dates_of_its_own_is_refused(
    old_db: Path, change: dict[str, object], message: str
) -> None:
    before = unchanged_since(old_db)
    values: dict[str, object] = {
        "name": NEW_NAME,
        "start_date": date(2024, 4, 1),
        "end_date": date(2025, 3, 31),
    }
    with open_store(old_db) as store, pytest.raises(ValidationError, match=message):
        roll_over(store, old_db.with_name("new.db"), actor=Actor("PMO", "cli"), **(values | change))  # type: ignore[arg-type]
    assert unchanged_since(old_db) == before and not old_db.with_name("new.db").exists()


def test_an_existing_file_is_never_overwritten(old_db: Path, tmp_path: Path) -> None:
    taken = tmp_path / "taken.db"
    taken.write_bytes(b"")
    with open_store(old_db) as store, pytest.raises(StoreError, match="taken.db already exists"):
        roll_over(
            store,
            taken,
            actor=Actor("PMO", "cli"),
            name=NEW_NAME,
            start_date="01/04/2024",
            end_date="31/03/2025",
        )
    assert taken.read_bytes() == b""


@pytest.mark.parametrize("role", [Role.LEAD, Role.VIEWER])
def test_only_the_pmo_may_start_a_new_plan(old_db: Path, role: Role) -> None:
    before = unchanged_since(old_db)
    with open_store(old_db) as store, pytest.raises(NotPermitted, match="Only the PMO can start a new plan"):
        roll_over(store, old_db.with_name("new.db"), actor=Actor("Head of Serious and Organised Crime", role=role),
                  name=NEW_NAME, start_date=date(2024, 4, 1), end_date=date(2025, 3, 31))  # fmt: skip
    assert unchanged_since(old_db) == before and not old_db.with_name("new.db").exists()


# Killed with SIGKILL while the new plan is written (inside its transaction), or once it is written
# but not yet moved into place: no new plan appears, and the old plan is not marked as replaced.
KILL_AT = {
    "while writing": "import tracker.services.rollover as m\nname = 'carry_over'",
    "before the move": "import tracker.store as m\nname = '_self_contained'",
}
KILLER = """
import os, signal, sys
{target}
real = getattr(m, name)
def die(*a, **k):
    real(*a, **k)
    os.kill(os.getpid(), signal.SIGKILL)
setattr(m, name, die)
from tracker.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
@pytest.mark.parametrize("where", list(KILL_AT))
def test_a_killed_rollover_leaves_no_new_plan_and_the_old_one_writable(
    old_db: Path, tmp_path: Path, where: str
) -> None:
    new_db = tmp_path / "new.db"
    args = ["--db", str(old_db), "rollover", "--name", NEW_NAME, "--start", "01/04/2024", "--end", "31/03/2025",
            "--out", str(new_db)]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", KILLER.format(target=KILL_AT[where]), *args],
                          cwd=ROOT, env=env, capture_output=True, text=True)  # fmt: skip
    assert proc.returncode == -9, proc.stderr
    assert not new_db.exists()
    with open_store(old_db) as store:
        assert not store.readonly and store.superseded is None
    assert main(args) == 0  # a second run clears what the killed one left
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("new.db")) == [
        "new.db",
        "new.db.lock",
    ]
    assert main(["--db", str(new_db), "check"]) == 0


def test_a_replaced_plan_of_an_older_schema_is_upgraded_then_kept_read_only(tmp_path: Path) -> None:
    from tests.test_store import _older_file
    from tracker.migrate import head_revision

    old_db = tmp_path / "old.db"
    _older_file(old_db)
    con = sqlite3.connect(old_db)
    con.executemany("INSERT INTO store_meta (key, value) VALUES (?, ?)",
                    [("superseded_by", NEW_NAME), ("superseded_file", str(tmp_path / "new.db"))])  # fmt: skip
    con.commit()
    con.close()
    with open_store(old_db) as store:
        assert store.schema_report.upgraded_from is not None and store.readonly
        assert store.superseded is not None and store.superseded.startswith(
            f"old.db was carried over into the newer plan {NEW_NAME!r}"
        )
        with WriteLock(old_db):  # it holds no write lock once upgraded
            pass
    assert one(old_db, "SELECT version_num FROM alembic_version") == head_revision()


def test_a_new_plans_tree_shows_no_update_until_something_is_reported_in_it(tmp_path):
    from tracker import queries as q
    from tracker.enums import Brag

    old = tmp_path / "old.db"
    assert main(["--db", str(old), "init", "--sample"]) == 0
    new = tmp_path / "new.db"
    assert main(["--db", str(old), "rollover", "--name", "Next plan", "--start", "01/04/2025",
                 "--end", "31/03/2026", "--out", str(new)]) == 0  # fmt: skip
    store = open_store(new)
    try:
        with store.read() as s:
            rows = [r for r in q.plan_tree(s) if r.kind == "objective"]
    finally:
        store.close()
    assert rows and {(r.brag, r.brag_label, r.has_update) for r in rows} == {(Brag.GREY, "No update", False)}
