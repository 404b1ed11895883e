"""A return saved by LibreOffice imports: the app's own text starting with "=" is not taken for a formula.

The app writes such text with a quote prefix; LibreOffice saves it back without one. A cell holding
what was issued is never a problem; only a changed input cell is checked for a formula.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from sqlmodel import select

from tests.test_returns import apply, edit, issue, preview, returns_plan
from tracker.models import StatusUpdate
from tracker.services import record_status_update

ISSUED = {"Rationale": "=slipped a little", "Commentary": "=2 of 3 posts filled", "Next steps": "-hire two"}


@pytest.fixture
def issued(store, actor, tmp_path):  # type: ignore[no-untyped-def]
    """A return whose objective row was issued with text starting "=" and "-" (written quote-prefixed)."""
    plan = returns_plan(store, actor)
    with store.write() as s:
        record_status_update(
            s, actor=actor, objective_id=plan.obj1, period_id=plan.q2,
            data={"lifecycle": "in progress", "rag": "amber", "rationale": ISSUED["Rationale"],
                  "commentary": ISSUED["Commentary"], "next_steps": ISSUED["Next steps"]},
        )  # fmt: skip
    return plan, issue(store, plan, tmp_path / "issued")[plan.lead]


def drop_quote_prefixes(path: Path) -> Path:
    """What LibreOffice does on saving: every text cell loses its quote prefix, nothing else changes."""
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                cell.quotePrefix = False
    wb.save(path)
    return path


def test_issued_text_that_starts_with_an_equals_sign_imports_without_its_quote_prefix(store, issued) -> None:  # type: ignore[no-untyped-def]
    plan, path = issued
    edit(drop_quote_prefixes(path), "Objectives", plan.obj1, **{"% progress": 55})
    p = preview(store, path)
    assert p.problems == () and p.n_changes == 1
    apply(store, p)
    with store.read() as s:
        row = s.exec(select(StatusUpdate).where(StatusUpdate.objective_id == plan.obj1,
                                                StatusUpdate.period_id == plan.q2)).one()  # fmt: skip
    assert (row.progress_pct, row.commentary, row.rationale) == (
        55,
        ISSUED["Commentary"],
        ISSUED["Rationale"],
    )


def test_a_changed_cell_is_still_refused_as_a_formula(store, issued) -> None:  # type: ignore[no-untyped-def]
    plan, path = issued
    edit(drop_quote_prefixes(path), "Objectives", plan.obj1, Commentary="=SUM(A1:A2)")
    p = preview(store, path)
    assert [(x.column, x.found) for x in p.problems] == [("Commentary", "the formula “=SUM(A1:A2)”")]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_return_saved_unchanged_by_libreoffice_imports(store, issued, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _plan, path = issued
    out = tmp_path / "saved"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--convert-to", "xlsx", "--outdir", str(out), str(path)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    saved = out / path.name
    wb = openpyxl.load_workbook(saved)  # the bug as LibreOffice makes it: the prefix is gone
    commentary = next(
        c for row in wb["Objectives"].iter_rows() for c in row if c.value == ISSUED["Commentary"]
    )
    assert not commentary.quotePrefix
    p = preview(store, saved)
    assert p.problems == () and p.n_changes == 0
