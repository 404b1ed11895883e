"""Fixtures for the app's windows and pages: a small plan, a context on it, settings on a temporary file."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from tests.builders import small_plan
from ui.context import AppContext, Identity
from ui.settings import AppSettings
from ui.tasks import TaskRunner


@pytest.fixture
def app_settings(tmp_path) -> AppSettings:  # type: ignore[no-untyped-def]
    return AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def plan_ctx(qapp, store, actor):  # type: ignore[no-untyped-def]
    """A context on the small test plan, as the PMO, with tasks run at once on this thread."""
    ids = small_plan(store, actor)
    ctx = AppContext(store, Identity("PMO", None, "PMO"), runner=TaskRunner(synchronous=True))
    ctx.ids = ids  # type: ignore[attr-defined]
    return ctx
