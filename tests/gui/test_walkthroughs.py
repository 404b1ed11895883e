"""A period's work for each role, through the real window on the sample plan (issue 12): a lead
updates their objectives, the PMO runs the period's returns and closes it, the SLT reviews.

Each step is what a person does with the mouse or keyboard, and each ends by reading the store.
"""

from __future__ import annotations

import subprocess

import pytest
from PySide6.QtCore import Qt
from sqlmodel import select

from tests.gui.helpers import record_message_boxes, settled, succeeded
from tests.gui.test_returns_gui import edit, has_rag
from tracker import queries as q
from tracker.models import Milestone, PeriodReturn, ReportingPeriod, StatusUpdate
from tracker.seed.sample import add_sample_progress
from tracker.seed.template import emsou_template, seed_plan
from ui.context import AppContext, Identity
from ui.main_window import MainWindow
from ui.tasks import TaskRunner

PERIOD = "2023/24 Q4"  # the sample's open period


@pytest.fixture
def sample(store, actor):  # type: ignore[no-untyped-def]
    with store.write() as session:
        seed_plan(session, actor=actor, template=emsou_template())
        add_sample_progress(session, actor=actor)
    return store


def window_for(store, identity: Identity, app_settings, qtbot, *, read_only: bool = False) -> MainWindow:  # type: ignore[no-untyped-def]
    ctx = AppContext(store, identity, read_only=read_only, runner=TaskRunner(synchronous=True))
    w = MainWindow(ctx, location=str(store.path), settings=app_settings)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_a_lead_finds_their_objectives_updates_one_adds_a_milestone_undoes_and_redoes(
    sample, app_settings, qtbot
):  # type: ignore[no-untyped-def]
    with sample.read() as s:
        rows = q.objective_rows(s)
        this = next(p for p in q.periods(s) if p.name == PERIOD)
    mine = [r for r in rows if r.lead_name == "Head of EMSOU" and r.lifecycle == "in progress"]
    w = window_for(sample, Identity("Head of EMSOU", mine[0].lead_id, "lead"), app_settings, qtbot)
    ctx = w.ctx
    ctx.set_period(this.id)  # the open period, as a lead updating it chooses in the status bar
    plan = w.pages["plan"]
    assert w.current_key() == "plan" and plan.mine.isChecked()  # a lead starts on their own objectives
    assert set(plan.model.objective_ids()) == {r.id for r in rows if r.lead_id == mine[0].lead_id}

    target = mine[0]
    assert plan.select_objective(target.id)
    form = plan.detail.form
    form.rag.setCurrentIndex(form.rag.findData("red"))
    form._text("rationale").setPlainText("Two analysts left; the review slips a quarter")
    form._text("corrective_action").setPlainText("Agency staff from May; SLT asked to agree the cost")
    form.save_button.click()
    with sample.read() as s:
        update = s.exec(select(StatusUpdate).where(StatusUpdate.objective_id == target.id,
                                                   StatusUpdate.period_id == this.id)).one()  # fmt: skip
        assert update.rag == "red" and update.rationale.startswith("Two analysts left")

    plan.detail.tabs.setCurrentWidget(plan.detail.milestones)
    panel = plan.detail.milestones
    qtbot.keyClicks(panel.add_inputs["title"], "Agency analysts in post")
    qtbot.keyClicks(panel.add_inputs["baseline_date"], "2024-05-31")
    assert succeeded(panel.add())

    def titles() -> list[str]:
        with sample.read() as s:
            return [m.title for m in s.exec(select(Milestone).where(Milestone.objective_id == target.id,
                                                                    Milestone.deleted == False))]  # noqa: E712  # fmt: skip

    assert "Agency analysts in post" in titles()
    w.undo_action.trigger()
    qtbot.waitUntil(lambda: "Agency analysts in post" not in titles())
    assert w.redo_action.isEnabled()
    plan.tree.setFocus()  # out of the text box, whose own Ctrl+Y would redo its typing
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)  # a shortcut reaches the active window
    qtbot.keyClick(w, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)  # Ctrl+Y redoes
    qtbot.waitUntil(lambda: "Agency analysts in post" in titles())
    assert w.statusBar().currentMessage().startswith("Redid: ")


def test_the_pmo_opens_a_period_issues_returns_imports_one_and_closes_the_period(  # type: ignore[no-untyped-def]
    sample, app_settings, qtbot, tmp_path, monkeypatch
):
    from ui.returns_dialogs import import_return_dialog, issue_returns_dialog

    w = window_for(sample, Identity("PMO", None, "PMO"), app_settings, qtbot)
    ctx = w.ctx
    assert w.current_key() == "dashboard"
    periods = w.show_page("periods")
    periods.name.setText("2024/25 Q1")  # the next quarter, its dates suggested
    assert succeeded(periods.open_new())
    with sample.read() as s:
        names = [p.name for p in q.periods(s)]
        q4 = next(p for p in q.periods(s) if p.name == PERIOD)
    assert names[-1] == "2024/25 Q1" and ctx.period_id == q4.id  # the window stays on what was reported

    out = tmp_path / "returns"
    record_message_boxes(monkeypatch)
    task = issue_returns_dialog(ctx, w, period_id=q4.id, path=str(out))
    assert task is not None and task.done
    files = sorted(out.glob("*.xlsx"))
    assert len(files) == 10
    item = edit(files[0], "Objectives", has_rag, **{"Commentary": "On track after the April board"})
    task = import_return_dialog(ctx, w, path=str(files[0]))
    assert task is not None and task.done
    preview = task.preview_dialog
    assert settled(preview.apply()) is not None
    with sample.read() as s:
        update = s.exec(select(StatusUpdate).where(StatusUpdate.objective_id == item,
                                                   StatusUpdate.period_id == q4.id)).one()  # fmt: skip
        assert update.commentary == "On track after the April board"
        applied = s.exec(select(PeriodReturn).where(PeriodReturn.status == "applied")).all()
        assert len(applied) == 1

    shown = record_message_boxes(monkeypatch, answer="Close period")
    periods.select_period(q4.id)
    periods.close_button.click()
    assert "9 returns not back yet" in shown.texts  # the PMO is told what is still missing
    with sample.read() as s:
        assert s.get(ReportingPeriod, q4.id).status == "closed"


def test_the_slt_reviews_the_dashboard_drills_down_steps_through_meeting_mode_and_takes_the_pack(  # type: ignore[no-untyped-def]
    sample, app_settings, qtbot, tmp_path
):
    from PySide6.QtTest import QTest

    from tests.gui.helpers import settled as done
    from ui.boardpack.export import export_board_pack
    from ui.meeting import MeetingWindow

    w = window_for(
        sample, Identity("Viewer (read-only)", None, "Viewer"), app_settings, qtbot, read_only=True
    )
    dashboard = w.show_page("dashboard")
    data = dashboard.data
    assert data.period.name == PERIOD  # the latest period with updates
    red = dashboard.headline.tiles["red"]
    red.clicked.emit()
    plan = w.pages["plan"]
    assert w.current_key() == "plan" and len(plan.model.objective_ids()) == data.headline.by_status.of("red")
    assert plan.picked.isVisible()

    meeting = MeetingWindow(w.ctx, data)
    qtbot.addWidget(meeting)
    meeting.show()
    for _ in range(3):
        QTest.keyClick(meeting, Qt.Key.Key_Right)
    assert meeting.index == 3
    QTest.keyClick(meeting, Qt.Key.Key_Escape)

    pack = tmp_path / "pack.pdf"
    task = export_board_pack(w.ctx, w, path=str(pack))
    assert done(task) is not None and pack.exists()
    info = subprocess.run(["pdfinfo", str(pack)], capture_output=True, text=True, check=True).stdout
    assert int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:"))) > 10
    assert not w.ctx.can_undo()  # the SLT changed nothing
