"""The crash test's harness (tests/crash) is itself tested: its checks on small real files, and a
run of the script with a few kills."""

from __future__ import annotations

import random
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import openpyxl

from tests.crash.cli import ROOT, Folders
from tests.crash.operations import BY_NAME, Operation
from tests.crash.outputs import incomplete, shape_of
from tests.crash.prepare import Reference
from tests.crash.runner import litter
from tests.crash.schedule import schedule
from tests.crash.store_state import Fingerprint, describe_difference


def _store(path: Path, rows: dict[str, list[tuple[str, str]]]) -> Path:
    con = sqlite3.connect(path)
    for table, values in rows.items():
        con.execute(f"CREATE TABLE {table} (id TEXT, value TEXT)")
        con.executemany(f"INSERT INTO {table} VALUES (?, ?)", values)
    con.commit()
    con.close()
    return path


def test_a_store_with_one_table_applied_and_one_not_is_neither_before_nor_after(tmp_path):
    old = [("a", "Green")]
    new = old + [("6f1c2a8e-0d4b-4f3e-9a55-1c2d3e4f5a6b", "Amber at 2026-12-04 11:25:58.123456")]
    before = Fingerprint.of(_store(tmp_path / "before.db", {"status": old, "audit": old}))
    after = Fingerprint.of(_store(tmp_path / "after.db", {"status": new, "audit": new}))
    # A second completed run makes other ids and times: still "after".
    again = [("0a0b0c0d-1111-4222-8333-444455556666", "Amber at 2026-12-04 11:31:07.000001")]
    rerun = _store(tmp_path / "again.db", {"status": old + again, "audit": old + again})
    assert Fingerprint.of(rerun).like(after)

    half = Fingerprint.of(_store(tmp_path / "half.db", {"status": new, "audit": old}))
    assert not half.same_as(before) and not half.like(after)
    assert describe_difference(half, before, after) == "as after: status; still as before: audit"


def test_an_output_cut_short_is_reported_by_name_and_a_whole_one_passes(tmp_path):
    wb = openpyxl.Workbook()
    wb.create_sheet("Milestones")
    whole = tmp_path / "status.xlsx"
    wb.save(whole)
    want = shape_of("xlsx", whole)
    assert incomplete("xlsx", whole, want) is None

    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    assert "cut.xlsx: openpyxl cannot load it" in (incomplete("xlsx", cut, want) or "")

    source = _store(tmp_path / "plan.db", {"risk": [("r1", "x"), ("r2", "y")]})
    copy = _store(tmp_path / "copy.db", {"risk": [("r1", "x")]})
    assert incomplete("sqlite", copy, shape_of("sqlite", source)) == "copy.db: risk 1 rows (want 2)"


def test_litter_is_what_is_neither_the_store_an_input_nor_a_finished_output(tmp_path):
    op = BY_NAME["board-pack"]
    folders = Folders(tmp_path / "run 001").make()
    for name in ("plan.db", "plan.db-wal", "plan.db.lock", "board pack.pdf", "board pack.pdf.partial"):
        (folders.run / name).write_bytes(b"x")
    (folders.tmp / "openpyxl.abc").write_bytes(b"")
    ref = _reference(op, outputs={Path("board pack.pdf"): 3})
    assert litter(folders, ref) == ["board pack.pdf.partial (1 bytes)", "tmp/openpyxl.abc (0 bytes)"]


def _reference(
    op: Operation, duration: float = 1.0, writing: tuple[float, float] | None = None, **kw: object
) -> Reference:
    fields: dict[str, object] = dict(after=None, outputs={}, home_files=frozenset(), force=False, litter=())
    start, end = writing or (None, None)
    return Reference(op, duration, start, end, **(fields | kw))  # type: ignore[arg-type]


def test_kills_are_shared_among_operations_and_half_fall_while_each_writes():
    refs = [_reference(BY_NAME["backup"], 2.0, writing=(1.5, 1.75)), _reference(BY_NAME["board-pack"], 1.0)]
    plan = schedule(refs, 9, random.Random(1))
    backup = [k for k in plan if k.ref is refs[0]]
    pack = [k for k in plan if k.ref is refs[1]]
    assert len(backup) == 5 and len(pack) == 4
    assert all(0 <= k.delay <= 2.4 for k in backup if not k.after_write)
    assert sum(k.after_write for k in backup) == 2 and all(k.delay <= 0.3 for k in backup if k.after_write)
    assert not any(k.after_write for k in pack)  # never seen writing: timed from the start only


def test_the_script_kills_and_reports_each_operation():
    args = ["--kills", "3", "--ops", "backup,periods-close", "--seed", "7", "--jobs", "1"]
    done = subprocess.run(
        [sys.executable, "-m", "tests.crash", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    out = done.stdout
    assert re.search(r"^backup +2 ", out, re.M), out + done.stderr
    assert re.search(r"^periods-close +1 ", out, re.M)
    assert re.search(r"^total +3 ", out, re.M)
    assert done.returncode == (0 if "No failures." in out else 1), out
