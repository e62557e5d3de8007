"""The SQL of line statistics: how many documents of a scope (a site) carry each short line."""

from __future__ import annotations

import sqlite3

__all__ = ["LineStats"]


class LineStats:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def docs(self, scope: str, line_hash: str) -> int:
        """How many stored documents of the scope carry the line."""
        row = self.db.execute(
            "SELECT docs FROM line_stats WHERE scope = ? AND line_hash = ?", (scope, line_hash)
        ).fetchone()
        return int(row[0]) if row else 0

    def add(self, counts: dict[tuple[str, str], int]) -> None:
        """Add a batch's counts of (scope, line hash) (inside the caller's transaction)."""
        self.db.executemany(
            "INSERT INTO line_stats(scope, line_hash, docs) VALUES (?, ?, ?) "
            "ON CONFLICT(scope, line_hash) DO UPDATE SET docs = docs + excluded.docs",
            [(scope, key, n) for (scope, key), n in counts.items()],
        )
