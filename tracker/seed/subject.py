"""A short noun phrase for what an objective is about, so generated sentences can name it."""

from __future__ import annotations

import re

# Openings that say what will be done, not what it is done to ("Work with forces to review ...").
_LEADS = [
    "urgently", "proactively", "actively", "robustly", "regularly", "positively", "continue to", "strive to",
    "work closely with forces to", "work with forces to", "work closely with", "embed and continue to develop",
    "support and optimise", "shape and contribute to", "recognise and reward", "prepare and deliver",
    "develop and implement", "examine and pilot", "deliver against", "conduct a review of", "respond to",
    "ensure that", "ensure", "maintain", "monitor", "develop", "deliver", "establish", "examine", "review", "conduct", "scope", "prepare",
    "consolidate", "accelerate", "map", "provide", "improve", "promote", "undertake", "build", "progress",
    "implement", "exploit", "consider", "streamline", "identify", "refresh", "utilise", "maximise", "challenge",
    "communicate", "strategy to formulate", "introduce", "agree", "design", "launch", "embed", "rationalise",
    "modernise", "procure", "pilot", "replace", "migrate", "strengthen", "expand", "reduce", "increase",
]  # fmt: skip
_LEADS.sort(key=len, reverse=True)
_LEAD_RE = re.compile(r"^(?:" + "|".join(re.escape(v) for v in _LEADS) + r")\b\s*", re.IGNORECASE)
_LIST_RE = re.compile(r"^((?:our |the )?(?:[\w'-]+, )+[\w'-]+ and )")
_CUT_WORDS = [
    "for \\d+", "to prioritise", "to better", "to be", "into a more", "internally", "and build", "with practical",
    "between", "to link", "to help", "in shaping", "have", "has", "based upon", "which", "to ensure", "to support",
    "to show", "to increase", "to meet", "to enable", "in order", "so that", "including", "where", "that",
    "aligned", "agreed by", "supported by", "across", "considering", "as part", "subject to", "within", "via",
    "taking into", "to maximise", "to improve", "to bring", "to deliver", "to assess", "to attract", "to tackle",
    "for achieving", "and will", "and consider", "and continue", "and implement", "and measure", "initiatives",
    "when compared", "to provide",
]  # fmt: skip
_CUT_RE = re.compile(r"[;,:(]| (?:" + "|".join(_CUT_WORDS) + r")\b", re.IGNORECASE)
_ADJECTIVES = {"robust", "clear", "appropriate", "regular", "effective"}
_DANGLING = {"of", "and", "the", "for", "to", "with", "in", "a", "an", "on", "our", "at", "by", "or", "into"}
_OWN = ("the ", "our ", "this ", "these ")
MAX_WORDS = 8


def subject_of(title: str, fallback: str = "this objective") -> str:
    """'Undertake a skills audit to better develop ...' -> 'the skills audit'. Never empty."""
    text = " ".join(title.split()).rstrip(".")
    previous = None
    while previous != text:  # "Urgently develop ..." carries two openings
        previous = text
        text = _LEAD_RE.sub("", text, count=1)
    listed = _LIST_RE.match(text)  # "forensic, digital, cyber and fraud capabilities" stays whole
    head = listed.group(1).replace(",", "\x00") if listed else ""
    text = head + text[len(head) :]
    text = _CUT_RE.split(" " + text + " ", maxsplit=1)[0].strip().replace("\x00", ",")
    words = text.split()
    if words and words[0].lower() in ("a", "an"):
        words[0] = "the"
    at = 1 if words and words[0].lower() == "the" else 0
    if len(words) > at + 1 and words[at].lower() in _ADJECTIVES and words[at + 1] != "and":
        del words[at]
    words = words[:MAX_WORDS]
    while words and words[-1].lower() in _DANGLING:
        words.pop()
    if len([w for w in words if w.lower() not in ("the", "our")]) < 2:
        return fallback
    phrase = " ".join(words)
    proper = words[0][1:] != words[0][1:].lower() or (len(words) > 1 and words[1][:1].isupper())
    if not proper:  # "Police Officer Uplift Programme" and "ROCU" keep their capitals
        phrase = phrase[0].lower() + phrase[1:]
    if not phrase.lower().startswith(_OWN):
        phrase = "the " + phrase
    return phrase


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]
