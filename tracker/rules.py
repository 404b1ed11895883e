"""The plan's rules as pure functions: no database, no clock (the caller passes ``as_of``).

- milestone state: complete, on track, slipping (forecast later than baseline beyond a tolerance), overdue;
- risk score (likelihood x impact) and band, and whether it is above appetite;
- displayed status (BRAG) from lifecycle and RAG;
- RAG movement between two periods;
- derived RAG for an objective, with its reasons in words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from tracker.enums import Brag, Lifecycle, MilestoneState, Movement, Rag, RiskBand


@dataclass(frozen=True)
class RuleSettings:
    """The plan settings the rules read. Defaults match a new plan's."""

    slip_tolerance_days: int = 14
    risk_appetite: int = 12
    risk_low_max: int = 4
    risk_medium_max: int = 9
    risk_high_max: int = 15

    @classmethod
    def from_plan(cls, plan: object) -> RuleSettings:
        return cls(
            slip_tolerance_days=plan.slip_tolerance_days,  # type: ignore[attr-defined]
            risk_appetite=plan.risk_appetite,  # type: ignore[attr-defined]
            risk_low_max=plan.risk_low_max,  # type: ignore[attr-defined]
            risk_medium_max=plan.risk_medium_max,  # type: ignore[attr-defined]
            risk_high_max=plan.risk_high_max,  # type: ignore[attr-defined]
        )


def as_of_date(period_end: date, today: date) -> date:
    """A period is judged as at its end, or today while it is still running."""
    return min(period_end, today)


# ------------------------------------------------------------------------------------------ milestones


CLOSED_LIFECYCLES = frozenset({Lifecycle.COMPLETE, Lifecycle.CANCELLED})  # an objective no longer pursued


def is_pursued(lifecycle: str | None) -> bool:
    """Whether an objective's milestones are still pursued: not once it is complete or cancelled."""
    return lifecycle not in CLOSED_LIFECYCLES


def milestone_state(
    baseline: date,
    forecast: date,
    completed: date | None,
    *,
    as_of: date,
    tolerance_days: int,
    pursued: bool = True,
) -> MilestoneState:
    """A milestone's state as of a date. One left unfinished by an objective that was cancelled or
    completed (``pursued`` False) is not pursued: never overdue or slipping, whatever its dates."""
    if completed is not None and completed <= as_of:
        return MilestoneState.COMPLETE
    if not pursued:
        return MilestoneState.NOT_PURSUED
    if forecast < as_of:
        return MilestoneState.OVERDUE
    if (forecast - baseline).days > tolerance_days:
        return MilestoneState.SLIPPING
    return MilestoneState.ON_TRACK


def days_overdue(forecast: date, completed: date | None, *, as_of: date, pursued: bool = True) -> int:
    """How many days past its forecast an unfinished milestone is, as of a date (0 when not overdue,
    and for one no longer pursued)."""
    if (completed is not None and completed <= as_of) or not pursued:
        return 0
    return max(0, (as_of - forecast).days)


# ------------------------------------------------------------------------------------------ risks


def risk_score(likelihood: int, impact: int) -> int:
    for name, value in (("likelihood", likelihood), ("impact", impact)):
        if not 1 <= value <= 5:
            raise ValueError(f"{name} must be between 1 and 5, not {value}")
    return likelihood * impact


def risk_band(score: int, settings: RuleSettings = RuleSettings()) -> RiskBand:
    if score <= settings.risk_low_max:
        return RiskBand.LOW
    if score <= settings.risk_medium_max:
        return RiskBand.MEDIUM
    if score <= settings.risk_high_max:
        return RiskBand.HIGH
    return RiskBand.VERY_HIGH


def above_appetite(score: int, settings: RuleSettings = RuleSettings()) -> bool:
    return score > settings.risk_appetite


# ------------------------------------------------------------------------------------------ status


def brag(lifecycle: str | None, rag: str | None) -> Brag:
    """What is displayed: Blue when complete, Grey when not started or cancelled, else the RAG.

    A live objective with no RAG yet shows Grey: colour is never invented.
    """
    if lifecycle == Lifecycle.COMPLETE:
        return Brag.BLUE
    if lifecycle in (Lifecycle.NOT_STARTED, Lifecycle.CANCELLED) or lifecycle is None or rag is None:
        return Brag.GREY
    return Brag(Rag(rag).value)


RAG_ALLOWED = frozenset({Lifecycle.IN_PROGRESS, Lifecycle.ON_HOLD})  # the lifecycles that carry a RAG


def implied_by_lifecycle(changes: Mapping[str, Any], *, current: Mapping[str, Any]) -> dict[str, Any]:
    """A status change with what a new lifecycle implies filled in, unless the change says otherwise.

    Moving to a lifecycle without a RAG (not started, complete, cancelled) clears the RAG; moving to
    complete sets progress to 100. ``current`` is the status as held, to tell whether the lifecycle moved.
    """
    lifecycle = changes.get("lifecycle")
    implied = dict(changes)
    if not isinstance(lifecycle, str) or lifecycle == current.get("lifecycle"):
        return implied
    if lifecycle not in RAG_ALLOWED and lifecycle in set(Lifecycle):
        implied.setdefault("rag", None)
    if lifecycle == Lifecycle.COMPLETE:
        implied.setdefault("progress_pct", 100)
    return implied


def brag_label(lifecycle: str | None, rag: str | None) -> str:
    """The word that always accompanies the colour."""
    shown = brag(lifecycle, rag)
    if shown is Brag.BLUE:
        return "Complete"
    if shown is Brag.GREY:
        if lifecycle == Lifecycle.CANCELLED:
            return "Cancelled"
        if lifecycle in RAG_ALLOWED:
            return "No RAG"
        return "Not started" if lifecycle == Lifecycle.NOT_STARTED else "No update"
    return shown.value.capitalize()


_RANK = {Brag.RED: 0, Brag.AMBER: 1, Brag.GREEN: 2, Brag.BLUE: 3}


def movement(previous: Brag | None, current: Brag | None) -> Movement | None:
    """How status moved from one period to the next; None when there is no current status to compare.

    Grey (not started, cancelled, unreported) has no rank: from Grey to a colour is *new*; from a
    colour to Grey is *deteriorated* (the item stopped being delivered or reported).
    """
    if current is None:
        return None
    cur = _RANK.get(current)
    prev = _RANK.get(previous) if previous is not None else None
    if cur is None:
        return Movement.UNCHANGED if prev is None else Movement.DETERIORATED
    if prev is None:
        return Movement.NEW
    if cur > prev:
        return Movement.IMPROVED
    if cur < prev:
        return Movement.DETERIORATED
    return Movement.UNCHANGED


def needs_rationale(previous_rag: str | None, new_rag: str | None) -> bool:
    """A change of RAG (including a first RAG) must be explained."""
    return new_rag is not None and new_rag != previous_rag


def needs_corrective_action(new_rag: str | None) -> bool:
    return new_rag == Rag.RED


# ------------------------------------------------------------------------------------------ derived RAG


class MilestoneFacts(
    NamedTuple
):  # a tuple, so that derive_rag takes plain (baseline, forecast, completed) too
    baseline: date
    forecast: date
    completed: date | None = None


@dataclass(frozen=True)
class DerivedRag:
    status: Brag
    reasons: tuple[str, ...]

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


def derive_rag(
    lifecycle: str | None,
    milestones: Iterable[tuple[date, date, date | None]],  # MilestoneFacts, or plain tuples of the same
    residual_scores: Iterable[int],
    *,
    has_update: bool,
    as_of: date,
    settings: RuleSettings = RuleSettings(),
    period_name: str = "this period",
) -> DerivedRag:
    """A suggested status from the evidence, with its reasons. Shown beside the reported RAG, never over it.

    Red: a milestone overdue by more than the slip tolerance, or a residual risk in the top band and
    above appetite. Amber: a milestone overdue within tolerance or slipping, a residual risk above
    appetite, or no update this period. Green otherwise.
    """
    if lifecycle == Lifecycle.COMPLETE:
        return DerivedRag(Brag.BLUE, ("complete",))
    if lifecycle in (Lifecycle.NOT_STARTED, Lifecycle.CANCELLED):
        return DerivedRag(Brag.GREY, (Lifecycle(lifecycle).value,))

    late = overdue = slipping = 0
    tolerance = settings.slip_tolerance_days
    for baseline, forecast, completed in milestones:
        state = milestone_state(baseline, forecast, completed, as_of=as_of, tolerance_days=tolerance)
        if state is MilestoneState.OVERDUE:
            if days_overdue(forecast, completed, as_of=as_of) > tolerance:
                late += 1
            else:
                overdue += 1
        elif state is MilestoneState.SLIPPING:
            slipping += 1
    above = [s for s in residual_scores if above_appetite(s, settings)]
    severe = [s for s in above if risk_band(s, settings) is RiskBand.VERY_HIGH]

    red: list[str] = []
    amber: list[str] = []
    if late:
        red.append(f"{_n(late, 'milestone')} overdue by more than {settings.slip_tolerance_days} days")
    if severe:
        red.append(f"{_n(len(severe), 'residual risk')} very high (highest {max(severe)})")
    if overdue:
        amber.append(f"{_n(overdue, 'milestone')} overdue")
    if slipping:
        amber.append(f"{_n(slipping, 'milestone')} slipping more than {settings.slip_tolerance_days} days")
    if len(above) > len(severe):
        amber.append(
            f"{_n(len(above) - len(severe), 'residual risk')} above appetite (score over {settings.risk_appetite})"
        )
    if not has_update:
        amber.append(f"no update for {period_name}")
    if red:
        return DerivedRag(Brag.RED, tuple(red + amber))
    if amber:
        return DerivedRag(Brag.AMBER, tuple(amber))
    return DerivedRag(Brag.GREEN, ("milestones on track, risks within appetite, updated",))


def disagrees(reported: Brag, derived: Brag) -> bool:
    """A flagged disagreement: only for live objectives, where both sides are a colour."""
    live = {Brag.RED, Brag.AMBER, Brag.GREEN}
    return reported in live and derived in live and reported != derived


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
