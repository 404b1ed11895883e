"""Offline replicas for tests: a team server with milestones, each login's replica, and comparisons."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select
from sqlmodel import SQLModel

from tests.team_server import team_server
from tracker.audit import verify_chain
from tracker.db import Actor
from tracker.enums import Role, Source
from tracker.models import ENTITIES, Kind
from tracker.services import create_milestone, create_risk
from tracker.store import open_store
from tracker.sync.replica import create_replica

PMO = Actor("PMO analyst", Source.APP, role=Role.PMO)
# on a replica the services act as the replica's login, whatever the client says about itself
ME = Actor("Whoever I am", Source.APP, role=Role.PMO)


@contextlib.contextmanager
def synced_team(tmp_path: Path) -> Iterator[SimpleNamespace]:
    """The team server of tests.team_server, with a milestone and a risk under objectives 1 (lead A's)
    and 3 (lead B's), and a replica for the PMO and each lead."""
    with team_server() as t:
        with open_store(t.pmo) as store, store.write() as session:
            made = {}
            for name, objective, owner in (("a", t.ids.obj1, t.ids.lead), ("b", t.ids.obj3, t.ids.owner)):
                c = create_milestone(session, actor=PMO, data={
                    "objective_id": objective, "title": f"Milestone {name}", "owner_id": owner,
                    "baseline_date": date(2024, 9, 30)})  # fmt: skip
                made[f"m_{name}"] = c.created[-1]
                c = create_risk(session, actor=PMO, data={
                    "objective_id": objective, "title": f"Risk {name}", "owner_id": owner,
                    "inherent_likelihood": 3, "inherent_impact": 3, "residual_likelihood": 3, "residual_impact": 3,
                    "target_likelihood": 2, "target_impact": 2})  # fmt: skip
                made[f"r_{name}"] = c.created[-1]
        files = {}
        for who in ("pmo", "lead_a", "lead_b"):
            files[who] = tmp_path / f"{who}.db"
            create_replica(getattr(t, who), files[who])
        yield SimpleNamespace(t=t, ids=t.ids, files=files, **made)


def rows_of(url_or_path: Any) -> dict[tuple[str, str], dict[str, Any]]:
    """Every audited row of a store, with its revision, author and time, keyed by (kind, id)."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    with open_store(url_or_path, readonly=True) as store, store.read() as session:
        for kind in Kind:
            table = ENTITIES[kind].__table__  # type: ignore[attr-defined]
            for row in session.execute(select(table)):
                values = row._asdict()
                out[(kind.value, values["id"])] = values
    return out


def chain_ok(url_or_path: Any) -> bool:
    with open_store(url_or_path, readonly=True) as store, store.engine.connect() as conn:
        return not verify_chain(conn)


def tables() -> list[str]:
    return sorted(SQLModel.metadata.tables)
