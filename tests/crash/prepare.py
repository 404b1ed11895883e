"""Once per harness run: the template store and its inputs, then each command run uncrashed to
learn how long it takes and what it leaves (the store after it, its outputs' shapes)."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

import openpyxl

from tests.crash import cli
from tests.crash.cli import Folders
from tests.crash.operations import FILLED_RETURN, PERIOD, STORE, Operation, store_files
from tests.crash.outputs import files_under, shape_of
from tests.crash.store_state import Fingerprint, describe_difference


class SetupFailed(Exception):
    """The harness could not prepare a run: nothing was tested."""


@dataclass(frozen=True)
class Template:
    folder: Path
    runtime: Path
    before: Fingerprint


@dataclass(frozen=True)
class Reference:
    """What an uncrashed run of an operation takes and leaves."""

    op: Operation
    duration: float
    writes_from: float | None  # seconds in, when it was first seen writing (None: never)
    writes_until: float | None  # and last seen writing
    after: Fingerprint
    outputs: dict[Path, object]  # path relative to the run folder -> its shape
    home_files: frozenset[Path]  # what the app keeps in its home (relative), if anything
    force: bool  # the command takes --force (replace existing outputs)
    litter: tuple[str, ...]  # what even the uncrashed run leaves behind (a failure in itself)


def _checked(done: subprocess.CompletedProcess[str], what: str) -> None:
    if done.returncode != 0:
        raise SetupFailed(f"{what} failed (exit {done.returncode}): {cli.last_line(done)}")


def build_template(work: Path) -> Template:
    """The sample plan with the open period's returns issued, and one return filled in."""
    runtime = work / "runtime"
    runtime.mkdir(mode=0o700, parents=True)
    folders = Folders(work / "template").make()
    _checked(cli.run(folders, ["init", "--sample"], runtime), "init --sample")
    returns = folders.run / "issued returns"
    _checked(
        cli.run(folders, ["issue-returns", "--period", PERIOD, "--out", str(returns)], runtime),
        "issue-returns for the template",
    )
    biggest = max(returns.glob("*.xlsx"), key=lambda p: p.stat().st_size)
    fill_in(biggest, folders.run / FILLED_RETURN)
    con = sqlite3.connect(folders.store)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return Template(folders.run, runtime, Fingerprint.of(folders.store))


def fill_in(issued: Path, filled: Path) -> None:
    """A lead's answers, typed in as tests/test_returns.py's edit() does: every objective Amber
    with a rationale and commentary, a progress note on every recommendation."""
    wb = openpyxl.load_workbook(issued)
    answers = {
        "Objectives": {
            "RAG": "Amber",
            "Rationale for the RAG": "Crash test: delivery slowed",
            "Commentary": "Crash test commentary",
        },
        "Recommendations": {"New progress note": "Crash test progress note"},
    }
    for sheet, values in answers.items():
        ws = wb[sheet]
        headers = [c.value for c in ws[2]]
        for row in ws.iter_rows(min_row=3):
            if row[-1].value and not str(row[-1].value).startswith("new-"):
                for header, value in values.items():
                    row[headers.index(header)].value = value
    wb.save(filled)


def new_run(template: Template, op: Operation, folder: Path) -> Folders:
    folders = Folders(folder).make()
    shutil.copyfile(template.folder / STORE, folders.store)
    for name in op.inputs:
        shutil.copyfile(template.folder / name, folders.run / name)
    return folders


def measure(template: Template, op: Operation, work: Path) -> Reference:
    """Run the operation to completion (twice if it writes the store, to check that two completed
    runs leave stores alike once fresh ids and times are masked)."""
    runs = []
    for n in (1, 2) if op.changes_store else (1,):
        folders = new_run(template, op, work / f"reference {n} {op.name}")
        run = cli.timed(folders, op.command(folders.run), template.runtime)
        runs.append((run, folders))
        _checked(run.done, f"the uncrashed {op.name}")
    folders = runs[0][1]
    after = Fingerprint.of(folders.store)
    if op.changes_store:
        if after.same_as(template.before):
            raise SetupFailed(f"the uncrashed {op.name} left the store unchanged")
        second = Fingerprint.of(runs[1][1].store)
        if not after.like(second):
            raise SetupFailed(
                f"two uncrashed runs of {op.name} leave different stores even with fresh ids and "
                f"times masked: {describe_difference(second, template.before, after)}"
            )
    elif not after.same_as(template.before):
        raise SetupFailed(f"the uncrashed {op.name} changed the store: it should only write files")
    made = files_under(folders.run) - store_files(folders.run) - {folders.run / n for n in op.inputs}
    home = {p for p in made if folders.home in p.parents}
    litter = sorted(str(p.relative_to(folders.run)) for p in made if folders.tmp in p.parents)
    outputs = {}
    for path in sorted(made - home - {p for p in made if folders.tmp in p.parents}):
        try:
            outputs[path.relative_to(folders.run)] = shape_of(op.outputs, path)
        except (ValueError, KeyError) as e:
            raise SetupFailed(f"the uncrashed {op.name} wrote {path.name}, which is not whole: {e}") from e
    if op.outputs != "store" and not outputs:
        raise SetupFailed(f"the uncrashed {op.name} wrote no output")
    words = []
    for a in op.args:
        if a.startswith(("@", "--")):
            break
        words.append(a)
    help_text = cli.run(folders, [*words, "--help"], template.runtime).stdout
    # The faster run's times: a busy machine slows a run, and the crashes want the true length.
    fastest = min((r for r, _ in runs), key=lambda r: r.duration)
    return Reference(
        op,
        duration=fastest.duration,
        writes_from=fastest.writes_from,
        writes_until=fastest.writes_until,
        after=after,
        outputs=outputs,
        home_files=frozenset(p.relative_to(folders.home) for p in home),
        force="--force" in help_text,
        litter=tuple(litter),
    )
