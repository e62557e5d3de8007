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
import re
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from pathlib import Path

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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--errors", type=int, default=0, help="print N value errors and N missed expressions")
    args = ap.parse_args()
    files = sorted(DATA.glob("*.tml"))
    if not files:
        print(f"skipped: {DATA} is absent")
        return 0
    from newsloom.temporal import tag

    stats = {
        k: [0, 0, 0, 0, 0, 0] for k in ("all", "weekday")
    }  # preds, golds, span_tp_p, span_tp_g, val_tp_p, val_tp_g
    matched_pairs = value_right = 0
    wk_pairs = wk_right = 0
    errors: list[str] = []
    missed: list[str] = []
    spurious: list[str] = []
    for f in files:
        text, dct, gold = load(f)
        gold = [g for g in gold if g.type in TYPES]
        pred = [t for t in tag(text, dct) if t.type in TYPES]
        for key, gsel, psel in (
            ("all", gold, pred),
            (
                "weekday",
                [g for g in gold if WEEKDAY_RX.search(g.text)],
                [t for t in pred if WEEKDAY_RX.search(t.text)],
            ),
        ):
            s = stats[key]
            s[0] += len(psel)
            s[1] += len(gsel)
            for t in psel:
                over = [g for g in gsel if t.start < g.end and g.start < t.end]
                s[2] += bool(over)
                s[4] += any(g.value == t.value for g in over)
            for g in gsel:
                over = [t for t in psel if t.start < g.end and g.start < t.end]
                s[3] += bool(over)
                s[5] += any(t.value == g.value for t in over)
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
    for key, label in (("all", "all"), ("weekday", "weekday expressions")):
        s = stats[key]
        sp, sr, sf = prf(s[2], s[0], s[3], s[1])
        vp, vr, vf = prf(s[4], s[0], s[5], s[1])
        print(f"[{label}] gold {s[1]}, predicted {s[0]}")
        print(f"  relaxed span  P {sp:.3f}  R {sr:.3f}  F1 {sf:.3f}")
        print(f"  value         P {vp:.3f}  R {vr:.3f}  F1 {vf:.3f}")
    print(
        f"value accuracy on span matches: {value_right / max(matched_pairs, 1):.3f} ({value_right}/{matched_pairs}); weekdays {wk_right}/{wk_pairs}"
    )
    print("published anchor: HeidelTime (TempEval-3) value F1 about 0.78")
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
