"""A sync killed with SIGKILL at any point, then retried, ends as an uninterrupted sync would (issue 15):
nothing duplicated, nothing lost, every log verifying. Half the kills at the named points (before the
push, after the server committed, during the pull) and the rest at random moments, until 50 were killed."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import col, select

from tests.sync_helpers import ME, chain_ok, rows_of, synced_team
from tracker.audit import encode
from tracker.models import AuditEntry, Milestone, Outbox, SyncApplied
from tracker.services import create_milestone, update_milestone, update_risk
from tracker.store import open_store
from tracker.sync.run import sync_file

pytestmark = pytest.mark.postgres

KILLS = int(os.environ.get("TRACKER_SYNC_KILLS", "50"))  # at least this many syncs killed
POINTS = ("before-push", "after-push", "during-pull")
ROOT = Path(__file__).resolve().parent.parent


def _offline_edits(s, trial: int) -> dict[str, str]:
    words = {
        "notes": f"trial {trial} notes",
        "title": f"Risk a, trial {trial}",
        "new": f"New in trial {trial}",
    }
    with open_store(s.files["lead_a"]) as store, store.write() as session:
        update_milestone(session, actor=ME, milestone_id=s.m_a, changes={"notes": words["notes"]})
    with open_store(s.files["lead_a"]) as store, store.write() as session:
        update_risk(session, actor=ME, risk_id=s.r_a, changes={"title": words["title"]})
        create_milestone(session, actor=ME, data={"objective_id": s.ids.obj1, "title": words["new"],
                                                  "baseline_date": date(2024, 12, 31)})  # fmt: skip
    return words


def _killed_sync(path: Path, point: str, rng: random.Random) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = [sys.executable, "-m", "tests.sync_kill_driver", str(path), point]
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if point == "none":
        try:
            proc.wait(timeout=rng.uniform(0.3, 2.0))  # about a start-up and a sync: any moment of it
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
    _out, err = proc.communicate(timeout=120)
    if proc.returncode == -signal.SIGKILL:
        return "killed"
    assert proc.returncode == 0, err.decode()
    return "finished"


def test_a_sync_killed_anywhere_and_retried_ends_as_an_uninterrupted_one(tmp_path):
    rng = random.Random(int(os.environ.get("TRACKER_SYNC_KILL_SEED", "15")))
    fates: dict[str, int] = {}
    with synced_team(tmp_path) as s:
        killed = trial = 0
        while killed < KILLS and trial < 3 * KILLS:
            words = _offline_edits(s, trial)
            point = POINTS[trial % 3] if trial < KILLS // 2 else "none"
            fate = _killed_sync(s.files["lead_a"], point, rng)
            fates[f"{point}: {fate}"] = fates.get(f"{point}: {fate}", 0) + 1
            killed += fate == "killed"
            sync_file(s.files["lead_a"])  # the retry
            with open_store(s.t.pmo, readonly=True) as store, store.read() as session:
                assert session.get(Milestone, s.m_a).notes == words["notes"], (trial, point)
                made = session.exec(select(Milestone).where(Milestone.title == words["new"])).all()
                assert len(made) == 1, (trial, point)  # sent once, whatever the retries
                for value in (words["notes"], words["title"]):
                    entries = session.exec(
                        select(func.count())
                        .select_from(AuditEntry)
                        .where(col(AuditEntry.new) == encode(value))
                    ).one()
                    assert entries == 1, (trial, point, value)  # applied once
                applied = session.exec(select(func.count()).select_from(SyncApplied)).one()
            assert applied == 3 * (trial + 1)  # every operation recorded once
            with open_store(s.files["lead_a"], readonly=True) as store, store.read() as session:
                assert session.exec(select(Outbox)).all() == []
            assert rows_of(s.files["lead_a"]) == rows_of(s.t.pmo), (trial, point)
            trial += 1
        assert chain_ok(s.files["lead_a"]) and chain_ok(s.t.pmo)
    print(f"sync kills: {sorted(fates.items())}")
    assert killed >= KILLS, fates
