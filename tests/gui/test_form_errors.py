"""Error messages beside form fields: shown whole at 1366 × 768, across the field column, and gone
once the field is being fixed (issue 12, item 3)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QLabel

from tests.gui.helpers import settled
from ui.main_window import MainWindow


@pytest.fixture
def window(plan_ctx, app_settings, qtbot):  # type: ignore[no-untyped-def]
    w = MainWindow(plan_ctx, location="/plans/test plan.db", settings=app_settings)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    return w


def shown_whole(label: QLabel) -> bool:
    """Visible, and tall enough for its wrapped text at its width."""
    return label.isVisible() and label.height() >= label.heightForWidth(label.width())


def lines_of(label: QLabel) -> int:
    return round(label.heightForWidth(label.width()) / label.fontMetrics().lineSpacing())


def test_an_objective_forms_error_shows_whole_across_the_form_and_clears_when_fixed(window, plan_ctx, qtbot):  # type: ignore[no-untyped-def]
    plan = window.show_page("plan")
    assert plan.select_objective(plan_ctx.ids.obj1)
    form = plan.detail.form
    form.progress.setText("150")
    settled(form.save())
    error = form.errors["progress_pct"]
    qtbot.waitUntil(lambda: shown_whole(error))
    assert "at most 100" in error.text()
    assert error.width() > 3 * form.progress.width()  # the form's width, not the narrow box's
    assert lines_of(error) <= 2
    qtbot.keyClicks(form.progress, "\b\b\b90")  # fixing the field takes the message away
    assert error.isHidden()


def test_the_new_milestone_fields_have_room_and_their_errors_read_as_sentences(window, plan_ctx, qtbot):  # type: ignore[no-untyped-def]
    plan = window.show_page("plan")
    assert plan.select_objective(plan_ctx.ids.obj1)
    plan.detail.tabs.setCurrentWidget(plan.detail.milestones)
    panel = plan.detail.milestones
    title = panel.add_inputs["title"]
    assert title.width() >= 250  # it was about 30 px beside three other columns
    panel.add_inputs["baseline_date"].setText("2024-13-45")
    settled(panel.add())
    for name in ("title", "baseline_date"):
        error = panel.add_errors[name]
        qtbot.waitUntil(lambda e=error: shown_whole(e))
        assert lines_of(error) <= 2, error.text()  # not a word to a line
    qtbot.keyClicks(title, "Contract signed")
    assert panel.add_errors["title"].isHidden() and not panel.add_errors["baseline_date"].isHidden()


def test_a_new_period_that_ends_before_it_starts_says_so_whole(window, qtbot):  # type: ignore[no-untyped-def]
    page = window.show_page("periods")
    page.start.set_day(date(2025, 6, 30))
    page.end.set_day(date(2025, 4, 1))
    settled(page.open_new())
    error = page.errors._fields["end_date"][1]
    qtbot.waitUntil(lambda: shown_whole(error))
    assert "before the start date" in error.text() and lines_of(error) == 1
    page.end.clear()
    qtbot.keyClicks(page.end, "30/09/2025")
    assert error.isHidden()


def test_a_register_forms_long_error_shows_whole_and_clears_when_the_date_is_fixed(window, plan_ctx, qtbot):  # type: ignore[no-untyped-def]
    page = window.show_page("milestones")
    page.new_item()
    form = page.form
    form.editors["objective_id"].setCurrentIndex(form.editors["objective_id"].findData(plan_ctx.ids.obj1))
    form.editors["title"].setText("Contract signed")
    baseline = form.editors["baseline_date"]
    baseline.setText("31/02/2027")
    settled(page.save())
    error = form.errors["baseline_date"]
    qtbot.waitUntil(lambda: shown_whole(error))  # three lines in the side form, none cut
    assert "February 2027 has no day 31" in error.text() and lines_of(error) >= 1
    qtbot.keyClicks(baseline, "\b")  # the person starts to fix it: the message goes
    assert error.isHidden()
