"""Help > About: the app's version and the versions of what it runs on, for support requests."""

from __future__ import annotations

import platform
import sqlite3
from html import escape


def versions() -> dict[str, str]:
    import PySide6
    import sqlalchemy
    from PySide6.QtCore import qVersion

    import tracker

    try:
        import pyqtgraph

        pg = pyqtgraph.__version__
    except Exception as exc:  # the About box must open even if the chart library is broken
        pg = f"not available ({type(exc).__name__})"
    return {
        "Delivery Plan Tracker": tracker.__version__,
        "Python": platform.python_version(),
        "Qt": qVersion(),
        "PySide6": PySide6.__version__,
        "pyqtgraph": pg,
        "SQLAlchemy": sqlalchemy.__version__,
        "SQLite": sqlite3.sqlite_version,
    }


def about_text() -> str:
    rows = "".join(f"<tr><td>{escape(k)}</td><td>&nbsp;{escape(v)}</td></tr>" for k, v in versions().items())
    return (
        "<h3>Delivery Plan Tracker</h3>"
        "<p>Keep a strategic delivery plan and report on it: RAG status, milestones, risks "
        "and inspection recommendations.</p>"
        f"<table>{rows}</table>"
    )
