import sqlite3

import pytest

from newsloom.errors import StoreError
from newsloom.model import AnnotatedArticle, Article, Document, Sentence
from newsloom.store import Store, content_hash


def carrier(i: int, text: str | None = None) -> AnnotatedArticle:
    body = text or f"Article number {i} says something about the river."
    d = Document(f"doc{i}", f"file{i}.txt", "text/plain", body.encode(), "2026-01-01", {})
    a = Article(document_id=d.id, source=d.origin, title=f"Title {i}", paragraphs=[body])
    return AnnotatedArticle(d, a, sentences=[Sentence(0, 0, len(body), body, 0)])


def test_migrations_wal_and_fts(tmp_path):
    s = Store(tmp_path / "a.db")
    assert s.version() >= 1
    assert s.query("PRAGMA journal_mode")[0][0] == "wal"
    with s.transaction():
        s.add_article(carrier(1, "The bridge over the Danube opened."))
    assert (
        s.query(
            "SELECT a.id FROM articles_fts f JOIN articles a ON a.seq = f.rowid WHERE articles_fts MATCH 'danube'"
        )[0][0]
        == "doc1"
    )
    s.close()
    # reopening applies nothing twice
    s2 = Store(tmp_path / "a.db")
    assert s2.count("articles") == 1


def test_transaction_rolls_back_whole_batch(tmp_path):
    s = Store(tmp_path / "a.db")
    with pytest.raises(sqlite3.IntegrityError):
        with s.transaction():
            s.add_article(carrier(1))
            s.add_article(carrier(1))  # same document twice: the batch fails as a whole
    assert s.count("articles") == 0 and s.count("documents") == 0


def test_exact_duplicate_body_links_to_first_copy(tmp_path):
    s = Store(tmp_path / "a.db")
    with s.transaction():
        assert s.add_article(carrier(1, "Same words, same story.")) is None
        assert s.add_article(carrier(2, "Same   words, SAME story!")) == "doc1"
    assert content_hash("a  B") == content_hash("A b")


def test_not_a_database_is_a_clear_error(tmp_path):
    bad = tmp_path / "x.db"
    bad.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="x.db"):
        Store(bad)
    with pytest.raises(StoreError, match="no such database"):
        Store(tmp_path / "missing.db", readonly=True)


def test_a_store_whose_path_holds_uri_characters_opens_read_only(tmp_path):
    """The read-only connection and the block merge address files by URI: a '#', '?' or '%' in a
    directory's name is part of the name, not the URI's fragment or query."""
    where = tmp_path / "news #1? 100%"
    where.mkdir()
    with Store(where / "a.db") as s, s.transaction():
        s.add_article(carrier(1, "The river rose in the night."))
    with Store(where / "a.db", readonly=True) as s:
        assert s.count("articles") == 1


def test_deleting_an_entity_reads_only_its_own_keys(tmp_path):
    """The sharded merge deletes an entity for every pair it joins: by an index, not a scan of every key."""
    s = Store(tmp_path / "a.db")
    plan = " ".join(
        str(r[3]) for r in s.query("EXPLAIN QUERY PLAN DELETE FROM entity_keys WHERE entity_id = ?", ("x",))
    )
    assert "USING" in plan and "INDEX" in plan, plan
    s.close()
