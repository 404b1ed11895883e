"""Automatic backups in the app: taken on the day's first open and before a period closes; File > Backups…
lists them, and Restore… puts one back and reopens the plan."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import QSettings

from tests.gui.helpers import record_message_boxes, settled
from tests.test_autobackup import period_status
from tracker import autobackup
from tracker.autobackup import folder_for, listing
from tracker.store import open_store
from ui.app import Launcher
from ui.appearance import Appearance
from ui.backups_dialog import BackupsDialog
from ui.context import Identity
from ui.pages.periods import PeriodsPage
from ui.settings import AppSettings, Remembered


@pytest.fixture
def launcher(qapp, tmp_path, plan_file):  # type: ignore[no-untyped-def]
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    settings.remember_identity(str(plan_file), Remembered(Identity("PMO", None, "PMO")))
    launcher = Launcher(settings, Appearance(settings))
    yield launcher
    if launcher.window is not None:
        launcher.window.close()


def test_closing_a_period_in_the_app_backs_up_first_and_a_failed_backup_stops_it(
    plan_ctx, qtbot, monkeypatch
):  # type: ignore[no-untyped-def]
    path = plan_ctx.store.path
    page = PeriodsPage(plan_ctx)
    qtbot.addWidget(page)
    folder_for(path).write_text("a file where the backups folder should be")
    page.select_period(plan_ctx.ids.q1)
    settled(page.close_selected(ask=False))
    assert page.selected().status == "open"
    assert page.form_error.text().startswith("Closing the period did not go ahead: the automatic backup")

    folder_for(path).unlink()
    settled(page.close_selected(ask=False))
    assert page.selected().status == "closed"
    assert [k.why for k in listing(path)] == ["before period close"]


def test_the_days_first_open_takes_a_backup_and_a_failure_is_shown(launcher, plan_file, qtbot) -> None:  # type: ignore[no-untyped-def]
    assert launcher.open(str(plan_file))
    assert launcher.window.isVisible()  # the window first: the backup follows on the write lane
    qtbot.waitUntil(lambda: not launcher.runner.active)
    assert [k.why for k in listing(plan_file)] == ["daily"]
    assert launcher.window.statusBar().currentMessage() == ""

    launcher.window.close()
    shutil.rmtree(folder_for(plan_file))
    folder_for(plan_file).write_text("in the way")
    assert launcher.open(str(plan_file))  # the day's work is not stopped
    qtbot.waitUntil(lambda: not launcher.runner.active)
    message = launcher.window.statusBar().currentMessage()
    assert message.startswith("Today's automatic backup of plan.db failed (")


def test_the_backups_dialog_lists_when_why_size_and_rows(plan_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    path = plan_ctx.store.path
    daily = autobackup.take(path, autobackup.DAILY)
    autobackup.take(path, autobackup.BEFORE_CLOSE)
    dialog = BackupsDialog(path)
    qtbot.addWidget(dialog)
    model = dialog.model
    headers = [model.headerData(c, _horizontal()) for c in range(model.columnCount())]
    assert headers == ["When (UTC)", "Why", "Size", "Rows", "File"]
    rows = [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]
    assert [r[1] for r in rows] == ["Before period close", "Daily"]
    assert rows[1][3] == f"{daily.rows:,}" and rows[1][2].endswith("KB") and rows[1][4] == daily.path.name
    assert dialog.rule.text() == autobackup.RULE and "plan.db" in dialog.intro.text()
    assert dialog.restore_button.isEnabled()  # the newest is selected
    viewer = BackupsDialog(path, read_only=True)
    qtbot.addWidget(viewer)
    assert not viewer.restore_button.isEnabled()
    server = BackupsDialog(None)
    qtbot.addWidget(server)
    assert server.intro.text() == autobackup.SERVER_NOTE and not server.restore_button.isEnabled()


def test_restore_from_the_app_asks_then_reopens_the_restored_plan(launcher, plan_file, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert launcher.open(str(plan_file))
    window = launcher.window
    page = window.show_page("periods")
    page.select_period(next(p.id for p in _periods(window) if p.name == "2024/25 Q1"))
    settled(page.close_selected(ask=False))
    assert period_status(plan_file) == "closed"

    shown = record_message_boxes(monkeypatch, answer="Restore")
    dialog = window.show_backups()
    daily_row = next(r for r in range(dialog.model.rowCount()) if dialog.model.index(r, 1).data() == "Daily")
    dialog.view.selectRow(daily_row)
    dialog.restore_button.click()
    assert shown.titles == ["Restore a backup"] and "is backed up first" in shown.texts

    assert launcher.window is not None and launcher.window is not window  # reopened
    assert period_status(plan_file) == "open"
    assert launcher.window.statusBar().currentMessage().startswith("Restored plan.db from plan ")
    assert [k.why for k in listing(plan_file)] == ["before restore", "before period close", "daily"]
    assert not launcher.window.ctx.read_only  # the reopened plan holds the lock again
    with pytest.raises(Exception, match="open for editing"):
        open_store(plan_file)


def _periods(window):  # type: ignore[no-untyped-def]
    from tracker.queries import periods

    with window.ctx.read() as s:
        return periods(s)


def _horizontal():  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    return Qt.Orientation.Horizontal


def test_the_days_backup_is_taken_after_the_window_is_shown(qapp, tmp_path, plan_file, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from ui.tasks import TaskRunner

    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    settings.remember_identity(str(plan_file), Remembered(Identity("PMO", None, "PMO")))
    launcher = Launcher(settings, Appearance(settings), runner=TaskRunner(synchronous=True))
    window_then: list[bool] = []
    take = autobackup.daily

    def daily(path, **kwargs):  # type: ignore[no-untyped-def]
        window_then.append(launcher.window is not None and launcher.window.isVisible())
        return take(path, **kwargs)

    monkeypatch.setattr(autobackup, "daily", daily)
    assert launcher.open(str(plan_file))
    assert window_then == [True]  # the window did not wait for the backup
    assert [k.why for k in listing(plan_file)] == ["daily"]
    launcher.window.close()
