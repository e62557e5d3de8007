"""Event clustering on the development corpora: B-cubed of each article's event against the gold.

    python benchmarks/clustering.py [--set ecb|gva|all] [--seed 1] [--runs 1]

ecb: ../shared/datasets/ecbplus-dev.jsonl, 772 articles of 66 events (two of one kind per topic); gva:
../shared/datasets/gva-dev/articles.jsonl, 1,500 local news reports of 905 shootings. All articles of a
set are pooled in one fresh store, ingested in a shuffled order, without their topic and event fields
(nothing can peek at them). Each article's predicted event is its `event_id`. Prints B-cubed precision,
recall and F1, the number of predicted events and storylines, the F1 of the storylines scored as events,
and with several runs the mean +- sd over orders; then a plain baseline on the same texts: TF-IDF cosine
and average link at the threshold of ../shared/datasets/README.md (0.82 cosine distance).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from results_record import record

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ROOT.parent / "shared" / "datasets"
DATA = DATASETS / "ecbplus-dev.jsonl"
SETS = {"ecb": DATA, "gva": DATASETS / "gva-dev" / "articles.jsonl"}
BASELINE_DISTANCE = 0.82


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
    """A store in `tmp` holding the records ingested in the order of `seed`, without their topic and
    event fields (nothing can peek at them); and the ingest's report."""
    from newsloom.pipeline import ingest
    from newsloom.store import Store

    order = recs[:]
    random.Random(seed).shuffle(order)
    path = tmp / "shuffled.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for r in order:
            f.write(json.dumps({k: v for k, v in r.items() if k not in ("topic", "event")}) + "\n")
    store = Store(tmp / "store.db")
    return store, ingest(store, [str(path)], res=res)


def baseline(recs: list[dict[str, Any]]) -> float:
    """B-cubed F1 of TF-IDF (title and text) + average link cut at BASELINE_DISTANCE."""
    import numpy as np
    from scipy.cluster.hierarchy import fcluster, linkage
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_distances

    texts = [(r.get("title") or "") + "\n" + r["text"] for r in recs]
    x = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    d = cosine_distances(x)
    labels = fcluster(linkage(d[np.triu_indices(len(recs), 1)], "average"), BASELINE_DISTANCE, "distance")
    pred = {str(r["id"]): str(lab) for r, lab in zip(recs, labels, strict=True)}
    return bcubed(pred, {str(r["id"]): str(r["event"]) for r in recs})[2]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", default="ecb", choices=("ecb", "gva", "all"))
    ap.add_argument("--seed", type=int, default=1, help="shuffle seed of the first run")
    ap.add_argument("--runs", type=int, default=1, help="runs with consecutive seeds (order sensitivity)")
    ap.add_argument("--no-baseline", action="store_true", help="skip the baseline (needs scikit-learn)")
    args = ap.parse_args()
    sets = ("ecb", "gva") if args.set == "all" else (args.set,)
    if any(not SETS[s].exists() for s in sets):
        print("skipped: a development corpus is absent")
        return 0
    from newsloom.annotate import load_resources

    res = load_resources()
    results: dict[str, dict[str, Any]] = {}
    for which in sets:
        recs = [json.loads(x) for x in SETS[which].read_text(encoding="utf-8").splitlines() if x.strip()]
        gold = {str(r["id"]): str(r["event"]) for r in recs}
        scores = []
        for run in range(args.runs):
            seed = args.seed + run
            with tempfile.TemporaryDirectory() as tmp:
                t0 = time.perf_counter()
                store, report = shuffled_store(recs, seed, Path(tmp), res)
                dt = time.perf_counter() - t0
                rows = store.query("SELECT external_id, event_id, storyline_id FROM articles")
                n_stories = store.count("storylines")
                store.close()
            pred = {r["external_id"]: r["event_id"] or f"none:{r['external_id']}" for r in rows}
            story = {r["external_id"]: r["storyline_id"] or f"none:{r['external_id']}" for r in rows}
            p, r, f = bcubed(pred, gold)
            scores.append(f)
            print(
                f"{which} seed {seed}: {len(pred)}/{len(gold)} articles, {len(set(pred.values()))} predicted events "
                f"(gold {len(set(gold.values()))}), {n_stories} storylines, failed {len(report.failed)}, {dt:.0f} s"
            )
            print(
                f"  B-cubed P {p:.3f}  R {r:.3f}  F1 {f:.3f}; storylines as events F1 {bcubed(story, gold)[2]:.3f}"
            )
        results[which] = {"f1": [round(x, 4) for x in scores]}
        if len(scores) > 1:
            print(
                f"{which}: mean F1 over {len(scores)} orders {statistics.mean(scores):.3f} "
                f"+- {statistics.stdev(scores):.3f} (min {min(scores):.3f}, max {max(scores):.3f})"
            )
        if not args.no_baseline:
            base = baseline(recs)
            results[which]["baseline_f1"] = round(base, 4)
            print(f"{which}: baseline (TF-IDF + average link at distance {BASELINE_DISTANCE}): F1 {base:.3f}")
    record(
        "clustering",
        "; ".join(
            f"{w}: B-cubed F1 {', '.join(f'{x:.3f}' for x in r['f1'])}"
            + (f" (baseline {r['baseline_f1']:.3f})" if "baseline_f1" in r else "")
            for w, r in results.items()
        ),
        results,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
