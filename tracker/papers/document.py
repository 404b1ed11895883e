"""A committee paper written as a Word document with python-docx, in Word's own styles.

Headings are Heading 1 and 2, numbered paragraphs List Number (one sequence through the paper, as in
the source), work done List Bullet, the item's own words Quote, the appendix a Table Grid table: so the
secretariat's template can restyle the whole paper. The marking is in the header and footer of every
section. Text goes in as text, never as a field: only the footer's page number is a field.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tracker.papers.content import Block, Paper

# Characters XML 1.0 cannot hold (python-docx refuses them): C0 controls but tab and newline, lone
# surrogates, and the two non-characters at the end of the basic plane.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")

HANG = 567  # twentieths of a point: 1 cm, where a numbered or bulleted paragraph's text starts
APPENDIX_CM = (2.2, 3.4, 3.6, 2.2, 2.6, 2.0)  # reference, kind, owner, due, status, latest note: 16 cm

STYLES = {
    "heading1": "Heading 1",
    "heading2": "Heading 2",
    "numbered": "List Number",
    "bullet": "List Bullet",
    "para": "Normal",
    "quote": "Quote",
}


def clean(text: str) -> str:
    """Text Word can hold, read as written: line ends made one kind, control characters dropped."""
    return _NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def write_document(paper: Paper, path: Path, *, progress: Callable[[int, int], Any] | None = None) -> int:
    """Write the paper to ``path`` (a .docx); returns the number of paragraphs written."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    doc = Document()
    props = doc.core_properties
    props.title, props.subject, props.author, props.comments = clean(paper.title)[:255], "", "", ""
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.2)
    _mark(section.header.paragraphs[0], paper.marking, WD_ALIGN_PARAGRAPH.CENTER)
    footer = section.footer.paragraphs[0]
    _mark(footer, paper.marking, WD_ALIGN_PARAGRAPH.CENTER)
    _page_number(section.footer.add_paragraph(), WD_ALIGN_PARAGRAPH.CENTER)

    _tune_lists(doc)
    styles = {key: doc.styles[name] for key, name in STYLES.items()}
    doc.add_paragraph(clean(paper.title), style=doc.styles["Title"])
    heading = doc.add_table(rows=0, cols=2)
    heading.alignment = WD_TABLE_ALIGNMENT.LEFT
    heading.autofit = False
    for label, value in paper.fields:
        cells = heading.add_row().cells
        cells[0].paragraphs[0].add_run(clean(label)).bold = True
        cells[1].paragraphs[0].add_run(clean(value))
    _widths(heading, (Cm(4), Cm(12)))
    total = len(paper.blocks) + len(paper.appendix_rows)
    for n, block in enumerate(paper.blocks):
        _add(doc, styles[block.style], block)
        if progress is not None and n % 200 == 0:
            progress(n, total)

    if paper.appendix_rows:
        doc.add_page_break()
        doc.add_paragraph(clean(paper.appendix_title), style=styles["heading1"])
        table = doc.add_table(rows=1, cols=len(paper.appendix_headers))
        table.style = doc.styles["Table Grid"]
        table.autofit = False
        head = table.rows[0]
        _repeat_as_header(head)
        for cell, text in zip(head.cells, paper.appendix_headers, strict=True):
            cell.paragraphs[0].add_run(clean(text)).bold = True
        for n, row in enumerate(paper.appendix_rows):
            for cell, text in zip(table.add_row().cells, row, strict=True):
                cell.text = clean(text)
            if progress is not None and n % 200 == 0:
                progress(len(paper.blocks) + n, total)
        _widths(table, tuple(Cm(w) for w in APPENDIX_CM))
        for row in table.rows:
            for cell in row.cells:
                for para in cell.paragraphs:
                    for run in para.runs:
                        run.font.size = Pt(9)
    end = doc.add_paragraph()
    end.alignment = WD_ALIGN_PARAGRAPH.CENTER
    end.paragraph_format.space_before = Cm(0.6)
    end.add_run("End of report").bold = True
    doc.save(str(path))
    return len(doc.paragraphs)


def _tune_lists(doc: Any) -> None:
    """Numbers up to three digits clear their text (the template's 0.25 inch does not hold "10."), and
    numbered paragraphs are spaced apart like the source's; bullets stay close under their lead-in."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    for lvl in doc.part.numbering_part.element.iter(qn("w:lvl")):
        style = lvl.find(qn("w:pStyle"))
        if style is None or style.get(qn("w:val")) not in ("ListNumber", "ListBullet"):
            continue
        props = lvl.find(qn("w:pPr"))
        for tab in props.iter(qn("w:tab")):
            tab.set(qn("w:pos"), str(HANG))
        for ind in props.iter(qn("w:ind")):
            ind.set(qn("w:left"), str(HANG))
            ind.set(qn("w:hanging"), str(HANG))
    numbered = doc.styles["List Number"]
    for el in numbered.element.pPr.findall(qn("w:contextualSpacing")):
        numbered.element.pPr.remove(el)
    numbered.paragraph_format.space_after = Pt(6)


def _add(doc: Any, style: Any, block: Block) -> None:
    para = doc.add_paragraph()
    if style.style_id != "Normal":
        # Named by id on the paragraph: python-docx's own ``style=`` looks for the default style among
        # them all for every paragraph, which was most of the time a long paper took.
        para._p.get_or_add_pPr().style = style.style_id
    if block.style in ("quote", "para"):  # an item's words, its facts, a lead-in: kept with what follows
        para.paragraph_format.keep_with_next = True
        para.paragraph_format.keep_together = True
    if block.lead:
        para.add_run(clean(block.lead)).bold = True
    if block.text:
        para.add_run(clean(block.text))
    for lead, text in block.more:
        para.add_run(clean(lead)).bold = True
        para.add_run(clean(text))


def _widths(table: Any, widths: tuple[Any, ...]) -> None:
    """Column widths Word and LibreOffice both keep: on the grid and on every cell."""
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _mark(paragraph: Any, marking: str, align: Any) -> None:
    paragraph.alignment = align
    paragraph.add_run(clean(marking)).bold = True


def _page_number(paragraph: Any, align: Any) -> None:
    """'Page N of M', with Word's PAGE and NUMPAGES fields."""
    paragraph.alignment = align
    paragraph.add_run("Page ")
    _field(paragraph, "PAGE")
    paragraph.add_run(" of ")
    _field(paragraph, "NUMPAGES")


def _field(paragraph: Any, code: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()._r
    for kind, text in (("begin", None), (None, f" {code} "), ("separate", None), (None, "1"), ("end", None)):
        if kind is not None:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text and text.strip() == code:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        else:
            el = OxmlElement("w:t")
            el.text = text
        run.append(el)


def _repeat_as_header(row: Any) -> None:
    """The appendix's heading row is repeated at the top of each page the table runs onto."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    props = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    props.append(el)
