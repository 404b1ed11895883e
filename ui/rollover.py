"""File > Start a new plan from this one…: next year's plan, asked for in a dialog, built in the background.

The PMO names the new plan, gives its dates and its file, and says whether completed and cancelled
items go too; :func:`tracker.services.rollover.roll_over` builds it on the write lane. Afterwards the
window offers to open the new plan; either way the old one is shown again read-only, as replaced.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
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

from tracker.errors import Problem, ValidationError
from tracker.queries import PlanInfo, current_plan
from tracker.schemas import NewPlanIn
from tracker.services.base import validate
from ui.context import AppContext
from ui.tasks import Progress, Task, TaskProgressDialog
from ui.widgets.dates import DateField
from ui.widgets.dialogs import confirm, file_part, tell, used_folder
from ui.widgets.forms import FieldErrors

TITLE = "Start a new plan from this one"
FOLDERS = "plans"  # the remembered folder for plan files
_YEARS = re.compile(r"(\d{4})([/-])(\d{2})(?!\d)")


def next_name(name: str, starts: date | None = None) -> str:
    """The next plan's name: "Strategy 2021/22" becomes "Strategy 2022/23", or the years the new plan
    starts in when ``starts`` is given (a plan named for its first year may have run for three); else
    "… (next)"."""

    def later(m: re.Match[str]) -> str:
        first = starts.year if starts is not None else int(m.group(1)) + 1
        return f"{first}{m.group(2)}{(first + 1) % 100:02d}"

    bumped, n = _YEARS.subn(later, name, count=1)
    return bumped if n else f"{name} (next)"


def _a_year_from(day: date) -> date:
    try:
        return day.replace(year=day.year + 1) - timedelta(days=1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


class RolloverDialog(QDialog):
    """Asks for the new plan's name, dates and file, and whether closed items go too."""

    def __init__(self, plan: PlanInfo, folder: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.setAccessibleName(TITLE)
        self.settings: Any = None  # the window's settings, to remember the folder chosen
        intro = QLabel(
            f"A new plan file is made from {plan.name!r}: its settings, themes, outcomes, people, boards and "
            "inspections, and its open objectives, milestones, risks and recommendations, each noting where "
            "it came from. No periods or status history are carried; the new plan starts with no periods. "
            "This plan then stays read-only beside it, as its record.",
            self,
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        general = QLabel(self)
        self.errors = FieldErrors(form, general)
        start = plan.end_date + timedelta(days=1)
        self.name = QLineEdit(next_name(plan.name, start), self)
        self.start = DateField(self, optional=False)
        self.end = DateField(self, optional=False)
        self.start.set_day(start)
        self.end.set_day(_a_year_from(start))
        self.file = QLineEdit(str(folder / f"{file_part(self.name.text()) or 'new plan'}.db"), self)
        choose = QPushButton("C&hoose…", self)
        choose.setAccessibleName("Choose the new plan's file")
        choose.clicked.connect(self._on_choose_clicked)
        file_row = QWidget(self)
        row = QHBoxLayout(file_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.file, 1)
        row.addWidget(choose)
        self.include_closed = QCheckBox("Carry &completed and cancelled items too", self)
        self.include_closed.setToolTip(
            "Also carry completed and cancelled objectives, completed milestones, closed risks and closed "
            "recommendations"
        )
        self.errors.add_row("&Name:", "name", self.name)
        self.errors.add_row("&Starts on:", "start_date", self.start, keep_width=True)
        self.errors.add_row("&Ends on:", "end_date", self.end, keep_width=True)
        self.errors.add_row("&File:", "file", file_row, accessible="New plan file")
        form.addRow("", self.include_closed)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = buttons.addButton("Start the new plan", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(general)
        layout.addWidget(buttons)

    def values(self) -> dict[str, Any]:
        return {
            "name": self.name.text(),
            "start_date": self.start.iso(),
            "end_date": self.end.iso(),
            "out": self.target(),
            "include_closed": self.include_closed.isChecked(),
        }

    def target(self) -> Path:
        text = self.file.text().strip()
        path = Path(text).expanduser()
        return path if not text or path.suffix else path.with_suffix(".db")

    def accept(self) -> None:
        """Refuse here, beside each field, what the new plan would be refused for; else close."""
        problems: list[Problem] = []
        try:
            validate(NewPlanIn, {k: v for k, v in self.values().items() if k in NewPlanIn.model_fields})
        except ValidationError as exc:
            problems += exc.problems
        target = self.target()
        if not self.file.text().strip():
            problems.append(Problem("file", "Choose where to save the new plan's file."))
        elif target.exists():
            problems.append(Problem("file", f"{target.name} already exists: choose a new file name."))
        elif not target.parent.is_dir():
            problems.append(Problem("file", f"There is no folder {target.parent}: choose another."))
        if problems:
            self.errors.show(ValidationError(problems))
            return
        used_folder(self.settings, FOLDERS, target)
        super().accept()

    def _on_choose_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "The new plan's file", self.file.text(), "Plan files (*.db)"
        )
        if path:
            self.file.setText(path)


def start_new_plan(
    ctx: AppContext,
    parent: QWidget,
    *,
    location: str,
    open_plan: Callable[[str], None],
    answers: dict[str, Any] | None = None,
) -> Task | None:
    """Ask for the new plan (``answers`` skips the dialog: tests), then build it off the UI thread.

    ``open_plan(location)`` opens a plan in the window's place: the new plan if the person says so
    afterwards, else this one again, now read-only as replaced.
    """
    if not ctx.is_pmo:
        return None
    with ctx.read() as session:
        plan = current_plan(session)
    if answers is None:
        remembered = ctx.settings.last_folder(FOLDERS) if ctx.settings is not None else None
        folder = remembered or (ctx.store.path.parent if ctx.store.path is not None else Path.home())
        dialog = RolloverDialog(plan, folder, parent)
        dialog.settings = ctx.settings
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        answers = dialog.values()
    values = dict(answers)
    store, actor, out = ctx.store, ctx.actor, Path(values.pop("out"))

    def work(progress: Progress) -> Any:
        from tracker.services.rollover import roll_over

        return roll_over(store, out, actor=actor, report=progress.report, **values)

    task = ctx.runner.task(work, label=f"Starting {values['name']!r}…", write=True)
    task.progress_dialog = TaskProgressDialog(task, parent, title=TITLE)  # type: ignore[attr-defined]  # kept alive with the task

    def succeeded(result: Any) -> None:
        if confirm(
            parent,
            TITLE,
            f"{result.summary}.\n\nOpen the new plan now? This plan stays read-only.",
            "Open it",
        ):
            open_plan(str(result.path))
        else:
            open_plan(location)  # this plan again, read-only, saying which plan replaced it

    def failed(exc: BaseException) -> None:
        tell(parent, TITLE, f"The new plan was not started: {exc}\n\nNothing was changed.")

    task.succeeded.connect(succeeded)
    task.failed.connect(failed)
    task.cancelled.connect(lambda: ctx.message.emit("Stopped: no new plan was started"))
    return task.start()
