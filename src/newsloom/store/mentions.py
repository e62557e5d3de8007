"""The SQL of mentions read back: entity mentions with the entity they name, event mentions of an article
or of an event's reports, with the text they cite."""

from __future__ import annotations

import sqlite3

from .database import rows_in

__all__ = ["MentionRepository"]


def _marks(n: int) -> str:
    return ",".join("?" * n)


class MentionRepository:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    # --- entity mentions ------------------------------------------------------------------------------
    def named(self, aid: str) -> list[tuple[str, str, str, int]]:
        """(entity name, entity type, surface text, sentence) of an article's resolved mentions, in order."""
        return [
            (r[0], r[1], r[2], r[3])
            for r in self.db.execute(
                """SELECT e.name, e.type, m.text, m.sentence FROM entity_mentions m
                   JOIN entities e ON e.id = m.entity_id WHERE m.article_id = ? ORDER BY m.start""",
                (aid,),
            )
        ]

    def names_in(self, article_ids: list[str]) -> list[tuple[str, str, str]]:
        """(article, surface text, entity name) of the resolved mentions of the articles, in text order."""
        return [
            (r[0], r[1], r[2])
            for r in rows_in(
                self.db,
                """SELECT m.article_id, m.text, e.name FROM entity_mentions m JOIN entities e ON e.id = m.entity_id
                   WHERE m.article_id IN ({ids}) ORDER BY m.article_id, m.start""",
                article_ids,
            )
        ]

    def articles_by_entity(self, eid: str | None = None) -> dict[str, list[str]]:
        """The articles (sorted by id) mentioning each entity, or the one given."""
        cond, params = ("entity_id = ?", (eid,)) if eid else ("entity_id IS NOT NULL", ())
        out: dict[str, list[str]] = {}
        for ent, aid in self.db.execute(
            f"SELECT DISTINCT entity_id, article_id FROM entity_mentions WHERE {cond} ORDER BY entity_id, article_id",
            params,
        ):
            out.setdefault(ent, []).append(aid)
        return out

    def co_occurring(self, eid: str, limit: int) -> list[tuple[str, str, int]]:
        """(name, type, articles) of the entities named in most articles with this one."""
        return [
            (r[0], r[1], r[2])
            for r in self.db.execute(
                """SELECT e.name, e.type, COUNT(DISTINCT m2.article_id) AS n FROM entity_mentions m1
                   JOIN entity_mentions m2 ON m2.article_id = m1.article_id AND m2.entity_id != m1.entity_id
                   JOIN entities e ON e.id = m2.entity_id
                   WHERE m1.entity_id = ? GROUP BY e.id ORDER BY n DESC, e.name LIMIT ?""",
                (eid, limit),
            )
        ]

    def is_person_or_org(self, name: str) -> bool:
        """Whether a person or an organisation of the store has this canonical name."""
        return (
            self.db.execute(
                "SELECT 1 FROM entities WHERE name = ? AND type IN ('PERSON', 'ORG') LIMIT 1", (name,)
            ).fetchone()
            is not None
        )

    # --- event mentions -------------------------------------------------------------------------------
    def of_article(self, aid: str, negated: bool | None = None) -> list[sqlite3.Row]:
        """An article's event mentions (every column) by sentence; `negated`: only those (not) negated."""
        cond = "" if negated is None else f" AND negated = {int(negated)}"
        return self.db.execute(
            f"SELECT * FROM event_mentions WHERE article_id = ?{cond} ORDER BY sentence", (aid,)
        ).fetchall()

    def of_events(self, eids: list[str]) -> list[sqlite3.Row]:
        """Every event mention of the events (every column, with the article's text as article_text), by
        report then sentence."""
        return rows_in(
            self.db,
            """SELECT m.*, a.text AS article_text FROM event_mentions m JOIN articles a ON a.id = m.article_id
               WHERE m.event_id IN ({ids}) ORDER BY a.seq, m.sentence""",
            eids,
        )

    def quoted_by(self, entity_id: str) -> list[sqlite3.Row]:
        """The statements with a quotation whose speaker is written as a mention of the entity (every
        column, with the article's text as article_text), by date then report."""
        return self.db.execute(
            """SELECT m.*, a.text AS article_text FROM event_mentions m JOIN articles a ON a.id = m.article_id
               JOIN entity_mentions em ON em.article_id = m.article_id AND em.entity_id = ?
               WHERE m.type = 'STATEMENT' AND m.quote IS NOT NULL AND instr(m.actors, em.text) > 0
               GROUP BY m.id ORDER BY m.date_start, a.seq""",
            (entity_id,),
        ).fetchall()

    def main_evidence(self, eids: list[str]) -> list[sqlite3.Row]:
        """event_id, article_id, evidence_start, evidence_end, text and outlet of the article, and
        date_source of the main mention of each report of the events, in insertion order."""
        return rows_in(
            self.db,
            """SELECT m.event_id, m.article_id, m.evidence_start, m.evidence_end, a.text, a.outlet,
                      m.date_source FROM event_mentions m JOIN articles a ON a.id = m.article_id
               WHERE m.event_id IN ({ids}) AND m.is_main = 1 ORDER BY a.seq""",
            eids,
        )

    def dated_in(self, eid: str, first: str, last: str) -> list[tuple[int, int, str, str, str | None]]:
        """(evidence start, end, article text, article id, outlet) of the mentions in an event's reports
        whose sentence states a date within [first, last]; main mentions first."""
        return [
            (r[0], r[1], r[2], r[3], r[4])
            for r in self.db.execute(
                """SELECT m.evidence_start, m.evidence_end, a.text, a.id, a.outlet FROM event_mentions m
                   JOIN articles a ON a.id = m.article_id WHERE a.event_id = ? AND m.date_source = 'sentence'
                     AND m.date_start BETWEEN ? AND ? ORDER BY m.is_main DESC, a.seq, m.sentence""",
                (eid, first, last),
            )
        ]

    def in_first_paragraphs(self, eid: str, paragraphs: int) -> list[sqlite3.Row]:
        """article_id, type, evidence_start, evidence_end, hedged, negated, paragraph, text (the article's),
        outlet and seq of the mentions in the first paragraphs of an event's reports."""
        return self.db.execute(
            """SELECT m.article_id, m.type, m.evidence_start, m.evidence_end, m.hedged, m.negated, s.paragraph,
                      a.text, a.outlet, a.seq FROM event_mentions m JOIN articles a ON a.id = m.article_id
               JOIN sentences s ON s.article_id = m.article_id AND s.idx = m.sentence
               WHERE a.event_id = ? AND s.paragraph <= ? ORDER BY a.seq, m.sentence""",
            (eid, paragraphs),
        ).fetchall()

    def quotations(self, eid: str) -> list[sqlite3.Row]:
        """The statements with a quotation in an event's reports (every column, with the article's text as
        article_text and its outlet), in order."""
        return self.db.execute(
            """SELECT m.*, a.text AS article_text, a.outlet FROM event_mentions m
               JOIN articles a ON a.id = m.article_id
               WHERE a.event_id = ? AND m.type = 'STATEMENT' AND m.quote IS NOT NULL ORDER BY a.seq, m.sentence""",
            (eid,),
        ).fetchall()

    def dated_days_within(
        self, eid: str, first: str, last: str
    ) -> list[tuple[str, str, str, int, int, str, str | None, str]]:
        """(day, type, trigger, evidence start, end, article text, outlet, article id) of the mentions of an
        event's reports dated to one day in [first, last] by their own sentence (statements left out),
        by day then report."""
        return [
            tuple(r)
            for r in self.db.execute(
                """SELECT m.date_start, m.type, m.trigger, m.evidence_start, m.evidence_end, a.text, a.outlet, a.id
                   FROM event_mentions m JOIN articles a ON a.id = m.article_id
                   WHERE a.event_id = ? AND m.granularity = 'day' AND m.date_source = 'sentence'
                     AND m.date_start = m.date_end AND m.date_start BETWEEN ? AND ? AND m.type != 'STATEMENT'
                   ORDER BY m.date_start, a.seq""",
                (eid, first, last),
            )
        ]

    def dated_days_outside(
        self, eid: str, lo: str, hi: str
    ) -> list[tuple[str, str, str, int, int, str, str | None, str]]:
        """The same for the other happenings the originals of an event's reports date by their own sentence
        to a day outside [lo, hi] (not main, negated, hedged or statements), by report then sentence."""
        return [
            tuple(r)
            for r in self.db.execute(
                """SELECT m.date_start, m.type, m.trigger, m.evidence_start, m.evidence_end, a.text, a.outlet, a.id
                   FROM event_mentions m JOIN articles a ON a.id = m.article_id
                   WHERE a.event_id = ? AND a.duplicate_of IS NULL AND m.is_main = 0 AND m.granularity = 'day'
                     AND m.date_source = 'sentence' AND m.type != 'STATEMENT' AND m.negated = 0 AND m.hedged = 0
                     AND (m.date_end < ? OR m.date_start > ?)
                   ORDER BY a.seq, m.sentence""",
                (eid, lo, hi),
            )
        ]

    def articles_naming(self, entity_ids: list[str]) -> set[str]:
        """The articles with a mention of one of the entities."""
        if not entity_ids:
            return set()
        return {
            r[0]
            for r in self.db.execute(
                f"SELECT DISTINCT article_id FROM entity_mentions WHERE entity_id IN ({_marks(len(entity_ids))})",
                entity_ids,
            )
        }
