"""Every view that reloads on a change says which kinds of item it follows, as Kind members."""

from __future__ import annotations

import importlib

from tracker.models import Kind
from ui.pages import PAGES
from ui.pages.objective import ObjectiveDetail
from ui.pages.recommendation import RecommendationDetail
from ui.pages.returns_panel import ReturnsPanel


def _views() -> list[type]:
    classes: list[type] = [ObjectiveDetail, RecommendationDetail, ReturnsPanel]
    for spec in PAGES:
        module, name = spec.target.split(":")
        classes.append(getattr(importlib.import_module(module), name))
    return classes


def test_every_reload_key_names_a_real_change_kind() -> None:
    following = 0
    for cls in _views():
        spec = getattr(cls, "spec", None)
        kinds = spec.reload_on if spec is not None else getattr(cls, "reload_on", None)
        if kinds is None:  # a view that reloads on every change (the dashboard, the audit log)
            continue
        following += 1
        assert kinds and all(isinstance(k, Kind) for k in kinds), cls.__name__
    assert following >= 8
