"""The status workbook for a period after an objective was retired: the objective is not in the period's
sheets, its trend row reads "Retired" from then on (not counted), and every breakdown adds up.

The plan is tests/query_builders.py's, SER-01.01 retired on 15 May 2024 (after Q1 started, before Q2).
"""

from __future__ import annotations

from datetime import date

from openpyxl import load_workbook

from tests.query_builders import TODAY, build
from tests.workbook_reading import header_row, headers, last_data_row, records
from tracker import queries as q
from tracker.models import Objective
from tracker.services.base import unit_of_work
from tracker.workbooks.status import export_status_workbook
from tracker.workbooks.tables import STATUS_COLOURS

GONE = "SER-01.01"


def test_the_workbook_leaves_a_retired_objective_out_and_still_adds_up(any_store, actor, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ids = build(any_store, actor)
    with any_store.write() as s:  # as if retired in May, before the later periods were closed
        uow = unit_of_work(s, actor)
        uow.update(uow.get(Objective, ids.obj[GONE]), {"retired_on": date(2024, 5, 15)})
        uow.changes("retired in May")
    with any_store.read() as s:
        path = export_status_workbook(
            s, ids.period["Q2"], tmp_path / "status.xlsx", generated_by="PMO", today=TODAY
        )
        n_objectives = q.headline(s, ids.period["Q2"], today=TODAY).n_objectives
    wb = load_workbook(path)

    objectives = [r["Ref"] for r in records(wb["Objectives"])]
    assert GONE not in objectives and len(objectives) == n_objectives == 7
    assert GONE not in [r["Ref"] for r in records(wb["Updates"])]
    summary = wb["Summary"]
    total = next(r for r in range(1, summary.max_row + 1) if summary.cell(r, 1).value == "All themes")
    assert summary.cell(total, 8).value == n_objectives

    trend = wb["RAG trend"]
    names = headers(trend)[2:]
    rows = records(trend)
    (gone,) = [r for r in rows if r["Ref"] == GONE]  # its history stays readable
    assert [gone[n] for n in names] == ["Green", "Retired"]
    at = header_row(trend) + 1 + rows.index(gone)
    cell = trend.cell(at, 2 + len(names))
    assert cell.fill.fgColor.rgb[-6:].upper() == STATUS_COLOURS["retired"][0]
    counts = {trend.cell(r, 1).value: r for r in range(last_data_row(trend) + 1, trend.max_row + 1)}
    for c, name in enumerate(names, start=3):
        shown = [r[name] for r in rows if r[name] != "Retired"]
        assert trend.cell(counts["Total"], c).value == len(shown)
    assert trend.cell(counts["Total"], 3).value == 8 and trend.cell(counts["Total"], 4).value == 7
    assert "Retired" in trend.cell(header_row(trend) - 1, 1).value  # the note says what it means

    milestones = {r["Milestone"]: r for r in records(wb["Milestones"])}
    assert milestones["Supplier appointed"]["State"] == "Not pursued"  # M2: not overdue in Q2


def test_the_three_heat_maps_leave_out_the_risks_of_a_retired_objective(any_store, actor, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ids = build(any_store, actor)
    with any_store.write() as s:  # SER-02.01 holds R1, open
        # retiring refuses an objective with open risks; a plan workbook can still bring one in retired
        uow = unit_of_work(s, actor)
        uow.update(uow.get(Objective, ids.obj["SER-02.01"]), {"retired_on": date(2024, 5, 15)})
        uow.changes("retired by a plan import")
    with any_store.read() as s:
        path = export_status_workbook(
            s, ids.period["Q2"], tmp_path / "status.xlsx", generated_by="PMO", today=TODAY
        )
    heat = load_workbook(path)["Heat map"]
    heads = next(r for r in range(1, heat.max_row + 1) if heat.cell(r, 1).value == "Likelihood ↓ Impact →")
    for first in (1, 8, 15):  # residual, inherent, target side by side
        title = heat.cell(heads - 1, first).value
        cells = [
            heat.cell(r, c).value for r in range(heads + 1, heads + 6) for c in range(first + 1, first + 6)
        ]
        assert sum(cells) == 2 and "(2 risks)" in title, title  # R2 and R3: R1 left with its objective
