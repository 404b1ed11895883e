"""Audit anchors kept outside the store: remembered after each write, kept as evidence when contradicted."""

from __future__ import annotations

import sqlite3

import pytest

from tracker import anchors
from tracker.services.people import create_person
from tracker.store import open_store


def _write(store, actor, name: str) -> None:
    with store.write() as session:
        create_person(session, actor=actor, data={"name": name})


def test_each_write_remembers_the_head_in_the_file_the_environment_names(db_path, anchors_file, actor):
    with open_store(db_path) as store:
        _write(store, actor, "Head of EMSOU")
        head = store_head(db_path)
        assert [(a.seq, a.hash) for a in anchors.known(store.display_name)] == [head]
        _write(store, actor, "PMO analyst")
        assert [(a.seq, a.hash) for a in anchors.known(store.display_name)] == [store_head(db_path)]
    assert anchors_file.exists()


def test_an_anchor_the_log_no_longer_holds_is_kept_beside_the_new_head(db_path, actor):
    with open_store(db_path) as store:
        _write(store, actor, "Head of EMSOU")
        _write(store, actor, "PMO analyst")
        key = store.display_name
    old = store_head(db_path)
    with sqlite3.connect(db_path) as con:  # drop the last entry and fix the head, then write again
        con.execute("DELETE FROM audit_entry WHERE seq = (SELECT max(seq) FROM audit_entry)")
        con.execute(
            "UPDATE audit_head SET seq = seq - 1, hash = (SELECT hash FROM audit_entry ORDER BY seq DESC LIMIT 1)"
        )
    with open_store(db_path) as store:
        _write(store, actor, "Someone else")
        with store.engine.connect() as conn:
            assert len(anchors.compare(conn, anchors.known(key))) == 1
    assert [(a.seq, a.hash) for a in anchors.known(key)] == [old, store_head(db_path)]


def test_an_unreadable_anchors_file_does_not_stop_a_write(db_path, anchors_file, actor):
    anchors_file.write_text("{not json", encoding="utf-8")
    with open_store(db_path) as store:
        _write(store, actor, "Head of EMSOU")
        assert len(anchors.known(store.display_name)) == 1


@pytest.mark.parametrize("text", ["12", "12:abc", "x:0123456789abcdef", "12:" + "g" * 16])
def test_a_printed_anchor_is_an_entry_number_and_at_least_16_hex_digits(text):
    with pytest.raises(ValueError, match="is not an anchor"):
        anchors.parse(text)
    assert anchors.parse("1,234:0123456789ABCDEF").label == "1234:0123456789abcdef"


def store_head(path) -> tuple[int, str]:
    with sqlite3.connect(path) as con:
        seq, digest = con.execute("SELECT seq, hash FROM audit_head").fetchone()
    return int(seq), str(digest)
