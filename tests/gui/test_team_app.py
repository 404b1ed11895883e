"""The app on a team plan (issue 14, item 4), against the throwaway server: windows logged in as
different people through the connect dialog, each as the server knows them."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.gui.helpers import written
from tests.team_server import team_server
from tracker.enums import Role
from tracker.errors import NotPermitted
from tracker.services import open_period, record_status_update, update_objective
from tracker.team.connect import TeamServer
from ui.app import Launcher
from ui.appearance import Appearance
from ui.connect_dialog import ConnectDialog
from ui.context import ReadOnly
from ui.main_window import MainWindow
from ui.pages.objective import ObjectiveDetail
from ui.tasks import TaskRunner

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def team():
    with team_server() as t:
        yield t


def server_for(url: str, **changes: object) -> TeamServer:
    u = make_url(url)
    return TeamServer(**{"host": u.host, "port": u.port, "database": u.database, "login": u.username,
                         "sslmode": "disable", **changes})  # type: ignore[arg-type]  # fmt: skip


@pytest.fixture
def connect(qtbot, app_settings):  # type: ignore[no-untyped-def]
    """Log in through the connect dialog as the login of ``url``; the window as the launcher shows it."""
    windows: list[MainWindow] = []

    def connect_as(url: str, password: str = "") -> MainWindow:
        launcher = Launcher(app_settings, Appearance(app_settings), runner=TaskRunner(synchronous=True))
        dialog = ConnectDialog(launcher.runner, server_for(url))
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.password.setText(password)  # the test cluster trusts local logins: any password does
        dialog.start()
        assert dialog.opened is not None, dialog.problem.text()
        window = launcher.show_team_plan(dialog.opened)
        windows.append(window)
        return window

    yield connect_as
    for window in windows:
        window.watcher.stop()
        window.close()


def test_connected_you_are_who_the_server_says_and_the_password_is_not_kept(team, connect, app_settings):
    window = connect(team.lead_a, password="s3cret-word")
    where = f"{make_url(team.admin).host}:{make_url(team.admin).port}/{team.db}"
    assert window.identity_button.text() == f"You are: Head of Intelligence (lead) on {where}"
    who = window.ctx.identity
    assert (who.person_id, who.access) == (team.ids.lead, Role.LEAD)
    assert window.ctx.actor.person_id == team.ids.lead
    assert not window.identity_action.isVisible() and window.change_identity() is None  # no picker
    assert window.watcher.timer.isActive()  # others' changes are looked for
    assert app_settings.team_server() == server_for(team.lead_a)
    app_settings.sync()
    remembered = Path(app_settings.q.fileName()).read_text()
    assert team.logins.lead_a in remembered and "s3cret-word" not in remembered


def test_a_failed_connection_is_one_line_in_the_dialog(team, qtbot):
    dialog = ConnectDialog(TaskRunner(synchronous=True), server_for(team.lead_a, database="no_such_plan"))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.start()
    assert dialog.opened is None and dialog.isVisible()
    assert dialog.problem.text().startswith("There is no database no_such_plan on ")
    assert "\n" not in dialog.problem.text()
    assert dialog.connect_button.isEnabled() and dialog.host.isEnabled()  # fix it and try again
    dialog.login.clear()
    dialog.start()
    assert dialog.problem.text() == "Give your login to connect."


def test_another_persons_change_shows_in_the_other_window_within_two_seconds(team, connect, qtbot):
    pmo, lead = connect(team.pmo), connect(team.lead_a)
    plan = lead.show_page("plan")
    assert plan.model.row_by_id(team.ids.obj1) is not None  # type: ignore[attr-defined]
    written(pmo.ctx, update_objective, objective_id=team.ids.obj1, changes={"title": "Renamed by the PMO"})
    qtbot.waitUntil(
        lambda: plan.model.row_by_id(team.ids.obj1).title == "Renamed by the PMO",  # type: ignore[attr-defined]
        timeout=2000,
    )
    assert lead.statusBar().currentMessage().startswith(f"{team.logins.pmo} changed 1 objective (")
    # another lead's change: named as the person they are, not by their login
    other = connect(team.lead_b)
    written(other.ctx, record_status_update, objective_id=team.ids.obj3, period_id=team.ids.q2,
            data={"lifecycle": "in progress", "rag": "amber", "rationale": "Slipping"})  # fmt: skip
    qtbot.waitUntil(
        lambda: (
            lead.statusBar().currentMessage().startswith("Programme Manager changed 1 objective and 1 status")
        ),
        timeout=2000,
    )


def test_a_stale_save_is_refused_naming_who_saved_first_and_offers_to_reload(team, connect, qtbot):
    pmo, lead = connect(team.pmo), connect(team.lead_a)
    lead.ctx.set_period(team.ids.q1)
    detail = ObjectiveDetail(lead.ctx)
    qtbot.addWidget(detail)
    detail.show_objective(team.ids.obj1)
    commentary = detail.form.inputs["commentary"]
    commentary.setPlainText("The lead's note")  # type: ignore[attr-defined]
    written(pmo.ctx, record_status_update, objective_id=team.ids.obj1, period_id=team.ids.q1,
            data={"commentary": "The PMO's note"})  # fmt: skip
    # the PMO's save reaches the lead's window while they type: what they typed stays, with a note
    qtbot.waitUntil(lambda: detail.form.reload_button.isVisibleTo(detail), timeout=5000)
    assert commentary.toPlainText() == "The lead's note"  # type: ignore[attr-defined]
    assert detail.form.problem.text().startswith(
        "Someone else has saved this update since you started typing"
    )
    detail.form.save()
    said = detail.form.problem.text()
    assert said.startswith(f"Not saved: This status update was changed by {team.logins.pmo} at ")
    assert detail.form.reload_button.isVisibleTo(detail)
    assert not detail.form.revert_button.isVisibleTo(detail)  # Reload, not Revert to the stale copy
    detail.form.reload_button.click()
    qtbot.waitUntil(lambda: commentary.toPlainText() == "The PMO's note")  # type: ignore[attr-defined]
    commentary.setPlainText("The lead's note, after reading the PMO's")  # type: ignore[attr-defined]
    detail.form.save()
    assert detail.form.problem.isHidden()


def test_a_leads_window_offers_no_pmo_actions(team, connect):
    lead = connect(team.lead_b)
    assert not lead.ctx.is_pmo and not lead.ctx.read_only
    assert not lead.settings_action.isVisible()
    for action in (lead.issue_returns_action, lead.import_return_action, lead.import_plan_action,
                   lead.rollover_action):  # fmt: skip
        assert not action.isEnabled(), action.text()
    with pytest.raises(NotPermitted, match="^Only the PMO can"):  # the services say so before the server
        written(lead.ctx, open_period, data={"name": "2024/25 Q3"})


def test_a_viewers_window_is_read_only(team, connect):
    viewer = connect(team.viewer)
    assert viewer.ctx.read_only and viewer.read_only_badge.isVisibleTo(viewer)
    assert viewer.identity_button.text().startswith(f"You are: {team.db}_viewer1 (viewer) on ")
    with pytest.raises(ReadOnly):
        viewer.ctx.write(update_objective, objective_id=team.ids.obj1, changes={"title": "No"})


def test_a_team_plan_given_as_db_opens_as_the_server_says_without_the_picker(team, app_settings, monkeypatch):
    from ui import app as app_module

    monkeypatch.setattr(app_module, "IdentityDialog", None)  # the picker must not be asked
    launcher = Launcher(app_settings, Appearance(app_settings))
    given = make_url(team.lead_b).set(password="pw-in-url").render_as_string(hide_password=False)
    assert launcher.open(given)  # the test cluster trusts local logins: the password is not checked
    assert app_settings.recent() and "pw-in-url" not in app_settings.recent()[0]
    window = launcher.window
    assert window is not None
    try:
        assert window.identity_button.text().startswith("You are: Programme Manager (lead) on ")
        assert window.ctx.identity.access == Role.LEAD and not window.ctx.is_pmo
    finally:
        window.watcher.stop()
        window.close()


def test_a_colleagues_save_wakes_the_window_without_waiting_for_its_timer(team, connect, qtbot):
    pmo, lead = connect(team.pmo), connect(team.lead_a)
    assert lead.watcher.wakeup is not None and lead.watcher.wakeup.listening
    lead.watcher.timer.stop()  # only the server's notification can make it look now
    plan = lead.show_page("plan")
    written(pmo.ctx, update_objective, objective_id=team.ids.obj2, changes={"title": "Woken by NOTIFY"})
    qtbot.waitUntil(
        lambda: plan.model.row_by_id(team.ids.obj2).title == "Woken by NOTIFY",  # type: ignore[attr-defined]
        timeout=5000,
    )


def test_cancelling_while_connecting_closes_the_plan_it_then_opens(team, qtbot, monkeypatch):
    from tracker.store import Store

    closed: list[Store] = []
    close = Store.close
    monkeypatch.setattr(Store, "close", lambda self: (closed.append(self), close(self))[-1])
    runner = TaskRunner()
    dialog = ConnectDialog(runner, server_for(team.lead_a))  # no parent: gone once cancelled and dropped
    dialog.show()
    task = dialog.start()
    dialog.reject()
    del dialog
    gc.collect()
    assert task is not None
    qtbot.waitUntil(lambda: task.done, timeout=10_000)
    qtbot.waitUntil(lambda: bool(closed), timeout=5_000)
    assert closed[0] is task.result.store
