"""Temporal expressions: find them in text and normalise them (TIMEX3) against a reference date.

A grammar of our own (dateparser cannot do ranges, misreads "September 17 and 18" and turns "We" into a
Wednesday). Each pattern family yields candidate spans; overlapping candidates are resolved longest
first; each kept span is normalised against the reference date (the publication date) or, for
expressions such as "the next day", against the closest earlier expression in the same text.
"""

from __future__ import annotations

import bisect
import calendar
import logging
import re
from dataclasses import dataclass
from datetime import date, timedelta

from .model import CENTURY, DAY, DECADE, MONTH, QUARTER, SEASON, UNKNOWN, WEEK, YEAR, TimeMention

log = logging.getLogger(__name__)

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}  # fmt: skip
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "hundred": 100, "several": None,
    "few": None, "a few": None, "many": None, "some": None, "couple": 2, "a couple of": 2,
}  # fmt: skip
SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}
UNIT_CODES = {
    "second": "S", "minute": "M", "hour": "H", "day": "D", "week": "W", "month": "M",
    "year": "Y", "decade": "DE", "century": "CE", "weekend": "WE", "night": "D",
}  # fmt: skip
TIME_UNITS = {"second", "minute", "hour"}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": 4}

# --- pattern pieces -------------------------------------------------------------------------------
_MON = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept\.?|Sep\.?|Oct\.?|Nov\.?|Dec\.?)"
)
MONTH_PATTERN = _MON  # a month name or its abbreviation, for other modules' rules about dates
_WD = (
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
    r"|Mon\.|Tue\.|Tues\.|Wed\.|Thu\.|Thur\.|Thurs\.|Fri\.|Sat\.|Sun\.)"
)
_D = r"(?:[012]?\d|3[01])(?:st|nd|rd|th)?"
_TENS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
_UNITS = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_TEENS = r"(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
# "nineteen ninety-four", "two thousand", "two thousand and one": years as transcribed speech writes them
_SPELLED_Y = (
    rf"(?:(?:sixteen|seventeen|eighteen|nineteen)[\s-](?:{_TENS}(?:[\s-]{_UNITS})?|{_TEENS}|hundred|oh[\s-]{_UNITS})"
    rf"|two[\s-]thousand(?:(?:\s+and)?[\s-](?:{_TENS}(?:[\s-]{_UNITS})?|{_TEENS}|{_UNITS}))?)"
)
_Y = rf"(?:1[6-9]\d\d|20\d\d|{_SPELLED_Y})"
_NUMW = (
    r"(?:(?<![\d.,])(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen"
    r"|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|hundred"
    r"|several|few|a few|many|some|a couple of|couple of)"
)
_UNIT = r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centuries|century|nights?)"
_ERA = r"(?:B\.C\.E\.|BCE|B\.C\.|BC|C\.E\.|CE|A\.D\.|AD)(?!\w)"  # an era after a year or century
_DASH = r"\s*(?:-|–|—|to|through|until|and|&)\s*"
_MOD = (
    r"(?:early|mid|late|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of|end|beginning)"
)

# Words that may follow a bare year; any other lower-case word makes "2000 people" not a year.
_YEAR_FOLLOWERS = set(
    "and or to when was were is are the in on at after before as with for from by but that which "
    "while had has have will would could could said says election elections budget season".split()
)

_PATTERNS: list[tuple[str, str]] = [
    # 2021-05-04, 2021/05/04 (optionally with a time)
    ("iso", r"\b(?P<y>\d{4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})(?:T(?P<hh>\d\d):(?P<mm>\d\d)(?::\d\d)?)?\b"),
    # 10/30/2020, 30.10.2020
    ("numeric", r"\b(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})\b"),
    # Monday-Wednesday (May 3-5)
    (
        "wdrange_md",
        rf"\b(?P<wd1>{_WD})\s*(?:-|–|—|to|through)\s*(?P<wd2>{_WD})\s*\(\s*(?P<mon>{_MON})\s+(?P<d1>{_D})\s*(?:-|–|—)\s*(?P<d2>{_D})\s*\)",
    ),
    # May 3-5, 2021 ; September 17 and 18 ; May 3 to May 5
    (
        "md_range",
        rf"\b(?P<mon>{_MON})\s+(?P<d1>{_D}){_DASH}(?:(?P<mon2>{_MON})\s+)?(?P<d2>{_D})\b(?:,?\s+(?P<y>{_Y})\b)?",
    ),
    # 3-5 May 2021 ; 17 and 18 September
    ("dm_range", rf"\b(?P<d1>{_D}){_DASH}(?P<d2>{_D})\s+(?P<mon>{_MON})\b(?:,?\s+(?P<y>{_Y})\b)?"),
    # (Wednesday,) May 5(,) 2021 ; May 5 ; Wednesday May 5
    (
        "md",
        rf"(?:\b(?P<wd>{_WD}),?\s+(?:\(\s*)?(?:the\s+)?)?\b(?P<mon>{_MON})\s+(?P<d>{_D})\b(?!\s*(?:-|–|—|and|&|to|through)\s*\d)(?!:\d)(?:,?\s+(?P<y>{_Y})\b)?(?(wd)(?:\s*\))?)",
    ),
    # (Wednesday,) 5 May(,) 2021 ; the 5th of May
    (
        "dm",
        rf"(?:\b(?P<wd>{_WD}),?\s+)?\b(?:the\s+)?(?P<d>{_D})(?:\s+of)?\s+(?P<mon>{_MON})\b(?:,?\s+(?P<y>{_Y})\b)?",
    ),
    # late March 2021 ; early May ; mid-2020 ; the end of 2020
    ("mod_month", rf"\b(?P<mod>{_MOD})[\s-]+(?P<mon>{_MON})\b(?:,?\s+(?P<y>{_Y})\b)?"),
    ("mod_year", rf"\b(?P<mod>{_MOD})[\s-]+(?P<y>{_Y})\b"),
    # March 2021 ; in May ; last March
    ("month_year", rf"\b(?P<mon>{_MON}),?\s+(?P<y>{_Y})\b"),
    (
        "month",
        rf"\b(?P<pre>(?:in|since|until|by|of|during|from|last|next|this|before|after|through|early|late|mid)\s+)(?P<mon>{_MON})(?![.\w]*\s+\d)",
    ),
    (
        "month_bare",
        r"\b(?P<mon>January|February|April|June|July|August|September|October|November|December)\b(?!\s+\d)",
    ),
    # spring 2020 ; the summer of 1998 ; last spring ; this winter
    (
        "season",
        rf"\b(?P<rel>last|this|next|past|coming|the)?\s*(?P<s>spring|summer|autumn|fall|winter)\b(?:\s+(?:of\s+)?(?P<y>{_Y}))?",
    ),
    # the first quarter (of 1998) ; fourth-quarter
    (
        "quarter",
        rf"\b(?:the\s+)?(?P<rel>last|this|next|past|previous)?\s*(?P<q>first|second|third|fourth|last)[\s-]quarter\b(?:\s+of\s+(?P<y>{_Y}))?",
    ),
    # the quarter ; the latest quarter ; the year-earlier period ; year-ago (business news)
    (
        "report_quarter",
        r"\b(?:(?:the|that)\s+(?:comparable\s+|corresponding\s+)?(?P<rel>latest\s+|most\s+recent\s+|recent\s+|just-ended\s+|year-earlier\s+|year-ago\s+)?(?:fiscal\s+)?(?:quarter|period)"
        r"|(?P<ago>year-earlier|year-ago|year\s+earlier|year\s+ago)(?=\s+(?:quarter|period|level|figures?|results?|profits?|earnings|sales)))\b",
    ),
    # the 1990s ; the '90s
    ("decade", r"\b(?:the\s+)?(?:(?P<y>1[6-9]\d0|20\d0)|'(?P<yy>\d0))s\b"),
    # June last year ; May of next year
    ("month_relyear", rf"\b(?P<mon>{_MON})\s+(?:of\s+)?(?P<rel>last|this|next)\s+year\b"),
    # 10 p.m. Wednesday ; noon Thursday ; Wednesday at 10 p.m.
    (
        "clock_wd",
        rf"\b(?:(?P<clock>(?:[01]?\d|2[0-3])(?::[0-5]\d)?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)|noon|midnight)\s+(?:on\s+)?(?P<wd>{_WD})"
        rf"|(?P<wd2>{_WD})\s+(?:at\s+)?(?P<clock2>(?:[01]?\d|2[0-3])(?::[0-5]\d)?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)|noon|midnight))",
    ),
    # 5 p.m. EST Nov. 9 ; 10 a.m. on May 5
    (
        "clock_md",
        rf"\b(?P<clock>(?:[01]?\d|2[0-3])(?::[0-5]\d)?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)|noon|midnight)(?:\s+(?:EST|EDT|CST|PST|GMT|UTC|local\s+time))?,?\s+(?:on\s+)?(?:{_WD},?\s+)?(?P<mon>{_MON})\s+(?P<d>{_D})\b(?:,?\s+(?P<y>{_Y})\b)?",
    ),
    # the 20th century ; the nineteenth century
    ("century", rf"\b(?:the\s+)?(?P<c>\d{{1,2}})(?:st|nd|rd|th)[\s-]century\b(?:\s+(?P<era>{_ERA}))?"),
    # 44 BC ; 500 B.C. ; 2000 BCE ; AD 79 ; 79 AD
    ("year_era", rf"\b(?:(?P<y>\d{{1,4}})\s*(?P<era>{_ERA})|(?P<ad>AD|A\.D\.)\s*(?P<y2>\d{{1,4}})\b)"),
    # the nineties ; the nineteen-eighties
    (
        "decade_word",
        r"\b(?:the\s+)(?:nineteen[\s-]|early\s+|late\s+|mid[\s-])?(?P<dw>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b",
    ),
    # the weekend
    ("weekend", r"\b(?:the|this|last|next)\s+weekend\b"),
    # yesterday ; today ; the day before yesterday ; tonight
    (
        "deictic",
        r"\b(?P<w>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|yesterday|today|tomorrow|tonight|this\s+morning|this\s+afternoon|this\s+evening|last\s+night)\b",
    ),
    # this week ; last month ; next year ; earlier this year ; later this month ; the past week
    (
        "rel_unit",
        r"\b(?P<pre>(?:earlier|later|late|early)\s+)?(?P<rel>this|last|next|past|previous|coming|current|the\s+past|the\s+previous|the\s+coming)\s+(?P<u>week|weekend|month|year|decade|century)\b(?!s)",
    ),
    # three days ago ; a week earlier ; two years later ; a month after
    (
        "ago",
        rf"\b(?:(?:nearly|about|almost|some|more\s+than|over|roughly|around|just|only)\s+)?(?P<n>{_NUMW})\s+(?P<u>{_UNIT})\s+(?P<dir>ago|earlier|before|later|after|from\s+now|previously|since)\b",
    ),
    # last Tuesday ; on Tuesday ; next Friday ; Tuesday morning
    (
        "weekday",
        rf"\b(?:(?P<rel>last|next|this|past|on|coming)\s+)?(?P<wd>{_WD})(?P<part>\s+(?:morning|afternoon|evening|night))?\b",
    ),
    # the next day ; the following week ; the previous day
    (
        "anaphoric",
        r"\b(?P<w>the\s+(?:next|following|previous|preceding|same)\s+(?:day|week|month|year)|that\s+(?:day|week|month|year)|the\s+day\s+before|the\s+day\s+after)\b",
    ),
    # now ; currently ; recently ; in recent years ; soon ; in the past ; the future
    (
        "vague",
        r"\b(?P<w>now|currently|at\s+present|nowadays|recently|lately|in\s+recent\s+(?:years|months|weeks|days)|recent\s+(?:years|months|weeks|days)|in\s+the\s+past|in\s+the\s+future|the\s+future|soon|the\s+coming\s+(?:days|weeks|months|years))\b",
    ),
    # over 40 years ; three days ; the past two decades ; a five-year plan ; 24 hours
    (
        "duration",
        rf"\b(?P<q>(?:over|more\s+than|less\s+than|about|nearly|almost|some|at\s+least|up\s+to|the\s+(?:past|last|next|first|previous|coming)|another|(?:for|in)\s+the\s+(?:past|last|next))\s+)?(?P<n>{_NUMW})[\s-]+(?P<u>{_UNIT})\b",
    ),
    ("duration_bare", r"\b(?P<w>(?:for|in)\s+(?:years|months|weeks|days|decades|hours))\b"),
    # 14:55 ; 4 p.m. ; 16:53 local time ; noon ; midnight
    (
        "clock",
        r"\b(?P<hh>[01]?\d|2[0-3])(?::(?P<mm>[0-5]\d))?\s*(?P<ap>a\.m\.|p\.m\.|am\b|pm\b|a\.m\b|p\.m\b)|\b(?P<hh2>[01]?\d|2[0-3]):(?P<mm2>[0-5]\d)\b",
    ),
    ("partday", r"\b(?P<w>noon|midnight|(?:this|that|yesterday|tomorrow)\s+(?:morning|afternoon|evening))\b"),
    # every day ; daily ; weekly ; each year ; annually
    (
        "set",
        r"\b(?P<w>every\s+(?:day|week|month|year|other\s+day)|each\s+(?:day|week|month|year)|daily|weekly|monthly|annually|yearly)\b",
    ),
    # a bare year: in 2013 ; 1998 ; fiscal 1997
    ("year", rf"\b(?P<y>{_Y})\b"),
]
_COMPILED = [(name, re.compile(rx, re.IGNORECASE)) for name, rx in _PATTERNS]
# Families whose capitalisation matters ("may", "march", "sun", "wed" are also ordinary words).
_CASE_SENSITIVE = {
    "clock_md",
    "month_relyear",
    "clock_wd",
    "month_bare",
    "md",
    "dm",
    "md_range",
    "dm_range",
    "month",
    "month_year",
    "mod_month",
    "weekday",
    "wdrange_md",
    "year_era",
    "century",
}
_PRIORITY = {name: i for i, (name, _) in enumerate(_PATTERNS)}


@dataclass
class _Candidate:
    start: int
    end: int
    kind: str
    m: re.Match[str]


def _month(s: str) -> int:
    return MONTHS[s.lower().rstrip(".")]


def _day(s: str) -> int:
    return int(re.sub(r"\D", "", s))


def _weekday(s: str) -> int:
    return WEEKDAYS[s.lower().rstrip(".")]


def _num(s: str | None) -> int | None:
    if s is None:
        return None
    s = " ".join(s.lower().split())
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", s):
        s = s.replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", s):
        return int(float(s))
    return NUMBERS.get(s.replace(" of", "").strip(), None)


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _closest_year(m: int, d: int, ref: date) -> int:
    """The year that puts month/day closest to the reference date (news is written near its events)."""
    best = ref.year
    best_gap = None
    for y in (ref.year - 1, ref.year, ref.year + 1):
        dt = _safe_date(y, m, d if d else 1)
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
        dt = _safe_date(y, m, d)
        if dt and dt.weekday() == wd and dt <= before:
            out.append(y)
    return out


_FUTURE_RX = re.compile(
    r"\b(will|shall|'ll|is to|are to|is due|are due|scheduled to|expected to|plans? to|planning to|going to|"
    r"set to|upcoming)\b"
)
_PAST_RX = re.compile(r"\b(was|were|had|did|ago|earlier|previously)\b")


def _tense(text: str, start: int, end: int) -> str | None:
    """'future', 'past' or None, from the words of the clause around an expression."""
    left = re.split(r"[.;!?]", text[max(0, start - 60) : start].lower())[-1]
    right = re.split(r"[.;!?]", text[end : end + 40].lower())[0]
    if _FUTURE_RX.search(left) or re.match(r"^\s*,?\s*(?:will|shall)\b", right):
        return "future"
    if _PAST_RX.search(left) or _PAST_RX.search(right):
        return "past"
    return None


def _future_context(text: str, start: int) -> bool:
    """Whether the clause before `start` speaks of the future ("will meet on Tuesday")."""
    return _tense(text, start, start) == "future"


NEAR_FUTURE_DAYS = 60  # an unmarked partial date this close ahead of the article is taken as upcoming


def _year_by_tense(mo: int, d: int, ref: date, tense: str | None, month_only: bool = False) -> int:
    """The year of a partial date: the next occurrence for the future, the last one for the past; without
    a tense marker the last occurrence (news reports what happened), unless the next one is near."""
    if tense == "future":
        first = _safe_date(ref.year, mo, d or 1)
        if first is None or (first < ref and not (month_only and mo == ref.month)):
            return ref.year + 1
        return ref.year
    if tense == "past":
        first = _safe_date(ref.year, mo, d or 1)
        if first is None or (first > ref and not (month_only and mo == ref.month)):
            return ref.year - 1
        return ref.year
    past = _safe_date(ref.year, mo, d or 15)
    if past is None or past > ref:
        past = _safe_date(ref.year - 1, mo, d or 15)
    future = _safe_date(ref.year + 1 if past and past.year == ref.year else ref.year, mo, d or 15)
    if future is not None and future > ref and (future - ref).days <= NEAR_FUTURE_DAYS:
        return future.year
    return past.year if past else ref.year


def _clock_value(clock: str) -> str:
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


def _year_value(s: str) -> int:
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


def _find_candidates(text: str) -> list[_Candidate]:
    cands: list[_Candidate] = []
    for name, rx in _COMPILED:
        for m in rx.finditer(text):
            if m.end() == m.start():
                continue
            if name in _CASE_SENSITIVE and not _capitalised_ok(name, m):
                continue
            if name == "year" and not _plausible_year(text, m):
                continue
            if name == "season" and not (m.group("rel") or m.group("y")):
                # a bare "fall" or "spring" is too often a verb or a noun
                if not re.search(
                    r"\b(in|during|this|last|next|by|since|until)\s+(the\s+)?$",
                    text[max(0, m.start() - 20) : m.start()],
                    re.I,
                ):
                    continue
            if name == "duration" and _num(m.group("n")) is None and m.group("n").lower() not in NUMBERS:
                continue
            start = m.start()
            # Keep "on" out of weekday spans: TimeBank and readers cite "Tuesday", not "on Tuesday".
            if name == "weekday" and m.group("rel") and m.group("rel").lower() == "on":
                start = m.start("wd")
            cands.append(_Candidate(start, m.end(), name, m))
    return cands


def _spelled_year_context(text: str, m: re.Match[str]) -> bool:
    """A spelled-out year stands after "in", "since", "of", "the year" or a month, not as a count."""
    left = text[max(0, m.start() - 20) : m.start()].lower()
    return bool(re.search(r"\b(in|since|of|year|until|by|before|after|from|during)\s+$", left))


def _capitalised_ok(name: str, m: re.Match[str]) -> bool:
    for g in ("mon", "mon2", "wd", "wd1", "wd2", "era", "ad"):
        try:
            s = m.group(g)
        except IndexError:
            continue
        if s and not s[0].isupper():
            return False
    return True


_MEASURES = set(
    "people men women children police staff personnel cattle km kilometers kilometres miles meters metres feet ft kg "
    "tons tonnes pounds dollars euros percent per acres hectares barrels".split()
)


def _plausible_year(text: str, m: re.Match[str]) -> bool:
    if not m.group("y")[:1].isdigit():
        return bool(re.match(r"(?i)(nineteen|two thousand)", m.group("y"))) and _spelled_year_context(text, m)
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
    if nxt and nxt.group(1) not in _YEAR_FOLLOWERS:
        w = nxt.group(1)
        if (w.endswith("s") and not w.endswith(("ss", "us", "is"))) or w in _MEASURES:
            return False  # "2000 people", "1500 km": a count, not a year
    return True


def _select(cands: list[_Candidate]) -> list[_Candidate]:
    """Longest first, then by family priority: keep each candidate that overlaps none kept before.
    Kept spans never overlap, so sorted by start their ends are sorted too, and one neighbour tells
    whether a new span overlaps any (n log n on texts with hundreds of thousands of numbers)."""
    cands.sort(key=lambda c: (-(c.end - c.start), _PRIORITY[c.kind], c.start))
    starts: list[int] = []
    taken: list[_Candidate] = []  # in order of start
    for c in cands:
        i = bisect.bisect_left(starts, c.end)  # kept spans starting before this one ends: taken[:i]
        if i and taken[i - 1].end > c.start:
            continue
        starts.insert(i, c.start)
        taken.insert(i, c)
    return taken


@dataclass
class _Norm:
    value: str
    type: str = "DATE"
    granularity: str = UNKNOWN
    start: date | None = None
    end: date | None = None
    anchor: str = "none"


def _day_norm(d: date | None, anchor: str, partial: tuple[int, int] | None = None) -> _Norm:
    if d is None:
        if partial:
            return _Norm(f"XXXX-{partial[0]:02d}-{partial[1]:02d}", granularity=DAY, anchor="none")
        return _Norm("XXXX-XX-XX", granularity=DAY)
    return _Norm(d.isoformat(), granularity=DAY, start=d, end=d, anchor=anchor)


def _range_norm(a: date | None, b: date | None, anchor: str) -> _Norm:
    if a is None or b is None:
        return _Norm("XXXX-XX-XX", granularity=DAY)
    if b < a:
        b = a
    if a == b:
        return _day_norm(a, anchor)
    days = (b - a).days + 1
    # The value of a range is its start date's week/month where it fits, else the duration's start.
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
    n = _Norm(value, granularity=gran, start=a, end=b, anchor=anchor)
    if days <= 7:
        n.granularity = DAY  # a few named days: each day is known
    return n


def _month_norm(y: int, m: int, anchor: str, mod: str | None = None) -> _Norm:
    start, end = date(y, m, 1), _month_end(y, m)
    value = f"{y:04d}-{m:02d}"
    if mod:
        mod = mod.lower()
        if mod.startswith("early") or "beginning" in mod or "start" in mod:
            end = date(y, m, 10)
        elif mod.startswith("mid") or "middle" in mod:
            start, end = date(y, m, 11), date(y, m, 20)
        elif mod.startswith("late") or "end" in mod:
            start = date(y, m, 21)
    return _Norm(value, granularity=MONTH, start=start, end=end, anchor=anchor)


def _year_norm(y: int, anchor: str, mod: str | None = None) -> _Norm:
    if not 1 <= y <= 9999:
        # Outside the calendar Python can hold: a TIMEX3 value (years BC as "BC" and the year, with
        # astronomical year 0 = 1 BC) and no range, so that no date arithmetic meets it.
        return _Norm(f"BC{1 - y:04d}" if y < 1 else str(y), granularity=YEAR, anchor=anchor)
    start, end = date(y, 1, 1), date(y, 12, 31)
    if mod:
        mod = mod.lower()
        if mod.startswith("early") or "beginning" in mod or "start" in mod:
            end = date(y, 4, 30)
        elif mod.startswith("mid") or "middle" in mod:
            start, end = date(y, 5, 1), date(y, 8, 31)
        elif mod.startswith("late") or "end" in mod:
            start = date(y, 9, 1)
    return _Norm(f"{y:04d}", granularity=YEAR, start=start, end=end, anchor=anchor)


def _week_norm(d: date, anchor: str) -> _Norm:
    iso = d.isocalendar()
    start = d - timedelta(days=d.weekday())
    return _Norm(
        f"{iso[0]:04d}-W{iso[1]:02d}",
        granularity=WEEK,
        start=start,
        end=start + timedelta(days=6),
        anchor=anchor,
    )


def _season_norm(y: int, code: str, anchor: str) -> _Norm:
    m1, m2 = SEASON_MONTHS[code]
    start = date(y, m1, 1)
    end = _month_end(y + 1, m2) if code == "WI" else _month_end(y, m2)
    return _Norm(f"{y:04d}-{code}", granularity=SEASON, start=start, end=end, anchor=anchor)


def _quarter_norm(y: int, q: int, anchor: str) -> _Norm:
    m1 = 3 * (q - 1) + 1
    return _Norm(
        f"{y:04d}-Q{q}", granularity=QUARTER, start=date(y, m1, 1), end=_month_end(y, m1 + 2), anchor=anchor
    )


def _shift_months(d: date, n: int) -> date:
    m0 = d.year * 12 + d.month - 1 + n
    y, m = divmod(m0, 12)
    return date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def _unit_of(u: str) -> str:
    u = u.lower()
    if u == "centuries":
        return "century"
    return u[:-1] if u.endswith("s") and u[:-1] in UNIT_CODES else u


def _duration_value(n: int | None, unit: str) -> str:
    code = UNIT_CODES[unit]
    qty = "X" if n is None else str(n)
    if unit in TIME_UNITS:
        return f"PT{qty}{code}"
    return f"P{qty}{code}"


def _normalise(  # noqa: C901
    c: _Candidate,
    text: str,
    ref: date | None,
    prev: date | None,
    prev_any: date | None = None,
    prev_quarter: tuple[int, int] | None = None,
) -> _Norm | None:
    """Normalise one expression. `prev` is the last day- or week-precise date before it in the text,
    `prev_any` the last date of any precision (for "the following year", "two years later")."""
    m, k = c.m, c.kind
    g = m.groupdict()
    dct_anchor = "dct"
    if k == "iso":
        y, mo, d = int(g["y"]), int(g["m"]), int(g["d"])
        dt = _safe_date(y, mo, d)
        if dt is None or not 1000 < y < 2200:
            return None
        if g.get("hh"):
            return _Norm(
                f"{dt.isoformat()}T{g['hh']}:{g['mm']}", type="TIME", granularity=DAY, start=dt, end=dt
            )
        return _day_norm(dt, "none")
    if k == "numeric":
        a, b, ys = int(g["a"]), int(g["b"]), g["y"]
        y = int(ys) if len(ys) == 4 else (2000 + int(ys) if int(ys) < 50 else 1900 + int(ys))
        # US order (month/day) with "/", day.month with "."; a first part over 12 must be the day.
        mo, d = (a, b) if g["sep"] == "/" else (b, a)
        if mo > 12:
            mo, d = d, mo
        return _day_norm(_safe_date(y, mo, d), "none") if _safe_date(y, mo, d) else None
    if k == "wdrange_md":
        mo, d1, d2 = _month(g["mon"]), _day(g["d1"]), _day(g["d2"])
        wd1 = _weekday(g["wd1"])
        year = _year_for(mo, d1, ref, weekday=wd1)
        if year is None:
            return _Norm(f"XXXX-{mo:02d}-{d1:02d}", granularity=DAY)
        return _range_norm(_safe_date(year, mo, d1), _safe_date(year, mo, d2), dct_anchor)
    if k in ("md_range", "dm_range"):
        mo = _month(g["mon"])
        mo2 = _month(g["mon2"]) if g.get("mon2") else mo
        d1, d2 = _day(g["d1"]), _day(g["d2"])
        if g.get("y"):
            y, anchor = _year_value(g["y"]), "none"
        elif ref is not None:
            y, anchor = _closest_year(mo, d1, ref), dct_anchor
        else:
            return _Norm(f"XXXX-{mo:02d}-{d1:02d}", granularity=DAY)
        y2 = y + 1 if mo2 < mo else y
        return _range_norm(_safe_date(y, mo, d1), _safe_date(y2, mo2, d2), anchor)
    if k in ("md", "dm"):
        mo, d = _month(g["mon"]), _day(g["d"])
        if not 1 <= d <= 31:
            return None
        wd = _weekday(g["wd"]) if g.get("wd") else None
        if g.get("y"):
            return _day_norm(_safe_date(_year_value(g["y"]), mo, d), "none")
        year = _year_for(mo, d, ref, weekday=wd, tense=_tense(text, c.start, c.end))
        if year is None:
            return _day_norm(None, "none", partial=(mo, d))
        return _day_norm(_safe_date(year, mo, d), dct_anchor)
    if k == "mod_month":
        mo = _month(g["mon"])
        if g.get("y"):
            return _month_norm(_year_value(g["y"]), mo, "none", g["mod"])
        if ref is None:
            return _Norm(f"XXXX-{mo:02d}", granularity=MONTH)
        return _month_norm(
            _year_by_tense(mo, 0, ref, _tense(text, c.start, c.end), True), mo, dct_anchor, g["mod"]
        )
    if k == "mod_year":
        return _year_norm(_year_value(g["y"]), "none", g["mod"])
    if k == "month_year":
        return _month_norm(_year_value(g["y"]), _month(g["mon"]), "none")
    if k in ("month", "month_bare"):
        mo = _month(g["mon"])
        pre = (g.get("pre") or "").strip().lower()
        if ref is None:
            return _Norm(f"XXXX-{mo:02d}", granularity=MONTH)
        if pre == "last":
            y = ref.year if mo < ref.month else ref.year - 1
        elif pre == "next":
            y = ref.year if mo > ref.month else ref.year + 1
        elif pre in ("by", "until", "before"):
            y = _year_by_tense(mo, 0, ref, "future", True)
        elif pre == "since":
            y = _year_by_tense(mo, 0, ref, "past", True)
        else:
            y = _year_by_tense(mo, 0, ref, _tense(text, c.start, c.end), True)
        return _month_norm(y, mo, dct_anchor)
    if k == "month_relyear":
        mo = _month(g["mon"])
        if ref is None:
            return _Norm(f"XXXX-{mo:02d}", granularity=MONTH)
        step = {"last": -1, "this": 0, "next": 1}[g["rel"].lower()]
        return _month_norm(ref.year + step, mo, dct_anchor)
    if k == "clock_wd":
        wd = _weekday(g.get("wd") or g["wd2"])
        clock = (g.get("clock") or g["clock2"]).lower()
        if ref is None:
            return _Norm(f"XXXX-WXX-{wd + 1}", type="TIME", granularity=DAY)
        future = _tense(text, c.start, c.end) == "future"
        when = (
            ref + timedelta(days=(wd - ref.weekday()) % 7)
            if future
            else ref - timedelta(days=(ref.weekday() - wd) % 7)
        )
        return _Norm(
            f"{when.isoformat()}T{_clock_value(clock)}",
            type="TIME",
            granularity=DAY,
            start=when,
            end=when,
            anchor=dct_anchor,
        )
    if k == "clock_md":
        mo, d = _month(g["mon"]), _day(g["d"])
        yr = (
            _year_value(g["y"])
            if g.get("y")
            else _year_for(mo, d, ref, weekday=None, tense=_tense(text, c.start, c.end))
        )
        on = _safe_date(yr, mo, d) if yr else None
        hm = _clock_value(g["clock"])
        if on is None:
            return _Norm(f"XXXX-{mo:02d}-{d:02d}T{hm}", type="TIME", granularity=DAY)
        anchor = "none" if g.get("y") else dct_anchor
        return _Norm(f"{on.isoformat()}T{hm}", type="TIME", granularity=DAY, start=on, end=on, anchor=anchor)
    if k == "century":
        cent = int(g["c"])
        if not 1 <= cent <= 22:
            return None
        if g.get("era") and g["era"].upper().startswith("B"):  # the 5th century BC: 500-401 BC
            return _Norm(f"BC{cent - 1:02d}", granularity=CENTURY)
        y0 = (cent - 1) * 100
        return _Norm(
            f"{cent - 1:02d}", granularity=CENTURY, start=date(max(y0, 1), 1, 1), end=date(y0 + 99, 12, 31)
        )
    if k == "decade_word":
        tens = {
            "twenties": 2,
            "thirties": 3,
            "forties": 4,
            "fifties": 5,
            "sixties": 6,
            "seventies": 7,
            "eighties": 8,
            "nineties": 9,
        }[g["dw"].lower()]
        y0 = 1900 + tens * 10
        return _Norm(f"{y0:04d}"[:3], granularity=DECADE, start=date(y0, 1, 1), end=date(y0 + 9, 12, 31))
    if k == "weekend":
        if ref is None:
            return _Norm("XXXX-WXX-WE", granularity=DAY)
        w = c.m.group(0).lower().split()[0]
        future = w == "next" or (w != "last" and _tense(text, c.start, c.end) == "future")
        sat = (
            ref + timedelta(days=(5 - ref.weekday()) % 7)
            if future
            else ref - timedelta(days=(ref.weekday() - 5) % 7)
        )
        iso = sat.isocalendar()
        return _Norm(
            f"{iso[0]:04d}-W{iso[1]:02d}-WE",
            granularity=DAY,
            start=sat,
            end=sat + timedelta(days=1),
            anchor=dct_anchor,
        )
    if k == "season":
        code = SEASONS[g["s"].lower()]
        if g.get("y"):
            return _season_norm(_year_value(g["y"]), code, "none")
        if ref is None:
            return _Norm(f"XXXX-{code}", granularity=SEASON)
        rel = (g.get("rel") or "").lower()
        this_year = _season_norm(ref.year, code, dct_anchor)
        if rel in ("last", "past"):
            # the most recent such season that has begun ("this past spring", "last winter")
            y = ref.year if this_year.start and this_year.start <= ref and rel == "past" else ref.year - 1
        else:
            y = ref.year + (1 if rel in ("next", "coming") else 0)
        return _season_norm(y, code, dct_anchor)
    if k == "quarter":
        q = ORDINALS[g["q"].lower()]
        if g.get("y"):
            return _quarter_norm(_year_value(g["y"]), q, "none")
        if ref is None:
            return _Norm(f"XXXX-Q{q}", granularity=QUARTER)
        cur = (ref.month - 1) // 3 + 1
        y = ref.year if q <= cur else ref.year - 1
        return _quarter_norm(y, q, dct_anchor)
    if k == "report_quarter":
        # In business news "the quarter" is the quarter being reported: the last one completed before the
        # article; "year-earlier" and "year-ago" name the same quarter a year before.
        if ref is None:
            return _Norm("XXXX-QX", granularity=QUARTER)
        q = (ref.month - 1) // 3  # the last completed quarter, 0 meaning Q4 of the previous year
        y = ref.year if q else ref.year - 1
        q = q or 4
        rel = (g.get("rel") or "").strip().lower()
        if g.get("ago") or rel.startswith("year"):
            y -= 1
        return _quarter_norm(y, q, dct_anchor)
    if k == "decade":
        if g.get("y"):
            y = int(g["y"])
        else:
            yy = int(g["yy"])
            y = 1900 + yy if yy >= 30 else 2000 + yy
        return _Norm(str(y)[:3], granularity=DECADE, start=date(y, 1, 1), end=date(y + 9, 12, 31))
    if k == "deictic":
        w = " ".join(g["w"].lower().split())
        if ref is None:
            return _Norm(
                "PRESENT_REF" if w.startswith(("today", "this", "tonight")) else "XXXX-XX-XX", granularity=DAY
            )
        off = {"yesterday": -1, "today": 0, "tomorrow": 1, "tonight": 0, "this morning": 0,
               "this afternoon": 0, "this evening": 0, "last night": -1,
               "the day before yesterday": -2, "the day after tomorrow": 2}[w]  # fmt: skip
        n = _day_norm(ref + timedelta(days=off), dct_anchor)
        if w in ("tonight", "this morning", "this afternoon", "this evening", "last night"):
            part = {
                "tonight": "NI",
                "last night": "NI",
                "this morning": "MO",
                "this afternoon": "AF",
                "this evening": "EV",
            }[w]
            n.value, n.type = f"{n.value}T{part}", "TIME"
        return n
    if k == "rel_unit":
        u = g["u"].lower()
        rel = " ".join(g["rel"].lower().split()).replace("the ", "")
        if ref is None:
            return _Norm("PRESENT_REF" if rel in ("this", "current") else "XXXX", granularity=UNKNOWN)
        step = 0 if rel in ("this", "current") else -1 if rel in ("last", "past", "previous") else 1
        if rel in ("following",):
            step = 1
        if u in ("week", "weekend"):
            when = ref + timedelta(weeks=step)
            n = _week_norm(when, dct_anchor)
            if u == "weekend":
                saturday = n.start + timedelta(days=5) if n.start else None
                n = _Norm(
                    n.value + "-WE",
                    granularity=DAY,
                    start=saturday,
                    end=saturday + timedelta(days=1) if saturday else None,
                    anchor=dct_anchor,
                )
            return n
        if u == "month":
            when = _shift_months(ref, step)
            return _month_norm(when.year, when.month, dct_anchor, g.get("pre"))
        if u == "year":
            return _year_norm(ref.year + step, dct_anchor, g.get("pre"))
        if u == "decade":
            y0 = (ref.year // 10 + step) * 10
            return _Norm(
                f"{y0:04d}"[:3],
                granularity=DECADE,
                start=date(y0, 1, 1),
                end=date(y0 + 9, 12, 31),
                anchor=dct_anchor,
            )
        if u == "century":
            c0 = (ref.year // 100 + step) * 100
            return _Norm(
                str(c0)[:2],
                granularity=CENTURY,
                start=date(c0, 1, 1),
                end=date(c0 + 99, 12, 31),
                anchor=dct_anchor,
            )
    if k == "ago":
        n_ = _num(g["n"])
        unit = _unit_of(g["u"])
        direction = g["dir"].lower()
        base, anchor = (ref, dct_anchor)
        unit_prev = prev if _unit_of(g["u"]) in ("day", "night", "week") else prev_any
        if direction in ("earlier", "before", "later", "after", "since") and unit_prev is not None:
            base, anchor = unit_prev, "previous"
        if prev_quarter and unit == "year" and n_ is not None:
            # "third-quarter profit ... a year earlier": the same quarter, years before or after
            sign_q = 1 if direction in ("later", "after", "from now") else -1
            return _quarter_norm(prev_quarter[0] + sign_q * n_, prev_quarter[1], "previous")
        if n_ is None and direction == "ago":
            return _Norm(
                "PAST_REF", granularity=UNKNOWN, anchor=anchor if base else "none"
            )  # "a few years ago"
        if base is None or n_ is None or unit in TIME_UNITS:
            return _Norm(_duration_value(n_, unit), type="DURATION")
        sign = 1 if direction in ("later", "after", "from now") else -1
        if unit in ("day", "night"):
            return _day_norm(base + timedelta(days=sign * n_), anchor)
        if unit == "week":
            return _week_norm(base + timedelta(weeks=sign * n_), anchor)
        if unit == "month":
            when = _shift_months(base, sign * n_)
            return _month_norm(when.year, when.month, anchor)
        if unit == "year":
            return _year_norm(base.year + sign * n_, anchor)
        if unit == "decade":
            y0 = (base.year + sign * 10 * n_) // 10 * 10
            return _Norm(
                f"{y0:04d}"[:3],
                granularity=DECADE,
                start=date(y0, 1, 1),
                end=date(y0 + 9, 12, 31),
                anchor=anchor,
            )
        return _Norm(_duration_value(n_, unit), type="DURATION")
    if k == "weekday":
        wd = _weekday(g["wd"])
        rel = (g.get("rel") or "").lower()
        if ref is None:
            return _Norm(f"XXXX-WXX-{wd + 1}", granularity=DAY)
        future = rel in ("next", "coming") or (
            rel not in ("last", "past") and _tense(text, c.start, c.end) == "future"
        )
        if future:
            delta = (wd - ref.weekday()) % 7 or (7 if rel == "next" else 0)
            when = ref + timedelta(days=delta)
        else:
            when = ref - timedelta(days=(ref.weekday() - wd) % 7)
            if rel == "last" and when == ref:
                when -= timedelta(days=7)
        n = _day_norm(when, dct_anchor)
        if g.get("part"):
            part = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}[
                g["part"].strip().lower()
            ]
            n.value, n.type = f"{n.value}T{part}", "TIME"
        return n
    if k == "anaphoric":
        w = " ".join(g["w"].lower().split())
        coarse = w.split()[-1] in ("month", "year")
        base = (prev_any if coarse else prev) or ref
        if base is None:
            return _Norm("XXXX-XX-XX", granularity=DAY)
        anchor = "previous" if base is not ref else dct_anchor
        unit = w.split()[-1]
        step = (
            -1
            if any(x in w for x in ("previous", "preceding", "before"))
            else 0
            if ("same" in w or w.startswith("that"))
            else 1
        )
        if unit in ("day", "before", "after"):
            return _day_norm(base + timedelta(days=step), anchor)
        if unit == "week":
            return _week_norm(base + timedelta(weeks=step), anchor)
        if unit == "month":
            when = _shift_months(base, step)
            return _month_norm(when.year, when.month, anchor)
        return _year_norm(base.year + step, anchor)
    if k == "vague":
        w = " ".join(g["w"].lower().split())
        if w in ("now", "currently", "at present", "nowadays"):
            return _Norm(
                "PRESENT_REF", granularity=UNKNOWN, start=ref, end=ref, anchor=dct_anchor if ref else "none"
            )
        if "future" in w or "coming" in w or w == "soon":
            return _Norm("FUTURE_REF", granularity=UNKNOWN, anchor=dct_anchor if ref else "none")
        return _Norm("PAST_REF", granularity=UNKNOWN, anchor=dct_anchor if ref else "none")
    if k == "duration":
        unit = _unit_of(g["u"])
        n_ = _num(g["n"])
        return _Norm(_duration_value(n_, unit), type="DURATION")
    if k == "duration_bare":
        unit = _unit_of(g["w"].split()[-1])
        return _Norm(_duration_value(None, unit), type="DURATION")
    if k == "clock":
        hh = g.get("hh") or g.get("hh2") or "0"
        mm = g.get("mm") or g.get("mm2") or "00"
        h = int(hh)
        ap = (g.get("ap") or "").lower().replace(".", "")
        if ap == "pm" and h < 12:
            h += 12
        if ap == "am" and h == 12:
            h = 0
        day = ref.isoformat() if ref else "XXXX-XX-XX"
        return _Norm(
            f"{day}T{h:02d}:{mm}",
            type="TIME",
            granularity=DAY,
            start=ref,
            end=ref,
            anchor=dct_anchor if ref else "none",
        )
    if k == "partday":
        w = " ".join(g["w"].lower().split())
        base = ref
        if ref and w.startswith("yesterday"):
            base = ref - timedelta(days=1)
        elif ref and w.startswith("tomorrow"):
            base = ref + timedelta(days=1)
        part = (
            "12:00"
            if w == "noon"
            else "24:00"
            if w == "midnight"
            else {"morning": "MO", "afternoon": "AF", "evening": "EV"}[w.split()[-1]]
        )
        day = base.isoformat() if base else "XXXX-XX-XX"
        return _Norm(
            f"{day}T{part}",
            type="TIME",
            granularity=DAY,
            start=base,
            end=base,
            anchor=dct_anchor if ref else "none",
        )
    if k == "set":
        w = " ".join(g["w"].lower().split())
        codes = {"day": "P1D", "daily": "P1D", "week": "P1W", "weekly": "P1W", "month": "P1M", "monthly": "P1M",
                "year": "P1Y", "annually": "P1Y", "yearly": "P1Y"}  # fmt: skip
        for key, v in codes.items():
            if key in w:
                return _Norm(v, type="SET")
        return _Norm("P2D", type="SET")
    if k == "year":
        return _year_norm(_year_value(g["y"]), "none")
    if k == "year_era":
        y = int(g.get("y") or g["y2"])
        if g.get("era") and g["era"].upper().startswith("B"):
            return _year_norm(1 - y, "none")  # 44 BC is astronomical year -43
        return _year_norm(y, "none") if y else None
    return None


def _year_for(mo: int, d: int, ref: date | None, weekday: int | None, tense: str | None = None) -> int | None:
    """Choose the year of a partial date: weekday agreement first, else closeness to the reference."""
    if weekday is not None and ref is not None:  # without a reference the year stays unknown
        years = years_matching_weekday(mo, d, weekday, ref + timedelta(days=366))
        if ref is not None:
            years = [y for y in years if abs(y - ref.year) <= 1] or years[:0]
        if years:
            return years[0]
    if ref is None:
        return None
    return _year_by_tense(mo, d, ref, tense)


def scan(text: str) -> list[_Candidate]:
    """The temporal expressions of a text before normalisation (the costly part): pass the result to
    `tag` and `weekday_anchored_years` to avoid scanning the same text twice."""
    return _select(_find_candidates(text))


def tag(
    text: str, reference: date | None = None, scanned: list[_Candidate] | None = None
) -> list[TimeMention]:
    """Find and normalise the temporal expressions of `text` against `reference` (the publication date).

    Returns mentions in text order. Without a reference, relative expressions get TIMEX3 values with X
    placeholders (XXXX-05-04) and no range.
    """
    out: list[TimeMention] = []
    prev: date | None = None
    prev_any: date | None = None
    prev_quarter: tuple[int, int] | None = None
    quarter_end = -1
    for c in scanned if scanned is not None else scan(text):
        recent_q = prev_quarter if c.start - quarter_end < 300 else None
        try:
            n = _normalise(c, text, reference, prev, prev_any, recent_q)
        except (ArithmeticError, ValueError) as exc:
            # Date arithmetic past the calendar ("3,000,000 days ago"): the expression stays unnormalised.
            log.debug("unnormalised %r: %s", text[c.start : c.end], exc)
            n = None
        if n is None:
            continue
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
            prev_quarter, quarter_end = (int(n.value[:4]), int(n.value[-1])), c.end
        if n.type == "DATE" and n.start is not None:
            prev_any = n.start
            if n.granularity in (DAY, WEEK):
                prev = n.start
    return out


def weekday_anchored_years(
    text: str, before: date, scanned: list[_Candidate] | None = None, near: date | None = None
) -> list[tuple[int, str, date]]:
    """Years fixed by a weekday written next to a month and day ("Monday-Wednesday (May 3-5)",
    "Wednesday, May 5"): for each such phrase, a year not after `before` in which that weekday and date
    agree (the one nearest `near` when given, else the most recent), with the phrase as evidence and the
    last day it names."""
    out = []
    for c in scanned if scanned is not None else scan(text):
        g = c.m.groupdict()
        if c.kind == "wdrange_md" or (c.kind in ("md", "dm") and g.get("wd") and not g.get("y")):
            wd = _weekday(g.get("wd1") or g["wd"])
            mo = _month(g["mon"])
            d = _day(g.get("d1") or g["d"])
            years = years_matching_weekday(mo, d, wd, before)
            if near is not None:
                years.sort(key=lambda y: (abs(y - near.year), -y))
            if years:
                last = _safe_date(years[0], mo, _day(g.get("d2") or g.get("d1") or g["d"]))
                if last is not None:
                    out.append((years[0], text[c.start : c.end], last))
    return out
