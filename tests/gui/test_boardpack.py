"""The board pack as its reader gets it: the PDF's text (pdftotext), bookmarks (pdftohtml) and fonts.

For the sample plan and a (small) scale plan, every overdue milestone, exception and open
recommendation the queries hold is in the pack, and nothing else; every breakdown adds up.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
import zlib
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from tracker.audit import read_head
from tracker.db import Actor
from tracker.enums import OPEN_RECOMMENDATION_STATUSES
from tracker.queries import latest_period_with_updates, milestone_rows, periods, recommendation_rows
from tracker.queries.period_report import period_report
from tracker.seed.sample import add_sample_progress
from tracker.seed.scale import build_scale_plan
from tracker.seed.template import emsou_template, seed_plan
from tracker.store import open_store
from ui.boardpack import write_board_pack
from ui.boardpack.blocks import Chart, Table
from ui.boardpack.content import PackData, load_pack, sections
from ui.boardpack.words import uk
from ui.palette import make_palette

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdftohtml") is None,
    reason="pdftotext and pdftohtml (poppler-utils) are not installed",
)

PERIOD = "2023/24 Q3"  # a closed period of the sample plan with every kind of status, movement and exception
TODAY = date(2024, 6, 1)
SECTIONS = ["Contents", "Executive summary", "RAG by theme", "RAG trend across periods", "Movement", "Top risks",
            "Risk heat map", "Milestones", "Inspection recommendations", "Exceptions",
            "Appendix A: every objective's RAG by theme", "Definitions", "Glossary"]  # fmt: skip


class Pack(NamedTuple):
    path: Path
    n: int  # pages, as write_board_pack counted them
    pages: list[str]  # each page's text in the order it was drawn (pdftotext -raw)
    outline: list[tuple[int, str, int]]  # (level, title, page)
    data: PackData
    milestones: list[Any]  # every live milestone
    recommendations: list[Any]  # every live recommendation
    progress: list[tuple[int, int, str]]
    store: Any

    def section(self, title: str) -> str:
        """The text of a section's pages, whitespace collapsed."""
        tops = [(t, p) for level, t, p in self.outline if level == 1]
        start = next(i for i, (t, _) in enumerate(tops) if t == title)
        end = tops[start + 1][1] - 1 if start + 1 < len(tops) else len(self.pages)
        return norm(" ".join(self.pages[tops[start][1] - 1 : end]))


def norm(text: str) -> str:
    """Whitespace collapsed, and a line broken after a hyphen ("data-\nsharing") joined again."""
    return re.sub(r"(?<=\w-) (?=\w)", "", " ".join(text.split()))


def make_pack(store: Any, period_id: str, out: Path, today: date | None) -> Pack:
    seen: list[tuple[int, int, str]] = []
    n = write_board_pack(store, period_id, out, lambda d, t, text: seen.append((d, t, text)), today=today)
    raw = subprocess.run(
        ["pdftotext", "-raw", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    with store.read() as s:
        data = load_pack(s, period_id, today=today)
        milestones = milestone_rows(s, as_of=data.dash.as_of)
        recommendations = recommendation_rows(s, as_of=data.dash.as_of)
    return Pack(out, n, raw.split("\f")[:-1], outline(out), data, milestones, recommendations, seen, store)


def outline(pdf: Path) -> list[tuple[int, str, int]]:
    xml = subprocess.run(["pdftohtml", "-xml", "-i", "-stdout", str(pdf)], capture_output=True, text=True,
                         check=True).stdout  # fmt: skip
    out, depth = [], 0
    for line in xml[xml.find("<outline>") :].splitlines():
        if line.startswith("<outline"):
            depth += 1
        elif line.startswith("</outline"):
            depth -= 1
        elif found := re.match(r'<item page="(\d+)">(.*)</item>', line):
            out.append((depth, html.unescape(found.group(2)), int(found.group(1))))
    return out


@pytest.fixture(scope="module")
def sample_pack(qapp, tmp_path_factory) -> Pack:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("sample")
    store = open_store(folder / "plan.db")
    actor = Actor("PMO analyst", "cli")
    with store.write() as session:
        seed_plan(session, actor=actor, template=emsou_template())
        add_sample_progress(session, actor=actor)
    with store.read() as s:
        pid = next(p.id for p in periods(s) if p.name == PERIOD)
    yield make_pack(store, pid, folder / "pack.pdf", TODAY)
    store.close()


@pytest.fixture(scope="module")
def scale_pack(qapp, tmp_path_factory) -> Pack:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("scale")
    store = open_store(folder / "plan.db")
    with store.write() as session:
        build_scale_plan(session, actor=Actor("Benchmark", "cli"), objectives=300, milestones=3_000, risks=600,
                         audit_entries=0, periods=8)  # fmt: skip
    with store.read() as s:
        period = latest_period_with_updates(s)
        assert period is not None
    yield make_pack(store, period.id, folder / "pack.pdf", None)
    store.close()


@pytest.fixture(params=["sample", "scale"])
def pack(request) -> Pack:  # type: ignore[no-untyped-def]
    return request.getfixturevalue(f"{request.param}_pack")


def between(text: str, start: str, end: str | None = None) -> str:
    i = text.index(start)
    return text[i : text.index(end, i) if end else len(text)]


def test_every_overdue_and_upcoming_milestone_appears_once_and_no_other(pack: Pack) -> None:
    d = pack.data.dash
    part = pack.section("Milestones")
    overdue = between(part, "Overdue milestones (", "Milestones due in the next 90 days (")
    upcoming = between(part, "Milestones due in the next 90 days (")
    assert f"Overdue milestones ({len(d.overdue_milestones):,})" in overdue
    assert f"Milestones due in the next 90 days ({len(d.upcoming):,})" in upcoming

    def key(ref: str, title: str, owner: str, due: date) -> str:
        return norm(f"{ref} {title} {owner} {uk(due)}")

    late = Counter(key(m.ref, m.title, m.owner_name, m.due) for m in d.overdue_milestones)
    soon = Counter(key(u.objective_ref, u.title, u.owner_name, u.forecast_date) for u in d.upcoming)
    assert late and soon
    for m in pack.milestones:
        k = key(m.objective_ref, m.title, m.owner_name, m.forecast_date)
        assert overdue.count(k) == late[k], f"overdue milestone {k!r}"
        assert upcoming.count(k) == soon[k], f"milestone due soon {k!r}"


def test_every_exception_appears_in_its_objectives_block_and_no_other(pack: Pack) -> None:
    d = pack.data.dash
    part = pack.section("Exceptions")
    with_exceptions = {r.objective_id for r in d.exceptions}
    assert d.exceptions
    for o in d.objectives.values():
        block = norm(f"{o.ref} {o.title} Lead:")
        assert part.count(block) == (o.id in with_exceptions), f"{o.ref}'s block"
    for r in d.exceptions:
        assert norm(f"• {r.kind.label}: {r.detail}") in part, (
            f"{r.kind.label} for {r.objective_ref}: {r.detail}"
        )
    assert part.count("• ") == len(d.exceptions)


def test_every_open_recommendation_appears_and_no_other(pack: Pack) -> None:
    part = between(pack.section("Inspection recommendations"), "Open recommendations (")
    open_ = {s.value for s in OPEN_RECOMMENDATION_STATUSES}
    assert any(r.status in open_ for r in pack.recommendations)
    for r in pack.recommendations:
        shown = norm(f"{r.ref} {r.kind.capitalize()} {r.text}")
        assert part.count(shown) == (r.status in open_), f"{r.ref} ({r.status})"
    assert len(pack.data.recommendations) == pack.data.dash.headline.open_recommendations


def number(cell: object) -> int:
    return int(str(cell).replace(",", ""))


def test_every_breakdown_adds_up_to_the_whole(pack: Pack) -> None:
    d = pack.data.dash
    n = d.headline.n_objectives
    secs = {s.title: s for s in sections(pack.data, make_palette())}
    for s in secs.values():  # every total row is the sum of the rows above it
        for t in s.tables():
            if t.rows and t.rows[-1].bold:
                for i, col in enumerate(t.columns):
                    if col.right:
                        parts = sum(number(r.cells[i]) for r in t.rows[:-1])
                        assert parts == number(t.rows[-1].cells[i]), f"{s.title}: {col.header}"
            if t.columns[-1].header == "Total":  # and every Total column the sum of the columns before it
                for r in t.rows:
                    assert sum(number(c) for c in r.cells[1:-1]) == number(r.cells[-1]), (
                        f"{s.title}: {r.cells[0]}"
                    )

    def totals(title: str, i: int = 0) -> list[int]:
        return [number(r.cells[-1]) for r in secs[title].tables()[i].rows]

    def bars(title: str) -> list[int]:
        chart = next(b for b in secs[title].blocks if isinstance(b, Chart))
        return chart.draw.keywords["b"].totals  # type: ignore[attr-defined, no-any-return]

    assert totals("Executive summary")[-1] == n == totals("RAG by theme")[-1] == totals("Movement")[-1]
    assert sum(bars("RAG by theme")) == n == sum(bars("Movement"))
    assert set(totals("RAG trend across periods")) == {n} == set(bars("RAG trend across periods"))
    shown = len(d.overdue_milestones) + len(d.upcoming)
    assert totals("Milestones")[-1] == shown == sum(bars("Milestones"))
    assert number(secs["Milestones"].tables()[0].rows[-1].cells[1]) == d.headline.overdue_milestones
    by_body = secs["Inspection recommendations"].tables()[0].rows[-1]
    assert number(by_body.cells[2]) == sum(r.n for r in d.recommendations)
    assert sum(bars("Inspection recommendations")) == sum(r.n for r in d.recommendations)
    assert d.residual.total == d.inherent.total == pack.data.top.n_open
    figures = pack.section("Executive summary")
    assert (
        f"All objectives {n:,}" in figures
        and f"Overdue milestones {d.headline.overdue_milestones:,}" in figures
    )


def test_every_page_carries_the_marking_page_x_of_y_and_sample_data(pack: Pack) -> None:
    assert len(pack.pages) == pack.n
    for i, page in enumerate(pack.pages, start=1):
        assert page.count("OFFICIAL") >= 2, f"page {i} lacks the marking at its head and foot"
        assert f"Page {i} of {pack.n}" in page
        assert "SAMPLE DATA" in page  # both plans are samples
        assert not re.search(r"\b\d{4}-\d\d-\d\d\b", page), f"page {i} shows an ISO date"
    assert pack.progress[-1][:2] == (pack.n, pack.n)


def test_every_page_prints_the_audit_anchor_and_the_cover_prints_it_whole(pack: Pack) -> None:
    with pack.store.read() as session:
        seq, digest = read_head(session)
    for i, page in enumerate(pack.pages, start=1):
        assert f"Audit anchor {seq}:{digest[:16]}" in page, f"page {i} lacks the audit anchor"
    assert f"Audit anchor {seq}:{digest}." in norm(pack.pages[0])


def test_contents_and_bookmarks_name_every_section_with_its_page(sample_pack: Pack) -> None:
    p = sample_pack
    tops = [(t, page) for level, t, page in p.outline if level == 1]
    assert [t for t, _ in tops] == ["Cover", *SECTIONS]
    contents = norm(p.pages[1])
    for title, page in tops[2:]:
        assert f"{title} {page}" in contents
        assert norm(p.pages[page - 1]).startswith(title) or title in norm(p.pages[page - 1])[:200]
    theme_marks = [t for level, t, _ in p.outline if level == 2 and t in {"SER Service", "GOV Governance"}]
    assert theme_marks == ["SER Service", "GOV Governance"]


def test_the_pdf_is_a4_with_a_title_a_language_and_no_text_under_8_points(sample_pack: Pack) -> None:
    info = subprocess.run(
        ["pdfinfo", str(sample_pack.path)], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"Page size:\s+842 x 595 pts \(A4\)", info), info  # landscape: 297 x 210 mm
    assert "Title:           EMSOU Strategy and Delivery Plan 2021/22: board pack, 2023/24 Q3" in info
    data = sample_pack.path.read_bytes()
    lang = re.findall(rb"/Lang <FEFF([0-9A-F]+)>", data)
    assert [bytes.fromhex(x.decode()).decode("utf-16-be") for x in lang] == ["en-GB"]
    sizes = font_sizes(data)
    # Qt prints a font at whole pixels (8 pt at 96 dpi is 10.67 px, printed at 11 px: 8.25 pt)
    assert 8 <= min(sizes) < 8.5, sorted(sizes)[:5]


def font_sizes(pdf: bytes) -> set[float]:
    """Every font size the pages' content streams set (Tf), in points: Qt draws in pixels at 96 dpi
    under a 0.75 scale (the first ``cm`` of each page)."""
    sizes: set[float] = set()
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            text = zlib.decompress(stream)
        except zlib.error:
            continue
        scale = re.search(rb"^([\d.]+) 0 0 -?[\d.]+ [\d.]+ [\d.]+ cm", text, re.M)
        for size in re.findall(rb"/F\d+ ([\d.]+) Tf", text):
            assert scale, "a page with text but no scale"
            sizes.add(round(float(size) * float(scale.group(1)), 2))
    return sizes


def test_the_summary_says_plainly_when_the_pmo_wrote_nothing(sample_pack: Pack) -> None:
    summary = sample_pack.section("Executive summary")
    assert f"No key messages were recorded for {PERIOD}." in summary
    assert f"No decisions were recorded for {PERIOD}." in summary


def test_the_summary_gives_the_pmos_key_messages_and_the_decisions_asked(sample_pack: Pack, tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = sample_pack.store
    with store.read() as s:
        pid = next(p.id for p in periods(s) if p.name == "2023/24 Q4")
        report = period_report(s, pid)
    assert report.has_report
    pack = make_pack(store, pid, tmp_path / "q4.pdf", TODAY)
    summary = pack.section("Executive summary")
    for line in report.key_messages.splitlines():
        assert norm(f"• {line}") in summary
    for i, line in enumerate(report.decisions.splitlines(), start=1):
        assert norm(f"{i}. {line}") in summary
    assert f"Last changed by {report.written_by} on " in summary and "No key messages" not in summary


def test_board_pack_command_works_without_a_display(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "plan.db"
    root = Path(__file__).resolve().parents[2]
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(root)}
    run = lambda *a: subprocess.run([sys.executable, str(root / "main.py"), "--db", str(db), *a],  # noqa: E731
                                    capture_output=True, text=True, env=env, cwd=tmp_path)  # fmt: skip
    assert run("init", "--sample").returncode == 0
    done = run("board-pack", "--period", PERIOD, "--out", str(tmp_path / "pack.pdf"))
    assert done.returncode == 0, done.stderr
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "pack.pdf"), "-"], capture_output=True, text=True
    ).stdout
    pages = text.split("\f")[:-1]
    assert all("OFFICIAL" in p for p in pages) and f"Page {len(pages)} of {len(pages)}" in pages[-1]
    bad = run("board-pack", "--period", "1999 Q9", "--out", str(tmp_path / "x.pdf"))
    assert bad.returncode == 2 and "no reporting period called" in bad.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_tables_are_printed_whole(sample_pack: Pack) -> None:
    """Each table in the content is as long as the list behind it (the PDF tests above read them back)."""
    d = sample_pack.data.dash
    secs = {s.title: s for s in sections(sample_pack.data, make_palette())}
    tables: list[Table] = secs["Milestones"].tables()
    assert [len(t.rows) for t in tables[1:]] == [len(d.overdue_milestones), len(d.upcoming)]
    appendix = sum(len(t.rows) for t in secs["Appendix A: every objective's RAG by theme"].tables())
    assert appendix == d.headline.n_objectives
