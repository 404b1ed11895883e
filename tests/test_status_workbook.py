"""The status workbook, reopened with openpyxl: sheets, formats, chart, freezing, marking, hostile text.

How it prints is tested in test_status_workbook_print.py; that it holds what the queries hold, and
that its breakdowns add up, in test_status_workbook_truth.py.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

from tests.workbook_reading import body, column, header_row, headers, last_data_row
from tracker import queries as q
from tracker.cli import EXIT_ERROR, main
from tracker.db import Actor
from tracker.models import (
    Inspection,
    Milestone,
    Objective,
    Outcome,
    Person,
    Plan,
    ProgressNote,
    Recommendation,
    RecommendationObjective,
    ReportingPeriod,
    Risk,
    StatusUpdate,
    Theme,
)
from tracker.seed.sample import add_sample_progress
from tracker.seed.template import emsou_template, seed_plan
from tracker.services.base import unit_of_work
from tracker.store import open_store
from tracker.workbooks.cells import REPLACEMENT
from tracker.workbooks.status import export_status_workbook
from tracker.workbooks.status_period import (
    EXCEPTION_COLUMNS,
    RETURN_COLUMNS,
    RISK_CHANGE_COLUMNS,
    UPCOMING_COLUMNS,
)
from tracker.workbooks.status_registers import (
    CHANGE_COLUMNS,
    MILESTONE_COLUMNS,
    OBJECTIVE_COLUMNS,
    RECOMMENDATION_COLUMNS,
    RISK_COLUMNS,
    UPDATE_COLUMNS,
)
from tracker.workbooks.tables import STATUS_COLOURS

ACTOR = Actor("Test PMO", "cli")
SHEETS = [
    "Cover", "Summary", "Exceptions", "Objectives", "Updates", "RAG trend", "Milestones", "Due in 90 days",
    "Risks", "Risk changes", "Heat map", "Recommendations", "Returns", "Changes",
]  # fmt: skip
REGISTERS = {
    "Exceptions": EXCEPTION_COLUMNS,
    "Objectives": OBJECTIVE_COLUMNS,
    "Updates": UPDATE_COLUMNS,
    "Milestones": MILESTONE_COLUMNS,
    "Due in 90 days": UPCOMING_COLUMNS,
    "Risks": RISK_COLUMNS,
    "Risk changes": RISK_CHANGE_COLUMNS,
    "Recommendations": RECOMMENDATION_COLUMNS,
    "Returns": RETURN_COLUMNS,
    "Changes": CHANGE_COLUMNS,
}
WORDS = {  # a status word and the fill it must carry (colour is never alone)
    "Red": "red", "Amber": "amber", "Green": "green", "Complete": "blue", "Not started": "grey",
    "Cancelled": "grey", "No RAG": "grey", "No update": "no update",
}  # fmt: skip


def fill_of(cell) -> str:  # type: ignore[no-untyped-def]
    return (cell.fill.fgColor.rgb or "")[-6:].upper() if cell.fill.fill_type == "solid" else ""


def row_of(ws, text: str, col: int = 1) -> int:  # type: ignore[no-untyped-def]
    """The first row whose cell in ``col`` is ``text``."""
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, col).value == text)


# ---------------------------------------------------------------------------------------------- the sample plan


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    folder = tmp_path_factory.mktemp("status")
    store = open_store(folder / "plan.db")
    with store.write() as session:
        seed_plan(session, actor=ACTOR, template=emsou_template())
        add_sample_progress(session, actor=ACTOR)
    with store.read() as session:
        period = next(p for p in q.periods(session) if p.name == "2022/23 Q4")
        plan = q.current_plan(session)
        movement = q.movement_summary(session, period.id)
        open_risks = sum(1 for r in q.risk_rows(session) if r.status == "open")
        n_objectives = len(q.objective_rows(session))
        n_milestones = len(q.milestone_rows(session))
        reports: list[tuple[int, int, str]] = []
        path = export_status_workbook(
            session, period.id, folder / "status.xlsx", generated_by="Head of PMO",
            progress=lambda done, total, text: reports.append((done, total, text)),
        )  # fmt: skip
    store.close()
    return SimpleNamespace(
        path=path, wb=load_workbook(path), plan=plan, period=period, movement=movement, open_risks=open_risks,
        n_objectives=n_objectives, n_milestones=n_milestones, reports=reports,
    )  # fmt: skip


def test_sheets_in_order_and_each_register_has_its_headers_and_rows(sample) -> None:  # type: ignore[no-untyped-def]
    wb = sample.wb
    assert wb.sheetnames == SHEETS
    for name, columns in REGISTERS.items():
        ws = wb[name]
        assert headers(ws) == [c.header for c in columns], name
        assert ws["A1"].font.bold and ws["A1"].value
    for name in ("Objectives", "Updates"):
        assert last_data_row(wb[name]) - header_row(wb[name]) == sample.n_objectives
    assert last_data_row(wb["Milestones"]) - header_row(wb["Milestones"]) == sample.n_milestones
    assert wb["Objectives"]["A1"].value == "Objectives — 2022/23 Q4"


def test_every_status_is_a_word_and_its_fill(sample) -> None:  # type: ignore[no-untyped-def]
    ws = sample.wb["Objectives"]
    seen = set()
    for header in ("RAG", "Previous RAG"):
        for cell in body(ws, header):
            assert cell.value in WORDS, (header, cell.coordinate, cell.value)
            assert fill_of(cell) == STATUS_COLOURS[WORDS[cell.value]][0], cell.coordinate
            seen.add(cell.value)
    assert {"Red", "Amber", "Green", "Complete"} <= seen
    # every objective unreported in 2022/23 Q4 had closed earlier: its closed status carries, as on the
    # dashboard, rather than showing "No update"
    assert "No update" not in {c.value for c in body(ws, "RAG")}
    for cell in body(ws, "Movement"):
        if cell.value:
            arrow, word = cell.value.split(" ", 1)
            assert fill_of(cell) == STATUS_COLOURS[word.lower()][0] and arrow in "↑↓→★"
    states = sample.wb["Milestones"]
    for cell in body(states, "State"):
        assert fill_of(cell) == STATUS_COLOURS[cell.value.lower()][0]
    overdue = [c for c in body(states, "State") if c.value == "Overdue"]
    assert overdue and all(fill_of(c) == "D4351C" and c.font.bold for c in overdue)
    for cell in body(sample.wb["Risks"], "Residual band"):
        assert fill_of(cell) == STATUS_COLOURS[cell.value.lower()][0]


def test_dates_percentages_and_wrapped_text_are_formatted(sample) -> None:  # type: ignore[no-untyped-def]
    ws = sample.wb["Milestones"]
    baseline = body(ws, "Baseline")[0]
    assert baseline.is_date and baseline.number_format == "dd mmm yyyy"
    objectives = sample.wb["Objectives"]
    progress = [c for c in body(objectives, "Progress") if c.value is not None]
    assert progress and all(c.number_format == '0"%"' and isinstance(c.value, int) for c in progress)
    title = body(objectives, "Objective")[0]
    assert title.alignment.wrap_text and title.alignment.vertical == "top" and title.font.name == "Arial"
    assert objectives.row_dimensions[title.row].height > 15  # sized for its wrapped lines
    assert objectives.column_dimensions["B"].width == 32


def test_headers_sit_over_their_columns_and_dates_and_statuses_are_centred(sample) -> None:  # type: ignore[no-untyped-def]
    wb = sample.wb
    milestones = wb["Milestones"]
    heads = {c.value: c.alignment.horizontal for c in milestones[header_row(milestones)]}
    assert (heads["Milestone"], heads["Baseline"], heads["State"], heads["Days overdue"]) == (
        None, "center", "center", "right"
    )  # fmt: skip
    assert all(c.alignment.horizontal == "center" for c in body(milestones, "Baseline"))
    overdue = body(wb["Recommendations"], "Overdue")
    assert {c.value for c in overdue} <= {"Yes", "No"} and all(
        c.alignment.horizontal == "center" for c in overdue
    )
    updated = [c for c in body(wb["Objectives"], "Last updated") if c.value is not None]
    assert updated and all(c.is_date and c.number_format == "dd mmm yyyy hh:mm" for c in updated)
    summary = wb["Summary"]
    top = row_of(summary, "Theme")
    assert [summary.cell(top, col).alignment.horizontal for col in (1, 2, 8)] == [None, "center", "center"]
    heat = wb["Heat map"]
    heads = row_of(heat, "Likelihood ↓ Impact →")
    axes = [heat.cell(heads, col) for col in range(2, 7)] + [
        heat.cell(row, 1) for row in range(heads + 1, heads + 6)
    ]
    assert all(c.alignment.horizontal == "center" and c.font.bold for c in axes)


def test_rows_are_as_tall_as_their_wrapped_text(sample) -> None:  # type: ignore[no-untyped-def]
    ws = sample.wb["Objectives"]
    commentary = column(ws, "Commentary")
    heights = {}
    for row in range(header_row(ws) + 1, last_data_row(ws) + 1):
        text = ws.cell(row, commentary).value or ""
        heights[len(text)] = ws.row_dimensions[row].height or 15
    longest, shortest = max(heights), min(heights)
    assert heights[longest] >= 12.75 * (
        longest // 99 + 1
    )  # a 90-wide column holds about 99 characters a line
    assert heights[longest] > heights[shortest]
    assert max(heights.values()) <= 409  # Excel's limit


def test_the_file_is_a_clean_package_with_a_native_chart_and_no_formulas(sample) -> None:  # type: ignore[no-untyped-def]
    import posixpath
    import zipfile

    from lxml import etree

    ns = {
        "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
        "r": "http://schemas.openxmlformats.org/package/2006/relationships",
        "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
        "s": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    }
    with zipfile.ZipFile(sample.path) as z:
        assert z.testzip() is None
        names = z.namelist()
        assert len(names) == len(set(names))
        xml = {n: etree.fromstring(z.read(n)) for n in names if n.endswith((".xml", ".rels"))}
    types = xml["[Content_Types].xml"]
    defaults = {e.get("Extension") for e in types.iterfind("ct:Default", ns)}
    overrides = {e.get("PartName").lstrip("/") for e in types.iterfind("ct:Override", ns)}
    for name in names:  # a part without a content type is what makes Excel offer a repair
        assert name == "[Content_Types].xml" or name in overrides or name.rsplit(".", 1)[-1] in defaults, name
    for name in overrides:
        assert name in names, name

    def targets(part: str) -> list[str]:
        folder, base = posixpath.split(part)
        rels = xml.get(posixpath.join(folder, "_rels", base + ".rels"))
        found = [] if rels is None else [e.get("Target") for e in rels.iterfind("r:Relationship", ns)]
        return [
            posixpath.normpath(posixpath.join(folder, t)) if not t.startswith("/") else t[1:] for t in found
        ]

    workbook = xml["xl/workbook.xml"]
    sheets = [e.get("name") for e in workbook.iterfind("s:sheets/s:sheet", ns)]
    assert sheets == SHEETS
    parts = [t for t in targets("xl/workbook.xml") if "worksheets/" in t]
    summary = parts[SHEETS.index("Summary")]
    (drawing,) = [t for t in targets(summary) if "drawings/" in t]
    (chart,) = [t for t in targets(drawing) if "charts/" in t]
    bar = xml[chart].find(".//c:barChart", ns)
    assert bar.find("c:barDir", ns).get("val") == "bar" and bar.find("c:grouping", ns).get("val") == "stacked"
    assert len(bar.findall("c:ser", ns)) == 6
    for part in parts:
        assert xml[part].find(".//s:f", ns) is None, part  # no formulas anywhere
        if part != summary:
            assert not [t for t in targets(part) if "drawings/" in t], part
    custom = etree.tostring(xml["docProps/custom.xml"], encoding="unicode")
    assert 'name="Protective marking"' in custom and "OFFICIAL" in custom


def test_summary_counts_and_a_native_stacked_bar_chart_over_them(sample) -> None:  # type: ignore[no-untyped-def]
    ws = sample.wb["Summary"]
    top = row_of(ws, "Theme")
    assert [ws.cell(top, c).value for c in range(1, 9)] == [
        "Theme", "Red", "Amber", "Green", "Complete (Blue)", "Not started (Grey)", "No update", "Total"
    ]  # fmt: skip
    first, last = top + 1, top + 4
    themes = [ws.cell(r, 1).value for r in range(first, last + 1)]
    assert themes == ["Service", "People and culture", "Modernisation", "Governance"]
    assert ws.cell(last + 1, 1).value == "All themes" and ws.cell(last + 1, 8).value == sample.n_objectives
    assert sum(ws.cell(r, 8).value for r in range(first, last + 1)) == sample.n_objectives
    (chart,) = ws._charts
    assert (chart.tagname, chart.type, chart.grouping, chart.overlap) == ("barChart", "bar", "stacked", 100)
    assert len(chart.series) == 6
    for n, series in enumerate(chart.series):
        col = "BCDEFG"[n]
        assert series.tx.strRef.f == f"'Summary'!{col}{top}"
        assert series.val.numRef.f == f"'Summary'!${col}${first}:${col}${last}"
        assert series.cat.strRef.f == f"'Summary'!$A${first}:$A${last}"
    assert chart.series[0].graphicalProperties.solidFill.srgbClr == STATUS_COLOURS["red"][0]
    words = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
    counts = sample.movement.counts
    assert words["↑ Improved"] == counts["improved"] and words["↓ Deteriorated"] == counts["deteriorated"]


def test_registers_freeze_their_reference_title_and_header_and_filter(sample) -> None:  # type: ignore[no-untyped-def]
    for name, columns in REGISTERS.items():
        ws = sample.wb[name]
        top = header_row(ws)
        last = chr(ord("A") + len(columns) - 1)
        frozen = "B" if name == "Returns" else "C"  # a lead's name is its row's title
        assert ws.freeze_panes == f"{frozen}{top + 1}", name
        assert ws.auto_filter.ref == f"A{top}:{last}{last_data_row(ws)}", name
        assert ws.print_title_rows == f"${top}:${top}", name
        assert ws.print_options.gridLines
        assert ws["A2"].value.startswith("SAMPLE DATA") and fill_of(ws["A2"]) == "D4351C", name


def test_every_sheet_carries_the_marking_sample_data_and_page_numbers(sample) -> None:  # type: ignore[no-untyped-def]
    for ws in sample.wb.worksheets:
        assert not ws.HeaderFooter.differentFirst and not ws.HeaderFooter.differentOddEven, ws.title
        for part in (ws.oddHeader, ws.oddFooter):
            assert part.center.text == "&BOFFICIAL&B", ws.title
            assert part.right.text == "Page &P of &N", ws.title
        assert ws.oddFooter.left.text == "&BSAMPLE DATA&B – &A"
        assert ws.oddHeader.left.text.startswith("&BSAMPLE DATA&B – " + sample.plan.name[:10])
    props = sample.wb.properties
    assert props.subject == "OFFICIAL" and props.keywords == "OFFICIAL"
    assert props.creator == "Head of PMO" and "Status report 2022/23 Q4" in props.title
    assert [(p.name, p.value) for p in sample.wb.custom_doc_props.props] == [
        ("Protective marking", "OFFICIAL")
    ]


def test_cover_names_plan_period_author_marking_sample_and_rag_definitions(sample) -> None:  # type: ignore[no-untyped-def]
    ws = sample.wb["Cover"]
    cells = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
    assert ws["A1"].value == sample.plan.name
    assert cells["SAMPLE DATA"].startswith("Made-up progress") and fill_of(ws["A4"]) == "D4351C"
    assert cells["Protective marking"] == "OFFICIAL"
    assert cells["Reporting period"].startswith("2022/23 Q4 (01 January 2023 to 31 March 2023")
    assert cells["Compared with"] == "2022/23 Q3" and cells["Generated by"] == "Head of PMO"
    assert cells["Red"] == sample.plan.rag_red and cells["Green"] == sample.plan.rag_green
    assert cells["Blue — complete"] == sample.plan.rag_blue


def test_cover_prints_the_audit_logs_head_as_the_anchor_to_keep(sample) -> None:  # type: ignore[no-untyped-def]
    with sqlite3.connect(sample.path.parent / "plan.db") as con:
        seq, digest = con.execute("SELECT seq, hash FROM audit_head").fetchone()
    ws = sample.wb["Cover"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Audit anchor")
    cell = ws.cell(row, 2)
    assert cell.value == f"{seq}:{digest}" and "check --anchor" in ws.cell(row + 1, 2).value
    assert cell.font.sz >= 8


def test_heat_map_counts_open_risks_coloured_by_band(sample) -> None:  # type: ignore[no-untyped-def]
    ws = sample.wb["Heat map"]
    heads = row_of(ws, "Likelihood ↓ Impact →")
    assert ws.cell(heads - 1, 1).value.startswith("Residual (")
    grid = [
        [ws.cell(row, col) for col in range(2, 7)] for row in range(heads + 1, heads + 6)
    ]  # likelihood 5..1
    assert sum(c.value for row in grid for c in row) == sample.open_risks
    assert fill_of(grid[0][4]) == STATUS_COLOURS["very high"][0]  # 5 x 5
    assert fill_of(grid[4][0]) == STATUS_COLOURS["low"][0]  # 1 x 1
    assert [ws.cell(r, 1).value for r in range(heads + 1, heads + 6)] == [5, 4, 3, 2, 1]


def test_changes_list_each_status_move(sample) -> None:  # type: ignore[no-untyped-def]
    kinds = [c.value for c in body(sample.wb["Changes"], "Change")]
    counts = sample.movement.counts
    assert kinds.count("↑ Status improved") == counts["improved"]
    assert kinds.count("↓ Status deteriorated") == counts["deteriorated"]
    assert kinds.count("★ Status new") == counts["new"]


def test_progress_is_reported_to_the_end(sample) -> None:  # type: ignore[no-untyped-def]
    done, total, text = sample.reports[-1]
    assert done == total > 0 and text == "Saving the workbook…"
    assert any("milestones" in t for _, _, t in sample.reports)


# ---------------------------------------------------------------------------------------------- hostile text

LONG = "=1+1 " + "".join(f"Sentence {n} of a very long commentary. " for n in range(1, 1200))
INJECTIONS = {
    "rationale": '=HYPERLINK("http://evil.example","click")',
    "corrective_action": "+cmd|' /C calc'!A0",
    "next_steps": "-2+3",
}
HOSTILE_THEMES = ["Service/Delivery: [Phase 1]*?", "'History'", "A" * 40]


@pytest.fixture
def nasty(tmp_path: Path) -> SimpleNamespace:
    return build_nasty(tmp_path)


def build_nasty(tmp_path: Path) -> SimpleNamespace:
    """A plan with hostile text everywhere, a caveat with an ampersand and a commentary too long for a cell."""
    store = open_store(tmp_path / "nasty.db")
    with store.write() as session:
        uow = unit_of_work(session, ACTOR)
        plan = uow.create(
            Plan, name="=Plan & co", organisation="@Org", start_date=date(2024, 4, 1), end_date=date(2025, 3, 31),
            protective_marking="OFFICIAL-SENSITIVE", handling_caveat="PERSONAL & not for release",
        )  # fmt: skip
        themes = [
            uow.create(Theme, plan_id=plan.id, code=f"T{n}", name=name, ordinal=n)
            for n, name in enumerate(HOSTILE_THEMES, start=1)
        ]
        outcome = uow.create(
            Outcome, theme_id=themes[0].id, code="T1-01", title="\tTabbed outcome", ordinal=1
        )
        lead = uow.create(Person, name="=Lead()")
        obj = uow.create(
            Objective, plan_id=plan.id, outcome_id=outcome.id, ref="T1-01.01", title="@SUM(A1:A9)",
            lead_id=lead.id, lifecycle="in progress", rag="red",
        )  # fmt: skip
        q1 = uow.create(ReportingPeriod, plan_id=plan.id, name="2024/25 Q1", start_date=date(2024, 4, 1),
                        end_date=date(2024, 6, 30))  # fmt: skip
        q2 = uow.create(ReportingPeriod, plan_id=plan.id, name="2024/25 Q2", start_date=date(2024, 7, 1),
                        end_date=date(2024, 9, 30))  # fmt: skip
        uow.create(StatusUpdate, objective_id=obj.id, period_id=q1.id, lifecycle="in progress", rag="green")
        uow.create(
            StatusUpdate, objective_id=obj.id, period_id=q2.id, lifecycle="in progress", rag="red",
            progress_pct=30, commentary=LONG + "\x07bell", reported_at=datetime(2024, 10, 1, 9, tzinfo=UTC),
            author="\rCR author", **INJECTIONS,
        )  # fmt: skip
        uow.create(Milestone, objective_id=obj.id, title="\tTab milestone", baseline_date=date(2024, 8, 1),
                   forecast_date=date(2024, 8, 15), notes="=cmd")  # fmt: skip
        uow.create(Risk, plan_id=plan.id, ref="=R1", title="@risk", objective_id=obj.id, mitigations="-x",
                   inherent_likelihood=5, inherent_impact=5, residual_likelihood=4, residual_impact=4,
                   target_likelihood=1, target_impact=1)  # fmt: skip
        insp = uow.create(Inspection, plan_id=plan.id, body="HMICFRS", title="=Report")
        rec = uow.create(Recommendation, inspection_id=insp.id, kind="recommendation", ref="+R1",
                         text="=2*3", status="being progressed", due_date=date(2024, 6, 30))  # fmt: skip
        uow.create(ProgressNote, recommendation_id=rec.id, note_date=date(2024, 7, 1), text="=note")
        uow.create(RecommendationObjective, recommendation_id=rec.id, objective_id=obj.id)
        uow.changes("Built the nasty plan")
    out = tmp_path / "nasty.xlsx"
    with store.read() as session:
        export_status_workbook(session, q2.id, out, generated_by="=Author", today=date(2024, 11, 1))
    store.close()
    return SimpleNamespace(path=out, wb=load_workbook(out))


def test_text_that_looks_like_a_formula_stays_text(nasty) -> None:  # type: ignore[no-untyped-def]
    ws = nasty.wb["Objectives"]
    top = header_row(ws)
    row = {c.value: ws.cell(top + 1, c.column) for c in ws[top]}
    for field, header in (("rationale", "Rationale"), ("corrective_action", "Corrective action"),
                          ("next_steps", "Next steps")):  # fmt: skip
        cell = row[header]
        assert cell.value == INJECTIONS[field] and cell.data_type == "s" and cell.quotePrefix, header
    for header in ("Objective", "Lead", "Reported by"):
        assert row[header].data_type == "s" and row[header].quotePrefix, header
    assert row["Outcome"].value == "T1-01 \tTabbed outcome"
    checks = [
        (nasty.wb["Milestones"], "Milestone", "\tTab milestone"), (nasty.wb["Milestones"], "Notes", "=cmd"),
        (nasty.wb["Risks"], "Ref", "=R1"), (nasty.wb["Risks"], "Risk", "@risk"),
        (nasty.wb["Risks"], "Mitigations", "-x"), (nasty.wb["Recommendations"], "Recommendation", "=2*3"),
        (nasty.wb["Recommendations"], "Report", "=Report"), (nasty.wb["Recommendations"], "Ref", "+R1"),
    ]  # fmt: skip
    for ws, header, text in checks:
        cell = body(ws, header)[0]
        assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True), (ws.title, header)
    cover = nasty.wb["Cover"]
    assert cover["A1"].value == "=Plan & co" and cover["A1"].data_type == "s"
    formulas = [
        c.coordinate for ws in nasty.wb.worksheets for r in ws.iter_rows() for c in r if c.data_type == "f"
    ]
    assert formulas == []


def test_long_commentary_continues_on_the_long_text_sheet_and_nothing_is_lost(nasty) -> None:  # type: ignore[no-untyped-def]
    wb = nasty.wb
    assert wb.sheetnames == [*SHEETS, "Long text"]
    ws = wb["Objectives"]
    cell = ws.cell(header_row(ws) + 1, column(ws, "Commentary"))
    head, note = cell.value.rsplit("\n", 1)
    match = re.fullmatch(r"… continued in sheet 'Long text', rows (\d+)–(\d+)", note)
    assert match and cell.data_type == "s" and cell.quotePrefix  # it starts with "=1+1"
    first, last = map(int, match.groups())
    extra = wb["Long text"]
    assert {extra.cell(r, 1).value for r in range(first, last + 1)} == {f"'Objectives'!O{cell.row}"}
    whole = head + "".join(extra.cell(r, 3).value for r in range(first, last + 1))
    assert whole == LONG + REPLACEMENT + "bell"
    # moved to the end after it was made: each sheet still prints its own header rows
    assert extra.print_title_rows == "$1:$1" and wb["Changes"].print_title_rows == "$3:$3"
    assert extra.oddHeader.center.text.startswith("&BOFFICIAL-SENSITIVE&B")


def test_marking_with_a_caveat_and_an_ampersand_is_on_every_sheet(nasty) -> None:  # type: ignore[no-untyped-def]
    for ws in nasty.wb.worksheets:
        assert ws.oddHeader.center.text == "&BOFFICIAL-SENSITIVE&B – PERSONAL && not for release", ws.title
        assert ws.oddFooter.right.text == "Page &P of &N"
    props = nasty.wb.properties
    assert props.subject == "OFFICIAL-SENSITIVE – PERSONAL & not for release"
    assert props.creator == "=Author"


def test_sheet_names_are_valid_and_hostile_theme_names_are_plain_text(nasty) -> None:  # type: ignore[no-untyped-def]
    for title in nasty.wb.sheetnames:
        assert len(title) <= 31 and not re.search(r"[\\/*?:\[\]]", title)
    ws = nasty.wb["Summary"]
    top = row_of(ws, "Theme")
    assert [ws.cell(r, 1).value for r in range(top + 1, top + 4)] == HOSTILE_THEMES
    assert ws._charts[0].series[0].cat.strRef.f == f"'Summary'!$A${top + 1}:$A${top + 3}"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_it_and_prints_the_formula_as_text(nasty, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    done = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(nasty.path)],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    pdf = tmp_path / "nasty.pdf"
    assert done.returncode == 0 and pdf.exists(), done.stderr
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        joined = text.replace("\n", "")  # the printed cell wraps its text
        assert 'HYPERLINK("http://evil.example"' in joined and "OFFICIAL-SENSITIVE" in text


# ---------------------------------------------------------------------------------------------- failure, CLI


def test_a_failed_export_leaves_the_old_file_and_no_partial_file(tmp_path: Path) -> None:
    store = open_store(tmp_path / "plan.db")
    with store.write() as session:
        seed_plan(session, actor=ACTOR, template=emsou_template())
        add_sample_progress(session, actor=ACTOR)
    out = tmp_path / "status.xlsx"
    out.write_bytes(b"the previous export")

    def stop(done: int, total: int, text: str) -> None:
        if "milestones" in text:
            raise KeyboardInterrupt("stop")

    with store.read() as session, pytest.raises(KeyboardInterrupt):
        export_status_workbook(session, q.latest_period_with_updates(session).id, out, generated_by="x",
                               progress=stop, replace=True)  # fmt: skip
    store.close()
    assert out.read_bytes() == b"the previous export"
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith((".part", ".partial"))]


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli-status") / "plan.db"
    assert main(["--db", str(path), "init", "--sample"]) == 0
    return path


def test_cli_export_status_writes_refuses_to_overwrite_then_forces(
    sample_db: Path, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "status.xlsx"
    argv = [
        "--db",
        str(sample_db),
        "--as",
        "Head of PMO",
        "export-status",
        "--period",
        "2022/23  q4",
        "--out",
        str(out),
    ]
    assert main(argv) == 0
    assert capsys.readouterr().out == f"Wrote the status workbook for 2022/23 Q4 to {out}\n"
    wb = load_workbook(out)
    assert wb.sheetnames == SHEETS and wb.properties.creator == "Head of PMO"
    assert wb["Objectives"]["A1"].value == "Objectives — 2022/23 Q4"
    before = out.read_bytes()
    assert main(argv) == EXIT_ERROR
    err = capsys.readouterr().err
    assert err == f"error: {out} already exists; choose a new file name, or add --force to replace it\n"
    assert out.read_bytes() == before
    assert main([*argv, "--force"]) == 0


def test_cli_export_status_defaults_to_the_latest_period_and_explains_mistakes(
    sample_db: Path, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "latest.xlsx"
    assert main(["--db", str(sample_db), "export-status", "--out", str(out)]) == 0
    assert "Wrote the status workbook for 2023/24 Q4" in capsys.readouterr().out
    assert main(["--db", str(sample_db), "export-status", "--out", str(tmp_path / "x.csv")]) == EXIT_ERROR
    assert "should end in .xlsx" in capsys.readouterr().err
    assert (
        main(
            [
                "--db",
                str(sample_db),
                "export-status",
                "--period",
                "2030 Q9",
                "--out",
                str(tmp_path / "y.xlsx"),
            ]
        )
        == EXIT_ERROR
    )
    assert "there is no reporting period called '2030 Q9'" in capsys.readouterr().err
    assert not (tmp_path / "y.xlsx").exists()
