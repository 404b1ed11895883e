"""One objective's plausible story across reporting periods, as plain rows: no database, no clock.

The story is drawn first as a timeline (a late start, a slip that is often long, the targets the board
agreed as the slip became plain, a re-scoping after an inspection, a hold, perhaps a cancellation),
then told: lifecycle, RAG and progress per period, milestones that agree with it, and the words a
lead would write. Real programmes overrun, so many objectives are still live at the plan's end.
Everything comes from the ``random.Random`` the caller passes, so a seed repeats it.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from tracker.enums import Lifecycle, Rag
from tracker.rules import needs_corrective_action, needs_rationale
from tracker.seed import phrases as P
from tracker.seed.milestone_titles import milestone_titles

QUARTER_DAYS = 91
# Quarters an objective finishes after its target. Most slip, and a good share by more than a year:
# the strategy set one-year targets for work that took the whole plan and beyond.
SLIPS = (0, 1, 2, 3, 4, 6, 8, 10, 12)
SLIP_WEIGHTS = (16, 9, 8, 8, 8, 9, 11, 14, 17)
_RANK = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2}
_BY_RANK = {v: k for k, v in _RANK.items()}


@dataclass(frozen=True)
class Period:
    name: str
    start: date
    end: date


def quarters(start: date, end: date) -> list[Period]:
    """Financial-year quarters (April to June is Q1) covering ``start``..``end``, named '2021/22 Q1'."""
    out = []
    year, month = start.year, start.month - (start.month - 1) % 3
    while date(year, month, 1) <= end:
        q_start = date(year, month, 1)
        n_year, n_month = (year, month + 3) if month < 10 else (year + 1, month - 9)
        q_end = date(n_year, n_month, 1) - timedelta(days=1)
        fy = year if month >= 4 else year - 1
        quarter = (month - 4) // 3 + 1 if month >= 4 else 4
        out.append(Period(f"{fy}/{(fy + 1) % 100:02d} Q{quarter}", q_start, q_end))
        year, month = n_year, n_month
    return out


def quarter_index(day: date, first: date) -> int:
    """How many quarters ``day`` lies after the quarter starting ``first`` (may exceed the periods held)."""
    return (day.year - first.year) * 4 + (day.month - 1) // 3 - (first.month - 1) // 3


@dataclass(frozen=True)
class Facts:
    """What the generator needs to know about an objective."""

    ref: str
    subject: str
    author: str
    board: str  # as it reads in a sentence: 'the Command Team'
    start: date
    target: date
    owners: tuple[str, ...] = ()  # milestone owner ids; the lead's first
    inspected: date | None = None  # when an inspection of the plan's work was published, if one was
    inspection: str = ""  # that inspection as it reads in a sentence: 'the HMICFRS inspection (March 2023)'
    named: bool = False  # one of the inspection's recommendations names this objective


@dataclass
class Story:
    ref: str
    updates: list[dict[str, Any]] = field(
        default_factory=list
    )  # each with 'period' (index) and status columns
    milestones: list[dict[str, Any]] = field(default_factory=list)

    def current(self) -> tuple[str, str | None, int | None]:
        """The objective's lifecycle, RAG and progress: those of its latest update."""
        if not self.updates:
            return Lifecycle.NOT_STARTED.value, None, None
        last = self.updates[-1]
        return last["lifecycle"], last["rag"], last["progress_pct"]


@dataclass
class _Timeline:
    first: int  # index of the first period the objective is live in
    start: int  # first period in progress (after a late start)
    target: int  # period holding the target date
    finish: int  # period it completes in (may lie beyond the plan)
    hold: range = range(0)
    cancel: int | None = None
    late: int = 0
    review: int | None = None  # period in which an inspection's findings widened the work
    baselines: list[tuple[int, int]] = field(default_factory=list)  # (agreed in, target period), in order

    def baseline_at(self, i: int) -> tuple[int, int]:
        """The target in force in period ``i``, and the period it was agreed in."""
        return next((b for b in reversed(self.baselines) if b[0] <= i), self.baselines[0])

    def replanned(self, i: int) -> bool:
        """Whether a revised target was agreed in period ``i``."""
        return any(agreed == i for agreed, _ in self.baselines[1:])


def tell(
    facts: Facts, periods: Sequence[Period], as_at: date, rng: random.Random, *, milestones: int | None = None
) -> Story:
    """The whole story of one objective up to ``as_at`` (the last period is the open one)."""
    story = Story(facts.ref)
    line = _timeline(facts, periods, rng)
    states = _states(line, len(periods))
    rags = _rags(line, states, rng)
    for index, (state, rag) in enumerate(zip(states, rags, strict=True)):
        if state is None:
            continue
        story.updates.append({"period": index, "lifecycle": state, "rag": rag,
                              "reported_at": _reported_at(periods[index], as_at, rng)})  # fmt: skip
    _progress(story.updates, line)
    story.milestones = _milestones(facts, story, line, periods, as_at, rng, milestones)
    _words(facts, story, line, periods, rng)
    return story


def _timeline(facts: Facts, periods: Sequence[Period], rng: random.Random) -> _Timeline:
    first_day = periods[0].start
    first = max(0, quarter_index(facts.start, first_day))
    target = max(first, quarter_index(facts.target, first_day))
    kick = min(rng.choices([0, 1, 2], [70, 20, 10])[0], target - first)
    start = first + kick
    line = _Timeline(first, start, target, target + rng.choices(SLIPS, SLIP_WEIGHTS)[0])
    if facts.inspected is not None:  # work still running when the inspection reported is often widened by it
        review = quarter_index(facts.inspected, first_day) + 1
        if start < review <= line.finish and (facts.named or rng.random() < 0.7):
            line.review = review
            line.finish += rng.randint(2, 6)
    if line.finish - start >= 3 and rng.random() < 0.2:  # long work is paused for decisions more than begun
        begin = rng.randint(max(start + 1, (start + line.finish) // 2), line.finish - 1)
        line.hold = range(begin, begin + rng.randint(1, 3))
        line.finish += len(line.hold)
    if line.finish - start >= 2 and rng.random() < 0.02 and not facts.named:  # an inspection's work goes on
        line.cancel = rng.randint(start + 1, line.finish - 1)
    line.late = line.finish - target
    line.baselines = _baselines(line, rng)
    return line


def _baselines(line: _Timeline, rng: random.Random) -> list[tuple[int, int]]:
    """The targets agreed over time: a missed one is replaced a quarter or two later, not always realistically."""
    out = [(line.first, line.target)]
    current, agree_at = line.target, None
    for i in range(line.start, line.finish):
        if i == line.review:
            new = line.finish if rng.random() < 0.6 else max(i + 1, line.finish - rng.randint(1, 2))
            new = max(new, current)
        elif i > current and i not in line.hold:
            if agree_at is None:  # the board takes a quarter or two to agree a revised plan
                agree_at = i + rng.choices([0, 1, 2], [35, 40, 25])[0]
            if i < agree_at:
                continue
            new = line.finish if rng.random() < 0.45 else max(i + 1, line.finish - rng.randint(1, 3))
        else:
            continue
        agree_at = None
        if new != current:
            out.append((i, new))
            current = new
    return out


def _states(line: _Timeline, count: int) -> list[str | None]:
    states: list[str | None] = []
    ended = False
    for i in range(count):
        if ended or i < line.first:
            states.append(None)
        elif i < line.start:
            states.append(Lifecycle.NOT_STARTED.value)
        elif line.cancel is not None and i == line.cancel:
            states.append(Lifecycle.CANCELLED.value)
        elif i in line.hold:
            states.append(Lifecycle.ON_HOLD.value)
        elif i == line.finish:
            states.append(Lifecycle.COMPLETE.value)
        else:
            states.append(Lifecycle.IN_PROGRESS.value)
        ended = ended or states[-1] in (Lifecycle.CANCELLED, Lifecycle.COMPLETE)
    return states


def _wanted(line: _Timeline, i: int, state: str) -> Rag:
    """The RAG the timeline calls for, judged against the target in force.

    Past that target with no revised one agreed: Red. Just re-planned: Amber while recovery is proven.
    Otherwise Green, turning Amber (or Red) as a coming miss of the target becomes plain.
    """
    if state == Lifecycle.ON_HOLD:
        return Rag.AMBER
    agreed, current = line.baseline_at(i)
    if i > current:
        return Rag.RED
    if line.replanned(i):
        return Rag.AMBER
    late = line.finish - current
    if late <= 0:
        return Rag.GREEN
    begun = max(agreed, line.start)
    frac = (i - begun) / max(1, current - begun)
    if late == 1:  # leads are optimistic: a small slip shows only near the target
        return Rag.AMBER if frac >= 0.8 else Rag.GREEN
    if late == 2:
        return Rag.AMBER if frac >= 0.6 else Rag.GREEN
    return Rag.RED if frac >= 0.8 else Rag.AMBER if frac >= 0.5 else Rag.GREEN


def _rags(line: _Timeline, states: list[str | None], rng: random.Random) -> list[str | None]:
    """Mostly holding, moving a step at a time towards what the timeline calls for, with the odd setback."""
    out: list[str | None] = []
    rag: Rag | None = None
    for i, state in enumerate(states):
        if state not in (Lifecycle.IN_PROGRESS, Lifecycle.ON_HOLD):
            out.append(None)
            continue
        want = _wanted(line, i, state)
        if state == Lifecycle.ON_HOLD and rag in (None, Rag.GREEN):  # a pause is never on track
            rag = Rag.AMBER
        elif rag is None:
            rag = _BY_RANK[max(0, _RANK[want] - 1)] if rng.random() < 0.2 else want
        elif _RANK[rag] == _RANK[want]:
            if rag != Rag.RED and rng.random() < 0.07:
                rag = _BY_RANK[_RANK[rag] - 1]
        elif _RANK[rag] < _RANK[want]:
            if rng.random() < 0.5:
                rag = _BY_RANK[_RANK[rag] + 1]
        elif rng.random() < 0.65:
            rag = _BY_RANK[_RANK[rag] - 1]
        out.append(rag.value)
    return out


def _progress(updates: list[dict[str, Any]], line: _Timeline) -> None:
    working = max(1, line.finish - line.start + 1 - len(line.hold))
    done, pct = 0, 0
    for u in updates:
        state = u["lifecycle"]
        if state == Lifecycle.IN_PROGRESS:
            done += 1
            pct = max(pct, min(95, max(5, 5 * round(20 * done / working))))
        elif state == Lifecycle.COMPLETE:
            pct = 100
        u["progress_pct"] = pct


def _reported_at(period: Period, as_at: date, rng: random.Random) -> datetime:
    """Returns are written in the last weeks of their period, and never after the as-at date."""
    last = min(period.end, as_at)
    earliest = max(period.start, last - timedelta(days=20))
    day = earliest + timedelta(days=rng.randint(0, (last - earliest).days))
    return datetime.combine(day, time(rng.randint(8, 17), rng.choice((0, 15, 30, 45))), tzinfo=UTC)


def _weekday(day: date) -> date:
    return day - timedelta(days=max(0, day.weekday() - 4))


def _quarter_end(first: date, index: int) -> date:
    """The last day of the quarter ``index`` quarters after the one starting ``first``."""
    months = first.year * 12 + first.month - 1 + 3 * (index + 1)
    return date(months // 12, months % 12 + 1, 1) - timedelta(days=1)


def _target_date(facts: Facts, line: _Timeline, first_day: date, i: int) -> date:
    """The target in force in period ``i`` as a date: the original one, or the end of a revised quarter."""
    current = line.baseline_at(i)[1]
    return facts.target if current == line.target else _quarter_end(first_day, current)


def _milestones(
    facts: Facts, story: Story, line: _Timeline, periods: Sequence[Period], as_at: date,
    rng: random.Random, count: int | None,
) -> list[dict[str, Any]]:  # fmt: skip
    """Milestones as at ``as_at``: done when the work got there, forecast to the plan in force when not."""
    n = count if count is not None else rng.randint(2, 5)
    if n <= 0:
        return []
    first_day = periods[0].start
    span = (facts.target - facts.start).days
    begun = facts.start + timedelta(days=QUARTER_DAYS * (line.start - line.first))
    lifecycle = story.current()[0]
    ended: date | None = None
    if lifecycle in (Lifecycle.COMPLETE, Lifecycle.CANCELLED):
        ended = story.updates[-1]["reported_at"].date()
    live = ended is None
    if lifecycle == Lifecycle.COMPLETE:
        end = ended
    else:  # when the work will really finish, some weeks before the end of its quarter
        end = max(facts.target, _quarter_end(first_day, line.finish) - timedelta(days=rng.randint(10, 40)))
    assert end is not None
    latest = story.updates[-1]["period"] if story.updates else 0
    agreed = _target_date(facts, line, first_day, latest)  # what the plan in force says
    optimistic = live and agreed < end
    titles = milestone_titles(facts.subject, facts.board, n, rng)
    rows: list[dict[str, Any]] = []
    floor = facts.start
    for k in range(1, n + 1):
        baseline = (
            facts.target
            if k == n
            else max(facts.start, _weekday(facts.start + timedelta(days=span * k // n)))
        )
        projected = (
            end if k == n else begun + timedelta(days=(end - begun).days * k // n + rng.randint(-6, 6))
        )
        projected = max(projected, floor, begun)
        if lifecycle == Lifecycle.COMPLETE:
            projected = min(projected, end)
        floor = projected
        done = projected <= (ended if lifecycle == Lifecycle.CANCELLED and ended else as_at) and not (
            live and k == n
        )
        slip = (projected - baseline).days
        if not done and optimistic:  # forecast to the agreed plan, which the work is already behind
            planned = agreed if k == n else _weekday(begun + timedelta(days=(agreed - begun).days * k // n))
            forecast = max(baseline, planned)
        else:
            forecast = baseline if (slip <= 7 and done) or slip <= 0 else projected
        owner = facts.owners[0] if facts.owners and (rng.random() < 0.8 or len(facts.owners) == 1) else (
            rng.choice(facts.owners) if facts.owners else None
        )  # fmt: skip
        rows.append({"title": titles[k - 1], "owner_id": owner, "baseline_date": baseline,
                     "forecast_date": forecast, "completed_date": projected if done else None,
                     "ordinal": k, "notes": ""})  # fmt: skip
    if lifecycle == Lifecycle.CANCELLED:
        when = periods[story.updates[-1]["period"]].name
        for row in rows:
            if row["completed_date"] is None:
                row["notes"] = f"Not pursued: the objective was cancelled in {when}."
    current_rag = story.current()[1]
    troubled = lifecycle in (Lifecycle.IN_PROGRESS, Lifecycle.ON_HOLD) and current_rag in (Rag.AMBER, Rag.RED)
    if troubled and (current_rag == Rag.RED or rng.random() < 0.6):
        late = [r for r in rows if r["completed_date"] is not None and r["forecast_date"] < as_at]
        if late:  # the most recent one did not actually happen: it is overdue as at the last period
            late[-1]["completed_date"] = None
    return rows


def _words(
    facts: Facts, story: Story, line: _Timeline, periods: Sequence[Period], rng: random.Random
) -> None:
    cause = rng.choice(P.CAUSES)
    previous_rag: str | None = None
    previous_day: date | None = None
    hold_reason = rng.choice(P.HOLD_REASONS)
    first_day = periods[0].start
    for u in story.updates:
        i = u["period"]
        period = periods[i]
        nxt = _next_period_name(period)
        day = u["reported_at"].date()
        in_force = _target_date(facts, line, first_day, i)
        missed = i > line.baseline_at(i)[1]  # past the target in force, no revised one agreed yet
        values = {"subject": facts.subject, "board": facts.board, "cause": cause, "hold_reason": hold_reason,
                  "next_period": nxt, "target": P.long_date(in_force), "original": P.long_date(facts.target),
                  "priority": rng.choice(P.PRIORITIES), "dependency": rng.choice(P.DEPENDENCIES),
                  "recovery": P.RECOVERY_FOR.get(cause) or rng.choice(P.RECOVERIES), "cancel_reason": rng.choice(P.CANCEL_REASONS),
                  "inspection": facts.inspection or "the inspection"}  # fmt: skip
        state, rag = u["lifecycle"], u["rag"]
        if rag is not None and previous_rag is not None and _RANK[Rag(rag)] < _RANK[Rag(previous_rag)]:
            cause = rng.choice(P.CAUSES)  # a new setback has its own cause
            values["cause"] = cause
        key = rag if state == Lifecycle.IN_PROGRESS else state
        why = ""  # what explains a RAG change this period, beyond the generic words
        live = state == Lifecycle.IN_PROGRESS
        if state == Lifecycle.ON_HOLD:
            why = "hold"
        if live and i == line.review:
            why = "widened"
            parts = [P.pick(rng, P.WIDENED, **values)]
        elif live and line.replanned(i):
            why = "replanned"
            parts = [P.pick(rng, P.REPLANNED, **values)]
        elif live and missed and rag != Rag.GREEN:
            why = "missed"
            parts = [P.pick(rng, P.MISSED, **values)]
        else:
            parts = [P.pick(rng, P.COMMENTARY[key], **values)]
            if live and in_force != facts.target:
                parts.append(P.fill(P.WORKING_TO, **values))
        done = [m for m in story.milestones if m["completed_date"] is not None
                and (previous_day is None or m["completed_date"] > previous_day) and m["completed_date"] <= day]  # fmt: skip
        if done:
            listed = "; ".join(f"'{m['title']}' ({P.long_date(m['completed_date'])})" for m in done)
            parts.append(f"Milestone{'s' if len(done) > 1 else ''} completed: {listed}.")
        if live and u["progress_pct"]:
            parts.append(f"Overall about {u['progress_pct']}% complete.")
        u["commentary"] = " ".join(parts)
        u["next_steps"] = _next_steps(story, u, day, values, rng)
        u["rationale"] = (
            _rationale(previous_rag, rag, values, why) if needs_rationale(previous_rag, rag) else ""
        )
        corrective = P.CORRECTIVE_MISSED if missed else P.CORRECTIVE
        u["corrective_action"] = P.pick(rng, corrective, **values) if needs_corrective_action(rag) else ""
        u["author"] = facts.author
        previous_rag, previous_day = rag, day


def _next_steps(
    story: Story, u: dict[str, Any], day: date, values: dict[str, str], rng: random.Random
) -> str:
    state = u["lifecycle"]
    if state in (Lifecycle.NOT_STARTED, Lifecycle.ON_HOLD, Lifecycle.COMPLETE, Lifecycle.CANCELLED):
        return P.pick(rng, P.NEXT_STEPS[state], **values)
    coming = [m for m in story.milestones if m["completed_date"] is None or m["completed_date"] > day]
    steps = []
    if coming:
        m = min(coming, key=lambda r: r["forecast_date"])
        steps.append(f"Deliver '{m['title']}' (forecast {P.long_date(m['forecast_date'])}).")
    steps.append(P.pick(rng, P.NEXT_STEPS["live"], **values))
    return " ".join(steps)


def _rationale(previous: str | None, new: str | None, values: dict[str, str], why: str = "") -> str:
    assert new is not None
    if previous is None:
        return P.fill(P.FIRST_RAG[new], **values)
    words = {"old": Rag(previous).label, "new": Rag(new).label}
    better = _RANK[Rag(new)] > _RANK[Rag(previous)]
    if better:
        better_by = {"replanned": P.IMPROVED_REPLANNED, "widened": P.IMPROVED_WIDENED}
        return P.fill(better_by.get(why, P.IMPROVED), **values, **words)
    reason = {"widened": P.DETERIORATED_WIDENED, "missed": P.DETERIORATED_MISSED, "hold": P.DETERIORATED_HOLD}
    return P.fill(reason.get(why, P.DETERIORATED), **values, **words)


def _next_period_name(period: Period) -> str:
    start = period.end + timedelta(days=1)
    return quarters(start, start)[0].name


def drop_open_returns(stories: Sequence[Story], last: int, rng: random.Random, share: float = 0.15) -> int:
    """Leave ``share`` of the open period's returns unwritten, so 'who has not reported' has an answer."""
    due = [s for s in stories if s.updates and s.updates[-1]["period"] == last]
    missing = rng.sample(due, round(len(due) * share))
    for s in missing:
        s.updates.pop()
    return len(missing)
