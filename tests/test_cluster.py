from datetime import date

from newsloom.cluster import Profile, _dates_compatible, best_date
from newsloom.samevent import ArticleFeatures, probability


def prof(dates=()) -> Profile:
    return Profile(dates=list(dates))


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


def test_far_apart_precise_dates_veto_but_coarse_or_fallback_dates_do_not():
    oct_visit = prof([("2020-10-02", "2020-10-04", "day", 3)])
    may_visit = prof([("2021-05-03", "2021-05-05", "day", 3)])
    assert _dates_compatible(oct_visit, may_visit)[0] is False
    assert _dates_compatible(prof([("2021-05-04", "2021-05-04", "day", 3)]), may_visit)[0] is True
    assert _dates_compatible(prof([("2021-01-01", "2021-12-31", "year", 3)]), may_visit)[0] is True
    assert _dates_compatible(prof(), may_visit)[0] is True


def feats(**kw) -> ArticleFeatures:
    base = {"terms": {"earthquake": 2.0, "town": 1.0, "magnitude": 1.0}, "type": "DISASTER"}
    base.update(kw)
    return ArticleFeatures(**base)


def test_same_event_probability_uses_people_places_numbers_and_dates():
    a = feats(places=["haiti"], numbers=["7.0"], years=["2010"])
    same = feats(places=["haiti"], numbers=["7.0"], years=["2010"])
    other = feats(places=["chile"], numbers=["8.8"], years=["2010"])
    assert probability(a, same, {}) > probability(a, other, {})
    # with corpus statistics, a word every report of the kind uses ("earthquake") weighs little
    idf = {
        "earthquake": 0.1,
        "town": 0.5,
        "magnitude": 0.5,
        "palace": 3.0,
        "capital": 2.0,
        "tsunami": 3.0,
        "coast": 2.0,
    }
    haiti = feats(terms={"earthquake": 2.0, "palace": 1.0, "capital": 1.0}, places=["haiti"], numbers=["7.0"])
    assert (
        probability(
            haiti,
            feats(
                terms={"earthquake": 1.0, "palace": 2.0, "capital": 1.0}, places=["haiti"], numbers=["7.0"]
            ),
            idf,
        )
        > 0.5
    )
    assert (
        probability(
            haiti,
            feats(terms={"earthquake": 2.0, "tsunami": 1.0, "coast": 1.0}, places=["chile"], numbers=["8.8"]),
            idf,
        )
        < 0.5
    )
    dated = feats(places=["haiti"], date=("2010-01-12", "2010-01-12"))
    later = feats(places=["haiti"], date=("2010-03-20", "2010-03-20"))
    assert probability(dated, later, {}) < probability(
        dated, feats(places=["haiti"], date=("2010-01-12", "2010-01-12")), {}
    )
