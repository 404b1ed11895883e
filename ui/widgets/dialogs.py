"""The questions a page asks: confirm a step (Cancel is the default), tell the person something, and
make sure a file chosen to save over is one the person agreed to replace."""

from __future__ import annotations

from pathlib import Path

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
