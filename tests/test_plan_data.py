"""Checks on the shipped EMSOU 2021/22 plan data (resources/plans/emsou_2021_22.toml).

Standard library only. The strongest check compares every objective with the text of the strategy
itself (tests/data/emsou_strategy_2021_22.txt, a copy of the seed): each bullet of "Our Priorities"
must be found in exactly one objective, and each objective must be made of the strategy's words
and nothing else.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
PLAN_PATH = ROOT / "resources" / "plans" / "emsou_2021_22.toml"
# The strategy's text as extracted from its PDF (a copy of ../shared/seeds/001_*.txt), kept with the tests so
# that CI checks the plan against it on any checkout.
SEED_PATH = Path(__file__).parent / "data" / "emsou_strategy_2021_22.txt"

THEMES = [
    ("SER", "Service"),
    ("PEO", "People and culture"),
    ("MOD", "Modernisation"),
    ("GOV", "Governance"),
]
FOUR_P = ["Pursue", "Prevent", "Protect", "Prepare"]  # canonical order
REF_RE = re.compile(r"^[A-Z]{3}-\d{2}\.\d{2}$")
OUTCOME_RE = re.compile(r"^[A-Z]{3}-\d{2}$")
DEBRIS = ("•", "٠")
MIN_WORDS = 8
# Whole bullets of the strategy, printed as they are, that are shorter than MIN_WORDS. Anything
# else that short is taken to be a fragment left standing alone by the PDF extraction.
SHORT_WHOLE_BULLETS = {
    "Robustly challenge unsatisfactory performance and inappropriate behaviour.",
    "Robust strategic and tactical workforce planning arrangements.",
}
# Names of individuals that appear in the sources; the plan records roles, never people.
INDIVIDUALS = ("Gibson", "Mayo", "Price", "Nixon", "Kerr", "Trewartha", "Drummond")

BODIES = {"HMICFRS", "IPCO", "Forensic Science Regulator", "internal audit", "other"}
KINDS = {"cause of concern", "recommendation", "area for improvement"}
STATUSES = {
    "awaiting allocation",
    "being progressed",
    "proposed for closure",
    "closed",
    "superseded",
    "not accepted",
}


def load() -> dict:
    with PLAN_PATH.open("rb") as f:
        return tomllib.load(f)


PLAN = load()


def objectives() -> list[tuple[dict, dict, dict]]:
    """(theme, outcome, objective) in document order."""
    return [
        (theme, outcome, obj)
        for theme in PLAN["theme"]
        for outcome in theme["outcome"]
        for obj in outcome["objective"]
    ]


def items() -> list[tuple[dict, dict]]:
    return [(insp, item) for insp in PLAN.get("inspection", []) for item in insp.get("item", [])]


def norm(text: str) -> str:
    """Strip PDF debris and collapse whitespace."""
    for ch in DEBRIS:
        text = text.replace(ch, " ")
    return re.sub(r"\s+", " ", text).strip()


# ---------------------------------------------------------------------------------------------
# Plan header


def test_plan_header():
    assert PLAN["format"] == 1
    plan = PLAN["plan"]
    assert plan["name"] == "EMSOU Strategy and Delivery Plan 2021/22"
    assert plan["organisation"] == "East Midlands Special Operations Unit (EMSOU)"
    assert plan["start"] == dt.date(2021, 4, 1)
    assert plan["end"] == dt.date(2024, 3, 31)
    assert plan["period_frequency"] in {"monthly", "quarterly"}
    assert plan["protective_marking"] in {"OFFICIAL", "OFFICIAL-SENSITIVE"}
    assert isinstance(plan["handling_caveat"], str)
    assert plan["vision"].startswith("To protect the communities of the East Midlands")
    for word in ("PREVENT", "PURSUE", "PROTECT", "PREPARE"):
        assert f"We will {word}" in plan["mission"] or f"We will relentlessly {word}" in plan["mission"]


def test_rag_scheme_and_risk_bands():
    rag = PLAN["plan"]["rag"]
    assert set(rag) == {"green", "amber", "red", "blue", "grey"}
    for colour, word in [
        ("green", "On track"),
        ("amber", "At risk"),
        ("red", "Off track"),
        ("blue", "Complete"),
        ("grey", "Not started"),
    ]:
        assert rag[colour].startswith(word), colour
    assert "SLT" in rag["red"] or "Senior Leadership Team" in rag["red"]
    risk = PLAN["plan"]["risk"]
    assert 1 <= risk["low_max"] < risk["medium_max"] < risk["high_max"] < 25
    assert 1 <= risk["appetite"] <= 25
    assert PLAN["plan"]["milestones"]["slip_tolerance_days"] >= 0


# ---------------------------------------------------------------------------------------------
# Structure


def test_themes_in_order():
    assert [(t["code"], t["name"]) for t in PLAN["theme"]] == THEMES


def test_outcome_codes_follow_their_theme():
    for theme in PLAN["theme"]:
        assert theme["outcome"], theme["code"]
        for n, outcome in enumerate(theme["outcome"], start=1):
            assert OUTCOME_RE.match(outcome["code"]), outcome["code"]
            assert outcome["code"] == f"{theme['code']}-{n:02d}"
            assert outcome["title"] and outcome["title"] == outcome["title"].strip()
            assert not outcome["title"].endswith(":")
            assert isinstance(outcome.get("description", ""), str)


def test_refs_unique_well_formed_and_in_document_order():
    refs = [obj["ref"] for _, _, obj in objectives()]
    assert len(refs) == len(set(refs)), "duplicate objective refs"
    for theme in PLAN["theme"]:
        for outcome in theme["outcome"]:
            assert outcome["objective"], outcome["code"]
            for n, obj in enumerate(outcome["objective"], start=1):
                assert REF_RE.match(obj["ref"]), obj["ref"]
                assert obj["ref"].startswith(outcome["code"] + "."), obj["ref"]
                assert obj["ref"] == f"{outcome['code']}.{n:02d}", obj["ref"]


@pytest.mark.parametrize(
    "ref, text",
    [(o["ref"], o["text"]) for _, _, o in objectives()],
    ids=[o["ref"] for _, _, o in objectives()],
)
def test_objective_text_is_one_whole_sentence(ref, text):
    assert text == text.strip(), ref
    assert text[0].isupper(), f"{ref} does not start with a capital: {text!r}"
    assert text.endswith("."), f"{ref} does not end with a full stop: {text!r}"
    for bad in (*DEBRIS, "  ", "\n", "\t"):
        assert bad not in text, f"{ref} contains {bad!r}"
    if text not in SHORT_WHOLE_BULLETS:
        assert len(text.split()) >= MIN_WORDS, f"{ref} looks like a fragment: {text!r}"


def test_people_and_boards_are_unique_and_named_by_role():
    people = PLAN["person"]
    boards = PLAN["board"]
    assert len({p["key"] for p in people}) == len(people)
    assert len({b["key"] for b in boards}) == len(boards)
    for p in people:
        assert p["name"] and p["role"], p["key"]
        assert p["email"] == "", p["key"]
    for b in boards:
        assert b["name"] and isinstance(b["cadence"], str) and b["description"], b["key"]
    board_names = {b["name"] for b in boards}
    for expected in ("Command Team", "Ethics Board", "Enabling Services Project Group", "Wellbeing Board"):
        assert expected in board_names
    text = PLAN_PATH.read_text(encoding="utf-8")
    for name in INDIVIDUALS:
        assert not re.search(rf"\b{name}\b", text), f"an individual's name ({name}) is in the plan data"


def test_every_key_resolves_and_every_person_and_board_is_used():
    people = {p["key"] for p in PLAN["person"]}
    boards = {b["key"] for b in PLAN["board"]}
    used_people: set[str] = set()
    used_boards: set[str] = set()
    for _, _, obj in objectives():
        assert obj["lead"] in people, f"{obj['ref']}: unknown lead {obj['lead']!r}"
        assert obj["board"] in boards, f"{obj['ref']}: unknown board {obj['board']!r}"
        used_people.add(obj["lead"])
        used_boards.add(obj["board"])
    for _, item in items():
        assert item["owner"] in people, f"{item['ref']}: unknown owner {item['owner']!r}"
        used_people.add(item["owner"])
    assert people == used_people, f"people with nothing to lead: {sorted(people - used_people)}"
    assert boards == used_boards, f"boards with nothing reporting to them: {sorted(boards - used_boards)}"


def test_four_p_tags_are_valid():
    for _, _, obj in objectives():
        tags = obj["four_p"]
        assert isinstance(tags, list), obj["ref"]
        assert set(tags) <= set(FOUR_P), f"{obj['ref']}: {tags}"
        assert tags == [p for p in FOUR_P if p in tags], f"{obj['ref']}: not unique/canonical: {tags}"
    by_ref = {o["ref"]: o for _, _, o in objectives()}
    strands = [o for o in by_ref.values() if "strands of protect, prevent and prepare" in o["text"]]
    assert len(strands) == 1 and set(strands[0]["four_p"]) == {"Protect", "Prevent", "Prepare"}
    uplift = [o for o in by_ref.values() if o["text"].startswith("Prepare and deliver Police Officer Uplift")]
    assert len(uplift) == 1 and "Prepare" not in uplift[0]["four_p"]


def test_dates():
    plan = PLAN["plan"]
    for _, _, obj in objectives():
        assert isinstance(obj["start"], dt.date) and isinstance(obj["target"], dt.date), obj["ref"]
        assert obj["target"] >= obj["start"], obj["ref"]
        assert plan["start"] <= obj["start"] and obj["target"] <= plan["end"], obj["ref"]


# ---------------------------------------------------------------------------------------------
# Inspection


def test_inspection_items():
    refs = {o["ref"] for _, _, o in objectives()}
    inspections = PLAN["inspection"]
    assert len({i["key"] for i in inspections}) == len(inspections)
    for insp in inspections:
        assert insp["body"] in BODIES
        assert insp["title"] and insp["grade"]
        assert isinstance(insp["published"], dt.date)
        assert insp["published_note"]
        item_refs = [item["ref"] for item in insp["item"]]
        assert len(item_refs) == len(set(item_refs)), "duplicate item refs"
    for insp, item in items():
        ref = item["ref"]
        assert item["kind"] in KINDS, ref
        assert item["status"] in STATUSES, ref
        assert item["text"].strip() and item["text"].endswith("."), ref
        assert isinstance(item["due"], dt.date) and item["due"] > insp["published"], ref
        if item["status"] in {"proposed for closure", "closed"}:
            assert item["evidence"].strip(), f"{ref}: {item['status']} without evidence"
        if item["status"] == "closed":
            assert item["closure_rationale"].strip(), ref
        assert item["objectives"], f"{ref} answers no objective"
        for obj_ref in item["objectives"]:
            assert obj_ref in refs, f"{ref}: unknown objective {obj_ref!r}"
        assert len(item["objectives"]) == len(set(item["objectives"])), ref
        notes = item.get("note", [])
        assert notes, f"{ref} has no progress note"
        dates = [n["date"] for n in notes]
        assert dates == sorted(dates), ref
        for note in notes:
            assert isinstance(note["date"], dt.date) and note["date"] >= insp["published"], ref
            assert note["text"].strip(), ref


def test_inspection_matches_the_april_2024_report():
    insp = {i["key"]: i for i in PLAN["inspection"]}["hmicfrs-soc-2023"]
    assert insp["body"] == "HMICFRS" and insp["grade"] == "Inadequate"
    assert (insp["published"].year, insp["published"].month) == (2023, 3)
    by_text = {item["text"]: item for item in insp["item"]}

    def one(fragment: str) -> dict:
        found = [item for text, item in by_text.items() if fragment in text]
        assert len(found) == 1, fragment
        return found[0]

    s22 = one("Section 22")
    assert s22["kind"] == "cause of concern" and s22["status"] == "proposed for closure"
    assert {"GOV-02.02", "GOV-02.03"} <= set(s22["objectives"])
    assert one("'4P'")["objectives"] == ["MOD-02.03"]
    assert "SER-02.06" in one("tasking")["objectives"]
    assert "SER-01.01" in one("disruptions")["objectives"]
    review = one("intelligence functions")
    assert review["status"] == "being progressed" and review["owner"] == "cc-sro"
    assert "SER-02.01" in review["objectives"]
    assert "GOV-02.07" in one("funding")["objectives"]
    report_date = dt.date(2024, 4, 17)
    for item in insp["item"]:
        assert report_date in [n["date"] for n in item["note"]], item["ref"]


# ---------------------------------------------------------------------------------------------
# Against the source text


def seed_priorities() -> list[str]:
    """The lines of the strategy's "Our Priorities" section, up to the Governance section."""
    lines = SEED_PATH.read_text(encoding="utf-8").splitlines()
    start = lines.index("Our Priorities")
    end = next(i for i, line in enumerate(lines) if line.startswith("Our meetings are attended"))
    assert start < end
    body = lines[start + 1 : end]
    # the Governance section's own heading sits just above "Our meetings are attended"
    while body and body[-1].strip() in {"", "Governance"}:
        body.pop()
    return body


def classify(lines: list[str]):
    """Split the section into (kind, text, outcome index) pieces.

    kind is "bullet" (a bullet line or, for a run-on bullet, one sentence of it), "paragraph"
    (unbulleted text: a floating start of a split bullet, a whole floated bullet or an outcome's
    intro), "heading" (an outcome sub-heading) or "theme". Quotes and their attributions and page
    furniture are dropped.
    """
    theme_names = [name for _, name in THEMES]
    pieces: list[tuple[str, str, int]] = []
    outcome = -1
    skip_next = False
    for raw in lines:
        text = norm(raw)
        if not text:
            continue
        bullet = text.startswith("- ")
        if bullet:
            text = norm(text[2:])
        if skip_next:  # attribution of the quotation before it
            skip_next = False
            continue
        if text[:1] in '"“':
            skip_next = True
            continue
        if text.endswith(('"', "”")) or re.fullmatch(r"OFFICIAL|PAGE \d+|.{0,2}", text):
            continue
        if text in theme_names and not bullet:
            pieces.append(("theme", text, outcome))
        elif text.endswith(":") and not bullet:
            outcome += 1
            pieces.append(("heading", text[:-1], outcome))
        elif bullet:
            # A run-on bullet holding two sentences is two objectives: check each sentence.
            for sentence in re.split(r"(?<=[a-z]\.)\s+(?=[A-Z])", text):
                pieces.append(("bullet", sentence, outcome))
        else:
            pieces.append(("paragraph", text, outcome))
    return pieces


@pytest.fixture
def seed_pieces():
    return classify(seed_priorities())


def test_themes_and_outcomes_match_the_strategy_headings(seed_pieces):
    assert [t for k, t, _ in seed_pieces if k == "theme"] == [name for _, name in THEMES]
    headings = [t for k, t, _ in seed_pieces if k == "heading"]
    outcomes = [o for t in PLAN["theme"] for o in t["outcome"]]
    assert len(headings) == len(outcomes)
    for heading, outcome in zip(headings, outcomes, strict=True):
        assert heading.startswith(outcome["title"]), (heading, outcome["title"])


def test_every_priority_bullet_is_in_exactly_one_objective(seed_pieces):
    flat = objectives()
    outcomes = [o for t in PLAN["theme"] for o in t["outcome"]]
    descriptions = {o["description"] for o in outcomes if o.get("description")}
    covered: dict[str, list[str]] = {obj["ref"]: [] for _, _, obj in flat}
    bullet_positions: list[int] = []
    for kind, piece, outcome_index in seed_pieces:
        if kind in {"theme", "heading"}:
            continue
        if kind == "paragraph" and piece in descriptions:
            continue
        hits = [i for i, (_, _, obj) in enumerate(flat) if piece in obj["text"]]
        assert len(hits) == 1, f"{kind} {piece!r} is in {len(hits)} objectives, expected exactly 1"
        _, outcome, obj = flat[hits[0]]
        covered[obj["ref"]].append(piece)
        if kind == "bullet":
            # a bullet (or a tail left in a bullet's place) stays under its sub-heading, in order
            assert outcome is outcomes[outcome_index], f"{piece!r} is under {outcome['code']}"
            if not bullet_positions or bullet_positions[-1] != hits[0]:
                bullet_positions.append(hits[0])
            if piece[0].islower():  # a tail fragment: it must have been rejoined to its start
                assert obj["text"] != piece and not obj["text"].startswith(piece), obj["ref"]
    assert bullet_positions == sorted(bullet_positions), "objectives are not in document order"
    assert len(bullet_positions) == len(set(bullet_positions))
    # and the other way round: every objective is the strategy's words, and nothing else
    for ref, pieces in covered.items():
        text = next(obj["text"] for _, _, obj in flat if obj["ref"] == ref)
        assert pieces, f"{ref} is not in the strategy"
        for piece in sorted(pieces, key=len, reverse=True):
            text = text.replace(piece, " ", 1)
        assert not text.strip(), f"{ref} has words that are not the strategy's: {text.strip()!r}"
