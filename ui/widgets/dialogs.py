"""The questions a page asks: confirm a step (Cancel is the default), tell the person something, and
make sure a file chosen to save over is one the person agreed to replace."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QMessageBox, QWidget


def confirm(parent: QWidget | None, title: str, text: str, yes: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.Cancel, parent)
    ok = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is ok


def tell(parent: QWidget, title: str, text: str, *, warning: bool = True) -> None:
    icon = QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Information
    QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent).exec()


def save_target(parent: QWidget | None, title: str, name: str, suffix: str) -> Path | None:
    """The file to save ``name`` as, given ``suffix`` when it lacks it; None if that adds up to an
    existing file the person does not agree to replace (the save dialog asked only about ``name``)."""
    if name.lower().endswith(suffix):
        return Path(name)
    target = Path(name + suffix)
    if target.exists() and not confirm(
        parent, title, f"{target.name} already exists in {target.parent}. Replace it?", "Replace"
    ):
        return None
    return target


def file_part(name: str) -> str:
    """A period's name as part of a file name: "2023/24 Q4" becomes "2023-24 Q4"."""
    return re.sub(r"[^A-Za-z0-9 _-]+", "-", name).strip(" -")


def start_in(settings: Any, kind: str, file_name: str = "") -> str:
    """Where a file dialog opens: the folder last used for ``kind`` (else the home folder), with
    ``file_name`` (which names the period) suggested in it."""
    folder = (settings.last_folder(kind) if settings is not None else None) or Path.home()
    return str(folder / file_name) if file_name else str(folder)


def used_folder(settings: Any, kind: str, path: str | Path) -> None:
    """Remember the folder of ``path`` (or ``path`` itself, a folder) for the next dialog of ``kind``."""
    if settings is None:
        return
    chosen = Path(path)
    settings.remember_folder(kind, chosen if chosen.is_dir() else chosen.parent)
