"""The preview of a returned workbook: its problems, conflicts to settle, changes, and rows not applied.

Nothing is written until Apply, which applies everything or nothing through ``ctx.apply``. Apply
stays disabled while the file has problems or a conflict is not settled.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Signal
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tracker.services import Changes, ConflictError, ServiceError
from tracker.wording import plural
from ui.context import AppContext
from ui.models.returns import (
    CHOICE_COLUMN,
    CHOICE_ROLE,
    CHOICE_TEXT,
    KEEP_OURS,
    TAKE_THEIRS,
    ChangesModel,
    ConflictsModel,
    NotOwnedModel,
    ProblemsModel,
    change_lines,
)
from ui.tasks import Task
from ui.widgets.dialogs import tell
from ui.widgets.tables import table_view

TITLE = "Import a return"
_MAX_COLUMN_CHARS = 45  # wider text is elided in the cell and shown whole in its tooltip

Index = QModelIndex | QPersistentModelIndex


class ChoiceDelegate(QStyledItemDelegate):
    """A drop-down in the settle column: keep ours or take theirs."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        combo = QComboBox(parent)
        combo.setPlaceholderText("Choose…")
        for key in (KEEP_OURS, TAKE_THEIRS):
            combo.addItem(CHOICE_TEXT[key], key)
        model = index.model()
        conflict = model.row_at(index.row()) if isinstance(model, ConflictsModel) else None
        what = f"{conflict.item}, {conflict.column}" if conflict is not None else "this conflict"
        combo.setAccessibleName(f"Settle the conflict on {what}")
        combo.currentIndexChanged.connect(lambda _n: self.commitData.emit(combo))
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model = index.model()
        choice = model.data(index, CHOICE_ROLE) if model is not None else None
        wanted = editor.findData(choice) if choice else -1
        if editor.currentIndex() != wanted:
            editor.blockSignals(True)
            editor.setCurrentIndex(wanted)
            editor.blockSignals(False)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        if editor.currentIndex() >= 0:
            model.setData(index, editor.currentData(), CHOICE_ROLE)


def _fit_columns(view: QTableView, chars: int = _MAX_COLUMN_CHARS) -> None:
    view.resizeColumnsToContents()
    widest = view.fontMetrics().averageCharWidth() * chars
    header = view.horizontalHeader()
    for n in range(header.count() - 1):  # the last column stretches to the edge
        if header.sectionSize(n) > widest:
            header.resizeSection(n, widest)


def _stretch(view: QTableView, *columns: int) -> None:
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    for n in columns:
        header.setSectionResizeMode(n, QHeaderView.ResizeMode.Stretch)


def _rows_height(view: QTableView, rows: int) -> int:
    height = view.horizontalHeader().sizeHint().height() + view.verticalHeader().defaultSectionSize() * rows
    return height + 2 * view.frameWidth() + view.horizontalScrollBar().sizeHint().height()


def _fit_height(view: QTableView, rows: int, fewest: int = 3) -> None:
    """Asks for the height of all its rows, takes what room there is, and keeps at least ``fewest``."""
    view.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
    view.setMinimumHeight(_rows_height(view, max(1, min(rows, fewest))))


def _natural_width(view: QTableView) -> int:
    """The width of its columns as fitted, before any stretches to the edge."""
    return (
        view.horizontalHeader().length() + 2 * view.frameWidth() + view.verticalScrollBar().sizeHint().width()
    )


class ReturnPreviewDialog(QDialog):
    applied = Signal(object)  # Changes, once the return was applied

    def __init__(self, ctx: AppContext, preview: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.preview = preview
        self.changes: Changes | None = None
        self._widest = 0  # the widest table's columns as fitted, for the dialog's width
        p = preview
        self.setWindowTitle(f"{TITLE}: {p.lead_name}, {p.period_name}")
        self.setAccessibleName(f"Preview of the return from {p.lead_name}")
        heading = QLabel(f"<b>{_esc(p.file_name)}</b>: the {_esc(p.period_name)} return from "
                         f"{_esc(p.lead_name)} ({plural(p.rows_read, 'row')} read)", self)  # fmt: skip
        heading.setWordWrap(True)
        heading.setAccessibleName(f"{p.file_name}: the {p.period_name} return from {p.lead_name}")
        self.banner = QLabel(self)
        self.banner.setObjectName("ReturnBanner")
        self.banner.setWordWrap(True)

        self.problems_model = ProblemsModel(self)
        self.problems_model.set_rows(p.problems)
        self.conflicts = ConflictsModel(p.conflicts, self)
        self.changes_model = ChangesModel(self)
        self.changes_model.set_rows(change_lines(p.changes))
        self.not_owned_model = NotOwnedModel(self)
        self.not_owned_model.set_rows(p.not_owned)

        body = QWidget(self)
        sections = QVBoxLayout(body)
        sections.setContentsMargins(0, 0, 0, 0)
        for note in p.notes:
            label = QLabel(note, body)
            label.setWordWrap(True)
            sections.addWidget(label)
        self.problems_view = self._section(
            sections, body, f"Problems ({len(p.problems)}): fix these in the workbook", self.problems_model,
            "Problems found in the return",
        )  # fmt: skip
        self.conflicts_view = self._section(
            sections, body,
            f"Conflicts ({len(p.conflicts)}): changed in the plan since the return was issued",
            self.conflicts, "Conflicts to settle",
        )  # fmt: skip
        self.keep_all = QPushButton("Keep all &ours", body)
        self.keep_all.setAccessibleName("Settle every conflict by keeping the plan's value")
        self.take_all = QPushButton("Take all &theirs", body)
        self.take_all.setAccessibleName("Settle every conflict by taking the return's value")
        self.keep_all.clicked.connect(lambda: self.conflicts.settle_all(KEEP_OURS))
        self.take_all.clicked.connect(lambda: self.conflicts.settle_all(TAKE_THEIRS))
        row = QHBoxLayout()
        row.addWidget(self.keep_all)
        row.addWidget(self.take_all)
        row.addStretch(1)
        self.conflicts_view.parentWidget().layout().addLayout(row)  # type: ignore[union-attr]
        self.conflicts_view.setItemDelegateForColumn(CHOICE_COLUMN, ChoiceDelegate(self.conflicts_view))
        for n in range(self.conflicts.rowCount()):
            self.conflicts_view.openPersistentEditor(self.conflicts.index(n, CHOICE_COLUMN))
        combo = self.conflicts_view.indexWidget(self.conflicts.index(0, CHOICE_COLUMN))
        if combo is not None:  # rows tall enough for the drop-downs, the choice column wide enough
            self.conflicts_view.verticalHeader().setDefaultSectionSize(combo.sizeHint().height() + 4)
            self.conflicts_view.setColumnWidth(CHOICE_COLUMN, combo.sizeHint().width() + 8)
            _fit_height(self.conflicts_view, self.conflicts.rowCount())
        self.changes_view = self._section(
            sections,
            body,
            f"Changes to apply: {p.changes_in_words()}",
            self.changes_model,
            "Changes the return makes",
        )
        self.not_owned_view = self._section(
            sections, body, f"Not applied: not this lead's ({len(p.not_owned)})", self.not_owned_model,
            "Rows reported but not applied",
        )  # fmt: skip
        _stretch(self.conflicts_view, 2)  # the item's name takes the room left
        _stretch(self.changes_view, 4, 5)  # ours and theirs share it
        _stretch(self.not_owned_view, 2, 3)
        self.nothing = QLabel("Nothing to change: the plan already holds everything in this return.", body)
        empty = not (p.problems or p.conflicts or p.changes or p.not_owned)
        self.nothing.setVisible(empty)
        sections.addWidget(self.nothing)
        if empty:  # no table to take the room: the words sit at the top
            sections.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.apply_button = self.buttons.addButton("&Apply", QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setAccessibleName("Apply the return")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName(
            "Close without applying"
        )
        self.apply_button.clicked.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.banner)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)
        self.conflicts.dataChanged.connect(self._on_conflicts_data_changed)
        self._update_state()
        self._size_to_content(layout, body, heading)

    def _size_to_content(self, layout: QVBoxLayout, body: QWidget, heading: QLabel) -> None:
        """As wide as the widest table and as tall as every row, within nine tenths of the screen."""
        chars = self.fontMetrics().averageCharWidth()
        margins = layout.contentsMargins()
        width = min(
            max(self._widest + margins.left() + margins.right() + chars * 4, chars * 100), chars * 190
        )
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        if screen is not None:
            width = min(width, screen.width() * 9 // 10)
        inner = width - margins.left() - margins.right()
        height = (
            margins.top() + margins.bottom() + layout.spacing() * 3
            + heading.heightForWidth(inner) + self.banner.heightForWidth(inner)
            + body.sizeHint().height() + self.buttons.sizeHint().height()
        )  # fmt: skip
        if screen is not None:
            height = min(height, screen.height() * 9 // 10)
        self.resize(width, height)

    def _section(self, into: QVBoxLayout, parent: QWidget, title: str, model: Any, name: str) -> QTableView:
        box = QGroupBox(title, parent)
        box.setAccessibleName(title)
        view = table_view(name, box)
        view.setModel(model)
        view.setWordWrap(False)
        _fit_columns(view)
        _fit_height(view, model.rowCount())
        if model.rowCount():
            self._widest = max(self._widest, _natural_width(view))
        column = QVBoxLayout(box)
        column.addWidget(view)
        box.setVisible(model.rowCount() > 0)
        into.addWidget(box, 1)  # the tables share the room the dialog has
        return view

    # ------------------------------------------------------------------------------------------ state

    def can_apply(self) -> bool:
        return self.preview.can_apply and self.conflicts.unsettled() == 0

    def _update_state(self) -> None:
        p = self.preview
        if p.applied_already:
            text, kind = p.applied_already, "error"
        elif p.problems:
            text = (f"{plural(len(p.problems), 'problem')} in this file: nothing will be written. Fix them in the "
                    "workbook (or ask the lead to) and import it again.")  # fmt: skip
            kind = "error"
        elif self.conflicts.unsettled():
            text = (f"{self.conflicts.unsettled()} of {plural(len(p.conflicts), 'conflict')} to settle: keep ours "
                    "(the plan's value) or take theirs (the return's) for each, then Apply.")  # fmt: skip
            kind = "warning"
        else:
            text = "Apply writes every change below in one step, or nothing if anything fails."
            kind = "info"
        self.banner.setText(text)
        self.banner.setAccessibleName(text)
        self.banner.setProperty("kind", kind)
        danger = self.ctx.palette.surfaces.danger  # the palette's, so it reads on dark surfaces too
        self.banner.setStyleSheet({
            "error": f"QLabel {{ color: {danger}; font-weight: bold; }}",
            "warning": "QLabel { font-weight: bold; }",
            "info": "",
        }[kind])  # fmt: skip
        self.apply_button.setEnabled(self.can_apply() and not self.ctx.read_only)

    def _on_conflicts_data_changed(self, *_: object) -> None:
        self._update_state()

    # ------------------------------------------------------------------------------------------ applying

    def apply(self) -> Task | None:
        """Apply the return with the settled conflicts, all or nothing, on the write lane; say what changed."""
        from tracker.workbooks.returns_apply import apply_return

        if not self.can_apply():
            return None
        resolutions = self.conflicts.resolutions()
        self.apply_button.setEnabled(False)  # until the write is settled
        self.banner.setText(f"Applying {self.preview.file_name}…")

        def applied(changes: Changes) -> None:
            self.changes = changes
            text = changes.summary or "The return was applied."  # counts as the preview did
            self.applied.emit(changes)
            self.accept()
            tell(self.parentWidget(), TITLE, text + ".", warning=False)

        def refused(error: ServiceError) -> None:
            self._update_state()
            if isinstance(error, ConflictError):
                tell(self, TITLE, f"{error}")
            else:
                tell(self, TITLE, f"The return was not applied: {error}\n\nNothing was changed.")

        op = self.ctx.write(apply_return, preview=self.preview, resolutions=resolutions)
        return op.success(applied).failure(refused).run(initiator=self)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


__all__ = ["ChoiceDelegate", "ReturnPreviewDialog"]
