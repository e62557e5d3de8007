"""Finding by words: articles (full text, FTS5), the events their matches belong to, and entities by
name; with filters, paging, and snippets cut at word boundaries with the words found marked.

A snippet is a list of pieces, `{"text": ..., "hit": bool}`: the web page escapes each piece and marks
the hits; the command line prints them with brackets. Article text is never markup.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from ..errors import NewsloomError
from .browse import PAGE_SIZE, article_filters
from .database import Store

__all__ = ["SNIPPET_TOKENS", "SORTS", "TOP", "fts_query", "lead_words", "pieces", "search"]

SNIPPET_TOKENS = 28  # words in a snippet
SORTS = {
    "relevance": "rank",
    "published": "a.published_date IS NULL, a.published_date, a.seq",
    "-published": "a.published_date IS NULL, a.published_date DESC, a.seq",
}
TOP = 10  # events and entities shown beside the articles
_OPEN, _CLOSE = "\x02", "\x03"  # FTS5 highlight marks (control characters: never in cleaned text)
_MARKS = re.compile(f"{_OPEN}(.*?){_CLOSE}", re.S)


def fts_query(words: str) -> str:
    """A safe FTS5 query: every word must occur (quoted, so user text is never FTS syntax)."""
    toks = re.findall(r"\w+", words)
    return " ".join(f'"{t}"' for t in toks)


def pieces(marked: str) -> list[dict[str, Any]]:
    """Text with FTS5 highlight marks -> [{"text", "hit"}]."""
    out: list[dict[str, Any]] = []
    pos = 0
    for m in _MARKS.finditer(marked):
        if m.start() > pos:
            out.append({"text": marked[pos : m.start()], "hit": False})
        out.append({"text": m.group(1), "hit": True})
        pos = m.end()
    if pos < len(marked):
        out.append({"text": marked[pos:], "hit": False})
    return [p for p in out if p["text"]]


def lead_words(text: str, n: int = SNIPPET_TOKENS) -> str:
    """The first n words of a text, ending at a word boundary."""
    words = text.split()
    return " ".join(words[:n]) + (" \u2026" if len(words) > n else "")


def search(
    store: Store,
    q: str = "",
    date_from: str = "",
    date_to: str = "",
    outlet: str = "",
    entity: str = "",
    kind: str = "",
    page: int = 1,
    size: int = PAGE_SIZE,
    sort: str = "",
) -> dict[str, Any]:
    """Articles matching every word of `q` (best first) and the filters, one page of them; on the first
    page also the events holding most matches and the entities whose name has the words."""
    where, params = article_filters(store, date_from, date_to, outlet, kind, entity)
    join = ""
    fq = ""
    if q.strip():
        fq = fts_query(q)
        if not fq:
            raise NewsloomError(f"the query {q!r} has no words to search for")
        join = "JOIN articles_fts ON articles_fts.rowid = a.seq"
        where.append("articles_fts MATCH ?")
        params.append(fq)
    cond = " AND ".join(where)
    total = int(store.query(f"SELECT COUNT(*) FROM articles a {join} WHERE {cond}", params)[0][0])
    if join:
        cols = (
            f"highlight(articles_fts, 0, '{_OPEN}', '{_CLOSE}') AS title_marked, "
            f"snippet(articles_fts, 1, '{_OPEN}', '{_CLOSE}', '\u2026', {SNIPPET_TOKENS}) AS snippet_marked"
        )
    else:
        cols = "a.title AS title_marked, substr(a.text, 1, 600) AS snippet_marked"
    sort = sort or ("relevance" if join else "-published")
    if sort not in SORTS or (sort == "relevance" and not join):
        raise NewsloomError(f"sort {sort!r}: use relevance (with words), published or -published")
    order = "ORDER BY " + SORTS[sort]
    rows = store.query(
        f"""SELECT a.id, a.outlet, a.published_date, a.published_inferred, a.event_id, {cols}
            FROM articles a {join} WHERE {cond} {order} LIMIT ? OFFSET ?""",
        [*params, size, (max(page, 1) - 1) * size],
    )
    results = []
    for r in rows:
        title = pieces(r["title_marked"])
        snippet = (
            pieces(r["snippet_marked"]) if join else [{"text": lead_words(r["snippet_marked"]), "hit": False}]
        )
        results.append(
            {
                "id": r["id"],
                "title": "".join(p["text"] for p in title),
                "title_pieces": title,
                "outlet": r["outlet"],
                "published": r["published_date"],
                "published_inferred": bool(r["published_inferred"]),
                "event_id": r["event_id"],
                "snippet": snippet,
            }
        )
    events: list[dict[str, Any]] = []
    entities: list[dict[str, Any]] = []
    if fq and page == 1:
        events = [
            {
                "id": r[0],
                "title": (json.loads(r[6]) if r[6] else {}).get("title") or r[1],
                "kind": r[2],
                "date": r[3],
                "place": r[4],
                "matching_reports": r[5],
            }
            for r in store.query(
                f"""SELECT e.id, e.title, e.type, e.date_start, e.place, COUNT(*) AS n, e.card
                    FROM articles a {join} JOIN events e ON e.id = a.event_id WHERE {cond}
                    GROUP BY e.id ORDER BY n DESC, e.date_start DESC LIMIT ?""",
                [*params, TOP],
            )
        ]
        words = [w for w in re.findall(r"\w+", q) if len(w) > 2] or re.findall(r"\w+", q)
        for joiner in (" AND ", " OR "):  # names with every word; else with any
            like = joiner.join("(name LIKE ? OR aliases LIKE ?)" for _ in words)
            entities = [
                {"name": r[0], "kind": r[1], "mentions": r[2]}
                for r in store.query(
                    f"SELECT name, type, mention_count FROM entities WHERE {like} ORDER BY mention_count DESC LIMIT ?",
                    [x for w in words for x in (f"%{w}%", f"%{w}%")] + [TOP],
                )
            ]
            if entities or len(words) == 1:
                break
    coverage = [
        {"date": r[0], "outlet": r[1], "reports": r[2]}
        for r in store.query(
            f"""SELECT a.published_date, COALESCE(a.outlet, 'unknown outlet'), COUNT(*) FROM articles a {join}
                WHERE {cond} AND a.published_date IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2""",
            params,
        )
    ]
    return {
        "query": {
            "q": q,
            "from": date_from,
            "to": date_to,
            "outlet": outlet,
            "entity": entity,
            "type": kind,
            "sort": sort,
        },  # fmt: skip
        "total": total,
        "page": page,
        "pages": max(1, math.ceil(total / size)),
        "results": results,
        "events": events,
        "entities": entities,
        "coverage": coverage,
    }
