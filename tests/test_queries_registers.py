"""The registers: objectives, milestones, risks and recommendations, with every filter."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import event, func, select

from tests.query_builders import PLAN_ORDER, Q2_AS_OF, built  # noqa: F401 - fixture
from tracker import queries as q
from tracker.enums import Brag, MilestoneState, RiskBand
from tracker.models import AuditEntry
from tracker.queries import Filters
from tracker.queries._sql import MAX_BOUND_IDS
from tracker.rules import RuleSettings

# ---------------------------------------------------------------------------------------------- objectives


def test_objective_rows_in_plan_order_with_their_places_and_status(built):  # noqa: F811
    store, ids = built
    with store.read() as s:
        rows = q.objective_rows(s)
    assert [r.ref for r in rows] == PLAN_ORDER
    first = rows[0]
    assert first.id == ids.obj["SER-01.01"]
    assert (first.theme_code, first.theme_name, first.outcome_code) == ("SER", "Service", "SER-01")
    assert (first.lead_name, first.board_name, first.four_p) == (
        "Head of Intelligence", "Strategic Leadership Team", "Pursue,Protect",
    )  # fmt: skip
    assert (first.brag, first.brag_label, first.progress_pct) == (Brag.RED, "Red", 40)
    assert (first.revision, first.deleted) == (1, False)
    nobody = rows[PLAN_ORDER.index("PEO-01.02")]
    assert (nobody.lead_id, nobody.lead_name, nobody.board_name) == (None, "", "")
    assert (nobody.brag, nobody.brag_label) == (Brag.GREY, "Not started")


OBJECTIVE_FILTERS = [
    ("theme", lambda i: Filters(theme_id=i.theme["PEO"]), ["PEO-01.01", "PEO-01.02", "PEO-01.03", "PEO-01.04"]),
    ("outcome", lambda i: Filters(outcome_id=i.outcome["SER-02"]), ["SER-02.01", "SER-02.02"]),
    ("lead", lambda i: Filters(lead_id=i.person["A"]), ["SER-01.01", "SER-01.02", "PEO-01.01"]),
    ("board", lambda i: Filters(board_id=i.board["FIN"]), ["SER-01.02"]),
    ("red", lambda i: Filters(brag="red"), ["SER-01.01"]),
    ("amber", lambda i: Filters(brag="amber"), ["SER-02.01", "PEO-01.03"]),
    ("green", lambda i: Filters(brag="green"), ["SER-01.02", "SER-02.02"]),
    ("blue", lambda i: Filters(brag="blue"), ["PEO-01.01"]),
    ("grey", lambda i: Filters(brag="grey"), ["PEO-01.02", "PEO-01.04"]),
    ("lifecycle", lambda i: Filters(lifecycle="cancelled"), ["PEO-01.04"]),
    ("4P protect", lambda i: Filters(four_p="Protect"), ["SER-01.01"]),
    ("4P prevent", lambda i: Filters(four_p="Prevent"), ["SER-02.01"]),
    ("text in title, any case", lambda i: Filters(text="CRIME"), ["SER-01.01"]),
    ("text in ref", lambda i: Filters(text="peo-01.0"), ["PEO-01.01", "PEO-01.02", "PEO-01.03", "PEO-01.04"]),
    ("percent is literal", lambda i: Filters(text="%"), ["SER-01.02"]),
    ("underscore is literal", lambda i: Filters(text="_"), []),
    ("blank text is no filter", lambda i: Filters(text="  "), PLAN_ORDER),
    ("due from", lambda i: Filters(due_from=date(2025, 1, 1)), ["SER-01.01", "SER-02.01", "PEO-01.03", "PEO-01.04"]),
    ("due to", lambda i: Filters(due_to=date(2024, 10, 31)), ["SER-02.02", "PEO-01.01"]),
    ("ids", lambda i: Filters(ids=(i.obj["PEO-01.01"], i.obj["SER-02.02"])), ["SER-02.02", "PEO-01.01"]),
    ("deleted objective id", lambda i: Filters(ids=(i.obj["SER-01.03"],)), []),
    ("lead and theme", lambda i: Filters(lead_id=i.person["B"], theme_id=i.theme["SER"]), ["SER-02.01", "SER-02.02"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("make", "expected"), [c[1:] for c in OBJECTIVE_FILTERS], ids=[c[0] for c in OBJECTIVE_FILTERS]
)
def test_objective_filters(built, make, expected):  # noqa: F811
    store, ids = built
    with store.read() as s:
        assert [r.ref for r in q.objective_rows(s, make(ids))] == expected


def test_deleted_objectives_and_those_under_a_deleted_theme_only_when_asked(built):  # noqa: F811
    store, _ = built
    with store.read() as s:
        rows = q.objective_rows(s, Filters(include_deleted=True))
    # The deleted theme has ordinal 0, so its (live) objective comes first.
    assert [r.ref for r in rows] == ["DEL-01.01", "SER-01.01", "SER-01.02", "SER-01.03", *PLAN_ORDER[2:]]
    assert [r.ref for r in rows if r.deleted] == ["SER-01.03"]


def test_a_long_id_list_gives_the_same_rows_as_a_short_one(built):  # noqa: F811
    store, ids = built
    wanted = (ids.obj["SER-02.02"], ids.obj["PEO-01.03"])
    padding = tuple(f"not-an-id-{n}" for n in range(MAX_BOUND_IDS))
    with store.read() as s:
        short = q.objective_rows(s, Filters(ids=wanted))
        long = q.objective_rows(s, Filters(ids=padding + wanted))
        milestones = q.milestone_rows(s, Filters(ids=(*padding, ids.ms["M3"])), as_of=Q2_AS_OF)
        risks = q.risk_rows(s, Filters(ids=(*padding, ids.risk["R2"])))
        recs = q.recommendation_rows(s, Filters(ids=(*padding, ids.rec["REC4"])), as_of=Q2_AS_OF)
    assert [r.ref for r in long] == [r.ref for r in short] == ["SER-02.02", "PEO-01.03"]
    assert [m.id for m in milestones] == [ids.ms["M3"]]
    assert [r.ref for r in risks] == ["R2"]
    assert [r.ref for r in recs] == ["IA1"]


def test_filters_refuse_unknown_words_and_backwards_dates():
    with pytest.raises(ValueError, match="brag: 'purple' is not one of red, amber, green, blue, grey"):
        Filters(brag="purple")
    with pytest.raises(ValueError, match="state"):
        Filters(state="late")
    with pytest.raises(ValueError, match="four p"):
        Filters(four_p="pursue")
    with pytest.raises(ValueError, match="after due to"):
        Filters(due_from=date(2024, 2, 1), due_to=date(2024, 1, 1))
    assert Filters(ids=["a", "b"]).ids == ("a", "b")
    assert Filters().is_empty and not Filters(text="x").is_empty


# ---------------------------------------------------------------------------------------------- milestones


def test_milestone_rows_with_state_as_of_a_date(built):  # noqa: F811
    store, ids = built
    with store.read() as s:
        rows = q.milestone_rows(s, as_of=Q2_AS_OF)
        earlier = q.milestone_rows(s, as_of=date(2024, 9, 5))
    names = {v: k for k, v in ids.ms.items()}
    assert [(names[m.id], m.state) for m in rows] == [
        ("M1", MilestoneState.COMPLETE),
        ("M2", MilestoneState.OVERDUE),
        ("M3", MilestoneState.SLIPPING),
        ("M8", MilestoneState.ON_TRACK),
        ("M4", MilestoneState.OVERDUE),
        ("M6", MilestoneState.COMPLETE),
    ]
    m2 = rows[1]
    assert (m2.objective_ref, m2.objective_title, m2.theme_name) == (
        "SER-01.01",
        "Disrupt organised crime groups",
        "Service",
    )
    assert (m2.owner_name, m2.days_overdue, m2.slip_days, m2.notes) == ("Head of HR", 29, 31, "critical path")
    assert rows[2].slip_days == 45 and rows[2].days_overdue == 0
    assert rows[0].owner_name == ""
    # On 5 Sep the final report (completed 10 Sep, forecast 1 Sep) was unfinished and past its forecast;
    # but its objective PEO-01.01 is complete, so it is not pursued: never late, and no days overdue.
    assert {names[m.id]: (m.state, m.days_overdue) for m in earlier}["M6"] == (MilestoneState.NOT_PURSUED, 0)
    late = {names[m.id] for m in earlier if m.state is MilestoneState.OVERDUE}
    assert late == {"M2"}


MILESTONE_FILTERS = [
    ("overdue", lambda i: Filters(state="overdue"), ["M2", "M4"]),
    ("slipping", lambda i: Filters(state="slipping"), ["M3"]),
    ("on track", lambda i: Filters(state="on track"), ["M8"]),
    ("complete", lambda i: Filters(state="complete"), ["M1", "M6"]),
    ("owner", lambda i: Filters(owner_id=i.person["C"]), ["M3", "M8"]),
    ("objective lead", lambda i: Filters(lead_id=i.person["B"]), ["M8", "M4"]),
    ("theme", lambda i: Filters(theme_id=i.theme["PEO"]), ["M6"]),
    ("objective status", lambda i: Filters(brag="red"), ["M1", "M2"]),
    ("text in notes", lambda i: Filters(text="CRITICAL"), ["M2"]),
    ("text in objective ref", lambda i: Filters(text="ser-02.02"), ["M4"]),
    ("forecast range", lambda i: Filters(due_from=date(2024, 9, 1), due_to=date(2024, 9, 30)), ["M2", "M4", "M6"]),
    ("ids", lambda i: Filters(ids=(i.ms["M6"], i.ms["M1"], i.ms["M5"])), ["M1", "M6"]),
    ("deleted too", lambda i: Filters(include_deleted=True), ["M1", "M2", "M3", "M7", "M8", "M4", "M5", "M6"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("make", "expected"), [c[1:] for c in MILESTONE_FILTERS], ids=[c[0] for c in MILESTONE_FILTERS]
)
def test_milestone_filters(built, make, expected):  # noqa: F811
    store, ids = built
    names = {v: k for k, v in ids.ms.items()}
    with store.read() as s:
        assert [names[m.id] for m in q.milestone_rows(s, make(ids), as_of=Q2_AS_OF)] == expected


def test_milestone_state_uses_the_plans_tolerance(built):  # noqa: F811
    store, ids = built
    with store.read() as s:
        loose = q.milestone_rows(
            s, Filters(state="slipping"), as_of=Q2_AS_OF, settings=RuleSettings(slip_tolerance_days=60)
        )
    assert loose == []  # M3 slips 45 days: within a 60-day tolerance it is on track


# ---------------------------------------------------------------------------------------------- risks


@pytest.mark.parametrize("first", [0, 1, 2, 100])
def test_milestone_pages_are_the_register_a_first_screen_first(built, first):  # noqa: F811
    store, _ids = built
    with store.read() as s:
        pages = list(q.milestone_pages(s, first_objectives=first))
        whole = q.milestone_rows(s)
    assert len(pages) == 2 and [*pages[0], *pages[1]] == whole
    assert first == 0 or pages[0]  # the first objectives' milestones come first


def test_risk_rows_with_scores_bands_and_appetite(built):  # noqa: F811
    store, ids = built
    with store.read() as s:
        rows = q.risk_rows(s)
    assert [r.ref for r in rows] == ["R4", "R1", "R3", "R2"]  # residual score, highest first; R5 deleted
    r4, r1, r3, r2 = rows
    assert (r1.inherent_score, r1.residual_score, r1.target_score) == (20, 16, 4)
    assert (r1.inherent_band, r1.residual_band, r1.target_band) == (
        RiskBand.VERY_HIGH,
        RiskBand.VERY_HIGH,
        RiskBand.LOW,
    )
    assert (r1.objective_ref, r1.theme_name, r1.owner_name, r1.cause) == (
        "SER-02.01",
        "Service",
        "Programme Manager",
        "Budget cuts",
    )
    assert (r3.objective_id, r3.objective_ref, r3.theme_id, r3.theme_name) == (
        None,
        "",
        ids.theme["GOV"],
        "Governance",
    )
    assert (r3.residual_score, r3.residual_band) == (15, RiskBand.HIGH)
    assert [r.above_appetite for r in rows] == [False, True, True, False]  # R4 is closed
    assert (r2.residual_score, r2.residual_band, r2.review_date) == (9, RiskBand.MEDIUM, date(2025, 1, 1))
    assert r4.status == "closed"


def test_risk_appetite_comes_from_the_settings(built):  # noqa: F811
    store, _ = built
    with store.read() as s:
        rows = q.risk_rows(s, settings=RuleSettings(risk_appetite=15))
    assert {r.ref: r.above_appetite for r in rows} == {"R4": False, "R1": True, "R3": False, "R2": False}


RISK_FILTERS = [
    ("open", lambda i: Filters(status="open"), ["R1", "R3", "R2"]),
    ("theme of its own", lambda i: Filters(theme_id=i.theme["GOV"]), ["R3"]),
    ("theme of its objective", lambda i: Filters(theme_id=i.theme["SER"]), ["R4", "R1"]),
    ("owner", lambda i: Filters(owner_id=i.person["C"]), ["R1"]),
    ("objective lead", lambda i: Filters(lead_id=i.person["A"]), ["R4"]),
    ("text in cause", lambda i: Filters(text="budget"), ["R1"]),
    ("text in title", lambda i: Filters(text="Breach"), ["R3"]),
    ("review by", lambda i: Filters(due_to=date(2024, 12, 31)), ["R4", "R1"]),
    ("ids", lambda i: Filters(ids=(i.risk["R2"], i.risk["R3"])), ["R3", "R2"]),
    ("deleted too", lambda i: Filters(include_deleted=True), ["R4", "R5", "R1", "R3", "R2"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("make", "expected"), [c[1:] for c in RISK_FILTERS], ids=[c[0] for c in RISK_FILTERS]
)
def test_risk_filters(built, make, expected):  # noqa: F811
    store, ids = built
    with store.read() as s:
        assert [r.ref for r in q.risk_rows(s, make(ids))] == expected


# ---------------------------------------------------------------------------------------------- recommendations


def test_recommendation_rows_with_latest_note_links_and_overdue(built):  # noqa: F811
    store, ids = built
    with store.read() as s:
        rows = q.recommendation_rows(s, as_of=Q2_AS_OF)
        in_june = q.recommendation_rows(s, as_of=date(2024, 6, 1))
    assert [r.ref for r in rows] == ["AFI1", "C1", "R1", "IA1"]  # by inspection date, then ref; IA2 deleted
    afi, c1, r1, ia1 = rows
    assert (r1.body, r1.inspection_title, r1.kind, r1.owner_name) == (
        "HMICFRS", "ROCU inspection 2023", "recommendation", "Head of Intelligence",
    )  # fmt: skip
    assert (r1.latest_note, r1.latest_note_date) == (
        "Halfway there",
        date(2024, 8, 1),
    )  # a later note was deleted
    assert r1.objective_refs == ("SER-01.01", "SER-02.02")
    assert ia1.objective_refs == ("PEO-01.01",)  # its link to a deleted objective is not shown
    assert afi.objective_refs == () and afi.latest_note == "" and afi.latest_note_date is None
    assert [r.overdue for r in rows] == [False, False, True, True]  # C1 is past due but closed
    assert [r.overdue for r in in_june] == [False, False, False, False]
    # as of 1 June only the note of 1 May had been written: nothing after the as-of date shows
    june_r1 = next(r for r in in_june if r.ref == "R1")
    assert (june_r1.latest_note, june_r1.latest_note_date) == ("Work started", date(2024, 5, 1))
    assert (c1.status, c1.closed_date) == ("closed", date(2024, 2, 1))
    assert ia1.evidence == "Board minutes attached"


RECOMMENDATION_FILTERS = [
    ("status", lambda i: Filters(status="closed"), ["C1"]),
    ("body", lambda i: Filters(body="internal audit"), ["IA1"]),
    ("owner", lambda i: Filters(owner_id=i.person["B"]), ["AFI1", "IA1"]),
    ("text", lambda i: Filters(text="TASKING"), ["R1"]),
    ("text in evidence", lambda i: Filters(text="minutes"), ["IA1"]),
    ("text in inspection title", lambda i: Filters(text="governance"), ["IA1"]),
    ("theme of a linked objective", lambda i: Filters(theme_id=i.theme["PEO"]), ["IA1"]),
    ("lead of a linked objective", lambda i: Filters(lead_id=i.person["A"]), ["R1", "IA1"]),
    ("board of a linked objective", lambda i: Filters(board_id=i.board["FIN"]), []),
    ("due by", lambda i: Filters(due_to=date(2024, 6, 30)), ["C1", "R1"]),
    ("ids", lambda i: Filters(ids=(i.rec["REC4"], i.rec["REC5"])), ["IA1"]),
    ("deleted too", lambda i: Filters(include_deleted=True), ["AFI1", "C1", "R1", "IA1", "IA2"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("make", "expected"), [c[1:] for c in RECOMMENDATION_FILTERS], ids=[c[0] for c in RECOMMENDATION_FILTERS]
)
def test_recommendation_filters(built, make, expected):  # noqa: F811
    store, ids = built
    with store.read() as s:
        assert [r.ref for r in q.recommendation_rows(s, make(ids), as_of=Q2_AS_OF)] == expected


def test_progress_notes_newest_first_without_deleted(built):  # noqa: F811
    store, ids = built
    with store.read() as s:
        notes = q.progress_notes(s, ids.rec["REC1"])
        none = q.progress_notes(s, ids.rec["REC2"])
    assert [(n.note_date, n.text, n.author) for n in notes] == [
        (date(2024, 8, 1), "Halfway there", "PMO"),
        (date(2024, 5, 1), "Work started", "PMO"),
    ]
    assert none == []


def test_recommendation_links_of_every_kind_without_deleted(built):  # noqa: F811
    store, ids = built
    with store.read() as s:
        rec2 = q.recommendation_links(s, ids.rec["REC2"])
        rec1 = q.recommendation_links(s, ids.rec["REC1"])
        rec4 = q.recommendation_links(s, ids.rec["REC4"])
    assert rec2 == [
        q.LinkRow("milestone", ids.link_m3, ids.ms["M3"], "SER-01.02", "Training delivered"),
        q.LinkRow("risk", ids.link_r2, ids.risk["R2"], "R2", "Staff turnover"),
    ]  # the link to a deleted risk and a deleted link to an objective are not listed
    assert [(x.kind, x.ref) for x in rec1] == [("objective", "SER-01.01"), ("objective", "SER-02.02")]
    assert [(x.kind, x.target_id) for x in rec4] == [("objective", ids.obj["PEO-01.01"])]


# ---------------------------------------------------------------------------------------------- history and audit


def test_status_history_lists_every_period_with_movement(built):  # noqa: F811
    store, ids = built
    with store.read() as s:
        rows = q.status_history(s, ids.obj["SER-01.01"])
        missed = q.status_history(s, ids.obj["PEO-01.03"])
    assert [(r.period_name, r.brag_label, r.movement) for r in rows] == [
        ("2024/25 Q1", "Green", "new"),
        ("2024/25 Q2", "Red", "deteriorated"),
        ("2024/25 Q3", "No update", None),
        ("2025/26 Q1", "No update", None),
    ]
    q2 = rows[1]
    assert (q2.rationale, q2.corrective_action, q2.commentary) == (
        "SER-01.01 Q2 rationale", "SER-01.01 Q2 recovery plan", "SER-01.01 Q2 commentary",
    )  # fmt: skip
    assert (q2.progress_pct, q2.author, q2.period_status) == (40, "lead", "closed")
    assert rows[2].update_id is None and rows[2].reported_at is None
    assert [(r.brag_label, r.movement) for r in missed[:2]] == [("Amber", "new"), ("No update", None)]


def test_audit_rows_filtered_and_paged(built):  # noqa: F811
    store, ids = built
    with store.read() as s:
        risks = q.audit_rows(s, entity="risk")
        r5 = q.audit_rows(s, entity_id=ids.risk["R5"])
        funding = q.audit_rows(s, text="FUNDING shortfall")
        everyone = q.audit_rows(s, actor="PMO analyst", limit=100_000)
        nobody = q.audit_rows(s, actor="Someone else")
        since_2000 = q.audit_rows(s, since=date(2000, 1, 1), limit=100_000)
        future = q.audit_rows(s, since=date(2999, 1, 1))
        page1 = q.audit_rows(s, limit=3)
        page2 = q.audit_rows(s, limit=3, before_seq=page1[-1].seq)
        total = s.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
        stored = {seq: at for seq, at in s.execute(select(AuditEntry.seq, AuditEntry.at))}
    # times come back as the ORM reads them: aware, in UTC
    assert {r.seq: r.at for r in everyone} == stored
    assert all(r.at.utcoffset() == timedelta(0) for r in everyone)
    assert len(risks) == 6  # five created, one deleted
    assert [(r.field, r.old, r.new) for r in r5][0] == ("deleted", False, True)
    assert r5[1].field == "created" and r5[1].new["title"] == "Removed risk"
    assert [(r.entity, r.entity_id) for r in funding] == [("risk", ids.risk["R1"])]
    assert len(everyone) == len(since_2000) == total and nobody == [] and future == []
    seqs = [r.seq for r in page1 + page2]
    assert seqs == sorted(seqs, reverse=True) and len(set(seqs)) == 6
    assert page1[0].seq == everyone[0].seq


# ---------------------------------------------------------------------------------------------- no N+1


def test_each_register_is_one_statement(built):  # noqa: F811
    store, ids = built
    statements: list[str] = []

    def count(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            statements.append(statement)

    settings = RuleSettings()
    event.listen(store.engine, "before_cursor_execute", count)
    try:
        with store.read() as s:
            for run in (
                lambda: q.objective_rows(s),
                lambda: q.milestone_rows(s, as_of=Q2_AS_OF, settings=settings),
                lambda: q.risk_rows(s, settings=settings),
                lambda: q.recommendation_rows(s, as_of=Q2_AS_OF),
                lambda: q.recommendation_links(s, ids.rec["REC2"]),
                lambda: q.status_history(s, ids.obj["SER-01.01"]),
            ):
                statements.clear()
                assert run()
                assert len(statements) == 1, statements
    finally:
        event.remove(store.engine, "before_cursor_execute", count)
