"""The audit log: one entry per changed field, hash-chained, tampering detected."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, text

from tracker.audit import CREATED, decode, verify_chain
from tracker.db import Actor
from tracker.models import AuditEntry, Person, Plan
from tracker.services.base import unit_of_work


def _make_history(store, actor: Actor) -> str:
    with store.write() as session:
        uow = unit_of_work(session, actor)
        uow.create(Plan, name="Plan", start_date=date(2024, 4, 1), end_date=date(2025, 3, 31))
        person = uow.create(Person, name="Head of EMSOU", role_title="Head")
        uow.changes("seeded")
        pid = person.id
    with store.write() as session:
        uow = unit_of_work(session, actor)
        row = uow.get(Person, pid)
        uow.update(row, {"role_title": "Head of the unit", "email": "head@example.org"})
        uow.changes("edited")
    return pid


def test_changes_are_recorded_field_by_field_with_old_and_new(any_store, actor):
    pid = _make_history(any_store, actor)
    with any_store.read() as session:
        rows = session.execute(
            select(AuditEntry.field, AuditEntry.old, AuditEntry.new, AuditEntry.actor, AuditEntry.source)
            .where(AuditEntry.entity_id == pid)
            .order_by(AuditEntry.seq)
        ).all()
        person = session.get(Person, pid)
    assert [r.field for r in rows] == [CREATED, "role_title", "email"]
    assert decode(rows[0].new)["name"] == "Head of EMSOU"
    assert (decode(rows[1].old), decode(rows[1].new)) == ("Head", "Head of the unit")
    assert {(r.actor, r.source) for r in rows} == {("PMO analyst", "cli")}
    assert person.revision == 2


def test_an_intact_log_verifies(any_store, actor):
    _make_history(any_store, actor)
    with any_store.read() as session:
        assert verify_chain(session) == []


def test_an_altered_entry_is_detected(any_store, actor):
    _make_history(any_store, actor)
    with any_store.engine.begin() as conn:
        conn.execute(text("UPDATE audit_entry SET new = '\"Someone else\"' WHERE field = 'role_title'"))
    with any_store.read() as session:
        problems = verify_chain(session)
    assert any("altered" in p.message for p in problems)


def test_a_removed_entry_is_detected(any_store, actor):
    _make_history(any_store, actor)
    with any_store.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_entry WHERE seq = 2"))
    with any_store.read() as session:
        problems = verify_chain(session)
    assert any("missing" in p.message for p in problems)


def test_a_truncated_tail_is_detected(any_store, actor):
    _make_history(any_store, actor)
    with any_store.engine.begin() as conn:
        last = conn.execute(text("SELECT max(seq) FROM audit_entry")).scalar_one()
        conn.execute(text("DELETE FROM audit_entry WHERE seq = :s"), {"s": last})
    with any_store.read() as session:
        problems = verify_chain(session)
    assert any("head says" in p.message for p in problems)


def test_a_failed_transaction_leaves_no_audit_entries(any_store, actor):
    _make_history(any_store, actor)
    with any_store.read() as session:
        before = session.execute(text("SELECT count(*), max(seq) FROM audit_entry")).one()
    try:
        with any_store.write() as session:
            uow = unit_of_work(session, actor)
            uow.create(Person, name="Temporary")
            uow.changes()
            raise RuntimeError("rolled back")
    except RuntimeError:
        pass
    with any_store.read() as session:
        after = session.execute(text("SELECT count(*), max(seq) FROM audit_entry")).one()
        assert verify_chain(session) == []
    assert tuple(after) == tuple(before)


def test_two_units_of_work_in_one_transaction_share_one_chain(any_store, actor):
    pid = _make_history(any_store, actor)
    with any_store.write() as session:
        first = unit_of_work(session, actor)
        first.update(first.get(Person, pid), {"email": "one@example.org"})
        first.changes()
        second = unit_of_work(session, Actor("Someone else", "undo"))
        assert second is not first
        second.update(second.get(Person, pid), {"email": "two@example.org"})
        second.changes()
    with any_store.read() as session:
        assert verify_chain(session) == []
        seqs = session.execute(select(AuditEntry.seq).order_by(AuditEntry.seq)).scalars().all()
    assert seqs == list(range(1, len(seqs) + 1))


def test_decode_gives_back_what_encode_wrote_on_its_short_cuts_and_off_them():
    from datetime import date as _date

    from tracker.audit import decode, encode

    values = ["", "plain", 'a "quoted" word', "back\\slash", "line\nbreak", "tab\there", "café", "12", "0",
              "-3", 0, 7, 10, 123456789, -5, 1.5, 1e20, True, False, [1, "a"], {"k": "v"}, "\u2028"]  # fmt: skip
    for value in values:
        assert decode(encode(value)) == value and type(decode(encode(value))) is type(value), value
    assert decode(encode(_date(2024, 4, 1))) == "2024-04-01"
    assert decode(None) is None


def test_a_driver_error_in_a_large_read_comes_out_as_sqlalchemys(store):
    from sqlalchemy.exc import OperationalError

    from tracker.audit import driver_rows

    with store.engine.connect() as conn, pytest.raises(OperationalError, match="no such column"):
        list(driver_rows(conn, "SELECT missing_column FROM audit_entry"))


def test_an_item_gone_from_its_table_is_named_from_the_entry_that_created_it(store, actor: Actor) -> None:
    from tracker.queries import audit_rows

    pid = _make_history(store, actor)
    with store.write() as session:  # not something the app does: a row lost outside it
        session.execute(text("DELETE FROM person WHERE id = :id"), {"id": pid})
    with store.read() as session:
        rows = [r for r in audit_rows(session) if r.entity_id == pid]
    assert {r.item for r in rows} == {"Person: Head of EMSOU"}
    assert {r.change for r in rows} >= {"added: 'Head of EMSOU'", "Role title: Head → Head of the unit"}


def test_names_are_read_in_one_query_per_kind_not_per_entry(store, actor: Actor) -> None:
    from sqlalchemy import event

    from tracker.queries import audit_rows

    with store.write() as session:
        uow = unit_of_work(session, actor)
        for n in range(40):
            uow.create(Person, name=f"Person {n}")
        uow.changes("many people")
    statements: list[str] = []
    with store.read() as session:
        listen = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(session.get_bind(), "before_cursor_execute", listen)
        try:
            rows = audit_rows(session)
        finally:
            event.remove(session.get_bind(), "before_cursor_execute", listen)
    assert len(rows) == 40 and rows[0].item == "Person: Person 39"
    assert len(statements) <= 3  # the entries, then the people (and a transaction's first read)
