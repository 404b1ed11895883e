"""An unticked box can be seen on the dark theme (its edge stood out by a few shades only)."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QCheckBox

from ui.palette import make_palette
from ui.styles import stylesheet


def test_an_unticked_box_stands_out_from_the_dark_window(qapp, qtbot) -> None:  # type: ignore[no-untyped-def]
    palette = make_palette(dark=True)
    app = QApplication.instance()
    old_style, old_sheet, old_palette = app.style().name(), app.styleSheet(), app.palette()
    app.setStyle("Fusion")
    app.setPalette(palette.qpalette())
    app.setStyleSheet(stylesheet(palette))
    try:
        box = QCheckBox("Also hand over closed items")
        qtbot.addWidget(box)
        box.show()
        image = box.grab().toImage()
        window = QColor(palette.surfaces.window).lightness()
        brightest = max(image.pixelColor(x, y).lightness() for x in range(18) for y in range(image.height()))
        assert brightest - window > 80, (brightest, window)
    finally:
        app.setStyleSheet(old_sheet)
        app.setPalette(old_palette)
        app.setStyle(old_style)
