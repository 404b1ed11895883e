"""The shared UI context: writes through services, broadcast once, undo and redo through the audit log."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.builders import small_plan
from tests.gui.helpers import succeeded, written
from tracker.models import AuditEntry, Kind, Milestone
from tracker.services import Changes, ValidationError, create_milestone
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


def add(ctx: AppContext, title: str = "Business case approved") -> Changes:
    return written(
        ctx,
        create_milestone,
        data={"objective_id": ctx.ids.obj1, "title": title, "baseline_date": date(2024, 9, 30)},  # type: ignore[attr-defined]
    )


def test_a_write_commits_broadcasts_and_records_who(ctx: AppContext, qtbot) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(ctx.changed) as got:
        changes = add(ctx)
    assert got.args == [changes, None] and changes.touches(Kind.MILESTONE)
    assert live_milestones(ctx) == ["Business case approved"]
    with ctx.read() as s:
        actor = s.execute(select(AuditEntry.actor, AuditEntry.source).order_by(AuditEntry.seq.desc())).first()  # type: ignore[attr-defined]
    assert tuple(actor) == ("Programme Manager", "app")
    assert ctx.can_undo() and not ctx.can_redo() and ctx.undo_text() != ""


def test_undo_then_redo_restores_each_state(ctx: AppContext, qtbot) -> None:  # type: ignore[no-untyped-def]
    add(ctx)
    with qtbot.waitSignal(ctx.undo_state_changed):
        assert succeeded(ctx.undo())
    assert live_milestones(ctx) == [] and ctx.can_redo() and not ctx.can_undo()
    assert succeeded(ctx.redo())
    assert live_milestones(ctx) == ["Business case approved"] and ctx.can_undo() and not ctx.can_redo()
    assert succeeded(ctx.undo())
    assert live_milestones(ctx) == []


def test_a_new_edit_clears_redo(ctx: AppContext) -> None:
    add(ctx)
    assert succeeded(ctx.undo())
    add(ctx, "Supplier chosen")
    assert not ctx.can_redo()


def test_a_write_waits_its_turn_and_the_ui_is_told_the_view_that_asked(ctx: AppContext, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = object()
    seen: list[object] = []
    ctx.changed.connect(lambda _changes, initiator: seen.append(initiator))
    first = ctx.write(create_milestone, data={"objective_id": ctx.ids.obj1, "title": "One",  # type: ignore[attr-defined]
                                              "baseline_date": date(2024, 9, 30)}).run(initiator=view)  # fmt: skip
    second = ctx.write(create_milestone, data={"objective_id": ctx.ids.obj1, "title": "Two",  # type: ignore[attr-defined]
                                               "baseline_date": date(2024, 9, 30)}).run()  # fmt: skip
    assert not first.done  # it runs on the write lane: the caller goes on at once
    assert succeeded(first) and succeeded(second)
    assert seen == [view, None] and live_milestones(ctx) == ["One", "Two"]


def test_refused_write_changes_nothing_and_stacks_nothing(ctx: AppContext, qtbot) -> None:  # type: ignore[no-untyped-def]
    before = audit_count(ctx)
    refused: list[Exception] = []
    with qtbot.assertNotEmitted(ctx.changed):
        task = ctx.write(create_milestone, data={"objective_id": ctx.ids.obj1, "title": "",  # type: ignore[attr-defined]
                                                 "baseline_date": date(2024, 9, 30)}).failure(refused.append).run()  # fmt: skip
        assert not succeeded(task)
    assert len(refused) == 1 and isinstance(refused[0], ValidationError)
    assert audit_count(ctx) == before and not ctx.can_undo()


def test_read_only_refuses_every_write(store, actor, qapp) -> None:  # type: ignore[no-untyped-def]
    ids = small_plan(store, actor)
    ctx = AppContext(store, Identity("Chief Constable"), read_only=True)
    with pytest.raises(ReadOnly):
        ctx.write(
            create_milestone,
            data={"objective_id": ids.obj1, "title": "x", "baseline_date": date(2024, 9, 30)},
        )
    assert not ctx.can_undo()
