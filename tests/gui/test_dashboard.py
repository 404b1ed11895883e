"""The dashboard's charts show the core aggregates for the sample plan, render, and click through to registers."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tracker.queries import (
    STATUS_KEYS,
    Filters,
    headline,
    movement_summary,
    periods,
    rag_by_theme,
    recommendations_by_body_status,
    risk_matrix,
    trend,
)
from tracker.seed.sample import add_sample_progress
from tracker.seed.template import emsou_template, seed_plan
from ui.charts import (
    CHARTS,
    MovementChart,
    RecommendationsChart,
    RiskHeatMap,
    ThemeRagChart,
    TimelineChart,
    TrendChart,
)
from ui.context import AppContext, Identity
from ui.dashboard_data import load_dashboard
from ui.palette import make_palette
from ui.tasks import TaskRunner

TODAY = date(2024, 6, 1)
PERIOD = "2022/23 Q3"  # a period with every kind of status, movement, exception


@pytest.fixture
def sample_store(store, actor):  # type: ignore[no-untyped-def]
    with store.write() as session:
        seed_plan(session, actor=actor, template=emsou_template())
        add_sample_progress(session, actor=actor)
    return store


@pytest.fixture(params=["light", "dark"])
def ctx(request, qapp, sample_store):  # type: ignore[no-untyped-def]
    c = AppContext(sample_store, Identity("PMO"), palette=make_palette(dark=request.param == "dark"),
                   runner=TaskRunner(synchronous=True))  # fmt: skip
    yield c


@pytest.fixture
def data(ctx):  # type: ignore[no-untyped-def]
    with ctx.read() as session:
        pid = next(p.id for p in periods(session) if p.name == PERIOD)
        return load_dashboard(session, pid, today=TODAY)


def chart(cls, ctx, data, qtbot):  # type: ignore[no-untyped-def]
    w = cls(ctx)
    qtbot.addWidget(w)
    w.resize(900, 480)
    w.set_data(data)
    w.show()
    qtbot.waitExposed(w)
    return w


def table(w) -> list[list[str]]:  # type: ignore[no-untyped-def]
    """What the chart's Table button shows."""
    w.table_button.setChecked(True)
    assert w.stack.currentWidget() is w.table
    m = w.table.model()
    cells = [[m.data(m.index(r, c)) for c in range(m.columnCount())] for r in range(m.rowCount())]
    w.table_button.setChecked(False)
    return cells


def test_each_chart_shows_the_core_aggregates(ctx, data, qtbot) -> None:  # type: ignore[no-untyped-def]
    with ctx.read() as s:
        pid = data.period.id
        by_theme = rag_by_theme(s, pid)
        periods_trend = trend(s, up_to=pid)  # nothing after the period shown
        moved = movement_summary(s, pid)
        residual = risk_matrix(s, "residual")
        inherent = risk_matrix(s, "inherent")
        recs = recommendations_by_body_status(s, data.as_of)
        head = headline(s, pid, today=TODAY)
    assert data.headline == head
    themes = chart(ThemeRagChart, ctx, data, qtbot)
    assert table(themes) == [
        [f"{r.code} {r.name}", *map(str, r.counts), str(r.counts.total)] for r in by_theme
    ]
    # every segment's region carries exactly the ids behind that count
    for region in themes.regions:
        assert region.key == "plan"
    assert sorted(i for reg in themes.regions for i in reg.filters["ids"]) == sorted(
        i for r in by_theme for k in STATUS_KEYS for i in r.ids[k]
    )
    tr = chart(TrendChart, ctx, data, qtbot)
    assert table(tr) == [[r.name, *map(str, r.counts), str(r.counts.total)] for r in periods_trend]
    mv = chart(MovementChart, ctx, data, qtbot)
    assert [int(row[1]) for row in table(mv)] == [
        moved.counts[k] for k in ("improved", "deteriorated", "unchanged", "new", "no update")
    ]
    assert sum(int(row[1]) for row in table(mv)) == head.n_objectives  # the bars add up to the plan
    assert sum(moved.counts[k] for k in ("improved", "deteriorated", "unchanged")) > 0
    heat = chart(RiskHeatMap, ctx, data, qtbot)
    assert [list(map(int, row[1:])) for row in table(heat)] == [
        [residual.cell(lk, im).n for im in range(1, 6)] for lk in range(5, 0, -1)
    ]
    heat.kind.setCurrentIndex(heat.kind.findData("inherent"))
    assert [list(map(int, row[1:])) for row in table(heat)] == [
        [inherent.cell(lk, im).n for im in range(1, 6)] for lk in range(5, 0, -1)
    ]
    rec = chart(RecommendationsChart, ctx, data, qtbot)
    assert [(row[2], row[3]) for row in table(rec)] == [(str(r.n), str(r.n_overdue)) for r in recs]
    tl = chart(TimelineChart, ctx, data, qtbot)
    overdue = [row for row in table(tl) if row[4] == "Overdue"]
    # the period's late milestones all belong to objectives cancelled by then: none is overdue
    assert len(overdue) == head.overdue_milestones == 0


@pytest.mark.parametrize("cls", CHARTS, ids=lambda c: c.__name__)
def test_each_chart_renders_with_its_labels(cls, ctx, data, qtbot) -> None:  # type: ignore[no-untyped-def]
    w = chart(cls, ctx, data, qtbot)
    image = w.plot.grab().toImage()
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 8, "the chart looks blank"
    texts = [item.toPlainText() for item in w.labels]
    assert texts and all(texts)
    legend = [label.text for _sample, label in w.legend.items]
    assert legend, "no legend"
    if cls in (ThemeRagChart, TrendChart):
        assert any(t.startswith("R ") for t in texts) and "R · Red" in legend
    if cls is RiskHeatMap:
        assert {"L · Low", "VH · Very high"} <= set(legend)
    # named categories carry no tick marks: a mark beside a first segment's "1" read as "-1"
    named = [a for a in ("left", "bottom") if w.plot.getPlotItem().getAxis(a)._tickLevels is not None]
    assert named and all(w.plot.getPlotItem().getAxis(a).style["tickLength"] == 0 for a in named)


@pytest.mark.parametrize("width", [830, 553])  # as the dashboard lays it out at 1920 and at 1366 pixels
def test_milestone_labels_cross_neither_each_other_nor_the_as_of_line(ctx, qtbot, width) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QPointF

    from ui.charts.timeline import _stamp

    with ctx.read() as s:  # the latest period: overdue milestones up to the as-of line, upcoming after it
        d = load_dashboard(s, periods(s)[-1].id, today=TODAY)
    w = TimelineChart(ctx)
    qtbot.addWidget(w)
    w.resize(width, 340)
    w.set_data(d)
    w.show()
    qtbot.waitExposed(w)
    view = w.plot.getPlotItem().getViewBox()
    line = view.mapViewToScene(QPointF(_stamp(d.as_of), 0)).x()
    inside = view.sceneBoundingRect()
    words = [label.textItem.sceneBoundingRect() for label in w.labels if label.toPlainText()]
    assert len(words) == len(w.labels) > 20  # every label says something
    for n, rect in enumerate(words):
        assert not rect.left() < line < rect.right(), w.labels[n].toPlainText()
        assert inside.contains(rect), w.labels[n].toPlainText()
        assert not any(rect.intersects(other) for other in words[n + 1 :]), w.labels[n].toPlainText()


def test_a_click_on_a_bar_opens_the_register_with_its_items(ctx, data, qtbot) -> None:  # type: ignore[no-untyped-def]
    w = chart(ThemeRagChart, ctx, data, qtbot)
    red = next(r for r in w.regions if r.tip.splitlines()[0].endswith(" Red"))
    expected = list(next(row.ids["red"] for row in data.by_theme if row.ids["red"]))
    assert red.filters["ids"] == expected
    x, y = red.centre
    pos = w.plot.mapFromScene(w.scene_pos_of(x, y))
    with qtbot.waitSignal(ctx.navigate_requested) as signal:
        QTest.mouseClick(w.plot.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert signal.args == ["plan", {"ids": expected}]


@pytest.mark.parametrize(
    ("cls", "key"), [(RiskHeatMap, "risks"), (TimelineChart, "milestones"), (MovementChart, "plan")]
)
def test_other_charts_click_through_to_their_register(cls, key, ctx, data, qtbot) -> None:  # type: ignore[no-untyped-def]
    w = chart(cls, ctx, data, qtbot)
    target = next(r for r in w.regions if r.key)
    x, y = target.centre
    pos = w.plot.mapFromScene(w.scene_pos_of(x, y))
    with qtbot.waitSignal(ctx.navigate_requested) as signal:
        QTest.mouseClick(w.plot.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert signal.args[0] == key and signal.args[1]["ids"] == target.filters["ids"] and target.filters["ids"]


def test_filters_narrow_every_chart(ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    with ctx.read() as s:
        pid = next(p.id for p in periods(s) if p.name == PERIOD)
        theme = rag_by_theme(s, pid)[0]
        d = load_dashboard(s, pid, Filters(theme_id=theme.theme_id), today=TODAY)
    assert [r.theme_id for r in d.by_theme] == [theme.theme_id]
    assert d.headline.n_objectives == theme.counts.total


def test_dashboard_page_defaults_to_the_latest_period_and_meeting_mode_steps(ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    from ui.meeting import MeetingWindow
    from ui.pages.dashboard import DashboardPage

    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    with ctx.read() as s:
        latest = [p for p in periods(s) if p.n_updates][-1]
    assert page.data is not None and page.data.period.id == latest.id
    assert page.headline.tiles["red"].caption.text().startswith("R ")
    page.show_filters({"period_id": page.period.itemData(page.period.findText(PERIOD))})
    assert page.data.period.name == PERIOD
    assert page.exceptions.rowCount() == len(page.data.exceptions) > 0
    meeting = MeetingWindow(ctx, page.data)
    qtbot.addWidget(meeting)
    QTest.keyClick(meeting, Qt.Key.Key_Right)
    QTest.keyClick(meeting, Qt.Key.Key_PageDown)
    assert meeting.index == 2
    QTest.keyClick(meeting, Qt.Key.Key_Left)
    assert meeting.index == 1
    QTest.keyClick(meeting, Qt.Key.Key_End)
    assert meeting.sections[meeting.index].startswith("Exceptions")


@pytest.mark.parametrize("width", [1270, 1750])  # the page's room in 1440 and 1920 px windows
def test_every_headline_tile_shows_its_whole_caption(ctx, qtbot, width) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    from ui.pages.dashboard import DashboardPage

    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    page.resize(width, 900)
    page.show()
    qtbot.waitExposed(page)
    QApplication.processEvents()
    assert page.minimumSizeHint().width() <= width
    for key, tile in page.headline.tiles.items():
        caption = tile.caption
        metrics = caption.fontMetrics()
        assert caption.text(), key
        assert all(metrics.horizontalAdvance(w) <= caption.width() for w in caption.text().split()), key
        assert caption.height() >= caption.heightForWidth(caption.width()), (
            f"{key}: {caption.text()!r} is cut"
        )
        assert caption.geometry().bottom() <= tile.rect().bottom(), key


@pytest.fixture
def held(ctx):  # type: ignore[no-untyped-def]
    """Widgets that outlive the test body, so that qtmodeltester's clean-up finds their models alive."""
    kept: list[object] = []
    yield kept
    kept.clear()


def test_every_dashboard_model_passes_the_model_tester(ctx, held, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    from ui.pages.dashboard import DashboardPage

    page = DashboardPage(ctx)
    page.show_filters({"period_id": page.period.itemData(page.period.findText(PERIOD))})
    charts = [cls(ctx) for cls in CHARTS]
    held += [page, *charts]
    models = [page.exceptions.model()]
    for w in charts:
        w.set_data(page.data)
        models.append(w.fill_table())
    assert all(m.rowCount() > 0 for m in models)
    for model in models:
        qtmodeltester.check(model, force_py=True)


def test_a_chart_is_saved_whole_or_not_at_all(ctx, data, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A picture that cannot be written says so; before, QImage.save's False went unread: "Saved"."""
    from PySide6.QtGui import QImage

    from tracker.outputs import OutputError

    w = chart(ThemeRagChart, ctx, data, qtbot)
    folder = tmp_path / "charts"
    folder.mkdir()
    png = w.save(folder / "themes")
    assert png.name == "themes.png" and not QImage(str(png)).isNull()
    with pytest.raises(OutputError, match="could not write /proc/themes.png"):
        w.save("/proc/themes.png")
    assert [p.name for p in folder.iterdir()] == ["themes.png"]


def test_a_plan_with_no_period_yet_shows_no_empty_charts_and_says_what_to_do(
    qapp, qtbot, store, actor
) -> None:  # type: ignore[no-untyped-def]
    from tracker.seed.template import empty_template
    from ui.pages.dashboard import DashboardPage

    with store.write() as session:
        seed_plan(session, actor=actor, template=empty_template("Another force"))
    page = DashboardPage(AppContext(store, Identity("PMO"), runner=TaskRunner(synchronous=True)))
    qtbot.addWidget(page)
    page.show()
    assert page.title.text().startswith("No reporting periods yet. The PMO opens one")
    assert not any(chart.isVisible() for chart in page.charts) and not page.headline.isVisible()


def test_the_page_is_shown_before_its_figures_are_read_and_a_late_read_is_dropped(
    sample_store, qtbot
) -> None:  # type: ignore[no-untyped-def]
    from ui.pages.dashboard import DashboardPage

    threaded = AppContext(sample_store, Identity("PMO"), runner=TaskRunner())
    page = DashboardPage(threaded)  # returns before the figures are read: the frame paints meanwhile
    qtbot.addWidget(page)
    assert page.data is None and page.title.text() == "Reading the figures…"
    page.lead.setCurrentIndex(1)  # a second refresh asked for while the first is read: it wins
    qtbot.waitUntil(lambda: page.data is not None and not threaded.runner.active, timeout=10_000)
    assert page.data.filters.lead_id == page.lead.currentData() is not None
    threaded.runner.wait()
