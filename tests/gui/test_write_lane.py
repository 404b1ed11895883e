"""Writes run off the UI thread: the window keeps turning while SQLite waits on another process's lock."""

from __future__ import annotations

import gc
import subprocess
import sys
import time
from datetime import date

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QTimer

from tests.builders import small_plan
from tests.gui.helpers import settled
from tracker.services import create_milestone
from ui.context import AppContext, Identity

HOLD_S = 3.0  # how long the other process keeps the database locked while our write waits
TICK_MS = 10

LOCKER = """
import sqlite3, sys
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("BEGIN IMMEDIATE")  # the write lock: every other writer waits on its busy timeout
print("locked", flush=True)
sys.stdin.readline()  # hold it until the test says
con.execute("ROLLBACK")
con.close()
"""


@pytest.fixture
def locker(db_path):  # type: ignore[no-untyped-def]
    """Another process holding the plan's write lock until its stdin gets a line."""
    proc = subprocess.Popen(
        [sys.executable, "-c", LOCKER, str(db_path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def test_the_event_loop_turns_while_a_write_waits_on_a_lock(qtbot, store, actor, locker, request) -> None:  # type: ignore[no-untyped-def]
    ids = small_plan(store, actor)
    ctx = AppContext(store, Identity("Programme Manager", role="PMO"))  # the real, threaded runner
    assert locker.stdout.readline().strip() == "locked"

    # Deleting the widgets earlier tests left behind, or collecting the session's garbage, would
    # pause the loop too, but that is not the write's doing: both happen first, outside the measure.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()
    gc.collect()
    gc.disable()
    request.addfinalizer(gc.enable)
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    started = time.monotonic()
    task = ctx.write(
        create_milestone,
        data={"objective_id": ids.obj1, "title": "Vetting done", "baseline_date": date(2024, 9, 30)},
    ).run()
    qtbot.waitUntil(lambda: time.monotonic() - started >= HOLD_S, timeout=int(HOLD_S * 1000) + 5_000)
    waited = [t for t in ticks if t >= started]
    assert not task.done, "the write should still be waiting on the other process's lock"

    locker.stdin.write("release\n")
    locker.stdin.flush()
    assert settled(task) is task and task.ok, task.error
    timer.stop()

    gaps = [b - a for a, b in zip(waited, waited[1:], strict=False)]
    assert len(waited) > HOLD_S * 1000 / 100  # it turned all the while, not once at the end
    assert max(gaps) < 0.1, f"the event loop stalled for {max(gaps) * 1000:.0f} ms while the write waited"
