"""Timeline summarisation on Timeline17 (../shared/datasets/t17-dev), protocol of Gholipour Ghalandari & Ifrim (2020).

    python benchmarks/tls.py [--stores DIR] [--topics H1N1,haiti,bpoil] [--dump FILE]

Each topic's articles are ingested once into `DIR/<topic>.db` (kept between runs; delete to rebuild).
One task per gold timeline: articles restricted to the timeline's first..last date, as many dates as
the gold timeline has and its average number of sentences per date (rounded), sentences only where they
contain one of the topic's query words (QUERY_WORDS, from the dataset's README; else `keywords.json`).
Beside the system, the publication-volume baseline: the days with most articles published, summarised
by the same sentence selection. The system is `newsloom.datewise.summarise`. Scores
(`benchmarks/tlseval.py`): alignment-based ROUGE-1 and ROUGE-2 F1 ("align+ m:1") and Date F1, averaged over
tasks. Published on all of T17: DATEWISE 0.120 / 0.035 / 0.544.

`--dump FILE` writes every task's system and gold timelines as JSON, for cross-checking the metric with
tilse.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from results_record import record
from tlseval import align_m1, date_f1

from newsloom.datewise import busiest_days, summarise
from newsloom.store import Store

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "datasets" / "t17-dev"
# the topics' query words, as ../shared/datasets/README.md gives them
QUERY_WORDS = {
    "bpoil": ["bp", "oil", "spill"],
    "H1N1": ["h1n1", "swine", "flu"],
    "haiti": ["haiti", "quake", "earthquake"],
}


def ensure_store(topic: str, stores: Path) -> Path:
    """The topic's store, ingested once. The dataset gives each article's outlet as the folder it was
    crawled into ("bpoil_reuters"); the outlet ("reuters") is passed in the JSON Lines field newsloom reads."""
    db = stores / f"{topic}.db"
    if not db.exists():
        stores.mkdir(parents=True, exist_ok=True)
        t0 = time.time()
        src = stores / f"{topic}.input.jsonl"
        with (
            open(DATA / topic / "articles.jsonl", encoding="utf-8") as fin,
            open(src, "w", encoding="utf-8") as fout,
        ):
            for line in fin:
                if line.strip():
                    rec = json.loads(line)
                    folder = str(rec.pop("outlet_folder", "") or "")
                    rec["outlet"] = folder.split("_", 1)[1] if "_" in folder else folder or None
                    fout.write(json.dumps(rec) + "\n")
        subprocess.run(
            [sys.executable, "-m", "newsloom", "--db", str(db), "ingest", "--quiet", str(src)],
            check=True,
        )
        src.unlink()
        print(f"{topic}: ingested in {time.time() - t0:.0f} s", file=sys.stderr)
    return db


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--stores", type=Path, default=Path("/tmp/newsloom-t17"))
    ap.add_argument("--topics", default=",".join(sorted(p.name for p in DATA.iterdir() if p.is_dir())))
    ap.add_argument("--dump", type=Path)
    args = ap.parse_args()
    rows = []
    dump = []
    for topic in args.topics.split(","):
        keywords = QUERY_WORDS.get(topic) or json.loads((DATA / topic / "keywords.json").read_text())
        db = ensure_store(topic, args.stores)
        with Store(db, readonly=True) as store:
            for line in (DATA / topic / "timelines.jsonl").read_text().splitlines():
                if not line.strip():
                    continue
                gold_rec = json.loads(line)
                gold: dict[date, list[str]] = {}
                for d, sents in gold_rec["timeline"]:  # a date may be listed twice: its sentences add up
                    gold.setdefault(date.fromisoformat(d), []).extend(sents)
                first, last = min(gold), max(gold)
                n_dates = len(gold)
                per_date = max(1, round(sum(len(s) for s in gold.values()) / n_dates))
                t0 = time.time()
                entries = summarise(
                    store,
                    max_dates=n_dates,
                    per_date=per_date,
                    date_from=first.isoformat(),
                    date_to=last.isoformat(),
                    keywords=keywords,
                )
                dt = time.time() - t0
                volume = summarise(
                    store,
                    per_date=per_date,
                    date_from=first.isoformat(),
                    date_to=last.isoformat(),
                    keywords=keywords,
                    dates=busiest_days(store, n_dates, first.isoformat(), last.isoformat()),
                )
                pred = {date.fromisoformat(e["date"]): [s["text"] for s in e["sentences"]] for e in entries}
                base = {date.fromisoformat(e["date"]): [s["text"] for s in e["sentences"]] for e in volume}
                r1, r2, df1 = align_m1(pred, gold, 1)[2], align_m1(pred, gold, 2)[2], date_f1(pred, gold)
                b1, b2, bdf = align_m1(base, gold, 1)[2], align_m1(base, gold, 2)[2], date_f1(base, gold)
                rows.append((topic, gold_rec["name"], n_dates, per_date, r1, r2, df1, dt, b1, b2, bdf))
                print(
                    f"{gold_rec['name']:<55} l={n_dates:<4} k={per_date}  R1 {r1:.3f}  R2 {r2:.3f}  "
                    f"Date F1 {df1:.3f}  | volume {b1:.3f} {b2:.3f} {bdf:.3f}  ({dt:.1f} s)",
                    flush=True,
                )
                dump.append(
                    {
                        "name": gold_rec["name"],
                        "system": [[d.isoformat(), s] for d, s in sorted(pred.items())],
                        "gold": gold_rec["timeline"],
                    }
                )
    if not rows:
        print("no tasks", file=sys.stderr)
        return 1
    n = len(rows)
    print(
        f"mean over {n} timelines: ROUGE-1 {sum(r[4] for r in rows) / n:.3f}  ROUGE-2 {sum(r[5] for r in rows) / n:.3f}  "
        f"Date F1 {sum(r[6] for r in rows) / n:.3f}   (DATEWISE on all T17: 0.120 / 0.035 / 0.544)"
    )
    print(
        f"publication-volume baseline:  ROUGE-1 {sum(r[8] for r in rows) / n:.3f}  "
        f"ROUGE-2 {sum(r[9] for r in rows) / n:.3f}  Date F1 {sum(r[10] for r in rows) / n:.3f}"
    )
    means = [round(sum(r[i] for r in rows) / n, 4) for i in (4, 5, 6, 8, 9, 10)]
    record(
        "tls",
        f"{n} timelines of {', '.join(sorted({r[0] for r in rows}))}: ROUGE-1 {means[0]:.3f}, ROUGE-2 {means[1]:.3f}, "
        f"Date F1 {means[2]:.3f}; publication-volume baseline {means[3]:.3f} / {means[4]:.3f} / {means[5]:.3f}",
        {"timelines": n, "rouge1": means[0], "rouge2": means[1], "date_f1": means[2],
         "volume_rouge1": means[3], "volume_rouge2": means[4], "volume_date_f1": means[5]},
    )  # fmt: skip
    if args.dump:
        args.dump.write_text(json.dumps(dump))
    return 0


if __name__ == "__main__":
    sys.exit(main())
