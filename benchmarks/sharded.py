"""Sharded corpus stages (`newsloom batch --corpus sharded`) against the local path, without Spark.

    python benchmarks/sharded.py [--set t17|gva|ecb] [--order 1] [--limit 200] [--days 30 7 1]
        [--block-articles N] [--same-day DATE] [--annotated FILE] [--no-shuffle]

Input (--set): the first --limit articles of each Timeline17 dev topic (../shared/datasets/t17-dev; the
default), or a corpus with gold events: gva-dev (local crime news) or ECB+ dev, in the shuffled order of
benchmarks/ablate.py (--order: its seed) without their gold fields; annotated once by the functions the Spark
executors run. The corpus stages then run
- as one block: the local path's corpus stages, in input order, one writer (the reference);
- cut into blocks of --days days of publication, each block on its own (on a cluster, in parallel), then
  merged and stitched.

Prints, for each block size: blocks, the largest block's time (what bounds a cluster's wall time when
every block has its executor), the sum over blocks, merge and stitching time on the driver, events and
storylines, and B-cubed precision, recall and F1 of the sharded events against the local path's events;
with a gold corpus, both the local path's and the sharded events also against the gold events (and the
storylines against them, as benchmarks/storylines.py scores them).
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ablate import SETS, load  # noqa: E402
from clustering import bcubed  # noqa: E402
from spark import DATA, write_t17  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", default="t17", choices=("t17", "gva", "ecb"), help="the input corpus")
    ap.add_argument("--order", type=int, default=1, help="the shuffle of a gold corpus (ablate.py's seed)")
    ap.add_argument("--limit", type=int, default=200, help="articles per topic")
    ap.add_argument("--days", type=int, nargs="+", default=[30, 7, 1], help="block sizes to try")
    ap.add_argument(
        "--annotated",
        type=Path,
        help="a file keeping the annotated input between runs (pickle; made when absent): for trying changes "
        "of the corpus stages without annotating again",
    )
    ap.add_argument("--no-shuffle", action="store_true", help="skip the local path's run in another order")
    ap.add_argument(
        "--block-articles",
        type=int,
        default=None,
        help="cut a time block of more articles by shared names (`shards.cut_block`; default: the batch's)",
    )
    ap.add_argument(
        "--same-day",
        metavar="DATE",
        help="give every article this publication date: one day's news of many happenings, cut into blocks "
        "only by --block-articles (with --days 1)",
    )
    args = ap.parse_args()
    source = DATA if args.set == "t17" else SETS[args.set]
    if not source.exists():
        print(f"skipped: {source} is absent")
        return 0
    from newsloom import shards
    from newsloom.store import Store

    tmp = Path(tempfile.mkdtemp(prefix="newsloom-sharded-"))
    corpus = tmp / f"{args.set}.jsonl"
    gold: dict[str, str] = {}
    if args.set == "t17":
        write_t17(corpus, args.limit)
    else:
        recs, _ = load(args.set)
        gold = {str(r["id"]): str(r["event"]) for r in recs}
        random.Random(args.order).shuffle(recs)
        with corpus.open("w", encoding="utf-8") as out:
            for r in recs:
                row = {k: v for k, v in r.items() if k not in ("topic", "event")}
                if args.same_day:
                    row["published"] = args.same_day
                out.write(json.dumps(row) + "\n")
    t0 = time.perf_counter()
    made_from = (args.set, args.order, args.limit, args.same_day)  # what the annotated input depends on
    if args.annotated and args.annotated.exists():
        kept, items = pickle.loads(args.annotated.read_bytes())
        if kept != made_from:
            print(
                f"--annotated {args.annotated}: made for --set/--order/--limit/--same-day {kept}, not {made_from}"
            )
            return 2
    else:
        items = shards.annotate_inputs([str(corpus)])
        if args.annotated:
            args.annotated.write_bytes(pickle.dumps((made_from, items)))
    print(f"input: {len(items)} {args.set} articles, annotated in {time.perf_counter() - t0:.0f} s")

    def partition(db: Path) -> tuple[dict[str, str], dict[str, str], int, int]:
        with Store(db, readonly=True) as st:
            rows = st.query(
                "SELECT COALESCE(external_id, id), COALESCE(event_id, 'none:' || id), storyline_id FROM articles"
            )
            n_ev, n_st = st.count("events"), st.count("storylines")
        return {r[0]: r[1] for r in rows}, {r[0]: r[2] or r[0] for r in rows}, n_ev, n_st

    def against_gold(ev: dict[str, str], st: dict[str, str]) -> str:
        if not gold:
            return ""
        p, r, f = bcubed(ev, gold)
        return f"; against the gold: events P {p:.3f} R {r:.3f} F1 {f:.3f}, storylines F1 {bcubed(st, gold)[2]:.3f}"

    runs = {}
    for days in [10**6, *args.days]:
        db = tmp / f"d{days}.db"
        work = tmp / f"w{days}"
        work.mkdir()
        t0 = time.perf_counter()
        bound = 10**9 if days == 10**6 else args.block_articles
        with Store(db) as st:
            info = shards.run_local(st, items, days, work, block_articles=bound)
        wall = time.perf_counter() - t0
        runs[days] = (info, partition(db), wall)
    ref_info, (ref_ev, ref_st, ref_n_ev, ref_n_st), ref_wall = runs[10**6]
    print(
        f"local path (one block): {ref_wall:.1f} s, {ref_n_ev} events, {ref_n_st} storylines"
        + against_gold(ref_ev, ref_st)
    )
    # how far the local path itself moves when the same articles come in another order: the yardstick
    if not args.no_shuffle:
        shuffled = [it for _, it in items]
        random.Random(1).shuffle(shuffled)
        with Store(tmp / "shuffled.db") as st:
            shards.run_local(st, list(enumerate(shuffled)), 10**6, tmp, block_articles=10**9)
        ev, stl, n_ev, n_st = partition(tmp / "shuffled.db")
        p, r, f = bcubed(ev, ref_ev)
        print(
            f"local path, input shuffled: {n_ev} events, {n_st} storylines; events against the input order: "
            f"B-cubed P {p:.3f} R {r:.3f} F1 {f:.3f}; storylines: F1 {bcubed(stl, ref_st)[2]:.3f}"
            + against_gold(ev, stl)
        )
    for days in args.days:
        info, (ev, st, n_ev, n_st), wall = runs[days]
        secs = info["block_seconds"].values()
        p, r, f = bcubed(ev, ref_ev)
        sp, sr, sf = bcubed(st, ref_st)
        print(
            f"blocks of {days} days: {info['blocks']} blocks, largest {max(secs):.1f} s, sum {sum(secs):.1f} s, "
            f"merge {info['merge_seconds']:.1f} s, stitch {info['stitch_seconds']:.1f} s "
            f"({info['events_joined']} events, {info['storylines_joined']} storylines joined); "
            f"{n_ev} events, {n_st} storylines\n"
            f"  events against the local path: B-cubed P {p:.3f} R {r:.3f} F1 {f:.3f}; "
            f"storylines: F1 {sf:.3f} (P {sp:.3f} R {sr:.3f})" + against_gold(ev, st)
        )
    print(json.dumps({d: round(runs[d][2], 1) for d in runs}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
