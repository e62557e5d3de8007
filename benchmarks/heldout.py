"""Does the pair model generalise to topics and incidents it never saw? Scored on held-out folds.

    python benchmarks/heldout.py [--sets ecb,gva] [--orders 2] [--work DIR]

Needs scikit-learn. Each development corpus is ingested in each order as benchmarks/ablate.py ingests it
(stores kept in --work). For each fold (ECB+: topics, topic number modulo 5; gva-dev: incidents, a hash of
the incident id modulo 5) the pair model is fitted as benchmarks/learn_weights.py fits it, on the pairs of
both corpora that hold no report of that fold, the store is re-clustered with it, and B-cubed F1 is scored
on the fold's reports. Printed: mean +- sd over orders x folds of the held-out fits, beside the shipped
model's on the same folds (which saw every fold when it was fitted), and the pooled F1 of the whole store.

The clustering settings are not held out: they were chosen on these corpora (benchmarks/ablate.py).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

import numpy as np
from ablate import SETS, build, load, scores
from learn_weights import FOLDS, candidate_pairs, fit, load_features, matrix


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", default="ecb,gva")
    ap.add_argument("--orders", type=int, default=2)
    ap.add_argument("--work", default="/tmp/newsloom-ablate", help="folder of the stores (see ablate.py)")
    args = ap.parse_args()
    sets = [s for s in args.sets.split(",") if s]
    if any(not SETS[s].exists() for s in sets):
        print("skipped: a development corpus is absent")
        return 0
    from newsloom.annotate import load_resources
    from newsloom.clustering import pairmodel
    from newsloom.pipeline import recluster
    from newsloom.store import Store

    res = load_resources()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    shipped = pairmodel.MODEL
    corpora = {s: load(s) for s in sets}
    held: dict[str, list[float]] = {s: [] for s in sets}
    base: dict[str, list[float]] = {s: [] for s in sets}
    for seed in range(1, args.orders + 1):
        dbs = {s: build(s, corpora[s][0], seed, work, res) for s in sets}
        xs, ys, pairs_of = [], [], {}
        for s in sets:
            recs = corpora[s][0]
            with Store(dbs[s]) as store:
                recluster(store)
                feats, idf = load_features(store)
            pairs, _ = candidate_pairs(s, feats, idf, recs)
            x, y = matrix(pairs, feats, idf, {str(r["id"]): str(r["event"]) for r in recs})
            xs.append(x), ys.append(y)
            pairs_of[s] = pairs
        x, y = np.vstack(xs), np.concatenate(ys)
        everything = [p for s in sets for p in pairs_of[s]]
        for s in sets:
            recs, fold_of = corpora[s]
            shipped_scores = scores(dbs[s], recs, fold_of, FOLDS, res)
            base[s].extend(shipped_scores[:FOLDS])
            for k in range(FOLDS):
                test = {str(r["id"]) for r in recs if fold_of(r, FOLDS) == k}
                keep = np.array([a not in test and b not in test for a, b in everything])
                pairmodel.MODEL = pairmodel.PairModel(fit(x[keep], y[keep]), shipped.threshold, {})
                try:
                    held[s].append(scores(dbs[s], recs, fold_of, FOLDS, res)[k])
                finally:
                    pairmodel.MODEL = shipped
            print(
                f"{s} order {seed}: held out {' '.join(f'{v:.3f}' for v in held[s][-FOLDS:])}; "
                f"shipped {' '.join(f'{v:.3f}' for v in shipped_scores[:FOLDS])} (pooled {shipped_scores[-1]:.3f})",
                flush=True,
            )
    for s in sets:
        print(
            f"{s}: B-cubed F1 on held-out folds {statistics.mean(held[s]):.3f} +- {statistics.stdev(held[s]):.3f}; "
            f"shipped model {statistics.mean(base[s]):.3f} +- {statistics.stdev(base[s]):.3f} "
            f"({args.orders} orders x {FOLDS} folds)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
