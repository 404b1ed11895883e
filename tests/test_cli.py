"""The command line, driven as a person would: real files, real output, one-line errors and exit codes."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from main import wants_command_line
from tracker.cli import EXIT_ERROR, main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "plan.db"
    assert main(["--db", str(path), "init", "--sample"]) == 0
    return path


def count(db: Path, sql: str) -> int:
    with sqlite3.connect(db) as con:
        return con.execute(sql).fetchone()[0]


def test_init_sample_then_summary_prints_rag_by_theme(
    sample_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--db", str(sample_db), "summary")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith("EMSOU Strategy and Delivery Plan 2021/22 — ") and "[SAMPLE DATA]" in lines[0]
    assert lines[1] == "OFFICIAL"
    assert lines[2].split()[:4] == ["Theme", "Red", "Amber", "Green"]
    themes = [ln for ln in lines if ln.startswith(("SER ", "PEO ", "MOD ", "GOV "))]
    assert [t.split()[0] for t in themes] == ["SER", "PEO", "MOD", "GOV"]
    total = lines[-1].split()
    assert total[:2] == ["All", "themes"] and int(total[-1]) == 61  # every objective counted once


def test_summary_of_a_plan_with_no_updates_yet_says_what_comes_next(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "new.db")
    assert run(capsys, "--db", db, "init", "--empty", "--name", "Another Force 2026/27")[0] == 0
    code, out, err = run(capsys, "--db", db, "summary")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "Another Force 2026/27",
        "The plan is empty: fill in 'plan-template' and bring it in with 'import-plan'.",
    ]


def test_summary_for_a_named_period_forgives_case_and_spacing(
    sample_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--db", str(sample_db), "summary", "--period", "2022/23   q1")
    assert code == 0 and "— 2022/23 Q1" in out.splitlines()[0]


def test_summary_names_the_periods_when_the_period_is_unknown(
    sample_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--db", str(sample_db), "summary", "--period", "2030 Q9")
    assert code == EXIT_ERROR and out == ""
    assert err.startswith("error: there is no reporting period called '2030 Q9'") and "2021/22 Q1" in err
    assert err.count("\n") == 1


def test_commands_on_a_missing_file_say_so_and_create_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nothing.db"
    for cmd in ("summary", "periods", "check", "audit"):
        code, _, err = run(capsys, "--db", str(missing), cmd)
        assert code == EXIT_ERROR and err == f"error: There is no plan at {missing}.\n"
    assert list(tmp_path.iterdir()) == []


def test_a_file_that_is_not_a_plan_is_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all")
    code, _, err = run(capsys, "--db", str(junk), "summary")
    assert code == EXIT_ERROR and "not a Delivery Plan Tracker database" in err and "Traceback" not in err
    assert junk.read_bytes() == b"not a database at all"


def test_init_twice_refuses_and_changes_nothing(sample_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = count(sample_db, "select count(*) from audit_entry")
    code, _, err = run(capsys, "--db", str(sample_db), "init")
    assert code == EXIT_ERROR and "already holds a plan" in err
    assert count(sample_db, "select count(*) from audit_entry") == before


def test_init_empty_makes_a_blank_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "blank.db"
    code, out, _ = run(capsys, "--db", str(db), "init", "--empty", "--name", "Force plan 2025")
    assert code == 0 and "'Force plan 2025'" in out and "SAMPLE" not in out
    assert count(db, "select count(*) from objective") == 0
    assert count(db, "select count(*) from plan where name = 'Force plan 2025'") == 1


def test_periods_open_close_and_refusals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "p.db"
    assert main(["--db", str(db), "init"]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "--db", str(db), "periods")
    assert code == 0 and out.startswith("No reporting periods yet")

    code, out, _ = run(
        capsys,
        "--db",
        str(db),
        "periods",
        "open",
        "2024/25 Q1",
        "--start",
        "01/04/2024",  # as people write dates (issue 12, item 12)
        "--end",
        "2024-06-30",
    )
    assert code == 0 and out.startswith("Opened 2024/25 Q1")

    audit_before = count(db, "select count(*) from audit_entry")
    code, _, err = run(
        capsys,
        "--db",
        str(db),
        "periods",
        "open",
        "2024/25 Q2",
        "--start",
        "2024-09-30",
        "--end",
        "2024-07-01",
    )
    assert code == EXIT_ERROR and err.startswith("error: end date: must not be before the start date")
    code, _, err = run(
        capsys,
        "--db",
        str(db),
        "periods",
        "open",
        "2024/25 Q1",
        "--start",
        "2024-07-01",
        "--end",
        "2024-09-30",
    )
    assert code == EXIT_ERROR and "already a period called '2024/25 Q1'" in err
    assert count(db, "select count(*) from audit_entry") == audit_before

    code, out, _ = run(capsys, "--db", str(db), "periods", "close", "2024/25 q1")
    assert code == 0 and out.startswith("Closed 2024/25 Q1")
    code, out, _ = run(capsys, "--db", str(db), "periods", "list")
    assert out.splitlines()[2].split()[:5] == ["2024/25", "Q1", "2024-04-01", "2024-06-30", "closed"]


def test_backup_writes_a_verified_copy_and_never_overwrites(
    sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = tmp_path / "copy.db"
    code, out, _ = run(capsys, "--db", str(sample_db), "backup", str(dest))
    assert code == 0 and out.endswith("(verified)\n")
    assert count(dest, "select count(*) from objective") == count(sample_db, "select count(*) from objective")
    code, _, err = run(capsys, "--db", str(sample_db), "backup", str(dest))
    assert code == EXIT_ERROR and "already exists" in err


def test_check_passes_on_a_sound_plan_and_fails_on_a_tampered_audit(
    sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--db", str(sample_db), "check")
    assert code == 0 and all(line.startswith("ok") for line in out.splitlines())

    copy = tmp_path / "tampered.db"
    assert main(["--db", str(sample_db), "backup", str(copy)]) == 0
    with sqlite3.connect(copy) as con:
        con.execute("update audit_entry set new = '\"Blue\"' where seq = 5")
    capsys.readouterr()
    code, out, err = run(capsys, "--db", str(copy), "check")
    assert code == EXIT_ERROR
    assert any(line.startswith("FAIL  audit chain") for line in out.splitlines())
    assert err.startswith("error: 2 checks failed: audit chain, audited data")


def test_audit_lists_recent_changes_newest_first_with_filters(
    sample_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--db", str(sample_db), "audit", "--limit", "3")
    rows = out.splitlines()[2:]
    seqs = [int(r.split()[0]) for r in rows]
    assert code == 0 and len(rows) == 3 and seqs == sorted(seqs, reverse=True)
    code, out, _ = run(capsys, "--db", str(sample_db), "audit", "--entity", "risk", "--limit", "5")
    assert all(" R-0" in r for r in out.splitlines()[2:])
    code, out, _ = run(capsys, "--db", str(sample_db), "audit", "--actor", "nobody at all")
    assert out == "No changes recorded matching that filter\n"
    code, _, err = run(capsys, "--db", str(sample_db), "audit", "--limit", "0")
    assert code == EXIT_ERROR and err == "error: --limit must be at least 1\n"


def test_audit_names_items_fields_and_values_in_words(
    sample_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--db", str(sample_db), "audit", "--entity", "objective", "--limit", "3")
    header, _rule, *rows = out.splitlines()
    assert code == 0 and header.split() == ["#", "When", "(UTC)", "Who", "From", "Item", "Change"]
    assert "command line" in rows[0] and "cli" not in rows[0].split()
    assert re.search(r" [A-Z]{3}-\d\d\.\d\d \w", rows[0])  # the objective's code, then its title
    assert any("Progress: — → " in r and r.endswith("%") for r in rows)
    assert "progress_pct" not in out and "objective " not in out
    code, out, _ = run(capsys, "--db", str(sample_db), "audit", "--entity", "risk", "--limit", "1")
    row = out.splitlines()[2]
    assert re.search(r" R-\d{3} \w", row) and "added: '" in row and "{" not in row
    code, out, _ = run(capsys, "--db", str(sample_db), "audit", "--entity", "status_update", "--limit", "1")
    assert re.search(r"Status update: [A-Z]{3}-\d\d\.\d\d, \d{4}/\d\d Q\d +added: ", out.splitlines()[2])


@pytest.mark.parametrize(
    ("argv", "cli"),
    [
        ([], False),
        (["--db", "x.db"], False),
        (["--db=x.db"], False),
        (["summary"], True),
        (["--db", "x.db", "summary"], True),
        (["--as", "PMO", "--db", "x.db", "periods", "list"], True),
        (["--help"], True),
        (["--version"], True),
    ],
)
def test_main_py_hands_commands_to_the_command_line_and_the_rest_to_the_app(
    argv: list[str], cli: bool
) -> None:
    assert wants_command_line(argv) is cli


def test_an_impossible_period_date_is_refused_saying_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "p.db"
    assert main(["--db", str(db), "init"]) == 0
    capsys.readouterr()
    with pytest.raises(SystemExit):
        main(["--db", str(db), "periods", "open", "Q1", "--start", "31/02/2025", "--end", "31/03/2025"])
    assert "'31/02/2025' is not a date (February 2025 has no day 31)" in capsys.readouterr().err
    assert count(db, "select count(*) from reporting_period") == 0
