"""Saving a workbook whole: openpyxl's sheet files beside it, the saved file read back before it counts.

openpyxl's write-only mode streams each sheet to a temporary file made with :mod:`tempfile`, in the
system's temporary folder, and removes it only when the workbook is saved (or at a clean exit): a
killed export left 20 MB there. While :func:`sheets_beside` is in force, this thread's sheet files are
made beside the destination instead, under names :func:`tracker.outputs.remove_leftovers` knows, and
removed on leaving whatever happened. openpyxl has no option for this; it calls its module's
``create_temporary_file`` for every sheet, which is replaced once with one that asks a context variable.
"""

from __future__ import annotations

import contextlib
import zipfile
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet import _writer

from tracker.outputs import scratch_path

_BESIDE: ContextVar[tuple[Path, list[Path]] | None] = ContextVar("sheets_beside", default=None)
_system_temporary_file = _writer.create_temporary_file


def _temporary_file(suffix: str = "") -> str:
    beside = _BESIDE.get()
    if beside is None:
        return _system_temporary_file(suffix)
    final, made = beside
    path = scratch_path(final)
    made.append(path)
    _writer.ALL_TEMP_FILES.append(str(path))  # openpyxl's cleanup removes it from this list
    return str(path)


_writer.create_temporary_file = _temporary_file


@contextlib.contextmanager
def sheets_beside(final: Path) -> Iterator[None]:
    """Stream this thread's write-only sheets to scratch files beside ``final``; remove them on leaving."""
    made: list[Path] = []
    token = _BESIDE.set((final, made))
    try:
        yield
    finally:
        _BESIDE.reset(token)
        for path in made:
            path.unlink(missing_ok=True)
            with contextlib.suppress(ValueError):
                _writer.ALL_TEMP_FILES.remove(str(path))


@contextlib.contextmanager
def streaming(wb: Any) -> Iterator[Any]:
    """Give a write-only workbook; if writing it fails, stop its sheet streams at once, quietly (left
    to the garbage collector, each prints an "Exception ignored" traceback from lxml)."""
    try:
        yield wb
    except BaseException:
        _stop_streams(wb)
        raise


def _stop_streams(wb: Any) -> None:
    for ws in wb.worksheets:
        for stream in (getattr(ws, "_rows", None), getattr(getattr(ws, "_writer", None), "xf", None)):
            if stream is not None:
                with contextlib.suppress(Exception):
                    stream.close()


def check_workbook(path: Path) -> None:
    """Raise unless ``path`` is a whole workbook: every part of the zip intact, and openpyxl reads it."""
    with zipfile.ZipFile(path) as z:
        bad = z.testzip()
        if bad is not None:
            raise ValueError(f"its part {bad} is damaged")
    with open(path, "rb") as f:  # a file object: openpyxl judges a name by its suffix (".partial")
        wb = load_workbook(f, read_only=True)
        try:
            if not wb.sheetnames:
                raise ValueError("it has no sheets")
        finally:
            wb.close()
