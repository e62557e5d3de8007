"""Switch each rule and number of the event card off in turn, and count on the same gold cards what it fixes
and breaks, per data set.

    python benchmarks/ablate_cards.py --gva GVA.db --ecbplus ECB.db [--written W.db --demo D.db]

The stores are those `benchmarks/cards.py --db` builds (ingested once). For each ablation it prints, per
set and field, the cards the rule fixes (right with it, wrong without) and breaks (wrong with it, right
without), and for named people the difference in names found and in names right. A rule earns its place
when it fixes clearly more than it breaks, and not only on the set it was written on.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cards as bench  # noqa: E402


def verdicts(which: str, db: Path) -> dict[str, dict[str, Any]]:
    from newsloom.store import Store

    gold = bench.load_gold(which)
    store = Store(db)
    try:
        keys = bench.article_keys(store, which)
        ev_of = {r[0]: r[1] for r in store.query("SELECT id, event_id FROM articles")}
        titles = {r[0] for r in store.query("SELECT title FROM articles") if r[0]}
        cards = bench.cards_of(store)
    finally:
        store.close()
    out = {}
    for g in gold:
        evs: dict[str, int] = {}
        for a in g["articles"]:
            e = ev_of.get(keys.get(a, ""))
            if e:
                evs[e] = evs.get(e, 0) + 1
        card = cards.get(max(evs, key=lambda k: evs[k])) if evs else None
        out[g["id"]] = bench.score_card(g, card, titles)
    return out


@contextmanager
def patched(obj: Any, name: str, value: Any) -> Iterator[None]:
    old = getattr(obj, name)
    setattr(obj, name, value)
    try:
        yield
    finally:
        setattr(obj, name, old)


def ablations() -> dict[str, Callable[[], Any]]:
    from newsloom import cards, places

    never = re.compile(r"(?!)")

    return {
        "place: towns named in headlines": lambda: patched(places, "towns_named", lambda *a, **k: []),
        "place: towns naming an authority": lambda: patched(places, "leading_place", lambda *a: None),
        "place: seas and coasts as areas": lambda: patched(places, "AREA_RX", never),
        "people: background paragraphs": lambda: patched(cards, "background_paragraphs", lambda *a: set()),
        "people: speakers apart": lambda: patched(cards, "_speakers", lambda rep: set()),
        "people: role descriptions no names": lambda: patched(cards, "_fragment", lambda n: False),
        "people: background within 7 days -> 3": lambda: patched(cards, "BACKGROUND_DAYS", 3),
        "people: background within 7 days -> 14": lambda: patched(cards, "BACKGROUND_DAYS", 14),
        "records: lead paragraphs 2 -> 1": lambda: patched(cards, "LEAD_PARAGRAPHS", 1),
        "records: lead paragraphs 2 -> 3": lambda: patched(cards, "LEAD_PARAGRAPHS", 3),
        "title: at most 25 words -> 16": lambda: patched(cards, "TITLE_WORDS", (3, 16)),
    }


def compare(base: dict[str, dict[str, Any]], off: dict[str, dict[str, Any]]) -> str:
    parts = []
    for field in ("place", "title"):
        fixed = sum(1 for k, v in base.items() if v.get(field) is True and off[k].get(field) is False)
        broken = sum(1 for k, v in base.items() if v.get(field) is False and off[k].get(field) is True)
        if fixed or broken:
            parts.append(f"{field} +{fixed}/-{broken}")
    for field in ("people_recall", "people_precision"):
        a = sum(v[field][0] for v in base.values() if field in v)
        b = sum(off[k][field][0] for k, v in base.items() if field in v)
        da = sum(v[field][1] for v in base.values() if field in v)
        db = sum(off[k][field][1] for k, v in base.items() if field in v)
        if (a, da) != (b, db):
            parts.append(f"{field.split('_')[1]} {a}/{da} vs {b}/{db} without")
    return "; ".join(parts) or "no change"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for name in ("gva", "ecbplus", "written", "demo"):
        ap.add_argument(f"--{name}", type=Path)
    args = ap.parse_args()
    sets = {n: p for n in ("gva", "ecbplus", "written", "demo") if (p := getattr(args, n))}

    base = {n: verdicts(n, p) for n, p in sets.items()}
    for label, make in ablations().items():
        print(f"\n{label} (with the rule: fixed/broken against without)")
        for n, p in sets.items():
            with make():
                off = verdicts(n, p)
            print(f"  {n:8s} {compare(base[n], off)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
