"""``check``: is the store whole? SQLite's own checks, references, schema version and the audit chain."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from tracker import anchors
from tracker.anchors import Anchor
from tracker.audit import read_head, verify_chain
from tracker.db import is_sqlite
from tracker.kept import verify_kept
from tracker.migrate import current_revision, head_revision
from tracker.replay import replay
from tracker.store import Store
from tracker.wording import plural


@dataclass(frozen=True)
class Finding:
    name: str
    ok: bool
    detail: str
    more: tuple[str, ...] = ()  # lines printed under the finding (the differences listed)


def check_store(store: Store, extra_anchors: Sequence[Anchor] = ()) -> list[Finding]:
    """Every check's finding; a file too damaged to read to the end is a failed finding, not an error."""
    findings: list[Finding] = []
    try:
        _run_checks(store, findings, extra_anchors)
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


def _run_checks(store: Store, findings: list[Finding], extra_anchors: Sequence[Anchor]) -> None:
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
                    else f"{plural(stale, 'objective')} with a status different from their latest update")
        )  # fmt: skip
    findings.append(_kept_finding(store))
    findings += audit_findings(store, extra_anchors)


def _kept_finding(store: Store) -> Finding:
    """Results kept in this process (the dashboard's, ``tracker.kept``) against a recomputation from scratch."""
    with store.read() as session:
        n, differ = verify_kept(session)
    if differ:
        return Finding("kept figures", False, f"{plural(len(differ), 'kept result')} differ from a recomputation",
                       tuple(differ))  # fmt: skip
    return Finding("kept figures", True, f"{plural(n, 'kept result')} equal to a recomputation from scratch")


def audit_findings(store: Store, extra_anchors: Sequence[Anchor] = ()) -> list[Finding]:
    """The chain, the tables replayed from it, and the heads seen before (remembered or printed)."""
    known = anchors.known(store.display_name)
    with store.engine.connect() as conn:  # one read transaction: the log and the tables agree in time
        problems = [p.message for p in verify_chain(conn)]
        count = conn.execute(text("SELECT count(*) FROM audit_entry")).scalar_one()
        started = time.perf_counter()
        report = replay(conn)
        took = time.perf_counter() - started
        contradicted = anchors.compare(conn, [*known, *extra_anchors])
        head = read_head(conn)
    if not count and report.rows:
        problems.insert(0, f"the audit log is empty but the plan holds {report.rows:,} rows")
    findings = [
        Finding("audit chain", not problems, f"{count:,} entries, each linked and unaltered" if not problems
                else "; ".join(problems[:5])),
        Finding("audited data", not report.total,
                f"{report.rows:,} rows agree with the audit log replayed ({took:.1f} s)" if not report.total
                else f"{plural(report.total, 'difference')} between the tables and the audit log"
                     + (f" ({len(report.differences)} listed)" if report.total > len(report.differences) else ""),
                tuple(d.message for d in report.differences)),
    ]  # fmt: skip
    findings.append(_anchor_finding([*known, *extra_anchors], contradicted))
    if head is not None:
        findings.append(Finding("audit head", True, f"{anchors.printed(*head)} (the anchor outputs print)"))
    return findings


def _anchor_finding(checked: list[Anchor], contradicted: list[str]) -> Finding:
    if contradicted:
        detail = f"{len(contradicted)} of {plural(len(checked), 'anchor')} contradicted: " + "; ".join(
            contradicted[:3]
        )
        advice = "If you restored or replaced this file on purpose, run `check --forget-anchors`."
        return Finding("anchors", False, detail, (advice,))
    if not checked:
        return Finding(
            "anchors", True, "no earlier head is known for this plan; each write from now on is remembered"
        )
    latest = max(checked, key=lambda a: a.seq)
    return Finding(
        "anchors",
        True,
        f"the log still holds the {plural(len(checked), 'head')} seen before (latest: entry {latest.seq:,})",
    )
