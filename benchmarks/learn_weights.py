"""Learn the same-event weights (newsloom.samevent.WEIGHTS) from ECB+ article pairs.

    python benchmarks/learn_weights.py [--db STORE]

Builds (or reuses, with --db) a store of ../shared/datasets/ecbplus-dev.jsonl, takes every pair of
articles of one topic (the hard cases: same kind of event, same or different real event) and a sample
of pairs across topics, computes `samevent.pair_features` for each, and fits an L2-regularised logistic
regression. Reports pairwise accuracy and F1 under 5-fold cross-validation by topic (a fold never sees
the topics it is scored on), then prints the weights fitted on all pairs, to paste into samevent.py.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "datasets" / "ecbplus-dev.jsonl"


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1.0, iters: int = 3000, lr: float = 0.5) -> np.ndarray:
    """Logistic regression by gradient descent (no bias penalty), balanced class weights."""
    w = np.zeros(x.shape[1])
    pos = y.mean()
    sw = np.where(y == 1, 0.5 / pos, 0.5 / (1 - pos))
    for _ in range(iters):
        p = 1 / (1 + np.exp(-np.clip(x @ w, -50, 50)))
        grad = x.T @ ((p - y) * sw) / len(y)
        reg = l2 * w / len(y)
        reg[0] = 0
        w -= lr * (grad + reg)
    return w


def load_features(store: Any) -> tuple[dict[str, Any], dict[str, float]]:
    """The stored same-event features of a store's articles (by external id) and the idf that the
    clustering uses with them."""
    from newsloom.clustering import pairmodel as samevent

    feats = {
        r[0]: samevent.ArticleFeatures.from_json(r[1])
        for r in store.query(
            "SELECT a.external_id, f.features FROM article_features f JOIN articles a ON a.id = f.article_id"
        )
    }
    n = int(store.query("SELECT value FROM meta WHERE key = 'df_articles'")[0][0])
    idf = {t: math.log((n + 1) / (df + 0.5)) for t, df in store.query("SELECT term, df FROM term_df")}
    for f in feats.values():  # as the clustering does: a term no article has counted is rare
        for t in (*f.terms, *f.names):
            idf.setdefault(t, math.log(n + 1))
    return feats, idf


def topic_pairs(
    feats: dict[str, Any], idf: dict[str, float], topic: dict[str, int], gold: dict[str, str], cross: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features, labels (same event or not) and 5-fold topic folds of every pair of articles of one topic
    (the hard cases) and of `cross` sampled pairs across topics."""
    from newsloom.clustering import pairmodel as samevent

    ids = sorted(feats)
    by_topic: dict[int, list[str]] = defaultdict(list)
    for i in ids:
        by_topic[topic[i]].append(i)
    pairs = [(a, b) for ks in by_topic.values() for i, a in enumerate(ks) for b in ks[i + 1 :]]
    rng = random.Random(0)
    while cross > 0:
        a, b = rng.sample(ids, 2)
        if topic[a] != topic[b]:
            pairs.append((a, b))
        cross -= 1
    x = np.array([samevent.pair_features(feats[a], feats[b], idf) for a, b in pairs])
    y = np.array([1.0 if gold[a] == gold[b] else 0.0 for a, b in pairs])
    fold = np.array([topic[a] % 5 for a, _ in pairs])
    return x, y, fold


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db", help="an existing store of ECB+ (else one is built)")
    ap.add_argument("--cross", type=int, default=20000, help="cross-topic pairs to sample")
    args = ap.parse_args()
    if not DATA.exists():
        print(f"skipped: {DATA} is absent")
        return 0
    from newsloom.annotate import load_resources
    from newsloom.clustering import pairmodel as samevent
    from newsloom.pipeline import ingest
    from newsloom.store import Store

    recs = [json.loads(x) for x in DATA.read_text(encoding="utf-8").splitlines() if x.strip()]
    gold = {str(r["id"]): str(r["event"]) for r in recs}
    topic = {str(r["id"]): int(r["topic"]) for r in recs}
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(args.db) if args.db else Path(tmp) / "ecb.db"
        store = Store(db_path)
        if not args.db:
            with open(Path(tmp) / "in.jsonl", "w", encoding="utf-8") as f:
                for r in recs:
                    f.write(json.dumps({k: v for k, v in r.items() if k not in ("topic", "event")}) + "\n")
            ingest(store, [str(Path(tmp) / "in.jsonl")], res=load_resources())
        feats, idf = load_features(store)
        store.close()
    x, y, fold = topic_pairs(feats, idf, topic, gold, args.cross)
    print(f"{len(y)} pairs, {int(y.sum())} same-event")
    accs, f1s = [], []
    for k in range(5):
        tr, te = fold != k, fold == k
        w = fit(x[tr], y[tr])
        p = (1 / (1 + np.exp(-(x[te] @ w)))) > 0.5
        tp = float((p & (y[te] == 1)).sum())
        prec = tp / max(p.sum(), 1)
        rec = tp / max((y[te] == 1).sum(), 1)
        accs.append(float((p == (y[te] == 1)).mean()))
        f1s.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    print(f"5-fold by topic: pair accuracy {np.mean(accs):.3f}, same-event pair F1 {np.mean(f1s):.3f}")
    w = fit(x, y)
    print("WEIGHTS = {")
    for name, v in zip(samevent.FEATURES, w, strict=True):
        print(f'    "{name}": {v:.2f},')
    print("}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
