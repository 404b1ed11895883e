"""The board pack PDF is written whole or not at all, and a failure says so in one line (exit 2).

Before, a folder or an unwritable path exited 0 saying "Wrote … (13 pages)" after thousands of
QPainter warnings, a full disk left a truncated PDF, and a killed run a half-written one under the
real name.
"""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

import ui.boardpack.writer as writer
from tracker.cli import main as core_main
from ui.cli import main

PERIOD = "2023/24 Q3"


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pack") / "plan.db"
    assert core_main(["--db", str(path), "init", "--sample"]) == 0
    return path


def pack(db: Path, out: Path | str, *more: str) -> int:
    return main(["--db", str(db), "board-pack", "--period", PERIOD, "--out", str(out), *more])


def one_line(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    assert "Wrote" not in captured.out and captured.err.count("\n") == 1, captured.err
    return captured.err


def test_a_folder_an_unwritable_path_and_an_existing_file_are_refused_in_one_line(
    qapp, sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "pack.pdf"
    folder.mkdir()
    assert pack(sample_db, folder) == 2
    assert "is a folder" in one_line(capsys)
    assert pack(sample_db, "/proc/pack.pdf") == 2  # no one may make a file there, root included
    assert "could not write /proc/pack.pdf" in one_line(capsys)
    kept = tmp_path / "kept.pdf"
    kept.write_bytes(b"last quarter's pack")
    assert pack(sample_db, kept) == 2
    assert "already exists" in one_line(capsys) and kept.read_bytes() == b"last quarter's pack"
    assert pack(sample_db, kept, "--force") == 0
    assert kept.read_bytes().startswith(b"%PDF-") and "Wrote" in capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.pdf", "pack.pdf"]


def test_a_pdf_cut_short_is_not_saved(
    qapp, sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """What a nearly full disk does to Qt's writer, which reports nothing: the end of the file is missing."""
    real = writer.add_outline

    def cut_short(path: Path, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        real(path, *args, **kwargs)
        data = path.read_bytes()
        path.write_bytes(data[: len(data) * 2 // 3])

    monkeypatch.setattr(writer, "add_outline", cut_short)
    assert pack(sample_db, tmp_path / "pack.pdf") == 2
    assert "was not written whole" in one_line(capsys)
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_says_so_and_leaves_nothing(
    qapp, sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    def full(path: Path, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(writer, "add_outline", full)
    assert pack(sample_db, tmp_path / "pack.pdf") == 2
    assert "the disk is full" in one_line(capsys)
    assert list(tmp_path.iterdir()) == []


def test_while_it_is_written_the_pack_is_under_a_temporary_name_only(
    qapp, sample_db: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """What a kill at any point would leave: a hidden .partial file the next run removes, never the name."""
    from tracker.queries import periods
    from tracker.store import open_store

    out = tmp_path / "pack.pdf"
    (tmp_path / ".pack.pdf.partial").write_bytes(b"left by a killed run")
    seen: list[list[str]] = []
    store = open_store(sample_db)
    try:
        with store.read() as s:
            period = next(p.id for p in periods(s) if p.name == PERIOD)
        pages = writer.write_board_pack(
            store,
            period,
            out,
            lambda done, total, text: seen.append(sorted(p.name for p in tmp_path.iterdir())),
        )
    finally:
        store.close()
    assert pages > 5 and len(seen) > 3
    *writing, done = seen
    assert all(names == [".pack.pdf.partial"] for names in writing), seen
    assert done == ["pack.pdf"]  # "Wrote pack.pdf", and the leftover is gone
