"""Files written outside the store are whole or not there: the returns, the status workbook, the helper.

A full disk is an ``ENOSPC`` raised from the zip writer openpyxl saves through; a run killed between
writing its returns and committing their records is a write transaction that raises after them.
"""

from __future__ import annotations

import errno
import tempfile
import zipfile
from pathlib import Path

import pytest

from tests.builders import snapshot
from tests.test_returns import PMO, returns_plan
from tracker.cli import main
from tracker.outputs import OutputError, partial_path, written
from tracker.queries.returns import returns_tracker
from tracker.workbooks.returns_issue import issue_returns, return_file_name

PERIOD = "2024/25 Q2"


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".partial", ".part")))


def disk_full_after(monkeypatch: pytest.MonkeyPatch, writes: int) -> None:
    """The disk fills after ``writes`` writes into any zip's members (every workbook is a zip)."""
    real = zipfile._ZipWriteFile.write  # type: ignore[attr-defined]  # what writestr and write both use
    done = 0

    def write(self, data):  # type: ignore[no-untyped-def]
        nonlocal done
        done += 1
        if done > writes:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(zipfile._ZipWriteFile, "write", write)  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------------- the helper


def test_a_file_takes_its_name_only_once_written_and_checked(tmp_path: Path) -> None:
    out = tmp_path / "report.txt"
    with written(out) as temp:
        assert temp.parent == tmp_path and temp.name.startswith(".") and temp.name.endswith(".partial")
        temp.write_text("whole")
        assert not out.exists()
    assert out.read_text() == "whole" and leftovers(tmp_path) == []

    def refuse(path: Path) -> None:
        raise ValueError("cut short")

    with (
        pytest.raises(OutputError, match="was not written whole"),
        written(out, replace=True, check=refuse) as t,
    ):
        t.write_text("half")
    assert out.read_text() == "whole" and leftovers(tmp_path) == []


def test_a_full_disk_a_folder_and_an_existing_file_are_refused_in_one_line(tmp_path: Path) -> None:
    out = tmp_path / "report.txt"
    with pytest.raises(OutputError, match="the disk is full") as info, written(out):
        raise OSError(errno.ENOSPC, "No space left on device")
    assert "\n" not in str(info.value) and not out.exists() and leftovers(tmp_path) == []
    out.write_text("kept")
    with pytest.raises(OutputError, match="already exists.*--force"), written(out):
        pass
    with pytest.raises(OutputError, match="is a folder"), written(tmp_path):
        pass
    with pytest.raises(OutputError, match="does not exist"), written(tmp_path / "nowhere" / "x.txt"):
        pass
    assert out.read_text() == "kept" and leftovers(tmp_path) == []


def test_the_next_write_removes_what_a_killed_one_left(tmp_path: Path) -> None:
    out = tmp_path / "report.xlsx"
    for name in (partial_path(out).name, ".report.xlsx.0a1b2c3d.partial", ".other.xlsx.partial"):
        (tmp_path / name).write_text("left by a killed run")
    with written(out) as temp:
        temp.write_text("whole")
    assert leftovers(tmp_path) == [".other.xlsx.partial"]  # another file's: not this write's to remove


# ---------------------------------------------------------------------------------------------- status workbook


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("outputs") / "plan.db"
    assert main(["--db", str(path), "init", "--sample"]) == 0
    return path


def test_the_status_workbooks_sheets_stream_beside_it_not_into_the_system_temporary_folder(
    sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A killed export left 20 MB of openpyxl's sheet files in the system's temporary folder."""
    from tracker import queries as q
    from tracker.store import open_store
    from tracker.workbooks.status import export_status_workbook

    system = tmp_path / "system-temp"
    system.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system))
    folder = tmp_path / "out"
    folder.mkdir()
    seen: list[tuple[list[str], list[str]]] = []

    def look(done: int, total: int, text: str) -> None:
        if "Saving" in text:  # every sheet streamed, nothing saved yet: as a kill would find it
            seen.append((sorted(p.name for p in system.iterdir()), leftovers(folder)))

    store = open_store(sample_db)
    try:
        with store.read() as session:
            period = q.latest_period_with_updates(session)
            assert period is not None
            export_status_workbook(
                session, period.id, folder / "status.xlsx", generated_by="x", progress=look
            )
    finally:
        store.close()
    [(in_system, beside)] = seen
    assert in_system == []
    assert beside and all(n.startswith(".status.xlsx.") and n.endswith(".partial") for n in beside)
    assert sorted(p.name for p in folder.iterdir()) == ["status.xlsx"] and list(system.iterdir()) == []


def test_export_status_on_a_full_disk_says_so_in_one_line_and_leaves_nothing(
    sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    disk_full_after(monkeypatch, 5)
    out = tmp_path / "status.xlsx"
    assert main(["--db", str(sample_db), "export-status", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "the disk is full" in err, err
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------------------------- returns


@pytest.fixture
def returns_db(store, actor, db_path: Path):  # type: ignore[no-untyped-def]
    plan = returns_plan(store, actor)
    store.close()
    return plan


def run_issue(db_path: Path, out: Path, *more: str) -> int:
    return main(["--db", str(db_path), "issue-returns", "--period", PERIOD, "--out", str(out), *more])


def issued(db_path: Path, plan) -> dict[str, str]:  # type: ignore[no-untyped-def]
    from tracker.store import open_store

    store = open_store(db_path)
    try:
        with store.read() as s:
            return {r.lead_name: r.status for r in returns_tracker(s, plan.q2)}
    finally:
        store.close()


def test_issue_returns_on_a_full_disk_says_so_and_leaves_no_file_and_no_record(
    returns_db,
    db_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    disk_full_after(monkeypatch, 25)  # a return takes 17 writes: the first is written whole, the second not
    assert run_issue(db_path, out) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "the disk is full" in err, err
    assert list(out.iterdir()) == []
    assert set(issued(db_path, returns_db).values()) == {"not issued"}


def test_issue_returns_does_not_replace_a_return_in_the_folder_without_force(
    returns_db, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    assert run_issue(db_path, out) == 0
    filled = out / return_file_name(PERIOD, "Head of Intelligence")
    filled.write_bytes(b"a lead's filled-in return")
    capsys.readouterr()
    before = snapshot_of(db_path)
    assert run_issue(db_path, out) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "already exists" in err and "--force" in err, err
    assert filled.read_bytes() == b"a lead's filled-in return" and snapshot_of(db_path) == before
    assert leftovers(out) == []
    assert run_issue(db_path, out, "--force") == 0
    assert filled.read_bytes().startswith(b"PK")


def test_returns_written_by_a_run_that_never_committed_are_replaced_by_the_next(
    returns_db, db_path: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """Killed after renaming its returns and before committing their records: the files are there,
    unrecorded; the next run recognises them as its own leftovers and issues again over them."""
    from tracker.store import open_store

    out = tmp_path / "out"
    store = open_store(db_path)
    with pytest.raises(RuntimeError), store.write() as s:
        files = issue_returns(s, PMO, returns_db.q2, out)
        assert all(r.path.exists() for r in files)
        raise RuntimeError("killed before the commit")
    store.close()
    assert set(issued(db_path, returns_db).values()) == {"not issued"} and len(list(out.iterdir())) == 2
    assert run_issue(db_path, out) == 0
    assert set(issued(db_path, returns_db).values()) == {"issued"} and leftovers(out) == []


def snapshot_of(db_path: Path):  # type: ignore[no-untyped-def]
    from tracker.store import open_store

    store = open_store(db_path)
    try:
        return snapshot(store)
    finally:
        store.close()
