import pytest

from newsloom.errors import PipelineError
from newsloom.pipeline import STAGES, Stage, check


def test_registered_stages_are_in_a_valid_order():
    check(STAGES)


def test_a_stage_that_needs_what_nothing_adds_is_refused():
    bad = [Stage("annotate", frozenset({"article"}), frozenset({"events"}), lambda items, res: iter(items))]
    with pytest.raises(PipelineError, match="annotate"):
        check(bad)


def test_an_ingest_says_where_its_time_went(tmp_path, resources):
    # the steps `benchmarks/throughput.py` prints: each a share of the ingest's time, none left out
    import time

    from newsloom.pipeline import ingest
    from newsloom.store import Store

    story = tmp_path / "flood.txt"
    story.write_text(
        "River floods market town\n\nMARLOW, April 2 - The river burst its banks in Marlow on Tuesday, "
        "flooding forty homes, the county council said.\n"
    )
    store = Store(tmp_path / "s.db")
    steps: dict[str, float] = {}
    t0 = time.perf_counter()
    assert ingest(store, [str(story)], res=resources, timings=steps).added == 1
    took = time.perf_counter() - t0
    assert {"extraction and annotation", "storing", "entities", "events", "cards"} <= set(steps)
    assert all(v >= 0 for v in steps.values()) and sum(steps.values()) <= took
    store.close()


def _tables(path):
    """Every row of every table but the full-text index, the log and the times of storing."""
    import sqlite3

    con = sqlite3.connect(path)
    out = {}
    for (table,) in con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE '%fts%' AND name NOT IN ('log', 'failures')"
    ):
        cols = [r[1] for r in con.execute(f"PRAGMA table_info({table})") if r[1] != "added"]
        out[table] = sorted(map(repr, con.execute(f"SELECT {', '.join(cols)} FROM {table}")))
    con.close()
    return out


def test_an_ingest_with_a_worker_annotating_beside_it_stores_the_same(tmp_path, resources):
    # batches of 3: the worker annotates the next batch while this process stores one, and a batch's
    # furniture lines count the lines of the batches still being annotated (`repeated_lines`)
    from newsloom.pipeline import ingest
    from newsloom.store import Store

    from conftest import DEMO

    stores = {}
    for workers in (0, 1):
        path = tmp_path / f"w{workers}.db"
        store = Store(path)
        steps: dict[str, float] = {}
        r = ingest(
            store,
            [str(DEMO)],
            res=resources if workers == 0 else None,
            batch_size=3,
            as_of="2024-06-01",
            workers=workers,
            timings=steps,
        )
        store.close()
        assert r.added + r.duplicates == 12 and not r.failed
        assert ("waiting for annotation" in steps) == bool(workers)
        stores[workers] = _tables(path)
    assert stores[0]["articles"] and stores[0]["events"]
    assert stores[1] == stores[0]


def test_a_batch_counts_the_lines_of_batches_not_stored_yet(tmp_path):
    from newsloom.linestats import MIN_DOCS, line_keys, repeated_lines
    from newsloom.model import Document
    from newsloom.store import Store

    def doc(i: int) -> Document:
        text = f"Sign up for the Valley Courier newsletter\nCouncil item {i} was approved on Monday evening."
        return Document(f"d{i}", f"{tmp_path}/a{i}.txt", "text/plain", text.encode())

    store = Store(tmp_path / "s.db")
    scope, _, keys = line_keys(doc(0))
    furniture = "sign up for the valley courier newsletter"
    assert furniture not in repeated_lines(store.db, [doc(0)])[0]["d0"]
    earlier = {key: MIN_DOCS - 1 for key in keys}  # the line in earlier batches still being annotated
    repeated, counts = repeated_lines(store.db, [doc(0)], earlier)
    assert furniture in repeated["d0"]
    assert counts == {key: 1 for key in keys}  # what the batch records is its own count
    store.close()


def test_a_lost_worker_is_replaced_by_this_process(tmp_path, resources):
    import multiprocessing
    import os
    import signal

    from newsloom.annotators import Annotators
    from newsloom.model import Document

    docs = [
        Document(
            "x1",
            str(tmp_path / "x1.txt"),
            "text/plain",
            b"Dam bursts near Orbeck\n\nORBECK - A dam burst near Orbeck on Sunday, the regional office said.",
        )
    ]
    with Annotators(1, resources) as annotators:
        result = annotators.submit(docs, {})
        for worker in multiprocessing.active_children():  # the worker dies, killed from outside
            os.kill(worker.pid, signal.SIGKILL)
        got = result()
        assert not got.in_worker and annotators.workers == 0
        assert [a.article.title for a in got.articles] == ["Dam bursts near Orbeck"]
        assert not annotators.submit(docs, {})().in_worker
