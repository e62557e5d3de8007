"""Date-wise timeline summary: the most reported dates of a collection, each with its most central sentences.

The event timeline (`timeline.py`) lists the events newsloom has clustered. For a large collection a reader
often wants the shape of the story instead: on which days did things happen, and what, in a fixed budget
of dates and sentences. This follows the date-wise approach of Gholipour Ghalandari & Ifrim (2020):

1. Every sentence is dated by the days it names (its temporal expressions of day granularity, resolved
   against the article's publication date by `temporal.py`); a sentence naming no day is dated by the
   article's publication date. A background event mentioned in passing ("talks began on 2 March") thus
   counts for its own date, not the date of the report.
2. Dates are ranked by how many independent articles name them (an article published that day counts
   for less), so that a day many outlets refer back to ranks high.
3. For each chosen date the candidate sentences are those naming it, or published that day and naming
   no day; they are ranked by TF-IDF similarity to the candidates' centroid, and near-repeats dropped,
   of the date's own sentences and of those chosen for better-attested dates (no day repeats another).

Every returned sentence is verbatim from a stored article, with its article id and outlet.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS

from .store import Store
from .store.articles import ArticleRepository

__all__ = ["LENGTH_NORM", "PUBLISHED_WEIGHT", "REDUNDANT", "busiest_days", "expand_keywords", "summarise"]

PUBLISHED_WEIGHT = 0.5  # an article published on a day counts for that day, less than one naming it
REDUNDANT = 0.5  # cosine above which a sentence repeats one already chosen for the date
MIN_WORDS, MAX_WORDS = 6, 60
# sentences longer than this are ranked down in proportion: a timeline entry is a sentence, not a paragraph
LENGTH_NORM = 35
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")


@dataclass
class _Sentence:
    article_id: str
    outlet: str | None
    published: str | None
    text: str
    days: set[str] = field(default_factory=set)
    vec: dict[str, float] = field(default_factory=dict)


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _terms(text: str) -> Counter[str]:
    return Counter(w for w in _words(text) if w not in STOP_WORDS and not w.isdigit() and len(w) > 1)


def _cos(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())


def _keyword_rx(keywords: list[str]) -> re.Pattern[str] | None:
    words = [k.strip() for k in keywords if k.strip()]
    if not words:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(k) for k in words) + r")\b", re.IGNORECASE)


def expand_keywords(keywords: list[str], texts: list[str]) -> list[str]:
    """Keywords as the collection spells them: one found in no text is split into words that are found
    ("bpoil" -> "bp", "oil"), preferring the split into the fewest, most frequent words."""
    wanted = {k.strip().lower() for k in keywords if k.strip()}
    if not wanted:
        return []
    counts: Counter[str] = Counter()
    for t in texts:
        counts.update(_words(t))
    out: list[str] = []
    for k in sorted(wanted):
        if counts[k] or not k.isalnum():
            out.append(k)
            continue
        # best[i]: (parts, -log-frequency) of the best split of k[:i] into collection words of 2+ letters
        best: list[tuple[int, float, list[str]] | None] = [None] * (len(k) + 1)
        best[0] = (0, 0.0, [])
        for i in range(1, len(k) + 1):
            for j in range(max(0, i - 20), i - 1):
                w, prev = k[j:i], best[j]
                if prev is None or counts[w] < 2:
                    continue
                cand = (prev[0] + 1, prev[1] - math.log(counts[w]), [*prev[2], w])
                cur = best[i]
                if cur is None or cand[:2] < cur[:2]:
                    best[i] = cand
        end = best[len(k)]
        out.extend(end[2] if end and end[0] > 1 else [k])
    return out


def summarise(
    store: Store,
    max_dates: int = 10,
    per_date: int = 1,
    date_from: str | None = None,
    date_to: str | None = None,
    keywords: list[str] | None = None,
    article_ids: list[str] | None = None,
    dates: list[str] | None = None,
) -> list[dict[str, Any]]:
    """A date-wise summary of the stored articles (or of `article_ids`) published in [date_from, date_to].

    `keywords`: only sentences containing one of them are used (whole words, any case). Dates outside the
    range are never chosen. `dates`: summarise these days instead of ranking them (a baseline's choice).
    Returns entries sorted by date: `{date, score, sentences: [{text, article_id, outlet, published}]}`.
    """
    repo = ArticleRepository(store.db)
    arts = repo.english_published(date_from, date_to)
    if article_ids is not None:
        wanted = set(article_ids)
        arts = [a for a in arts if a["id"] in wanted]
    rx = _keyword_rx(expand_keywords(keywords or [], [a["text"] for a in arts]))
    sentences: list[_Sentence] = []
    for a in arts:
        days: dict[int, set[str]] = defaultdict(set)
        for idx, rs, re_ in repo.days_named(a["id"]):
            if rs and rs == re_ and (not date_from or rs >= date_from) and (not date_to or rs <= date_to):
                days[idx].add(rs)
        for idx, start, end in repo.sentence_bounds(a["id"]):
            text = a["text"][start:end].strip()
            n = len(_words(text))
            if not MIN_WORDS <= n <= MAX_WORDS or (rx and not rx.search(text)):
                continue
            sentences.append(_Sentence(a["id"], a["outlet"], a["published_date"], text, days.get(idx, set())))
    if not sentences:
        return []
    # TF-IDF over the candidate sentences
    df: Counter[str] = Counter()
    tfs = []
    for s in sentences:
        tf = _terms(s.text)
        tfs.append(tf)
        df.update(tf.keys())
    n = len(sentences)
    for s, tf in zip(sentences, tfs, strict=True):
        vec = {t: (1 + math.log(c)) * math.log((n + 1) / (df[t] + 0.5)) for t, c in tf.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        s.vec = {t: v / norm for t, v in vec.items()}
    # rank dates: articles naming a day, plus a smaller weight for articles published on it
    naming: dict[str, set[str]] = defaultdict(set)
    published: dict[str, set[str]] = defaultdict(set)
    for s in sentences:
        for d in s.days:
            naming[d].add(s.article_id)
        if s.published:
            published[s.published].add(s.article_id)
    score = {
        d: len(naming.get(d, ())) + PUBLISHED_WEIGHT * len(published.get(d, ()))
        for d in set(naming) | set(published)
        if (not date_from or d >= date_from) and (not date_to or d <= date_to)
    }
    chosen = dates if dates is not None else sorted(score, key=lambda d: (-score[d], d))[:max_dates]
    entries = []
    used: list[_Sentence] = []  # sentences chosen for other days: no day repeats another's
    for d in sorted(chosen, key=lambda d: (-score.get(d, 0.0), d)):  # the best-attested days choose first
        cands = [s for s in sentences if d in s.days or (not s.days and s.published == d)]
        if not cands:
            continue
        centroid: dict[str, float] = defaultdict(float)
        for s in cands:
            for t, v in s.vec.items():
                centroid[t] += v / len(cands)
        ranked = sorted(
            cands, key=lambda s: -_cos(s.vec, centroid) * min(1.0, LENGTH_NORM / len(_words(s.text)))
        )
        picked: list[_Sentence] = []
        for s in ranked:
            if len(picked) >= per_date:
                break
            if all(_cos(s.vec, p.vec) <= REDUNDANT for p in (*picked, *used)):
                picked.append(s)
        used.extend(picked)
        entries.append(
            {
                "date": d,
                "score": round(score.get(d, 0.0), 2),
                "sentences": [
                    {"text": s.text, "article_id": s.article_id, "outlet": s.outlet, "published": s.published}
                    for s in picked
                ],
            }
        )
    return sorted(entries, key=lambda e: e["date"])


def busiest_days(store: Store, n: int, date_from: str | None = None, date_to: str | None = None) -> list[str]:
    """The `n` days with most articles published in [date_from, date_to] (the publication-volume
    baseline of timeline summarisation)."""
    return ArticleRepository(store.db).busiest_days(n, date_from, date_to)
