"""The time tagger's cues: a family's pattern runs only near the words every one of its matches contains,
and finds what a scan of the whole text finds."""

import csv
import importlib
import re
from pathlib import Path

import pytest

from newsloom.temporal import FAMILIES
from newsloom.temporal import cues as cues_mod
from newsloom.temporal.cues import CUE_REACH, cue_of, lowered, windows
from newsloom.temporal.select import candidates

# the module itself: the package exports a function of the same name
SELECT = importlib.import_module("newsloom.temporal.select")
TABLE = Path(__file__).parent / "data" / "timex_cases.tsv"


def _table_texts() -> list[str]:
    lines = [x for x in TABLE.read_text(encoding="utf-8").splitlines() if x and not x.startswith("#")]
    return [row["text"] for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)]


def _spans(text: str) -> list[tuple[int, int, str]]:
    return sorted((c.start, c.end, c.kind) for c in candidates(text))


def _everywhere(monkeypatch, text: str) -> list[tuple[int, int, str]]:
    """The candidates of a scan of the whole text by every family (no cues)."""
    with monkeypatch.context() as m:
        m.setattr(SELECT, "lowered", lambda text: None)
        return _spans(text)


def test_cue_of_reads_the_strings_every_match_contains():
    assert cue_of(re.compile(r"\b(?:the\s+)?(?:first|second)\s+quarter\b", re.I)).strings == {"quarter"}
    # neighbours joined: "1" then a class then a digit
    cue = cue_of(re.compile(r"\b1[6-9]\d\b", re.I))
    assert cue is not None and len(cue.strings) == 40 and "169" in cue.strings
    # an alternation: one string from each branch
    assert cue_of(re.compile(r"\b(?:noon|midnight)\b", re.I)).strings == {"noon", "midnight"}
    # nothing required (every part optional, or a class of many characters): no cue
    assert cue_of(re.compile(r"\b(?:the\s+)?\w+", re.I)) is None
    assert cue_of(re.compile(r"(?:day)?", re.I)) is None
    # a cue outside ASCII is not used (lower-casing does not match its letters as the pattern does)
    assert cue_of(re.compile(r"\b\u03c3\u03c4\u03bf\b", re.I)) is None
    # a lookahead is no part of the match and names no cue
    assert cue_of(re.compile(r"\bweek(?=\s+ago)", re.I)).strings == {"week"}


def test_every_family_but_none_has_a_cue_found_in_its_examples():
    for fam in FAMILIES:
        assert fam.cue is not None, fam.name
        for example in fam.examples:
            assert windows(fam.cue, lowered(example)), (fam.name, example)


def test_the_golden_table_and_the_examples_find_what_the_whole_text_scan_finds(monkeypatch):
    texts = _table_texts() + [e for fam in FAMILIES for e in fam.examples]
    for text in texts:
        assert _spans(text) == _everywhere(monkeypatch, text), text
    # one long text: windows far apart, overlapping ones joined, expressions at the edges of the text
    filler = " ".join(["the committee met and talked about roads and bridges"] * 8)
    long_text = f" {filler} ".join(texts)
    assert len(long_text) > 50 * CUE_REACH
    assert _spans(long_text) == _everywhere(monkeypatch, long_text)


@pytest.mark.parametrize(
    "text",
    [
        "The talks end in \u017fummer 2020.",  # a long s, which the patterns read as s
        "Held on Tuesday, \u0130stanbul time, March 3.",  # lower-casing lengthens the dotted I
        "The vote closed at 10:3\u0665 on Monday.",  # an Arabic-Indic digit is a digit to the patterns too
    ],
)
def test_letters_and_digits_outside_ascii_are_found_as_in_the_whole_text(monkeypatch, text):
    assert _spans(text) == _everywhere(monkeypatch, text)


def test_a_text_is_read_near_its_cues_only():
    """A month's families do not run over text without a month name, and a window reaches CUE_REACH."""
    fam = next(f for f in FAMILIES if f.name == "md")
    text = "x" * 1000 + " on May 4 " + "y" * 1000
    spans = windows(fam.cue, lowered(text))
    assert len(spans) == 1
    start, end = spans[0]
    assert start == text.index("May") - CUE_REACH and end == text.index("May") + 3 + CUE_REACH
    assert not list(cues_mod.matches(fam.pattern, text, [(0, 900)]))
