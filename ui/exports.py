"""Exports started from the window: ask for a file, write it in the background with progress and cancel.

The main window wires :func:`export_status_dialog` to File → Export status workbook.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ui.context import AppContext
from ui.tasks import Progress, Task, TaskProgressDialog
from ui.widgets.dialogs import file_part, save_target, start_in, used_folder

TITLE = "Export status workbook"


def export_status_dialog(
    ctx: AppContext, parent: QWidget | None = None, *, path: str | None = None
) -> Task | None:
    """Ask where to save the status workbook for the period on show, then write it off the UI thread.

    ``path`` skips the file dialog (tests, and a caller that already knows). Returns the running
    task, or None when there is nothing to export or the person cancelled the file dialog.
    """
    from tracker.queries import latest_period_with_updates, period

    with ctx.read() as session:
        chosen = period(session, ctx.period_id) if ctx.period_id else latest_period_with_updates(session)
    if chosen is None:
        QMessageBox.information(parent, TITLE, "The plan has no reporting period with updates yet.")
        return None
    if path is None:
        suggested = start_in(ctx.settings, "exports", f"Status report {file_part(chosen.name)}.xlsx")
        path, _ = QFileDialog.getSaveFileName(parent, TITLE, suggested, "Excel workbook (*.xlsx)")
        if not path:
            return None
        used_folder(ctx.settings, "exports", path)
    target = save_target(parent, TITLE, path, ".xlsx")
    if target is None:
        return None
    store, who, period_id = ctx.store, ctx.identity.name, chosen.id

    def work(progress: Progress) -> Path:
        from tracker.workbooks.status import export_status_workbook

        with store.read() as session:
            return export_status_workbook(
                session, period_id, target, generated_by=who, progress=progress.report, replace=True
            )  # the save dialog asked before replacing a file

    task = ctx.runner.task(work, label=f"Exporting the status workbook for {chosen.name}…")
    task.progress_dialog = TaskProgressDialog(task, parent, title=TITLE)  # type: ignore[attr-defined]  # kept alive with the task

    def succeeded(result: Any) -> None:
        ctx.message.emit(f"Saved the status workbook for {chosen.name} to {result}")

    def failed(exc: BaseException) -> None:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        QMessageBox.warning(parent, TITLE, f"The status workbook was not saved: {reason}")

    task.succeeded.connect(succeeded)
    task.failed.connect(failed)
    task.cancelled.connect(lambda: ctx.message.emit("Export cancelled: nothing was saved"))
    return task.start()
