"""The embedded store: SQLite in WAL mode, numbered migrations, FTS5 over article text.

One writer, many readers. Writes happen in explicit transactions (`with store.transaction():`), one per
batch, so a crash or a kill leaves either the whole batch or none of it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sqlite3
import time
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import NewsloomError, NotFoundError, StoreError
from ..model import AnnotatedArticle

__all__ = ["CHUNK", "Store", "content_hash", "now", "rows_in"]

log = logging.getLogger(__name__)


def _migrations() -> list[tuple[int, str]]:
    out = []
    for f in resources.files("newsloom.store.migrations").iterdir():
        m = re.match(r"(\d+)_.*\.sql$", f.name)
        if m:
            out.append((int(m.group(1)), f.read_text(encoding="utf-8")))
    return sorted(out)


# bound parameters a statement takes at most, with room for others (SQLite's default limit is 999 before 3.32)
CHUNK = 500


def rows_in(
    db: sqlite3.Connection, sql: str, ids: list[Any], before: Iterable[Any] = ()
) -> list[sqlite3.Row]:
    """Rows of `sql`, whose `{ids}` stands for an IN list, for all `ids`: read in chunks of CHUNK bound
    parameters (so that any number of ids fits), the chunks' rows in turn; `before`: the parameters
    ahead of the list."""
    out: list[sqlite3.Row] = []
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i : i + CHUNK]
        out += db.execute(sql.format(ids=",".join("?" * len(chunk))), [*before, *chunk]).fetchall()
    return out


def content_hash(text: str) -> str:
    """Hash of a body with case, spacing and punctuation normalised (exact-duplicate detection)."""
    norm = " ".join(re.findall(r"\w+", text.lower()))
    return hashlib.sha256(norm.encode()).hexdigest()[:32]


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store:
    """A newsloom database. Open with `Store(path)`; close with `close()` or use as a context manager."""

    def __init__(self, path: str | Path, readonly: bool = False) -> None:
        self.path = str(path)
        try:
            if readonly:
                if not Path(self.path).exists():
                    raise StoreError(f"{self.path}: no such database; run 'newsloom ingest' first")
                self.db = self._open_readonly()
            else:
                self.db = self._open_writable()
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("PRAGMA busy_timeout=30000")
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"{self.path}: cannot open the database ({exc}); is it a newsloom database?"
            ) from None
        newest = _migrations()[-1][0]
        if self.version() > newest:
            if not readonly:
                raise StoreError(
                    f"{self.path}: the database has schema {self.version()}, newer than this newsloom knows "
                    f"({newest}); upgrade newsloom to write to it"
                )
            log.warning(
                "%s: schema %d is newer than this newsloom knows (%d)", self.path, self.version(), newest
            )
        if not readonly:
            self.migrate()
        elif self.version() == 0:
            raise StoreError(f"{self.path}: not a newsloom database (no schema)")

    def _open_writable(self) -> sqlite3.Connection:
        """Open for writing and switch to WAL. Two processes that open a new database at the same
        moment both try to switch it; SQLite answers one of them 'locked' at once, without waiting
        (waiting would deadlock), so the switch is tried again until the other has finished."""
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA busy_timeout=30000")
        deadline = time.monotonic() + 30
        while True:
            try:
                db.execute("PRAGMA journal_mode=WAL")
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    db.close()
                    raise
                time.sleep(0.05)
        db.execute("PRAGMA synchronous=NORMAL")
        return db

    def _open_readonly(self) -> sqlite3.Connection:
        """Read-only, and on a read-only file system too: where SQLite cannot create the WAL's shared
        memory file beside the database, the file is opened as immutable (nothing writes it meanwhile)."""
        uri = Path(self.path).resolve().as_uri()  # a '#' or '?' in the path is part of the name
        db = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=30, check_same_thread=False)
        try:
            db.execute("PRAGMA user_version").fetchone()
            return db
        except sqlite3.OperationalError:
            db.close()
        return sqlite3.connect(f"{uri}?immutable=1", uri=True, check_same_thread=False)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    # --- schema -----------------------------------------------------------------------------------
    def version(self) -> int:
        try:
            return int(self.db.execute("PRAGMA user_version").fetchone()[0])
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a SQLite database ({exc})") from None

    def migrate(self) -> None:
        """Apply the package's numbered migrations that this database has not seen yet. Safe when several
        processes open a new database at once: each migration re-reads the version under the write lock."""
        for number, sql in _migrations():
            if number <= self.version():
                continue
            try:
                self.db.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise self._write_error(exc) from None
            try:
                if number <= self.version():  # another process applied it while this one waited
                    self.db.execute("COMMIT")
                    continue
                log.info("migrating %s to schema %d", self.path, number)
                for stmt in _split_sql(sql):
                    self.db.execute(stmt)
                self.db.execute(f"PRAGMA user_version={number}")
                self.db.execute("COMMIT")
            except sqlite3.DatabaseError as exc:
                self._rollback()
                raise StoreError(f"{self.path}: migration {number} failed: {exc}") from None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic write: everything inside lands, or nothing does. A full disk or a database held
        too long by another writer is a StoreError saying so; the database stays as it was."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise self._write_error(exc) from None
        try:
            yield self.db
        except sqlite3.OperationalError as exc:
            self._rollback()
            raise self._write_error(exc) from None
        except BaseException:
            self._rollback()
            raise
        else:
            try:
                self.db.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                self._rollback()
                raise self._write_error(exc) from None

    def _rollback(self) -> None:
        try:
            self.db.execute("ROLLBACK")
        except sqlite3.OperationalError:
            pass  # SQLite already rolled back (a full disk ends the transaction itself)

    def _write_error(self, exc: sqlite3.OperationalError) -> StoreError | sqlite3.OperationalError:
        msg = str(exc)
        if "full" in msg:
            return StoreError(
                f"{self.path}: the disk is full; this batch was not stored and what was stored before is "
                "intact: free some space and run the command again"
            )
        if "locked" in msg or "busy" in msg:
            return StoreError(
                f"{self.path}: another newsloom command has been writing to this database for over 30 s; "
                "run this command again when it has finished"
            )
        if "readonly" in msg or "read-only" in msg:
            return StoreError(f"{self.path}: the database cannot be written (read-only file or file system)")
        return exc

    @contextmanager
    def savepoint(self, name: str = "one_document") -> Iterator[sqlite3.Connection]:
        """A nested atomic write inside `transaction()`: one document's rows land whole or not at all,
        and a failure rolls back only them."""
        self.db.execute(f"SAVEPOINT {name}")
        try:
            yield self.db
        except BaseException:
            self.db.execute(f"ROLLBACK TO {name}")
            self.db.execute(f"RELEASE {name}")
            raise
        else:
            self.db.execute(f"RELEASE {name}")

    # --- writes -----------------------------------------------------------------------------------
    def remove_article(self, aid: str) -> None:
        """Delete an article, its document and its per-document rows (inside the caller's transaction): used
        for an article the corpus stages could not take, so that a later ingest of it starts afresh."""
        for table in _ARTICLE_TABLES:
            self.db.execute(f"DELETE FROM {table} WHERE article_id = ?", (aid,))
        self.db.execute("DELETE FROM articles WHERE id = ?", (aid,))
        self.db.execute("DELETE FROM documents WHERE id = ?", (aid,))

    def known_documents(self, ids: Iterable[str]) -> set[str]:
        return {r[0] for r in rows_in(self.db, "SELECT id FROM documents WHERE id IN ({ids})", list(ids))}

    def checkpoint(self) -> None:
        """Write the WAL into the database file and truncate it (a finished store shipped elsewhere)."""
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def document_ids(self) -> set[str]:
        """The ids of every stored document."""
        return {r[0] for r in self.db.execute("SELECT id FROM documents")}

    def add_failure(self, origin: str, reason: str, stage: str = "read") -> None:
        self.db.execute(
            "INSERT INTO failures(origin, reason, at, stage) VALUES (?,?,?,?) "
            "ON CONFLICT(origin, reason) DO UPDATE SET at = excluded.at, stage = excluded.stage",
            (origin, reason, now(), stage),
        )

    def add_article(self, it: AnnotatedArticle) -> str | None:
        """Insert a document and its annotated article (inside the caller's transaction).

        Returns the id of an earlier article this one exactly duplicates, if any.
        """
        doc, art = it.document, it.article
        assert art is not None
        self.db.execute(
            "INSERT INTO documents(id, origin, media_type, fetched, size, content) VALUES (?,?,?,?,?,?)",
            (
                doc.id,
                doc.origin,
                doc.media_type,
                doc.fetched or now(),
                len(doc.content),
                zlib.compress(doc.content),
            ),
        )
        chash = content_hash(art.text)
        dup = self.db.execute(
            "SELECT id FROM articles WHERE content_hash=? AND duplicate_of IS NULL LIMIT 1", (chash,)
        ).fetchone()
        art.duplicate_of = dup[0] if dup else art.duplicate_of
        p = art.published
        self.db.execute(
            """INSERT INTO articles(id, external_id, source, url, outlet, title, authors, published_date,
               published_end, published_granularity, published_evidence, published_inferred, dateline, language,
               text, captions, boilerplate, content_hash, duplicate_of, terms, title_event_type, added)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            (
                art.document_id, art.external_id, art.source, art.url, art.outlet, art.title, json.dumps(art.authors),
                p.date.isoformat() if p.date else None, p.end.isoformat() if p.end else None, p.granularity,
                p.evidence, int(p.inferred), art.dateline, art.language, art.text, json.dumps(art.captions),
                json.dumps(art.boilerplate_removed), chash, art.duplicate_of, json.dumps(it.terms), it.title_event_type, now(),
            ),
        )  # fmt: skip
        aid = art.document_id
        self.db.executemany(
            "INSERT INTO sentences(article_id, idx, start, end, paragraph) VALUES (?,?,?,?,?)",
            [(aid, s.index, s.start, s.end, s.paragraph) for s in it.sentences],
        )
        self.db.executemany(
            "INSERT INTO entity_mentions(article_id, sentence, start, end, text, label, role, affiliation) VALUES (?,?,?,?,?,?,?,?)",
            [(aid, e.sentence, e.start, e.end, e.text, e.label, e.role, e.affiliation) for e in it.entities],
        )
        self.db.executemany(
            """INSERT INTO time_mentions(article_id, sentence, start, end, text, value, type, granularity, range_start,
               range_end, anchor) VALUES (?,?,?,?,?,?,?,?,?,?,?)""",
            [
                (aid, t.sentence, t.start, t.end, t.text, t.value, t.type, t.granularity,
                 t.range_start.isoformat() if t.range_start else None, t.range_end.isoformat() if t.range_end else None, t.anchor)
                for t in it.times
            ],
        )  # fmt: skip
        self.db.executemany(
            """INSERT INTO event_mentions(article_id, sentence, trigger, trigger_start, type, actors, targets, place,
               date_start, date_end, granularity, date_source, negated, hedged, quote, evidence_start, evidence_end)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            [
                (aid, e.sentence, e.trigger, e.trigger_start, e.type, json.dumps(e.actors), json.dumps(e.targets), e.place,
                 e.date_start.isoformat() if e.date_start else None, e.date_end.isoformat() if e.date_end else None,
                 e.granularity, e.date_source, int(e.negated), int(e.hedged), e.quote, e.evidence_start, e.evidence_end)
                for e in it.events
            ],
        )  # fmt: skip
        return art.duplicate_of

    # --- reads ------------------------------------------------------------------------------------
    def query(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        return self.db.execute(sql, tuple(params)).fetchall()

    def find_id(self, noun: str, given: str) -> str:
        """The full id of an article, event or storyline given its id, a unique start of it (at least
        four characters; the `ev_`/`st_` of events and storylines may be left out) or, for an
        article, its external id. NotFoundError when none has it, NewsloomError when several do."""
        table, mark, listing = _ID_NOUNS[noun]
        given = given.strip()
        exact = f"SELECT id FROM {table} WHERE id = ?" + (" OR external_id = ?" if noun == "article" else "")
        rows = self.query(exact, (given, given) if noun == "article" else (given,))
        if rows:
            return str(rows[0][0])
        starts = [given] if given.startswith(mark) or not mark else [mark + given, given]
        for start in starts:
            if len(start) - len(mark if start.startswith(mark) else "") < 4:
                continue
            # a range over the primary key: the index answers it, and no LIKE pattern needs escaping
            found = [
                str(r[0])
                for r in self.query(
                    f"SELECT id FROM {table} WHERE id >= ? AND id < ? ORDER BY id LIMIT 6",
                    (start, start + "\U0010ffff"),
                )
            ]
            if len(found) == 1:
                return found[0]
            if found:
                more = ", ".join(found[:5]) + (", ..." if len(found) > 5 else "")
                raise NewsloomError(
                    f"{noun} id {given!r} is ambiguous: {more} start with it; give more of it"
                )
        raise NotFoundError(f"no {noun} {given!r}; see 'newsloom {listing}'")

    def query_in(self, sql: str, ids: list[str], before: Iterable[Any] = ()) -> list[sqlite3.Row]:
        """`rows_in` on this store's connection."""
        return rows_in(self.db, sql, ids, before)

    def count(self, table: str) -> int:
        if not re.fullmatch(r"\w+", table):
            raise StoreError(f"bad table name {table!r}")
        return int(self.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


# noun -> (table, the mark its ids start with, the command that lists them)
_ID_NOUNS = {
    "article": ("articles", "", "articles"),
    "event": ("events", "ev_", "events"),
    "storyline": ("storylines", "st_", "storylines"),
}

# Tables holding rows of one article, keyed by `article_id`.
_ARTICLE_TABLES = (
    "sentences", "entity_mentions", "time_mentions", "event_mentions", "article_minhash", "minhash_bands",
    "article_features",
)  # fmt: skip


def _split_sql(sql: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies (BEGIN ... END;) whole."""
    out, buf, in_trigger = [], [], False
    for line in sql.splitlines():
        if line.strip().startswith("--") or not line.strip():
            continue
        buf.append(line)
        up = line.strip().upper()
        if up.startswith("CREATE TRIGGER"):
            in_trigger = True
        if (in_trigger and up == "END;") or (not in_trigger and up.endswith(";")):
            out.append("\n".join(buf))
            buf, in_trigger = [], False
    if buf:
        out.append("\n".join(buf))
    return out
