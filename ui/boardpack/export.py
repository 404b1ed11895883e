"""Export board pack, from the app: ask for a file, write the pack on a worker thread with a progress dialog."""

from __future__ import annotations

from typing import Any

from ui.boardpack.writer import write_board_pack


def export_board_pack(ctx: Any, parent: Any = None, *, path: str | None = None) -> Any:
    """File > Export board pack (and the dashboard's button): ask for a file, write it in the background.

    ``path`` skips the file dialog. Returns the running task, or None when there is nothing to report
    on or the person cancelled the file dialog.
    """
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from tracker.queries import latest_period_with_updates, period
    from ui.tasks import TaskProgressDialog
    from ui.widgets.dialogs import file_part, save_target, start_in, used_folder

    period_id = ctx.period_id
    if period_id is None:
        with ctx.read() as session:
            latest = latest_period_with_updates(session)
        period_id = latest.id if latest else None
    if period_id is None:
        QMessageBox.information(
            parent, "Board pack", "There is no reporting period with updates to report on yet."
        )
        return None
    name = path
    if name is None:
        with ctx.read() as session:
            period_name = period(session, period_id).name
        suggested = start_in(ctx.settings, "exports", f"Board pack {file_part(period_name)}.pdf")
        name, _ = QFileDialog.getSaveFileName(parent, "Export board pack", suggested, "PDF document (*.pdf)")
        if not name:
            return None
        used_folder(ctx.settings, "exports", name)
    target = save_target(parent, "Board pack", name, ".pdf")
    if target is None:
        return None
    store = ctx.store  # replace=True: the save dialog asked before replacing a file
    task = ctx.runner.task(lambda progress: write_board_pack(store, period_id, target, progress.report, replace=True),
                           label="Exporting the board pack")  # fmt: skip
    task.progress_dialog = TaskProgressDialog(task, parent, title="Board pack")  # kept alive with the task
    task.succeeded.connect(lambda pages: ctx.message.emit(f"Board pack saved: {target.name}, {pages} pages"))
    task.failed.connect(
        lambda exc: QMessageBox.warning(parent, "Board pack", f"The board pack was not written: {exc}")
    )
    return task.start()
