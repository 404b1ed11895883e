"""Opening, closing and reopening reporting periods."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import select

from tests.builders import assert_refused, audit_of, get, small_plan
from tracker.db import Actor
from tracker.models import AuditEntry, Kind, ReportingPeriod
from tracker.queries.period_report import period_report
from tracker.services import (
    ValidationError,
    close_period,
    open_period,
    record_period_report,
    reopen_period,
    restore_deleted,
    revert_transaction,
    update_period,
)

Q3 = {"name": "2024/25 Q3", "start_date": "2024-10-01", "end_date": "2024-12-31"}


@pytest.fixture
def plan(any_store, actor):
    return small_plan(any_store, actor)


def test_open_a_period(any_store, actor, plan):
    with any_store.write() as s:
        changes = open_period(s, actor=actor, data=Q3)
    [period_id] = changes.created
    period = get(any_store, ReportingPeriod, period_id)
    assert (period.name, period.start_date, period.end_date, period.status, period.plan_id) == (
        "2024/25 Q3", date(2024, 10, 1), date(2024, 12, 31), "open", plan.plan,
    )  # fmt: skip
    assert changes.kinds == {Kind.REPORTING_PERIOD} and changes.ids == {period_id}
    assert "2024/25 Q3" in changes.summary and "01 Oct 2024" in changes.summary
    assert audit_of(any_store, period_id)[0][0] == "created"


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({**Q3, "end_date": "2024-09-30"}, "end_date", "before the start date"),
        ({**Q3, "start_date": "2024-13-01"}, "start_date", "not a date"),
        ({**Q3, "name": "  "}, "name", "must not be empty"),
        ({**Q3, "name": "2024/25 q2"}, "name", "already a period"),
        ({**Q3, "start_date": "2024-09-15"}, "start_date", "overlaps 2024/25 Q2"),
        ({"name": "Year", "start_date": "2024-01-01", "end_date": "2025-12-31"}, "start_date", "2024/25 Q1"),
    ],
)
def test_bad_periods_are_refused(any_store, actor, plan, data, field, words):
    err = assert_refused(any_store, ValidationError, lambda s: open_period(s, actor=actor, data=data))
    assert words in err.for_field(field), err.problems


def test_name_and_dates_problems_are_listed_together(any_store, actor, plan):
    data = {"name": "2024/25 Q1", "start_date": "2024-06-01", "end_date": "2024-08-01"}
    err = assert_refused(any_store, ValidationError, lambda s: open_period(s, actor=actor, data=data))
    assert {p.field for p in err.problems} == {"name", "start_date"}
    assert "2024/25 Q1" in err.for_field("start_date") and "2024/25 Q2" in err.for_field("start_date")


def test_close_and_reopen(any_store, actor, plan):
    with any_store.write() as s:
        closed = close_period(s, actor=actor, period_id=plan.q1)
    period = get(any_store, ReportingPeriod, plan.q1)
    assert (period.status, period.closed_by, period.revision) == ("closed", actor.name, 2)
    assert period.closed_at is not None
    assert [f for f, _, _ in audit_of(any_store, plan.q1, closed.txn)] == [
        "status", "closed_at", "closed_by", "settings",
    ]  # fmt: skip
    assert json.loads(period.settings)["risk_appetite"] == 12  # the settings it was reported with

    err = assert_refused(
        any_store, ValidationError, lambda s: close_period(s, actor=actor, period_id=plan.q1)
    )
    assert "already closed" in err.for_field("status")

    err = assert_refused(any_store, ValidationError, lambda s: reopen_period(
        s, actor=actor, period_id=plan.q1, reason="   "))  # fmt: skip
    assert err.for_field("reason")

    with any_store.write() as s:
        reopened = reopen_period(s, actor=actor, period_id=plan.q1, reason="Late return from SER lead")
    period = get(any_store, ReportingPeriod, plan.q1)
    assert (period.status, period.closed_at, period.closed_by, period.settings) == ("open", None, "", "")
    assert "Late return from SER lead" in reopened.summary and "audit log" in reopened.summary
    assert ("reopen_reason", None, "Late return from SER lead") in audit_of(any_store, plan.q1, reopened.txn)


def test_reopening_an_open_period_is_refused(any_store, actor, plan):
    err = assert_refused(any_store, ValidationError, lambda s: reopen_period(
        s, actor=actor, period_id=plan.q1, reason="why not"))  # fmt: skip
    assert "not closed" in err.for_field("status")


def test_undo_of_reopen_closes_again_and_keeps_the_reason_in_the_log(any_store, actor, plan):
    with any_store.write() as s:
        close_period(s, actor=actor, period_id=plan.q1)
    with any_store.write() as s:
        reopened = reopen_period(s, actor=actor, period_id=plan.q1, reason="Correction")
    with any_store.write() as s:
        revert_transaction(s, actor=actor, txn=reopened.txn)
    period = get(any_store, ReportingPeriod, plan.q1)
    assert period.status == "closed" and period.closed_by == actor.name
    with any_store.read() as s:
        reasons = s.exec(select(AuditEntry.new).where(AuditEntry.field == "reopen_reason")).all()
    assert reasons == ['"Correction"']


def test_a_removed_period_comes_back_when_opened_again_or_restored(any_store, actor, plan):
    with any_store.write() as s:
        opened = open_period(s, actor=actor, data=Q3)
    [period_id] = opened.created
    with any_store.write() as s:
        revert_transaction(s, actor=actor, txn=opened.txn)
    assert get(any_store, ReportingPeriod, period_id).deleted

    with any_store.write() as s:
        again = open_period(s, actor=actor, data={**Q3, "end_date": "2024-12-30"})
    assert again.ids == {period_id} and not again.created
    period = get(any_store, ReportingPeriod, period_id)
    assert not period.deleted and period.end_date == date(2024, 12, 30)

    with any_store.write() as s:
        revert_transaction(s, actor=actor, txn=again.txn)
    with any_store.write() as s:
        open_period(
            s, actor=actor, data={"name": "Autumn", "start_date": "2024-10-01", "end_date": "2024-10-31"}
        )
    err = assert_refused(any_store, ValidationError, lambda s: restore_deleted(
        s, actor=actor, entity="reporting_period", entity_id=period_id))  # fmt: skip
    assert "Autumn" in err.for_field("start_date")


# ---------------------------------------------------------------------------------------------- returns and the board report


def test_a_period_keeps_when_returns_are_due_and_whom_to_ask(any_store, actor, plan):
    with any_store.write() as s:
        changes = update_period(
            s,
            actor=actor,
            period_id=plan.q1,
            changes={"return_by": "2024-07-12", "return_contact": "PMO, x123"},
        )
    period = get(any_store, ReportingPeriod, plan.q1)
    assert (period.return_by, period.return_contact, period.revision) == (date(2024, 7, 12), "PMO, x123", 2)
    assert changes.summary == "Changed the returns for 2024/25 Q1: return by, return contact"
    with any_store.read() as s:
        row = period_report(s, plan.q1)
    assert (row.return_by, row.return_contact, row.report_id, row.has_report) == (
        date(2024, 7, 12),
        "PMO, x123",
        None,
        False,
    )
    err = assert_refused(
        any_store, ValidationError,
        lambda s: update_period(s, actor=actor, period_id=plan.q1, changes={"return_by": "2024-03-31"}),
    )  # fmt: skip
    assert "must not be before the period starts (01 Apr 2024)" in err.for_field("return_by")


def test_the_board_report_is_written_then_changed_even_once_the_period_is_closed(any_store, actor, plan):
    with any_store.write() as s:
        close_period(s, actor=actor, period_id=plan.q1)
    with any_store.write() as s:
        first = record_period_report(
            s, actor=actor, period_id=plan.q1, data={"key_messages": "Two vacancies filled."}
        )
    with any_store.write() as s:
        record_period_report(
            s, actor=Actor("Head of PMO", "app"), period_id=plan.q1,
            data={"decisions": "Approve the revised plan for SER-02.08."}, expected_revision=1,
        )  # fmt: skip
    with any_store.read() as s:
        row = period_report(s, plan.q1)
    assert (row.key_messages, row.decisions, row.report_revision, row.written_by) == (
        "Two vacancies filled.",
        "Approve the revised plan for SER-02.08.",
        2,
        "Head of PMO",
    )
    assert row.has_report and first.kinds == {Kind.PERIOD_REPORT}
    history = [(f, n) for f, _, n in audit_of(any_store, row.report_id)]
    assert history[-1] == ("decisions", "Approve the revised plan for SER-02.08.")
    with any_store.write() as s:  # undo of the second write puts the first back
        revert_transaction(s, actor=actor, txn=_last_txn(any_store))
    with any_store.read() as s:
        assert period_report(s, plan.q1).decisions == ""


def _last_txn(store):  # type: ignore[no-untyped-def]
    with store.read() as s:
        return s.exec(select(AuditEntry.txn).order_by(AuditEntry.seq.desc())).first()  # type: ignore[attr-defined]
