"""File > Draft committee paper… (PMO): the summary and a narrative per item for a board's paper, kept
per period and board, then the paper drafted in Word in the background.

The text starts from what was written for this period, or else for the board's last paper; saving
it is an audited write on the lane; drafting saves first when the text changed.
"""

from __future__ import annotations

from datetime import date
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from tracker.queries.committee import CommitteeData, committee_data
from tracker.services import Changes, record_committee_paper
from ui.context import AppContext
from ui.tasks import Progress, Task, TaskProgressDialog
from ui.widgets.dates import DateField
from ui.widgets.dialogs import file_part, save_target, start_in, used_folder

TITLE = "Draft committee paper"


class CommitteePaperDialog(QDialog):
    """Choose the board; write the summary and any item's narrative; Save, or Draft paper… to a .docx."""

    def __init__(self, ctx: AppContext, period_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from tracker.queries import boards

        self.ctx, self.period_id = ctx, period_id
        self.data: CommitteeData | None = None
        self.task: Task | None = None
        self.setWindowTitle(TITLE)
        self.resize(760, 640)
        with ctx.read() as session:
            self.boards = boards(session)
        column = QVBoxLayout(self)
        form = QFormLayout()
        self.board = QComboBox(self)
        for b in self.boards:
            self.board.addItem(b.name, b.id)
        self.board.setAccessibleName("The board the paper goes to")
        form.addRow("&Board:", self.board)
        self.paper_date = DateField(self, optional=False)
        self.paper_date.set_day(date.today())
        self.paper_date.setAccessibleName("The paper's date")
        form.addRow("Paper &date:", self.paper_date)
        self.summary = QPlainTextEdit(self)
        self.summary.setTabChangesFocus(True)
        self.summary.setAccessibleName("Summary")
        self.summary.setPlaceholderText(
            "What the board should know, in your words. A blank line starts a paragraph."
        )
        self.summary.setFixedHeight(self.fontMetrics().lineSpacing() * 6 + 12)
        form.addRow("&Summary:", self.summary)
        column.addLayout(form)
        self.source = QLabel(self)
        self.source.setObjectName("Hint")
        self.source.setWordWrap(True)
        column.addWidget(self.source)
        self.items_area = QScrollArea(self)
        self.items_area.setWidgetResizable(True)
        column.addWidget(self.items_area, 1)
        self.notes: dict[str, QPlainTextEdit] = {}
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.save_button = QPushButton("&Save text", self)
        self.draft_button = QPushButton("&Draft paper…", self)
        self.draft_button.setDefault(True)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.draft_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.rejected.connect(self.reject)
        self.save_button.clicked.connect(lambda: self.save())
        self.draft_button.clicked.connect(lambda: self.draft())
        column.addWidget(buttons)
        self.board.currentIndexChanged.connect(lambda _i: self.reload())
        self.reload()

    # ------------------------------------------------------------------------------------------ values

    def reload(self) -> None:
        board_id = self.board.currentData()
        if board_id is None:
            self.source.setText("The plan has no boards: add one in Plan settings first.")
            for button in (self.save_button, self.draft_button):
                button.setEnabled(False)
            return
        with self.ctx.read() as session:
            self.data = data = committee_data(session, self.period_id, board_id)
        self.setWindowTitle(f"{TITLE}: {data.period.name}")
        text = data.text
        self.summary.setPlainText(text.summary)
        said = (
            f"The paper for {data.period.name}: {len(data.items)} inspection items are linked to this board. "
            "What you write for an item goes in the paper under it, in your words."
        )
        if text.from_period:
            said += f" The text starts from the paper for {text.from_period}: edit it for {data.period.name}."
        elif text.id is None:
            said += " Nothing has been written for it yet."
        self.source.setText(said)
        holder = QWidget()
        column = QVBoxLayout(holder)
        items = QFormLayout()
        column.addLayout(items)
        column.addStretch(1)  # the rows stay together at the top however tall the dialog is
        self.notes = {}
        for item in data.reported:
            box = QPlainTextEdit(holder)
            box.setTabChangesFocus(True)
            box.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
            box.setPlainText(text.item_notes.get(item.row.id, ""))
            box.setAccessibleName(f"Narrative for {item.row.ref}")
            label = QLabel(f"<b>{escape(item.row.ref)}</b> ({escape(item.row.status)})", holder)
            label.setToolTip(item.row.text)
            items.addRow(label, box)
            self.notes[item.row.id] = box
        if not data.reported:
            items.addRow(
                QLabel("No inspection item is linked to an objective reporting to this board.", holder)
            )
        self.items_area.setWidget(holder)

    def values(self) -> dict[str, Any]:
        return {
            "summary": self.summary.toPlainText(),
            "item_notes": {
                rid: box.toPlainText() for rid, box in self.notes.items() if box.toPlainText().strip()
            },
        }

    def changed(self) -> bool:
        """Whether there is text to keep: it differs from what is kept for this period, or it was carried."""
        assert self.data is not None
        text, now = self.data.text, self.values()
        kept = {
            "summary": text.summary,
            "item_notes": {k: v for k, v in text.item_notes.items() if k in self.notes},
        }
        if text.id is None:
            return bool(now["summary"].strip() or now["item_notes"])
        return now["summary"] != kept["summary"] or now["item_notes"] != kept["item_notes"]

    # ------------------------------------------------------------------------------------------ writing

    def save(self, then: Any = None) -> Any:
        """Keep the text for the period and board (an audited write); ``then`` runs once it is kept."""
        if self.data is None:
            return None
        if not self.changed():
            if then is not None:
                then()
            return None
        data = self.data
        values = self.values()
        values["item_notes"] = {**{k: v for k, v in data.text.item_notes.items() if k not in self.notes},
                                **values["item_notes"]}  # fmt: skip
        self.save_button.setEnabled(False)
        return (
            self.ctx.write(
                record_committee_paper, period_id=self.period_id, board_id=data.board_id, data=values,
                expected_revision=data.text.revision or None,
            )
            .success(lambda changes: self._on_saved(changes, then))
            .failure(lambda exc: QMessageBox.warning(self, TITLE, f"The text was not saved: {exc}"))
            .finally_(lambda: self.save_button.setEnabled(True))
            .run(initiator=self)
        )  # fmt: skip

    def _on_saved(self, _changes: Changes, then: Any) -> None:
        self.reload()
        if then is not None:
            then()

    def draft(self, path: str | None = None) -> None:
        """Save the text if it changed, then ask where to write the paper and write it in the background."""
        self.save(then=lambda: self._draft(path))

    def _draft(self, path: str | None) -> None:
        assert self.data is not None
        try:
            when = self.paper_date.day() or date.today()
        except ValueError as exc:
            QMessageBox.warning(self, TITLE, f"Paper date: {exc}")
            return
        self.task = draft_paper(self.ctx, self.period_id, self.data.board_id, self, path=path, paper_date=when,
                                names=(self.data.board_name, self.data.period.name))  # fmt: skip


def draft_paper(
    ctx: AppContext, period_id: str, board_id: str, parent: QWidget | None = None, *,
    path: str | None = None, names: tuple[str, str] = ("", ""), paper_date: date | None = None,
) -> Task | None:  # fmt: skip
    """Ask where to save the paper (unless ``path`` is given), then write it off the UI thread."""
    board, period = names
    if path is None:
        suggested = start_in(
            ctx.settings, "exports", f"Committee paper {file_part(board)} {file_part(period)}.docx"
        )
        path, _ = QFileDialog.getSaveFileName(parent, TITLE, suggested, "Word document (*.docx)")
        if not path:
            return None
        used_folder(ctx.settings, "exports", path)
    target = save_target(parent, TITLE, path, ".docx")
    if target is None:
        return None
    store = ctx.store

    def work(progress: Progress) -> Path:
        from tracker.papers.draft import draft_committee_paper

        with store.read() as session:
            return draft_committee_paper(
                session, period_id, board_id, target, paper_date=paper_date,
                replace=True,  # the save dialog asked before replacing
                progress=lambda done, total: progress.report(done, total, "Writing the paper…"),
            )  # fmt: skip

    task = ctx.runner.task(work, label=f"Drafting the committee paper for {board}, {period}…")
    task.progress_dialog = TaskProgressDialog(task, parent, title=TITLE)  # type: ignore[attr-defined]  # kept alive with the task

    def failed(exc: BaseException) -> None:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        QMessageBox.warning(parent, TITLE, f"The committee paper was not saved: {reason}")

    task.succeeded.connect(
        lambda result: ctx.message.emit(f"Saved the committee paper for {board}, {period}, to {result}")
    )
    task.failed.connect(failed)
    task.cancelled.connect(lambda: ctx.message.emit("Drafting cancelled: nothing was saved"))
    return task.start()


def committee_paper_dialog(ctx: AppContext, parent: QWidget | None = None) -> CommitteePaperDialog | None:
    """File > Draft committee paper…: for the period on show (else the latest with updates)."""
    from tracker.queries import latest_period_with_updates

    if not ctx.is_pmo:
        return None
    with ctx.read() as session:
        chosen = ctx.period_id or getattr(latest_period_with_updates(session), "id", None)
    if chosen is None:
        QMessageBox.information(parent, TITLE, "The plan has no reporting period with updates yet.")
        return None
    dialog = CommitteePaperDialog(ctx, chosen, parent)
    dialog.open()
    return dialog
