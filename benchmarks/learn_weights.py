"""Learn the same-event pair model (src/newsloom/data/pair_model.json) on both development corpora.

    python benchmarks/learn_weights.py [--sets ecb,gva] [--work DIR] [--write] [--to FILE]

Needs scikit-learn (`pip install -e '.[eval]'`). The corpora are ingested as benchmarks/ablate.py ingests
them (order 1, stores kept in --work) and re-clustered, so the stored features are this code's. Pairs:
every pair of reports of one event, every pair of reports of one ECB+ topic (the hard cases: same kind
of event, same or another happening), each report with the CLOSEST reports of other events (by content:
what the clustering could confuse), and SAMPLE random pairs of each corpus. An L2-regularised logistic
regression is fitted on them; pair accuracy and F1 are cross-validated with GroupKFold (groups: ECB+
topics, gva-dev incidents in ten buckets), so a fold is never scored on the topics or incidents it was
fitted on. The threshold is the probability that gives the best pair F1 on the held-out folds' pairs.

--write replaces the pair model with the fit on all pairs, that threshold, and the provenance (the data's
hashes, the commit, the cross-validated scores). benchmarks/heldout.py re-clusters each fold with a fit
that never saw it.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import random
import statistics
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
from ablate import SETS, build, load

ROOT = Path(__file__).resolve().parent.parent
MODEL_FILE = ROOT / "src" / "newsloom" / "data" / "pair_model.json"
CLOSEST = 30  # other-event neighbours of each report
SAMPLE = 3000  # random pairs of each corpus
FOLDS = 5
C = 1.0  # inverse L2 strength of the logistic regression
CLASS_WEIGHT: str | None = None  # "balanced": both classes weigh the same (see --balanced)


def load_features(store: Any) -> tuple[dict[str, Any], dict[str, float]]:
    """The stored same-event features of a store's articles (by external id) and the idf that the
    clustering uses with them."""
    from newsloom.clustering import pairmodel

    feats = {
        r[0]: pairmodel.ArticleFeatures.from_json(r[1])
        for r in store.query(
            "SELECT a.external_id, f.features FROM article_features f JOIN articles a ON a.id = f.article_id"
        )
    }
    n = int(store.query("SELECT value FROM meta WHERE key = 'df_articles'")[0][0])
    idf = {t: math.log((n + 1) / (df + 0.5)) for t, df in store.query("SELECT term, df FROM term_df")}
    for f in feats.values():  # as the clustering does: a term no article has counted is rare
        for t in pairmodel.vocabulary(f):
            idf.setdefault(t, math.log(n + 1))
    return feats, idf


def candidate_pairs(
    which: str, feats: dict[str, Any], idf: dict[str, float], recs: list[dict[str, Any]]
) -> tuple[list[tuple[str, str]], dict[str, int]]:
    """The pairs to learn from, and each report's group (an ECB+ topic; a bucket of gva-dev incidents)."""
    from newsloom.clustering import pairmodel

    ids = sorted(k for k in feats if k in {str(r["id"]) for r in recs})
    rec = {str(r["id"]): r for r in recs}
    if which == "ecb":
        group = {i: int(rec[i]["topic"]) for i in ids}
    else:
        group = {i: int(hashlib.sha1(str(rec[i]["event"]).encode()).hexdigest(), 16) % 10 for i in ids}
    unit_of = "topic" if which == "ecb" else "event"
    by_unit: dict[str, list[str]] = defaultdict(list)
    for i in ids:
        by_unit[str(rec[i][unit_of])].append(i)
    pairs = {(a, b) for ks in by_unit.values() for n, a in enumerate(ks) for b in ks[n + 1 :]}
    from sklearn.feature_extraction import DictVectorizer

    units = DictVectorizer().fit_transform([pairmodel.unit(feats[i].terms, idf) for i in ids])
    sims = (units @ units.T).toarray()
    event = np.array([str(rec[i]["event"]) for i in ids])
    sims[event[:, None] == event[None, :]] = -1.0  # other events only
    for n, a in enumerate(ids):
        for m in np.argsort(-sims[n], kind="stable")[:CLOSEST]:
            b = ids[int(m)]
            pairs.add((min(a, b), max(a, b)))
    rng = random.Random(0)
    for _ in range(SAMPLE):
        a, b = rng.sample(ids, 2)
        pairs.add((min(a, b), max(a, b)))
    return sorted(pairs), group


def matrix(
    pairs: list[tuple[str, str]], feats: dict[str, Any], idf: dict[str, float], gold: dict[str, str]
) -> tuple[np.ndarray, np.ndarray]:
    from newsloom.clustering import pairmodel

    x = np.array([pairmodel.pair_features(feats[a], feats[b], idf) for a, b in pairs])
    y = np.array([1 if gold[a] == gold[b] else 0 for a, b in pairs])
    return x, y


def fit(x: np.ndarray, y: np.ndarray, weight: np.ndarray | None = None) -> dict[str, float]:
    """Weights by feature name (the first column, the constant, is the intercept)."""
    from sklearn.linear_model import LogisticRegression

    from newsloom.clustering import pairmodel

    lr = LogisticRegression(C=C, class_weight=CLASS_WEIGHT, max_iter=5000)
    lr.fit(x[:, 1:], y, sample_weight=weight)
    w = [float(lr.intercept_[0]), *map(float, lr.coef_[0])]
    return dict(zip(pairmodel.FEATURES, w, strict=True))


def predict(w: dict[str, float], x: np.ndarray) -> np.ndarray:
    from newsloom.clustering import pairmodel

    z = x @ np.array([w[f] for f in pairmodel.FEATURES])
    return 1 / (1 + np.exp(-np.clip(z, -50, 50)))


def cross_validated(
    x: np.ndarray, y: np.ndarray, groups: np.ndarray, weight: np.ndarray | None = None
) -> dict[str, float]:
    """Pair accuracy and F1 of fits scored on the groups they did not see, at the threshold that gives the
    best F1 on all those held-out pairs together (a probability in steps of 0.05)."""
    from sklearn.model_selection import GroupKFold

    held = np.zeros(len(y))
    folds = list(GroupKFold(n_splits=FOLDS).split(x, y, groups))
    for tr, te in folds:
        held[te] = predict(fit(x[tr], y[tr], None if weight is None else weight[tr]), x[te])
    t = y == 1

    def f1(p: np.ndarray, t: np.ndarray) -> float:
        tp = float((p & t).sum())
        prec, rec = tp / max(p.sum(), 1), tp / max(t.sum(), 1)
        return 2 * prec * rec / (prec + rec) if prec + rec else 0.0

    threshold = max(np.arange(0.2, 0.81, 0.05), key=lambda c: (f1(held > c, t), -abs(c - 0.5)))
    accs = [float(((held[te] > threshold) == t[te]).mean()) for _, te in folds]
    f1s = [f1(held[te] > threshold, t[te]) for _, te in folds]
    return {
        "threshold": round(float(threshold), 2),
        "pair_accuracy": round(float(statistics.mean(accs)), 4),
        "pair_f1": round(float(statistics.mean(f1s)), 4),
    }


def _commit() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True
        ).stdout
        return head.stdout.strip() + ("+changes" if dirty.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", default="ecb,gva")
    ap.add_argument("--work", default="/tmp/newsloom-ablate", help="folder of the stores (see ablate.py)")
    ap.add_argument("--write", action="store_true", help="write the fit to the pair model file")
    ap.add_argument("--balanced", action="store_true", help="weigh both classes the same")
    ap.add_argument("--balance-corpora", action="store_true", help="each corpus weighs the same")
    ap.add_argument("--closest", type=int, default=0, help="other-event neighbours of each report (30)")
    ap.add_argument("--to", default=str(MODEL_FILE), help="where --write writes (default: the shipped file)")
    args = ap.parse_args()
    sets = [s for s in args.sets.split(",") if s]
    if any(not SETS[s].exists() for s in sets):
        print("skipped: a development corpus is absent")
        return 0
    global CLASS_WEIGHT, CLOSEST
    CLASS_WEIGHT = "balanced" if args.balanced else None
    CLOSEST = args.closest or CLOSEST
    import json

    from newsloom.annotate import load_resources
    from newsloom.clustering import pairmodel
    from newsloom.pipeline import recluster
    from newsloom.store import Store

    res = load_resources()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    xs, ys, gs, data = [], [], [], {}
    parts: dict[str, Any] = {}
    for which in sets:
        recs, fold_of = load(which)
        db = build(which, recs, 1, work, res)
        with Store(db) as store:
            recluster(store)  # the features of this code
            feats, idf = load_features(store)
        gold = {str(r["id"]): str(r["event"]) for r in recs}
        pairs, group = candidate_pairs(which, feats, idf, recs)
        x, y = matrix(pairs, feats, idf, gold)
        g = np.array([f"{which}:{group[a]}" for a, _ in pairs])
        print(
            f"{which}: {len(y)} pairs, {int(y.sum())} of one event; cross-validated {cross_validated(x, y, g)}"
        )
        xs.append(x), ys.append(y), gs.append(g)
        data[which] = hashlib.sha256(SETS[which].read_bytes()).hexdigest()
        parts[which] = (recs, fold_of, db, x, y, g, pairs)
    x, y, g = np.vstack(xs), np.concatenate(ys), np.concatenate(gs)
    weight = None
    if args.balance_corpora:  # each corpus weighs the same in the fit, whatever its number of pairs
        corpus = np.array([str(v).split(":")[0] for v in g])
        weight = np.array([len(y) / (len(sets) * float((corpus == c).sum())) for c in corpus])
    cv = cross_validated(x, y, g, weight)
    print(f"all: {len(y)} pairs; cross-validated by group: {cv}")
    w = fit(x, y, weight)
    for name in pairmodel.FEATURES:
        print(f"  {name:<24} {w[name]:+.2f}  (shipped {pairmodel.MODEL.weights[name]:+.2f})")
    if args.write:
        model = {
            "features": list(pairmodel.FEATURES),
            "weights": [round(w[f], 4) for f in pairmodel.FEATURES],
            "threshold": cv["threshold"],
            "provenance": {
                "written_by": "benchmarks/learn_weights.py --write",
                "data_sha256": data,
                "commit": _commit(),
                "pairs": int(len(y)),
                "same_event_pairs": int(y.sum()),
                "cross_validated": {"groups": "ECB+ topics, gva-dev incident buckets", "folds": FOLDS, **cv},
                "regularisation_C": C,
                "class_weight": CLASS_WEIGHT,
                "closest": CLOSEST,
                "corpora_balanced": bool(args.balance_corpora),
            },
        }
        Path(args.to).write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
        print(f"written: {args.to}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
