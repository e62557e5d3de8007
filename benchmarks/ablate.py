"""Switch each clustering rule and number off in turn; B-cubed F1 mean +- sd over orders x folds, two domains.

    python benchmarks/ablate.py [--sets ecb,gva] [--orders 2] [--folds 5] [--only NAME,...] [--work DIR]

Each development corpus is ingested once per order (shuffled with seeds 1, 2, ...; ECB+ without its topic
and event fields, gva-dev without its event field), into DIR (reused when present: `--work` keeps the
stores between runs; delete them after a change to the annotation). Then, for each switch, the stores are
re-clustered from their stored annotations with that one setting changed (`newsloom recluster`), and
every article's event is scored against the gold by B-cubed F1 on each fold: ECB+ folds are topics
(topic number modulo K), gva-dev folds incidents (a hash of the incident id modulo K), so a fold's score
only counts the reports of its own topics or incidents.

Printed for each switch: mean F1 +- sd over orders x folds, the pooled F1 of each order with its B-cubed
precision and recall, and the paired difference from all rules on (mean +- sd of the per-fold
differences, and how many folds got better and worse). A rule whose removal
changes F1 by less than the sd of those differences has no evidence for it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any
from unittest import mock

from clustering import bcubed

from newsloom.clustering.pairmodel import FEATURES

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ROOT.parent / "shared" / "datasets"
SETS = {"ecb": DATASETS / "ecbplus-dev.jsonl", "gva": DATASETS / "gva-dev" / "articles.jsonl"}
STORYLINES: dict[str, float] = {}  # store -> B-cubed F1 of its storylines scored as events, last run
PRECISION_RECALL: dict[str, tuple[float, float]] = {}  # store -> pooled B-cubed precision, recall
LATE: dict[str, tuple[float, float, int]] = {}  # store -> follow-up reports kept (event, storyline, count)
LATE_DAYS = 7  # a report published more than this after its incident's first report is a follow-up
OFF = 9.0  # a probability threshold no link reaches, or a share no group reaches: the rule never fires


@contextmanager
def _settings(**values: Any) -> Iterator[None]:
    from newsloom.clustering import config

    with config.overridden(**values):
        yield


def _model(weights: dict[str, float] | None = None, threshold: float | None = None) -> Any:
    """The pair model with some weights or its threshold changed, while the context lasts."""
    from newsloom.clustering import pairmodel

    shipped = pairmodel.MODEL
    changed = pairmodel.PairModel(
        {**shipped.weights, **(weights or {})}, shipped.threshold if threshold is None else threshold, {}
    )
    return mock.patch.object(pairmodel, "MODEL", changed)


def _switched_off(name: str, stand_in: Any) -> Any:
    """A function of `clustering.online` replaced, while the context lasts."""
    from newsloom.clustering import online

    return mock.patch.object(online, name, stand_in)


# name -> what is switched off. Settings at OFF make a rule never fire; weights at 0 drop a feature.
SWITCHES: dict[str, Callable[[], Any]] = {
    "all rules": lambda: _settings(),
    "no date veto": lambda: _switched_off("dates_compatible", lambda a, b, veto_days: True),
    "no undated claims": lambda: _settings(refine_undated_link=OFF),
    "no refinement": lambda: _switched_off("refine", lambda db, batch: None),
    "follow-ups do not join": lambda: _settings(followups_join=False),
    "no bar for groups": lambda: _settings(group_extra=0.0),
    "no attaching small groups": lambda: _settings(attach_threshold=OFF),
    "join threshold 0.40": lambda: _model(threshold=0.40),
    "join threshold 0.50": lambda: _model(threshold=0.50),
    "refine threshold 0.50": lambda: _settings(refine_threshold=0.50),
    "refine threshold 0.60": lambda: _settings(refine_threshold=0.60),
    "no figure tolerance": lambda: _settings(figure_tolerance=0.0),
}
for _feature in FEATURES[2:]:  # all but the constant and the content cosine
    SWITCHES[f"weight {_feature} = 0"] = lambda f=_feature: _model(weights={f: 0.0})


def load(which: str) -> tuple[list[dict[str, Any]], Callable[[dict[str, Any], int], int]]:
    """The corpus's records and how a record's fold is found."""
    recs = [json.loads(x) for x in SETS[which].read_text(encoding="utf-8").splitlines() if x.strip()]
    if which == "ecb":
        return recs, lambda r, k: int(r["topic"]) % k
    return recs, lambda r, k: int(hashlib.sha1(str(r["event"]).encode()).hexdigest(), 16) % k


def build(which: str, recs: list[dict[str, Any]], seed: int, work: Path, res: Any) -> Path:
    """A store of the corpus ingested in the order of `seed` (reused when it exists)."""
    from newsloom.pipeline import ingest
    from newsloom.store import Store

    db = work / f"{which}-{seed}.db"
    if db.exists():
        return db
    order = recs[:]
    random.Random(seed).shuffle(order)
    src = work / f"{which}-{seed}.jsonl"
    with open(src, "w", encoding="utf-8") as f:
        for r in order:
            f.write(json.dumps({k: v for k, v in r.items() if k not in ("topic", "event")}) + "\n")
    tmp = db.with_suffix(".part")
    tmp.unlink(missing_ok=True)
    with Store(tmp) as store:
        ingest(store, [str(src)], res=res)
    tmp.rename(db)
    src.unlink()
    return db


def scores(
    db: Path, recs: list[dict[str, Any]], fold_of: Callable[..., int], k: int, res: Any
) -> list[float]:
    """B-cubed F1 of each fold once the store is re-clustered with the settings in force, then of all
    the reports pooled (the last item)."""
    from newsloom.pipeline import recluster
    from newsloom.store import Store

    with Store(db) as store:
        recluster(store)
        rows = store.query("SELECT external_id, event_id, storyline_id FROM articles")
    pred = {r["external_id"]: r["event_id"] or f"none:{r['external_id']}" for r in rows}
    story = {r["external_id"]: r["storyline_id"] or f"none:{r['external_id']}" for r in rows}
    STORYLINES[str(db)] = bcubed(story, {str(r["id"]): str(r["event"]) for r in recs})[2]
    LATE[str(db)] = late_reports(recs, pred, story)
    out = []
    for fold in range(k):
        gold = {str(r["id"]): str(r["event"]) for r in recs if fold_of(r, k) == fold}
        out.append(bcubed(pred, gold)[2])
    p, r, f = bcubed(pred, {str(r["id"]): str(r["event"]) for r in recs})
    PRECISION_RECALL[str(db)] = (p, r)
    out.append(f)
    return out


def late_reports(
    recs: list[dict[str, Any]], pred: dict[str, str], story: dict[str, str]
) -> tuple[float, float, int]:
    """Follow-up coverage as a reader sees it: of the reports published more than LATE_DAYS after the
    first report of their incident, the share that are in the event holding most of the incident's
    earlier reports, and the share in that event's storyline; and how many such reports there are."""
    from collections import Counter, defaultdict

    by_event: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in recs:
        if r.get("published"):
            by_event[str(r["event"])].append(r)
    in_event = in_story = n = 0
    for rs in by_event.values():
        first = min(date.fromisoformat(r["published"]) for r in rs)
        early = [str(r["id"]) for r in rs if (date.fromisoformat(r["published"]) - first).days <= LATE_DAYS]
        late = [str(r["id"]) for r in rs if (date.fromisoformat(r["published"]) - first).days > LATE_DAYS]
        if not late:
            continue
        main = Counter(pred[i] for i in early).most_common(1)[0][0]
        main_story = Counter(story[i] for i in early if pred[i] == main).most_common(1)[0][0]
        n += len(late)
        in_event += sum(pred[i] == main for i in late)
        in_story += sum(story[i] == main_story for i in late)
    return (in_event / n if n else 0.0, in_story / n if n else 0.0, n)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", default="ecb,gva")
    ap.add_argument("--orders", type=int, default=2)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--only", default="", help="comma-separated switch names (default: all)")
    ap.add_argument("--work", default="", help="folder for the stores, kept between runs")
    ap.add_argument("--json", default="", help="write the per-fold scores here")
    ap.add_argument("--model", default="", help="a pair model file to use instead of the shipped one")
    ap.add_argument(
        "--with",
        dest="overrides",
        default="",
        help="settings for every switch, as name=value,... ('join' is the pair model's threshold)",
    )
    args = ap.parse_args()
    sets = [s for s in args.sets.split(",") if s]
    missing = [str(SETS[s]) for s in sets if not SETS[s].exists()]
    if missing:
        print(f"skipped: {', '.join(missing)} absent")
        return 0
    from newsloom.annotate import load_resources

    res = load_resources()
    if args.model:
        from newsloom.clustering import pairmodel

        pairmodel.MODEL = pairmodel.PairModel.load(args.model)
    if args.overrides:
        from newsloom.clustering import config, pairmodel

        values = dict(kv.split("=", 1) for kv in args.overrides.split(","))
        join = values.pop("join", None)
        if join is not None:
            pairmodel.MODEL = pairmodel.PairModel(pairmodel.MODEL.weights, float(join), {})
        config.SETTINGS.update({k: json.loads(v) for k, v in values.items()})
    work = Path(args.work or "/tmp/newsloom-ablate")
    work.mkdir(parents=True, exist_ok=True)
    names = [n for n in args.only.split(",") if n] or list(SWITCHES)
    if "all rules" not in names:
        names.insert(0, "all rules")
    unknown = [n for n in names if n not in SWITCHES]
    if unknown:
        ap.error(f"unknown switches: {unknown}; known: {list(SWITCHES)}")
    table: dict[str, dict[str, list[float]]] = {}
    for which in sets:
        recs, fold_of = load(which)
        dbs = [build(which, recs, seed, work, res) for seed in range(1, args.orders + 1)]
        for name in names:
            t0 = time.perf_counter()
            with SWITCHES[name]():
                runs = [scores(db, recs, fold_of, args.folds, res) for db in dbs]
            per = [s for run in runs for s in run[:-1]]
            pooled = [run[-1] for run in runs]
            table.setdefault(name, {})[which] = per
            table[name][which + " pooled"] = pooled
            base = table["all rules"][which]
            diffs = [a - b for a, b in zip(per, base, strict=True)]
            line = (
                f"{which}  {name:<34} F1 {statistics.mean(per):.3f} +- {statistics.stdev(per):.3f}"
                f"  pooled {' '.join(f'{p:.3f}' for p in pooled)}"
                f" (P/R {' '.join(f'{PRECISION_RECALL[str(db)][0]:.3f}/{PRECISION_RECALL[str(db)][1]:.3f}' for db in dbs)})"
                f"  storylines as events {' '.join(f'{STORYLINES[str(db)]:.3f}' for db in dbs)}"
                f"  follow-ups in event/storyline "
                + " ".join(f"{LATE[str(db)][0]:.2f}/{LATE[str(db)][1]:.2f}" for db in dbs)
                + f" of {LATE[str(dbs[0])][2]}"
            )
            if name != "all rules":
                line += (
                    f"  diff {statistics.mean(diffs):+.4f} +- {statistics.stdev(diffs):.4f}"
                    f"  better {sum(d > 1e-9 for d in diffs)} worse {sum(d < -1e-9 for d in diffs)}"
                )
            print(line + f"  ({time.perf_counter() - t0:.0f} s)", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(table, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
