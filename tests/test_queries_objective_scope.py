"""What the objective detail reads: one objective's milestones, risks and recommendations; 4P on the tree."""

from __future__ import annotations

from tests.query_builders import built  # noqa: F401 - fixture
from tracker import queries as q


def test_objective_filter_scopes_milestones_risks_and_recommendations(built):  # noqa: F811
    store, ids = built
    oid = ids.obj["SER-01.01"]
    with store.read() as s:
        every = (q.milestone_rows(s), q.risk_rows(s), q.recommendation_rows(s))
        only = q.Filters(objective_id=oid)
        mine = (q.milestone_rows(s, only), q.risk_rows(s, only), q.recommendation_rows(s, only))
        links = {
            r.id: {x.target_id for x in q.recommendation_links(s, r.id) if x.kind == "objective"}
            for r in every[2]
        }
    milestones, risks, recommendations = mine
    assert milestones and {m.id for m in milestones} == {m.id for m in every[0] if m.objective_id == oid}
    assert {r.id for r in risks} == {r.id for r in every[1] if r.objective_id == oid}
    assert recommendations and {r.id for r in recommendations} == {
        r for r, objs in links.items() if oid in objs
    }


def test_tree_rows_carry_their_theme_and_four_p(built):  # noqa: F811
    store, ids = built
    with store.read() as s:
        rows = q.plan_tree(s)
        by_id = {r.id: r for r in q.objective_rows(s)}
    for row in rows:
        if row.kind == "objective":
            assert (row.four_p, row.theme_id) == (by_id[row.id].four_p, by_id[row.id].theme_id)
        elif row.kind == "theme":
            assert row.theme_id == row.id
    assert any(r.four_p for r in rows)


def test_status_history_carries_the_update_revision(built):  # noqa: F811
    store, ids = built
    with store.read() as s:
        rows = q.status_history(s, ids.obj["SER-01.01"])
    assert all((r.update_revision is None) == (r.update_id is None) for r in rows)
    assert any(r.update_revision for r in rows)
