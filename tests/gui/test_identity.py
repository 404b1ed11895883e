"""Who you are: chosen once per plan, remembered, recorded on every change; the viewer changes nothing."""

from __future__ import annotations

from sqlalchemy import select

from tests.gui.helpers import written
from tracker.models import AuditEntry
from tracker.queries import people
from ui.context import Identity
from ui.identity import IdentityDialog, identity_from_name
from ui.settings import Remembered


def test_the_dialog_offers_pmo_viewer_and_active_people(plan_ctx, qtbot):  # type: ignore[no-untyped-def]
    with plan_ctx.read() as s:
        persons = people(s)
    dialog = IdentityDialog(persons, "Test plan")
    qtbot.addWidget(dialog)
    labels = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert labels[0].startswith("PMO") and labels[1].startswith("Viewer (read-only)")
    assert any(label.startswith("Head of Intelligence") for label in labels)
    assert not any(label.startswith("Former Lead") for label in labels)  # inactive people are not offered
    dialog.select("Head of Intelligence")
    dialog.accept()
    assert dialog.chosen.identity.name == "Head of Intelligence" and dialog.chosen.identity.person_id
    assert not dialog.chosen.read_only


def test_viewer_is_read_only(plan_ctx, qtbot):  # type: ignore[no-untyped-def]
    with plan_ctx.read() as s:
        dialog = IdentityDialog(people(s), "Test plan")
    qtbot.addWidget(dialog)
    dialog.select("Viewer")
    dialog.accept()
    assert dialog.chosen.read_only


def test_the_choice_is_remembered_per_plan(app_settings):  # type: ignore[no-untyped-def]
    who = Remembered(Identity("Head of Intelligence", "id-1", "Detective Superintendent"))
    app_settings.remember_identity("/plans/a.db", who)
    assert app_settings.identity_for("/plans/a.db") == who
    assert app_settings.identity_for("/plans/b.db") is None


def test_as_name_finds_the_person_or_works_as_pmo(plan_ctx):  # type: ignore[no-untyped-def]
    with plan_ctx.read() as s:
        persons = people(s)
    assert identity_from_name("head of intelligence", persons).identity.person_id is not None
    assert identity_from_name("viewer", persons).read_only
    other = identity_from_name("Jo Bloggs", persons)
    assert other.identity == Identity("Jo Bloggs", None, "PMO") and not other.read_only


def test_changing_who_you_are_is_recorded_on_the_next_change(plan_ctx, app_settings, actor, qtbot):  # type: ignore[no-untyped-def]
    from tracker.services import create_milestone, update_milestone
    from ui.main_window import MainWindow

    with plan_ctx.store.write() as s:
        milestone = create_milestone(s, actor=actor, data={
            "objective_id": plan_ctx.ids.obj1, "title": "Vet staff", "baseline_date": "2024-12-01"}).created[-1]  # fmt: skip

    window = MainWindow(plan_ctx, location="plan.db", settings=app_settings)
    qtbot.addWidget(window)
    window.set_identity(Remembered(Identity("Programme Manager", "p-1", "")))
    assert "Programme Manager" in window.identity_button.text()
    assert app_settings.identity_for("plan.db").identity.name == "Programme Manager"
    # a change a lead may make (adding a person is the PMO's)
    written(plan_ctx, update_milestone, milestone_id=milestone, changes={"forecast_date": "2024-12-15"})
    with plan_ctx.read() as s:
        last = s.execute(select(AuditEntry.actor).order_by(AuditEntry.seq.desc())).scalar()  # type: ignore[attr-defined]
    assert last == "Programme Manager"


def test_switching_to_viewer_asks_for_the_window_to_be_rebuilt(plan_ctx, app_settings, qtbot):  # type: ignore[no-untyped-def]
    from ui.main_window import MainWindow

    window = MainWindow(plan_ctx, location="plan.db", settings=app_settings)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.mode_change_requested) as got:
        window.set_identity(Remembered(Identity("Viewer", None, "viewer"), read_only=True))
    assert got.args[0].read_only


def test_a_person_whose_name_is_their_role_is_offered_once_by_name(plan_ctx, qtbot):  # type: ignore[no-untyped-def]
    from tracker.services import create_person

    written(plan_ctx, create_person, data={"name": "Chief Constable", "role_title": "Chief Constable"})
    with plan_ctx.read() as s:
        persons = people(s)
    dialog = IdentityDialog(persons, "Test plan")
    qtbot.addWidget(dialog)
    labels = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert "Chief Constable" in labels and "Chief Constable — Chief Constable" not in labels


def test_a_role_title_holding_the_name_is_offered_once(plan_ctx, qtbot):  # type: ignore[no-untyped-def]
    from tracker.services import create_person

    written(
        plan_ctx,
        create_person,
        data={"name": "Head of EMSOU", "role_title": "Head of EMSOU (Detective Chief Superintendent)"},
    )
    with plan_ctx.read() as s:
        persons = people(s)
    dialog = IdentityDialog(persons, "Test plan")
    qtbot.addWidget(dialog)
    labels = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert "Head of EMSOU (Detective Chief Superintendent)" in labels
    assert not any(label.count("Head of EMSOU") > 1 for label in labels)


def test_the_status_bar_names_each_fact_once(plan_ctx, app_settings, qtbot):  # type: ignore[no-untyped-def]
    from ui.main_window import MainWindow

    window = MainWindow(plan_ctx, location="plan.db", settings=app_settings)
    qtbot.addWidget(window)
    role = "Head of EMSOU (Detective Chief Superintendent)"
    window.set_identity(Remembered(Identity("Head of EMSOU", "p-1", role)))
    assert window.identity_button.text() == f"You are: {role}"
    window.set_identity(Remembered(Identity("Chief Constable", "p-2", "Chief Constable")))
    assert window.identity_button.text() == "You are: Chief Constable"
    window.set_identity(Remembered(Identity("Jo Bloggs", None, "PMO")))
    assert window.identity_button.text() == "You are: Jo Bloggs (PMO)"


def test_name_and_role_are_each_shown_once():  # type: ignore[no-untyped-def]
    from tracker.wording import name_and_role

    assert name_and_role("Jo Bloggs", "Detective Inspector") == ("Jo Bloggs", "Detective Inspector")
    assert name_and_role("Chief Constable", "chief constable") == ("Chief Constable",)
    assert name_and_role("Head of EMSOU", "Head of EMSOU (DCS)") == ("Head of EMSOU (DCS)",)
    assert name_and_role("Head of EMSOU (DCS)", "DCS") == ("Head of EMSOU (DCS)",)
    assert name_and_role("Al", "Head of Analysis") == ("Al", "Head of Analysis")  # whole words only
    assert name_and_role("Jo Bloggs", "") == ("Jo Bloggs",)
