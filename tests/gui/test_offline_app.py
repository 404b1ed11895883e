"""The app on an offline copy of a team plan (issue 15): Work offline, the Sync button and its count,
the Conflicts page, refused changes; real replica files taken from the throwaway server."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlmodel import select

from tests.sync_helpers import ME, PMO, synced_team
from tracker.audit import decode
from tracker.enums import ConflictReason, ConflictState
from tracker.models import Milestone, SyncConflict
from tracker.services import close_period, record_status_update, update_milestone, update_objective
from tracker.store import open_store
from tracker.sync.run import sync_file
from ui.app import Launcher
from ui.appearance import Appearance
from ui.main_window import MainWindow
from ui.pages.conflicts import ConflictsPage
from ui.tasks import TaskRunner

pytestmark = pytest.mark.postgres


def edit(where, **changes):
    """A change made offline in a replica file (or on the server by its URL), outside the app."""
    with open_store(where) as store, store.write() as session:
        update_milestone(session, actor=ME, **changes)


def get(where, cls, row_id):
    with open_store(where, readonly=True) as store, store.read() as session:
        return session.get(cls, row_id)


@pytest.fixture
def open_window(qtbot, app_settings, monkeypatch):
    """Open a plan as the app does (File > Open), through the launcher; the window it shows."""
    launchers: list[Launcher] = []

    def failed(failure, _parent=None):
        raise AssertionError(f"{failure.title}: {failure.text}")  # rather than a dialog waiting for a click

    monkeypatch.setattr("ui.app.show_failure", failed)

    def opened(location: str | Path, *, threads: bool = False) -> MainWindow:
        runner = TaskRunner() if threads else TaskRunner(synchronous=True)
        launcher = Launcher(app_settings, Appearance(app_settings), runner=runner)
        assert launcher.open(str(location)), launcher.last_failure
        launchers.append(launcher)
        qtbot.waitUntil(lambda: not runner.active)  # the sync on opening, when the server answers
        return shown(launcher)

    opened.launchers = launchers  # type: ignore[attr-defined]  # for a test that follows File > Open
    yield opened
    for launcher in launchers:
        if launcher.window is not None:
            launcher.window.close()


def shown(launcher: Launcher) -> MainWindow:
    assert launcher.window is not None
    return launcher.window


def test_a_replica_opens_as_its_login_and_the_sync_button_counts_an_edit_then_sends_it(
    tmp_path, qtbot, open_window
):
    with synced_team(tmp_path) as s:
        window = open_window(s.files["lead_a"], threads=True)  # the real write lane, on its own thread
        sync = window.sync_control
        assert sync is not None and sync.button.text() == "Sync: 0 changes waiting"
        assert sync.banner.isVisible()
        assert sync.banner.text().startswith(f"Offline copy of {sync.server.where} as {s.t.logins.lead_a}")
        assert "last synced at log entry" in sync.banner.text()
        assert window.ctx.identity.person_id == s.ids.lead  # the login's person: no identity picker
        assert not window.identity_action.isVisible()
        assert not window.work_offline_action.isVisible()  # already offline

        window.ctx.write(update_milestone, milestone_id=s.m_a, changes={"notes": "Vendor chosen"}).run()
        qtbot.waitUntil(lambda: sync.button.text() == "Sync: 1 change waiting")
        assert get(s.t.pmo, Milestone, s.m_a).notes == ""  # not sent yet

        with qtbot.waitSignal(sync.synced, timeout=30_000):
            qtbot.mouseClick(sync.button, Qt.MouseButton.LeftButton)
        assert get(s.t.pmo, Milestone, s.m_a).notes == "Vendor chosen"
        qtbot.waitUntil(lambda: sync.button.text() == "Sync: 0 changes waiting")
        assert window.statusBar().currentMessage().startswith("Sent 1 change(s) (1 applied)")


def test_a_conflict_between_two_replicas_shows_and_keep_mine_settles_it_on_the_team_plan(
    tmp_path, qtbot, open_window
):
    with synced_team(tmp_path) as s:
        edit(s.files["pmo"], milestone_id=s.m_a, changes={"notes": "PMO says"})
        edit(s.files["lead_a"], milestone_id=s.m_a, changes={"notes": "Lead says"})
        sync_file(s.files["pmo"])  # the PMO's reaches the team plan first
        window = open_window(s.files["lead_a"])  # opening syncs: the lead's is held as a conflict
        sync = window.sync_control
        assert sync is not None and sync.waiting == 0
        conflicts_row = window.page_keys().index("conflicts")
        assert window.nav.item(conflicts_row).text() == "Conflicts (1)"

        page = window.show_page("conflicts")
        assert isinstance(page, ConflictsPage)
        (row,) = page.model.rows
        assert (row.field, row.base, row.mine, row.theirs) == ("notes", "(empty)", "Lead says", "PMO says")
        assert page.selected() == row
        assert page.buttons["mine"].isVisible() and page.buttons["mine"].isEnabled()
        assert page.buttons["edit"].isEnabled() and not page.buttons["accept"].isVisible()

        qtbot.mouseClick(page.buttons["mine"], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.nav.item(conflicts_row).text() == "Conflicts")
        assert page.model.rows == []
        assert sync.button.text() == "Sync: 2 changes waiting"  # the milestone and the decision, to send
        assert get(s.files["lead_a"], Milestone, s.m_a).notes == "Lead says"

        with qtbot.waitSignal(sync.synced):
            qtbot.mouseClick(sync.button, Qt.MouseButton.LeftButton)
        assert get(s.t.pmo, Milestone, s.m_a).notes == "Lead says"
        settled = get(s.t.pmo, SyncConflict, row.id)
        assert settled.state == ConflictState.KEPT_MINE and decode(settled.mine) == "Lead says"
        assert sync.button.text() == "Sync: 0 changes waiting"


def test_a_change_the_team_plan_refuses_is_listed_with_its_reason_and_kept(tmp_path, qtbot, open_window):
    with synced_team(tmp_path) as s:
        window = open_window(s.files["lead_b"])
        # while lead B works offline, the PMO gives B's objective and milestone to someone else
        with open_store(s.t.pmo) as store, store.write() as session:
            update_objective(session, actor=PMO, objective_id=s.ids.obj3, changes={"lead_id": s.ids.spare})
            update_milestone(session, actor=PMO, milestone_id=s.m_b, changes={"owner_id": s.ids.spare})
        window.ctx.write(update_milestone, milestone_id=s.m_b, changes={"notes": "Mine still"}).run()
        sync = window.sync_control
        assert sync is not None and sync.waiting == 1
        with qtbot.waitSignal(sync.synced):
            qtbot.mouseClick(sync.button, Qt.MouseButton.LeftButton)
        assert window.current_key() == "conflicts"  # refusals are shown where they are listed
        assert "refused by the team plan" in window.statusBar().currentMessage()
        page = window.pages["conflicts"]
        (refused,) = page.outbox_model.rows
        assert refused.state == "refused" and refused.row_id == s.m_b
        assert "not one of yours" in refused.message
        assert "0 waiting, 1 refused" in page.outbox_title.text()
        shown = page.outbox_model.index(0, 4).data()
        assert shown == refused.message
        assert get(s.t.pmo, Milestone, s.m_b).notes == ""  # the team plan did not take it
        assert sync.button.text() == "Sync: 0 changes waiting"  # refused is not waiting


def test_work_offline_takes_a_replica_of_the_connected_team_plan_and_opens_it(tmp_path, qtbot, open_window):
    with synced_team(tmp_path) as s:
        window = open_window(s.t.lead_a)
        assert window.work_offline_action.isVisible() and window.sync_control is None
        out = tmp_path / "mine offline.db"
        task = window.work_offline(out)
        qtbot.waitUntil(lambda: task.done)
        replica = shown(open_window.launchers[-1])  # the copy, opened in place of the team plan
        assert replica.sync_control is not None
        assert replica.ctx.identity.login == s.t.logins.lead_a
        assert replica.nav.item(replica.page_keys().index("conflicts")).text() == "Conflicts"


def test_a_plain_plan_file_does_not_list_the_conflicts_page(plan_ctx, qtbot, app_settings):
    window = MainWindow(plan_ctx, location="/plans/test plan.db", settings=app_settings)
    qtbot.addWidget(window)
    row = window.page_keys().index("conflicts")
    assert window.nav.item(row).isHidden() and window.sync_control is None
    page = window.show_page("conflicts")
    assert "file of its own" in page.empty.text()


def test_edit_keeps_the_value_typed_and_the_team_plan_has_it_after_a_sync(
    tmp_path, qtbot, open_window, monkeypatch
):
    with synced_team(tmp_path) as s:
        edit(s.files["pmo"], milestone_id=s.m_a, changes={"notes": "PMO says"})
        edit(s.files["lead_a"], milestone_id=s.m_a, changes={"notes": "Lead says"})
        sync_file(s.files["pmo"])
        window = open_window(s.files["lead_a"])
        page = window.show_page("conflicts")
        asked: list[str] = []

        class Typed:  # the Edit… dialog, answered
            @staticmethod
            def getText(_parent, _title, label, text=""):  # noqa: N802 (Qt's name)
                asked.append(f"{label} [{text}]")
                return "Both agreed", True

        monkeypatch.setattr("ui.pages.conflicts.QInputDialog", Typed)
        qtbot.mouseClick(page.buttons["edit"], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: page.model.rows == [])
        assert asked == ["Notes to keep for milestone “Milestone a”: [Lead says]"]
        with qtbot.waitSignal(window.sync_control.synced):
            qtbot.mouseClick(window.sync_control.button, Qt.MouseButton.LeftButton)
        assert get(s.t.pmo, Milestone, s.m_a).notes == "Both agreed"
        (settled,) = all_conflicts(s.t.pmo)
        assert settled.state == ConflictState.EDITED


def test_a_late_submission_is_offered_to_the_pmo_alone_who_rejects_it(tmp_path, qtbot, open_window):
    with synced_team(tmp_path) as s:
        with open_store(s.files["lead_a"]) as store, store.write() as session:
            record_status_update(session, actor=ME, objective_id=s.ids.obj1, period_id=s.ids.q1,
                                 data={"lifecycle": "in progress", "rag": "amber", "rationale": "Slipping"})  # fmt: skip
        with open_store(s.t.pmo) as store, store.write() as session:
            close_period(session, actor=PMO, period_id=s.ids.q1)
        lead = open_window(s.files["lead_a"])  # its sync on opening holds the change as a late submission
        page = lead.show_page("conflicts")
        held = page.model.rows  # the status update and the objective's current status it carries
        assert len(held) == 2 and {r.reason for r in held} == {ConflictReason.LATE}
        late = page.selected()
        assert not any(b.isVisible() for b in page.buttons.values())
        assert page.note.text() == "A late submission is the PMO's to accept or reject."

        pmo = open_window(s.files["pmo"])  # the PMO's copy brings the submission down on opening
        page = pmo.show_page("conflicts")
        assert page.selected().id == late.id
        assert [k for k, b in page.buttons.items() if b.isVisible()] == ["accept", "reject"]
        for left in (1, 0):
            qtbot.mouseClick(page.buttons["reject"], Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda left=left: len(page.model.rows) == left)
        with qtbot.waitSignal(pmo.sync_control.synced):
            qtbot.mouseClick(pmo.sync_control.button, Qt.MouseButton.LeftButton)
        assert get(s.t.pmo, SyncConflict, late.id).state == ConflictState.REJECTED


def all_conflicts(where):  # type: ignore[no-untyped-def]
    with open_store(where, readonly=True) as store, store.read() as session:
        return list(session.exec(select(SyncConflict)))


def test_waiting_changes_go_by_themselves_once_the_team_plan_answers_again(tmp_path, qtbot, open_window):
    """Sync on reconnect: while changes wait, the replica looks for the team plan every minute."""
    with synced_team(tmp_path) as s:
        window = open_window(s.files["lead_a"])
        sync = window.sync_control
        assert sync.retry.isActive() and sync.retry.interval() == 60_000
        assert sync._on_retry() is None  # nothing waiting: nothing to look for
        window.ctx.write(
            update_milestone, milestone_id=s.m_a, changes={"notes": "Written on the train"}
        ).run()
        qtbot.waitUntil(lambda: sync.waiting == 1)
        with qtbot.waitSignal(sync.synced, timeout=30_000):
            sync.retry.timeout.emit()  # the minute is up, and the network is back
        assert get(s.t.pmo, Milestone, s.m_a).notes == "Written on the train"
        assert sync.waiting == 0
