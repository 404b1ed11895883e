"""Checking a workbook from outside before anything parses it, and opening it read-only.

A workbook sent back by a lead (a period return) is untrusted. :func:`inspect_upload` reads the
file once, within a size limit, and refuses it with :class:`UnsafeWorkbook` — a message naming the
file and the problem in plain words — unless it is a plain ``.xlsx`` workbook:

- not too large, not empty, and a ZIP at all (an OLE2 compound file is an old ``.xls`` or a
  password-protected workbook; pictures, PDFs, text and ``.ods`` files are named as such);
- no zip bomb: few enough members, total and per-member expansion within limits, no member names
  pointing outside the package, no duplicate or encrypted members;
- the main part is a plain workbook whatever the extension says: no ``.xlsm``, templates, add-ins or
  ``.xlsb``, no ``vbaProject.bin`` or macro sheets;
- every XML part parses with no DTD or entity declarations (defusedxml's rules, with expat) (refusing "billion laughs" and external entities);
- no sheet uses a row beyond ``max_rows`` (openpyxl's read-only mode pads gaps with empty rows);
- the work openpyxl would do is bounded: no more than ``max_strings`` shared strings in at most
  ``max_strings_bytes`` of XML (it holds them all in memory), ``max_cells`` cells in a sheet, and
  no other XML part over ``max_part_bytes``.

The limits default to a period return's, and so does the wording of the refusals (:class:`Wording`:
what the file is called, what to do next); a reader of another kind of workbook passes its own
(a plan workbook's are in :mod:`tracker.workbooks.plan_read`), the checks being the same.

:func:`open_untrusted` then opens the very bytes that were inspected, read-only, with formulas kept
as formulas (never evaluated, never taken from cached values) and links to other workbooks dropped::

    with open_untrusted(path) as wb:            # raises UnsafeWorkbook
        ws = wb["Status"]
        for row in ws.iter_rows(min_row=2, max_col=8, max_row=2000):   # always bound the range
            refuse_formulas(path.name, ws.title, row[4:8])             # the input cells
            ...

Reading values from the cells is the caller's job; :func:`cell_is_formula` and
:func:`refuse_formulas` keep formulas out of what a return can change.
"""

from __future__ import annotations

import io
import os
import posixpath
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn
from xml.parsers import expat

from tracker.db import StoreError

MB = 1024 * 1024
MAX_BYTES = 20 * MB
MAX_MEMBERS = 1_000
MAX_UNCOMPRESSED = 100 * MB  # parsing every XML part takes about a second per 10 MB
MAX_RATIO = 100  # openpyxl and Excel sheets expand 5-25 fold; zip bombs about 1,000 fold
RATIO_FLOOR = 256 * 1024  # smaller parts cannot do harm whatever their ratio
MAX_ROWS = 100_000
# openpyxl holds every shared string in memory and builds each cell as an object: 90 MB of tiny
# strings cost 49-56 s and 789 MB before these limits. A return holds a few thousand of each.
MAX_STRINGS = 200_000  # texts in the shared-strings table
MAX_STRINGS_BYTES = 16 * MB  # the table's XML, expanded
MAX_CELLS = 1_000_000  # cells in one sheet
MAX_PART_BYTES = 16 * MB  # any other XML part, expanded (styles, say, are read whole into objects)
SHARED_STRINGS = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_AGAIN = "save it as an Excel Workbook (.xlsx) and {again}"  # Wording.again
_REFUSED_MAIN = {
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml": "contains macros (it is an .xlsm workbook); "
    + _AGAIN,
    "application/vnd.ms-excel.template.macroEnabled.main+xml": "contains macros (it is an .xltm template); "
    + _AGAIN,
    "application/vnd.ms-excel.addin.macroEnabled.main+xml": "contains macros (it is an .xlam add-in); "
    + _AGAIN,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml": "is an Excel template (.xltx), not a workbook; "
    + _AGAIN,
    "application/vnd.ms-excel.sheet.binary.macroEnabled.main": "is an Excel binary workbook (.xlsb), which can hold macros; "
    + _AGAIN,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "is not an Excel workbook: it is a Word document",
    "application/vnd.ms-word.document.macroEnabled.main+xml": "is not an Excel workbook: it is a Word document",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": "is not an Excel workbook: it is a PowerPoint presentation",
}
_MACRO_TYPES = {
    "application/vnd.ms-office.vbaproject": "a VBA project",
    "application/vnd.ms-excel.macrosheet+xml": "an Excel 4.0 macro sheet",
    "application/vnd.ms-excel.intlmacrosheet+xml": "an Excel 4.0 macro sheet",
}
_OFFICE_DOCUMENT = "/officeDocument"
_R_ID = "http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"  # as expat names it


class UnsafeWorkbook(StoreError):
    """A workbook refused before or while reading it; the message names the file and the reason."""


@dataclass(frozen=True)
class Wording:
    """What the refusals call the workbook and what they ask for, so a plan file is not called a return."""

    document: str  # "a return": what a workbook of this kind holds far less than a hostile one
    again: str  # "send it again": what to do once the file is put right
    fresh: str  # how to start from a clean copy when a part of the package is too large


RETURN_WORDING = Wording(
    "a return", "send it again", "copy the filled-in rows into the return as issued and send that"
)


@dataclass(frozen=True)
class SafeFile:
    """A file that passed :func:`inspect_upload`, with the bytes that were inspected."""

    path: Path
    size: int
    members: int
    uncompressed: int
    sheet_names: tuple[str, ...]
    data: bytes = field(repr=False)

    @property
    def name(self) -> str:
        return self.path.name


def _size(n: int) -> str:
    return f"{n / MB:,.1f} MB" if n >= MB else f"{n / 1024:,.0f} KB"


# -------------------------------------------------------------------------------- what is it at all


def _cfb_names(data: bytes) -> set[str]:
    """Stream and storage names in an OLE2 compound file's directory; empty when unreadable."""
    try:
        shift = int.from_bytes(data[30:32], "little")
        if shift not in (9, 12) or len(data) < 512:
            return set()
        size = 1 << shift

        def sector(n: int) -> bytes:
            return data[(n + 1) * size : (n + 2) * size]  # the header fills sector "-1"

        fat_count = int.from_bytes(data[44:48], "little")
        difat = [int.from_bytes(data[76 + 4 * i : 80 + 4 * i], "little") for i in range(min(fat_count, 109))]
        fat = [
            int.from_bytes(s[i : i + 4], "little")
            for d in difat
            for s in [sector(d)]
            for i in range(0, len(s), 4)
        ]
        names: set[str] = set()
        seen: set[int] = set()  # a directory chain that loops must not hang us
        n = int.from_bytes(data[48:52], "little")
        while n < len(fat) and n not in seen and len(seen) < 4096:
            seen.add(n)
            block = sector(n)
            for off in range(0, len(block) - 127, 128):
                length = int.from_bytes(block[off + 64 : off + 66], "little")
                if 2 <= length <= 64:
                    names.add(block[off : off + length - 2].decode("utf-16-le", "replace"))
            n = fat[n]
        return names
    except (IndexError, ValueError):
        return set()


def _refuse_ole2(name: str, data: bytes, again: str) -> None:
    streams = _cfb_names(data)
    if {"EncryptionInfo", "EncryptedPackage"} & streams:
        reason = (
            "is password-protected, so it cannot be checked or read; remove the password in Excel "
            f"(File > Info > Protect Workbook > Encrypt with Password), save it and {again}"
        )
    elif {"Workbook", "Book"} & streams:
        reason = f"is an old-format Excel workbook (.xls); open it in Excel, {_AGAIN.format(again=again)}"
    elif "WordDocument" in streams:
        reason = "is not an Excel workbook: it is an old-format Word document"
    else:
        reason = f"is password-protected or an old .xls workbook; remove any password, {_AGAIN.format(again=again)}"
    raise UnsafeWorkbook(f"{name} {reason}")


def _looks_like(head: bytes) -> str:
    low = head[:512].lstrip().lower()
    for signature, kind in (
        (b"\x89png", "a PNG picture"),
        (b"\xff\xd8\xff", "a JPEG picture"),
        (b"gif8", "a GIF picture"),
        (b"%pdf", "a PDF document"),
        (b"{\\rtf", "an RTF document"),
    ):
        if low.startswith(signature):
            return kind
    if b"urn:schemas-microsoft-com:office:spreadsheet" in head[:4096].lower():
        return "an Excel 2003 XML spreadsheet"
    if low.startswith((b"<!doctype html", b"<html")):
        return "a web page"
    if b"\0" not in head[:4096]:
        return "a text or CSV file"
    return "a file of another kind"


# ------------------------------------------------------------------------------------------ the zip


def _safe_member_name(name: str) -> bool:
    parts = name.split("/")
    return not (
        not name
        or name.startswith("/")
        or "\\" in name
        or "\0" in name
        or ":" in parts[0]
        or any(p in ("..", ".") for p in parts)
    )


def _check_members(
    name: str,
    infos: list[zipfile.ZipInfo],
    max_members: int,
    max_uncompressed: int,
    max_ratio: float,
    again: str,
) -> int:
    if len(infos) > max_members:
        raise UnsafeWorkbook(
            f"{name} is not an Excel workbook: it is a ZIP of {len(infos):,} files "
            f"(a workbook has far fewer; the limit is {max_members:,})"
        )
    seen: set[str] = set()
    total = 0
    for info in infos:
        if not _safe_member_name(info.filename):
            raise UnsafeWorkbook(
                f"{name} is not a safe workbook: it contains a file named {info.filename!r}, "
                "a name that points outside the workbook"
            )
        if info.filename.casefold() in seen:
            raise UnsafeWorkbook(f"{name} is damaged: it contains two parts named {info.filename!r}")
        seen.add(info.filename.casefold())
        if info.flag_bits & 0x1:
            raise UnsafeWorkbook(
                f"{name} is password-protected (its parts are encrypted); {_AGAIN.format(again=again)}"
            )
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > max_ratio:
            raise UnsafeWorkbook(
                f"{name} is not a safe workbook: its part {info.filename} expands {ratio:,.0f} times "
                f"when opened (the limit is {max_ratio:,.0f}), the way a 'zip bomb' does"
            )
    if total > max_uncompressed:
        raise UnsafeWorkbook(
            f"{name} is not a safe workbook: it would expand to {_size(total)} when opened "
            f"(the limit is {_size(max_uncompressed)}), the way a 'zip bomb' does"
        )
    return total


# -------------------------------------------------------------------------------------------- XML


class _Start:
    """An element as the checks see it: its tag (``namespace}name``) and attributes."""

    __slots__ = ("tag", "get")

    def __init__(self, tag: str, attributes: dict[str, str]):
        self.tag, self.get = tag, attributes.get


class _Refused(Exception):
    """A DTD or entity declaration met while parsing."""


def _refuse(*_: Any) -> NoReturn:  # never returns, so it fits the handlers that must return a value too
    raise _Refused


def _parse(
    name: str, zf: zipfile.ZipFile, part: str, on_element: Callable[[_Start], None] | None = None
) -> None:
    """Stream one XML part through expat with DTDs and entities refused, in constant memory.

    The refusals are defusedxml's (a document type declaration, an entity declaration or an
    external entity each raise); expat is driven directly, calling back only on element starts,
    because building and discarding an element per cell made this check cost as much as reading
    the workbook.
    """
    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    if on_element is not None:
        parser.StartElementHandler = lambda tag, attributes: on_element(_Start(tag, attributes))
    try:
        with zf.open(part) as stream:
            parser.ParseFile(stream)
    except _Refused:
        raise UnsafeWorkbook(
            f"{name} is not a safe workbook: its part {part} declares XML entities or a DTD, which "
            "Excel never writes and attacks use ('billion laughs', external entities)"
        ) from None
    except expat.ExpatError as exc:
        raise UnsafeWorkbook(f"{name} is damaged: its part {part} is not well-formed XML ({exc})") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise UnsafeWorkbook(f"{name} is damaged: its part {part} cannot be read ({exc})") from None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _relationships(
    name: str, zf: zipfile.ZipFile, rels_part: str, source_dir: str
) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, member name) for the internal targets in ``rels_part``."""
    found: dict[str, tuple[str, str]] = {}

    def on_element(e: _Start) -> None:
        if _local(e.tag) == "Relationship" and e.get("TargetMode") != "External":
            target = e.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(source_dir, target)
            found[e.get("Id", "")] = (e.get("Type", ""), posixpath.normpath(path))

    _parse(name, zf, rels_part, on_element)
    return found


def _content_types(name: str, zf: zipfile.ZipFile) -> tuple[dict[str, str], dict[str, str]]:
    defaults: dict[str, str] = {}
    overrides: dict[str, str] = {}

    def on_element(e: _Start) -> None:
        kind = _local(e.tag)
        if kind == "Default":
            defaults[e.get("Extension", "").lower()] = e.get("ContentType", "")
        elif kind == "Override":
            overrides[e.get("PartName", "").lstrip("/").lower()] = e.get("ContentType", "")

    _parse(name, zf, "[Content_Types].xml", on_element)
    return defaults, overrides


@dataclass(frozen=True)
class _Bounds:
    rows: int
    cells: int
    strings: int
    strings_bytes: int
    part_bytes: int
    words: Wording


def _check_package(
    name: str, zf: zipfile.ZipFile, members: dict[str, str], bounds: _Bounds
) -> tuple[str, ...]:
    """Refuse anything but a plain workbook; every XML part is parsed. Returns the sheet names."""
    if "[content_types].xml" not in members:
        if "mimetype" in members and b"opendocument.spreadsheet" in _head(zf, members["mimetype"]):
            raise UnsafeWorkbook(
                f"{name} is an OpenDocument spreadsheet (.ods); {_AGAIN.format(again=bounds.words.again)}"
            )
        raise UnsafeWorkbook(f"{name} is not an Excel workbook: it is a ZIP of {len(members):,} files")
    defaults, overrides = _content_types(name, zf)

    def content_type(member: str) -> str:
        return overrides.get(member.lower()) or defaults.get(member.rsplit(".", 1)[-1].lower(), "")

    root_rels = members.get("_rels/.rels")
    main = None
    if root_rels:
        main = next(
            (t for k, t in _relationships(name, zf, root_rels, "").values() if k.endswith(_OFFICE_DOCUMENT)),
            None,
        )
    if main is None:
        raise UnsafeWorkbook(f"{name} is not an Excel workbook: it has no workbook part")
    main_type = content_type(main)
    if main_type in _REFUSED_MAIN:
        raise UnsafeWorkbook(f"{name} {_REFUSED_MAIN[main_type].format(again=bounds.words.again)}")
    if main_type != XLSX_MAIN:
        raise UnsafeWorkbook(
            f"{name} is not an Excel workbook: its main part is of type {main_type or 'unknown'!r}"
        )
    if main.lower() not in members:
        raise UnsafeWorkbook(f"{name} is damaged: its workbook part {main} is missing")

    for member in members.values():
        macro = _MACRO_TYPES.get(content_type(member).lower())
        if macro is None and posixpath.basename(member).lower() == "vbaproject.bin":
            macro = "a VBA project"
        if macro:
            raise UnsafeWorkbook(
                f"{name} contains macros ({macro}); {_AGAIN.format(again=bounds.words.again)}"
            )

    sheets: list[tuple[str, str]] = []  # (name, relationship id)

    def on_workbook(e: _Start) -> None:
        if _local(e.tag) == "sheet":
            sheets.append((e.get("name", ""), e.get(_R_ID, "")))

    _parse(name, zf, members[main.lower()], on_workbook)
    if not sheets:
        raise UnsafeWorkbook(f"{name} is damaged: it has no sheets")
    main_dir = posixpath.dirname(main)
    wb_rels = members.get(posixpath.join(main_dir, "_rels", posixpath.basename(main) + ".rels").lower())
    targets = _relationships(name, zf, wb_rels, main_dir) if wb_rels else {}
    sheet_parts = {}
    for title, rid in sheets:
        if rid not in targets or targets[rid][1].lower() not in members:
            raise UnsafeWorkbook(f"{name} is damaged: the part holding sheet '{title}' is missing")
        sheet_parts[targets[rid][1].lower()] = title

    # openpyxl reads the workbook's parts by relationship whatever their names, so those are XML too.
    linked = {target.lower() for _, target in targets.values()}
    strings = {t.lower() for k, t in targets.values() if k.endswith("/sharedStrings")}
    strings |= {key for key, member in members.items() if content_type(member) == SHARED_STRINGS}
    done = {"[content_types].xml", (root_rels or "").lower(), main.lower(), (wb_rels or "").lower()}
    for key, member in members.items():
        if key in sheet_parts:
            _check_rows(name, zf, member, sheet_parts[key], bounds)
        elif key in strings:
            _check_strings(name, zf, member, bounds)
        elif key not in done and (
            key in linked or key.endswith((".xml", ".rels")) or content_type(member).endswith("xml")
        ):
            size = zf.getinfo(member).file_size
            if size > bounds.part_bytes:
                raise UnsafeWorkbook(
                    f"{name} is not a workbook we can read: its part {member} would be {_size(size)} "
                    f"(the limit is {_size(bounds.part_bytes)}); {bounds.words.document}'s are far "
                    f"smaller: {bounds.words.fresh}"
                )
            _parse(name, zf, member)
    return tuple(title for title, _ in sheets)


def _head(zf: zipfile.ZipFile, member: str) -> bytes:
    with zf.open(member) as f:
        return f.read(100)


def _check_rows(name: str, zf: zipfile.ZipFile, member: str, title: str, bounds: _Bounds) -> None:
    last = cells = 0

    def on_element(e: _Start) -> None:
        nonlocal last, cells
        tag = _local(e.tag)
        if tag == "c":
            cells += 1
            if cells > bounds.cells:
                raise UnsafeWorkbook(
                    f"{name} is not a workbook we can read: sheet '{title}' has more than {bounds.cells:,} "
                    f"cells (the limit); {bounds.words.document} has far fewer: delete what was pasted "
                    f"beyond its rows and columns and {bounds.words.again}"
                )
        elif tag == "row":
            r = e.get("r")
            last = int(r) if r and r.isdigit() else last + 1
            if last > bounds.rows:
                raise UnsafeWorkbook(
                    f"{name} is not a workbook we can read: sheet '{title}' uses row {last:,} "
                    f"(the limit is {bounds.rows:,} rows); delete the unused rows and {bounds.words.again}"
                )

    _parse(name, zf, member, on_element)


def _check_strings(name: str, zf: zipfile.ZipFile, member: str, bounds: _Bounds) -> None:
    """The shared-strings table: its size before it is parsed, then how many texts it holds."""
    size = zf.getinfo(member).file_size  # zipfile reads no more than this, so it cannot lie
    if size > bounds.strings_bytes:
        raise UnsafeWorkbook(
            f"{name} is not a workbook we can read: its table of texts would be {_size(size)} "
            f"(the limit is {_size(bounds.strings_bytes)}); {bounds.words.document} holds far less text: "
            f"remove what was pasted into it and {bounds.words.again}"
        )
    count = 0

    def on_element(e: _Start) -> None:
        nonlocal count
        if _local(e.tag) == "si":
            count += 1
            if count > bounds.strings:
                raise UnsafeWorkbook(
                    f"{name} is not a workbook we can read: it holds more than {bounds.strings:,} "
                    f"separate texts (the limit); {bounds.words.document} holds far fewer: remove what was "
                    f"pasted into it and {bounds.words.again}"
                )

    _parse(name, zf, member, on_element)


# ----------------------------------------------------------------------------------------- public


def inspect_upload(
    path: str | os.PathLike[str],
    *,
    max_bytes: int = MAX_BYTES,
    max_members: int = MAX_MEMBERS,
    max_uncompressed: int = MAX_UNCOMPRESSED,
    max_ratio: float = MAX_RATIO,
    max_rows: int = MAX_ROWS,
    max_cells: int = MAX_CELLS,
    max_strings: int = MAX_STRINGS,
    max_strings_bytes: int = MAX_STRINGS_BYTES,
    max_part_bytes: int = MAX_PART_BYTES,
    wording: Wording = RETURN_WORDING,
) -> SafeFile:
    """Check a workbook from outside before anything parses it; raise UnsafeWorkbook or return it.

    The limits default to a period return's; a reader of a larger kind of workbook passes its own
    (and its ``wording``), the checks being the same.
    """
    path = Path(path)
    name = path.name
    try:
        info = path.stat()
    except FileNotFoundError:
        raise UnsafeWorkbook(f"{name} was not found (looked for {path})") from None
    except OSError as exc:
        raise UnsafeWorkbook(f"{name} cannot be read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise UnsafeWorkbook(f"{name} is not a file")
    if info.st_size > max_bytes:
        raise UnsafeWorkbook(
            f"{name} is too large to import: {_size(info.st_size)} (the limit is {_size(max_bytes)})"
        )
    try:
        with path.open("rb") as f:
            data = f.read(max_bytes + 1)  # the file may have grown since stat
    except OSError as exc:
        raise UnsafeWorkbook(f"{name} cannot be read: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise UnsafeWorkbook(f"{name} is too large to import (the limit is {_size(max_bytes)})")
    if not data:
        raise UnsafeWorkbook(f"{name} is empty")
    if data.startswith(OLE2):
        _refuse_ole2(name, data, wording.again)
    if not data.startswith(b"PK\x03\x04"):
        raise UnsafeWorkbook(
            f"{name} is not an Excel workbook: it looks like {_looks_like(data)}; "
            + _AGAIN.format(again=wording.again)
        )
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError):
        raise UnsafeWorkbook(
            f"{name} is damaged or not an Excel workbook: it cannot be opened as one"
        ) from None
    with zf:
        infos = zf.infolist()
        total = _check_members(name, infos, max_members, max_uncompressed, max_ratio, wording.again)
        members = {i.filename.lower(): i.filename for i in infos if not i.is_dir()}
        bounds = _Bounds(max_rows, max_cells, max_strings, max_strings_bytes, max_part_bytes, wording)
        sheet_names = _check_package(name, zf, members, bounds)
    return SafeFile(path, len(data), len(infos), total, sheet_names, data)


@contextmanager
def open_untrusted(source: str | os.PathLike[str] | SafeFile, **limits: Any) -> Iterator[Any]:
    """Inspect, then open read-only with formulas as formulas and no external links; closes on exit."""
    from openpyxl import load_workbook
    from openpyxl.xml import DEFUSEDXML

    safe = source if isinstance(source, SafeFile) else inspect_upload(source, **limits)
    if not DEFUSEDXML:
        raise UnsafeWorkbook(
            f"{safe.name} was not opened: openpyxl is not using defusedxml "
            "(is it installed, and OPENPYXL_DEFUSEDXML not set to False?)"
        )
    try:
        wb = load_workbook(
            io.BytesIO(safe.data), read_only=True, data_only=False, keep_links=False, keep_vba=False
        )
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise UnsafeWorkbook(f"{safe.name} is damaged and could not be read as a workbook ({exc})") from exc
    try:
        yield wb
    finally:
        wb.close()


def cell_is_formula(cell: Any) -> bool:
    """True for a formula, or text starting with "=" that was not typed as text (quote prefix)."""
    if getattr(cell, "data_type", None) == "f":
        return True
    value = getattr(cell, "value", None)
    if not (isinstance(value, str) and value.startswith("=")):
        return False
    quoted = getattr(cell, "quotePrefix", None)
    if quoted is None:
        style = getattr(cell, "style_array", None)  # read-only cells
        quoted = bool(style is not None and style.quotePrefix)
    return not quoted


def refuse_formulas(file_name: str, sheet: str, cells: Iterable[Any]) -> None:
    """Raise UnsafeWorkbook naming the cells among ``cells`` that hold formulas."""
    found = [c.coordinate for c in cells if cell_is_formula(c)]
    if not found:
        return
    shown = ", ".join(found[:5]) + (f" and {len(found) - 5:,} more" if len(found) > 5 else "")
    which = f"cell {shown} holds a formula" if len(found) == 1 else f"cells {shown} hold formulas"
    raise UnsafeWorkbook(
        f"{file_name}, sheet '{sheet}': {which}; type the values in instead (formulas are never "
        "calculated on import, so the values they show cannot be checked)"
    )
