"""Running the command line on a run's folder, as a user would: its own temp folder and home."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.crash.operations import STORE

ROOT = Path(__file__).resolve().parents[2]
MAIN = ROOT / "main.py"
TIMEOUT = 300  # seconds an uncrashed command may take before the harness gives up on it


@dataclass(frozen=True)
class Folders:
    """A run's folder, and inside it the temp folder and the app's home (both checked for litter)."""

    run: Path

    @property
    def store(self) -> Path:
        return self.run / STORE

    @property
    def tmp(self) -> Path:
        return self.run / "tmp"

    @property
    def home(self) -> Path:
        return self.run / "app home"

    def make(self) -> Folders:
        for p in (self.run, self.tmp, self.home):
            p.mkdir(parents=True, exist_ok=True)
        return self


def environment(folders: Folders, runtime: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "TRACKER_DB"}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        TMPDIR=str(folders.tmp),
        XDG_DATA_HOME=str(folders.home / "data"),
        XDG_CONFIG_HOME=str(folders.home / "config"),
        XDG_STATE_HOME=str(folders.home / "state"),
        XDG_RUNTIME_DIR=str(runtime),  # Qt's, kept out of the temp folder it would default to
        PYTHONPATH=str(ROOT),
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def argv(folders: Folders, args: list[str]) -> list[str]:
    return [sys.executable, str(MAIN), "--db", str(folders.store), *args]


def start(folders: Folders, args: list[str], runtime: Path) -> subprocess.Popen[bytes]:
    """The command in a process group of its own, so a kill takes every process it started."""
    return subprocess.Popen(
        argv(folders, args),
        cwd=folders.run,
        env=environment(folders, runtime),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def run(folders: Folders, args: list[str], runtime: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv(folders, args),
        cwd=folders.run,
        env=environment(folders, runtime),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


class WriteWatch:
    """Signs of a command writing: a file appears or changes in its run folder (temp folder and
    app home included), or the store or its log grows. Opening the store makes its -wal, -shm and
    lock, which are no sign."""

    def __init__(self, folders: Folders):
        store = folders.store
        self.folder = folders.run
        self.store = store
        self.wal = store.with_name(store.name + "-wal")
        self.quiet = {self.wal, store.with_name(store.name + "-shm"), store.with_name(store.name + ".lock")}
        self.first = self.last = self.signature()

    def signature(self) -> object:
        files = frozenset((p, _size(p)) for p in _files(self.folder) if p not in self.quiet)
        return files, _size(self.wal)

    def seen(self) -> bool:
        """Something was written since the watch began."""
        return self.signature() != self.first

    def changed(self) -> bool:
        """Something was written since the last look."""
        now = self.signature()
        changed, self.last = now != self.last, now
        return changed


POLL = 0.01  # seconds between looks at a running command's folder


@dataclass(frozen=True)
class Timed:
    done: subprocess.CompletedProcess[str]
    duration: float
    writes_from: float | None  # seconds in, when it was first seen writing (None: never)
    writes_until: float | None  # seconds in, when it was last seen writing


def timed(folders: Folders, args: list[str], runtime: Path) -> Timed:
    """Run to completion, noting when it starts and stops writing."""
    watch = WriteWatch(folders)
    writes_from = writes_until = None
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        began = time.monotonic()
        proc = subprocess.Popen(
            argv(folders, args),
            cwd=folders.run,
            env=environment(folders, runtime),
            stdout=out,
            stderr=err,
            text=True,
        )
        while not _ended(proc, POLL):
            if watch.changed():
                writes_until = time.monotonic() - began
                writes_from = writes_until if writes_from is None else writes_from
            if time.monotonic() - began > TIMEOUT:
                proc.kill()
                raise subprocess.TimeoutExpired(args, TIMEOUT)
        duration = time.monotonic() - began
        out.seek(0)
        err.seek(0)
        done = subprocess.CompletedProcess(args, proc.returncode, out.read(), err.read())
    return Timed(done, duration, writes_from, writes_until)


@dataclass(frozen=True)
class Stopped:
    code: int | None  # None: killed
    at: float  # seconds after the start
    writing_at: float | None  # when it was seen writing, for a kill timed from then


def kill_after(proc: subprocess.Popen[bytes], delay: float, watch: WriteWatch | None) -> Stopped:
    """SIGKILL the command's process group ``delay`` seconds after it starts, or after it is seen
    writing when given a watch; unless it ends first."""
    began = time.monotonic()
    writing_at = None
    if watch is not None:
        while not watch.seen():
            if _ended(proc, POLL):
                return Stopped(proc.returncode, time.monotonic() - began, None)
            if time.monotonic() - began > TIMEOUT:
                break
        writing_at = time.monotonic() - began
    if _ended(proc, delay):
        return Stopped(proc.returncode, time.monotonic() - began, writing_at)
    with contextlib.suppress(ProcessLookupError):  # it ended between the wait and the kill
        os.killpg(proc.pid, signal.SIGKILL)
    at = time.monotonic() - began
    code = proc.wait()
    return Stopped(None if code == -signal.SIGKILL else code, at, writing_at)


def _ended(proc: subprocess.Popen[Any], wait: float) -> bool:
    try:
        proc.wait(timeout=wait)
    except subprocess.TimeoutExpired:
        return False
    return True


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if not p.is_dir()]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def last_line(done: subprocess.CompletedProcess[str]) -> str:
    lines = [ln for ln in (done.stderr + done.stdout).splitlines() if ln.strip()]
    return lines[-1].strip() if lines else "(no output)"
