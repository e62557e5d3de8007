"""`newsloom batch`: the pipeline on Apache Spark (extra `newsloom[spark]`).

What runs where:

- Reading, extraction and annotation, the costly per-document stages, run on the executors: input files
  are spread over tasks (JSON Lines and Parquet rows over partitions), each partition loads the models once
  (`annotate.load_resources` is cached per Python worker) and calls `pipeline.process`, the same function
  as `newsloom ingest`. Page furniture is found from line counts over the whole input (a distributed
  count, the frequent lines broadcast), with `linestats.repeated_of`, the local rule.
- The results are written as Parquet tables under `--out`, each with a declared schema (`tables.py`):
  `articles`, `entity_mentions`, `time_mentions`, `event_mentions` and `failures`, plus `annotated` (each
  annotated record as a typed nested struct, from which the driver loads the store): readable by any
  Parquet reader, no pickles.
- The corpus stages (near-duplicates, entity resolution, event clustering, storylines) run in input order
  through `pipeline.store_annotated`, the function the local ingest ends with, into a newsloom store
  (`--into DB`, or a store inside `--out`); events and storylines are then written as Parquet too. They
  are incremental and single-writer, so a batch gives the same events as a local ingest of the same input
  in the same order.

With `--corpus sharded` the corpus stages run on the executors in blocks of whole days (`shards.py`),
then are merged and stitched on the driver; see docs/spark.md.
"""

from __future__ import annotations

import json
import operator
import os
import pickle
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from . import jsonl, tables
from .errors import InputError, NewsloomError
from .model import AnnotatedArticle, Document

# the steps of `run` in which the driver works alone while the executors wait (its share of the wall time
# bounds how far more executors can speed a job up)
DRIVER_STEPS = frozenset({"corpus on the driver", "merge and stitch", "undated on the driver", "export"})

__all__ = [
    "DRIVER_STEPS",
    "TABLES",
    "annotate_partition",
    "documents_of",
    "input_files",
    "line_key_counts",
    "run",
]

TABLES = ("articles", "entity_mentions", "time_mentions", "event_mentions", "failures")


def _spark(master: str, app: str = "newsloom") -> Any:
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise NewsloomError("newsloom batch needs pyspark: pip install 'newsloom[spark]'") from None
    # local workers run this interpreter (the one newsloom is installed in); a cluster sets its own
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    return (
        SparkSession.builder.master(master)
        .appName(app)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.python.worker.reuse", "true")
        .getOrCreate()
    )


# --- executor side ------------------------------------------------------------------------------------


def documents_of(path: str, fmt: str, hints: dict[str, str], fetched: str) -> list[Any]:
    """Documents (or input errors) of one file, read on an executor with the local readers; `fetched` is
    the batch's collection time, decided once on the driver."""
    from .ingest import read_file

    out = []
    for x in read_file(Path(path), fmt, hints):
        if isinstance(x, Document):
            x.fetched = fetched
        out.append(_plain(x))
    return out


def _plain(item: Any) -> Any:
    """Input errors travel between Spark workers as plain tuples ("error", source, reason)."""
    if isinstance(item, NewsloomError):
        return ("error", getattr(item, "source", "input"), getattr(item, "reason", str(item)))
    return item


def _parquet_record(row: dict[str, Any], origin: str, hints: dict[str, str], fetched: str) -> Any:
    """A Parquet row with the JSON Lines fields, as the same kind of document as a JSONL line."""
    from .ingest import doc_id

    rec = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items() if v is not None}
    if not jsonl.has_content(rec):
        return ("error", origin, jsonl.missing_content("the row"))
    line = json.dumps(rec, ensure_ascii=False, sort_keys=True).encode()
    return Document(doc_id(line), origin, "application/x-jsonl-record", line, fetched, dict(hints))


def line_key_counts(item: Any) -> list[tuple[tuple[str, str], int]]:
    from .linestats import line_keys

    if not isinstance(item, Document):
        return []
    return [(k, 1) for k in line_keys(item)[2]]


def annotate_partition(rows: Iterable[tuple[Any, int]], frequent: Any) -> Iterator[tuple[int, bytes]]:
    """Extract and annotate one partition's documents; models loaded once per Python worker."""
    from .annotate import load_resources
    from .linestats import line_keys, repeated_of
    from .pipeline import process

    rows = list(rows)
    docs = [(d, i) for d, i in rows if isinstance(d, Document)]
    for d, i in rows:
        if not isinstance(d, Document):
            yield i, pickle.dumps(d if isinstance(d, tuple) else _plain(d))
    if not docs:
        return
    counts = frequent.value
    repeated = {}
    for d, _ in docs:
        scope, lines, _keys = line_keys(d)
        repeated[d.id] = repeated_of(scope, lines, counts)
    res = load_resources()
    order = {d.id: i for d, i in docs}
    for it in process([d for d, _ in docs], res, repeated=repeated):
        yield order[it.document.id], pickle.dumps(("ok", it))


def _annotated_row(ip: tuple[int, bytes]) -> dict[str, Any]:
    """A row of the `annotated` table (declared in `tables`) from an executor's record."""
    kind, *rest = pickle.loads(ip[1])
    return tables.annotated_row(ip[0], ("error", *rest) if kind == "error" else rest[0])


def _rows(i: int, payload: bytes) -> dict[str, list[dict[str, Any]]]:
    """One annotated record as rows of the output tables."""
    kind, *rest = pickle.loads(payload)
    out: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
    if kind == "error":
        out["failures"].append({"order": i, "source": rest[0], "reason": rest[1]})
        return out
    it: AnnotatedArticle = rest[0]
    if it.error is not None or it.article is None:
        out["failures"].append({"order": i, "source": it.document.origin, "reason": it.error or "no article"})
        return out
    a = it.article
    aid = a.document_id
    out["articles"].append(
        {
            "order": i,
            "id": aid,
            "external_id": a.external_id,
            "source": a.source,
            "url": a.url,
            "outlet": a.outlet,
            "title": a.title,
            "authors": list(a.authors),
            "published": a.published.date.isoformat() if a.published.date else None,
            "published_granularity": a.published.granularity,
            "published_inferred": a.published.inferred,
            "language": a.language,
            "text": a.text,
            "boilerplate_removed": list(a.boilerplate_removed),
        }
    )
    for m in it.entities:
        out["entity_mentions"].append(
            {
                "article_id": aid,
                "sentence": m.sentence,
                "start": m.start,
                "end": m.end,
                "text": m.text,
                "label": m.label,
            }
        )
    for t in it.times:
        out["time_mentions"].append(
            {
                "article_id": aid,
                "sentence": t.sentence,
                "start": t.start,
                "end": t.end,
                "text": t.text,
                "value": t.value,
                "type": t.type,
                "granularity": t.granularity,
                "range_start": t.range_start.isoformat() if t.range_start else None,
                "range_end": t.range_end.isoformat() if t.range_end else None,
            }
        )
    for e in it.events:
        out["event_mentions"].append(
            {
                "article_id": aid,
                "sentence": e.sentence,
                "trigger": e.trigger,
                "type": e.type,
                "actors": list(e.actors),
                "targets": list(e.targets),
                "place": e.place,
                "date_start": e.date_start.isoformat() if e.date_start else None,
                "date_end": e.date_end.isoformat() if e.date_end else None,
                "date_source": e.date_source,
                "negated": e.negated,
                "hedged": e.hedged,
                "quote": e.quote,
                "evidence": a.text[e.evidence_start : e.evidence_end],
            }
        )
    return out


# --- driver -------------------------------------------------------------------------------------------


def input_files(paths: list[str]) -> list[str]:
    """Local paths are walked like `newsloom ingest` does; other URIs (hdfs://, s3a://) go to Spark as given."""
    from .ingest import walk_inputs

    out = []
    for p in paths:
        if "://" in p and not p.startswith("file://"):
            out.append(p)
            continue
        path = Path(p.removeprefix("file://"))
        if not path.exists():
            raise InputError(p, "no such file or directory")
        out.extend(str(f) for f in walk_inputs(path))
    return out


def run(
    paths: list[str],
    out: str,
    master: str = "local[*]",
    into: str | None = None,
    fmt: str = "auto",
    partitions: int | None = None,
    log: Any = print,
    corpus: str = "driver",
    block_days: int = 7,
    as_of: str | None = None,
    block_articles: int | None = None,
) -> dict[str, Any]:
    """Run the batch pipeline; returns counts and timings. `as_of` is when the inputs were collected
    (default: now, read once on the driver). `corpus` says where the corpus stages run:
    "driver" (one writer, in input order: the local ingest's exact result) or "sharded" (by time blocks of
    `block_days` on the executors, a block of more than `block_articles` articles (default: the clustering
    setting) cut by the names they share, then merged and stitched: see `shards`)."""
    if corpus not in ("driver", "sharded"):
        raise NewsloomError(f"--corpus {corpus}: choose 'driver' or 'sharded'")
    if block_days < 1:
        raise NewsloomError(f"--block-days {block_days}: must be at least 1")
    if block_articles is None:
        from .clustering.config import SETTINGS

        block_articles = SETTINGS.block_articles
    if block_articles < 1:
        raise NewsloomError(f"--block-articles {block_articles}: must be at least 1")

    t0 = time.time()
    from .store import now

    fetched = as_of or now()
    files = input_files(paths)
    spark = _spark(master)
    sc = spark.sparkContext
    sc.setLogLevel("ERROR")
    t_start = time.time() - t0
    from .pipeline import timed  # the driver's corpus stages import it in either mode

    try:
        parquet = [
            f for f in files if f.endswith(".parquet") or Path(f).is_dir() and any(Path(f).glob("*.parquet"))
        ]
        others = [f for f in files if f not in parquet]
        n_parts = partitions or max(sc.defaultParallelism * 2, 1)
        rdds = []
        if others:
            rdds.append(
                sc.parallelize(others, max(1, min(len(others), n_parts))).flatMap(
                    lambda p: documents_of(p, fmt, {}, fetched)
                )
            )
        for pq in parquet:
            rdds.append(
                spark.read.parquet(pq)
                .rdd.zipWithIndex()
                .map(lambda ri, pq=pq: _parquet_record(ri[0].asDict(), f"{pq}#{ri[1] + 1}", {}, fetched))
            )
        if not rdds:
            raise InputError(", ".join(paths), "no input files")
        items = rdds[0] if len(rdds) == 1 else sc.union(rdds)
        indexed = items.zipWithIndex().repartition(n_parts).cache()
        frequent = sc.broadcast(
            indexed.flatMap(lambda di: line_key_counts(di[0]))
            .reduceByKey(lambda a, b: a + b)
            .filter(lambda kv: kv[1] >= 3)
            .collectAsMap()
        )
        annotated = indexed.mapPartitions(lambda rows: annotate_partition(rows, frequent)).cache()
        n_docs = annotated.count()
        t_annotate = time.time() - t0
        # seconds per step; in those of DRIVER_STEPS the driver works while the executors wait
        timings: dict[str, float] = {"start Spark": t_start, "annotate": t_annotate - t_start}
        outdir = Path(out)
        outdir.mkdir(parents=True, exist_ok=True)
        counts = {}
        with timed(timings, "tables"):
            spark.createDataFrame(annotated.map(_annotated_row), tables.annotated_schema()).write.mode(
                "overwrite"
            ).parquet(str(outdir / "annotated"))
            flat = annotated.flatMap(
                lambda ip: [(t, r) for t, rows in _rows(*ip).items() for r in rows]
            ).cache()
            for t in TABLES:
                rows = flat.filter(lambda tr, t=t: tr[0] == t).map(lambda tr, t=t: tables.flat_row(t, tr[1]))
                df = spark.createDataFrame(rows, tables.flat_schema(t))
                df.write.mode("overwrite").parquet(str(outdir / t))
                counts[t] = df.count()
        log(f"annotated {n_docs} documents on Spark ({master}) in {t_annotate:.0f} s; tables in {outdir}")
        db = into or str(outdir / "newsloom.db")
        if corpus == "sharded":
            report = _load_sharded(spark, annotated, outdir, db, block_days, block_articles, log, timings)
        else:
            with timed(timings, "corpus on the driver"):
                report = _load(spark, outdir, db)
        with timed(timings, "export"):
            _export_corpus(spark, db, outdir)
        log(report.summary())
        total = time.time() - t0
        driver = sum(v for k, v in timings.items() if k in DRIVER_STEPS)
        return {
            "documents": n_docs,
            "tables": counts,
            "annotate_seconds": t_annotate,
            "total_seconds": total,
            "step_seconds": {k: round(v, 2) for k, v in timings.items()},
            "driver_seconds": driver,
            "driver_share": driver / total if total else 0.0,
            "db": db,
            "added": report.added,
            "failed": len(report.failed),
        }
    finally:
        spark.stop()


def _load(spark: Any, outdir: Path, db: str) -> Any:
    """Corpus stages, in input order, into the store: the local ingest's own final step."""
    from .gazetteer import load_gazetteer
    from .linestats import repeated_lines
    from .pipeline import IngestReport, finish_pending, store_annotated
    from .store import Store

    gaz = load_gazetteer()  # the corpus stages need no language model
    report = IngestReport()
    store = Store(db)
    try:
        finish_pending(store, gaz)
        batch: list[AnnotatedArticle] = []

        def flush() -> None:
            known = store.known_documents(it.document.id for it in batch)
            todo = [it for it in batch if it.document.id not in known]
            report.already_stored += len(batch) - len(todo)
            _, line_counts = repeated_lines(store.db, [it.document for it in todo])
            store_annotated(store, todo, line_counts, report, gaz)
            batch.clear()

        seen: set[str] = set()
        rows = spark.read.parquet(str(outdir / "annotated")).orderBy("order").toLocalIterator()
        for row in rows:
            if row["status"] == "error":
                report.failed.append((row["origin"], row["reason"]))
                with store.transaction():
                    store.add_failure(row["origin"], row["reason"])
                continue
            it = tables.record_of(row)
            if it.document.id in seen:
                report.already_stored += 1
                continue
            seen.add(it.document.id)
            batch.append(it)
            if len(batch) >= 64:
                flush()
        if batch:
            flush()
    finally:
        store.close()
    return report


def _ok_records(ip: tuple[int, bytes]) -> list[tuple[str, tuple[int, bytes]]]:
    """(document id, (order, payload)) of an annotated article; errors and failures are left out."""
    kind, *rest = pickle.loads(ip[1])
    if kind != "ok" or rest[0].article is None or rest[0].error is not None:
        return []
    return [(rest[0].document.id, ip)]


def _bands(ip: tuple[int, bytes]) -> list[Any]:
    from .shards import band_entries

    return band_entries(ip[0], pickle.loads(ip[1])[1].minhash)


def _block_task(
    rows: Iterator[tuple[tuple[str, int], bytes]], frequencies: tuple[int, dict[str, int]] | None
) -> Iterator[tuple[str, bytes, str]]:
    """Run the local corpus stages on each block of a partition (rows sorted by block, then input order),
    weighing terms by `frequencies` (`shards.input_frequencies`); yields (block, the block's store as
    bytes, {document id: order} as JSON)."""
    import itertools
    import tempfile

    from .shards import cluster_block

    def items(
        group: Iterable[tuple[tuple[str, int], bytes]], order: dict[str, int]
    ) -> Iterator[AnnotatedArticle]:
        for (_, i), payload in group:
            it = pickle.loads(payload)[1]
            order[it.document.id] = i
            yield it

    for block, group in itertools.groupby(rows, key=lambda r: r[0][0]):
        order: dict[str, int] = {}
        with tempfile.TemporaryDirectory(prefix="newsloom-block-") as tmp:
            path = Path(tmp) / "block.db"
            # the group is consumed once, here
            cluster_block(path, items(group, order), frequencies=frequencies)  # noqa: B031
            yield block, path.read_bytes(), json.dumps(order)


def _load_sharded(
    spark: Any,
    annotated: Any,
    outdir: Path,
    db: str,
    days: int,
    block_articles: int,
    log: Any,
    timings: dict[str, float],
) -> Any:
    """Corpus stages by time blocks on the executors, merged and stitched on the driver (see `shards`);
    `timings` gets the seconds of each step."""
    import tempfile

    from pyspark.sql import Row

    from .pipeline import IngestReport, timed
    from .shards import (
        UNDATED,
        add_undated,
        block_of,
        blocking_keys,
        copies_in_bucket,
        counted_terms,
        cut_block,
        first_copies,
        merge_block,
        next_seq,
        part_key,
        stitch,
        with_stored,
    )
    from .store import EventRepository, Store
    from .store.articles import ArticleRepository

    sc = spark.sparkContext
    report = IngestReport()
    t_start = time.time()
    store = Store(db)
    try:
        for _, payload in annotated.filter(lambda ip: pickle.loads(ip[1])[0] == "error").collect():
            _, origin, reason = pickle.loads(payload)
            report.failed.append((origin, reason))
            with store.transaction():
                store.add_failure(origin, reason)
        before = ArticleRepository(store.db).originals_and_copies()
        blocks: dict[str, set[str]] = {eid: {"stored before"} for eid in EventRepository(store.db).ids()}
        known = sc.broadcast(store.document_ids())
        # each document once (its first occurrence), and none the store already holds
        ok = (
            annotated.flatMap(_ok_records)
            .filter(lambda kv: kv[0] not in known.value)
            .reduceByKey(lambda a, b: a if a[0] < b[0] else b)
            .values()
            .cache()
        )
        n = ok.count()
        # near-duplicates over the whole input: LSH buckets of the local MinHash bands, the local test
        pairs = (
            ok.flatMap(_bands)
            .groupByKey()
            .flatMap(lambda kv: copies_in_bucket(list(kv[1])) if len(kv[1]) > 1 else [])
        )
        roots = first_copies(pairs.distinct().collect())
        root_orders = sc.broadcast(set(roots.values()))
        root_block = (
            ok.filter(lambda ip: ip[0] in root_orders.value)
            .map(lambda ip: (ip[0], block_of(pickle.loads(ip[1])[1], days)))
            .collectAsMap()
        )
        moved = sc.broadcast({c: root_block[r] for c, r in roots.items()})
        keyed = ok.map(
            lambda ip: ((moved.value.get(ip[0]) or block_of(pickle.loads(ip[1])[1], days), ip[0]), ip[1])
        )
        # an undated article has no block: it is compared with every day's events, on the driver (step 5)
        undated = [
            (i, pickle.loads(payload)[1])
            for (_, i), payload in keyed.filter(lambda kv: kv[0][0] == UNDATED).collect()
        ]
        keyed = keyed.filter(lambda kv: kv[0][0] != UNDATED)
        # a time block of more than `block_articles` articles is cut by the names its articles share
        sizes = keyed.map(lambda kv: kv[0][0]).countByValue()
        large = sc.broadcast({k for k, c in sizes.items() if c > block_articles})
        if large.value:
            part_of = (
                keyed.filter(lambda kv: kv[0][0] in large.value and kv[0][1] not in moved.value)
                .map(lambda kv: (kv[0][0], (kv[0][1], blocking_keys(pickle.loads(kv[1])[1]))))
                .groupByKey()
                .flatMap(
                    lambda kv: [
                        (o, part_key(kv[0], p)) for o, p in cut_block(sorted(kv[1]), block_articles).items()
                    ]
                )
                .collectAsMap()
            )
            part_of.update({c: part_of[r] for c, r in roots.items() if r in part_of})  # copies follow
            parts_of = sc.broadcast(part_of)
            keyed = keyed.map(lambda kv: ((parts_of.value.get(kv[0][1], kv[0][0]), kv[0][1]), kv[1]))
        keys = sorted(keyed.map(lambda kv: kv[0][0]).distinct().collect())
        index = {k: i for i, k in enumerate(keys)}
        timings["near-duplicates and blocks"] = time.time() - t_start
        base = next_seq(store)
        frequencies = None
        if len(keys) > 1:
            # one block is the local path; several weigh terms as the local path does at the input's end
            counted = (
                keyed.filter(lambda kv: kv[0][1] not in moved.value)  # not the copies
                .map(lambda kv: counted_terms(pickle.loads(kv[1])[1]))
                .filter(lambda ks: ks is not None)
                .cache()
            )
            frequencies = (
                counted.count(),
                counted.flatMap(lambda ks: [(k, 1) for k in ks]).reduceByKey(operator.add).collectAsMap(),
            )
            counted.unpersist()
        weights = sc.broadcast(with_stored(store, frequencies) if frequencies else None)
        if keys:
            with timed(timings, "corpus stages in blocks"):
                parts = keyed.repartitionAndSortWithinPartitions(
                    len(keys), partitionFunc=lambda k: index[k[0]], keyfunc=lambda k: k
                )
                spark.createDataFrame(
                    parts.mapPartitions(lambda rows: _block_task(rows, weights.value)).map(
                        lambda b: Row(block=b[0], store=bytearray(b[1]), order=b[2])
                    )
                ).write.mode("overwrite").parquet(str(outdir / "blocks"))
            log(
                f"corpus stages of {n - len(undated)} articles in {len(keys)} blocks of {days} days on Spark "
                f"in {timings['corpus stages in blocks']:.0f} s"
            )
        with timed(timings, "merge and stitch"):
            if keys:
                with tempfile.TemporaryDirectory(prefix="newsloom-merge-") as tmp:
                    for row in spark.read.parquet(str(outdir / "blocks")).orderBy("block").toLocalIterator():
                        path = Path(tmp) / "block.db"
                        path.write_bytes(bytes(row["store"]))
                        for eid in merge_block(store, path, json.loads(row["order"]), base):
                            blocks[eid] = {row["block"]}
                        path.unlink()
            joined = stitch(store, blocks, frequencies)
        log(
            f"merged and stitched in {timings['merge and stitch']:.0f} s: {joined['events_joined']} events and "
            f"{joined['storylines_joined']} storylines joined across blocks"
        )
        if undated:
            with timed(timings, "undated on the driver"):
                add_undated(store, undated, base)
            log(
                f"{len(undated)} undated articles through the corpus stages on the driver in "
                f"{timings['undated on the driver']:.0f} s"
            )
        added, copies = ArticleRepository(store.db).originals_and_copies()
        report.added, report.duplicates = added - before[0], copies - before[1]
    finally:
        store.close()
    return report


def _export_corpus(spark: Any, db: str, outdir: Path) -> None:
    from . import views
    from .store import Store

    with Store(db, readonly=True) as st:
        evs = views.events(st)
        sls = views.storylines(st)
    ev_rows = [
        tables.flat_row(
            "events",
            {
                "id": e["id"],
                "type": e["type"],
                "title": e["title"],
                "date_start": e["date"]["start"],
                "date_end": e["date"]["end"],
                "granularity": e["date"]["granularity"],
                "place": e["place"],
                "participants": e["participants"],
                "article_ids": e["article_ids"],
                "storyline_id": e["storyline_id"],
            },
        )
        for e in evs
    ]
    sl_rows = [tables.flat_row("storylines", s) for s in sls]
    for name, rows in (("events", ev_rows), ("storylines", sl_rows)):
        spark.createDataFrame(rows, tables.flat_schema(name)).write.mode("overwrite").parquet(
            str(outdir / name)
        )
