"""The same-event decision: how likely two reports are about one real-world happening.

One implementation, used by the local clustering, by the Spark path and by the script that learns its
weights (benchmarks/learn_weights.py). Features compare what an editor compares: content (TF-IDF
cosine), the people, organisations and places named, the numbers and years given (two earthquakes of
magnitude 6.1 and 7.0; an arrest in 2008 and another in 2013), the kind of happening and its date.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
from dataclasses import asdict, dataclass, field
from datetime import date

FEATURES = (
    "bias",
    "cosine",
    "people",
    "organisations",
    "places",
    "numbers",
    "years_shared",
    "years_disjoint",
    "same_type",
    "dates_agree",
    "dates_conflict",
    "published_close",
    "published_far",
    "weekdays_shared",
    "weekdays_disjoint",
)
# Logistic-regression weights learned on ECB+ article pairs (benchmarks/learn_weights.py, which prints
# them with their cross-validated scores). A probability above THRESHOLD joins an event.
WEIGHTS = {
    "bias": -3.03,
    "cosine": 10.34,
    "people": 3.30,
    "organisations": 1.62,
    "places": 2.12,
    "numbers": 3.46,
    "years_shared": -0.01,
    "years_disjoint": -0.57,
    "same_type": 0.35,
    "dates_agree": 0.39,
    # Not learned: ECB+ has almost no dated pairs (the fit gave +0.66 on a handful). Precise dates that
    # disagree separate events by design.
    "dates_conflict": -4.0,
    "published_close": 1.13,
    "published_far": 0.03,
    "weekdays_shared": 0.35,
    "weekdays_disjoint": -1.09,
}
THRESHOLD = 0.5
MAX_MEMBERS = 12  # an event is compared through at most this many of its reports (its latest)

_YEAR_RX = re.compile(r"\b(?:19|20)\d\d\b")
_WEEKDAY_RX = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
_NUM_RX = re.compile(r"\b\d[\d,]*(?:\.\d+)?\b")


@dataclass
class ArticleFeatures:
    terms: dict[str, float] = field(default_factory=dict)
    people: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)
    years: list[str] = field(default_factory=list)
    type: str = "OTHER"
    date: tuple[str, str] | None = None  # a date stated near the main event (not a publication fallback)
    published: str | None = None
    weekdays: list[str] = field(default_factory=list)  # weekdays the headline and lead name

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, s: str) -> ArticleFeatures:
        d = json.loads(s)
        if d.get("date"):
            d["date"] = tuple(d["date"])
        return cls(**d)


def numbers_and_years(text: str) -> tuple[list[str], list[str]]:
    years = sorted(set(_YEAR_RX.findall(text)))
    nums = {n.replace(",", "") for n in _NUM_RX.findall(text)}
    nums -= set(years)
    return sorted(nums), years


def _jaccard(a: list[str], b: list[str]) -> float:
    sa, sb = set(a), set(b)
    return len(sa & sb) / len(sa | sb) if sa and sb else 0.0


def _overlap(a: list[str], b: list[str]) -> float:
    """Shared share of the smaller set: a short report naming one of the many people a long report names
    still agrees with it."""
    sa, sb = set(a), set(b)
    return len(sa & sb) / min(len(sa), len(sb)) if sa and sb else 0.0


def cosine(a: dict[str, float], b: dict[str, float], idf: dict[str, float]) -> float:
    """TF-IDF cosine of two term-count maps (sublinear term frequency)."""
    if not a or not b:
        return 0.0
    wa = {t: (1 + math.log(c)) * idf.get(t, 1.0) for t, c in a.items() if c > 0}
    wb = {t: (1 + math.log(c)) * idf.get(t, 1.0) for t, c in b.items() if c > 0}
    dot = sum(w * wb[t] for t, w in wa.items() if t in wb)
    na = math.sqrt(sum(w * w for w in wa.values()))
    nb = math.sqrt(sum(w * w for w in wb.values()))
    return dot / (na * nb) if na and nb else 0.0


def pair_features(a: ArticleFeatures, b: ArticleFeatures, idf: dict[str, float]) -> list[float]:
    ya, yb = set(a.years), set(b.years)
    agree = conflict = 0.0
    if a.date and b.date:
        sa, ea = date.fromisoformat(a.date[0]), date.fromisoformat(a.date[1])
        sb, eb = date.fromisoformat(b.date[0]), date.fromisoformat(b.date[1])
        gap = max((sa - eb).days, (sb - ea).days, 0)
        # two precise dates more than two days apart are different happenings
        agree, conflict = (1.0, 0.0) if gap <= 1 else (0.0, 1.0) if gap > 2 else (0.0, 0.0)
    close = far = 0.0
    if a.published and b.published:
        days = abs((date.fromisoformat(a.published) - date.fromisoformat(b.published)).days)
        close, far = (1.0 if days <= 7 else 0.0), (1.0 if days > 45 else 0.0)
    wa, wb = set(a.weekdays), set(b.weekdays)
    return [
        1.0,
        cosine(a.terms, b.terms, idf),
        _overlap(a.people, b.people),
        _overlap(a.organisations, b.organisations),
        _overlap(a.places, b.places),
        _jaccard(a.numbers, b.numbers),
        1.0 if ya & yb else 0.0,
        1.0 if ya and yb and not ya & yb else 0.0,
        1.0 if a.type == b.type else 0.0,
        agree,
        conflict,
        close,
        far,
        1.0 if wa & wb else 0.0,
        1.0 if wa and wb and not wa & wb else 0.0,
    ]


def probability(
    a: ArticleFeatures, b: ArticleFeatures, idf: dict[str, float], weights: dict[str, float] | None = None
) -> float:
    w = weights or WEIGHTS
    z = sum(w[name] * x for name, x in zip(FEATURES, pair_features(a, b, idf), strict=True))
    return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))


def article_features(
    db: sqlite3.Connection, article: sqlite3.Row, main_type: str, main_date: tuple[str, str] | None
) -> ArticleFeatures:
    """Features of one stored, resolved article."""
    people: set[str] = set()
    orgs: set[str] = set()
    places: set[str] = set()
    for eid, etype in db.execute(
        "SELECT m.entity_id, e.type FROM entity_mentions m JOIN entities e ON e.id = m.entity_id WHERE m.article_id = ?",
        (article["id"],),
    ):
        (
            people
            if etype == "PERSON"
            else orgs
            if etype == "ORG"
            else places
            if etype in ("GPE", "LOC", "FAC")
            else set()
        ).add(eid)
    nums, years = numbers_and_years(article["title"] + "\n" + article["text"])
    lead = article["title"] + " " + " ".join(article["text"].split("\n\n")[:2])
    weekdays = sorted({w.lower() for w in _WEEKDAY_RX.findall(lead)})
    return ArticleFeatures(
        terms={k: float(v) for k, v in json.loads(article["terms"]).items()},
        people=sorted(people),
        organisations=sorted(orgs),
        places=sorted(places),
        numbers=nums,
        years=years,
        type=main_type,
        date=main_date,
        published=article["published_date"],
        weekdays=weekdays,
    )
