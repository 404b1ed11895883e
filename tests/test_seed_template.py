"""Plan templates: faults reported with their place, the EMSOU plan seeded exactly as its TOML says."""

from __future__ import annotations

import tomllib
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.builders import assert_refused, snapshot
from tracker import resources
from tracker.audit import CREATED, decode, verify_chain
from tracker.errors import ServiceError
from tracker.models import (
    AuditEntry,
    Board,
    Inspection,
    Objective,
    Outcome,
    Person,
    Plan,
    ProgressNote,
    Recommendation,
    RecommendationObjective,
    Theme,
)
from tracker.seed.template import (
    TemplateError,
    empty_template,
    emsou_template,
    load_template,
    seed_plan,
)
from tracker.services.people import create_person

EMSOU = tomllib.loads(resources.read_text("plans", "emsou_2021_22.toml"))

GOOD = """
format = 1

[plan]
name = "Small plan"
start = 2021-04-01
end = 2022-03-31

[[person]]
key = "lead"
name = "Head of Ops"

[[board]]
key = "slt"
name = "Senior Leadership Team"

[[theme]]
code = "SER"
name = "Service"

  [[theme.outcome]]
  code = "SER-01"
  title = "Service is good"

    [[theme.outcome.objective]]
    ref = "SER-01.01"
    text = "Do the first thing."
    lead = "lead"
    board = "slt"
    start = 2021-04-01
    target = 2021-12-31

    [[theme.outcome.objective]]
    ref = "SER-01.02"
    text = "Do the second thing."
"""

OBJ1 = "theme SER > outcome SER-01 > objective SER-01.01"


def fault(old: str, new: str) -> str:
    """GOOD with one piece replaced (it must be there, so a test cannot silently test nothing)."""
    assert old in GOOD
    return GOOD.replace(old, new, 1)


def problems_of(text: str) -> list[tuple[str, str]]:
    with pytest.raises(TemplateError) as info:
        load_template(text)
    assert info.value.problems, "a TemplateError must list its problems"
    return [(p.field, p.message) for p in info.value.problems]


# ---------------------------------------------------------------------------------------------- loading


def test_good_template_loads():
    t = load_template(GOOD)
    assert t.plan.name == "Small plan"
    assert [o.ref for o in t.objectives()] == ["SER-01.01", "SER-01.02"]
    assert t.objectives()[0].lead == "lead" and t.objectives()[0].board == "slt"


@pytest.mark.parametrize(
    ("text", "where", "says"),
    [
        (GOOD + "\n[plan\n", "plan template", "not valid TOML"),
        (fault('name = "Small plan"\n', ""), "plan", "name is required"),
        (fault('name = "Small plan"', 'name = "   "'), "plan", "name must not be empty"),
        (fault('lead = "lead"', 'lead = "nobody"'), OBJ1, "lead 'nobody' is not a person key"),
        (fault('board = "slt"\n    start', 'board = "cttee"\n    start'), OBJ1, "board 'cttee' is not a board key"),
        (fault('ref = "SER-01.02"', 'ref = "SER-01.01"'), OBJ1, "duplicate ref 'SER-01.01' (in the plan)"),
        (fault("start = 2021-04-01\n    target", 'start = "1st April"\n    target'), OBJ1, "start: '1st April' is not a date"),
        (fault("target = 2021-12-31", "target = 2022-06-30"), OBJ1, "target 2022-06-30 is outside the plan"),
        (fault("target = 2021-12-31", "target = 2021-03-01"), OBJ1, "target 2021-03-01 is before start"),
        (fault("end = 2022-03-31", "end = 2020-03-31"), "plan", "end 2020-03-31 is before start 2021-04-01"),
        (fault("format = 1", "format = 2"), "file", "this app reads format 1, not 2"),
        (fault('key = "slt"', 'key = "slt"\nchair = "x"'), "board 'slt'", "unknown key 'chair'"),
        (fault('title = "Service is good"', "title = 3"), "theme SER > outcome SER-01", "title: expected text, got a whole number"),
        (fault('key = "lead"\nname = "Head of Ops"', 'key = "lead"\nname = "Head of Ops"\nemail = "nope"'),
         "person 'lead'", "'nope' is not an email address"),
    ],
)  # fmt: skip
def test_fault_is_reported_with_its_place(text, where, says):
    found = problems_of(text)
    assert any(field == where and says in msg and msg.startswith(f"{where}: ") for field, msg in found), found


def test_every_fault_is_reported_at_once():
    text = fault('lead = "lead"', 'lead = "nobody"').replace('ref = "SER-01.02"', 'ref = "SER-01.01"')
    text = text.replace("[[theme]]", '[[person]]\nkey = "lead"\nname = "Someone else"\n\n[[theme]]')
    found = [msg for _, msg in problems_of(text)]
    assert len(found) == 3, found
    assert any("lead 'nobody'" in m for m in found)
    assert any("duplicate ref 'SER-01.01'" in m for m in found)
    assert any(m.startswith("person 'lead': duplicate key 'lead'") for m in found)


def test_missing_file_and_missing_plan_table(tmp_path):
    assert problems_of(tmp_path / "nope.toml")[0][1].endswith("there is no such file")
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b'format = 1\nx = "\xff"\n')
    assert problems_of(bad) == [("bad.toml", "bad.toml: is not UTF-8 text")]
    assert ("file", "file: plan is required") in problems_of("format = 1\n")


def test_a_faulty_template_writes_nothing(store, actor):
    before = snapshot(store)
    with pytest.raises(TemplateError), store.write() as session:
        seed_plan(session, actor=actor, template=load_template(fault('lead = "lead"', 'lead = "x"')))
    assert snapshot(store) == before


# ---------------------------------------------------------------------------------------------- seeding EMSOU


def count(session, cls) -> int:
    return session.execute(select(func.count()).select_from(cls)).scalar_one()


def test_emsou_seed_matches_its_toml(any_store, actor):
    with any_store.write() as session:
        changes = seed_plan(session, actor=actor, template=emsou_template())
    assert changes.txn and "Created the plan" in changes.summary

    toml_objectives = [
        (theme, outcome, obj)
        for theme in EMSOU["theme"]
        for outcome in theme["outcome"]
        for obj in outcome["objective"]
    ]
    people = {p["key"]: p for p in EMSOU["person"]}
    boards = {b["key"]: b for b in EMSOU["board"]}
    with any_store.read() as session:
        plan = session.execute(select(Plan)).scalar_one()
        assert (plan.name, plan.start_date, plan.end_date) == (
            EMSOU["plan"]["name"],
            EMSOU["plan"]["start"],
            EMSOU["plan"]["end"],
        )
        assert plan.rag_red == EMSOU["plan"]["rag"]["red"]
        assert plan.risk_appetite == EMSOU["plan"]["risk"]["appetite"]
        assert plan.slip_tolerance_days == EMSOU["plan"]["milestones"]["slip_tolerance_days"]
        assert plan.is_sample is False

        got_people = {n: r for n, r in session.execute(select(Person.name, Person.role_title)).all()}
        assert got_people == {p["name"]: p["role"] for p in people.values()}
        got_boards = {n: d for n, d in session.execute(select(Board.name, Board.description)).all()}
        assert got_boards == {b["name"]: b["description"] for b in boards.values()}

        themes = session.execute(select(Theme.code, Theme.name).order_by(Theme.ordinal)).all()
        assert [tuple(t) for t in themes] == [(t["code"], t["name"]) for t in EMSOU["theme"]]
        outcomes = session.execute(
            select(Theme.code, Outcome.code, Outcome.title)
            .join(Theme)
            .order_by(Theme.ordinal, Outcome.ordinal)
        ).all()
        assert [tuple(o) for o in outcomes] == [
            (t["code"], o["code"], o["title"]) for t in EMSOU["theme"] for o in t["outcome"]
        ]

        lead, board = Person.__table__.alias(), Board.__table__.alias()  # type: ignore[attr-defined]
        rows = session.execute(
            select(Objective.ref, Objective.title, Theme.code, Outcome.code, lead.c.name, board.c.name,
                   Objective.four_p, Objective.start_date, Objective.target_date)
            .join(Outcome, Objective.outcome_id == Outcome.id)
            .join(Theme, Outcome.theme_id == Theme.id)
            .outerjoin(lead, Objective.lead_id == lead.c.id)
            .outerjoin(board, Objective.board_id == board.c.id)
            .order_by(Theme.ordinal, Outcome.ordinal, Objective.ordinal)
        ).all()  # fmt: skip
        assert len(rows) == len(toml_objectives) > 50
        for row, (theme, outcome, obj) in zip(rows, toml_objectives, strict=True):
            assert tuple(row) == (
                obj["ref"],
                obj["text"].strip(),
                theme["code"],
                outcome["code"],
                people[obj["lead"]]["name"] if obj.get("lead") else None,
                boards[obj["board"]]["name"] if obj.get("board") else None,
                ",".join(
                    p for p in ("Pursue", "Prevent", "Protect", "Prepare") if p in obj.get("four_p", [])
                ),
                obj.get("start"),
                obj.get("target"),
            ), obj["ref"]

        toml_items = [(i, item) for i in EMSOU.get("inspection", []) for item in i.get("item", [])]
        assert toml_items, "the shipped plan holds inspection items"
        assert sorted(session.execute(select(Inspection.title)).scalars()) == sorted(
            i["title"] for i in EMSOU["inspection"]
        )
        items = {
            (ref, text, status)
            for ref, text, status in session.execute(
                select(Recommendation.ref, Recommendation.text, Recommendation.status)
            ).all()
        }
        assert items == {
            (it["ref"], it["text"].strip(), it.get("status", "awaiting allocation")) for _, it in toml_items
        }
        assert count(session, ProgressNote) == sum(len(it.get("note", [])) for _, it in toml_items)
        links = set(
            session.execute(
                select(Recommendation.ref, Objective.ref)
                .join(RecommendationObjective, RecommendationObjective.recommendation_id == Recommendation.id)
                .join(Objective, RecommendationObjective.objective_id == Objective.id)
            ).all()
        )
        assert links == {(it["ref"], o) for _, it in toml_items for o in it.get("objectives", [])}


def test_emsou_seed_audits_every_row(any_store, actor):
    with any_store.write() as session:
        changes = seed_plan(session, actor=actor, template=emsou_template())
    tables = [Plan, Person, Board, Theme, Outcome, Objective, Inspection, Recommendation, ProgressNote,
              RecommendationObjective]  # fmt: skip
    with any_store.read() as session:
        assert verify_chain(session) == []
        ids = {i for cls in tables for i in session.execute(select(cls.id)).scalars()}
        entries = session.execute(
            select(AuditEntry.entity_id, AuditEntry.field, AuditEntry.txn, AuditEntry.new)
        ).all()
        assert Counter(e.entity_id for e in entries) == Counter(ids), "one creation entry per row, no other"
        assert {e.field for e in entries} == {CREATED} and {e.txn for e in entries} == {changes.txn}
        ids_by_ref = dict(session.execute(select(Objective.ref, Objective.id)).all())
    created = {e.entity_id: decode(e.new) for e in entries}
    first = created[ids_by_ref["SER-01.01"]]
    assert first["ref"] == "SER-01.01" and first["target_date"] == "2021-12-31"
    assert changes.ids == frozenset(ids)


def test_refuses_a_store_that_already_has_a_plan(any_store, actor):
    with any_store.write() as session:
        seed_plan(session, actor=actor, template=load_template(GOOD))
    error = assert_refused(
        any_store, ServiceError, lambda s: seed_plan(s, actor=actor, template=emsou_template())
    )
    assert "already holds a plan ('Small plan')" in str(error)


def test_people_already_in_the_store_are_reused(store, actor):
    with store.write() as session:
        create_person(session, actor=actor, data={"name": "head of ops"})
    with store.write() as session:
        seed_plan(session, actor=actor, template=load_template(GOOD))
    with store.read() as session:
        assert session.execute(select(Person.name)).scalars().all() == ["head of ops"]
        leads = session.execute(select(Objective.lead_id).where(Objective.ref == "SER-01.01")).scalar_one()
        assert leads == session.execute(select(Person.id)).scalar_one()


# ---------------------------------------------------------------------------------------------- empty plan


def test_empty_template_builds_a_blank_plan_with_default_settings(any_store, actor):
    template = empty_template("  Our plan ", organisation="Org", today=date(2022, 2, 10))
    with any_store.write() as session:
        seed_plan(session, actor=actor, template=template)
    defaults = Plan(name="x", start_date=date(2021, 1, 1), end_date=date(2021, 1, 1))
    settings = ["rag_green", "rag_amber", "rag_red", "rag_blue", "rag_grey", "risk_appetite", "risk_low_max",
                "risk_medium_max", "risk_high_max", "slip_tolerance_days", "period_frequency", "protective_marking"]  # fmt: skip
    with any_store.read() as session:
        plan = session.execute(select(Plan)).scalar_one()
        assert (plan.name, plan.organisation) == ("Our plan", "Org")
        assert (plan.start_date, plan.end_date) == (date(2021, 4, 1), date(2024, 3, 31))
        assert {s: getattr(plan, s) for s in settings} == {s: getattr(defaults, s) for s in settings}
        for cls in (Theme, Outcome, Objective, Board, Person, Inspection):
            assert count(session, cls) == 0, cls.__name__
        assert verify_chain(session) == []


def test_empty_template_dates():
    assert empty_template(today=date(2023, 4, 1)).plan.start_date == date(2023, 4, 1)
    assert empty_template(today=date(2023, 3, 31)).plan.start_date == date(2022, 4, 1)
    assert empty_template(start=date(2024, 2, 29)).plan.end_date == date(2027, 2, 28)
    with pytest.raises(TemplateError) as info:
        empty_template(" ", start=date(2022, 1, 1), end=date(2021, 1, 1))
    assert [p.message for p in info.value.problems] == [
        "plan: name must not be empty",
        "plan: end 2021-01-01 is before start 2022-01-01",
    ]
