"""One objective in full: header, this period's update, history, milestones, risks and linked recommendations."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from operator import attrgetter
from typing import ClassVar

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tracker import queries as q
from tracker.enums import PeriodStatus
from tracker.models import Kind
from tracker.rules import as_of_date
from tracker.services import Changes
from tracker.services.registry import REGISTRY
from ui.context import AppContext
from ui.models.table import RIGHT, Chip, Column, SortKind, TableModel, chip_column, show
from ui.pages.objective_form import FormState, StatusForm
from ui.pages.objective_milestones import MilestonesPanel
from ui.widgets.chips import BAND_CHIP, ChipDelegate
from ui.widgets.title import ShortTitle


def _history_status(h: q.StatusHistoryRow) -> Chip:
    return Chip(h.brag_label, h.brag.value) if h.update_id else Chip("No update", q.NO_UPDATE)


def _score(kind: str) -> Callable[[q.RiskRow], Chip]:
    """A risk's inherent or residual score with its band's words, in the band's colour."""

    def chip(r: q.RiskRow) -> Chip:
        band = getattr(r, f"{kind}_band")
        return Chip(f"{getattr(r, f'{kind}_score')} {band.label}", BAND_CHIP[band.value])

    return chip


def _words(key: str, header: str, field: str) -> Column:
    """Free text: elided in its column, whole in the tooltip."""
    get = attrgetter(field)
    return Column(key, header, get, tip=get)


HISTORY_COLUMNS = (
    Column("period", "Period", lambda h: h.period_name + (" (closed)" if h.period_status == PeriodStatus.CLOSED else "")),
    chip_column("status", "Status", _history_status),
    Column("lifecycle", "Lifecycle", lambda h: (h.lifecycle or "").capitalize()),
    Column("progress", "Progress", lambda h: f"{h.progress_pct}%" if h.progress_pct is not None else "", align=RIGHT),
    Column("movement", "Movement", lambda h: f"{h.movement.arrow} {h.movement.label}" if h.movement else ""),
    _words("rationale", "Rationale", "rationale"),
    _words("corrective_action", "Corrective action", "corrective_action"),
    _words("commentary", "Commentary", "commentary"),
    Column("by", "By", attrgetter("author")),
    Column("reported", "Reported", attrgetter("reported_at"), sort=SortKind.DATE, align=RIGHT),
)  # fmt: skip

RISK_COLUMNS = (
    Column("ref", "Ref", attrgetter("ref")),
    Column("title", "Risk", attrgetter("title"), tip=attrgetter("title")),
    chip_column("inherent", "Inherent", _score("inherent"),
                tip=lambda r: f"likelihood {r.inherent_likelihood} × impact {r.inherent_impact}"),
    chip_column("residual", "Residual", _score("residual"),
                tip=lambda r: f"likelihood {r.residual_likelihood} × impact {r.residual_impact}"),
    Column("appetite", "Above appetite", lambda r: "Yes" if r.above_appetite else "No"),
    Column("response", "Response", lambda r: r.response.capitalize()),
    Column("status", "Status", lambda r: r.status.capitalize()),
    Column("owner", "Owner", attrgetter("owner_name")),
)  # fmt: skip

RECOMMENDATION_COLUMNS = (
    Column("ref", "Ref", attrgetter("ref")),
    Column("body", "Body", attrgetter("body")),
    Column("kind", "Kind", lambda r: r.kind.capitalize()),
    Column("status", "Status", lambda r: r.status.capitalize() + (" (overdue)" if r.overdue else "")),
    Column("due", "Due", attrgetter("due_date"), sort=SortKind.DATE, align=RIGHT),
    _words("text", "Recommendation", "text"),
)


def choose_period(
    history: list[q.StatusHistoryRow], wanted: str | None, today: date
) -> q.StatusHistoryRow | None:
    """The period the form edits: the chosen one, else the open one running now, else the latest open."""
    if wanted is not None:
        for row in history:
            if row.period_id == wanted:
                return row
    open_rows = [h for h in history if h.period_status != PeriodStatus.CLOSED]
    running = [h for h in open_rows if h.period_start <= today]
    for rows in (running, open_rows, history):
        if rows:
            return rows[-1]
    return None


def table(
    model: TableModel, name: str, ctx: AppContext, stretch: int, long: tuple[int, ...] = ()
) -> QTableView:
    """A read-only list; ``long`` columns (free text) get a fixed share, elided, full text on hover."""
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTabKeyNavigation(False)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    chars = view.fontMetrics().horizontalAdvance("x")
    for column in long:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(column, chars * 30)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    delegate = ChipDelegate(ctx.palette, view)
    for n, column in enumerate(model.columns):
        if column.chip is not None:
            view.setItemDelegateForColumn(n, delegate)
    return view


class ObjectiveDetail(QWidget):
    """Shows one objective; reloads itself when a write touches what it shows."""

    # the objective as the registry reads it, and the tabs: milestones, risks, recommendations
    reload_on: ClassVar[frozenset[Kind]] = REGISTRY[Kind.OBJECTIVE].reload_on | {
        Kind.MILESTONE, Kind.RISK, Kind.RECOMMENDATION, Kind.RECOMMENDATION_OBJECTIVE,
    }  # fmt: skip

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.objective_id: str | None = None
        self.objective: q.ObjectiveRow | None = None
        self._reload_queued = False

        self.empty = QLabel("Select an objective to see its detail.", alignment=Qt.AlignmentFlag.AlignCenter)
        self.empty.setAccessibleName("No objective selected")
        self.empty.setWordWrap(True)

        self.title = ShortTitle(lines=2)  # a long title leaves the form its room on a laptop screen
        self.title.setAccessibleName("Objective")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.meta = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.meta.setAccessibleName("Objective details")
        self.meta.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.form = StatusForm(ctx)
        self.form.reload_requested.connect(self.reload)
        self.period_label = QLabel(textFormat=Qt.TextFormat.PlainText)
        self.period_label.setAccessibleName("Reporting period of the update")
        form_page = QWidget()
        form_layout = QVBoxLayout(form_page)
        form_layout.addWidget(self.period_label)
        form_layout.addWidget(self.form, 1)
        scroll = QScrollArea()
        scroll.setAccessibleName("This period's update")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(form_page)

        self.history = TableModel(HISTORY_COLUMNS, row_id=attrgetter("period_id"), parent=self)
        self.risks = TableModel(RISK_COLUMNS, parent=self)
        self.recommendations = TableModel(RECOMMENDATION_COLUMNS, parent=self)
        self.milestones = MilestonesPanel(ctx)
        self.history_view = table(self.history, "Status history by period", ctx, 7, long=(5, 6, 8))
        self.risk_view = table(self.risks, "Risks", ctx, 1)
        self.recommendation_view = table(self.recommendations, "Linked recommendations", ctx, 5)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Objective sections")
        self.tabs.addTab(scroll, "This period")
        self.tabs.addTab(self.history_view, "History")
        self.tabs.addTab(self.milestones, "Milestones")
        self.tabs.addTab(self._risks_tab(), "Risks")
        self.tabs.addTab(self.recommendation_view, "Recommendations")

        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(self.title)
        body_layout.addWidget(self.meta)
        body_layout.addWidget(self.tabs, 1)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

        ctx.changed.connect(self._on_ctx_changed)
        ctx.period_changed.connect(lambda _id: self.reload_soon())

    # ------------------------------------------------------------------------------------------ showing

    def _risks_tab(self) -> QWidget:
        """The objective's risks, and a way to raise a new one for it in the risk register's form."""
        tab = QWidget()
        column = QVBoxLayout(tab)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.risk_view, 1)
        self.new_risk_button = QPushButton("New risk for this objective…")
        self.new_risk_button.setAccessibleName("Raise a new risk for this objective")
        self.new_risk_button.setToolTip("Opens the risk register's form with this objective chosen")
        self.new_risk_button.setEnabled(not self.ctx.read_only)
        self.new_risk_button.clicked.connect(self._on_new_risk_clicked)
        row = QHBoxLayout()
        row.addWidget(self.new_risk_button)
        row.addStretch(1)
        column.addLayout(row)
        return tab

    def _on_new_risk_clicked(self) -> None:
        if self.objective_id is not None:
            self.ctx.navigate("risks", new_for_objective=self.objective_id)

    def show_objective(self, objective_id: str | None) -> None:
        self.objective_id = objective_id
        self.reload()

    def reload_soon(self) -> None:
        """Reload once control returns to the event loop (several signals in a row cost one read)."""
        if not self._reload_queued:
            self._reload_queued = True
            QTimer.singleShot(0, self._queued_reload)

    def _queued_reload(self) -> None:
        self._reload_queued = False
        self.reload()

    def _on_ctx_changed(self, changes: Changes, _initiator: object) -> None:
        if self.objective_id is not None and changes.touches(*self.reload_on):
            self.reload_soon()

    def reload(self) -> None:
        oid = self.objective_id
        if oid is None:
            self.stack.setCurrentWidget(self.empty)
            return
        only = q.Filters(objective_id=oid)
        with self.ctx.read() as s:
            found = q.objective_rows(s, q.Filters(ids=(oid,)))
            if not found:
                self.objective = None
                self.empty.setText("This objective has been removed.")
                self.stack.setCurrentIndex(0)
                return
            history = q.status_history(s, oid)
            period = choose_period(history, self.ctx.period_id, date.today())
            derived = q.derived_rags(s, period.period_id, q.Filters(ids=(oid,))).get(oid) if period else None
            # a view of a period: milestone states and days overdue as of its end (or today while it runs)
            as_of = as_of_date(period.period_end, date.today()) if period else date.today()
            milestones = q.milestone_rows(
                s, only, as_of=as_of, period_start=period.period_start if period else None
            )
            risks = q.risk_rows(s, only)
            recommendations = q.recommendation_rows(s, only)
            people = q.people(s, active_only=True)
            description = q.plan_item(s, "objective", oid).description
        self.objective = obj = found[0]
        self._show_header(obj, description)
        self.history.set_rows(history)
        self.milestones.show_rows(
            oid, milestones, people,
            f"States as of {as_of:%d %b %Y}" + (f", the end of {period.period_name}" if period and as_of == period.period_end else " (today)"),
        )  # fmt: skip
        self.risks.set_rows(risks)
        self.recommendations.set_rows(recommendations)
        for n, (name, rows) in enumerate(
            (("Milestones", milestones), ("Risks", risks), ("Recommendations", recommendations)), start=2
        ):
            self.tabs.setTabText(n, f"{name} ({len(rows)})")
        if period is None:
            self.period_label.setText("There is no reporting period yet: the PMO opens one first.")
            self.form.show_state(None)
        else:
            earlier = [h for h in history if h.period_start < period.period_start and h.update_id is not None]
            state = "closed" if period.period_status == PeriodStatus.CLOSED else "open"
            self.period_label.setText(f"Update for {period.period_name} ({state})")
            open_rows = [h for h in history if h.period_status != PeriodStatus.CLOSED]
            instead = open_rows[-1] if open_rows and period.period_status == PeriodStatus.CLOSED else None
            self.form.show_state(
                FormState(oid, obj.ref, period, earlier[-1] if earlier else None, derived, instead)
            )
        self.stack.setCurrentIndex(1)

    def _show_header(self, o: q.ObjectiveRow, description: str = "") -> None:
        self.title.set_title(f"{o.ref}  {o.title}")
        four_p = ", ".join(t for t in o.four_p.split(",") if t) or "none"
        start, end = show(o.start_date), show(o.target_date)
        dates = (f"{start} to {end}" if start and end else f"from {start}; no end date set" if start
                 else f"no start date set; due by {end}" if end else "not set yet")  # fmt: skip
        rows = (
            ("Theme", f"{o.theme_name} › {o.outcome_code} {o.outcome_title}"),
            ("Lead", o.lead_name or "No lead"),
            ("4P", four_p),
            ("Board", o.board_name or "None"),
            ("Dates", dates),
            *((("Retired", f"{show(o.retired_on)}: out of the plan from then; its history stays"),)
              if o.retired_on else ()),
            *((("About", description),) if description.strip() else ()),
        )  # fmt: skip
        muted = self.ctx.palette.surfaces.text_muted
        self.meta.setText(
            "<table cellspacing='0' cellpadding='1'>"
            + "".join(
                f"<tr><td style='color:{muted}; padding-right:10px'>{k}</td><td>{_escape(v)}</td></tr>"
                for k, v in rows
            )
            + "</table>"
        )
        self.meta.setAccessibleDescription("; ".join(f"{k}: {v}" for k, v in rows))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
