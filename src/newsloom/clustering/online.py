"""Cluster: each article's main event -> a real-world event; events -> storylines. Incremental.

Same event is decided as an editor would: compatible dates (incompatible dates veto), same place,
overlapping participants, same kind of happening, similar content. Candidates come from an index of
events by participant and by date, never from a scan of the whole store, so adding an article costs
about the same in a large store as in a small one. Processing articles in insertion order makes a full
rebuild give the same result as the increments.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import sqlite3
import weakref
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, NamedTuple

import numpy as np

from .. import places
from ..model import DAY, MONTH, UNKNOWN, WEEK, DateSource
from ..store.entities import EntityRepository
from ..store.events import CandidateIndex, EventRepository
from . import linkage, pairmodel
from .config import SETTINGS as S

__all__ = [
    "Batch",
    "DateAttestation",
    "FrequencyCache",
    "Profile",
    "STATED",
    "article_profile",
    "assign_article",
    "assign_storyline",
    "best_date",
    "candidate_events",
    "dates_compatible",
    "idf_map",
    "kept_articles",
    "main_mention",
    "may_share_storyline",
    "merge_events",
    "profile_view",
    "refine",
    "reset",
    "stated_date",
]

# Ranking of where a date came from: stated next to the event beats inferred from the article.
_SOURCE_RANK: dict[str, int] = {
    DateSource.SENTENCE: 3,
    DateSource.PARAGRAPH: 3,
    DateSource.CAPTION: 2,
    DateSource.PUBLISHED: 1,
    DateSource.NONE: 0,
}
STATED = _SOURCE_RANK[DateSource.CAPTION]  # a date written in the text (not the publication date)
_GRAN_RANK: dict[str, int] = {DAY: 3, WEEK: 2, MONTH: 1}


class DateAttestation(NamedTuple):
    """One report's word on when its happening took place (stored in profiles as a 4-item list)."""

    start: str
    end: str
    granularity: str
    rank: int  # where it came from: 3 next to the event, 2 a caption, 1 the publication date, 0 inferred


def kept_articles() -> int:
    """Reports an event's profile lists (the latest), besides its first."""
    return 2 * S.max_members


@dataclass
class Profile:
    """What one article says about its main event, or what an event's members say together."""

    type: str = "OTHER"
    dates: list[DateAttestation] = field(default_factory=list)
    participants: dict[str, float] = field(default_factory=dict)  # entity id -> weight (PERSON/ORG)
    places: dict[str, float] = field(default_factory=dict)  # entity id -> weight (GPE/LOC)
    types: dict[str, int] = field(default_factory=dict)
    terms: dict[str, float] = field(default_factory=dict)
    articles: list[str] = field(default_factory=list)  # the first report and the latest kept_articles()
    outlets: list[str] = field(default_factory=list)  # the outlets of the latest kept_articles()
    count: int = 0  # reports in all

    def __post_init__(self) -> None:
        self.dates = [DateAttestation(*d) for d in self.dates]

    def to_json(self) -> str:
        return json.dumps(self.__dict__, sort_keys=True)

    @classmethod
    def from_json(cls, s: str) -> Profile:
        d = json.loads(s)
        d.setdefault("count", len(d.get("articles", [])))  # a profile stored before counts were kept
        return cls(**d)


@lru_cache(maxsize=512)
def profile_view(s: str) -> Profile:
    """A stored event profile parsed once while it is in use, to be read only (the candidate events of
    a report are the candidates of the next reports too); `Profile.from_json` for one to change."""
    return Profile.from_json(s)


def _d(s: str | None) -> date | None:
    return date.fromisoformat(s) if s else None


def best_date(dates: list[DateAttestation]) -> tuple[date | None, date | None, str]:
    """The event's date: the best-attested date, widened by the other attestations that overlap it."""
    if not dates:
        return None, None, UNKNOWN
    # best source, then finest granularity, then order of attestation (an article's main mention first)
    ranked = sorted(dates, key=lambda d: (-d.rank, -_GRAN_RANK.get(d.granularity, 0)))
    top = ranked[0]
    start, end = _d(top.start), _d(top.end)
    assert start is not None and end is not None
    for d in ranked[1:]:
        if d.rank < top.rank or d.granularity != top.granularity:
            continue
        ds, de = _d(d.start), _d(d.end)
        if ds and de and ds <= end and de >= start:
            start, end = min(start, ds), max(end, de)
    return start, end, top.granularity


def stated_date(profile: str) -> bool:
    """Whether a stored event profile's date was written in a report's text (next to the event, or in a
    caption), not taken from publication dates: a card marks the latter "inferred"."""
    return any(d.rank >= STATED for d in Profile.from_json(profile or "{}").dates)


def dates_compatible(a: Profile, b: Profile, veto_days: int) -> bool:
    """False when both state the day (or the week) of their happening, next to it in the text, and those
    are more than `veto_days` apart: two happenings, however alike the reports. Stated months, years and
    decades are as often the background as the happening, and a publication date follows its happening by
    days or by years (a follow-up, an anniversary): they veto nothing, the pair model weighs them."""
    sa, ea, ga = best_date(a.dates)
    sb, eb, gb = best_date(b.dates)
    if not (sa and ea and sb and eb) or not {ga, gb} <= {DAY, WEEK}:
        return True
    if max(d.rank for d in a.dates) < STATED or max(d.rank for d in b.dates) < STATED:
        return True
    return max((sa - eb).days, (sb - ea).days, 0) <= veto_days


def _overlap(a: dict[str, float], b: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    inter = sum(min(w, b[k]) for k, w in a.items() if k in b)
    return inter / min(sum(a.values()), sum(b.values()))


# --- article profiles -------------------------------------------------------------------------------


def main_mention(
    rows: list[sqlite3.Row],
    sentence_para: dict[int, int],
    title_type: str | None = None,
    published: str | None = None,
) -> sqlite3.Row | None:
    """The event mention that states what the article mainly reports: early, not a statement,
    asserted (not hedged or negated), with participants and a precise date."""

    def merit(r: sqlite3.Row) -> float:
        para = sentence_para.get(r["sentence"], 99)
        m = 0.0
        m += 4 if r["type"] != "STATEMENT" else 0
        m += 1 if r["type"] not in ("STATEMENT", "OTHER") else 0
        m += 2.5 if title_type and r["type"] == title_type else 0
        dated = _SOURCE_RANK.get(r["date_source"], 0) >= 2
        m += 2 if dated else 0
        m += {DAY: 3.0, WEEK: 1.0, MONTH: 0.5}.get(r["granularity"], 0) if dated else 0
        m += 1 if (json.loads(r["actors"]) or json.loads(r["targets"])) else 0
        m -= 3 * (r["hedged"] + r["negated"])
        if (
            published
            and dated
            and r["date_end"]
            and (date.fromisoformat(published) - date.fromisoformat(r["date_end"])).days > 10
        ):
            m -= 4  # news leads with what is new: a mention dated weeks before publication is background
        m -= 1.0 * para + 0.05 * r["sentence"]
        return m

    lead = [r for r in rows if sentence_para.get(r["sentence"], 99) <= 2]
    pool = lead or rows
    return max(pool, key=merit) if pool else None


def _date_entry(r: sqlite3.Row) -> DateAttestation:
    return DateAttestation(
        r["date_start"],
        r["date_end"] or r["date_start"],
        r["granularity"],
        _SOURCE_RANK.get(r["date_source"], 0),
    )


def article_profile(db: sqlite3.Connection, article: sqlite3.Row) -> tuple[Profile, int | None]:
    aid = article["id"]
    repo = EventRepository(db)
    rows = repo.event_mentions(aid)
    sentence_para = repo.sentence_paragraphs(aid)
    title_type = article["title_event_type"]
    main = main_mention(rows, sentence_para, title_type, article["published_date"])
    p = Profile(articles=[aid], outlets=[article["outlet"] or ""], count=1)
    if main is not None:
        p.type = main["type"]
        # The main mention's date first; lead mentions of the same kind add their dates only when they
        # restate it (overlapping), so a background event in the lead cannot date the main one.
        if main["date_start"]:
            p.dates.append(_date_entry(main))
        for r in rows:
            if r["id"] == main["id"] or r["type"] != main["type"] or not r["date_start"]:
                continue
            if sentence_para.get(r["sentence"], 99) > 2 or r["hedged"] or r["negated"]:
                continue
            e = _date_entry(r)
            if not p.dates or (e.start <= p.dates[0].end and e.end >= p.dates[0].start):
                p.dates.append(e)
    if title_type and p.type in ("STATEMENT", "OTHER"):
        p.type = title_type  # the headline names the happening the lead only reports speech about
    if not p.dates and article["published_date"]:
        p.dates.append(
            DateAttestation(
                article["published_date"], article["published_date"], article["published_granularity"], 1
            )
        )
    if article["published_inferred"]:
        # an undated report "written on or after the latest date it states" (an obituary's birth date,
        # a story's background) bounds nothing: these dates are kept for display but veto no match
        p.dates = [d._replace(rank=0) if d.rank == 1 else d for d in p.dates]
    p.types = {p.type: 1}
    for eid, etype, sent in repo.entity_mentions(aid):
        w = 2.0 if sentence_para.get(sent, 99) <= 1 else 1.0  # the lead names who and where
        if etype in ("PERSON", "ORG"):
            p.participants[eid] = p.participants.get(eid, 0) + w
        elif etype in ("GPE", "LOC", "FAC"):
            p.places[eid] = p.places.get(eid, 0) + w
    p.terms = {k: float(v) for k, v in json.loads(article["terms"]).items()}
    return p, (main["id"] if main is not None else None)


# --- store updates ----------------------------------------------------------------------------------


@dataclass
class FrequencyCache:
    """The store's document frequencies as read during one batch. A term is read from the store once: the
    batch's own counting (`counted`) keeps what was read up to date, so the many idf maps of a batch (one
    each time the store has grown by S.idf_drift) are made without reading the store again. Whenever the
    store's count of articles is not the one expected (an article's corpus work rolled back, another
    writer) everything read is forgotten and read again."""

    n: int = -1  # the store's count of articles that `df` holds
    df: dict[str, int | None] = field(default_factory=dict)  # None: no report uses the term

    def read(self, repo: EventRepository, terms: list[str]) -> int:
        """Have the frequencies of `terms` at hand (in `df`); returns the store's count of articles."""
        n = repo.articles_counted()
        if n != self.n:
            self.n, self.df = n, {}
        missing = [t for t in terms if t not in self.df]
        if missing:
            found = repo.document_frequencies(missing)
            self.df.update((t, found.get(t)) for t in missing)
        return n

    def counted(self, terms: Iterable[str]) -> None:
        """One more article was counted with these terms (as `EventRepository.count_terms` counts them)."""
        self.n += 1
        for t in terms:
            if t in self.df:
                self.df[t] = (self.df[t] or 0) + 1


@dataclass
class Batch:
    """What the reports of one batch share: the events each joined with the events that came close (for
    `refine`), and an idf map. A term's idf in it holds from its first use until the store has grown by
    S.idf_drift, so at scale one map serves a whole batch and a report's unit vectors, compared with many
    reports, are computed once instead of once a comparison; while the store is small (fewer than
    1 / S.idf_drift articles) every report gets a fresh one, as without a batch."""

    links: list[set[str]] = field(default_factory=list)
    changed: set[str] = field(default_factory=set)  # events whose reports refinement moved or merged
    idf: dict[str, float] = field(default_factory=dict)
    frequencies: FrequencyCache = field(default_factory=FrequencyCache)
    idf_n: int = 0  # the number of articles when `idf` was started
    # the reports whose whole vocabulary `idf` holds (checked once per map, not once per comparison)
    covered: weakref.WeakSet[pairmodel.ArticleFeatures] = field(default_factory=weakref.WeakSet)

    def _renew_if_grown(self, db: sqlite3.Connection) -> None:
        n = EventRepository(db).articles_counted()
        if n > self.idf_n * (1 + S.idf_drift):
            # a new map: unit vectors cached under the old one are not reused
            self.idf, self.idf_n, self.covered = {}, n, weakref.WeakSet()

    def _add_missing(self, db: sqlite3.Connection, terms: Iterable[str]) -> dict[str, float]:
        return fill_idf(db, self.idf, terms, self.frequencies)

    def idf_for(self, db: sqlite3.Connection, terms: Iterable[str]) -> dict[str, float]:
        self._renew_if_grown(db)
        return self._add_missing(db, terms)

    def idf_for_reports(
        self, db: sqlite3.Connection, reports: list[pairmodel.ArticleFeatures]
    ) -> dict[str, float]:
        """`idf_for` the vocabulary of the reports (those the map covers already are not looked at)."""
        self._renew_if_grown(db)
        todo = [f for f in reports if f not in self.covered]
        idf = self._add_missing(db, frozenset().union(*(pairmodel.vocabulary(f) for f in todo)))
        self.covered.update(todo)
        return idf


def fill_idf(
    db: sqlite3.Connection,
    idf: dict[str, float],
    terms: Iterable[str],
    frequencies: FrequencyCache | None = None,
) -> dict[str, float]:
    """`idf` with the terms it lacks looked up (in place; returned)."""
    missing = sorted(set(itertools.filterfalse(idf.__contains__, terms)))
    if missing:
        idf.update(idf_map(db, missing, frequencies))
    return idf


def idf_map(
    db: sqlite3.Connection, terms: list[str], frequencies: FrequencyCache | None = None
) -> dict[str, float]:
    """Each term's idf, log((n + 1) / (df + 0.5)), n the articles counted (log(n + 1) for a term no
    report uses); the frequencies read through `frequencies` when given."""
    repo = EventRepository(db)
    if frequencies is None:
        n = repo.articles_counted()
        df: dict[str, int | None] = dict(repo.document_frequencies(terms))
    else:
        n, df = frequencies.read(repo, terms), frequencies.df
    default = math.log(n + 1)
    return {t: default if (c := df.get(t)) is None else math.log((n + 1) / (c + 0.5)) for t in terms}


def _top(d: dict[str, float], k: int) -> dict[str, float]:
    if len(d) <= k:
        return d
    return dict(sorted(d.items(), key=lambda kv: -kv[1])[:k])


def _merge(ev: Profile, art: Profile) -> Profile:
    for attr in ("participants", "places", "terms"):
        tgt: dict[str, float] = getattr(ev, attr)
        for k, v in getattr(art, attr).items():
            tgt[k] = tgt.get(k, 0) + v
    ev.terms = _top(ev.terms, S.max_terms)
    ev.participants = _top(ev.participants, 60)
    ev.places = _top(ev.places, 30)
    for t, c in art.types.items():
        ev.types[t] = ev.types.get(t, 0) + c
    ev.dates = _deciding_dates(ev.dates + art.dates)
    ev.articles = _first_and_latest(ev.articles + art.articles)
    ev.outlets = (ev.outlets + art.outlets)[-kept_articles() :]
    ev.count += art.count
    return ev


def _deciding_dates(dates: list[DateAttestation]) -> list[DateAttestation]:
    """What can still decide an event's date, at most two attestations: best_date and the date veto read
    only the best source and, among those, the finest granularity; of those, the first attestation and
    the range it has been widened to by the others that overlap it. Later attestations extend that range
    exactly as they would extend the first one after all the earlier ones, so a profile stays small
    however many reports an event gathers and its date is the one the whole list would give."""
    if not dates:
        return dates
    best = max((d.rank, _GRAN_RANK.get(d.granularity, 0)) for d in dates)
    top = next(d for d in dates if (d.rank, _GRAN_RANK.get(d.granularity, 0)) == best)
    start, end, _ = best_date(dates)
    assert start is not None and end is not None
    if (start.isoformat(), end.isoformat()) == (top.start, top.end):
        return [top]
    return [top, top._replace(start=start.isoformat(), end=end.isoformat())]


def _first_and_latest(ids: list[str]) -> list[str]:
    return ids if len(ids) <= kept_articles() + 1 else ids[:1] + ids[-kept_articles() :]


def candidate_events(index: CandidateIndex, p: Profile, limit: int = 60) -> list[str]:
    """Events that could be the same as (or in a storyline with) a profile: the latest events of its main
    participants and places, and the events starting around its date. Every lookup is an index range
    of bounded length, so the cost does not grow with the store."""
    keys = [k for k, _ in sorted({**p.participants, **p.places}.items(), key=lambda kv: -kv[1])[:12]]
    found: Counter[str] = Counter()
    for key in keys:
        found.update(index.events_of_entity(key, S.per_entity))
    s, e, _ = best_date(p.dates)
    if s and e:
        # events last days, rarely months: those starting up to a month before this date can overlap it
        lo, hi = (s - timedelta(days=31)).isoformat(), (e + timedelta(days=3)).isoformat()
        found.update(index.events_around(lo, hi, (s - timedelta(days=3)).isoformat(), 200))
    return [eid for eid, _ in found.most_common(limit)]


def _event_fields(db: sqlite3.Connection, ev: Profile) -> dict[str, Any]:
    s, e, g = best_date(ev.dates)
    place = None
    if ev.places:
        pid = max(ev.places, key=lambda k: ev.places[k])
        place = EventRepository(db).entity_names([pid]).get(pid)
    etype = max(ev.types, key=lambda t: (ev.types[t], t != "STATEMENT")) if ev.types else "OTHER"
    return {
        "type": etype,
        "date_start": s.isoformat() if s else None,
        "date_end": e.isoformat() if e else None,
        "granularity": g,
        "place": place,
        "article_count": ev.count,
    }


def _update_event(db: sqlite3.Connection, eid: str, ev: Profile) -> None:
    """Write an event's profile and the fields derived from it."""
    EventRepository(db).update_event(eid, _event_fields(db, ev), ev.to_json())


def assign_article(db: sqlite3.Connection, article: sqlite3.Row, batch: Batch | None = None) -> str:
    """Attach one stored, resolved article to the best-matching event (or a new one). Returns the event id.
    `batch` collects the event it joined with the events that came close, for `refine`, and shares the
    batch's idf."""
    aid = article["id"]
    repo = EventRepository(db)
    if article["duplicate_of"]:
        orig = repo.original_of(article["duplicate_of"])
        if orig and orig[0]:
            repo.join_as_copy(aid, orig[0], orig[1])
            return str(orig[0])
    prof, main_id = article_profile(db, article)
    main_date = next(((d.start, d.end) for d in prof.dates if d.rank >= STATED), None)
    feats = pairmodel.article_features(db, article, prof.type, main_date)
    counted = [*json.loads(article["terms"]), *pairmodel.number_keys(feats)]
    if repo.count_terms(counted) and batch is not None:
        batch.frequencies.counted(counted)
    repo.store_features(aid, feats.to_json())
    best, best_s = None, pairmodel.MODEL.threshold
    members: dict[str, list[pairmodel.ArticleFeatures]] = {}
    vetoing: dict[str, list[pairmodel.ArticleFeatures]] = {}  # reports of events whose dates veto this one
    cands = candidate_events(repo, prof, limit=S.scored_candidates)
    views = {eid: profile_view(p) for eid, p in repo.profiles_of(cands).items()}
    stored = repo.features([a for v in views.values() for a in v.articles[-S.max_members :]])
    for eid in cands:
        ev_prof = views.get(eid)
        if ev_prof is None:
            continue
        # precise dates that disagree: another happening, however alike the reports; but a report of it
        # that states no date of its own may have joined it before this one came (see S.refine_undated_link)
        vetoes = not dates_compatible(prof, ev_prof, S.veto_days)
        if vetoes and batch is None and not S.followups_join:
            continue
        reports = [pairmodel.parsed(stored[a]) for a in ev_prof.articles[-S.max_members :] if a in stored]
        if vetoes and S.followups_join and any(pairmodel.follow_up(feats, m) for m in reports):
            vetoes = False  # a later step of the happening: its own date is not the happening's
        if vetoes and batch is None:
            continue
        (vetoing if vetoes else members)[eid] = reports
    compared = [feats, *(m for group in (members, vetoing) for ms in group.values() for m in ms)]
    if batch:
        idf = batch.idf_for_reports(db, compared)
    else:
        idf = idf_map(db, sorted(frozenset().union(*(pairmodel.vocabulary(f) for f in compared))))
    scores: dict[str, float] = {}
    for eid, ms in members.items():
        if not ms:
            continue
        # average link: the mean probability that this report and each of the event's reports tell one event
        scores[eid] = sum(pairmodel.probability(feats, m, idf) for m in ms) / len(ms)
        if scores[eid] > best_s:
            best, best_s = eid, scores[eid]
    vetoed = {eid for eid, ms in vetoing.items() if _claims_undated(feats, ms, idf)}
    if best is None:
        best = "ev_" + hashlib.sha1(aid.encode()).hexdigest()[:12]
        ev = prof
        repo.insert_event(best, article["title"], _event_fields(db, ev), ev.to_json())
    else:
        ev = _merge(Profile.from_json(repo.profile(best) or "{}"), prof)
        _update_event(db, best, ev)
    repo.index_event_entities(best, [*prof.participants, *prof.places])
    repo.join(aid, best, main_id)
    assign_storyline(db, best, ev, idf, aid)
    rivals = {e for e, sc in scores.items() if sc > S.refine_link and e != best} | vetoed
    if batch is not None:
        batch.links.append({best} | rivals)
    return best


def _claims_undated(
    feats: pairmodel.ArticleFeatures, reports: list[pairmodel.ArticleFeatures], idf: dict[str, float]
) -> bool:
    """Whether a new report may claim an undated report of an event whose dates veto it (see
    S.refine_undated_link): it links to the closest such report above S.refine_undated_link and closer than
    that report's event does."""
    undated = [(pairmodel.probability(feats, m, idf), i) for i, m in enumerate(reports) if not m.date]
    if not undated:
        return False
    p, i = max(undated)
    if p <= S.refine_undated_link:
        return False
    mates = [o for j, o in enumerate(reports) if j != i]
    return not mates or p > sum(pairmodel.probability(reports[i], o, idf) for o in mates) / len(mates)


def merge_events(db: sqlite3.Connection, a: str, b: str) -> tuple[str, Profile]:
    """Merge two events into the older one; returns its id and merged profile."""
    repo = EventRepository(db)
    rows = repo.events([a, b])
    keep, drop = sorted((a, b), key=lambda e: (rows[e][0], e))
    ev = _merge(Profile.from_json(rows[keep][1]), Profile.from_json(rows[drop][1]))
    _update_event(db, keep, ev)
    repo.merge_events(keep, rows[keep][0], drop)
    return keep, ev


# --- refinement after a batch ----------------------------------------------------------------------


def _components(groups: list[set[str]]) -> list[list[str]]:
    """Connected groups of events (union-find), each in order of first appearance."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    order: list[str] = []
    for g in groups:
        members = sorted(g)
        for e in members:
            if e not in parent:
                order.append(e)
            find(e)
        for e in members[1:]:
            parent[find(e)] = find(members[0])
    comps: dict[str, list[str]] = {}
    for e in order:
        comps.setdefault(find(e), []).append(e)
    return list(comps.values())


def refine(db: sqlite3.Connection, batch: Batch) -> None:
    """Re-cluster the events a batch touched with their close rivals (see S.refine_threshold), within a
    budget of S.refine_pairs comparisons per link: a group over budget waits for a later batch that
    touches it, and the cost of a batch stays proportional to its size."""
    budget = S.refine_pairs * len(batch.links)
    for comp in _components(batch.links):
        budget -= _refine_component(db, comp, budget, batch)


def _refine_component(db: sqlite3.Connection, comp: list[str], budget: float, batch: Batch) -> int:
    """Refine one group of events; returns the comparisons made (none when over `budget`)."""
    repo = EventRepository(db)
    rows = {
        e: (seq, Profile.from_json(prof), count) for e, (seq, prof, count, _) in repo.events(comp).items()
    }
    events = [e for e in comp if e in rows]
    if not events:
        return 0
    movable: list[str] = []  # reports that may change event
    owner: dict[str, str] = {}  # report -> its event now
    anchors: list[tuple[str, list[str]]] = []  # events that keep their reports, by their latest ones
    for eid in events:
        if rows[eid][2] > S.refine_movable:
            if len(anchors) < S.refine_anchors:
                anchors.append((eid, rows[eid][1].articles[-S.max_members :]))
            continue
        members = repo.reports_with_features(eid)
        if len(movable) + len(members) <= S.refine_articles:
            movable.extend(members)
            owner.update(dict.fromkeys(members, eid))
        elif len(anchors) < S.refine_anchors:
            anchors.append((eid, rows[eid][1].articles[-S.max_members :]))
    if len(movable) < 2:
        return 0  # nothing that can move
    cost = len(movable) * (len(movable) - 1) // 2 + len(movable) * sum(len(ids) for _, ids in anchors)
    if cost > budget:
        return 0
    wanted = movable + [a for _, ids in anchors for a in ids]
    feats = {aid: pairmodel.parsed(f) for aid, f in repo.features(wanted).items()}
    movable = [a for a in movable if a in feats]
    anchors = [(e, [a for a in ids if a in feats]) for e, ids in anchors]
    anchors = [(e, ids) for e, ids in anchors if ids]
    items: list[list[str]] = [[a] for a in movable] + [ids for _, ids in anchors]
    vocab = {t for f in feats.values() for t in pairmodel.vocabulary(f)}
    idf = batch.idf_for(db, vocab)
    flat = [a for it in items for a in it]
    index = {a: i for i, a in enumerate(flat)}
    n_mov = len(movable)
    # movable reports against every report; two large events are not compared (they never merge here)
    pair = np.zeros((len(flat), len(flat)))
    for i in range(n_mov):
        for j in range(i + 1, len(flat)):
            pair[i, j] = pair[j, i] = pairmodel.probability(feats[flat[i]], feats[flat[j]], idf)
    sim = np.full((len(items), len(items)), -np.inf)
    for x in range(n_mov):
        for y in range(x + 1, len(items)):
            ry = [index[a] for a in items[y]]
            sim[x, y] = sim[y, x] = float(pair[x, ry].mean())
    sizes = [len(it) for it in items]
    dates = [_stated(feats[it[0]]) for it in items[:n_mov]] + [rows[e][1].dates for e, _ in anchors]
    clusters = _attach_small(
        linkage.average_link(
            sim, sizes, S.refine_threshold, S.group_min, S.group_extra, _cannot_link(items, dates, feats)
        ),
        sim,
        sizes,
        n_mov,
        [owner[a] for a in movable] + [e for e, _ in anchors],
    )
    # keep event ids: a cluster with a large event is that event; a cluster of movable reports is the
    # event that held most of them, each event claimed once; else a new event
    plan: list[tuple[str | None, list[str]]] = []
    for cl in clusters:
        anchor_ids = sorted((anchors[k - n_mov][0] for k in cl if k >= n_mov), key=lambda e: (rows[e][0], e))
        reports = sorted((movable[k] for k in cl if k < n_mov), key=lambda a: index[a])
        plan.append((anchor_ids[0] if anchor_ids else None, reports))
        for other in anchor_ids[1:]:
            merge_events(db, anchor_ids[0], other)
            batch.changed.add(anchor_ids[0])
    claimed = {e for e, _ in plan if e is not None}
    order = sorted(
        (i for i, (e, _) in enumerate(plan) if e is None),
        key=lambda i: (-len(plan[i][1]), plan[i][1][0]),
    )
    for i in order:
        votes = Counter(owner[a] for a in plan[i][1] if owner[a] not in claimed)
        if votes:
            best = max(votes, key=lambda e: (votes[e], -rows[e][0]))
            claimed.add(best)
            plan[i] = (best, plan[i][1])
    moved: set[str] = set()
    for target, reports in plan:
        eid = target or _new_event_id(db, reports[0])
        for a in reports:
            if owner[a] != eid:
                moved.update((owner[a], eid))
                _move_report(db, a, eid, owner[a])
    if moved:
        _rebuild_events(db, sorted(moved), idf)
        batch.changed.update(moved)
    return cost


def _stated(f: pairmodel.ArticleFeatures) -> list[DateAttestation]:
    """The date a report states for its happening, as an attestation (a day, a week, or longer)."""
    if not f.date:
        return []
    start, end = f.date
    span = (date.fromisoformat(end) - date.fromisoformat(start)).days
    return [DateAttestation(start, end, DAY if span == 0 else WEEK if span < 7 else MONTH, STATED)]


def _cannot_link(
    items: list[list[str]], dates: list[list[DateAttestation]], feats: dict[str, pairmodel.ArticleFeatures]
) -> Callable[[list[int], list[int]], bool]:
    """Refinement's cannot-link constraint: two groups whose stated dates veto each other (the rule of
    joining, `dates_compatible`) stay apart, unless one holds a later step of the other's happening (see
    S.followups_join). `items[k]`: the reports of item k; `dates[k]`: their date attestations."""

    def apart(a: list[int], b: list[int]) -> bool:
        pa, pb = (Profile(dates=[d for k in g for d in dates[k]]) for g in (a, b))
        if dates_compatible(pa, pb, S.veto_days):
            return False
        return not (
            S.followups_join
            and any(
                pairmodel.follow_up(feats[x], feats[y])
                for i in a
                for x in items[i]
                for j in b
                for y in items[j]
            )
        )

    return apart


def _group_link(sim: np.ndarray, weight: np.ndarray, a: list[int], b: list[int]) -> float:
    """Average link between two groups of items of `sim`, each item weighing its `weight` reports; -inf
    when two of their items were never compared (two large events)."""
    block = sim[np.ix_(a, b)]
    if not np.isfinite(block).all():
        return -math.inf
    w = np.outer(weight[a], weight[b])
    return float((block * w).sum() / w.sum())


def _attach_small(
    clusters: list[list[int]], sim: np.ndarray, sizes: list[int], n_mov: int, homes: list[str]
) -> list[list[int]]:
    """The groups of average link (indexes into `sim`, whose rows below `n_mov` are single movable reports
    and the rest large events of `sizes` reports), with each small group of movable reports joined to the
    group it is clearly nearest to (see S.attach_threshold), unless that group is small itself. `homes`: the
    event each item belonged to before refinement (see S.attach_margin)."""
    weight = np.array(sizes, dtype=float)
    groups = [list(cl) for cl in clusters]
    small = {gi for gi, cl in enumerate(groups) if len(cl) < S.group_min and all(k < n_mov for k in cl)}
    moves: list[tuple[int, int]] = []
    for gi in sorted(small):
        cl = groups[gi]
        links = sorted(
            ((_group_link(sim, weight, cl, other), gj) for gj, other in enumerate(groups) if gj != gi),
            reverse=True,
        )
        if not links or links[0][1] in small:
            continue
        best, gj = links[0]
        second = links[1][0] if len(links) > 1 else 0.0
        held = weight[groups[gj]].sum()
        came_from = {homes[k] for k in cl}
        home: dict[str, float] = {}
        for k in groups[gj]:
            home[homes[k]] = home.get(homes[k], 0.0) + weight[k]
        returning = len(came_from) == 1 and max(home, key=lambda e: (home[e], e)) in came_from
        if (
            best >= S.attach_threshold
            and (returning or best - second >= S.attach_margin)
            and held >= max(S.group_min, 2 * len(cl))
        ):
            moves.append((gi, gj))
    for gi, gj in moves:
        groups[gj].extend(groups[gi])
        groups[gi] = []
    return [g for g in groups if g]


def _new_event_id(db: sqlite3.Connection, aid: str) -> str:
    """An unused id derived from a report (its first event may still exist, held by others)."""
    n = 0
    while True:
        eid = "ev_" + hashlib.sha1((aid if n == 0 else f"{aid}|{n}").encode()).hexdigest()[:12]
        if not EventRepository(db).event_exists(eid):
            return eid
        n += 1


def _new_storyline_id(repo: EventRepository, event_id: str) -> str:
    """An unused storyline id derived from an event's (a storyline of that id may outlive its event)."""
    sid, n = "st_" + event_id[3:], 0
    while repo.storyline_exists(sid):
        n += 1
        sid = f"st_{event_id[3:]}_{n}"
    return sid


def _move_report(db: sqlite3.Connection, aid: str, eid: str, old: str) -> None:
    repo = EventRepository(db)
    if not repo.event_exists(eid):
        repo.insert_empty_event(eid)
    repo.move_report(aid, eid, old)


def _rebuild_events(db: sqlite3.Connection, eids: list[str], idf: dict[str, float]) -> None:
    """Recompute events from their reports after reports moved; an event left without reports goes."""
    repo = EventRepository(db)
    for eid in eids:
        rows = repo.articles_of_event(eid)
        repo.forget_event_entities(eid)
        ev: Profile | None = None
        for r in rows:
            if not r["duplicate_of"]:  # a near-duplicate counts once, through its original
                p, _ = article_profile(db, r)
                ev = p if ev is None else _merge(ev, p)
        if ev is None:
            repo.drop_event(eid)  # no report of its own left: near-duplicates follow their originals
            continue
        _update_event(db, eid, ev)
        repo.set_event_title(eid, rows[0]["title"])
        repo.index_event_entities(eid, [*ev.participants, *ev.places])
    for eid in eids:
        stored = repo.profile(eid)
        if stored is not None:
            assign_storyline(db, eid, Profile.from_json(stored), idf)


# --- storylines -------------------------------------------------------------------------------------


def _story_score(a: Profile, unit_a: dict[str, float], b: Profile, idf: dict[str, float]) -> float:
    """How alike two events are for a storyline; `unit_a`: the unit TF-IDF vector of a's terms."""
    text = pairmodel.dot(unit_a, pairmodel.unit(b.terms, idf)) if a.terms and b.terms else 0.0
    people = _overlap(a.participants, b.participants)
    places = _overlap(a.places, b.places)
    return 0.5 * text + 0.3 * people + 0.2 * places


def may_share_storyline(a: Profile, b: Profile, own: set[str]) -> bool:
    """Two happenings of one kind (two shootings, two earthquakes) share a storyline only through a
    participant both name (the suspect of both, a victim's family, the envoy of both talks): a town, its
    police and the words of their kind make a series of like happenings, not a storyline. `own`: the
    participants that count (see `_own_participants`). Happenings of different kinds (a shooting and an
    arrest, a spill and a hearing) link by what they share, as `_story_score` weighs it."""
    kinds = {a.type, b.type}
    if len(kinds) > 1 or kinds & pairmodel.UNSPECIFIC_KINDS:
        return True
    return bool(a.participants.keys() & b.participants.keys() & own)


def _own_participants(db: sqlite3.Connection, ev: Profile) -> set[str]:
    """An event's people and organisations, less the authorities named by their town ("Elgin Police
    Department", "Tulsa County Sheriff's Office"): those stand for the place."""
    return {
        eid
        for eid, (etype, name) in EntityRepository(db).types_and_names(ev.participants).items()
        if etype == "PERSON" or (etype == "ORG" and places.leading_place(name) is None)
    }


def assign_storyline(
    db: sqlite3.Connection,
    event_id: str,
    ev: Profile,
    idf: dict[str, float],
    new_article: str | None = None,
    among: set[str] | None = None,
) -> None:
    """Put an event in the storyline of the most similar related event, or a new one. When an event
    that grew now links two storylines, they merge into the older one (deterministic). `new_article`:
    the one report the event gained since its reports last got its storyline (None: any may differ).
    `among`: the only events it may link to. `idf` gains the terms of the compared profiles it lacks."""
    repo = EventRepository(db)
    story = repo.storyline_of(event_id)
    before = story
    linked: dict[str, float] = {}
    cands: list[tuple[Profile, str]] = []
    for cand in candidate_events(repo, ev, limit=40):
        if cand == event_id or (among is not None and cand not in among):
            continue
        r = repo.profile_and_storyline(cand)
        if r is None or r[1] is None or r[1] == story:
            continue
        cands.append((profile_view(r[0]), r[1]))
    own = _own_participants(db, ev) if cands else set()
    cands = [(other, sid) for other, sid in cands if may_share_storyline(ev, other, own)]
    # every term of both sides weighed by its idf (a term missing from the map would count 1, and a
    # candidate's words that the event does not use would weigh too little against the shared ones)
    fill_idf(db, idf, itertools.chain(ev.terms, *(other.terms for other, _ in cands)))
    unit_ev = pairmodel.unit(ev.terms, idf)
    for other, sid in cands:
        s = _story_score(ev, unit_ev, other, idf)
        if s > S.story_threshold:
            linked[sid] = max(linked.get(sid, 0.0), s)
    if story is None:
        if linked:
            story = max(linked, key=lambda k: (linked[k], k))
            del linked[story]
        else:
            story = _new_storyline_id(repo, event_id)
            repo.new_storyline(story, repo.title(ev.articles[0]))
        repo.set_storyline(event_id, story)
    touched = {story}
    if linked:
        group = [story, *linked]
        order = {sid: repo.first_event_seq(sid) for sid in group}
        keep = min(group, key=lambda sid: (order[sid], sid))
        for sid in group:
            if sid != keep:
                repo.merge_storylines(keep, sid)
        story = keep
        touched = {keep}
    if new_article is not None and story == before:
        # the event's other reports already carry its storyline: a large event costs no more than a small one
        repo.set_article_storyline(new_article, story)
    else:
        repo.set_event_articles_storyline(event_id, story)
    for sid in touched:
        repo.update_storyline_dates(sid)


def reset(db: sqlite3.Connection) -> None:
    """Forget all events and storylines (inside the caller's transaction); articles stay."""
    EventRepository(db).reset()
