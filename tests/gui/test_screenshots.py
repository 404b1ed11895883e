"""The screenshots command: one picture per page, each page shown in use (a row chosen, its detail open)."""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

import pytest

from tracker import queries as q
from tracker.seed.sample import add_sample_progress
from tracker.seed.template import emsou_template, seed_plan
from ui.commands.screenshots import stage
from ui.context import AppContext, Identity
from ui.pages import PAGES
from ui.tasks import TaskRunner


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR", f"{path.name} is not a PNG"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def test_the_command_writes_one_picture_per_page_at_the_size_asked(tmp_path) -> None:  # type: ignore[no-untyped-def]
    root = Path(__file__).resolve().parents[2]
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(root)}
    out = tmp_path / "shots"
    done = subprocess.run([sys.executable, str(root / "main.py"), "screenshots", str(out), "--size", "1440x900"],
                          capture_output=True, text=True, env=env, cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{spec.key}.png" for spec in PAGES)
    for spec in PAGES:  # the window kept the size asked: no page forced it wider
        assert png_size(out / f"{spec.key}.png") == (1440, 900), spec.key


@pytest.fixture
def ctx(qapp, store, actor):  # type: ignore[no-untyped-def]
    with store.write() as session:
        seed_plan(session, actor=actor, template=emsou_template())
        add_sample_progress(session, actor=actor)
    return AppContext(store, Identity("PMO", None, "PMO"), runner=TaskRunner(synchronous=True))


def test_the_plan_page_is_pictured_with_a_red_objective_open(ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    from ui.pages.plan import PlanPage

    page = PlanPage(ctx)
    qtbot.addWidget(page)
    stage(page, "plan")
    with ctx.read() as session:
        shown = {o.id: o for o in q.objective_rows(session)}[page.detail.objective_id]
        milestones = [m for m in q.milestone_rows(session) if m.objective_id == shown.id]
    assert shown.brag == "red" and milestones
    assert page.selected_id() == shown.id


@pytest.mark.parametrize(
    "cls", ["milestones:MilestonesPage", "risks:RisksPage", "recommendations:RecommendationsPage"]
)
def test_each_register_is_pictured_with_a_row_in_its_form(ctx, qtbot, cls) -> None:  # type: ignore[no-untyped-def]
    import importlib

    module, name = cls.split(":")
    page = getattr(importlib.import_module(f"ui.pages.registers.{module}"), name)(ctx)
    qtbot.addWidget(page)
    stage(page, "register")
    assert page.selected_id() is not None and page._editing.id == page.selected_id()
    assert page.form_title.text().startswith("Edit ")
    if name == "MilestonesPage":
        assert page._editing.state == "overdue"  # the interesting kind
