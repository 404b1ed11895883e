"""The milestone, risk and recommendation registers, driven through their real widgets offscreen."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTableView,
    QWidget,
)
from sqlmodel import select

from tests.builders import small_plan, snapshot
from tests.gui.helpers import succeeded, written
from tracker.models import Kind, Milestone, Risk
from tracker.services import (
    create_milestone,
    create_recommendation,
    create_risk,
    restore_deleted,
    retire,
    update_milestone,
)
from ui.context import AppContext, Identity
from ui.models.roles import ID_ROLE
from ui.pages.registers.milestones import MilestonesPage
from ui.pages.registers.recommendations import RecommendationsPage
from ui.pages.registers.risks import RisksPage

TODAY = date.today()


@pytest.fixture
def ctx(qapp, store, actor) -> AppContext:  # type: ignore[no-untyped-def]
    ids = small_plan(store, actor)
    with store.write() as s:
        for n, (title, obj, days, done) in enumerate(
            [
                ("Supplier chosen", ids.obj1, -10, None),  # overdue
                ("Business case approved", ids.obj2, 20, None),  # due in 30 days
                ("Pilot finished", ids.obj1, -40, -45),  # complete
                ("Roll-out begun", ids.obj3, 200, None),
            ]
        ):
            create_milestone(s, actor=actor, data={
                "objective_id": obj, "title": title, "owner_id": ids.owner if n % 2 else ids.lead,
                "baseline_date": TODAY + timedelta(days=days),
                "completed_date": TODAY + timedelta(days=done) if done is not None else None,
            })  # fmt: skip
    with store.write() as s:
        for ref, score in (("R-001", 2), ("R-002", 5), ("R-003", 3)):
            create_risk(s, actor=actor, data={
                "ref": ref, "title": f"Risk {ref}", "objective_id": ids.obj1, "owner_id": ids.owner,
                "inherent_likelihood": 5, "inherent_impact": 5, "residual_likelihood": score,
                "residual_impact": score, "target_likelihood": 1, "target_impact": 1,
            })  # fmt: skip
    with store.write() as s:
        create_recommendation(s, actor=actor, data={
            "inspection_id": ids.inspection, "ref": "R1", "text": "Improve intelligence sharing",
            "status": "being progressed", "owner_id": ids.lead, "due_date": TODAY - timedelta(days=3),
        })  # fmt: skip
    context = AppContext(store, Identity("Programme Manager", role="PMO"))
    context.ids = ids  # type: ignore[attr-defined]
    return context


def open_page(qtbot: Any, cls: type, ctx: AppContext) -> Any:
    page = cls(ctx)
    qtbot.addWidget(page)
    page.resize(1400, 800)
    page.show()
    qtbot.waitExposed(page)
    return page


def shown(page: Any, column: str = "title") -> list[str]:
    n = [c.key for c in page.model.columns].index(column)
    return [page.model.index(r, n).data() for r in range(page.model.rowCount())]


def click_header(page: Any, key: str) -> None:
    header = page.table.horizontalHeader()
    n = [c.key for c in page.model.columns].index(key)
    x = header.sectionViewportPosition(n) + header.sectionSize(n) // 2
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


def choose(combo: QComboBox, value: Any) -> None:
    at = combo.findData(value)
    assert at >= 0, f"{value!r} is not offered"
    combo.setCurrentIndex(at)


def live_titles(ctx: AppContext) -> set[str]:
    with ctx.read() as s:
        return set(s.exec(select(Milestone.title).where(Milestone.deleted == False)).all())  # noqa: E712


# ---------------------------------------------------------------------------------------------- reading


def test_milestone_model_passes_qtmodeltester(qtbot, ctx: AppContext, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    page = open_page(qtbot, MilestonesPage, ctx)
    assert page.model.rowCount() == 4
    qtmodeltester.check(page.model, force_py=True)


def test_clicking_headers_sorts_both_ways(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    page = open_page(qtbot, MilestonesPage, ctx)
    click_header(page, "forecast")
    assert shown(page) == ["Pilot finished", "Supplier chosen", "Business case approved", "Roll-out begun"]
    click_header(page, "forecast")
    assert shown(page) == ["Roll-out begun", "Business case approved", "Supplier chosen", "Pilot finished"]
    click_header(page, "state")  # overdue < slipping < on track < complete
    assert shown(page, "state") == ["Overdue", "On track", "On track", "Complete"]
    click_header(page, "title")
    assert shown(page) == sorted(shown(page), key=str.casefold)


def test_filters_by_text_and_combos(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    page = open_page(qtbot, MilestonesPage, ctx)
    qtbot.keyClicks(page.find, "SUPPLIER")
    assert shown(page) == ["Supplier chosen"] and page.count.text() == "1 of 4 milestones"
    page.find.clear()
    choose(page.combos["state"], "overdue")
    assert shown(page) == ["Supplier chosen"]
    choose(page.combos["state"], None)
    choose(page.combos["due"], "30")
    assert shown(page) == ["Business case approved"]
    page.clear_filters()
    choose(page.combos["owner_id"], ctx.ids.owner)  # type: ignore[attr-defined]
    assert set(shown(page)) == {"Business case approved", "Roll-out begun"}
    page.clear_filters()
    choose(page.combos["four_p"], "Pursue")  # only objective 1 is tagged Pursue
    assert set(shown(page)) == {"Supplier chosen", "Pilot finished"}


def test_show_filters_with_ids_and_with_fields(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    page = open_page(qtbot, MilestonesPage, ctx)
    wanted = [r.id for r in page.model.rows if r.title in {"Pilot finished", "Roll-out begun"}]
    page.show_filters({"ids": wanted})
    assert set(shown(page)) == {"Pilot finished", "Roll-out begun"} and page.ids_note.isVisible()
    page.show_filters({"theme_id": ctx.ids.theme, "rag": "grey", "text": "roll"})  # type: ignore[attr-defined]
    assert shown(page) == ["Roll-out begun"] and not page.ids_note.isVisible()
    page.show_filters({})
    assert len(shown(page)) == 4


def test_risks_sort_by_band_and_score(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    page = open_page(qtbot, RisksPage, ctx)
    click_header(page, "residual")
    assert shown(page, "ref") == ["R-001", "R-003", "R-002"]
    click_header(page, "residual")
    assert shown(page, "ref") == ["R-002", "R-003", "R-001"]
    page.table.sortByColumn([c.key for c in page.model.columns].index("band"), Qt.SortOrder.AscendingOrder)
    assert shown(page, "band") == ["Low", "Medium", "Very high"]


# ---------------------------------------------------------------------------------------------- writing


def test_create_through_the_side_form(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    page = open_page(qtbot, MilestonesPage, ctx)
    page.new_item()
    form = page.form
    choose(form.editors["objective_id"], ctx.ids.obj2)  # type: ignore[attr-defined]
    qtbot.keyClicks(form.editors["title"], "Contract signed")
    qtbot.keyClicks(form.editors["baseline_date"], "30/09/2030")
    with qtbot.waitSignal(ctx.changed):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert "Contract signed" in live_titles(ctx)
    assert page.selected_id() is not None and page.form.value("title") == "Contract signed"
    assert page.form.value("baseline_date") == "2030-09-30"


def test_edit_changes_only_what_was_edited(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    page = open_page(qtbot, MilestonesPage, ctx)
    target = next(r for r in page.model.rows if r.title == "Roll-out begun")
    assert page.select(target.id)
    editor = page.form.editors["forecast_date"]
    editor.setText("2031-01-31")
    assert page.form.changed_values() == {"forecast_date": "2031-01-31"}
    page.activateWindow()
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    with qtbot.waitSignal(ctx.changed):  # Ctrl+Enter saves from any field
        qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    row = next(r for r in page.model.rows if r.id == target.id)
    assert row.forecast_date == date(2031, 1, 31) and row.revision == target.revision + 1


@pytest.mark.parametrize(
    ("field", "typed", "expected"),
    [("baseline_date", "2024-13-45", "is not a date"), ("title", "", "title")],
)
def test_bad_input_is_refused_beside_the_field_and_nothing_written(
    qtbot,
    ctx: AppContext,
    field: str,
    typed: str,
    expected: str,  # type: ignore[no-untyped-def]
) -> None:
    page = open_page(qtbot, MilestonesPage, ctx)
    page.new_item()
    choose(page.form.editors["objective_id"], ctx.ids.obj1)  # type: ignore[attr-defined]
    page.form.editors["title"].setText("A title")
    page.form.editors["baseline_date"].setText("2030-01-01")
    page.form.editors[field].setText(typed)
    before = snapshot(ctx.store)
    with qtbot.assertNotEmitted(ctx.changed):
        assert not succeeded(page.save())
    assert snapshot(ctx.store) == before
    assert expected in page.form.problem(field).lower() and page.form.errors[field].isVisible()
    others = [n for n in page.form.fields if n != field]
    assert all(page.form.problem(n) == "" for n in others)


def test_delete_asks_then_restore_from_the_audit_log_brings_it_back(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    page = open_page(qtbot, MilestonesPage, ctx)
    target = next(r for r in page.model.rows if r.title == "Supplier chosen")
    page.select(target.id)
    asked: list[str] = []
    page.confirm = lambda parent, title, text: asked.append(text) or False
    assert not succeeded(page.delete_selected()) and "Supplier chosen" in live_titles(ctx)
    assert "restored" in asked[0] and "audit log" in asked[0]
    page.confirm = lambda parent, title, text: True
    assert succeeded(page.delete_selected())
    assert "Supplier chosen" not in live_titles(ctx) and "Supplier chosen" not in shown(page)
    written(ctx, restore_deleted, entity="milestone", entity_id=target.id)
    assert "Supplier chosen" in shown(page)


def test_create_risk_and_refuse_one_with_no_home(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    page = open_page(qtbot, RisksPage, ctx)
    page.new_item()
    assert page.form.value("residual_likelihood") == 3
    page.form.editors["title"].setText("Key staff leave")
    before = snapshot(ctx.store)
    assert not succeeded(page.save())
    assert snapshot(ctx.store) == before and "objective or the theme" in page.form.problem("theme_id")
    choose(page.form.editors["theme_id"], ctx.ids.theme)  # type: ignore[attr-defined]
    page.form.editors["residual_impact"].setValue(5)
    assert succeeded(page.save())
    with ctx.read() as s:
        risk = s.exec(select(Risk).where(Risk.title == "Key staff leave")).one()
        assert risk.residual_impact == 5 and risk.theme_id == ctx.ids.theme  # type: ignore[attr-defined]


def test_read_only_disables_editing(qtbot, store, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    viewer = AppContext(store, Identity("Chief Constable"), read_only=True)
    for cls in (MilestonesPage, RisksPage, RecommendationsPage):
        page = open_page(qtbot, cls, viewer)
        page.select(page.model.row_at(0).id)
        assert page.read_only_note.isVisible()
        assert not any(e.isEnabled() for e in page.form.editors.values())
        assert not (
            page.save_button.isEnabled() or page.new_button.isEnabled() or page.delete_button.isEnabled()
        )
        assert page.find.isEnabled()  # reading and filtering still work
        page.new_item()
        assert not succeeded(page.save())


def test_every_control_has_an_accessible_name(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    kinds = (QLineEdit, QComboBox, QPlainTextEdit, QSpinBox, QAbstractButton, QTableView)
    for cls in (MilestonesPage, RisksPage, RecommendationsPage):
        page = open_page(qtbot, cls, ctx)
        controls = [w for w in page.findChildren(QWidget) if isinstance(w, kinds) and w.isVisibleTo(page)]
        assert len(controls) > 10
        for w in controls:
            if type(w).__name__ in {"QTabBar", "QToolButton"} or w.objectName().startswith("qt_"):
                continue  # Qt's own parts (tab bar scrollers, line-edit clear buttons)
            name = QAccessible.queryAccessibleInterface(w).text(QAccessible.Text.Name)
            assert name, f"{type(w).__name__} {w.objectName()!r} on {cls.__name__} has no accessible name"
        assert page.find.accessibleName().startswith("Find")


def test_focus_find_and_new_item(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    page = open_page(qtbot, MilestonesPage, ctx)
    page.activateWindow()
    page.focus_find()
    qtbot.waitUntil(page.find.hasFocus)
    page.select(page.model.row_at(0).id)
    page.new_item()
    assert page.selected_id() is None and page.form_title.text() == "New milestone"


# ---------------------------------------------------------------------------------------------- recommendations


def test_recommendation_register_notes_and_links(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    page = open_page(qtbot, RecommendationsPage, ctx)
    assert shown(page, "ref") == ["R1"] and shown(page, "overdue") == ["Overdue"]
    page.select(page.model.row_at(0).id)
    detail = page.detail
    # a dated note: a bad date is refused beside its field, then a good one is added
    detail.note_form.editors["note_date"].setText("31/02/2025")
    detail.note_form.editors["text"].setPlainText("Workshop held")
    before = snapshot(ctx.store)
    assert not succeeded(detail.add_note())
    assert snapshot(ctx.store) == before and "not a date" in detail.note_form.problem("note_date")
    detail.note_form.editors["note_date"].setText("2025-02-14")
    assert succeeded(detail.add_note())
    assert [n.text for n in detail.notes.rows] == ["Workshop held"]
    assert shown(page, "note") == ["14 Feb 2025"]
    # edit and delete it
    detail.notes_view.setCurrentIndex(detail.notes.index(0, 0))
    detail.note_form.editors["text"].setPlainText("Workshop held with partners")
    assert succeeded(detail.save_note()) and detail.notes.rows[0].text == "Workshop held with partners"
    detail.notes_view.setCurrentIndex(detail.notes.index(0, 0))
    assert succeeded(detail.delete_note()) and detail.notes.rows == []
    # link an objective and a risk, then unlink the objective
    choose(detail.link_kind, "objective")
    choose(detail.link_target, ctx.ids.obj2)  # type: ignore[attr-defined]
    assert succeeded(detail.link())
    choose(detail.link_kind, "risk")
    detail.link_target.setCurrentIndex(0)
    assert succeeded(detail.link())
    assert [x.kind for x in detail.links.rows] == ["objective", "risk"]
    assert shown(page, "objectives") == ["SER-01.02"]
    detail.links_view.setCurrentIndex(detail.links.index(0, 0))
    assert succeeded(detail.unlink_selected())
    assert [x.kind for x in detail.links.rows] == ["risk"] and shown(page, "objectives") == [""]


def test_recommendation_closing_needs_a_rationale(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    page = open_page(qtbot, RecommendationsPage, ctx)
    page.select(page.model.row_at(0).id)
    choose(page.form.editors["status"], "closed")
    assert not succeeded(page.save())
    assert "closure rationale" in page.form.problem("closure_rationale")
    page.form.editors["closure_rationale"].setPlainText("All actions done")
    assert succeeded(page.save())
    assert shown(page, "status") == ["Closed"] and page.model.index(0, 0).data(ID_ROLE)


def test_a_large_register_is_read_off_the_ui_thread(qtbot, store, ctx: AppContext, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import ui.pages.register_page as register_page
    from ui.tasks import TaskRunner

    monkeypatch.setattr(register_page, "BACKGROUND_ROWS", 2)
    threaded = AppContext(store, Identity("Programme Manager"), runner=TaskRunner())
    assert not threaded.runner.synchronous
    page = MilestonesPage(threaded)
    qtbot.addWidget(page)
    assert page.count.text() == "Loading milestones…" and page.model.rowCount() == 0
    qtbot.waitUntil(lambda: page.model.rowCount() == 4)
    assert page.count.text() == "4 milestones"
    threaded.runner.wait()


def test_a_large_register_shows_a_first_screen_then_the_rest(
    qtbot, store, ctx: AppContext, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    import ui.pages.register_page as register_page
    from tracker import queries as q
    from ui.tasks import TaskRunner

    monkeypatch.setattr(register_page, "BACKGROUND_ROWS", 2)
    monkeypatch.setattr(MilestonesPage, "spec", replace(MilestonesPage.spec,
                        pages=lambda s, f: q.milestone_pages(s, f, first_objectives=1)))  # fmt: skip
    shown_then: list[int] = []  # rows in the table after each page arrived
    on_page = register_page.RegisterPage._on_page_read

    def recording(self, page) -> None:  # type: ignore[no-untyped-def]
        on_page(self, page)
        shown_then.append(self.model.rowCount())

    monkeypatch.setattr(register_page.RegisterPage, "_on_page_read", recording)
    threaded = AppContext(store, Identity("Programme Manager"), runner=TaskRunner())
    page = MilestonesPage(threaded)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=10_000):  # delivered by the event loop: not missed meanwhile
        pass
    assert len(shown_then) == 2 and 0 < shown_then[0] < shown_then[1] == 4  # a first screen, then all
    with store.read() as s:
        assert page.model.rows == q.milestone_rows(s)  # the same rows, in the same order
    assert page.count.text() == "4 milestones"
    threaded.runner.wait()


LONG_TITLE = ("Develop and agree " + "a regional approach that goes on and on " * 6).strip()


@pytest.mark.parametrize("width", [1440, 1920])
@pytest.mark.parametrize("key", ["milestones", "risks", "recommendations"])
def test_the_side_form_fits_its_panel_without_a_horizontal_scroll_bar(
    qtbot, ctx: AppContext, key, width
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    from tracker.services import update_objective
    from ui.main_window import MainWindow

    # a long objective title in the form's combo used to widen the form past its panel (and the window)
    written(ctx, update_objective, objective_id=ctx.ids.obj1, changes={"title": LONG_TITLE})  # type: ignore[attr-defined]
    window = MainWindow(ctx, location="plan.db")
    qtbot.addWidget(window)
    window.resize(width, 900)
    window.show()
    qtbot.waitExposed(window)
    page = window.show_page(key)
    page.select(page.model.row_at(0).id)
    QApplication.processEvents()
    assert window.width() == width  # no page asks for more room than the window has
    bar = page.form_scroll.horizontalScrollBar()
    assert bar.maximum() == 0 and not bar.isVisible()
    viewport = page.form_scroll.viewport()
    for name, editor in page.form.editors.items():
        right = editor.mapTo(viewport, editor.rect().topRight()).x()
        assert right < viewport.width(), f"{name} reaches past the panel"
    objective = page.form.editors.get("objective_id")
    if objective is not None:
        objective.setCurrentIndex(objective.findData(ctx.ids.obj1))  # type: ignore[attr-defined]
        assert objective.toolTip().endswith(LONG_TITLE)  # the elided choice in full on hover
        assert objective.view().minimumWidth() > objective.width()  # and a drop-down wide enough to read


def test_saving_an_item_rereads_only_its_row_and_keeps_sort_and_selection(qtbot, ctx, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    page = open_page(qtbot, MilestonesPage, ctx)
    click_header(page, "title")  # sorted by title
    before = shown(page)
    target = page.model.row_at(len(before) - 1)  # the last by title
    page.select(target.id)
    reads: list[object] = []
    monkeypatch.setattr(page, "reload", lambda: reads.append("everything"))
    page.form.editors["title"].setText("Aardvark review")  # now the first by title
    assert succeeded(page.save())
    assert reads == []  # not the whole register: just the row the change touched
    assert shown(page)[0] == "Aardvark review" and len(shown(page)) == len(before)
    assert page.selected_id() == target.id and page._editing.revision == target.revision + 1


def test_a_hidden_register_reads_again_when_shown(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    page = open_page(qtbot, MilestonesPage, ctx)
    first = page.model.row_at(0)
    page.hide()
    written(ctx, update_milestone, milestone_id=first.id, changes={"title": "Changed elsewhere"})
    assert page.model.row_at(0).title == first.title  # hidden: not read yet
    page.show()
    qtbot.waitUntil(lambda: page.model.row_at(0).title == "Changed elsewhere")


def test_a_search_that_matches_nothing_says_so(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    page = open_page(qtbot, MilestonesPage, ctx)
    page.find.setText("no such milestone anywhere")
    qtbot.waitUntil(lambda: page.model.visible_count == 0)
    assert page.count.text() == "No milestones match (of 4)"


# ---------------------------------------------------------------------------------------------- dates (issue 12, item 12)


def _milestone(page: Any, title: str) -> Any:
    target = next(r for r in page.model.rows if r.title == title)
    assert page.select(target.id)
    return target


def _stored(ctx: AppContext, milestone_id: str) -> Milestone:
    with ctx.read() as s:
        row = s.get(Milestone, milestone_id)
        assert row is not None
        return row


def test_a_uk_date_typed_in_the_forecast_is_saved_and_shown_as_typed(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    page = open_page(qtbot, MilestonesPage, ctx)
    target = _milestone(page, "Roll-out begun")
    editor = page.form.editors["forecast_date"]
    assert editor.text() == f"{target.forecast_date:%d/%m/%Y}"  # entry fields show DD/MM/YYYY
    editor.clear()
    qtbot.keyClicks(editor, "31/03/2027")
    with qtbot.waitSignal(ctx.changed):
        assert succeeded(page.save())
    assert _stored(ctx, target.id).forecast_date == date(2027, 3, 31)
    assert page.form.editors["forecast_date"].text() == "31/03/2027"


def test_an_impossible_date_is_refused_beside_its_field_saying_why(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    page = open_page(qtbot, MilestonesPage, ctx)
    target = _milestone(page, "Roll-out begun")
    editor = page.form.editors["forecast_date"]
    editor.clear()
    qtbot.keyClicks(editor, "31/02/2027")
    before = snapshot(ctx.store)
    with qtbot.assertNotEmitted(ctx.changed):
        assert not succeeded(page.save())
    assert snapshot(ctx.store) == before
    problem = page.form.problem("forecast_date")
    assert "'31/02/2027' is not a date" in problem and "February 2027 has no day 31" in problem
    assert page.form.errors["forecast_date"].isVisible()
    assert _stored(ctx, target.id).forecast_date == target.forecast_date


def test_a_date_field_picks_its_date_from_a_calendar(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QDate
    from PySide6.QtWidgets import QCalendarWidget

    page = open_page(qtbot, MilestonesPage, ctx)
    target = _milestone(page, "Roll-out begun")
    editor = page.form.editors["forecast_date"]
    pick = next(a for a in editor.actions() if "calendar" in a.text().lower())
    pick.trigger()
    calendar = editor.findChild(QCalendarWidget)
    qtbot.waitUntil(calendar.isVisible)
    day = target.forecast_date
    assert calendar.selectedDate() == QDate(day.year, day.month, day.day)  # opens on the field's date
    calendar.clicked.emit(QDate(2027, 3, 31))
    assert not calendar.isVisible() and editor.text() == "31/03/2027"
    assert page.form.changed_values() == {"forecast_date": "2027-03-31"}


def test_the_completed_date_may_be_left_blank(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    page = open_page(qtbot, MilestonesPage, ctx)
    target = _milestone(page, "Pilot finished")
    editor = page.form.editors["completed_date"]
    assert target.completed_date is not None and editor.text() == f"{target.completed_date:%d/%m/%Y}"
    editor.clear()
    assert editor.placeholderText() == "DD/MM/YYYY" and "leave it empty" in editor.toolTip()
    with qtbot.waitSignal(ctx.changed):
        assert succeeded(page.save())
    assert _stored(ctx, target.id).completed_date is None
    assert page.form.problem("completed_date") == ""


def test_the_objective_choices_say_which_objective_is_retired(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    written(ctx, retire, kind=Kind.OBJECTIVE, item_id=ctx.ids.obj2, on=date(2024, 7, 1))
    page = open_page(qtbot, MilestonesPage, ctx)
    page.new_item()
    combo = page.form.editors["objective_id"]
    words = {combo.itemData(i): combo.itemText(i) for i in range(combo.count())}  # type: ignore[attr-defined]
    assert words[ctx.ids.obj2].endswith("(retired 01 Jul 2024)")
    assert "retired" not in words[ctx.ids.obj1]


def test_every_registers_chips_are_in_view_at_1366_and_whole_on_hover(
    qapp, store, actor, app_settings, qtbot
):  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QStyleOptionViewItem, QToolTip

    from tracker.seed.sample import add_sample_progress
    from tracker.seed.template import emsou_template, seed_plan
    from ui.main_window import MainWindow
    from ui.models.roles import CHIP_ROLE
    from ui.tasks import TaskRunner

    with store.write() as session:  # the real plan: long titles, every band and status
        seed_plan(session, actor=actor, template=emsou_template())
        add_sample_progress(session, actor=actor)
    ctx = AppContext(store, Identity("PMO", None, "PMO"), runner=TaskRunner(synchronous=True))
    window = MainWindow(ctx, location="/plans/sample.db", settings=app_settings)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    for key in ("milestones", "risks", "recommendations"):
        page = window.show_page(key)
        qtbot.waitUntil(lambda page=page: page.model.rowCount() > 0)
        table = page.table
        chips = [n for n, c in enumerate(page.model.columns) if c.chip]
        assert chips, key
        for n in chips:  # not past the right edge, where only scrolling shows it
            assert table.columnViewportPosition(n) + table.columnWidth(n) <= table.viewport().width(), (
                key, page.model.columns[n].header,
            )  # fmt: skip
        n = chips[0]
        index = next(page.model.index(r, n) for r in range(page.model.rowCount())
                     if page.model.index(r, n).data(CHIP_ROLE))  # fmt: skip
        table.setColumnWidth(n, 30)  # too narrow for the words: elided in the chip, whole on hover
        rect = table.visualRect(index)
        event = QHelpEvent(
            QHelpEvent.Type.ToolTip, rect.center(), table.viewport().mapToGlobal(rect.center())
        )
        assert table.itemDelegate().helpEvent(event, table, QStyleOptionViewItem(), index), key
        assert QToolTip.text() == index.data(), key
