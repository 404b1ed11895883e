"""Help > About says which version and schema this is and where the data and logs are; the app logs there."""

from __future__ import annotations

import logging
import sys

import pytest

import tracker
import ui.app
from tracker.migrate import SCHEMA_HEAD
from tracker.places import data_folder
from ui.about import about_text


def test_about_names_the_version_the_schema_and_the_folders(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_LOGS", str(tmp_path / "logs"))
    text = about_text()
    for shown in (tracker.__version__, SCHEMA_HEAD, str(data_folder()), str(tmp_path / "logs"), "PySide6"):
        assert shown in text


def test_the_app_logs_its_start_and_uncaught_errors_where_about_says(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_LOGS", str(tmp_path / "logs"))
    passed_on: list[BaseException] = []
    monkeypatch.setattr(sys, "excepthook", lambda kind, value, tb: passed_on.append(value))
    before = sys.excepthook
    with ui.app.app_log() as path:
        logging.getLogger("alembic.runtime.plugins").info("setup plugin: not worth a line")
        logging.getLogger("alembic.runtime.migration").info("Running upgrade 0005 -> 0006")
        try:
            raise ValueError("a slot went wrong")
        except ValueError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)
    assert sys.excepthook is before
    assert path == tmp_path / "logs" / "app.log"
    text = path.read_text(encoding="utf-8")
    assert f"Delivery Plan Tracker {tracker.__version__} (schema {SCHEMA_HEAD}) started" in text
    assert "ValueError: a slot went wrong" in text
    assert "Running upgrade 0005 -> 0006" in text and "not worth a line" not in text
    assert [str(e) for e in passed_on] == ["a slot went wrong"]  # and still shown as before


def test_the_app_says_its_version(capsys):
    with pytest.raises(SystemExit) as exited:
        ui.app.parse_args(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == f"Delivery Plan Tracker {tracker.__version__}"
