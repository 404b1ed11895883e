"""The plan's settings and boards, kept by the PMO; a closed period keeps the settings it was reported with."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook

from tests.builders import assert_refused, get, small_plan
from tracker import queries as q
from tracker.db import Actor
from tracker.enums import Role
from tracker.models import REPORTED_SETTINGS, Board, Objective, Plan, ReportingPeriod
from tracker.services import (
    NotPermitted,
    ValidationError,
    close_period,
    create_board,
    create_risk,
    delete_board,
    open_period,
    reopen_period,
    restore_board,
    revert_transaction,
    update_board,
    update_period,
    update_plan_settings,
)
from tracker.workbooks.status import export_status_workbook

TODAY = date(2024, 10, 15)  # Q1 has ended, Q2 has just ended: both are judged as at their ends
LEAD = Actor("Head of Intelligence", role=Role.LEAD)
VIEWER = Actor("Board member", role=Role.VIEWER)


@pytest.fixture
def plan(store, actor):
    return small_plan(store, actor)


# ---------------------------------------------------------------------------------------------- settings


def test_every_setting_can_be_changed(store, actor, plan):
    values = {
        "name": "Test Strategy 2024/26", "organisation": "Test ROCU (East)", "start_date": "01/04/2024",
        "end_date": "31/03/2026", "period_frequency": "monthly", "protective_marking": "OFFICIAL-SENSITIVE",
        "handling_caveat": "PERSONAL", "rag_green": "Delivering.", "rag_amber": "Slipping.",
        "rag_red": "Stuck.", "rag_blue": "Done.", "rag_grey": "Not begun.", "risk_appetite": 10,
        "risk_low_max": 3, "risk_medium_max": 8, "risk_high_max": 16, "slip_tolerance_days": 7,
    }  # fmt: skip
    with store.write() as s:
        update_plan_settings(s, actor=actor, changes=values)
    p = get(store, Plan, plan.plan)
    assert (p.name, p.end_date, p.period_frequency, p.risk_high_max) == (
        "Test Strategy 2024/26", date(2026, 3, 31), "monthly", 16,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"end_date": "2024-04-01"}, {"end_date"}),
        ({"period_frequency": "fortnightly"}, {"period_frequency"}),
        ({"risk_appetite": 0}, {"risk_appetite"}),
        ({"risk_high_max": 26}, {"risk_high_max"}),
        ({"name": ""}, {"name"}),
    ],
)
def test_bad_settings_are_refused_by_field(store, actor, plan, changes, fields):
    err = assert_refused(
        store, ValidationError, lambda s: update_plan_settings(s, actor=actor, changes=changes)
    )
    assert {p.field for p in err.problems} == fields


@pytest.mark.parametrize("who", [LEAD, VIEWER], ids=["lead", "viewer"])
def test_only_the_pmo_changes_settings_boards_and_periods(store, plan, who):
    calls = [
        lambda s: update_plan_settings(s, actor=who, changes={"risk_appetite": 10}),
        lambda s: create_board(s, actor=who, data={"name": "Ethics Board"}),
        lambda s: update_board(s, actor=who, board_id=plan.board, changes={"cadence": "monthly"}),
        lambda s: delete_board(s, actor=who, board_id=plan.board),
        lambda s: restore_board(s, actor=who, board_id=plan.board),
        lambda s: open_period(
            s, actor=who, data={"name": "Q3", "start_date": "2024-10-01", "end_date": "2024-12-31"}
        ),  # fmt: skip
        lambda s: close_period(s, actor=who, period_id=plan.q1),
        lambda s: reopen_period(s, actor=who, period_id=plan.q1, reason="late"),
        lambda s: update_period(s, actor=who, period_id=plan.q1, changes={"return_contact": "PMO"}),
    ]
    for call in calls:
        err = assert_refused(store, NotPermitted, call)  # assert_refused checks nothing was written
        assert "Only the PMO can" in str(err) and who.name in str(err)


# ---------------------------------------------------------------------------------------------- boards


def test_a_board_is_added_changed_removed_and_restored(store, actor, plan):
    with store.write() as s:
        board_id = create_board(s, actor=actor, data={"name": "Ethics Board", "cadence": "monthly"}).created[
            -1
        ]
    with store.write() as s:
        update_board(s, actor=actor, board_id=board_id, changes={"name": "Ethics Committee"})
    assert get(store, Board, board_id).name == "Ethics Committee"
    with store.write() as s:
        removed = delete_board(s, actor=actor, board_id=board_id)
    assert get(store, Board, board_id).deleted
    with store.write() as s:
        revert_transaction(s, actor=actor, txn=removed.txn)
    assert not get(store, Board, board_id).deleted


def test_a_board_name_is_unique_in_the_plan(store, actor, plan):
    err = assert_refused(store, ValidationError, lambda s: create_board(
        s, actor=actor, data={"name": "strategic leadership team"}))  # fmt: skip
    assert "already a board called" in err.for_field("name")


def test_a_board_in_use_cannot_be_removed_and_the_message_says_what_uses_it(store, actor, plan):
    err = assert_refused(store, ValidationError, lambda s: delete_board(s, actor=actor, board_id=plan.board))
    assert str(err) == (
        "The board “Strategic Leadership Team” cannot be removed: 3 objectives report to it "
        "(SER-01.01, SER-01.02 and SER-01.03). Move them to another board first."
    )
    assert not get(store, Board, plan.board).deleted
    assert get(store, Objective, plan.obj1).board_id == plan.board


# ---------------------------------------------------------------------------------------------- closed periods keep theirs


def _risk_scored_12(store, actor, plan):
    scores = {f"{w}_{x}": 3 for w in ("inherent", "target") for x in ("likelihood", "impact")}
    with store.write() as s:
        create_risk(s, actor=actor, data={"objective_id": plan.obj1, "title": "Vetting backlog", **scores,
                                          "residual_likelihood": 3, "residual_impact": 4})  # fmt: skip


def test_closing_keeps_the_reported_settings_and_reopening_lets_them_go(store, actor, plan):
    with store.write() as s:
        close_period(s, actor=actor, period_id=plan.q1)
    with store.write() as s:
        update_plan_settings(s, actor=actor, changes={"risk_appetite": 9, "rag_red": "Needs the SLT."})
    with store.read() as s:
        closed, running = q.plan_for_period(s, plan.q1), q.plan_for_period(s, plan.q2)
    assert (closed.risk_appetite, closed.rag_red, closed.rule_settings.risk_appetite) == (
        12, "Off track; needs an SLT decision.", 12,
    )  # fmt: skip
    assert (running.risk_appetite, running.rag_red, running.rule_settings.risk_appetite) == (
        9,
        "Needs the SLT.",
        9,
    )
    with store.write() as s:
        reopen_period(s, actor=actor, period_id=plan.q1, reason="A late return")
    assert get(store, ReportingPeriod, plan.q1).settings == ""
    with store.read() as s:
        assert q.plan_for_period(s, plan.q1).risk_appetite == 9


def test_a_closed_periods_reports_keep_the_appetite_they_were_reported_with(store, actor, plan, tmp_path):
    _risk_scored_12(store, actor, plan)  # 12 is not above the appetite of 12, but is above 9
    with store.write() as s:
        close_period(s, actor=actor, period_id=plan.q1)

    def read(period_id: str) -> tuple[int, int, int, int, list[str]]:
        with store.read() as s:
            dash = q.dashboard_data(s, period_id, today=TODAY)
            head = q.headline(s, period_id, today=TODAY)
            above = [
                e for e in q.exceptions(s, period_id, today=TODAY) if e.kind.name == "RISK_ABOVE_APPETITE"
            ]
            out = tmp_path / f"{period_id}-{len(list(tmp_path.iterdir()))}.xlsx"
            export_status_workbook(s, period_id, out, generated_by="test", today=TODAY)
        wb = load_workbook(out, read_only=True)
        words = [str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row
                 if isinstance(v, str) and "appetite" in v]  # fmt: skip
        wb.close()
        return (
            dash.headline.risks_above_appetite,
            head.risks_above_appetite,
            dash.residual.appetite,
            len(above),
            words,
        )

    q1_before, q2_before = read(plan.q1), read(plan.q2)
    assert q1_before[:4] == q2_before[:4] == (0, 0, 12, 0)
    with store.write() as s:
        update_plan_settings(s, actor=actor, changes={"risk_appetite": 9})
    assert read(plan.q1) == q1_before  # the closed period: as reported, workbook and all
    q2_after = read(plan.q2)
    assert q2_after[:4] == (1, 1, 9, 1)  # the open period: the new appetite
    assert any("above 9" in w for w in q2_after[4]) and not any("above 9" in w for w in q1_before[4])


def test_every_reported_setting_is_a_plan_column():
    assert set(REPORTED_SETTINGS) <= set(Plan.__table__.c.keys())  # type: ignore[attr-defined]


def test_a_refused_close_takes_no_backup(plan_file):
    from tracker import autobackup
    from tracker.store import open_store

    before = autobackup.listing(plan_file)
    with open_store(plan_file) as store:
        q1 = next(p for p in _periods(store) if p.name == "2024/25 Q1")
        assert_refused(store, NotPermitted, lambda s: close_period(s, actor=LEAD, period_id=q1.id))
    assert autobackup.listing(plan_file) == before


def _periods(store):
    with store.read() as s:
        return q.periods(s, count_updates=False)


def test_the_settings_a_period_kept_read_as_words_in_the_audit_log(store, actor, plan):
    from tracker.models import reported_settings
    from tracker.queries.audit_words import value_words

    words = value_words("settings", reported_settings(get(store, Plan, plan.plan)))
    assert words.startswith("Green means: On track.; Amber means: ")
    assert "Risk appetite: 12; Low band up to: 4; Medium band up to: 9; High band up to: 15" in words
    assert words.endswith("Slip tolerance (days): 14")
