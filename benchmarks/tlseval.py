"""Timeline evaluation: alignment-based ROUGE ("align+ m:1", Martschat & Markert 2017) and Date F1.

Re-implemented from the description of the tilse toolkit so that it runs without Perl:

- ROUGE-N counts as ROUGE-1.5.5 with `-m -s` would make them: lower-cased alphanumeric tokens, stop
  words removed, Porter-stemmed (words longer than 3 letters), n-grams formed after removal; a hit is
  the clipped count of an n-gram shared by system and reference.
- align+ m:1: every system date is mapped to the reference date of lowest cost, and (for recall) every
  reference date to the system date of lowest cost; the cost of a pair is
  (1 - 1/(days apart + 1)) * (1 - approximate ROUGE-1 F1 of their summaries). The hits of a mapped pair
  are weighted by 1/(days apart + 1). Precision is weighted hits over system n-grams, recall weighted
  hits over reference n-grams.
- Date F1: the harmonic mean of the share of system dates in the reference and of reference dates in
  the system timeline.

A timeline here is a mapping from `datetime.date` to a list of sentences.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from functools import lru_cache

import snowballstemmer
from spacy.lang.en.stop_words import STOP_WORDS

Timeline = dict[date, list[str]]
_TOKEN = re.compile(r"[a-z0-9]+")
_stemmer = snowballstemmer.stemmer("porter")


@lru_cache(maxsize=200_000)
def _stem(w: str) -> str:
    return str(_stemmer.stemWord(w)) if len(w) > 3 else w


def rouge_tokens(text: str) -> list[str]:
    """Tokens as ROUGE-1.5.5 counts them with stemming and stop-word removal."""
    return [_stem(w) for w in _TOKEN.findall(text.lower()) if w not in STOP_WORDS]


def ngrams(sentences: list[str], n: int) -> Counter[tuple[str, ...]]:
    out: Counter[tuple[str, ...]] = Counter()
    for s in sentences:
        toks = rouge_tokens(s)
        out.update(tuple(toks[i : i + n]) for i in range(len(toks) - n + 1))
    return out


def _approx_rouge1(pred: list[str], ref: list[str]) -> float:
    """tilse's cheap ROUGE-1 F1 on whitespace tokens, used only to align dates."""
    p = Counter(w for s in pred for w in s.split())
    r = Counter(w for s in ref for w in s.split())
    match = sum(min(c, r[w]) for w, c in p.items())
    if not match:
        return 0.0
    prec, rec = match / sum(p.values()), match / sum(r.values())
    return 2 * prec * rec / (prec + rec)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _align(src: Timeline, dst: Timeline, src_is_pred: bool) -> list[tuple[date, date]]:
    """Map every date of `src` to its lowest-cost date of `dst` (first of equal costs, in date order)."""
    pairs = []
    dst_dates = sorted(dst)
    for s in sorted(src):
        best, best_cost = None, float("inf")
        for d in dst_dates:
            date_factor = 1 - 1 / (abs((s - d).days) + 1)
            pred, ref = (src[s], dst[d]) if src_is_pred else (dst[d], src[s])
            cost = date_factor * (1 - _approx_rouge1(pred, ref))
            if cost < best_cost:
                best, best_cost = d, cost
        if best is not None:
            pairs.append((s, best))
    return pairs


def align_m1(pred: Timeline, ref: Timeline, n: int) -> tuple[float, float, float]:
    """ROUGE-n precision, recall and F1 under the align+ m:1 mapping."""
    p_num = p_den = r_num = r_den = 0.0
    cache: dict[tuple[str, date], Counter[tuple[str, ...]]] = {}

    def grams(tl: Timeline, d: date, key: str) -> Counter[tuple[str, ...]]:
        if (key, d) not in cache:
            cache[key, d] = ngrams(tl[d], n)
        return cache[key, d]

    for d in pred:
        p_den += sum(grams(pred, d, "p").values())
    for d in ref:
        r_den += sum(grams(ref, d, "r").values())
    for pd, rd in _align(pred, ref, src_is_pred=True):
        g, h = grams(pred, pd, "p"), grams(ref, rd, "r")
        p_num += sum(min(c, h[t]) for t, c in g.items()) / (abs((pd - rd).days) + 1)
    for rd, pd in _align(ref, pred, src_is_pred=False):
        g, h = grams(pred, pd, "p"), grams(ref, rd, "r")
        r_num += sum(min(c, h[t]) for t, c in g.items()) / (abs((pd - rd).days) + 1)
    p = p_num / p_den if p_den else 0.0
    r = r_num / r_den if r_den else 0.0
    return p, r, _f1(p, r)


def date_f1(pred: Timeline, ref: Timeline) -> float:
    hit = len(set(pred) & set(ref))
    return _f1(hit / len(pred) if pred else 0.0, hit / len(ref) if ref else 0.0)
