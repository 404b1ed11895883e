"""File > Export status workbook: the background export, its progress dialog, cancel and failure."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from tracker.seed.sample import add_sample_progress
from tracker.seed.template import emsou_template, seed_plan
from ui.context import AppContext, Identity
from ui.exports import export_status_dialog
from ui.tasks import TaskRunner


@pytest.fixture
def ctx(qapp, store, actor):  # type: ignore[no-untyped-def]
    with store.write() as session:
        seed_plan(session, actor=actor, template=emsou_template())
        add_sample_progress(session, actor=actor)
    return AppContext(store, Identity("Head of PMO", role="PMO"), runner=TaskRunner(synchronous=True))


def test_export_writes_the_workbook_for_the_latest_period_and_says_so(
    ctx: AppContext, tmp_path: Path, qtbot
) -> None:  # type: ignore[no-untyped-def]
    messages: list[str] = []
    ctx.message.connect(messages.append)
    task = export_status_dialog(ctx, None, path=str(tmp_path / "status"))
    assert task is not None and task.done
    out = tmp_path / "status.xlsx"  # the extension is added
    wb = load_workbook(out)
    assert (
        wb.properties.creator == "Head of PMO" and wb["Objectives"]["A1"].value == "Objectives — 2023/24 Q4"
    )
    assert messages == [f"Saved the status workbook for 2023/24 Q4 to {out}"]


def test_export_follows_the_period_on_show(ctx: AppContext, tmp_path: Path) -> None:
    from tracker.queries import periods

    with ctx.read() as session:
        q3 = next(p for p in periods(session) if p.name == "2022/23 Q3")
    ctx.set_period(q3.id)
    export_status_dialog(ctx, None, path=str(tmp_path / "q3.xlsx"))
    assert load_workbook(tmp_path / "q3.xlsx")["Objectives"]["A1"].value == "Objectives — 2022/23 Q3"


def test_cancel_during_the_export_saves_nothing(ctx: AppContext, tmp_path: Path) -> None:
    messages: list[str] = []
    ctx.message.connect(messages.append)
    seen: list[str] = []

    def on_started(task) -> None:  # type: ignore[no-untyped-def]
        def on_progress(done: int, total: int, text: str) -> None:
            seen.append(text)
            if "milestones" in text:
                task.cancel()

        task.progressed.connect(on_progress)

    ctx.runner.task_started.connect(on_started)
    folder = tmp_path / "exports"
    folder.mkdir()
    task = export_status_dialog(ctx, None, path=str(folder / "status.xlsx"))
    assert task is not None and task.done
    assert any("milestones" in t for t in seen) and "Saving the workbook…" not in seen
    assert messages == ["Export cancelled: nothing was saved"]
    assert list(folder.iterdir()) == []  # no workbook, no partial file


def test_a_name_given_without_its_extension_does_not_replace_a_file_unasked(
    ctx: AppContext, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The save dialog asked about "status"; "status.xlsx" is what would be replaced."""
    from tests.gui.helpers import record_message_boxes

    kept = tmp_path / "status.xlsx"
    kept.write_bytes(b"last quarter's workbook")
    shown = record_message_boxes(monkeypatch)  # answers nothing: Cancel
    assert export_status_dialog(ctx, None, path=str(tmp_path / "status")) is None
    assert "status.xlsx already exists" in shown.texts and kept.read_bytes() == b"last quarter's workbook"
    record_message_boxes(monkeypatch, answer="Replace")
    task = export_status_dialog(ctx, None, path=str(tmp_path / "status"))
    assert task is not None and task.done and load_workbook(kept)["Objectives"]["A1"].value


def test_save_dialogs_start_in_the_folder_last_used_with_the_period_in_the_name(
    ctx: AppContext,
    app_settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    from PySide6.QtWidgets import QFileDialog

    from tests.gui.helpers import settled
    from ui.boardpack.export import export_board_pack

    ctx.settings = app_settings
    offered: list[str] = []
    chosen = tmp_path / "board papers"
    chosen.mkdir()

    def save_as(_parent, _title, suggested, _filter):  # type: ignore[no-untyped-def]
        offered.append(suggested)
        return str(chosen / Path(suggested).name), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    settled(export_status_dialog(ctx))
    assert offered[0] == str(Path.home() / "Status report 2023-24 Q4.xlsx")  # the first time: home
    settled(export_board_pack(ctx))
    assert offered[1] == str(chosen / "Board pack 2023-24 Q4.pdf")  # then where the person saved
    assert (chosen / "Board pack 2023-24 Q4.pdf").exists() and (
        chosen / "Status report 2023-24 Q4.xlsx"
    ).exists()
