"""The families of temporal expressions: each a pattern and its normaliser side by side, with examples.

`@family(name, pattern, *examples)` registers one. The order of registration is the order of priority
when two candidates of the same length overlap (see `select.py`). A normaliser takes the match and its
`Context` and returns a `Norm`, or None when the match is no date after all ("February 30").
Families marked `case_sensitive` need their month or weekday capitalised ("may", "march", "sun" are also
ordinary words); `accept` rejects a match from its surroundings ("2000 people" is no year).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from ..model import CENTURY, DAY, MONTH, QUARTER, SEASON, UNKNOWN
from .context import Context, closest_year, year_by_tense, year_for
from .cues import Cue, cue_of
from .lexicon import (
    DASH,
    ERA,
    MEASURES,
    MOD,
    MON,
    NUMBERS,
    NUMW,
    ORDINALS,
    SEASONS,
    TIME_UNITS,
    UNIT,
    WD,
    YEAR_FOLLOWERS,
    D,
    Y,
)
from .values import (
    DCT,
    NONE,
    PREVIOUS,
    Norm,
    clock_value,
    day,
    day_norm,
    decade_norm,
    duration_value,
    month,
    month_norm,
    number,
    quarter_norm,
    range_norm,
    safe_date,
    season_norm,
    shift_months,
    unit_of,
    week_norm,
    weekday,
    weekend_norm,
    year_norm,
    year_value,
)

__all__ = [
    "FAMILIES",
    "Family",
    "Normaliser",
    "ago",
    "anaphoric",
    "century",
    "clock",
    "clock_md",
    "clock_wd",
    "decade",
    "decade_word",
    "deictic",
    "describe",
    "duration",
    "duration_bare",
    "family",
    "iso",
    "mod_month",
    "mod_year",
    "month_relyear",
    "month_year",
    "numeric",
    "partday",
    "quarter",
    "rel_unit",
    "report_quarter",
    "season",
    "set_family",
    "vague",
    "wdrange_md",
    "weekday_family",
    "weekend",
    "year",
    "year_era",
]

Normaliser = Callable[[re.Match[str], Context], Norm | None]


@dataclass(frozen=True)
class Family:
    name: str
    pattern: re.Pattern[str]
    normalise: Normaliser
    examples: tuple[str, ...]
    case_sensitive: bool = False
    accept: Callable[[str, re.Match[str]], bool] | None = None  # (text, match) -> keep it
    start: Callable[[re.Match[str]], int] | None = None  # where the span starts, if not at the match
    looks_ahead: bool = False  # normalised against the date written right after it (`Context.following`)
    cue: Cue | None = None  # where in a text the pattern can match (`cues.py`); None: anywhere


FAMILIES: list[Family] = []


def family(
    name: str,
    pattern: str,
    *examples: str,
    case_sensitive: bool = False,
    accept: Callable[[str, re.Match[str]], bool] | None = None,
    start: Callable[[re.Match[str]], int] | None = None,
    looks_ahead: bool = False,
) -> Callable[[Normaliser], Normaliser]:
    """Register a family of expressions (see the module's docstring)."""

    def register(fn: Normaliser) -> Normaliser:
        if any(f.name == name for f in FAMILIES):
            raise ValueError(f"two temporal families named {name!r}")
        compiled = re.compile(pattern, re.IGNORECASE)
        FAMILIES.append(
            Family(name, compiled, fn, examples, case_sensitive, accept, start, looks_ahead, cue_of(compiled))
        )
        return fn

    return register


_CLOCK = r"(?:[01]?\d|2[0-3])(?::[0-5]\d)?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)|noon|midnight"


# --- absolute and partial dates -------------------------------------------------------------------


@family(
    "iso",
    r"\b(?P<y>\d{4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})(?:T(?P<hh>\d\d):(?P<mm>\d\d)(?::\d\d)?)?\b",
    "2021-05-04",
    "2021/05/04",
    "2021-05-04T14:30",
)
def iso(m: re.Match[str], ctx: Context) -> Norm | None:
    """A day as ISO 8601 writes it, with a time when one follows."""
    y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
    dt = safe_date(y, mo, d)
    if dt is None or not 1000 < y < 2200:
        return None
    if m["hh"]:
        return Norm(f"{dt.isoformat()}T{m['hh']}:{m['mm']}", type="TIME", granularity=DAY, start=dt, end=dt)
    return day_norm(dt, NONE)


@family(
    "numeric",
    r"\b(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})\b",
    "10/30/2020",
    "30.10.2020",
    "5/4/21",
)
def numeric(m: re.Match[str], ctx: Context) -> Norm | None:
    """US order (month/day) with "/", day.month with "."; a first part over 12 must be the day."""
    a, b, ys = int(m["a"]), int(m["b"]), m["y"]
    y = int(ys) if len(ys) == 4 else (2000 + int(ys) if int(ys) < 50 else 1900 + int(ys))
    mo, d = (a, b) if m["sep"] == "/" else (b, a)
    if mo > 12:
        mo, d = d, mo
    return day_norm(safe_date(y, mo, d), NONE) if safe_date(y, mo, d) else None


@family(
    "wdrange_md",
    rf"\b(?P<wd1>{WD})\s*(?:-|–|—|to|through)\s*(?P<wd2>{WD})\s*\(\s*(?P<mon>{MON})\s+(?P<d1>{D})\s*(?:-|–|—)\s*(?P<d2>{D})\s*\)",
    "Monday-Wednesday (May 3-5)",
    case_sensitive=True,
)
def wdrange_md(m: re.Match[str], ctx: Context) -> Norm | None:
    """The weekday of the first day fixes the year."""
    mo, d1, d2 = month(m["mon"]), day(m["d1"]), day(m["d2"])
    year = year_for(mo, d1, ctx.reference, weekday(m["wd1"]))
    if year is None:
        return Norm(f"XXXX-{mo:02d}-{d1:02d}", granularity=DAY)
    return range_norm(safe_date(year, mo, d1), safe_date(year, mo, d2), DCT)


def _day_range(m: re.Match[str], ctx: Context) -> Norm | None:
    """Days of one month (or running into the next), in the year written or the one closest to the
    reference."""
    mo = month(m["mon"])
    mo2 = month(m["mon2"]) if m.groupdict().get("mon2") else mo
    d1, d2 = day(m["d1"]), day(m["d2"])
    if m["y"]:
        y, anchor = year_value(m["y"]), NONE
    elif ctx.reference is not None:
        y, anchor = closest_year(mo, d1, ctx.reference), DCT
    else:
        return Norm(f"XXXX-{mo:02d}-{d1:02d}", granularity=DAY)
    y2 = y + 1 if mo2 < mo else y
    return range_norm(safe_date(y, mo, d1), safe_date(y2, mo2, d2), anchor)


family(
    "md_range",
    rf"\b(?P<mon>{MON})\s+(?P<d1>{D}){DASH}(?:(?P<mon2>{MON})\s+)?(?P<d2>{D})\b(?:\s?,?\s+(?P<y>{Y})\b)?",
    "May 3-5, 2021",
    "September 17 and 18",
    "May 3 to May 5",
    case_sensitive=True,
)(_day_range)
family(
    "dm_range",
    rf"\b(?P<d1>{D}){DASH}(?P<d2>{D})\s+(?P<mon>{MON})\b(?:\s?,?\s+(?P<y>{Y})\b)?",
    "3-5 May 2021",
    "17 and 18 September",
    case_sensitive=True,
)(_day_range)


def _month_day(m: re.Match[str], ctx: Context) -> Norm | None:
    """A day of a month: the year written, else the one its weekday fixes, else by tense."""
    mo, d = month(m["mon"]), day(m["d"])
    if not 1 <= d <= 31:
        return None
    if m["y"]:
        return day_norm(safe_date(year_value(m["y"]), mo, d), NONE)
    year = ctx.year_of(mo, d, weekday(m["wd"]) if m["wd"] else None)
    if year is None:
        return day_norm(None, NONE, partial=(mo, d))
    return day_norm(safe_date(year, mo, d), DCT)


family(
    "md",
    rf"(?:\b(?P<wd>{WD}),?\s+(?:\(\s*)?(?:the\s+)?)?\b(?P<mon>{MON})\s+(?P<d>{D})\b(?!\s*(?:-|–|—|and|&|to|through)\s*\d)(?!:\d)(?:\s?,?\s+(?P<y>{Y})\b)?(?(wd)(?:\s*\))?)",
    "Wednesday, May 5, 2021",
    "May 5",
    "Oct. 11, 2004",
    case_sensitive=True,
)(_month_day)
family(
    "dm",
    rf"(?:\b(?P<wd>{WD}),?\s+)?\b(?:the\s+)?(?P<d>{D})(?:\s+of)?\s+(?P<mon>{MON})\b(?:\s?,?\s+(?P<y>{Y})\b)?",
    "5 May 2021",
    "the 5th of May",
    case_sensitive=True,
)(_month_day)


@family(
    "mod_month",
    rf"\b(?P<mod>{MOD})[\s-]+(?P<mon>{MON})\b(?:\s?,?\s+(?P<y>{Y})\b)?",
    "late March 2021",
    "early May",
    case_sensitive=True,
)
def mod_month(m: re.Match[str], ctx: Context) -> Norm | None:
    """Part of a month ("late March": its last third); without a year, by the clause's tense."""
    mo = month(m["mon"])
    if m["y"]:
        return month_norm(year_value(m["y"]), mo, NONE, m["mod"])
    if ctx.reference is None:
        return Norm(f"XXXX-{mo:02d}", granularity=MONTH)
    return month_norm(year_by_tense(mo, 0, ctx.reference, ctx.tense, True), mo, DCT, m["mod"])


@family("mod_year", rf"\b(?P<mod>{MOD})[\s-]+(?P<y>{Y})\b", "mid-2020", "the end of 2020")
def mod_year(m: re.Match[str], ctx: Context) -> Norm | None:
    """Part of a year ("mid-2020": May to August)."""
    return year_norm(year_value(m["y"]), NONE, m["mod"])


@family(
    "month_year",
    rf"\b(?P<mon>{MON})\s?,?\s+(?P<y>{Y})\b",
    "March 2021",
    "May, 2019",
    "May , 2019",
    case_sensitive=True,
)
def month_year(m: re.Match[str], ctx: Context) -> Norm | None:
    """A month of a year."""
    return month_norm(year_value(m["y"]), month(m["mon"]), NONE)


def _month_alone(m: re.Match[str], ctx: Context) -> Norm | None:
    """A month without its year: "this" is the reference's year, "last" and "next" count from the
    reference; "by" and "until" look ahead, "since" back; else the clause's tense decides."""
    mo = month(m["mon"])
    pre = (m.groupdict().get("pre") or "").strip().lower()
    ref = ctx.reference
    if ref is None:
        return Norm(f"XXXX-{mo:02d}", granularity=MONTH)
    if pre == "this":
        y = ref.year
    elif pre == "last":
        y = ref.year if mo < ref.month else ref.year - 1
    elif pre == "next":
        y = ref.year if mo > ref.month else ref.year + 1
    elif pre in ("by", "until", "before"):
        y = year_by_tense(mo, 0, ref, "future", True)
    elif pre == "since":
        y = year_by_tense(mo, 0, ref, "past", True)
    else:
        y = year_by_tense(mo, 0, ref, ctx.tense, True)
    return month_norm(y, mo, DCT)


family(
    "month",
    rf"\b(?P<pre>(?:in|since|until|by|of|during|from|last|next|this|before|after|through|early|late|mid)\s+)(?P<mon>{MON})(?![.\w]*\s+\d)",
    "in May",
    "last March",
    "since January",
    case_sensitive=True,
)(_month_alone)
family(
    "month_bare",
    r"\b(?P<mon>January|February|April|June|July|August|September|October|November|December)\b(?!\s+\d)",
    "January",
    case_sensitive=True,
)(_month_alone)


def _bare_season_ok(text: str, m: re.Match[str]) -> bool:
    """A bare "fall" or "spring" is too often a verb or a noun: it needs "in", "during", "this"..."""
    if m["rel"] or m["y"]:
        return True
    return bool(
        re.search(
            r"\b(in|during|this|last|next|by|since|until)\s+(the\s+)?$",
            text[max(0, m.start() - 20) : m.start()],
            re.I,
        )
    )


@family(
    "season",
    rf"\b(?:(?P<rel>last|this|next|past|coming|the)\s+)?(?P<s>spring|summer|autumn|fall|winter)\b(?:\s+(?:of\s+)?(?P<y>{Y}))?",
    "spring 2020",
    "the summer of 1998",
    "last winter",
    accept=_bare_season_ok,
)
def season(m: re.Match[str], ctx: Context) -> Norm | None:
    """A season of the year written, else counted from the reference ("last summer", "next autumn")."""
    code = SEASONS[m["s"].lower()]
    if m["y"]:
        return season_norm(year_value(m["y"]), code, NONE)
    ref = ctx.reference
    if ref is None:
        return Norm(f"XXXX-{code}", granularity=SEASON)
    rel = (m["rel"] or "").lower()
    this_year = season_norm(ref.year, code, DCT)
    if rel in ("last", "past"):
        # the most recent such season that has begun ("this past spring", "last winter")
        y = ref.year if this_year.start and this_year.start <= ref and rel == "past" else ref.year - 1
    else:
        y = ref.year + (1 if rel in ("next", "coming") else 0)
    return season_norm(y, code, DCT)


@family(
    "quarter",
    rf"\b(?:the\s+)?(?:(?P<rel>last|this|next|past|previous|year-ago|year-earlier)\s+)?(?:(?P<y0>(?:19|20)\d\d)\s+|(?P<ry>last|this|next)\s+year['’]s\s+)?(?P<q>first|second|third|fourth|last)[\s-]quarter\b(?:\s+of\s+(?P<y>{Y}))?",
    "the first quarter of 1998",
    "fourth-quarter",
    "the year-ago third quarter",
    "the 1988 second quarter",
    "next year's first quarter",
)
def quarter(m: re.Match[str], ctx: Context) -> Norm | None:
    """A quarter of the year written before or after it ("the 1988 second quarter", "next year's first
    quarter"), else the latest such quarter begun by the reference date (a year before it after
    "year-ago" or "year-earlier")."""
    q = ORDINALS[m["q"].lower()]
    if m["y"] or m["y0"]:
        return quarter_norm(year_value(m["y"] or m["y0"]), q, NONE)
    ref = ctx.reference
    if ref is None:
        return Norm(f"XXXX-Q{q}", granularity=QUARTER)
    if m["ry"]:  # "next year's first quarter"
        return quarter_norm(ref.year + {"last": -1, "this": 0, "next": 1}[m["ry"].lower()], q, DCT)
    cur = (ref.month - 1) // 3 + 1
    year_before = (m["rel"] or "").lower().startswith("year")  # "the year-ago third quarter"
    return quarter_norm((ref.year if q <= cur else ref.year - 1) - year_before, q, DCT)


@family(
    "report_quarter",
    r"\b(?:(?:the|that)\s+(?:comparable\s+|corresponding\s+)?(?P<rel>latest\s+|most\s+recent\s+|recent\s+|just-ended\s+|year-earlier\s+|year-ago\s+)?(?:fiscal\s+)?(?:quarter|period)"
    r"|(?P<ago>year-earlier|year-ago|year\s+earlier|year\s+ago)(?=\s+(?:quarter|period|level|figures?|results?|profits?|earnings|sales)))\b",
    "the quarter",
    "the latest quarter",
    "the year-earlier period",
)
def report_quarter(m: re.Match[str], ctx: Context) -> Norm | None:
    """In business news "the quarter" is the quarter being reported: the last one completed before the
    article; "year-earlier" and "year-ago" name the same quarter a year before."""
    ref = ctx.reference
    if ref is None:
        return Norm("XXXX-QX", granularity=QUARTER)
    q = (ref.month - 1) // 3  # the last completed quarter, 0 meaning Q4 of the previous year
    y = ref.year if q else ref.year - 1
    rel = (m["rel"] or "").strip().lower()
    if m["ago"] or rel.startswith("year"):
        y -= 1
    return quarter_norm(y, q or 4, DCT)


@family("decade", r"\b(?:the\s+)?(?:(?P<y>1[6-9]\d0|20\d0)|'(?P<yy>\d0))s\b", "the 1990s", "the '90s")
def decade(m: re.Match[str], ctx: Context) -> Norm | None:
    """A decade ("the '90s": the 1990s up to '20s, then the 2000s)."""
    if m["y"]:
        y = int(m["y"])
    else:
        yy = int(m["yy"])
        y = 1900 + yy if yy >= 30 else 2000 + yy
    return decade_norm(y)


@family(
    "month_relyear",
    rf"\b(?P<mon>{MON})\s+(?:of\s+)?(?P<rel>last|this|next)\s+year\b",
    "June last year",
    "May of next year",
    case_sensitive=True,
)
def month_relyear(m: re.Match[str], ctx: Context) -> Norm | None:
    """A month of the year before, of, or after the reference."""
    mo = month(m["mon"])
    if ctx.reference is None:
        return Norm(f"XXXX-{mo:02d}", granularity=MONTH)
    step = {"last": -1, "this": 0, "next": 1}[m["rel"].lower()]
    return month_norm(ctx.reference.year + step, mo, DCT)


# --- times of day -----------------------------------------------------------------------------------


@family(
    "clock_wd",
    rf"\b(?:(?P<clock>{_CLOCK})\s+(?:on\s+)?(?P<wd>{WD})|(?P<wd2>{WD})\s+(?:at\s+)?(?P<clock2>{_CLOCK}))",
    "10 p.m. Wednesday",
    "noon Thursday",
    "Wednesday at 10 p.m.",
    case_sensitive=True,
)
def clock_wd(m: re.Match[str], ctx: Context) -> Norm | None:
    """A time on the last such weekday up to the reference (the next one for the future)."""
    wd = weekday(m["wd"] or m["wd2"])
    clock = (m["clock"] or m["clock2"]).lower()
    ref = ctx.reference
    if ref is None:
        return Norm(f"XXXX-WXX-{wd + 1}", type="TIME", granularity=DAY)
    when = (
        ref + timedelta(days=(wd - ref.weekday()) % 7)
        if ctx.tense == "future"
        else ref - timedelta(days=(ref.weekday() - wd) % 7)
    )
    return Norm(
        f"{when.isoformat()}T{clock_value(clock)}",
        type="TIME",
        granularity=DAY,
        start=when,
        end=when,
        anchor=DCT,
    )


@family(
    "clock_md",
    rf"\b(?P<clock>{_CLOCK})(?:\s+(?:EST|EDT|CST|PST|GMT|UTC|local\s+time))?,?\s+(?:on\s+)?(?:{WD},?\s+)?(?P<mon>{MON})\s+(?P<d>{D})\b(?:\s?,?\s+(?P<y>{Y})\b)?",
    "5 p.m. EST Nov. 9",
    "10 a.m. on May 5",
    case_sensitive=True,
)
def clock_md(m: re.Match[str], ctx: Context) -> Norm | None:
    """A time on a day of a month, its year as for a day of a month."""
    mo, d = month(m["mon"]), day(m["d"])
    yr = year_value(m["y"]) if m["y"] else ctx.year_of(mo, d)
    on = safe_date(yr, mo, d) if yr else None
    hm = clock_value(m["clock"])
    if on is None:
        return Norm(f"XXXX-{mo:02d}-{d:02d}T{hm}", type="TIME", granularity=DAY)
    anchor = NONE if m["y"] else DCT
    return Norm(f"{on.isoformat()}T{hm}", type="TIME", granularity=DAY, start=on, end=on, anchor=anchor)


# --- long spans: centuries, eras, decades -----------------------------------------------------------


@family(
    "century",
    rf"\b(?:the\s+)?(?P<c>\d{{1,2}})(?:st|nd|rd|th)[\s-]century\b(?:\s+(?P<era>{ERA}))?",
    "the 20th century",
    "the 5th century BC",
    case_sensitive=True,
)
def century(m: re.Match[str], ctx: Context) -> Norm | None:
    """A century ("the 20th century": the 1900s); BC centuries have no day range."""
    cent = int(m["c"])
    if not 1 <= cent <= 22:
        return None
    if m["era"] and m["era"].upper().startswith("B"):  # the 5th century BC: 500-401 BC
        return Norm(f"BC{cent - 1:02d}", granularity=CENTURY)
    y0 = (cent - 1) * 100
    return Norm(
        f"{cent - 1:02d}", granularity=CENTURY, start=date(max(y0, 1), 1, 1), end=date(y0 + 99, 12, 31)
    )


@family(
    "year_era",
    rf"\b(?:(?P<y>\d{{1,4}})\s*(?P<era>{ERA})|(?P<ad>AD|A\.D\.)\s*(?P<y2>\d{{1,4}})\b)",
    "44 BC",
    "500 B.C.",
    "AD 79",
    case_sensitive=True,
)
def year_era(m: re.Match[str], ctx: Context) -> Norm | None:
    """A year before or after Christ (44 BC is astronomical year -43, TIMEX3 BC0044)."""
    y = int(m["y"] or m["y2"])
    if m["era"] and m["era"].upper().startswith("B"):
        return year_norm(1 - y, NONE)  # 44 BC is astronomical year -43
    return year_norm(y, NONE) if y else None


_DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7, "eighties": 8, "nineties": 9}  # fmt: skip


@family(
    "decade_word",
    r"\b(?:the\s+)(?:nineteen[\s-]|early\s+|late\s+|mid[\s-])?(?P<dw>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b",
    "the nineties",
    "the nineteen-eighties",
)
def decade_word(m: re.Match[str], ctx: Context) -> Norm | None:
    """A decade in words, of the twentieth century ("the nineties")."""
    y0 = 1900 + _DECADE_WORDS[m["dw"].lower()] * 10
    return decade_norm(y0)


# --- relative to the reference date -----------------------------------------------------------------


@family("weekend", r"\b(?:the|this|last|next)\s+weekend\b", "the weekend", "next weekend")
def weekend(m: re.Match[str], ctx: Context) -> Norm | None:
    """The last weekend up to the reference, or the next one ("next weekend", the future)."""
    ref = ctx.reference
    if ref is None:
        return Norm("XXXX-WXX-WE", granularity=DAY)
    w = m.group(0).lower().split()[0]
    future = w == "next" or (w != "last" and ctx.tense == "future")
    sat = (
        ref + timedelta(days=(5 - ref.weekday()) % 7)
        if future
        else ref - timedelta(days=(ref.weekday() - 5) % 7)
    )
    return weekend_norm(sat, DCT)


_DEICTIC_DAYS = {"yesterday": -1, "today": 0, "tomorrow": 1, "tonight": 0, "this morning": 0,
                 "this afternoon": 0, "this evening": 0, "last night": -1,
                 "the day before yesterday": -2, "the day after tomorrow": 2}  # fmt: skip
_DEICTIC_PARTS = {"tonight": "NI", "last night": "NI", "this morning": "MO", "this afternoon": "AF", "this evening": "EV"}  # fmt: skip


@family(
    "deictic",
    r"\b(?P<w>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|yesterday|today|tomorrow|tonight|this\s+morning|this\s+afternoon|this\s+evening|last\s+night)\b",
    "yesterday",
    "the day before yesterday",
    "tonight",
)
def deictic(m: re.Match[str], ctx: Context) -> Norm | None:
    """A day counted from the reference ("yesterday"), with its part ("last night")."""
    w = " ".join(m["w"].lower().split())
    if ctx.reference is None:
        return Norm(
            "PRESENT_REF" if w.startswith(("today", "this", "tonight")) else "XXXX-XX-XX", granularity=DAY
        )
    n = day_norm(ctx.reference + timedelta(days=_DEICTIC_DAYS[w]), DCT)
    if w in _DEICTIC_PARTS:
        n.value, n.type = f"{n.value}T{_DEICTIC_PARTS[w]}", "TIME"
    return n


@family(
    "rel_unit",
    r"\b(?P<pre>(?:earlier|later|late|early)\s+)?(?P<rel>this|last|next|past|previous|coming|current|the\s+past|the\s+previous|the\s+coming)\s+(?P<u>week|weekend|month|year|decade|century)\b(?!s)",
    "this week",
    "last month",
    "earlier this year",
)
def rel_unit(m: re.Match[str], ctx: Context) -> Norm | None:
    """The week, month, year, decade or century of the reference, or the one before or after it."""
    u = m["u"].lower()
    rel = " ".join(m["rel"].lower().split()).replace("the ", "")
    ref = ctx.reference
    if ref is None:
        return Norm("PRESENT_REF" if rel in ("this", "current") else "XXXX", granularity=UNKNOWN)
    step = 0 if rel in ("this", "current") else -1 if rel in ("last", "past", "previous") else 1
    if u in ("week", "weekend"):
        n = week_norm(ref + timedelta(weeks=step), DCT)
        if u == "weekend":
            assert n.start is not None
            n = weekend_norm(n.start + timedelta(days=5), DCT)
        return n
    if u == "month":
        when = shift_months(ref, step)
        return month_norm(when.year, when.month, DCT, m["pre"])
    if u == "year":
        return year_norm(ref.year + step, DCT, m["pre"])
    if u == "decade":
        y0 = (ref.year // 10 + step) * 10
        return decade_norm(y0, DCT)
    c0 = (ref.year // 100 + step) * 100
    return Norm(str(c0)[:2], granularity=CENTURY, start=date(c0, 1, 1), end=date(c0 + 99, 12, 31), anchor=DCT)


@family(
    "ago",
    rf"\b(?:(?:nearly|about|almost|some|more\s+than|over|roughly|around|just|only)\s+)?(?P<n>{NUMW})\s+(?P<u>{UNIT})\s+(?P<dir>ago|earlier|before|later|after|from\s+now|previously|since)\b",
    "three days ago",
    "a week earlier",
    "two years later",
    "three years after",
    looks_ahead=True,
)
def ago(m: re.Match[str], ctx: Context) -> Norm | None:
    """Counted from the reference ("ago", "from now"), from the date written right after it ("three years
    after the 2018 meeting") or from the last date before it ("later", "earlier"); a quarter named nearby
    makes "a year earlier" that quarter a year before."""
    n_ = number(m["n"])
    unit = unit_of(m["u"])
    direction = m["dir"].lower()
    base, anchor = ctx.reference, DCT
    unit_prev = ctx.previous_day if unit in ("day", "night", "week") else ctx.previous
    if direction in ("before", "after") and ctx.following is not None:
        base, anchor = ctx.following, NONE
    elif direction in ("earlier", "before", "later", "after", "since") and unit_prev is not None:
        base, anchor = unit_prev, PREVIOUS
    if ctx.previous_quarter and unit == "year" and n_ is not None:
        sign_q = 1 if direction in ("later", "after", "from now") else -1
        return quarter_norm(ctx.previous_quarter[0] + sign_q * n_, ctx.previous_quarter[1], PREVIOUS)
    if n_ is None and direction == "ago":
        return Norm("PAST_REF", granularity=UNKNOWN, anchor=anchor if base else NONE)  # "a few years ago"
    if base is None or n_ is None or unit in TIME_UNITS:
        return Norm(duration_value(n_, unit), type="DURATION")
    sign = 1 if direction in ("later", "after", "from now") else -1
    return _shifted(base, sign * n_, unit, anchor) or Norm(duration_value(n_, unit), type="DURATION")


def _shifted(base: date, n: int, unit: str, anchor: str) -> Norm | None:
    """The day, week, month, year or decade `n` units from `base`; None for other units."""
    if unit in ("day", "night"):
        return day_norm(base + timedelta(days=n), anchor)
    if unit == "week":
        return week_norm(base + timedelta(weeks=n), anchor)
    if unit == "month":
        when = shift_months(base, n)
        return month_norm(when.year, when.month, anchor)
    if unit == "year":
        return year_norm(base.year + n, anchor)
    if unit == "decade":
        y0 = (base.year + 10 * n) // 10 * 10
        return decade_norm(y0, anchor)
    return None


def _weekday_start(m: re.Match[str]) -> int:
    """TimeBank and readers cite "Tuesday", not "on Tuesday"."""
    return m.start("wd") if m["rel"] and m["rel"].lower() == "on" else m.start()


_DAY_PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}


@family(
    "weekday",
    rf"\b(?:(?P<rel>last|next|this|past|on|coming)\s+)?(?P<wd>{WD})(?P<part>\s+(?:morning|afternoon|evening|night))?(?!\w)",
    "last Tuesday",
    "Tuesday",
    "Thu.",
    "Tuesday morning",
    case_sensitive=True,
    start=_weekday_start,
)
def weekday_family(m: re.Match[str], ctx: Context) -> Norm | None:
    """The last such weekday up to the reference, or the next one for the future ("will meet on
    Tuesday", "next Friday")."""
    wd = weekday(m["wd"])
    rel = (m["rel"] or "").lower()
    ref = ctx.reference
    if ref is None:
        return Norm(f"XXXX-WXX-{wd + 1}", granularity=DAY)
    future = rel in ("next", "coming") or (rel not in ("last", "past") and ctx.tense == "future")
    if future:
        when = ref + timedelta(days=(wd - ref.weekday()) % 7 or (7 if rel == "next" else 0))
    else:
        when = ref - timedelta(days=(ref.weekday() - wd) % 7)
        if rel == "last" and when == ref:
            when -= timedelta(days=7)
    n = day_norm(when, DCT)
    if m["part"]:
        n.value, n.type = f"{n.value}T{_DAY_PARTS[m['part'].strip().lower()]}", "TIME"
    return n


@family(
    "anaphoric",
    r"\b(?P<w>the\s+(?:next|following|previous|preceding|same)\s+(?:day|week|month|year)|that\s+(?:day|week|month|year)|the\s+day\s+before|the\s+day\s+after)\b",
    "the next day",
    "the following week",
    "that year",
)
def anaphoric(m: re.Match[str], ctx: Context) -> Norm | None:
    """Counted from the last date before it in the text (else the reference)."""
    w = " ".join(m["w"].lower().split())
    unit = w.split()[-1]
    base = (ctx.previous if unit in ("month", "year") else ctx.previous_day) or ctx.reference
    if base is None:
        return Norm("XXXX-XX-XX", granularity=DAY)
    anchor = PREVIOUS if base is not ctx.reference else DCT
    step = (
        -1
        if any(x in w for x in ("previous", "preceding", "before"))
        else 0
        if ("same" in w or w.startswith("that"))
        else 1
    )
    if unit in ("before", "after"):
        unit = "day"
    shifted = _shifted(base, step, unit, anchor)
    assert shifted is not None
    return shifted


@family(
    "vague",
    r"\b(?P<w>now|currently|at\s+present|nowadays|recently|lately|in\s+recent\s+(?:years|months|weeks|days)|recent\s+(?:years|months|weeks|days)|in\s+the\s+past|in\s+the\s+future|the\s+future|soon|the\s+coming\s+(?:days|weeks|months|years))\b",
    "now",
    "recently",
    "in the future",
)
def vague(m: re.Match[str], ctx: Context) -> Norm | None:
    """The present, the past or the future, without a date (PRESENT_REF, PAST_REF, FUTURE_REF)."""
    w = " ".join(m["w"].lower().split())
    ref = ctx.reference
    anchor = DCT if ref else NONE
    if w in ("now", "currently", "at present", "nowadays"):
        return Norm("PRESENT_REF", granularity=UNKNOWN, start=ref, end=ref, anchor=anchor)
    if "future" in w or "coming" in w or w == "soon":
        return Norm("FUTURE_REF", granularity=UNKNOWN, anchor=anchor)
    return Norm("PAST_REF", granularity=UNKNOWN, anchor=anchor)


# --- durations, clock times, sets -------------------------------------------------------------------


def _counted(text: str, m: re.Match[str]) -> bool:
    return number(m["n"]) is not None or m["n"].lower() in NUMBERS


@family(
    "duration",
    rf"\b(?P<q>(?:over|more\s+than|less\s+than|about|nearly|almost|some|at\s+least|up\s+to|the\s+(?:past|last|next|first|previous|coming)|another|(?:for|in)\s+the\s+(?:past|last|next))\s+)?(?P<n>{NUMW})[\s-]+(?P<u>{UNIT})\b",
    "three days",
    "the past two decades",
    "24 hours",
    accept=_counted,
)
def duration(m: re.Match[str], ctx: Context) -> Norm | None:
    """An amount of a unit (P3W, PT24H); X for an unknown amount."""
    return Norm(duration_value(number(m["n"]), unit_of(m["u"])), type="DURATION")


@family("duration_bare", r"\b(?P<w>(?:for|in)\s+(?:years|months|weeks|days|decades|hours))\b", "for years")
def duration_bare(m: re.Match[str], ctx: Context) -> Norm | None:
    """An unknown amount of a unit ("for years": PXY)."""
    return Norm(duration_value(None, unit_of(m["w"].split()[-1])), type="DURATION")


@family(
    "clock",
    r"\b(?P<hh>[01]?\d|2[0-3])(?::(?P<mm>[0-5]\d))?\s*(?P<ap>a\.m\.|p\.m\.|am\b|pm\b|a\.m\b|p\.m\b)|\b(?P<hh2>[01]?\d|2[0-3]):(?P<mm2>[0-5]\d)\b",
    "4 p.m.",
    "14:55",
)
def clock(m: re.Match[str], ctx: Context) -> Norm | None:
    """A time of the day its sentence names, the nearest ("Friday ... at 9:45 p.m."), else of the
    reference day (the day is set by `tag`, which sees the sentence's other expressions)."""
    h = int(m["hh"] or m["hh2"] or "0")
    mm = m["mm"] or m["mm2"] or "00"
    ap = (m["ap"] or "").lower().replace(".", "")
    if ap == "pm" and h < 12:
        h += 12
    if ap == "am" and h == 12:
        h = 0
    ref = ctx.reference
    day_value = ref.isoformat() if ref else "XXXX-XX-XX"
    return Norm(
        f"{day_value}T{h:02d}:{mm}",
        type="TIME",
        granularity=DAY,
        start=ref,
        end=ref,
        anchor=DCT if ref else NONE,
    )


@family(
    "partday",
    r"\b(?P<w>noon|midnight|(?:this|that|yesterday|tomorrow)\s+(?:morning|afternoon|evening))\b",
    "noon",
    "yesterday morning",
)
def partday(m: re.Match[str], ctx: Context) -> Norm | None:
    """Noon, midnight, or a part of the day ("yesterday morning") of a day near the reference."""
    w = " ".join(m["w"].lower().split())
    ref = base = ctx.reference
    if ref and w.startswith("yesterday"):
        base = ref - timedelta(days=1)
    elif ref and w.startswith("tomorrow"):
        base = ref + timedelta(days=1)
    part = "12:00" if w == "noon" else "24:00" if w == "midnight" else _DAY_PARTS[w.split()[-1]]
    day_value = base.isoformat() if base else "XXXX-XX-XX"
    return Norm(
        f"{day_value}T{part}", type="TIME", granularity=DAY, start=base, end=base, anchor=DCT if ref else NONE
    )


_SET_CODES = {"day": "P1D", "daily": "P1D", "week": "P1W", "weekly": "P1W", "month": "P1M", "monthly": "P1M",
              "year": "P1Y", "annually": "P1Y", "yearly": "P1Y"}  # fmt: skip


@family(
    "set",
    r"\b(?P<w>every\s+(?:day|week|month|year|other\s+day)|each\s+(?:day|week|month|year)|daily|weekly|monthly|annually|yearly)\b",
    "every day",
    "weekly",
    "each year",
)
def set_family(m: re.Match[str], ctx: Context) -> Norm | None:
    """A recurrence ("weekly": P1W)."""
    w = " ".join(m["w"].lower().split())
    return Norm(next((v for key, v in _SET_CODES.items() if key in w), "P2D"), type="SET")


# --- a bare year ------------------------------------------------------------------------------------


def _plausible_year(text: str, m: re.Match[str]) -> bool:
    """A year, not a count or a part of a figure ("2000 people", "$1999", "2,015", "1999-00")."""
    if not m["y"][:1].isdigit():
        left = text[max(0, m.start() - 20) : m.start()].lower()
        return bool(re.match(r"(?i)(nineteen|two thousand)", m["y"])) and bool(
            re.search(r"\b(in|since|of|year|until|by|before|after|from|during)\s+$", left)
        )
    before = text[max(0, m.start() - 2) : m.start()]
    after = text[m.end() : m.end() + 25]
    if re.match(r"^[,.]\d|^\d|^%|^\s*(?:-|–)\s*\d{2}\b(?!\d)", after) and not re.match(
        r"^\s*(?:-|–)\s*(?:19|20)\d\d", after
    ):
        return False
    if before.endswith(("$", "#", ",", ".")) and re.search(
        r"\d[,.]$", text[max(0, m.start() - 3) : m.start()]
    ):
        return False
    if before.endswith(("$", "#")):
        return False
    nxt = re.match(r"^\s+([a-z]+)", after)
    if nxt and nxt.group(1) not in YEAR_FOLLOWERS:
        w = nxt.group(1)
        if (w.endswith("s") and not w.endswith(("ss", "us", "is"))) or w in MEASURES:
            return False
    return True


@family("year", rf"\b(?P<y>{Y})\b", "2013", "1848", accept=_plausible_year)
def year(m: re.Match[str], ctx: Context) -> Norm | None:
    """A year in digits or in words."""
    return year_norm(year_value(m["y"]), NONE)


def describe() -> str:
    """The families as a Markdown table (docs/temporal.md holds it; a test keeps the two the same)."""
    rows = ["| family | examples | how it is normalised |", "| --- | --- | --- |"]
    for f in FAMILIES:
        examples = ", ".join(f'"{e}"' for e in f.examples)
        rows.append(f"| `{f.name}` | {examples} | {' '.join((f.normalise.__doc__ or '').split())} |")
    return "\n".join(rows) + "\n"
