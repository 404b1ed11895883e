"""The plan page: the tree of the sample plan, its roll-up counts, its filters, and the detail beside it."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QComboBox

from tracker import queries as q
from tracker.db import Actor
from tracker.seed.sample import add_sample_progress
from tracker.seed.template import emsou_template, seed_plan
from ui.context import AppContext, Identity
from ui.models.plan_tree import PlanTreeModel, TreeFilter
from ui.pages import PAGES
from ui.pages.plan import PlanPage


@pytest.fixture
def sample_store(store, actor: Actor):  # type: ignore[no-untyped-def]
    with store.write() as s:
        seed_plan(s, actor=actor, template=emsou_template())
        add_sample_progress(s, actor=actor)
    return store


def latest_period(store) -> str:  # type: ignore[no-untyped-def]
    with store.read() as s:
        found = q.latest_period_with_updates(s)
    assert found is not None
    return found.id


@pytest.fixture
def page(qtbot, sample_store):  # type: ignore[no-untyped-def]
    ctx = AppContext(sample_store, Identity("PMO", role="PMO"))
    ctx.set_period(latest_period(sample_store))
    widget = PlanPage(ctx)
    qtbot.addWidget(widget)
    return widget


def name_of(widget) -> str:  # type: ignore[no-untyped-def]
    """The name a screen reader hears (a combo box announces its current item; its name is the property)."""
    if isinstance(widget, QComboBox):
        return widget.accessibleName()
    return QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Name)


def test_tree_model_passes_the_model_tester(qtmodeltester, sample_store) -> None:  # type: ignore[no-untyped-def]
    model = PlanTreeModel()
    with sample_store.read() as s:
        model.set_rows(q.plan_tree(s))
    qtmodeltester.check(model)
    model.set_filter(TreeFilter(text="ser"))
    qtmodeltester.check(model)


def test_tree_shows_every_objective_under_its_theme_and_outcome(page: PlanPage) -> None:
    with page.ctx.read() as s:
        rows = q.plan_tree(s, period_id=page.ctx.period_id)
        objectives = q.objective_rows(s)
    model = page.model
    assert sorted(model.objective_ids()) == sorted(o.id for o in objectives)
    by_id = {o.id: o for o in objectives}
    for oid in model.objective_ids():
        index = model.index_of(oid)
        outcome = model.row_at(model.parent(index))
        theme = model.row_at(model.parent(model.parent(index)))
        assert outcome is not None and theme is not None
        assert (theme.kind, theme.id) == ("theme", by_id[oid].theme_id)
        assert (outcome.kind, outcome.id) == ("outcome", by_id[oid].outcome_id)
    for row in rows:
        if row.kind != "objective":
            assert model.counts_of(row.id) == row.counts, row.ref
    service = next(r for r in rows if r.kind == "theme")
    text = model.index_of(service.id, 1).model().data(model.index_of(service.id, 1))
    assert row_counts_words(service.counts) == text


def row_counts_words(counts: q.BragCounts) -> str:
    short = {"red": "R", "amber": "A", "green": "G", "blue": "B", "grey": "Grey", q.NO_UPDATE: "no update"}
    return " · ".join(f"{counts.of(k)} {short[k]}" for k in q.STATUS_KEYS if counts.of(k))


def test_filters_by_text_status_and_only_mine(qtbot, sample_store) -> None:  # type: ignore[no-untyped-def]
    with sample_store.read() as s:
        objectives = q.objective_rows(s)
    lead = next(o for o in objectives if o.lead_id)
    ctx = AppContext(sample_store, Identity(lead.lead_name, person_id=lead.lead_id, role="lead"))
    page = PlanPage(ctx)
    qtbot.addWidget(page)

    page.search.setText("operating model")
    expected = [o.id for o in objectives if "operating model" in f"{o.ref} {o.title} {o.lead_name}".lower()]
    assert expected and page.model.objective_ids() == expected

    page.clear_filters()
    assert len(page.model.objective_ids()) == len(objectives)
    page.show_filters({"brag": "blue"})
    assert page.model.objective_ids() == [o.id for o in objectives if o.brag.value == "blue"]
    assert page.status.currentText().startswith("Blue")

    page.clear_filters()
    page.mine.setChecked(True)
    assert page.model.objective_ids() == [o.id for o in objectives if o.lead_id == lead.lead_id]
    assert not page.lead.isEnabled()
    assert page.count.text() == f"{len(page.model.objective_ids())} objectives"

    page.show_filters({"text": "no such objective anywhere"})
    assert page.model.objective_ids() == [] and page.model.rowCount() == 0


def test_only_mine_follows_who_is_using_the_app(qtbot, sample_store) -> None:  # type: ignore[no-untyped-def]
    with sample_store.read() as s:
        objectives = q.objective_rows(s)
    first = next(o for o in objectives if o.lead_id)
    second = next(o for o in objectives if o.lead_id and o.lead_id != first.lead_id)
    ctx = AppContext(sample_store, Identity(first.lead_name, person_id=first.lead_id, role="lead"))
    page = PlanPage(ctx)
    qtbot.addWidget(page)
    page.mine.setChecked(True)
    assert page.model.objective_ids() == [o.id for o in objectives if o.lead_id == first.lead_id]

    ctx.identity = Identity(second.lead_name, person_id=second.lead_id, role="lead")  # another lead
    assert page.model.objective_ids() == [o.id for o in objectives if o.lead_id == second.lead_id]
    assert second.lead_name in page.mine.toolTip()

    ctx.identity = Identity("PMO", role="PMO")  # the PMO leads nothing: "only mine" goes off, all shown
    assert not page.mine.isChecked() and not page.mine.isEnabled() and page.lead.isEnabled()
    assert len(page.model.objective_ids()) == len(objectives)


def test_selecting_an_objective_shows_its_detail(page: PlanPage) -> None:
    oid = page.model.objective_ids()[5]
    assert page.select_objective(oid)
    assert page.detail.objective_id == oid
    assert page.detail.objective is not None
    assert page.detail.title.text().startswith(page.detail.objective.ref)


def test_accessible_names_and_page_protocol(page: PlanPage, qtbot) -> None:  # type: ignore[no-untyped-def]
    for widget, name in (
        (page.search, "Find objectives"),
        (page.theme, "Theme"),
        (page.lead, "Lead"),
        (page.status, "Status"),
        (page.lifecycle, "Lifecycle"),
        (page.four_p, "4P"),
        (page.mine, "Only my objectives"),
        (page.clear, "Clear filters"),
        (page.tree, "Plan tree: themes, outcomes and objectives"),
    ):
        assert name_of(widget) == name
    assert not page.mine.isEnabled()  # the PMO leads nothing
    page.show()
    qtbot.waitExposed(page)
    page.focus_find()
    assert page.focusWidget() is page.search
    assert any(p.key == "plan" and p.target == "ui.pages.plan:PlanPage" for p in PAGES)


def test_titles_take_the_width_the_other_columns_leave_and_the_splitter_keeps_still(
    sample_store, app_settings, qtbot
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    from ui.appearance import Appearance
    from ui.main_window import MainWindow
    from ui.models.plan_tree import NAME
    from ui.tasks import TaskRunner

    appearance = Appearance(app_settings)  # the app's style sheet: a drop-down's width is as the app draws it
    ctx = AppContext(sample_store, Identity("PMO", role="PMO"), palette=appearance.apply(),
                     runner=TaskRunner(synchronous=True))  # fmt: skip
    window = MainWindow(ctx, location="/plans/sample.db", settings=app_settings, appearance=appearance)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitExposed(window)
    page = window.show_page("plan")
    with ctx.read() as s:
        objective = next(m.objective_id for m in q.milestone_rows(s))  # its Milestones tab has rows
    assert page.select_objective(objective)
    header, tree = page.tree.header(), page.tree
    others = sum(header.sectionSize(c) for c in range(header.count()) if c != NAME)
    assert header.sectionSize(NAME) == tree.viewport().width() - others  # every column in view
    assert header.sectionSize(NAME) > tree.fontMetrics().horizontalAdvance("x") * 48

    page.splitter.setSizes([page.splitter.width(), 0])  # the detail as narrow as it goes
    sizes = page.splitter.sizes()
    tabs = page.detail.tabs
    for n in range(tabs.count()):
        tabs.setCurrentIndex(n)
        QApplication.processEvents()  # the tab lays itself out
        page.splitter.refresh()  # as any later layout does (a resize, another objective)
        assert page.splitter.sizes() == sizes, tabs.tabText(n)  # no tab moves the splitter
