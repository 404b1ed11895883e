"""Offline replicas of a team plan (issue 15): two leads and the PMO edit offline and sync in every order."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from sqlmodel import select

from tests.sync_helpers import ME, chain_ok, rows_of, synced_team
from tracker.audit import decode
from tracker.enums import ConflictReason
from tracker.models import AuditEntry, Milestone, Outbox, SyncConflict
from tracker.services import update_milestone
from tracker.store import open_store
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
