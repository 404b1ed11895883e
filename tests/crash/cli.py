"""Running the command line on a run's folder, as a user would: its own temp folder and home."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

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


def last_line(done: subprocess.CompletedProcess[str]) -> str:
    lines = [ln for ln in (done.stderr + done.stdout).splitlines() if ln.strip()]
    return lines[-1].strip() if lines else "(no output)"
