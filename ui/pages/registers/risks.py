"""The risk register: inherent, residual and target scores, the band each falls in, and appetite."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from operator import attrgetter
from typing import Any

from tracker.enums import RiskBand, RiskResponse, RiskStatus
from tracker.models import Kind
from tracker.queries.registers import risk_rows
from ui.models.table import Column, SortKind
from ui.pages.register_page import RegisterPage
from ui.pages.register_specs import (
    BAND_RANK,
    DUE_OPTIONS,
    RIGHT,
    SCOPE_CHOICES,
    Choice,
    FormField,
    Lookups,
    RegisterSpec,
    enum_options,
    objective_facets,
    objective_options,
    people_options,
    theme_options,
    word,
)
from ui.widgets.chips import BAND_CHIP


def risk_columns(lk: Lookups) -> list[Column]:
    def score(kind: str) -> Column:
        return Column(kind, f"{kind.capitalize()}", lambda r: getattr(r, f"{kind}_score"), sort=SortKind.NUMBER,
                      align=RIGHT, searchable=False, tooltip=f"{kind.capitalize()} score: likelihood × impact")  # fmt: skip

    return [
        Column("ref", "Ref", attrgetter("ref")),
        Column("title", "Risk", attrgetter("title")),
        # the band beside the title: a chip in view at 1366 px, not past the edge with the scores
        Column(
            "band",
            "Residual band",
            lambda r: r.residual_band.value,
            display=word,
            sort=SortKind.RANK,
            rank=BAND_RANK,
            chip=BAND_CHIP.get,
        ),  # fmt: skip
        Column("owner", "Owner", attrgetter("owner_name")),
        Column("objective", "Objective", attrgetter("objective_ref")),
        Column("theme", "Theme", attrgetter("theme_name")),
        score("inherent"),
        score("residual"),
        score("target"),
        Column(
            "appetite",
            "Above appetite",
            attrgetter("above_appetite"),
            display=lambda v: "Above" if v else "",
            sort=SortKind.NUMBER,
            searchable=False,
        ),  # fmt: skip
        Column("response", "Response", attrgetter("response"), display=word),
        Column("status", "Status", attrgetter("status"), display=word),
        Column("review", "Review", attrgetter("review_date"), sort=SortKind.DATE),
    ]


def risk_facets(lk: Lookups) -> Mapping[str, Callable[[Any], Hashable]]:
    return {
        "theme_id": attrgetter("theme_id"),
        "owner_id": attrgetter("owner_id"),
        "band": lambda r: r.residual_band.value,
        "status": attrgetter("status"),
        "due": lambda r: (r.review_date, r.status == RiskStatus.OPEN),
        **objective_facets(lk),
    }


SCORE_FIELDS = tuple(
    FormField(f"{when}_{what}", f"{when.capitalize()} {what}", "spin", required=True)
    for when in ("inherent", "residual", "target")
    for what in ("likelihood", "impact")
)

RISKS = RegisterSpec(
    kind=Kind.RISK,
    read=risk_rows,
    columns=risk_columns,
    facets=risk_facets,
    choices=(
        *SCOPE_CHOICES,
        Choice("band", "Band", enum_options(RiskBand)),
        Choice("status", "Status", enum_options(RiskStatus)),
        Choice("due", "Review", DUE_OPTIONS, "due"),
    ),  # fmt: skip
    fields=(
        FormField("ref", "Reference"),
        FormField("title", "Title", required=True),
        FormField("objective_id", "Objective", "combo", objective_options, blank="None (a theme risk)"),
        FormField("theme_id", "Theme", "combo", theme_options, blank="None (an objective risk)"),
        FormField("owner_id", "Owner", "combo", people_options, blank="No owner"),
        FormField("cause", "Cause", "text"),
        FormField("event", "Event", "text"),
        FormField("effect", "Effect", "text"),
        *SCORE_FIELDS,
        FormField("response", "Response", "combo", enum_options(RiskResponse), required=True),
        FormField("mitigations", "Mitigations", "text"),
        FormField("status", "Status", "combo", enum_options(RiskStatus), required=True),
        FormField("review_date", "Review date", "date"),
    ),
    describe=lambda r: f"the risk {r.ref} “{r.title}”",
)


class RisksPage(RegisterPage):
    spec = RISKS

    def new_defaults(self) -> dict[str, Any]:
        scores = {f"{w}_{x}": 3 for w in ("inherent", "residual", "target") for x in ("likelihood", "impact")}
        return {**scores, "response": "treat", "status": "open"}

    def form_row(self, row: Any) -> Any:
        # the register shows an objective risk's theme (from its objective); the risk itself has none
        return row._replace(theme_id=None) if row.objective_id else row
