"""Storylines as a reader meets them, on three kinds of collection.

    python benchmarks/storylines.py [--work DIR] [--stores DIR] [--orders 2] [--topics bpoil,H1N1,haiti]

- **Local crime news** (gva-dev) and **ECB+ dev**, ingested as benchmarks/ablate.py ingests them (stores
  kept in --work): each storyline scored as an incident / event by B-cubed (precision: a storyline holds
  one incident with its later steps, not a city's shootings; recall: the arrest and the trial weeks
  later are in their incident's storyline), the share of follow-up reports (published more than a week
  after their incident's first report) in the storyline of their incident's main event, and the largest
  storyline. ECB+'s two events of a topic are two happenings of one kind, so its gold storyline is the event.
- **One subject** (Timeline17 topics, stores of benchmarks/tls.py in --stores): every article of a topic
  concerns one subject (an oil spill, a flu pandemic, an earthquake), so the storylines should hold most
  of them: B-cubed recall of the storylines against the topic (sum of squared storyline shares), that of
  the reports of events of two or more reports, the number of storylines and the largest one's share.

Every store is re-clustered first (a copy, for the Timeline17 stores), so the figures are this code's.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from ablate import SETS, build, late_reports, load
from clustering import bcubed
from results_record import record
from tls import ensure_store

from newsloom.pipeline import recluster
from newsloom.store import Store


def gold_sets(which: str, work: Path, orders: int, res: object) -> dict[str, list[float]]:
    recs, _ = load(which)
    gold = {str(r["id"]): str(r["event"]) for r in recs}
    out: dict[str, list[float]] = {}
    for seed in range(1, orders + 1):
        db = build(which, recs, seed, work, res)
        with Store(db) as store:
            recluster(store)
            rows = store.query("SELECT external_id, event_id, storyline_id FROM articles")
        pred = {r[0]: r[1] or f"none:{r[0]}" for r in rows}
        story = {r[0]: r[2] or f"none:{r[0]}" for r in rows}
        p, r, f = bcubed(story, gold)
        in_event, in_story, n = late_reports(recs, pred, story)
        sizes = Counter(story.values())
        for k, v in (
            ("P", p),
            ("R", r),
            ("F1", f),
            ("follow-ups in storyline", in_story if n else float("nan")),
            ("storylines", float(len(sizes))),
            ("largest", float(max(sizes.values()))),
        ):
            out.setdefault(k, []).append(v)
        print(
            f"{which} order {seed}: storylines as {'incidents' if which == 'gva' else 'events'} "
            f"P {p:.3f} R {r:.3f} F1 {f:.3f}; follow-ups in storyline "
            f"{in_story:.2f} of {n}; {len(sizes)} storylines, largest {max(sizes.values())} reports",
            flush=True,
        )
    return out


def one_subject(topic: str, stores: Path) -> dict[str, float]:
    src = ensure_store(topic, stores)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / f"{topic}.db"
        con = sqlite3.connect(src)
        con.execute("VACUUM INTO ?", (str(copy),))
        con.close()
        with Store(copy) as store:
            recluster(store)
            rows = store.query("SELECT storyline_id, event_id FROM articles WHERE event_id IS NOT NULL")
    sizes = Counter(r[0] for r in rows)
    n = sum(sizes.values())
    reports = Counter(r[1] for r in rows)
    big = Counter(r[0] for r in rows if reports[r[1]] >= 2)
    nb = sum(big.values()) or 1
    figures = {
        "recall": sum(v * v for v in sizes.values()) / n / n,
        "recall, events of 2+ reports": sum(v * v for v in big.values()) / nb / nb,
        "storylines": float(len(sizes)),
        "largest share": max(sizes.values()) / n,
    }
    print(
        f"{topic}: {n} articles, {len(sizes)} storylines, recall against the topic {figures['recall']:.3f} "
        f"(events of 2+ reports {figures['recall, events of 2+ reports']:.3f}), largest "
        f"{figures['largest share']:.3f}",
        flush=True,
    )
    return figures


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", type=Path, default=Path("/tmp/newsloom-ablate"))
    ap.add_argument("--stores", type=Path, default=Path("/tmp/newsloom-t17"))
    ap.add_argument("--orders", type=int, default=2)
    ap.add_argument("--sets", default="gva,ecb")
    ap.add_argument("--topics", default="bpoil,H1N1,haiti")
    args = ap.parse_args()
    t0 = time.time()
    figures: dict[str, object] = {}
    sets = [s for s in args.sets.split(",") if s and SETS[s].exists()]
    if sets:
        from newsloom.annotate import load_resources

        args.work.mkdir(parents=True, exist_ok=True)
        res = load_resources()
        for which in sets:
            figures[which] = gold_sets(which, args.work, args.orders, res)
    for topic in (t for t in args.topics.split(",") if t):
        figures[topic] = one_subject(topic, args.stores)
    if not figures:
        print("skipped: no dataset found")
        return 0
    summary = "; ".join(
        f"{k} F1 {' '.join(f'{x:.3f}' for x in v['F1'])}"  # type: ignore[index]
        if k in SETS
        else f"{k} recall {v['recall']:.3f}"  # type: ignore[index]
        for k, v in figures.items()
    )
    record("storylines", summary, figures)
    print(f"({time.time() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
