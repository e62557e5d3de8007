"""TIMEX3 values and the day ranges they cover: what a family's normaliser returns, and the pieces it is
built from (a day, a range of days, a week, a month, a season, a quarter, a year, a duration)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from ..model import DAY, DECADE, MONTH, QUARTER, SEASON, UNKNOWN, WEEK, YEAR
from .lexicon import MONTHS, NUMBERS, SEASON_MONTHS, TIME_UNITS, UNIT_CODES, WEEKDAYS

__all__ = [
    "DCT",
    "NONE",
    "Norm",
    "PREVIOUS",
    "clock_value",
    "day",
    "day_norm",
    "decade_norm",
    "duration_value",
    "month",
    "month_end",
    "month_norm",
    "number",
    "quarter_norm",
    "range_norm",
    "safe_date",
    "season_norm",
    "shift_months",
    "unit_of",
    "week_norm",
    "weekday",
    "weekend_norm",
    "year_norm",
    "year_value",
]

DCT = "dct"  # anchored on the reference date (the publication date)
PREVIOUS = "previous"  # anchored on the last date before it in the text
NONE = "none"  # absolute: anchored on nothing


@dataclass
class Norm:
    """A normalised expression: its TIMEX3 value and type, how precise it is, the days it covers and what
    it was anchored on."""

    value: str
    type: str = "DATE"
    granularity: str = UNKNOWN
    start: date | None = None
    end: date | None = None
    anchor: str = NONE


# --- reading the pieces of a match ------------------------------------------------------------------


def month(s: str) -> int:
    return MONTHS[s.lower().rstrip(".")]


def day(s: str) -> int:
    return int(re.sub(r"\D", "", s))


def weekday(s: str) -> int:
    return WEEKDAYS[s.lower().rstrip(".")]


def number(s: str | None) -> int | None:
    """A quantity in digits ("1,500", "2.5") or in words ("three"); None for "several", "a few"."""
    if s is None:
        return None
    s = " ".join(s.lower().split())
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", s):
        s = s.replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", s):
        return int(float(s))
    return NUMBERS.get(s.replace(" of", "").strip(), None)


def year_value(s: str) -> int:
    """A year written in digits or in words ("nineteen ninety-four", "two thousand and one")."""
    s = s.strip().lower()
    if s.isdigit():
        return int(s)
    words = re.findall(r"[a-z]+", s)
    small = {**{w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split())},
             "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "oh": 0}  # fmt: skip
    if words[:2] == ["two", "thousand"]:
        return 2000 + sum(small.get(w, 0) for w in words[2:] if w != "and")
    century = small[words[0]]
    if words[1:] == ["hundred"]:
        return century * 100
    return century * 100 + sum(small.get(w, 0) for w in words[1:])


def clock_value(clock: str) -> str:
    """'10 p.m.' -> '22:00', 'noon' -> '12:00'."""
    clock = clock.lower().strip()
    if clock == "noon":
        return "12:00"
    if clock == "midnight":
        return "24:00"
    m = re.match(r"(\d{1,2})(?::(\d\d))?\s*([ap])", clock)
    if not m:
        return "XX:XX"
    h = int(m.group(1)) % 12 + (12 if m.group(3) == "p" else 0)
    return f"{h:02d}:{m.group(2) or '00'}"


def unit_of(u: str) -> str:
    """The singular unit of a unit word ("days" -> "day", "centuries" -> "century")."""
    u = u.lower()
    if u == "centuries":
        return "century"
    return u[:-1] if u.endswith("s") and u[:-1] in UNIT_CODES else u


# --- calendar arithmetic ----------------------------------------------------------------------------


def safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def shift_months(d: date, n: int) -> date:
    m0 = d.year * 12 + d.month - 1 + n
    y, m = divmod(m0, 12)
    return date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


# --- values -----------------------------------------------------------------------------------------


def day_norm(d: date | None, anchor: str, partial: tuple[int, int] | None = None) -> Norm:
    if d is None:
        if partial:
            return Norm(f"XXXX-{partial[0]:02d}-{partial[1]:02d}", granularity=DAY, anchor=NONE)
        return Norm("XXXX-XX-XX", granularity=DAY)
    return Norm(d.isoformat(), granularity=DAY, start=d, end=d, anchor=anchor)


def range_norm(a: date | None, b: date | None, anchor: str) -> Norm:
    """A range of days: valued as its start date's week or month where it fits in one, else its start."""
    if a is None or b is None:
        return Norm("XXXX-XX-XX", granularity=DAY)
    if b < a:
        b = a
    if a == b:
        return day_norm(a, anchor)
    days = (b - a).days + 1
    iso_a, iso_b = a.isocalendar(), b.isocalendar()
    if iso_a[:2] == iso_b[:2]:
        value = f"{iso_a[0]}-W{iso_a[1]:02d}"
        gran = WEEK
    elif (a.year, a.month) == (b.year, b.month):
        value = f"{a.year}-{a.month:02d}"
        gran = MONTH
    else:
        value = a.isoformat()
        gran = DAY
    n = Norm(value, granularity=gran, start=a, end=b, anchor=anchor)
    if days <= 7:
        n.granularity = DAY  # a few named days: each day is known
    return n


def month_norm(y: int, m: int, anchor: str, mod: str | None = None) -> Norm:
    """A month; "early", "mid" and "late" narrow its days to the first, middle or last third."""
    start, end = date(y, m, 1), month_end(y, m)
    value = f"{y:04d}-{m:02d}"
    if mod:
        mod = mod.lower()
        if mod.startswith("early") or "beginning" in mod or "start" in mod:
            end = date(y, m, 10)
        elif mod.startswith("mid") or "middle" in mod:
            start, end = date(y, m, 11), date(y, m, 20)
        elif mod.startswith("late") or "end" in mod:
            start = date(y, m, 21)
    return Norm(value, granularity=MONTH, start=start, end=end, anchor=anchor)


def year_norm(y: int, anchor: str, mod: str | None = None) -> Norm:
    """A year; "early", "mid" and "late" narrow its days. Years outside the calendar Python holds get a
    TIMEX3 value (years BC as "BC" and the year, astronomical year 0 being 1 BC) and no range, so that no
    date arithmetic meets them."""
    if not 1 <= y <= 9999:
        return Norm(f"BC{1 - y:04d}" if y < 1 else str(y), granularity=YEAR, anchor=anchor)
    start, end = date(y, 1, 1), date(y, 12, 31)
    if mod:
        mod = mod.lower()
        if mod.startswith("early") or "beginning" in mod or "start" in mod:
            end = date(y, 4, 30)
        elif mod.startswith("mid") or "middle" in mod:
            start, end = date(y, 5, 1), date(y, 8, 31)
        elif mod.startswith("late") or "end" in mod:
            start = date(y, 9, 1)
    return Norm(f"{y:04d}", granularity=YEAR, start=start, end=end, anchor=anchor)


def _iso_week(d: date) -> str:
    """The ISO week of a day, as TIMEX3 writes it (2021-W18)."""
    iso = d.isocalendar()
    return f"{iso[0]:04d}-W{iso[1]:02d}"


def week_norm(d: date, anchor: str) -> Norm:
    start = d - timedelta(days=d.weekday())
    return Norm(_iso_week(d), granularity=WEEK, start=start, end=start + timedelta(days=6), anchor=anchor)


def weekend_norm(saturday: date, anchor: str) -> Norm:
    """The weekend that begins on `saturday` (TIMEX3 2021-W18-WE)."""
    end = saturday + timedelta(days=1)
    return Norm(_iso_week(saturday) + "-WE", granularity=DAY, start=saturday, end=end, anchor=anchor)


def decade_norm(y0: int, anchor: str = NONE) -> Norm:
    """The decade that begins with year `y0` (TIMEX3 199 for the 1990s)."""
    return Norm(
        f"{y0:04d}"[:3], granularity=DECADE, start=date(y0, 1, 1), end=date(y0 + 9, 12, 31), anchor=anchor
    )


def season_norm(y: int, code: str, anchor: str) -> Norm:
    m1, m2 = SEASON_MONTHS[code]
    start = date(y, m1, 1)
    end = month_end(y + 1, m2) if code == "WI" else month_end(y, m2)
    return Norm(f"{y:04d}-{code}", granularity=SEASON, start=start, end=end, anchor=anchor)


def quarter_norm(y: int, q: int, anchor: str) -> Norm:
    m1 = 3 * (q - 1) + 1
    return Norm(
        f"{y:04d}-Q{q}", granularity=QUARTER, start=date(y, m1, 1), end=month_end(y, m1 + 2), anchor=anchor
    )


def duration_value(n: int | None, unit: str) -> str:
    """P3D, PT4H, PXY: a quantity (X when unknown) of a unit."""
    code = UNIT_CODES[unit]
    qty = "X" if n is None else str(n)
    if unit in TIME_UNITS:
        return f"PT{qty}{code}"
    return f"P{qty}{code}"
