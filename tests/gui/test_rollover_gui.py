"""File > Start a new plan from this one… (issue 13, item 5): the PMO's dialog, the background run, the
offer to open the new plan; the old plan opening read-only and saying which plan replaced it."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

import ui.rollover
from tests.builders import small_plan
from tests.gui.helpers import record_message_boxes, settled
from tracker.db import StoreError
from tracker.services import create_person
from ui.app import Launcher
from ui.appearance import Appearance
from ui.context import AppContext, Identity
from ui.main_window import MainWindow
from ui.rollover import RolloverDialog, next_name
from ui.settings import Remembered
from ui.tasks import TaskRunner

ANSWERS = {"name": "Test Strategy 2025/26", "start_date": "01/04/2025", "end_date": "31/03/2026",
           "include_closed": False}  # fmt: skip
LEAD = Identity("Head of Intelligence", "a-person-id", "Detective Superintendent")
VIEWER = Identity("Viewer", None, "viewer")


def window_on(ctx: AppContext, app_settings, qtbot, location: str) -> MainWindow:  # type: ignore[no-untyped-def]
    w = MainWindow(ctx, location=location, settings=app_settings)
    qtbot.addWidget(w)
    return w


def count(db: Path, table: str) -> int:
    con = sqlite3.connect(db)
    try:
        return int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        con.close()


@pytest.mark.parametrize("open_it", [True, False])
def test_the_pmo_starts_a_new_plan_and_is_offered_it(  # type: ignore[no-untyped-def]
    plan_ctx, app_settings, qtbot, tmp_path, db_path, monkeypatch, open_it
):
    w = window_on(plan_ctx, app_settings, qtbot, str(db_path))
    assert w.rollover_action.isEnabled()
    asked: list[str] = []
    monkeypatch.setattr(ui.rollover, "confirm", lambda _p, _t, text, _yes: asked.append(text) or open_it)
    opened: list[tuple[str, bool]] = []
    w.open_requested.connect(lambda where, ro: opened.append((where, ro)))
    new_db = tmp_path / "next.db"

    task = settled(w.start_new_plan(dict(ANSWERS, out=str(new_db))))

    assert task is not None and task.ok, task and task.error
    assert count(new_db, "objective") == 3 and count(new_db, "reporting_period") == 0
    assert asked and asked[0].startswith(
        f"Started 'Test Strategy 2025/26' in {new_db}, carrying over 3 objectives"
    )
    # the new plan if asked for; else this one again, to be shown read-only as replaced
    assert opened == [(str(new_db) if open_it else str(db_path), False)]
    # nothing more is written to the old plan from this window meanwhile
    with pytest.raises(StoreError, match="newer plan 'Test Strategy 2025/26'"), plan_ctx.store.write():
        pass


@pytest.mark.parametrize("who", [LEAD, VIEWER], ids=["lead", "viewer"])
def test_a_lead_or_a_viewer_is_not_offered_it(plan_ctx, app_settings, qtbot, tmp_path, who) -> None:  # type: ignore[no-untyped-def]
    plan_ctx.identity = who
    w = window_on(plan_ctx, app_settings, qtbot, "p.db")
    assert not w.rollover_action.isEnabled()
    assert w.start_new_plan(dict(ANSWERS, out=str(tmp_path / "next.db"))) is None
    assert not (tmp_path / "next.db").exists()


def test_the_menu_item_asks_in_the_dialog_and_a_cancel_starts_nothing(  # type: ignore[no-untyped-def]
    plan_ctx, app_settings, qtbot, tmp_path, monkeypatch
):
    asked: list[RolloverDialog] = []
    monkeypatch.setattr(
        RolloverDialog, "exec", lambda d: asked.append(d) or RolloverDialog.DialogCode.Rejected
    )
    folder = tmp_path / "plans"
    folder.mkdir()
    app_settings.remember_folder("plans", folder)
    w = window_on(plan_ctx, app_settings, qtbot, "p.db")
    w.rollover_action.trigger()
    assert len(asked) == 1 and asked[0].file.text() == str(folder / "Test Strategy 2025-26.db")
    assert list(folder.iterdir()) == [] and plan_ctx.store.superseded is None


def test_changing_who_you_are_turns_it_on_and_off(plan_ctx, app_settings, qtbot) -> None:  # type: ignore[no-untyped-def]
    w = window_on(plan_ctx, app_settings, qtbot, "p.db")
    w.set_identity(Remembered(LEAD))
    assert not w.rollover_action.isEnabled()
    w.set_identity(Remembered(Identity("PMO", None, "PMO")))
    assert w.rollover_action.isEnabled()


def test_the_dialog_suggests_next_year_and_refuses_beside_each_field(plan_ctx, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tracker.queries import current_plan

    with plan_ctx.read() as session:
        plan = current_plan(session)
    dialog = RolloverDialog(plan, tmp_path)
    qtbot.addWidget(dialog)
    assert dialog.name.text() == "Test Strategy 2025/26"
    assert (dialog.start.day(), dialog.end.day()) == (date(2025, 4, 1), date(2026, 3, 31))
    assert dialog.file.text() == str(tmp_path / "Test Strategy 2025-26.db")
    (tmp_path / "taken.db").write_bytes(b"")
    dialog.file.setText(str(tmp_path / "taken"))  # .db is added
    dialog.end.setText("01/01/2025")
    dialog.accept()
    assert dialog.result() != RolloverDialog.DialogCode.Accepted
    assert dialog.errors.error("end_date") == "end date: must be after the start date (01 Apr 2025)"
    assert dialog.errors.error("file") == "taken.db already exists: choose a new file name."
    assert next_name("EMSOU Strategy 2021/22") == "EMSOU Strategy 2022/23"
    assert next_name("Delivery plan") == "Delivery plan (next)"


def test_the_old_plan_opens_read_only_saying_which_plan_replaced_it(  # type: ignore[no-untyped-def]
    qapp, app_settings, qtbot, tmp_path, actor, monkeypatch
):
    from tracker.services.rollover import roll_over
    from tracker.store import open_store

    old_db, new_db = tmp_path / "old.db", tmp_path / "new.db"
    with open_store(old_db) as store:
        small_plan(store, actor)
        roll_over(store, new_db, actor=actor, name="Test Strategy 2025/26", start_date=date(2025, 4, 1),
                  end_date=date(2026, 3, 31))  # fmt: skip
    shown = record_message_boxes(monkeypatch)
    launcher = Launcher(app_settings, Appearance(app_settings), runner=TaskRunner(synchronous=True))
    assert launcher.open(str(old_db), as_name="PMO")
    w = launcher.window
    try:
        assert w is not None and w.ctx.read_only and shown.titles == []
        assert w.read_only_badge.isVisibleTo(w) and w.superseded_banner.isVisibleTo(w)
        assert w.superseded_banner.text().startswith(
            f"old.db was carried over into the newer plan 'Test Strategy 2025/26' ({new_db}) on "
        )
        assert w.superseded_banner.text().endswith("open new.db to make changes.")
        assert not w.rollover_action.isEnabled() and not w.new_item_action.isEnabled()
        assert not (tmp_path / "old backups").exists()  # a plan that cannot change takes no daily backup
        # the new plan, beside it, takes changes
        with open_store(new_db) as new_store, new_store.write() as session:
            create_person(session, actor=actor, data={"name": "New starter"})
    finally:
        if w is not None:
            w.close()


def test_after_a_rollover_the_window_shows_the_old_plan_again_read_only(  # type: ignore[no-untyped-def]
    qapp, app_settings, tmp_path, actor, monkeypatch
):
    from tracker.store import open_store

    old_db, new_db = tmp_path / "old.db", tmp_path / "new.db"
    with open_store(old_db) as store:
        small_plan(store, actor)
    monkeypatch.setattr(ui.rollover, "confirm", lambda *_args: False)  # not the new plan: this one again
    app_settings.remember_identity(str(old_db), Remembered(Identity("PMO", None, "PMO")))
    launcher = Launcher(app_settings, Appearance(app_settings), runner=TaskRunner(synchronous=True))
    assert launcher.open(str(old_db))
    first = launcher.window
    assert first is not None and not first.ctx.read_only
    try:
        settled(first.start_new_plan(dict(ANSWERS, out=str(new_db))))
        again = launcher.window
        assert again is not None and again is not first and again.ctx.read_only
        assert (
            again.location == str(old_db)
            and "newer plan 'Test Strategy 2025/26'" in again.superseded_banner.text()
        )
    finally:
        if launcher.window is not None:
            launcher.window.close()
    open_store(new_db).close()  # the new plan is free to be opened for editing


def test_the_suggested_name_takes_the_years_the_new_plan_starts_in(plan_ctx, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A plan named for its first year ("… 2021/22") that ran to March 2024 suggests "… 2024/25", as its dates do."""
    from tracker.queries import current_plan
    from tracker.services.plan import update_plan_settings

    with plan_ctx.read() as session:
        plan = current_plan(session)
    with plan_ctx.store.write() as session:
        update_plan_settings(session, actor=plan_ctx.actor, changes={"name": "EMSOU Strategy and Delivery Plan 2021/22",
                    "start_date": "2021-04-01", "end_date": "2024-03-31"}, expected_revision=plan.revision)  # fmt: skip
    with plan_ctx.read() as session:
        plan = current_plan(session)
    dialog = RolloverDialog(plan, tmp_path)
    qtbot.addWidget(dialog)
    assert dialog.start.day() == date(2024, 4, 1)
    assert dialog.name.text() == "EMSOU Strategy and Delivery Plan 2024/25"
    assert next_name("EMSOU Strategy 2021/22", date(2024, 4, 1)) == "EMSOU Strategy 2024/25"
