"""Flowing a pack's sections onto pages: every block measured, tables continued with their header.

Nothing is cut: a paragraph continues on the next page, a table repeats its header row where it
continues, a group of rows (one objective's block) moves whole to the next page when it fits there,
and a row taller than a page is split between its lines.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ui.boardpack.blocks import (
    BODY,
    HEADING,
    SUBTITLE,
    TITLE,
    Block,
    Chart,
    Chip,
    Heading,
    Para,
    Row,
    Section,
    Style,
    Table,
)
from ui.boardpack.text import Typesetter

PAD_X, PAD_Y = 4.0, 2.5  # inside a table cell
SWATCH = 9.0  # a chip's colour square
GAP = 10.0  # between blocks
HEADER_FILL = "#f3f2f1"
SHADE_FILL = "#f8f8f8"
RULE = "#b1b4b6"
KEEP_UNDER = 0.25  # a block that does not fit moves to the next page only when less than this share is left


class TextOp(NamedTuple):
    x: float
    y: float  # baseline
    text: str
    style: Style


class FillOp(NamedTuple):
    x: float
    y: float
    w: float
    h: float
    colour: str


class RuleOp(NamedTuple):
    x1: float
    y1: float
    x2: float
    y2: float


class PictureOp(NamedTuple):
    x: float
    y: float
    w: float
    h: float
    draw: Callable[[Any, Any], None]


Op = TextOp | FillOp | RuleOp | PictureOp


@dataclass
class Page:
    section: str
    ops: list[Op] = field(default_factory=list)


@dataclass(frozen=True)
class Mark:
    """A bookmark: a section (level 1) or a heading within one (level 2), where it starts."""

    title: str
    level: int
    page: int  # index into the laid-out pages
    y: float


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def bottom(self) -> float:
        return self.y + self.h


class _Prepared(NamedTuple):
    lines: list[list[str]]  # per cell
    starts: list[list[int]]  # per cell: the lines that begin a paragraph (where a split reads best)
    chips: list[str | None]  # per cell: the swatch colour, if any
    style: Style
    fill: str | None
    height: float


class Flow:
    """Lays sections out on pages of ``body``; ``pages`` and ``marks`` are the result."""

    def __init__(self, ts: Typesetter, body: Box) -> None:
        self.ts = ts
        self.body = body
        self.pages: list[Page] = []
        self.marks: list[Mark] = []
        self.y = body.y
        self._section = ""

    # ------------------------------------------------------------------------------------------ pages

    @property
    def page(self) -> Page:
        return self.pages[-1]

    @property
    def room(self) -> float:
        return self.body.bottom - self.y

    def _new_page(self, continued: bool) -> None:
        self.pages.append(Page(self._section))
        self.y = self.body.y
        if continued:
            self._lines([f"{self._section} (continued)"], HEADING)
            self.y += 4

    def section(self, s: Section) -> None:
        self._section = s.title
        self._new_page(continued=False)
        self.marks.append(Mark(s.title, 1, len(self.pages) - 1, self.y))
        self._lines(self.ts.wrap(s.title, TITLE, self.body.w), TITLE)
        if s.subtitle:
            self._lines(self.ts.wrap(s.subtitle, SUBTITLE, self.body.w), SUBTITLE)
        self.y += GAP
        for block in s.blocks:
            self.block(block)

    def block(self, b: Block) -> None:
        if isinstance(b, Para):
            self._para(b)
        elif isinstance(b, Heading):
            self._heading(b)
        elif isinstance(b, Table):
            self._table(b)
        else:
            self._chart(b)

    # ------------------------------------------------------------------------------------------ text

    def _lines(self, lines: list[str], style: Style, x: float | None = None) -> None:
        """Lines one under another, continuing on a new page when the page is full."""
        lh, ascent = self.ts.line_height(style), self.ts.ascent(style)
        for line in lines:
            if lh > self.room:
                self._new_page(continued=True)
            if line:
                self.page.ops.append(TextOp(self.body.x if x is None else x, self.y + ascent, line, style))
            self.y += lh

    def _para(self, p: Para) -> None:
        if p.hanging and " " in p.text:
            mark, text = p.text.split(" ", 1)
            indent = self.ts.width(mark + " ", p.style)
            lines = self.ts.wrap(text, p.style, self.body.w - indent)
            if self.ts.line_height(p.style) > self.room:
                self._new_page(continued=True)
            self.page.ops.append(TextOp(self.body.x, self.y + self.ts.ascent(p.style), mark, p.style))
            self._lines(lines, p.style, x=self.body.x + indent)
        else:
            self._lines(self.ts.wrap(p.text, p.style, self.body.w), p.style)
        self.y += p.after

    def _heading(self, h: Heading) -> None:
        lines = self.ts.wrap(h.text, HEADING, self.body.w)
        need = len(lines) * self.ts.line_height(HEADING) + 4 * self.ts.line_height(BODY) + 2 * PAD_Y
        if need > self.room:
            self._new_page(continued=True)
        if h.bookmark:
            self.marks.append(Mark(h.text, 2, len(self.pages) - 1, self.y))
        self.y += 2
        self._lines(lines, HEADING)
        self.y += 4

    # ------------------------------------------------------------------------------------------ charts

    def _chart(self, c: Chart) -> None:
        height = min(c.height, self.body.h - 40)
        if height > self.room:
            self._new_page(continued=True)
        self.page.ops.append(PictureOp(self.body.x, self.y, self.body.w, height, c.draw))
        self.y += height + 4
        if c.says:
            self._para(Para(c.says, Style(8.0), after=GAP))
        else:
            self.y += GAP

    # ------------------------------------------------------------------------------------------ tables

    def _widths(self, t: Table) -> list[float]:
        """The columns' shares of the table's width, widened where a word would not fit whole (a
        header's words, or the longest word in a column) at the expense of columns with room to spare."""
        width = self.body.w * t.width
        total = sum(c.share for c in t.columns)
        widths = [width * c.share / total for c in t.columns]
        bold = Style(t.style.size, bold=True)
        need = []
        for i, c in enumerate(t.columns):
            cells = [r.cells[i] for r in t.rows]
            longest = max((w for cell in cells for w in _text_of(cell).split()), key=len, default="")
            chip = SWATCH + 4 if any(isinstance(cell, Chip) for cell in cells) else 0
            word = max(
                self.ts.width(longest, t.style) + chip, *(self.ts.width(w, bold) for w in c.header.split())
            )
            need.append(min(word + 2 * PAD_X + 1, width * 0.4))
        short = sum(max(0.0, n - w) for n, w in zip(need, widths, strict=True))
        spare = [max(0.0, w - n) for n, w in zip(need, widths, strict=True)]
        if short and sum(spare) >= short:
            widths = [max(w, n) - short * s / sum(spare) for n, w, s in zip(need, widths, spare, strict=True)]
        return widths

    def _prepare(
        self, cells: tuple[Any, ...], widths: list[float], style: Style, fill: str | None
    ) -> _Prepared:
        lines, starts, chips = [], [], []
        for cell, w in zip(cells, widths, strict=True):
            inner = w - 2 * PAD_X
            chip = isinstance(cell, Chip)
            text = _text_of(cell)
            mine: list[str] = []
            begins = []
            for para in text.strip().split("\n") if text else [""]:
                begins.append(len(mine))
                mine += self.ts.wrap(para, style, inner - SWATCH - 4 if chip else inner) if para else [""]
            lines.append(mine)
            starts.append(begins)
            chips.append(cell.fill if isinstance(cell, Chip) else None)
        n = max(len(x) for x in lines)
        return _Prepared(lines, starts, chips, style, fill, n * self.ts.line_height(style) + 2 * PAD_Y)

    def _table(self, t: Table) -> None:
        widths = self._widths(t)
        bold = Style(t.style.size, bold=True)
        header = self._prepare(tuple(c.header for c in t.columns), widths, bold, HEADER_FILL)
        lh = self.ts.line_height(t.style)
        continued_top = self.ts.line_height(HEADING) + 4
        capacity = self.body.h - continued_top - header.height  # rows on a page of their own
        rights = [c.right for c in t.columns]

        def head() -> None:
            if header.height + lh + 2 * PAD_Y > self.room:
                self._new_page(continued=True)
            self._row(header, widths, rights)

        head()
        placed = 0  # rows under the current header
        for group in t.groups:
            rows = [self._prepare(r.cells, widths, _style(t.style, r), _fill(r)) for r in group]
            height = sum(r.height for r in rows)
            # A group that does not fit moves whole to the next page if it fits there, unless that would
            # leave much of this page empty: then it continues on the next page instead.
            keep = placed and height > self.room and height <= capacity and self.room < KEEP_UNDER * capacity
            if keep:
                self._new_page(continued=True)
                head()
                placed = 0
            for row in rows:
                while row is not None:
                    if row.height <= self.room:
                        self._row(row, widths, rights)
                        placed += 1
                        row = None
                        continue
                    n = math.floor((self.room - 2 * PAD_Y) / lh)
                    if n < 1 or (placed and row.height <= capacity and self.room < KEEP_UNDER * capacity):
                        self._new_page(continued=True)
                        head()
                        placed = 0
                        continue
                    first, row = _split(row, n, lh)  # taller than the room left: split between its lines
                    self._row(first, widths, rights)
                    self._new_page(continued=True)
                    head()
                    placed = 0
        self.y += GAP

    def _row(self, row: _Prepared, widths: list[float], rights: list[bool]) -> None:
        ops = self.page.ops
        x0, y0, total = self.body.x, self.y, sum(widths)
        if row.fill:
            ops.append(FillOp(x0, y0, total, row.height, row.fill))
        ascent, lh = self.ts.ascent(row.style), self.ts.line_height(row.style)
        x = x0
        for lines, chip, w, right in zip(row.lines, row.chips, widths, rights, strict=True):
            tx = x + PAD_X
            if chip is not None:
                ops.append(FillOp(tx, y0 + PAD_Y + (lh - SWATCH) / 2, SWATCH, SWATCH, chip))
                tx += SWATCH + 4
            for i, line in enumerate(lines):
                if not line:
                    continue
                lx = x + w - PAD_X - self.ts.width(line, row.style) if right else tx
                ops.append(TextOp(lx, y0 + PAD_Y + i * lh + ascent, line, row.style))
            ops.append(RuleOp(x, y0, x, y0 + row.height))
            x += w
        ops.append(RuleOp(x, y0, x, y0 + row.height))
        ops.append(RuleOp(x0, y0, x, y0))
        ops.append(RuleOp(x0, y0 + row.height, x, y0 + row.height))
        self.y += row.height


def _text_of(cell: Any) -> str:
    return cell.text if isinstance(cell, Chip) else str(cell)


def _style(base: Style, row: Row) -> Style:
    return Style(base.size, bold=True) if row.bold else base


def _fill(row: Row) -> str | None:
    return SHADE_FILL if row.shade or row.bold else None


def _split(row: _Prepared, n: int, lh: float) -> tuple[_Prepared, _Prepared]:
    """At most ``n`` lines of each cell, and the rest: where it can, the split falls between two
    paragraphs of the tallest cell (one reason in an exception's list is not cut in two)."""
    tallest = max(range(len(row.lines)), key=lambda i: len(row.lines[i]))
    between = [k for k in row.starts[tallest] if n / 2 <= k <= n]
    n = max(between) if between else n
    first = [lines[:n] for lines in row.lines]
    rest = [lines[n:] or [""] for lines in row.lines]
    rest_starts = [[k - n for k in ks if k > n] for ks in row.starts]
    m = max(len(x) for x in rest)
    return (
        row._replace(lines=first, height=n * lh + 2 * PAD_Y),
        row._replace(
            lines=rest, starts=rest_starts, chips=[None] * len(row.chips), height=m * lh + 2 * PAD_Y
        ),
    )
