"""The SQL of merging a block's store into the main store (`newsloom batch --corpus sharded`): the block is
attached read-only, its rows copied with the sequence numbers of the whole input, its counts added up."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["BlockCopy"]

# Tables copied row for row (their integer ids renumbered by SQLite when named here), after the articles.
_COPIED = {
    "sentences": None,
    "entity_mentions": "id",
    "time_mentions": "id",
    "event_mentions": "id",
    "entity_keys": None,
    "article_minhash": None,
    "minhash_bands": None,
    "article_features": None,
    "storylines": None,
    "failures": "id",
}


def _columns(db: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in db.execute(f"PRAGMA main.table_info({table})")]


class BlockCopy:
    """One block's store, attached to the main store's connection as `blk` while the copy runs."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    @contextmanager
    def attached(self, path: str | Path) -> Iterator[BlockCopy]:
        self.db.execute("ATTACH DATABASE ? AS blk", (f"{Path(path).resolve().as_uri()}?mode=ro",))
        try:
            yield self
        finally:
            self.db.execute("DETACH DATABASE blk")

    def copy_articles(self, order: dict[str, int], base: int) -> None:
        """Documents, then articles numbered `base + order[id]`, then their per-article rows and the
        storylines; the counts of terms, lines and articles added up."""
        db = self.db
        db.execute("INSERT OR IGNORE INTO documents SELECT * FROM blk.documents")
        cols = [c for c in _columns(db, "articles") if c != "seq"]
        rows = db.execute(f"SELECT {', '.join(cols)} FROM blk.articles ORDER BY seq").fetchall()
        marks = ", ".join("?" * (len(cols) + 1))
        db.executemany(
            f"INSERT INTO articles(seq, {', '.join(cols)}) VALUES ({marks})",
            [(base + order[r["id"]], *r) for r in rows],
        )
        for table, key in _COPIED.items():
            cs = [c for c in _columns(db, table) if c != key]
            db.execute(
                f"INSERT OR IGNORE INTO {table}({', '.join(cs)}) SELECT {', '.join(cs)} FROM blk.{table}"
            )
        fixed = db.execute("SELECT 1 FROM blk.meta WHERE key = 'df_fixed'").fetchone() is not None
        if not fixed:  # a block given the whole input's frequencies counted none of its own
            db.execute(
                "INSERT INTO term_df(term, df) SELECT term, df FROM blk.term_df WHERE true "
                "ON CONFLICT(term) DO UPDATE SET df = df + excluded.df"
            )
        db.execute(
            "INSERT INTO line_stats SELECT * FROM blk.line_stats WHERE true "
            "ON CONFLICT(scope, line_hash) DO UPDATE SET docs = docs + excluded.docs"
        )
        n = db.execute("SELECT value FROM blk.meta WHERE key = 'df_articles'").fetchone()
        if n and not fixed:
            db.execute(
                "INSERT INTO meta(key, value) VALUES ('df_articles', ?) ON CONFLICT(key) "
                "DO UPDATE SET value = CAST(value AS INTEGER) + CAST(excluded.value AS INTEGER)",
                (n[0],),
            )

    def new_entities(self) -> list[tuple[str, str, str]]:
        """(id, name, type) of the block's entities the main store does not hold under that id."""
        return [
            (r[0], r[1], r[2])
            for r in self.db.execute(
                "SELECT id, name, type FROM blk.entities WHERE id NOT IN (SELECT id FROM main.entities)"
            )
        ]

    def merge_entities(self) -> None:
        """Entities have the same id in every block (a hash of type and canonical name): union their
        aliases and roles, add up their mentions."""
        db = self.db
        for r in db.execute(
            "SELECT id, name, type, aliases, roles, mention_count FROM blk.entities"
        ).fetchall():
            old = db.execute(
                "SELECT aliases, roles, mention_count FROM entities WHERE id = ?", (r[0],)
            ).fetchone()
            if old is None:
                db.execute(
                    "INSERT INTO entities(id, name, type, aliases, roles, mention_count) VALUES (?,?,?,?,?,?)",
                    tuple(r),
                )
                continue
            aliases = json.loads(old[0]) + [a for a in json.loads(r[3]) if a not in json.loads(old[0])]
            roles = json.loads(old[1]) + [x for x in json.loads(r[4]) if x not in json.loads(old[1])]
            db.execute(
                "UPDATE entities SET aliases = ?, roles = ?, mention_count = ? WHERE id = ?",
                (json.dumps(aliases), json.dumps(roles), old[2] + r[5], r[0]),
            )

    def copy_events(self, order: dict[str, int], base: int) -> list[str]:
        """The block's events, each numbered as its first report, and their entities. Returns their ids."""
        db = self.db
        events = []
        ecols = [c for c in _columns(db, "events") if c != "seq"]
        for r in db.execute(f"SELECT {', '.join(ecols)} FROM blk.events").fetchall():
            first = json.loads(r["profile"])["articles"][0]
            db.execute(
                f"INSERT INTO events(seq, {', '.join(ecols)}) VALUES ({', '.join('?' * (len(ecols) + 1))})",
                (base + order[first], *r),
            )
            events.append(r["id"])
        db.execute(
            "INSERT OR IGNORE INTO event_entities(entity_id, seq, event_id) "
            "SELECT x.entity_id, e.seq, x.event_id FROM blk.event_entities x JOIN main.events e ON e.id = x.event_id"
        )
        return events
