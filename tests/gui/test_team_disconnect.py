"""A team plan's server going away and coming back (issue 14, item 4), on a cluster of this module's
own that asks for passwords: the window says it is disconnected, keeps what it has read, refuses
saves in one line, and reconnects by itself."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url

from tests.pg_cluster import second_cluster
from tests.team_server import PASSWORD, team_server
from tracker.team.connect import TeamServer
from ui.app import Launcher
from ui.appearance import Appearance
from ui.connect_dialog import ConnectDialog
from ui.main_window import MainWindow
from ui.pages.objective import ObjectiveDetail
from ui.tasks import TaskRunner

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def cluster():
    with second_cluster() as c:
        yield c


@pytest.fixture(scope="module")
def team(cluster):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TRACKER_TEST_DATABASE_URL", cluster.admin_url)
        mp.setenv("PGPASSWORD", PASSWORD)  # as ~/.pgpass would: the logins' own password, found by libpq
        with team_server() as t:
            mp.delenv("PGPASSWORD")
            yield t


def dialog_for(qtbot, url: str, password: str) -> ConnectDialog:  # type: ignore[no-untyped-def]
    u = make_url(url)
    server = TeamServer(u.host or "", u.database or "", u.username or "", u.port or 5432, "disable")
    dialog = ConnectDialog(TaskRunner(synchronous=True), server)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.password.setText(password)
    return dialog


def test_a_wrong_password_is_said_in_one_line(team, cluster, qtbot):
    dialog = dialog_for(qtbot, team.lead_a, "not the password")
    dialog.start()
    assert dialog.opened is None
    assert dialog.problem.text() == (
        f"The server 127.0.0.1:{cluster.port} refused the password for {team.logins.lead_a}: "
        "check it and try again."
    )


def test_an_empty_password_asks_for_one_when_libpq_finds_none(team, cluster, qtbot, monkeypatch):
    monkeypatch.setenv("PGPASSFILE", "/nonexistent")
    dialog = dialog_for(qtbot, team.lead_a, "")
    dialog.start()
    assert dialog.problem.text().startswith(
        f"The server 127.0.0.1:{cluster.port} asks {team.logins.lead_a} for a"
    )


def test_the_server_going_away_and_coming_back(team, cluster, qtbot, app_settings, tmp_path, monkeypatch):
    pgpass = tmp_path / "pgpass"
    escaped = PASSWORD.replace("\\", "\\\\").replace(":", "\\:")
    pgpass.write_text(f"127.0.0.1:{cluster.port}:*:*:{escaped}\n")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))  # the password left empty: libpq reads the file
    dialog = dialog_for(qtbot, team.lead_a, "")
    dialog.start()
    assert dialog.opened is not None, dialog.problem.text()
    launcher = Launcher(app_settings, Appearance(app_settings), runner=TaskRunner(synchronous=True))
    window: MainWindow = launcher.show_team_plan(dialog.opened)
    failed: list[object] = []
    window.ctx.failed.connect(lambda *args: failed.append(args))
    try:
        window.watcher.stop()
        window.ctx.set_period(team.ids.q1)
        detail = ObjectiveDetail(window.ctx)
        qtbot.addWidget(detail)
        detail.show_objective(team.ids.obj1)
        commentary = detail.form.inputs["commentary"]
        commentary.setPlainText("Saved before the outage")  # type: ignore[attr-defined]
        detail.form.save()
        assert detail.form.problem.isHidden(), detail.form.problem.text()

        cluster.stop()
        # a save before the watcher has noticed: refused in one line, and the window now knows
        commentary.setPlainText("Typed during the outage")  # type: ignore[attr-defined]
        detail.form.save()
        said = detail.form.problem.text()
        assert said.startswith(f"Not saved: the server 127.0.0.1:{cluster.port}/{team.db} cannot be reached")
        assert "\n" not in said and not failed  # no traceback dialog
        assert window.connection_label.isVisibleTo(window)
        assert window.connection_label.text() == f"Disconnected from 127.0.0.1:{cluster.port}: retrying…"
        # what was read stays on show
        plan = window.show_page("plan")
        assert plan.model.row_by_id(team.ids.obj1) is not None  # type: ignore[attr-defined]
        # a page not read before cannot be shown yet: said in the status bar, not a traceback
        window.nav.setCurrentRow(window.page_keys().index("risks"))
        assert window.statusBar().currentMessage().startswith("Risks cannot be read while the server is away")
        window.watcher.timer.setInterval(100)
        window.watcher.start()
        detail.form.save()  # the next save is refused at once, the same way
        assert detail.form.problem.text() == said

        cluster.start()
        qtbot.waitUntil(lambda: not window.connection_label.isVisibleTo(window), timeout=30_000)
        assert window.statusBar().currentMessage() == f"Connected to 127.0.0.1:{cluster.port}/{team.db} again"
        assert window.watcher.wakeup is not None and window.watcher.wakeup.listening  # listening again
        window.show_page("risks")  # now it can be read
        detail.reload()
        assert commentary.toPlainText() == "Saved before the outage"  # type: ignore[attr-defined]  # nothing lost
        commentary.setPlainText("Saved after the outage")  # type: ignore[attr-defined]
        detail.form.save()
        assert detail.form.problem.isHidden(), detail.form.problem.text()
    finally:
        window.watcher.stop()
        window.close()
        if not cluster.up:  # a failure above left it stopped: the module's other tests need it
            cluster.start()
