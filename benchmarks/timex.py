"""Temporal expressions against TimeBank 1.2 (TempEval-3 TBAQ-cleaned): span and value F1.

    python benchmarks/timex.py [--errors N]

End to end from raw text: the <TEXT> of each of the 183 documents with its tags stripped, tagged by
newsloom's temporal tagger with the document creation time (DCT) as the reference date. Scores over
DATE and TIME expressions (gold and predicted):
- relaxed span F1: a predicted and a gold expression match when their spans overlap;
- value accuracy: among span matches, the share with exactly the gold TIMEX3 value;
- value F1: a prediction is correct when it overlaps a gold expression with the same value.
Weekday expressions (gold text naming a day of the week) are also scored on their own.
Published anchor: HeidelTime, TempEval-3, value F1 about 0.78.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import statistics
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from results_record import record

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "datasets" / "timebank"
WEEKDAY_RX = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)
TYPES = ("DATE", "TIME")


@dataclass
class Gold:
    start: int
    end: int
    text: str
    type: str
    value: str


def load(path: Path) -> tuple[str, date, list[Gold]]:
    root = ET.parse(path).getroot()
    dct_el = root.find("DCT/TIMEX3")
    assert dct_el is not None
    dct = date.fromisoformat(dct_el.get("value", "")[:10])
    text_el = root.find("TEXT")
    assert text_el is not None
    parts: list[str] = []
    gold: list[Gold] = []

    def walk(el: ET.Element) -> None:
        if el.text:
            if el.tag == "TIMEX3":
                start = sum(len(p) for p in parts)
                parts.append(el.text)
                gold.append(
                    Gold(start, start + len(el.text), el.text, el.get("type", ""), el.get("value", ""))
                )
            else:
                parts.append(el.text)
        for child in el:
            if child.tag == "TIMEX3" and not child.text:
                pass
            walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(text_el)
    return "".join(parts), dct, gold


def prf(tp_p: int, n_p: int, tp_g: int, n_g: int) -> tuple[float, float, float]:
    p = tp_p / n_p if n_p else 0.0
    r = tp_g / n_g if n_g else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


FOLDS = 5


def fold_of(name: str) -> int:
    """A document's fold: rules are written on four folds and measured on the fifth, in turn."""
    return int(hashlib.sha1(name.encode()).hexdigest(), 16) % FOLDS


class Score:
    """Span and value counts of predicted and gold expressions (relaxed span: overlap)."""

    def __init__(self) -> None:
        self.n_p = self.n_g = self.span_p = self.span_g = self.val_p = self.val_g = 0

    def add(self, gold: list[Gold], pred: list[Any]) -> None:
        self.n_p += len(pred)
        self.n_g += len(gold)
        for t in pred:
            over = [g for g in gold if t.start < g.end and g.start < t.end]
            self.span_p += bool(over)
            self.val_p += any(g.value == t.value for g in over)
        for g in gold:
            over = [t for t in pred if t.start < g.end and g.start < t.end]
            self.span_g += bool(over)
            self.val_g += any(t.value == g.value for t in over)

    def span(self) -> tuple[float, float, float]:
        return prf(self.span_p, self.n_p, self.span_g, self.n_g)

    def value(self) -> tuple[float, float, float]:
        return prf(self.val_p, self.n_p, self.val_g, self.n_g)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--errors", type=int, default=0, help="print N value errors and N missed expressions")
    args = ap.parse_args()
    files = sorted(DATA.glob("*.tml"))
    if not files:
        print(f"skipped: {DATA} is absent")
        return 0
    from newsloom.temporal import scan, tag

    total, weekdays = Score(), Score()
    folds = [Score() for _ in range(FOLDS)]
    families: dict[str, Score] = defaultdict(Score)
    matched_pairs = value_right = 0
    wk_pairs = wk_right = 0
    errors: list[str] = []
    missed: list[str] = []
    spurious: list[str] = []
    for f in files:
        text, dct, gold = load(f)
        gold = [g for g in gold if g.type in TYPES]
        scanned = scan(text)
        kind = {(c.start, c.end): c.kind for c in scanned}
        pred = [t for t in tag(text, dct, scanned) if t.type in TYPES]
        total.add(gold, pred)
        folds[fold_of(f.name)].add(gold, pred)
        weekdays.add(
            [g for g in gold if WEEKDAY_RX.search(g.text)], [t for t in pred if WEEKDAY_RX.search(t.text)]
        )
        by_family: dict[str, list[Any]] = defaultdict(list)
        for t in pred:
            by_family[kind[t.start, t.end]].append(t)
        for name, ts in by_family.items():
            # the gold expressions this family's predictions meet: its precision and value accuracy
            families[name].add([g for g in gold if any(t.start < g.end and g.start < t.end for t in ts)], ts)
        for g in gold:
            over = [t for t in pred if t.start < g.end and g.start < t.end]
            if over:
                matched_pairs += 1
                ok = any(t.value == g.value for t in over)
                value_right += ok
                if WEEKDAY_RX.search(g.text):
                    wk_pairs += 1
                    wk_right += ok
                if not ok:
                    errors.append(
                        f"{f.name} dct={dct}: {g.text!r} gold {g.value} got {[(t.text, t.value) for t in over]}"
                    )
            else:
                missed.append(f"{f.name}: {g.text!r} {g.value}")
        for t in pred:
            if not any(t.start < g.end and g.start < t.end for g in gold):
                spurious.append(f"{f.name}: {t.text!r} {t.value}")
    print(f"TimeBank 1.2: {len(files)} documents, DATE and TIME expressions")
    for label, s in (("all", total), ("weekday expressions", weekdays)):
        sp, sr, sf = s.span()
        vp, vr, vf = s.value()
        print(f"[{label}] gold {s.n_g}, predicted {s.n_p}")
        print(f"  relaxed span  P {sp:.3f}  R {sr:.3f}  F1 {sf:.3f}")
        print(f"  value         P {vp:.3f}  R {vr:.3f}  F1 {vf:.3f}")
    print(
        f"value accuracy on span matches: {value_right / max(matched_pairs, 1):.3f} ({value_right}/{matched_pairs}); weekdays {wk_right}/{wk_pairs}"
    )
    fold_f1 = [s.value()[2] for s in folds]
    print(
        f"value F1 of the {FOLDS} document folds: {' '.join(f'{x:.3f}' for x in fold_f1)}"
        f"  mean {statistics.mean(fold_f1):.3f} +- {statistics.stdev(fold_f1):.3f}"
    )
    print("per family (predictions; span precision, value precision among span matches):")
    for name, s in sorted(families.items(), key=lambda kv: -kv[1].n_p):
        print(f"  {name:<15} {s.n_p:>4}  span P {s.span()[0]:.3f}  value {s.val_p / max(s.span_p, 1):.3f}")
    print("published anchor: HeidelTime (TempEval-3) value F1 about 0.78")
    (sp, sr, sf), (vp, vr, vf), wf = total.span(), total.value(), weekdays.value()[2]
    record(
        "timex",
        f"relaxed span F1 {sf:.3f}, value F1 {vf:.3f} (folds {' '.join(f'{x:.3f}' for x in fold_f1)}, "
        f"{statistics.mean(fold_f1):.3f} +- {statistics.stdev(fold_f1):.3f}); weekdays value F1 {wf:.3f}",
        {"span_f1": round(sf, 4), "value_f1": round(vf, 4), "weekday_value_f1": round(wf, 4),
         "fold_value_f1": [round(x, 4) for x in fold_f1], "documents": len(files)},
    )  # fmt: skip
    if args.errors:
        print("\nvalue errors:")
        print("\n".join(errors[: args.errors]))
        print("\nmissed:")
        print("\n".join(missed[: args.errors]))
        print("\nspurious:")
        print("\n".join(spurious[: args.errors]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
