"""Automatic backups: taken before the operations that matter and once a day, kept by a rule, restorable."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlmodel import Session, select

from tests.builders import snapshot
from tests.test_returns import edit, issue, preview, returns_plan
from tracker import autobackup
from tracker.autobackup import BackupFailed, folder_for, listing
from tracker.cli import EXIT_ERROR, main
from tracker.db import Actor, StoreError, sqlite_path
from tracker.lock import WriteLock
from tracker.models import ReportingPeriod
from tracker.services import close_period
from tracker.store import open_store
from tracker.workbooks.returns_apply import apply_return

PMO = Actor("PMO analyst", "cli")
DAY = datetime(2026, 12, 4, 9, 12, 5, tzinfo=UTC)


def period_status(path: Path, name: str = "2024/25 Q1") -> str:
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as con:
        return con.execute("SELECT status FROM reporting_period WHERE name = ?", (name,)).fetchone()[0]


def close_q1(path: Path) -> None:
    with open_store(path) as store, store.write() as s:
        q1 = s.exec(select(ReportingPeriod).where(ReportingPeriod.name == "2024/25 Q1")).one()
        close_period(s, actor=PMO, period_id=q1.id)


# ---------------------------------------------------------------------------------------------- retention


def test_retention_keeps_the_newest_daily_and_before_operation_backups(plan_file: Path) -> None:
    for n in range(9):
        autobackup.take(plan_file, autobackup.DAILY, now=DAY + timedelta(days=n))
    for n in range(12):
        autobackup.take(plan_file, autobackup.BEFORE_CLOSE, now=DAY + timedelta(days=8, minutes=n))
    kept = listing(plan_file)
    daily = [k for k in kept if k.daily]
    assert [k.at.day for k in daily] == [12, 11, 10, 9, 8, 7, 6]  # the newest 7, newest first
    before = [k for k in kept if not k.daily]
    assert [k.at.minute for k in before] == list(range(23, 13, -1))  # the newest 10 (09:12 + n minutes)
    assert all(k.verified and k.rows for k in kept)
    on_disk = {p.name for p in folder_for(plan_file).iterdir()}
    assert on_disk == {k.path.name for k in kept} | {autobackup.MANIFEST}  # deleted files, and no litter
    manifest = autobackup._read_manifest(folder_for(plan_file))
    assert set(manifest) == {k.path.name for k in kept}  # deleted backups are forgotten too


def test_the_newest_verified_backup_is_never_deleted(plan_file: Path) -> None:
    verified = autobackup.take(plan_file, autobackup.DAILY, now=DAY)
    for n in range(1, 9):  # newer daily files that no verification vouches for (copied in by hand)
        when = DAY + timedelta(days=n)
        shutil.copy(verified.path, folder_for(plan_file) / f"plan {when:%Y-%m-%d %H.%M.%S} daily.db")
    autobackup.prune(plan_file)
    kept = listing(plan_file)
    assert verified.path in [k.path for k in kept]
    assert len([k for k in kept if k.daily]) == 8  # the newest 7, and the newest verified one
    assert [k.verified for k in kept].count(True) == 1


# ---------------------------------------------------------------------------------------------- hooks


def test_closing_a_period_backs_up_the_plan_as_it_was_first(plan_file: Path) -> None:
    close_q1(plan_file)
    [kept] = listing(plan_file)
    assert kept.why == "before period close" and kept.verified
    assert kept.path.name.startswith("plan ") and kept.path.name.endswith(" before period close.db")
    assert period_status(kept.path) == "open" and period_status(plan_file) == "closed"


def test_applying_a_return_backs_up_the_plan_first(tmp_path: Path) -> None:
    with open_store(tmp_path / "plan.db") as store:
        plan = returns_plan(store, PMO)
        path = issue(store, plan, tmp_path)[plan.lead]
        edit(path, "Objectives", plan.obj1, RAG="Amber", Rationale_for_the_RAG="Supplier late")
        p = preview(store, path)
        assert listing(store.path) == []
        with store.write() as s:
            apply_return(s, PMO, p)
    [kept] = listing(tmp_path / "plan.db")
    assert kept.why == "before return import" and kept.verified


def test_a_failed_backup_stops_the_period_close_and_says_so_in_one_line(plan_file: Path) -> None:
    folder_for(plan_file).write_text("a file where the backups folder should be")
    with open_store(plan_file) as store:
        before = snapshot(store)
        with pytest.raises(BackupFailed) as info, store.write() as s:
            q1 = s.exec(select(ReportingPeriod).where(ReportingPeriod.name == "2024/25 Q1")).one()
            close_period(s, actor=PMO, period_id=q1.id)
        assert snapshot(store) == before
    message = str(info.value)
    assert message.startswith("Closing the period did not go ahead: the automatic backup of plan.db failed")
    assert "\n" not in message


def test_a_failed_backup_stops_the_return_being_applied(tmp_path: Path) -> None:
    with open_store(tmp_path / "plan.db") as store:
        plan = returns_plan(store, PMO)
        path = issue(store, plan, tmp_path)[plan.lead]
        edit(path, "Objectives", plan.obj1, RAG="Amber", Rationale_for_the_RAG="Supplier late")
        p = preview(store, path)
        folder_for(store.path).write_text("in the way")
        before = snapshot(store)
        with pytest.raises(BackupFailed, match="^Applying the return did not go ahead"), store.write() as s:
            apply_return(s, PMO, p)
        assert snapshot(store) == before


def test_a_store_that_is_not_a_file_is_not_backed_up() -> None:
    engine = create_engine("postgresql+psycopg://someone@db.example.org/plan")  # never connected
    assert sqlite_path(Session(engine).get_bind().engine.url) is None  # what @backed_up asks


def test_the_first_write_of_the_day_from_the_command_line_takes_the_daily_backup(
    plan_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [
        "--db",
        str(plan_file),
        "periods",
        "open",
        "2024/25 Q3",
        "--start",
        "2024-10-01",
        "--end",
        "2024-12-31",
    ]
    assert main(args) == 0
    assert [k.why for k in listing(plan_file)] == ["daily"]
    assert main(["--db", str(plan_file), "periods", "reopen", "2024/25 Q1", "--reason", "x"]) == EXIT_ERROR
    assert main(["--db", str(plan_file), "periods", "list"]) == 0  # a read takes none
    assert [k.why for k in listing(plan_file)] == ["daily"]  # one a day
    assert capsys.readouterr().err == "error: 2024/25 Q1 is not closed\n"  # no warning


def test_a_failed_daily_backup_warns_and_the_work_goes_ahead(
    plan_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder_for(plan_file).write_text("in the way")
    args = [
        "--db",
        str(plan_file),
        "periods",
        "open",
        "2024/25 Q3",
        "--start",
        "2024-10-01",
        "--end",
        "2024-12-31",
    ]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert err.startswith("warning: Today's automatic backup of plan.db failed (") and err.count("\n") == 1
    assert main(["--db", str(plan_file), "periods", "close", "2024/25 Q1"]) == EXIT_ERROR
    err = capsys.readouterr().err.splitlines()
    assert err[-1].startswith("error: Closing the period did not go ahead: the automatic backup of plan.db")
    assert period_status(plan_file) == "open"


def test_the_upgrades_backup_joins_the_automatic_ones(plan_file: Path, tmp_path: Path) -> None:
    upgrade = tmp_path / "plan.before-0005-20261204-091205.db"
    shutil.copy(plan_file, upgrade)
    assert autobackup.on_open(plan_file, upgrade) == []
    kept = {k.why: k for k in listing(plan_file)}
    assert set(kept) == {"before schema upgrade", "daily"} and not upgrade.exists()
    assert kept["before schema upgrade"].rows == kept["daily"].rows


# ---------------------------------------------------------------------------------------------- restore


def test_restore_puts_the_backup_back_after_backing_up_the_plan_as_it_is(plan_file: Path) -> None:
    daily = autobackup.take(plan_file, autobackup.DAILY)
    close_q1(plan_file)  # a change after the backup
    assert period_status(plan_file) == "closed"

    done = autobackup.restore(plan_file, daily.path)
    assert period_status(plan_file) == "open" and done.rows == daily.rows
    assert done.saved_first is not None and done.saved_first.why == "before restore"
    assert period_status(done.saved_first.path) == "closed"  # the plan as it was can itself be restored
    with open_store(plan_file) as store:  # the restored plan opens and passes check
        from tracker.integrity import check_store

        assert all(f.ok for f in check_store(store))


def test_restore_is_refused_while_another_process_holds_the_plan(plan_file: Path) -> None:
    daily = autobackup.take(plan_file, autobackup.DAILY)
    close_q1(plan_file)
    refused = r"^Nothing was restored: plan.db is open for editing by .*close it"
    with WriteLock(plan_file), pytest.raises(StoreError, match=refused):  # held as the app holds it
        autobackup.restore(plan_file, daily.path)
    assert period_status(plan_file) == "closed"
    assert [k.why for k in listing(plan_file)] == ["before period close", "daily"]  # no restore backup


def test_restore_refuses_a_file_that_is_not_a_good_plan(plan_file: Path, tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"SQLite format 3\x00" + b"\x01" * 4000)
    with pytest.raises(StoreError, match="^Nothing was restored: junk.db"):
        autobackup.restore(plan_file, junk)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(
        StoreError, match="^Nothing was restored: other.db is not a Delivery Plan Tracker plan"
    ):
        autobackup.restore(plan_file, other)
    assert listing(plan_file) == []


def test_backup_list_and_restore_from_the_command_line(
    plan_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(plan_file)]
    assert main([*db, "backup", "--list"]) == 0
    assert capsys.readouterr().out.startswith("No automatic backups of plan.db yet")
    assert main([*db, "periods", "close", "2024/25 Q1"]) == 0
    capsys.readouterr()
    assert main([*db, "backup", "--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"Automatic backups of plan.db, newest first, in {folder_for(plan_file)}:"
    assert lines[1].split("  ")[0] == "When (UTC)" and "Why" in lines[1] and "Rows" in lines[1]
    close, daily = lines[3], lines[4]
    assert "before period close" in close and close.endswith(" before period close.db")
    assert "daily" in daily and "KB" in daily
    assert lines[5] == autobackup.RULE

    name = listing(plan_file)[-1].path.name  # the daily one, before the close
    assert main([*db, "restore", name]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Restored plan.db from {name}: ") and "(verified)" in out
    assert period_status(plan_file) == "open"
    capsys.readouterr()
    # the heads remembered before are of the history replaced on purpose: `check` does not cry tampering
    assert main([*db, "check"]) == 0, capsys.readouterr().out
    assert main([*db, "restore", "no such backup.db"]) == EXIT_ERROR
    assert "There is no backup called 'no such backup.db'" in capsys.readouterr().err


def test_backup_list_for_a_server_plan_says_the_server_is_backed_up_by_its_administrators(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--db", "postgresql+psycopg://someone@db.example.org/plan", "backup", "--list"]) == 0
    assert capsys.readouterr().out.strip() == autobackup.SERVER_NOTE
    assert main(["--db", "postgresql+psycopg://someone@db.example.org/plan", "restore", "x.db"]) == EXIT_ERROR
    assert "restored by its administrators" in capsys.readouterr().err


def test_an_upgrade_from_the_command_line_keeps_its_backup_with_the_others_and_it_restores(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.test_store import _older_file

    path = tmp_path / "old.db"
    first = _older_file(path)
    args = ["--db", str(path), "periods", "open", "2024 Q1", "--start", "2024-01-01", "--end", "2024-03-31"]
    assert main(args) == 0
    assert capsys.readouterr().err == ""
    kept = {k.why: k for k in listing(path)}
    assert set(kept) == {"before schema upgrade", "daily"}
    assert not list(tmp_path.glob("old.before-*"))  # moved into the folder, not left beside the plan
    upgrade = kept["before schema upgrade"]
    with closing(sqlite3.connect(f"{upgrade.path.as_uri()}?mode=ro", uri=True)) as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == first
        assert con.execute("SELECT count(*) FROM reporting_period").fetchone()[0] == 0

    autobackup.restore(path, upgrade.path)  # back to before the upgrade; the next open upgrades again
    with open_store(path) as store, store.read() as s:
        assert store.schema_report.upgraded_from == first
        assert s.exec(select(ReportingPeriod)).all() == []


def test_a_restore_that_does_not_verify_puts_the_plan_back_as_it_was(
    plan_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    daily = autobackup.take(plan_file, autobackup.DAILY)
    close_q1(plan_file)
    real = autobackup.verify_copy
    calls: list[Path] = []

    def fails_once(src: sqlite3.Connection, copy: Path):  # type: ignore[no-untyped-def]
        calls.append(copy)
        if len(calls) == 1:  # the restored plan: as if a row had gone missing on the way
            raise StoreError("the backup has 0 rows in reporting_period; the database has 2.")
        return real(src, copy)

    monkeypatch.setattr(autobackup, "verify_copy", fails_once)
    with pytest.raises(StoreError, match=r"did not verify .*plan.db was put back as it was\.$"):
        autobackup.restore(plan_file, daily.path)
    assert period_status(plan_file) == "closed" and len(calls) == 2


def test_restore_refuses_the_plan_itself(plan_file: Path) -> None:
    with pytest.raises(StoreError, match="is the plan itself"):
        autobackup.restore(plan_file, plan_file)


def test_import_return_apply_from_the_command_line_backs_up_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_store(tmp_path / "plan.db") as store:
        plan = returns_plan(store, PMO)
        path = issue(store, plan, tmp_path / "returns")[plan.lead]
        edit(path, "Objectives", plan.obj1, RAG="Amber", Rationale_for_the_RAG="Supplier late")
    db = ["--db", str(tmp_path / "plan.db")]
    assert main([*db, "import-return", str(path)]) == 0  # a preview takes only the day's backup
    assert [k.why for k in listing(tmp_path / "plan.db")] == ["daily"]
    assert main([*db, "import-return", str(path), "--apply"]) == 0
    assert [k.why for k in listing(tmp_path / "plan.db")] == ["before return import", "daily"]
    assert "Applied 2 changes" in capsys.readouterr().out
