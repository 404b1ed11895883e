"""The board pack for the sample plan: the expected pages, each with the marking and page x of y."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.gui.test_dashboard import PERIOD, TODAY, sample_store  # noqa: F401  (fixture)
from tracker.queries import periods
from ui.boardpack import write_board_pack

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)


def pages_of(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1]


def test_board_pack_pages_carry_marking_and_page_numbers(qapp, sample_store, tmp_path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    with sample_store.read() as s:
        pid = next(p.id for p in periods(s) if p.name == PERIOD)
    seen: list[tuple[int, int, str]] = []
    out = tmp_path / "pack.pdf"
    n = write_board_pack(sample_store, pid, out, lambda d, t, text: seen.append((d, t, text)), today=TODAY)
    pages = pages_of(out)
    assert len(pages) == n >= 9
    for i, page in enumerate(pages, start=1):
        assert page.count("OFFICIAL") >= 2, f"page {i} lacks the marking in header and footer"
        assert f"Page {i} of {n}" in page
    assert "SAMPLE DATA" in pages[0] and PERIOD in pages[0]
    titles = ["Headline", "RAG by theme", "RAG trend across periods", "Movement", "Risk heat map",
              "Milestones: overdue and next 90 days", "Inspection recommendations by body and status"]  # fmt: skip
    for page, title in zip(pages[1:], titles, strict=False):
        assert title in page
    assert all("Exceptions" in p for p in pages[len(titles) + 1 :])
    assert "Corrective action" in pages[-1]
    assert seen[-1][0] == seen[-1][1] == n


def test_board_pack_command_works_without_a_display(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "plan.db"
    root = Path(__file__).resolve().parents[2]
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(root)}
    run = lambda *a: subprocess.run([sys.executable, str(root / "main.py"), "--db", str(db), *a],  # noqa: E731
                                    capture_output=True, text=True, env=env, cwd=tmp_path)  # fmt: skip
    assert run("init", "--sample").returncode == 0
    done = run("board-pack", "--period", PERIOD, "--out", str(tmp_path / "pack.pdf"))
    assert done.returncode == 0, done.stderr
    pages = pages_of(tmp_path / "pack.pdf")
    assert all("OFFICIAL" in p for p in pages) and f"Page {len(pages)} of {len(pages)}" in pages[-1]
    bad = run("board-pack", "--period", "1999 Q9", "--out", str(tmp_path / "x.pdf"))
    assert bad.returncode == 2 and "no reporting period called" in bad.stderr
    assert not (tmp_path / "x.pdf").exists()
