"""The board pack's trend says why the number of objectives changes between periods."""

from __future__ import annotations

from datetime import date

from tests.builders import small_plan
from tracker.models import Kind
from tracker.services import retire
from ui.boardpack.blocks import Para
from ui.boardpack.content import load_pack
from ui.boardpack.status import trend
from ui.palette import make_palette


def notes(store, period_id: str) -> list[str]:  # type: ignore[no-untyped-def]
    with store.read() as s:
        section = trend(load_pack(s, period_id, today=date(2024, 10, 1)), make_palette())
    return [b.text for b in section.blocks if isinstance(b, Para)]


def test_a_retired_objective_is_why_the_next_period_counts_one_fewer(store, actor) -> None:  # type: ignore[no-untyped-def]
    ids = small_plan(store, actor)
    assert notes(store, ids.q2) == []  # the same objectives in both periods: nothing to explain
    with store.write() as s:
        retire(s, actor=actor, kind=Kind.OBJECTIVE, item_id=ids.obj1, on=date(2024, 7, 1))
    (note,) = notes(store, ids.q2)
    assert note.startswith("2024/25 Q2 counts 2, 1 fewer than 2024/25 Q1. ")
    assert "one retired is not counted from the first period that starts on or after its retirement" in note
