"""Event records on ECB+ (../shared/datasets/ecbplus-dev.jsonl, 772 articles): evidence, volume, sample.

    python benchmarks/entities.py [--sample 30] [--seed 7]

Ingests the articles into a fresh store and prints
- the share of event records whose evidence span is verbatim in the stored text (must be 100%),
- event records per article (all, and asserted ones: neither negated nor hedged), by type,
- a seeded random sample of event records for hand-checking, and the notes of the last hand-check.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "datasets" / "ecbplus-dev.jsonl"

# Written by a person who read the sample printed with --seed 7 --sample 30 (see the closing note of the
# issue that added this script). A record counts as correct when its type fits the trigger in context
# and its actor, targets, place and date are right or empty (an empty slot is "unknown", not an error);
# a record with a wrong slot or a wrong type counts as wrong.
HAND_CHECK_NOTES = """
Hand-check of the 30 records printed with --seed 7 (2026-11-22, after the passive-voice and
common-noun-subject rules). Correct = type fits the trigger in context and every filled slot is right.
  correct records: 14/30 = 47% (95% Wilson interval 30-64%); before those two rules: 7/30 = 23%
  correct type alone: 23/30 = 77%
  filled actor slots right: 9/11
Errors seen: types of non-events or other senses ("attack code", cyber "attacks", a "hit-and-run",
"hosting the Oscars", arson "set fire"); places taken as targets ("Detroit", "Bandar Abbas"); dates
inherited from the paragraph that belong to an earlier happening (a 1923 birth date, a crime date for
a trial statement); a speaker inside reported speech ("the court source said Mr Korkoneas ...").
The dependency parse (not run, for speed) would fix most slot errors; see the issue's closing note.
"""
HAND_CHECK: dict[str, object] = {
    "seed": 7,
    "verdicts": "1 ok, 2 type, 3 target, 4 type, 5 target, 6 type, 7 ok, 8 type, 9 ok, 10 ok, 11 type, 12 date, "
    "13 target, 14 ok, 15 type, 16 date, 17 actor, 18 ok, 19 ok, 20 ok, 21 targets, 22 actor, 23 ok, 24 ok, "
    "25 ok, 26 ok, 27 target, 28 ok, 29 type, 30 ok",
    "precision_records": "14/30",
    "precision_types": "23/30",
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sample", type=int, default=30)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    if not DATA.exists():
        print(f"skipped: {DATA} is absent")
        return 0
    from newsloom import views
    from newsloom.annotate import load_resources
    from newsloom.pipeline import ingest
    from newsloom.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "ecb.db")
        report = ingest(store, [str(DATA)], res=load_resources())
        n_articles = store.count("articles")
        rows = store.query(
            "SELECT m.*, a.text AS article_text FROM event_mentions m JOIN articles a ON a.id = m.article_id ORDER BY m.id"
        )
        verbatim = 0
        records = []
        for r in rows:
            rec = views.mention_json(store, r, r["article_text"])
            ok = (
                rec["sentence"] != ""
                and rec["sentence"] == r["article_text"][r["evidence_start"] : r["evidence_end"]]
            )
            ok = (
                ok
                and rec["sentence"] in r["article_text"]
                and r["evidence_start"] <= r["trigger_start"] < r["evidence_end"]
            )
            verbatim += ok
            records.append(rec)
        store.close()
    n = len(records)
    asserted = [r for r in records if not r["negated"] and not r["hedged"]]
    print(f"articles stored: {n_articles} (failed {len(report.failed)})")
    print(f"event records: {n}; verbatim evidence: {verbatim}/{n} = {verbatim / max(n, 1):.1%}")
    print(
        f"records per article: {n / max(n_articles, 1):.2f} (asserted: {len(asserted) / max(n_articles, 1):.2f})"
    )
    print("by type: " + ", ".join(f"{t} {c}" for t, c in Counter(r["type"] for r in records).most_common()))
    filled = {k: sum(1 for r in records if r[k]) / max(n, 1) for k in ("actors", "targets", "place")}
    print("slots filled: " + ", ".join(f"{k} {v:.0%}" for k, v in filled.items()))
    rng = random.Random(args.seed)
    sample = rng.sample(records, min(args.sample, n))
    print(f"\nsample of {len(sample)} records (seed {args.seed}):")
    for i, r in enumerate(sample, 1):
        slim = {k: r[k] for k in ("type", "trigger", "actors", "targets", "place", "negated", "hedged")}
        slim["date"] = r["date"]["start"]
        print(f"{i:2d}. {json.dumps(slim, ensure_ascii=False)}\n    {r['sentence'][:300]}")
    if HAND_CHECK:
        print("\nhand-check:", json.dumps(HAND_CHECK, indent=1))
    print(HAND_CHECK_NOTES.strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
