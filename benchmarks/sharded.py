"""Sharded corpus stages (`newsloom batch --corpus sharded`) against the local path, without Spark.

    python benchmarks/sharded.py [--limit 200] [--days 30 7 1]

Input: the first --limit articles of each Timeline17 dev topic (../shared/datasets/t17-dev), annotated
once by the functions the Spark executors run. The corpus stages then run
- as one block: the local path's corpus stages, in input order, one writer (the reference);
- cut into blocks of --days days of publication, each block on its own (on a cluster, in parallel), then
  merged and stitched.

Prints, for each block size: blocks, the largest block's time (what bounds a cluster's wall time when
every block has its executor), the sum over blocks, merge and stitching time on the driver, events and
storylines, and B-cubed precision, recall and F1 of the sharded events against the local path's events.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from clustering import bcubed  # noqa: E402
from spark import DATA, write_t17  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=200, help="articles per topic")
    ap.add_argument("--days", type=int, nargs="+", default=[30, 7, 1], help="block sizes to try")
    args = ap.parse_args()
    if not DATA.exists():
        print(f"skipped: {DATA} is absent")
        return 0
    from newsloom import shards
    from newsloom.store import Store

    tmp = Path(tempfile.mkdtemp(prefix="newsloom-sharded-"))
    corpus = tmp / "t17.jsonl"
    write_t17(corpus, args.limit)
    t0 = time.perf_counter()
    items = shards.annotate_inputs([str(corpus)])
    print(f"input: {len(items)} Timeline17 articles, annotated in {time.perf_counter() - t0:.0f} s")

    def partition(db: Path) -> tuple[dict[str, str], dict[str, str], int, int]:
        with Store(db, readonly=True) as st:
            rows = st.query("SELECT id, COALESCE(event_id, 'none:' || id), storyline_id FROM articles")
            n_ev, n_st = st.count("events"), st.count("storylines")
        return {r[0]: r[1] for r in rows}, {r[0]: r[2] or r[0] for r in rows}, n_ev, n_st

    runs = {}
    for days in [10**6, *args.days]:
        db = tmp / f"d{days}.db"
        work = tmp / f"w{days}"
        work.mkdir()
        t0 = time.perf_counter()
        with Store(db) as st:
            info = shards.run_local(st, items, days, work)
        wall = time.perf_counter() - t0
        runs[days] = (info, partition(db), wall)
    ref_info, (ref_ev, ref_st, ref_n_ev, ref_n_st), ref_wall = runs[10**6]
    print(f"local path (one block): {ref_wall:.1f} s, {ref_n_ev} events, {ref_n_st} storylines")
    # how far the local path itself moves when the same articles come in another order: the yardstick
    shuffled = [it for _, it in items]
    random.Random(1).shuffle(shuffled)
    with Store(tmp / "shuffled.db") as st:
        shards.run_local(st, list(enumerate(shuffled)), 10**6, tmp)
    ev, stl, n_ev, n_st = partition(tmp / "shuffled.db")
    p, r, f = bcubed(ev, ref_ev)
    print(
        f"local path, input shuffled: {n_ev} events, {n_st} storylines; events against the input order: "
        f"B-cubed P {p:.3f} R {r:.3f} F1 {f:.3f}; storylines: F1 {bcubed(stl, ref_st)[2]:.3f}"
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
            f"storylines: F1 {sf:.3f} (P {sp:.3f} R {sr:.3f})"
        )
    print(json.dumps({d: round(runs[d][2], 1) for d in runs}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
