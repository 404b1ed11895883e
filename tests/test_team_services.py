"""Team mode through the app's services (issue 14, item 3): each login's own store, the services'
clear refusals first, the server's refusal behind them, and the audit actor the server knows."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import col, select

from tests.team_server import team_server
from tracker.audit import verify_chain
from tracker.db import Actor
from tracker.enums import Role, Source
from tracker.errors import ClosedPeriod, ConflictError, NotPermitted
from tracker.models import AuditEntry, Milestone, Objective, StatusUpdate
from tracker.services import (
    close_period,
    create_inspection,
    create_milestone,
    permissions,
    record_status_update,
    reopen_period,
    update_milestone,
)
from tracker.store import open_store

pytestmark = pytest.mark.postgres

GREEN = {"lifecycle": "in progress", "rag": "green", "rationale": "On plan"}
# What the client says about itself; on a team server the server's mapping of the login decides.
CLAIMS_PMO = Actor("Whoever I say I am", Source.APP, role=Role.PMO)


@pytest.fixture(scope="module")
def team():
    with team_server() as t:
        yield t


def write(url: str, service, **kwargs):
    with open_store(url) as store, store.write() as session:
        return service(session, actor=kwargs.pop("actor", CLAIMS_PMO), **kwargs)


def read(url: str, cls, row_id: str):
    with open_store(url) as store, store.read() as session:
        return session.get(cls, row_id)


def test_a_lead_records_the_status_of_an_objective_they_lead(team):
    changes = write(
        team.lead_a, record_status_update, objective_id=team.ids.obj1, period_id=team.ids.q2, data=GREEN
    )
    assert changes.ids
    assert read(team.pmo, Objective, team.ids.obj1).rag == "green"
    with open_store(team.pmo) as store, store.read() as session:
        actors = set(session.exec(select(AuditEntry.actor).where(AuditEntry.txn == changes.txn)).all())
    assert actors == {team.logins.lead_a}  # the login, not the name the client gave


def test_a_lead_is_told_clearly_before_the_server_refuses_another_leads_objective(team):
    with pytest.raises(NotPermitted, match="SER-01.03 is not one of yours"):
        write(
            team.lead_a, record_status_update, objective_id=team.ids.obj3, period_id=team.ids.q2, data=GREEN
        )


def test_without_the_services_check_the_server_still_refuses(team, monkeypatch):
    monkeypatch.setattr(permissions, "acting_as", lambda session, actor: (Role.PMO, None))
    with pytest.raises((DBAPIError, StaleDataError)):
        write(team.lead_a, record_status_update, objective_id=team.ids.obj3, period_id=team.ids.q1,
              data={"commentary": "not mine"})  # fmt: skip
    with open_store(team.pmo) as store, store.read() as session:
        row = session.exec(
            select(StatusUpdate).where(
                StatusUpdate.objective_id == team.ids.obj3, StatusUpdate.period_id == team.ids.q1
            )
        ).one()
    assert row.commentary != "not mine"


def test_milestones_follow_the_objective_or_the_owner(team):
    mine = write(team.lead_a, create_milestone, data={
        "objective_id": team.ids.obj1, "title": "Lead A's", "baseline_date": date(2024, 9, 1),
        "forecast_date": date(2024, 9, 1)})  # fmt: skip
    with pytest.raises(NotPermitted, match="not one of yours"):
        write(team.lead_a, create_milestone, data={
            "objective_id": team.ids.obj3, "title": "On B's objective", "baseline_date": date(2024, 9, 1),
            "forecast_date": date(2024, 9, 1)})  # fmt: skip
    # lead B gives a milestone on their objective to lead A's person: A may then change it
    theirs = write(team.lead_b, create_milestone, data={
        "objective_id": team.ids.obj3, "title": "Owned by A", "owner_id": team.ids.lead,
        "baseline_date": date(2024, 9, 1), "forecast_date": date(2024, 9, 1)})  # fmt: skip
    write(team.lead_a, update_milestone, milestone_id=theirs.created[0], changes={"notes": "on it"})
    assert read(team.viewer, Milestone, theirs.created[0]).notes == "on it"
    # lead A cannot move their own milestone onto lead B's objective
    with pytest.raises(NotPermitted, match="not one of yours"):
        write(
            team.lead_a,
            update_milestone,
            milestone_id=mine.created[0],
            changes={"objective_id": team.ids.obj3},
        )
    assert read(team.pmo, Milestone, mine.created[0]).objective_id == team.ids.obj1


def test_a_viewer_and_a_lead_are_refused_what_they_may_not_do(team):
    with pytest.raises(NotPermitted, match="A viewer cannot"):
        write(
            team.viewer, record_status_update, objective_id=team.ids.obj1, period_id=team.ids.q2, data=GREEN
        )
    with pytest.raises(NotPermitted, match="Only the PMO can add an inspection"):
        write(team.lead_a, create_inspection, data={"body": "HMICFRS", "title": "Mine"})


def test_a_closed_periods_updates_are_refused_to_the_lead_until_the_pmo_reopens(team):
    pmo = Actor("PMO analyst", Source.APP)
    write(team.pmo, close_period, actor=pmo, period_id=team.ids.q1)
    try:
        with pytest.raises(ClosedPeriod):
            write(team.lead_a, record_status_update, objective_id=team.ids.obj1, period_id=team.ids.q1,
                  data={"commentary": "late"})  # fmt: skip
    finally:
        write(team.pmo, reopen_period, actor=pmo, period_id=team.ids.q1, reason="a late correction")
    write(team.lead_a, record_status_update, objective_id=team.ids.obj1, period_id=team.ids.q1,
          data={"commentary": "late"})  # fmt: skip


def test_many_logins_appending_at_once_form_one_verifiable_chain(team):
    """Four connections, each a different login or session, write at once; the chain stays whole."""
    who = [
        (team.pmo, team.ids.obj2),
        (team.lead_a, team.ids.obj1),
        (team.lead_b, team.ids.obj3),
        (team.pmo, team.ids.obj1),
    ]
    start = threading.Barrier(len(who))
    failures: list[BaseException] = []

    def run(url: str, objective_id: str) -> None:
        try:
            with open_store(url) as store:
                for n in range(5):
                    with store.write() as session:
                        if n == 0:
                            start.wait()
                        create_milestone(session, actor=CLAIMS_PMO, data={
                            "objective_id": objective_id, "title": f"Concurrent {n}",
                            "baseline_date": date(2024, 9, 1), "forecast_date": date(2024, 9, 1)})  # fmt: skip
        except BaseException as exc:  # reported below, in the test's thread
            failures.append(exc)
            start.abort()

    threads = [threading.Thread(target=run, args=args) for args in who]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    with open_store(team.admin) as store, store.read() as session:
        assert verify_chain(session) == []
        titles = len(
            session.exec(select(Milestone.id).where(col(Milestone.title).like("Concurrent %"))).all()
        )
    assert titles == 20


def test_a_save_over_a_change_committed_since_the_row_was_loaded_is_refused(team):
    """Read committed: the row this transaction loaded can be saved over by another login meanwhile;
    the revision check must see that save, not the copy in hand, or it is silently overwritten."""
    made = write(team.pmo, create_milestone, data={"objective_id": team.ids.obj1, "title": "Raced",
                                                   "baseline_date": date(2024, 9, 30)})  # fmt: skip
    (milestone_id,) = made.created
    with open_store(team.pmo) as mine, open_store(team.lead_a) as theirs, mine.write() as session:
        loaded = session.get(Milestone, milestone_id)  # loaded in this transaction, and kept
        revision = loaded.revision
        with theirs.write() as other:  # the lead saves meanwhile, and commits
            update_milestone(other, actor=CLAIMS_PMO, milestone_id=milestone_id,
                             changes={"notes": "the lead's"}, expected_revision=revision)  # fmt: skip
        with pytest.raises(ConflictError, match=f"changed by {team.logins.lead_a}"):
            update_milestone(session, actor=CLAIMS_PMO, milestone_id=milestone_id,
                             changes={"notes": "the PMO's"}, expected_revision=revision)  # fmt: skip
    row = read(team.pmo, Milestone, milestone_id)
    assert (row.notes, row.revision) == ("the lead's", revision + 1)
