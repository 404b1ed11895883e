"""The plan tree: themes, outcomes and objectives in plan order with status, movement and roll-ups."""

from __future__ import annotations

from datetime import date

import pytest

from tests.query_builders import built  # noqa: F401 - fixture
from tracker import queries as q
from tracker.enums import Brag, Movement
from tracker.errors import NotFound
from tracker.models import Plan, Theme
from tracker.services.base import unit_of_work

C = q.BragCounts
IMP, DET, UNCH, NEW = Movement.IMPROVED, Movement.DETERIORATED, Movement.UNCHANGED, Movement.NEW


def shape(rows):
    return [(r.kind, r.ref, r.brag_label, r.movement, r.counts) for r in rows]


def test_tree_for_a_period(built):  # noqa: F811
    store, ids = built
    with store.read() as s:
        rows = q.plan_tree(s, period_id=ids.period["Q2"])
    assert shape(rows) == [
        ("theme", "SER", "", None, C(red=1, amber=1, green=2)),
        ("outcome", "SER-01", "", None, C(red=1, green=1)),
        ("objective", "SER-01.01", "Red", DET, None),
        ("objective", "SER-01.02", "Green", IMP, None),
        ("outcome", "SER-02", "", None, C(amber=1, green=1)),
        ("objective", "SER-02.01", "Amber", NEW, None),
        ("objective", "SER-02.02", "Green", UNCH, None),
        ("theme", "PEO", "", None, C(blue=1, grey=2, no_update=1)),
        ("outcome", "PEO-01", "", None, C(blue=1, grey=2, no_update=1)),
        ("objective", "PEO-01.01", "Complete", IMP, None),
        ("objective", "PEO-01.02", "Not started", UNCH, None),
        ("objective", "PEO-01.03", "No update", None, None),  # its Q2 update was deleted
        ("objective", "PEO-01.04", "Cancelled", DET, None),
        ("theme", "GOV", "", None, C()),
    ]
    by_ref = {r.ref: r for r in rows}
    red = by_ref["SER-01.01"]
    assert red.id == ids.obj["SER-01.01"]
    assert (red.depth, red.parent_id) == (2, ids.outcome["SER-01"])
    assert (red.lead_id, red.lead_name) == (ids.person["A"], "Head of Intelligence")
    assert (red.lifecycle, red.rag, red.brag, red.progress_pct) == ("in progress", "red", Brag.RED, 40)
    assert red.last_update == date(2024, 10, 4)
    assert red.has_update
    assert (by_ref["SER-01"].depth, by_ref["SER-01"].parent_id) == (1, ids.theme["SER"])
    assert (by_ref["SER"].depth, by_ref["SER"].parent_id, by_ref["SER"].title) == (0, None, "Service")
    no_update = by_ref["PEO-01.03"]
    assert (no_update.brag, no_update.has_update, no_update.rag) == (Brag.GREY, False, None)
    assert no_update.last_update == date(2024, 7, 5)  # its Q1 update
    assert by_ref["PEO-01.02"].lead_name == ""


def test_tree_of_the_first_period_has_nothing_to_compare_with(built):  # noqa: F811
    store, ids = built
    with store.read() as s:
        rows = [r for r in q.plan_tree(s, period_id=ids.period["Q1"]) if r.kind == "objective"]
    assert [(r.ref, r.brag_label, r.movement) for r in rows] == [
        ("SER-01.01", "Green", NEW),
        ("SER-01.02", "Amber", NEW),
        ("SER-02.01", "No update", None),
        ("SER-02.02", "Green", NEW),
        ("PEO-01.01", "Green", NEW),
        ("PEO-01.02", "No update", None),
        ("PEO-01.03", "Amber", NEW),
        ("PEO-01.04", "Green", NEW),
    ]
    # As at Q1, the last update is Q1's even though Q2's exists.
    assert rows[0].last_update == date(2024, 7, 5)
    assert rows[0].progress_pct is None


def test_current_tree_uses_the_objectives_fields_and_compares_with_the_period_before_the_latest(built):  # noqa: F811
    store, ids = built
    with store.read() as s:
        rows = q.plan_tree(s)
    assert shape(rows)[7:13] == [
        ("theme", "PEO", "", None, C(amber=1, blue=1, grey=2)),
        ("outcome", "PEO-01", "", None, C(amber=1, blue=1, grey=2)),
        ("objective", "PEO-01.01", "Complete", IMP, None),
        ("objective", "PEO-01.02", "Not started", UNCH, None),
        # Current Amber against Q1's Amber (the latest period with updates is Q2; before it, Q1).
        ("objective", "PEO-01.03", "Amber", UNCH, None),
        ("objective", "PEO-01.04", "Cancelled", DET, None),
    ]
    by_ref = {r.ref: r for r in rows}
    assert by_ref["SER-01.01"].movement is DET and by_ref["SER-01.01"].progress_pct == 40
    assert by_ref["PEO-01.03"].last_update == date(2024, 7, 5)
    assert by_ref["SER-01.01"].last_update == date(2024, 10, 4)
    assert all(r.has_update for r in rows if r.kind == "objective")


def test_tree_of_a_plan_without_outcomes_lists_its_themes(any_store, actor):
    with any_store.write() as s:
        uow = unit_of_work(s, actor)
        plan = uow.create(Plan, name="P", start_date=date(2024, 1, 1), end_date=date(2024, 12, 31))
        for n, code in enumerate(("B", "A")):
            uow.create(Theme, plan_id=plan.id, code=code, name=f"Theme {code}", ordinal=n)
        uow.changes()
    with any_store.read() as s:
        rows = q.plan_tree(s)
    assert [(r.kind, r.ref, r.counts) for r in rows] == [("theme", "B", C()), ("theme", "A", C())]


def test_tree_for_an_unknown_period_is_not_found(built):  # noqa: F811
    store, _ = built
    with store.read() as s, pytest.raises(NotFound):
        q.plan_tree(s, period_id="missing")


def test_a_closed_objective_carries_its_status_in_the_tree_as_on_the_dashboard(store, actor):  # type: ignore[no-untyped-def]
    from tracker.seed.sample import add_sample_progress
    from tracker.seed.template import emsou_template, seed_plan

    with store.write() as s:
        seed_plan(s, actor=actor, template=emsou_template())
        add_sample_progress(s, actor=actor)
    with store.read() as s:
        for period in q.periods(s):
            tree = q.plan_tree(s, period_id=period.id)
            themes = {r.id: r.counts for r in tree if r.kind == "theme"}
            assert themes == {row.theme_id: row.counts for row in q.rag_by_theme(s, period.id)}, period.name
        latest = q.latest_period_with_updates(s)
        carried = [r for r in q.plan_tree(s, period_id=latest.id) if r.carried_from]
    assert carried, "the sample plan has objectives completed in earlier periods"
    for r in carried:
        assert not r.has_update and r.has_status and r.brag in (Brag.BLUE, Brag.GREY)
        assert r.brag_label.endswith(f"(since {r.carried_from})") and r.movement == UNCH
