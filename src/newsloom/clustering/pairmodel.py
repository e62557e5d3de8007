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
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date
from functools import lru_cache
from importlib import resources
from itertools import repeat
from operator import mul, truediv
from pathlib import Path

from ..store.events import EventRepository
from ..temporal import MONTH_PATTERN
from .config import SETTINGS as S

__all__ = [
    "ENTITY_FIELDS",
    "ArticleFeatures",
    "FEATURES",
    "MODEL",
    "PairModel",
    "UNSPECIFIC_KINDS",
    "article_features",
    "cosine",
    "counted_keys",
    "dot",
    "follow_up",
    "lead_figures",
    "names",
    "number_key",
    "number_keys",
    "numbers_and_years",
    "pair_features",
    "parsed",
    "probability",
    "unit",
    "vocabulary",
]

FEATURES = (
    "bias",
    "cosine",
    "names_cosine",
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
    "lead_people_disjoint",
    "lead_orgs_disjoint",
    "lead_places_disjoint",
    "lead_numbers_shared",
    "lead_numbers_disjoint",
)


@dataclass(frozen=True)
class PairModel:
    """The same-event pair model: a logistic regression over FEATURES, and the average-link probability
    above which a report joins an event. Data, not code: `data/pair_model.json`, written by
    `benchmarks/learn_weights.py --write` with its provenance (data hash, commit, cross-validated score);
    never edited by hand."""

    weights: dict[str, float]
    threshold: float
    provenance: dict[str, object]

    @classmethod
    def load(cls, path: str | Path | None = None) -> PairModel:
        raw = (
            Path(path).read_text(encoding="utf-8")
            if path
            else resources.files("newsloom.data").joinpath("pair_model.json").read_text(encoding="utf-8")
        )
        d = json.loads(raw)
        if list(d["features"]) != list(FEATURES):
            raise ValueError(f"{path or 'pair_model.json'}: its features are not this newsloom's {FEATURES}")
        return cls(
            dict(zip(FEATURES, map(float, d["weights"]), strict=True)), float(d["threshold"]), d["provenance"]
        )


MODEL = PairModel.load()


_YEAR_RX = re.compile(r"\b(?:19|20)\d\d\b")
_WEEKDAY_RX = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
_NUM_RX = re.compile(r"\b\d[\d,]*(?:\.\d+)?\b")
# Names and figures: capitalised words that do not open a sentence or line, and numbers. Two reports of
# one happening share its specifics (the player, the ship, the toll); two of the same kind share its
# words. A number weighs its own document frequency (see `number_key`): an age or a small count is in
# many reports, a toll of 346 in few.
_NAME_RX = re.compile(r"(?<![.!?\"'“‘]\s)(?<!^)\b([A-Z][a-zA-Z]+|\d[\d,.]*\d|\d)\b", re.M)
# a name in parentheses, as wire copy credits its agency ("LONDON (Reuters) -"; tokenised corpora write
# the parentheses -LRB- and -RRB-)
_OPENING_RX = re.compile(r"(?:\(|-LRB-)\s*$")
_CLOSING_RX = re.compile(r"\s*(?:\)|-RRB-)")
_NAME_STOP = frozenset("the a an in on at he she it they but and this that his her we i its their".split())


# the features of a report that hold entity ids (sorted lists)
ENTITY_FIELDS = ("people", "organisations", "places", "lead_people", "lead_organisations", "lead_places")


@dataclass(eq=False)  # compared by identity: the unit vectors of `_units` are cached per object
class ArticleFeatures:
    terms: dict[str, float] = field(default_factory=dict)
    names: dict[str, float] = field(default_factory=dict)
    people: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)
    years: list[str] = field(default_factory=list)
    type: str = "OTHER"
    date: tuple[str, str] | None = None  # a date stated near the main event (not a publication fallback)
    published: str | None = None
    weekdays: list[str] = field(default_factory=list)  # weekdays the headline and lead name
    # who and where the headline and lead name: the protagonists, whom a report of the same happening
    # names too (another player arrested, another city shaken)
    lead_people: list[str] = field(default_factory=list)
    lead_organisations: list[str] = field(default_factory=list)
    lead_places: list[str] = field(default_factory=list)
    lead_numbers: list[str] = field(default_factory=list)

    def replace_entity(self, drop: str, keep: str) -> None:
        """Entity `keep` wherever entity `drop` is named (two ids found to be one entity of one type). Only
        on a report's own copy: the reports of `parsed` are shared."""
        for f in ENTITY_FIELDS:
            ids: list[str] = getattr(self, f)
            if drop in ids:
                setattr(self, f, sorted({*ids, keep} - {drop}))

    def to_json(self) -> str:
        # the fields as they are (`asdict` deep-copies every term map first, the larger share of the cost)
        return json.dumps({f.name: getattr(self, f.name) for f in fields(self)}, sort_keys=True)

    @classmethod
    def from_json(cls, s: str) -> ArticleFeatures:
        d = json.loads(s)
        if d.get("date"):
            d["date"] = tuple(d["date"])
        return cls(**d)


@lru_cache(maxsize=2048)
def parsed(s: str) -> ArticleFeatures:
    """A stored report's features, parsed once while they are in use: the reports of the events in the news
    are compared with every new report. Shared: callers only read them."""
    return ArticleFeatures.from_json(s)


def names(text: str) -> dict[str, float]:
    """Counts of the names and figures of a text (lowercased, to share the terms' document frequencies)."""
    out: dict[str, float] = {}
    for m in _NAME_RX.finditer(text):
        w = m.group(1).lower().replace(",", "")
        if w[0].isdigit():
            w = number_key(w)
        if w not in _NAME_STOP:
            out[w] = out.get(w, 0.0) + 1.0
    return out


def numbers_and_years(text: str) -> tuple[list[str], list[str]]:
    years = sorted(set(_YEAR_RX.findall(text)))
    nums = {n.replace(",", "") for n in _NUM_RX.findall(text)}
    nums -= set(years)
    return sorted(nums), years


def number_key(n: str) -> str:
    """The key under which a number's document frequency is counted with the terms' (an age or a day of
    the month is in many reports, a toll of 346 in few)."""
    return "#" + n


def number_keys(f: ArticleFeatures) -> list[str]:
    """The keys a report's numbers and years are counted under (the names feature holds both)."""
    return [number_key(n) for n in (*f.numbers, *f.years)]


def counted_keys(terms: Iterable[str], title: str, text: str) -> list[str]:
    """What one report adds to the document frequencies when it is clustered: its content terms and the
    keys of its numbers and years (`number_keys` of its features, read from its title and text)."""
    nums, years = numbers_and_years(title + "\n" + text)
    return [*terms, *(number_key(n) for n in (*nums, *years))]


# report -> its vocabulary; an entry goes with its report (a report's features are not changed once made)
_VOCABULARIES: weakref.WeakKeyDictionary[ArticleFeatures, frozenset[str]] = weakref.WeakKeyDictionary()


def vocabulary(f: ArticleFeatures) -> frozenset[str]:
    """The keys of the idf map that comparing a report needs: its terms, names and numbers (computed once
    per report: the reports of the events in the news are compared with every new report)."""
    found = _VOCABULARIES.get(f)
    if found is None:
        found = _VOCABULARIES[f] = frozenset({*f.terms, *f.names, *number_keys(f)})
    return found


def _rare_share(a: list[str], b: list[str], idf: dict[str, float]) -> float:
    """Jaccard of two sets of numbers, each number weighing its idf: sharing a common number (an age,
    a small count) says little, sharing a rare one much."""
    sa, sb = set(a), set(b)
    if not sa or not sb:
        return 0.0
    weight = {n: idf.get(number_key(n), 1.0) for n in sa | sb}
    return sum(weight[n] for n in sa & sb) / sum(weight.values())


def _overlap(a: list[str], b: list[str]) -> float:
    """Shared share of the smaller set: a short report naming one of the many people a long report names
    still agrees with it."""
    sa, sb = set(a), set(b)
    return len(sa & sb) / min(len(sa), len(sb)) if sa and sb else 0.0


def _sublinear(counts: dict[str, float]) -> dict[str, float]:
    """Sublinear term frequencies (1 + log count) of a term-count map: what does not depend on the idf."""
    return {t: 1 + math.log(c) for t, c in counts.items() if c > 0}


def _weighted_unit(tf: dict[str, float], idf: dict[str, float]) -> dict[str, float]:
    """Sublinear term frequencies weighted by idf, as a unit vector (mapped in C: a report's vector is
    made again under every new idf map)."""
    w = list(map(mul, tf.values(), map(idf.get, tf, repeat(1.0))))
    n = math.sqrt(sum(map(mul, w, w)))
    return dict(zip(tf, map(truediv, w, repeat(n)), strict=True)) if n else {}


def unit(counts: dict[str, float], idf: dict[str, float]) -> dict[str, float]:
    """A term-count map as a unit TF-IDF vector (sublinear term frequency)."""
    return _weighted_unit(_sublinear(counts), idf)


def dot(a: dict[str, float], b: dict[str, float]) -> float:
    """Dot product of two sparse vectors (the shared keys found by a set intersection, in C)."""
    shared = a.keys() & b.keys()
    return sum(map(mul, map(a.__getitem__, shared), map(b.__getitem__, shared)))


def cosine(a: dict[str, float], b: dict[str, float], idf: dict[str, float]) -> float:
    """TF-IDF cosine of two term-count maps (sublinear term frequency)."""
    if not a or not b:
        return 0.0
    return dot(unit(a, idf), unit(b, idf))


_IDF_VERSIONS: list[tuple[dict[str, float], int]] = []  # the idfs in use, newest last
_IDF_COUNT = 0


def _idf_version(idf: dict[str, float]) -> int:
    """A number never reused for the idf maps in use (a freed map's id() can come back)."""
    global _IDF_COUNT
    for d, v in reversed(_IDF_VERSIONS):
        if d is idf:
            return v
    _IDF_COUNT += 1
    _IDF_VERSIONS.append((idf, _IDF_COUNT))
    del _IDF_VERSIONS[:-4]
    return _IDF_COUNT


@dataclass
class _Vectors:
    tf_terms: dict[str, float]  # sublinear frequencies, made once a report
    tf_names: dict[str, float]
    version: int = 0  # the idf map the unit vectors were made under (0: none yet)
    terms: dict[str, float] = field(default_factory=dict)
    names: dict[str, float] = field(default_factory=dict)


# report -> its vectors; an entry goes with its report
_UNITS: weakref.WeakKeyDictionary[ArticleFeatures, _Vectors] = weakref.WeakKeyDictionary()


def _units(f: ArticleFeatures, idf: dict[str, float]) -> tuple[dict[str, float], dict[str, float]]:
    """The unit vectors of a report's terms and names under one idf, cached while that idf is in use (a
    report is compared with many others under the same idf; its term frequencies serve every idf)."""
    version = _idf_version(idf)
    v = _UNITS.get(f)
    if v is None:
        v = _UNITS[f] = _Vectors(_sublinear(f.terms), _sublinear(f.names))
    if v.version != version:
        v.version, v.terms, v.names = (
            version,
            _weighted_unit(v.tf_terms, idf),
            _weighted_unit(v.tf_names, idf),
        )
    return v.terms, v.names


def _lead_disjoint(lead_a: list[str], all_a: list[str], lead_b: list[str], all_b: list[str]) -> float:
    """1 when both reports have protagonists and neither's appear anywhere in the other; 0.5 when the
    protagonists differ but one report names the other's in passing (a second arrest recalls the first)."""
    if not lead_a or not lead_b:
        return 0.0
    return (
        0.0
        if set(lead_a) & set(lead_b)
        else 0.5
        if set(lead_a) & set(all_b) or set(lead_b) & set(all_a)
        else 1.0
    )


# The figures of a happening (a magnitude, a toll, a sum, a patch number) are stated in the headline and
# lead, and two reports of one happening give the same ones; two of the same kind give others. Clock
# times and the parts of dates are page furniture or the date features' business, and are left out.
# Whole numbers within `figure_tolerance` of each other do not count as different: a toll or a count that
# grew between two reports of one happening (27,000 cases, then 30,000); decimals (a magnitude of 5.6 or
# 6.1, a share of the vote) must agree.
_NOT_FIGURES_RX = re.compile(
    r"\b\d{1,2}:\d{2}\b(?:\s*[ap]\.?m\b\.?)?|\b\d{1,2}\.\d{2}\s*(?:[ap]\.?m\b\.?|[A-Z]{2,4}\b)"
    r"|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + MONTH_PATTERN + r"|" + MONTH_PATTERN + r"\s+\d{1,2}\b"
    r"|\b(?:19|20)\d\d[ ./-]\d{1,2}[ ./-]\d{1,2}\b|\b\d{1,2}[./-]\d{1,2}[./-](?:19|20)?\d\d\b"
)


def lead_figures(lead: str) -> list[str]:
    """The figures a headline and lead state: numbers of two digits or more, or with decimals, that are
    not years, clock times or days of the month."""
    nums, _ = numbers_and_years(_NOT_FIGURES_RX.sub(" ", lead))
    return [n for n in nums if "." in n or len(n) >= 2]


def _figures(a: list[str], b: list[str], idf: dict[str, float]) -> tuple[float, float]:
    """(shared, disjoint): how much of their figures the reports share, each figure weighing how rare it
    is (`_rare_share`); 1 when both state figures and share none, not even whole numbers within
    figure_tolerance."""
    if not a or not b:
        return 0.0, 0.0
    if set(a) & set(b):
        return _rare_share(a, b, idf), 0.0
    ia, ib = [int(x) for x in a if x.isdigit()], [int(y) for y in b if y.isdigit()]
    return 0.0, 0.0 if any(abs(x - y) <= S.figure_tolerance * max(x, y) for x in ia for y in ib) else 1.0


# kinds that say nothing of what happened: a report of speech, a happening the tagger could not type
UNSPECIFIC_KINDS = frozenset({"OTHER", "STATEMENT"})


def follow_up(a: ArticleFeatures, b: ArticleFeatures) -> bool:
    """Whether one report may be a later step of the happening the other reports (the arrest after a
    shooting, the charges): the two report happenings of different kinds, one leads with a person the
    other names, and both name one place. Its own date is then that step's, not the happening's, and
    does not rule the pair out. Two happenings of one kind with one person at one place (a second
    visit, a second arrest) are two events."""
    kinds = {a.type, b.type}
    if len(kinds) < 2 or kinds & UNSPECIFIC_KINDS:
        return False
    led = set(a.lead_people) & set(b.people) or set(b.lead_people) & set(a.people)
    return bool(led) and bool(set(a.places) & set(b.places))


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
    (ta, na), (tb, nb) = _units(a, idf), _units(b, idf)
    return [
        1.0,
        dot(ta, tb),
        dot(na, nb),
        _overlap(a.people, b.people),
        _overlap(a.organisations, b.organisations),
        _overlap(a.places, b.places),
        _rare_share(a.numbers, b.numbers, idf),
        1.0 if ya & yb else 0.0,
        1.0 if ya and yb and not ya & yb else 0.0,
        1.0 if a.type == b.type else 0.0,
        agree,
        conflict,
        close,
        far,
        1.0 if wa & wb else 0.0,
        1.0 if wa and wb and not wa & wb else 0.0,
        _lead_disjoint(a.lead_people, a.people, b.lead_people, b.people),
        _lead_disjoint(a.lead_organisations, a.organisations, b.lead_organisations, b.organisations),
        _lead_disjoint(a.lead_places, a.places, b.lead_places, b.places),
        *_figures(a.lead_numbers, b.lead_numbers, idf),
    ]


def probability(
    a: ArticleFeatures, b: ArticleFeatures, idf: dict[str, float], weights: dict[str, float] | None = None
) -> float:
    w = weights or MODEL.weights
    z = sum(w[name] * x for name, x in zip(FEATURES, pair_features(a, b, idf), strict=True))
    return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))


def _parenthetical(s: str, start: int, end: int) -> bool:
    return bool(_OPENING_RX.search(s, max(0, start - 8), start) or _CLOSING_RX.match(s, end))


def article_features(
    db: sqlite3.Connection, article: sqlite3.Row, main_type: str, main_date: tuple[str, str] | None
) -> ArticleFeatures:
    """Features of one stored, resolved article."""
    people: set[str] = set()
    orgs: set[str] = set()
    places: set[str] = set()
    protagonists: dict[str, set[str]] = {"PERSON": set(), "ORG": set(), "PLACE": set()}
    title = article["title"] or ""
    body = article["text"]
    for eid, etype, para, text, start, end in EventRepository(db).entity_mentions_in_paragraphs(
        article["id"]
    ):
        kind = "PLACE" if etype in ("GPE", "LOC", "FAC") else etype
        (people if kind == "PERSON" else orgs if kind == "ORG" else places if kind == "PLACE" else set()).add(
            eid
        )
        if kind == "ORG":
            # the agency a report credits is no protagonist
            leads = (para == 0 and not _parenthetical(body, start, end)) or any(
                not _parenthetical(title, m.start(), m.end()) for m in re.finditer(re.escape(text), title)
            )
        else:
            leads = para == 0 or text in title
        if kind in protagonists and leads:
            protagonists[kind].add(eid)
    nums, years = numbers_and_years(article["title"] + "\n" + article["text"])
    lead = article["title"] + " " + " ".join(article["text"].split("\n\n")[:2])
    weekdays = sorted({w.lower() for w in _WEEKDAY_RX.findall(lead)})
    return ArticleFeatures(
        terms={k: float(v) for k, v in json.loads(article["terms"]).items()},
        names=names(article["title"] + "\n" + article["text"]),
        people=sorted(people),
        organisations=sorted(orgs),
        places=sorted(places),
        numbers=nums,
        years=years,
        type=main_type,
        date=main_date,
        published=article["published_date"],
        weekdays=weekdays,
        lead_people=sorted(protagonists["PERSON"]),
        lead_organisations=sorted(protagonists["ORG"]),
        lead_places=sorted(protagonists["PLACE"]),
        lead_numbers=lead_figures(lead),
    )
