"""Exceptions, derived RAG and overdue items on the hand-built plan (tests/query_builders.py)."""

from __future__ import annotations

from datetime import date

from tests.query_builders import PLAN_ORDER, Q2_AS_OF, TODAY, built, ref_of  # noqa: F401 - fixture
from tracker import queries as q
from tracker.enums import Brag
from tracker.models import Milestone, Objective, Plan, Risk
from tracker.queries import ExceptionKind, Filters
from tracker.services.base import unit_of_work

K = ExceptionKind

# ---------------------------------------------------------------------------------------------- derived RAG


def test_derived_rags_from_milestones_risks_and_updates(built):  # noqa: F811
    store, ids = built
    with store.read() as s:
        derived = q.derived_rags(s, ids.period["Q2"], today=TODAY)
    assert set(derived) == {ids.obj[ref] for ref in PLAN_ORDER}
    got = {ref_of(ids, oid): (d.status, d.reasons) for oid, d in derived.items()}
    assert got == {
        "SER-01.01": (Brag.RED, ("1 milestone overdue by more than 14 days",)),  # M2, 29 days; R4 is closed
        "SER-01.02": (
            Brag.AMBER,
            ("1 milestone slipping more than 14 days",),
        ),  # M3, 45 days later than baseline
        "SER-02.01": (Brag.RED, ("1 residual risk very high (highest 16)",)),  # R1
        "SER-02.02": (Brag.AMBER, ("1 milestone overdue",)),  # M4, 5 days
        "PEO-01.01": (Brag.BLUE, ("complete",)),
        "PEO-01.02": (Brag.GREY, ("not started",)),
        "PEO-01.03": (Brag.AMBER, ("no update for 2024/25 Q2",)),  # R2 (9) is within appetite
        "PEO-01.04": (Brag.GREY, ("cancelled",)),
    }


def test_derived_rags_while_a_period_runs_and_filtered(built):  # noqa: F811
    store, ids = built
    with store.read() as s:
        running = q.derived_rags(s, ids.period["Q3"], today=TODAY)
        early = q.derived_rags(s, ids.period["Q2"], today=date(2024, 9, 10))
        peo = q.derived_rags(s, ids.period["Q2"], Filters(theme_id=ids.theme["PEO"]), today=TODAY)
    # No updates in Q3: each falls back to the objective's current lifecycle.
    assert running[ids.obj["PEO-01.01"]].status is Brag.BLUE
    assert running[ids.obj["PEO-01.04"]].status is Brag.GREY
    assert running[ids.obj["SER-02.02"]].reasons == (
        "1 milestone overdue by more than 14 days",
        "no update for 2024/25 Q3",
    )
    assert running[ids.obj["SER-01.02"]].reasons == (
        "1 milestone slipping more than 14 days",
        "no update for 2024/25 Q3",
    )
    # On 10 Sep M2 is 9 days overdue (within tolerance) and M4 is not yet due.
    assert early[ids.obj["SER-01.01"]].reasons == ("1 milestone overdue",)
    assert early[ids.obj["SER-02.02"]].status is Brag.GREEN
    assert [ref_of(ids, oid) for oid in peo] == ["PEO-01.01", "PEO-01.02", "PEO-01.03", "PEO-01.04"]


# ---------------------------------------------------------------------------------------------- exceptions


def _brief(ids, rows):  # type: ignore[no-untyped-def]
    return [(r.kind, r.objective_ref, r.item_id) for r in rows]


def test_exceptions_for_a_period_in_kind_then_plan_order(built):  # noqa: F811
    store, ids = built
    o, ms, r = ids.obj, ids.ms, ids.risk
    with store.read() as s:
        rows = q.exceptions(s, ids.period["Q2"], today=TODAY)
    assert _brief(ids, rows) == [
        (K.RED, "SER-01.01", o["SER-01.01"]),
        (K.DETERIORATED, "SER-01.01", o["SER-01.01"]),
        (K.DETERIORATED, "PEO-01.04", o["PEO-01.04"]),
        (K.OVERDUE_MILESTONE, "SER-01.01", ms["M2"]),
        (K.OVERDUE_MILESTONE, "SER-02.02", ms["M4"]),
        (K.RISK_ABOVE_APPETITE, "SER-02.01", r["R1"]),
        (K.RISK_ABOVE_APPETITE, "", r["R3"]),  # held against a theme: after the objectives
        (K.DISAGREEMENT, "SER-01.02", o["SER-01.02"]),
        (K.DISAGREEMENT, "SER-02.01", o["SER-02.01"]),
        (K.DISAGREEMENT, "SER-02.02", o["SER-02.02"]),
    ]
    assert [r.detail for r in rows] == [
        "Reported Red for 2024/25 Q2",
        "Green in 2024/25 Q1, Red in 2024/25 Q2",
        "Green in 2024/25 Q1, Cancelled in 2024/25 Q2",
        "Milestone \u201cSupplier appointed\u201d was forecast for 01 Sep 2024: 29 days overdue",
        "Milestone \u201cPolicy published\u201d was forecast for 25 Sep 2024: 5 days overdue",
        "Risk R1 \u201cFunding shortfall\u201d: residual score 16 (very high), above the appetite of 12",
        "Risk R3 \u201cData breach\u201d: residual score 15 (high), above the appetite of 12",
        "Reported Green; the evidence suggests Amber: 1 milestone slipping more than 14 days",
        "Reported Amber; the evidence suggests Red: 1 residual risk very high (highest 16)",
        "Reported Green; the evidence suggests Amber: 1 milestone overdue",
    ]


def test_exceptions_carry_the_leads_rationale_and_corrective_action(built):  # noqa: F811
    store, ids = built
    with store.read() as s:
        rows = q.exceptions(s, ids.period["Q2"], today=TODAY)
    red = rows[0]
    assert red == (
        K.RED, ids.obj["SER-01.01"], "SER-01.01", "Disrupt organised crime groups", "Head of Intelligence",
        Brag.RED, "Red", "SER-01.01 Q2 rationale", "SER-01.01 Q2 recovery plan", "Reported Red for 2024/25 Q2",
        ids.obj["SER-01.01"],
    )  # fmt: skip
    # Every row about SER-01.01 carries its lead's words, whatever the kind.
    about = [r for r in rows if r.objective_ref == "SER-01.01"]
    assert [r.kind for r in about] == [K.RED, K.DETERIORATED, K.OVERDUE_MILESTONE]
    assert {(r.rationale, r.corrective_action) for r in about} == {
        ("SER-01.01 Q2 rationale", "SER-01.01 Q2 recovery plan")
    }
    amber = next(r for r in rows if r.kind is K.DISAGREEMENT and r.objective_ref == "SER-02.01")
    assert (amber.lead_name, amber.status, amber.status_label) == ("Head of HR", Brag.AMBER, "Amber")
    assert (amber.rationale, amber.corrective_action) == ("SER-02.01 Q2 rationale", "")
    cancelled = next(r for r in rows if r.objective_ref == "PEO-01.04")
    assert (cancelled.status, cancelled.status_label, cancelled.rationale) == (Brag.GREY, "Cancelled", "")
    theme_risk = next(r for r in rows if r.item_id == ids.risk["R3"])
    assert (theme_risk.objective_id, theme_risk.lead_name, theme_risk.status, theme_risk.rationale) == (
        None,
        "",
        None,
        "",
    )
    assert K.DISAGREEMENT.label == "Derived status disagrees"


def test_exceptions_of_the_first_period_and_the_running_one(built):  # noqa: F811
    store, ids = built
    with store.read() as s:
        first = q.exceptions(s, ids.period["Q1"], today=TODAY)
        running = q.exceptions(s, ids.period["Q3"], today=TODAY)
    # Q1 (as at 30 Jun): nothing Red, nothing to compare with, no milestone overdue yet; R1 and R3
    # are judged on their residual scores now; SER-02.01 has no update, so no disagreement. M2
    # already slips 31 days (SER-01.01 reported Green); PEO-01.03's Amber has no evidence behind it.
    assert _brief(ids, first) == [
        (K.RISK_ABOVE_APPETITE, "SER-02.01", ids.risk["R1"]),
        (K.RISK_ABOVE_APPETITE, "", ids.risk["R3"]),
        (K.DISAGREEMENT, "SER-01.01", ids.obj["SER-01.01"]),
        (K.DISAGREEMENT, "PEO-01.03", ids.obj["PEO-01.03"]),
    ]
    assert first[-1].detail == (
        "Reported Amber; the evidence suggests Green: milestones on track, risks within appetite, updated"
    )
    # Q3 has no updates: no Red, no movement, no disagreement; milestones as of today.
    assert [(r.kind, r.item_id) for r in running] == [
        (K.OVERDUE_MILESTONE, ids.ms["M2"]),
        (K.OVERDUE_MILESTONE, ids.ms["M4"]),
        (K.RISK_ABOVE_APPETITE, ids.risk["R1"]),
        (K.RISK_ABOVE_APPETITE, ids.risk["R3"]),
    ]
    assert "was forecast for 01 Sep 2024: 75 days overdue" in running[0].detail
    assert (running[0].status, running[0].status_label, running[0].rationale) == (Brag.GREY, "No update", "")


def test_exceptions_as_of_a_chosen_date_and_filtered(built):  # noqa: F811
    store, ids = built
    with store.read() as s:
        early = q.exceptions(s, ids.period["Q2"], as_of=date(2024, 9, 2))
        peo = q.exceptions(s, ids.period["Q2"], filters=Filters(theme_id=ids.theme["PEO"]), today=TODAY)
        gov = q.exceptions(s, ids.period["Q2"], filters=Filters(theme_id=ids.theme["GOV"]), today=TODAY)
        lead_b = q.exceptions(s, ids.period["Q2"], filters=Filters(lead_id=ids.person["B"]), today=TODAY)
    # On 2 Sep M2 is a day overdue; SER-02.02 then agrees with its Green. M6 (done on 10 Sep) would be
    # too, but its objective PEO-01.01 is reported complete for Q2: its milestones are not pursued.
    assert [r.item_id for r in early if r.kind is K.OVERDUE_MILESTONE] == [ids.ms["M2"]]
    assert all(r.detail.endswith(": 1 day overdue") for r in early if r.kind is K.OVERDUE_MILESTONE)
    # SER-01.01's Red is then more than the evidence (M2 one day late) suggests.
    assert [r.objective_ref for r in early if r.kind is K.DISAGREEMENT] == [
        "SER-01.01",
        "SER-01.02",
        "SER-02.01",
    ]
    assert _brief(ids, peo) == [(K.DETERIORATED, "PEO-01.04", ids.obj["PEO-01.04"])]
    assert _brief(ids, gov) == [(K.RISK_ABOVE_APPETITE, "", ids.risk["R3"])]
    assert _brief(ids, lead_b) == [
        (K.DETERIORATED, "PEO-01.04", ids.obj["PEO-01.04"]),
        (K.OVERDUE_MILESTONE, "SER-02.02", ids.ms["M4"]),
        (K.RISK_ABOVE_APPETITE, "SER-02.01", ids.risk["R1"]),
        (K.DISAGREEMENT, "SER-02.01", ids.obj["SER-02.01"]),
        (K.DISAGREEMENT, "SER-02.02", ids.obj["SER-02.02"]),
    ]


def test_exceptions_follow_the_plan_settings(built, actor):  # noqa: F811
    store, ids = built
    with store.write() as s:
        uow = unit_of_work(s, actor)
        uow.update(uow.get(Plan, ids.plan), {"risk_appetite": 15, "slip_tolerance_days": 50})
        uow.changes()
    with store.read() as s:
        rows = q.exceptions(s, ids.period["Q2"], today=TODAY)
    # Appetite 15: R3 (15) is within it; R1 (16) is very high. Tolerance 50: M2 is merely overdue
    # (SER-01.01 derives Amber, disagreeing with its Red) and M3 no longer slips.
    assert [(r.kind, r.objective_ref) for r in rows if r.kind in (K.RISK_ABOVE_APPETITE, K.DISAGREEMENT)] == [
        (K.RISK_ABOVE_APPETITE, "SER-02.01"),
        (K.DISAGREEMENT, "SER-01.01"),
        (K.DISAGREEMENT, "SER-02.01"),
        (K.DISAGREEMENT, "SER-02.02"),
    ]
    assert rows[-3].detail == "Reported Red; the evidence suggests Amber: 1 milestone overdue"


def test_exceptions_leave_out_deleted_items(built, actor):  # noqa: F811
    store, ids = built
    with store.write() as s:
        uow = unit_of_work(s, actor)
        uow.delete(uow.get(Milestone, ids.ms["M2"]))
        uow.delete(uow.get(Risk, ids.risk["R1"]))
        uow.delete(uow.get(Objective, ids.obj["PEO-01.04"]))
        uow.changes()
    with store.read() as s:
        rows = q.exceptions(s, ids.period["Q2"], today=TODAY)
    assert [(r.kind, r.objective_ref) for r in rows] == [
        (K.RED, "SER-01.01"),
        (K.DETERIORATED, "SER-01.01"),
        (K.OVERDUE_MILESTONE, "SER-02.02"),
        (K.RISK_ABOVE_APPETITE, ""),
        (K.DISAGREEMENT, "SER-01.01"),  # without M2 the evidence says Green
        (K.DISAGREEMENT, "SER-01.02"),
        (K.DISAGREEMENT, "SER-02.01"),  # without R1 too
        (K.DISAGREEMENT, "SER-02.02"),
    ]


# ---------------------------------------------------------------------------------------------- overdue


def test_overdue_items_of_every_kind_most_overdue_first(built):  # noqa: F811
    store, ids = built
    with store.read() as s:
        rows = q.overdue_items(s, ids.period["Q2"], as_of=Q2_AS_OF)
    assert [(i.kind, i.id) for i in rows] == [
        ("recommendation", ids.rec["REC1"]),  # due 30 Jun
        ("recommendation", ids.rec["REC4"]),  # 31 Aug
        ("milestone", ids.ms["M2"]),  # 1 Sep
        ("risk review", ids.risk["R1"]),  # 1 Sep
        ("milestone", ids.ms["M4"]),  # 25 Sep
    ]
    rec1, rec4, m2, r1, m4 = rows
    assert rec1 == ("recommendation", ids.rec["REC1"], "R1", "Improve tasking", ids.person["A"],
                    "Head of Intelligence", date(2024, 6, 30), 92, None)  # fmt: skip
    assert (rec4.ref, rec4.owner_name, rec4.days_overdue) == ("IA1", "Head of HR", 30)
    assert m2 == ("milestone", ids.ms["M2"], "SER-01.01", "Supplier appointed", ids.person["B"], "Head of HR",
                  date(2024, 9, 1), 29, ids.obj["SER-01.01"])  # fmt: skip
    assert r1 == ("risk review", ids.risk["R1"], "R1", "Funding shortfall", ids.person["C"], "Programme Manager",
                  date(2024, 9, 1), 29, ids.obj["SER-02.01"])  # fmt: skip
    assert (m4.ref, m4.owner_id, m4.owner_name, m4.days_overdue) == ("SER-02.02", None, "", 5)


def test_overdue_items_on_other_dates_and_filtered(built):  # noqa: F811
    store, ids = built
    with store.read() as s:
        on_the_day = q.overdue_items(s, ids.period["Q2"], as_of=date(2024, 6, 30))
        later = q.overdue_items(s, ids.period["Q2"], as_of=date(2025, 4, 1))
        peo = q.overdue_items(s, ids.period["Q2"], Filters(theme_id=ids.theme["PEO"]), as_of=Q2_AS_OF)
        ser = q.overdue_items(s, ids.period["Q2"], Filters(theme_id=ids.theme["SER"]), as_of=Q2_AS_OF)
    assert on_the_day == []  # due on the day is not overdue
    kinds = [(i.kind, i.ref) for i in later]
    # M3 (15 Nov), M8 (1 Dec), R2's review (1 Jan) and REC2 (31 Mar) have all passed by 1 Apr 2025.
    assert kinds == [
        ("recommendation", "R1"), ("recommendation", "IA1"), ("milestone", "SER-01.01"), ("risk review", "R1"),
        ("milestone", "SER-02.02"), ("milestone", "SER-01.02"), ("milestone", "SER-02.01"),
        ("risk review", "R2"), ("recommendation", "AFI1"),
    ]  # fmt: skip
    assert [(i.kind, i.ref) for i in peo] == [("recommendation", "IA1")]
    assert [(i.kind, i.ref) for i in ser] == [
        ("recommendation", "R1"), ("milestone", "SER-01.01"), ("risk review", "R1"), ("milestone", "SER-02.02"),
    ]  # fmt: skip
