"""Read models: the JSON objects of DESIGN.md, built from the store. CLI and web both call these."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from typing import Any

from .cards import event_card
from .errors import NotFoundError
from .resolve import norm_name
from .store import Store


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
        for aid in ids:
            r = store.query("SELECT * FROM articles WHERE id = ?", (store.find_id("article", aid),))
            out.append(article_json(r[0]))
        return out
    return [article_json(r) for r in store.query("SELECT * FROM articles ORDER BY seq")]


def entity_json(store: Store, row: sqlite3.Row, article_ids: list[str] | None = None) -> dict[str, Any]:
    arts = (
        article_ids
        if article_ids is not None
        else [
            r[0]
            for r in store.query(
                "SELECT DISTINCT article_id FROM entity_mentions WHERE entity_id = ? ORDER BY article_id",
                (row["id"],),
            )
        ]
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
    rows = [
        r
        for r in store.query("SELECT * FROM entities ORDER BY mention_count DESC, name")
        if types is None or r["type"] in types
    ]
    arts: dict[str, list[str]] = defaultdict(list)
    for eid, aid in store.query(
        "SELECT DISTINCT entity_id, article_id FROM entity_mentions WHERE entity_id IS NOT NULL "
        "ORDER BY entity_id, article_id"
    ):
        arts[eid].append(aid)
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


def find_entities(store: Store, name: str, required: bool = False) -> list[str]:
    """Ids of entities whose name or alias is `name` (normalised), else whose name contains it; the
    holder mentioned most first ("Hayward" is Tony Hayward, not a one-mention namesake). `required`:
    NotFoundError when there is none."""
    key = norm_name(name)
    ids = [
        r[0]
        for r in store.query(
            """SELECT DISTINCT k.entity_id FROM entity_keys k JOIN entities e ON e.id = k.entity_id
               WHERE k.key = ? ORDER BY e.mention_count DESC, e.name""",
            ("n:" + key,),
        )
    ]
    if not ids:
        ids = [
            r[0]
            for r in store.query(
                "SELECT id FROM entities WHERE name LIKE ? OR aliases LIKE ? ORDER BY mention_count DESC, name",
                (f"%{name}%", f"%{name}%"),
            )
        ]
    if required and not ids:
        raise NotFoundError(f"no entity named {name!r}; see 'newsloom entities'")
    return ids


def event_evidence(store: Store, event_id: str) -> list[dict[str, Any]]:
    rows = store.query(
        """SELECT m.article_id, m.evidence_start, m.evidence_end, a.text, a.outlet FROM event_mentions m
           JOIN articles a ON a.id = m.article_id WHERE m.event_id = ? AND m.is_main = 1 ORDER BY a.seq""",
        (event_id,),
    )
    return [
        {
            "article_id": r[0],
            "sentence": _sentence_at(r[3], r[1], r[2]),
            "start": r[1],
            "end": r[2],
            "outlet": r[4],
        }
        for r in rows
    ]


class _Names:
    """Canonical names of the mentions of a set of articles, read at once: surface name in an article
    -> the canonical entity's name."""

    def __init__(self, store: Store, article_ids: list[str]) -> None:
        self.names: dict[str, dict[str, str]] = defaultdict(dict)
        for aid, text, name in store.query_in(
            """SELECT m.article_id, m.text, e.name FROM entity_mentions m JOIN entities e ON e.id = m.entity_id
               WHERE m.article_id IN ({ids}) ORDER BY m.article_id, m.start""",
            sorted(set(article_ids)),
        ):
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
    arts: dict[str, list[str]] = defaultdict(list)
    for eid, aid in store.query_in(
        "SELECT event_id, id FROM articles WHERE event_id IN ({ids}) ORDER BY seq", ids
    ):
        arts[eid].append(aid)
    evidence: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in store.query_in(
        """SELECT m.event_id, m.article_id, m.evidence_start, m.evidence_end, a.text FROM event_mentions m
           JOIN articles a ON a.id = m.article_id WHERE m.event_id IN ({ids}) AND m.is_main = 1 ORDER BY a.seq""",
        ids,
    ):
        evidence[r[0]].append(
            {"article_id": r[1], "sentence": _sentence_at(r[4], r[2], r[3]), "start": r[2], "end": r[3]}
        )
    mentions = store.query_in(
        """SELECT m.*, a.text AS article_text FROM event_mentions m JOIN articles a ON a.id = m.article_id
           WHERE m.event_id IN ({ids}) ORDER BY a.seq, m.sentence""",
        ids,
    )
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
                "article_ids": arts[row["id"]],
                "storyline_id": row["storyline_id"],
                "evidence": evidence[row["id"]],
                "records": records[row["id"]],
            }
        )
    return out


def event_json(store: Store, row: sqlite3.Row, fresh: bool = True) -> dict[str, Any]:
    """An event with its card: computed from its reports now (`fresh`, for one event's page), or as
    written after the last batch that touched the event (listings; computed when none is stored)."""
    return events_json(store, [row], fresh)[0]


def events(store: Store, storyline: str | None = None, fresh: bool = False) -> list[dict[str, Any]]:
    if storyline:
        rows = store.query(
            "SELECT * FROM events WHERE storyline_id = ? ORDER BY date_start, seq",
            (store.find_id("storyline", storyline),),
        )
    else:
        rows = store.query("SELECT * FROM events ORDER BY date_start IS NULL, date_start, seq")
    return events_json(store, rows, fresh)


def storyline_json(store: Store, row: sqlite3.Row) -> dict[str, Any]:
    return storylines_json(store, [row])[0]


def storylines_json(store: Store, rows: list[sqlite3.Row]) -> list[dict[str, Any]]:
    """Storylines with their events (in date order) and articles, read for all of them at once."""
    ids = [r["id"] for r in rows]
    evs: dict[str, list[str]] = defaultdict(list)
    for sid, eid in store.query_in(
        "SELECT storyline_id, id FROM events WHERE storyline_id IN ({ids}) "
        "ORDER BY date_start IS NULL, date_start, seq",
        ids,
    ):
        evs[sid].append(eid)
    arts: dict[str, list[str]] = defaultdict(list)
    for sid, aid in store.query_in(
        "SELECT storyline_id, id FROM articles WHERE storyline_id IN ({ids}) ORDER BY seq", ids
    ):
        arts[sid].append(aid)
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
    rows = store.query(
        """SELECT s.*, (SELECT COUNT(*) FROM articles a WHERE a.storyline_id = s.id) AS n FROM storylines s
           ORDER BY n DESC, first_date"""
    )
    return storylines_json(store, rows)


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
    ids = find_entities(store, name, required=True)
    row = store.query("SELECT * FROM entities WHERE id = ?", (ids[0],))[0]
    out = entity_json(store, row)
    evs = store.query(
        """SELECT e.* FROM events e JOIN event_entities x ON x.event_id = e.id WHERE x.entity_id = ?
           ORDER BY e.date_start IS NULL, e.date_start, e.seq""",
        (row["id"],),
    )
    out["events"] = [{k: v for k, v in e.items() if k != "evidence"} for e in events_json(store, evs)]
    said = store.query(
        """SELECT m.*, a.text AS article_text FROM event_mentions m JOIN articles a ON a.id = m.article_id
           JOIN entity_mentions em ON em.article_id = m.article_id AND em.entity_id = ?
           WHERE m.type = 'STATEMENT' AND m.quote IS NOT NULL AND instr(m.actors, em.text) > 0
           GROUP BY m.id ORDER BY m.date_start, a.seq""",
        (row["id"],),
    )
    names = _Names(store, [r["article_id"] for r in said])
    out["statements"] = [mention_json(store, r, r["article_text"], names) for r in said]
    co = store.query(
        """SELECT e.name, e.type, COUNT(DISTINCT m2.article_id) AS n FROM entity_mentions m1
           JOIN entity_mentions m2 ON m2.article_id = m1.article_id AND m2.entity_id != m1.entity_id
           JOIN entities e ON e.id = m2.entity_id
           WHERE m1.entity_id = ? GROUP BY e.id ORDER BY n DESC, e.name LIMIT 15""",
        (row["id"],),
    )
    out["cooccurring"] = [{"name": r[0], "type": r[1], "articles": r[2]} for r in co]
    return out
