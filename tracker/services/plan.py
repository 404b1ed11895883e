"""The plan's settings: name, dates, frequency, marking, RAG definitions, risk appetite and bands, slip
tolerance. PMO only.

A closed period keeps the settings it was reported with (:func:`tracker.services.periods.close_period`
keeps them), so a change here applies from the current period on.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session

from tracker.db import Actor
from tracker.schemas import PlanSettingsIn
from tracker.services._common import as_changes, require_pmo, resolve_plan, update_from
from tracker.services.base import Changes, unit_of_work


def update_plan_settings(
    session: Session,
    *,
    actor: Actor,
    changes: Mapping[str, Any],
    plan_id: str | None = None,
    expected_revision: int | None = None,
) -> Changes:
    """Change some settings of the plan (the store's only plan when none is named)."""
    require_pmo(actor, "change the plan's settings")
    uow = unit_of_work(session, actor)
    plan = resolve_plan(uow, plan_id)
    changed = update_from(uow, plan, PlanSettingsIn, as_changes(changes), expected_revision=expected_revision)
    what = ", ".join(c.replace("_", " ") for c in changed) or "nothing"
    return uow.changes(f"Changed the plan's settings: {what}")
