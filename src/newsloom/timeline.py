"""Timeline: dated events with verbatim, cited sentences, filtered and ranked.

Entries are events, not raw sentences. Each entry states what happened with the main-event sentence
of its best source and lists every independent source (duplicates count once). Events whose date
cannot be determined are left out of the timeline (they remain in `events`).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from .errors import NotFoundError
from .store import EventRepository, Store
from .store.articles import ArticleRepository
from .store.entities import EntityRepository
from .store.mentions import MentionRepository
from .store.search import fts_query
from .views import events_evidence

__all__ = ["scope_articles", "timeline"]

_SOURCE_RANK = {"sentence": 3, "paragraph": 3, "caption": 2, "published": 1, "none": 0}


def timeline(
    store: Store,
    storyline: str | None = None,
    entity: str | None = None,
    query: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    max_dates: int | None = None,
    per_date: int | None = None,
    background: bool = True,
) -> list[dict[str, Any]]:
    if storyline:
        storyline = store.find_id("storyline", storyline)
    entities = EntityRepository(store.db).find(entity, required=True) if entity else None
    q = None
    if query:
        q = fts_query(query)
        if not q:
            raise NotFoundError(f"the query {query!r} has no words to search for")
    rows = EventRepository(store.db).dated(storyline, entities, q, date_from, date_to)
    entries = []
    centrality = _centrality(store, [r["storyline_id"] for r in rows])
    evidence = events_evidence(store, [r["id"] for r in rows])
    for r in rows:
        ev = evidence.get(r["id"])
        if not ev:
            continue
        # the best source: a sentence that itself carries the date, then the earliest stored
        ev.sort(key=lambda e: -_SOURCE_RANK.get(e["date_source"], 0))
        outlets = {e["outlet"] or e["article_id"] for e in ev}
        importance = len(outlets) + _SPECIFICITY.get(r["granularity"], 0.0) + centrality.get(r["id"], 0.0)
        entries.append(
            {
                "date": r["date_start"],
                "end_date": r["date_end"],
                "granularity": r["granularity"],
                "text": ev[0]["sentence"],
                "event_id": r["id"],
                "storyline_id": r["storyline_id"],
                "title": r["title"],
                "type": r["type"],
                "place": r["place"],
                "background": False,
                "outlets": len(outlets),
                "importance": round(importance, 2),
                "sources": [
                    {"article_id": e["article_id"], "outlet": e["outlet"], "sentence": e["sentence"]}
                    for e in ev
                ],
                "moments": _moments(store, r),
            }
        )
    if background:
        entries.extend(_background(store, rows, entries, date_from, date_to))
    if per_date:
        by_date: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for e in entries:
            by_date[e["date"]].append(e)
        entries = [e for d in by_date.values() for e in sorted(d, key=lambda x: -x["importance"])[:per_date]]
    if max_dates:
        score: dict[str, float] = defaultdict(float)
        for e in entries:
            score[e["date"]] += e["importance"]
        keep = set(sorted(score, key=lambda d: (-score[d], d))[:max_dates])
        entries = [e for e in entries if e["date"] in keep]
    entries.sort(key=lambda e: (e["date"], -e["importance"]))
    return entries


# how much a date's precision adds to an entry's importance
_SPECIFICITY = {"day": 1.0, "week": 0.5, "month": 0.25}


def _centrality(store: Store, storylines: list[str | None]) -> dict[str, float]:
    """Per event: the share of the other events of its storyline that share a participant with it."""
    out: dict[str, float] = {}
    for sid in {s for s in storylines if s}:
        ents = EventRepository(store.db).entities_by_event(sid)
        if len(ents) < 2:
            continue
        for eid, mine in ents.items():
            out[eid] = sum(1 for o, theirs in ents.items() if o != eid and mine & theirs) / (len(ents) - 1)
    return out


def _moments(store: Store, ev: Any) -> list[dict[str, Any]]:
    """Days inside a multi-day event that a source dates precisely ("on Tuesday" within a three-day visit)."""
    if not ev["date_start"] or ev["date_start"] == ev["date_end"]:
        return []
    rows = MentionRepository(store.db).dated_days_within(ev["id"], ev["date_start"], ev["date_end"])
    out: dict[str, dict[str, Any]] = {}
    for d, etype, trig, s, e, text, outlet, aid in rows:
        out.setdefault(
            d,
            {
                "date": d,
                "type": etype,
                "trigger": trig,
                "sentence": text[s:e],
                "article_id": aid,
                "outlet": outlet,
            },
        )
    return list(out.values())


def _background(
    store: Store,
    rows: list[Any],
    entries: list[dict[str, Any]],
    date_from: str | None,
    date_to: str | None,
) -> list[dict[str, Any]]:
    """Events mentioned in passing, at their own date: a precisely dated mention (the date stated in its
    sentence) well outside the dates of the event its article reports, and not itself a clustered event."""
    covered = [(e["date"], e["end_date"] or e["date"]) for e in entries]
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows:
        if not r["date_start"]:
            continue
        lo = (date.fromisoformat(r["date_start"]) - timedelta(days=2)).isoformat()
        hi = (date.fromisoformat(r["date_end"] or r["date_start"]) + timedelta(days=2)).isoformat()
        for d, etype, _trig, s, e, text, outlet, aid in MentionRepository(store.db).dated_days_outside(
            r["id"], lo, hi
        ):
            if (date_from and d < date_from) or (date_to and d > date_to):
                continue
            if any(a <= d <= b for a, b in covered):
                continue  # a clustered event already stands at that date
            g = groups.setdefault(
                (d, etype),
                {
                    "date": d,
                    "end_date": d,
                    "granularity": "day",
                    "text": text[s:e],
                    "event_id": None,
                    "mentioned_in": [],
                    "storyline_id": r["storyline_id"],
                    "title": text[s:e],
                    "type": etype,
                    "place": None,
                    "background": True,
                    "sources": [],
                    "moments": [],
                },
            )
            if r["id"] not in g["mentioned_in"]:
                g["mentioned_in"].append(r["id"])
            if all(x["article_id"] != aid for x in g["sources"]):
                g["sources"].append({"article_id": aid, "outlet": outlet, "sentence": text[s:e]})
    out = []
    for g in groups.values():
        outlets = {x["outlet"] or x["article_id"] for x in g["sources"]}
        g["outlets"] = len(outlets)
        # mentioned in passing: worth less than a reported event with as many outlets
        g["importance"] = round(0.5 * len(outlets) + _SPECIFICITY["day"] * 0.5, 2)
        out.append(g)
    return out


def scope_articles(
    store: Store, storyline: str | None = None, entity: str | None = None, query: str | None = None
) -> list[str] | None:
    """Ids of the articles a storyline, an entity or a full-text query selects (all filters apply);
    None when no filter is given."""
    if not (storyline or entity or query):
        return None
    sets: list[set[str]] = []
    if storyline:
        storyline = store.find_id("storyline", storyline)
        sets.append(ArticleRepository(store.db).of_storyline(storyline))
    if entity:
        ids = EntityRepository(store.db).find(entity, required=True)
        sets.append(MentionRepository(store.db).articles_naming(ids))
    if query:
        fq = fts_query(query)
        if not fq:
            raise NotFoundError(f"the query {query!r} has no words to search for")
        sets.append(ArticleRepository(store.db).matching(fq))
    return sorted(set.intersection(*sets))
