"""The milestone register: every milestone with its dates and state, the objective's RAG beside it."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from operator import attrgetter
from typing import Any

from tracker.enums import MilestoneState
from tracker.models import Kind
from tracker.queries.registers import milestone_pages, milestone_rows
from ui.models.table import Column, SortKind
from ui.pages.register_page import RegisterPage
from ui.pages.register_specs import (
    BRAG_RANK,
    DUE_OPTIONS,
    RIGHT,
    SCOPE_CHOICES,
    STATE_RANK,
    Choice,
    FormField,
    Lookups,
    RegisterSpec,
    brag_word,
    enum_options,
    objective_facets,
    objective_options,
    people_options,
    word,
)
from ui.widgets.chips import STATE_CHIP


def milestone_columns(lk: Lookups) -> list[Column]:
    brag_of = {o.id: o.brag.value for o in lk.objectives.values()}

    def objective_brag(r: Any) -> str | None:
        return brag_of.get(r.objective_id)

    return [
        Column("ref", "Objective", attrgetter("objective_ref")),
        # the objective's RAG beside it, in view at 1366 px rather than past the dates
        Column(
            "rag",
            "Objective RAG",
            objective_brag,
            display=brag_word,
            sort=SortKind.RANK,
            rank=BRAG_RANK,
            chip=lambda v: v,
        ),  # fmt: skip
        Column("title", "Milestone", attrgetter("title")),
        # the state beside the title: at 1366 px the dates pushed it off the right of the table
        Column(
            "state",
            "State",
            lambda r: r.state.value,
            display=word,
            sort=SortKind.RANK,
            rank=STATE_RANK,
            chip=STATE_CHIP.get,
        ),  # fmt: skip
        Column("owner", "Owner", attrgetter("owner_name")),
        Column("baseline", "Baseline", attrgetter("baseline_date"), sort=SortKind.DATE),
        Column("forecast", "Forecast", attrgetter("forecast_date"), sort=SortKind.DATE),
        Column("completed", "Completed", attrgetter("completed_date"), sort=SortKind.DATE),
        Column(
            "slip",
            "Slip (days)",
            attrgetter("slip_days"),
            sort=SortKind.NUMBER,
            align=RIGHT,
            searchable=False,
            tooltip="Forecast minus baseline, in days",
        ),  # fmt: skip
        Column("theme", "Theme", attrgetter("theme_name")),
    ]


def milestone_facets(lk: Lookups) -> Mapping[str, Callable[[Any], Hashable]]:
    return {
        "theme_id": attrgetter("theme_id"),
        "owner_id": attrgetter("owner_id"),
        "state": lambda r: r.state.value,
        "due": lambda r: (r.forecast_date, r.completed_date is None),
        **objective_facets(lk),
    }


MILESTONES = RegisterSpec(
    kind=Kind.MILESTONE,
    read=milestone_rows,
    columns=milestone_columns,
    facets=milestone_facets,
    choices=(
        *SCOPE_CHOICES,
        Choice("state", "State", enum_options(MilestoneState)),
        Choice("due", "Due", DUE_OPTIONS, "due"),
    ),  # fmt: skip
    fields=(
        FormField("objective_id", "Objective", "combo", objective_options, required=True),
        FormField("title", "Title", required=True),
        FormField("owner_id", "Owner", "combo", people_options, blank="No owner"),
        FormField("baseline_date", "Baseline date", "date", required=True),
        FormField("forecast_date", "Forecast date", "date"),
        FormField("completed_date", "Completed date", "date"),
        FormField("notes", "Notes", "text"),
    ),
    describe=lambda r: f"the milestone “{r.title}” of {r.objective_ref}",
    pages=milestone_pages,
)


class MilestonesPage(RegisterPage):
    spec = MILESTONES
