"""Reading a committee paper (.docx) back for tests: its text, as Word holds it, part by part."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from docx import Document


@dataclass(frozen=True)
class ReadPaper:
    paragraphs: list[tuple[str, str]]  # (style name, text) in the body, in order
    cells: list[list[list[str]]]  # each table's rows of cell texts
    headers: list[str]  # every header's text, one per section (and per kind of header in use)
    footers: list[str]
    xml: str  # word/document.xml, for what text cannot show (fields)

    @property
    def text(self) -> str:
        """Everything a reader sees in the body, paragraphs then tables."""
        parts = [t for _, t in self.paragraphs] + [c for table in self.cells for row in table for c in row]
        return "\n".join(parts)

    def styled(self, style: str) -> list[str]:
        return [t for s, t in self.paragraphs if s == style]


def read_paper(path: Path) -> ReadPaper:
    doc = Document(str(path))
    headers, footers = [], []
    for section in doc.sections:
        parts = [(section.header, section.footer)]
        if section.different_first_page_header_footer:
            parts.append((section.first_page_header, section.first_page_footer))
        if doc.settings.odd_and_even_pages_header_footer:
            parts.append((section.even_page_header, section.even_page_footer))
        for header, footer in parts:
            headers.append("\n".join(p.text for p in header.paragraphs))
            footers.append("\n".join(p.text for p in footer.paragraphs))
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    return ReadPaper(
        [(p.style.name if p.style is not None else "", p.text) for p in doc.paragraphs],
        [[[c.text for c in row.cells] for row in table.rows] for table in doc.tables],
        headers,
        footers,
        xml,
    )


UK_DATE = re.compile(r"\b(\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4})\b")
