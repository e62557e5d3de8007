"""Event clustering on ECB+ (../shared/datasets/ecbplus-dev.jsonl): B-cubed of each article's event_id.

    python benchmarks/clustering.py [--seed 1] [--runs 1]

All 772 articles pooled in one fresh store, ingested in a shuffled order (the `topic` field is removed
before ingest, so nothing can peek at it). Each article's predicted event is its `event_id`; the gold is
the `event` field (66 real-world events, two of the same kind per topic). Prints B-cubed precision,
recall and F1, the number of predicted events, and the TF-IDF + average-link baseline's F1 (0.87).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "datasets" / "ecbplus-dev.jsonl"


def bcubed(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall, F1 over the items both maps cover."""
    items = [i for i in gold if i in pred]
    by_pred: dict[str, set[str]] = defaultdict(set)
    by_gold: dict[str, set[str]] = defaultdict(set)
    for i in items:
        by_pred[pred[i]].add(i)
        by_gold[gold[i]].add(i)
    p = r = 0.0
    for i in items:
        same_pred = by_pred[pred[i]]
        same_gold = by_gold[gold[i]]
        both = len(same_pred & same_gold)
        p += both / len(same_pred)
        r += both / len(same_gold)
    p, r = p / len(items), r / len(items)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def shuffled_store(recs: list[dict[str, Any]], seed: int, tmp: Path, res: Any) -> tuple[Any, Any]:
    """A store in `tmp` holding the ECB+ records ingested in the order of `seed`, without their topic and
    event fields (nothing can peek at them); and the ingest's report."""
    from newsloom.pipeline import ingest
    from newsloom.store import Store

    order = recs[:]
    random.Random(seed).shuffle(order)
    path = tmp / "shuffled.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for r in order:
            f.write(json.dumps({k: v for k, v in r.items() if k not in ("topic", "event")}) + "\n")
    store = Store(tmp / "ecb.db")
    return store, ingest(store, [str(path)], res=res)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seed", type=int, default=1, help="shuffle seed of the first run")
    ap.add_argument("--runs", type=int, default=1, help="runs with consecutive seeds (order sensitivity)")
    args = ap.parse_args()
    if not DATA.exists():
        print(f"skipped: {DATA} is absent")
        return 0
    from newsloom.annotate import load_resources

    res = load_resources()
    recs = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    gold = {str(r["id"]): str(r["event"]) for r in recs}
    scores = []
    for run in range(args.runs):
        seed = args.seed + run
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            store, report = shuffled_store(recs, seed, Path(tmp), res)
            dt = time.perf_counter() - t0
            pred = {
                r["external_id"]: r["event_id"] or f"none:{r['external_id']}"
                for r in store.query("SELECT external_id, event_id FROM articles")
            }
            n_events = len(set(pred.values()))
            n_stories = store.count("storylines")
            store.close()
        p, r, f = bcubed(pred, gold)
        scores.append(f)
        print(
            f"seed {seed}: {len(pred)}/{len(gold)} articles, {n_events} predicted events (gold {len(set(gold.values()))}), {n_stories} storylines, failed {len(report.failed)}, {dt:.0f} s"
        )
        print(f"  B-cubed P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    if len(scores) > 1:
        print(
            f"mean F1 over {len(scores)} orders: {sum(scores) / len(scores):.3f} (min {min(scores):.3f}, max {max(scores):.3f})"
        )
    print("baseline (TF-IDF + average link): F1 0.87; target 0.95")
    return 0


if __name__ == "__main__":
    sys.exit(main())
