"""File > Draft committee paper…: the PMO writes the summary and an item's narrative, saves them (audited,
undoable), and drafts the paper in the background; nobody else is offered it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gui.helpers import succeeded
from tests.paper_reading import read_paper
from tracker.queries.committee import paper_text
from tracker.seed.sample import add_sample_progress
from tracker.seed.template import emsou_template, seed_plan
from ui.context import AppContext, Identity
from ui.main_window import MainWindow
from ui.papers import CommitteePaperDialog
from ui.tasks import TaskRunner

SLT = "Senior Leadership Team (quarterly)"


@pytest.fixture
def ctx(qapp, store, actor):  # type: ignore[no-untyped-def]
    with store.write() as session:
        seed_plan(session, actor=actor, template=emsou_template())
        add_sample_progress(session, actor=actor)
    return AppContext(store, Identity("Head of PMO", role="PMO"), runner=TaskRunner(synchronous=True))


def _dialog(ctx, app_settings, qtbot) -> CommitteePaperDialog:  # type: ignore[no-untyped-def]
    window = MainWindow(ctx, location="plan.db", settings=app_settings)
    qtbot.addWidget(window)
    assert window.committee_paper_action.isEnabled()
    dialog = window._on_committee_paper()
    assert isinstance(dialog, CommitteePaperDialog)
    qtbot.addWidget(dialog)
    dialog.board.setCurrentIndex(dialog.board.findText(SLT))
    return dialog


def test_the_pmo_writes_the_text_and_drafts_the_paper(ctx, app_settings, qtbot, tmp_path: Path):  # type: ignore[no-untyped-def]
    messages: list[str] = []
    ctx.message.connect(messages.append)
    dialog = _dialog(ctx, app_settings, qtbot)
    assert dialog.data is not None and dialog.data.board_name == SLT and dialog.notes
    first = next(iter(dialog.data.reported))
    dialog.summary.setPlainText("=The panel's attention is drawn to SOC-Rec-4.")
    dialog.notes[first.row.id].setPlainText("Workshops held with every force.")
    dialog.paper_date.set_day("17/04/2024")
    dialog.draft(path=str(tmp_path / "slt paper"))  # the extension is added
    out = tmp_path / "slt paper.docx"
    body = read_paper(out).text
    assert (
        "=The panel's attention is drawn to SOC-Rec-4." in body and "Workshops held with every force." in body
    )
    assert messages[-1] == f"Saved the committee paper for {SLT}, 2023/24 Q4, to {out}"
    with ctx.read() as s:
        kept = paper_text(s, dialog.period_id, dialog.data.board_id)
    assert kept.summary.startswith("=The panel") and kept.item_notes == {
        first.row.id: "Workshops held with every force."
    }
    assert "committee paper" in ctx.undo_text()
    assert succeeded(ctx.undo())
    with ctx.read() as s:
        assert paper_text(s, dialog.period_id, dialog.data.board_id).id is None


def test_saving_unchanged_text_writes_nothing(ctx, app_settings, qtbot):  # type: ignore[no-untyped-def]
    dialog = _dialog(ctx, app_settings, qtbot)
    assert dialog.save() is None and not ctx.can_undo()


def test_a_lead_is_not_offered_the_paper(ctx, app_settings, qtbot):  # type: ignore[no-untyped-def]
    ctx.identity = Identity("Head of EMSOU", "a-person-id", "Head of EMSOU")
    window = MainWindow(ctx, location="plan.db", settings=app_settings)
    qtbot.addWidget(window)
    assert not window.committee_paper_action.isEnabled()
    assert window._on_committee_paper() is None


def test_the_contact_officer_is_a_plan_setting(ctx, app_settings, qtbot):  # type: ignore[no-untyped-def]
    from tracker.queries import current_plan

    window = MainWindow(ctx, location="plan.db", settings=app_settings)
    qtbot.addWidget(window)
    dialog = window.show_plan_settings()
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.contact.text() == "EMSOU Programme Management Office"  # the sample's
    dialog.contact.setText("Head of PMO, 0115 000 0000")
    assert succeeded(dialog.save())
    with ctx.read() as s:
        assert current_plan(s).contact_officer == "Head of PMO, 0115 000 0000"
