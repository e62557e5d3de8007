"""Where a family's pattern can match: near its cue, the words every one of its matches contains.

Each family's pattern scanned the whole text at every position (a leading `\\b` and an alternation give
Python's regular expressions no fast way to skip), which made the time tagger the largest part of the
annotation outside spaCy. A cue is read from the pattern itself: the strings one of which every match
must contain ("quarter", a month name, "ago" or "later", a digit), found by walking the parsed pattern.
The cues are found in the lower-cased text (a literal scan, fast), and the pattern runs only in the
windows around them. The matches are the same as a scan of the whole text for every expression no longer
than `CUE_REACH` characters (the longest in 2,151 news articles has 33); a test compares both on the
golden table and the families' examples.

Pattern elements that match text the cue cannot name (a lookaround, a back-reference, an optional part, a
class of many characters) are skipped; a family whose pattern has no cue at all scans the whole text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import product
from typing import Any

__all__ = ["CUE_REACH", "Cue", "cue_of", "lowered", "matches", "windows"]

CUE_REACH = 100  # characters either side of a cue within which its family's expression must lie
_MAX_STRINGS = 64  # strings of one cue at most: a longer product of alternatives is cut where it grows past
_MAX_CLASS = 12  # characters of a class ([6-9], [/.]) written out as alternatives; a larger class is no cue

try:  # the parser of the standard library's regular expressions (its module is private and may move)
    from re import _constants as _c  # type: ignore[attr-defined]
    from re import _parser as _sre_parse  # type: ignore[attr-defined]

    _ZERO_WIDTH: tuple[Any, ...] = (_c.AT, _c.ASSERT, _c.ASSERT_NOT)
except ImportError:  # pragma: no cover - without it every family scans the whole text, as it did
    _sre_parse = None
    _ZERO_WIDTH = ()


@dataclass(frozen=True)
class Cue:
    strings: frozenset[str]  # lower case; every match of the family contains one of them
    pattern: re.Pattern[str]  # the strings as one literal alternation, for the lower-cased text


def _class_strings(items: Any) -> set[str] | None:
    out: set[str] = set()
    for op, av in items:
        if op is _c.LITERAL:
            out.add(chr(av).lower())
        elif op is _c.CATEGORY and av is _c.CATEGORY_DIGIT:
            out.update("0123456789")
        elif op is _c.RANGE and av[1] - av[0] < _MAX_CLASS:
            out.update(chr(x).lower() for x in range(av[0], av[1] + 1))
        else:
            return None
        if len(out) > _MAX_CLASS:
            return None
    return out


def _better(a: set[str] | None, b: set[str] | None) -> set[str] | None:
    """The more selective of two required sets: longer shortest string, then fewer strings."""
    if not a:
        return b or None
    if not b:
        return a
    return a if (min(map(len, a)), -len(a)) >= (min(map(len, b)), -len(b)) else b


def _element(op: Any, av: Any) -> tuple[set[str] | None, bool]:
    """(strings one of which the element's text contains, whether its text is exactly one of them)."""
    if op is _c.LITERAL:
        return {chr(av).lower()}, True
    if op is _c.IN:
        s = _class_strings(av)
        return s, s is not None
    if op is _c.BRANCH:
        parts = [_sequence(b) for b in av[1]]
        if any(p[0] is None for p in parts):
            return None, False
        return set().union(*(p[0] for p in parts if p[0])), all(p[1] for p in parts)
    if op is _c.SUBPATTERN:
        return _sequence(av[3])
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] >= 1:
        s, exact = _sequence(av[2])
        return s, exact and av[0] == av[1] == 1
    return None, False


def _sequence(items: Any) -> tuple[set[str] | None, bool]:
    """Exact neighbours are joined into their products ("1" [6-9] \\d: "16".."19" then "160".."199") up to
    `_MAX_STRINGS`; the most selective of the joined runs and the inexact elements is the requirement.
    Zero-width elements (`\\b`, lookarounds) add no text and are passed over."""
    best: set[str] | None = None
    run: set[str] | None = None  # the product of the exact elements since the last inexact one
    exact = True  # the sequence's text is exactly one of `run`
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue
        s, element_exact = _element(op, av)
        if element_exact and s is not None:
            if run is not None and len(run) * len(s) <= _MAX_STRINGS:
                run = {a + b for a, b in product(run, s)}
                continue
            exact = exact and run is None
            best, run = _better(best, run), s
        else:
            exact = False
            best, run = _better(_better(best, run), s), None
    if exact and run is not None:
        return run, True
    return _better(best, run), False


def cue_of(pattern: re.Pattern[str]) -> Cue | None:
    """The cue of a pattern compiled with IGNORECASE, or None where every position must be tried."""
    if _sre_parse is None or not pattern.flags & re.IGNORECASE:
        return None
    strings, _ = _sequence(_sre_parse.parse(pattern.pattern, pattern.flags))
    if not strings or not all(s.isascii() for s in strings):
        return None  # no cue, or one whose letters lower-casing may not match as the pattern does
    # a digit of the pattern (\d) is any decimal digit, also outside ASCII: so is the cue's
    alternatives = {re.sub(r"[0-9]", r"\\d", re.escape(s)) for s in strings}
    alternation = "|".join(sorted(alternatives, key=lambda s: (-len(s), s)))
    return Cue(frozenset(strings), re.compile(alternation))


# Characters that a pattern compiled with IGNORECASE takes for an ASCII letter but that lower-casing does
# not turn into one (Python's `re` treats the long s as s, the Kelvin sign as k, both dotted and dotless I
# as i).
_FOLD = str.maketrans({"\u017f": "s", "\u212a": "k", "\u0130": "i", "\u0131": "i"})


def lowered(text: str) -> str | None:
    """The text as the cues are looked for in it (same length, same offsets), or None where lower-casing
    would move the offsets (then the whole text is scanned)."""
    low = text.translate(_FOLD).lower()
    return low if len(low) == len(text) else None


def windows(cue: Cue, lowered: str) -> list[tuple[int, int]]:
    """The stretches of text within `CUE_REACH` of a cue, overlapping ones joined, in order."""
    out: list[tuple[int, int]] = []
    for m in cue.pattern.finditer(lowered):
        start, end = m.start() - CUE_REACH, m.end() + CUE_REACH
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], end)
        else:
            out.append((max(0, start), end))
    return out


def matches(
    pattern: re.Pattern[str], text: str, spans: list[tuple[int, int]] | None
) -> Iterator[re.Match[str]]:
    """The pattern's matches in the text (`spans` None) or in its windows; a match starting in a window
    is read with `CUE_REACH` characters beyond it, so that what follows it is seen as in the whole text."""
    if spans is None:
        yield from pattern.finditer(text)
        return
    n = len(text)
    for start, end in spans:
        for m in pattern.finditer(text, start, min(n, end + CUE_REACH)):
            if m.start() >= end:
                break
            yield m
