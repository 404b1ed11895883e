"""Offline replicas of a team plan (issue 15): two leads and the PMO edit offline and sync in every order."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import date, timedelta

import pytest
from sqlmodel import select

from tests.sync_helpers import ME, chain_ok, rows_of, synced_team
from tests.team_server import raw
from tracker.audit import decode
from tracker.cli import main
from tracker.enums import ConflictReason, ConflictState
from tracker.errors import ClosedPeriod, NotPermitted
from tracker.models import AuditEntry, Milestone, Objective, Outbox, Risk, StatusUpdate, SyncConflict
from tracker.services import (
    base,
    close_period,
    create_objective,
    delete_milestone,
    delete_risk,
    record_status_update,
    reopen_period,
    resolve_conflict,
    update_milestone,
    update_objective,
    update_risk,
)
from tracker.store import open_store
from tracker.sync import run
from tracker.sync.replica import SyncError, create_replica
from tracker.sync.run import sync_file

pytestmark = pytest.mark.postgres


def edit(path, service, **kwargs):
    with open_store(path) as store, store.write() as session:
        return service(session, actor=ME, **kwargs)


def get(path, cls, row_id):
    with open_store(path, readonly=True) as store, store.read() as session:
        return session.get(cls, row_id)


def all_rows(path, cls):
    with open_store(path, readonly=True) as store, store.read() as session:
        return list(session.exec(select(cls)))


def agree(s) -> None:
    """Every replica holds what the server holds, row for row; every log verifies."""
    server = rows_of(s.t.pmo)
    for who, path in s.files.items():
        assert rows_of(path) == server, who
        assert chain_ok(path), who
    assert chain_ok(s.t.pmo)


def test_an_offline_change_waits_in_the_outbox_then_reaches_the_team_plan(tmp_path):
    with synced_team(tmp_path) as s:
        edit(s.files["lead_a"], update_milestone, milestone_id=s.m_a, changes={"notes": "Vendor chosen"})
        waiting = all_rows(s.files["lead_a"], Outbox)
        assert [(o.kind, o.row_id, o.action) for o in waiting] == [("milestone", s.m_a, "update")]
        assert get(s.t.pmo, Milestone, s.m_a).notes == ""  # offline: nothing sent yet
        report = sync_file(s.files["lead_a"])
        assert report.outcomes == {"applied": 1}
        assert get(s.t.pmo, Milestone, s.m_a).notes == "Vendor chosen"
        assert all_rows(s.files["lead_a"], Outbox) == []
        for who in ("pmo", "lead_b"):
            sync_file(s.files[who])
        agree(s)
        with open_store(s.t.pmo, readonly=True) as store, store.read() as session:
            entry = session.exec(
                select(AuditEntry).where(AuditEntry.entity_id == s.m_a, AuditEntry.field == "notes")
            ).one()
        assert entry.source == "sync" and "replica" in entry.detail


@pytest.mark.parametrize("order", list(itertools.permutations(["pmo", "lead_a", "lead_b"])))
def test_different_fields_merge_and_the_same_field_conflicts_in_any_order(tmp_path, order):
    with synced_team(tmp_path) as s:
        edit(s.files["pmo"], update_milestone, milestone_id=s.m_a,
             changes={"title": "Milestone a (renamed)", "notes": "PMO says"})  # fmt: skip
        edit(s.files["lead_a"], update_milestone, milestone_id=s.m_a,
             changes={"forecast_date": date(2024, 10, 31), "notes": "Lead says"})  # fmt: skip
        edit(s.files["lead_b"], update_milestone, milestone_id=s.m_b, changes={"notes": "B's own"})
        for who in order:
            sync_file(s.files[who])
        for who in order:  # a second round brings everyone what the later ones sent
            sync_file(s.files[who])
        m = get(s.t.pmo, Milestone, s.m_a)
        assert m.title == "Milestone a (renamed)" and m.forecast_date == date(2024, 10, 31)
        assert get(s.t.pmo, Milestone, s.m_b).notes == "B's own"
        conflicts = all_rows(s.t.pmo, SyncConflict)
        assert [(c.item_id, c.field, c.reason) for c in conflicts] == [
            (s.m_a, "notes", ConflictReason.SAME_FIELD)
        ]
        first, second = sorted(["pmo", "lead_a"], key=order.index)
        said = {"pmo": "PMO says", "lead_a": "Lead says"}
        (c,) = conflicts
        assert (
            m.notes == said[first]
        )  # the first to sync is current; the second's value is kept in the conflict
        assert (decode(c.base), decode(c.mine), decode(c.theirs)) == ("", said[second], said[first])
        agree(s)


def sync_all(s, *order):
    for who in order or ("pmo", "lead_a", "lead_b"):
        sync_file(s.files[who])


def pmo_writes(s, service, **kwargs):
    """A change made on the team plan itself (the PMO at the office, connected)."""
    with open_store(s.t.pmo) as store, store.write() as session:
        return service(session, actor=ME, **kwargs)


def test_a_removal_against_an_edit_is_a_conflict_both_ways_never_delete_wins(tmp_path):
    with synced_team(tmp_path) as s:
        edit(s.files["lead_a"], delete_risk, risk_id=s.r_a)  # removed offline ...
        pmo_writes(s, update_risk, risk_id=s.r_a, changes={"title": "Risk a, reworded"})  # ... changed there
        edit(s.files["lead_a"], update_milestone, milestone_id=s.m_a, changes={"notes": "Still going"})
        pmo_writes(s, delete_milestone, milestone_id=s.m_a)  # changed offline, removed there
        report = sync_file(s.files["lead_a"])
        assert report.outcomes == {"conflict": 2}
        assert get(s.t.pmo, Risk, s.r_a).deleted is False  # the removal waits for a person
        assert get(s.t.pmo, Risk, s.r_a).title == "Risk a, reworded"
        assert get(s.t.pmo, Milestone, s.m_a).deleted is True  # the edit waits too
        reasons = {(c.item_id, c.reason) for c in all_rows(s.t.pmo, SyncConflict)}
        assert reasons == {(s.r_a, ConflictReason.CHANGED_THERE), (s.m_a, ConflictReason.REMOVED_THERE)}
        sync_all(s)
        agree(s)
        # the lead keeps their edit: the milestone comes back with it, on the server after a sync
        (c,) = [c for c in all_rows(s.files["lead_a"], SyncConflict) if c.item_id == s.m_a]
        edit(s.files["lead_a"], resolve_conflict, conflict_id=c.id, choice="mine")
        sync_all(s, "lead_a", "pmo", "lead_b")
        m = get(s.t.pmo, Milestone, s.m_a)
        assert (m.deleted, m.notes) == (False, "Still going")
        assert get(s.t.pmo, SyncConflict, c.id).state == ConflictState.KEPT_MINE
        agree(s)


def test_a_change_to_a_period_closed_meanwhile_is_a_late_submission_for_the_pmo(tmp_path):
    with synced_team(tmp_path) as s:
        amber = {"lifecycle": "in progress", "rag": "amber", "rationale": "Supplier late"}
        edit(s.files["lead_a"], record_status_update, objective_id=s.ids.obj1, period_id=s.ids.q1, data=amber)
        pmo_writes(s, close_period, period_id=s.ids.q1)
        report = sync_file(s.files["lead_a"])
        assert report.outcomes == {"conflict": 2}  # the status update, and the objective's current status
        late = [c for c in all_rows(s.t.pmo, SyncConflict) if c.reason == ConflictReason.LATE]
        assert {c.period_id for c in late} == {s.ids.q1} and len(late) == 2
        with open_store(s.t.pmo, readonly=True) as store, store.read() as session:
            q1_status = session.exec(select(StatusUpdate).where(StatusUpdate.objective_id == s.ids.obj1,
                                                                StatusUpdate.period_id == s.ids.q1)).one()  # fmt: skip
        assert q1_status.rag == "green"  # as reported when the period closed
        # a lead may not decide a late submission; the PMO accepts it only into a reopened period
        with pytest.raises(NotPermitted):
            edit(s.files["lead_a"], resolve_conflict, conflict_id=late[0].id, choice="accept")
        with pytest.raises(ClosedPeriod):
            pmo_writes(s, resolve_conflict, conflict_id=late[0].id, choice="accept")
        pmo_writes(s, reopen_period, period_id=s.ids.q1, reason="Late return from the Head of Intelligence")
        for c in late:
            pmo_writes(s, resolve_conflict, conflict_id=c.id, choice="accept")
        assert get(s.t.pmo, StatusUpdate, q1_status.id).rag == "amber"
        sync_all(s)
        told = {c.state for c in all_rows(s.files["lead_a"], SyncConflict)}
        assert told == {ConflictState.ACCEPTED}  # the lead sees which
        agree(s)


def test_a_change_the_login_may_no_longer_make_is_refused_listed_and_kept(tmp_path):
    with synced_team(tmp_path) as s:
        edit(s.files["lead_b"], update_milestone, milestone_id=s.m_b, changes={"notes": "B was here"})
        # meanwhile the PMO hands objective 3 and its milestone to someone else
        pmo_writes(s, update_objective, objective_id=s.ids.obj3, changes={"lead_id": s.ids.spare})
        pmo_writes(s, update_milestone, milestone_id=s.m_b, changes={"owner_id": s.ids.spare})
        report = sync_file(s.files["lead_b"])
        assert report.outcomes == {"refused": 1}
        assert "not one of yours" in report.refused[0]
        assert get(s.t.pmo, Milestone, s.m_b).notes == ""
        (kept,) = all_rows(s.files["lead_b"], Outbox)
        assert (kept.state, kept.row_id) == ("refused", s.m_b) and "not one of yours" in kept.message
        assert "B was here" in kept.fields  # what the lead typed is still there to see
        assert get(s.files["lead_b"], Milestone, s.m_b).notes == ""  # the row follows the team plan
        sync_all(s)
        agree(s)


def test_a_lead_cannot_reach_past_the_server_by_writing_the_outbox_by_hand(tmp_path):
    """The replica's own checks are a courtesy: an operation forged in the file is refused by the server."""
    with synced_team(tmp_path) as s:
        edit(s.files["lead_a"], update_milestone, milestone_id=s.m_a, changes={"notes": "mine"})
        with open_store(s.files["lead_a"]) as store, store.write() as session:
            op = session.exec(select(Outbox)).one()
            op.row_id = s.m_b  # lead B's milestone
            session.add(op)
        report = sync_file(s.files["lead_a"])
        assert report.outcomes == {"refused": 1}
        assert get(s.t.pmo, Milestone, s.m_b).notes == ""


def test_codes_made_on_two_replicas_at_once_are_both_kept_and_flagged(tmp_path):
    with synced_team(tmp_path) as s:
        other = tmp_path / "pmo2.db"
        create_replica(s.t.pmo, other)
        s.files["pmo2"] = other
        made = {}
        for who in ("pmo", "pmo2"):
            c = edit(s.files[who], create_objective, outcome_id=s.ids.outcome,
                     data={"ref": "SER-01.04", "title": f"New objective from {who}", "lead_id": s.ids.lead})  # fmt: skip
            made[who] = c.created[0]
        sync_all(s, "pmo", "pmo2")
        refs = {get(s.t.pmo, Objective, made[w]).ref for w in made}
        assert refs == {"SER-01.04", "SER-01.04~2"}
        (c,) = all_rows(s.t.pmo, SyncConflict)
        assert (c.reason, c.item_id, c.field) == (ConflictReason.CODE_TAKEN, made["pmo2"], "ref")
        sync_all(s, "pmo", "pmo2", "lead_a", "lead_b")
        agree(s)


def test_a_replica_newer_than_the_team_plan_is_refused_and_its_outbox_left_untouched(tmp_path):
    with synced_team(tmp_path) as s:
        edit(s.files["lead_a"], update_milestone, milestone_id=s.m_a, changes={"notes": "waiting"})
        before = [o.model_dump() for o in all_rows(s.files["lead_a"], Outbox)]
        raw(s.t.admin, "UPDATE alembic_version SET version_num = '0006'")
        with pytest.raises(SyncError, match="newer than the team plan"):
            sync_file(s.files["lead_a"])
        assert [o.model_dump() for o in all_rows(s.files["lead_a"], Outbox)] == before
        assert raw(s.t.admin, "SELECT 1 FROM milestone WHERE notes = ''") == 2  # nothing was sent


def test_changes_made_under_an_older_schema_are_carried_forward_before_they_are_sent(tmp_path, monkeypatch):
    with synced_team(tmp_path) as s:
        edit(s.files["lead_a"], update_milestone, milestone_id=s.m_a, changes={"notes": "old words"})
        with open_store(s.files["lead_a"]) as store, store.write() as session:
            op = session.exec(select(Outbox)).one()
            op.schema_version = "0006"  # as an older app wrote it
            session.add(op)

        def step(op):  # a later migration's step: here, one that rewrites the notes field
            fields = {k: [old, new.replace("old", "new") if k == "notes" and new else new]
                      for k, (old, new) in op.fields.items()}  # fmt: skip
            return dataclasses.replace(op, fields=fields)

        monkeypatch.setitem(run.OP_UPGRADES, "0007", step)
        sync_file(s.files["lead_a"])
        assert get(s.t.pmo, Milestone, s.m_a).notes == '"new words"'.strip('"')


@pytest.mark.parametrize("skew", [timedelta(days=-1), timedelta(days=365)])
def test_a_laptop_clock_a_day_back_or_a_year_ahead_changes_no_outcome(tmp_path, monkeypatch, skew):
    with synced_team(tmp_path) as s:
        real = base.utcnow
        monkeypatch.setattr(base, "utcnow", lambda: real() + skew)  # the laptops' clocks only
        edit(s.files["pmo"], update_milestone, milestone_id=s.m_a, changes={"notes": "PMO says"})
        edit(s.files["lead_a"], update_milestone, milestone_id=s.m_a,
             changes={"notes": "Lead says", "forecast_date": date(2024, 10, 31)})  # fmt: skip
        edit(s.files["lead_a"], delete_risk, risk_id=s.r_a)
        monkeypatch.setattr(base, "utcnow", real)
        pmo_writes(s, update_risk, risk_id=s.r_a, changes={"title": "Risk a, reworded"})
        sync_all(s, "lead_a", "pmo", "lead_b")
        sync_all(s)
        m = get(s.t.pmo, Milestone, s.m_a)
        assert (m.notes, m.forecast_date) == ("Lead says", date(2024, 10, 31))  # the first to sync is current
        got = {(c.item_id, c.field, c.reason) for c in all_rows(s.t.pmo, SyncConflict)}
        assert got == {(s.m_a, "notes", ConflictReason.SAME_FIELD), (s.r_a, "", ConflictReason.CHANGED_THERE)}
        agree(s)


def test_what_only_the_server_refuses_is_refused_alone_and_the_rest_taken(tmp_path):
    """A lead may write their objective's current status but not its title (a column grant): an operation
    the replica's own checks let through is refused by the server, and the others still go."""
    with synced_team(tmp_path) as s:
        edit(s.files["lead_a"], update_milestone, milestone_id=s.m_a, changes={"notes": "taken"})
        with open_store(s.files["lead_a"]) as store, store.write() as session:
            session.add(Outbox(op_id="forged-title", txn="forged", kind="objective", row_id=s.ids.obj1,
                               action="update", base_revision=None, fields='{"title":["\\"Objective number 1\\"","\\"Mine now\\""]}',
                               login="forged"))  # fmt: skip
        report = sync_file(s.files["lead_a"])
        assert report.outcomes == {"applied": 1, "refused": 1}
        assert "permission denied" in report.refused[0]
        assert get(s.t.pmo, Milestone, s.m_a).notes == "taken"
        assert get(s.t.pmo, Objective, s.ids.obj1).title == "Objective number 1"
        sync_all(s)
        agree(s)


def test_the_command_line_takes_a_replica_syncs_it_and_settles_a_conflict(tmp_path, capsys):
    with synced_team(tmp_path) as s:
        offline = tmp_path / "plan-offline.db"
        assert main(["replica", "create", "--from", s.t.lead_a, "--out", str(offline)]) == 0
        assert "as " + s.t.logins.lead_a in capsys.readouterr().out
        assert (
            main(["replica", "create", "--from", s.t.lead_a, "--out", str(offline)]) == 2
        )  # never over a file
        assert "already exists" in capsys.readouterr().err
        edit(offline, update_milestone, milestone_id=s.m_a, changes={"notes": "Contract signed"})
        pmo_writes(s, update_milestone, milestone_id=s.m_a, changes={"notes": "Awaiting legal"})
        assert main(["sync", str(offline)]) == 0
        out = capsys.readouterr().out
        assert "Sent 1 change(s) (1 conflict)" in out and "conflicts --db" in out
        assert main(["conflicts", "--db", str(offline)]) == 0
        listed = capsys.readouterr().out
        assert (
            "changed on both sides" in listed and "Contract signed" in listed and "Awaiting legal" in listed
        )
        (c,) = all_rows(offline, SyncConflict)
        assert main(["conflicts", "--db", str(offline), "--resolve", c.id[:8], "--choose", "mine"]) == 0
        assert main(["sync", str(offline)]) == 0
        assert get(s.t.pmo, Milestone, s.m_a).notes == "Contract signed"
        assert main(["sync", str(tmp_path / "nothing.db")]) == 2
        assert "no replica at" in capsys.readouterr().err
