"""`newsloom batch` on Spark (local[2]) gives the same events, storylines and timeline as `newsloom ingest`."""

import importlib.util
import json
import re
import shutil

import pytest
from test_shards import views

from conftest import DEMO, needs_shared, run_cli

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("pyspark") is None or shutil.which("java") is None,
    reason="needs pyspark (newsloom[spark]) and a Java runtime",
)


@pytest.mark.parametrize("mode", ["driver", "sharded"])
@pytest.mark.parametrize("corpus", ["demo", "seeds"])
def test_batch_equals_local_ingest(corpus, mode, tmp_path):
    src = DEMO if corpus == "demo" else needs_shared("seeds")
    local = tmp_path / "local.db"
    run_cli("ingest", str(src), db=local)
    out = tmp_path / "out"
    batch_db = tmp_path / "batch.db"
    res = json.loads(
        run_cli(
            "batch",
            "--master",
            "local[2]",
            "--corpus",
            mode,
            str(src),
            "--out",
            str(out),
            "--into",
            str(batch_db),
            "--json",
            db=batch_db,
        ).stdout
    )
    assert res["documents"] >= 5 and res["failed"] == 0
    # the sharded path names an event after the report that started it in its block (see test_shards)
    assert views(batch_db, ids=mode == "driver") == views(local, ids=mode == "driver")
    for table in ("articles", "entity_mentions", "time_mentions", "event_mentions", "events", "storylines"):
        assert any((out / table).glob("*.parquet")), table
    assert any((out / "blocks").glob("*.parquet")) == (mode == "sharded")
    # the time of each step, and the part of the wall time in which the driver works alone
    steps = res["step_seconds"]
    on_driver = (
        {"corpus on the driver"} if mode == "driver" else {"merge and stitch", "corpus stages in blocks"}
    )
    assert on_driver <= set(steps) and "export" in steps
    assert 0 < res["driver_seconds"] < res["total_seconds"] and 0 < res["driver_share"] < 1


def test_the_tables_are_typed_parquet_without_pickles(tmp_path):
    """Any Parquet reader (here pyarrow) reads every table with its declared types; the annotated
    records are nested structs, and the store loaded from them is the local ingest's."""
    pq = pytest.importorskip("pyarrow.parquet")
    import pyarrow as pa

    out = tmp_path / "out"
    run_cli("batch", "--master", "local[2]", str(DEMO), "--out", str(out), "--json", db=tmp_path / "b.db")
    articles = pq.read_table(out / "articles")
    assert articles.schema.field("published").type == pa.date32()
    assert articles.schema.field("authors").type == pa.list_(pa.string())
    assert articles.num_rows == 12
    events = pq.read_table(out / "events")
    assert events.schema.field("article_ids").type == pa.list_(pa.string()) and events.num_rows >= 5
    annotated = pq.read_table(out / "annotated")
    assert set(annotated.schema.names) == {"order", "status", "origin", "reason", "record"}
    record = annotated.schema.field("record").type
    assert (
        pa.types.is_struct(record)
        and record.field("entities").type.value_type.field("label").type == pa.string()
    )
    rows = annotated.to_pylist()
    assert {r["status"] for r in rows} == {"ok"} and all(r["record"]["article"]["title"] for r in rows)
    assert not any(
        isinstance(v, bytes) and v.startswith(b"\x80") for r in rows for v in r["record"]["document"].values()
    ), "a pickle in the table"
    for table in ("entity_mentions", "time_mentions", "event_mentions", "storylines"):
        assert pq.read_table(out / table).num_rows >= 1, table


def test_sharded_batch_adds_to_a_store_that_holds_articles(tmp_path):
    """Blocks merged into a store that already has a storyline: what it holds is skipped, the rest added;
    the new storyline (another topic) comes out as it does alone, the old one is left as it was."""
    seeds = needs_shared("seeds")
    alone = {}
    for name, src in (("demo", DEMO), ("seeds", seeds)):
        alone[name] = tmp_path / f"{name}.db"
        run_cli("ingest", str(src), db=alone[name])
    db = tmp_path / "mixed.db"
    run_cli("ingest", str(DEMO), db=db)
    res = json.loads(
        run_cli(
            "batch", "--master", "local[2]", "--corpus", "sharded", str(DEMO), str(seeds),
            "--out", str(tmp_path / "o"), "--json", db=db,
        ).stdout
    )  # fmt: skip
    assert res["added"] == 5 and res["failed"] == 0  # the five seed articles; the demo was there
    expected = {
        k: sorted(groups(alone["demo"])[k] + groups(alone["seeds"])[k]) for k in ("events", "storylines")
    }
    assert groups(db) == expected


def test_sharded_batch_cuts_a_large_block_by_shared_names(tmp_path):
    """One time block for the whole demo, cut on the executors into blocks of at most 4 articles: the
    local ingest's events, and every report in a storyline."""
    local = tmp_path / "local.db"
    run_cli("ingest", str(DEMO), db=local)
    db = tmp_path / "cut.db"
    r = run_cli(
        "batch", "--master", "local[2]", "--corpus", "sharded", "--block-days", "100000", "--block-articles",
        "4", str(DEMO), "--out", str(tmp_path / "o"), db=db,
    )  # fmt: skip
    blocks = re.search(r"articles in (\d+) blocks", r.stderr)
    assert blocks and int(blocks.group(1)) >= 3, r.stderr
    assert groups(db)["events"] == groups(local)["events"]
    assert sum(map(len, groups(db)["storylines"])) == sum(map(len, groups(local)["storylines"]))


def groups(db):
    """Which articles make up each event and each storyline (not which report names them)."""
    v = views(db)
    return {k: sorted(sorted(x["article_ids"]) for x in v[k]) for k in ("events", "storylines")}


def test_batch_reports_a_missing_input(tmp_path):
    r = run_cli(
        "batch", str(tmp_path / "nothing"), "--out", str(tmp_path / "o"), db=tmp_path / "x.db", check=False
    )
    assert r.returncode == 2 and "no such file or directory" in r.stderr


@pytest.mark.parametrize("mode", ["driver", "sharded"])
def test_batch_records_bad_lines_as_failures(mode, tmp_path):
    src = tmp_path / "mixed.jsonl"
    src.write_text(
        '{"id": "a1", "title": "Port reopens", "published": "2024-05-14", "text": "RUSE - The port of Ruse reopened on '
        'Tuesday after the floods, officials said. About 40 ships were waiting."}\n{not json}\n{"id": "a3"}\n'
    )
    db = tmp_path / "b.db"
    res = json.loads(
        run_cli(
            "batch",
            "--master",
            "local[1]",
            "--corpus",
            mode,
            str(src),
            "--out",
            str(tmp_path / "o"),
            "--json",
            db=db,
        ).stdout
    )
    assert res["added"] == 1 and res["failed"] == 2
    failures = json.loads(run_cli("failures", "--json", db=db).stdout)
    assert sorted(f["source"].rsplit(":", 1)[1] for f in failures) == ["2", "3"]
