"""Committee papers: drafted from the register in Word, read back; the PMO's text kept, audited and undoable."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from tests.builders import audit_of, get, small_plan
from tests.paper_reading import UK_DATE, read_paper
from tracker.cli import EXIT_ERROR, main
from tracker.db import Actor
from tracker.enums import Role
from tracker.errors import NotPermitted, ValidationError
from tracker.models import AuditEntry, CommitteePaper, Kind
from tracker.papers.content import NOT_ALLOCATED
from tracker.papers.draft import draft_committee_paper
from tracker.queries import latest_period_with_updates
from tracker.queries.committee import board_named, committee_data, paper_text
from tracker.schemas import LONG_TEXT_MAX
from tracker.seed.sample import add_sample_progress
from tracker.seed.template import emsou_template, seed_plan
from tracker.services import (
    add_progress_note,
    create_recommendation,
    link_recommendation,
    record_committee_paper,
    revert_transaction,
    update_plan_settings,
)

SLT = "Senior Leadership Team (quarterly)"
PAPER_DAY = date(2024, 4, 17)


@pytest.fixture
def sample(store, actor):  # type: ignore[no-untyped-def]
    with store.write() as session:
        seed_plan(session, actor=actor, template=emsou_template())
    with store.write() as session:
        add_sample_progress(session, actor=actor)
    return store


def _draft(store, board: str, out: Path, period_id: str | None = None):  # type: ignore[no-untyped-def]
    with store.read() as s:
        pid = period_id or latest_period_with_updates(s).id
        bid, _ = board_named(s, board)
        draft_committee_paper(s, pid, bid, out, paper_date=PAPER_DAY)
        return committee_data(s, pid, bid)


def _linked(db: Path, board: str) -> dict[str, tuple[str, str]]:
    """Straight from the file: each live item linked to a live objective of the board, its status and kind."""
    with sqlite3.connect(db) as c:
        rows = c.execute(
            "SELECT DISTINCT r.ref, r.status, r.kind FROM recommendation r "
            "JOIN recommendation_objective ro ON ro.recommendation_id = r.id AND ro.deleted = 0 "
            "JOIN objective o ON o.id = ro.objective_id AND o.deleted = 0 "
            "JOIN board b ON b.id = o.board_id WHERE b.name = ? AND r.deleted = 0",
            (board,),
        ).fetchall()
    return {ref: (status, kind) for ref, status, kind in rows}


def _latest_notes(db: Path, as_of: date) -> dict[str, tuple[str, str]]:
    with sqlite3.connect(db) as c:
        rows = c.execute(
            "SELECT r.ref, n.note_date, n.text FROM progress_note n JOIN recommendation r ON r.id = n.recommendation_id "
            "WHERE n.deleted = 0 AND n.note_date <= ? ORDER BY n.note_date, n.changed_at",
            (as_of.isoformat(),),
        ).fetchall()
    return {ref: (day, text) for ref, day, text in rows}  # the last one wins


# ---------------------------------------------------------------------------------------------- the sample paper


def test_the_sample_slt_paper_holds_every_linked_item_its_status_and_latest_note(sample, db_path, tmp_path):
    out = tmp_path / "SLT paper.docx"
    data = _draft(sample, SLT, out)
    paper = read_paper(out)
    linked = _linked(db_path, SLT)
    assert linked and {i.row.ref for i in data.items} == set(linked)
    notes = _latest_notes(db_path, data.as_of)
    headings = paper.styled("Heading 2")
    for ref, (status, kind) in linked.items():
        assert f"{kind.capitalize()} {ref}" in headings
        section = _section(paper, f"{kind.capitalize()} {ref}")
        assert f"Status: {status.capitalize()}" in section
        assert notes[ref][1] in section, ref  # the latest note, as of the period's end
        row = next(r for r in paper.cells[-1] if r[0] == ref)  # the appendix
        assert row[4] == status.capitalize()
    assert [h for _, h in paper.paragraphs if h][:1] == [SLT]
    for part in ("Purpose of the report", "Recommendation", "Summary", "Background", "Update on activity"):
        assert part in paper.styled("Heading 1")
    assert paper.styled("List Number") and "Contact officer" in paper.styled("Heading 1")
    assert f"The {SLT} is asked to note" in paper.text


def test_the_marking_is_in_every_header_and_footer(sample, tmp_path, actor):
    with sample.write() as s:
        update_plan_settings(
            s,
            actor=actor,
            changes={"protective_marking": "OFFICIAL-SENSITIVE", "handling_caveat": "PERSONAL"},
        )
    out = tmp_path / "paper.docx"
    _draft(sample, SLT, out)
    paper = read_paper(out)
    assert paper.headers and paper.footers
    for text in paper.headers + paper.footers:
        assert "OFFICIAL-SENSITIVE PERSONAL" in text


def test_nothing_appears_that_the_store_does_not_hold(sample, db_path, tmp_path):
    out = tmp_path / "paper.docx"
    _draft(sample, SLT, out)
    paper = read_paper(out)
    with sqlite3.connect(db_path) as c:
        held_days = {
            value
            for table, columns in {
                "recommendation": ("due_date", "closed_date"), "progress_note": ("note_date",),
                "reporting_period": ("start_date", "end_date"), "inspection": ("published_date",),
                "milestone": ("baseline_date", "forecast_date", "completed_date"),
            }.items()
            for column in columns
            for (value,) in c.execute(f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL")
        }  # fmt: skip
        refs = {r for (r,) in c.execute("SELECT ref FROM recommendation UNION SELECT ref FROM objective")}
        people = {n for (n,) in c.execute("SELECT name FROM person")}
        texts = {
            t for (t,) in c.execute("SELECT text FROM progress_note UNION SELECT text FROM recommendation")
        }
    held_days.add(PAPER_DAY.isoformat())
    for d, mon, y in UK_DATE.findall(paper.text):
        shown = datetime.strptime(f"{d} {mon} {y}", "%d %b %Y").date().isoformat()
        assert shown in held_days, f"{d} {mon} {y}"
    import re

    for ref in re.findall(r"\b[A-Z]{3}-(?:[A-Za-z]+-)?\d[\d.]*\b", paper.text):
        assert ref in refs, ref
    owners = [row[2] for row in paper.cells[-1][1:]]
    assert all(o in people or o == NOT_ALLOCATED for o in owners)
    for line in paper.styled("Quote"):  # each item's words, as the store holds them
        assert line in texts


def _section(paper, heading: str) -> str:  # type: ignore[no-untyped-def]
    """The text under a Heading 2 up to the next heading."""
    out, inside = [], False
    for style, text in paper.paragraphs:
        if style.startswith("Heading"):
            if inside:
                break
            inside = text == heading
            continue
        if inside:
            out.append(text)
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------- unsafe text


@pytest.fixture
def plan(store, actor):  # type: ignore[no-untyped-def]
    return small_plan(store, actor)


def _item(store, actor, plan, ref: str, text: str, **extra) -> str:  # type: ignore[no-untyped-def]
    with store.write() as s:
        made = create_recommendation(
            s, actor=actor,
            data={"inspection_id": plan.inspection, "ref": ref, "text": text, "owner_id": plan.owner,
                  "status": "being progressed", **extra},
        )  # fmt: skip
        rid = made.created[0]
        link_recommendation(s, actor=actor, recommendation_id=rid, objective_id=plan.obj1)
    return rid


def test_formulas_control_characters_and_long_notes_are_written_as_text(store, actor, plan, tmp_path):
    rid = _item(store, actor, plan, "R-1", '=HYPERLINK("http://x")\tand a tab')
    long_note = ("Long note. " * (LONG_TEXT_MAX // 11))[: LONG_TEXT_MAX - 10] + " The end."
    with store.write() as s:
        for when, text in (
            (date(2024, 5, 1), "@SUM(1)\x01\x07 bell\x1b and escape"),
            (date(2024, 6, 1), long_note),
        ):
            add_progress_note(s, actor=actor, recommendation_id=rid, data={"note_date": when, "text": text})
        record_committee_paper(
            s, actor=actor, period_id=plan.q1, board_id=plan.board,
            data={"summary": "+1 more\x0b vertical tab", "item_notes": {rid: "-minus first\r\nsecond line"}},
        )  # fmt: skip
    out = tmp_path / "paper.docx"
    _draft(store, "Strategic Leadership Team", out, plan.q1)
    paper = read_paper(out)
    body = paper.text
    assert '=HYPERLINK("http://x")\tand a tab' in body
    assert "@SUM(1) bell and escape" in body and "\x07" not in body and "\x1b" not in body
    assert "+1 more vertical tab" in body
    assert "-minus first\nsecond line" in body
    assert any(text.endswith(long_note) for text in paper.styled("List Number"))  # whole, not cut
    # the only fields are the footer's page numbers: no text became a field or formula
    assert "instrText" not in paper.xml and "fldSimple" not in paper.xml


# ---------------------------------------------------------------------------------------------- the PMO's text


def test_the_pmos_text_is_kept_audited_undoable_and_starts_the_next_period(store, actor, plan, tmp_path):
    rid = _item(store, actor, plan, "R-1", "Improve the tasking process.")
    with store.write() as s:
        first = record_committee_paper(
            s, actor=actor, period_id=plan.q1, board_id=plan.board,
            data={"summary": "Good progress this quarter.", "item_notes": {rid: "Workshops held."}},
        )  # fmt: skip
    with store.write() as s:
        second = record_committee_paper(
            s, actor=actor, period_id=plan.q1, board_id=plan.board,
            data={"summary": "Good progress; one risk."}, expected_revision=1,
        )  # fmt: skip
    assert first.kinds == {Kind.COMMITTEE_PAPER} and second.summary.startswith("Wrote the committee paper")
    paper_id = first.created[0]
    history = [(f, n) for f, _, n in audit_of(store, paper_id)]
    assert ("summary", "Good progress; one risk.") in history
    with store.read() as s:
        text = paper_text(s, plan.q1, plan.board)
        assert (text.summary, text.item_notes, text.revision, text.from_period) == (
            "Good progress; one risk.", {rid: "Workshops held."}, 2, None,
        )  # fmt: skip
        carried = paper_text(s, plan.q2, plan.board)  # next period: the starting point
        assert (carried.id, carried.summary, carried.from_period) == (
            None,
            "Good progress; one risk.",
            "2024/25 Q1",
        )
    out = tmp_path / "paper.docx"
    _draft(store, "Strategic Leadership Team", out, plan.q1)
    body = read_paper(out).text
    assert "Good progress; one risk." in body and "Workshops held." in body
    with store.write() as s:
        revert_transaction(s, actor=actor, txn=second.txn)
    assert get(store, CommitteePaper, paper_id).summary == "Good progress this quarter."


def test_only_the_pmo_writes_a_paper_and_a_stale_copy_is_refused(store, actor, plan):
    lead = Actor("Head of Intelligence", "app", role=Role.LEAD, person_id=plan.lead)
    with pytest.raises(NotPermitted), store.write() as s:
        record_committee_paper(s, actor=lead, period_id=plan.q1, board_id=plan.board, data={"summary": "x"})
    with store.write() as s:
        record_committee_paper(s, actor=actor, period_id=plan.q1, board_id=plan.board, data={"summary": "x"})
    with pytest.raises(Exception, match="changed|revision"), store.write() as s:
        record_committee_paper(
            s, actor=actor, period_id=plan.q1, board_id=plan.board, data={"summary": "y"}, expected_revision=5
        )
    with pytest.raises(ValidationError), store.write() as s:
        record_committee_paper(
            s,
            actor=actor,
            period_id=plan.q1,
            board_id=plan.board,
            data={"summary": "z" * (LONG_TEXT_MAX + 1)},
        )
    with pytest.raises(ValidationError, match="no inspection item has the id 'nope'"), store.write() as s:
        record_committee_paper(
            s,
            actor=actor,
            period_id=plan.q1,
            board_id=plan.board,
            data={"item_notes": {"nope": "About nothing."}},
        )
    with store.read() as s:
        rows = s.exec(select(AuditEntry).where(AuditEntry.entity == "committee_paper")).all()
    assert rows and all(r.actor == actor.name for r in rows)


def test_an_item_with_nothing_new_says_no_change_only_after_a_first_period(store, actor, plan, tmp_path):
    rid = _item(store, actor, plan, "R-1", "Improve the tasking process.")
    with store.write() as s:
        add_progress_note(
            s, actor=actor, recommendation_id=rid, data={"note_date": date(2024, 5, 2), "text": "Begun."}
        )
    with store.read() as s:
        q1 = committee_data(s, plan.q1, plan.board, today=date(2024, 12, 1))
        q2 = committee_data(s, plan.q2, plan.board, today=date(2024, 12, 1))
    assert [n.text for n in q1.items[0].notes] == ["Begun."] and q1.previous is None
    # the item was written today, so the audit log puts its creation after both periods: nothing in Q2
    assert q2.items[0].notes == () and q2.items[0].unchanged
    out = tmp_path / "q2.docx"
    _draft(store, "Strategic Leadership Team", out, plan.q2)
    assert "No change since the last report. The latest, of 2 May 2024, reads: Begun." in read_paper(out).text


# ---------------------------------------------------------------------------------------------- the command line


def test_the_command_line_drafts_the_paper(sample, db_path, tmp_path, capsys):
    out = tmp_path / "paper.docx"
    assert main(["--db", str(db_path), "committee-paper", "--board", "senior leadership team (QUARTERLY)",
                 "--out", str(out), "--date", "17/04/2024"]) == 0  # fmt: skip
    said = capsys.readouterr().out
    assert f"Wrote the committee paper for the {SLT}, 2023/24 Q4, to {out}" in said
    assert read_paper(out).styled("Heading 2") and ["Date", "17 Apr 2024"] in read_paper(out).cells[0]
    assert main(["--db", str(db_path), "committee-paper", "--board", SLT, "--out", str(out)]) == EXIT_ERROR
    assert "already exists" in capsys.readouterr().err
    assert (
        main(
            ["--db", str(db_path), "committee-paper", "--board", "Nobody", "--out", str(tmp_path / "x.docx")]
        )
        == EXIT_ERROR
    )
    err = capsys.readouterr().err
    assert "--board: there is no board called 'Nobody'" in err and SLT in err
    assert (
        main(["--db", str(db_path), "committee-paper", "--board", SLT, "--out", str(tmp_path / "x.pdf")])
        == EXIT_ERROR
    )
    assert "should end in .docx" in capsys.readouterr().err
    assert not (tmp_path / "x.docx").exists() and not list(tmp_path.glob(".*partial"))


def test_a_paper_for_a_past_period_shows_each_item_as_it_stood_then(store, actor, plan, tmp_path):
    from tracker.services import update_recommendation

    rid = _item(store, actor, plan, "R-1", "Improve the tasking process.", due_date="2024-05-31")
    with store.write() as s:  # changed today, long after Q1 ended
        update_recommendation(
            s, actor=actor, recommendation_id=rid,
            changes={"status": "proposed for closure", "evidence": "Tasking minutes.", "due_date": "2025-03-31"},
        )  # fmt: skip
    with store.read() as s:
        item = committee_data(s, plan.q1, plan.board).items[0]
    assert (item.row.status, item.row.evidence, item.row.due_date, item.row.overdue) == (
        "being progressed", "", date(2024, 5, 31), True,
    )  # fmt: skip
    out = tmp_path / "q1.docx"
    _draft(store, "Strategic Leadership Team", out, plan.q1)
    body = read_paper(out).text
    assert "Status: Being progressed (past its due date of 31 May 2024)." in body
    assert "Tasking minutes." not in body and "proposed for closure" not in body.lower()


def test_a_board_with_no_linked_items_gets_a_short_paper_without_empty_sections(store, actor, plan, tmp_path):
    out = tmp_path / "empty.docx"
    _draft(store, "Strategic Leadership Team", out, plan.q1)
    paper = read_paper(out)
    assert paper.styled("Heading 1") == ["Purpose of the report", "Recommendation"]
    assert "no inspection item is linked to the work it oversees" in paper.text
    assert not paper.cells[1:] and "Update on activity" not in paper.text  # no appendix, no items


def test_the_audit_log_names_the_item_each_narrative_is_about(store, actor, plan, db_path, capsys):
    rid = _item(store, actor, plan, "R-1", "Improve the tasking process.")
    with store.write() as s:
        record_committee_paper(
            s, actor=actor, period_id=plan.q1, board_id=plan.board, data={"summary": "First."}
        )
    with store.write() as s:
        record_committee_paper(
            s,
            actor=actor,
            period_id=plan.q1,
            board_id=plan.board,
            data={"item_notes": {rid: "Workshops  held."}},
        )
    store.close()
    assert main(["--db", str(db_path), "audit", "--entity", "committee_paper"]) == 0
    said = capsys.readouterr().out
    assert "Committee paper: 2024/25 Q1, Strategic Leadership" in said
    assert "Item notes: — → R-1: Workshops held." in said


def test_an_item_closed_before_the_period_is_in_the_appendix_only(store, actor, plan, tmp_path):
    _item(store, actor, plan, "R-1", "Open item.")
    _item(
        store, actor, plan, "R-2", "Closed item.", status="closed", evidence="Minutes.",
        closure_rationale="Done and embedded.", closed_date="2024-06-15",
    )  # fmt: skip
    out = tmp_path / "q2.docx"
    _draft(store, "Strategic Leadership Team", out, plan.q2)
    paper = read_paper(out)
    assert paper.styled("Heading 2") == ["Recommendation R-1"]
    assert "The 1 item closed before 2024/25 Q2 is listed in the appendix only." in paper.text
    assert [row[0] for row in paper.cells[-1][1:]] == ["R-1", "R-2"] and paper.cells[-1][2][4] == "Closed"
    out1 = tmp_path / "q1.docx"  # closed during Q1: reported there, with its rationale
    _draft(store, "Strategic Leadership Team", out1, plan.q1)
    q1 = read_paper(out1)
    assert "Recommendation R-2" in q1.styled("Heading 2")
    assert "Status: Closed on 15 Jun 2024." in q1.text and "Closure rationale: Done and embedded." in q1.text


def test_an_item_shows_the_status_of_the_objectives_and_milestones_that_answer_it(
    store, actor, plan, tmp_path
):
    from tracker.services import create_milestone, record_status_update

    rid = _item(store, actor, plan, "R-1", "Improve the tasking process.")
    with store.write() as s:
        record_status_update(
            s, actor=actor, objective_id=plan.obj1, period_id=plan.q1,
            data={"lifecycle": "in progress", "rag": "amber", "progress_pct": 40, "rationale": "Slower start."},
        )  # fmt: skip
        made = [
            create_milestone(s, actor=actor, data={"objective_id": plan.obj1, "title": title, **dates}).created[-1]
            for title, dates in (
                ("Workshops held", {"baseline_date": "2024-05-01", "completed_date": "2024-05-03"}),
                ("Model agreed", {"baseline_date": "2024-05-15", "forecast_date": "2024-09-30"}),
                ("Done after Q1", {"baseline_date": "2024-06-01", "completed_date": "2024-08-01"}),
            )
        ]  # fmt: skip
        for mid in made:
            link_recommendation(s, actor=actor, recommendation_id=rid, milestone_id=mid)
    out = tmp_path / "q1.docx"
    _draft(store, "Strategic Leadership Team", out, plan.q1)
    body = read_paper(out).text
    assert "SER-01.01 (Amber, 40% complete): Objective number 1" in body
    assert "Workshops held (SER-01.01): complete on 3 May 2024." in body
    assert "Model agreed (SER-01.01): slipping, forecast 30 Sep 2024 (baseline 15 May 2024)." in body
    assert (
        "Done after Q1 (SER-01.01): overdue, forecast 1 Jun 2024." in body
    )  # not complete as at 30 Jun 2024
