"""The audit log under concurrency on PostgreSQL (issue 14, item 5): writers on many connections append
to one chain that verifies, even the first writers of an empty store, before the log has a head row."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from tests.conftest import _pg_database
from tracker.audit import verify_chain
from tracker.db import Actor
from tracker.services import create_person
from tracker.store import open_store

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_url() -> Iterator[str]:
    yield from _pg_database()


def test_the_first_writers_of_an_empty_store_append_one_chain(pg_url):
    open_store(pg_url).close()  # the schema, and no audit head yet
    writers = 4
    start = threading.Barrier(writers)
    failures: list[BaseException] = []

    def run(n: int) -> None:
        try:
            with open_store(pg_url) as store:
                for k in range(3):
                    with store.write() as session:
                        session.connection()  # each transaction begun before they race
                        if k == 0:
                            start.wait()
                        create_person(session, actor=Actor(f"writer {n}"), data={"name": f"Person {n}.{k}"})
        except BaseException as exc:  # reported below, in the test's thread
            failures.append(exc)
            start.abort()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    with open_store(pg_url) as store, store.read() as session:
        assert verify_chain(session) == []
        assert (
            session.connection().exec_driver_sql("SELECT count(DISTINCT actor) FROM audit_entry").scalar()
            == 4
        )
