"""A small plan built by hand for the query tests, where every expected number is known.

Built through a UnitOfWork (so every row is audited as created), with status updates written
directly: the services that enforce period rules are not what these tests are about.

Today is 15 Nov 2024 (``TODAY``); Q2 (Jul-Sep 2024) is judged as at 30 Sep 2024.

Objectives (lead, board, 4P) with their status in Q1 / Q2 and now:

    Service (SER)
      SER-01 Stakeholders are assured
        SER-01.01  A  SLT      Pursue,Protect  Green / Red (corrective action) / in progress Red
        SER-01.02  A  Finance  -               Amber / Green / Green
        SER-01.03  deleted objective (Red in both periods): never shown
      SER-02 Partnerships deliver
        SER-02.01  B  SLT      Prevent         -     / Amber (new) / Amber
        SER-02.02  B  -        -               Green / Green / Green
    People and culture (PEO)
      PEO-01 Our people are supported
        PEO-01.01  A  -        -               Green / complete (Blue) / complete
        PEO-01.02  no lead     -               -     / not started / not started
        PEO-01.03  B  -        -               Amber / (update deleted) / Amber
        PEO-01.04  B  -        -               Green / cancelled / cancelled
    Governance (GOV): no outcomes.  A deleted theme (DEL) with an outcome.

Milestones (as at 30 Sep 2024, tolerance 14 days):
    M1 SER-01.01 complete; M2 SER-01.01 forecast 1 Sep, 29 days overdue; M3 SER-01.02 slipping 45
    days (owner C); M4 SER-02.02 forecast 25 Sep, 5 days overdue; M5 deleted; M6 PEO-01.01 complete
    10 Sep; M7 on the deleted objective, overdue; M8 SER-02.01 on track.
Risks (appetite 12): R1 SER-02.01 residual 4x4=16 open, review 1 Sep; R2 PEO-01.03 residual 3x3=9
    open; R3 theme GOV only, residual 3x5=15 open; R4 SER-01.01 residual 5x5 closed; R5 deleted.
Recommendations: HMICFRS inspection: REC1 "R1" being progressed, due 30 Jun 2024, linked to
    SER-01.01 and SER-02.02, notes (latest "Halfway there" 1 Aug; a later note deleted); REC2 "AFI1"
    awaiting allocation, due 31 Mar 2025, linked to M3 and R2; REC3 "C1" closed, due 31 Jan 2024.
    Internal audit: REC4 "IA1" proposed for closure, due 31 Aug 2024, linked to PEO-01.01 and the
    deleted objective; REC5 deleted.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from tracker.db import Actor
from tracker.models import (
    Board,
    Inspection,
    Milestone,
    Objective,
    Outcome,
    Person,
    Plan,
    ProgressNote,
    Recommendation,
    RecommendationMilestone,
    RecommendationObjective,
    RecommendationRisk,
    ReportingPeriod,
    Risk,
    StatusUpdate,
    Theme,
)
from tracker.services.base import unit_of_work
from tracker.store import Store

TODAY = date(2024, 11, 15)
Q2_AS_OF = date(2024, 9, 30)
Q1_REPORTED = datetime(2024, 7, 5, 10, 0, tzinfo=UTC)
Q2_REPORTED = datetime(2024, 10, 4, 9, 30, tzinfo=UTC)

# ref -> (outcome, lead, board, four_p, title, target, (Q1 lifecycle, rag), (Q2 lifecycle, rag), now)
IP, NS, DONE, CANC = "in progress", "not started", "complete", "cancelled"
OBJECTIVES = {
    "SER-01.01": ("SER-01", "A", "SLT", "Pursue,Protect", "Disrupt organised crime groups",
                  date(2025, 3, 31), (IP, "green"), (IP, "red"), (IP, "red", 40)),
    "SER-01.02": ("SER-01", "A", "FIN", "", "Answer calls 50% faster",
                  date(2024, 12, 31), (IP, "amber"), (IP, "green"), (IP, "green", 60)),
    "SER-02.01": ("SER-02", "B", "SLT", "Prevent", "Build regional partnerships",
                  date(2025, 6, 30), None, (IP, "amber"), (IP, "amber", 20)),
    "SER-02.02": ("SER-02", "B", None, "", "Publish the partnership policy",
                  date(2024, 10, 31), (IP, "green"), (IP, "green"), (IP, "green", 80)),
    "PEO-01.01": ("PEO-01", "A", None, "", "Wellbeing programme for all staff",
                  date(2024, 9, 30), (IP, "green"), (DONE, None), (DONE, None, 100)),
    "PEO-01.02": ("PEO-01", None, None, "", "Leadership academy",
                  None, None, (NS, None), (NS, None, None)),
    "PEO-01.03": ("PEO-01", "B", None, "", "Recruit detectives",
                  date(2025, 3, 31), (IP, "amber"), (IP, "amber"), (IP, "amber", 30)),
    "PEO-01.04": ("PEO-01", "B", None, "", "Replace the old HR system",
                  date(2025, 3, 31), (IP, "green"), (CANC, None), (CANC, None, None)),
}  # fmt: skip
PLAN_ORDER = list(OBJECTIVES)


def build(store: Store, actor: Actor) -> SimpleNamespace:
    """Write the plan above; returns its ids by short name (obj, period, person, ms, risk, rec, ...)."""
    ids = SimpleNamespace(
        obj={}, period={}, person={}, board={}, theme={}, outcome={}, ms={}, risk={}, rec={}
    )
    with store.write() as session:
        uow = unit_of_work(session, actor)
        plan = uow.create(
            Plan, name="Test Strategy 2024/25", organisation="Test ROCU",
            start_date=date(2024, 4, 1), end_date=date(2025, 3, 31),
        )  # fmt: skip
        ids.plan = plan.id

        for code, name, ordinal in (
            ("GOV", "Governance", 3),
            ("SER", "Service", 1),
            ("PEO", "People and culture", 2),
        ):
            ids.theme[code] = uow.create(Theme, plan_id=plan.id, code=code, name=name, ordinal=ordinal).id
        gone = uow.create(Theme, plan_id=plan.id, code="DEL", name="Deleted theme", ordinal=0)
        ids.theme["DEL"] = gone.id
        for code, theme, title, ordinal in (
            ("SER-02", "SER", "Partnerships deliver", 2),
            ("SER-01", "SER", "Stakeholders are assured", 1),
            ("PEO-01", "PEO", "Our people are supported", 1),
            ("DEL-01", "DEL", "Outcome of a deleted theme", 1),
        ):
            ids.outcome[code] = uow.create(
                Outcome, theme_id=ids.theme[theme], code=code, title=title, ordinal=ordinal
            ).id

        for key, name, active in (
            ("A", "Head of Intelligence", True),
            ("B", "Head of HR", True),
            ("C", "Programme Manager", True),
            ("D", "Former Lead", False),
            ("E", "Removed Person", True),
        ):
            ids.person[key] = uow.create(
                Person, name=name, role_title=f"{name} role", email=f"{key}@x.org", active=active
            ).id
        ids.board["SLT"] = uow.create(
            Board, plan_id=plan.id, name="Strategic Leadership Team", cadence="quarterly"
        ).id
        ids.board["FIN"] = uow.create(Board, plan_id=plan.id, name="Finance Board", cadence="monthly").id

        periods = {
            "Q3": ("2024/25 Q3", date(2024, 10, 1), date(2024, 12, 31), "open"),
            "Q1": ("2024/25 Q1", date(2024, 4, 1), date(2024, 6, 30), "closed"),
            "Q2": ("2024/25 Q2", date(2024, 7, 1), date(2024, 9, 30), "closed"),
            "NQ1": ("2025/26 Q1", date(2025, 4, 1), date(2025, 6, 30), "open"),
            "OLD": ("2023/24 Q1", date(2023, 4, 1), date(2023, 6, 30), "closed"),
        }
        for key, (name, start, end, status) in periods.items():
            closed = datetime(end.year, end.month, end.day, 17, tzinfo=UTC) if status == "closed" else None
            ids.period[key] = uow.create(
                ReportingPeriod, plan_id=plan.id, name=name, start_date=start, end_date=end,
                status=status, closed_at=closed,
            ).id  # fmt: skip

        for n, (ref, spec) in enumerate(OBJECTIVES.items()):
            outcome, lead, board, four_p, title, target, q1, q2, now = spec
            obj = uow.create(
                Objective, plan_id=plan.id, outcome_id=ids.outcome[outcome], ref=ref, title=title,
                lead_id=ids.person[lead] if lead else None, board_id=ids.board[board] if board else None,
                four_p=four_p, start_date=date(2024, 4, 1), target_date=target, ordinal=n % 4 + 1,
                lifecycle=now[0], rag=now[1], progress_pct=now[2],
            )  # fmt: skip
            ids.obj[ref] = obj.id
            for period, status, at in (("Q1", q1, Q1_REPORTED), ("Q2", q2, Q2_REPORTED)):
                if status is None:
                    continue
                lifecycle, rag = status
                red = rag == "red"
                update = uow.create(
                    StatusUpdate, objective_id=obj.id, period_id=ids.period[period], lifecycle=lifecycle,
                    rag=rag, progress_pct=now[2] if period == "Q2" else None, reported_at=at, author="lead",
                    rationale=f"{ref} {period} rationale" if rag else "",
                    corrective_action=f"{ref} {period} recovery plan" if red else "",
                    commentary=f"{ref} {period} commentary",
                )  # fmt: skip
                if ref == "PEO-01.03" and period == "Q2":
                    uow.delete(update)

        dead = uow.create(
            Objective, plan_id=plan.id, outcome_id=ids.outcome["SER-01"], ref="SER-01.03", title="Deleted objective",
            lead_id=ids.person["A"], board_id=ids.board["SLT"], ordinal=3, lifecycle=IP, rag="red",
        )  # fmt: skip
        ids.obj["SER-01.03"] = dead.id
        for period in ("Q1", "Q2"):
            uow.create(
                StatusUpdate, objective_id=dead.id, period_id=ids.period[period], lifecycle=IP, rag="red",
                reported_at=Q2_REPORTED, rationale="x", corrective_action="y",
            )  # fmt: skip
        orphan = uow.create(
            Objective, plan_id=plan.id, outcome_id=ids.outcome["DEL-01"], ref="DEL-01.01",
            title="Objective under a deleted theme", lead_id=ids.person["A"], lifecycle=IP, rag="red",
        )  # fmt: skip
        ids.obj["DEL-01.01"] = orphan.id

        milestones = {
            "M1": ("SER-01.01", "Business case approved", date(2024, 5, 1), date(2024, 5, 1), date(2024, 4, 28), None),
            "M2": ("SER-01.01", "Supplier appointed", date(2024, 8, 1), date(2024, 9, 1), None, "B"),
            "M3": ("SER-01.02", "Training delivered", date(2024, 10, 1), date(2024, 11, 15), None, "C"),
            "M4": ("SER-02.02", "Policy published", date(2024, 9, 20), date(2024, 9, 25), None, None),
            "M5": ("SER-02.02", "Removed milestone", date(2024, 6, 1), date(2024, 6, 1), None, None),
            "M6": ("PEO-01.01", "Final report", date(2024, 9, 1), date(2024, 9, 1), date(2024, 9, 10), None),
            "M7": ("SER-01.03", "Milestone of a deleted objective", date(2024, 6, 1), date(2024, 6, 1), None, None),
            "M8": ("SER-02.01", "Pilot launched", date(2024, 12, 1), date(2024, 12, 1), None, "C"),
        }  # fmt: skip
        for n, (key, (ref, title, baseline, forecast, done, owner)) in enumerate(milestones.items()):
            ms = uow.create(
                Milestone, objective_id=ids.obj[ref], title=title, baseline_date=baseline, forecast_date=forecast,
                completed_date=done, owner_id=ids.person[owner] if owner else None, ordinal=n,
                notes="critical path" if key == "M2" else "",
            )  # fmt: skip
            ids.ms[key] = ms.id
            if key == "M5":
                uow.delete(ms)

        risks = {
            "R1": ("SER-02.01", None, "Funding shortfall", (5, 4), (4, 4), (2, 2), "open", "C", date(2024, 9, 1)),
            "R2": ("PEO-01.03", None, "Staff turnover", (4, 3), (3, 3), (2, 2), "open", None, date(2025, 1, 1)),
            "R3": (None, "GOV", "Data breach", (5, 5), (3, 5), (1, 5), "open", "A", None),
            "R4": ("SER-01.01", None, "Contract dispute", (5, 5), (5, 5), (1, 1), "closed", None, date(2024, 1, 1)),
            "R5": ("SER-01.02", None, "Removed risk", (5, 5), (5, 5), (1, 1), "open", None, None),
        }  # fmt: skip
        for key, (ref, theme, title, inh, res, tgt, status, owner, review) in risks.items():
            risk = uow.create(
                Risk, plan_id=plan.id, ref=key, title=title, objective_id=ids.obj[ref] if ref else None,
                theme_id=ids.theme[theme] if theme else None, owner_id=ids.person[owner] if owner else None,
                inherent_likelihood=inh[0], inherent_impact=inh[1], residual_likelihood=res[0],
                residual_impact=res[1], target_likelihood=tgt[0], target_impact=tgt[1], status=status,
                review_date=review, cause="Budget cuts" if key == "R1" else "", mitigations="",
            )  # fmt: skip
            ids.risk[key] = risk.id
            if key == "R5":
                uow.delete(risk)

        hmi = uow.create(
            Inspection, plan_id=plan.id, body="HMICFRS", title="ROCU inspection 2023",
            published_date=date(2023, 3, 1),
        )  # fmt: skip
        audit = uow.create(
            Inspection, plan_id=plan.id, body="internal audit", title="Governance audit",
            published_date=date(2024, 1, 15),
        )  # fmt: skip
        recs = {
            "REC1": (hmi, "recommendation", "R1", "Improve tasking", "A", date(2024, 6, 30), "being progressed"),
            "REC2": (hmi, "area for improvement", "AFI1", "Review training", "B", date(2025, 3, 31), "awaiting allocation"),
            "REC3": (hmi, "cause of concern", "C1", "Vetting backlog", None, date(2024, 1, 31), "closed"),
            "REC4": (audit, "recommendation", "IA1", "Minute every board decision", "B", date(2024, 8, 31), "proposed for closure"),
            "REC5": (audit, "recommendation", "IA2", "Removed recommendation", None, date(2024, 1, 1), "being progressed"),
        }  # fmt: skip
        for key, (insp, kind, ref, text, owner, due, status) in recs.items():
            rec = uow.create(
                Recommendation, inspection_id=insp.id, kind=kind, ref=ref, text=text,
                owner_id=ids.person[owner] if owner else None, due_date=due, status=status,
                closed_date=date(2024, 2, 1) if status == "closed" else None,
                evidence="Board minutes attached" if key == "REC4" else "",
            )  # fmt: skip
            ids.rec[key] = rec.id
            if key == "REC5":
                uow.delete(rec)

        for rec, ref in (
            ("REC1", "SER-02.02"),
            ("REC1", "SER-01.01"),
            ("REC4", "PEO-01.01"),
            ("REC4", "SER-01.03"),
        ):
            uow.create(RecommendationObjective, recommendation_id=ids.rec[rec], objective_id=ids.obj[ref])
        removed_link = uow.create(
            RecommendationObjective, recommendation_id=ids.rec["REC2"], objective_id=ids.obj["SER-02.01"]
        )
        uow.delete(removed_link)
        uow.create(
            RecommendationObjective, recommendation_id=ids.rec["REC5"], objective_id=ids.obj["SER-02.01"]
        )
        ids.link_m3 = uow.create(
            RecommendationMilestone, recommendation_id=ids.rec["REC2"], milestone_id=ids.ms["M3"]
        ).id
        ids.link_r2 = uow.create(
            RecommendationRisk, recommendation_id=ids.rec["REC2"], risk_id=ids.risk["R2"]
        ).id
        uow.create(
            RecommendationRisk, recommendation_id=ids.rec["REC2"], risk_id=ids.risk["R5"]
        )  # risk deleted

        for day, text, deleted in (
            (date(2024, 5, 1), "Work started", False),
            (date(2024, 8, 1), "Halfway there", False),
            (date(2024, 9, 1), "Withdrawn note", True),
        ):
            note = uow.create(
                ProgressNote, recommendation_id=ids.rec["REC1"], note_date=day, text=text, author="PMO"
            )
            if deleted:
                uow.delete(note)

        uow.delete(gone)
        uow.delete(dead)
        uow.delete(uow.get(Person, ids.person["E"]))
        uow.delete(uow.get(ReportingPeriod, ids.period["OLD"]))
        uow.changes("Built the query test plan")
    return ids


def ref_of(ids: SimpleNamespace, objective_id: str) -> str:
    return next(ref for ref, oid in ids.obj.items() if oid == objective_id)


def refs(ids: SimpleNamespace, objective_ids) -> list[str]:  # type: ignore[no-untyped-def]
    return [ref_of(ids, oid) for oid in objective_ids]


@pytest.fixture
def built(any_store, actor):  # type: ignore[no-untyped-def]
    """The store with the plan above in it, and its ids."""
    return any_store, build(any_store, actor)
