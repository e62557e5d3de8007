"""Read models: the JSON objects of DESIGN.md, built from the store. CLI and web both call these."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from typing import Any

from .cards import event_card
from .store import EventRepository, Store
from .store.articles import ArticleRepository
from .store.entities import EntityRepository
from .store.mentions import MentionRepository

__all__ = [
    "article_json",
    "articles",
    "by_outlet",
    "canonical_names",
    "entities",
    "entity_detail",
    "entity_json",
    "event_evidence",
    "event_json",
    "events",
    "events_evidence",
    "events_json",
    "mention_json",
    "storyline_json",
    "storylines",
    "storylines_json",
]


def _sentence_at(text: str, start: int, end: int) -> str:
    return text[start:end]


def article_json(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "external_id": row["external_id"],
        "source": row["source"],
        "url": row["url"],
        "outlet": row["outlet"],
        "title": row["title"],
        "authors": json.loads(row["authors"]),
        "published": {
            "date": row["published_date"],
            "end": row["published_end"],
            "granularity": row["published_granularity"],
            "evidence": row["published_evidence"],
            "inferred": bool(row["published_inferred"]),
        },
        "dateline": row["dateline"],
        "language": row["language"],
        "text": row["text"],
        "captions": json.loads(row["captions"]),
        "boilerplate_removed": json.loads(row["boilerplate"]),
        "duplicate_of": row["duplicate_of"],
        "event_id": row["event_id"],
        "storyline_id": row["storyline_id"],
    }


def articles(store: Store, ids: list[str] | None = None) -> list[dict[str, Any]]:
    if ids is not None:
        out = []
        repo = ArticleRepository(store.db)
        for aid in ids:
            row = repo.get(store.find_id("article", aid))
            assert row is not None  # find_id found it
            out.append(article_json(row))
        return out
    return [article_json(r) for r in ArticleRepository(store.db).all()]


def entity_json(store: Store, row: sqlite3.Row, article_ids: list[str] | None = None) -> dict[str, Any]:
    arts = (
        article_ids
        if article_ids is not None
        else MentionRepository(store.db).articles_by_entity(row["id"]).get(row["id"], [])
    )
    return {
        "id": row["id"],
        "name": row["name"],
        "type": row["type"],
        "aliases": json.loads(row["aliases"]),
        "roles": json.loads(row["roles"]),
        "mention_count": row["mention_count"],
        "article_ids": arts,
    }


def entities(store: Store, types: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    """Every entity (of `types`), most mentioned first; its articles read for all at once."""
    rows = [r for r in EntityRepository(store.db).all() if types is None or r["type"] in types]
    arts = MentionRepository(store.db).articles_by_entity()
    return [entity_json(store, r, arts.get(r["id"], [])) for r in rows]


def by_outlet(sources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sources (dicts with "outlet" and "article_id") grouped by outlet, in the order the outlets first
    appear: [{"outlet", "reports", "article_ids"}] ("Washington Post (23)", not 23 lines)."""
    groups: dict[str, dict[str, Any]] = {}
    for src in sources:
        name = src.get("outlet") or "unknown outlet"
        g = groups.setdefault(name, {"outlet": name, "reports": 0, "article_ids": []})
        g["reports"] += 1
        g["article_ids"].append(src["article_id"])
    return list(groups.values())


def events_evidence(store: Store, event_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Each event's main sentences, one per report in insertion order, with where its date came from."""
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in MentionRepository(store.db).main_evidence(event_ids):
        out[r["event_id"]].append(
            {
                "article_id": r["article_id"],
                "sentence": _sentence_at(r["text"], r["evidence_start"], r["evidence_end"]),
                "start": r["evidence_start"],
                "end": r["evidence_end"],
                "outlet": r["outlet"],
                "date_source": r["date_source"],
            }
        )
    return out


def event_evidence(store: Store, event_id: str) -> list[dict[str, Any]]:
    """An event's main sentences (`events_evidence` of one event)."""
    return events_evidence(store, [event_id]).get(event_id, [])


class _Names:
    """Canonical names of the mentions of a set of articles, read at once: surface name in an article
    -> the canonical entity's name."""

    def __init__(self, store: Store, article_ids: list[str]) -> None:
        self.names: dict[str, dict[str, str]] = defaultdict(dict)
        for aid, text, name in MentionRepository(store.db).names_in(sorted(set(article_ids))):
            self.names[aid].setdefault(text, name)

    def __call__(self, article_id: str, names: list[str]) -> list[str]:
        out: list[str] = []
        for n in names:
            name = self.names[article_id].get(n, n)
            if name not in out:
                out.append(name)
        return out


def events_json(store: Store, rows: list[sqlite3.Row], fresh: bool = False) -> list[dict[str, Any]]:
    """Events with their cards, articles, evidence and records, each read for all the events at once
    (a handful of queries, whatever their number). `fresh`: the cards computed from the reports now;
    else as written after the last batch that touched each event (computed when none is stored)."""
    ids = [r["id"] for r in rows]
    arts = ArticleRepository(store.db).ids_by("event_id", ids)
    evidence = {
        eid: [{k: e[k] for k in ("article_id", "sentence", "start", "end")} for e in found]
        for eid, found in events_evidence(store, ids).items()
    }
    mentions = MentionRepository(store.db).of_events(ids)
    names = _Names(store, [m["article_id"] for m in mentions])
    records: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in mentions:
        records[m["event_id"]].append(mention_json(store, m, m["article_text"], names))
    out = []
    for row in rows:
        stored = None if fresh or "card" not in row.keys() else row["card"]
        card = json.loads(stored) if stored else event_card(store.db, row["id"])
        out.append(
            {
                "id": row["id"],
                "type": row["type"],
                "title": card["title"],
                "date": {
                    "start": row["date_start"],
                    "end": row["date_end"],
                    "granularity": row["granularity"],
                },
                "place": card["place"]["name"] if card["place"] else None,
                "participants": [p["name"] for p in card["who"] + card["with_whom"] + card["participants"]],
                "card": card,
                "article_ids": arts.get(row["id"], []),
                "storyline_id": row["storyline_id"],
                "evidence": evidence.get(row["id"], []),
                "records": records[row["id"]],
            }
        )
    return out


def event_json(store: Store, row: sqlite3.Row, fresh: bool = True) -> dict[str, Any]:
    """An event with its card: computed from its reports now (`fresh`, for one event's page), or as
    written after the last batch that touched the event (listings; computed when none is stored)."""
    return events_json(store, [row], fresh)[0]


def events(store: Store, storyline: str | None = None, fresh: bool = False) -> list[dict[str, Any]]:
    repo = EventRepository(store.db)
    if storyline:
        rows = repo.of_storyline(store.find_id("storyline", storyline), undated_last=False)
    else:
        rows = repo.all()
    return events_json(store, rows, fresh)


def storyline_json(store: Store, row: sqlite3.Row) -> dict[str, Any]:
    return storylines_json(store, [row])[0]


def storylines_json(store: Store, rows: list[sqlite3.Row]) -> list[dict[str, Any]]:
    """Storylines with their events (in date order) and articles, read for all of them at once."""
    ids = [r["id"] for r in rows]
    evs = EventRepository(store.db).ids_by_storyline(ids)
    arts = ArticleRepository(store.db).ids_by("storyline_id", ids)
    return [
        {
            "id": row["id"],
            "title": row["title"],
            "event_ids": evs[row["id"]],
            "article_ids": arts[row["id"]],
            "first_date": row["first_date"],
            "last_date": row["last_date"],
        }
        for row in rows
    ]


def storylines(store: Store) -> list[dict[str, Any]]:
    return storylines_json(store, EventRepository(store.db).storylines_by_size())


def canonical_names(store: Store, article_id: str, names: list[str]) -> list[str]:
    """Surface names of one article's mentions -> canonical entity names (unchanged when unresolved)."""
    return _Names(store, [article_id])(article_id, names)


def mention_json(store: Store, row: sqlite3.Row, text: str, names: _Names | None = None) -> dict[str, Any]:
    """One event record: who did what to whom, where, when, with its verbatim evidence. `names`: the
    canonical names of its article's mentions, when the caller has read them."""
    aid = row["article_id"]
    names = names or _Names(store, [aid])
    return {
        "article_id": aid,
        "type": row["type"],
        "trigger": row["trigger"],
        "actors": names(aid, json.loads(row["actors"])),
        "targets": names(aid, json.loads(row["targets"])),
        "place": row["place"],
        "date": {
            "start": row["date_start"],
            "end": row["date_end"],
            "granularity": row["granularity"],
            "source": row["date_source"],
        },
        "negated": bool(row["negated"]),
        "hedged": bool(row["hedged"]),
        "quote": row["quote"],
        "sentence": text[row["evidence_start"] : row["evidence_end"]],
        "start": row["evidence_start"],
        "end": row["evidence_end"],
    }


def entity_detail(store: Store, name: str) -> dict[str, Any]:
    """An entity with its events in date order, its statements and the entities it appears with."""
    ids = EntityRepository(store.db).find(name, required=True)
    row = EntityRepository(store.db).get(ids[0])
    out = entity_json(store, row)
    evs = EventRepository(store.db).of_entity(row["id"])
    out["events"] = [{k: v for k, v in e.items() if k != "evidence"} for e in events_json(store, evs)]
    said = MentionRepository(store.db).quoted_by(row["id"])
    names = _Names(store, [r["article_id"] for r in said])
    out["statements"] = [mention_json(store, r, r["article_text"], names) for r in said]
    co = MentionRepository(store.db).co_occurring(row["id"], limit=15)
    out["cooccurring"] = [{"name": r[0], "type": r[1], "articles": r[2]} for r in co]
    return out
