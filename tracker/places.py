"""Where the app keeps this user's files: the data folder (the default plan, the audit anchors) and the logs.

Both come from platformdirs, so each system's usual place is used (Windows: under %LOCALAPPDATA%;
macOS: ~/Library; Linux: ~/.local/share and ~/.local/state); ``TRACKER_LOGS`` names another log folder.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from platformdirs import user_data_path, user_log_path

APP_NAME = "DeliveryPlanTracker"
LOGS_ENV = "TRACKER_LOGS"


def data_folder() -> Path:
    return user_data_path(APP_NAME, appauthor=False)


def log_folder() -> Path:
    env = os.environ.get(LOGS_ENV)
    if env:
        return Path(env).expanduser()
    return user_log_path(APP_NAME, appauthor=False)


def log_to_file(name: str, logger: logging.Logger, level: int = logging.INFO) -> logging.FileHandler:
    """Append ``logger``'s records at ``level`` and above to ``name`` in the log folder (made if missing)."""
    folder = log_folder()
    folder.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(folder / name, encoding="utf-8")
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    return handler
