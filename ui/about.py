"""Help > About: the app's version and schema, where its data and logs are, and what it runs on, for support."""

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


def places() -> dict[str, str]:
    """Where this user's plan and logs are kept (the same folders frozen or not)."""
    from tracker.places import data_folder, log_folder

    return {"Data folder": str(data_folder()), "Log folder": str(log_folder())}


def about_text() -> str:
    from tracker.migrate import SCHEMA_HEAD

    def table(items: dict[str, str]) -> str:
        rows = "".join(f"<tr><td>{escape(k)}</td><td>&nbsp;{escape(v)}</td></tr>" for k, v in items.items())
        return f"<table>{rows}</table>"

    runs_on = versions()
    version = runs_on.pop("Delivery Plan Tracker")
    return (
        "<h3>Delivery Plan Tracker</h3>"
        "<p>Keep a strategic delivery plan and report on it: RAG status, milestones, risks "
        "and inspection recommendations.</p>"
        + table({"Version": version, "Schema version": SCHEMA_HEAD, **places()})
        + "<p>Runs on:</p>"
        + table(runs_on)
    )
