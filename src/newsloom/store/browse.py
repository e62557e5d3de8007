"""Lists for browsing the store: events, entities, articles and outlets, sorted, filtered and paged; an
outlet's record (its coverage, how often it reported first, how late it followed, what it left out); the
order in which outlets reported an event; coverage over time.

`Browse` owns the SQL of these reads. Each list returns a `Listing`: the page of rows as plain dicts, the
total, the page and page count, the sort and the filters that made it. Sort keys are names from a fixed
table (a leading "-" reverses them); a filter value is always a bound parameter.
"""

from __future__ import annotations

import json
import math
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..errors import NewsloomError, NotFoundError
from .database import Store
from .entities import EntityRepository

__all__ = ["Browse", "Listing", "MISSED_MIN_OUTLETS", "PAGE_SIZE", "article_filters", "check_date"]

PAGE_SIZE = 20
MISSED_MIN_OUTLETS = 3  # a storyline this many other outlets covered, and this one did not, is a blindspot

# sort name -> (ORDER BY ascending, ORDER BY descending: "-name"); rows without the value come last
_EVENT_SORTS = {
    "date": (
        "e.date_start IS NULL, e.date_start, e.seq",
        "e.date_start IS NULL, e.date_start DESC, e.seq DESC",
    ),
    "reports": ("e.article_count, e.seq", "e.article_count DESC, e.seq"),
    "title": ("e.title COLLATE NOCASE, e.seq", "e.title COLLATE NOCASE DESC, e.seq"),
    "kind": ("e.type, e.date_start, e.seq", "e.type DESC, e.date_start, e.seq"),
}
_ENTITY_SORTS = {
    "mentions": ("x.mention_count, x.name", "x.mention_count DESC, x.name"),
    "name": ("x.name COLLATE NOCASE", "x.name COLLATE NOCASE DESC"),
    "kind": ("x.type, x.mention_count DESC", "x.type DESC, x.mention_count DESC"),
    "events": (
        "(SELECT COUNT(*) FROM event_entities ee WHERE ee.entity_id = x.id), x.name",
        "(SELECT COUNT(*) FROM event_entities ee WHERE ee.entity_id = x.id) DESC, x.name",
    ),
}
_ARTICLE_SORTS = {
    "published": (
        "a.published_date IS NULL, a.published_date, a.seq",
        "a.published_date IS NULL, a.published_date DESC, a.seq DESC",
    ),
    "outlet": (
        "a.outlet IS NULL, a.outlet COLLATE NOCASE, a.published_date",
        "a.outlet IS NULL, a.outlet COLLATE NOCASE DESC, a.published_date",
    ),
    "title": ("a.title COLLATE NOCASE, a.seq", "a.title COLLATE NOCASE DESC, a.seq"),
    "added": ("a.seq", "a.seq DESC"),
}
_OUTLET_SORTS = {"reports", "events", "name", "first", "lag"}


@dataclass
class Listing:
    """One page of a list."""

    items: list[dict[str, Any]]
    total: int
    page: int
    size: int
    sort: str
    filters: dict[str, str] = field(default_factory=dict)
    choices: dict[str, list[str]] = field(default_factory=dict)  # values a filter can take (menus)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    def as_dict(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "total": self.total,
            "page": self.page,
            "pages": self.pages,
            "size": self.size,
            "sort": self.sort,
            "filters": {k: v for k, v in self.filters.items() if v},
            "choices": self.choices,
        }


def _order(sort: str, table: dict[str, tuple[str, str]], default: str) -> tuple[str, str]:
    """The ORDER BY of a sort name ("-reports": most first) and the name as given."""
    sort = sort or default
    name = sort.lstrip("-")
    if name not in table:
        raise NewsloomError(f"sort {sort!r}: use one of {', '.join(sorted(table))} (a leading - reverses)")
    return table[name][1 if sort.startswith("-") else 0], sort


def check_date(value: str, label: str) -> str:
    if value:
        try:
            date.fromisoformat(value)
        except ValueError:
            raise NewsloomError(f"{label} {value!r}: not a date; use YYYY-MM-DD") from None
    return value


def _marks(n: int) -> str:
    return ",".join("?" * n)


def article_filters(
    store: Store, date_from: str = "", date_to: str = "", outlet: str = "", kind: str = "", entity: str = ""
) -> tuple[list[str], list[Any]]:
    """The WHERE conditions (on `articles a`, originals only) and parameters of the article filters the
    lists and the search share: published in a date range, by an outlet, reporting an event of a kind,
    naming an entity."""
    where, params = ["a.duplicate_of IS NULL"], []
    if check_date(date_from, "from"):
        where.append("a.published_date >= ?")
        params.append(date_from)
    if check_date(date_to, "to"):
        where.append("a.published_date <= ?")
        params.append(date_to)
    if outlet:
        where.append("a.outlet = ?")
        params.append(outlet)
    if kind:
        where.append("a.event_id IN (SELECT id FROM events WHERE type = ?)")
        params.append(kind.upper())
    if entity:
        ids = EntityRepository(store.db).find(entity, required=True)
        where.append(
            f"a.id IN (SELECT article_id FROM entity_mentions WHERE entity_id IN ({_marks(len(ids))}))"
        )
        params += ids
    return where, params


class Browse:
    """The reads behind the list pages, over one open store."""

    def __init__(self, store: Store, size: int = PAGE_SIZE) -> None:
        self.store = store
        self.size = size

    def _page(
        self, sql_from: str, where: list[str], params: list[Any], order: str, cols: str, page: int
    ) -> Any:
        cond = " AND ".join(where) or "1"
        total = int(self.store.query(f"SELECT COUNT(*) FROM {sql_from} WHERE {cond}", params)[0][0])
        rows = self.store.query(
            f"SELECT {cols} FROM {sql_from} WHERE {cond} ORDER BY {order} LIMIT ? OFFSET ?",
            [*params, self.size, (max(page, 1) - 1) * self.size],
        )
        return total, rows

    # --- events -------------------------------------------------------------------------------------
    def events(
        self,
        sort: str = "",
        date_from: str = "",
        date_to: str = "",
        kind: str = "",
        place: str = "",
        entity: str = "",
        outlet: str = "",
        storyline: str = "",
        page: int = 1,
    ) -> Listing:
        order, sort = _order(sort, _EVENT_SORTS, "-date")
        where: list[str] = []
        params: list[Any] = []
        if check_date(date_from, "from"):
            where.append("COALESCE(e.date_end, e.date_start) >= ?")
            params.append(date_from)
        if check_date(date_to, "to"):
            where.append("e.date_start <= ?")
            params.append(date_to)
        if kind:
            where.append("e.type = ?")
            params.append(kind.upper())
        if place:
            where.append("e.place LIKE ?")
            params.append(f"%{place}%")
        if entity:
            ids = EntityRepository(self.store.db).find(entity, required=True)
            where.append(
                f"e.id IN (SELECT event_id FROM event_entities WHERE entity_id IN ({_marks(len(ids))}))"
            )
            params += ids
        if outlet:
            where.append("e.id IN (SELECT event_id FROM articles WHERE outlet = ?)")
            params.append(outlet)
        if storyline:
            where.append("e.storyline_id = ?")
            params.append(self.store.find_id("storyline", storyline))
        total, rows = self._page(
            "events e", where, params, order,
            "e.id, e.type, e.title, e.date_start, e.date_end, e.granularity, e.place, e.article_count, "
            "e.storyline_id, e.card",
            page,
        )  # fmt: skip
        outlets = self._outlets_of_events([r["id"] for r in rows])
        items = []
        for r in rows:
            card = json.loads(r["card"]) if r["card"] else {}
            items.append(
                {
                    "id": r["id"],
                    "kind": r["type"],
                    "title": card.get("title") or r["title"],
                    "date": {"start": r["date_start"], "end": r["date_end"], "granularity": r["granularity"]},
                    "place": (card.get("place") or {}).get("name") or r["place"],
                    "reports": r["article_count"],
                    "outlets": outlets.get(r["id"], []),
                    "storyline_id": r["storyline_id"],
                }
            )
        kinds = [r[0] for r in self.store.query("SELECT DISTINCT type FROM events ORDER BY 1")]
        filters = {"from": date_from, "to": date_to, "kind": kind, "place": place, "entity": entity}
        return Listing(
            items, total, page, self.size, sort, {**filters, "outlet": outlet, "storyline": storyline},
            {"kind": kinds, "sort": sorted(_EVENT_SORTS)},
        )  # fmt: skip

    def _outlets_of_events(self, ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        """Each event's outlets, grouped: [{"outlet", "reports"}], most reports first."""
        out: dict[str, list[dict[str, Any]]] = defaultdict(list)
        if not ids:
            return out
        for r in self.store.query(
            f"""SELECT event_id, COALESCE(outlet, 'unknown outlet') AS o, COUNT(*) AS n FROM articles
                WHERE event_id IN ({_marks(len(ids))}) AND duplicate_of IS NULL
                GROUP BY event_id, o ORDER BY event_id, n DESC, o""",
            ids,
        ):
            out[r["event_id"]].append({"outlet": r["o"], "reports": r["n"]})
        return out

    # --- entities -----------------------------------------------------------------------------------
    def entities(self, sort: str = "", kind: str = "", name: str = "", page: int = 1) -> Listing:
        order, sort = _order(sort, _ENTITY_SORTS, "-mentions")
        where: list[str] = []
        params: list[Any] = []
        if kind:
            where.append("x.type = ?")
            params.append(kind.upper())
        for word in name.split():
            where.append("(x.name LIKE ? OR x.aliases LIKE ?)")
            params += [f"%{word}%", f"%{word}%"]
        total, rows = self._page(
            "entities x", where, params, order,
            "x.id, x.name, x.type, x.aliases, x.mention_count, "
            "(SELECT COUNT(*) FROM event_entities ee WHERE ee.entity_id = x.id) AS events",
            page,
        )  # fmt: skip
        items = [
            {
                "id": r["id"],
                "name": r["name"],
                "kind": r["type"],
                "aliases": json.loads(r["aliases"])[:6],
                "mentions": r["mention_count"],
                "events": r["events"],
            }
            for r in rows
        ]
        kinds = [r[0] for r in self.store.query("SELECT DISTINCT type FROM entities ORDER BY 1")]
        return Listing(
            items, total, page, self.size, sort, {"kind": kind, "name": name},
            {"kind": kinds, "sort": sorted(_ENTITY_SORTS)},
        )  # fmt: skip

    # --- articles -----------------------------------------------------------------------------------
    def articles(
        self,
        sort: str = "",
        date_from: str = "",
        date_to: str = "",
        outlet: str = "",
        kind: str = "",
        entity: str = "",
        event: str = "",
        page: int = 1,
    ) -> Listing:
        order, sort = _order(sort, _ARTICLE_SORTS, "-published")
        where, params = article_filters(self.store, date_from, date_to, outlet, kind, entity)
        if event:
            where.append("a.event_id = ?")
            params.append(self.store.find_id("event", event))
        total, rows = self._page(
            "articles a", where, params, order,
            "a.id, a.title, a.outlet, a.published_date, a.published_inferred, a.event_id, a.storyline_id",
            page,
        )  # fmt: skip
        items = [
            {
                "id": r["id"],
                "title": r["title"],
                "outlet": r["outlet"],
                "published": r["published_date"],
                "published_inferred": bool(r["published_inferred"]),
                "event_id": r["event_id"],
                "storyline_id": r["storyline_id"],
            }
            for r in rows
        ]
        kinds = [r[0] for r in self.store.query("SELECT DISTINCT type FROM events ORDER BY 1")]
        filters = {"from": date_from, "to": date_to, "outlet": outlet, "kind": kind, "entity": entity}
        return Listing(
            items, total, page, self.size, sort, {**filters, "event": event},
            {"kind": kinds, "outlet": self.outlet_names(), "sort": sorted(_ARTICLE_SORTS)},
        )  # fmt: skip

    def outlet_names(self) -> list[str]:
        return [
            r[0]
            for r in self.store.query(
                "SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL ORDER BY 1"
            )
        ]

    # --- outlets ------------------------------------------------------------------------------------
    def _firsts(self, outlet: str | None) -> list[Any]:
        """(event, outlet, the outlet's first report's date, the event's first report's date, outlets)
        for every event with a dated report (that `outlet` reported, when one is given)."""
        only = "AND event_id IN (SELECT event_id FROM articles WHERE outlet = ?)" if outlet else ""
        return self.store.query(
            f"""WITH f AS (SELECT event_id, outlet, MIN(published_date) AS d FROM articles
                           WHERE event_id IS NOT NULL AND duplicate_of IS NULL AND outlet IS NOT NULL
                             AND published_date IS NOT NULL {only} GROUP BY event_id, outlet),
                     e AS (SELECT event_id, MIN(d) AS d0, COUNT(*) AS n FROM f GROUP BY event_id)
                SELECT f.event_id, f.outlet, f.d, e.d0, e.n FROM f JOIN e USING (event_id)""",
            [outlet] if outlet else [],
        )

    def _outlet_stats(self, outlet: str | None = None) -> dict[str, dict[str, Any]]:
        """The figures of every outlet, or of one."""
        stats: dict[str, dict[str, Any]] = {}
        for r in self.store.query(
            f"""SELECT outlet, COUNT(*) AS reports, COUNT(DISTINCT event_id) AS events,
                       MIN(published_date) AS first_date, MAX(published_date) AS last_date
                FROM articles WHERE outlet IS NOT NULL AND duplicate_of IS NULL {"AND outlet = ?" if outlet else ""}
                GROUP BY outlet""",
            [outlet] if outlet else [],
        ):
            stats[r["outlet"]] = {
                "outlet": r["outlet"],
                "reports": r["reports"],
                "events": r["events"],
                "first_date": r["first_date"],
                "last_date": r["last_date"],
                "shared_events": 0,
                "first": 0,
                "lags": [],
            }
        for _ev, name, d, d0, n in self._firsts(outlet):
            s = stats.get(name)
            if s is None or n < 2:
                continue  # an event one outlet reported alone says nothing of who was first
            s["shared_events"] += 1
            lag = (date.fromisoformat(d) - date.fromisoformat(d0)).days
            if lag == 0:
                s["first"] += 1
            else:
                s["lags"].append(lag)
        for s in stats.values():
            lags = s.pop("lags")
            s["first_share"] = round(s["first"] / s["shared_events"], 3) if s["shared_events"] else None
            median = statistics.median(lags) if lags else None
            s["median_lag_days"] = (
                None if median is None else int(median) if median == int(median) else median
            )
        return stats

    def outlets(self, sort: str = "", page: int = 1) -> Listing:
        sort = sort or "-reports"
        name = sort.lstrip("-")
        if name not in _OUTLET_SORTS:
            raise NewsloomError(
                f"sort {sort!r}: use one of {', '.join(sorted(_OUTLET_SORTS))} (a leading - reverses)"
            )
        stats = list(self._outlet_stats().values())
        key = {
            "reports": "reports",
            "events": "events",
            "name": "outlet",
            "first": "first_share",
            "lag": "median_lag_days",
        }[name]

        present = [s for s in stats if s[key] is not None]
        present.sort(key=lambda s: s["outlet"].casefold())  # ties in name order, whichever way
        present.sort(
            key=lambda s: s[key].casefold() if isinstance(s[key], str) else s[key],
            reverse=sort.startswith("-"),
        )
        stats = present + sorted((s for s in stats if s[key] is None), key=lambda s: s["outlet"].casefold())
        start = (max(page, 1) - 1) * self.size
        return Listing(
            stats[start : start + self.size],
            len(stats),
            page,
            self.size,
            sort,
            {},
            {"sort": sorted(_OUTLET_SORTS)},
        )

    def outlet(self, name: str) -> dict[str, Any]:
        """One outlet: its figures, its coverage per day, the events it reported (latest first) and the
        storylines at least MISSED_MIN_OUTLETS other outlets covered that it did not."""
        stats = self._outlet_stats(name)
        if name not in stats:
            raise NotFoundError(f"no outlet {name!r}; see 'newsloom outlets' or /outlets")
        missed = [
            {
                "id": r["id"],
                "title": r["title"],
                "outlets": r["n"],
                "first_date": r["first_date"],
                "last_date": r["last_date"],
            }
            for r in self.store.query(
                """SELECT s.id, s.title, s.first_date, s.last_date, COUNT(DISTINCT a.outlet) AS n
                   FROM storylines s JOIN articles a ON a.storyline_id = s.id
                   WHERE a.outlet IS NOT NULL AND a.duplicate_of IS NULL
                   GROUP BY s.id HAVING n >= ? AND SUM(a.outlet = ?) = 0
                   ORDER BY n DESC, s.last_date DESC LIMIT 50""",
                (MISSED_MIN_OUTLETS, name),
            )
        ]
        ids = [
            r[0]
            for r in self.store.query(
                "SELECT id FROM articles WHERE outlet = ? AND duplicate_of IS NULL", (name,)
            )
        ]
        return {
            **stats[name],
            "coverage": self.coverage(ids),
            "events_list": self.events(outlet=name).as_dict()["items"],
            "missed_storylines": missed,
        }

    def event_outlets(self, event_id: str) -> list[dict[str, Any]]:
        """The order in which outlets reported an event: each outlet's first report, its date, and its lag
        in days behind the first report (None where its report is undated)."""
        rows = self.store.query(
            """SELECT COALESCE(outlet, 'unknown outlet') AS o, MIN(published_date) AS d, COUNT(*) AS n,
                      MIN(seq) AS s, MAX(published_inferred) AS inferred
               FROM articles WHERE event_id = ? AND duplicate_of IS NULL GROUP BY o""",
            (event_id,),
        )
        dated = [r["d"] for r in rows if r["d"]]
        d0 = min(dated) if dated else None
        out = [
            {
                "outlet": r["o"],
                "first_report": r["d"],
                "reports": r["n"],
                "lag_days": (date.fromisoformat(r["d"]) - date.fromisoformat(d0)).days
                if r["d"] and d0
                else None,
                "inferred": bool(r["inferred"]),
                "_seq": r["s"],
            }
            for r in rows
        ]
        out.sort(key=lambda o: (o["first_report"] is None, o["first_report"] or "", o["_seq"]))
        for o in out:
            o.pop("_seq")
        return out

    # --- coverage -----------------------------------------------------------------------------------
    def coverage(self, article_ids: list[str] | None) -> list[dict[str, Any]]:
        """Reports per publication day and outlet (originals only): [{"date", "outlet", "reports"}]."""
        if article_ids is not None and not article_ids:
            return []
        counts: Counter[tuple[str, str]] = Counter()
        sql = """SELECT published_date, COALESCE(outlet, 'unknown outlet'), COUNT(*) FROM articles
                 WHERE duplicate_of IS NULL AND published_date IS NOT NULL {cond} GROUP BY 1, 2"""
        rows = (
            self.store.query(sql.format(cond=""))
            if article_ids is None
            else self.store.query_in(sql.format(cond="AND id IN ({ids})"), article_ids)
        )
        for r in rows:
            counts[(r[0], r[1])] += r[2]
        return [{"date": d, "outlet": o, "reports": n} for (d, o), n in sorted(counts.items())]
