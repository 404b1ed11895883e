"""One crash: copy the template, start the command, SIGKILL it after a delay, then check."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tests.crash import cli
from tests.crash.cli import Folders
from tests.crash.operations import store_files
from tests.crash.outputs import files_under, incomplete
from tests.crash.prepare import Reference, Template, new_run
from tests.crash.store_state import Fingerprint, describe_difference

# Kinds of problem, the summary's columns.
CHECK = "check failed"
HALF = "half-applied"
LITTER = "partial files left"
INCOMPLETE = "incomplete outputs"
OTHER = "other"
KINDS = (CHECK, HALF, LITTER, INCOMPLETE, OTHER)


@dataclass(frozen=True)
class Problem:
    kind: str
    detail: str


@dataclass(frozen=True)
class Kill:
    ref: Reference
    delay: float  # seconds after the start, or after it is seen writing
    after_write: bool


@dataclass
class RunResult:
    index: int
    op: str
    kill: Kill
    stopped: cli.Stopped
    store: str = "?"  # "before", "after" or "neither"
    left_by_kill: list[str] = field(default_factory=list)  # cleaned by the next run, or not
    problems: list[Problem] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.problems)

    @property
    def killed(self) -> bool:
        return self.stopped.code is None

    def headline(self) -> str:
        when = f"{self.stopped.at:.3f} s in"
        if self.stopped.writing_at is not None:
            when = f"{self.kill.delay:.3f} s after it began writing ({when})"
        elif self.kill.after_write:
            when += ", before it was seen writing"
        how = f"killed {when}" if self.killed else f"ended by itself {when}"
        return f"run {self.index:03d} {self.op}, {how}, store {self.store}"


def crash(template: Template, kill: Kill, index: int, work: Path) -> RunResult:
    ref, op = kill.ref, kill.ref.op
    folders = new_run(template, op, work / f"run {index:03d} {op.name}")
    watch = cli.WriteWatch(folders) if kill.after_write else None
    proc = cli.start(folders, op.command(folders.run), template.runtime)
    stopped = cli.kill_after(proc, kill.delay, watch)
    code = stopped.code
    result = RunResult(index, op.name, kill, stopped)
    if code not in (None, 0):
        result.problems.append(Problem(OTHER, f"the command failed without being killed (exit {code})"))

    present = [rel for rel in ref.outputs if (folders.run / rel).exists()]
    for rel in present:
        why = incomplete(op.outputs, folders.run / rel, ref.outputs[rel])
        if why:
            result.problems.append(Problem(INCOMPLETE, f"under its final name: {why}"))

    check = cli.run(folders, ["check"], template.runtime)
    if check.returncode != 0:
        bad = [
            ln.strip()
            for ln in (check.stdout + check.stderr).splitlines()
            if ln.strip() and not ln.startswith("ok")
        ]
        result.problems.append(Problem(CHECK, f"exit {check.returncode}: " + " | ".join(bad[:3])))

    result.store = store_state(folders, template, ref, result)
    if op.outputs == "returns" and result.store == "before" and present:
        result.problems.append(
            Problem(
                INCOMPLETE,
                f"{len(present)} return(s) under their final names that the store has no record of",
            )
        )
    if code == 0 and result.store != "after" and op.changes_store:
        result.problems.append(Problem(HALF, "the command finished, yet the store is not as after it"))

    result.left_by_kill = litter(folders, ref)
    if result.left_by_kill:
        if not ref.force:  # a command that will not replace its output refuses at once: clear the way
            for rel in ref.outputs:
                (folders.run / rel).unlink(missing_ok=True)
        again = cli.run(
            folders, op.command(folders.run) + (["--force"] if ref.force else []), template.runtime
        )
        still = litter(folders, ref)
        if still:
            result.problems.append(
                Problem(
                    LITTER,
                    ", ".join(still)
                    + f" (still there after the command ran again: exit {again.returncode}"
                    + (f", {cli.last_line(again)})" if again.returncode else ")"),
                )
            )
    return result


def store_state(folders: Folders, template: Template, ref: Reference, result: RunResult) -> str:
    try:
        found = Fingerprint.of(folders.store)
    except Exception as e:  # a store sqlite3 cannot read at all is a finding, not a harness error
        result.problems.append(Problem(HALF, f"the store cannot be read: {type(e).__name__}: {e}"))
        return "unreadable"
    if found.same_as(template.before):
        return "before"
    if ref.op.changes_store and found.like(ref.after):
        return "after"
    after = ref.after if ref.op.changes_store else None
    what = "changed by a command that only writes files" if after is None else "neither before nor after"
    result.problems.append(Problem(HALF, f"{what}: {describe_difference(found, template.before, after)}"))
    return "neither"


def litter(folders: Folders, ref: Reference) -> list[str]:
    """Files in the run's folders (its temp folder and the app's home included) that are neither
    the store's, the inputs, nor finished outputs under their final names, with their sizes."""
    expected = store_files(folders.run) | {folders.run / n for n in ref.op.inputs}
    expected |= {folders.run / rel for rel in ref.outputs}
    expected |= {folders.home / rel for rel in ref.home_files}
    extra = sorted(files_under(folders.run) - expected)
    return [f"{p.relative_to(folders.run)} ({_size(p)})" for p in extra]


def _size(path: Path) -> str:
    try:
        n = path.stat().st_size
    except OSError:
        return "gone"
    return f"{n:,} bytes" if n < 10_000 else f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.0f} KB"
