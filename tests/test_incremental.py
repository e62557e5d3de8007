"""A full rebuild (recluster) gives the same events and storylines as the increments it replaces."""

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
    recluster(store, resources)
    assert partition(store, "event_id") == events
    assert partition(store, "storyline_id") == stories
    assert sorted(tuple(r) for r in store.query("SELECT date_start, date_end FROM events")) == event_dates


def test_refinement_splits_an_event_that_took_reports_of_another(tmp_path, resources):
    """Reports that joined the wrong event early are put right when their event is refined: two demo events
    wrongly merged into one come apart again, with their profiles, dates and storylines rebuilt."""
    from newsloom import cluster

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
        keep, _ = cluster._merge_events(db, big[0][0], big[1][0])
    assert len(partition(store, "event_id")) == len(events) - 1
    with store.transaction() as db:
        cluster.refine(db, cluster.Batch([{keep}]))
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


def test_average_link_stops_at_its_threshold():
    import numpy as np

    from newsloom.cluster import _average_link

    sim = np.array([[0, 0.9, 0.2, 0.1], [0.9, 0, 0.3, 0.2], [0.2, 0.3, 0, 0.8], [0.1, 0.2, 0.8, 0]])
    assert sorted(map(sorted, _average_link(sim, [1, 1, 1, 1], 0.5))) == [[0, 1], [2, 3]]
    assert len(_average_link(sim, [1, 1, 1, 1], 0.2)) == 1  # the two pairs' average link is 0.2
    assert len(_average_link(sim, [1, 1, 1, 1], 0.95)) == 4
    # a cluster of several reports weighs by its size
    assert sorted(map(sorted, _average_link(sim, [3, 1, 1, 1], 0.85))) == [[0, 1], [2], [3]]
