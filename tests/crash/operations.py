"""The commands the crash test interrupts, and what each may leave behind."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PERIOD = "2023/24 Q4"  # the sample plan's open period
STORE = "plan.db"
FILLED_RETURN = "filled return.xlsx"


@dataclass(frozen=True)
class Operation:
    name: str
    args: tuple[str, ...]  # relative paths are made absolute in the run folder (see command())
    outputs: str  # "store" (the store only), "pdf", "xlsx", "returns" (a folder of xlsx), "sqlite"
    changes_store: bool
    inputs: tuple[str, ...] = ()  # files copied into the run folder from the template folder

    def command(self, run_dir: Path) -> list[str]:
        return [str(run_dir / a[1:]) if a.startswith("@") else a for a in self.args]


OPERATIONS = (
    Operation(
        "import-apply",
        ("import-return", "@" + FILLED_RETURN, "--apply"),
        "store",
        changes_store=True,
        inputs=(FILLED_RETURN,),
    ),
    Operation("periods-close", ("periods", "close", PERIOD), "store", changes_store=True),
    Operation("backup", ("backup", "@backup copy.db"), "sqlite", changes_store=False),
    Operation(
        "issue-returns",
        ("issue-returns", "--period", PERIOD, "--out", "@returns"),
        "returns",
        changes_store=True,
    ),
    Operation(
        "board-pack",
        ("board-pack", "--period", PERIOD, "--out", "@board pack.pdf"),
        "pdf",
        changes_store=False,
    ),
    Operation(
        "export-status",
        ("export-status", "--period", PERIOD, "--out", "@status workbook.xlsx"),
        "xlsx",
        changes_store=False,
    ),
)

BY_NAME = {op.name: op for op in OPERATIONS}


def store_files(run_dir: Path) -> set[Path]:
    """The store and what SQLite and the write lock keep beside it (the lock file stays: lock.py),
    and its automatic backups (tracker.autobackup), renamed into place only once verified: a file
    there named as a backup in progress (``….partial``) is not the store's, and counts as litter."""
    store = run_dir / STORE
    backups = run_dir / f"{store.stem} backups"
    kept = {p for p in backups.iterdir() if ".partial" not in p.name} if backups.is_dir() else set()
    return {store, *(store.with_name(STORE + s) for s in ("-wal", "-shm", "-journal", ".lock")), *kept}
