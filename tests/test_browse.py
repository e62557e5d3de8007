"""Lists (events, entities, articles, outlets), an outlet's record, the order outlets reported an event,
coverage, and the charts' geometry: on the demo store, on small stores written row by row, and alone."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date, timedelta

import pytest

from newsloom.charts import coverage_chart, dense_range
from newsloom.errors import NewsloomError, NotFoundError
from newsloom.export import timeline_layout
from newsloom.pipeline import ingest
from newsloom.store import Store
from newsloom.store.browse import Browse

from conftest import DEMO


@pytest.fixture(scope="module")
def demo(tmp_path_factory, resources):
    store = Store(tmp_path_factory.mktemp("browse") / "demo.db")
    ingest(store, [str(DEMO)], res=resources)
    yield store
    store.close()


def test_events_sort_filter_and_page(demo):
    b = Browse(demo)
    by_reports = b.events(sort="-reports").items
    assert [e["reports"] for e in by_reports] == sorted((e["reports"] for e in by_reports), reverse=True)
    by_date = [e["date"]["start"] for e in b.events(sort="date").items]
    assert by_date == sorted(by_date)
    latest_first = [e["date"]["start"] for e in b.events().items]  # the default: -date
    assert latest_first == sorted(latest_first, reverse=True)
    newest = [a["published"] for a in b.articles().items]
    assert newest == sorted(newest, reverse=True)
    names = [e["name"].casefold() for e in b.entities(sort="-name").items]
    assert names == sorted(names, reverse=True)
    everything = b.events()
    assert everything.total == demo.count("events")
    vienna = b.events(outlet="Vienna Daily Bulletin")
    assert vienna.total == 2 and all(
        any(o["outlet"] == "Vienna Daily Bulletin" for o in e["outlets"]) for e in vienna.items
    )
    assert {e["place"] for e in b.events(place="Vidin").items} and all(
        "Vidin" in e["place"] for e in b.events(place="Vidin").items
    )
    march = b.events(date_from="2024-03-01", date_to="2024-03-31").items
    assert march and all("2024-03" in e["date"]["start"] for e in march)
    kinds = {e["kind"] for e in everything.items}
    one = sorted(kinds)[0]
    assert {e["kind"] for e in b.events(kind=one.lower()).items} == {one}
    assert b.events(entity="Yelena Markovic").total >= 1

    paged = Browse(demo, size=2)
    first, second = paged.events(sort="date", page=1), paged.events(sort="date", page=2)
    assert first.pages == -(-everything.total // 2) and len(first.items) == 2
    assert not {e["id"] for e in first.items} & {e["id"] for e in second.items}
    assert first.as_dict()["filters"] == {} and paged.events(kind="X").as_dict()["filters"] == {"kind": "X"}


def test_bad_sorts_dates_and_names_are_errors(demo):
    b = Browse(demo)
    with pytest.raises(NewsloomError, match="sort 'loudness'"):
        b.events(sort="loudness")
    with pytest.raises(NewsloomError, match="not a date"):
        b.articles(date_from="2024-02-30")
    with pytest.raises(NotFoundError, match="no entity"):
        b.events(entity="Nobody Atall")
    with pytest.raises(NotFoundError, match="no outlet"):
        b.outlet("The Moon Courier")
    with pytest.raises(NewsloomError, match="sort"):
        b.outlets(sort="colour")


def test_articles_list_originals_and_entities_filter(demo):
    b = Browse(demo)
    arts = b.articles(sort="published")
    originals = demo.query("SELECT COUNT(*) FROM articles WHERE duplicate_of IS NULL")[0][0]
    assert arts.total == originals < demo.count("articles")  # the wire copy is listed on its original
    dates = [a["published"] for a in arts.items]
    assert dates == sorted(dates)
    assert all(a["outlet"] == "Balkan Wire" for a in b.articles(outlet="Balkan Wire").items)
    people = b.entities(kind="person")
    assert people.total and {e["kind"] for e in people.items} == {"PERSON"}
    assert [e["name"] for e in b.entities(name="markovic").items][:1] == ["Yelena Markovic"]
    mentions = [e["mentions"] for e in b.entities().items]
    assert mentions == sorted(mentions, reverse=True)


def test_outlet_figures_match_a_count_by_hand(demo):
    """First share and lag, recomputed here from the articles table in plain Python."""
    rows = demo.query(
        "SELECT event_id, outlet, published_date FROM articles WHERE duplicate_of IS NULL AND event_id IS NOT NULL"
    )
    first_day: dict[tuple[str, str], str] = {}
    for ev, outlet, day in rows:
        if outlet and day:
            first_day[(ev, outlet)] = min(day, first_day.get((ev, outlet), day))
    by_event = defaultdict(dict)
    for (ev, outlet), day in first_day.items():
        by_event[ev][outlet] = day
    for o in Browse(demo).outlets().items:
        shared = [ev for ev, outs in by_event.items() if o["outlet"] in outs and len(outs) > 1]
        firsts = [ev for ev in shared if by_event[ev][o["outlet"]] == min(by_event[ev].values())]
        lags = [
            (
                date.fromisoformat(by_event[ev][o["outlet"]]) - date.fromisoformat(min(by_event[ev].values()))
            ).days
            for ev in shared
            if ev not in firsts
        ]
        assert (o["shared_events"], o["first"]) == (len(shared), len(firsts))
        assert o["median_lag_days"] == (statistics.median(lags) if lags else None)


def test_event_outlets_in_the_order_they_reported(demo):
    b = Browse(demo)
    ev = b.events(sort="-reports").items[0]
    order = b.event_outlets(ev["id"])
    assert {o["outlet"] for o in order} == {o["outlet"] for o in ev["outlets"]}
    days = [o["first_report"] for o in order]
    assert days == sorted(days) and order[0]["lag_days"] == 0
    assert all(
        o["lag_days"] == (date.fromisoformat(o["first_report"]) - date.fromisoformat(days[0])).days
        for o in order
    )


def test_coverage_counts_every_dated_original(demo):
    b = Browse(demo)
    cov = b.coverage(None)
    dated = demo.query(
        "SELECT COUNT(*) FROM articles WHERE duplicate_of IS NULL AND published_date IS NOT NULL"
    )
    assert sum(c["reports"] for c in cov) == dated[0][0]
    some = [r[0] for r in demo.query("SELECT id FROM articles WHERE outlet = 'Danube Herald'")]
    assert {c["outlet"] for c in b.coverage(some)} == {"Danube Herald"} and b.coverage([]) == []


def _row_store(tmp_path, rows):
    """A store with articles (id, outlet, day, storyline) and their storylines, written directly."""
    store = Store(tmp_path / "rows.db")
    with store.transaction() as db:
        for aid, outlet, day, sid in rows:
            db.execute(
                "INSERT INTO documents(id, origin, media_type, fetched, size) VALUES (?, 'x', 'text/plain', ?, 1)",
                (aid, day),
            )
            db.execute(
                """INSERT INTO articles(id, source, outlet, title, published_date, text, content_hash, storyline_id,
                   event_id, added) VALUES (?, 'x', ?, ?, ?, 'text', ?, ?, ?, ?)""",
                (aid, outlet, f"title {aid}", day, aid, sid, "ev_" + sid[3:], day),
            )
            db.execute("INSERT OR IGNORE INTO storylines(id, title) VALUES (?, ?)", (sid, f"story {sid}"))
    return store


def test_a_storyline_three_others_covered_is_a_blindspot(tmp_path):
    rows = [
        ("a1", "Alpha", "2024-01-01", "st_big"),
        ("b1", "Beta", "2024-01-02", "st_big"),
        ("c1", "Gamma", "2024-01-03", "st_big"),
        ("d1", "Delta", "2024-01-05", "st_small"),
        ("a2", "Alpha", "2024-01-05", "st_small"),
        ("b2", "Beta", "2024-01-06", "st_pair"),
        ("c2", "Gamma", "2024-01-06", "st_pair"),
    ]
    store = _row_store(tmp_path, rows)
    b = Browse(store)
    assert [s["id"] for s in b.outlet("Delta")["missed_storylines"]] == ["st_big"]
    assert b.outlet("Alpha")["missed_storylines"] == []  # st_pair: only two other outlets
    delta = b.outlet("Delta")
    assert (delta["shared_events"], delta["first"], delta["median_lag_days"]) == (1, 1, None)  # same day
    beta = b.outlet("Beta")  # st_big: a day after Alpha; st_pair: with Gamma, the same day
    assert (beta["shared_events"], beta["first"], beta["median_lag_days"]) == (2, 1, 1)
    store.close()


# --- charts alone -----------------------------------------------------------------------------------------


def test_a_far_outlier_is_folded_and_a_spread_is_not():
    d0 = date(2010, 5, 1)
    days = [date(1979, 6, 3)] + [d0 + timedelta(days=i) for i in range(9)]
    assert dense_range(days) == (1, 9)
    even = [d0 + timedelta(days=30 * i) for i in range(10)]  # a year, evenly: nothing is an outlier
    assert dense_range(even) == (0, 9)
    assert dense_range([d0]) == (0, 0) and dense_range([]) == (0, -1)


def test_coverage_chart_stacks_outlets_and_bins_long_spans():
    rows = [
        {"date": f"2024-03-{d:02d}", "outlet": o, "reports": n}
        for d, o, n in [(1, "A", 2), (1, "B", 1), (3, "A", 1)]
    ]
    chart = coverage_chart(rows, width=600, height=200)
    assert chart["unit"] == "day" and chart["peak"] == 3
    assert [leg["name"] for leg in chart["legend"]] == ["A", "B"]
    day1 = [b for b in chart["bars"] if b["title"].startswith("2024-03-01")]
    assert round(sum(b["h"] for b in day1)) == chart["plot"]["bottom"] - chart["plot"]["top"]
    long = [
        {"date": (date(2020, 1, 1) + timedelta(days=7 * i)).isoformat(), "outlet": "A", "reports": 1}
        for i in range(100)
    ]
    assert coverage_chart(long)["unit"] == "month"
    many = [{"date": "2024-01-01", "outlet": f"o{i}", "reports": 1} for i in range(12)]
    assert coverage_chart(many)["legend"][-1] == {"name": "other outlets", "reports": 5, "series": 7}
    assert coverage_chart([])["bars"] == []


def test_timeline_labels_stay_inside_and_outliers_fold():
    base = date(2010, 4, 20)
    entries = [
        {"date": (base + timedelta(days=3 * i)).isoformat(), "title": "A long event title that goes on " * 3}
        for i in range(12)
    ]
    entries.append({"date": "1979-06-03", "title": "The Ixtoc spill, recalled for comparison"})
    layout = timeline_layout(entries, width=800)
    assert layout["earlier"] == {"count": 1, "first": "1979-06-03", "last": "1979-06-03"}
    assert layout["first"] == "2010-04-20" and len(layout["marks"]) == 12
    for m in layout["marks"]:
        width = len(m["label"]) * 6.4
        left = m["label_x"] - width if m["anchor"] == "end" else m["label_x"]
        assert 0 <= left and left + width <= 800, m["label"]


def test_the_contract_declares_exactly_what_the_lists_return(demo):
    """Every field the code returns is in the model of newsloom/contract.py, and every field the model
    declares is returned: the models are the contract, not a description of part of it."""
    pytest.importorskip("fastapi")
    from newsloom import contract
    from newsloom.store.search import search

    b = Browse(demo)
    pairs = [
        (b.events().as_dict(), contract.EventPage, contract.EventItem),
        (b.entities().as_dict(), contract.EntityPage, contract.EntityItem),
        (b.articles().as_dict(), contract.ArticlePage, contract.ArticleItem),
        (b.outlets().as_dict(), contract.OutletPage, contract.OutletItem),
    ]
    for data, page_model, item_model in pairs:
        assert set(data) == set(page_model.model_fields), page_model.__name__
        assert set(data["items"][0]) == set(item_model.model_fields), item_model.__name__
        page_model.model_validate(data)
    outlet = b.outlet(b.outlets().items[0]["outlet"])
    assert set(outlet) == set(contract.OutletDetail.model_fields)
    from newsloom import views

    assert set(views.storylines(demo)[0]) == set(contract.StorylineItem.model_fields)
    art = views.articles(demo, [demo.query("SELECT id FROM articles LIMIT 1")[0][0]])[0]
    assert set(art) | {"link", "copies"} == set(contract.ArticleDetail.model_fields)
    assert set(art["published"]) == set(contract.PublishedDate.model_fields)
    found = search(demo, "Danube flood")
    assert set(found) | {"outlets", "types"} == set(contract.SearchPage.model_fields)
    assert set(found["results"][0]) == set(contract.SearchResult.model_fields)


def test_read_models_take_a_handful_of_queries_whatever_the_number_of_rows(demo):
    """Events, entities and storylines are read for all rows at once (set-based), not row by row."""
    from newsloom import views

    count = [0]
    demo.db.set_trace_callback(lambda _sql: count.__setitem__(0, count[0] + 1))
    try:
        for build, most in ((views.events, 6), (views.entities, 2), (views.storylines, 3)):
            count[0] = 0
            rows = build(demo)
            assert len(rows) >= 2 and count[0] <= most, (build.__name__, count[0])
    finally:
        demo.db.set_trace_callback(None)
