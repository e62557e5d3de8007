import random
import sqlite3

import pytest

from newsloom.gazetteer import load_gazetteer
from newsloom.resolve import (
    PERSON_BLOCK,
    Canon,
    PeopleRead,
    _acronyms,
    canonical,
    headline_people,
    lookup_entity,
    resolve_article,
)
from newsloom.store import Store
from newsloom.store.entities import surname_key


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def test_canonical_forms(gaz):
    assert canonical("Tajik", "NORP", gaz, [], {}).name == "Tajikistan"
    assert canonical("Republic of Uzbekistan", "GPE", gaz, [], {}).name == "Uzbekistan"
    assert canonical("U.S.", "GPE", gaz, [], {}).name == "United States"
    assert canonical("Khalilzad", "PERSON", gaz, ["Zalmay Khalilzad"], {}).name == "Zalmay Khalilzad"
    assert canonical(
        "GKNB", "ORG", gaz, [], {"GKNB": "State Committee for National Security"}
    ).name.startswith("State Committee")
    assert canonical("US State Department", "ORG", gaz, [], {}).name == "State Department"


def test_acronym_in_parentheses_even_when_transliterated():
    found = _acronyms(
        "Director of the State Committee for National Security (GKNB) Saimumin Yatimov",
        load_gazetteer().titles,
    )
    assert found["GKNB"] == "State Committee for National Security"


def _article(db: sqlite3.Connection, aid: str, mentions: list[tuple[str, str]]) -> None:
    db.execute(
        "INSERT INTO documents(id, origin, media_type, fetched, size) VALUES (?,?,?,?,0)",
        (aid, aid, "text/plain", "x"),
    )
    db.execute(
        "INSERT INTO articles(id, source, title, text, content_hash, added) VALUES (?,?,?,?,?,?)",
        (aid, aid, "t", "x", aid, "x"),
    )
    for i, (text, label) in enumerate(mentions):
        db.execute(
            "INSERT INTO entity_mentions(article_id, sentence, start, end, text, label) VALUES (?,?,?,?,?,?)",
            (aid, 0, i, i + 1, text, label),
        )


def _resolved(db, aid: str, mentions: list[tuple[str, str]], gaz, title: str = "") -> None:
    """An article with these mentions, its entities resolved."""
    _article(db, aid, mentions)
    resolve_article(db, aid, "", gaz, title=title)


def test_spelling_variants_merge_but_different_first_names_do_not(tmp_path, gaz):
    s = Store(tmp_path / "r.db")
    with s.transaction() as db:
        _resolved(db, "a1", [("Saimumin Yatimov", "PERSON"), ("Yatimov", "PERSON")], gaz)
        _resolved(db, "a2", [("Saymumin Yatimov", "PERSON")], gaz)
        _resolved(db, "a3", [("Rustam Yatimov", "PERSON")], gaz)  # same surname, another person
    people = {r[0]: r[1] for r in s.query("SELECT name, aliases FROM entities WHERE type = 'PERSON'")}
    assert set(people) == {"Saimumin Yatimov", "Rustam Yatimov"}
    assert "Saymumin Yatimov" in people["Saimumin Yatimov"]
    # the bare surname in a3's absence stays ambiguous between two people: it is not merged blindly
    with s.transaction() as db:
        _resolved(db, "a4", [("Yatimov", "PERSON")], gaz)
    assert s.query("SELECT COUNT(*) FROM entities WHERE type = 'PERSON' AND name LIKE '%Yatimov%'")[0][0] == 3


def test_a_bare_surname_takes_the_full_name_the_headline_gives(tmp_path, gaz):
    assert headline_people("Esther Williams, who swam to stardom, dies at 91", {"Williams"}, gaz) == {
        "Williams": "Esther Williams"
    }
    assert headline_people("Chargers Jamal Williams arrested", {"Williams"}, gaz) == {
        "Williams": "Jamal Williams"
    }
    # a function word, a role title or two first names in one headline name nobody
    assert headline_people("The Bush administration eases rules", {"Bush"}, gaz) == {}
    assert headline_people("President Obama meets Merkel", {"Obama"}, gaz) == {}
    assert headline_people("Serena Williams beats Venus Williams", {"Williams"}, gaz) == {}
    s = Store(tmp_path / "h.db")
    with s.transaction() as db:
        for first in ("Esther", "Robin", "Serena"):  # a bare "Williams" alone is ambiguous among them
            _resolved(db, first, [(f"{first} Williams", "PERSON")], gaz)
        _resolved(db, "obit", [("Williams", "PERSON")], gaz, title="Esther Williams dies at 91")
        _resolved(db, "other", [("Williams", "PERSON")], gaz, title="Swimming legend dies at 91")
    linked = dict(
        s.query("SELECT m.article_id, e.name FROM entity_mentions m JOIN entities e ON e.id = m.entity_id")
    )
    assert linked["obit"] == "Esther Williams"
    assert linked["other"] == "Williams"


def test_a_crowded_surname_block_still_finds_the_person_in_the_news(tmp_path, gaz):
    """A surname block holds more people than a lookup reads (every new Smith): the lookup reads the most
    mentioned, so the person often in the news is still found under a variant spelling."""
    s = Store(tmp_path / "r.db")
    with s.transaction() as db:
        _resolved(db, "famous", [("Saimumin Smith", "PERSON")] * 5, gaz)
        for i in range(PERSON_BLOCK + 50):
            first = "".join(random.Random(i).choices("abcdefghijklmnopqrstuvwxyz", k=7))
            _resolved(db, f"o{i}", [(f"{first.title()} Smith", "PERSON")], gaz)
        _resolved(db, "variant", [("Saymumin Smith", "PERSON")], gaz)
    assert s.query("SELECT COUNT(*) FROM entities WHERE name LIKE '%Smith'")[0][0] > PERSON_BLOCK + 40
    assert "Saymumin Smith" in s.query("SELECT aliases FROM entities WHERE name = 'Saimumin Smith'")[0][0]


def test_lookups_sharing_surname_blocks_find_what_single_lookups_find(tmp_path, gaz):
    """A caller that looks up many names without writing (merging a block's entities) keeps the people it
    found for each surname: each surname is looked up once, and every name resolves as it does alone."""
    s = Store(tmp_path / "r.db")
    with s.transaction() as db:
        _resolved(db, "a1", [("Saimumin Yatimov", "PERSON"), ("Rustam Yatimov", "PERSON")], gaz)
        _resolved(db, "a2", [("Jamal Williams", "PERSON")], gaz)
    names = ["Saymumin Yatimov", "Rustam Yatimov", "Yatimov", "Jamal Williams", "Williams", "Ann Jones"]
    read = PeopleRead()
    shared = [lookup_entity(s.db, Canon(n, "PERSON"), read) for n in names]
    alone = [lookup_entity(s.db, Canon(n, "PERSON")) for n in names]
    assert shared == alone
    assert shared[0] is not None and shared[0] == alone[0] and shared[2] is None  # two Yatimovs: ambiguous
    assert shared[3] == shared[4] and shared[5] is None
    assert set(read.carriers) == {"yatimov", "williams", "jones"} and read.carriers["jones"] == []
    assert {etoks[-1] for eid, etoks, score in read.carriers["yatimov"]} == {"yatimov"}
    assert set(read.surname_blocks) == {surname_key("Yatimov"), surname_key("Williams"), surname_key("Jones")}
