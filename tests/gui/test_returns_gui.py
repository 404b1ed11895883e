"""Period returns in the window: the tracker panel, issuing into a folder, importing through the preview."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QPoint

from tests.builders import snapshot
from tests.gui.helpers import accessible_name, record_message_boxes, succeeded, written
from tracker.models import Milestone
from tracker.queries import periods
from tracker.seed.sample import add_sample_progress
from tracker.seed.template import emsou_template, seed_plan
from tracker.services import update_milestone
from tracker.workbooks.returns_issue import return_file_name
from ui.context import AppContext, Identity
from ui.models.returns import KEEP_OURS, TAKE_THEIRS
from ui.pages.periods import PeriodsPage
from ui.returns_dialogs import import_return_dialog, issue_returns_dialog
from ui.tasks import TaskRunner

LEAD = "Head of EMSOU"
PERIOD = "2023/24 Q4"  # the sample plan's open period
LEADS = 10  # people leading open objectives in the sample plan (a return does not ask about closed ones)


@pytest.fixture
def ctx(qapp, store, actor):  # type: ignore[no-untyped-def]
    with store.write() as session:
        seed_plan(session, actor=actor, template=emsou_template())
        add_sample_progress(session, actor=actor)
    ctx = AppContext(store, Identity("Head of PMO", role="PMO"), runner=TaskRunner(synchronous=True))
    with ctx.read() as session:
        ctx.set_period(next(p.id for p in periods(session) if p.name == PERIOD))
    return ctx


@pytest.fixture
def page(ctx, qtbot):  # type: ignore[no-untyped-def]
    page = PeriodsPage(ctx)
    qtbot.addWidget(page)
    return page


def cell(model, row: int, column: int) -> str:  # type: ignore[no-untyped-def]
    return model.data(model.index(row, column))


def tracker_rows(page) -> dict[str, tuple[str, str]]:  # type: ignore[no-untyped-def]
    model = page.returns_panel.model
    return {r.lead_name: (r.status, r.applied_by) for r in model.rows}


def issue_all(ctx, tmp_path: Path, monkeypatch, parent=None) -> Path:  # type: ignore[no-untyped-def]
    record_message_boxes(monkeypatch)
    out = tmp_path / "returns"
    task = issue_returns_dialog(ctx, parent, path=str(out))
    assert task is not None and task.done
    return out


def edit(path: Path, sheet: str, pick, **by_header: object) -> str:  # type: ignore[no-untyped-def]
    """Type values into the first row ``pick(values by heading)`` accepts; return that row's item id."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    headers = [c.value for c in ws[2]]
    row = next(
        r for r in ws.iter_rows(min_row=3) if pick(dict(zip(headers, (c.value for c in r), strict=False)))
    )
    for header, value in by_header.items():
        row[headers.index(header)].value = value
    wb.save(path)
    return str(row[-1].value)


def has_rag(values: dict) -> bool:  # type: ignore[type-arg]
    return values.get("RAG") in ("Green", "Amber")


def preview_of(ctx, path: Path):  # type: ignore[no-untyped-def]
    task = import_return_dialog(ctx, None, path=str(path))
    assert task is not None and task.done
    return task.preview_dialog


# ---------------------------------------------------------------------------------------------- the panel


def test_the_panel_shows_every_lead_and_follows_issue_and_apply(ctx, page, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    panel = page.returns_panel
    assert panel.title() == f"Returns for {PERIOD}"
    rows = tracker_rows(page)
    assert len(rows) == LEADS and set(s for s, _ in rows.values()) == {"not issued"}
    assert "No returns issued" in panel.summary.text()

    out = issue_all(ctx, tmp_path, monkeypatch, page)
    assert {s for s, _ in tracker_rows(page).values()} == {"issued"}
    assert cell(panel.model, 0, 8) == "Yes"  # outstanding
    assert f"{LEADS} of {LEADS} leads issued a return: {LEADS} outstanding" in panel.summary.text()

    path = out / return_file_name(PERIOD, LEAD)
    edit(path, "Objectives", has_rag, Commentary="Written by the lead in the workbook")
    dialog = preview_of(ctx, path)
    assert tracker_rows(page)[LEAD] == ("received", "")  # a clean return is noted as received
    assert succeeded(dialog.apply())
    assert tracker_rows(page)[LEAD] == ("applied", "Head of PMO")
    n = next(i for i, r in enumerate(panel.model.rows) if r.lead_name == LEAD)
    assert cell(panel.model, n, 6) == "Head of PMO" and cell(panel.model, n, 5) != ""


def test_the_panel_follows_the_period_selected_on_the_page(ctx, page):  # type: ignore[no-untyped-def]
    q3 = next(n for n, p in enumerate(page.model.rows) if p.name == "2023/24 Q3")
    page.table.selectRow(q3)
    panel = page.returns_panel
    assert panel.title() == "Returns for 2023/24 Q3"
    assert not panel.issue_button.isEnabled() and "closed" in panel.summary.text()


def test_issue_writes_one_workbook_per_lead_and_records_each(ctx, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    messages: list[str] = []
    ctx.message.connect(messages.append)
    shown = record_message_boxes(monkeypatch)
    out = tmp_path / "returns"
    issue_returns_dialog(ctx, None, path=str(out))
    files = sorted(p.name for p in out.iterdir())
    assert len(files) == LEADS and return_file_name(PERIOD, LEAD) in files
    assert messages == [f"Issued {LEADS} returns for {PERIOD}"]
    assert f"Issued {LEADS} returns for {PERIOD} into {out}" in shown.texts
    assert ctx.can_undo() and ctx.undo_text() == f"Issued {LEADS} returns for {PERIOD}"


def test_issuing_over_returns_already_in_the_folder_asks_first(ctx, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    out = issue_all(ctx, tmp_path, monkeypatch)
    path = out / return_file_name(PERIOD, LEAD)
    path.write_bytes(b"a lead's filled-in return")
    before = snapshot(ctx.store)
    shown = record_message_boxes(monkeypatch)  # answers nothing: the question is cancelled
    assert issue_returns_dialog(ctx, None, path=str(out)) is None
    assert "would be replaced" in shown.texts
    assert path.read_bytes() == b"a lead's filled-in return" and snapshot(ctx.store) == before


def test_issuing_for_a_closed_period_is_refused_before_anything_is_written(ctx, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    with ctx.read() as session:
        q3 = next(p.id for p in periods(session) if p.name == "2023/24 Q3")
    shown = record_message_boxes(monkeypatch)
    assert issue_returns_dialog(ctx, None, period_id=q3, path=str(tmp_path / "out")) is None
    assert "closed" in shown.texts and not (tmp_path / "out").exists()


# ---------------------------------------------------------------------------------------------- importing


def test_a_filled_in_return_is_previewed_then_applied(ctx, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    from tracker.models import StatusUpdate

    out = issue_all(ctx, tmp_path, monkeypatch)
    path = out / return_file_name(PERIOD, LEAD)
    objective = edit(path, "Objectives", has_rag, Commentary="Recruitment finished", **{"% progress": 64})
    dialog = preview_of(ctx, path)
    assert dialog.problems_model.rowCount() == 0 and dialog.conflicts.rowCount() == 0
    assert not dialog.problems_view.parentWidget().isVisibleTo(dialog)
    fields = {cell(dialog.changes_model, r, 3): cell(dialog.changes_model, r, 5)
              for r in range(dialog.changes_model.rowCount())}  # fmt: skip
    assert fields == {"Commentary": "“Recruitment finished”", "% progress": "64"}
    assert dialog.apply_button.isEnabled()
    shown = record_message_boxes(monkeypatch)
    assert succeeded(dialog.apply())
    changes = dialog.changes
    # the result counts what was applied as the preview counted it
    assert dialog.changes_view.parentWidget().title() == "Changes to apply: 2 changes to 1 item"
    assert changes is not None and changes.summary == f"Applied 2 changes to 1 item from {path.name}"
    assert changes.summary in shown.texts and dialog.result() == dialog.DialogCode.Accepted
    from sqlmodel import select

    with ctx.read() as session:
        update = session.exec(
            select(StatusUpdate).where(
                StatusUpdate.objective_id == objective, StatusUpdate.period_id == ctx.period_id
            )
        ).one()
    assert (update.commentary, update.progress_pct, update.author) == ("Recruitment finished", 64, LEAD)


def test_a_bad_value_is_shown_with_apply_disabled_and_nothing_written(ctx, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    out = issue_all(ctx, tmp_path, monkeypatch)
    path = out / return_file_name(PERIOD, LEAD)
    edit(path, "Objectives", has_rag, RAG="Purple")
    before = snapshot(ctx.store)
    dialog = preview_of(ctx, path)
    problems = dialog.problems_model
    assert problems.rowCount() == 1
    assert [cell(problems, 0, c) for c in range(5)] == [
        "Objectives", problems.rows[0].row and str(problems.rows[0].row), "RAG", "“Purple”",
        "one of Red, Amber, Green, or blank",
    ]  # fmt: skip
    assert dialog.problems_view.parentWidget().isVisibleTo(dialog)
    assert not dialog.apply_button.isEnabled() and "nothing will be written" in dialog.banner.text()
    assert dialog.apply() is None
    assert snapshot(ctx.store) == before


def test_a_conflict_settled_take_theirs_applies_the_returns_value(ctx, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    out = issue_all(ctx, tmp_path, monkeypatch)
    path = out / return_file_name(PERIOD, LEAD)
    milestone = edit(
        path,
        "Milestones",
        lambda v: v.get("Forecast date"),
        **{"Forecast date": date(2030, 5, 31), "Reason for date change": "Supplier late"},
    )
    written(ctx, update_milestone, milestone_id=milestone, changes={"forecast_date": date(2029, 1, 31)})
    dialog = preview_of(ctx, path)
    assert dialog.conflicts.rowCount() == 1
    assert [cell(dialog.conflicts, 0, c) for c in (3, 5, 6, 7)] == [
        "Forecast date",
        "31 Jan 2029",
        "31 May 2030",
        "Not settled",
    ]
    assert not dialog.apply_button.isEnabled() and "to settle" in dialog.banner.text()
    dialog.keep_all.click()
    assert dialog.conflicts.resolutions() == {dialog.conflicts.rows[0].key: KEEP_OURS}
    combo = dialog.conflicts_view.indexWidget(dialog.conflicts.index(0, 7))
    assert combo.currentText() == "Keep ours"  # the drop-down follows the buttons
    combo.setCurrentIndex(combo.findData(TAKE_THEIRS))  # and the model follows the drop-down
    assert dialog.conflicts.resolutions() == {dialog.conflicts.rows[0].key: TAKE_THEIRS}
    assert dialog.apply_button.isEnabled()
    record_message_boxes(monkeypatch)
    assert succeeded(dialog.apply())
    with ctx.read() as session:
        assert session.get(Milestone, milestone).forecast_date == date(2030, 5, 31)


@pytest.mark.parametrize(
    "name, content", [("notes.txt", b"just some words"), ("fake.xlsx", b"PK\x03\x04 not a zip")]
)
def test_a_file_that_is_not_a_return_is_refused_with_its_reason(ctx, tmp_path, monkeypatch, name, content):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_bytes(content)
    before = snapshot(ctx.store)
    shown = record_message_boxes(monkeypatch)
    task = import_return_dialog(ctx, None, path=str(path))
    assert task is not None and not hasattr(task, "preview_dialog")
    assert (
        shown.titles == ["Import a return"] and name in shown.texts and "Nothing was imported" in shown.texts
    )
    assert snapshot(ctx.store) == before


def test_a_workbook_that_is_not_a_return_is_refused(ctx, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    path = tmp_path / "budget.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Budget"
    wb.save(path)
    before = snapshot(ctx.store)
    shown = record_message_boxes(monkeypatch)
    import_return_dialog(ctx, None, path=str(path))
    assert "is not a period return" in shown.texts and snapshot(ctx.store) == before


# ---------------------------------------------------------------------------------------------- read-only, models, names


def test_read_only_disables_issue_and_import(ctx, qtbot, app_settings, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    from ui.main_window import MainWindow

    ctx.read_only = True
    page = PeriodsPage(ctx)
    qtbot.addWidget(page)
    assert (
        not page.returns_panel.issue_button.isEnabled() and not page.returns_panel.import_button.isEnabled()
    )
    window = MainWindow(ctx, location="p.db", settings=app_settings)
    qtbot.addWidget(window)
    assert not window.issue_returns_action.isEnabled() and not window.import_return_action.isEnabled()
    file_menu = window.menuBar().actions()[0].menu()
    assert {window.issue_returns_action, window.import_return_action} <= set(file_menu.actions())
    shown = record_message_boxes(monkeypatch)
    assert issue_returns_dialog(ctx, None, path=str(tmp_path / "out")) is None
    assert "read-only" in shown.texts and not (tmp_path / "out").exists()


def test_models_pass_the_model_tester(ctx, page, tmp_path, monkeypatch, qtmodeltester):  # type: ignore[no-untyped-def]
    qtmodeltester.check(page.returns_panel.model)
    out = issue_all(ctx, tmp_path, monkeypatch)
    path = out / return_file_name(PERIOD, LEAD)
    milestone = edit(
        path,
        "Milestones",
        lambda v: v.get("Forecast date"),
        **{"Forecast date": date(2030, 5, 31), "Reason for date change": "Supplier late"},
    )
    written(ctx, update_milestone, milestone_id=milestone, changes={"forecast_date": date(2029, 1, 31)})
    edit(path, "Objectives", has_rag, Commentary="New words")
    edit(path, "Risks", lambda v: True, **{"Residual likelihood (1-5)": 9})
    dialog = preview_of(ctx, path)
    for model in (dialog.problems_model, dialog.changes_model, dialog.conflicts, dialog.not_owned_model):
        qtmodeltester.check(model)
    assert (
        dialog.problems_model.rowCount() and dialog.changes_model.rowCount() and dialog.conflicts.rowCount()
    )
    qtmodeltester.check(page.returns_panel.model)


def test_controls_have_accessible_names(ctx, page, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QComboBox

    panel = page.returns_panel
    for widget in (panel, panel.table, panel.issue_button, panel.import_button):
        assert accessible_name(widget)
    out = issue_all(ctx, tmp_path, monkeypatch)
    path = out / return_file_name(PERIOD, LEAD)
    milestone = edit(
        path,
        "Milestones",
        lambda v: v.get("Forecast date"),
        **{"Forecast date": date(2030, 5, 31), "Reason for date change": "Supplier late"},
    )
    written(ctx, update_milestone, milestone_id=milestone, changes={"forecast_date": date(2029, 1, 31)})
    dialog = preview_of(ctx, path)
    controls = dialog.findChildren(QAbstractButton) + dialog.findChildren(QAbstractItemView)
    controls += dialog.findChildren(QComboBox)
    focusable = [w for w in controls if w.focusPolicy() != Qt.FocusPolicy.NoFocus and w.isVisibleTo(dialog)]
    unnamed = [w for w in focusable if not accessible_name(w)]
    assert unnamed == []
    assert "Settle the conflict on" in accessible_name(dialog.findChildren(QComboBox)[0])


def test_cancel_while_issuing_records_nothing(ctx, tmp_path):  # type: ignore[no-untyped-def]
    messages: list[str] = []
    ctx.message.connect(messages.append)

    def on_started(task) -> None:  # type: ignore[no-untyped-def]
        task.progressed.connect(lambda done, total, text: task.cancel() if done == 3 else None)

    ctx.runner.task_started.connect(on_started)
    before = snapshot(ctx.store)
    task = issue_returns_dialog(ctx, None, path=str(tmp_path / "out"))
    assert task is not None and task.done
    assert snapshot(ctx.store) == before and not ctx.can_undo()
    assert messages and messages[-1] == "Issuing returns cancelled: no return was written or recorded"
    assert not list((tmp_path / "out").iterdir())  # not even the returns written before the cancel


def test_rows_no_longer_the_leads_are_listed_and_not_applied(ctx, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    from tracker.models import Objective
    from tracker.queries import people
    from tracker.services import update_objective

    out = issue_all(ctx, tmp_path, monkeypatch)
    path = out / return_file_name(PERIOD, LEAD)
    objective = edit(path, "Objectives", has_rag, Commentary="Not mine to say any more")
    with ctx.read() as session:
        other = next(p.id for p in people(session) if p.name == "Head of Finance")
    written(ctx, update_objective, objective_id=objective, changes={"lead_id": other})
    dialog = preview_of(ctx, path)
    assert dialog.not_owned_model.rowCount() == 1 and dialog.not_owned_view.parentWidget().isVisibleTo(dialog)
    assert dialog.changes_model.rowCount() == 0 and dialog.nothing.isHidden()
    record_message_boxes(monkeypatch)
    before = snapshot(ctx.store)
    assert succeeded(dialog.apply())
    after = snapshot(ctx.store)
    assert after["status_update"] == before["status_update"]  # the reassigned objective is untouched
    with ctx.read() as session:
        assert session.get(Objective, objective).lead_id == other


def test_a_plan_change_after_the_preview_refuses_the_apply_and_writes_nothing(ctx, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    out = issue_all(ctx, tmp_path, monkeypatch)
    path = out / return_file_name(PERIOD, LEAD)
    milestone = edit(
        path,
        "Milestones",
        lambda v: v.get("Forecast date"),
        **{"Forecast date": date(2030, 5, 31), "Reason for date change": "Supplier late"},
    )
    dialog = preview_of(ctx, path)
    assert dialog.changes_model.rowCount() == 2 and dialog.apply_button.isEnabled()  # the date and its reason
    written(ctx, update_milestone, milestone_id=milestone, changes={"forecast_date": date(2029, 1, 31)})
    before = snapshot(ctx.store)
    shown = record_message_boxes(monkeypatch)
    assert not succeeded(dialog.apply())
    assert "changed in the plan since the preview" in shown.texts and snapshot(ctx.store) == before
    assert dialog.changes is None and dialog.result() != dialog.DialogCode.Accepted


def test_issuing_asks_when_the_returns_are_due_and_whom_to_send_them_to_and_keeps_both(
    ctx, tmp_path, monkeypatch
):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QDate
    from PySide6.QtWidgets import QDialog

    from tracker.queries.period_report import period_report
    from ui.returns_dialogs import IssueReturnsDialog

    seen = {}

    def answer(dialog) -> QDialog.DialogCode:  # type: ignore[no-untyped-def]
        seen["prefilled"] = dialog.chosen()
        dialog.folder.clear()
        seen["issue enabled without a folder"] = dialog.issue_button.isEnabled()
        dialog.return_by.setDate(QDate(2024, 4, 19))
        dialog.contact.setText("Head of PMO, pmo@emsou.example")
        dialog.folder.setText(str(tmp_path / "out"))
        seen["names"] = [accessible_name(w) for w in (dialog.return_by, dialog.contact, dialog.folder)]
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(IssueReturnsDialog, "exec", answer)
    shown = record_message_boxes(monkeypatch)
    task = issue_returns_dialog(ctx, None)
    assert task is not None and task.done
    # the period's own settings to start from (the sample's: a fortnight after the quarter)
    # the folder: where returns went last time (here the first time: home), named for the period
    assert seen["prefilled"] == (
        date(2024, 4, 14),
        "EMSOU Strategic PMO, pmo@emsou.example",
        str(Path.home() / "Returns 2023-24 Q4"),
    )
    assert not seen["issue enabled without a folder"] and all(seen["names"])
    with ctx.read() as session:
        row = period_report(session, ctx.period_id)
    assert (row.return_by, row.return_contact) == (date(2024, 4, 19), "Head of PMO, pmo@emsou.example")
    wb = openpyxl.load_workbook(tmp_path / "out" / return_file_name(PERIOD, LEAD))
    assert wb["Objectives"]["A1"].value.endswith("Return by 19 Apr 2024 to Head of PMO, pmo@emsou.example.")
    assert "(due 19 Apr 2024, to Head of PMO, pmo@emsou.example)" in shown.texts
    assert ctx.undo_text() == f"Issued {LEADS} returns for {PERIOD}"  # one change: the period with the issue


def test_cancelling_the_issue_dialog_writes_nothing(ctx, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QDialog

    from ui.returns_dialogs import IssueReturnsDialog

    monkeypatch.setattr(IssueReturnsDialog, "exec", lambda _dialog: QDialog.DialogCode.Rejected)
    before = snapshot(ctx.store)
    assert issue_returns_dialog(ctx, None) is None
    assert snapshot(ctx.store) == before


def test_the_preview_is_sized_to_its_tables_and_gives_them_the_room(ctx, tmp_path, monkeypatch, qtbot):  # type: ignore[no-untyped-def]
    out = issue_all(ctx, tmp_path, monkeypatch)
    path = out / return_file_name(PERIOD, LEAD)
    edit(path, "Objectives", has_rag, Commentary="Written by the lead in the workbook")
    dialog = preview_of(ctx, path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    view = dialog.changes_view
    row = view.verticalHeader().defaultSectionSize()
    box = view.parentWidget()
    assert view.viewport().height() >= row * view.model().rowCount()  # every row shows
    below = dialog.buttons.mapTo(dialog, QPoint(0, 0)).y() - box.mapTo(dialog, QPoint(0, box.height())).y()
    assert below < row  # and no empty half under a short table
    before = view.height()
    dialog.resize(dialog.width(), dialog.height() + 10 * row)
    # the room a taller dialog has goes to the table
    qtbot.waitUntil(lambda: view.height() >= before + 8 * row)


def test_a_long_preview_keeps_within_the_screen(ctx, tmp_path, monkeypatch, qtbot):  # type: ignore[no-untyped-def]
    out = issue_all(ctx, tmp_path, monkeypatch)
    path = out / return_file_name(PERIOD, LEAD)
    wb = openpyxl.load_workbook(path)
    typed = {"Objectives": ("Commentary", "Next steps"), "Risks": ("Cause", "Event", "Effect", "Mitigations")}
    for sheet, columns in typed.items():
        ws = wb[sheet]
        headers = [c.value for c in ws[2]]
        for r in ws.iter_rows(min_row=3):
            for heading in columns:
                r[headers.index(heading)].value = f"{heading} rewritten by the lead"
    wb.save(path)
    dialog = preview_of(ctx, path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    views = (dialog.problems_view, dialog.changes_view)  # the cells no lead may change are problems
    row = dialog.changes_view.verticalHeader().defaultSectionSize()
    screen = dialog.screen().availableGeometry()
    assert sum(v.model().rowCount() for v in views) * row > screen.height()
    assert dialog.frameGeometry().height() <= screen.height()
    for view in views:  # each table scrolls inside the dialog, never crushed
        assert view.viewport().height() >= 3 * row
