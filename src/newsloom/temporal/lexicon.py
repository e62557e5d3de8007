"""The words of time and the pattern pieces the families are written with.

Month and weekday names with their abbreviations, number words, seasons, the TIMEX3 codes of units, and
the regular-expression pieces (a month, a weekday, a day of the month, a year in digits or in words, a
quantity, a unit, an era, a range dash, a modifier such as "early" or "the end of").
"""

from __future__ import annotations

__all__ = [
    "D",
    "DASH",
    "ERA",
    "MEASURES",
    "MOD",
    "MON",
    "MONTHS",
    "MONTH_PATTERN",
    "NUMBERS",
    "NUMW",
    "ORDINALS",
    "SEASONS",
    "SEASON_MONTHS",
    "TIME_UNITS",
    "UNIT",
    "UNIT_CODES",
    "WD",
    "WEEKDAYS",
    "Y",
    "YEAR_FOLLOWERS",
]

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
MON = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept\.?|Sep\.?|Oct\.?|Nov\.?|Dec\.?)"
)
MONTH_PATTERN = MON  # a month name or its abbreviation, for other modules' rules about dates
WD = (
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
    r"|Mon\.|Tue\.|Tues\.|Wed\.|Thu\.|Thur\.|Thurs\.|Fri\.|Sat\.|Sun\.)"
)
D = r"(?:[012]?\d|3[01])(?:st|nd|rd|th)?"
_TENS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
_UNITS = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_TEENS = r"(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
# "nineteen ninety-four", "two thousand", "two thousand and one": years as transcribed speech writes them
_SPELLED_Y = (
    rf"(?:(?:sixteen|seventeen|eighteen|nineteen)[\s-](?:{_TENS}(?:[\s-]{_UNITS})?|{_TEENS}|hundred|oh[\s-]{_UNITS})"
    rf"|two[\s-]thousand(?:(?:\s+and)?[\s-](?:{_TENS}(?:[\s-]{_UNITS})?|{_TEENS}|{_UNITS}))?)"
)
Y = rf"(?:1[6-9]\d\d|20\d\d|{_SPELLED_Y})"
NUMW = (
    r"(?:(?<![\d.,])(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen"
    r"|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|hundred"
    r"|several|few|a few|many|some|a couple of|couple of)"
)
UNIT = r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centuries|century|nights?)"
ERA = r"(?:B\.C\.E\.|BCE|B\.C\.|BC|C\.E\.|CE|A\.D\.|AD)(?!\w)"  # an era after a year or century
DASH = r"\s*(?:-|–|—|to|through|until|and|&)\s*"
MOD = (
    r"(?:early|mid|late|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of|end|beginning)"
)

# Words that may follow a bare year; any other lower-case word makes "2000 people" not a year.
YEAR_FOLLOWERS = set(
    "and or to when was were is are the in on at after before as with for from by but that which "
    "while had has have will would could could said says election elections budget season".split()
)
# Words after a number that make it a count, not a year ("2000 people", "1500 km").
MEASURES = set(
    "people men women children police staff personnel cattle km kilometers kilometres miles meters metres feet ft kg "
    "tons tonnes pounds dollars euros percent per acres hectares barrels".split()
)
