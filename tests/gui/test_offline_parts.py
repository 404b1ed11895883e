"""The offline parts of the app without a server: the Sync button's password and quiet failures, and
where Work offline suggests saving the copy."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from tracker.sync.replica import Replica, SyncError
from tracker.sync.run import SyncReport
from tracker.team.connect import TeamServer
from ui import offline
from ui.offline import SyncControl, default_replica_path

REPLICA = Replica("r1", "lead_a", "lead", None, "postgresql+psycopg://lead_a@db.example.org/plan", "s1", 7)


def test_the_password_is_asked_only_when_the_server_wants_one_and_then_kept(plan_ctx, qtbot, monkeypatch):
    tried: list[str] = []

    def fake_sync(_store, password=""):  # type: ignore[no-untyped-def]
        tried.append(password)
        if not password:
            raise SyncError(
                "Nothing was synced: The server db.example.org:5432 asks lead_a for a password: type it."
            )
        return SyncReport(sent=0, cursor=9)

    monkeypatch.setattr(offline, "sync_store", fake_sync)
    window = QWidget()
    qtbot.addWidget(window)
    control = SyncControl(plan_ctx, REPLICA, window)
    asked: list[str] = []
    monkeypatch.setattr(control, "ask_password", lambda why: asked.append(why) or "s3cret")
    assert (
        control.banner.text() == "Offline copy of db.example.org/plan as lead_a — last synced at log entry 7"
    )
    with qtbot.waitSignal(control.synced):
        control.sync()
    assert tried == ["", "s3cret"] and len(asked) == 1 and "password" in asked[0]
    with qtbot.waitSignal(control.synced):
        control.sync()
    assert tried[-1] == "s3cret" and len(asked) == 1  # not asked again in this window


def test_a_quiet_sync_that_fails_asks_nothing_and_leaves_the_count(plan_ctx, qtbot, monkeypatch):
    def unreachable(_store, password=""):  # type: ignore[no-untyped-def]
        raise SyncError(
            "Nothing was synced: Cannot reach the server db.example.org:5432. Your waiting changes are kept."
        )

    monkeypatch.setattr(offline, "sync_store", unreachable)
    window = QWidget()
    qtbot.addWidget(window)
    control = SyncControl(plan_ctx, REPLICA, window)
    monkeypatch.setattr(control, "ask_password", lambda why: (_ for _ in ()).throw(AssertionError(why)))
    failed: list[str] = []
    control.sync_failed.connect(failed.append)
    control.sync(quiet=True)
    assert failed == [] and control.button.text() == "Sync: 0 changes waiting"
    assert "Cannot reach the server" in control.button.toolTip()


def test_work_offline_suggests_a_new_file_named_for_the_team_plan_and_the_login(tmp_path):
    server = TeamServer("db.example.org", "plan", "lead_a")
    first = default_replica_path(server, tmp_path)
    assert first == tmp_path / "plan lead_a offline.db"
    first.write_bytes(b"")  # taken already: a replica is never made over an existing file
    assert default_replica_path(server, tmp_path) == tmp_path / "plan lead_a offline 2.db"
