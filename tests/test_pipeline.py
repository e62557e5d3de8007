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
