"""Opening plans from the app: the sample plan made on first run; a plan that cannot open gets a dialog, no window."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

import ui.app
import ui.start
from tests.builders import small_plan
from tests.gui.helpers import record_message_boxes
from tracker.db import StoreError
from tracker.lock import DatabaseLocked
from tracker.migrate import NewerSchema, NotATrackerDatabase
from tracker.store import Unwritable, open_store
from ui.app import Launcher
from ui.appearance import Appearance
from ui.context import Identity
from ui.main_window import MainWindow
from ui.opening import describe_failure
from ui.settings import AppSettings, Remembered


@pytest.fixture
def settings(tmp_path) -> AppSettings:  # type: ignore[no-untyped-def]
    return AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def isolated(monkeypatch, settings):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(ui.app, "AppSettings", lambda: settings)
    return settings


def main_windows() -> list[MainWindow]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]


def test_a_locked_plan_shows_who_holds_it_and_no_window(qapp, isolated, store, actor, db_path, monkeypatch):  # type: ignore[no-untyped-def]
    small_plan(store, actor)  # the fixture's store holds the write lock, as another window would
    shown = record_message_boxes(monkeypatch)
    code = ui.app.main(["--db", str(db_path), "--as", "PMO"])
    assert code == ui.app.EXIT_OPEN_FAILED
    assert shown.titles == ["Plan in use"]
    assert "open for editing by" in shown.texts and "open it read-only" in shown.texts
    assert main_windows() == []


def test_a_locked_plan_can_be_opened_read_only_from_the_dialog(
    qapp, settings, store, actor, db_path, monkeypatch
):  # type: ignore[no-untyped-def]
    small_plan(store, actor)
    record_message_boxes(monkeypatch, answer="Open read-only")
    launcher = Launcher(settings, Appearance(settings))
    assert launcher.open(str(db_path), as_name="PMO")
    try:
        assert launcher.window is not None and launcher.window.ctx.read_only
        assert launcher.window.read_only_badge.isVisibleTo(launcher.window)
    finally:
        launcher.window.close()


def test_a_damaged_plan_opens_read_only_saying_to_restore_a_backup(
    qapp, settings, store, actor, db_path, tmp_path, monkeypatch
):  # type: ignore[no-untyped-def]
    from tests.test_store import damage_page_of
    from tracker.backup import backup_sqlite

    small_plan(store, actor)
    damaged = tmp_path / "damaged.db"
    backup_sqlite(db_path, damaged)
    damage_page_of(damaged, "ix_risk_owner_id")
    shown = record_message_boxes(monkeypatch)
    launcher = Launcher(settings, Appearance(settings))
    assert launcher.open(str(damaged), as_name="PMO")
    try:
        assert shown.titles == ["Plan damaged"]
        assert shown.texts.startswith("damaged.db is damaged") and "latest backup" in shown.texts
        assert launcher.window is not None and launcher.window.ctx.read_only
        assert launcher.window.read_only_badge.isVisibleTo(launcher.window)
    finally:
        launcher.window.close()


def test_a_newer_plan_says_to_install_the_newer_version(qapp, isolated, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    path = tmp_path / "newer.db"
    open_store(path).close()
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = 'f00dcafe9999'")
    con.commit()
    con.close()
    shown = record_message_boxes(monkeypatch)
    assert ui.app.main(["--db", str(path)]) == ui.app.EXIT_OPEN_FAILED
    assert shown.titles == ["Plan from a newer version"]
    assert "Install the newer version" in shown.texts and "Traceback" not in shown.texts
    assert main_windows() == []


@pytest.mark.parametrize(
    "content, title",
    [
        (b"SQLite format 3\x00" + b"\x07" * 4000, "Cannot open the plan"),
        (b"just some text, not a database", "Cannot open the plan"),
    ],
)
def test_a_damaged_or_foreign_file_gets_a_dialog_and_is_left_alone(
    qapp, isolated, tmp_path, monkeypatch, content, title
):  # type: ignore[no-untyped-def]
    path = tmp_path / "broken.db"
    path.write_bytes(content)
    shown = record_message_boxes(monkeypatch)
    assert ui.app.main(["--db", str(path)]) == ui.app.EXIT_OPEN_FAILED
    assert shown.titles == [title]
    assert path.read_bytes() == content
    assert main_windows() == []


def test_another_applications_database_is_named_as_not_a_plan(qapp, isolated, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE songs (title TEXT)")
    con.commit()
    con.close()
    shown = record_message_boxes(monkeypatch)
    assert ui.app.main(["--db", str(path)]) == ui.app.EXIT_OPEN_FAILED
    assert shown.titles == ["Not a plan file"] and "not a Delivery Plan Tracker database" in shown.texts


def test_failure_words_for_each_kind_of_error(tmp_path):  # type: ignore[no-untyped-def]
    locked = describe_failure(DatabaseLocked(tmp_path / "p.db", {"user": "alex", "host": "pc1"}), "p.db")
    assert locked.can_open_read_only and "alex" in locked.text
    assert describe_failure(NewerSchema("written by 9.0"), "p.db").title == "Plan from a newer version"
    assert describe_failure(NotATrackerDatabase("x"), "p.db").title == "Not a plan file"
    damaged = describe_failure(StoreError("p.db is damaged"), "p.db")
    assert "backup" in damaged.text and not damaged.can_open_read_only
    folder = describe_failure(Unwritable("p.db is in a folder that cannot be written to (/x)"), "p.db")
    assert folder.can_open_read_only and "damaged" not in folder.text and "backup" not in folder.text
    odd = describe_failure(RuntimeError("boom"), "p.db")
    assert "RuntimeError: boom" in odd.text and "Traceback" not in odd.text


def test_first_run_makes_the_sample_plan_at_the_default_place(qapp, settings, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    default = tmp_path / "data" / "plan.db"
    monkeypatch.setenv("TRACKER_DB", str(default))
    settings.remember_identity(str(default), Remembered(Identity("PMO", None, "PMO")))
    launcher = Launcher(settings, Appearance(settings))
    assert launcher.open(None)
    window = launcher.window
    try:
        assert default.exists() and launcher.opened is not None and launcher.opened.created
        assert window.plan.is_sample and window.sample_badge.isVisibleTo(window)
        assert settings.recent() == [str(default)]
    finally:
        window.close()
    assert launcher.window is None
    # the store was closed with the window: the file can be opened for editing again
    open_store(default).close()


def test_the_window_fits_the_screen_first_and_comes_back_where_it_was_left(
    qapp, settings, tmp_path, monkeypatch
):  # type: ignore[no-untyped-def]
    default = tmp_path / "data" / "plan.db"
    monkeypatch.setenv("TRACKER_DB", str(default))
    settings.remember_identity(str(default), Remembered(Identity("PMO", None, "PMO")))
    launcher = Launcher(settings, Appearance(settings))
    assert launcher.open(None)
    window = launcher.window
    area = window.screen().availableGeometry()
    first = window.geometry()
    assert first.width() == max(
        min(area.width(), max(int(area.width() * 0.85), 1024)), window.minimumSizeHint().width()
    )
    window.resize(900, 640)
    window.move(area.x() + 20, area.y() + 30)
    left_at = window.geometry()
    window.close()
    assert settings.window_geometry() is not None

    again = Launcher(settings, Appearance(settings))
    assert again.open(None)
    try:
        assert again.window.geometry().size() == left_at.size()
    finally:
        again.window.close()


def _no_library(name: str) -> object:
    raise OSError(f"{name}: cannot open shared object file")


def test_a_missing_x11_library_is_named_before_qt_would_abort():
    x11 = {"DISPLAY": ":0"}
    problem = ui.app.missing_x11_library(x11, "linux", _no_library)
    assert problem and "libxcb-cursor0" in problem and "apt-get install" in problem
    assert ui.app.missing_x11_library(x11, "linux", lambda name: object()) is None  # present
    assert ui.app.missing_x11_library({"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb"}, "linux", _no_library)
    # nothing to say where Qt does not use X11
    for env, platform in (
        ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, "linux"),
        ({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, "linux"),
        ({}, "linux"),
        (x11, "win32"),
        (x11, "darwin"),
    ):
        assert ui.app.missing_x11_library(env, platform, _no_library) is None


def test_the_app_stops_with_the_message_and_opens_nothing(monkeypatch, capsys):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(ui.start, "missing_x11_library", lambda env: "Qt needs libxcb-cursor.so.0")
    monkeypatch.setattr(ui.app, "Launcher", None)  # reaching it would fail the test
    assert ui.start.main(["--db", "unused.db"]) == ui.start.EXIT_OPEN_FAILED
    assert "libxcb-cursor.so.0" in capsys.readouterr().err
