"""Is an output under its final name complete, and what else was left in the run's folders?"""

from __future__ import annotations

import sqlite3
import subprocess
import zipfile
from pathlib import Path

import openpyxl

from tests.crash.store_state import read_only


def pdf_pages(path: Path) -> int:
    done = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise ValueError(f"pdfinfo fails: {(done.stderr.strip().splitlines() or ['?'])[-1]}")
    for line in done.stdout.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise ValueError("pdfinfo reports no page count")


def sheet_names(path: Path) -> list[str]:
    try:
        wb = openpyxl.load_workbook(path)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as e:
        raise ValueError(f"openpyxl cannot load it: {type(e).__name__}: {e}") from e
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


def backup_counts(path: Path) -> dict[str, int]:
    try:
        with read_only(path) as con:
            check = con.execute("PRAGMA integrity_check").fetchone()[0]
            if check != "ok":
                raise ValueError(f"integrity_check says {check}")
            names = [
                r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
            ]
            return {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    except sqlite3.Error as e:
        raise ValueError(f"sqlite3 cannot read it: {e}") from e


READERS = {"pdf": pdf_pages, "xlsx": sheet_names, "returns": sheet_names, "sqlite": backup_counts}


def shape_of(kind: str, path: Path) -> object:
    """Raises ValueError when the file is not whole."""
    if path.stat().st_size == 0:
        raise ValueError("it is empty")
    return READERS[kind](path)


def incomplete(kind: str, path: Path, want: object) -> str | None:
    """Why the file at ``path`` is not the complete output ``want`` describes, or None."""
    try:
        got = shape_of(kind, path)
    except ValueError as e:
        return f"{path.name}: {e}"
    if got != want:
        if kind == "pdf":
            return f"{path.name}: {got} pages, the uncrashed run wrote {want}"
        if kind == "sqlite":
            assert isinstance(got, dict) and isinstance(want, dict)
            wrong = [f"{t} {got.get(t)} rows (want {n})" for t, n in want.items() if got.get(t) != n]
            return f"{path.name}: " + (", ".join(wrong) or "other tables than the store's")
        return f"{path.name}: sheets {got}, the uncrashed run wrote {want}"
    return None


def files_under(*folders: Path) -> set[Path]:
    return {p for folder in folders if folder.exists() for p in folder.rglob("*") if not p.is_dir()}
