"""The inspection recommendations: status, owner, due date, the latest note and the objectives that
answer each, with its progress notes and links beside the form."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from functools import partial
from operator import attrgetter
from typing import Any

from PySide6.QtWidgets import QTabWidget, QWidget

from tracker.enums import Brag, InspectionBody, Lifecycle, RecommendationKind, RecommendationStatus
from tracker.models import Kind
from tracker.queries.registers import recommendation_rows
from ui.models.table import Column, SortKind
from ui.pages.register_page import RegisterPage
from ui.pages.register_specs import (
    BRAG_OPTIONS,
    DUE_OPTIONS,
    FOUR_P_OPTIONS,
    STATUS_RANK,
    Choice,
    FormField,
    Lookups,
    RegisterSpec,
    enum_options,
    inspection_options,
    people_options,
    read_lookups,
    theme_options,
    word,
)
from ui.widgets.chips import RECOMMENDATION_CHIP


def recommendation_columns(lk: Lookups) -> list[Column]:
    return [
        Column("body", "Body", attrgetter("body")),
        Column("ref", "Ref", attrgetter("ref")),
        Column("kind", "Kind", attrgetter("kind"), display=word),
        Column("text", "Recommendation", attrgetter("text")),
        # the status and overdue chips beside the text: in view at 1366 px, not past the edge
        Column(
            "status",
            "Status",
            attrgetter("status"),
            display=word,
            sort=SortKind.RANK,
            rank=STATUS_RANK,
            chip=RECOMMENDATION_CHIP.get,
        ),  # fmt: skip
        Column(
            "overdue",
            "Overdue",
            attrgetter("overdue"),
            display=lambda v: "Overdue" if v else "",
            sort=SortKind.NUMBER,
            chip=lambda v: "red" if v else None,
            searchable=False,
        ),  # fmt: skip
        Column("owner", "Owner", attrgetter("owner_name")),
        Column("due", "Due", attrgetter("due_date"), sort=SortKind.DATE),
        Column("note", "Latest note", attrgetter("latest_note_date"), sort=SortKind.DATE),
        Column("objectives", "Objectives", attrgetter("objective_refs")),
        Column("inspection", "Inspection", attrgetter("inspection_title")),
    ]


def recommendation_facets(lk: Lookups) -> Mapping[str, Callable[[Any], Hashable]]:
    by_ref = lk.by_ref()

    def linked(attr: str) -> Callable[[Any], Hashable]:
        def get(r: Any) -> Hashable:
            values = (getattr(by_ref[ref], attr) for ref in r.objective_refs if ref in by_ref)
            return frozenset(v.value if isinstance(v, Brag) else v for v in values)

        return get

    return {
        "body": attrgetter("body"),
        "kind": attrgetter("kind"),
        "owner_id": attrgetter("owner_id"),
        "status": attrgetter("status"),
        "due": lambda r: (r.due_date, r.status in {s.value for s in RecommendationStatus if s.is_open}),
        "theme_id": linked("theme_id"),
        "lead_id": linked("lead_id"),
        "brag": linked("brag"),
        "lifecycle": linked("lifecycle"),
        "four_p": lambda r: ",".join(sorted(set(linked("four_p")(r)))),  # type: ignore[arg-type]
    }


RECOMMENDATIONS = RegisterSpec(
    kind=Kind.RECOMMENDATION,
    read=recommendation_rows,
    lookups=partial(read_lookups, inspections=True),
    columns=recommendation_columns,
    facets=recommendation_facets,
    choices=(
        Choice("body", "Body", enum_options(InspectionBody)),
        Choice("kind", "Kind", enum_options(RecommendationKind)),
        Choice("status", "Status", enum_options(RecommendationStatus)),
        Choice("owner_id", "Owner", people_options),
        Choice("theme_id", "Theme", theme_options, "in"),
        Choice("lead_id", "Lead", people_options, "in"),
        Choice("brag", "RAG", BRAG_OPTIONS, "in"),
        Choice("lifecycle", "Lifecycle", enum_options(Lifecycle), "in"),
        Choice("four_p", "4P", FOUR_P_OPTIONS, "tag"),
        Choice("due", "Due", DUE_OPTIONS, "due"),
    ),
    fields=(
        FormField("inspection_id", "Inspection", "combo", inspection_options, required=True),
        FormField("kind", "Kind", "combo", enum_options(RecommendationKind), required=True),
        FormField("ref", "Reference", required=True),
        FormField("text", "Text", "text", required=True),
        FormField("status", "Status", "combo", enum_options(RecommendationStatus), required=True),
        FormField("owner_id", "Owner", "combo", people_options, blank="Not yet allocated"),
        FormField("due_date", "Due date", "date"),
        FormField("evidence", "Evidence", "text"),
        FormField("closure_rationale", "Closure rationale", "text"),
        FormField("closed_date", "Closed date", "date"),
    ),
    describe=lambda r: f"the {r.kind} {r.ref} of {r.body}",
)


class RecommendationsPage(RegisterPage):
    spec = RECOMMENDATIONS

    def new_defaults(self) -> dict[str, Any]:
        first = self.lookups.inspections[0].id if self.lookups.inspections else None
        return {"inspection_id": first, "kind": "recommendation", "status": "awaiting allocation"}

    def _side_panel(self, form: QWidget) -> QWidget:
        from ui.pages.recommendation import RecommendationDetail

        self.detail = RecommendationDetail(self.ctx)
        tabs = QTabWidget()
        tabs.setAccessibleName("Recommendation")
        tabs.addTab(form, "&Details")
        tabs.addTab(self.detail.notes_panel, "Progress &notes")
        tabs.addTab(self.detail.links_panel, "&Links")
        self.tabs = tabs
        return tabs

    def _show(self, row: Any | None) -> None:
        super()._show(row)
        self.detail.show_recommendation(row.id if row is not None else None)
