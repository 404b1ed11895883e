"""The user's folders: the default plan and the anchors in the data folder, the logs in the log folder."""

from __future__ import annotations

from tracker import anchors, cli, places, store


def test_the_default_plan_and_anchors_live_in_the_data_folder(monkeypatch):
    monkeypatch.delenv("TRACKER_DB", raising=False)
    monkeypatch.delenv("TRACKER_ANCHORS", raising=False)
    assert places.data_folder().name == "DeliveryPlanTracker"
    assert store.default_db_path() == places.data_folder() / "plan.db"
    assert anchors.anchors_file() == places.data_folder() / "audit-anchors.json"


def test_an_unexpected_command_line_error_is_logged_in_the_log_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_LOGS", str(tmp_path / "logs"))
    assert places.log_folder() == tmp_path / "logs"
    try:
        raise ValueError("went wrong")
    except ValueError as exc:
        path = cli._log_unexpected(exc)
    assert path == tmp_path / "logs" / "cli.log"
    assert "ValueError: went wrong" in path.read_text(encoding="utf-8")
