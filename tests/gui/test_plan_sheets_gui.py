"""File > Export plan… and Import plan…: the workbook written, the preview shown, the import undone."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from sqlmodel import select

from tests.builders import snapshot
from tests.gui.helpers import record_message_boxes
from tracker.models import Theme
from ui.context import AppContext, Identity
from ui.main_window import MainWindow
from ui.plan_sheets import PlanPreviewDialog, export_plan_dialog, import_plan_dialog
from ui.tasks import TaskRunner


def themes(ctx: AppContext) -> list[str]:
    with ctx.read() as s:
        return [t.code for t in s.exec(select(Theme).where(Theme.deleted.is_(False)).order_by(Theme.code))]


def exported(ctx: AppContext, tmp_path: Path) -> Path:
    task = export_plan_dialog(ctx, None, path=str(tmp_path / "plan"))
    assert task is not None and task.done
    return tmp_path / "plan.xlsx"  # the extension is added


def test_the_pmo_exports_previews_imports_and_undoes_a_plan(plan_ctx, tmp_path, qtbot):  # type: ignore[no-untyped-def]
    messages: list[str] = []
    plan_ctx.message.connect(messages.append)
    path = exported(plan_ctx, tmp_path)
    assert messages == [f"Saved the plan to {path}"]
    wb = openpyxl.load_workbook(path)
    wb["Themes"].append(["NEW", "A new theme"])
    wb.save(path)

    task = import_plan_dialog(plan_ctx, None, path=str(path))
    assert task is not None and task.done
    dialog: PlanPreviewDialog = task.preview_dialog  # type: ignore[attr-defined]
    qtbot.addWidget(dialog)
    assert dialog.summary.text() == "Importing adds 1 item and changes 0 items, all or nothing."
    assert "Themes                1          0          2" in dialog.details.toPlainText()
    assert dialog.import_button.isEnabled()
    dialog.import_button.click()
    qtbot.waitUntil(lambda: themes(plan_ctx) == ["NEW", "PEO", "SER"])
    assert messages[-1] == f"Imported the plan from {path.name}: 1 item added, 0 items changed"
    assert plan_ctx.can_undo() and "Imported the plan" in plan_ctx.undo_text()
    plan_ctx.undo()
    qtbot.waitUntil(lambda: themes(plan_ctx) == ["PEO", "SER"])


def test_a_workbook_with_problems_cannot_be_imported(plan_ctx, tmp_path, qtbot):  # type: ignore[no-untyped-def]
    path = exported(plan_ctx, tmp_path)
    wb = openpyxl.load_workbook(path)
    wb["Outcomes"].append(["NEW-01", "NOPE", "Under a missing theme"])
    wb.save(path)
    task = import_plan_dialog(plan_ctx, None, path=str(path))
    dialog: PlanPreviewDialog = task.preview_dialog  # type: ignore[attr-defined, union-attr]
    qtbot.addWidget(dialog)
    assert dialog.summary.text() == "1 problem: fix them in the workbook and import it again."
    assert "column 'Theme code': found “NOPE”" in dialog.details.toPlainText()
    assert not dialog.import_button.isEnabled()


@pytest.mark.parametrize("who", [Identity("Head of Intelligence", "p-1", "Detective Superintendent"),
                                 Identity("Viewer", None, "viewer")])  # fmt: skip
def test_only_the_pmo_is_offered_the_import(plan_ctx, store, app_settings, tmp_path, qtbot, monkeypatch, who):  # type: ignore[no-untyped-def]
    window = MainWindow(plan_ctx, location="p.db", settings=app_settings)
    qtbot.addWidget(window)
    assert window.import_plan_action.isEnabled() and window.export_plan_action.isEnabled()
    path = exported(plan_ctx, tmp_path)
    plan_ctx.identity = who
    assert not window.import_plan_action.isEnabled() and window.export_plan_action.isEnabled()

    other = AppContext(store, who, runner=TaskRunner(synchronous=True))
    shown = record_message_boxes(monkeypatch)
    before = snapshot(store)
    assert import_plan_dialog(other, None, path=str(path)) is None
    assert shown.boxes == [
        ("Import plan", "Only the PMO can import a plan; change who you are (File menu) if you are.")
    ]
    assert snapshot(store) == before
