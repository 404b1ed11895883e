"""What a board pack page is made of, as plain values: sections of headings, paragraphs, tables and charts.

The content (``content.py``) says what the pack says in these terms; the layout (``layout.py``) measures
them and flows them onto pages. Nothing here paints, so a test can check what the pack says (that
every breakdown adds up, that nothing is left out) without reading a PDF.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

MIN_POINT_SIZE = 8.0  # nothing in print is smaller (checked on the output by a test)


@dataclass(frozen=True)
class Style:
    size: float = 9.0  # points
    bold: bool = False
    colour: str = ""  # "" is the text colour

    def __post_init__(self) -> None:
        if self.size < MIN_POINT_SIZE:
            raise ValueError(
                f"{self.size} pt is smaller than the {MIN_POINT_SIZE:g} pt a printed page allows"
            )


BODY = Style(9.0)
SMALL = Style(8.0)
BOLD = Style(9.0, bold=True)
TITLE = Style(16.0, bold=True)
SUBTITLE = Style(9.5)
HEADING = Style(11.5, bold=True)


@dataclass(frozen=True)
class Chip:
    """A status in a table: its word, with a swatch of its colour before it (never the colour alone)."""

    text: str
    fill: str


Cell = str | Chip


@dataclass(frozen=True)
class Column:
    header: str
    share: float  # of the table's width; a table's shares are scaled to add up to one
    right: bool = False  # numbers are right-aligned


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    bold: bool = False  # a total row
    shade: bool = False


@dataclass(frozen=True)
class Table:
    """Rows under a header that is repeated on every page the table continues on.

    A group (one objective's block, say) is kept on one page when it fits on one; a row taller than a
    page is split between its lines, never cut.
    """

    columns: tuple[Column, ...]
    groups: tuple[tuple[Row, ...], ...]
    style: Style = BODY
    width: float = 1.0  # of the page's width

    @classmethod
    def of(
        cls, columns: tuple[Column, ...], rows: list[Row] | tuple[Row, ...], *, width: float = 1.0
    ) -> Table:
        """One row per group."""
        return cls(columns, tuple((r,) for r in rows), width=width)

    @property
    def rows(self) -> list[Row]:
        return [r for g in self.groups for r in g]

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row.cells) != len(self.columns):
                raise ValueError(f"a row of {len(row.cells)} cells in a table of {len(self.columns)} columns")


@dataclass(frozen=True)
class Para:
    text: str
    style: Style = BODY
    after: float = 6.0  # space below, in page units
    hanging: bool = False  # an item of a list: its lines after the first align after its mark ("• ", "2. ")


@dataclass(frozen=True)
class Heading:
    """A sub-heading, kept with what follows it and bookmarked under its section."""

    text: str
    bookmark: bool = True


@dataclass(frozen=True)
class Chart:
    """A picture drawn by ``draw(painter, rect)``; ``says`` is the sentence a reader (or a screen reader
    of the table beside it) needs to know what it shows."""

    draw: Callable[[Any, Any], None]
    height: float
    says: str = ""


Block = Para | Heading | Table | Chart


@dataclass(frozen=True)
class Section:
    title: str
    subtitle: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]
