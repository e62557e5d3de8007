"""Do the same-event weights generalise to topics they never saw? ECB+ scored on held-out topics.

    python benchmarks/heldout.py [--seed 1] [--runs 1] [--folds K]

One store of ../shared/datasets/ecbplus-dev.jsonl is built as benchmarks/clustering.py builds it (all
772 articles, shuffled, the topic removed before ingest). The weights of the pair model (newsloom.clustering.pairmodel) are then fitted
as benchmarks/learn_weights.py --cross 3000 fits them, but on half of the topics only, and the store is
re-clustered with them; B-cubed F1 is scored on the other half, whose articles the fit never saw. Two
splits of the 35 topics (odd and even numbers; 1-17 and 18-35), each half held out in turn. The same
halves are also scored with weights fitted on all topics (seen) and with the shipped weights. With
--folds K the topics are split into K folds instead (topic number modulo K), each held out in turn: the
fit then sees (K-1)/K of the topics, nearer to the shipped fit, which saw them all.

What it measures: how much of the learned part is learned about events rather than about ECB+'s topics.
It does not hold out the thresholds of the clustering settings, which were chosen on all of ECB+. dates_conflict
is not learned (ECB+ has almost no dated pairs): every fit keeps the shipped value.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from clustering import DATA, bcubed, shuffled_store
from learn_weights import fit, load_features, topic_pairs

CROSS = 3000  # cross-topic pairs for a fit on all topics; a half gets its share
SPLITS = {"odd/even topics": lambda t: t % 2, "topics 1-17/18-35": lambda t: int(t > 17)}


def weights_from(
    feats: dict[str, Any], idf: dict[str, float], topic: dict[str, int], gold: dict[str, str], ids: set[str]
) -> dict[str, float]:
    """Same-event weights fitted on the articles `ids` (dates_conflict as shipped)."""
    from newsloom.clustering import pairmodel as samevent

    sub = {k: v for k, v in feats.items() if k in ids}
    x, y, _ = topic_pairs(sub, idf, topic, gold, round(CROSS * len(sub) / len(feats)))
    w = dict(zip(samevent.FEATURES, (float(v) for v in fit(x, y)), strict=True))
    w["dates_conflict"] = samevent.MODEL.weights["dates_conflict"]
    return w


def predicted(store: Any, res: Any, weights: dict[str, float]) -> dict[str, str]:
    """Each article's event (by external id) once the store is re-clustered with `weights`."""
    from newsloom.clustering import pairmodel as samevent
    from newsloom.pipeline import recluster

    shipped = samevent.MODEL
    samevent.MODEL = samevent.PairModel(weights, shipped.threshold, {"written_by": "heldout.py"})
    try:
        recluster(store, res)
    finally:
        samevent.MODEL = shipped
    return {
        r["external_id"]: r["event_id"] or f"none:{r['external_id']}"
        for r in store.query("SELECT external_id, event_id FROM articles")
    }


def score(pred: dict[str, str], gold: dict[str, str], ids: set[str]) -> float:
    """B-cubed F1 over the articles `ids`."""
    return bcubed({k: pred[k] for k in ids if k in pred}, {k: gold[k] for k in ids})[2]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seed", type=int, default=1, help="shuffle seed of the first run")
    ap.add_argument("--runs", type=int, default=1, help="runs with consecutive seeds (ingest orders)")
    ap.add_argument(
        "--folds", type=int, default=0, help="K folds of topics instead of the two splits in halves"
    )
    args = ap.parse_args()
    if args.folds == 1 or args.folds < 0:
        ap.error("--folds must be 2 or more")
    splits = {f"{args.folds} folds": lambda t: t % args.folds} if args.folds else SPLITS
    if not DATA.exists():
        print(f"skipped: {DATA} is absent")
        return 0
    from newsloom.annotate import load_resources
    from newsloom.clustering import pairmodel as samevent

    res = load_resources()
    recs = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    gold = {str(r["id"]): str(r["event"]) for r in recs}
    topic = {str(r["id"]): int(r["topic"]) for r in recs}
    shipped = samevent.MODEL.weights
    means: dict[str, list[float]] = {"held out": [], "seen": [], "shipped": []}
    for seed in range(args.seed, args.seed + args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            store, _ = shuffled_store(recs, seed, Path(tmp), res)
            feats, idf = load_features(store)

            seen = predicted(store, res, weights_from(feats, idf, topic, gold, set(feats)))
            as_shipped = predicted(store, res, shipped)
            print(f"seed {seed}:")
            for split, half_of in splits.items():
                for half in sorted({half_of(t) for t in topic.values()}):
                    test = {k for k in gold if half_of(topic[k]) == half}
                    held = predicted(store, res, weights_from(feats, idf, topic, gold, set(feats) - test))
                    row = {
                        "held out": score(held, gold, test),
                        "seen": score(seen, gold, test),
                        "shipped": score(as_shipped, gold, test),
                    }
                    for k, v in row.items():
                        means[k].append(v)
                    print(
                        f"  {split}, part {half + 1} ({len(test)} articles): B-cubed F1 held out {row['held out']:.3f}"
                        f", seen {row['seen']:.3f}, shipped weights {row['shipped']:.3f}"
                    )
            store.close()
    print("mean over parts and orders: " + ", ".join(f"{k} {sum(v) / len(v):.3f}" for k, v in means.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
