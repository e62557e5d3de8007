"""Cluster: each article's main event -> a real-world event; events -> storylines. Incremental.

Same event is decided as an editor would: compatible dates (incompatible dates veto), same place,
overlapping participants, same kind of happening, similar content. Candidates come from an index of
events by participant and by date, never from a scan of the whole store, so adding an article costs
about the same in a large store as in a small one. Processing articles in insertion order makes a full
rebuild give the same result as the increments.
"""

from __future__ import annotations

import hashlib
import json
import math
import sqlite3
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np

from ..model import DAY, MONTH, UNKNOWN, WEEK
from . import pairmodel
from .config import SETTINGS as S

# Ranking of where a date came from: stated next to the event beats inferred from the article.
_SOURCE_RANK = {"sentence": 3, "paragraph": 3, "caption": 2, "published": 1, "none": 0}
_GRAN_RANK = {DAY: 3, WEEK: 2, MONTH: 1}


def kept_articles() -> int:
    """Reports an event's profile lists (the latest), besides its first."""
    return 2 * S.max_members


@dataclass
class Profile:
    """What one article says about its main event, or what an event's members say together."""

    type: str = "OTHER"
    dates: list[tuple[str, str, str, int]] = field(default_factory=list)  # (start, end, granularity, rank)
    participants: dict[str, float] = field(default_factory=dict)  # entity id -> weight (PERSON/ORG)
    places: dict[str, float] = field(default_factory=dict)  # entity id -> weight (GPE/LOC)
    types: dict[str, int] = field(default_factory=dict)
    terms: dict[str, float] = field(default_factory=dict)
    articles: list[str] = field(default_factory=list)  # the first report and the latest kept_articles()
    outlets: list[str] = field(default_factory=list)  # the outlets of the latest kept_articles()
    count: int = 0  # reports in all

    def to_json(self) -> str:
        return json.dumps(self.__dict__, sort_keys=True)

    @classmethod
    def from_json(cls, s: str) -> Profile:
        d = json.loads(s)
        d["dates"] = [tuple(x) for x in d.get("dates", [])]
        d.setdefault("count", len(d.get("articles", [])))  # a profile stored before counts were kept
        return cls(**d)


def _d(s: str | None) -> date | None:
    return date.fromisoformat(s) if s else None


def best_date(dates: list[tuple[str, str, str, int]]) -> tuple[date | None, date | None, str]:
    """The event's date: the best-attested date, widened by the other attestations that overlap it."""
    if not dates:
        return None, None, UNKNOWN
    # best source, then finest granularity, then order of attestation (an article's main mention first)
    ranked = sorted(dates, key=lambda d: (-d[3], -_GRAN_RANK.get(d[2], 0)))
    top = ranked[0]
    start, end = _d(top[0]), _d(top[1])
    assert start is not None and end is not None
    for s, e, g, r in ranked[1:]:
        if r < top[3] or g != top[2]:
            continue
        ds, de = _d(s), _d(e)
        if ds and de and ds <= end and de >= start:
            start, end = min(start, ds), max(end, de)
    return start, end, top[2]


def _dates_compatible(a: Profile, b: Profile, day_tolerance: int = 2) -> tuple[bool, float]:
    """(compatible, bonus). Precise dates that are far apart veto a match; agreeing dates add to it."""
    sa, ea, ga = best_date(a.dates)
    sb, eb, gb = best_date(b.dates)
    if not (sa and ea and sb and eb):
        return True, 0.0
    ra = max((d[3] for d in a.dates), default=0)
    rb = max((d[3] for d in b.dates), default=0)
    if ra == 0 or rb == 0:
        return True, 0.0  # a publication date inferred from the text is only a lower bound: no veto
    if (ra >= 2 and ga not in (DAY, WEEK, MONTH)) or (rb >= 2 and gb not in (DAY, WEEK, MONTH)):
        # a stated season, year or decade does not bound a publication date either: it is as often the
        # background as the happening ("a star of the 1950s"). ECB+ B-cubed F1, six orders: 0.941 -> 0.942
        return True, 0.0
    gap = max((sa - eb).days, (sb - ea).days, 0)
    if ra >= 2 and rb >= 2 and not (ga in (DAY, WEEK) and gb in (DAY, WEEK)):
        return True, 0.0  # a month is too coarse to tell two happenings apart
    if ra >= 2 and rb >= 2:
        tol = (
            day_tolerance
            if DAY in (ga, gb) and WEEK not in (ga, gb)
            else max(7, day_tolerance)
            if ga in (DAY, WEEK) and gb in (DAY, WEEK)
            else 31
        )
        return gap <= tol, (1.0 if gap == 0 else 0.5)
    # A publication date only bounds the event from above: reports follow events by days or weeks.
    if gap > 45:
        return False, 0.0
    return True, 0.3 if gap <= 7 else 0.0


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


def _date_entry(r: sqlite3.Row) -> tuple[str, str, str, int]:
    return (
        r["date_start"],
        r["date_end"] or r["date_start"],
        r["granularity"],
        _SOURCE_RANK.get(r["date_source"], 0),
    )


def article_profile(db: sqlite3.Connection, article: sqlite3.Row) -> tuple[Profile, int | None]:
    aid = article["id"]
    rows = db.execute(
        "SELECT * FROM event_mentions WHERE article_id = ? ORDER BY sentence, trigger_start", (aid,)
    ).fetchall()
    sentence_para = {
        r[0]: r[1] for r in db.execute("SELECT idx, paragraph FROM sentences WHERE article_id = ?", (aid,))
    }
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
            if not p.dates or (e[0] <= p.dates[0][1] and e[1] >= p.dates[0][0]):
                p.dates.append(e)
    if title_type and p.type in ("STATEMENT", "OTHER"):
        p.type = title_type  # the headline names the happening the lead only reports speech about
    if not p.dates and article["published_date"]:
        p.dates.append(
            (article["published_date"], article["published_date"], article["published_granularity"], 1)
        )
    if article["published_inferred"]:
        # an undated report "written on or after the latest date it states" (an obituary's birth date,
        # a story's background) bounds nothing: these dates are kept for display but veto no match
        p.dates = [(s, e, g, 0 if r == 1 else r) for s, e, g, r in p.dates]
    p.types = {p.type: 1}
    ents = db.execute(
        """SELECT m.entity_id, e.type, m.sentence FROM entity_mentions m JOIN entities e ON e.id = m.entity_id
           WHERE m.article_id = ?""",
        (aid,),
    ).fetchall()
    for eid, etype, sent in ents:
        w = 2.0 if sentence_para.get(sent, 99) <= 1 else 1.0  # the lead names who and where
        if etype in ("PERSON", "ORG"):
            p.participants[eid] = p.participants.get(eid, 0) + w
        elif etype in ("GPE", "LOC", "FAC"):
            p.places[eid] = p.places.get(eid, 0) + w
    p.terms = {k: float(v) for k, v in json.loads(article["terms"]).items()}
    return p, (main["id"] if main is not None else None)


# --- store updates ----------------------------------------------------------------------------------


@dataclass
class Batch:
    """What the reports of one batch share: the events each joined with the events that came close (for
    `refine`), and an idf map. A term's idf in it holds from its first use until the store has grown by
    S.idf_drift, so at scale one map serves a whole batch and a report's unit vectors, compared with many
    reports, are computed once instead of once a comparison; while the store is small (fewer than
    1 / S.idf_drift articles) every report gets a fresh one, as without a batch."""

    links: list[set[str]] = field(default_factory=list)
    idf: dict[str, float] = field(default_factory=dict)
    idf_n: int = 0  # the number of articles when `idf` was started

    def idf_for(self, db: sqlite3.Connection, terms: Iterable[str]) -> dict[str, float]:
        n = _df_articles(db)
        if n > self.idf_n * (1 + S.idf_drift):
            self.idf, self.idf_n = {}, n  # a new map: unit vectors cached under the old one are not reused
        missing = sorted({t for t in terms if t not in self.idf})
        if missing:
            self.idf.update(_idf(db, missing))
        return self.idf


def _df_articles(db: sqlite3.Connection) -> int:
    row = db.execute("SELECT value FROM meta WHERE key = 'df_articles'").fetchone()
    return int(row[0]) if row else 1


def _idf(db: sqlite3.Connection, terms: list[str]) -> dict[str, float]:
    n = _df_articles(db)
    out: dict[str, float] = {}
    for i in range(0, len(terms), 500):
        chunk = terms[i : i + 500]
        for t, df in db.execute(
            f"SELECT term, df FROM term_df WHERE term IN ({','.join('?' * len(chunk))})", chunk
        ):
            out[t] = math.log((n + 1) / (df + 0.5))
    default = math.log(n + 1)
    return {t: out.get(t, default) for t in terms}


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


def _deciding_dates(dates: list[tuple[str, str, str, int]]) -> list[tuple[str, str, str, int]]:
    """What can still decide an event's date, at most two attestations: best_date and the date veto read
    only the best source and, among those, the finest granularity; of those, the first attestation and
    the range it has been widened to by the others that overlap it. Later attestations extend that range
    exactly as they would extend the first one after all the earlier ones, so a profile stays small
    however many reports an event gathers and its date is the one the whole list would give."""
    if not dates:
        return dates
    best = max((d[3], _GRAN_RANK.get(d[2], 0)) for d in dates)
    top = next(d for d in dates if (d[3], _GRAN_RANK.get(d[2], 0)) == best)
    start, end, _ = best_date(dates)
    assert start is not None and end is not None
    if (start.isoformat(), end.isoformat()) == (top[0], top[1]):
        return [top]
    return [top, (start.isoformat(), end.isoformat(), top[2], top[3])]


def _first_and_latest(ids: list[str]) -> list[str]:
    return ids if len(ids) <= kept_articles() + 1 else ids[:1] + ids[-kept_articles() :]


def _candidates(db: sqlite3.Connection, p: Profile, limit: int = 60) -> list[str]:
    """Events that could be the same as (or in a storyline with) a profile: the latest events of its main
    participants and places, and the events starting around its date. Every lookup is an index range
    of bounded length, so the cost does not grow with the store."""
    keys = [k for k, _ in sorted({**p.participants, **p.places}.items(), key=lambda kv: -kv[1])[:12]]
    found: Counter[str] = Counter()
    for key in keys:
        for (eid,) in db.execute(
            "SELECT event_id FROM event_entities WHERE entity_id = ? ORDER BY seq DESC LIMIT ?",
            (key, S.per_entity),
        ):
            found[eid] += 1
    s, e, _ = best_date(p.dates)
    if s and e:
        # events last days, rarely months: those starting up to a month before this date can overlap it
        lo, hi = (s - timedelta(days=31)).isoformat(), (e + timedelta(days=3)).isoformat()
        for (eid,) in db.execute(
            "SELECT id FROM events WHERE date_start BETWEEN ? AND ? AND date_end >= ? LIMIT 200",
            (lo, hi, (s - timedelta(days=3)).isoformat()),
        ):
            found[eid] += 1
    return [eid for eid, _ in found.most_common(limit)]


def _text_candidates(
    db: sqlite3.Connection, seq: int, names: dict[str, float], known: list[str]
) -> list[str]:
    """Events whose reports share the report's rarest names (full-text index): the report whose people
    and places were recognised differently, or not at all (a town read as a place in one report, as an
    organisation in the next), still meets its event. Only names that at most S.text_max_df reports use
    are looked up, so each lookup reads a bounded part of the index however large the store."""
    words = [w for w in names if w.isalpha() and len(w) >= 3]
    if not S.text_candidates or not words:
        return []
    df = dict(
        db.execute(
            f"SELECT term, df FROM term_df WHERE term IN ({','.join('?' * len(words))})", words
        ).fetchall()
    )
    usable = [w for w in words if 0 < df.get(w, 0) <= S.text_max_df]
    rare = sorted(usable, key=lambda w: (df[w], w))[: S.text_names]
    if not rare:
        return []
    found: Counter[str] = Counter()
    for (eid,) in db.execute(
        "SELECT a.event_id FROM articles_fts f JOIN articles a ON a.seq = f.rowid "
        "WHERE articles_fts MATCH ? AND a.seq != ? AND a.event_id IS NOT NULL ORDER BY f.rank LIMIT ?",
        (" OR ".join(f'"{w}"' for w in rare), seq, 4 * S.text_candidates),
    ):
        if eid not in known:
            found[eid] += 1
    return [eid for eid, _ in found.most_common(S.text_candidates)]


def _event_fields(db: sqlite3.Connection, ev: Profile) -> dict[str, Any]:
    s, e, g = best_date(ev.dates)
    place = None
    if ev.places:
        pid = max(ev.places, key=lambda k: ev.places[k])
        row = db.execute("SELECT name FROM entities WHERE id = ?", (pid,)).fetchone()
        place = row[0] if row else None
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
    fields = _event_fields(db, ev)
    db.execute(
        """UPDATE events SET type=?, date_start=?, date_end=?, granularity=?, place=?, profile=?, article_count=?
           WHERE id=?""",
        (fields["type"], fields["date_start"], fields["date_end"], fields["granularity"], fields["place"], ev.to_json(),
         fields["article_count"], eid),
    )  # fmt: skip


def _title(db: sqlite3.Connection, article_ids: list[str]) -> str:
    row = db.execute("SELECT title FROM articles WHERE id = ?", (article_ids[0],)).fetchone()
    return row[0] if row else ""


def assign_article(db: sqlite3.Connection, article: sqlite3.Row, batch: Batch | None = None) -> str:
    """Attach one stored, resolved article to the best-matching event (or a new one). Returns the event id.
    `batch` collects the event it joined with the events that came close, for `refine`, and shares the
    batch's idf."""
    aid = article["id"]
    if article["duplicate_of"]:
        orig = db.execute(
            "SELECT event_id, storyline_id FROM articles WHERE id = ?", (article["duplicate_of"],)
        ).fetchone()
        if orig and orig[0]:
            db.execute(
                "UPDATE articles SET event_id = ?, storyline_id = ?, clustered = 1 WHERE id = ?",
                (orig[0], orig[1], aid),
            )
            return str(orig[0])
    prof, main_id = article_profile(db, article)
    terms = json.loads(article["terms"])
    db.executemany(
        "INSERT INTO term_df(term, df) VALUES (?, 1) ON CONFLICT(term) DO UPDATE SET df = df + 1",
        [(t,) for t in terms],
    )
    db.execute(
        "INSERT INTO meta(key, value) VALUES ('df_articles', '1') ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
    )
    main_date = next(((d[0], d[1]) for d in prof.dates if d[3] >= 2), None)
    feats = pairmodel.article_features(db, article, prof.type, main_date)
    db.execute(
        "INSERT OR REPLACE INTO article_features(article_id, features) VALUES (?, ?)", (aid, feats.to_json())
    )
    best, best_s = None, pairmodel.MODEL.threshold
    members: dict[str, list[pairmodel.ArticleFeatures]] = {}
    vetoing: dict[str, list[pairmodel.ArticleFeatures]] = {}  # reports of events whose dates veto this one
    cands = _candidates(db, prof, limit=S.scored_candidates)
    cands += _text_candidates(db, article["seq"], feats.names, cands)
    for eid in cands:
        row = db.execute("SELECT profile FROM events WHERE id = ?", (eid,)).fetchone()
        if row is None:
            continue
        ev_prof = Profile.from_json(row[0])
        ids = ev_prof.articles[-S.max_members :]
        q = f"SELECT features FROM article_features WHERE article_id IN ({','.join('?' * len(ids))})"
        # precise dates that disagree: another happening, however alike the reports; but a report of it
        # that states no date of its own may have joined it before this one came (see S.refine_undated_link)
        vetoes = not _dates_compatible(prof, ev_prof, S.veto_days)[0]
        if vetoes and batch is None:
            continue
        (vetoing if vetoes else members)[eid] = [pairmodel.parsed(r[0]) for r in db.execute(q, ids)]
    vocab = set(feats.terms).union(
        feats.names,
        *(set(m.terms) | set(m.names) for group in (members, vetoing) for ms in group.values() for m in ms),
    )
    idf = batch.idf_for(db, vocab) if batch else _idf(db, sorted(vocab))
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
        seq = int(db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM events").fetchone()[0])
        best = "ev_" + hashlib.sha1(aid.encode()).hexdigest()[:12]
        ev = prof
        fields = _event_fields(db, ev)
        db.execute(
            """INSERT INTO events(id, seq, type, title, date_start, date_end, granularity, place, profile, article_count)
               VALUES (?,?,?,?,?,?,?,?,?,?)""",
            (best, seq, fields["type"], article["title"], fields["date_start"], fields["date_end"], fields["granularity"],
             fields["place"], ev.to_json(), fields["article_count"]),
        )  # fmt: skip
    else:
        ev = _merge(
            Profile.from_json(db.execute("SELECT profile FROM events WHERE id = ?", (best,)).fetchone()[0]),
            prof,
        )
        _update_event(db, best, ev)
    db.executemany(
        "INSERT OR IGNORE INTO event_entities(entity_id, seq, event_id) "
        "VALUES (?, (SELECT seq FROM events WHERE id = ?), ?)",
        [(k, best, best) for k in list(prof.participants) + list(prof.places)],
    )
    if main_id is not None:
        db.execute("UPDATE event_mentions SET is_main = 1, event_id = ? WHERE id = ?", (best, main_id))
    db.execute("UPDATE articles SET event_id = ?, clustered = 1 WHERE id = ?", (best, aid))
    gained: str | None = aid
    # A report that matches two events bridges them: events split early (before the report that ties
    # them arrived) merge when their reports, compared with each other, agree.
    for other in sorted(
        (e for e, sc in scores.items() if e != best and sc > S.bridge_threshold), key=lambda e: -scores[e]
    ):
        if _event_link(db, best, other, idf) > S.merge_threshold:
            best, ev = _merge_events(db, best, other)
            gained = None  # the merged event's reports may all change storyline
    _assign_storyline(db, best, ev, idf, gained)
    rivals = {e for e, sc in scores.items() if sc > S.refine_link and e != best} | vetoed
    if batch is not None and (rivals or scores.get(best, 0.0) < S.refine_sure):
        batch.links.append({best} | rivals)  # a clear join with no rival leaves nothing to put right
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


def _event_link(
    db: sqlite3.Connection,
    a: str,
    b: str,
    idf: dict[str, float],
) -> float:
    """Average-link probability between two events' latest reports."""
    feats = []
    for eid in (a, b):
        prof = Profile.from_json(db.execute("SELECT profile FROM events WHERE id = ?", (eid,)).fetchone()[0])
        ids = prof.articles[-S.max_members :]
        q = f"SELECT features FROM article_features WHERE article_id IN ({','.join('?' * len(ids))})"
        feats.append([pairmodel.parsed(r[0]) for r in db.execute(q, ids)])
    fa, fb = feats
    if not fa or not fb:
        return 0.0
    missing = {t for f in fa + fb for t in (*f.terms, *f.names) if t not in idf}
    if missing:
        idf.update(_idf(db, sorted(missing)))  # new terms only: values already in use never change
    return sum(pairmodel.probability(x, y, idf) for x in fa for y in fb) / (len(fa) * len(fb))


def _merge_events(db: sqlite3.Connection, a: str, b: str) -> tuple[str, Profile]:
    """Merge two events into the older one; returns its id and merged profile."""
    rows = {
        r[0]: (r[1], Profile.from_json(r[2]), r[3])
        for r in db.execute("SELECT id, seq, profile, storyline_id FROM events WHERE id IN (?, ?)", (a, b))
    }
    keep, drop = sorted((a, b), key=lambda e: (rows[e][0], e))
    ev = _merge(rows[keep][1], rows[drop][1])
    _update_event(db, keep, ev)
    db.execute("UPDATE articles SET event_id = ? WHERE event_id = ?", (keep, drop))
    db.execute("UPDATE event_mentions SET event_id = ? WHERE event_id = ?", (keep, drop))
    db.execute(
        "INSERT OR IGNORE INTO event_entities(entity_id, seq, event_id) "
        "SELECT entity_id, ?, ? FROM event_entities WHERE event_id = ?",
        (rows[keep][0], keep, drop),
    )
    db.execute("DELETE FROM event_entities WHERE event_id = ?", (drop,))
    db.execute("DELETE FROM events WHERE id = ?", (drop,))
    story = rows[drop][2]
    if story and not db.execute("SELECT 1 FROM events WHERE storyline_id = ? LIMIT 1", (story,)).fetchone():
        db.execute("DELETE FROM storylines WHERE id = ?", (story,))
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


def _average_link(
    sim: np.ndarray,
    sizes: list[int],
    threshold: float,
    group_min: int = 0,
    group_extra: float = 0.0,
    leads: list[Counter[str]] | None = None,
) -> list[list[int]]:
    """Agglomerate clusters while the closest two have an average link of at least `threshold`; two
    clusters of `group_min` reports or more each need `group_extra` more, unless both have one protagonist,
    the person who leads the most of each cluster's reports and at least half of them (`leads`: how many
    of each cluster's reports lead with each person; see S.protagonist_share)."""
    n = len(sizes)
    s = sim.astype(float).copy()
    np.fill_diagonal(s, -np.inf)
    size = np.array(sizes, dtype=float)
    groups: list[list[int] | None] = [[i] for i in range(n)]
    led = [Counter(c) for c in leads] if leads is not None else [Counter() for _ in range(n)]

    def protagonist(k: int) -> str | None:
        top = led[k].most_common(2)
        if not top or top[0][1] < S.protagonist_share * size[k] or (len(top) > 1 and top[1][1] == top[0][1]):
            return None
        return top[0][0]

    heads = [protagonist(k) for k in range(n)]
    shared = np.array([[h is not None and h == g for g in heads] for h in heads], dtype=bool)
    while n > 1:
        big = size >= group_min
        extra = group_extra * (np.outer(big, big) & ~shared)
        i, j = divmod(int(np.argmax(s - extra)), s.shape[0])
        if s[i, j] < threshold + extra[i, j]:
            break
        i, j = min(i, j), max(i, j)
        row = (size[i] * s[i] + size[j] * s[j]) / (size[i] + size[j])
        s[i], s[:, i] = row, row
        s[i, i] = -np.inf
        s[j], s[:, j] = -np.inf, -np.inf
        size[i] += size[j]
        gi, gj = groups[i], groups[j]
        assert gi is not None and gj is not None
        gi.extend(gj)
        groups[j] = None
        led[i] += led[j]
        heads[i], heads[j] = protagonist(i), None
        shared[i] = shared[:, i] = [heads[i] is not None and heads[i] == h for h in heads]
        n -= 1
    return [g for g in groups if g is not None]


def refine(db: sqlite3.Connection, batch: Batch) -> None:
    """Re-cluster the events a batch touched with their close rivals (see S.refine_threshold), and once more
    those the batch before touched (see S.refine_carry), within a budget of S.refine_pairs comparisons per
    link: a group over budget waits for a later batch that touches it, and the cost of a batch stays
    proportional to its size."""
    row = db.execute("SELECT value FROM meta WHERE key = 'refine_links'").fetchone()
    earlier: list[list[list[str]]] = json.loads(row[0])[-S.refine_carry :] if row and S.refine_carry else []
    links = [set(g) for batch_links in earlier for g in batch_links] + batch.links
    budget = S.refine_pairs * len(links)
    for comp in _components(links):
        budget -= _refine_component(db, comp, budget, batch)
    kept = (earlier + [[sorted(g) for g in batch.links]])[-S.refine_carry :] if S.refine_carry else []
    db.execute(
        "INSERT INTO meta(key, value) VALUES ('refine_links', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (json.dumps(kept),),
    )


def _refine_component(db: sqlite3.Connection, comp: list[str], budget: float, batch: Batch) -> int:
    """Refine one group of events; returns the comparisons made (none when over `budget`)."""
    rows = {
        r[0]: (r[1], Profile.from_json(r[2]), r[3])
        for r in db.execute(
            f"SELECT id, seq, profile, article_count FROM events WHERE id IN ({','.join('?' * len(comp))})",
            comp,
        )
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
        members = [
            r[0]
            for r in db.execute(
                "SELECT a.id FROM articles a JOIN article_features f ON f.article_id = a.id "
                "WHERE a.event_id = ? ORDER BY a.seq",
                (eid,),
            )
        ]
        if len(movable) + len(members) <= S.refine_articles:
            movable.extend(members)
            owner.update(dict.fromkeys(members, eid))
        elif len(anchors) < S.refine_anchors:
            anchors.append((eid, rows[eid][1].articles[-S.max_members :]))
    if len(movable) < 2:
        return 0  # nothing that can move (large events meet through the bridges of assign_article)
    cost = len(movable) * (len(movable) - 1) // 2 + len(movable) * sum(len(ids) for _, ids in anchors)
    if cost > budget:
        return 0
    wanted = movable + [a for _, ids in anchors for a in ids]
    feats: dict[str, pairmodel.ArticleFeatures] = {}
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        for aid, f in db.execute(
            f"SELECT article_id, features FROM article_features WHERE article_id IN ({','.join('?' * len(chunk))})",
            chunk,
        ):
            feats[aid] = pairmodel.parsed(f)
    movable = [a for a in movable if a in feats]
    anchors = [(e, [a for a in ids if a in feats]) for e, ids in anchors]
    anchors = [(e, ids) for e, ids in anchors if ids]
    items: list[list[str]] = [[a] for a in movable] + [ids for _, ids in anchors]
    vocab = {t for f in feats.values() for t in (*f.terms, *f.names)}
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
    leads = [Counter(p for a in it for p in set(feats[a].lead_people)) for it in items]
    halves: list[list[list[int]]] = [
        _split_protagonists(db, cl, [feats[a] for a in movable], pair)
        for cl in _attach_small(
            _average_link(sim, sizes, S.refine_threshold, S.group_min, S.group_extra, leads),
            sim,
            sizes,
            n_mov,
            [owner[a] for a in movable] + [e for e, _ in anchors],
        )
    ]
    clusters = _rejoin_after_split(halves, sim, sizes, leads)
    # keep event ids: a cluster with a large event is that event; a cluster of movable reports is the
    # event that held most of them, each event claimed once; else a new event
    plan: list[tuple[str | None, list[str]]] = []
    for cl in clusters:
        anchor_ids = sorted((anchors[k - n_mov][0] for k in cl if k >= n_mov), key=lambda e: (rows[e][0], e))
        reports = sorted((movable[k] for k in cl if k < n_mov), key=lambda a: index[a])
        plan.append((anchor_ids[0] if anchor_ids else None, reports))
        for other in anchor_ids[1:]:
            _merge_events(db, anchor_ids[0], other)
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
    return cost


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
    small = {gi for gi, cl in enumerate(groups) if len(cl) <= S.attach_size and all(k < n_mov for k in cl)}
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
            and held >= max(S.attach_min, 2 * len(cl))
        ):
            moves.append((gi, gj))
    for gi, gj in moves:
        groups[gj].extend(groups[gi])
        groups[gi] = []
    return [g for g in groups if g]


def _split_protagonists(
    db: sqlite3.Connection, cl: list[int], reports: list[pairmodel.ArticleFeatures], pair: np.ndarray
) -> list[list[int]]:
    """A group of movable reports (indexes into `reports` and `pair`), or its two halves when two people
    lead separate parts of it (see S.split_share). A report that leads with neither goes to the half its
    reports are likelier, on average, to tell the same event as."""
    n = len(cl)
    if n < 2 * S.split_min or any(k >= len(reports) for k in cl):
        return [cl]  # too small, or holding a large event, which keeps its reports
    led: dict[str, set[int]] = {}
    kind: dict[str, str] = {}
    for k in cl:
        for lead in reports[k].lead_people:
            led.setdefault(lead, set()).add(k)
            kind[lead] = "person"
        for lead in reports[k].lead_organisations:
            led.setdefault(lead, set()).add(k)
            kind[lead] = "organisation"
    leads = sorted(p for p, ks in led.items() if len(ks) >= max(S.split_min, S.split_share * n))
    if len(leads) < 2:
        return [cl]
    words = {
        eid: set(name.lower().split())
        for eid, name in db.execute(
            f"SELECT id, name FROM entities WHERE id IN ({','.join('?' * len(leads))})", leads
        )
    }
    best: tuple[int, str, str] | None = None
    for i, a in enumerate(leads):
        for b in leads[i + 1 :]:
            if kind[a] != kind[b] or led[a] & led[b] or words.get(a, set()) & words.get(b, set()):
                continue  # both lead one report, or the names may be one person ("Ed Hale", "Edward Hale")
            covered = len(led[a] | led[b])
            if covered >= S.split_cover * n and (best is None or covered > best[0]):
                best = (covered, a, b)
    if best is None:
        return [cl]
    side_a, side_b = sorted(led[best[1]]), sorted(led[best[2]])
    for k in cl:
        if k not in led[best[1]] and k not in led[best[2]]:
            (side_a if pair[k, side_a].mean() >= pair[k, side_b].mean() else side_b).append(k)
    return [side_a, side_b]


def _rejoin_after_split(
    halves: list[list[list[int]]], sim: np.ndarray, sizes: list[int], leads: list[Counter[str]] | None = None
) -> list[list[int]]:
    """The groups of refinement, each given as the parts `_split_protagonists` made of it (one part when it
    was not split). A group that average link left apart from a mixed group, whose average link the other
    protagonist's reports pulled down, meets each half again: groups join by average link as in refine,
    but two halves of one split never rejoin."""
    groups = [part for parts in halves for part in parts]
    if all(len(parts) == 1 for parts in halves):
        return groups
    weight = np.array(sizes, dtype=float)
    split_of = np.array([si for si, parts in enumerate(halves) for _ in parts])
    gsim = np.array([[_group_link(sim, weight, a, b) for b in groups] for a in groups])
    gsim[np.equal.outer(split_of, split_of)] = -np.inf  # nor with itself
    joined = _average_link(
        gsim,
        [int(weight[g].sum()) for g in groups],
        S.refine_threshold,
        S.group_min,
        S.group_extra,
        [sum((leads[k] for k in g), Counter()) for g in groups] if leads is not None else None,
    )
    return [[k for gi in cl for k in groups[gi]] for cl in joined]


def _new_event_id(db: sqlite3.Connection, aid: str) -> str:
    """An unused id derived from a report (its first event may still exist, held by others)."""
    n = 0
    while True:
        eid = "ev_" + hashlib.sha1((aid if n == 0 else f"{aid}|{n}").encode()).hexdigest()[:12]
        if db.execute("SELECT 1 FROM events WHERE id = ?", (eid,)).fetchone() is None:
            return eid
        n += 1


def _move_report(db: sqlite3.Connection, aid: str, eid: str, old: str) -> None:
    if db.execute("SELECT 1 FROM events WHERE id = ?", (eid,)).fetchone() is None:
        seq = int(db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM events").fetchone()[0])
        db.execute(
            "INSERT INTO events(id, seq, type, title, profile) VALUES (?, ?, 'OTHER', '', '{}')", (eid, seq)
        )
    # the report and its near-duplicates, which follow their original
    db.execute(
        "UPDATE articles SET event_id = ? WHERE id = ? OR (duplicate_of = ? AND event_id = ?)",
        (eid, aid, aid, old),
    )
    db.execute("UPDATE event_mentions SET event_id = ? WHERE article_id = ? AND is_main = 1", (eid, aid))


def _rebuild_events(db: sqlite3.Connection, eids: list[str], idf: dict[str, float]) -> None:
    """Recompute events from their reports after reports moved; an event left without reports goes."""
    for eid in eids:
        rows = db.execute("SELECT * FROM articles WHERE event_id = ? ORDER BY seq", (eid,)).fetchall()
        db.execute("DELETE FROM event_entities WHERE event_id = ?", (eid,))
        ev: Profile | None = None
        for r in rows:
            if not r["duplicate_of"]:  # a near-duplicate counts once, through its original
                p, _ = article_profile(db, r)
                ev = p if ev is None else _merge(ev, p)
        if ev is None:
            # no report of its own left: near-duplicates follow their originals, and the event goes
            db.execute(
                "UPDATE articles SET event_id = (SELECT o.event_id FROM articles o WHERE o.id = articles.duplicate_of) "
                "WHERE event_id = ?",
                (eid,),
            )
            story = db.execute("SELECT storyline_id FROM events WHERE id = ?", (eid,)).fetchone()
            db.execute("DELETE FROM events WHERE id = ?", (eid,))
            if (
                story
                and story[0]
                and not db.execute(
                    "SELECT 1 FROM events WHERE storyline_id = ? LIMIT 1", (story[0],)
                ).fetchone()
            ):
                db.execute("DELETE FROM storylines WHERE id = ?", (story[0],))
            continue
        _update_event(db, eid, ev)
        db.execute("UPDATE events SET title = ? WHERE id = ?", (rows[0]["title"], eid))
        db.executemany(
            "INSERT OR IGNORE INTO event_entities(entity_id, seq, event_id) "
            "VALUES (?, (SELECT seq FROM events WHERE id = ?), ?)",
            [(k, eid, eid) for k in list(ev.participants) + list(ev.places)],
        )
    for eid in eids:
        row = db.execute("SELECT profile FROM events WHERE id = ?", (eid,)).fetchone()
        if row is not None:
            _assign_storyline(db, eid, Profile.from_json(row[0]), idf)


# --- storylines -------------------------------------------------------------------------------------


def _story_score(a: Profile, b: Profile, idf: dict[str, float]) -> float:
    text = pairmodel.cosine(a.terms, b.terms, idf)
    people = _overlap(a.participants, b.participants)
    places = _overlap(a.places, b.places)
    return 0.5 * text + 0.3 * people + 0.2 * places


def _assign_storyline(
    db: sqlite3.Connection, event_id: str, ev: Profile, idf: dict[str, float], new_article: str | None = None
) -> None:
    """Put an event in the storyline of the most similar related event, or a new one. When an event
    that grew now links two storylines, they merge into the older one (deterministic). `new_article`:
    the one report the event gained since its reports last got its storyline (None: any may differ)."""
    row = db.execute("SELECT storyline_id FROM events WHERE id = ?", (event_id,)).fetchone()
    story = row[0] if row else None
    before = story
    linked: dict[str, float] = {}
    for cand in _candidates(db, ev, limit=40):
        if cand == event_id:
            continue
        r = db.execute("SELECT profile, storyline_id FROM events WHERE id = ?", (cand,)).fetchone()
        if r is None or r[1] is None or r[1] == story:
            continue
        s = _story_score(ev, Profile.from_json(r[0]), idf)
        if s > S.story_threshold:
            linked[r[1]] = max(linked.get(r[1], 0.0), s)
    if story is None:
        if linked:
            story = max(linked, key=lambda k: (linked[k], k))
            del linked[story]
        else:
            story = "st_" + event_id[3:]
            db.execute("INSERT INTO storylines(id, title) VALUES (?, ?)", (story, _title(db, ev.articles)))
        db.execute("UPDATE events SET storyline_id = ? WHERE id = ?", (story, event_id))
    touched = {story}
    if linked:
        group = [story, *linked]
        order = {
            sid: db.execute("SELECT MIN(seq) FROM events WHERE storyline_id = ?", (sid,)).fetchone()[0] or 0
            for sid in group
        }
        keep = min(group, key=lambda sid: (order[sid], sid))
        for sid in group:
            if sid != keep:
                db.execute("UPDATE events SET storyline_id = ? WHERE storyline_id = ?", (keep, sid))
                db.execute("UPDATE articles SET storyline_id = ? WHERE storyline_id = ?", (keep, sid))
                db.execute("DELETE FROM storylines WHERE id = ?", (sid,))
        story = keep
        touched = {keep}
    if new_article is not None and story == before:
        # the event's other reports already carry its storyline: a large event costs no more than a small one
        db.execute("UPDATE articles SET storyline_id = ? WHERE id = ?", (story, new_article))
    else:
        db.execute("UPDATE articles SET storyline_id = ? WHERE event_id = ?", (story, event_id))
    for sid in touched:
        # an event has both dates or neither; each bound is one index lookup
        first = db.execute("SELECT MIN(date_start) FROM events WHERE storyline_id = ?", (sid,)).fetchone()[0]
        last = db.execute("SELECT MAX(date_end) FROM events WHERE storyline_id = ?", (sid,)).fetchone()[0]
        db.execute("UPDATE storylines SET first_date = ?, last_date = ? WHERE id = ?", (first, last, sid))


def reset(db: sqlite3.Connection) -> None:
    """Forget all events and storylines (inside the caller's transaction); articles stay."""
    db.execute("DELETE FROM events")
    db.execute("DELETE FROM event_entities")
    db.execute("DELETE FROM storylines")
    db.execute("DELETE FROM term_df")
    db.execute("DELETE FROM meta WHERE key IN ('df_articles', 'refine_links')")
    db.execute("DELETE FROM article_features")
    db.execute("UPDATE event_mentions SET event_id = NULL, is_main = 0")
    db.execute("UPDATE articles SET event_id = NULL, storyline_id = NULL, clustered = 0")
