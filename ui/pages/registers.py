"""The milestone, risk and recommendation registers (see :mod:`ui.pages.register_page` for the shared page)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QTabWidget, QWidget
from sqlmodel import Session

from tracker import queries as q
from ui.pages.register_page import RegisterPage
from ui.pages.register_specs import MILESTONES, RECOMMENDATIONS, RISKS, Lookups


def _lookups(session: Session, *, inspections: bool = False) -> Lookups:
    return Lookups(
        themes=q.themes(session),
        outcomes=q.outcomes(session),
        people=q.people(session),
        objectives={o.id: o for o in q.objective_rows(session)},
        inspections=q.inspections(session) if inspections else [],
    )


class MilestonesPage(RegisterPage):
    spec = MILESTONES

    def read(self, session: Session, filters: q.Filters = q.NO_FILTERS) -> list[Any]:
        return q.milestone_rows(session, filters)

    def read_lookups(self, session: Session) -> Lookups:
        return _lookups(session)


class RisksPage(RegisterPage):
    spec = RISKS

    def read(self, session: Session, filters: q.Filters = q.NO_FILTERS) -> list[Any]:
        return q.risk_rows(session, filters)

    def read_lookups(self, session: Session) -> Lookups:
        return _lookups(session)

    def new_defaults(self) -> dict[str, Any]:
        scores = {f"{w}_{x}": 3 for w in ("inherent", "residual", "target") for x in ("likelihood", "impact")}
        return {**scores, "response": "treat", "status": "open"}

    def form_row(self, row: Any) -> Any:
        # the register shows an objective risk's theme (from its objective); the risk itself has none
        return row._replace(theme_id=None) if row.objective_id else row


class RecommendationsPage(RegisterPage):
    spec = RECOMMENDATIONS

    def read(self, session: Session, filters: q.Filters = q.NO_FILTERS) -> list[Any]:
        return q.recommendation_rows(session, filters)

    def read_lookups(self, session: Session) -> Lookups:
        return _lookups(session, inspections=True)

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
