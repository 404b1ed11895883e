"""The plan's structure kept by the PMO: add, edit, reorder, renumber, retire, reinstate, remove; refused
to anyone else."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from tests.builders import assert_refused, audit_of, get, small_plan
from tracker.db import Actor
from tracker.enums import Role, Source
from tracker.models import Kind, Objective, Outcome, Theme
from tracker.services import (
    NotPermitted,
    ValidationError,
    create_milestone,
    create_objective,
    create_outcome,
    create_theme,
    move,
    record_status_update,
    reinstate,
    remove,
    renumber,
    retire,
    revert_transaction,
    update_objective,
    update_outcome,
    update_theme,
)
from tracker.services.structure import next_code, renumbering


@pytest.fixture
def plan(any_store, actor):
    return small_plan(any_store, actor)


def _refs(store, outcome_id):
    with store.read() as s:
        rows = s.exec(
            select(Objective).where(Objective.outcome_id == outcome_id, Objective.deleted == False)  # noqa: E712
        ).all()
        return [r.ref for r in sorted(rows, key=lambda r: (r.ordinal, r.ref)) if r.retired_on is None]


def test_add_an_outcome_and_an_objective_with_suggested_codes(any_store, actor, plan):
    with any_store.write() as s:
        added = create_outcome(s, actor=actor, theme_id=plan.theme, data={"title": "Partners trust us"})
    oid = added.created[0]
    outcome = get(any_store, Outcome, oid)
    assert (outcome.code, outcome.ordinal) == ("SER-02", 2)
    with any_store.write() as s:
        made = create_objective(
            s, actor=actor, outcome_id=oid,
            data={"title": "Publish a partner charter", "lead_id": plan.lead, "four_p": ["Prepare"],
                  "start_date": "01/04/2024", "target_date": "31/03/2025", "description": "Why it matters"},
        )  # fmt: skip
    objective = get(any_store, Objective, made.created[0])
    assert (objective.ref, objective.outcome_id, objective.plan_id) == ("SER-02.01", oid, plan.plan)
    assert (objective.four_p, objective.target_date, objective.description) == (
        "Prepare", date(2025, 3, 31), "Why it matters",
    )  # fmt: skip
    assert made.summary == "Added objective SER-02.01 to outcome SER-02"
    assert audit_of(any_store, objective.id)[0][:2] == ("created", None)


def test_codes_are_unique_across_the_plan_even_once_removed(any_store, actor, plan):
    err = assert_refused(
        any_store, ValidationError,
        lambda s: create_objective(s, actor=actor, outcome_id=plan.outcome, data={"ref": "ser-01.02", "title": "x"}),
    )  # fmt: skip
    assert "SER-01.02 is already used by “Objective number 2”" in err.for_field("ref")
    err = assert_refused(
        any_store,
        ValidationError,
        lambda s: create_theme(s, actor=actor, data={"code": "PEO", "name": "Again"}),
    )
    assert "PEO is already used" in err.for_field("code")
    err = assert_refused(
        any_store,
        ValidationError,
        lambda s: update_theme(s, actor=actor, theme_id=plan.theme, changes={"code": "S E R"}),
    )
    assert "letters, digits" in err.for_field("code")
    with any_store.write() as s:
        new = create_objective(s, actor=actor, outcome_id=plan.outcome, data={"title": "Made by mistake"})
    with any_store.write() as s:
        remove(s, actor=actor, kind=Kind.OBJECTIVE, item_id=new.created[0])
    with any_store.write() as s:  # the removed SER-01.04 is not handed out again
        again = create_objective(s, actor=actor, outcome_id=plan.outcome, data={"title": "Another"})
    assert get(any_store, Objective, again.created[0]).ref == "SER-01.05"


def test_edit_an_objectives_lead_dates_and_ref(any_store, actor, plan):
    with any_store.write() as s:
        changed = update_objective(
            s, actor=actor, objective_id=plan.obj1,
            changes={"lead_id": plan.owner, "target_date": "30/06/2025", "ref": "SER-01.10"}, expected_revision=1,
        )  # fmt: skip
    row = get(any_store, Objective, plan.obj1)
    assert (row.lead_id, row.target_date, row.ref) == (plan.owner, date(2025, 6, 30), "SER-01.10")
    assert changed.summary == "Changed objective SER-01.10: reference, lead, end (target) date"
    err = assert_refused(
        any_store, ValidationError,
        lambda s: update_objective(s, actor=actor, objective_id=plan.obj1, changes={"start_date": "01/07/2025"}),
    )  # fmt: skip
    assert "before the start date" in err.for_field("target_date")
    with any_store.write() as s:
        update_outcome(s, actor=actor, outcome_id=plan.outcome, changes={"title": "Assured and confident"})
    assert get(any_store, Outcome, plan.outcome).title == "Assured and confident"


def test_reorder_moves_one_and_keeps_the_rest_in_order_and_undo_puts_it_back(any_store, actor, plan):
    with any_store.write() as s:
        moved = move(s, actor=actor, kind=Kind.OBJECTIVE, item_id=plan.obj3, to_index=0)
    assert _refs(any_store, plan.outcome) == ["SER-01.03", "SER-01.01", "SER-01.02"]
    assert moved.summary == "Moved objective SER-01.03 first"
    with any_store.write() as s:
        move(s, actor=actor, kind=Kind.OBJECTIVE, item_id=plan.obj3, to_index=99)
    assert _refs(any_store, plan.outcome) == ["SER-01.01", "SER-01.02", "SER-01.03"]
    with any_store.write() as s:
        themes = move(s, actor=actor, kind=Kind.THEME, item_id=plan.people_theme, to_index=0)
    assert [t.code for t in sorted(_themes(any_store), key=lambda t: t.ordinal)] == ["PEO", "SER"]
    with any_store.write() as s:
        revert_transaction(s, actor=actor, txn=themes.txn)
    assert [t.code for t in sorted(_themes(any_store), key=lambda t: t.ordinal)] == ["SER", "PEO"]


def _themes(store):
    with store.read() as s:
        return list(s.exec(select(Theme)).all())


def test_renumbering_is_offered_not_forced_and_follows_the_order(any_store, actor, plan):
    with any_store.write() as s:
        move(s, actor=actor, kind=Kind.OBJECTIVE, item_id=plan.obj3, to_index=0)
    with any_store.read() as s:
        shown = renumbering(s, Kind.OBJECTIVE, plan.outcome)
    assert [(old, new) for _, old, new in shown] == [
        ("SER-01.03", "SER-01.01"), ("SER-01.01", "SER-01.02"), ("SER-01.02", "SER-01.03"),
    ]  # fmt: skip
    assert _refs(any_store, plan.outcome) == ["SER-01.03", "SER-01.01", "SER-01.02"]  # nothing changed yet
    with any_store.write() as s:
        done = renumber(s, actor=actor, kind=Kind.OBJECTIVE, parent_id=plan.outcome)
    assert _refs(any_store, plan.outcome) == ["SER-01.01", "SER-01.02", "SER-01.03"]
    assert get(any_store, Objective, plan.obj3).ref == "SER-01.01"
    # each ref is audited once, from its old value to its new: the parking place never shows
    assert audit_of(any_store, plan.obj3, done.txn) == [("ref", "SER-01.03", "SER-01.01")]
    with any_store.write() as s:
        revert_transaction(s, actor=actor, txn=done.txn)
    assert get(any_store, Objective, plan.obj3).ref == "SER-01.03"


def test_retire_keeps_history_and_cascades_and_reinstate_brings_it_back(any_store, actor, plan):
    with any_store.write() as s:
        record_status_update(
            s, actor=actor,
            objective_id=plan.obj1, period_id=plan.q1,
            data={"lifecycle": "in progress", "rag": "green", "rationale": "On plan"},
        )  # fmt: skip
        create_milestone(
            s, actor=actor,
            data={"objective_id": plan.obj1, "title": "Charter", "baseline_date": "30/06/2024", "forecast_date": "30/06/2024"},
        )  # fmt: skip
    err = assert_refused(
        any_store, ValidationError, lambda s: remove(s, actor=actor, kind=Kind.OBJECTIVE, item_id=plan.obj1)
    )
    assert (
        "cannot be removed: it has 1 status update and 1 milestone. Retire it instead"
        in err.problems[0].message
    )
    with any_store.write() as s:
        retired = retire(s, actor=actor, kind=Kind.OUTCOME, item_id=plan.outcome, on=date(2024, 7, 1))
    assert retired.summary == "Retired outcome SER-01 with 3 items in it from 01 Jul 2024"
    for oid in (plan.obj1, plan.obj2, plan.obj3):
        assert get(any_store, Objective, oid).retired_on == date(2024, 7, 1)
    err = assert_refused(
        any_store,
        ValidationError,
        lambda s: create_objective(s, actor=actor, outcome_id=plan.outcome, data={"title": "x"}),
    )
    assert "reinstate it first" in err.problems[0].message
    with any_store.write() as s:
        retire(s, actor=actor, kind=Kind.THEME, item_id=plan.theme, on=date(2024, 8, 1))
    err = assert_refused(
        any_store,
        ValidationError,
        lambda s: reinstate(s, actor=actor, kind=Kind.OUTCOME, item_id=plan.outcome),
    )
    assert "Reinstate SER first" in err.problems[0].message
    with any_store.write() as s:
        reinstate(s, actor=actor, kind=Kind.THEME, item_id=plan.theme)
    # the outcome was retired a month earlier, on its own: reinstating the theme leaves it retired
    assert get(any_store, Outcome, plan.outcome).retired_on == date(2024, 7, 1)
    with any_store.write() as s:
        reinstate(s, actor=actor, kind=Kind.OUTCOME, item_id=plan.outcome)
    assert get(any_store, Objective, plan.obj2).retired_on is None


def test_a_lead_or_viewer_is_refused_every_structure_change(any_store, plan):
    for role in (Role.LEAD, Role.VIEWER):
        who = Actor("Head of Intelligence", Source.APP, "", role)
        calls = [
            lambda s, who=who: create_theme(s, actor=who, data={"code": "NEW", "name": "New"}),
            lambda s, who=who: create_outcome(s, actor=who, theme_id=plan.theme, data={"title": "t"}),
            lambda s, who=who: create_objective(s, actor=who, outcome_id=plan.outcome, data={"title": "t"}),
            lambda s, who=who: update_objective(s, actor=who, objective_id=plan.obj1, changes={"title": "t"}),
            lambda s, who=who: move(s, actor=who, kind=Kind.OBJECTIVE, item_id=plan.obj1, to_index=2),
            lambda s, who=who: retire(s, actor=who, kind=Kind.OBJECTIVE, item_id=plan.obj1),
            lambda s, who=who: renumber(s, actor=who, kind=Kind.OBJECTIVE, parent_id=plan.outcome),
            lambda s, who=who: remove(s, actor=who, kind=Kind.OBJECTIVE, item_id=plan.obj1),
        ]
        for call in calls:
            err = assert_refused(any_store, NotPermitted, call)
            assert str(err).startswith("Only the PMO can ")
            assert f"you are working as {role.label}" in str(err)


def test_next_code_skips_numbers_already_taken(any_store, actor, plan):
    with any_store.write() as s:
        create_objective(
            s, actor=actor, outcome_id=plan.outcome, data={"ref": "SER-01.07", "title": "Seventh"}
        )
    with any_store.read() as s:
        assert next_code(s, Objective, plan.outcome) == "SER-01.08"
        assert next_code(s, Outcome, plan.theme) == "SER-02"


def test_the_tree_leaves_retired_items_out_of_the_plan_and_its_counts_unless_asked(any_store, actor, plan):
    from tracker.queries import plan_tree

    with any_store.write() as s:
        retire(s, actor=actor, kind=Kind.OBJECTIVE, item_id=plan.obj2, on=date(2024, 7, 1))
    with any_store.read() as s:
        q1 = plan_tree(s, period_id=plan.q1)  # started before the retirement: still in the plan
        q2 = plan_tree(s, period_id=plan.q2)
        q2_all = plan_tree(s, period_id=plan.q2, include_retired=True)
    assert plan.obj2 in {r.id for r in q1} and plan.obj2 not in {r.id for r in q2}
    outcome = {r.id: r for r in q2_all}[plan.outcome]
    assert outcome.counts is not None and outcome.counts.total == 2
    assert {r.id: r.retired_on for r in q2_all}[plan.obj2] == date(2024, 7, 1)
    assert {r.id: r for r in q1}[plan.outcome].counts.total == 3


def test_a_retired_objective_is_no_longer_held_by_its_lead(any_store, actor, plan):
    from tracker.services.holdings import held_counts

    with any_store.read() as s:
        before = held_counts(s, plan.lead)[0]
    with any_store.write() as s:
        retire(s, actor=actor, kind=Kind.OBJECTIVE, item_id=plan.obj3)
    with any_store.read() as s:
        assert held_counts(s, plan.lead)[0] == before - 1


def test_a_retired_objective_takes_no_update_for_a_period_after_it_left(any_store, actor, plan):
    with any_store.write() as s:
        retire(s, actor=actor, kind=Kind.OUTCOME, item_id=plan.outcome, on=date(2024, 7, 1))
    green = {"lifecycle": "in progress", "rag": "green", "rationale": "On plan"}
    err = assert_refused(
        any_store, ValidationError,
        lambda s: record_status_update(s, actor=actor, objective_id=plan.obj1, period_id=plan.q2, data=green),
    )  # fmt: skip
    assert "SER-01.01 was retired from the plan on 01 Jul 2024, so 2024/25 Q2 does not report it" in str(err)
    with any_store.write() as s:  # Q1 began before the retirement: still reported
        record_status_update(s, actor=actor, objective_id=plan.obj1, period_id=plan.q1, data=green)


def test_retiring_refuses_while_open_risks_sit_under_it_and_names_them(any_store, actor, plan):
    from tracker.services import create_risk, update_risk

    scores = {f"{s}_{w}": 3 for s in ("inherent", "residual", "target") for w in ("likelihood", "impact")}
    with any_store.write() as s:
        risk = create_risk(
            s,
            actor=actor,
            data={"ref": "R-9", "title": "Vetting backlog", "objective_id": plan.obj2, **scores},
        ).created[0]
    for kind, item in ((Kind.OBJECTIVE, plan.obj2), (Kind.OUTCOME, plan.outcome), (Kind.THEME, plan.theme)):
        err = assert_refused(
            any_store, ValidationError, lambda s, k=kind, i=item: retire(s, actor=actor, kind=k, item_id=i)
        )
        assert "cannot be retired while it holds 1 open risk (R-9): close them, or move them" in str(err)
    with any_store.write() as s:
        update_risk(s, actor=actor, risk_id=risk, changes={"status": "closed"})
    with any_store.write() as s:
        retire(s, actor=actor, kind=Kind.OBJECTIVE, item_id=plan.obj2)


def test_a_new_objective_cannot_report_to_another_plans_board(any_store, actor, plan):
    other = small_plan(any_store, actor)
    err = assert_refused(any_store, ValidationError, lambda s: create_objective(
        s, actor=actor, outcome_id=plan.outcome,
        data={"title": "Report elsewhere", "lead_id": plan.lead, "board_id": other.board,
              "start_date": "01/04/2024", "target_date": "31/03/2025"},
    ))  # fmt: skip
    assert "another plan" in err.for_field("board_id")


def test_a_taken_code_names_its_holder_in_plain_quotes(any_store, actor, plan):
    with any_store.write() as s:
        update_objective(s, actor=actor, objective_id=plan.obj2, changes={"title": "The partners' charter"})
    err = assert_refused(any_store, ValidationError, lambda s: create_objective(
        s, actor=actor, outcome_id=plan.outcome, data={"ref": "SER-01.02", "title": "x"}))  # fmt: skip
    assert "SER-01.02 is already used by “The partners' charter”" in err.for_field("ref")


def test_retiring_cannot_reach_back_into_a_closed_period(any_store, actor, plan):
    from tracker.services import close_period

    with any_store.write() as s:
        close_period(s, actor=actor, period_id=plan.q1)
    err = assert_refused(any_store, ValidationError, lambda s: retire(
        s, actor=actor, kind=Kind.OBJECTIVE, item_id=plan.obj1, on=date(2024, 4, 1)))  # fmt: skip
    assert "2024/25 Q1 started on 01 Apr 2024 and is closed" in err.for_field("retired_on")
    with any_store.write() as s:  # after the closed period's start it still reported the objective: fine
        retire(s, actor=actor, kind=Kind.OBJECTIVE, item_id=plan.obj1, on=date(2024, 4, 2))


def test_reinstating_cannot_put_an_item_back_into_a_closed_period(any_store, actor, plan):
    from tracker.services import close_period, reopen_period

    with any_store.write() as s:
        retire(s, actor=actor, kind=Kind.OBJECTIVE, item_id=plan.obj1, on=date(2024, 6, 1))
    with any_store.write() as s:
        close_period(s, actor=actor, period_id=plan.q2)  # started 01 Jul 2024, without SER-01.01
    err = assert_refused(
        any_store,
        ValidationError,
        lambda s: reinstate(s, actor=actor, kind=Kind.OBJECTIVE, item_id=plan.obj1),
    )
    assert "cannot be reinstated: it was retired from 01 Jun 2024, and 2024/25 Q2" in err.for_field(
        "retired_on"
    )
    with any_store.write() as s:
        reopen_period(s, actor=actor, period_id=plan.q2, reason="SER-01.01 was retired by mistake")
    with any_store.write() as s:
        reinstate(s, actor=actor, kind=Kind.OBJECTIVE, item_id=plan.obj1)
