"""What the board pack says, section by section, as blocks (no painting here).

Every figure comes from the queries (``dashboard_data`` and ``tracker.queries.pack``) and is shown by
the labels they give it; each breakdown is printed with its total, and every list is printed whole.
"""

from __future__ import annotations

from ui.boardpack.blocks import Section
from ui.boardpack.data import PackData, load_pack
from ui.boardpack.definitions import definitions, glossary
from ui.boardpack.items import exceptions, heat_map, milestones, recommendations, risks
from ui.boardpack.status import appendix, by_theme, movement, summary, trend
from ui.palette import Palette

__all__ = ["PackData", "load_pack", "sections"]


def sections(d: PackData, pal: Palette) -> list[Section]:
    return [summary(d), by_theme(d, pal), trend(d, pal), movement(d, pal), risks(d), heat_map(d, pal),
            milestones(d, pal), recommendations(d, pal), exceptions(d, pal), appendix(d, pal),
            definitions(d.dash, pal), glossary()]  # fmt: skip
