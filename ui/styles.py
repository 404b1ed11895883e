"""The app's stylesheet: resources/styles/*.qss partials joined in order and filled from the palette."""

from __future__ import annotations

import re

from tracker import resources
from ui.palette import Palette

PARTS = ("base.qss",)
_FIELD = re.compile(r"\{\{\s*(\w+)\s*\}\}")


def stylesheet(palette: Palette) -> str:
    values = palette.values()
    text = "\n".join(resources.read_text("styles", part) for part in PARTS)
    return _FIELD.sub(lambda m: values[m.group(1)], text)
