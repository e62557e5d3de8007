"""What an expression is normalised against: the reference date, the dates before it in the text, the
tense of its clause; and how a date written without its year gets one.

No rule reads the wall clock: the reference date is the publication date (or the collection date a
caller passes), and without one relative expressions keep X placeholders.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from .values import safe_date

__all__ = [
    "Context",
    "NEAR_FUTURE_DAYS",
    "closest_year",
    "tense",
    "year_by_tense",
    "year_for",
    "years_matching_weekday",
]

NEAR_FUTURE_DAYS = 60  # an unmarked partial date this close ahead of the article is taken as upcoming

_FUTURE_RX = re.compile(
    r"\b(will|shall|'ll|is to|are to|is due|are due|scheduled to|expected to|plans? to|planning to|going to|"
    r"set to|upcoming)\b"
)
_PAST_RX = re.compile(r"\b(was|were|had|did|ago|earlier|previously)\b")


@dataclass(frozen=True)
class Context:
    """One expression's surroundings: the text and its span, the reference date, the last day- or
    week-precise date before it in the text (`previous_day`: "the next day", "two days later"), the last
    date of any precision (`previous`: "the following year"), the last quarter named nearby ("a year
    earlier" after "third-quarter profit"), and, for families that look ahead, the absolute date written
    right after it (`following`: "three years after the 2018 meeting")."""

    text: str
    start: int
    end: int
    reference: date | None = None
    previous_day: date | None = None
    previous: date | None = None
    previous_quarter: tuple[int, int] | None = None
    following: date | None = None  # an absolute date written right after it ("after the 2018 meeting")

    @property
    def tense(self) -> str | None:
        return tense(self.text, self.start, self.end)

    def year_of(self, mo: int, d: int, weekday: int | None = None) -> int | None:
        """The year of a month and day written without one, in this clause's tense."""
        return year_for(mo, d, self.reference, weekday, self.tense)


def tense(text: str, start: int, end: int) -> str | None:
    """'future', 'past' or None, from the words of the clause around an expression."""
    left = re.split(r"[.;!?]", text[max(0, start - 60) : start].lower())[-1]
    right = re.split(r"[.;!?]", text[end : end + 40].lower())[0]
    if _FUTURE_RX.search(left) or re.match(r"^\s*,?\s*(?:will|shall)\b", right):
        return "future"
    if _PAST_RX.search(left) or _PAST_RX.search(right):
        return "past"
    return None


def closest_year(m: int, d: int, ref: date) -> int:
    """The year that puts month/day closest to the reference date (news is written near its events)."""
    best = ref.year
    best_gap = None
    for y in (ref.year - 1, ref.year, ref.year + 1):
        dt = safe_date(y, m, d if d else 1)
        if dt is None:
            continue
        gap = abs((dt - ref).days)
        if best_gap is None or gap < best_gap or (gap == best_gap and dt <= ref):
            best, best_gap = y, gap
    return best


def years_matching_weekday(m: int, d: int, wd: int, before: date, span: int = 60) -> list[int]:
    """Years (most recent first, not after `before`) in which month/day falls on weekday `wd`."""
    out = []
    for y in range(before.year, before.year - span, -1):
        dt = safe_date(y, m, d)
        if dt and dt.weekday() == wd and dt <= before:
            out.append(y)
    return out


def year_by_tense(mo: int, d: int, ref: date, tense: str | None, month_only: bool = False) -> int:
    """The year of a partial date: the next occurrence for the future, the last one for the past; without
    a tense marker the last occurrence (news reports what happened), unless the next one is near."""
    if tense == "future":
        first = safe_date(ref.year, mo, d or 1)
        if first is None or (first < ref and not (month_only and mo == ref.month)):
            return ref.year + 1
        return ref.year
    if tense == "past":
        first = safe_date(ref.year, mo, d or 1)
        if first is None or (first > ref and not (month_only and mo == ref.month)):
            return ref.year - 1
        return ref.year
    past = safe_date(ref.year, mo, d or 15)
    if past is None or past > ref:
        past = safe_date(ref.year - 1, mo, d or 15)
    future = safe_date(ref.year + 1 if past and past.year == ref.year else ref.year, mo, d or 15)
    if future is not None and future > ref and (future - ref).days <= NEAR_FUTURE_DAYS:
        return future.year
    return past.year if past else ref.year


def year_for(mo: int, d: int, ref: date | None, weekday: int | None, tense: str | None = None) -> int | None:
    """The year of a partial date: weekday agreement first (within a year of the reference), else by
    tense and closeness to the reference; None without a reference."""
    if weekday is not None and ref is not None:
        years = years_matching_weekday(mo, d, weekday, ref + timedelta(days=366))
        years = [y for y in years if abs(y - ref.year) <= 1] or years[:0]
        if years:
            return years[0]
    if ref is None:
        return None
    return year_by_tense(mo, d, ref, tense)
