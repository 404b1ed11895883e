"""Untrusted workbooks: a corpus of hostile files, built here, each refused in words a PMO analyst reads."""

from __future__ import annotations

import re
import struct
import warnings
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl import Workbook
from openpyxl.worksheet.formula import ArrayFormula

from tracker.db import StoreError
from tracker.workbooks.safety import (
    SafeFile,
    UnsafeWorkbook,
    cell_is_formula,
    inspect_upload,
    open_untrusted,
    refuse_formulas,
)

MACRO_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
SHARED_STRINGS = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


# ------------------------------------------------------------------------------------------ builders


def good_workbook(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Status"
    ws.append(["Reference", "RAG", "Progress"])
    ws.append(["SER-01", "Green", 40])
    ws.append(["SER-02", "Amber", 10])
    wb.create_sheet("Notes").append(["A note"])
    wb.save(path)
    return path


def rezip(
    src: Path,
    dest: Path,
    *,
    replace: dict[str, bytes] | None = None,
    add: dict[str, bytes] | None = None,
    edit: dict[str, tuple[bytes, bytes]] | None = None,
) -> Path:
    """A copy of a workbook's ZIP with members replaced, edited (old -> new bytes) or added."""
    replace, add, edit = replace or {}, add or {}, edit or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = replace.get(info.filename, zin.read(info))
            if info.filename in edit:
                old, new = edit[info.filename]
                assert old in data, f"{old!r} not in {info.filename}"
                data = data.replace(old, new)
            zout.writestr(info.filename, data)
        for name, data in add.items():
            zout.writestr(zipfile.ZipInfo(name), data, zipfile.ZIP_DEFLATED)
    return dest


def compound_file(stream_names: list[str]) -> bytes:
    """A minimal OLE2 compound file (512-byte sectors: FAT, then directory) with empty streams."""
    end, free, fat_sector = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIII", header, 44, 1, 1, 0, 4096, end, 0, end, 0)
    struct.pack_into("<109I", header, 76, 0, *([free] * 108))
    fat = struct.pack("<128I", fat_sector, end, *([free] * 126))

    def entry(name: str, kind: int) -> bytes:
        raw = (name + "\0").encode("utf-16-le")
        e = bytearray(128)
        e[: len(raw)] = raw
        struct.pack_into("<HBB", e, 64, len(raw), kind, 1)
        struct.pack_into("<III", e, 68, free, free, 1 if kind == 5 else free)  # siblings, child
        struct.pack_into("<IQ", e, 116, end, 0)  # start sector, size
        return bytes(e)

    entries = [entry("Root Entry", 5)] + [entry(n, 2) for n in stream_names]
    directory = b"".join(entries).ljust(512, b"\0")
    return bytes(header) + fat + directory


# ------------------------------------------------------------------------------------------- corpus


def _oversize(d: Path) -> Path:
    return good_workbook(d / "returns_lead.xlsx")


def _text(d: Path) -> Path:
    p = d / "returns_lead.xlsx"
    p.write_text("Reference,RAG\nSER-01,Green\n")
    return p


def _png(d: Path) -> Path:
    p = d / "returns_lead.xlsx"
    p.write_bytes(b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + bytes(17))
    return p


def _truncated_zip(d: Path) -> Path:
    p = d / "returns_lead.xlsx"
    p.write_bytes(good_workbook(d / "whole.xlsx").read_bytes()[:300])
    return p


def _many_members(d: Path) -> Path:
    p = good_workbook(d / "returns_lead.xlsx")
    with zipfile.ZipFile(p, "a") as z:
        for i in range(1_200):
            z.writestr(f"xl/media/bit{i}.txt", b"")
    return p


def _expands_too_far(d: Path) -> Path:
    # 8 MB of zeros deflates to about 8 KB: a thousand-fold expansion, like a zip bomb's layers.
    return rezip(
        good_workbook(d / "good.xlsx"),
        d / "returns_lead.xlsx",
        add={"xl/media/zeros.bin": bytes(8 * 1024 * 1024)},
    )


def _traversal(d: Path) -> Path:
    return rezip(good_workbook(d / "good.xlsx"), d / "returns_lead.xlsx", add={"../../evil.txt": b"x"})


def _absolute(d: Path) -> Path:
    return rezip(good_workbook(d / "good.xlsx"), d / "returns_lead.xlsx", add={"/etc/evil.txt": b"x"})


def _duplicate(d: Path) -> Path:
    p = good_workbook(d / "returns_lead.xlsx")
    with warnings.catch_warnings(), zipfile.ZipFile(p, "a") as z:
        warnings.simplefilter("ignore")  # zipfile warns about the very thing we build
        z.writestr("xl/workbook.xml", b"<workbook/>")
    return p


def _encrypted_member(d: Path) -> Path:
    p = good_workbook(d / "returns_lead.xlsx")
    data = bytearray(p.read_bytes())
    # Set the "encrypted" bit in the local and central headers of xl/workbook.xml.
    for signature, flags_at, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        at = data.find(signature)
        while not data[at + name_at :].startswith(b"xl/workbook.xml"):
            at = data.find(signature, at + 4)
        data[at + flags_at] |= 0x1
    p.write_bytes(bytes(data))
    return p


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="&lol9;" sheetId="1" r:id="rId1"/></sheets></workbook>"""


def _billion_laughs(d: Path) -> Path:
    return rezip(
        good_workbook(d / "good.xlsx"), d / "returns_lead.xlsx", replace={"xl/workbook.xml": BILLION_LAUGHS}
    )


def _xxe_in(part: str):
    def build(d: Path) -> Path:
        good = good_workbook(d / "good.xlsx")
        with zipfile.ZipFile(good) as z:
            original = z.read(part)
        start = original.index(b"?>") + 2 if original.startswith(b"<?xml") else 0
        hostile = (
            original[:start]
            + b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            + original[start:].replace(b"</", b"&xxe;</", 1)
        )
        return rezip(good, d / "returns_lead.xlsx", replace={part: hostile})

    return build


def _external_dtd(d: Path) -> Path:
    # No entity in sight: only the ban on DTDs stops the parser from being pointed elsewhere.
    good = good_workbook(d / "good.xlsx")
    with zipfile.ZipFile(good) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    start = sheet.index(b"?>") + 2 if sheet.startswith(b"<?xml") else 0
    hostile = sheet[:start] + b'<!DOCTYPE worksheet SYSTEM "http://attacker.invalid/x.dtd">' + sheet[start:]
    return rezip(good, d / "returns_lead.xlsx", replace={"xl/worksheets/sheet1.xml": hostile})


def _xlsm_renamed(d: Path) -> Path:
    good = good_workbook(d / "good.xlsx")
    return rezip(
        good,
        d / "returns_lead.xlsx",
        edit={
            "[Content_Types].xml": (
                XLSX_MAIN.encode(),
                MACRO_MAIN.encode()
                + b'"/><Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject',
            ),
            "xl/_rels/workbook.xml.rels": (
                b"</Relationships>",
                b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" '
                b'Target="vbaProject.bin"/></Relationships>',
            ),
        },
        add={"xl/vbaProject.bin": compound_file(["VBA", "PROJECT"])},
    )


def _xlsb_renamed(d: Path) -> Path:
    """An .xlsb package as Excel writes one (binary parts, main type by the .bin default), named .xlsx."""
    p = d / "returns_lead.xlsx"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/>'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.bin" ContentType="application/vnd.ms-excel.worksheet"/>'
            "</Types>",
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.bin"/></Relationships>',
        )
        z.writestr(
            "xl/_rels/workbook.bin.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.bin"/></Relationships>',
        )
        z.writestr("xl/workbook.bin", bytes([0x83, 0x01, 0x00, 0x80, 0x01, 0x00]) + bytes(58))
        z.writestr("xl/worksheets/sheet1.bin", bytes([0x81, 0x01, 0x00]) + bytes(61))
    return p


def _vba_in_plain_xlsx(d: Path) -> Path:
    return rezip(
        good_workbook(d / "good.xlsx"), d / "returns_lead.xlsx", add={"xl/vbaProject.bin": b"\0" * 64}
    )


def _main_type(new_type: str):
    def build(d: Path) -> Path:
        return rezip(
            good_workbook(d / "good.xlsx"),
            d / "returns_lead.xlsx",
            edit={"[Content_Types].xml": (XLSX_MAIN.encode(), new_type.encode())},
        )

    return build


def _ods(d: Path) -> Path:
    p = d / "returns_lead.xlsx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    return p


def _ole2(names: list[str] | None):
    def build(d: Path) -> Path:
        p = d / "returns_lead.xlsx"
        p.write_bytes(
            compound_file(names) if names is not None else b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2040)
        )
        return p

    return build


def _renamed(part: str, new_name: str):
    """A part stored under a name that does not look like XML, holding an external entity."""

    def build(d: Path) -> Path:
        (d / "xxe").mkdir()
        hostile = _xxe_in(part)(d / "xxe")
        with zipfile.ZipFile(hostile) as z:
            content = z.read(part)
        old, new = part.split("/", 1)[1].encode(), new_name.split("/", 1)[1].encode()
        p = d / "returns_lead.xlsx"
        with zipfile.ZipFile(good_workbook(d / "good.xlsx")) as zin, zipfile.ZipFile(p, "w") as zout:
            for info in zin.infolist():
                if info.filename == part:
                    zout.writestr(new_name, content)
                elif info.filename == "[Content_Types].xml":  # and declared as not XML at all
                    types = re.sub(
                        rb'(PartName="/' + re.escape(new_name.encode()) + rb'" ContentType=")[^"]*',
                        rb"\1application/octet-stream",
                        zin.read(info).replace(old, new),
                    )
                    assert b"octet-stream" in types
                    zout.writestr(info, types)
                elif info.filename == "xl/_rels/workbook.xml.rels":
                    zout.writestr(info, zin.read(info).replace(old, new))
                else:
                    zout.writestr(info, zin.read(info))
        return p

    return build


def _sheet_missing(d: Path) -> Path:
    good = good_workbook(d / "good.xlsx")
    p = d / "returns_lead.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(p, "w") as zout:
        for info in zin.infolist():
            if info.filename != "xl/worksheets/sheet2.xml":
                zout.writestr(info, zin.read(info))
    return p


def _far_row(d: Path) -> Path:
    p = d / "returns_lead.xlsx"
    wb = Workbook()
    wb.active.title = "Status"
    wb.active.cell(row=150_000, column=1, value="stray")
    wb.save(p)
    return p


def _tiny_texts(count: int):
    """A real workbook whose shared-strings table holds ``count`` tiny texts: valid, and each one an
    object in openpyxl's memory (90 MB of them cost 49-56 s and 789 MB)."""

    def build(d: Path) -> Path:
        texts = b"".join(b"<si><t>%x</t></si>" % n for n in range(count))
        table = (
            b'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main" count="%d" uniqueCount="%d">%s</sst>' % (count, count, texts)
        )
        return rezip(
            good_workbook(d / "good.xlsx"), d / "returns_lead.xlsx", add={"xl/sharedStrings.xml": table},
            edit={
                "[Content_Types].xml": (b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" '
                                        b'ContentType="%s"/></Types>' % SHARED_STRINGS.encode()),
                "xl/_rels/workbook.xml.rels": (b"</Relationships>", b'<Relationship Type="http://schemas.'
                    b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
                    b'Target="sharedStrings.xml" Id="rId9"/></Relationships>'),
            },
        )  # fmt: skip

    return build


CORPUS = {
    "over the size limit": (_oversize, {"max_bytes": 1_000}, "KB (the limit is 1 KB)"),
    "text renamed .xlsx": (_text, {}, "is not an Excel workbook: it looks like a text or CSV file"),
    "PNG renamed .xlsx": (_png, {}, "is not an Excel workbook: it looks like a PNG picture"),
    "cut-off ZIP": (_truncated_zip, {}, "is damaged or not an Excel workbook"),
    "zip bomb by member count": (_many_members, {}, "is not an Excel workbook: it is a ZIP of 1,210 files"),
    "zip bomb by expansion ratio": (_expands_too_far, {}, "expands 1,0"),
    "zip bomb by total size": (_oversize, {"max_uncompressed": 2_000}, "would expand to"),
    "member named ../": (_traversal, {}, "'../../evil.txt', a name that points outside the workbook"),
    "member with absolute path": (_absolute, {}, "'/etc/evil.txt', a name that points outside"),
    "two members with one name": (_duplicate, {}, "contains two parts named 'xl/workbook.xml'"),
    "zip-encrypted member": (_encrypted_member, {}, "is password-protected (its parts are encrypted)"),
    "billion laughs in workbook.xml": (
        _billion_laughs,
        {},
        "part xl/workbook.xml declares XML entities or a DTD",
    ),
    "XXE in a sheet": (
        _xxe_in("xl/worksheets/sheet1.xml"),
        {},
        "part xl/worksheets/sheet1.xml declares XML entities",
    ),
    "external DTD in a sheet": (
        _external_dtd,
        {},
        "part xl/worksheets/sheet1.xml declares XML entities or a DTD",
    ),
    "XXE in [Content_Types].xml": (_xxe_in("[Content_Types].xml"), {}, "part [Content_Types].xml declares"),
    "XXE in workbook rels": (
        _xxe_in("xl/_rels/workbook.xml.rels"),
        {},
        "part xl/_rels/workbook.xml.rels declares",
    ),
    "XXE in document properties": (_xxe_in("docProps/core.xml"), {}, "part docProps/core.xml declares"),
    ".xlsm renamed .xlsx": (
        _xlsm_renamed,
        {},
        "contains macros (it is an .xlsm workbook); save it as an Excel Workbook (.xlsx)",
    ),
    ".xlsb renamed .xlsx": (_xlsb_renamed, {}, "is an Excel binary workbook (.xlsb), which can hold macros"),
    "vbaProject.bin in an .xlsx": (_vba_in_plain_xlsx, {}, "contains macros (a VBA project)"),
    "template": (
        _main_type("application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml"),
        {},
        "is an Excel template (.xltx)",
    ),
    "add-in": (
        _main_type("application/vnd.ms-excel.addin.macroEnabled.main+xml"),
        {},
        "(it is an .xlam add-in)",
    ),
    "Word document": (
        _main_type("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
        {},
        "it is a Word document",
    ),
    "unknown main part": (
        _main_type("application/x-something-else"),
        {},
        "its main part is of type 'application/x-something-else'",
    ),
    "OpenDocument spreadsheet": (_ods, {}, "is an OpenDocument spreadsheet (.ods)"),
    "OLE2 signature only": (_ole2(None), {}, "is password-protected or an old .xls workbook"),
    "encrypted workbook (OLE2 with EncryptionInfo)": (
        _ole2(["EncryptionInfo", "EncryptedPackage"]),
        {},
        "is password-protected, so it cannot be checked or read",
    ),
    "legacy .xls (OLE2 with a Workbook stream)": (
        _ole2(["Workbook"]),
        {},
        "is an old-format Excel workbook (.xls)",
    ),
    "sheet under a non-XML name": (
        _renamed("xl/worksheets/sheet1.xml", "xl/worksheets/sheet1.dat"),
        {},
        "part xl/worksheets/sheet1.dat declares XML entities",
    ),
    "styles under a non-XML name": (
        _renamed("xl/styles.xml", "xl/styles.dat"),
        {},
        "part xl/styles.dat declares XML entities",
    ),
    "sheet part missing": (_sheet_missing, {}, "is damaged: the part holding sheet 'Notes' is missing"),
    "a row far below the data": (_far_row, {}, "sheet 'Status' uses row 150,000"),
    "a quarter of a million tiny texts": (_tiny_texts(250_000), {}, "holds more than 200,000 separate texts"),
    "a table of texts too large": (
        _tiny_texts(2_000),
        {"max_strings_bytes": 10_000},
        "table of texts would be",
    ),
    "a sheet of too many cells": (_oversize, {"max_cells": 5}, "sheet 'Status' has more than 5 cells"),
    "a part too large": (_oversize, {"max_part_bytes": 5_000}, "its part xl/theme/theme1.xml would be"),
}


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("case", list(CORPUS))
def test_hostile_file_is_refused_in_plain_words_and_nothing_is_written(case, tmp_path, monkeypatch):
    build, limits, expected = CORPUS[case]
    path = build(tmp_path)
    before = _snapshot(tmp_path)

    with pytest.raises(UnsafeWorkbook) as refused:
        inspect_upload(path, **limits)

    message = str(refused.value)
    assert message.startswith("returns_lead.xlsx "), message
    assert expected in message
    assert isinstance(refused.value, StoreError)

    # open_untrusted refuses the same file before openpyxl sees a byte of it.
    monkeypatch.setattr(
        openpyxl, "load_workbook", lambda *a, **k: pytest.fail("openpyxl was asked to parse it")
    )
    with pytest.raises(UnsafeWorkbook), open_untrusted(path, **limits):
        pass
    assert _snapshot(tmp_path) == before


def test_a_missing_file_and_a_folder_are_named(tmp_path):
    with pytest.raises(UnsafeWorkbook, match="returns_lead.xlsx was not found"):
        inspect_upload(tmp_path / "returns_lead.xlsx")
    (tmp_path / "folder.xlsx").mkdir()
    with pytest.raises(UnsafeWorkbook, match="folder.xlsx is not a file"):
        inspect_upload(tmp_path / "folder.xlsx")
    (tmp_path / "empty.xlsx").write_bytes(b"")
    with pytest.raises(UnsafeWorkbook, match="empty.xlsx is empty"):
        inspect_upload(tmp_path / "empty.xlsx")


def test_a_good_workbook_passes_and_opens_read_only_with_formulas_as_formulas(tmp_path):
    path = good_workbook(tmp_path / "returns_lead.xlsx")
    safe = inspect_upload(path)
    assert isinstance(safe, SafeFile)
    assert safe.sheet_names == ("Status", "Notes")
    assert safe.size == path.stat().st_size and safe.data == path.read_bytes()
    assert safe.members >= 8 and safe.uncompressed > safe.size

    with open_untrusted(path) as wb:
        assert wb.read_only
        ws = wb["Status"]
        rows = list(ws.iter_rows(min_row=2, max_col=3, values_only=True))
        archive = wb._archive
    assert rows == [("SER-01", "Green", 40), ("SER-02", "Amber", 10)]
    assert archive.fp is None, "the read-only workbook was left open"

    # A SafeFile opens the bytes that were inspected, even if the file changes afterwards.
    path.write_bytes(b"changed after inspection")
    with open_untrusted(safe) as wb:
        assert wb.sheetnames == ["Status", "Notes"]


def test_the_size_limits_are_what_refuse_large_files(tmp_path):
    path = good_workbook(tmp_path / "returns_lead.xlsx")
    size = path.stat().st_size
    assert inspect_upload(path, max_bytes=size).size == size
    with pytest.raises(UnsafeWorkbook, match="too large"):
        inspect_upload(path, max_bytes=size - 1)
    with pytest.raises(UnsafeWorkbook, match="ZIP of"):
        inspect_upload(path, max_members=3)


def test_formulas_in_input_cells_are_found_and_refused_with_their_cells(tmp_path):
    path = tmp_path / "returns_lead.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "Status"
    ws.append(["Reference", "Progress", "Commentary"])
    ws.append(["SER-01", "=SUM(1,2)", "plain words"])
    ws.append(["SER-02", 30, "=typed as text"])
    ws["C3"].data_type = "s"
    ws["C3"].quotePrefix = True  # what Excel stores for '=typed as text
    ws.append(["SER-03", 40, '=HYPERLINK("http://example.invalid")'])
    ws.append(["SER-04", None, None])
    ws["B5"] = ArrayFormula("B5", "=SUM(B2:B3*B2:B3)")  # its value is an object, not "=..."
    wb.save(path)

    with open_untrusted(path) as wb:
        ws = wb["Status"]
        rows = list(ws.iter_rows(min_row=2, max_col=3))
        flags = [[cell_is_formula(c) for c in row] for row in rows]
        assert flags == [
            [False, True, False],
            [False, False, False],
            [False, False, True],
            [False, True, False],
        ]
        refuse_formulas("returns_lead.xlsx", "Status", rows[1])  # no formula: no complaint
        with pytest.raises(UnsafeWorkbook) as refused:
            refuse_formulas("returns_lead.xlsx", "Status", [c for row in rows for c in row])
    assert str(refused.value).startswith(
        "returns_lead.xlsx, sheet 'Status': cells B2, C4, B5 hold formulas; type the values in instead"
    )


@pytest.mark.parametrize(
    "case",
    [".xlsm renamed .xlsx", "vbaProject.bin in an .xlsx", "template", "a row far below the data",
     "a table of texts too large"],
)  # fmt: skip
def test_the_corpus_is_real_workbooks_that_openpyxl_alone_would_open(case, tmp_path):
    """Only our checks stand between these files and the importer."""
    path = CORPUS[case][0](tmp_path)
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        assert wb.sheetnames
    finally:
        wb.close()
