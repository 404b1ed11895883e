"""Starting the desktop app: the window's frame on screen first, then the core, then the plan.

``python main.py [--db PATH_OR_URL] [--read-only] [--as NAME]``. Nothing this module imports
reaches the core (SQLAlchemy, SQLModel, the tracker's queries and services) or pyqtgraph: the
frame (the navigation, "Opening the plan…", in the remembered place and theme) is painted in
about the time a bare Qt window takes, and the launcher, imported after it, opens the plan and
puts the main window in its place. ``tests/test_startup_imports.py`` keeps it that way.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import sys
from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QListWidget, QMainWindow, QWidget

import tracker
from ui.appearance import Appearance
from ui.icons import icon
from ui.pages import PAGES
from ui.settings import AppSettings

ORGANISATION = "DeliveryPlanTracker"
APPLICATION = "Delivery Plan Tracker"
EXIT_OPEN_FAILED = 2


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="delivery-plan-tracker", description="The Delivery Plan Tracker app."
    )
    parser.add_argument(
        "--db", metavar="PATH_OR_URL", help="the plan to open (default: the file in your data folder)"
    )
    parser.add_argument(
        "--read-only", action="store_true", help="open for viewing only: nothing can be changed"
    )
    parser.add_argument(
        "--as", dest="as_name", metavar="NAME", help="who you are (a person in the plan, or PMO)"
    )
    parser.add_argument("--version", action="version", version=f"Delivery Plan Tracker {tracker.__version__}")
    return parser.parse_args(list(argv))


def application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication([sys.argv[0] if sys.argv else "delivery-plan-tracker"])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationVersion(tracker.__version__)
    app.setWindowIcon(icon("app", "#1d70b8"))
    return app


class StartFrame(QMainWindow):
    """The main window's frame while the plan opens: its pages' names, greyed, and what is happening."""

    def __init__(self, text: str = "Opening the plan…"):
        super().__init__()
        self.setWindowTitle(APPLICATION)
        self.setAccessibleName(APPLICATION)
        nav = QListWidget(self)
        nav.setObjectName("Navigation")
        nav.addItems([spec.title for spec in PAGES])
        nav.setEnabled(False)
        nav.setFixedWidth(nav.sizeHintForColumn(0) + self.fontMetrics().averageCharWidth() * 8)
        self.label = QLabel(text, self)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        central = QWidget(self)
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(nav)
        row.addWidget(self.label, 1)
        self.setCentralWidget(central)
        self.statusBar().showMessage(text)

    def paint(self, geometry: QByteArray | None) -> StartFrame:
        """Show it where the window was last time, and paint it now (the event loop is not running yet)."""
        place_window(self, geometry)
        self.show()
        self.repaint()
        QApplication.processEvents()
        return self


def place_window(window: QWidget, saved: QByteArray | None) -> None:
    """Restore the last session's geometry, or fill most of the screen the first time."""
    if saved is not None and window.restoreGeometry(saved):
        return
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return
    area = screen.availableGeometry()
    width, height = min(area.width(), max(int(area.width() * 0.85), 1024)), int(area.height() * 0.85)
    window.resize(width, height)
    window.move(area.x() + (area.width() - width) // 2, area.y() + (area.height() - height) // 2)


XCB_CURSOR = "libxcb-cursor.so.0"  # Qt 6.5+'s X11 plugin needs it; minimal Linux systems often lack it


def missing_x11_library(env: Mapping[str, str], platform: str = sys.platform,
                        load: Callable[[str], object] = ctypes.CDLL) -> str | None:  # fmt: skip
    """Why Qt's X11 plugin cannot load here, in words, or None. Qt itself would abort with a terse
    message; this says what to install."""
    chosen = env.get("QT_QPA_PLATFORM", "")
    if not platform.startswith("linux") or chosen not in ("", "xcb") or not env.get("DISPLAY"):
        return None
    if not chosen and env.get("WAYLAND_DISPLAY"):
        return None  # Qt may choose Wayland
    try:
        load(XCB_CURSOR)
    except OSError:
        return (f"The window cannot open: Qt needs {XCB_CURSOR}, which this system lacks. On Debian or "
                "Ubuntu: sudo apt-get install libxcb-cursor0 (the README lists the other X libraries Qt "
                "uses).")  # fmt: skip
    return None


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    problem = missing_x11_library(os.environ)
    if problem:
        print(problem, file=sys.stderr)
        return EXIT_OPEN_FAILED
    app = application()
    app.setQuitOnLastWindowClosed(False)  # dialogs before the window must not end the app
    settings = AppSettings()
    appearance = Appearance(settings)
    appearance.apply()
    frame = StartFrame().paint(settings.window_geometry())
    from ui.app import Launcher, app_log  # the core and the pages: imported once the frame is on screen

    with app_log():
        launcher = Launcher(settings, appearance, frame=frame)
        if not launcher.open(args.db, readonly=args.read_only, as_name=args.as_name):
            return 0 if launcher.last_failure is None else EXIT_OPEN_FAILED
        app.setQuitOnLastWindowClosed(True)
        code = app.exec()
        settings.sync()
        return code
