"""The shared UI context: writes through services, broadcast once, undo and redo through the audit log."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.builders import small_plan
from tracker.models import AuditEntry, Kind, Milestone
from tracker.services import ValidationError, create_milestone
from ui.context import AppContext, Identity, ReadOnly


@pytest.fixture
def ctx(qapp, store, actor):  # type: ignore[no-untyped-def]
    ids = small_plan(store, actor)
    context = AppContext(store, Identity("Programme Manager", role="PMO"))
    context.ids = ids  # type: ignore[attr-defined]
    return context


def live_milestones(ctx: AppContext) -> list[str]:
    with ctx.read() as s:
        return list(s.execute(select(Milestone.title).where(Milestone.deleted.is_(False))).scalars())  # type: ignore[attr-defined]


def audit_count(ctx: AppContext) -> int:
    with ctx.read() as s:
        return s.execute(select(func.count()).select_from(AuditEntry)).scalar_one()


def add(ctx: AppContext, title: str = "Business case approved") -> object:
    return ctx.apply(
        create_milestone,
        data={"objective_id": ctx.ids.obj1, "title": title, "baseline_date": date(2024, 9, 30)},  # type: ignore[attr-defined]
    )


def test_apply_commits_broadcasts_and_records_who(ctx: AppContext, qtbot) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(ctx.changed) as got:
        changes = add(ctx)
    assert got.args == [changes] and changes.touches(Kind.MILESTONE)
    assert live_milestones(ctx) == ["Business case approved"]
    with ctx.read() as s:
        actor = s.execute(select(AuditEntry.actor, AuditEntry.source).order_by(AuditEntry.seq.desc())).first()  # type: ignore[attr-defined]
    assert tuple(actor) == ("Programme Manager", "app")
    assert ctx.can_undo() and not ctx.can_redo() and ctx.undo_text() != ""


def test_undo_then_redo_restores_each_state(ctx: AppContext, qtbot) -> None:  # type: ignore[no-untyped-def]
    add(ctx)
    with qtbot.waitSignal(ctx.undo_state_changed):
        ctx.undo()
    assert live_milestones(ctx) == [] and ctx.can_redo() and not ctx.can_undo()
    ctx.redo()
    assert live_milestones(ctx) == ["Business case approved"] and ctx.can_undo() and not ctx.can_redo()
    ctx.undo()
    assert live_milestones(ctx) == []


def test_a_new_edit_clears_redo(ctx: AppContext) -> None:
    add(ctx)
    ctx.undo()
    add(ctx, "Supplier chosen")
    assert not ctx.can_redo()


def test_refused_write_changes_nothing_and_stacks_nothing(ctx: AppContext, qtbot) -> None:  # type: ignore[no-untyped-def]
    before = audit_count(ctx)
    with qtbot.assertNotEmitted(ctx.changed), pytest.raises(ValidationError):
        add(ctx, "")
    assert audit_count(ctx) == before and not ctx.can_undo()


def test_read_only_refuses_every_write(store, actor, qapp) -> None:  # type: ignore[no-untyped-def]
    ids = small_plan(store, actor)
    ctx = AppContext(store, Identity("Chief Constable"), read_only=True)
    with pytest.raises(ReadOnly):
        ctx.apply(
            create_milestone,
            data={"objective_id": ids.obj1, "title": "x", "baseline_date": date(2024, 9, 30)},
        )
    assert not ctx.can_undo()
