"""A large synthetic plan for benchmarks and for trying views at scale.

The rows are made by the sample generator's own code (stories, milestones, risks, notes) over
synthetic objectives, then written through the unit of work in batches; the audit log is topped up
to ``audit_entries`` with a synthetic history of field changes, chained like any other entry.
Building the rows (:func:`scale_rows`) and loading them (:func:`load_scale_rows`) are separate so a
benchmark can time the load alone.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlmodel import Session, col

from tracker.audit import chain_rows, encode
from tracker.db import Actor
from tracker.enums import InspectionBody, Lifecycle, Rag, RecommendationKind, RecommendationStatus, Source
from tracker.models import (
    AuditEntry,
    AuditHead,
    Board,
    Editable,
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
    reported_settings,
)
from tracker.seed.notes import extra_notes
from tracker.seed.phrases import CAUSES, COMMENTARY, fill
from tracker.seed.risks import make_risk
from tracker.seed.sample import IdMaker, period_rows, story_rows
from tracker.seed.story import Facts, drop_open_returns, quarters, tell
from tracker.seed.template import refuse_if_planned
from tracker.services.base import Changes, unit_of_work

BATCH = 20_000
THEMES = ["Service", "People and culture", "Modernisation", "Governance", "Partnerships", "Prevention"]
AREAS = ["county lines", "cyber crime", "economic crime", "major crime", "counter terrorism", "modern slavery",
         "fraud", "child exploitation", "firearms", "drugs supply", "organised immigration crime", "kidnap"]  # fmt: skip
THINGS = ["performance framework", "case management system", "intelligence process", "recruitment pipeline",
          "wellbeing programme", "forensic accreditation plan", "digital evidence platform", "tasking model",
          "training curriculum", "data-sharing agreement", "estates strategy", "fleet replacement plan",
          "surveillance capability", "disruption recording system", "victim referral pathway",
          "partnership protocol"]  # fmt: skip
VERBS = ["Deliver", "Develop", "Implement", "Review", "Modernise", "Embed", "Strengthen", "Design"]
ROLES = ["Detective Superintendent", "Programme Manager", "Head of Department", "Detective Chief Inspector",
         "Business Change Lead", "Service Manager"]  # fmt: skip
BOARDS = ["Senior Leadership Team", "Command Team", "Ethics Board", "Enabling Services Project Group",
          "Wellbeing Board", "Equality, Diversity and Inclusion Board", "Strategic Tasking meeting"]  # fmt: skip
PLAN_START = date(2021, 4, 1)


@dataclass
class ScaleRows:
    """Everything a scale plan holds: rows per table in the order they must be written, and the history."""

    tables: list[tuple[type[Editable], list[dict[str, Any]]]]
    history: Iterable[dict[str, Any]]  # audit entries without seq or hashes (chained when written)
    history_count: int

    @property
    def row_count(self) -> int:
        return sum(len(rows) for _, rows in self.tables)


def build_scale_plan(
    session: Session, *, actor: Actor, objectives: int = 10_000, milestones: int = 100_000, risks: int = 20_000,
    audit_entries: int = 1_000_000, periods: int = 8, seed: int = 1,
) -> Changes:  # fmt: skip
    """Write a synthetic plan of the given size in the caller's transaction (refused if a plan exists)."""
    refuse_if_planned(session)
    rows = scale_rows(objectives=objectives, milestones=milestones, risks=risks, audit_entries=audit_entries,
                      periods=periods, seed=seed)  # fmt: skip
    return load_scale_rows(session, actor=actor, rows=rows)


def load_scale_rows(session: Session, *, actor: Actor, rows: ScaleRows, batch: int = BATCH) -> Changes:
    """Write the rows with executemany in batches, each audited as created, then append the history."""
    uow = unit_of_work(session, actor)
    for cls, table in rows.tables:
        for start in range(0, len(table), batch):
            uow.bulk_create(cls, table[start : start + batch])
            uow.audit.flush()
    head = session.execute(
        select(col(AuditHead.seq), col(AuditHead.hash)).where(col(AuditHead.id) == 1)
    ).one()
    seq, prev = int(head[0]), str(head[1])
    items = iter(rows.history)
    while chunk := list(itertools.islice(items, batch)):
        chained, seq, prev = chain_rows(seq, prev, chunk)
        # The table's own insert (a Core executemany), not the ORM's bulk insert; SQLModel's type
        # hints do not declare a table class's __table__.
        session.execute(AuditEntry.__table__.insert(), chained)  # type: ignore[attr-defined]
    session.execute(update(AuditHead).where(col(AuditHead.id) == 1).values(seq=seq, hash=prev))
    return uow.changes(f"Built a scale plan: {rows.row_count:,} rows and {seq:,} audit entries")


def scale_rows(
    *, objectives: int = 10_000, milestones: int = 100_000, risks: int = 20_000, audit_entries: int = 1_000_000,
    periods: int = 8, seed: int = 1,
) -> ScaleRows:  # fmt: skip
    """The rows of a synthetic plan, made by the sample generator's code; deterministic from ``seed``."""
    rng = random.Random(seed)
    ids = IdMaker(f"scale:{seed}")
    spans = quarters(PLAN_START, PLAN_START + timedelta(days=91 * periods - 1))[:periods]
    plan_end, as_at = spans[-1].end, spans[-1].end
    plan_id = ids()
    plan = [{"id": plan_id, "name": f"Scale plan ({objectives:,} objectives)", "organisation": "Synthetic",
             "start_date": PLAN_START, "end_date": plan_end, "is_sample": True,
             "source": f"tracker.seed.scale, seed {seed}"}]  # fmt: skip
    people: list[dict[str, Any]] = [
        {"id": ids(), "name": f"{ROLES[n % len(ROLES)]} {n + 1:03d}", "role_title": ROLES[n % len(ROLES)],
         "email": "", "active": True}
        for n in range(max(12, objectives // 25))
    ]  # fmt: skip
    boards = [{"id": ids(), "plan_id": plan_id, "name": name, "cadence": "quarterly", "description": ""}
              for name in BOARDS]  # fmt: skip
    themes = [{"id": ids(), "plan_id": plan_id, "code": name[:3].upper(), "name": name, "ordinal": n + 1,
               "description": ""} for n, name in enumerate(THEMES)]  # fmt: skip
    n_outcomes = max(len(themes), -(-objectives // 25))
    outcomes: list[dict[str, Any]] = []
    for n in range(n_outcomes):
        theme = themes[n % len(themes)]
        ordinal = n // len(themes) + 1
        outcomes.append({"id": ids(), "theme_id": theme["id"], "code": f"{theme['code']}-{ordinal:02d}",
                         "title": f"{capital_area(AREAS[n % len(AREAS)])} capability is modern and effective",
                         "ordinal": ordinal, "description": ""})  # fmt: skip
    kept = reported_settings(Plan(name="", start_date=PLAN_START, end_date=plan_end))  # a new plan's settings
    period_out = period_rows(plan_id, spans, as_at, "Scale builder", rng, ids, kept=kept)
    period_ids = [p["id"] for p in period_out]

    objective_rows, stories = [], []
    per_outcome: dict[str, int] = {}
    for n in range(objectives):
        outcome = outcomes[n % n_outcomes]
        per_outcome[outcome["id"]] = ordinal = per_outcome.get(outcome["id"], 0) + 1
        thing, area = THINGS[rng.randrange(len(THINGS))], AREAS[rng.randrange(len(AREAS))]
        start = PLAN_START + timedelta(days=91 * rng.randint(0, max(0, periods // 2 - 1)))
        target = min(plan_end, start + timedelta(days=91 * rng.randint(2, max(2, periods)) - 1))
        lead = people[rng.randrange(len(people))]
        board = boards[rng.randrange(len(boards))]
        ref = f"{outcome['code']}.{ordinal:03d}"
        facts = Facts(ref=ref, subject=f"the {thing} for {area}", author=lead["name"],
                      board=f"the {board['name']}", start=start, target=target,
                      owners=(lead["id"], people[rng.randrange(len(people))]["id"]))  # fmt: skip
        count = milestones // objectives + (1 if n < milestones % objectives else 0)
        stories.append(tell(facts, spans, as_at, random.Random(f"{seed}:{ref}"), milestones=count))
        objective_rows.append({"id": ids(), "plan_id": plan_id, "outcome_id": outcome["id"], "ref": ref,
                               "title": f"{VERBS[n % len(VERBS)]} the {thing} for {area} teams across the region.",
                               "lead_id": lead["id"], "board_id": board["id"], "four_p": "Pursue",
                               "start_date": start, "target_date": target, "ordinal": ordinal})  # fmt: skip
    drop_open_returns(stories, len(spans) - 1, rng)
    updates, milestone_rows = [], []
    for row, story in zip(objective_rows, stories, strict=True):
        row["lifecycle"], row["rag"], row["progress_pct"] = story.current()
        u, m = story_rows(story, row["id"], period_ids, ids)
        updates += u
        milestone_rows += m
    risk_rows = _risks(rng, ids, plan_id, objective_rows, stories, risks, as_at)
    inspections, items, notes, links = _inspections(rng, ids, plan_id, people, objective_rows, as_at)
    tables: list[tuple[type[Editable], list[dict[str, Any]]]] = [
        (Plan, plan), (Person, people), (Board, boards), (Theme, themes), (Outcome, outcomes),
        (Objective, objective_rows), (ReportingPeriod, period_out), (StatusUpdate, updates),
        (Milestone, milestone_rows), (Risk, risk_rows), (Inspection, inspections), (Recommendation, items),
        (ProgressNote, notes), (RecommendationObjective, links),
    ]  # fmt: skip
    created = sum(len(t) for _, t in tables)
    count = max(0, audit_entries - created)
    pools = {
        "objective": objective_rows,
        "milestone": milestone_rows,
        "risk": risk_rows,
        "status_update": updates,
    }
    history = _history(
        random.Random(f"{seed}:history"), count, pools, [p["name"] for p in people], spans[0].start, as_at
    )
    return ScaleRows(tables, history, count)


def capital_area(area: str) -> str:
    return area[:1].upper() + area[1:]


def _risks(
    rng: random.Random, ids: IdMaker, plan_id: str, objectives: list[dict[str, Any]], stories: list[Any],
    total: int, as_at: date,
) -> list[dict[str, Any]]:  # fmt: skip
    rows = []
    for n in range(total):
        k = n % len(objectives)
        obj, story = objectives[k], stories[k]
        lifecycle, rag, _ = story.current()
        closed = lifecycle in (Lifecycle.COMPLETE, Lifecycle.CANCELLED) and rng.random() < 0.8
        above = not closed and rng.random() < (0.35 if rag in (Rag.AMBER, Rag.RED) else 0.05)
        risk = make_risk(rng, subject=_subject(obj), theme_level=False,
                         as_at=as_at, appetite=12, above=above, closed=closed)  # fmt: skip
        rows.append({"id": ids(), "plan_id": plan_id, "ref": f"R-{n + 1:05d}", "owner_id": obj["lead_id"],
                     "objective_id": obj["id"], "theme_id": None, **risk})  # fmt: skip
    return rows


def _subject(objective: dict[str, Any]) -> str:
    title = objective["title"]
    return "the " + title.split(" the ", 1)[1].split(" teams", 1)[0]


def _inspections(
    rng: random.Random, ids: IdMaker, plan_id: str, people: list[dict[str, Any]],
    objectives: list[dict[str, Any]], as_at: date,
) -> tuple[list[dict[str, Any]], ...]:  # fmt: skip
    """One inspection per 1,000 objectives, twenty items each, linked to one to three objectives."""
    inspections, items, notes, links = [], [], [], []
    bodies = list(InspectionBody)
    for n in range(max(1, len(objectives) // 1000)):
        published = as_at - timedelta(days=rng.randint(120, 500))
        insp_id = ids()
        inspections.append({"id": insp_id, "plan_id": plan_id, "body": bodies[n % len(bodies)].value,
                            "title": f"Inspection {n + 1} of {AREAS[n % len(AREAS)]} arrangements",
                            "published_date": published, "grade": "", "notes": ""})  # fmt: skip
        for k in range(20):
            status = rng.choice([RecommendationStatus.BEING_PROGRESSED, RecommendationStatus.BEING_PROGRESSED,
                                 RecommendationStatus.PROPOSED_FOR_CLOSURE, RecommendationStatus.CLOSED])  # fmt: skip
            owner = people[rng.randrange(len(people))]
            item_id = ids()
            closed = status == RecommendationStatus.CLOSED
            items.append({"id": item_id, "inspection_id": insp_id, "kind": rng.choice(list(RecommendationKind)).value,
                          "ref": f"I{n + 1}-{k + 1:02d}", "owner_id": owner["id"], "status": status.value,
                          "text": f"Improve the {THINGS[k % len(THINGS)]} for {AREAS[(n + k) % len(AREAS)]}.",
                          "due_date": published + timedelta(days=365),
                          "evidence": "Evidence pack held by the PMO." if status != RecommendationStatus.BEING_PROGRESSED else "",
                          "closure_rationale": "Actions complete and embedded." if closed else "",
                          "closed_date": as_at - timedelta(days=rng.randint(1, 60)) if closed else None})  # fmt: skip
            linked = rng.sample(objectives, rng.randint(1, 3))
            links += [{"id": ids(), "recommendation_id": item_id, "objective_id": o["id"]} for o in linked]
            for day, text in extra_notes(rng, status=status.value, objectives=[o["ref"] for o in linked],
                                         due=published + timedelta(days=365), published=published, existing=[],
                                         as_at=as_at):  # fmt: skip
                notes.append({"id": ids(), "recommendation_id": item_id, "note_date": day, "text": text,
                              "author": owner["name"]})  # fmt: skip
    return inspections, items, notes, links


# Each entity's fields a history changes, with the encoded values to draw from (None: a date).
_FIELDS: dict[str, list[tuple[str, list[str | None] | None]]] = {
    "objective": [("rag", [encode(r.value) for r in Rag]), ("progress_pct", [encode(p) for p in range(0, 101, 5)]),
                  ("lifecycle", [encode(x.value) for x in Lifecycle])],
    "milestone": [("forecast_date", None), ("completed_date", None)],
    "risk": [("residual_likelihood", [encode(n) for n in range(1, 6)]),
             ("residual_impact", [encode(n) for n in range(1, 6)]), ("review_date", None)],
    "status_update": [("commentary", [encode(fill(t, subject="the work", cause=CAUSES[0])) for t in COMMENTARY["green"] + COMMENTARY["amber"]]),
                      ("rag", [encode(r.value) for r in Rag]), ("next_steps", [encode(f"Resolve {c}.") for c in CAUSES])],
}  # fmt: skip
_SOURCES = [Source.APP.value] * 12 + [Source.RETURN.value] * 6 + [Source.CLI.value, Source.SYNC.value]


_DEFAULTS = {entity: cls for entity, cls in (("objective", Objective), ("milestone", Milestone),
             ("risk", Risk), ("status_update", StatusUpdate))}  # fmt: skip
_SETTLE = 5_000  # about how many fields stand changed at once before corrections bring them back


def _history(
    rng: random.Random, count: int, pools: dict[str, list[dict[str, Any]]], actors: list[str], start: date,
    end: date,
) -> Iterator[dict[str, Any]]:  # fmt: skip
    """Field changes in transactions of 1 to 30 entries, spread in time order from ``start`` to ``end``.

    The history is true to the rows: each change's old value is the field's value at that point,
    and every field changed is changed back by the end (a correction), so replaying the log gives
    the rows as written and ``check`` finds the scale plan whole.
    """
    entities = [e for e in _FIELDS if pools.get(e)]
    if not entities or count <= 0:
        return
    dates = [encode(start + timedelta(days=d)) for d in range(0, (end - start).days + 1, 7)]
    first = datetime.combine(start, time(8, 0), tzinfo=UTC)
    step = max(1, int((end - start).total_seconds()) // max(1, count))
    changed: dict[tuple[str, int, str], tuple[str | None, str | None]] = {}  # -> (value now, as written)
    made = 0
    while made < count:
        size = min(count - made, rng.randint(1, 30))
        at = first + timedelta(seconds=made * step)
        txn = f"{rng.getrandbits(128):032x}"
        txn = f"{txn[:8]}-{txn[8:12]}-{txn[12:16]}-{txn[16:20]}-{txn[20:]}"
        actor, source = actors[rng.randrange(len(actors))], _SOURCES[rng.randrange(len(_SOURCES))]
        for n in range(size):
            left = count - made - n
            # A new change needs an entry left after it to correct it: at most ``left - 1`` stand changed.
            if changed and (
                len(changed) >= left - 1 or rng.random() < len(changed) / (len(changed) + _SETTLE)
            ):
                (entity, k, name), (now, written) = changed.popitem()
                old, new = now, written
            else:
                entity = entities[rng.randrange(len(entities))]
                k = rng.randrange(len(pools[entity]))
                name, values = _FIELDS[entity][rng.randrange(len(_FIELDS[entity]))]
                row = pools[entity][k]
                written = encode(row[name] if name in row else _DEFAULTS[entity].model_fields[name].default)
                old = changed.get((entity, k, name), (written, written))[0]
                pool = values or dates
                new = pool[rng.randrange(len(pool))]
                while new == old and left > 1:  # the last entry of all may not open a change
                    new = pool[rng.randrange(len(pool))]
                if left == 1:
                    new = old
                if new == written:
                    changed.pop((entity, k, name), None)
                else:
                    changed[(entity, k, name)] = (new, written)
            yield {"txn": txn, "at": at, "actor": actor, "source": source, "detail": "", "entity": entity,
                   "entity_id": pools[entity][k]["id"], "field": name, "old": old, "new": new}  # fmt: skip
        made += size
