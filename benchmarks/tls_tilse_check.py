"""Cross-check of benchmarks/tlseval.py against the tilse toolkit (which runs the Perl ROUGE-1.5.5).

    python benchmarks/tls.py --dump /tmp/tls.json          # newsloom's venv
    /path/to/tilse-venv/bin/python benchmarks/tls_tilse_check.py /tmp/tls.json

tilse needs its own environment (`pip install tilse`, an old scipy/numpy stack) and Debian's
libxml-dom-perl; it is not a dependency of newsloom. Prints both metrics' ROUGE-1/2 F1 (align+ m:1) per
timeline and their means.
"""

import json
import sys
from datetime import date
from pathlib import Path

from tilse.data.timelines import GroundTruth
from tilse.data.timelines import Timeline as TilseTimeline
from tilse.evaluation import rouge

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))


def to_tl(items):
    out = {}
    for d, sents in items:
        out.setdefault(date.fromisoformat(d), []).extend(sents)
    return out


def main():
    from tlseval import align_m1  # needs spacy and snowballstemmer importable here

    tasks = json.loads(Path(sys.argv[1]).read_text())
    ev = rouge.TimelineRougeEvaluator(measures={"rouge_1", "rouge_2"})
    sums = [0.0, 0.0, 0.0, 0.0]
    for t in tasks:
        pred, gold = to_tl(t["system"]), to_tl(t["gold"])
        s = ev.evaluate_align_date_content_costs_many_to_one(
            TilseTimeline(pred), GroundTruth([TilseTimeline(gold)])
        )
        ours = (align_m1(pred, gold, 1)[2], align_m1(pred, gold, 2)[2])
        theirs = (s["rouge_1"]["f_score"], s["rouge_2"]["f_score"])
        for i, v in enumerate((*theirs, *ours)):
            sums[i] += v
        print(
            f"{t['name']:<50} tilse {theirs[0]:.3f} / {theirs[1]:.3f}   newsloom {ours[0]:.3f} / {ours[1]:.3f}"
        )
    n = len(tasks)
    print(
        f"mean: tilse {sums[0] / n:.3f} / {sums[1] / n:.3f}   newsloom {sums[2] / n:.3f} / {sums[3] / n:.3f}"
    )


if __name__ == "__main__":
    main()
