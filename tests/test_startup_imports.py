"""Start-up imports only what the first screen needs (issue 16): kept lists, so nothing creeps back.

Each check runs a fresh interpreter (an import made by an earlier test would hide one), imports the
start-up path, and lists what is in ``sys.modules``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Painted before any of these: the frame is Qt and the settings alone.
NOT_BEFORE_THE_FRAME = (
    "sqlalchemy", "sqlmodel", "pydantic", "numpy", "pyqtgraph", "openpyxl", "alembic",
    "tracker.db", "tracker.models", "tracker.queries", "tracker.services", "tracker.store",
    "ui.app", "ui.context", "ui.main_window",
)  # fmt: skip

# The launcher and the first page (the dashboard) need none of these: menus, dialogs and other pages
# import them when first used.
NOT_FOR_THE_FIRST_PAGE = (
    "alembic", "openpyxl", "psycopg", "defusedxml",
    "tracker.workbooks", "tracker.cli", "tracker.commands", "tracker.integrity", "tracker.replay",
    "tracker.seed", "tracker.copy",
    "ui.boardpack", "ui.exports", "ui.meeting", "ui.help", "ui.about", "ui.backups_dialog",
    "ui.connect_dialog", "ui.plan_settings", "ui.plan_sheets", "ui.plan_boards", "ui.returns_dialogs",
    "ui.returns_preview", "ui.rollover", "ui.plan_item_dialog",
    "ui.pages.plan", "ui.pages.registers", "ui.pages.people", "ui.pages.periods", "ui.pages.audit",
    "PySide6.QtPdf", "PySide6.QtPrintSupport",
)  # fmt: skip


def imported_by(*modules: str) -> set[str]:
    code = "import importlib, json, sys\n"
    code += "".join(f"importlib.import_module({m!r})\n" for m in modules)
    code += "print(json.dumps(sorted(sys.modules)))\n"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout  # fmt: skip
    return set(json.loads(out))


def loaded(names: set[str], wanted: tuple[str, ...]) -> list[str]:
    """Which of ``wanted`` (a package counts with any of its modules) is in ``names``."""
    return [w for w in wanted if any(n == w or n.startswith(w + ".") for n in names)]


def test_the_start_up_frame_is_painted_before_the_core_is_imported() -> None:
    assert loaded(imported_by("ui.start"), NOT_BEFORE_THE_FRAME) == []


def test_the_launcher_and_the_dashboard_import_nothing_the_first_page_does_not_need() -> None:
    names = imported_by("ui.start", "ui.app", "ui.pages.dashboard")
    assert "ui.pages.dashboard" in names  # the check looks where it should
    assert loaded(names, NOT_FOR_THE_FIRST_PAGE) == []
