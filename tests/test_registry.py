"""The entity registry: every kind of item has every part that applies to it, and the parts work."""

from __future__ import annotations

import inspect

import pytest

import tracker.services as services
from tests.builders import get, small_plan
from tracker.models import ENTITIES, Kind, Person
from tracker.services.base import unit_of_work
from tracker.services.holdings import HELD, held_counts, in_words
from tracker.services.registry import REGISTRY, Entity, entity
from tracker.workbooks.returns_layout import SHEET_BY_KIND

REGISTERS = [e for e in REGISTRY.values() if e.delete is not None]


def test_every_kind_is_registered_once_with_its_table_and_words() -> None:
    assert set(REGISTRY) == set(Kind)
    for kind, e in REGISTRY.items():
        assert e.kind is kind and e.table is ENTITIES[kind]
        assert e.noun and e.nouns and e.id_arg.endswith("_id")
        if e.name_field is not None:
            assert e.name_field in e.table.__table__.c  # type: ignore[attr-defined]


@pytest.mark.parametrize("e", REGISTERS, ids=lambda e: e.kind.value)
def test_a_kind_that_can_be_removed_can_be_added_changed_and_restored(e: Entity) -> None:
    for part in (e.create, e.update, e.delete, e.restore):
        assert part is not None
    for service in (e.update, e.delete, e.restore):
        assert e.id_arg in inspect.signature(service).parameters, (service, e.id_arg)


def test_every_public_write_service_is_declared_in_the_registry() -> None:
    declared = {
        part
        for e in REGISTRY.values()
        for part in (e.create, e.update, e.delete, e.restore)
        if part is not None
    }
    verbs = ("create_", "update_", "delete_", "restore_", "add_", "open_")
    public = {getattr(services, name) for name in services.__all__ if name.startswith(verbs)}
    public -= {services.restore_deleted}  # undo's entry point, which the registry serves
    missing = sorted(f.__name__ for f in public - declared)
    assert not missing, f"write services no entity declares: {missing}"


def test_every_kind_a_return_carries_has_a_writer() -> None:
    for kind in SHEET_BY_KIND:
        e = entity(kind)
        assert e.write_return is not None, kind
    carried = {e.kind for e in REGISTRY.values() if e.write_return is not None}
    assert carried == set(SHEET_BY_KIND)


def test_every_holding_names_a_person_column_and_every_link_a_link_table() -> None:
    for e, holding in HELD:
        column = e.table.__table__.c[holding.field]  # type: ignore[attr-defined]
        assert {fk.column.table.name for fk in column.foreign_keys} == {"person"}
    for e in REGISTRY.values():
        for link in e.links:
            via = ENTITIES[link.via].__table__  # type: ignore[attr-defined]
            assert {fk.column.table.name for fk in via.c[link.field].foreign_keys} == {link.target.value}
            assert f"{e.kind.value}_id" in via.c


def test_reload_kinds_are_kinds() -> None:
    for e in REGISTRY.values():
        assert all(isinstance(k, Kind) for k in e.reload_on) and e.kind in e.reload_on


# ---------------------------------------------------------------------------------------------- the parts at work


def test_each_register_removes_and_restores_through_the_registry(store, actor) -> None:  # type: ignore[no-untyped-def]
    ids = small_plan(store, actor)
    made = {}
    with store.write() as s:
        made[Kind.MILESTONE] = services.create_milestone(
            s, actor=actor, data={"objective_id": ids.obj1, "title": "Vet staff",
                                  "baseline_date": "2024-09-30"},
        ).created[-1]  # fmt: skip
        made[Kind.RISK] = services.create_risk(
            s, actor=actor, data={"objective_id": ids.obj1, "title": "Staff leave", **_scores()}
        ).created[-1]
        made[Kind.RECOMMENDATION] = services.create_recommendation(
            s, actor=actor, data={"inspection_id": ids.inspection, "kind": "recommendation", "ref": "R1",
                                  "text": "Improve"},
        ).created[-1]  # fmt: skip
        made[Kind.PROGRESS_NOTE] = services.add_progress_note(
            s, actor=actor, recommendation_id=made[Kind.RECOMMENDATION],
            data={"note_date": "2024-07-01", "text": "Started"},
        ).created[-1]  # fmt: skip
        made[Kind.BOARD] = services.create_board(s, actor=actor, data={"name": "Ethics Board"}).created[-1]
    made[Kind.INSPECTION] = ids.inspection
    made[Kind.PERSON] = ids.spare
    assert set(made) == {e.kind for e in REGISTERS}
    for kind, item_id in made.items():
        e = REGISTRY[kind]
        with store.write() as s:
            e.delete(s, actor=actor, **{e.id_arg: item_id})  # type: ignore[misc]
        assert get(store, e.table, item_id).deleted
        with store.write() as s:
            restored = e.restore_item(s, actor=actor, item_id=item_id)
        assert not get(store, e.table, item_id).deleted and item_id in restored.ids


def test_a_kind_without_a_restore_service_is_restored_plainly(store, actor) -> None:  # type: ignore[no-untyped-def]
    ids = small_plan(store, actor)
    report = REGISTRY[Kind.PERIOD_REPORT]
    assert report.restore is None
    with store.write() as s:
        made = services.record_period_report(
            s, actor=actor, period_id=ids.q1, data={"key_messages": "On track"}
        )
        report_id = made.created[-1]
    with store.write() as s:
        uow = unit_of_work(s, actor)
        uow.delete(uow.get(report.table, report_id))
        uow.changes()
    with store.write() as s:
        changes = report.restore_item(s, actor=actor, item_id=report_id)
    assert changes.summary == "Restored a period report"
    with store.write() as s:
        again = report.restore_item(s, actor=actor, item_id=report_id)
    assert again.summary.endswith("is not deleted") and not again


def test_what_a_person_holds_is_counted_by_one_rule(store, actor) -> None:  # type: ignore[no-untyped-def]
    ids = small_plan(store, actor)
    with store.write() as s:
        services.create_milestone(
            s, actor=actor, data={"objective_id": ids.obj1, "title": "Done", "owner_id": ids.lead,
                                  "baseline_date": "2024-05-01", "completed_date": "2024-05-01"},
        )  # fmt: skip
        services.create_risk(
            s, actor=actor, data={"objective_id": ids.obj1, "title": "Open", "owner_id": ids.lead,
                                  **_scores()},
        )  # fmt: skip
    with store.read() as s:
        counts = held_counts(s, ids.lead)
    assert in_words(counts) == "lead 3 objectives and own 1 open risk"  # the completed milestone is not held
    with (
        pytest.raises(services.ValidationError, match="they lead 3 objectives and own 1 open risk"),
        store.write() as s,
    ):
        services.delete_person(s, actor=actor, person_id=ids.lead)
    assert not get(store, Person, ids.lead).deleted


def _scores() -> dict[str, int]:
    return {f"{w}_{x}": 3 for w in ("inherent", "residual", "target") for x in ("likelihood", "impact")}
