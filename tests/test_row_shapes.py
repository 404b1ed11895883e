"""Wide rows are read by name: each row type's fields and its select agree.

The registers' rows and the period's objective statuses declare their SQL as a mapping field name ->
expression (a RowShape); the select is generated from it in the row's field order and rows are built
positionally from that order. These tests catch a row whose fields and select disagree.
"""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

import pytest
from sqlalchemy import Select, event, literal

from tests.query_builders import Q2_AS_OF, built  # noqa: F401 - fixture
from tracker import queries as q
from tracker.queries._period import objective_statuses
from tracker.queries._sql import ROW_SHAPES, RowShape, t

WIDE_ROWS = {q.ObjectiveRow, q.MilestoneRow, q.RiskRow, q.RecommendationRow, q.ObjectiveStatus}


def test_every_field_of_every_wide_row_is_either_selected_or_derived():
    assert {shape.row for shape in ROW_SHAPES} >= WIDE_ROWS
    for shape in ROW_SHAPES:
        fields = shape.row._fields
        assert sorted(shape.selected + shape.derived) == sorted(fields), shape.row.__name__
        assert not set(shape.selected) & set(shape.derived), shape.row.__name__
        assert not set(shape.inputs) & set(fields), shape.row.__name__
        assert shape.names == shape.selected + shape.inputs


def _queries(s) -> list[tuple[str, Any]]:  # type: ignore[no-untyped-def]
    periods = {p.name: p for p in q.periods(s, count_updates=False)}
    this, before = periods["2025/26 Q1"], periods["2024/25 Q2"]
    return [
        ("objectives", q.objective_rows(s, q.Filters(include_deleted=True))),
        ("milestones", q.milestone_rows(s, q.Filters(include_deleted=True), as_of=Q2_AS_OF)),
        ("risks", q.risk_rows(s, q.Filters(include_deleted=True))),
        ("recommendations", q.recommendation_rows(s, q.Filters(include_deleted=True), as_of=Q2_AS_OF)),
        ("statuses against a baseline", objective_statuses(s, this, before)),
        ("statuses alone", objective_statuses(s, this, None)),
    ]


def test_each_query_selects_exactly_its_rows_columns_and_drops_none(built):  # noqa: F811
    """Run every query, then its own statement again read by column label: each row holds, under
    each selected field's name, what the statement gave under that name; what a query converts or
    reads only as an input is read by name (not dropped)."""
    store, _ids = built
    sent: list[Select[Any]] = []

    def record(conn, clause, multiparams, params, execution_options):  # type: ignore[no-untyped-def]
        if isinstance(clause, Select):
            sent.append(clause)

    shapes = {shape.row: shape for shape in ROW_SHAPES}
    event.listen(store.engine, "before_execute", record)
    try:
        with store.read() as s:
            results = _queries(s)
    finally:
        event.remove(store.engine, "before_execute", record)
    with store.read() as s:
        for (name, rows), stmt in zip(results, _shaped(sent, shapes.values()), strict=True):
            assert rows, f"{name}: the plan should give rows to compare"
            shape = shapes[type(rows[0])]
            assert list(stmt.selected_columns.keys()) == list(shape.names), name
            fetched = {r["id"]: r for r in s.execute(stmt).mappings()}
            assert sorted(r.id for r in rows) == sorted(fetched), name
            by_name = [f for f in shape.selected if f not in shape.converted]
            for row in rows:
                got = fetched[row.id]
                assert {f: getattr(row, f) for f in by_name} == {f: got[f] for f in by_name}, name
                # Dates and flags read from the driver come out as SQLAlchemy itself reads them.
                typed = [f for f in shape.converted if isinstance(got[f], date | bool)]
                mine = {f: (type(getattr(row, f)), getattr(row, f)) for f in typed}
                assert mine == {f: (type(got[f]), got[f]) for f in typed}, name
            assert {*shape.inputs, *shape.converted} <= shape.read, f"{name}: a fetched column is dropped"


def _shaped(sent: list[Select[Any]], shapes: Any) -> list[Select[Any]]:
    """The statements that select some shape's columns, in the order they were sent."""
    names = {tuple(shape.names) for shape in shapes}
    return [stmt for stmt in sent if tuple(stmt.selected_columns.keys()) in names]


class Pair(NamedTuple):
    id: str
    ref: str
    label: str


def test_a_select_that_misses_or_adds_a_column_is_refused():
    shape = RowShape(Pair, derived=("label",), inputs=("lifecycle",))
    ROW_SHAPES.remove(shape)  # a test's own shape, not one of the queries'
    ob = t.objective.c
    assert list(shape.select({"id": ob.id, "ref": ob.ref, "lifecycle": ob.lifecycle}).selected_columns.keys()) == [
        "id", "ref", "lifecycle",
    ]  # fmt: skip
    with pytest.raises(ValueError, match=r"Pair: select is missing \['ref'\] and has extra \[\]"):
        shape.select({"id": ob.id, "lifecycle": ob.lifecycle})
    with pytest.raises(ValueError, match=r"missing \[\] and has extra \['title'\]"):
        shape.select({"id": ob.id, "ref": ob.ref, "lifecycle": ob.lifecycle, "title": ob.title})
    with pytest.raises(ValueError, match=r"has extra \['label'\]"):  # a derived field is not selected
        shape.select({"id": ob.id, "ref": ob.ref, "label": literal(""), "lifecycle": ob.lifecycle})


def test_a_shape_refuses_names_that_are_not_its_fields():
    with pytest.raises(ValueError, match=r"\['colour'\] are not fields"):
        RowShape(Pair, derived=("colour",))
    with pytest.raises(ValueError, match=r"\['label'\] are both derived and converted"):
        RowShape(Pair, derived=("label",), converted=("label",))
    with pytest.raises(ValueError, match=r"inputs \['ref'\] are fields"):
        RowShape(Pair, inputs=("ref",))


def test_rows_are_built_in_field_order_from_the_fetched_order():
    shape = RowShape(Pair, derived=("label",), converted=("ref",), inputs=("when",))
    ROW_SHAPES.remove(shape)
    fetched = ("p1", "ser-01", date(2024, 1, 1))
    assert shape.getter("when", "ref")(fetched) == (date(2024, 1, 1), "ser-01")
    assert shape.make(fetched, ref="SER-01", label="Red") == Pair("p1", "SER-01", "Red")
    with pytest.raises(TypeError, match="label"):
        shape.make(fetched, ref="SER-01")  # a derived field cannot be forgotten
