from datetime import date

import pytest

from newsloom.temporal import tag, weekday_anchored_years


def one(text: str, ref: date | None = None):
    found = tag(text, ref)
    assert len(found) == 1, [(t.text, t.value) for t in found]
    return found[0]


@pytest.mark.parametrize(
    "text,value",
    [
        ("It happened on Oct 30, 2020.", "2020-10-30"),
        ("It happened on 30 October 2020.", "2020-10-30"),
        ("It happened on 2020-10-30.", "2020-10-30"),
        ("It happened on 10/30/2020.", "2020-10-30"),
        ("It happened on 30.10.2020.", "2020-10-30"),
        ("PublishDate: Wednesday, May 5, 2021 14:55", "2021-05-05"),
    ],
)
def test_explicit_dates(text, value):
    found = [t for t in tag(text) if t.type == "DATE"]
    assert found[0].value == value
    assert found[0].range_start == date.fromisoformat(value)


def test_partial_date_takes_year_closest_to_reference():
    t = one("The meeting was on December 28.", date(2021, 1, 5))
    assert t.value == "2020-12-28"
    t = one("an April 23 virtual ministerial", date(2021, 5, 5))
    assert t.value == "2021-04-23"


def test_day_range_and_conjoined_days():
    t = one("talks on May 3-5", date(2021, 5, 5))
    assert (t.range_start, t.range_end) == (date(2021, 5, 3), date(2021, 5, 5))
    # dateparser reads this as 2018; it is two days of the reference year
    t = one("Meetings were held on September 17 and 18.", date(2020, 10, 30))
    assert (t.range_start, t.range_end) == (date(2020, 9, 17), date(2020, 9, 18))


def test_weekday_range_with_dates_fixes_the_year_from_a_bound_not_the_clock():
    t = one("an envoy in the capital Monday-Wednesday (May 3-5) for meetings")
    assert t.value == "XXXX-05-03" and t.range_start is None  # no reference: the year stays unknown
    years = weekday_anchored_years("an envoy in the capital Monday-Wednesday (May 3-5)", date(2026, 1, 1))
    assert years[0][0] == 2021
    years = weekday_anchored_years("on Monday (April 22)", date(2026, 1, 1))
    assert years[0][0] == 2024
    years = weekday_anchored_years("on Monday (April 22)", date(2031, 1, 1), near=date(2024, 3, 1))
    assert years[0][0] == 2024  # the nearest year to the articles collected with it, not the latest


@pytest.mark.parametrize(
    "text,ref,expected",
    [
        ("They met on Tuesday.", date(2021, 5, 5), date(2021, 5, 4)),  # most recent Tuesday
        ("They met on Wednesday.", date(2021, 5, 5), date(2021, 5, 5)),  # the same day
        ("They will meet on Friday.", date(2021, 5, 5), date(2021, 5, 7)),  # future tense
        ("They meet next Tuesday.", date(2021, 5, 5), date(2021, 5, 11)),
        ("They met last Monday.", date(2021, 5, 5), date(2021, 5, 3)),
    ],
)
def test_weekdays(text, ref, expected):
    t = one(text, ref)
    assert t.range_start == expected


def test_we_is_not_wednesday_and_may_is_not_a_month():
    assert tag("We continue our support and we may go.", date(2021, 5, 5)) == []


@pytest.mark.parametrize(
    "text,value,start,end",
    [
        ("yesterday", "2021-05-04", date(2021, 5, 4), date(2021, 5, 4)),
        ("this week", "2021-W18", date(2021, 5, 3), date(2021, 5, 9)),
        ("last month", "2021-04", date(2021, 4, 1), date(2021, 4, 30)),
        ("last year", "2020", date(2020, 1, 1), date(2020, 12, 31)),
        ("late March", "2021-03", date(2021, 3, 21), date(2021, 3, 31)),
        ("in the spring", "2021-SP", date(2021, 3, 1), date(2021, 5, 31)),
        ("in the 1990s", "199", date(1990, 1, 1), date(1999, 12, 31)),
        ("three days ago", "2021-05-02", date(2021, 5, 2), date(2021, 5, 2)),
    ],
)
def test_relative_and_vague(text, value, start, end):
    t = one(text, date(2021, 5, 5))
    assert (t.value, t.range_start, t.range_end) == (value, start, end)
    assert t.anchor == ("none" if "1990s" in text else "dct")


def test_vague_past_reference():
    assert one("In recent years, it grew.", date(2021, 5, 5)).value == "PAST_REF"


@pytest.mark.parametrize(
    "text,value", [("over 40 years of war", "P40Y"), ("for three days", "P3D"), ("a five-year plan", "P5Y")]
)
def test_durations_are_not_dates(text, value):
    t = one(text, date(2021, 5, 5))
    assert t.type == "DURATION" and t.value == value and t.range_start is None


def test_times_of_day():
    t = one("The quake struck at 4 p.m.", date(2010, 1, 12))
    assert t.type == "TIME" and t.value == "2010-01-12T16:00"


def test_numbers_are_not_years():
    assert [
        t.text for t in tag("More than 10,000 fighters crossed 1,344 km; 2000 people fled.", date(2021, 5, 5))
    ] == []
    assert [t.value for t in tag("In 2013, the group grew.", None)] == ["2013"]


def test_without_reference_relative_dates_stay_unresolved():
    t = one("It happened on Tuesday.")
    assert t.range_start is None and t.value.startswith("XXXX")


@pytest.mark.parametrize(
    "text,ref,value",
    [
        ("in nineteen ninety-four", date(1998, 2, 23), "1994"),
        ("since the year two thousand", date(2005, 1, 1), "2000"),
        ("the winter of nineteen ninety-four", date(1998, 2, 23), "1994-WI"),
        ("at 10 p.m. Wednesday", date(1998, 2, 13), "1998-02-11T22:00"),
        ("until noon Thursday", date(1998, 2, 13), "1998-02-12T12:00"),
        ("by 5 p.m. EST Nov. 9", date(1989, 11, 2), "1989-11-09T17:00"),
        ("in June last year", date(1998, 2, 19), "1997-06"),
        ("in the 20th century", date(1998, 2, 19), "19"),
        ("in the nineties", date(1998, 2, 19), "199"),
        ("over the weekend", date(1990, 8, 13), "1990-W32-WE"),
        ("a few years ago", date(1998, 2, 12), "PAST_REF"),
        ("this past spring", date(1989, 10, 30), "1989-SP"),
    ],
)
def test_more_expression_families(text, ref, value):
    assert [t.value for t in tag(text, ref)] == [value]


def test_business_quarters_and_year_earlier():
    found = tag("Profit in the third quarter rose 5%, compared with a year earlier.", date(1989, 11, 2))
    assert [t.value for t in found] == ["1989-Q3", "1988-Q3"]
    assert [t.value for t in tag("Profit for the quarter rose.", date(1989, 11, 2))] == ["1989-Q3"]


def test_anaphoric_years_follow_the_previous_date():
    found = tag("The plant opened in 1995. The following year it doubled its output.", date(1998, 4, 18))
    assert [t.value for t in found] == ["1995", "1996"]


def test_month_without_a_day_after_through_keeps_the_day():
    found = tag("The offer runs through Sept. 29.", date(1989, 10, 30))
    assert [(t.text, t.value) for t in found] == [("Sept. 29", "1989-09-29")]


def test_unmarked_partial_dates_are_past_unless_near():
    assert tag("The plan was approved in March.", date(1989, 10, 30))[0].value == "1989-03"
    assert tag("Payment is due Nov. 21.", date(1989, 11, 2))[0].value == "1989-11-21"


@pytest.mark.parametrize(
    "text,value",
    [
        ("WHAT WAS DONE TO YOU 7000 YEARS AGO", "BC4990"),  # 2011 - 7000 = astronomical -4989 = 4990 BC
        ("some 5,000 years ago", "BC2990"),  # the thousands separator is part of the number
        ("It ended 125,000 years ago.", "BC122990"),
        ("The site was used 3,000 years ago.", "BC0990"),
    ],
)
def test_years_before_the_calendar_get_a_bc_value_and_no_range(text, value):
    t = one(text, date(2011, 2, 1))
    assert t.value == value
    assert t.range_start is None and t.range_end is None


@pytest.mark.parametrize(
    "text",
    [
        "3,000,000 days ago",
        "12345 decades later",
        "99999999 weeks ago",
        "9999999 months ago",
        "in 9,999,999 years",
    ],
)
def test_absurd_amounts_never_raise(text):
    for t in tag(text, date(2011, 2, 1)):
        assert t.range_start is None or 1 <= t.range_start.year <= 9999
        assert t.value[:4] == "BC" or not t.value[:1].isdigit() or len(t.value.split("-")[0]) >= 2


def test_a_number_with_thousands_separators_is_read_whole():
    t = one("about 1,200 days ago", date(2011, 2, 1))
    assert t.text == "about 1,200 days ago"
    assert t.value == "2007-10-20"


@pytest.mark.parametrize(
    "text,value",
    [
        ("Rome was sacked in the 5th century BC.", "BC04"),
        ("Caesar died in 44 BC.", "BC0044"),
        ("The city was founded around 500 B.C. by traders.", "BC0500"),
        ("Tools from 2000 BCE were found.", "BC2000"),
        ("The eruption of AD 79 buried the town.", "0079"),
    ],
)
def test_eras(text, value):
    assert one(text, date(2011, 2, 1)).value == value


def test_an_era_is_read_in_capitals_only():
    assert [t.value for t in tag("The 5 ad campaigns ran in 2010.", date(2011, 2, 1))] == ["2010"]
