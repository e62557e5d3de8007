"""The SQL of `newsloom watch`: the feeds followed (validators, failures) and the items taken from them."""

from __future__ import annotations

import sqlite3
from typing import Any

__all__ = ["WatchedFeeds"]

_FEED_COLUMNS = frozenset({"etag", "last_modified", "failures", "last_error"})


class WatchedFeeds:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def failures(self) -> dict[str, int]:
        """Each known feed's count of failed polls in a row."""
        return {r[0]: int(r[1] or 0) for r in self.db.execute("SELECT url, failures FROM watched_feeds")}

    def validators(self, url: str) -> tuple[str | None, str | None]:
        """(ETag, Last-Modified) of the feed's last answer."""
        r = self.db.execute("SELECT etag, last_modified FROM watched_feeds WHERE url = ?", (url,)).fetchone()
        return (r[0], r[1]) if r else (None, None)

    def remember(self, url: str, **cols: Any) -> None:
        """Record a feed's state (inside the caller's transaction)."""
        unknown = set(cols) - _FEED_COLUMNS
        if unknown:
            raise ValueError(f"watched_feeds has no column {sorted(unknown)}")
        self.db.execute("INSERT OR IGNORE INTO watched_feeds(url) VALUES (?)", (url,))
        for k, v in cols.items():
            self.db.execute(f"UPDATE watched_feeds SET {k} = ? WHERE url = ?", (v, url))

    def taken(self, feed: str, item: str) -> bool:
        return (
            self.db.execute(
                "SELECT 1 FROM watched_items WHERE feed = ? AND item = ?", (feed, item)
            ).fetchone()
            is not None
        )

    def take(self, feed: str, item: str) -> None:
        self.db.execute("INSERT OR IGNORE INTO watched_items(feed, item) VALUES (?, ?)", (feed, item))
