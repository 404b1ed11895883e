"""Changes made elsewhere appear without a restart: here a read-only window (the SLT's) on a file the
PMO's window is changing; in team mode, every window on the server."""

from __future__ import annotations

from tests.builders import small_plan
from tracker.db import Actor
from tracker.enums import Source
from tracker.models import Kind
from tracker.services import update_objective
from tracker.store import open_store
from ui.context import AppContext, Identity
from ui.pages.plan import PlanPage
from ui.tasks import TaskRunner
from ui.watch import ChangeWatcher


def test_a_change_made_elsewhere_reloads_the_page_and_names_who_made_it(qapp, qtbot, db_path, actor):
    writer = open_store(db_path)  # the PMO's window holds the file for changes
    ids = small_plan(writer, actor)
    viewer = open_store(db_path, readonly=True)
    ctx = AppContext(viewer, Identity("Viewer", None, "viewer"), runner=TaskRunner(synchronous=True))
    page = PlanPage(ctx)
    qtbot.addWidget(page)
    page.show()
    watcher = ChangeWatcher(ctx, interval_ms=50)
    messages: list[str] = []
    ctx.message.connect(messages.append)
    seen: list = []
    ctx.changed.connect(lambda changes, initiator: seen.append(changes))

    try:
        with writer.write() as s:
            update_objective(
                s, actor=Actor("PMO analyst", Source.APP), objective_id=ids.obj1, changes={"title": "Renamed"}
            )
    finally:
        writer.close()
    watcher.start()
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen[0].touches(Kind.OBJECTIVE) and ids.obj1 in seen[0].ids
    assert page.model.row_by_id(ids.obj1).title == "Renamed"
    assert messages[-1].startswith("PMO analyst changed 1 objective (")
    watcher.stop()
    viewer.close()


def test_this_windows_own_writes_are_not_reported_twice(plan_ctx, qtbot):
    from tests.gui.helpers import written

    watcher = ChangeWatcher(plan_ctx, interval_ms=10_000)
    written(plan_ctx, update_objective, objective_id=plan_ctx.ids.obj1, changes={"title": "Mine"})
    assert watcher.check() is None
    assert watcher.seen > 0


def test_the_window_watches_only_a_store_others_can_change(plan_ctx, qtbot, db_path):
    from ui.main_window import MainWindow

    window = MainWindow(plan_ctx)  # a file this window holds for changes: no one else can write it
    qtbot.addWidget(window)
    assert not window.watcher.timer.isActive()
    viewer = open_store(db_path, readonly=True)
    try:
        ctx = AppContext(viewer, Identity("Viewer", None, "viewer"), runner=TaskRunner(synchronous=True))
        other = MainWindow(ctx)
        qtbot.addWidget(other)
        assert other.watcher.timer.isActive()
        other.watcher.stop()
    finally:
        viewer.close()


def test_more_changes_than_one_look_reads_still_reload_every_kind(qapp, db_path, actor, monkeypatch):
    import ui.watch
    from tracker.services import update_person

    writer = open_store(db_path)
    ids = small_plan(writer, actor)
    viewer = open_store(db_path, readonly=True)
    ctx = AppContext(viewer, Identity("Viewer", None, "viewer"), runner=TaskRunner(synchronous=True))
    watcher = ChangeWatcher(ctx, interval_ms=10_000)
    monkeypatch.setattr(ui.watch, "FEED_LIMIT", 2)  # one look reads two entries; three were written
    pmo = Actor("PMO analyst", Source.APP)
    try:
        with writer.write() as s:
            update_objective(
                s, actor=pmo, objective_id=ids.obj1, changes={"title": "New", "description": "New"}
            )
        with writer.write() as s:
            update_person(s, actor=pmo, person_id=ids.spare, changes={"name": "Renamed person"})
    finally:
        writer.close()
    changes = watcher.check()
    viewer.close()
    assert changes is not None and changes.touches(Kind.PERSON)
