"""The SQL of articles beyond their insertion (`Store.add_article`): the corpus stages' reads and flags,
the URLs waiting to be fetched, and the failures of reading or processing an input."""

from __future__ import annotations

import sqlite3
from typing import NamedTuple

from .database import rows_in

__all__ = ["ArticleRepository", "Failure", "PendingURL"]


class PendingURL(NamedTuple):
    url: str
    title: str | None
    origin: str | None
    published: str | None
    added: str


class Failure(NamedTuple):
    origin: str
    reason: str
    at: str
    stage: str


class ArticleRepository:
    """Articles of one store (a `sqlite3.Connection`, inside the caller's transaction for writes)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def get(self, aid: str) -> sqlite3.Row | None:
        """The stored article (every column), or None."""
        row: sqlite3.Row | None = self.db.execute("SELECT * FROM articles WHERE id = ?", (aid,)).fetchone()
        return row

    def originals_and_copies(self) -> tuple[int, int]:
        """(articles that copy no earlier one, copies of an earlier one)."""
        row = self.db.execute("SELECT COUNT(*), COUNT(duplicate_of) FROM articles").fetchone()
        return int(row[0] - row[1]), int(row[1])

    def originals_of_event(self, eid: str) -> list[sqlite3.Row]:
        """id, outlet, title and text of an event's reports that copy no other, in insertion order."""
        return self.db.execute(
            "SELECT id, outlet, title, text FROM articles WHERE event_id = ? AND duplicate_of IS NULL ORDER BY seq",
            (eid,),
        ).fetchall()

    def of_storyline(self, sid: str) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT id FROM articles WHERE storyline_id = ?", (sid,))}

    def matching(self, fts_query: str) -> set[str]:
        """The articles whose text matches a full-text query."""
        return {
            r[0]
            for r in self.db.execute(
                "SELECT a.id FROM articles a JOIN articles_fts f ON f.rowid = a.seq WHERE articles_fts MATCH ?",
                (fts_query,),
            )
        }

    def all(self) -> list[sqlite3.Row]:
        """Every article (every column), in insertion order."""
        return self.db.execute("SELECT * FROM articles ORDER BY seq").fetchall()

    def ids_by(self, column: str, values: list[str]) -> dict[str, list[str]]:
        """The articles of each event or storyline (`column`: event_id or storyline_id), in insertion order."""
        if column not in ("event_id", "storyline_id"):
            raise ValueError(f"articles are not grouped by {column!r}")
        out: dict[str, list[str]] = {}
        for key, aid in rows_in(
            self.db, f"SELECT {column}, id FROM articles WHERE {column} IN ({{ids}}) ORDER BY seq", values
        ):
            out.setdefault(key, []).append(aid)
        return out

    def next_seq(self) -> int:
        """The sequence number after the last article's."""
        return int(self.db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM articles").fetchone()[0])

    def renumber(self, seqs: dict[str, int]) -> None:
        """Give articles the sequence numbers of their place in an input (free numbers: the sharded
        corpus stages add undated articles after the blocks, where the input had them in between)."""
        self.db.executemany("UPDATE articles SET seq = ? WHERE id = ?", [(n, aid) for aid, n in seqs.items()])

    def unclustered(self) -> list[tuple[str, str | None]]:
        """(id, source) of the articles stored but not through the corpus stages, in insertion order."""
        return [
            (r[0], r[1])
            for r in self.db.execute("SELECT id, source FROM articles WHERE clustered = 0 ORDER BY seq")
        ]

    def mark_clustered(self, aid: str) -> None:
        """An article that the corpus stages only store (not English)."""
        self.db.execute("UPDATE articles SET clustered = 1 WHERE id = ?", (aid,))

    def events_of(self, ids: list[str]) -> set[str]:
        """The events the given articles belong to."""
        return {
            r[0] for r in rows_in(self.db, "SELECT event_id FROM articles WHERE id IN ({ids})", ids) if r[0]
        }

    def by_ids(self, ids: list[str]) -> dict[str, sqlite3.Row]:
        """The stored articles (every column) by id; unknown ids are left out."""
        return {r["id"]: r for r in rows_in(self.db, "SELECT * FROM articles WHERE id IN ({ids})", ids)}

    def main_evidence(self, ids: list[str]) -> dict[str, list[tuple[int, int, str]]]:
        """(start, end, kind) of the evidence of each article's main event mention."""
        out: dict[str, list[tuple[int, int, str]]] = {a: [] for a in ids}
        for r in rows_in(
            self.db,
            """SELECT article_id, evidence_start, evidence_end, type FROM event_mentions
               WHERE is_main = 1 AND article_id IN ({ids})""",
            ids,
        ):
            out[r[0]].append((r[1], r[2], r[3]))
        return out

    def entity_spans(self, aid: str) -> list[tuple[int, int, str, str]]:
        """(start, end, label, the entity's name or the mention's text) of an article's entity mentions."""
        return [
            (r[0], r[1], r[2], r[3] or r[4])
            for r in self.db.execute(
                """SELECT m.start, m.end, m.label, e.name, m.text FROM entity_mentions m
                   LEFT JOIN entities e ON e.id = m.entity_id WHERE m.article_id = ?""",
                (aid,),
            )
        ]

    def time_spans(self, aid: str) -> list[tuple[int, int, str, str]]:
        """(start, end, value, TIMEX type) of an article's time expressions."""
        return [
            (r[0], r[1], r[2], r[3])
            for r in self.db.execute(
                "SELECT start, end, value, type FROM time_mentions WHERE article_id = ?", (aid,)
            )
        ]

    def copies_of(self, aid: str) -> list[tuple[str, str | None, str | None]]:
        """(id, outlet, title) of the near-copies of an article, in insertion order."""
        return [
            (r[0], r[1], r[2])
            for r in self.db.execute(
                "SELECT id, outlet, title FROM articles WHERE duplicate_of = ? ORDER BY seq", (aid,)
            )
        ]

    # --- date-wise summaries ----------------------------------------------------------------------------
    @staticmethod
    def _published_within(
        date_from: str | None, date_to: str | None, *conditions: str
    ) -> tuple[str, list[str]]:
        """The WHERE clause (and its parameters) of the originals (not copies) published in
        [date_from, date_to] that meet `conditions`."""
        where = ["duplicate_of IS NULL", *conditions]
        params: list[str] = []
        if date_from:
            where.append("published_date >= ?")
            params.append(date_from)
        if date_to:
            where.append("published_date <= ?")
            params.append(date_to)
        return " AND ".join(where), params

    def english_published(self, date_from: str | None, date_to: str | None) -> list[sqlite3.Row]:
        """id, outlet, published_date and text of the English originals published in the range."""
        where, params = self._published_within(date_from, date_to, "(language IS NULL OR language = 'en')")
        return self.db.execute(
            f"SELECT id, outlet, published_date, text FROM articles WHERE {where}", params
        ).fetchall()

    def busiest_days(self, n: int, date_from: str | None, date_to: str | None) -> list[str]:
        """The `n` days with most originals published in the range, the busiest first."""
        where, params = self._published_within(date_from, date_to, "published_date IS NOT NULL")
        rows = self.db.execute(
            f"SELECT published_date FROM articles WHERE {where} "
            "GROUP BY published_date ORDER BY COUNT(*) DESC, published_date LIMIT ?",
            [*params, n],
        )
        return [r[0] for r in rows]

    def days_named(self, aid: str) -> list[tuple[int, str, str]]:
        """(sentence, first day, last day) of an article's time expressions of day granularity."""
        return [
            (r[0], r[1], r[2])
            for r in self.db.execute(
                "SELECT sentence, range_start, range_end FROM time_mentions WHERE article_id = ? AND granularity = 'day'",
                (aid,),
            )
        ]

    def sentence_bounds(self, aid: str) -> list[tuple[int, int, int]]:
        """(index, start, end) of an article's sentences, in order."""
        return [
            (r[0], r[1], r[2])
            for r in self.db.execute(
                "SELECT idx, start, end FROM sentences WHERE article_id = ? ORDER BY idx", (aid,)
            )
        ]

    # --- URLs to fetch and failures -------------------------------------------------------------------
    def add_pending_url(self, p: PendingURL) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO pending_urls(url, title, origin, published, added) VALUES (?,?,?,?,?)", p
        )

    def drop_pending_url(self, url: str) -> None:
        self.db.execute("DELETE FROM pending_urls WHERE url = ?", (url,))

    def pending_urls(self) -> list[PendingURL]:
        return [
            PendingURL(*r)
            for r in self.db.execute(
                "SELECT url, title, origin, published, added FROM pending_urls ORDER BY added, url"
            )
        ]

    def failures(self) -> list[Failure]:
        return [
            Failure(*r) for r in self.db.execute("SELECT origin, reason, at, stage FROM failures ORDER BY id")
        ]
