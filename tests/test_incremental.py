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
