"""The main window: navigation, status bar, undo and redo actions, navigation requests, accessible names."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox, QComboBox, QScrollBar, QWidget

from tests.builders import snapshot
from tests.gui.helpers import accessible_name, record_message_boxes, written
from tracker.services import create_person, update_person
from ui.context import AppContext, Identity
from ui.main_window import MainWindow
from ui.pages import PAGES
from ui.tasks import TaskRunner


@pytest.fixture
def window(plan_ctx, app_settings, qtbot):  # type: ignore[no-untyped-def]
    w = MainWindow(plan_ctx, location="/plans/test plan.db", settings=app_settings)
    qtbot.addWidget(w)
    w.resize(1200, 800)
    w.show()
    return w


def test_navigation_lists_every_page_and_builds_each_on_first_show(window, qtbot):  # type: ignore[no-untyped-def]
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles == [spec.title for spec in PAGES]
    assert set(window.pages) == {PAGES[0].key}  # only the first page is built at start
    for n, spec in enumerate(PAGES):
        window.page_actions[n].trigger()
        assert window.current_key() == spec.key
        assert window.stack.currentWidget() is window.pages[spec.key]
    assert window.page_actions[1].shortcut().toString() == "Ctrl+2"


def test_ctrl_number_switches_page(window, qtbot):  # type: ignore[no-untyped-def]
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == PAGES[2].key


def test_status_bar_shows_the_plan_period_who_and_marking(window, plan_ctx):  # type: ignore[no-untyped-def]
    assert window.db_label.text() == "test plan.db"
    # two open quarters: the latest open one is the default, and it is the context's period
    assert window.period_combo.currentText() == "2024/25 Q2"
    assert plan_ctx.period_id == plan_ctx.ids.q2
    assert "PMO" in window.identity_button.text()
    assert window.marking_label.text() == "OFFICIAL"
    assert not window.sample_badge.isVisibleTo(window)  # the test plan is not sample data
    window.period_combo.setCurrentIndex(window.period_combo.findData(plan_ctx.ids.q1))
    assert plan_ctx.period_id == plan_ctx.ids.q1


def test_undo_and_redo_follow_the_context(window, plan_ctx):  # type: ignore[no-untyped-def]
    assert not window.undo_action.isEnabled() and not window.redo_action.isEnabled()
    written(plan_ctx, create_person, data={"name": "New Analyst"})
    assert window.undo_action.isEnabled() and window.undo_action.text() == "&Undo Added New Analyst"
    window.undo_action.trigger()
    assert not window.undo_action.isEnabled()
    assert window.redo_action.isEnabled() and window.redo_action.text() == "&Redo Added New Analyst"
    window.redo_action.trigger()
    assert window.undo_action.isEnabled() and not window.redo_action.isEnabled()


def test_a_refused_undo_is_explained_and_changes_nothing(window, plan_ctx, monkeypatch, actor):  # type: ignore[no-untyped-def]
    added = written(plan_ctx, create_person, data={"name": "New Analyst"})
    with plan_ctx.store.write() as s:  # someone else changes the person afterwards, outside this window
        update_person(s, actor=actor, person_id=added.created[0], changes={"role_title": "Senior Analyst"})
    before = snapshot(plan_ctx.store)
    shown = record_message_boxes(monkeypatch)
    window.undo_action.trigger()
    assert shown.titles == ["Cannot undo"] and "changed again later by PMO analyst" in shown.texts
    assert snapshot(plan_ctx.store) == before
    assert window.undo_action.isEnabled() and window.undo_action.text() == "&Undo Added New Analyst"


def test_navigate_requests_show_the_page_with_its_filters(window, plan_ctx):  # type: ignore[no-untyped-def]
    plan_ctx.navigate("audit", entity="person")
    assert window.current_key() == "audit"
    assert window.pages["audit"].entity.currentData() == "person"


def test_find_and_new_item_reach_the_page(window, qtbot):  # type: ignore[no-untyped-def]
    window.show_page("people")
    window.activateWindow()
    window.find_action.trigger()
    assert window.pages["people"].find.hasFocus()
    window.new_item_action.trigger()
    assert window.pages["people"].name.hasFocus()


def test_read_only_disables_editing(plan_ctx, app_settings, qtbot):  # type: ignore[no-untyped-def]
    plan_ctx.read_only = True
    w = MainWindow(plan_ctx, location="p.db", settings=app_settings)
    qtbot.addWidget(w)
    w.show_page("people")
    assert not w.new_item_action.isEnabled() and w.read_only_badge.isVisibleTo(w)
    people = w.pages["people"]
    assert people.name.isReadOnly() and not people.save_button.isVisibleTo(people)
    assert "open read-only" in people.why_read_only.text()
    w.show_page("periods")
    assert not w.pages["periods"].form_box.isEnabled()


def _inside_named_composite(w: QWidget) -> bool:
    """The line edit in a date box and a combo's popup list are announced as part of their (named) owner."""
    parent = w.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractSpinBox | QComboBox):
            return bool(accessible_name(parent))
        parent = parent.parentWidget()
    return False


def _unnamed(root: QWidget) -> list[str]:
    out = []
    for w in root.findChildren(QWidget):
        if w.focusPolicy() == Qt.FocusPolicy.NoFocus or isinstance(w, QScrollBar):
            continue
        if isinstance(w.parentWidget(), QAbstractScrollArea) and w is w.parentWidget().viewport():
            continue
        if _inside_named_composite(w):
            continue
        if not accessible_name(w):
            out.append(f"{type(w).__name__} {w.objectName()!r} in {type(w.parentWidget()).__name__}")
    return out


def test_every_control_has_an_accessible_name(window):  # type: ignore[no-untyped-def]
    for spec in PAGES:
        window.show_page(spec.key)
    assert _unnamed(window) == []


def test_file_menu_exports_sit_together_after_save_a_copy(window):  # type: ignore[no-untyped-def]
    file_menu = window.menuBar().actions()[0].menu()
    texts = [a.text() for a in file_menu.actions()]
    at = texts.index("&Backups…")  # the copies of the plan together: Save a copy…, then Backups…
    assert texts[at - 1] == "Save a &copy…"
    exports = [window.export_status_action, window.export_pack_action]
    block = [a for a in file_menu.actions()[at + 1 :] if not a.isSeparator()][:2]
    assert block == exports
    assert [a.text() for a in exports] == ["&Export status workbook…", "Export board &pack (PDF)…"]
    assert all(a.isEnabled() for a in exports)  # the test plan has periods


def test_export_status_from_the_menu_writes_the_workbook(window, plan_ctx, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook
    from PySide6.QtWidgets import QFileDialog

    asked: list[str] = []

    def fake_save_name(_parent, title, *_args):  # type: ignore[no-untyped-def]
        asked.append(title)
        return str(tmp_path / "status"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_save_name))
    window.export_status_action.trigger()
    assert asked == ["Export status workbook"]
    assert load_workbook(tmp_path / "status.xlsx")["Objectives"]["A1"].value == "Objectives — 2024/25 Q2"


def test_export_board_pack_from_the_menu_writes_the_pdf(window, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *_a: (str(tmp_path / "pack"), ""))
    )
    window.export_pack_action.trigger()
    assert (tmp_path / "pack.pdf").read_bytes().startswith(b"%PDF")


def test_exports_are_disabled_while_the_plan_has_no_period(qapp, store, actor, app_settings, qtbot):  # type: ignore[no-untyped-def]
    from tracker.seed.template import emsou_template, seed_plan
    from ui.context import AppContext, Identity
    from ui.tasks import TaskRunner

    with store.write() as session:
        seed_plan(session, actor=actor, template=emsou_template())
    ctx = AppContext(store, Identity("PMO", None, "PMO"), runner=TaskRunner(synchronous=True))
    w = MainWindow(ctx, location="p.db", settings=app_settings)
    qtbot.addWidget(w)
    assert not w.export_status_action.isEnabled() and not w.export_pack_action.isEnabled()


def test_every_page_of_the_sample_plan_fits_a_1280_pixel_laptop_screen(
    qapp, store, actor, app_settings, qtbot
):  # type: ignore[no-untyped-def]
    from tracker.seed.sample import add_sample_progress
    from tracker.seed.template import emsou_template, seed_plan

    with store.write() as session:  # the real plan: long role titles and objective texts
        seed_plan(session, actor=actor, template=emsou_template())
        add_sample_progress(session, actor=actor)
    ctx = AppContext(store, Identity("PMO", None, "PMO"), runner=TaskRunner(synchronous=True))
    w = MainWindow(ctx, location="/plans/sample.db", settings=app_settings)
    qtbot.addWidget(w)
    w.show()
    for key in w.page_keys():
        w.show_page(key)
        assert w.minimumSizeHint().width() <= 1280, f"the {key} page needs a wider screen"


def _wheel(widget: QWidget, notches: int = -3) -> None:
    """Turn the mouse wheel over ``widget`` (negative: towards the user, i.e. scroll down)."""
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(), QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False,
    )  # fmt: skip
    QApplication.sendEvent(widget, event)


def test_the_wheel_scrolls_past_a_form_field_and_changes_it_only_once_it_has_focus(window, plan_ctx, qtbot):  # type: ignore[no-untyped-def]
    from tracker.services import create_risk

    written(plan_ctx, create_risk, data={
        "ref": "R-001", "title": "Key staff leave", "objective_id": plan_ctx.ids.obj1,
        "inherent_likelihood": 4, "inherent_impact": 4, "residual_likelihood": 3, "residual_impact": 3,
        "target_likelihood": 1, "target_impact": 1,
    })  # fmt: skip
    window.resize(1366, 500)  # short enough for the side form to scroll
    page = window.show_page("risks")
    with plan_ctx.read() as s:
        from sqlmodel import select

        from tracker.models import Risk

        risk_id = s.exec(select(Risk.id)).one()
    assert page.select(risk_id)
    status, likelihood = page.form.editors["status"], page.form.editors["residual_likelihood"]
    before = (status.currentIndex(), likelihood.value())
    window.setFocus()
    for field in (status, likelihood):
        assert not field.hasFocus()
        _wheel(field)
    assert (status.currentIndex(), likelihood.value()) == before  # a risk's status does not flip
    assert not page.form.changed_values()
    likelihood.setFocus()
    qtbot.waitUntil(likelihood.hasFocus)
    _wheel(likelihood, notches=1)
    assert likelihood.value() == before[1] + 1  # a field with focus still takes the wheel


def test_a_drill_down_shows_in_the_plan_filter_bar_and_is_cleared_there(
    window, plan_ctx, app_settings, qtbot
):  # type: ignore[no-untyped-def]
    from tracker import queries as q
    from tracker.services import record_status_update

    written(plan_ctx, record_status_update, objective_id=plan_ctx.ids.obj1, period_id=plan_ctx.period_id,
            data={"lifecycle": "in progress", "rag": "green", "rationale": "On plan"})  # fmt: skip
    with plan_ctx.read() as s:
        everything = len(q.objective_rows(s))
    dashboard = window.show_page("dashboard")
    tiles = dashboard.headline.tiles
    key = "green"
    picked = tiles[key].target[1]["ids"]
    tiles[key].clicked.emit()  # a click on the tile
    plan = window.pages["plan"]
    assert window.current_key() == "plan" and len(plan.model.objective_ids()) == len(picked) < everything
    # every combo still reads "All…/Any…", so the bar says what narrows the page
    assert plan.picked.isVisible() and plan.picked.label.text().startswith(
        f"Only the {len(picked)} objective"
    )
    assert "on the dashboard" in plan.picked.label.text()
    plan.picked.show_all.click()
    assert len(plan.model.objective_ids()) == everything and not plan.picked.isVisible()

    tiles[key].clicked.emit()
    window.close()  # quit with the page narrowed, and start again: the Plan page shows everything
    again = MainWindow(plan_ctx, location="/plans/test plan.db", settings=app_settings)
    qtbot.addWidget(again)
    again.show()
    plan = again.show_page("plan")
    assert len(plan.model.objective_ids()) == everything and not plan.picked.isVisible()


def test_a_register_narrowed_to_picked_items_says_so_and_shows_all_again(window, plan_ctx):  # type: ignore[no-untyped-def]
    page = window.show_page("milestones")
    plan_ctx.navigate("milestones", ids=[], what="overdue on the dashboard")
    assert page.model.visible_count == 0 and page.ids_note.isVisible()
    assert page.ids_note.label.text() == "Only the 0 milestones picked: overdue on the dashboard"
    page.ids_note.show_all.click()
    assert page.model.visible_count == len(page.model.rows) and not page.ids_note.isVisible()


def test_switching_to_the_dark_theme_redraws_the_charts_at_once(plan_ctx, app_settings, qtbot):  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QColor

    from ui.appearance import Appearance

    app_settings.theme = "light"
    appearance = Appearance(app_settings)
    plan_ctx.palette = appearance.apply()
    w = MainWindow(plan_ctx, location="/plans/test plan.db", settings=app_settings, appearance=appearance)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    charts = w.show_page("dashboard").charts
    light = QColor(plan_ctx.palette.surfaces.surface)
    assert all(c.plot.backgroundBrush().color() == light for c in charts)
    try:
        appearance.set_theme("dark")
        dark = plan_ctx.palette.surfaces
        assert QColor(dark.surface) != light
        for chart in charts:
            assert chart.plot.backgroundBrush().color() == QColor(dark.surface), chart.title
            axis = chart.plot.getPlotItem().getAxis("bottom")
            assert axis.textPen().color() == QColor(dark.text), chart.title
            corner = chart.plot.grab().toImage().pixelColor(3, 3)  # painted, not only set
            assert corner == QColor(dark.surface), chart.title
    finally:
        appearance.set_theme("light")


def test_the_risk_form_follows_undo_and_redo_and_never_shows_an_id(window, plan_ctx, qtbot):  # type: ignore[no-untyped-def]
    from tests.gui.helpers import settled, succeeded

    page = window.show_page("risks")
    page.new_item()
    form = page.form
    form.editors["title"].setText("Key staff leave")
    form.editors["objective_id"].setCurrentIndex(form.editors["objective_id"].findData(plan_ctx.ids.obj1))
    assert succeeded(page.save())
    risk_id = page.selected_id()
    assert risk_id is not None and form.value("title") == "Key staff leave"

    settled(plan_ctx.undo())  # the list drops it, and so does the form
    assert not page.model.has_row(risk_id) or page.model.view_row_of(risk_id) < 0
    assert page.form_title.text() == "New risk" and form.value("title") in ("", None)
    assert "no longer in the register" in form.general.text() and risk_id not in form.general.text()

    settled(plan_ctx.redo())
    assert window.statusBar().currentMessage().startswith("Redid: ")
    assert page.select(risk_id) and form.value("title") == "Key staff leave"
    form.editors["title"].setText("Key staff leave the unit")
    assert succeeded(page.save())  # the redo was the user's own: no conflict with "someone else"
    with plan_ctx.read() as s:
        from tracker.models import Risk

        assert s.get(Risk, risk_id).title == "Key staff leave the unit"


def test_an_undo_made_while_the_register_is_hidden_empties_its_form_on_return(window, plan_ctx):  # type: ignore[no-untyped-def]
    from tests.gui.helpers import settled, succeeded

    page = window.show_page("risks")
    page.new_item()
    page.form.editors["title"].setText("Key staff leave")
    page.form.editors["objective_id"].setCurrentIndex(
        page.form.editors["objective_id"].findData(plan_ctx.ids.obj1)
    )
    assert succeeded(page.save())
    window.show_page("plan")
    settled(plan_ctx.undo())
    window.show_page("risks")  # read again on showing: the risk is gone from the list and the form
    assert page.form_title.text() == "New risk" and page.form.value("title") in ("", None)
    page.form.editors["title"].setText("Something else")
    assert page.save_button.text() == "&Add risk"


def test_one_period_for_the_window_defaulting_to_the_latest_with_updates(plan_ctx, app_settings, qtbot):  # type: ignore[no-untyped-def]
    from datetime import date

    from tracker import queries as q
    from tracker.services import open_period, record_status_update

    ids = plan_ctx.ids
    written(plan_ctx, record_status_update, objective_id=ids.obj1, period_id=ids.q1,
            data={"lifecycle": "in progress", "rag": "amber", "rationale": "Slipping"})  # fmt: skip
    w = MainWindow(plan_ctx, location="/plans/test plan.db", settings=app_settings)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    # 2024/25 Q2 is open too, with no updates: the window starts on Q1, what was last reported
    assert plan_ctx.period_id == ids.q1 and w.period_combo.currentData() == ids.q1
    dashboard = w.show_page("dashboard")
    assert dashboard.period.currentData() == ids.q1 and dashboard.data.period.id == ids.q1
    combo_names = [
        w.period_combo.itemText(i).removesuffix(" (closed)") for i in range(w.period_combo.count())
    ]
    assert combo_names == [dashboard.period.itemText(i) for i in range(dashboard.period.count())]
    with plan_ctx.read() as s:
        starts = {p.name: p.start for p in q.periods(s)}
    assert [starts[n] for n in combo_names] == sorted(starts.values(), reverse=True)  # newest first, both

    written(plan_ctx, open_period, data={"name": "2024/25 Q3", "start_date": date(2024, 10, 1),
                                         "end_date": date(2024, 12, 31)})  # fmt: skip
    assert plan_ctx.period_id == ids.q1 and dashboard.period.currentData() == ids.q1  # no jump to it
    plan = w.show_page("plan")
    assert (
        plan.period_note.text() == "Status as reported for 2024/25 Q1"
    )  # the Plan page says which period it shows

    dashboard.period.setCurrentIndex(dashboard.period.findData(ids.q2))  # chosen in one place…
    assert plan_ctx.period_id == ids.q2 and w.period_combo.currentData() == ids.q2  # …shown on every page
    assert plan.period_note.text() == "Status as reported for 2024/25 Q2"


def test_a_closed_periods_form_offers_the_open_period_to_update(plan_ctx, app_settings, qtbot):  # type: ignore[no-untyped-def]
    from tracker.services import close_period, record_status_update

    ids = plan_ctx.ids
    written(plan_ctx, record_status_update, objective_id=ids.obj1, period_id=ids.q1,
            data={"lifecycle": "in progress", "rag": "green", "rationale": "On plan"})  # fmt: skip
    written(plan_ctx, close_period, period_id=ids.q1)
    w = MainWindow(plan_ctx, location="/plans/test plan.db", settings=app_settings)
    qtbot.addWidget(w)
    w.show()
    assert plan_ctx.period_id == ids.q1  # the latest reported, closed
    plan = w.show_page("plan")
    assert plan.select_objective(ids.obj1)
    form = plan.detail.form
    assert form.banner.isVisible() and not form.save_button.isEnabled()
    assert "Update 2024/25 Q2 (open) instead" in form.banner.text()
    form.banner.linkActivated.emit(ids.q2)  # the person follows the link
    assert plan_ctx.period_id == ids.q2 and w.period_combo.currentData() == ids.q2
    qtbot.waitUntil(lambda: not form.banner.isVisible())
    assert form.save_button.isEnabled()


def test_labels_say_what_their_figures_are(window, plan_ctx):  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QKeySequence

    from tracker.enums import Brag
    from ui.charts.status import legend_name

    tile = window.show_page("dashboard").headline.tiles["risks"]
    assert tile.caption.text() == "Risks above appetite (score over 12)"  # 12 is the threshold, not a count
    # grey counts cancelled objectives too: every legend and heading says so
    assert Brag.GREY.label == "Grey (not started or cancelled)" and legend_name("grey").endswith(
        Brag.GREY.label
    )
    # the app saves as you go: Ctrl+S saves a period's update, never "Save a copy"
    assert window.save_copy_action.shortcut() != QKeySequence(QKeySequence.StandardKey.Save)


def test_ctrl_y_redoes_and_an_empty_search_says_nothing_matches(window, plan_ctx, qtbot):  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QKeySequence

    from tests.gui.helpers import settled
    from tracker.services import create_person

    assert QKeySequence("Ctrl+Y") in window.redo_action.shortcuts()
    written(plan_ctx, create_person, data={"name": "New Analyst"})
    settled(plan_ctx.undo())
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.undo_action.isEnabled() and not window.redo_action.isEnabled())

    plan = window.show_page("plan")
    plan.search.setText("no such objective anywhere")
    assert plan.count.text() == "No objectives match"


def test_f1_opens_the_guide_at_the_page_on_show_and_every_page_has_its_section(window, qtbot):  # type: ignore[no-untyped-def]
    from ui.help import guide_html

    html = guide_html()
    for spec in PAGES:
        assert f'<a name="{spec.key}"></a>' in html, spec.key  # each page's figures explained
    for role in ("lead", "pmo", "slt"):
        assert f'<a name="{role}"></a>' in html  # what each role does each period
    window.show_page("risks")
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    guide = window.help_window
    qtbot.waitUntil(guide.isVisible)
    shown = guide.browser.cursorForPosition(guide.browser.viewport().rect().topLeft()).block().text()
    assert shown.startswith("Risks"), shown
    window.show_page("dashboard")
    window.help_action.trigger()
    top = guide.browser.cursorForPosition(guide.browser.viewport().rect().topLeft()).block().text()
    assert top.startswith("Dashboard"), top


def test_a_long_drop_down_list_scrolls_rather_than_covering_the_screen(plan_ctx, app_settings, qtbot):  # type: ignore[no-untyped-def]
    from tracker.services import create_person
    from ui.appearance import Appearance
    from ui.widgets.forms import MAX_VISIBLE

    for n in range(60):
        written(plan_ctx, create_person, data={"name": f"Analyst {n:02d}"})
    plan_ctx.palette = Appearance(app_settings).apply()  # the app's style sheet, as the app runs
    w = MainWindow(plan_ctx, location="/plans/test plan.db", settings=app_settings)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    page = w.show_page("risks")
    page.new_item()
    owner = page.form.editors["owner_id"]
    assert owner.count() > 60
    owner.showPopup()
    try:
        view = owner.view()
        qtbot.waitUntil(view.isVisible)
        rows = view.height() / view.sizeHintForRow(0)
        assert rows <= MAX_VISIBLE + 1, rows  # it scrolls: the list no longer covers the window
        assert view.verticalScrollBar().maximum() > 0
    finally:
        owner.hidePopup()


def test_a_lead_starts_on_the_objectives_they_lead_and_the_pmo_on_the_dashboard(
    plan_ctx, app_settings, qtbot
):  # type: ignore[no-untyped-def]
    from tracker import queries as q
    from ui.context import Identity

    with plan_ctx.read() as s:
        rows = q.objective_rows(s)
    lead = next(r for r in rows if r.lead_id)
    plan_ctx.identity = Identity(lead.lead_name, lead.lead_id, "lead")
    w = MainWindow(plan_ctx, location="/plans/test plan.db", settings=app_settings)
    qtbot.addWidget(w)
    assert w.current_key() == "plan"
    plan = w.pages["plan"]
    assert plan.mine.isChecked() and plan.model.objective_ids() == [
        r.id for r in rows if r.lead_id == lead.lead_id
    ]
    plan_ctx.identity = Identity("PMO", None, "PMO")
    again = MainWindow(plan_ctx, location="/plans/test plan.db", settings=app_settings)
    qtbot.addWidget(again)
    assert again.current_key() == "dashboard"


def test_a_new_risk_is_raised_from_the_objectives_risks_tab(window, plan_ctx, qtbot):  # type: ignore[no-untyped-def]
    from tests.gui.helpers import succeeded
    from tracker import queries as q

    plan = window.show_page("plan")
    assert plan.select_objective(plan_ctx.ids.obj2)
    plan.detail.new_risk_button.click()
    risks = window.pages["risks"]
    assert window.current_key() == "risks" and risks.form_title.text() == "New risk"
    assert risks.form.editors["objective_id"].currentData() == plan_ctx.ids.obj2
    risks.form.editors["title"].setText("Supplier fails")
    assert succeeded(risks.save())
    with plan_ctx.read() as s:
        assert [r.title for r in q.risk_rows(s) if r.objective_id == plan_ctx.ids.obj2] == ["Supplier fails"]


def test_state_chips_show_whole_at_1366_on_the_register_and_the_objectives_tab(plan_ctx, app_settings, qtbot):  # type: ignore[no-untyped-def]
    from datetime import date

    from PySide6.QtCore import Qt

    from tracker.services import create_milestone
    from ui.widgets.chips import _MARGIN, _padding

    written(plan_ctx, create_milestone, data={"objective_id": plan_ctx.ids.obj1, "title": "Requirements agreed",
                                              "baseline_date": date(2020, 1, 31)})  # fmt: skip  # long overdue
    w = MainWindow(plan_ctx, location="/plans/test plan.db", settings=app_settings)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)

    def whole(table, column: int) -> None:  # type: ignore[no-untyped-def]
        model = table.model()
        for row in range(model.rowCount()):
            index = model.index(row, column)
            text = str(index.data(Qt.ItemDataRole.DisplayRole))
            rect = table.visualRect(index)
            assert rect.right() <= table.viewport().width(), text  # in view, not off the right edge
            metrics = table.fontMetrics()
            room = rect.width() - 2 * _MARGIN - 2 * _padding(metrics)[0]
            # Qt elides words whose advance only equals the room (fractional widths): a pixel to spare
            assert metrics.horizontalAdvance(text) < room, (text, room)
            assert metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(room)) == text, text

    register = w.show_page("milestones")
    whole(register.table, [c.key for c in register.model.columns].index("state"))
    plan = w.show_page("plan")
    assert plan.select_objective(plan_ctx.ids.obj1)
    plan.detail.tabs.setCurrentWidget(plan.detail.milestones)
    from ui.models.objective_milestones import STATE

    whole(plan.detail.milestones.table, STATE)


def test_meeting_mode_shows_each_chart_once_titled_with_no_tool_buttons_and_whole_reasons(
    window, plan_ctx, qtbot
):  # type: ignore[no-untyped-def]
    from ui.charts.base import Chart
    from ui.meeting import MeetingWindow
    from ui.pages.dashboard_parts import ExceptionsTable

    data = window.show_page("dashboard").data
    meeting = MeetingWindow(plan_ctx, data)
    qtbot.addWidget(meeting)
    meeting.resize(1366, 768)
    meeting.show()
    charts = [w for w in meeting.findChildren(Chart)]
    assert charts
    for chart in charts:
        assert chart.heading.isHidden(), chart.title  # the window's header names the section once
        assert all(b.isHidden() for b in chart.tool_buttons), chart.title
        assert (
            float(chart.legend.opts["labelTextSize"].removesuffix("pt"))
            >= chart.font_of(0.9).pointSizeF() - 0.1
        )
    table = meeting.findChild(ExceptionsTable)
    metrics = table.fontMetrics()
    assert table.columnWidth(0) > metrics.horizontalAdvance("Risk above appetite") + 8  # the longest reason


def test_a_status_swatch_keeps_its_colour_in_a_read_only_form(qtbot):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QColor, QIcon

    from ui.widgets.chips import chip_icon

    icon = chip_icon("#d4351c")
    disabled = icon.pixmap(QSize(12, 12), QIcon.Mode.Disabled).toImage().pixelColor(6, 6)
    assert disabled == QColor("#d4351c")  # Red stays red when the RAG box is read-only


def test_a_long_objective_title_keeps_to_two_lines_and_is_whole_on_hover(plan_ctx, app_settings, qtbot):  # type: ignore[no-untyped-def]
    from tracker.services import update_objective

    long_title = "Urgently develop a performance framework " * 6  # as long as the sample's longest
    written(plan_ctx, update_objective, objective_id=plan_ctx.ids.obj1, changes={"title": long_title.strip()})
    w = MainWindow(plan_ctx, location="/plans/test plan.db", settings=app_settings)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    plan = w.show_page("plan")
    assert plan.select_objective(plan_ctx.ids.obj1)
    title = plan.detail.title
    qtbot.waitUntil(lambda: title.text().endswith("…"))
    assert title.heightForWidth(title.width()) <= 2 * title.fontMetrics().lineSpacing() + 2
    assert title.toolTip().endswith(long_title.strip()) and title.full_text() == title.toolTip()


def test_a_message_given_before_the_window_shows_still_hides_the_left_of_the_status_bar(
    plan_ctx, app_settings, qtbot
):  # type: ignore[no-untyped-def]
    """A sync on opening can report before the window is on screen; showing the window must not bring
    the plan's name and the period back on top of the message (Qt re-shows what the message hid)."""
    win = MainWindow(plan_ctx, location="/plans/test plan.db", settings=app_settings)
    qtbot.addWidget(win)
    win.statusBar().showMessage("Sent 1 change(s); took 1 row(s) from the team plan", 8000)
    win.show()
    qtbot.waitExposed(win)
    assert win.statusBar().currentMessage().startswith("Sent 1 change")
    assert not win.db_label.isVisible() and not win.period_combo.isVisible()
