"""The plan as a spreadsheet from the window: File > Export plan… and, for the PMO, File > Import plan….

Exporting writes the plan workbook off the UI thread. Importing reads and checks the file and
previews it off the UI thread, then shows the preview (counts per sheet, then every problem or every
change, field by field); Import writes it through the context's write lane, all or nothing, audited
and undoable like any other change.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker.db import StoreError
from tracker.services import Changes
from tracker.services.plan_import import import_plan
from tracker.services.plan_rows import PlanPreview
from tracker.wording import plural
from ui.context import AppContext
from ui.returns_dialogs import choose_workbook, preview_in_background, reason
from ui.tasks import Progress, Task, TaskProgressDialog
from ui.widgets.dialogs import file_part, save_target, start_in, tell, used_folder

EXPORT_TITLE = "Export plan"
IMPORT_TITLE = "Import plan"


def export_plan_dialog(
    ctx: AppContext, parent: QWidget | None = None, *, path: str | None = None
) -> Task | None:
    """Ask where to save the plan workbook, then write it in the background; None when cancelled."""
    if path is None:
        with ctx.read() as session:
            from tracker.queries import current_plan

            name = current_plan(session).name
        suggested = start_in(ctx.settings, "exports", f"{file_part(name)} plan.xlsx")
        path, _ = QFileDialog.getSaveFileName(parent, EXPORT_TITLE, suggested, "Excel workbook (*.xlsx)")
        if not path:
            return None
        used_folder(ctx.settings, "exports", path)
    target = save_target(parent, EXPORT_TITLE, path, ".xlsx")
    if target is None:
        return None
    store, who = ctx.store, ctx.identity.name

    def work(progress: Progress) -> Path:
        from tracker.workbooks.plan_write import export_plan

        progress.report(0, 0, "Writing the plan workbook…")
        with store.read() as session:
            return export_plan(session, target, replace=True, author=who)  # the save dialog asked

    task = ctx.runner.task(work, label="Exporting the plan…")
    task.progress_dialog = TaskProgressDialog(task, parent, title=EXPORT_TITLE)  # type: ignore[attr-defined]  # kept alive with the task
    task.succeeded.connect(lambda result: ctx.message.emit(f"Saved the plan to {result}"))
    task.failed.connect(lambda exc: tell(parent, EXPORT_TITLE, _not_saved(exc)))
    task.cancelled.connect(lambda: ctx.message.emit("Export cancelled: nothing was saved"))
    return task.start()


def _not_saved(exc: BaseException) -> str:
    # our refusals already say the file was not written, and why; anything else gets the words here
    return reason(exc) if isinstance(exc, StoreError) else f"The plan was not saved: {reason(exc)}"


def import_plan_dialog(
    ctx: AppContext, parent: QWidget | None = None, *, path: str | None = None
) -> Task | None:
    """Ask for a plan workbook, read, check and preview it off the UI thread, then show the preview.

    Only the PMO imports a plan. The preview dialog is opened (not run modally) and kept on the task
    as ``preview_dialog``. A file that is not safe to read is refused with its reason.
    """
    if not ctx.is_pmo:
        tell(
            parent, IMPORT_TITLE, "Only the PMO can import a plan; change who you are (File menu) if you are."
        )
        return None
    if path is None:
        path = choose_workbook(ctx, parent, IMPORT_TITLE)
        if path is None:
            return None
    source, store = Path(path), ctx.store

    def read(progress: Progress) -> PlanPreview:
        from tracker.services.plan_import import preview_plan
        from tracker.workbooks.plan_read import read_plan_file

        progress.report(0, 0, f"Checking and reading {source.name}…")
        data = read_plan_file(source)  # parsed before a read transaction starts
        progress.check()
        with store.read() as session:
            return preview_plan(session, data)

    return preview_in_background(
        ctx, parent, source, IMPORT_TITLE, read, lambda preview: PlanPreviewDialog(ctx, preview, parent)
    )


class PlanPreviewDialog(QDialog):
    """What importing the workbook would do; Import does it, all or nothing."""

    def __init__(self, ctx: AppContext, preview: PlanPreview, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.preview = ctx, preview
        self.setWindowTitle(f"{IMPORT_TITLE}: {preview.file_name}")
        self.resize(900, 600)
        if preview.problems:
            words = (
                f"{plural(len(preview.problems), 'problem')}: fix them in the workbook and import it again."
            )
        elif preview.can_import:
            words = (f"Importing adds {plural(preview.n_create, 'item')} and changes "
                     f"{plural(preview.n_update, 'item')}, all or nothing.")  # fmt: skip
        else:
            words = "Nothing to import: the plan already holds everything in the workbook."
        self.summary = QLabel(words, self)
        self.summary.setWordWrap(True)
        self.details = QPlainTextEdit("\n".join(preview.lines()), self)
        self.details.setReadOnly(True)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details.setAccessibleName("What the import would add and change, or its problems")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.import_button = QPushButton("&Import", self)
        self.import_button.setEnabled(preview.can_import)
        buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.rejected.connect(self.reject)
        self.import_button.clicked.connect(self._on_import_clicked)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)

    def _on_import_clicked(self) -> None:
        self.import_button.setEnabled(False)
        self.ctx.write(import_plan, data=self.preview.data, preview=self.preview).success(
            self._on_imported
        ).failure(self._on_refused).run(initiator=self)

    def _on_imported(self, changes: Changes) -> None:
        self.ctx.message.emit(changes.summary)
        self.accept()

    def _on_refused(self, exc: Exception) -> None:
        tell(self, IMPORT_TITLE, f"Nothing was imported: {reason(exc)}")
        self.import_button.setEnabled(self.preview.can_import)
