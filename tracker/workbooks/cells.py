"""Writing export cells and sheets safely, in openpyxl's normal or write-only mode.

What every export gets from here (docs/ARCHITECTURE.md "Rules we keep", docs/PITFALLS.md "openpyxl"):

- Text never becomes a formula. Text starting with ``= + - @``, tab or carriage return is written as a
  string cell with Excel's quote prefix, so neither Excel nor LibreOffice evaluates it, and it stays
  text when someone edits the cell (OWASP "CSV injection", CWE-1236).
- Characters a workbook cannot hold (control characters, lone surrogates, U+FFFE/U+FFFF) become
  U+FFFD "�", visibly, instead of openpyxl raising ``IllegalCharacterError`` half-way through a save.
- Text is never cut. openpyxl silently keeps only the first 32,767 characters of a cell; here
  :func:`safe_value` refuses such text (:class:`TextTooLong`) and :class:`LongTextSheet` continues it on
  a "Long text" sheet: the cell keeps the beginning and ends with a note saying which rows hold the rest.
- Every sheet carries the protective marking in its header and footer, with "Page x of y"; the
  document properties carry it too (:func:`mark_workbook` does both for every sheet).

How to write a sheet (the same code works in both modes; in write-only mode column widths and
:func:`print_setup` must come before the first row, because openpyxl streams the sheet's start)::

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(valid_sheet_title("Status 2021/22 Q1", wb.sheetnames))
    column_widths(ws, [12, 60, 10])
    print_setup(ws, header_rows=1, last_row=len(rows) + 1, last_column=3)
    overflow = LongTextSheet(wb)
    ws.append(safe_row(ws, ["Reference", "Commentary", "RAG"], font=Font(bold=True)))
    for r, row in enumerate(rows, start=2):
        commentary = overflow.fit(row.commentary, ws.title, f"B{r}")
        ws.row_dimensions[r].height = wrapped_height(commentary, 60)   # write-only: before the row
        ws.append(safe_row(ws, [row.ref, commentary, row.rag], alignment=Alignment(wrap_text=True)))
    mark_workbook(wb, plan.marking, plan.caveat, title="Status 2021/22 Q1", author=actor.name)
    wb.save(path)

In normal mode, :func:`write_value` fills a cell at a given coordinate with the same protection.
Drop-down lists go on a hidden sheet (:func:`hidden_lists_sheet`, :func:`add_list_validation`): an inline
list over 255 characters makes Excel "repair" the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from copy import copy
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import zip_longest
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.datavalidation import DataValidation

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_TEXT = 32_767  # Excel's limit, in UTF-16 code units
_SURELY_FITS = MAX_CELL_TEXT // 2  # a UTF-16 length is at most twice the length
MAX_HEADER_FOOTER = 255  # Excel's limit for each header or footer, codes included
MAX_SHEET_TITLE = 31
TITLE_IN_HEADER = 50
HEADER_LINE_CHARS = 130  # characters across landscape A4 in the default 10-point header font
RESERVED_SHEET_TITLES = frozenset({"history"})  # Excel keeps "History" for change tracking
REPLACEMENT = "\ufffd"
PAPER_A4 = 9
PAPER_A3 = 8
MAX_ROW_HEIGHT = 409.0  # points, Excel's limit
TEXT_WIDTH = 120  # the "Long text" sheet's text column, in characters

# XML 1.0 cannot carry these; openpyxl raises on the first range, lxml on the rest.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TITLE_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")
_PLAIN_TYPES = (bool, int, float, Decimal, date, time, timedelta)


class TextTooLong(ValueError):
    """Text longer than one cell can hold; continue it with :class:`LongTextSheet`."""


# ------------------------------------------------------------------------------------------ values


def utf16_len(text: str) -> int:
    """Length as Excel counts it: characters outside the Basic Multilingual Plane count twice."""
    return len(text.encode("utf-16-le")) // 2


def clean_text(text: str) -> str:
    """The text with every character a workbook cannot hold replaced by U+FFFD."""
    return _UNWRITABLE.sub(REPLACEMENT, text)


def looks_like_formula(text: str) -> bool:
    """True for text a spreadsheet would take as a formula if typed or pasted."""
    return text.startswith(FORMULA_PREFIXES)


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, _PLAIN_TYPES) and not isinstance(value, datetime):
        return value
    if isinstance(value, datetime):
        # Excel has no time zones; an aware time is shown as the computer's local time.
        return value.astimezone().replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, str):
        text = clean_text(str(value))  # str() turns a StrEnum into a plain string
        # A UTF-16 length is at most twice the length, so short text needs no encoding to measure.
        if len(text) * 2 > MAX_CELL_TEXT and utf16_len(text) > MAX_CELL_TEXT:
            raise TextTooLong(
                f"a text of {utf16_len(text):,} characters is over Excel's limit of {MAX_CELL_TEXT:,} "
                "for one cell; continue it with LongTextSheet.fit instead of cutting it"
            )
        return text
    raise TypeError(f"a {type(value).__name__} cannot be written to a cell")


def _protect(cell: Cell) -> Cell:
    if isinstance(cell.value, str) and looks_like_formula(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def safe_value(ws: Any, value: Any, **style: Any) -> Any:
    """What to pass to ``ws.append`` for ``value`` so text never becomes a formula; both modes.

    Returns the cleaned value itself, or a cell of ``ws`` when the text needs protecting or a
    style is given (``font``, ``fill``, ``border``, ``alignment``, ``number_format``, ``protection``).
    Raises :class:`TextTooLong` rather than cut text.
    """
    value = _plain(value)
    if not style and not (isinstance(value, str) and looks_like_formula(value)):
        return value
    # A cell with no worksheet breaks openpyxl's write-only append, so it always belongs to ws.
    cell = WriteOnlyCell(ws, value=value)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return _protect(cell)


def cell_style(ws: Any, **style: Any) -> StyleArray:
    """A style prepared once for many cells of ``ws``'s workbook, for :func:`styled_value`.

    Takes the same keywords as :func:`safe_value`. Setting a style by keyword looks each part up in
    the workbook's style tables; copying a prepared one is a few integers, which is what keeps a
    100,000-row styled sheet close to the speed of an unstyled one.
    """
    cell = WriteOnlyCell(ws)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell._style


def styled_value(ws: Any, value: Any, style: StyleArray) -> Any:
    """:func:`safe_value` with a style from :func:`cell_style`; None stays None (an empty cell)."""
    value = _plain(value)
    if value is None:
        return None
    cell = WriteOnlyCell(ws, value=value)
    cell._style = copy(style)
    return _protect(cell)


class RowWriter:
    """Appends styled rows to a write-only sheet fast: one reused cell per column, styles prepared once.

    openpyxl's own path makes a new cell object per styled value and finds it by catching an
    exception; with every cell styled that doubles the time of a large sheet. Here each row's
    cells are handed to the sheet's streaming writer directly (it writes each cell before asking
    for the next, so one cell per column can be reused). Values get the same protection as
    :func:`safe_value`: cleaned, never cut, and text is always text (a formula look-alike gets the
    quote prefix). ``styles`` come from :func:`cell_style`, one per column.
    """

    def __init__(self, ws: Any, styles: Sequence[StyleArray]):
        if not isinstance(ws, WriteOnlyWorksheet):
            raise TypeError("RowWriter writes write-only sheets; use safe_row for a normal sheet")
        self.ws = ws
        self.styles = list(styles)
        self._cells = [_ReadyCell(ws) for _ in self.styles]
        self._quoted: dict[int, StyleArray] = {}
        self._ids: dict[int, tuple[StyleArray, int]] = {}
        self._column_ids = [self._style_id(style) for style in self.styles]
        # The sheet's writer turns each appended row into cells with this method; ours are ready.
        ws._values_to_row = _ready_cells(ws)

    def append(self, values: Sequence[Any], styles: Mapping[int, StyleArray] | None = None) -> None:
        """One row; ``styles`` overrides the column style for some 0-based column numbers."""
        row: list[Any] = []
        add, cells, column_styles, style_id = row.append, self._cells, self.styles, self._style_id
        column_ids = self._column_ids
        for i, value in enumerate(values):
            if value is None:
                add(None)
                continue
            cls = type(value)
            kind: str | None  # the cell's data type ("s", "n"...); None when openpyxl must convert
            if cls is str and len(value) <= _SURELY_FITS:  # most cells: what _plain does, inline
                value = _UNWRITABLE.sub(REPLACEMENT, value)
                kind = "s"
            else:
                kind = _FAST_TYPES.get(cls)
                if kind is None:  # long text is measured; aware times, enums... are converted
                    value = _plain(value)
                    kind = _DATA_TYPES.get(type(value))
            if styles and i in styles:
                style = styles[i]
                sid = style_id(style)
            else:
                style, sid = column_styles[i], column_ids[i]
            if kind is None:  # a rare type (time, Decimal...): openpyxl's own conversion
                add(styled_value(self.ws, value, style))
                continue
            if kind == "s" and value.startswith(FORMULA_PREFIXES):
                style = self._quote(style)
                sid = style_id(style)
            cell = cells[i]
            cell._value, cell.data_type, cell._style, cell.style_id = value, kind, style, sid
            add(cell)
        self.ws.append(row)

    def _style_id(self, style: StyleArray) -> int:
        # openpyxl looks a cell's style up in the workbook's table by hashing it, for every cell.
        found = self._ids.get(id(style))
        if found is None or found[0] is not style:
            found = self._ids[id(style)] = (style, self.ws.parent._cell_styles.add(style))
        return found[1]

    def _quote(self, style: StyleArray) -> StyleArray:
        key = id(style)
        if key not in self._quoted:
            quoted = copy(style)
            quoted.quotePrefix = True
            self._quoted[key] = quoted
        return self._quoted[key]


def set_row_height(ws: Any, row: int, height: float) -> None:
    """Give a write-only sheet's next row a height (points) before appending it, cheaply.

    The sheet's writer only reads the row's attributes from ``row_dimensions``; a plain mapping
    costs far less than openpyxl's RowDimension object, which matters at 100,000 rows.
    """
    if not isinstance(ws, WriteOnlyWorksheet):
        ws.row_dimensions[row].height = height
        return
    dict.__setitem__(ws.row_dimensions, row, {"ht": f"{height:g}", "customHeight": "1"})


_DATA_TYPES = {str: "s", int: "n", float: "n", bool: "b", date: "d", datetime: "d"}
_FAST_TYPES = {int: "n", float: "n", bool: "b", date: "d"}  # written as they are (None: an empty cell)


class _ReadyCell(Cell):
    """A reused write-only cell whose style id is worked out once per style, not once per cell."""

    style_id = 0  # shadows Cell's look-up; each instance sets its own
    has_style = True


def _ready_cells(ws: Any) -> Callable[[Sequence[Any], int], Iterator[Any]]:
    def cells(values: Sequence[Any], row_idx: int) -> Iterator[Any]:
        for col_idx, value in enumerate(values, 1):
            if value is None:
                continue
            # A plain value appended to the sheet some other way is converted as openpyxl would.
            cell = value if isinstance(value, Cell) else WriteOnlyCell(ws, value=value)
            cell.row, cell.column = row_idx, col_idx
            yield cell

    return cells


def safe_row(ws: Any, values: Iterable[Any], **style: Any) -> list[Any]:
    """:func:`safe_value` for each value of a row, with the same style for all."""
    return [safe_value(ws, v, **style) for v in values]


def write_value(cell: Cell, value: Any) -> Cell:
    """Put ``value`` into an existing cell (normal mode) so text never becomes a formula."""
    cell.value = _plain(value)
    return _protect(cell)


# --------------------------------------------------------------------------------------- long text


def split_long_text(text: str, limit: int = MAX_CELL_TEXT) -> list[str]:
    """Pieces of at most ``limit`` UTF-16 units whose concatenation is exactly ``text``.

    Breaks after a line end or a space near the limit when there is one, never inside a
    surrogate pair or a CR LF.
    """
    if limit < 2:
        raise ValueError("split_long_text needs a limit of at least two characters")
    parts: list[str] = []
    start = 0
    while utf16_len(text[start:]) > limit:
        end = min(len(text), start + limit)
        while (over := utf16_len(text[start:end]) - limit) > 0:
            end -= max(1, (over + 1) // 2)
        window = text[start + (end - start) * 9 // 10 : end]
        for breaker in ("\n", " "):
            at = window.rfind(breaker)
            if at >= 0:
                end = end - len(window) + at + 1
                break
        if text[end - 1 : end + 1] == "\r\n" and end - 1 > start:
            end -= 1
        parts.append(text[start:end])
        start = end
    parts.append(text[start:])
    return parts


def wrapped_height(text: str, width: float, *, line_points: float = 15.0) -> float:
    """A row height (points) that shows ``text`` wrapped in a column ``width`` characters wide.

    Neither openpyxl nor LibreOffice sizes rows for wrapped text, so without this the lines print
    over the next rows. An estimate on the generous side; Excel allows at most 409 points.
    """
    # Prose runs about 1.1 characters per width unit, less the part of a word that wraps to the
    # next line (which matters in a narrow column: without it, the last line of a 19-wide cell was cut).
    per_line = max(1, int(width * 1.1) - 3)
    if "\n" not in text:  # most text: one paragraph (a million cells at scale)
        lines = max(1, -(-len(text) // per_line))
    else:
        lines = sum(max(1, -(-len(paragraph) // per_line)) for paragraph in text.split("\n"))
    return min(MAX_ROW_HEIGHT, lines * line_points)


class LongTextSheet:
    """Continues text over a cell's limit on a companion sheet, so nothing is ever cut.

    ``fit(text, sheet, coordinate)`` returns what to write in the cell: the text itself when it fits
    in one cell. Otherwise the cell gets the text's first ``part_chars`` characters and a note such
    as "… continued in sheet 'Long text', rows 2–21", and the rest goes, in order, into the "Text"
    column of those rows (wrapped), each row naming the cell it continues and "part 2 of 21". The
    whole text is the cell's text without its last line (the note) followed by the parts.
    Parts are short so that they can be read on screen and printed: a 32,767-character cell
    cannot be. The sheet is made on first need, so workbooks without long text do not have it.
    """

    HEADERS = ("Continues cell", "Part", "Text")

    def __init__(
        self,
        wb: Workbook,
        *,
        title: str = "Long text",
        part_chars: int = 2_000,
        text_width: int = TEXT_WIDTH,
        scale: int | None = None,
    ):
        if not 100 <= part_chars <= MAX_CELL_TEXT - 100:
            raise ValueError(f"part_chars must be between 100 and {MAX_CELL_TEXT - 100:,}")
        self._wb = wb
        self._title = title
        self._part_chars = part_chars
        self._text_width = text_width  # the "Text" column, in characters
        self._scale = scale  # print at this size rather than fitted to the page width (see print_setup)
        self._ws: Any = None
        self._last_row = 0

    @property
    def worksheet(self) -> Any:
        """The sheet, or None while no text has needed it."""
        return self._ws

    def fit(self, text: str | None, sheet: str, coordinate: str) -> str | None:
        if text is None:
            return None
        text = clean_text(str(text))
        if utf16_len(text) <= MAX_CELL_TEXT:
            return text
        from openpyxl.styles import Alignment

        if self._ws is None:
            self._start_sheet()
        head, *rest = split_long_text(text, self._part_chars)
        first, last = self._last_row + 1, self._last_row + len(rest)
        rows = f"row {first}" if first == last else f"rows {first}–{last}"
        source = f"{quote_sheetname(sheet)}!{coordinate}"
        wrap = Alignment(wrap_text=True, vertical="top")
        for number, part in enumerate(rest, start=2):
            self._ws.row_dimensions[self._last_row + number - 1].height = wrapped_height(
                part, self._text_width
            )
            self._ws.append(
                safe_row(
                    self._ws, [source, f"{number} of {len(rest) + 1}"], alignment=Alignment(vertical="top")
                )
                + [safe_value(self._ws, part, alignment=wrap)]
            )
        self._last_row = last
        return f"{head}\n… continued in sheet '{self._ws.title}', {rows}"

    def _start_sheet(self) -> None:
        from openpyxl.styles import Font

        ws = self._wb.create_sheet(valid_sheet_title(self._title, self._wb.sheetnames))
        column_widths(ws, [24, 10, self._text_width])
        print_setup(ws, header_rows=1, autofilter=False, scale=self._scale)
        ws.append(safe_row(ws, self.HEADERS, font=Font(bold=True)))
        self._ws, self._last_row = ws, 1


# ---------------------------------------------------------------------------------------- sheets


def valid_sheet_title(name: str, existing: Iterable[str] = ()) -> str:
    """A sheet title Excel accepts, unique (ignoring case) among ``existing``.

    Forbidden characters ``\\ / * ? : [ ]`` become "-", the title is at most 31 characters, does not
    start or end with an apostrophe, is not Excel's reserved "History", and gets " (2)", " (3)"…
    when taken.
    """
    title = _TITLE_FORBIDDEN.sub("-", clean_text(name).replace(REPLACEMENT, " "))
    title = " ".join(title.split()).strip("'").strip() or "Sheet"
    taken = {t.casefold() for t in existing} | RESERVED_SHEET_TITLES
    candidate, n = _fit_title(title, ""), 1
    while candidate.casefold() in taken:
        n += 1
        candidate = _fit_title(title, f" ({n})")
    return candidate


def _fit_title(title: str, suffix: str) -> str:
    room = MAX_SHEET_TITLE - len(suffix)
    while utf16_len(title) > room:
        title = title[:-1]
    return title.rstrip(" '") + suffix


def _require_no_rows(ws: Any, what: str) -> None:
    if isinstance(ws, WriteOnlyWorksheet) and getattr(ws, "_writer", None) is not None:
        raise ValueError(
            f"{what} must be called before the first row of write-only sheet '{ws.title}': "
            "openpyxl has already written the start of the sheet"
        )


def column_widths(ws: Any, widths: Sequence[float | None] | Mapping[str | int, float]) -> None:
    """Set column widths (Excel's character units) from column A, or by letter or 1-based number."""
    _require_no_rows(ws, "column_widths")
    items = widths.items() if isinstance(widths, Mapping) else enumerate(widths, start=1)
    for key, width in items:
        if width is None:
            continue
        letter = key if isinstance(key, str) else get_column_letter(key)
        ws.column_dimensions[letter.upper()].width = width


def print_setup(
    ws: Any,
    *,
    header_rows: int = 1,
    last_row: int | None = None,
    last_column: int | None = None,
    autofilter: bool = True,
    paper_size: int = PAPER_A4,
    scale: int | None = None,
    frozen_columns: int = 0,
) -> None:
    """Landscape A4 (or ``paper_size``) fitted to the page width, header rows repeated and frozen, an autofilter.

    The filter covers the last header row down to ``last_row`` and columns A to ``last_column``; in
    normal mode they default to the used range (call this after writing the rows). In write-only
    mode call it before the first row and give both, or ``autofilter=False``.

    ``scale`` prints at that percentage instead of fitting the page width: fitting shrinks a wide
    sheet's text with no lower limit, while at 100 a 10-point font prints at 10 points (the columns
    must then fit the page, or they continue on pages to the right). ``frozen_columns`` freezes the
    first columns with the header rows and repeats them on each page to the right.
    """
    _require_no_rows(ws, "print_setup")
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = paper_size
    if scale is None:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0  # as many pages down as it takes
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    else:
        ws.page_setup.scale = scale
        ws.sheet_properties.pageSetUpPr.fitToPage = False
    if frozen_columns:
        ws.print_title_cols = f"A:{get_column_letter(frozen_columns)}"
    if header_rows < 1:
        if frozen_columns:
            ws.freeze_panes = f"{get_column_letter(frozen_columns + 1)}1"
        return
    ws.print_title_rows = f"1:{header_rows}"
    ws.freeze_panes = f"{get_column_letter(frozen_columns + 1)}{header_rows + 1}"
    if not autofilter:
        return
    if isinstance(ws, WriteOnlyWorksheet):
        if last_row is None or last_column is None:
            raise ValueError(
                "in write-only mode print_setup needs last_row and last_column for the autofilter"
            )
    else:
        last_row = ws.max_row if last_row is None else last_row
        last_column = ws.max_column if last_column is None else last_column
    ws.auto_filter.ref = f"A{header_rows}:{get_column_letter(last_column)}{max(last_row, header_rows)}"


# ------------------------------------------------------------------------------- marking, properties


def marking_line(marking: str, caveat: str = "") -> str:
    """The marking and its handling caveat on one line, e.g. "OFFICIAL-SENSITIVE – not for release"."""
    marking, caveat = clean_text(marking).strip(), clean_text(caveat or "").strip()
    return f"{marking} – {caveat}" if caveat else marking


def _hf(text: str) -> str:
    # "&" starts a code in header/footer text (&P, &N…): a literal one is doubled.
    return clean_text(text).replace("&", "&&")


def marking_header_footer(ws: Any, marking: str, caveat: str, title: str, *, sample: bool = False) -> None:
    """Bold marking and caveat centred in header and footer, "Page x of y" right in both; title left.

    ``sample``: a sample plan's made-up figures; "SAMPLE DATA" leads the left of header and footer.

    Uses the odd-page header and footer with different first/even pages switched off, so they
    print on every page. One line each: openpyxl escapes a line break as "_x000a_", which
    LibreOffice prints as is. The title is shortened (with "…") to keep clear of the centred marking,
    and left out when a long caveat leaves no room (it is in the document properties anyway).
    A marking and caveat over Excel's 255 characters raise ValueError rather than be cut.
    """
    if not marking.strip():
        raise ValueError("a protective marking is needed for the header and footer")
    stamp = f"&B{_hf(marking.strip())}&B"
    if caveat and caveat.strip():
        stamp += f" – {_hf(caveat.strip())}"
    hf = ws.HeaderFooter
    hf.differentFirst = False
    hf.differentOddEven = False
    hf.oddHeader.center.text = stamp
    hf.oddFooter.center.text = stamp
    flag = "&BSAMPLE DATA&B – " if sample else ""
    hf.oddFooter.left.text = f"{flag}&A"  # the sheet's name
    hf.oddHeader.right.text = hf.oddFooter.right.text = "Page &P of &N"
    if max(len(str(hf.oddHeader)), len(str(hf.oddFooter))) > MAX_HEADER_FOOTER:
        raise ValueError(
            f"the protective marking and caveat are too long for a sheet header "
            f"(Excel allows {MAX_HEADER_FOOTER} characters)"
        )
    # The title must end before the centred stamp starts, or the two print over each other.
    visible = len(marking.strip()) * 1.15 + (len(caveat.strip()) + 3 if caveat and caveat.strip() else 0)
    room = min(TITLE_IN_HEADER, int((HEADER_LINE_CHARS - visible) / 2) - 3) - len(flag.replace("&B", ""))
    title = " ".join(clean_text(title).split()) if room >= 10 else ""
    if len(title) > room:
        title = title[: room - 1].rstrip() + "…"
    while title:
        hf.oddHeader.left.text = flag + _hf(title)
        if len(str(hf.oddHeader)) <= MAX_HEADER_FOOTER:
            break
        title = title[:-2].rstrip() + "…"
    else:
        hf.oddHeader.left.text = flag.removesuffix(" – ") or None


def set_document_properties(wb: Workbook, marking: str, title: str, author: str, *, caveat: str = "") -> None:
    """Title and author, and the marking in subject, keywords, category and a custom property.

    LibreOffice shows title, subject, keywords and the custom property in File > Properties;
    Excel shows them all in File > Info.
    """
    line = marking_line(marking, caveat)
    props = wb.properties
    props.title = clean_text(title)
    props.subject = line
    props.keywords = clean_text(marking).strip()  # LibreOffice splits keywords at spaces
    props.category = line
    props.description = f"Protective marking: {line}"
    props.creator = clean_text(author)
    props.lastModifiedBy = clean_text(author)
    custom = wb.custom_doc_props
    for old in [p for p in custom.props if p.name == "Protective marking"]:
        custom.props.remove(old)
    custom.append(StringProperty(name="Protective marking", value=line))


def mark_workbook(
    wb: Workbook, marking: str, caveat: str, *, title: str, author: str, sample: bool = False
) -> None:
    """:func:`marking_header_footer` on every sheet and :func:`set_document_properties`; call last."""
    for ws in wb.worksheets:
        marking_header_footer(ws, marking, caveat, title, sample=sample)
    set_document_properties(wb, marking, title, author, caveat=caveat)


# ---------------------------------------------------------------------------------- drop-down lists


def hidden_lists_sheet(
    wb: Workbook, lists: Mapping[str, Sequence[str]], *, title: str = "Lists", **style: Any
) -> dict[str, str]:
    """Write each list down one column of a new hidden sheet; return each list's range reference.

    The reference (e.g. ``"'Lists'!$A$2:$A$7"``) is for :func:`add_list_validation`. Row 1 holds the
    list names. An empty list refers to one blank cell, so only a blank passes. ``style`` is given
    to every cell, as to :func:`safe_value` (a font, so the drop-downs read like the sheets).
    """
    ws = wb.create_sheet(valid_sheet_title(title, wb.sheetnames))
    names = list(lists)
    columns = [[v for v in lists[n] if v is not None] for n in names]
    ws.append(safe_row(ws, names, **style))
    for row in zip_longest(*columns):
        ws.append(safe_row(ws, row, **style))
    ws.sheet_state = "hidden"
    refs = {}
    for i, (name, values) in enumerate(zip(names, columns, strict=True), start=1):
        col = get_column_letter(i)
        refs[name] = f"{quote_sheetname(ws.title)}!${col}$2:${col}${max(2, len(values) + 1)}"
    return refs


MAX_PROMPT = 255  # Excel's limit for a data validation's input message (and its error message)
MAX_PROMPT_TITLE = 32  # and for the input message's title


def _prompt(dv: DataValidation, title: str, prompt: str) -> None:
    """Show ``prompt`` (with ``title``) when a cell is chosen: Excel's input message. Never cut: too long raises."""
    if not prompt:
        return
    title, prompt = clean_text(title), clean_text(prompt)
    if len(prompt) > MAX_PROMPT or len(title) > MAX_PROMPT_TITLE:
        raise ValueError(
            f"an input message is at most {MAX_PROMPT} characters and its title {MAX_PROMPT_TITLE} "
            f"(Excel's limits); this one has {len(prompt)} and {len(title)}: {title!r}"
        )
    dv.showInputMessage = True
    dv.promptTitle = title or None
    dv.prompt = prompt


def add_list_validation(
    ws: Any,
    ref: str,
    cells: str,
    *,
    allow_blank: bool = True,
    error: str = "",
    prompt: str = "",
    prompt_title: str = "",
) -> DataValidation:
    """Give ``cells`` (e.g. ``"C2:C200"``) a drop-down accepting only the values in ``ref``; both modes.

    ``prompt`` (with ``prompt_title``), as for every validation here, is shown when a cell is chosen.
    """
    dv = DataValidation(
        type="list",
        formula1=ref,
        allow_blank=allow_blank,
        showDropDown=False,  # False shows the arrow (the attribute means "hide" in Excel)
        showErrorMessage=True,
        errorTitle="Not in the list",
        error=clean_text(error or "Choose a value from the drop-down list.")[:255],
    )
    _prompt(dv, prompt_title, prompt)
    dv.add(cells)
    ws.data_validations.append(dv)  # write-only sheets have no add_data_validation
    return dv


def add_whole_number_validation(
    ws: Any,
    cells: str,
    low: int,
    high: int,
    *,
    allow_blank: bool = True,
    error: str = "",
    prompt: str = "",
    prompt_title: str = "",
) -> DataValidation:
    """Give ``cells`` a rule accepting whole numbers from ``low`` to ``high``; both modes."""
    dv = DataValidation(
        type="whole",
        operator="between",
        formula1=str(low),
        formula2=str(high),
        allow_blank=allow_blank,
        showErrorMessage=True,
        errorTitle="Not a whole number in range",
        error=clean_text(error or f"Type a whole number from {low} to {high}.")[:255],
    )
    _prompt(dv, prompt_title, prompt)
    dv.add(cells)
    ws.data_validations.append(dv)
    return dv


def add_date_validation(
    ws: Any,
    cells: str,
    *,
    allow_blank: bool = True,
    error: str = "",
    prompt: str = "",
    prompt_title: str = "",
) -> DataValidation:
    """Give ``cells`` a rule accepting dates from 1 Jan 2000 to 31 Dec 2099; both modes."""
    dv = DataValidation(
        type="date",
        operator="between",
        formula1="36526",  # 1 Jan 2000 as an Excel serial date
        formula2="73050",  # 31 Dec 2099
        allow_blank=allow_blank,
        showErrorMessage=True,
        errorTitle="Not a date",
        error=clean_text(error or "Type a date such as 31/03/2025.")[:255],
    )
    _prompt(dv, prompt_title, prompt)
    dv.add(cells)
    ws.data_validations.append(dv)
    return dv


def add_text_validation(
    ws: Any, cells: str, max_chars: int, *, error: str = "", prompt: str = "", prompt_title: str = ""
) -> DataValidation:
    """Give ``cells`` a rule accepting text of at most ``max_chars`` characters; both modes.

    Mostly for its input message: a text cell otherwise has no rule to carry one.
    """
    dv = DataValidation(
        type="textLength",
        operator="lessThanOrEqual",
        formula1=str(max_chars),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Too long",
        error=clean_text(error or f"Type at most {max_chars:,} characters.")[:255],
    )
    _prompt(dv, prompt_title, prompt)
    dv.add(cells)
    ws.data_validations.append(dv)
    return dv
