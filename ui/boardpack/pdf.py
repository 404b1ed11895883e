"""Bookmarks and a document language for a PDF that Qt wrote, added as an incremental update.

QPdfWriter sets a title but writes no outline and no /Lang. PDF allows new objects to be appended
after the file's end with an xref section that points back to the original one (ISO 32000-1, 7.5.6),
so the catalog is rewritten there with /Outlines, /Lang and /PageMode, and the bytes Qt wrote stay as
they are. This reads only what Qt's writer produces: uncompressed object dictionaries and a classic
xref table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Bookmark:
    title: str
    level: int  # 1 or 2
    page: int  # 0-based
    top: float  # points from the top of the page


def add_outline(path: Path, marks: list[Bookmark], *, lang: str, page_height: float) -> None:
    data = path.read_bytes()
    trailer = data[data.rindex(b"trailer") :]
    root = _int(rb"/Root (\d+) 0 R", trailer)
    size = _int(rb"/Size (\d+)", trailer)
    info = re.search(rb"/Info (\d+) 0 R", trailer)
    ids = re.search(rb"/ID \[[^\]]*\]", trailer)
    prev = int(data[data.rindex(b"startxref") + 9 :].split()[0])
    catalog = _object(data, root)
    kids = _object(data, _int(rb"/Pages (\d+) 0 R", catalog))
    pages = [int(n) for n in re.findall(rb"(\d+) 0 R", kids[kids.index(b"/Kids") :].split(b"]")[0])]

    outline_root = size
    numbers = [size + 1 + i for i in range(len(marks))]
    parents: list[int] = []  # each mark's parent object
    children: dict[int, list[int]] = {outline_root: []}
    last_top = outline_root
    for n, m in zip(numbers, marks, strict=True):
        parent = outline_root if m.level == 1 else last_top
        parents.append(parent)
        children.setdefault(parent, []).append(n)
        children.setdefault(n, [])
        if m.level == 1:
            last_top = n
    objects: dict[int, bytes] = {}
    for n, m, parent in zip(numbers, marks, parents, strict=True):
        sibs = children[parent]
        i = sibs.index(n)
        parts = [b"/Title " + _text(m.title), b"/Parent %d 0 R" % parent,
                 b"/Dest [%d 0 R /XYZ 0 %.2f null]" % (pages[m.page], page_height - m.top)]  # fmt: skip
        if i > 0:
            parts.append(b"/Prev %d 0 R" % sibs[i - 1])
        if i < len(sibs) - 1:
            parts.append(b"/Next %d 0 R" % sibs[i + 1])
        if children[n]:
            parts.append(
                b"/First %d 0 R /Last %d 0 R /Count %d" % (children[n][0], children[n][-1], len(children[n]))
            )
        objects[n] = b"<<\n" + b"\n".join(parts) + b"\n>>"
    top = children[outline_root]
    objects[outline_root] = (
        b"<<\n/Type /Outlines /First %d 0 R /Last %d 0 R /Count %d\n>>" % (top[0], top[-1], len(marks))
        if top
        else b"<<\n/Type /Outlines /Count 0\n>>"
    )
    kept = re.sub(rb"/(Outlines \d+ 0 R|Lang \([^)]*\)|PageMode /\w+)", b"", catalog)
    objects[root] = (
        b"<<" + kept + b"\n/Outlines %d 0 R\n/PageMode /UseOutlines\n/Lang %s\n" % (outline_root, _text(lang))
        + b"/ViewerPreferences << /DisplayDocTitle true >>\n>>"
    )  # fmt: skip

    out = bytearray(data if data.endswith(b"\n") else data + b"\n")
    offsets = {}
    for n in sorted(objects):
        offsets[n] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (n, objects[n])
    xref = len(out)
    out += b"xref\n0 1\n0000000000 65535 f \n"
    for n in sorted(offsets):  # one subsection per object: simple, and every reader accepts it
        out += b"%d 1\n%010d 00000 n \n" % (n, offsets[n])
    out += b"trailer\n<<\n/Size %d\n/Root %d 0 R\n" % (size + 1 + len(marks), root)
    if info:
        out += info.group(0) + b"\n"
    if ids:
        out += ids.group(0) + b"\n"
    out += b"/Prev %d\n>>\nstartxref\n%d\n%%%%EOF\n" % (prev, xref)
    path.write_bytes(bytes(out))


def check_pdf(path: Path, pages: int) -> None:
    """Raise unless ``path`` is a whole PDF as written here: a header, a last cross-reference table
    where its ``startxref`` says, a trailer whose catalog's page tree counts ``pages`` pages, and the
    end-of-file mark (a write cut short, by a full disk or otherwise, lacks them)."""
    data = path.read_bytes()
    if not data.startswith(b"%PDF-"):
        raise ValueError("it does not start as a PDF")
    if not data.rstrip().endswith(b"%%EOF"):
        raise ValueError("it has no end-of-file mark")
    start = data.rindex(b"startxref")
    xref = int(data[start + 9 :].split()[0])
    if data[xref : xref + 4] != b"xref":
        raise ValueError("its cross-reference table is not where the file says")
    trailer = data[data.rindex(b"trailer") :]
    catalog = _object(data, _int(rb"/Root (\d+) 0 R", trailer))
    tree = _object(data, _int(rb"/Pages (\d+) 0 R", catalog))
    count = _int(rb"/Count (\d+)", tree)
    if count != pages:
        raise ValueError(f"it has {count} pages, not {pages}")


def _int(pattern: bytes, data: bytes) -> int:
    found = re.search(pattern, data)
    if found is None:
        raise ValueError(f"not a PDF as Qt writes it: no {pattern.decode()!r}")
    return int(found.group(1))


def _object(data: bytes, n: int) -> bytes:
    """The inside of object ``n``'s dictionary (between its outer << and >>)."""
    found = re.search(rb"(?:^|\n)%d 0 obj\s*<<(.*?)>>\s*endobj" % n, data, re.S)
    if found is None:
        raise ValueError(f"not a PDF as Qt writes it: object {n} not found")
    return found.group(1)


def _text(s: str) -> bytes:
    """A PDF text string: UTF-16BE with its byte order mark, in hex (any character, no escaping)."""
    return b"<FEFF" + s.encode("utf-16-be").hex().upper().encode() + b">"
