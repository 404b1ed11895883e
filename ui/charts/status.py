"""Status colours with their words and letters, and the stacked bars the status charts share."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pyqtgraph as pg

from tracker.enums import Brag
from tracker.queries import NO_UPDATE, STATUS_KEYS
from ui.charts.base import Chart, Region
from ui.palette import Palette, mix, readable_on

# Letters where space is short (Grey and Green cannot share "G"); the legend gives the words.
LETTERS = {"red": "R", "amber": "A", "green": "G", "blue": "B", "grey": "Gy", NO_UPDATE: "NU"}


def status_name(key: str) -> str:
    return "No update" if key == NO_UPDATE else Brag(key).label


def status_fill(palette: Palette, key: str) -> str:
    if key == NO_UPDATE:
        return mix(palette.surfaces.surface, palette.surfaces.border, 0.45)
    return palette.brag_fill(key)


def legend_name(key: str) -> str:
    return f"{LETTERS[key]} · {status_name(key)}"


def stacked_bars(
    chart: Chart,
    categories: Sequence[Any],
    counts: Callable[[Any, str], int],
    *,
    keys: Sequence[str] = STATUS_KEYS,
    horizontal: bool,
    fill: Callable[[str], str],
    legend: Callable[[str], str],
    letter: Callable[[str], str],
    tip: Callable[[Any, str, int], str],
    target: Callable[[Any, str], tuple[str, dict[str, Any]]],
    width: float = 0.7,
    min_label: float = 0,
    count_only: float = 0,
) -> None:
    """One bar per category, one segment per key, each segment labelled with its letter and count.

    A segment under ``count_only`` is labelled with its count alone (its letter would not fit);
    one under ``min_label`` is not labelled (its tooltip and the chart's table still give it).
    """
    pal = chart.ctx.palette
    base = [0.0] * len(categories)
    for key in keys:
        values = [counts(c, key) for c in categories]
        if not any(values):
            continue
        where = list(range(len(categories)))
        colour = fill(key)
        pen = pg.mkPen(pal.surfaces.surface, width=1)
        if horizontal:
            item = pg.BarGraphItem(
                x0=base, y=where, width=values, height=width, brush=colour, pen=pen, name=legend(key)
            )
        else:
            item = pg.BarGraphItem(
                x=where, y0=base, height=values, width=width, brush=colour, pen=pen, name=legend(key)
            )
        chart.plot.addItem(item)
        ink = readable_on(colour)
        for i, (cat, n) in enumerate(zip(categories, values, strict=True)):
            if not n:
                continue
            lo, hi = base[i], base[i] + n
            nav, filters = target(cat, key)
            if horizontal:
                region = Region(lo, i - width / 2, hi, i + width / 2, tip(cat, key, n), nav, filters)
            else:
                region = Region(i - width / 2, lo, i + width / 2, hi, tip(cat, key, n), nav, filters)
            chart.add_region(region)
            cx, cy = region.centre
            if n >= min_label:
                text = f"{letter(key)} {n}" if n >= count_only else str(n)
                chart.add_label(text, cx, cy, colour=ink, bold=True, size=0.85)
            base[i] = hi
