"""The three-way merge as a pure function: cases first, then properties over generated edits."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.merge import Conflict, Merged, Resolution, Unsettled, merge_fields, same

KEEP, TAKE = Resolution.KEEP_OURS, Resolution.TAKE_THEIRS
Item = dict[str, Any]

# ---------------------------------------------------------------------------------------------- cases


def test_blank_and_none_are_the_same_and_nothing_else_is():
    assert same("", None) and same(None, "") and same(None, None) and same("Red", "Red")
    assert not same(0, None) and not same(0, "") and not same("Red", "Amber") and not same(" ", "")


def test_a_field_changed_on_one_side_only_is_taken_from_that_side():
    base = {"rag": "Green", "commentary": "", "progress_pct": 20}
    ours = {"rag": "Amber", "commentary": "", "progress_pct": 20}
    theirs = {"rag": "Green", "commentary": "On track", "progress_pct": 20}
    merged = merge_fields(base, ours, theirs)
    assert merged == Merged({"commentary": "On track"}, {})
    assert merged.to_write({}) == {"commentary": "On track"}  # ours' own change to the RAG stays


def test_both_sides_changing_a_field_to_the_same_value_is_no_conflict_and_no_change():
    merged = merge_fields({"rag": "Green"}, {"rag": "Red"}, {"rag": "Red"})
    assert merged == Merged({}, {})


def test_blanking_a_field_on_one_side_is_a_change_but_blank_for_none_is_not():
    assert merge_fields({"note": "old"}, {"note": "old"}, {"note": ""}).changes == {"note": ""}
    assert merge_fields({"note": None}, {"note": "mine"}, {"note": ""}) == Merged({}, {})


def test_both_sides_changing_a_field_differently_is_a_conflict_settled_either_way():
    merged = merge_fields({"forecast": 1}, {"forecast": 2}, {"forecast": 3})
    conflict = Conflict("forecast", 1, 2, 3)
    assert merged == Merged({}, {"forecast": conflict})
    assert (conflict.settled(KEEP), conflict.settled(TAKE)) == (2, 3)
    assert conflict.settled("theirs") == 3  # a view hands the resolution's value back
    assert merged.to_write({"forecast": KEEP}) == {}
    assert merged.to_write({"forecast": "theirs"}) == {"forecast": 3}
    with pytest.raises(ValueError):
        conflict.settled("mine")


def test_values_to_write_are_refused_while_a_conflict_is_open():
    merged = merge_fields({"a": 1, "b": 1}, {"a": 2, "b": 2}, {"a": 3, "b": 3})
    assert merged.unsettled({"b": TAKE}) == ["a"]
    with pytest.raises(Unsettled, match="1 conflict") as caught:
        merged.to_write({"b": TAKE})
    assert caught.value.fields == ["a"]


def test_only_the_fields_theirs_holds_are_merged():
    ours = {"rag": "Red", "_prev_rag": "Green", "title": "Kept"}
    assert merge_fields({"rag": "Red"}, ours, {"rag": "Amber"}) == Merged({"rag": "Amber"}, {})
    with pytest.raises(KeyError):  # a field theirs holds must be in base and ours too
        merge_fields({}, ours, {"commentary": "x"})


# ---------------------------------------------------------------------------------------------- properties

FIELDS = ("rag", "lifecycle", "progress_pct", "commentary", "forecast_date")
# few values, blanks among them, so that generated edits often collide
VALUES = st.sampled_from([None, "", "Red", "Amber", "words", 0, 30, 100])


@st.composite
def three_ways(draw: Any) -> tuple[Item, Item, Item]:
    """An item as it was, as edited here and as edited there; theirs holds some of the fields."""
    fields = draw(st.lists(st.sampled_from(FIELDS), unique=True, min_size=1))
    base = {f: draw(VALUES) for f in fields}
    ours = {f: draw(VALUES) if draw(st.booleans()) else base[f] for f in fields}
    theirs = {f: draw(VALUES) if draw(st.booleans()) else base[f] for f in fields if draw(st.booleans())}
    return base, ours, theirs


@st.composite
def merged_with_resolutions(draw: Any) -> tuple[Item, Item, Item, Merged, dict[str, Resolution]]:
    base, ours, theirs = draw(three_ways())
    merged = merge_fields(base, ours, theirs)
    resolutions = {f: draw(st.sampled_from(list(Resolution))) for f in merged.conflicts}
    return base, ours, theirs, merged, resolutions


def result(ours: Item, merged: Merged, resolutions: dict[str, Resolution]) -> Item:
    return {**ours, **merged.to_write(resolutions)}


@given(three_ways())
def test_with_ours_as_base_theirs_is_taken_and_nothing_conflicts(case):
    base, _, theirs = case
    merged = merge_fields(base, dict(base), theirs)
    assert not merged.conflicts
    after = result(base, merged, {})
    assert all(same(after[f], theirs[f]) for f in theirs)


@given(three_ways())
def test_with_theirs_as_base_ours_is_kept(case):
    base, ours, theirs = case
    unchanged = {f: base[f] for f in theirs}
    assert merge_fields(base, ours, unchanged) == Merged({}, {})


@given(three_ways())
def test_a_field_conflicts_iff_both_sides_changed_it_differently(case):
    base, ours, theirs = case
    merged = merge_fields(base, ours, theirs)
    for f in theirs:
        both = not same(ours[f], base[f]) and not same(theirs[f], base[f]) and not same(ours[f], theirs[f])
        assert (f in merged.conflicts) == both
        only_theirs = same(ours[f], base[f]) and not same(theirs[f], base[f])
        assert (f in merged.changes) == only_theirs
    assert set(merged.changes) | set(merged.conflicts) <= set(theirs)
    assert not set(merged.changes) & set(merged.conflicts)


@given(three_ways())
def test_the_same_fields_conflict_whichever_side_is_ours(case):
    base, ours, theirs = case
    mine = {f: ours[f] for f in theirs}
    assert set(merge_fields(base, ours, theirs).conflicts) == set(merge_fields(base, theirs, mine).conflicts)


@given(three_ways(), st.sampled_from(list(Resolution)))
def test_settling_every_conflict_one_way_gives_that_side_on_those_fields(case, choice):
    base, ours, theirs = case
    merged = merge_fields(base, ours, theirs)
    after = result(ours, merged, dict.fromkeys(merged.conflicts, choice))
    side = ours if choice is KEEP else theirs
    assert all(after[f] == side[f] for f in merged.conflicts)


@given(merged_with_resolutions())
def test_the_result_never_invents_a_value(case):
    base, ours, theirs, merged, resolutions = case
    after = result(ours, merged, resolutions)
    assert set(after) == set(ours)
    for f, value in after.items():
        assert any(value is side[f] for side in (base, ours, theirs) if f in side)
        if f in merged.conflicts:
            assert value is merged.conflicts[f].settled(resolutions[f])


@given(merged_with_resolutions())
def test_merging_the_same_edit_again_changes_nothing_more(case):
    base, ours, theirs, merged, resolutions = case
    after = result(ours, merged, resolutions)
    again = merge_fields(base, after, theirs)
    assert again.changes == {}
    assert set(again.conflicts) == {f for f, r in resolutions.items() if r is KEEP}
