"""Files the app writes outside the store, written whole or not at all.

A file is written under a temporary name in its destination folder (``.NAME.partial``, hidden, and
recognisable so that a later run to the same name removes what a killed one left), checked, flushed
to disk and renamed over its final name in one step (``os.replace``), so no reader ever sees a
half-written file under the final name. An existing file is replaced only when the caller says so.
A failure removes the temporary file and is reported in one line as an :class:`OutputError`.

Several files that belong together (a period's returns) are each made :class:`Pending` first, then
renamed together once every one is written and checked.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

from tracker.db import StoreError

Check = Callable[[Path], None]  # raises when the written file is not whole

PARTIAL = ".partial"


class OutputError(StoreError):
    """A file could not be written; nothing was left under its name or beside it."""


def partial_path(final: Path) -> Path:
    """The temporary name a file is written under before it is renamed into place."""
    return final.with_name(f".{final.name}{PARTIAL}")


def scratch_path(final: Path) -> Path:
    """A new, empty scratch file beside ``final`` (removed with the file's leftovers)."""
    for _ in range(100):
        path = final.with_name(f".{final.name}.{secrets.token_hex(4)}{PARTIAL}")
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            continue
        return path
    raise OutputError(f"could not make a temporary file beside {final}")


def remove_leftovers(final: Path) -> list[Path]:
    """Remove the temporary files an earlier, interrupted write of ``final`` left beside it."""
    removed = []
    name = final.name
    for path in final.parent.glob(f".*{PARTIAL}"):
        inner = path.name[1 : -len(PARTIAL)]  # NAME, or NAME.xxxxxxxx for a scratch file
        if inner == name or (inner.startswith(name + ".") and len(inner) == len(name) + 9):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed.append(path)
    return removed


def check_destination(final: Path, *, replace: bool, what: str = "") -> None:
    """Refuse, in one line, a destination that cannot take the file or holds one not to be replaced."""
    what = what or final.name
    if final.is_dir():
        raise OutputError(f"{final} is a folder; give a file name for the {what}")
    if final.exists() and not replace:
        raise OutputError(f"{final} already exists; choose a new file name, or add --force to replace it")
    if final.exists() and not final.is_file():
        raise OutputError(f"{final} is not a file; choose another name for the {what}")
    if not final.parent.is_dir():
        raise OutputError(f"the folder {final.parent} does not exist; make it first or choose another")


def why(exc: OSError) -> str:
    """An operating system error in words (a full disk says so)."""
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "permission denied (the folder is read-only or belongs to someone else)"
    return exc.strerror or str(exc)


class Pending:
    """A file being written under its temporary name, to be renamed into place by :meth:`finish`."""

    def __init__(self, final: str | os.PathLike[str], *, replace: bool = False, what: str = "") -> None:
        self.final = Path(final)
        self.replace = replace
        self.what = what or self.final.name
        check_destination(self.final, replace=replace, what=self.what)
        remove_leftovers(self.final)
        self.replaced = self.final.exists()  # whether finishing replaces a file that was there
        self.finished = False
        self.temp = partial_path(self.final)
        try:
            os.close(os.open(self.temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
        except OSError as exc:
            raise OutputError(f"could not write {self.final}: {why(exc)}") from None

    @contextlib.contextmanager
    def writing(self) -> Iterator[Path]:
        """Give the temporary path; an ``OSError`` while writing comes out as a one-line :class:`OutputError`."""
        try:
            yield self.temp
        except OSError as exc:
            raise OutputError(f"could not write {self.final}: {why(exc)}") from None

    def check(self, check: Check | None = None) -> None:
        """Check the written file (``check`` raises when it is not whole) and flush it to disk."""
        try:
            if check is not None:
                check(self.temp)
            with open(self.temp, "rb+") as f:
                os.fsync(f.fileno())
        except OSError as exc:
            raise OutputError(f"could not write {self.final}: {why(exc)}") from None
        except Exception as exc:
            raise OutputError(f"{self.final.name} was not written whole ({exc}); nothing was saved") from None

    def finish(self) -> Path:
        """Rename the checked file over its final name; the folder entry is flushed too."""
        if not self.replace and self.final.exists():
            raise OutputError(f"{self.final} appeared while it was being written; nothing was replaced")
        try:
            os.replace(self.temp, self.final)
        except OSError as exc:
            raise OutputError(f"could not write {self.final}: {why(exc)}") from None
        self.finished = True
        _sync_folder(self.final.parent)
        return self.final

    def discard(self) -> None:
        """Remove the temporary file and any scratch files beside it."""
        self.temp.unlink(missing_ok=True)
        remove_leftovers(self.final)


@contextlib.contextmanager
def written(
    final: str | os.PathLike[str], *, replace: bool = False, check: Check | None = None, what: str = ""
) -> Iterator[Path]:
    """Give the temporary path to write ``final`` to; on leaving, check it and rename it into place.

    An error inside the block (or in the check) removes the temporary file; an ``OSError`` comes out
    as a one-line :class:`OutputError`.
    """
    pending = Pending(final, replace=replace, what=what)
    try:
        with pending.writing() as temp:
            yield temp
        pending.check(check)
        pending.finish()
    except BaseException:
        pending.discard()
        raise


def _sync_folder(folder: Path) -> None:
    """Flush a rename to disk where the system allows opening a folder (not Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
