"""Period returns from the window: issue them into a folder, and import one back through a preview.

Both start from the returns panel on the Periods page and from the File menu. Issuing asks when the
returns are due, whom at the PMO leads send them to, and the folder; the first two are kept on the
period (the same transaction as the issue) and printed on every sheet. Writing workbooks
and reading a returned one run off the UI thread with progress and cancel; every database write
goes through the context's write lane (:meth:`AppContext.write`, with progress for the issue), so
it is audited, undoable and broadcast like any other change.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker.db import StoreError
from tracker.enums import PeriodStatus
from tracker.queries import PeriodRow, periods
from tracker.services import Changes
from tracker.wording import plural
from ui.context import AppContext
from ui.tasks import Progress, Task, TaskProgressDialog
from ui.widgets.dialogs import confirm, file_part, start_in, tell, used_folder

ISSUE_TITLE = "Issue period returns"
IMPORT_TITLE = "Import a return"
_LISTED = 12  # file names listed in a message before "and N more"


def reason(exc: BaseException) -> str:
    """What went wrong, in a sentence: our errors carry one; a file error names the file."""
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror}: {exc.filename}" if exc.filename else exc.strerror
    return str(exc) or type(exc).__name__


def choose_workbook(ctx: AppContext, parent: QWidget | None, title: str) -> str | None:
    """A workbook to bring in, asked for in the folder last used for imports (remembered for next time)."""
    path, _ = QFileDialog.getOpenFileName(
        parent, title, start_in(ctx.settings, "imports"), "Excel workbook (*.xlsx);;All files (*)"
    )
    if path:
        used_folder(ctx.settings, "imports", path)
    return path or None


def preview_in_background(
    ctx: AppContext,
    parent: QWidget | None,
    source: Path,
    title: str,
    read: Callable[[Progress], Any],
    show: Callable[[Any], QDialog],
) -> Task:
    """Read and check a workbook from outside off the UI thread (progress, Cancel), then open its
    preview dialog (``show(preview)``, kept on the task as ``preview_dialog``). A file that cannot be
    read is refused with its reason, saying that nothing was imported."""
    task = ctx.runner.task(read, label=f"Reading {source.name}…")
    task.progress_dialog = TaskProgressDialog(task, parent, title=title)  # type: ignore[attr-defined]  # kept alive with the task

    def succeeded(preview: Any) -> None:
        dialog = show(preview)
        task.preview_dialog = dialog  # type: ignore[attr-defined]
        dialog.open()

    def failed(exc: BaseException) -> None:
        known = isinstance(exc, StoreError | OSError)
        text = reason(exc) if known else f"{source.name} could not be read: {reason(exc)}"
        tell(parent, title, f"{text}\n\nNothing was imported.")

    task.succeeded.connect(succeeded)
    task.failed.connect(failed)
    task.cancelled.connect(
        lambda: ctx.message.emit(f"Import of {source.name} cancelled: nothing was changed")
    )
    return task.start()


# ---------------------------------------------------------------------------------------------- issuing


def _period_to_issue(ctx: AppContext, period_id: str | None) -> PeriodRow | None:
    with ctx.read() as session:
        rows = periods(session)
    wanted = period_id or ctx.period_id
    chosen = next((p for p in rows if p.id == wanted), None)
    if chosen is None:
        open_rows = [p for p in rows if p.status == PeriodStatus.OPEN]
        chosen = open_rows[-1] if open_rows else None
    return chosen


RETURN_DAYS = 14  # a new return-by date: a fortnight after the period ends (or from today, if later)


class IssueReturnsDialog(QDialog):
    """When the returns are due, whom at the PMO leads send them to, and the folder to write them into.

    Starts from what the period holds; what is chosen here is kept on the period when the returns
    are issued.
    """

    def __init__(self, period: PeriodRow, return_by: date | None, contact: str, leads: int,
                 parent: QWidget | None = None):  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle(f"{ISSUE_TITLE}: {period.name}")
        self.setAccessibleName(f"Issue the {period.name} returns")
        intro = QLabel(
            f"A workbook for each of the {plural(leads, 'lead')} with objectives to report on in {period.name}, "
            "to fill in without the app. Each sheet says when it is due and whom to send it to.",
            self,
        )
        intro.setWordWrap(True)
        due = return_by or max(period.end + timedelta(days=RETURN_DAYS), date.today())
        self.return_by = QDateEdit(QDate(due.year, due.month, due.day), self)
        self.return_by.setCalendarPopup(True)
        self.return_by.setDisplayFormat("dd/MM/yyyy")  # as every date field shows a date
        self.return_by.setMinimumDate(QDate(period.start.year, period.start.month, period.start.day))
        self.return_by.setAccessibleName("Date the returns are due")
        self.contact = QLineEdit(contact, self)
        self.contact.setPlaceholderText("e.g. PMO, pmo@example.org, 0115 000 0000")
        self.contact.setAccessibleName("PMO contact: whom leads send the return to and ask")
        self.folder = QLineEdit(self)
        self.folder.setPlaceholderText("The folder to write the workbooks into")
        self.folder.setAccessibleName("Folder for the returns")
        browse = QPushButton("&Browse…", self)
        browse.setAccessibleName("Choose the folder for the returns")
        browse.clicked.connect(self._on_browse_clicked)
        where = QHBoxLayout()
        where.addWidget(self.folder, 1)
        where.addWidget(browse)
        form = QFormLayout()
        form.addRow("Return &by:", self.return_by)
        form.addRow("PMO &contact:", self.contact)
        folder_label = QLabel("&Folder:", self)
        folder_label.setBuddy(self.folder)  # a row holding a layout gets no buddy of its own
        form.addRow(folder_label, where)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.issue_button = self.buttons.addButton("&Issue", QDialogButtonBox.ButtonRole.AcceptRole)
        self.issue_button.setAccessibleName(f"Issue the {period.name} returns")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.folder.textChanged.connect(self._on_folder_text_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._on_folder_text_changed(self.folder.text())
        self.resize(self.fontMetrics().averageCharWidth() * 90, self.sizeHint().height())

    def chosen(self) -> tuple[date, str, str]:
        """The return-by date, the PMO contact and the folder."""
        d = self.return_by.date()
        return date(d.year(), d.month(), d.day()), self.contact.text().strip(), self.folder.text().strip()

    def _on_browse_clicked(self) -> None:
        path = QFileDialog.getExistingDirectory(self, f"{ISSUE_TITLE}: choose the folder",
                                                self.folder.text() or str(Path.home()))  # fmt: skip
        if path:
            self.folder.setText(path)

    def _on_folder_text_changed(self, text: str) -> None:
        self.issue_button.setEnabled(bool(text.strip()))


def issue_returns_dialog(
    ctx: AppContext,
    parent: QWidget | None = None,
    *,
    period_id: str | None = None,
    path: str | None = None,
    return_by: date | None = None,
    contact: str | None = None,
) -> Task | None:
    """Ask when the returns are due, whom to send them to and the folder, then write a return
    workbook per lead for the period and record each issue.

    ``period_id`` defaults to the period the window shows; ``path`` skips the dialog (tests), the
    period keeping its return-by date and contact unless ``return_by`` or ``contact`` is given.
    Returns the running task, or None when nothing was started.
    """
    from tracker.queries.period_report import period_report
    from tracker.queries.returns import returns_tracker
    from tracker.workbooks.returns_issue import return_file_name

    if ctx.read_only:
        tell(parent, ISSUE_TITLE, "This plan is open read-only: returns cannot be issued.")
        return None
    chosen = _period_to_issue(ctx, period_id)
    if chosen is None:
        tell(parent, ISSUE_TITLE, "The plan has no open reporting period to issue returns for.")
        return None
    if chosen.status != PeriodStatus.OPEN:
        tell(parent, ISSUE_TITLE, f"{chosen.name} is closed: returns can only be issued for an open period.")
        return None
    with ctx.read() as session:
        leads = [r.lead_name for r in returns_tracker(session, chosen.id) if r.n_objectives]
        details = period_report(session, chosen.id)
    if path is None:
        dialog = IssueReturnsDialog(chosen, details.return_by, details.return_contact, len(leads), parent)
        dialog.folder.setText(start_in(ctx.settings, "returns", f"Returns {file_part(chosen.name)}"))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return_by, contact, path = dialog.chosen()
        used_folder(ctx.settings, "returns", Path(path).parent)
    folder = Path(path)
    existing = [n for n in (return_file_name(chosen.name, lead) for lead in leads) if (folder / n).exists()]
    if existing and not confirm(
        parent,
        ISSUE_TITLE,
        f"{plural(len(existing), 'return')} for {chosen.name} already in {folder} would be replaced, "
        "including any a lead has filled in and sent back. Replace them?",
        "Replace",
    ):
        return None

    issued: list[Any] = []
    sent: list[Any] = []

    def issue(session: Any, *, actor: Any, progress: Any, period_id: str, out_dir: Path) -> Changes:
        from tracker.services import unit_of_work
        from tracker.workbooks.returns_issue import issue_returns

        issued[:] = issue_returns(
            session, actor, period_id, out_dir, progress, return_by=return_by, contact=contact,
            replace=bool(existing),  # the person agreed to replace them
        )  # fmt: skip
        sent[:] = [period_report(session, period_id)]
        # issue_returns records each issue through the services in this transaction's unit of work
        return unit_of_work(session, actor).changes(
            f"Issued {plural(len(issued), 'return')} for {chosen.name}"
        )

    def succeeded(_changes: Changes) -> None:
        if not issued:
            tell(
                parent,
                ISSUE_TITLE,
                f"No lead has objectives to report on in {chosen.name}: nothing was issued.",
            )
            return
        names = [r.path.name for r in issued]
        listed = "\n".join(names[:_LISTED]) + (
            f"\n… and {len(names) - _LISTED} more" if len(names) > _LISTED else ""
        )
        row = sent[0]
        due = f"due {row.return_by:%d %b %Y}" if row.return_by else "with no return-by date"
        to = f", to {row.return_contact}" if row.return_contact else ""
        tell(parent, ISSUE_TITLE,
             f"Issued {plural(len(issued), 'return')} for {chosen.name} into {folder} ({due}{to}):\n\n{listed}\n\n"
             "Send each lead their workbook; import it back with File > Import a return.",
             warning=False)  # fmt: skip

    def failed(exc: BaseException) -> None:
        tell(parent, ISSUE_TITLE, f"No returns were issued: {reason(exc)}\n\nNothing was recorded.")

    def cancelled() -> None:
        ctx.message.emit("Issuing returns cancelled: no return was written or recorded")

    op = ctx.write(issue, period_id=chosen.id, out_dir=folder).with_progress(
        f"Issuing the {chosen.name} returns…", parent
    )
    return op.success(succeeded).failure(failed).cancelled(cancelled).run()


# ---------------------------------------------------------------------------------------------- importing


def import_return_dialog(
    ctx: AppContext, parent: QWidget | None = None, *, path: str | None = None
) -> Task | None:
    """Ask for a returned workbook, read and check it off the UI thread, then show the preview.

    The preview dialog is opened (not run modally) and kept on the task as ``preview_dialog``.
    A file that is not a return of this plan, or not safe to read, is refused with its reason.
    """
    if ctx.read_only:
        tell(parent, IMPORT_TITLE, "This plan is open read-only: returns cannot be imported.")
        return None
    if path is None:
        path = choose_workbook(ctx, parent, IMPORT_TITLE)
        if path is None:
            return None
    source = Path(path)
    store = ctx.store

    def read(progress: Progress) -> Any:
        from tracker.workbooks.returns_import import preview_return, read_return

        progress.report(0, 0, f"Checking and reading {source.name}…")
        returned = read_return(source)  # parsed before a read transaction starts
        progress.check()
        with store.read() as session:
            preview = preview_return(session, returned)
        progress.check()
        return preview

    def show(preview: Any) -> QDialog:
        from tracker.services import record_return_received
        from ui.returns_preview import ReturnPreviewDialog

        if not preview.problems:  # it came back in a state that can be applied: note the receipt
            ctx.write(record_return_received, period_id=preview.period_id, lead_id=preview.lead_id).failure(
                lambda exc: ctx.message.emit(f"The receipt of the return was not recorded: {exc}")
            ).run()
        return ReturnPreviewDialog(ctx, preview, parent)

    return preview_in_background(ctx, parent, source, IMPORT_TITLE, read, show)
