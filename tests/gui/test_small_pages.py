"""People, Periods and Audit log pages driven through their widgets; their models pass qtmodeltester."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from sqlalchemy import func, select

from tests.gui.helpers import record_message_boxes, succeeded, written
from tracker.models import AuditEntry, Kind
from tracker.queries import periods
from tracker.queries.period_report import period_report
from tracker.services import create_milestone, delete_milestone, retire
from ui.pages.audit import AuditPage
from ui.pages.people import PeoplePage
from ui.pages.periods import PeriodsPage, suggest_next


def audit_count(ctx) -> int:  # type: ignore[no-untyped-def]
    with ctx.read() as s:
        return s.execute(select(func.count()).select_from(AuditEntry)).scalar_one()


def period_names(ctx) -> list[str]:  # type: ignore[no-untyped-def]
    with ctx.read() as s:
        return [p.name for p in periods(s)]


# ---------------------------------------------------------------------------------------------- periods


def test_open_a_period_through_the_form(plan_ctx, qtbot):  # type: ignore[no-untyped-def]
    page = PeriodsPage(plan_ctx)
    qtbot.addWidget(page)
    # the form suggests the quarter after the last one
    assert page.name.text() == "2024/25 Q3" and page.start.text() == "01/10/2024"
    assert page.end.text() == "31/12/2024"
    page.open_button.click()
    assert period_names(plan_ctx)[-1] == "2024/25 Q3"
    assert page.model.rowCount() == 3 and page.selected().name == "2024/25 Q3"
    assert page.name.text() == "2024/25 Q4"  # and the next suggestion is ready


def test_an_overlapping_period_is_refused_beside_its_field_and_nothing_is_written(plan_ctx, qtbot):  # type: ignore[no-untyped-def]
    page = PeriodsPage(plan_ctx)
    qtbot.addWidget(page)
    page.show()
    before = (audit_count(plan_ctx), period_names(plan_ctx))
    page.name.setText("Extra")
    page.start.set_day(date(2024, 9, 1))
    page.end.set_day(date(2024, 11, 30))
    page.open_button.click()
    assert "overlaps 2024/25 Q2" in page.errors.error("start_date")
    assert page.errors.error("name") == ""
    assert page.start.property("invalid") is True
    assert (audit_count(plan_ctx), period_names(plan_ctx)) == before


def test_end_before_start_and_a_missing_name_are_each_shown_by_their_field(plan_ctx, qtbot):  # type: ignore[no-untyped-def]
    page = PeriodsPage(plan_ctx)
    qtbot.addWidget(page)
    before = audit_count(plan_ctx)
    page.name.setText("")
    page.start.set_day(date(2025, 6, 1))
    page.end.set_day(date(2025, 5, 1))
    page.open_button.click()
    assert page.errors.error("name") != ""
    assert "start date" in page.errors.error("end_date")
    assert audit_count(plan_ctx) == before


def test_the_board_report_and_return_details_are_kept_per_period(plan_ctx, qtbot):  # type: ignore[no-untyped-def]
    page = PeriodsPage(plan_ctx)
    qtbot.addWidget(page)
    panel = page.board_report
    page.select_period(plan_ctx.ids.q1)
    assert (
        panel.title() == "For the board: 2024/25 Q1"
        and panel.written.text() == "Nothing written for the board yet."
    )
    panel.key_messages.setPlainText("Two analyst vacancies filled.")
    panel.decisions.setPlainText("Agree the revised milestones for SER-01.02.")
    assert succeeded(panel.save_report())
    assert panel.written.text().startswith("Last changed by PMO on ")
    with plan_ctx.read() as s:
        row = period_report(s, plan_ctx.ids.q1)
    assert (row.key_messages, row.decisions) == (
        "Two analyst vacancies filled.",
        "Agree the revised milestones for SER-01.02.",
    )
    page.select_period(plan_ctx.ids.q2)  # another period has its own
    assert panel.key_messages.toPlainText() == "" and panel.title() == "For the board: 2024/25 Q2"

    panel.has_return_by.setChecked(True)
    panel.return_by.setDate(QDate(2024, 5, 1))  # before Q2 starts
    assert not succeeded(panel.save_returns())
    assert "must not be before the period starts (01 Jul 2024)" in panel.return_errors.error("return_by")
    panel.return_by.setDate(QDate(2024, 10, 14))
    panel.return_contact.setText("Strategic PMO, x2345")
    assert succeeded(panel.save_returns())
    with plan_ctx.read() as s:
        row = period_report(s, plan_ctx.ids.q2)
    assert (row.return_by, row.return_contact) == (date(2024, 10, 14), "Strategic PMO, x2345")


def test_close_then_reopen_with_a_reason(plan_ctx, qtbot, monkeypatch):  # type: ignore[no-untyped-def]
    page = PeriodsPage(plan_ctx)
    qtbot.addWidget(page)
    record_message_boxes(monkeypatch, answer="Close period")
    page.select_period(plan_ctx.ids.q1)
    assert page.close_button.isEnabled() and not page.reopen_button.isEnabled()
    page.close_button.click()
    assert page.selected().status == "closed"
    assert page.reopen_button.isEnabled() and not page.close_button.isEnabled()
    before = audit_count(plan_ctx)
    assert not succeeded(page.reopen_selected(reason="   "))  # the reason is required
    assert "reason" in page.errors.error("reason") or "reason" in page.form_error.text()
    assert audit_count(plan_ctx) == before
    assert succeeded(page.reopen_selected(reason="A late return from the Head of Intelligence"))
    assert page.selected().status == "open"


def test_add_panel_puts_a_widget_below_the_table(plan_ctx, qtbot):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QLabel

    page = PeriodsPage(plan_ctx)
    qtbot.addWidget(page)
    panel = QLabel("Returns")
    page.add_panel(panel)
    assert panel.parentWidget() is page


def test_the_periods_table_has_the_height_at_1366_by_768(plan_ctx, app_settings, qtbot):  # type: ignore[no-untyped-def]
    from ui.main_window import MainWindow

    window = MainWindow(plan_ctx, location="/plans/test plan.db", settings=app_settings)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    page = window.show_page("periods")
    table = page.table
    qtbot.waitUntil(lambda: table.viewport().height() >= 8 * table.verticalHeader().defaultSectionSize())
    assert window.minimumSizeHint().height() <= 768
    with qtbot.waitActive(window):
        window.activateWindow()
    window.new_item_action.trigger()  # the new-period form unfolds on asking, its name ready to type, and still fits
    assert page.form_box.isVisible() and page.name.hasFocus()
    assert window.minimumSizeHint().height() <= 768
    page.form_toggle.click()
    assert not page.form_box.isVisible()


def test_suggest_next_for_a_monthly_plan() -> None:
    from tracker.queries import PeriodRow

    rows = [PeriodRow("1", "January 2025", date(2025, 1, 1), date(2025, 1, 31), "open", None, 0)]
    assert suggest_next(rows, "monthly", date(2025, 1, 5)) == ("", date(2025, 2, 1), date(2025, 2, 28))


# ---------------------------------------------------------------------------------------------- people


def test_add_a_person_and_see_a_bad_email_beside_its_field(plan_ctx, qtbot):  # type: ignore[no-untyped-def]
    page = PeoplePage(plan_ctx)
    qtbot.addWidget(page)
    before = audit_count(plan_ctx)
    page.new_item()
    page.name.setText("Risk Manager")
    page.email.setText("not an email")
    page.save_button.click()
    assert "not an email address" in page.errors.error("email")
    assert audit_count(plan_ctx) == before
    page.email.setText("risk@example.org")
    page.save_button.click()
    assert page.errors.error("email") == ""
    names = [r.name for r in page.model.rows]
    assert "Risk Manager" in names and page._editing.name == "Risk Manager"


def test_people_show_what_they_hold_and_can_be_deactivated(plan_ctx, qtbot, monkeypatch):  # type: ignore[no-untyped-def]
    page = PeoplePage(plan_ctx)
    qtbot.addWidget(page)
    lead = next(r for r in page.model.rows if r.name == "Head of Intelligence")
    assert lead.holds == "lead 3 objectives"
    shown = record_message_boxes(monkeypatch, answer="Deactivate")
    page.select_person(lead.id)
    page.deactivate_button.click()
    assert "still lead 3 objectives" in shown.texts
    now = next(r for r in page.model.rows if r.id == lead.id)
    assert not now.active and page.deactivate_button.text() == "Re&activate"


def test_people_filter(plan_ctx, qtbot):  # type: ignore[no-untyped-def]
    page = PeoplePage(plan_ctx)
    qtbot.addWidget(page)
    page.find.setText("programme")
    assert page.model.rowCount() == 1


# ---------------------------------------------------------------------------------------------- audit


def _milestone(ctx) -> str:  # type: ignore[no-untyped-def]
    changes = written(
        ctx,
        create_milestone,
        data={
            "objective_id": ctx.ids.obj1,
            "title": "Business case approved",
            "baseline_date": date(2024, 9, 30),
        },
    )
    return changes.created[0]


def test_audit_filters_by_item_who_and_text(plan_ctx, qtbot):  # type: ignore[no-untyped-def]
    page = AuditPage(plan_ctx)
    qtbot.addWidget(page)
    _milestone(plan_ctx)
    everything = page.model.rowCount()
    page.entity.setCurrentIndex(page.entity.findData("milestone"))
    rows = page.model.rows
    assert rows and all(r.entity == "milestone" for r in rows) and len(rows) < everything
    page.actor.setCurrentIndex(page.actor.findData("PMO"))
    assert page.model.rows and all(r.actor == "PMO" for r in page.model.rows)
    page.show_filters({"text": "no such words anywhere"})
    assert page.model.rowCount() == 0


def test_restore_a_deleted_item_from_its_entry(plan_ctx, qtbot):  # type: ignore[no-untyped-def]
    from tracker.models import Milestone

    mid = _milestone(plan_ctx)
    written(plan_ctx, delete_milestone, milestone_id=mid)
    page = AuditPage(plan_ctx)
    qtbot.addWidget(page)
    page.table.selectRow(1)  # not the deletion: Restore stays off
    assert page.model.row_at(1).field != "deleted" and not page.restore_button.isEnabled()
    row = next(i for i, r in enumerate(page.model.rows) if r.field == "deleted" and r.entity_id == mid)
    page.table.selectRow(row)
    assert page.restore_button.isEnabled()
    page.restore_button.click()
    with plan_ctx.read() as s:
        assert s.get(Milestone, mid).deleted is False
    assert page.model.row_at(0).field == "deleted" and page.model.row_at(0).new is False


def _shown(page: AuditPage, where) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The first entry ``where`` picks, as the page shows it: column title -> text."""
    model = page.model
    row = next(i for i, r in enumerate(model.rows) if where(r))
    return {
        model.headerData(c, Qt.Orientation.Horizontal): model.index(row, c).data()
        for c in range(model.columnCount())
    }


def test_audit_names_each_item_by_its_code_and_title_and_its_change_in_words(plan_ctx, qtbot):  # type: ignore[no-untyped-def]
    from tracker.services import create_risk, record_status_update

    ids = plan_ctx.ids
    written(plan_ctx, record_status_update, objective_id=ids.obj2, period_id=ids.q1,
            data={"lifecycle": "in progress", "rag": "amber", "progress_pct": 40, "rationale": "Slipping"})  # fmt: skip
    written(plan_ctx, create_risk, data={
        "ref": "R-001", "title": "Key staff leave", "objective_id": ids.obj1, "owner_id": ids.owner,
        "inherent_likelihood": 4, "inherent_impact": 4, "residual_likelihood": 3, "residual_impact": 3,
        "target_likelihood": 1, "target_impact": 1,
    })  # fmt: skip
    page = AuditPage(plan_ctx)
    qtbot.addWidget(page)
    progress = _shown(page, lambda r: r.entity == "objective" and r.field == "progress_pct")
    assert progress["Item"] == "SER-01.02 Objective number 2"
    assert progress["Change"] == "Progress: — → 40%"
    assert _shown(page, lambda r: r.entity == "objective" and r.field == "rag")["Change"] == "RAG: — → Amber"
    lifecycle = _shown(page, lambda r: r.entity == "objective" and r.field == "lifecycle")
    assert lifecycle["Change"] == "Lifecycle: Not started → In progress"
    update = _shown(page, lambda r: r.entity == "status_update")
    assert update["Item"] == "Status update: SER-01.02, 2024/25 Q1"
    assert update["Change"] == "added: In progress, Amber, 40%"
    risk = _shown(page, lambda r: r.entity == "risk")
    assert (risk["Item"], risk["Change"]) == ("R-001 Key staff leave", "added: 'Key staff leave'")
    page.show_filters({"entity": "risk"})  # the owner's own entries are not on the page
    tip = page.model.index(0, 4).data(Qt.ItemDataRole.ToolTipRole)
    assert "Owner: Programme Manager" in tip and "Objective: SER-01.01" in tip  # ids, by their names


def test_audit_still_names_a_removed_item(plan_ctx, qtbot):  # type: ignore[no-untyped-def]
    mid = _milestone(plan_ctx)
    written(plan_ctx, delete_milestone, milestone_id=mid)
    page = AuditPage(plan_ctx)
    qtbot.addWidget(page)
    removed = _shown(page, lambda r: r.field == "deleted")
    assert (removed["Item"], removed["Change"]) == ("Milestone: Business case approved", "removed")
    added = _shown(page, lambda r: r.entity == "milestone" and r.field == "created")
    assert added["Change"] == "added: 'Business case approved'"


def test_audit_says_where_a_change_came_from_once(plan_ctx, qtbot):  # type: ignore[no-untyped-def]
    from tracker.db import Actor
    from tracker.enums import Source
    from tracker.services import update_objective

    who = Actor("PMO", Source.RETURN, "return file SER lead 2024-25 Q1.xlsx (sha256 0123456789ab)")
    with plan_ctx.store.write() as session:
        update_objective(session, actor=who, objective_id=plan_ctx.ids.obj1, changes={"title": "Renamed"})
    page = AuditPage(plan_ctx)
    qtbot.addWidget(page)
    shown = _shown(page, lambda r: r.field == "title")
    assert shown["From"] == "return file SER lead 2024-25 Q1.xlsx"
    assert shown["Item"] == "SER-01.01 Renamed"
    assert shown["Change"] == "Title: Objective number 1 → Renamed"


def test_audit_pages_back_through_history(plan_ctx, qtbot, monkeypatch):  # type: ignore[no-untyped-def]
    import ui.pages.audit as audit_page

    monkeypatch.setattr(audit_page, "PAGE_SIZE", 5)
    page = AuditPage(plan_ctx)
    qtbot.addWidget(page)
    total = audit_count(plan_ctx)
    assert page.model.rowCount() == 5 and page.more_button.isEnabled()
    while page.more_button.isEnabled():
        page.more_button.click()
    seqs = [r.seq for r in page.model.rows]
    assert len(seqs) == total and seqs == sorted(seqs, reverse=True)


# ---------------------------------------------------------------------------------------------- models


def test_models_pass_qtmodeltester(plan_ctx, qtmodeltester):  # type: ignore[no-untyped-def]
    from tracker.queries import audit_rows
    from tracker.queries.holdings import people_with_holdings
    from ui.models.audit import AuditModel
    from ui.models.people import PeopleModel
    from ui.models.periods import PeriodsModel

    _milestone(plan_ctx)
    with plan_ctx.read() as s:
        filled = [
            (PeopleModel(), people_with_holdings(s)),
            (PeriodsModel(), periods(s)),
            (AuditModel(), audit_rows(s)),
        ]
    for model, rows in filled:
        model.set_rows(rows)
        assert model.rowCount() > 0
        qtmodeltester.check(model, force_py=True)
        model.append_rows(rows[:2])  # paging on: inserted rows checked by the tester's signal hooks
        assert model.rowCount() == len(rows) + 2


def test_closing_a_period_warns_of_returns_not_back_and_objectives_with_no_update(
    plan_ctx, qtbot, monkeypatch, tmp_path
):  # type: ignore[no-untyped-def]
    from tracker.workbooks.returns_issue import issue_returns

    with plan_ctx.store.write() as s:
        issued = issue_returns(s, plan_ctx.actor, plan_ctx.ids.q1, tmp_path)
    page = PeriodsPage(plan_ctx)
    qtbot.addWidget(page)
    shown = record_message_boxes(monkeypatch, answer=None)  # the person cancels
    page.select_period(plan_ctx.ids.q1)
    page.close_button.click()
    text = shown.texts
    leads = sorted(r.lead_name for r in issued)
    assert f"{len(issued)} return{'s' if len(issued) != 1 else ''} not back yet" in text
    assert all(name in text for name in leads)
    assert "3 objectives with no update for this period" in text
    assert page.selected().status == "open"  # cancelled: nothing closed


def test_closing_a_period_does_not_count_a_retired_objective_as_missing(plan_ctx, qtbot, monkeypatch):  # type: ignore[no-untyped-def]
    ids = plan_ctx.ids
    with plan_ctx.store.write() as s:  # retired after Q1 started: still due in Q1, not in Q2
        retire(s, actor=plan_ctx.actor, kind=Kind.OBJECTIVE, item_id=ids.obj1, on=date(2024, 5, 1))
    page = PeriodsPage(plan_ctx)
    qtbot.addWidget(page)
    shown = record_message_boxes(monkeypatch, answer=None)
    page.select_period(ids.q1)
    page.close_button.click()
    page.select_period(ids.q2)
    page.close_button.click()
    assert "3 objectives with no update for this period" in shown.boxes[0][1]
    assert "2 objectives with no update for this period" in shown.boxes[1][1]
