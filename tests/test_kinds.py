"""Kinds of item: one per table, and change reports that refuse a misspelt kind."""

from __future__ import annotations

import argparse

import pytest
from sqlmodel import SQLModel

from tracker.db import Actor
from tracker.models import ENTITIES, KIND_OF, Kind
from tracker.services import Changes


def test_every_editable_table_has_a_kind_named_after_it() -> None:
    assert set(ENTITIES) == set(Kind)
    for kind, cls in ENTITIES.items():
        assert cls.__tablename__ == kind.value and KIND_OF[cls] is kind
    editable = {t.name for t in SQLModel.metadata.sorted_tables if "revision" in t.c}
    assert editable == {k.value for k in Kind}


def test_touches_takes_kinds_and_refuses_a_bare_string() -> None:
    changes = Changes(kinds=frozenset({Kind.MILESTONE}), ids=frozenset({"m1"}))
    assert changes.touches(Kind.RISK, Kind.MILESTONE)
    assert not changes.touches(Kind.RISK)
    with pytest.raises(TypeError, match="milestne"):
        changes.touches("milestne")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        changes.touches("milestone")  # type: ignore[arg-type]


def test_the_sources_the_app_writes_are_the_sources_it_names() -> None:
    from tracker.cli import actor as cli_actor
    from tracker.enums import Source

    assert cli_actor(argparse.Namespace(actor="PMO")).source is Source.CLI
    assert Actor("Someone").source == Source.APP  # the desktop app's default
    assert {s.label for s in Source} == {"the app", "command line", "a return file", "a sync", "undo"}
