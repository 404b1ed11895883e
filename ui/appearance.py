"""The app's look: light, dark or the system's scheme, and the colour-blind-safe status colours."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from ui.palette import Palette, make_palette
from ui.settings import AppSettings
from ui.styles import stylesheet


class Appearance(QObject):
    """Applies the chosen palette to the application and says when it changes."""

    palette_changed = Signal(object)  # Palette

    def __init__(self, settings: AppSettings, parent: QObject | None = None):
        super().__init__(parent)
        self.settings = settings
        self.palette = self._compute()
        hints = QGuiApplication.styleHints()
        hints.colorSchemeChanged.connect(self._on_system_scheme_changed)

    @property
    def theme(self) -> str:
        return self.settings.theme

    def set_theme(self, theme: str) -> None:
        self.settings.theme = theme
        self.apply()

    def set_colour_blind(self, on: bool) -> None:
        self.settings.colour_blind = on
        self.apply()

    def _compute(self) -> Palette:
        theme = self.settings.theme
        if theme == "system":
            dark = QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark
        else:
            dark = theme == "dark"
        return make_palette(dark=dark, colour_blind=self.settings.colour_blind)

    def apply(self) -> Palette:
        self.palette = self._compute()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setStyle("Fusion")  # the one style that honours the palette on every platform
            app.setPalette(self.palette.qpalette())
            app.setStyleSheet(stylesheet(self.palette))
        self.palette_changed.emit(self.palette)
        return self.palette

    def _on_system_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self.settings.theme == "system":
            self.apply()
