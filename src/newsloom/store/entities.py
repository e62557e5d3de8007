"""The SQL of entities: canonical people, organisations and places, their lookup keys, and the links of
entity mentions to them (the entity resolution's reads and writes, inside the caller's transaction)."""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from ..errors import NotFoundError
from .database import rows_in

__all__ = [
    "EntityNames",
    "EntityRepository",
    "MentionToResolve",
    "entity_keys",
    "name_key",
    "norm_name",
    "surname_key",
]


@lru_cache(maxsize=65536)
def norm_name(name: str) -> str:
    """A name as its keys hold it: without accents, case, possessive "'s" and punctuation."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = re.sub(r"['’]s\b", "", s)
    return " ".join(re.findall(r"[a-z0-9]+", s))


def name_key(name: str) -> str:
    """The key of a whole name."""
    return "n:" + norm_name(name)


def surname_key(surname: str) -> str:
    """The key of a surname's block: its first four letters (normalised)."""
    return "p4:" + norm_name(surname)[:4]


def entity_keys(name: str, etype: str) -> list[str]:
    """The keys an entity of a type is found by under one of its names."""
    keys = [name_key(name)]
    if etype == "PERSON":
        toks = norm_name(name).split()
        if toks:
            keys.append(surname_key(toks[-1]))
    return keys


class MentionToResolve(NamedTuple):
    """An entity mention of an article, as resolution reads it."""

    id: int
    text: str
    label: str
    role: str | None
    affiliation: str | None


@dataclass
class EntityNames:
    """An entity's canonical name, the other names it was given, and its roles."""

    name: str
    aliases: list[str]
    roles: list[str]


class EntityRepository:
    """Entities and their keys ("n:" + normalised name; "p4:" + a surname's first four letters)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def find(self, name: str, required: bool = False) -> list[str]:
        """Ids of entities whose name or alias is `name` (normalised), else whose name contains it; the
        holder mentioned most first ("Hayward" is Tony Hayward, not a one-mention namesake). `required`:
        NotFoundError when there is none."""
        ids = [
            r[0]
            for r in self.db.execute(
                """SELECT DISTINCT k.entity_id FROM entity_keys k JOIN entities e ON e.id = k.entity_id
                   WHERE k.key = ? ORDER BY e.mention_count DESC, e.name""",
                (name_key(name),),
            )
        ]
        if not ids:
            ids = [
                r[0]
                for r in self.db.execute(
                    "SELECT id FROM entities WHERE name LIKE ? OR aliases LIKE ? ORDER BY mention_count DESC, name",
                    (f"%{name}%", f"%{name}%"),
                )
            ]
        if required and not ids:
            raise NotFoundError(f"no entity named {name!r}; see 'newsloom entities'")
        return ids

    def get(self, eid: str) -> sqlite3.Row:
        """An entity's row (every column); NotFoundError when there is none."""
        row: sqlite3.Row | None = self.db.execute("SELECT * FROM entities WHERE id = ?", (eid,)).fetchone()
        if row is None:
            raise NotFoundError(f"no entity {eid}; see 'newsloom entities'")
        return row

    def all(self) -> list[sqlite3.Row]:
        """Every entity (every column), the most mentioned first, then by name."""
        return self.db.execute("SELECT * FROM entities ORDER BY mention_count DESC, name").fetchall()

    def mentions_of_article(self, aid: str) -> list[MentionToResolve]:
        """An article's entity mentions in text order."""
        return [
            MentionToResolve(*r)
            for r in self.db.execute(
                "SELECT id, text, label, role, affiliation FROM entity_mentions WHERE article_id = ? ORDER BY start",
                (aid,),
            )
        ]

    def people_with_key(self, key: str, limit: int) -> list[tuple[str, str]]:
        """(id, name) of the people holding a key, the most mentioned first."""
        return [
            (r[0], r[1])
            for r in self.db.execute(
                """SELECT DISTINCT e.id, e.name FROM entity_keys k JOIN entities e ON e.id = k.entity_id
                   WHERE k.key = ? AND e.type = 'PERSON' ORDER BY e.mention_count DESC, e.id LIMIT ?""",
                (key, limit),
            )
        ]

    def with_key(self, key: str) -> list[tuple[str, str, int]]:
        """(id, type, mention count) of every entity holding a key."""
        return [
            (r[0], r[1], r[2])
            for r in self.db.execute(
                """SELECT e.id, e.type, e.mention_count FROM entity_keys k JOIN entities e ON e.id = k.entity_id
                   WHERE k.key = ?""",
                (key,),
            )
        ]

    def one_with_key(self, key: str, etype: str) -> str | None:
        """An entity of a type holding a key, if any."""
        row = self.db.execute(
            """SELECT k.entity_id FROM entity_keys k JOIN entities e ON e.id = k.entity_id
               WHERE k.key = ? AND e.type = ? LIMIT 1""",
            (key, etype),
        ).fetchone()
        return str(row[0]) if row else None

    def create(self, eid: str, name: str, etype: str) -> None:
        """A new entity without mentions (nothing when it exists)."""
        self.db.execute(
            "INSERT OR IGNORE INTO entities(id, name, type, aliases, roles, mention_count) VALUES (?,?,?,?,?,0)",
            (eid, name, etype, "[]", "[]"),
        )

    def names(self, eid: str) -> EntityNames:
        row = self.db.execute("SELECT name, aliases, roles FROM entities WHERE id = ?", (eid,)).fetchone()
        return EntityNames(row[0], json.loads(row[1]), json.loads(row[2]))

    def set_names(self, eid: str, names: EntityNames) -> None:
        self.db.execute(
            "UPDATE entities SET name = ?, aliases = ?, roles = ? WHERE id = ?",
            (names.name, json.dumps(names.aliases), json.dumps(names.roles), eid),
        )

    def add_keys(self, eid: str, keys: list[str]) -> None:
        self.db.executemany(
            "INSERT OR IGNORE INTO entity_keys(key, entity_id) VALUES (?, ?)", [(k, eid) for k in keys]
        )

    def link_mention(self, mention_id: int, eid: str) -> None:
        """A mention names an entity (counted once more)."""
        self.db.execute("UPDATE entity_mentions SET entity_id = ? WHERE id = ?", (eid, mention_id))
        self.db.execute("UPDATE entities SET mention_count = mention_count + 1 WHERE id = ?", (eid,))

    def first_mentioned(self, eid: str) -> int:
        """The sequence number of the first article naming the entity (0 when none does)."""
        row = self.db.execute(
            "SELECT MIN(a.seq) FROM entity_mentions m JOIN articles a ON a.id = m.article_id WHERE m.entity_id = ?",
            (eid,),
        ).fetchone()
        return int(row[0] or 0)

    def types_and_names(self, ids: Iterable[str]) -> dict[str, tuple[str, str]]:
        """Entity id -> (type, canonical name), for the ids that exist."""
        return {
            r[0]: (str(r[1]), str(r[2]))
            for r in rows_in(self.db, "SELECT id, type, name FROM entities WHERE id IN ({ids})", list(ids))
        }

    def type_of(self, eid: str) -> str | None:
        row = self.db.execute("SELECT type FROM entities WHERE id = ?", (eid,)).fetchone()
        return str(row[0]) if row else None

    def move_mentions(self, drop: str, keep: str) -> tuple[list[str], list[str]]:
        """Point the mentions and event links of entity `drop` to `keep`, adding up their counts. Returns the
        articles and the events that named `drop`."""
        db = self.db
        count = db.execute("SELECT mention_count FROM entities WHERE id = ?", (drop,)).fetchone()
        db.execute(
            "UPDATE entities SET mention_count = mention_count + ? WHERE id = ?",
            (count[0] if count else 0, keep),
        )
        articles = [
            r[0]
            for r in db.execute(
                "SELECT DISTINCT article_id FROM entity_mentions WHERE entity_id = ?", (drop,)
            )
        ]
        db.execute("UPDATE entity_mentions SET entity_id = ? WHERE entity_id = ?", (keep, drop))
        events = [
            r[0] for r in db.execute("SELECT event_id FROM event_entities WHERE entity_id = ?", (drop,))
        ]
        db.execute(
            "INSERT OR IGNORE INTO event_entities(entity_id, seq, event_id) "
            "SELECT ?, seq, event_id FROM event_entities WHERE entity_id = ?",
            (keep, drop),
        )
        db.execute("DELETE FROM event_entities WHERE entity_id = ?", (drop,))
        return articles, events

    def delete(self, eid: str) -> None:
        """Remove an entity and its keys (its mentions moved elsewhere before)."""
        self.db.execute("DELETE FROM entity_keys WHERE entity_id = ?", (eid,))
        self.db.execute("DELETE FROM entities WHERE id = ?", (eid,))

    def reset(self) -> None:
        """Forget every entity and every mention's link (a rebuild resolves them again)."""
        self.db.execute("DELETE FROM entity_keys")
        self.db.execute("DELETE FROM entities")
        self.db.execute("UPDATE entity_mentions SET entity_id = NULL")
