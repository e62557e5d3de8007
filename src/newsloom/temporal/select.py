"""Which spans are temporal expressions: every family's matches, then the longest of overlapping ones."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .cues import lowered, matches, windows
from .families import FAMILIES, Family

__all__ = ["Candidate", "candidates", "select"]

_CAPITALISED_GROUPS = ("mon", "mon2", "wd", "wd1", "wd2", "era", "ad")


@dataclass
class Candidate:
    start: int
    end: int
    family: Family
    m: re.Match[str]

    @property
    def kind(self) -> str:
        return self.family.name


def _capitalised(m: re.Match[str]) -> bool:
    """Month, weekday and era names of the match are capitalised ("may" and "sun" are ordinary words)."""
    groups = m.re.groupindex
    return all(not (m[g] and not m[g][0].isupper()) for g in _CAPITALISED_GROUPS if g in groups)


def candidates(text: str) -> list[Candidate]:
    """Every family's matches that its checks accept (overlapping each other). A family's pattern runs
    only near its cue (`cues.py`); families with the same cue share its windows."""
    out: list[Candidate] = []
    low = lowered(text)
    found: dict[str, list[tuple[int, int]]] = {}
    for fam in FAMILIES:
        spans = None
        if fam.cue is not None and low is not None:
            key = fam.cue.pattern.pattern
            if key not in found:
                found[key] = windows(fam.cue, low)
            spans = found[key]
        for m in matches(fam.pattern, text, spans):
            if m.end() == m.start():
                continue
            if fam.case_sensitive and not _capitalised(m):
                continue
            if fam.accept is not None and not fam.accept(text, m):
                continue
            out.append(Candidate(fam.start(m) if fam.start else m.start(), m.end(), fam, m))
    return out


_PRIORITY = {fam.name: i for i, fam in enumerate(FAMILIES)}


def select(cands: list[Candidate]) -> list[Candidate]:
    """Longest first, then by family priority: keep each candidate that overlaps none kept before.
    Kept spans never overlap, so sorted by start their ends are sorted too, and one neighbour tells
    whether a new span overlaps any (n log n on texts with hundreds of thousands of numbers)."""
    cands.sort(key=lambda c: (-(c.end - c.start), _PRIORITY[c.kind], c.start))
    starts: list[int] = []
    taken: list[Candidate] = []  # in order of start
    for c in cands:
        i = bisect.bisect_left(starts, c.end)  # kept spans starting before this one ends: taken[:i]
        if i and taken[i - 1].end > c.start:
            continue
        starts.insert(i, c.start)
        taken.insert(i, c)
    return taken
