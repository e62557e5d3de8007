"""The SQL of the near-duplicate index: each original article's MinHash signature and its LSH bands."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import NamedTuple

__all__ = ["MinHashIndex", "Signed"]


class Signed(NamedTuple):
    """An indexed article: its signature (bytes of uint64), insertion order and the article it copies."""

    signature: bytes
    seq: int
    duplicate_of: str | None


class MinHashIndex:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def sharing_a_band(self, bands: Iterable[tuple[int, int]]) -> set[str]:
        """The articles that share at least one (band, hash) with the given ones."""
        found: set[str] = set()
        for band, key in bands:
            found.update(
                r[0]
                for r in self.db.execute(
                    "SELECT article_id FROM minhash_bands WHERE band = ? AND hash = ?", (band, key)
                )
            )
        return found

    def signed(self, aid: str) -> Signed | None:
        row = self.db.execute(
            """SELECT m.signature, a.seq, a.duplicate_of FROM article_minhash m
               JOIN articles a ON a.id = m.article_id WHERE m.article_id = ?""",
            (aid,),
        ).fetchone()
        return Signed(*row) if row else None

    def add(self, aid: str, signature: bytes, bands: Iterable[tuple[int, int]]) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO article_minhash(article_id, signature) VALUES (?, ?)", (aid, signature)
        )
        self.db.executemany(
            "INSERT INTO minhash_bands(band, hash, article_id) VALUES (?, ?, ?)",
            [(b, k, aid) for b, k in bands],
        )
