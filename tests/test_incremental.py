"""A full rebuild (recluster) gives the same events and storylines as the increments it replaces."""

import math

import pytest

from newsloom.pipeline import ingest, recluster
from newsloom.store import Store

from conftest import DEMO


def partition(store: Store, column: str) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for aid, key in store.query(f"SELECT id, {column} FROM articles"):
        groups.setdefault(key, set()).add(aid)
    return {frozenset(g) for g in groups.values()}


def test_rebuild_equals_increments(tmp_path, resources):
    store = Store(tmp_path / "inc.db")
    # small batches: each batch is clustered against what earlier batches stored
    files = sorted(p for p in DEMO.rglob("*") if p.is_file())
    for f in files:
        ingest(store, [str(f)], res=resources, batch_size=2)
    events, stories = partition(store, "event_id"), partition(store, "storyline_id")
    event_dates = sorted(tuple(r) for r in store.query("SELECT date_start, date_end FROM events"))
    assert len(events) == 5
    recluster(store)
    assert partition(store, "event_id") == events
    assert partition(store, "storyline_id") == stories
    assert sorted(tuple(r) for r in store.query("SELECT date_start, date_end FROM events")) == event_dates


def test_refinement_splits_an_event_that_took_reports_of_another(tmp_path, resources, monkeypatch):
    """Reports that joined the wrong event early are put right when their event is refined: two demo events
    wrongly merged into one come apart again, with their profiles, dates and storylines rebuilt."""
    from newsloom import cards
    from newsloom.clustering import online as cluster

    store = Store(tmp_path / "refine.db")
    ingest(store, [str(DEMO)], res=resources)
    events = partition(store, "event_id")
    dates = sorted(tuple(r) for r in store.query("SELECT date_start, date_end FROM events"))
    before = sorted(
        map(tuple, store.query("SELECT date_start, date_end, article_count, type, title FROM events"))
    )
    big = sorted(
        store.query("SELECT id, article_count FROM events WHERE article_count > 1 ORDER BY seq"),
        key=lambda r: -r[1],
    )
    assert len(big) >= 2
    with store.transaction() as db:
        keep, _ = cluster.merge_events(db, big[0][0], big[1][0])
    assert len(partition(store, "event_id")) == len(events) - 1
    # over its budget of comparisons a group waits: nothing moves
    monkeypatch.setattr(cluster.S, "refine_pairs", 0)
    with store.transaction() as db:
        cluster.refine(db, cluster.Batch([{keep}]))
    assert len(partition(store, "event_id")) == len(events) - 1
    monkeypatch.undo()
    with store.transaction() as db:
        cluster.refine(db, cluster.Batch([{keep}]))
        # the titles are the cards' (the ingest refreshes the cards of a batch's events after refining)
        cards.refresh_cards(db, [r[0] for r in db.execute("SELECT id FROM events")])
    assert partition(store, "event_id") == events
    assert sorted(tuple(r) for r in store.query("SELECT date_start, date_end FROM events")) == dates
    assert (
        sorted(map(tuple, store.query("SELECT date_start, date_end, article_count, type, title FROM events")))
        == before
    )
    assert (
        store.query("SELECT COUNT(*) FROM articles WHERE storyline_id IS NULL OR event_id IS NULL")[0][0] == 0
    )
    # refining what is already right changes nothing
    with store.transaction() as db:
        cluster.refine(db, cluster.Batch([{e[0] for e in store.query("SELECT id FROM events")}]))
    assert partition(store, "event_id") == events


def test_batch_idf_is_fresh_for_a_small_store_and_shared_at_scale(tmp_path):
    """A batch's idf map: the same values as a fresh lookup; one map while the store grows less than
    IDF_DRIFT (so cached unit vectors stay valid), a new map once it grows more."""
    from newsloom.clustering import online as cluster

    store = Store(tmp_path / "idf.db")
    with store.transaction() as db:
        db.executemany("INSERT INTO term_df(term, df) VALUES (?, ?)", [("envoy", 3), ("visit", 40)])
        db.execute("INSERT INTO meta(key, value) VALUES ('df_articles', '10')")
        batch = cluster.Batch()
        first = batch.idf_for(db, ["envoy", "quake"])
        assert first == cluster.idf_map(db, ["envoy", "quake"])
        db.execute("UPDATE meta SET value = '11' WHERE key = 'df_articles'")  # 10% more: a new map
        second = batch.idf_for(db, ["visit"])
        assert second is not first and second == cluster.idf_map(db, ["visit"])
        db.execute("UPDATE meta SET value = '1000' WHERE key = 'df_articles'")
        big = batch.idf_for(db, ["envoy"])
        db.execute("UPDATE term_df SET df = df + 1 WHERE term = 'envoy'")
        db.execute("UPDATE meta SET value = '1010' WHERE key = 'df_articles'")  # 1% more: the same map
        same = batch.idf_for(db, ["envoy", "visit"])
        assert same is big
        assert same["envoy"] == pytest.approx(math.log(1001 / 3.5))  # as at its first use in the map
        assert same["visit"] == cluster.idf_map(db, ["visit"])["visit"]  # a new term: looked up now


def test_a_small_group_joins_the_event_it_is_clearly_nearest_to():
    import numpy as np

    from newsloom.clustering.config import SETTINGS
    from newsloom.clustering.online import _attach_small

    # items 0-5 are movable reports, item 6 a large event of 10 reports; groups as average link left them
    groups = [[0, 1, 2], [3], [4, 5], [6]]
    sizes = [1, 1, 1, 1, 1, 1, 10]

    def sim_with(links_of_3, links_of_45):
        s = np.full((7, 7), 0.1)
        s[3, :] = s[:, 3] = links_of_3
        for k in (4, 5):
            s[k, :] = s[:, k] = links_of_45
        s[4, 5] = s[5, 4] = 0.8
        return s

    # before refinement: 0-2 and 3 were separate events, 4-5 a third, 6 the large event
    homes = ["ev_a", "ev_a", "ev_a", "ev_b", "ev_c", "ev_c", "ev_big"]

    def result(sim, homes=homes):
        return sorted(map(sorted, _attach_small(groups, sim, sizes, 6, homes)))

    # report 3 links 0.45 on average with the group 0-2, 0.2 with anything else: it joins
    near = sim_with([0.5, 0.4, 0.45, 0, 0.2, 0.2, 0.2], [0.1, 0.1, 0.1, 0.2, 0, 0.8, 0.5])
    assert result(near) == [[0, 1, 2, 3], [4, 5, 6]]  # and the pair 4-5 joins the large event
    # too weak a link: stays alone
    w = SETTINGS.attach_threshold - 0.05
    weak = sim_with([w, w, w, 0, 0.0, 0.0, 0.0], [0.1, 0.1, 0.1, 0.0, 0, 0.8, 0.1])
    assert result(weak) == [[0, 1, 2], [3], [4, 5], [6]]
    # as near to another event (within the margin): stays alone
    torn = sim_with(
        [0.45, 0.45, 0.45, 0, 0.1, 0.1, 0.45 - SETTINGS.attach_margin / 2], [0.1, 0.1, 0.1, 0.1, 0, 0.8, 0.1]
    )
    assert result(torn) == [[0, 1, 2], [3], [4, 5], [6]]
    # ... unless the report comes back to the event it was in: no margin is asked to stay
    back = ["ev_a", "ev_a", "ev_a", "ev_a", "ev_c", "ev_c", "ev_big"]
    assert result(torn, back) == [[0, 1, 2, 3], [4, 5], [6]]
    assert result(weak, back) == [[0, 1, 2], [3], [4, 5], [6]]  # a weak link is still too weak
    # the nearest group is small itself (report 3 nearest to the pair 4-5): nobody moves
    small = sim_with([0.1, 0.1, 0.1, 0, 0.6, 0.6, 0.1], [0.1, 0.1, 0.1, 0.6, 0, 0.8, 0.1])
    assert result(small) == [[0, 1, 2], [3], [4, 5], [6]]
    # the large event never moves, however small its group
    assert sorted(map(sorted, _attach_small([[0, 1, 2], [6]], near, sizes, 6, homes))) == [[0, 1, 2], [6]]


def test_an_undated_report_that_joined_early_goes_to_the_dated_event_it_is_closer_to(
    tmp_path, resources, monkeypatch
):
    """An undated report joins the one event there is; a report dated months earlier, which that event's
    dates veto, still asks for refinement with it, and the undated report goes where it links closest."""
    import json

    from newsloom.clustering import online as cluster
    from newsloom.clustering import pairmodel as samevent

    records = [
        ("aldebaran", "2021-05-06", "The envoy met the president in Dushanbe on Tuesday, May 4, 2021, to discuss the "
         "border. Talks on the border went on for two days, the ministry said."),
        ("betelgeuse", None, "The envoy met the president in Dushanbe to discuss the border, officials said. "
         "Talks on trade and the border went on, the ministry said."),
        ("capella", "2020-10-05", "The envoy met the president in Dushanbe on Friday, October 2, 2020, to "
         "discuss trade. Talks on trade went on for three days, the ministry said."),
    ]  # fmt: skip
    path = tmp_path / "visits.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for key, published, text in records:
            title = f"Envoy in Dushanbe, reports {key.title()}"
            rec = {"id": key, "outlet": f"Outlet {key}", "title": title, "text": title + "\n\n" + text}
            f.write(json.dumps(rec | ({"published": published} if published else {})) + "\n")
    # the reports are told apart by a name in their headlines; links set by hand: the undated report
    # (Betelgeuse) is closer to the October report (Capella) than to the May one (Aldebaran)
    links = {frozenset(("aldebaran", "betelgeuse")): 0.6, frozenset(("betelgeuse", "capella")): 0.9}

    def which(f: samevent.ArticleFeatures) -> str:
        return next(k for k in ("aldebaran", "betelgeuse", "capella") if k in f.terms)

    monkeypatch.setattr(
        samevent, "probability", lambda a, b, idf, w=None: links.get(frozenset((which(a), which(b))), 0.05)
    )

    def groups() -> set[frozenset[str]]:
        return {frozenset(x.split(",")) for (x,) in store.query(
            "SELECT group_concat(external_id) FROM articles GROUP BY event_id")}  # fmt: skip

    store = Store(tmp_path / "on.db")
    ingest(store, [str(path)], res=resources)
    assert groups() == {frozenset({"aldebaran"}), frozenset({"betelgeuse", "capella"})}
    store.close()
    # without the link from the vetoed event, the undated report stays where it came first
    monkeypatch.setattr(cluster.S, "refine_undated_link", 1.0)
    store = Store(tmp_path / "off.db")
    ingest(store, [str(path)], res=resources)
    assert groups() == {frozenset({"aldebaran", "betelgeuse"}), frozenset({"capella"})}
    store.close()


def test_a_later_step_of_a_happening_joins_it_and_another_happening_does_not(tmp_path, resources):
    """docs/events.md: the arrest weeks after a shooting, naming its suspect and victim at its place, is
    part of the shooting's event (at least of its storyline); a shooting of other people in another town
    on another day is not."""
    import json

    records = [
        ("s1", "2015-03-02", "Two men shot outside Marlowe Street bar in Grantsville",
         "GRANTSVILLE, Ohio - Two men were shot outside the Copper Kettle bar on Marlowe Street early Sunday, "
         "police said. Devon Hallorann, 24, was taken to Grantsville Memorial Hospital with wounds to his leg. "
         "Police are looking for Terrence Pawlicki, 31, who fled in a gray sedan after the shooting."),
        ("s2", "2015-03-02", "Police seek gunman after Grantsville bar shooting",
         "Police in Grantsville are searching for Terrence Pawlicki after two men were wounded in a shooting "
         "outside the Copper Kettle on Marlowe Street on Sunday. Devon Hallorann was hit in the leg and a "
         "second man in the arm, Grantsville police said."),
        ("s3", "2015-03-24", "Suspect in Copper Kettle shooting arrested in Grantsville",
         "GRANTSVILLE, Ohio - Terrence Pawlicki, 31, was arrested Monday and faces an attempted murder charge "
         "over the wounding of Devon Hallorann and another man outside the Copper Kettle bar on Marlowe "
         "Street this month, Grantsville police said. Pawlicki is held on a $500,000 bond."),
        ("o1", "2015-03-20", "Woman shot in Fenwick Heights apartment",
         "FENWICK HEIGHTS, Idaho - A woman was shot inside an apartment on Larchmont Avenue on Thursday "
         "night, Fenwick Heights police said. Alma Steinkamp, 42, was flown to Boise with wounds to her "
         "chest. Officers detained a neighbor, Gordon Velasquez, for questioning."),
    ]  # fmt: skip
    path = tmp_path / "shooting.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for key, published, title, text in records:
            rec = {"id": key, "outlet": f"Outlet {key}", "title": title, "text": title + "\n\n" + text}
            f.write(json.dumps(rec | {"published": published}) + "\n")
    store = Store(tmp_path / "s.db")
    ingest(store, [str(path)], res=resources)
    rows = {
        r[0]: (r[1], r[2]) for r in store.query("SELECT external_id, event_id, storyline_id FROM articles")
    }
    store.close()
    assert rows["s1"][0] == rows["s2"][0]
    assert rows["s3"][1] == rows["s1"][1]  # the arrest: in the shooting's storyline
    assert rows["o1"][0] != rows["s1"][0] and rows["o1"][1] != rows["s1"][1]


def test_the_corpus_stages_can_report_their_time_without_changing_their_result(tmp_path, resources):
    """`corpus_update(..., timings=)` (benchmarks/scale.py) adds up each stage's seconds; the events are
    those of a rebuild without it."""
    from newsloom.clustering import online
    from newsloom.gazetteer import load_gazetteer
    from newsloom.pipeline import corpus_update
    from newsloom.store.entities import EntityRepository

    store = Store(tmp_path / "t.db")
    ingest(store, [str(DEMO)], res=resources)
    events = partition(store, "event_id")
    with store.transaction() as db:
        online.reset(db)
        EntityRepository(db).reset()
    ids = [r[0] for r in store.query("SELECT id FROM articles ORDER BY seq")]
    timings: dict[str, float] = {}
    with store.transaction():
        assert corpus_update(store, ids, load_gazetteer(), remove_failed=False, timings=timings) == []
    assert set(timings) == {"entities", "events", "refinement", "cards"}
    assert all(t > 0 for t in timings.values())
    assert partition(store, "event_id") == events
