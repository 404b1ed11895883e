"""``screenshots OUT_DIR``: open the sample plan offscreen and save a PNG of each page of the app."""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path
from typing import Any

from tracker.cli import CliError, arguments, command


def _args(p: argparse.ArgumentParser) -> None:
    p.add_argument("out_dir", metavar="OUT_DIR", help="the folder for the pictures (made if missing)")
    p.add_argument(
        "--size", default="1500x950", help="window size in pixels, WIDTHxHEIGHT (default 1500x950)"
    )
    p.add_argument("--theme", choices=("light", "dark"), default="light", help="appearance (default light)")
    p.add_argument("--colour-blind", action="store_true", help="use the colour-blind-safe status colours")
    p.add_argument("--page", action="append", metavar="KEY", help="only this page (repeatable)")


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise CliError(f"--size: expected WIDTHxHEIGHT such as 1500x950, got {text!r}") from None
    if not (400 <= w <= 8000 and 300 <= h <= 8000):
        raise CliError(f"--size: {text} is out of range (400x300 to 8000x8000)")
    return w, h


@command("screenshots", "save a PNG of each page of the app showing the sample plan (offscreen)")
@arguments(_args)
def screenshots(args: argparse.Namespace) -> int:
    width, height = _size(args.size)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for path in take(out, width=width, height=height, dark=args.theme == "dark",
                     colour_blind=args.colour_blind, only=args.page):  # fmt: skip
        print(path)
    return 0


def take(out: Path, *, width: int = 1500, height: int = 950, dark: bool = False,
         colour_blind: bool = False, only: list[str] | None = None) -> list[Path]:  # fmt: skip
    """Save ``out/<page key>.png`` for each page (or those in ``only``); returns the files written."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from tracker.queries import latest_period_with_updates
    from tracker.store import open_store
    from ui.app import application
    from ui.appearance import Appearance
    from ui.context import AppContext, Identity
    from ui.main_window import MainWindow
    from ui.opening import create_sample_plan
    from ui.pages import PAGES
    from ui.settings import AppSettings
    from ui.tasks import TaskRunner

    keys = [spec.key for spec in PAGES]
    unknown = sorted(set(only or ()) - set(keys))
    if unknown:
        raise CliError(f"no page called {', '.join(unknown)} (pages: {', '.join(keys)})")
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="dpt-shots-") as tmp:
        location = Path(tmp) / "emsou-sample.db"
        create_sample_plan(str(location))
        app = application()
        settings = AppSettings(QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat))
        settings.theme = "dark" if dark else "light"
        settings.colour_blind = colour_blind
        appearance = Appearance(settings)
        appearance.apply()
        store = open_store(location)
        try:
            ctx = AppContext(store, Identity("PMO", None, "PMO"), palette=appearance.palette,
                             runner=TaskRunner(synchronous=True))  # fmt: skip
            window = MainWindow(ctx, location=str(location), settings=settings, appearance=appearance)
            window.resize(width, height)
            window.show()
            with ctx.read() as session:
                latest = latest_period_with_updates(session)
            if latest is not None:
                window.period_combo.setCurrentIndex(max(window.period_combo.findData(latest.id), 0))
            for key in keys:
                if only and key not in only:
                    continue
                stage(window.show_page(key), key)
                for _ in range(3):  # layouts settle over a few passes (charts fit their ranges)
                    QApplication.processEvents()
                path = out / f"{key}.png"
                if not window.grab().save(str(path)):
                    raise CliError(f"could not write {path}")
                written.append(path)
            window.close()
            window.deleteLater()
            QApplication.processEvents()
        finally:
            store.close()
        del app
    return written


def stage(page: Any, key: str) -> None:
    """Put a page in the state worth a picture: an objective or a row chosen, so its detail shows."""
    if key == "plan":
        objective = _telling_objective(page.ctx)
        if objective is not None:
            page.select_objective(objective)
    elif key == "periods":  # the latest period chosen, so Close or Reopen is on offer
        page.table.selectRow(page.table.model().rowCount() - 1)
    elif hasattr(page, "select") and hasattr(page, "model"):  # a register: its side form filled in
        rows = page.model.visible_rows()
        pick = next((r for r in rows if getattr(r, "state", None) == "overdue"), rows[0] if rows else None)
        if pick is not None:
            page.select(pick.id)


def _telling_objective(ctx: Any) -> str | None:
    """A Red objective with milestones (else an Amber one, else any): the detail with most to show."""
    from tracker.queries import milestone_rows, objective_rows

    with ctx.read() as session:
        objectives = objective_rows(session)
        with_milestones = {m.objective_id for m in milestone_rows(session)}
    for colour in ("red", "amber"):
        for o in objectives:
            if o.brag == colour and o.id in with_milestones:
                return o.id
    return objectives[0].id if objectives else None
