from datetime import date

from newsloom.cluster import Profile, _dates_compatible, best_date, score


def prof(dates=(), people=None, places=None, terms=None, etype="CONSULT") -> Profile:
    return Profile(
        type=etype,
        dates=list(dates),
        participants=people or {},
        places=places or {},
        types={etype: 1},
        terms=terms or {},
    )


def test_best_date_prefers_stated_precise_dates_and_widens_by_overlap():
    dates = [
        ("2021-05-03", "2021-05-05", "day", 3),
        ("2021-05-04", "2021-05-04", "day", 3),
        ("2021-05-05", "2021-05-05", "day", 1),
    ]
    assert best_date(dates) == (date(2021, 5, 3), date(2021, 5, 5), "day")
    # a background date that does not overlap does not widen the event
    assert best_date([("2020-10-02", "2020-10-04", "day", 3), ("2020-09-12", "2020-09-12", "day", 3)])[
        0
    ] == date(2020, 10, 2)


def test_far_apart_stated_dates_veto_a_match_even_with_identical_content():
    terms = {"envoy": 3.0, "visit": 2.0, "dushanbe": 2.0}
    a = prof([("2020-10-02", "2020-10-04", "day", 3)], {"khalilzad": 2}, {"dushanbe": 1}, terms)
    b = prof([("2021-05-03", "2021-05-05", "day", 3)], {"khalilzad": 2}, {"dushanbe": 1}, terms)
    assert _dates_compatible(a, b)[0] is False
    assert score(a, b, {}) < 0
    c = prof([("2021-05-04", "2021-05-04", "day", 3)], {"khalilzad": 2}, {"dushanbe": 1}, terms)
    assert score(c, b, {}) > 0.7


def test_undated_reports_are_judged_on_content():
    a = prof([], {"p1": 1}, {"x": 1}, {"earthquake": 2.0, "town": 1.0}, "DISASTER")
    b = prof(
        [("2010-01-12", "2010-01-12", "day", 3)],
        {"p1": 1},
        {"x": 1},
        {"earthquake": 2.0, "town": 1.0},
        "DISASTER",
    )
    c = prof(
        [("2010-01-12", "2010-01-12", "day", 3)], {"p9": 1}, {"y": 1}, {"election": 2.0, "vote": 1.0}, "OTHER"
    )
    assert score(a, b, {}) > score(a, c, {})
