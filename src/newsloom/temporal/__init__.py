"""Temporal expressions: find them in text and normalise them (TIMEX3) against a reference date.

A grammar of our own (dateparser cannot do ranges, misreads "September 17 and 18" and turns "We" into a
Wednesday), in small families (`families.py`): each a pattern and a normaliser side by side, with
examples. Every family's matches are candidates; overlapping ones are resolved longest first
(`select.py`); each kept span is normalised in its `Context` (`context.py`): the reference date (the
publication date), the dates before it in the text ("the next day"), the tense of its clause.

    tag(text, reference)      -> list[TimeMention], in text order
    scan(text)                -> the spans before normalisation (reusable by tag and
                                 weekday_anchored_years)
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from datetime import date

from ..model import DAY, QUARTER, WEEK, TimeMention
from .context import Context, years_matching_weekday
from .families import FAMILIES, Family, family
from .lexicon import MONTH_PATTERN, MONTHS, WEEKDAYS
from .select import Candidate, candidates, select
from .values import NONE, Norm, day, month, safe_date, weekday

__all__ = [
    "FAMILIES",
    "MONTHS",
    "MONTH_PATTERN",
    "WEEKDAYS",
    "Candidate",
    "Context",
    "Family",
    "Norm",
    "family",
    "scan",
    "tag",
    "weekday_anchored_years",
    "years_matching_weekday",
]

log = logging.getLogger(__name__)

QUARTER_REACH = 300  # characters after a named quarter within which "a year earlier" means that quarter


def scan(text: str) -> list[Candidate]:
    """The temporal expressions of a text before normalisation (the costly part): pass the result to
    `tag` and `weekday_anchored_years` to avoid scanning the same text twice."""
    return select(candidates(text))


def tag(
    text: str, reference: date | None = None, scanned: list[Candidate] | None = None
) -> list[TimeMention]:
    """Find and normalise the temporal expressions of `text` against `reference` (the publication date).

    Returns mentions in text order. Without a reference, relative expressions get TIMEX3 values with X
    placeholders (XXXX-05-04) and no range.
    """
    out: list[TimeMention] = []
    clocks: list[int] = []  # the bare clock times of `out`, given a day by `_day_of_clocks`
    previous_day: date | None = None
    previous: date | None = None
    previous_quarter: tuple[int, int] | None = None
    quarter_end = -1
    cands = scanned if scanned is not None else scan(text)
    for i, c in enumerate(cands):
        ctx = Context(
            text,
            c.start,
            c.end,
            reference,
            previous_day,
            previous,
            previous_quarter if c.start - quarter_end < QUARTER_REACH else None,
            _following(text, c.end, cands[i + 1], reference)
            if c.family.looks_ahead and i + 1 < len(cands)
            else None,
        )
        try:
            n = c.family.normalise(c.m, ctx)
        except (ArithmeticError, ValueError) as exc:
            # Date arithmetic past the calendar ("3,000,000 days ago"): the expression stays unnormalised.
            log.debug("unnormalised %r: %s", text[c.start : c.end], exc)
            n = None
        if n is None:
            continue
        if c.kind == "clock":
            clocks.append(len(out))
        out.append(
            TimeMention(
                start=c.start,
                end=c.end,
                text=text[c.start : c.end],
                value=n.value,
                type=n.type,
                granularity=n.granularity,
                range_start=n.start,
                range_end=n.end,
                anchor=n.anchor,
            )
        )
        if n.granularity == QUARTER and re.match(r"^\d{4}-Q\d$", n.value):
            previous_quarter, quarter_end = (int(n.value[:4]), int(n.value[-1])), c.end
        if n.type == "DATE" and n.start is not None:
            previous = n.start
            if n.granularity in (DAY, WEEK):
                previous_day = n.start
    _day_of_clocks(text, out, clocks)
    return out


_AMPM_RX = re.compile(r"\b([ap])\.m\.", re.IGNORECASE)
_SENTENCE_END_RX = re.compile(r"\n|[.!?][\"'”’)]*\s+(?=[\"'“‘(]?[A-Z])")


def _day_of_clocks(text: str, out: list[TimeMention], clocks: list[int]) -> None:
    """A bare clock time ("at 9:45 p.m.") is a time of the day its sentence names ("Friday", "last
    night"), the nearest such day; of the reference day where the sentence names none."""
    bare = set(clocks)
    days = [
        (m.range_start, m)
        for j, m in enumerate(out)
        if j not in bare and m.type in ("DATE", "TIME") and m.granularity == DAY and m.range_start is not None
    ]
    for i in clocks:
        c = out[i]
        near: list[tuple[int, date, TimeMention]] = []
        for day_of, d in days:
            a, b = (c.end, d.start) if c.end <= d.start else (d.end, c.start)
            if b >= a and not _SENTENCE_END_RX.search(_AMPM_RX.sub(r"\1m_", text[a:b])):
                near.append((b - a, day_of, d))
        if near:
            _, day_of, d = min(near, key=lambda x: x[0])
            out[i] = replace(
                c,
                value=f"{day_of.isoformat()}{c.value[c.value.index('T') :]}",
                range_start=day_of,
                range_end=day_of,
                anchor=d.anchor,
            )


_BETWEEN_RX = re.compile(r"\s+(?:[a-z]+\s+){0,2}")  # "after the 2018 meeting", "before his May 3 arrest"


def _following(text: str, after: int, nxt: Candidate, reference: date | None) -> date | None:
    """The first day of the expression `nxt` when it is absolute (it names its year) and comes within two
    words of `after`, where the expression before it ends ("three years after the 2018 meeting")."""
    if not _BETWEEN_RX.fullmatch(text, after, nxt.start):
        return None
    try:
        n = nxt.family.normalise(nxt.m, Context(text, nxt.start, nxt.end, reference))
    except (ArithmeticError, ValueError):
        return None
    return n.start if n is not None and n.anchor == NONE else None


def weekday_anchored_years(
    text: str, before: date, scanned: list[Candidate] | None = None, near: date | None = None
) -> list[tuple[int, str, date]]:
    """Years fixed by a weekday written next to a month and day ("Monday-Wednesday (May 3-5)",
    "Wednesday, May 5"): for each such phrase, a year not after `before` in which that weekday and date
    agree (the one nearest `near` when given, else the most recent), with the phrase as evidence and the
    last day it names."""
    out = []
    for c in scanned if scanned is not None else scan(text):
        g = c.m.groupdict()
        if c.kind == "wdrange_md" or (c.kind in ("md", "dm") and g.get("wd") and not g.get("y")):
            wd = weekday(g.get("wd1") or g["wd"])
            mo = month(g["mon"])
            d = day(g.get("d1") or g["d"])
            years = years_matching_weekday(mo, d, wd, before)
            if near is not None:
                years.sort(key=lambda y: (abs(y - near.year), -y))
            if years:
                last = safe_date(years[0], mo, day(g.get("d2") or g.get("d1") or g["d"]))
                if last is not None:
                    out.append((years[0], text[c.start : c.end], last))
    return out
