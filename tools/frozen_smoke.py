"""Run the frozen app (``python -m tools.build``) as a user would, and check what each command writes.

``python -m tools.frozen_smoke DIST/DeliveryPlanTracker`` (from the checkout, with the venv's Python:
it reads the outputs back with openpyxl and makes the older store with the checkout's Alembic). Each
command runs from a fresh folder outside the checkout, with a clean environment: a new HOME, no
PYTHONPATH, Qt drawing offscreen. Linux only (it looks for the data folder where platformdirs puts
it there). Exits non-zero at the first step that fails, naming it.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import tracker
from tracker.migrate import KNOWN_REVISIONS, SCHEMA_HEAD

PERIOD = "2023/24 Q4"  # the sample plan's latest period with updates
PNG = b"\x89PNG\r\n\x1a\n"


class Smoke:
    def __init__(self, bundle: Path, work: Path):
        self.exe = bundle / "delivery-plan"
        self.work = work
        self.home = work / "home"
        self.home.mkdir()
        self.env = {
            "HOME": str(self.home),
            "PATH": "/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "QT_QPA_PLATFORM": "offscreen",
        }

    def run(self, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        started = time.monotonic()
        done = subprocess.run(
            [str(self.exe), *args], cwd=self.work, env=self.env, capture_output=True, text=True, timeout=300
        )
        print(f"   {' '.join(args)}: exit {done.returncode} in {time.monotonic() - started:.1f} s")
        if ok and done.returncode != 0:
            fail(f"{' '.join(args)} exited {done.returncode}: {done.stderr.strip()[-2000:]}")
        return done


def fail(message: str) -> None:
    print(f"frozen smoke FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def expect(condition: bool, message: str) -> None:
    if not condition:
        fail(message)


def older_store(smoke: Smoke, path: Path) -> str:
    """The sample plan, made by the bundle, then taken back to the first schema with the checkout's
    Alembic: opening it runs every migration script the bundle holds."""
    from alembic import command
    from sqlalchemy import create_engine

    from tracker.db import to_url
    from tracker.migrate import alembic_config

    first = min(KNOWN_REVISIONS)
    smoke.run("--db", str(path), "init", "--sample")
    engine = create_engine(to_url(path))
    with engine.connect() as conn:
        conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # before BEGIN, as migrate does
        with conn.begin():
            command.downgrade(alembic_config(conn), first)
    engine.dispose()
    return first


def schema_of(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def commands(smoke: Smoke) -> Path:
    """The commands a user runs on the default plan, each output read back; the plan's path."""
    work = smoke.work
    version = smoke.run("--version").stdout.strip()
    expect(version == f"Delivery Plan Tracker {tracker.__version__}", f"--version printed {version!r}")

    smoke.run("init", "--sample")
    plan = smoke.home / ".local" / "share" / "DeliveryPlanTracker" / "plan.db"
    expect(plan.is_file() and plan.stat().st_size > 0, f"init --sample made no plan at {plan}")
    expect(schema_of(plan) == SCHEMA_HEAD, f"the new plan has schema {schema_of(plan)}, not {SCHEMA_HEAD}")

    summary = smoke.run("summary").stdout
    expect(
        PERIOD in summary and "Green" in summary, f"summary printed no RAG for {PERIOD}: {summary[:300]!r}"
    )
    smoke.run("check")

    smoke.run("export-status", "--period", PERIOD, "--out", "status.xlsx")
    from openpyxl import load_workbook

    book = load_workbook(work / "status.xlsx", read_only=True)
    expect(len(book.sheetnames) > 1, f"status.xlsx has sheets {book.sheetnames}")
    book.close()

    smoke.run("board-pack", "--period", PERIOD, "--out", "pack.pdf")
    info = subprocess.run(["pdfinfo", str(work / "pack.pdf")], capture_output=True, text=True)
    pages = [line.split()[-1] for line in info.stdout.splitlines() if line.startswith("Pages:")]
    expect(
        info.returncode == 0 and bool(pages) and int(pages[0]) > 1, f"pack.pdf: {info.stdout or info.stderr}"
    )

    smoke.run("screenshots", "shots", "--size", "1000x700")
    shots = sorted((work / "shots").glob("*.png"))
    expect(len(shots) >= 8, f"screenshots wrote {[p.name for p in shots]}")
    for shot in shots:
        expect(shot.read_bytes()[:8] == PNG and shot.stat().st_size > 5000, f"{shot.name} is not a picture")
    return plan


def stores(smoke: Smoke, plan: Path) -> None:
    """An older store is upgraded (after a backup) by every script in the bundle; a newer one is refused."""
    old = smoke.work / "old.db"
    first = older_store(smoke, old)
    expect(schema_of(old) == first, f"old.db has schema {schema_of(old)}, not {first}")
    # Opened for editing (by a command that changes nothing here), an older store is upgraded.
    smoke.run("--db", str(old), "repair-audit-head")
    expect(schema_of(old) == SCHEMA_HEAD, f"old.db was not upgraded to {SCHEMA_HEAD}")
    expect(PERIOD in smoke.run("--db", str(old), "summary").stdout, "the upgraded old.db has no summary")
    backups = list((smoke.work / "old backups").glob("old * before schema upgrade.db"))
    expect(len(backups) == 1 and schema_of(backups[0]) == first, "no backup of old.db before its upgrade")

    newer = smoke.work / "newer.db"
    shutil.copyfile(plan, newer)
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    refused = smoke.run("--db", str(newer), "summary", ok=False)
    expect(
        refused.returncode != 0 and "schema 9999" in refused.stderr and SCHEMA_HEAD in refused.stderr,
        f"a newer store was not refused with the schema it needs: {refused.stderr.strip()!r}",
    )


def team_driver(smoke: Smoke) -> None:
    """The PostgreSQL driver is in the bundle: a team plan's server that is not there is reported as such."""
    url = "postgresql+psycopg://nobody@127.0.0.1:1/plan"  # nothing listens on port 1
    refused = smoke.run("--db", url, "summary", ok=False)
    expect(
        refused.returncode == 2 and "connection failed" in refused.stderr,
        f"a team plan's server was not tried: {refused.stderr.strip()!r}",
    )


def contents(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.lstat().st_size, p.lstat().st_mtime_ns) for p in folder.rglob("*")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.frozen_smoke", description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path, help="the app folder (dist/DeliveryPlanTracker)")
    args = parser.parse_args(argv)
    bundle = args.bundle.resolve()
    started = time.monotonic()
    before = contents(bundle)
    with tempfile.TemporaryDirectory(prefix="frozen-smoke-") as tmp:
        smoke = Smoke(bundle, Path(tmp))
        print(f"== frozen smoke: {bundle}, run from {smoke.work}")
        stores(smoke, commands(smoke))
        team_driver(smoke)
        changed = sorted(set(contents(bundle).items()) ^ set(before.items()))
        expect(
            not changed, f"the app wrote into its own folder (it may be installed read-only): {changed[:5]}"
        )
        logged = [p.read_text(encoding="utf-8")[-2000:] for p in smoke.home.rglob("cli.log")]
        expect(not logged, f"the command line logged an unexpected error: {logged}")
    print(f"== frozen smoke passed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
