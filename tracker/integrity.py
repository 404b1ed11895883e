"""``check``: is the store whole? SQLite's own checks, references, schema version and the audit chain."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from tracker.audit import verify_chain
from tracker.db import is_sqlite
from tracker.migrate import current_revision, head_revision
from tracker.store import Store


@dataclass(frozen=True)
class Finding:
    name: str
    ok: bool
    detail: str


def check_store(store: Store) -> list[Finding]:
    """Every check's finding; a file too damaged to read to the end is a failed finding, not an error."""
    findings: list[Finding] = []
    try:
        _run_checks(store, findings)
    except (DBAPIError, sqlite3.DatabaseError) as exc:
        cause = exc.orig if isinstance(exc, DBAPIError) else exc
        findings.append(
            Finding("readable", False, f"SQLite could not read the plan to the end ({cause}); "
                    "restore it from your latest backup")
        )  # fmt: skip
    return findings


def _integrity_check(conn: Connection) -> list[str]:
    """SQLite's findings, one a line ("ok" alone for a sound file)."""
    try:
        rows = conn.exec_driver_sql("PRAGMA integrity_check").fetchall()
    except DBAPIError as exc:  # SQLite stops on some damage instead of listing it; the quick check may not
        try:
            rows = conn.exec_driver_sql("PRAGMA quick_check").fetchall()
        except DBAPIError:
            return [str(exc.orig)]
    return [ln for r in rows for ln in str(r[0]).splitlines() if not ln.startswith("*** in database")]


def _run_checks(store: Store, findings: list[Finding]) -> None:
    with store.engine.connect() as conn:
        if is_sqlite(store.engine):
            result = _integrity_check(conn)
            findings.append(
                Finding(
                    "database",
                    result == ["ok"],
                    "SQLite integrity check passed" if result == ["ok"] else "; ".join(result[:5]),
                )
            )
            bad = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            findings.append(
                Finding("references", not bad, "every reference points at a row" if not bad else
                        f"{len(bad)} broken reference(s), first in table {bad[0][0]}")
            )  # fmt: skip
        else:
            findings.append(
                Finding(
                    "database", True, f"{store.engine.dialect.name} server: references enforced by the server"
                )
            )
        rev = current_revision(conn)
        head = head_revision()
        findings.append(
            Finding("schema", rev == head, f"schema {rev}" + ("" if rev == head else f", expected {head}"))
        )
        stale = conn.execute(
            text(
                "SELECT count(*) FROM objective o JOIN status_update u ON u.objective_id = o.id "
                "JOIN reporting_period p ON p.id = u.period_id "
                "WHERE o.deleted = :no AND u.deleted = :no AND p.start_date = "
                "(SELECT max(p2.start_date) FROM reporting_period p2 JOIN status_update u2 ON u2.period_id = p2.id "
                " WHERE u2.objective_id = o.id AND u2.deleted = :no AND p2.deleted = :no) "
                "AND (o.lifecycle <> u.lifecycle OR coalesce(o.rag, '') <> coalesce(u.rag, ''))"
            ),
            {"no": False},
        ).scalar_one()
        findings.append(
            Finding("current status", stale == 0, "every objective shows its latest reported status" if not stale
                    else f"{stale} objective(s) show a status different from their latest update")
        )  # fmt: skip
    with store.read() as session:
        problems = verify_chain(session)
        count = session.execute(text("SELECT count(*) FROM audit_entry")).scalar_one()
    findings.append(
        Finding("audit chain", not problems, f"{count:,} entries, each linked and unaltered" if not problems
                else "; ".join(p.message for p in problems[:5]))
    )  # fmt: skip
