"""Load the scale plan through our write path and through plain sqlite3.executemany, and compare.

    python -m tests.benchmarks.bench_load                  # the default scale plan (10,000 objectives ...)
    python -m tests.benchmarks.bench_load --objectives 1000 --milestones 10000 --risks 2000 --audit 100000

The rows are built once in memory. "Ours" writes them with ``load_scale_rows`` into a fresh store
(unit of work: executemany per batch, each row audited as created, the history chained). "Raw"
inserts the same final rows - the entity rows with their bookkeeping columns and every audit entry,
already hashed and converted to SQLite values before the clock starts - with ``executemany`` into
a database made with the same DDL and pragmas, in one transaction. Raw is the floor; the ratio is
what our validation-free write path costs on top of it (JSON snapshots, hashing, SQLAlchemy).
"""

from __future__ import annotations

import argparse
import dataclasses
import sqlite3
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the checkout importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tracker.audit import CREATED, GENESIS, chain_rows, encode
from tracker.db import Actor
from tracker.models import KIND_OF, AuditEntry, AuditHead
from tracker.seed.scale import ScaleRows, load_scale_rows, scale_rows
from tracker.services.base import BOOKKEEPING
from tracker.store import open_store

TARGET = 3.0
ACTOR = Actor("Benchmark", "cli")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    t0 = time.perf_counter()
    rows = scale_rows(objectives=args.objectives, milestones=args.milestones, risks=args.risks,
                      audit_entries=args.audit, periods=args.periods, seed=args.seed)  # fmt: skip
    rows = dataclasses.replace(rows, history=list(rows.history))
    print(f"built {rows.row_count:,} rows and {rows.history_count:,} history entries in memory "
          f"({time.perf_counter() - t0:.1f} s)")  # fmt: skip
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        ours = _ours(Path(tmp) / "ours.db", rows)
        ddl = _ddl(Path(tmp) / "ours.db")
        raw_tables, raw_audit = _raw_rows(rows)
        raw = _raw(Path(tmp) / "raw.db", ddl, raw_tables, raw_audit)
    ratio = ours / raw
    verdict = "ok" if ratio <= TARGET else "OVER TARGET"
    print(f"load scale plan: ours {ours:.1f} s, raw executemany {raw:.1f} s, ratio {ratio:.1f}x "
          f"(target <= {TARGET:g}x) {verdict}")  # fmt: skip
    return 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--objectives", type=int, default=10_000)
    p.add_argument("--milestones", type=int, default=100_000)
    p.add_argument("--risks", type=int, default=20_000)
    p.add_argument("--audit", type=int, default=1_000_000, help="audit entries in all (creation + history)")
    p.add_argument("--periods", type=int, default=8)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--dir", default=None, help="where to put the temporary databases")
    return p


def _ours(path: Path, rows: ScaleRows) -> float:
    store = open_store(path)  # creating the schema is not part of the load
    try:
        start = time.perf_counter()
        with store.write() as session:
            load_scale_rows(session, actor=ACTOR, rows=rows)
        return time.perf_counter() - start
    finally:
        store.close()


def _ddl(path: Path) -> list[str]:
    """The schema exactly as our store created it: tables first, then indexes."""
    with sqlite3.connect(path) as conn:
        found = conn.execute(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
            "ORDER BY type = 'index', rowid"
        ).fetchall()
    conn.close()
    return [sql for (sql,) in found]


def _raw_rows(
    rows: ScaleRows,
) -> tuple[list[tuple[str, list[str], list[tuple[Any, ...]]]], list[tuple[Any, ...]]]:
    """The final rows as SQLite values: what our path ends up storing, prepared before timing."""
    at = datetime.now().astimezone()
    tables, created = [], []
    for cls, table in rows.tables:
        defaults = _defaults(cls)
        stamped = [
            dict(defaults, **r, revision=1, changed_by=ACTOR.name, changed_at=at, deleted=False)
            for r in table
        ]
        names = list(stamped[0]) if stamped else []
        tables.append((cls.__tablename__, names, [tuple(_sql(r[n]) for n in names) for r in stamped]))  # type: ignore[attr-defined]
        entity = KIND_OF[cls]
        for r in stamped:
            snap = {k: v for k, v in r.items() if k not in BOOKKEEPING and k != "deleted"}
            created.append({"txn": "bench", "at": at, "actor": ACTOR.name, "source": ACTOR.source, "detail": "",
                            "entity": entity, "entity_id": r["id"], "field": CREATED, "old": None,
                            "new": encode(snap)})  # fmt: skip
    chained, _, _ = chain_rows(0, GENESIS, created + list(rows.history))
    cols = [c.name for c in AuditEntry.__table__.columns]  # type: ignore[attr-defined]
    audit = [tuple(_sql(r[c]) for c in cols) for r in chained]
    return tables, audit


def _defaults(cls: type) -> dict[str, Any]:
    """The column defaults SQLAlchemy fills in for keys a row leaves out (raw SQL must say them)."""
    out = {}
    for column in cls.__table__.columns:  # type: ignore[attr-defined]
        default = column.default
        if default is not None and default.is_scalar:
            out[column.name] = default.arg
    return out


def _sql(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def _raw(path: Path, ddl: list[str], tables: list[tuple[str, list[str], list[tuple[Any, ...]]]],
         audit: list[tuple[Any, ...]]) -> float:  # fmt: skip
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=FULL"):
        conn.execute(f"PRAGMA {pragma}")
    for sql in ddl:
        conn.execute(sql)
    cols = [c.name for c in AuditEntry.__table__.columns]  # type: ignore[attr-defined]
    start = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    for name, names, values in tables:
        if values:
            marks = ", ".join("?" * len(names))
            conn.executemany(f'INSERT INTO "{name}" ({", ".join(names)}) VALUES ({marks})', values)
    conn.executemany(
        f"INSERT INTO audit_entry ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", audit
    )
    conn.execute(f"INSERT INTO {AuditHead.__tablename__} (id, seq, hash) VALUES (1, ?, ?)",
                 (audit[-1][0], audit[-1][-1]))  # fmt: skip
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


if __name__ == "__main__":
    raise SystemExit(main())
