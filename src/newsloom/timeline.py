"""Timeline: dated events with verbatim, cited sentences, filtered and ranked.

Entries are events, not raw sentences. Each entry states what happened with the main-event sentence
of its best source and lists every independent source (duplicates count once). Events whose date
cannot be determined are left out of the timeline (they remain in `events`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from .errors import NotFoundError
from .store import Store
from .views import _evidence, find_entities

_SOURCE_RANK = {"sentence": 3, "paragraph": 3, "caption": 2, "published": 1, "none": 0}


def _fts_query(words: str) -> str:
    """A safe FTS5 query: every word must occur (quoted, so user text is never FTS syntax)."""
    toks = re.findall(r"\w+", words)
    return " ".join(f'"{t}"' for t in toks)


def timeline(
    store: Store,
    storyline: str | None = None,
    entity: str | None = None,
    query: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    max_dates: int | None = None,
    per_date: int | None = None,
) -> list[dict[str, Any]]:
    where = ["e.date_start IS NOT NULL"]
    params: list[Any] = []
    if storyline:
        if not store.query("SELECT 1 FROM storylines WHERE id = ?", (storyline,)):
            raise NotFoundError(f"no storyline {storyline!r}; see 'newsloom storylines'")
        where.append("e.storyline_id = ?")
        params.append(storyline)
    if entity:
        ids = find_entities(store, entity)
        if not ids:
            raise NotFoundError(f"no entity named {entity!r}; see 'newsloom entities'")
        where.append(
            f"e.id IN (SELECT event_id FROM event_entities WHERE entity_id IN ({','.join('?' * len(ids))}))"
        )
        params.extend(ids)
    if query:
        q = _fts_query(query)
        if not q:
            raise NotFoundError(f"the query {query!r} has no words to search for")
        where.append(
            "e.id IN (SELECT a.event_id FROM articles a JOIN articles_fts f ON f.rowid = a.seq WHERE articles_fts MATCH ?)"
        )
        params.append(q)
    if date_from:
        where.append("e.date_end >= ?")
        params.append(date_from)
    if date_to:
        where.append("e.date_start <= ?")
        params.append(date_to)
    rows = store.query(
        f"SELECT e.* FROM events e WHERE {' AND '.join(where)} ORDER BY e.date_start, e.seq", params
    )
    entries = []
    for r in rows:
        ev = _evidence(store, r["id"])
        if not ev:
            continue
        # the best source: a sentence that itself carries the date, then the earliest stored
        ranked = store.query(
            """SELECT m.article_id, m.date_source FROM event_mentions m JOIN articles a ON a.id = m.article_id
               WHERE m.event_id = ? AND m.is_main = 1 ORDER BY a.seq""",
            (r["id"],),
        )
        rank = {a: _SOURCE_RANK.get(s, 0) for a, s in ranked}
        ev.sort(key=lambda e: -rank.get(e["article_id"], 0))
        outlets = {e["outlet"] or e["article_id"] for e in ev}
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
                "importance": len(outlets),
                "sources": [
                    {"article_id": e["article_id"], "outlet": e["outlet"], "sentence": e["sentence"]}
                    for e in ev
                ],
            }
        )
    if per_date:
        by_date: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for e in entries:
            by_date[e["date"]].append(e)
        entries = [e for d in by_date.values() for e in sorted(d, key=lambda x: -x["importance"])[:per_date]]
    if max_dates:
        score: dict[str, int] = defaultdict(int)
        for e in entries:
            score[e["date"]] += e["importance"]
        keep = set(sorted(score, key=lambda d: (-score[d], d))[:max_dates])
        entries = [e for e in entries if e["date"] in keep]
    entries.sort(key=lambda e: (e["date"], -e["importance"]))
    return entries
