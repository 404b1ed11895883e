"""The inspections list behind the recommendation form's inspection choice, and live counts."""

from __future__ import annotations

from datetime import date

from tests.builders import small_plan
from tracker.models import Kind
from tracker.queries import inspections, live_count
from tracker.services import create_inspection, delete_inspection


def test_inspections_lists_live_ones_newest_first(any_store, actor) -> None:  # type: ignore[no-untyped-def]
    ids = small_plan(any_store, actor)
    with any_store.write() as s:
        newer = create_inspection(
            s, actor=actor, data={"body": "IPCO", "title": "Later look", "published_date": date(2025, 1, 5)}
        ).created[0]
    with any_store.write() as s:  # one transaction shares one unit of work, and its created list
        gone = create_inspection(s, actor=actor, data={"body": "other", "title": "Withdrawn"}).created[0]
    with any_store.write() as s:
        delete_inspection(s, actor=actor, inspection_id=gone)
    with any_store.read() as s:
        rows = inspections(s)
    assert [r.id for r in rows] == [newer, ids.inspection]
    assert rows[0].body == "IPCO" and rows[1].grade == "Adequate"


def test_live_count_leaves_out_deleted_rows(any_store, actor) -> None:  # type: ignore[no-untyped-def]
    small_plan(any_store, actor)
    with any_store.write() as s:
        gone = create_inspection(s, actor=actor, data={"body": "other", "title": "Withdrawn"}).created[0]
    with any_store.read() as s:
        assert live_count(s, Kind.INSPECTION) == 2 and live_count(s, Kind.OBJECTIVE) == 3
    with any_store.write() as s:
        delete_inspection(s, actor=actor, inspection_id=gone)
    with any_store.read() as s:
        assert live_count(s, Kind.INSPECTION) == 1 and live_count(s, Kind.MILESTONE) == 0
