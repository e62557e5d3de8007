import random
from datetime import date

import numpy as np
import pytest

from newsloom.clustering.online import (
    DateAttestation,
    Profile,
    _merge,
    article_profile,
    best_date,
    dates_compatible,
    kept_articles,
    may_share_storyline,
)
from newsloom.clustering.pairmodel import ArticleFeatures, cosine, lead_figures, probability
from newsloom.store import Store


def prof(dates=()) -> Profile:
    return Profile(dates=list(dates))


def test_best_date_prefers_stated_precise_dates_and_widens_by_overlap():
    dates = [
        ("2021-05-03", "2021-05-05", "day", 3),
        ("2021-05-04", "2021-05-04", "day", 3),
        ("2021-05-05", "2021-05-05", "day", 1),
    ]
    assert best_date([DateAttestation(*d) for d in dates]) == (date(2021, 5, 3), date(2021, 5, 5), "day")
    # a background date that does not overlap does not widen the event
    assert best_date(
        prof([("2020-10-02", "2020-10-04", "day", 3), ("2020-09-12", "2020-09-12", "day", 3)]).dates
    )[0] == date(2020, 10, 2)


def test_far_apart_stated_days_veto_but_coarse_or_publication_dates_do_not():
    oct_visit = prof([("2020-10-02", "2020-10-04", "day", 3)])
    may_visit = prof([("2021-05-03", "2021-05-05", "day", 3)])
    assert dates_compatible(oct_visit, may_visit, 2) is False
    assert dates_compatible(prof([("2021-05-04", "2021-05-04", "day", 3)]), may_visit, 2) is True
    assert dates_compatible(prof([("2021-01-01", "2021-12-31", "year", 3)]), may_visit, 2) is True
    assert dates_compatible(prof(), may_visit, 2) is True
    assert dates_compatible(prof([("2021-05-01", "2021-05-31", "month", 3)]), oct_visit, 2) is True
    # a publication date vetoes nothing: a report follows its happening by days or by years
    published = prof([("2013-06-06", "2013-06-06", "day", 1)])
    assert dates_compatible(prof([("2008-03-03", "2008-03-03", "day", 3)]), published, 2) is True
    assert dates_compatible(oct_visit, may_visit, 250) is True


def test_a_publication_date_stated_or_inferred_vetoes_nothing(tmp_path):
    # an undated obituary whose latest stated date is a background one (a 1972 burglary)
    store = Store(tmp_path / "s.db")
    row = {"id": "a1", "title_event_type": None, "outlet": "x", "terms": "{}", "published_date": "1972-06-17",
           "published_granularity": "day", "published_inferred": 1}  # fmt: skip
    death = prof([("2004-07-20", "2004-07-20", "day", 3)])
    inferred, _ = article_profile(store.db, row)
    assert best_date(inferred.dates)[0] == date(1972, 6, 17)  # still shown
    assert dates_compatible(inferred, death, 2) is True
    stated, _ = article_profile(store.db, {**row, "published_inferred": 0})
    assert dates_compatible(stated, death, 2) is True  # the pair model weighs a publication date
    store.close()


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


def test_lead_figures_are_the_happenings_numbers_not_times_dates_or_years():
    lead = (
        "LONDON | Wed Apr 29, 2009 7:31 pm BST - Sunday 26 April 2009 11.25 BST. A quake of magnitude 5.6 "
        "killed 1,200 people on Dec. 11 and 3 more on 2009-12-12; 14 villages were flattened."
    )
    assert sorted(lead_figures(lead)) == ["1200", "14", "5.6"]


def test_different_figures_in_the_lead_tell_two_happenings_apart():
    quake = feats(places=["qeshm"], lead_numbers=["5.6", "10"])
    again = feats(places=["qeshm"], lead_numbers=["5.6", "12"])
    grown = feats(places=["qeshm"], lead_numbers=["11"])  # the toll rose between two reports
    other = feats(places=["qeshm"], lead_numbers=["6.1", "70"])
    silent = feats(places=["qeshm"])
    assert probability(quake, again, {}) > probability(quake, silent, {}) > probability(quake, other, {})
    assert probability(quake, grown, {}) == probability(quake, silent, {})
    # a magnitude is not a count: 5.6 and 5.9 are two quakes
    assert probability(feats(lead_numbers=["5.6"]), feats(lead_numbers=["5.9"]), {}) < probability(
        feats(lead_numbers=["5.6"]), feats(), {}
    )


def test_an_event_profile_stays_small_and_keeps_its_date_decisions():
    """However many reports an event gathers, its profile keeps the first and the latest reports, the
    count, and only the date attestations that can still decide its date: the same date and the same
    veto decisions as with every attestation kept."""
    rng = random.Random(3)
    grans = ["day", "week", "month", "year"]
    for _ in range(200):
        ev = Profile(articles=["a0"], count=1, dates=[])
        every: list[tuple[str, str, str, int]] = []
        for i in range(1, rng.randint(2, 80)):
            start = rng.randint(1, 24)  # ranges that overlap, chain and stand apart
            first, last = f"2021-05-{start:02d}", f"2021-05-{start + rng.choice([0, 0, 1, 4]):02d}"
            entry = (first, last, rng.choice(grans), rng.choice([1, 2, 3]))
            every.append(entry)
            ev = _merge(ev, Profile(articles=[f"a{i}"], count=1, dates=[entry]))
            assert best_date(ev.dates) == best_date(prof(every).dates)
            assert len(ev.dates) <= 2
            for probe in (prof([entry]), prof([("2021-06-20", "2021-06-20", "day", 3)]), prof()):
                assert dates_compatible(probe, ev, 2) == dates_compatible(probe, prof(every), 2)
        n = len(every) + 1
        assert ev.count == n
        assert ev.articles[0] == "a0" and ev.articles[-1] == f"a{n - 1}"
        assert len(ev.articles) == min(n, kept_articles() + 1)
    # a profile stored before counts were kept counts its listed reports
    assert Profile.from_json('{"articles": ["x", "y"]}').count == 2


def test_cached_unit_vectors_give_the_plain_cosine():
    a = feats(names={"rahman": 2.0, "klitschko": 3.0})
    b = feats(terms={"earthquake": 1.0, "rubble": 2.0}, names={"thompson": 2.0, "klitschko": 1.0})
    idf = {"earthquake": 0.5, "rubble": 3.0, "rahman": 4.0, "thompson": 4.0, "klitschko": 2.0}
    first = probability(a, b, idf)
    assert probability(a, b, {**idf, "klitschko": 9.0}) > first  # a new idf is not served from the cache
    assert probability(a, b, idf) == first
    assert abs(cosine(a.terms, b.terms, idf) - cosine(b.terms, a.terms, idf)) < 1e-12


def test_the_agency_a_report_credits_is_no_protagonist(tmp_path, resources):
    from newsloom.clustering.pairmodel import article_features
    from newsloom.pipeline import ingest

    story = tmp_path / "spill.txt"
    story.write_text(
        "Port fines oil company over fuel spill\n\n"
        "ROTTERDAM, May 3 (Reuters) - The port authority fined Exxon Mobil Corp. two million euros on Monday "
        "for a fuel spill in the harbour, the Dutch environment inspectorate said.\n\n"
        "The company said it would appeal against the fine, Reuters learned from its lawyers.\n"
    )
    store = Store(tmp_path / "s.db")
    ingest(store, [str(story)], res=resources)
    row = store.db.execute("SELECT * FROM articles").fetchone()
    assert row["dateline"] == "Rotterdam"  # a dateline with a date
    orgs = dict(store.db.execute("SELECT id, name FROM entities WHERE type = 'ORG'").fetchall())
    f = article_features(store.db, row, "OTHER", None)
    assert {orgs[e] for e in f.organisations} == {"Reuters", "Exxon Mobil"}
    assert {orgs[e] for e in f.lead_organisations} == {"Exxon Mobil"}
    store.close()


def test_a_new_event_whose_storyline_id_is_taken_gets_another(tmp_path):
    # an event's id can come back (derived from a report) after the event went, while its storyline,
    # held by other events, stayed
    from newsloom.clustering import online
    from newsloom.store.events import EventRepository

    store = Store(tmp_path / "s.db")
    with store.transaction() as db:
        repo = EventRepository(db)
        repo.new_storyline("st_abc", "kept by another event")
        repo.insert_empty_event("ev_abc")
        online.assign_storyline(db, "ev_abc", Profile(articles=["a1"]), {})
        assert repo.storyline_of("ev_abc") not in (None, "st_abc")
    store.close()


def test_a_storyline_candidate_is_weighed_by_the_idf_of_all_its_terms(tmp_path):
    # a candidate's words that the new event does not use count by their idf too (counted as 1 they let
    # the shared words dominate its vector, and every candidate looked alike)
    from newsloom.clustering import online
    from newsloom.store.events import EventRepository

    store = Store(tmp_path / "s.db")
    with store.transaction() as db:
        repo = EventRepository(db)
        repo.insert_empty_event("ev_old")
        old = Profile(articles=["a0"], participants={"p:x": 1.0}, terms={"quake": 2.0, "harbour": 1.0})
        repo.set_profile("ev_old", old.to_json())
        repo.index_event_entities("ev_old", ["p:x"])
        repo.new_storyline("st_old", "the quake")
        repo.set_storyline("ev_old", "st_old")
        repo.insert_empty_event("ev_new")
        idf: dict[str, float] = {}
        new = Profile(articles=["a1"], participants={"p:x": 1.0}, terms={"quake": 1.0})
        online.assign_storyline(db, "ev_new", new, idf)
        assert idf == online.idf_map(db, ["harbour", "quake"])
    store.close()


def test_average_link_keeps_cannot_linked_groups_apart():
    from newsloom.clustering.linkage import average_link

    sim = np.array([[0, 0.9, 0.1], [0.9, 0, 0.8], [0.1, 0.8, 0]])
    assert average_link(sim, [1, 1, 1], 0.4) == [[0, 1, 2]]
    # 0 and 2 state days far apart: the group holding 0 never takes 2
    assert average_link(sim, [1, 1, 1], 0.4, apart=lambda a, b: {0, 2} <= {*a, *b}) == [[0, 1], [2]]


def test_two_happenings_of_one_kind_share_a_storyline_only_through_a_person():
    def event(kind, participants, places):
        return Profile(
            type=kind, participants=dict.fromkeys(participants, 1.0), places=dict.fromkeys(places, 1.0)
        )

    people = {"ent_victim", "ent_suspect"}
    shooting = event("ASSAULT", ["ent_victim", "ent_police"], ["ent_city"])
    other_shooting = event("ASSAULT", ["ent_police"], ["ent_city"])  # same city, same police, nobody else
    retaliation = event("ASSAULT", ["ent_suspect", "ent_victim"], ["ent_city"])
    arrest = event("COERCE", ["ent_suspect"], ["ent_city"])
    statement = event("STATEMENT", ["ent_police"], ["ent_city"])
    assert not may_share_storyline(shooting, other_shooting, people)
    assert may_share_storyline(shooting, retaliation, people)
    assert may_share_storyline(shooting, arrest, people)  # another kind: the score decides
    assert may_share_storyline(other_shooting, statement, people)


def test_a_batch_reads_each_terms_frequency_once_and_keeps_it_up_to_date(tmp_path):
    # the idf maps a batch makes from frequencies it keeps are those read from the store each time; a
    # count the batch did not make (an article's corpus work rolled back) makes it read them all again
    from newsloom.clustering import online
    from newsloom.store.events import EventRepository

    store = Store(tmp_path / "s.db")
    db = store.db
    repo = EventRepository(db)
    kept = online.FrequencyCache()
    terms = ["quake", "harbour", "rubble", "#346"]
    with store.transaction():
        for words in (["quake", "harbour"], ["quake"], ["rubble", "quake", "#346"]):
            assert online.idf_map(db, terms, kept) == online.idf_map(db, terms)
            assert repo.count_terms(words)
            kept.counted(words)
        assert online.idf_map(db, terms, kept) == online.idf_map(db, terms)
        assert kept.df["quake"] == 3 and kept.df["harbour"] == 1
        with pytest.raises(RuntimeError), store.savepoint():
            repo.count_terms(["harbour"])
            kept.counted(["harbour"])
            assert kept.df["harbour"] == 2
            raise RuntimeError("the article's corpus work failed")
        assert repo.articles_counted() == 3 and kept.n == 4
        assert online.idf_map(db, terms, kept) == online.idf_map(db, terms)
        assert kept.df["harbour"] == 1
    store.close()
