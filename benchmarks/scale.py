"""Cost of adding an article as the store grows: the corpus stages over a synthetic stream.

    python benchmarks/scale.py [--n 100000] [--pool 300] [--keep STORE.db] [--day [--blocks N]]
                               [--keep-blocks DIR] [--replay DIR]

A pool of ECB+ articles (../shared/datasets/ecbplus-dev.jsonl) is annotated once with the real
pipeline. The stream then repeats the pool in epochs. Each copy gets a new document id, its dates are
shifted by 40 days per epoch (a new happening), and its people get new surnames per epoch, made of
syllables (new people over time, filling surname blocks as real names do). Places are kept, so popular places recur: the worst case for candidate lookups. Each copy is
stored, resolved and clustered through the same functions as an ingest, in transactions of 100.

The per-document stages (NLP) cost the same at any store size and are measured by throughput.py; this
script isolates what can grow with the store. It prints the time to add the first and the last 1,000
articles (ms per article) and peak memory. --keep writes the store to a file (each copy then attributed to
one of 50 outlets), for benchmarks/web.py --lists. --day puts the whole stream on one day (each copy
published on 2016-09-01, its stated dates moved with its publication date), as one day of a crawl reaches
the corpus stages (the candidates of a report then all lie within days of it). The seconds of each corpus
stage (storing, entities, events, refinement, cards) are printed at the end. --day --blocks N runs that day
through the sharded corpus stages instead (`shards.run_local`: blocks of at most N articles cut by shared
names, merge, stitching) and prints the largest block's time and the driver's. --keep-blocks DIR leaves
those blocks in DIR; --replay DIR merges and stitches them again into a fresh store (the driver's part
alone, minutes where the whole day takes most of an hour: the way to compare two versions of it).
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from results_record import record

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "datasets" / "ecbplus-dev.jsonl"
DAY = date(2016, 9, 1)  # --day: the day every copy is published on


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--pool", type=int, default=300)
    ap.add_argument("--keep", type=Path, help="write the store here (it must not exist)")
    ap.add_argument("--day", action="store_true", help="every copy published on one day")
    ap.add_argument(
        "--blocks",
        type=int,
        metavar="N",
        help="with --day: run the stream as `newsloom batch --corpus sharded --block-articles N` does (the day "
        "cut into blocks of at most N by shared names, each block on its own, then merged and stitched), in "
        "this one process, and print each step's time",
    )
    ap.add_argument(
        "--keep-blocks",
        type=Path,
        metavar="DIR",
        help="with --blocks: leave the blocks and their manifest in DIR (a new folder), for --replay",
    )
    ap.add_argument(
        "--replay",
        type=Path,
        metavar="DIR",
        help="merge and stitch the blocks an earlier --blocks --keep-blocks DIR run left (the driver's part "
        "alone, on the same blocks: the way to compare two versions of it) and print each step's time",
    )
    args = ap.parse_args()
    if args.replay:
        return replay(args.replay)
    if args.keep_blocks and args.keep_blocks.exists():
        print(f"--keep-blocks {args.keep_blocks}: the folder exists; give a new one")
        return 2
    if not DATA.exists():
        print(f"skipped: {DATA} is absent")
        return 0
    from newsloom import dedup
    from newsloom.annotate import load_resources
    from newsloom.ingest import read_sources
    from newsloom.model import AnnotatedArticle, Document, PublishedDate
    from newsloom.pipeline import corpus_update, process, timed
    from newsloom.store import Store

    res = load_resources()
    docs = [d for d in read_sources([str(DATA)]) if isinstance(d, Document)]
    random.Random(0).shuffle(docs)
    t0 = time.perf_counter()
    pool = [it for it in process(docs[: args.pool], res) if it.article is not None and it.error is None]
    print(f"pool: {len(pool)} annotated articles in {time.perf_counter() - t0:.0f} s")

    syllables = "ka ro mi an tel sor vi ne lu bra den qu os ha zim per go la ri fen mar el to bu sha in dor ve ak".split()

    def surname(last: str, epoch: int) -> str:
        """A new surname per (surname, epoch), drawn from syllables: surname blocks fill like real ones."""
        rng = random.Random(f"{last}|{epoch}")
        return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 3))).title()

    def variant(i: int) -> AnnotatedArticle:
        tpl = pool[i % len(pool)]
        epoch = i // len(pool)
        it = copy.deepcopy(tpl)
        it.document = Document(
            f"syn{i:07d}", f"synthetic:{i}", tpl.document.media_type, b"", tpl.document.fetched, {}
        )
        assert it.article is not None
        it.article.document_id = it.document.id
        it.article.source = it.document.origin
        it.article.external_id = f"syn{i}"
        # a marker at the very end keeps every offset valid and makes the copy no exact duplicate
        it.article.paragraphs = it.article.paragraphs[:-1] + [it.article.paragraphs[-1] + f" [{i}]"]
        if args.day:
            shift = DAY - (it.article.published.date or DAY)
            it.article.published = PublishedDate(DAY, "day", "a synthetic day (benchmarks/scale.py --day)")
        else:
            shift = timedelta(days=40 * epoch)
            if it.article.published.date:
                it.article.published.date += shift
        for t in it.times:
            t.range_start = t.range_start + shift if t.range_start else None
            t.range_end = t.range_end + shift if t.range_end else None
        for ev in it.events:
            ev.date_start = ev.date_start + shift if ev.date_start else None
            ev.date_end = ev.date_end + shift if ev.date_end else None
        for m in it.entities:
            if m.label == "PERSON" and epoch:
                *first, last = m.text.split() or [""]
                m.text = " ".join([*first, surname(last, epoch)])  # another person, same first name
        it.minhash = None  # copies of one template are not near-duplicates of each other here
        if args.keep:
            it.article.outlet = f"Outlet {random.Random(i).randrange(50):02d}"
        return it

    if args.blocks:
        return sharded_day(args, [(i, variant(i)) for i in range(args.n)])
    if args.keep and args.keep.exists():
        print(f"--keep {args.keep}: the file exists; give a new name")
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(args.keep or Path(tmp) / "scale.db")
        times: list[float] = []
        stages: dict[str, float] = {}
        batch = 100
        for start in range(0, args.n, batch):
            items = [variant(i) for i in range(start, min(start + batch, args.n))]
            t = time.perf_counter()
            with store.transaction():
                ids = []
                with timed(stages, "storing"):
                    for it in items:
                        store.add_article(it)
                        dedup.index(store.db, it.document.id, it.minhash)
                        ids.append(it.document.id)
                corpus_update(store, ids, res.gazetteer, timings=stages)
            times.append((time.perf_counter() - t) / len(items))
            if len(times) % 100 == 0:
                recent = sum(times[-10:]) / len(times[-10:])
                print(
                    f"  {start + len(items):7d} articles: the last 1,000 took {recent * 1000:.1f} ms an article",
                    flush=True,
                )
        first = sum(times[:10]) / 10
        last = sum(times[-10:]) / 10
        events = store.count("events")
        store.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"articles: {args.n}; events: {events}")
    print(
        f"first 1,000: {first * 1000:.1f} ms per article; last 1,000: {last * 1000:.1f} ms per article (ratio {last / first:.2f})"
    )
    print(f"peak memory (RSS): {peak:.0f} MB")
    print("seconds per stage: " + ", ".join(f"{k} {v:.0f}" for k, v in stages.items()))
    print(json.dumps({"n": args.n, "first_ms": round(first * 1000, 2), "last_ms": round(last * 1000, 2)}))
    record(
        "scale_day" if args.day else "scale",
        f"{args.n} articles{' of one day' if args.day else ''}, {events} events: first 1,000 "
        f"{first * 1000:.1f} ms an article, last 1,000 {last * 1000:.1f} ms; peak {peak:.0f} MB; seconds: "
        + ", ".join(f"{k} {v:.0f}" for k, v in stages.items()),
        {"n": args.n, "events": events, "first_ms": round(first * 1000, 2), "last_ms": round(last * 1000, 2),
         "peak_mb": round(peak), **{f"{k}_s": round(v, 1) for k, v in stages.items()}},
    )  # fmt: skip
    return 0


def replay(work: Path) -> int:
    """The driver's merge and stitching of kept blocks, into a fresh store."""
    from newsloom import shards
    from newsloom.store import Store

    if not (work / shards.BLOCKS_MANIFEST).exists():
        print(f"--replay {work}: no {shards.BLOCKS_MANIFEST} there (made by --blocks N --keep-blocks DIR)")
        return 2
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "day.db") as store:
        info = shards.merge_blocks(store, work)
        events, articles = store.count("events"), store.count("articles")
    print(
        f"replayed {work}: {articles} articles, {events} events; merge {info['merge_seconds']:.1f} s, stitch "
        f"{info['stitch_seconds']:.1f} s ({info['events_joined']} events joined)"
    )
    record(
        "scale_day_replay",
        f"the driver's part on kept blocks ({articles} articles, {events} events): merge "
        f"{info['merge_seconds']:.1f} s, stitch {info['stitch_seconds']:.1f} s",
        {"articles": articles, "events": events, "merge_s": round(info["merge_seconds"], 1),
         "stitch_s": round(info["stitch_seconds"], 1)},
    )  # fmt: skip
    return 0


def sharded_day(args: argparse.Namespace, items: list) -> int:
    """The synthetic day through the sharded corpus stages: blocks one after another in this process (on a
    cluster each runs on its own executor), then the driver's merge and stitching."""
    from newsloom import shards
    from newsloom.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep_blocks or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        with Store(Path(tmp) / "day.db") as store:
            info = shards.run_local(store, items, 1, work, block_articles=args.blocks)
            events = store.count("events")
        wall = time.perf_counter() - t0
    secs = sorted(info["block_seconds"].values())
    driver = info["merge_seconds"] + info["stitch_seconds"]
    print(f"articles: {args.n} of one day; events: {events}; blocks of at most {args.blocks}: {len(secs)}")
    print(
        f"blocks: largest {secs[-1]:.1f} s, median {secs[len(secs) // 2]:.1f} s, sum {sum(secs):.1f} s; "
        f"driver: merge {info['merge_seconds']:.1f} s, stitch {info['stitch_seconds']:.1f} s "
        f"({info['events_joined']} events joined); all in one process {wall:.1f} s"
    )
    print(
        f"with an executor per block: largest block + driver = {secs[-1] + driver:.1f} s "
        f"({(secs[-1] + driver) / args.n * 1000:.1f} ms an article of the day)"
    )
    record(
        "scale_day_blocks",
        f"{args.n} articles of one day in {len(secs)} blocks of at most {args.blocks}, {events} events: largest "
        f"block {secs[-1]:.1f} s, blocks summed {sum(secs):.1f} s, merge {info['merge_seconds']:.1f} s, stitch "
        f"{info['stitch_seconds']:.1f} s",
        {"n": args.n, "block_articles": args.blocks, "blocks": len(secs), "events": events,
         "largest_block_s": round(secs[-1], 1), "blocks_sum_s": round(sum(secs), 1),
         "merge_s": round(info["merge_seconds"], 1), "stitch_s": round(info["stitch_seconds"], 1)},
    )  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
