"""Integration: the real command line on the seed articles in ../shared/datasets/seeds (skipped if absent)."""

import json

import pytest

from conftest import needs_shared, run_cli


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory):
    seeds = needs_shared("seeds")
    db = tmp_path_factory.mktemp("seeds") / "seeds.db"
    run_cli("ingest", str(seeds), db=db)
    return db


def get(db, *cmd):
    return json.loads(run_cli(*cmd, "--json", db=db).stdout)


def test_every_timeline_entry_is_dated_and_cited_verbatim(seeds_db):
    articles = {a["id"]: a for a in get(seeds_db, "articles")}
    entries = get(seeds_db, "timeline")
    assert entries
    for e in entries:
        assert e["date"]
        assert e["sources"]
        for s in e["sources"]:
            assert s["sentence"] and s["sentence"] in articles[s["article_id"]]["text"]


def test_articles_have_titles_and_dates_where_knowable(seeds_db):
    arts = get(seeds_db, "articles")
    assert len(arts) == 5 and all(a["title"] for a in arts)
    dated = [a for a in arts if a["published"]["date"]]
    assert len(dated) >= 4
    for a in arts:
        if a["published"]["date"] is None:
            assert a["published"]["granularity"] == "unknown" and a["published"]["evidence"]


def test_three_events_one_storyline(seeds_db):
    events = get(seeds_db, "events")
    spans = sorted((e["date"]["start"], e["date"]["end"], len(e["article_ids"])) for e in events)
    assert spans == [
        ("2020-10-02", "2020-10-04", 2),
        ("2021-05-03", "2021-05-05", 2),
        ("2023-07-27", "2023-07-27", 1),
    ]
    stories = get(seeds_db, "storylines")
    assert len(stories) == 1 and len(stories[0]["event_ids"]) == 3


def test_reingest_adds_zero(seeds_db):
    out = run_cli("ingest", str(needs_shared("seeds")), db=seeds_db).stdout
    assert out.startswith("0 articles added")
