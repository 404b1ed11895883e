"""Only one process writes a SQLite file at a time: an OS lock on ``<file>.lock`` while it is open.

The lock is released by the operating system when the process ends, so a crash never leaves a
stale lock behind. The file holds who took it, for the message the second opener sees.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
import sys
from datetime import UTC, datetime
from pathlib import Path

from tracker.db import StoreError

# sys.platform (not os.name) so that mypy checks only the branch of the platform it runs on.
if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            return False

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


class DatabaseLocked(StoreError):
    def __init__(self, path: Path, holder: dict[str, str]):
        self.path = path
        self.holder = holder
        who = holder.get("user", "someone")
        where = holder.get("host", "another computer")
        since = holder.get("since", "")
        pid = holder.get("pid", "?")
        super().__init__(
            f"{path.name} is open for editing by {who} on {where} (process {pid}"
            + (f", since {since} UTC" if since else "")
            + "). Close it there first, or open it read-only."
        )


class WriteLock:
    """An exclusive lock on ``<database>.lock``. Use as a context manager or call release()."""

    def __init__(self, db_path: Path):
        self.path = db_path.with_name(db_path.name + ".lock")
        self._fd: int | None = None

    def acquire(self) -> WriteLock:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        if not _try_lock(fd):
            holder = _read_holder(fd)
            os.close(fd)
            raise DatabaseLocked(self.path.with_name(self.path.name[: -len(".lock")]), holder)
        info = {
            "pid": str(os.getpid()),
            "user": _user(),
            "host": socket.gethostname(),
            "since": datetime.now(UTC).strftime("%Y-%m-%d %H:%M"),
        }
        data = json.dumps(info).encode()
        # Byte 0 carries the Windows lock, so the record lives after it and is padded over old text.
        os.lseek(fd, 1, os.SEEK_SET)
        os.write(fd, data + b" " * 64)
        os.fsync(fd)
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            _unlock(fd)
        finally:
            os.close(fd)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> WriteLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def _read_holder(fd: int) -> dict[str, str]:
    try:
        os.lseek(fd, 1, os.SEEK_SET)
        raw = os.read(fd, 4096).decode("utf-8", "replace").strip()
        value = json.loads(raw) if raw else {}
        return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}
    except (OSError, ValueError):
        return {}


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # getpass raises several types when no user name can be found
        return "unknown user"
