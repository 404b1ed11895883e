"""The main window: navigation, pages built when first shown, menus, toolbar and the status bar."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import DBAPIError

from tracker.enums import PeriodStatus
from tracker.models import Kind
from tracker.queries import PeriodRow, PlanInfo, current_plan, people, periods
from tracker.queries.conflicts import open_conflicts
from tracker.services import Changes
from tracker.sync.replica import read_replica
from tracker.sync.run import SyncReport
from tracker.team.connect import is_connection_lost
from tracker.wording import name_and_role
from ui.appearance import Appearance
from ui.context import AppContext
from ui.icons import icon
from ui.offline import SyncControl, take_offline
from ui.pages import PAGES, PageSpec
from ui.settings import AppSettings, Remembered
from ui.tasks import TaskProgressDialog, TaskStatusWidget
from ui.watch import ChangeWatcher
from ui.widgets.dialogs import tell
from ui.widgets.wheel import guard_wheel

if TYPE_CHECKING:
    from ui.backups_dialog import BackupsDialog
    from ui.plan_settings import PlanSettingsDialog

THEME_LABELS = {"system": "Follow the &system", "light": "&Light", "dark": "&Dark"}


def default_period(rows: list[PeriodRow]) -> PeriodRow | None:
    """The latest period with updates (what the SLT last heard), else the latest open, else the latest.

    A period just opened has no updates: all "no update" is a poor first view, so it is chosen only
    when asked for (leads updating it choose it in the status bar, or from the objective's form).
    """
    with_updates = [p for p in rows if p.n_updates]
    open_rows = [p for p in rows if p.status == PeriodStatus.OPEN]
    return (with_updates or open_rows or rows or [None])[-1]


class MainWindow(QMainWindow):
    open_requested = Signal(str, bool)  # location, read-only
    connect_requested = Signal()  # File > Connect to a team plan…
    new_plan_requested = Signal(str, str)  # location, plan name
    mode_change_requested = Signal(object)  # Remembered: the viewer mode was switched on or off
    restore_requested = Signal(object)  # Path: replace the open plan with this backup, then reopen it
    closed = Signal()

    def __init__(
        self,
        ctx: AppContext,
        *,
        location: str = "",
        settings: AppSettings | None = None,
        appearance: Appearance | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        guard_wheel(QApplication.instance())  # type: ignore[arg-type]
        self.ctx = ctx
        self.team = bool(ctx.identity.server)  # a team plan: who you are is the server's word
        ctx.settings = settings  # the file dialogs start in the folders last used
        self.location = location or ctx.store.display_name
        self.settings = settings
        self.appearance = appearance
        with ctx.read() as session:
            self.plan: PlanInfo = current_plan(session)
            self.replica = read_replica(session) if ctx.store.path is not None else None
        # an offline copy: its Sync button and the banner naming the team plan it was taken from
        self.sync_control = SyncControl(ctx, self.replica, self) if self.replica is not None else None
        self.setWindowTitle(f"{self.plan.name} — Delivery Plan Tracker")
        self.setAccessibleName("Delivery Plan Tracker")
        self.pages: dict[str, QWidget] = {}
        self._specs: dict[str, PageSpec] = {spec.key: spec for spec in PAGES}

        self.nav = QListWidget(self)
        self.nav.setObjectName("Navigation")
        self.nav.setAccessibleName("Pages")
        self.nav.setIconSize(QSize(20, 20))
        self.stack = QStackedWidget(self)
        self.stack.setAccessibleName("Page")
        for spec in PAGES:
            item = QListWidgetItem(spec.title, self.nav)
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            item.setToolTip(spec.title)
            self.stack.addWidget(QWidget(self.stack))  # replaced by the page when first shown
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setFixedWidth(self.nav.sizeHintForColumn(0) + self.fontMetrics().averageCharWidth() * 8)
        central = QWidget(self)
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        # a plan that a newer one replaced says so, above every page, for as long as it is open
        self.superseded_banner = QLabel(ctx.store.superseded or "", central)
        self.superseded_banner.setObjectName("SupersededBanner")
        self.superseded_banner.setWordWrap(True)
        self.superseded_banner.setAccessibleName(f"Replaced plan: {ctx.store.superseded or ''}")
        self.superseded_banner.setVisible(bool(ctx.store.superseded))
        column.addWidget(self.superseded_banner)
        if self.sync_control is not None:
            column.addWidget(self.sync_control.banner)
            self.sync_control.synced.connect(self._on_synced)
            self.sync_control.sync_failed.connect(lambda why: tell(self, "Not synced", why))
        row = QHBoxLayout()
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        column.addLayout(row, 1)
        self.setCentralWidget(central)

        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_status_bar()
        self._apply_icons()
        self.nav.currentRowChanged.connect(self._on_nav_current_row_changed)
        ctx.changed.connect(self._on_ctx_changed)
        ctx.failed.connect(self._on_ctx_failed)
        ctx.undo_state_changed.connect(self._update_undo_actions)
        ctx.navigate_requested.connect(self._on_ctx_navigate_requested)
        ctx.message.connect(self._on_ctx_message)
        ctx.identity_changed.connect(self._offer_new_item)
        self.watcher = ChangeWatcher(ctx, parent=self)
        if ctx.store.path is None or ctx.store.readonly:  # shared: a server, or a file another window writes
            self.watcher.start()
        ctx.identity_changed.connect(lambda _who: self._offer_pmo_actions())
        if appearance is not None:
            appearance.palette_changed.connect(self._on_palette_changed)
        self._update_undo_actions()
        self._offer_pmo_actions()
        self._show_conflict_count()
        if PAGES:
            self._show_start_page()
        self.setTabOrder(self.nav, self.stack)
        if self.sync_control is not None:  # sync on opening when the server answers (quietly)
            self.sync_control.sync_if_reachable()

    def _show_start_page(self) -> None:
        """The dashboard for the PMO and the SLT; a lead starts on the objectives they lead."""
        who = self.ctx.identity
        if who.person_id is not None and not self.ctx.read_only and "plan" in self._specs:
            plan = self.show_page("plan")
            plan.show_filters({"only_mine": True})  # type: ignore[attr-defined]
            if plan.model.objective_ids():  # type: ignore[attr-defined]
                return
            plan.clear_filters()  # type: ignore[attr-defined]  # an owner who leads no objective: all
            self.nav.setCurrentRow(0)
            return
        self.nav.setCurrentRow(0)

    # ------------------------------------------------------------------------------------------ building

    def _action(
        self, text: str, slot: Any, shortcut: QKeySequence | str | None = None, name: str = ""
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setToolTip(name or text.replace("&", "").rstrip("…"))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        std = QKeySequence.StandardKey
        self.new_plan_action = self._action("&New plan…", self._on_new_plan, std.New, "New plan")
        self.rollover_action = self._action(
            "Start a new plan from &this one…", lambda: self.start_new_plan(),
            name="Start next year's plan from this one's open items (the PMO only)",
        )  # fmt: skip
        self.open_action = self._action("&Open…", self._on_open, std.Open, "Open a plan")
        self.connect_action = self._action(
            "Connect to a &team plan…", self.connect_requested.emit,
            name="Log in to the plan your team shares on a server",
        )  # fmt: skip
        self.work_offline_action = self._action(
            "Work &offline…", lambda: self.work_offline(),
            name="Take a copy of the team plan to work on without the server, and sync it later",
        )  # fmt: skip
        self.save_copy_action = self._action(
            "Save a &copy…", self._on_save_copy, std.SaveAs, "Save a copy (backup)"
        )
        self.backups_action = self._action(
            "&Backups…", self.show_backups, name="The automatic backups of this plan, and restoring one"
        )
        self.export_status_action = self._action(
            "&Export status workbook…", self._on_export_status, name="Export the status workbook (Excel)"
        )
        self.export_pack_action = self._action(
            "Export board &pack (PDF)…", self._on_export_board_pack, name="Export the board pack (PDF)"
        )
        self.committee_paper_action = self._action(
            "Draft &committee paper (Word)…", self._on_committee_paper,
            name="Draft the inspection-progress paper for a board (PMO)",
        )  # fmt: skip
        # Period returns: issue workbooks to the leads, import one back through its preview.
        self.issue_returns_action = self._action(
            "Issue period re&turns…",
            self._on_issue_returns,
            name="Issue period returns",
        )
        self.import_return_action = self._action(
            "&Import a return…", self._on_import_return, name="Import a return"
        )
        self.settings_action = self._action(
            "Plan &settings…", self.show_plan_settings,
            name="The plan's name, dates, reporting, risk bands and appetite, RAG definitions and boards",
        )  # fmt: skip
        # The plan as a spreadsheet: anyone may export it; only the PMO imports one.
        self.export_plan_action = self._action(
            "Export &plan (Excel)…", self._on_export_plan, name="Export the plan"
        )
        self.import_plan_action = self._action(
            "Import p&lan…", self._on_import_plan, name="Import a plan (PMO)"
        )
        self.identity_action = self._action("Change &who you are…", self.change_identity)
        self.close_action = self._action("&Close", self.close, std.Close)
        self.quit_action = self._action("&Quit", self.close, std.Quit)
        self.undo_action = self._action("&Undo", self._on_undo, "Ctrl+Z")
        self.redo_action = self._action("&Redo", self._on_redo, "Ctrl+Shift+Z")
        self.redo_action.setShortcuts(
            [QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")]
        )  # Windows' and Qt's
        self.find_action = self._action("&Find…", self._on_find, "Ctrl+F", "Find on this page")
        self.new_item_action = self._action("New &item", self._on_new_item, "Ctrl+N", "New item on this page")
        # Ctrl+N is the new item on a page; the new plan is on Ctrl+Shift+N so the two never clash.
        self.new_plan_action.setShortcut(QKeySequence("Ctrl+Shift+N"))
        self.page_actions: list[QAction] = []
        for n, spec in enumerate(PAGES):
            action = self._action(spec.title, lambda _=False, k=spec.key: self.show_page(k),
                                  f"Ctrl+{n + 1}" if n < 9 else None)  # fmt: skip
            self.page_actions.append(action)
        self.theme_group = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for key, label in THEME_LABELS.items():
            action = QAction(label, self, checkable=True)
            action.setChecked(self.appearance is not None and self.appearance.theme == key)
            action.triggered.connect(lambda _=False, k=key: self._on_theme_chosen(k))
            self.theme_group.addAction(action)
            self.theme_actions[key] = action
        self.colour_blind_action = QAction("&Colour-blind-safe status colours", self, checkable=True)
        self.colour_blind_action.setChecked(self.ctx.palette.colour_blind)
        self.colour_blind_action.toggled.connect(self._on_colour_blind_toggled)
        self.about_action = self._action("&About Delivery Plan Tracker", self._on_about)
        self.help_action = self._action(
            "User &guide", self.show_help, QKeySequence.StandardKey.HelpContents,
            "What is on this page and what to do each period (F1)",
        )  # fmt: skip
        self.help_action.setIconText("Help")
        if self.ctx.read_only:
            self.new_item_action.setEnabled(False)
        self._update_pmo_actions()

    def _update_pmo_actions(self) -> None:
        """What only the PMO may do is offered only to the PMO, and never on a read-only plan."""
        self.rollover_action.setEnabled(self.ctx.is_pmo)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        file.addAction(self.new_plan_action)
        file.addAction(self.rollover_action)
        file.addAction(self.open_action)
        file.addAction(self.connect_action)
        file.addAction(self.work_offline_action)
        self.work_offline_action.setVisible(self.team and self.ctx.store.path is None)  # connected only
        self.recent_menu = QMenu("Open &recent", self)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file.addMenu(self.recent_menu)
        file.addAction(self.save_copy_action)
        file.addAction(self.backups_action)
        file.addSeparator()
        file.addAction(self.export_status_action)
        file.addAction(self.export_pack_action)
        file.addAction(self.committee_paper_action)
        file.addSeparator()
        file.addAction(self.issue_returns_action)
        file.addAction(self.import_return_action)
        file.addSeparator()
        file.addAction(self.export_plan_action)
        file.addAction(self.import_plan_action)
        file.addSeparator()
        file.addAction(self.identity_action)
        self.identity_action.setVisible(not self.team)  # on a team plan the server says who you are
        file.addSeparator()
        file.addAction(self.close_action)
        file.addAction(self.quit_action)
        edit = bar.addMenu("&Edit")
        edit.addAction(self.undo_action)
        edit.addAction(self.redo_action)
        edit.addSeparator()
        edit.addAction(self.find_action)
        edit.addAction(self.new_item_action)
        edit.addSeparator()
        edit.addAction(self.settings_action)
        view = bar.addMenu("&View")
        for action in self.page_actions:
            view.addAction(action)
        view.addSeparator()
        theme = view.addMenu("&Theme")
        for action in self.theme_actions.values():
            theme.addAction(action)
        view.addAction(self.colour_blind_action)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.help_action)
        help_menu.addAction(self.about_action)

    def _build_toolbar(self) -> None:
        tools = QToolBar("Common actions", self)
        tools.setObjectName("MainToolbar")
        tools.setAccessibleName("Common actions")
        tools.setMovable(False)
        tools.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for action in (self.open_action, self.save_copy_action, None, self.undo_action, self.redo_action,
                       None, self.find_action, self.new_item_action, None, self.help_action):  # fmt: skip
            if action is None:
                tools.addSeparator()
            else:
                tools.addAction(action)
        if self.sync_control is not None:
            tools.addSeparator()
            tools.addWidget(self.sync_control.button)
        self.addToolBar(tools)
        self.toolbar = tools

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.db_label = QLabel(Path(self.location).name or self.location, self)
        self.db_label.setToolTip(f"Open plan: {self.location}")
        self.db_label.setAccessibleName(f"Open plan file {self.location}")
        self.period_combo = QComboBox(self)
        self.period_combo.setAccessibleName("Reporting period")
        self.period_combo.setToolTip("The reporting period the pages show")
        self.period_combo.currentIndexChanged.connect(self._on_period_combo_changed)
        self.ctx.period_changed.connect(self._show_period)  # chosen on a page (the dashboard, a form link)
        self.identity_button = QToolButton(self)
        self.identity_button.setAutoRaise(True)
        self.identity_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.identity_button.clicked.connect(self.change_identity)
        self.marking_label = QLabel(self)
        self.marking_label.setObjectName("MarkingBadge")
        self.sample_badge = QLabel("SAMPLE DATA", self)
        self.sample_badge.setObjectName("SampleBadge")
        self.sample_badge.setAccessibleName("Sample data: this plan holds made-up progress")
        self.sample_badge.setToolTip("This plan holds made-up sample progress, not real reporting")
        self.sample_badge.setVisible(self.plan.is_sample)
        self.read_only_badge = QLabel("READ-ONLY", self)
        self.read_only_badge.setObjectName("ReadOnlyBadge")
        self.read_only_badge.setAccessibleName("Read-only: nothing can be changed")
        self.read_only_badge.setVisible(self.ctx.read_only)
        self.task_status = TaskStatusWidget(self.ctx.runner, self)
        self.connection_label = QLabel(self)
        self.connection_label.setObjectName("DisconnectedBadge")
        self.connection_label.setVisible(False)
        self.ctx.connection_changed.connect(self._show_connection)
        bar.addWidget(self.db_label)
        bar.addWidget(self.period_combo)
        bar.addWidget(self.identity_button)
        bar.addPermanentWidget(self.connection_label)
        bar.addPermanentWidget(self.task_status)
        bar.addPermanentWidget(self.read_only_badge)
        bar.addPermanentWidget(self.sample_badge)
        bar.addPermanentWidget(self.marking_label)
        self._show_identity()
        self._show_marking()
        self.reload_periods()

    def _apply_icons(self) -> None:
        colour = self.ctx.palette.surfaces.text
        for n, spec in enumerate(PAGES):
            self.nav.item(n).setIcon(icon(spec.icon, colour))
            self.page_actions[n].setIcon(icon(spec.icon, colour))
        for action, name in ((self.new_plan_action, "new"), (self.open_action, "open"),
                             (self.save_copy_action, "backup"), (self.undo_action, "undo"),
                             (self.redo_action, "redo"), (self.find_action, "find"),
                             (self.new_item_action, "new"), (self.about_action, "about"),
                             (self.help_action, "about"),
                             (self.identity_action, "person")):  # fmt: skip
            action.setIcon(icon(name, colour))
        self.identity_button.setIcon(icon("person", colour))
        if self.sync_control is not None:
            self.sync_control.button.setIcon(icon("sync", colour))

    # ------------------------------------------------------------------------------------------ pages

    def page_keys(self) -> list[str]:
        return [spec.key for spec in PAGES]

    def current_key(self) -> str | None:
        row = self.nav.currentRow()
        return PAGES[row].key if 0 <= row < len(PAGES) else None

    def current_page(self) -> QWidget | None:
        key = self.current_key()
        return self.pages.get(key) if key else None

    def page(self, key: str) -> QWidget:
        """The page for ``key``, imported and built the first time it is asked for."""
        if key not in self.pages:
            spec = self._specs[key]
            module_name, class_name = spec.target.split(":")
            cls = getattr(importlib.import_module(module_name), class_name)
            widget: QWidget = cls(self.ctx)
            widget.setAccessibleName(spec.title)
            index = self.page_keys().index(key)
            placeholder = self.stack.widget(index)
            self.stack.insertWidget(index, widget)
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
            self.pages[key] = widget
        return self.pages[key]

    def show_page(self, key: str) -> QWidget:
        index = self.page_keys().index(key)
        if self.nav.currentRow() != index:
            self.nav.setCurrentRow(index)  # builds and shows it through _on_nav_current_row_changed
        return self.page(key)

    def _on_nav_current_row_changed(self, row: int) -> None:
        if not 0 <= row < len(PAGES):
            return
        try:
            page = self.page(PAGES[row].key)
        except DBAPIError as exc:  # a page first shown while a team plan's server is away
            if self.ctx.store.path is not None or not is_connection_lost(exc):
                raise
            self.ctx.set_connected(False)
            self.statusBar().showMessage(
                f"{PAGES[row].title} cannot be read while the server is away: it shows once reconnected.",
                8000,
            )
            return
        self.stack.setCurrentWidget(page)
        self.find_action.setEnabled(hasattr(page, "focus_find"))
        self._offer_new_item()

    def _offer_new_item(self, *_: object) -> None:
        """New item where the page makes things, for who you are (``can_create`` when a page has a say)."""
        page = self.stack.currentWidget()
        allowed = getattr(page, "can_create", None)
        self.new_item_action.setEnabled(
            hasattr(page, "new_item") and not self.ctx.read_only and (allowed is None or allowed())
        )

    def _on_ctx_navigate_requested(self, key: str, filters: object) -> None:
        if key not in self._specs:
            return
        page = self.show_page(key)
        show = getattr(page, "show_filters", None)
        if show is not None:
            show(dict(filters) if isinstance(filters, dict) else {})

    # ------------------------------------------------------------------------------------------ status bar

    def reload_periods(self) -> None:
        with self.ctx.read() as session:
            rows = periods(session)
        keep = self.ctx.period_id
        chosen = keep if any(p.id == keep for p in rows) else None
        if chosen is None:
            best = default_period(rows)
            chosen = best.id if best else None
        self.period_combo.blockSignals(True)
        self.period_combo.clear()
        for p in reversed(rows):  # newest first, as every period list in the app
            mark = "" if p.status == PeriodStatus.OPEN else " (closed)"
            self.period_combo.addItem(f"{p.name}{mark}", p.id)
        if not rows:
            self.period_combo.addItem("No reporting periods yet", None)
        self.period_combo.setCurrentIndex(max(self.period_combo.findData(chosen), 0))
        self.period_combo.blockSignals(False)
        for action in (self.export_status_action, self.export_pack_action):
            action.setEnabled(bool(rows))  # both report on a period
        self.ctx.set_period(chosen)

    def _show_period(self, period_id: str | None) -> None:
        index = self.period_combo.findData(period_id)
        if index >= 0 and index != self.period_combo.currentIndex():
            self.period_combo.blockSignals(True)
            self.period_combo.setCurrentIndex(index)
            self.period_combo.blockSignals(False)

    def _on_period_combo_changed(self, _index: int) -> None:
        self.ctx.set_period(self.period_combo.currentData())

    def _show_identity(self) -> None:
        who = self.ctx.identity
        shown = name_and_role(who.name, who.role)
        text = f"You are: {shown[0]}" + "".join(f" ({more})" for more in shown[1:])
        if self.team:
            text += f" on {who.server}" if self.replica is None else ", working offline"
            self.identity_button.setText(text)
            self.identity_button.setToolTip(
                "Who the server knows you as: your login decides what you may change"
            )
            self.identity_button.setAccessibleName(text)
            self.db_label.setVisible(self.replica is not None)  # else the button names the server
            return
        self.identity_button.setText(text)
        self.identity_button.setToolTip("Change who you are (recorded on every change)")
        self.identity_button.setAccessibleName(f"{text}. Change who you are")

    def _show_marking(self) -> None:
        marking = self.plan.protective_marking + (
            f" {self.plan.handling_caveat}" if self.plan.handling_caveat else ""
        )
        self.marking_label.setText(marking)
        self.marking_label.setAccessibleName(f"Protective marking: {marking}")

    def _show_connection(self, connected: bool) -> None:
        where = self.ctx.identity.server or self.ctx.store.display_name
        host = where.split("/", 1)[0]
        text = "" if connected else f"Disconnected from {host}: retrying…"
        self.connection_label.setText(text)
        self.connection_label.setAccessibleName(
            text + " What is shown is as last read; nothing can be saved until the server is back."
            if text else ""
        )  # fmt: skip
        self.connection_label.setToolTip(
            "What is shown is as last read; nothing can be saved until the server is back" if text else ""
        )
        self.connection_label.setVisible(not connected)
        if connected:
            self.statusBar().showMessage(f"Connected to {where} again", 8000)

    def change_identity(self) -> Remembered | None:
        if self.team:
            return None  # the server says who you are: log in as someone else instead
        with self.ctx.read() as session:
            persons = people(session)
        current = Remembered(self.ctx.identity, self.ctx.read_only)
        from ui.identity import IdentityDialog

        dialog = IdentityDialog(persons, self.plan.name, current, self)
        if dialog.exec() != IdentityDialog.DialogCode.Accepted or dialog.chosen is None:
            return None
        return self.set_identity(dialog.chosen)

    def set_identity(self, chosen: Remembered) -> Remembered:
        if self.settings is not None:
            self.settings.remember_identity(self.location, chosen)
        if chosen.read_only != self.ctx.read_only:
            self.mode_change_requested.emit(chosen)  # the window is rebuilt in the other mode
            return chosen
        self.ctx.identity = chosen.identity
        self._show_identity()
        self._update_pmo_actions()
        return chosen

    def _offer_pmo_actions(self) -> None:
        """What only the PMO may do is offered only to the PMO (never read-only, never a lead or viewer)."""
        self.settings_action.setVisible(self.ctx.is_pmo)
        self.settings_action.setEnabled(self.ctx.is_pmo)
        for action in (
            self.issue_returns_action, self.import_return_action, self.import_plan_action,
            self.committee_paper_action,
        ):  # fmt: skip
            action.setEnabled(self.ctx.is_pmo)  # shown greyed: a lead sees that these come from the PMO

    # ------------------------------------------------------------------------------------------ edit

    def _update_undo_actions(self) -> None:
        can_undo, can_redo = self.ctx.can_undo(), self.ctx.can_redo()
        self.undo_action.setEnabled(can_undo)
        self.redo_action.setEnabled(can_redo)
        self.undo_action.setText(f"&Undo {self.ctx.undo_text()}" if can_undo else "&Undo")
        self.redo_action.setText(f"&Redo {self.ctx.redo_text()}" if can_redo else "&Redo")
        self.undo_action.setToolTip(self.undo_action.text().replace("&", "") + " (Ctrl+Z)")
        self.redo_action.setToolTip(self.redo_action.text().replace("&", "") + " (Ctrl+Y or Ctrl+Shift+Z)")
        self.undo_action.setIconText("Undo")
        self.redo_action.setIconText("Redo")

    def _on_undo(self) -> None:
        self.ctx.undo(refused=lambda exc: tell(self, "Cannot undo", f"{exc}\n\nNothing was changed."))

    def _on_redo(self) -> None:
        self.ctx.redo(refused=lambda exc: tell(self, "Cannot redo", f"{exc}\n\nNothing was changed."))

    def _on_ctx_failed(self, what: str, error: BaseException) -> None:
        tell(self, "Not saved", f"Could not {what}: {error}\n\nNothing was changed. The log has the details.")

    def _on_find(self) -> None:
        page = self.current_page()
        if page is not None and hasattr(page, "focus_find"):
            page.focus_find()

    def _on_new_item(self) -> None:
        page = self.current_page()
        if page is not None and hasattr(page, "new_item") and not self.ctx.read_only:
            page.new_item()

    def _on_ctx_changed(self, changes: Changes, _initiator: object) -> None:
        if changes.touches(Kind.REPORTING_PERIOD, Kind.STATUS_UPDATE):
            self.reload_periods()
        if changes.touches(Kind.PLAN):
            with self.ctx.read() as session:
                self.plan = current_plan(session)
            self._show_marking()
            self.sample_badge.setVisible(self.plan.is_sample)
            self.setWindowTitle(f"{self.plan.name} — Delivery Plan Tracker")
        if changes.touches(Kind.SYNC_CONFLICT):
            self._show_conflict_count()

    def _show_conflict_count(self) -> None:
        """The Conflicts entry counts the open ones; a plain plan file, which has none, does not list it."""
        if "conflicts" not in self._specs:
            return
        row = self.page_keys().index("conflicts")
        item, title = self.nav.item(row), self._specs["conflicts"].title
        synced = self.team or self.replica is not None
        item.setHidden(not synced)
        self.page_actions[row].setVisible(synced)
        if not synced:
            return
        try:
            with self.ctx.read() as session:
                n = open_conflicts(session)
        except DBAPIError as exc:  # a team plan's server away: the count stays as last read
            if not is_connection_lost(exc):
                raise
            return
        item.setText(f"{title} ({n})" if n else title)
        item.setToolTip(f"{title}: {n} open" if n else title)

    def _on_synced(self, report: SyncReport, quiet: bool) -> None:
        """After a sync: refusals and conflicts are on the Conflicts page, which opens when asked."""
        held = report.outcomes.get("conflict", 0) + report.outcomes.get("merged", 0)
        notes = []
        if report.refused:
            notes.append(f"{len(report.refused)} refused by the team plan")
        if held:
            notes.append(f"{held} held as conflicts")
        if notes:
            self.statusBar().showMessage(f"{report.words} {'; '.join(notes).capitalize()}: see Conflicts.")
            if not quiet:
                self.show_page("conflicts")

    def work_offline(self, out: Path | None = None) -> Any:
        """File > Work offline…: take a copy of the team plan (``out`` skips the dialog), then open it."""
        return take_offline(self.ctx, self, out, then=lambda path: self.open_requested.emit(str(path), False))

    def _on_ctx_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    # ------------------------------------------------------------------------------------------ file

    def _on_new_plan(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        name, ok = QInputDialog.getText(self, "New plan", "Name of the new plan:", text="New delivery plan")
        if not ok or not name.strip():
            return
        path, _ = QFileDialog.getSaveFileName(self, "Create the new plan file", f"{name.strip()}.db",
                                              "Plan files (*.db)")  # fmt: skip
        if path:
            self.new_plan_requested.emit(path, name.strip())

    def start_new_plan(self, answers: dict[str, Any] | None = None) -> Any:
        """File > Start a new plan from this one…: the PMO's next plan (``answers`` skips the dialog)."""
        from ui.rollover import start_new_plan

        return start_new_plan(
            self.ctx, self, location=self.location,
            open_plan=lambda where: self.open_requested.emit(where, False), answers=answers,
        )  # fmt: skip

    def _on_open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open a plan", str(Path(self.location).parent),
                                              "Plan files (*.db *.sqlite);;All files (*)")  # fmt: skip
        if path:
            self.open_requested.emit(path, False)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = [r for r in (self.settings.recent() if self.settings else []) if r != self.location]
        for location in recent:
            action = self.recent_menu.addAction(location)
            action.triggered.connect(lambda _=False, loc=location: self.open_requested.emit(loc, False))
        if not recent:
            self.recent_menu.addAction("No other plans opened yet").setEnabled(False)

    def _on_save_copy(self) -> None:
        stem = Path(self.location).stem or "plan"
        path, _ = QFileDialog.getSaveFileName(
            self, "Save a copy of the plan", f"{stem} copy.db", "Plan files (*.db)"
        )
        if path:
            self.save_copy(Path(path))

    def show_backups(self) -> BackupsDialog:
        """File > Backups…: the automatic backups, with Restore… (the launcher restores and reopens)."""
        from ui.backups_dialog import BackupsDialog

        dialog = BackupsDialog(self.ctx.store.path, self, read_only=self.ctx.read_only)
        dialog.restore_requested.connect(self.restore_requested)
        dialog.open()
        return dialog

    def show_plan_settings(self) -> PlanSettingsDialog | None:
        """Edit > Plan settings…: the PMO's; None when not offered (a lead, a viewer, read-only)."""
        if not self.ctx.is_pmo:
            return None
        from ui.plan_settings import PlanSettingsDialog

        dialog = PlanSettingsDialog(self.ctx, self)
        dialog.open()
        return dialog

    # The dialogs behind menu items are imported when first asked for: start-up pays only for the first page.

    def _on_issue_returns(self) -> None:
        from ui.returns_dialogs import issue_returns_dialog

        issue_returns_dialog(self.ctx, self)

    def _on_import_return(self) -> None:
        from ui.returns_dialogs import import_return_dialog

        import_return_dialog(self.ctx, self)

    def _on_export_plan(self) -> None:
        from ui.plan_sheets import export_plan_dialog

        export_plan_dialog(self.ctx, self)

    def _on_import_plan(self) -> None:
        from ui.plan_sheets import import_plan_dialog

        import_plan_dialog(self.ctx, self)

    def _on_export_status(self) -> None:
        from ui.exports import export_status_dialog

        export_status_dialog(self.ctx, self)

    def _on_committee_paper(self) -> Any:
        from ui.papers import committee_paper_dialog

        return committee_paper_dialog(self.ctx, self)

    def _on_export_board_pack(self) -> None:
        from ui.boardpack import export_board_pack

        export_board_pack(self.ctx, self)

    def save_copy(self, dest: Path) -> None:
        """Back up the open plan to ``dest`` off the UI thread, with a progress dialog and Cancel."""
        store = self.ctx.store

        def work(progress: Any) -> Any:
            return store.backup(dest, progress=lambda done, total: progress.report(done, total, "Copying…"))

        task = self.ctx.runner.task(work, label=f"Saving a copy to {dest.name}")
        task.succeeded.connect(lambda _r: self.statusBar().showMessage(f"Saved a copy to {dest}", 8000))
        task.failed.connect(lambda exc: tell(self, "Copy not saved", f"{exc}\n\nThe open plan is unchanged."))
        TaskProgressDialog(task, self, title="Save a copy")
        task.start()

    def show_help(self) -> None:
        """The user guide at the section for the page on show."""
        from ui.help import HelpWindow

        if getattr(self, "help_window", None) is None:
            self.help_window = HelpWindow(self)
        self.help_window.show_section(self.current_key())

    def _on_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from ui.about import about_text

        box = QMessageBox(QMessageBox.Icon.NoIcon, "About Delivery Plan Tracker", about_text(), parent=self)
        box.setTextFormat(Qt.TextFormat.RichText)
        box.exec()

    # ------------------------------------------------------------------------------------------ view

    def _on_theme_chosen(self, key: str) -> None:
        if self.appearance is not None:
            self.appearance.set_theme(key)

    def _on_colour_blind_toggled(self, on: bool) -> None:
        if self.appearance is not None:
            self.appearance.set_colour_blind(on)

    def _on_palette_changed(self, palette: Any) -> None:
        self.ctx.palette = palette
        self._apply_icons()
        for page in self.pages.values():
            apply = getattr(page, "apply_palette", None)
            if apply is not None:
                apply(palette)

    # ------------------------------------------------------------------------------------------ closing

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        bar = self.statusBar()
        text = bar.currentMessage()
        if text:  # given before the window was shown, which brought back the widgets a message hides
            bar.clearMessage()  # (the same text again would be ignored)
            bar.showMessage(text, 8000)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.watcher.stop()
        self.ctx.runner.cancel_all()
        self.ctx.runner.wait(10_000)
        super().closeEvent(event)
        self.closed.emit()
