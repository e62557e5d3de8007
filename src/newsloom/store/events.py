"""All the SQL of the clustering: one class over a store's connection, inside the caller's transaction.

The clustering reads an article's annotations, the events' profiles and the reports' same-event features,
finds candidate events through bounded index lookups (`CandidateIndex`), and writes events, storylines and
the links of articles to them. Nothing else of the clustering touches SQL, so its logic can be read (and
tested) as functions of profiles and features.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..errors import NotFoundError
from .database import rows_in

__all__ = ["CandidateIndex", "EventReports", "EventRepository"]


class CandidateIndex(Protocol):
    """Where a new report's candidate events come from: bounded lookups, whatever the store's size."""

    def events_of_entity(self, entity_id: str, limit: int) -> list[str]:
        """The latest events naming an entity."""
        ...

    def events_around(self, start: str, end: str, overlap_from: str, limit: int) -> list[str]:
        """Events starting between two dates and ending on or after a third."""
        ...

    def document_frequencies(self, terms: list[str]) -> dict[str, int]:
        """How many reports use each term (those no report uses are left out)."""
        ...


def _pairs(rows: list[sqlite3.Row]) -> dict[str, Any]:
    """{first column: second column} of rows."""
    return {r[0]: r[1] for r in rows}


def _marks(n: int) -> str:
    return ",".join("?" * n)


@dataclass
class EventReports:
    """What the store holds about an event's reports, for its card: the articles (id, title, outlet,
    dateline, authors, text) in insertion order, each sentence's paragraph, the event mentions, the entity
    mentions with their entity's name and type, and the dated time mentions."""

    arts: list[sqlite3.Row] = field(default_factory=list)
    paras: dict[tuple[str, int], int] = field(default_factory=dict)
    mentions: list[sqlite3.Row] = field(default_factory=list)
    ents: list[sqlite3.Row] = field(default_factory=list)
    times: list[sqlite3.Row] = field(default_factory=list)


class EventRepository:
    """The clustering's reads and writes of one store (a `sqlite3.Connection` in a transaction)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    # --- an article's annotations ---------------------------------------------------------------------
    def event_mentions(self, aid: str) -> list[sqlite3.Row]:
        return self.db.execute(
            "SELECT * FROM event_mentions WHERE article_id = ? ORDER BY sentence, trigger_start", (aid,)
        ).fetchall()

    def sentence_paragraphs(self, aid: str) -> dict[int, int]:
        return {
            r[0]: r[1]
            for r in self.db.execute("SELECT idx, paragraph FROM sentences WHERE article_id = ?", (aid,))
        }

    def entity_mentions(self, aid: str) -> list[tuple[str, str, int]]:
        """(entity id, entity type, sentence) of each resolved mention of an article."""
        return [
            (r[0], r[1], r[2])
            for r in self.db.execute(
                """SELECT m.entity_id, e.type, m.sentence FROM entity_mentions m
                   JOIN entities e ON e.id = m.entity_id WHERE m.article_id = ?""",
                (aid,),
            )
        ]

    def entity_mentions_in_paragraphs(self, aid: str) -> list[tuple[str, str, int, str, int, int]]:
        """(entity id, type, paragraph, text, start, end) of each resolved mention of an article."""
        return [
            (r[0], r[1], r[2], r[3], r[4], r[5])
            for r in self.db.execute(
                """SELECT m.entity_id, e.type, s.paragraph, m.text, m.start, m.end FROM entity_mentions m
                   JOIN entities e ON e.id = m.entity_id
                   JOIN sentences s ON s.article_id = m.article_id AND s.idx = m.sentence
                   WHERE m.article_id = ?""",
                (aid,),
            )
        ]

    def entity_names(self, ids: list[str]) -> dict[str, str]:
        if not ids:
            return {}
        return dict(self.db.execute(f"SELECT id, name FROM entities WHERE id IN ({_marks(len(ids))})", ids))

    def articles_of_event(self, eid: str) -> list[sqlite3.Row]:
        return self.db.execute("SELECT * FROM articles WHERE event_id = ? ORDER BY seq", (eid,)).fetchall()

    def title(self, aid: str) -> str:
        row = self.db.execute("SELECT title FROM articles WHERE id = ?", (aid,)).fetchone()
        return row[0] if row else ""

    def original_of(self, aid: str) -> tuple[str | None, str | None] | None:
        """The event and storyline of an article (the original of a near-duplicate)."""
        row = self.db.execute("SELECT event_id, storyline_id FROM articles WHERE id = ?", (aid,)).fetchone()
        return (row[0], row[1]) if row else None

    # --- term statistics -----------------------------------------------------------------------------
    def articles_counted(self, default: int = 1) -> int:
        row = self.db.execute("SELECT value FROM meta WHERE key = 'df_articles'").fetchone()
        return int(row[0]) if row else default

    def document_frequencies(self, terms: list[str]) -> dict[str, int]:
        return _pairs(rows_in(self.db, "SELECT term, df FROM term_df WHERE term IN ({ids})", terms))

    def count_terms(self, terms: Iterable[str]) -> bool:
        """One more article, using these terms (nothing when the frequencies are fixed); whether it was
        counted."""
        if self.frequencies_fixed():
            return False
        self.db.executemany(
            "INSERT INTO term_df(term, df) VALUES (?, 1) ON CONFLICT(term) DO UPDATE SET df = df + 1",
            [(t,) for t in terms],
        )
        self.db.execute(
            "INSERT INTO meta(key, value) VALUES ('df_articles', '1') "
            "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )
        return True

    def add_document_frequencies(self, n: int, counts: dict[str, int]) -> None:
        """Count `n` more articles, whose terms are counted in `counts` (as `count_terms` would have)."""
        self.db.executemany(
            "INSERT INTO term_df(term, df) VALUES (?, ?) ON CONFLICT(term) DO UPDATE SET df = df + excluded.df",
            sorted(counts.items()),
        )
        self.db.execute(
            "INSERT INTO meta(key, value) VALUES ('df_articles', ?) "
            "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + CAST(excluded.value AS INTEGER)",
            (str(n),),
        )

    def fix_document_frequencies(self, n: int, counts: dict[str, int]) -> None:
        """Use these frequencies (of `n` articles) from now on: a block of a sharded input weighs terms as
        the whole input does, and its own articles are not counted again (see `shards`)."""
        self.add_document_frequencies(n, counts)
        self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('df_fixed', '1')")

    def frequencies_fixed(self) -> bool:
        return self.db.execute("SELECT 1 FROM meta WHERE key = 'df_fixed'").fetchone() is not None

    # --- same-event features -------------------------------------------------------------------------
    def store_features(self, aid: str, features_json: str) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO article_features(article_id, features) VALUES (?, ?)",
            (aid, features_json),
        )

    def features(self, ids: list[str]) -> dict[str, str]:
        """The stored features (JSON) of some reports, by report id."""
        return _pairs(
            rows_in(
                self.db, "SELECT article_id, features FROM article_features WHERE article_id IN ({ids})", ids
            )
        )

    def reports_with_features(self, eid: str) -> list[str]:
        return [
            r[0]
            for r in self.db.execute(
                "SELECT a.id FROM articles a JOIN article_features f ON f.article_id = a.id "
                "WHERE a.event_id = ? ORDER BY a.seq",
                (eid,),
            )
        ]

    # --- candidates (CandidateIndex) -----------------------------------------------------------------
    def events_of_entity(self, entity_id: str, limit: int) -> list[str]:
        return [
            r[0]
            for r in self.db.execute(
                "SELECT event_id FROM event_entities WHERE entity_id = ? ORDER BY seq DESC LIMIT ?",
                (entity_id, limit),
            )
        ]

    def events_around(self, start: str, end: str, overlap_from: str, limit: int) -> list[str]:
        return [
            r[0]
            for r in self.db.execute(
                "SELECT id FROM events WHERE date_start BETWEEN ? AND ? AND date_end >= ? LIMIT ?",
                (start, end, overlap_from, limit),
            )
        ]

    # --- events ------------------------------------------------------------------------------------------
    def set_profile(self, eid: str, profile_json: str) -> None:
        self.db.execute("UPDATE events SET profile = ? WHERE id = ?", (profile_json, eid))

    def seq(self, eid: str) -> int:
        return int(self.db.execute("SELECT seq FROM events WHERE id = ?", (eid,)).fetchone()[0])

    def features_before(self, eid: str, aid: str, limit: int) -> list[str]:
        """The stored features (JSON) of an event's latest reports inserted before an article, latest first."""
        return [
            r[0]
            for r in self.db.execute(
                "SELECT f.features FROM articles a JOIN article_features f ON f.article_id = a.id "
                "WHERE a.event_id = ? AND a.seq < (SELECT seq FROM articles WHERE id = ?) ORDER BY a.seq DESC LIMIT ?",
                (eid, aid, limit),
            )
        ]

    def profiles(self) -> list[tuple[str, str]]:
        """(id, profile JSON) of every event, in order of creation."""
        return [(r[0], r[1]) for r in self.db.execute("SELECT id, profile FROM events ORDER BY seq")]

    def storyline_count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM storylines").fetchone()[0])

    def profiles_of(self, ids: list[str]) -> dict[str, str]:
        """The profiles (JSON) of some events, by id (unknown ids left out)."""
        return _pairs(rows_in(self.db, "SELECT id, profile FROM events WHERE id IN ({ids})", ids))

    def profile(self, eid: str) -> str | None:
        row = self.db.execute("SELECT profile FROM events WHERE id = ?", (eid,)).fetchone()
        return row[0] if row else None

    def events(self, ids: list[str]) -> dict[str, tuple[int, str, int, str | None]]:
        """(seq, profile, article count, storyline) of some events, by id."""
        return {
            r[0]: (r[1], r[2], r[3], r[4])
            for r in self.db.execute(
                f"SELECT id, seq, profile, article_count, storyline_id FROM events WHERE id IN ({_marks(len(ids))})",
                ids,
            )
        }

    def event_exists(self, eid: str) -> bool:
        return self.db.execute("SELECT 1 FROM events WHERE id = ?", (eid,)).fetchone() is not None

    def next_event_seq(self) -> int:
        return int(self.db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM events").fetchone()[0])

    def insert_event(self, eid: str, title: str, fields: dict[str, object], profile_json: str) -> None:
        self.db.execute(
            """INSERT INTO events(id, seq, type, title, date_start, date_end, granularity, place, profile,
                                  article_count) VALUES (?,?,?,?,?,?,?,?,?,?)""",
            (eid, self.next_event_seq(), fields["type"], title, fields["date_start"], fields["date_end"],
             fields["granularity"], fields["place"], profile_json, fields["article_count"]),
        )  # fmt: skip

    def insert_empty_event(self, eid: str) -> None:
        self.db.execute(
            "INSERT INTO events(id, seq, type, title, profile) VALUES (?, ?, 'OTHER', '', '{}')",
            (eid, self.next_event_seq()),
        )

    def update_event(self, eid: str, fields: dict[str, object], profile_json: str) -> None:
        self.db.execute(
            """UPDATE events SET type=?, date_start=?, date_end=?, granularity=?, place=?, profile=?,
                                 article_count=? WHERE id=?""",
            (fields["type"], fields["date_start"], fields["date_end"], fields["granularity"], fields["place"],
             profile_json, fields["article_count"], eid),
        )  # fmt: skip

    def set_event_title(self, eid: str, title: str) -> None:
        self.db.execute("UPDATE events SET title = ? WHERE id = ?", (title, eid))

    def index_event_entities(self, eid: str, entity_ids: Iterable[str]) -> None:
        self.db.executemany(
            "INSERT OR IGNORE INTO event_entities(entity_id, seq, event_id) "
            "VALUES (?, (SELECT seq FROM events WHERE id = ?), ?)",
            [(k, eid, eid) for k in entity_ids],
        )

    def forget_event_entities(self, eid: str) -> None:
        self.db.execute("DELETE FROM event_entities WHERE event_id = ?", (eid,))

    def join(self, aid: str, eid: str, main_mention: int | None) -> None:
        """An article joins an event, by its main event mention."""
        if main_mention is not None:
            self.db.execute(
                "UPDATE event_mentions SET is_main = 1, event_id = ? WHERE id = ?", (eid, main_mention)
            )
        self.db.execute("UPDATE articles SET event_id = ?, clustered = 1 WHERE id = ?", (eid, aid))

    def join_as_copy(self, aid: str, eid: str, storyline: str | None) -> None:
        self.db.execute(
            "UPDATE articles SET event_id = ?, storyline_id = ?, clustered = 1 WHERE id = ?",
            (eid, storyline, aid),
        )

    def move_report(self, aid: str, eid: str, old: str) -> None:
        """A report, and the near-duplicates that follow it, move from one event to another."""
        self.db.execute(
            "UPDATE articles SET event_id = ? WHERE id = ? OR (duplicate_of = ? AND event_id = ?)",
            (eid, aid, aid, old),
        )
        self.db.execute(
            "UPDATE event_mentions SET event_id = ? WHERE article_id = ? AND is_main = 1", (eid, aid)
        )

    def merge_events(self, keep: str, keep_seq: int, drop: str) -> None:
        """Every report of `drop` goes to `keep`, and `drop` goes (with its storyline if left empty)."""
        story = self.db.execute("SELECT storyline_id FROM events WHERE id = ?", (drop,)).fetchone()
        self.db.execute("UPDATE articles SET event_id = ? WHERE event_id = ?", (keep, drop))
        self.db.execute("UPDATE event_mentions SET event_id = ? WHERE event_id = ?", (keep, drop))
        self.db.execute(
            "INSERT OR IGNORE INTO event_entities(entity_id, seq, event_id) "
            "SELECT entity_id, ?, ? FROM event_entities WHERE event_id = ?",
            (keep_seq, keep, drop),
        )
        self.db.execute("DELETE FROM event_entities WHERE event_id = ?", (drop,))
        self.db.execute("DELETE FROM events WHERE id = ?", (drop,))
        self._drop_storyline_if_empty(story[0] if story else None)

    def drop_event(self, eid: str) -> None:
        """An event left without reports of its own: its near-duplicates follow their originals."""
        self.db.execute(
            "UPDATE articles SET event_id = (SELECT o.event_id FROM articles o WHERE o.id = articles.duplicate_of) "
            "WHERE event_id = ?",
            (eid,),
        )
        story = self.db.execute("SELECT storyline_id FROM events WHERE id = ?", (eid,)).fetchone()
        self.db.execute("DELETE FROM events WHERE id = ?", (eid,))
        self._drop_storyline_if_empty(story[0] if story else None)

    def _drop_storyline_if_empty(self, story: str | None) -> None:
        if (
            story
            and not self.db.execute(
                "SELECT 1 FROM events WHERE storyline_id = ? LIMIT 1", (story,)
            ).fetchone()
        ):
            self.db.execute("DELETE FROM storylines WHERE id = ?", (story,))

    # --- storylines ----------------------------------------------------------------------------------
    def storyline_of(self, eid: str) -> str | None:
        row = self.db.execute("SELECT storyline_id FROM events WHERE id = ?", (eid,)).fetchone()
        return row[0] if row else None

    def profile_and_storyline(self, eid: str) -> tuple[str, str | None] | None:
        row = self.db.execute("SELECT profile, storyline_id FROM events WHERE id = ?", (eid,)).fetchone()
        return (row[0], row[1]) if row else None

    def storyline_exists(self, sid: str) -> bool:
        return self.db.execute("SELECT 1 FROM storylines WHERE id = ?", (sid,)).fetchone() is not None

    def new_storyline(self, sid: str, title: str) -> None:
        self.db.execute("INSERT INTO storylines(id, title) VALUES (?, ?)", (sid, title))

    def set_storyline(self, eid: str, sid: str) -> None:
        self.db.execute("UPDATE events SET storyline_id = ? WHERE id = ?", (sid, eid))

    def first_event_seq(self, sid: str) -> int:
        return (
            self.db.execute("SELECT MIN(seq) FROM events WHERE storyline_id = ?", (sid,)).fetchone()[0] or 0
        )

    def merge_storylines(self, keep: str, drop: str) -> None:
        self.db.execute("UPDATE events SET storyline_id = ? WHERE storyline_id = ?", (keep, drop))
        self.db.execute("UPDATE articles SET storyline_id = ? WHERE storyline_id = ?", (keep, drop))
        self.db.execute("DELETE FROM storylines WHERE id = ?", (drop,))

    def set_article_storyline(self, aid: str, sid: str) -> None:
        self.db.execute("UPDATE articles SET storyline_id = ? WHERE id = ?", (sid, aid))

    def set_event_articles_storyline(self, eid: str, sid: str) -> None:
        self.db.execute("UPDATE articles SET storyline_id = ? WHERE event_id = ?", (sid, eid))

    def align_article_storylines(self) -> int:
        """Give every article of an event its event's storyline (after events merged without the storyline
        rule running for them); returns how many articles changed."""
        stale = self.db.execute(
            "SELECT a.id, e.storyline_id FROM articles a JOIN events e ON e.id = a.event_id "
            "WHERE a.storyline_id IS NOT e.storyline_id"
        ).fetchall()
        self.db.executemany(
            "UPDATE articles SET storyline_id = ? WHERE id = ?", [(r[1], r[0]) for r in stale]
        )
        for sid in sorted({r[1] for r in stale if r[1] is not None}):
            self.update_storyline_dates(sid)
        return len(stale)

    def update_storyline_dates(self, sid: str) -> None:
        """A storyline's first and last dates (an event has both dates or neither; one index lookup each)."""
        first = self.db.execute(
            "SELECT MIN(date_start) FROM events WHERE storyline_id = ?", (sid,)
        ).fetchone()[0]
        last = self.db.execute("SELECT MAX(date_end) FROM events WHERE storyline_id = ?", (sid,)).fetchone()[
            0
        ]
        self.db.execute(
            "UPDATE storylines SET first_date = ?, last_date = ? WHERE id = ?", (first, last, sid)
        )

    # --- reading -------------------------------------------------------------------------------------
    def event(self, eid: str) -> sqlite3.Row:
        """An event's row (every column); NotFoundError when there is none."""
        row: sqlite3.Row | None = self.db.execute("SELECT * FROM events WHERE id = ?", (eid,)).fetchone()
        if row is None:
            raise NotFoundError(f"no event {eid}; see 'newsloom events'")
        return row

    def storyline(self, sid: str) -> sqlite3.Row:
        """A storyline's row (every column); NotFoundError when there is none."""
        row: sqlite3.Row | None = self.db.execute("SELECT * FROM storylines WHERE id = ?", (sid,)).fetchone()
        if row is None:
            raise NotFoundError(f"no storyline {sid}; see 'newsloom storylines'")
        return row

    def of_storyline(self, sid: str, undated_last: bool = True) -> list[sqlite3.Row]:
        """A storyline's events (every column) by date (the undated last, or first), then in order of
        creation."""
        order = "date_start IS NULL, date_start, seq" if undated_last else "date_start, seq"
        return self.db.execute(
            f"SELECT * FROM events WHERE storyline_id = ? ORDER BY {order}", (sid,)
        ).fetchall()

    def all(self) -> list[sqlite3.Row]:
        """Every event (every column) by date, the undated last, then in order of creation."""
        return self.db.execute("SELECT * FROM events ORDER BY date_start IS NULL, date_start, seq").fetchall()

    def of_entity(self, entity_id: str) -> list[sqlite3.Row]:
        """The events naming an entity (every column) by date, the undated last, then in order of creation."""
        return self.db.execute(
            """SELECT e.* FROM events e JOIN event_entities x ON x.event_id = e.id WHERE x.entity_id = ?
               ORDER BY e.date_start IS NULL, e.date_start, e.seq""",
            (entity_id,),
        ).fetchall()

    def ids_by_storyline(self, sids: list[str]) -> dict[str, list[str]]:
        """The events of each storyline by date (the undated last), then in order of creation."""
        out: dict[str, list[str]] = {}
        for sid, eid in rows_in(
            self.db,
            """SELECT storyline_id, id FROM events WHERE storyline_id IN ({ids})
               ORDER BY date_start IS NULL, date_start, seq""",
            sids,
        ):
            out.setdefault(sid, []).append(eid)
        return out

    def storylines_by_size(self) -> list[sqlite3.Row]:
        """Every storyline (every column, and n: its number of articles), the largest first."""
        return self.db.execute(
            """SELECT s.*, (SELECT COUNT(*) FROM articles a WHERE a.storyline_id = s.id) AS n FROM storylines s
               ORDER BY n DESC, first_date"""
        ).fetchall()

    def dated(
        self,
        storyline: str | None = None,
        entities: list[str] | None = None,
        fts_query: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
    ) -> list[sqlite3.Row]:
        """The dated events (every column) by date: of a storyline, naming one of the entities, with a report
        matching a full-text query, overlapping [date_from, date_to] (each filter when given)."""
        where = ["e.date_start IS NOT NULL"]
        params: list[str] = []
        if storyline:
            where.append("e.storyline_id = ?")
            params.append(storyline)
        if entities is not None:
            where.append(
                f"e.id IN (SELECT event_id FROM event_entities WHERE entity_id IN ({_marks(len(entities))}))"
            )
            params.extend(entities)
        if fts_query:
            where.append(
                "e.id IN (SELECT a.event_id FROM articles a JOIN articles_fts f ON f.rowid = a.seq "
                "WHERE articles_fts MATCH ?)"
            )
            params.append(fts_query)
        if date_from:
            where.append("e.date_end >= ?")
            params.append(date_from)
        if date_to:
            where.append("e.date_start <= ?")
            params.append(date_to)
        return self.db.execute(
            f"SELECT e.* FROM events e WHERE {' AND '.join(where)} ORDER BY e.date_start, e.seq", params
        ).fetchall()

    def entities_by_event(self, sid: str) -> dict[str, set[str]]:
        """The entities each event of a storyline names."""
        out: dict[str, set[str]] = {
            r[0]: set() for r in self.db.execute("SELECT id FROM events WHERE storyline_id = ?", (sid,))
        }
        for eid, ent in self.db.execute(
            """SELECT x.event_id, x.entity_id FROM event_entities x JOIN events e ON e.id = x.event_id
               WHERE e.storyline_id = ?""",
            (sid,),
        ):
            out[eid].add(ent)
        return out

    def ids(self) -> list[str]:
        """Every event's id, in order of creation."""
        return [r[0] for r in self.db.execute("SELECT id FROM events ORDER BY seq")]

    def kinds(self) -> list[str]:
        """The kinds of event in the store, sorted."""
        return [
            r[0]
            for r in self.db.execute("SELECT DISTINCT type FROM events WHERE type IS NOT NULL ORDER BY 1")
        ]

    def reports(self, eid: str, latest: int | None = None) -> EventReports:
        """An event's reports, read at once. `latest`: the first report and only the latest ones of an
        event larger than that."""
        seqs = [
            r[0] for r in self.db.execute("SELECT seq FROM articles WHERE event_id = ? ORDER BY seq", (eid,))
        ]
        if latest is not None and len(seqs) > latest + 1:
            seqs = seqs[:1] + seqs[-latest:]
        out = EventReports()
        out.arts = rows_in(
            self.db,
            "SELECT id, title, outlet, dateline, authors, text FROM articles WHERE seq IN ({ids}) ORDER BY seq",
            seqs,
        )
        ids = [a["id"] for a in out.arts]
        if not ids:
            return out
        q = _marks(len(ids))
        for r in self.db.execute(
            f"SELECT article_id, idx, paragraph FROM sentences WHERE article_id IN ({q})", ids
        ):
            out.paras[(r[0], r[1])] = r[2]
        out.mentions = self.db.execute(
            f"SELECT * FROM event_mentions WHERE article_id IN ({q}) ORDER BY article_id, sentence", ids
        ).fetchall()
        out.ents = self.db.execute(
            f"""SELECT m.article_id, m.sentence, m.text, m.label, m.start, e.name, e.type FROM entity_mentions m
                LEFT JOIN entities e ON e.id = m.entity_id WHERE m.article_id IN ({q})""",
            ids,
        ).fetchall()
        out.times = self.db.execute(
            f"""SELECT article_id, sentence, range_start, range_end FROM time_mentions
                WHERE article_id IN ({q}) AND range_start IS NOT NULL AND type IN ('DATE', 'TIME')""",
            ids,
        ).fetchall()
        return out

    def set_card(self, eid: str, title: str, place: str | None, card_json: str) -> None:
        self.db.execute(
            "UPDATE events SET title = ?, place = ?, card = ? WHERE id = ?", (title, place, card_json, eid)
        )

    def title_storyline_by_largest_event(self, sid: str) -> None:
        """A storyline takes the title of its event with most reports (the first of those)."""
        top = self.db.execute(
            "SELECT title FROM events WHERE storyline_id = ? ORDER BY article_count DESC, seq LIMIT 1", (sid,)
        ).fetchone()
        if top and top[0]:
            self.db.execute("UPDATE storylines SET title = ? WHERE id = ?", (top[0], sid))

    # --- what changed (for `watch`) ----------------------------------------------------------------------
    def report_counts(self) -> dict[str, int]:
        """Each event's number of reports."""
        return {r[0]: r[1] for r in self.db.execute("SELECT id, article_count FROM events")}

    def storyline_sizes(self) -> dict[str, int]:
        """Each storyline's number of events."""
        return {
            r[0]: r[1]
            for r in self.db.execute(
                "SELECT storyline_id, COUNT(*) FROM events WHERE storyline_id IS NOT NULL GROUP BY 1"
            )
        }

    def summaries(self, ids: list[str]) -> list[sqlite3.Row]:
        """id, title, type, date_start, place, article_count, storyline_id and card of events, by date."""
        if not ids:
            return []
        return self.db.execute(
            f"""SELECT id, title, type, date_start, place, article_count, storyline_id, card FROM events
                WHERE id IN ({_marks(len(ids))}) ORDER BY date_start""",
            ids,
        ).fetchall()

    def storyline_title(self, sid: str) -> str | None:
        row = self.db.execute("SELECT title FROM storylines WHERE id = ?", (sid,)).fetchone()
        return str(row[0]) if row else None

    def naming(self, ids: list[str], entities: list[str]) -> set[str]:
        """Those of the events that name one of the entities."""
        if not ids or not entities:
            return set()
        return {
            r[0]
            for r in self.db.execute(
                f"SELECT event_id FROM event_entities WHERE event_id IN ({_marks(len(ids))}) "
                f"AND entity_id IN ({_marks(len(entities))})",
                [*ids, *entities],
            )
        }

    def matching(self, ids: list[str], fts_query: str) -> set[str]:
        """Those of the events with a report matching a full-text query."""
        if not ids:
            return set()
        return {
            r[0]
            for r in self.db.execute(
                f"""SELECT DISTINCT a.event_id FROM articles a JOIN articles_fts f ON f.rowid = a.seq
                    WHERE articles_fts MATCH ? AND a.event_id IN ({_marks(len(ids))})""",
                [fts_query, *ids],
            )
        }

    # --- starting again --------------------------------------------------------------------------------
    def reset(self) -> None:
        """Forget all events and storylines; articles stay."""
        for stmt in (
            "DELETE FROM events",
            "DELETE FROM event_entities",
            "DELETE FROM storylines",
            "DELETE FROM term_df",
            "DELETE FROM meta WHERE key IN ('df_articles', 'refine_links')",  # the second: before 2026-11-30
            "DELETE FROM article_features",
            "UPDATE event_mentions SET event_id = NULL, is_main = 0",
            "UPDATE articles SET event_id = NULL, storyline_id = NULL, clustered = 0",
        ):
            self.db.execute(stmt)
