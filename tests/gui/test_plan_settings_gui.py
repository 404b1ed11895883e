"""Edit > Plan settings…: the PMO changes the appetite and the boards, and undoes each; nobody else is offered it."""

from __future__ import annotations

from tests.builders import get
from tests.gui.helpers import succeeded, written
from tracker.models import Board, Plan
from ui.context import AppContext, Identity
from ui.main_window import MainWindow
from ui.plan_settings import FROM_NOW_ON, PlanSettingsDialog
from ui.settings import Remembered
from ui.tasks import TaskRunner


def _window(ctx, app_settings, qtbot) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(ctx, location="plan.db", settings=app_settings)
    qtbot.addWidget(window)
    return window


def _dialog(window: MainWindow, qtbot) -> PlanSettingsDialog:  # type: ignore[no-untyped-def]
    assert window.settings_action.isVisible() and window.settings_action.isEnabled()
    dialog = window.show_plan_settings()
    assert dialog is not None
    qtbot.addWidget(dialog)
    return dialog


def test_the_pmo_changes_the_appetite_and_undoes_it(plan_ctx, app_settings, qtbot):  # type: ignore[no-untyped-def]
    window = _window(plan_ctx, app_settings, qtbot)
    dialog = _dialog(window, qtbot)
    assert any(FROM_NOW_ON in label.text() for label in dialog.findChildren(type(dialog.general_error)))
    dialog.appetite.setValue(9)
    assert "residual score over 9" in dialog.band_words.text()
    assert succeeded(dialog.save())
    assert get(plan_ctx.store, Plan, plan_ctx.ids.plan).risk_appetite == 9
    assert "risk appetite" in plan_ctx.undo_text()
    assert succeeded(plan_ctx.undo())
    assert get(plan_ctx.store, Plan, plan_ctx.ids.plan).risk_appetite == 12


def test_a_refused_setting_is_shown_beside_its_field_on_its_section(plan_ctx, app_settings, qtbot):  # type: ignore[no-untyped-def]
    dialog = _dialog(_window(plan_ctx, app_settings, qtbot), qtbot)
    dialog.bands["risk_medium_max"].setValue(3)  # not above the low band's 4
    assert not succeeded(dialog.save())
    assert "must be more than the low max (4)" in dialog.errors.error("risk_medium_max")
    assert dialog.tabs.tabText(dialog.tabs.currentIndex()) == "Ris&k (1 to fix)"
    assert get(plan_ctx.store, Plan, plan_ctx.ids.plan).risk_medium_max == 9


def test_the_pmo_changes_adds_and_removes_boards_and_undoes_each(plan_ctx, app_settings, qtbot, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr("ui.plan_boards.confirm", lambda *a: True)
    board_id = plan_ctx.ids.board
    dialog = _dialog(_window(plan_ctx, app_settings, qtbot), qtbot)
    panel = dialog.boards
    dialog.tabs.setCurrentWidget(panel)
    panel.table.selectRow(panel.model.view_row_of(board_id))
    panel.cadence.setText("monthly")
    assert succeeded(panel.save())
    assert get(plan_ctx.store, Board, board_id).cadence == "monthly"
    assert succeeded(plan_ctx.undo())
    assert get(plan_ctx.store, Board, board_id).cadence == "quarterly"
    assert panel.cadence.text() == "quarterly"  # the panel read the undo

    # in use: refused beside the list, saying which objectives report to it
    panel.table.selectRow(panel.model.view_row_of(board_id))
    assert not succeeded(panel.remove())
    assert "3 objectives report to it (SER-01.01, SER-01.02 and SER-01.03)" in panel.general_error.text()

    panel.start_new()
    panel.name.setText("Ethics Board")
    assert succeeded(panel.save())
    new = panel.selected()
    assert new is not None and new.name == "Ethics Board" and new.n_objectives == 0
    assert succeeded(panel.remove())
    assert get(plan_ctx.store, Board, new.id).deleted and not panel.model.has_row(new.id)
    assert succeeded(plan_ctx.undo())
    assert not get(plan_ctx.store, Board, new.id).deleted and panel.model.has_row(new.id)


def test_a_lead_or_a_viewer_is_not_offered_plan_settings(plan_ctx, app_settings, qtbot):  # type: ignore[no-untyped-def]
    window = _window(plan_ctx, app_settings, qtbot)
    assert window.settings_action.isVisible()
    window.set_identity(
        Remembered(Identity("Head of Intelligence", plan_ctx.ids.lead, "Detective Superintendent"))
    )
    assert not window.settings_action.isVisible() and not window.settings_action.isEnabled()
    assert window.show_plan_settings() is None
    viewer = AppContext(
        plan_ctx.store, Identity("Viewer", None, "viewer"), runner=TaskRunner(synchronous=True)
    )
    assert not _window(viewer, app_settings, qtbot).settings_action.isVisible()


def test_read_only_mode_offers_no_plan_settings(plan_ctx, app_settings, qtbot):  # type: ignore[no-untyped-def]
    ctx = AppContext(
        plan_ctx.store, Identity("PMO", None, "PMO"), read_only=True, runner=TaskRunner(synchronous=True)
    )
    window = _window(ctx, app_settings, qtbot)
    assert not window.settings_action.isVisible() and window.show_plan_settings() is None


def test_a_lead_is_not_offered_opening_closing_or_the_board_report(plan_ctx, app_settings, qtbot):  # type: ignore[no-untyped-def]
    window = _window(plan_ctx, app_settings, qtbot)
    page = window.show_page("periods")
    page.table.selectRow(0)
    assert page.form_box.isEnabled() and page.close_button.isEnabled()
    assert page.board_report.save_button.isEnabled()
    window.set_identity(
        Remembered(Identity("Head of Intelligence", plan_ctx.ids.lead, "Detective Superintendent"))
    )
    assert not page.form_box.isEnabled() and not page.close_button.isEnabled()
    assert not page.board_report.save_button.isEnabled() and not window.settings_action.isVisible()


def test_a_closed_periods_board_pack_keeps_the_appetite_it_was_reported_with(plan_ctx):  # type: ignore[no-untyped-def]
    from datetime import date

    from tracker.services import close_period, create_risk, update_plan_settings
    from ui.boardpack.content import load_pack

    ids = plan_ctx.ids
    scores = {f"{w}_{x}": 3 for w in ("inherent", "target") for x in ("likelihood", "impact")}
    written(plan_ctx, create_risk, data={"objective_id": ids.obj1, "title": "Vetting backlog", **scores,
                                         "residual_likelihood": 3, "residual_impact": 4})  # fmt: skip
    written(plan_ctx, close_period, period_id=ids.q1)
    written(plan_ctx, update_plan_settings, changes={"risk_appetite": 9, "rag_green": "Delivering."})

    def pack(period_id: str):  # type: ignore[no-untyped-def]
        with plan_ctx.read() as s:
            return load_pack(s, period_id, today=date(2024, 10, 15))

    closed, running = pack(ids.q1), pack(ids.q2)
    assert (closed.dash.plan.risk_appetite, closed.top.n_above, closed.top.rows[0].above_appetite) == (
        12,
        0,
        False,
    )
    assert closed.dash.plan.rag_green != "Delivering."
    assert (running.dash.plan.risk_appetite, running.top.n_above, running.top.rows[0].above_appetite) == (
        9,
        1,
        True,
    )
    assert running.dash.plan.rag_green == "Delivering."


def test_saving_unchanged_settings_writes_nothing_and_closes(plan_ctx, app_settings, qtbot):  # type: ignore[no-untyped-def]
    dialog = _dialog(_window(plan_ctx, app_settings, qtbot), qtbot)
    assert dialog.changed() == {}
    assert dialog.save() is None and dialog.result() == dialog.DialogCode.Accepted
    assert not plan_ctx.can_undo()
