"""Integration: the real command line on the demo corpus (examples/demo), checking its key facts."""

import json

import pytest

from conftest import DEMO, run_cli


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    out = run_cli("ingest", str(DEMO), db=db).stdout
    assert "11 articles added, 1 duplicate linked" in out
    return db


def get(db, *cmd):
    return json.loads(run_cli(*cmd, "--json", db=db).stdout)


def test_reingest_adds_nothing(demo_db):
    out = run_cli("ingest", str(DEMO), db=demo_db).stdout
    assert out.startswith("0 articles added, 0 duplicates") and "12 already stored" in out
    assert len(get(demo_db, "articles")) == 12


def test_articles_metadata(demo_db):
    arts = {a["title"]: a for a in get(demo_db, "articles")}
    herald = arts["Danube bursts its banks in Vidin, two dead and thousands evacuated"]
    assert herald["outlet"] == "Danube Herald" and herald["authors"] == ["Petya Ilieva"]
    assert herald["published"]["date"] == "2024-03-12" and not herald["published"]["inferred"]
    assert (
        any("Related posts" in b for b in herald["boilerplate_removed"])
        and "Related posts" not in herald["text"]
    )
    # no date stated: inferred from "Monday-Tuesday (March 18-19)" and "this week"
    visit = arts["EU crisis commissioner tours flooded Vidin, promises help"]
    assert visit["published"]["inferred"] and visit["published"]["date"] == "2024-03-19"
    assert visit["published"]["granularity"] == "week"
    html = arts["Vidin counts the cost as Danube recedes"]
    assert html["url"].startswith("https://riverside-post.example/") and html["outlet"] == "Riverside Post"
    assert "2014" not in html["text"] and any("2014" in c for c in html["captions"])
    copies = [a for a in arts.values() if a["title"] == "Two killed as Danube floods Bulgarian town of Vidin"]
    assert len({a["id"] for a in get(demo_db, "articles") if a["duplicate_of"]}) == 1
    assert len(copies) == 1 or any(a["duplicate_of"] for a in get(demo_db, "articles"))


def test_events_and_storylines(demo_db):
    events = get(demo_db, "events")
    by_date = {e["date"]["start"]: e for e in events}
    assert set(by_date) == {"2024-03-12", "2024-03-18", "2024-04-09", "2024-04-22", "2024-05-06"}
    vidin, calafat = by_date["2024-03-12"], by_date["2024-04-22"]
    assert vidin["type"] == calafat["type"] == "DISASTER"  # two events of the same kind stay apart
    assert len(vidin["article_ids"]) == 4  # three outlets and a syndicated copy
    assert by_date["2024-03-18"]["date"]["end"] == "2024-03-19"
    stories = get(demo_db, "storylines")
    main = max(stories, key=lambda s: len(s["event_ids"]))
    assert len(main["event_ids"]) == 4 and len(stories) == 2
    assert by_date["2024-05-06"]["storyline_id"] != main["id"]  # the chess story is unrelated


def test_entities_merge_spelling_variants(demo_db):
    ents = get(demo_db, "entities")
    markovic = [e for e in ents if "Markovic" in e["name"] or "Marković" in e["name"]]
    assert len(markovic) == 1
    assert {"Elena Marković", "Elena Markovic", "Yelena Markovic"} <= {
        markovic[0]["name"],
        *markovic[0]["aliases"],
    }
    pm = [e for e in ents if e["name"].startswith("Stefan Dragomir")]
    assert len(pm) == 1 and "Stefan Dragomirow" in [pm[0]["name"], *pm[0]["aliases"]]


def test_timeline_cites_verbatim_sentences(demo_db):
    articles = {a["id"]: a for a in get(demo_db, "articles")}
    entries = get(demo_db, "timeline")
    assert len([e for e in entries if not e["background"]]) == 5
    assert len(get(demo_db, "timeline", "--no-background")) == 5
    for e in entries:
        assert e["date"] and e["sources"]
        for s in e["sources"]:
            assert s["sentence"] in articles[s["article_id"]]["text"]
    first = run_cli("timeline", "--max-dates", "2", "--json", db=demo_db).stdout
    assert len({e["date"] for e in json.loads(first)}) == 2
    chess = json.loads(run_cli("timeline", "--query", "chess", "--json", db=demo_db).stdout)
    assert [e["date"] for e in chess] == ["2024-05-06"]
    marko = json.loads(run_cli("timeline", "--entity", "Yelena Markovic", "--json", db=demo_db).stdout)
    assert {e["date"] for e in marko} >= {"2024-03-18", "2024-04-09"}


def test_text_views_and_dates_command(demo_db):
    out = run_cli("timeline", db=demo_db).stdout
    assert "2024-03-12" in out and "Balkan Wire" in out
    res = json.loads(
        run_cli("dates", "--dct", "2021-05-05", "--json", db=demo_db, input="They met on Tuesday.").stdout
    )
    assert res == [
        {
            "text": "Tuesday",
            "start": 12,
            "end": 19,
            "value": "2021-05-04",
            "type": "DATE",
            "granularity": "day",
            "anchor": "dct",
            "range": {"start": "2021-05-04", "end": "2021-05-04"},
        }
    ]


def test_bad_inputs_are_reported_and_others_go_on(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_text("")
    (tmp_path / "in" / "bad.jsonl").write_text(
        '{"text": "A fine first line about the mayor who opened a bridge on Monday."}\n{not json\n{"url": "x"}\n'
    )
    (tmp_path / "in" / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    (tmp_path / "in" / "trunc.txt.gz").write_bytes(b"\x1f\x8b\x08\x00\x00\x00")
    db = tmp_path / "b.db"
    proc = run_cli("ingest", str(tmp_path / "in"), db=db)
    out = proc.stdout
    assert "1 article added" in out and "5 failed" in out
    assert "bad.jsonl:2" in out and "line 2" in out
    assert "empty" in out and "binary" in out and "gzip" in out
    fails = json.loads(run_cli("failures", "--json", db=db).stdout)
    assert len(fails) == 5 and any("has no article text: none of 'text'" in f["reason"] for f in fails)


def test_missing_database_and_bad_date_fail_clearly(tmp_path):
    proc = run_cli("events", db=tmp_path / "none.db", check=False)
    assert proc.returncode == 2 and "no such database" in proc.stderr
    proc = run_cli("dates", "--dct", "yesterday", db=tmp_path / "x.db", check=False, input="x")
    assert proc.returncode == 2 and "--dct" in proc.stderr


def test_timeline_exports_and_plot(demo_db, tmp_path):
    import csv
    import io
    import xml.etree.ElementTree as ET

    entries = get(demo_db, "timeline")
    rows = list(csv.DictReader(io.StringIO(run_cli("timeline", "--format", "csv", db=demo_db).stdout)))
    assert [r["date"] for r in rows] == [e["date"] for e in entries]
    md = run_cli("timeline", "--format", "md", "--title", "Floods <b>", db=demo_db).stdout
    assert md.startswith("# Floods \\<b\\>") and md.count("\n## ") == len(entries)
    svg = tmp_path / "t.svg"
    run_cli("timeline", "--plot", str(svg), "--title", "<script>alert(1)</script>", db=demo_db)
    root = ET.parse(svg).getroot()  # well-formed: every article string was escaped
    assert root.tag.endswith("svg") and not root.findall(".//{http://www.w3.org/2000/svg}script")
    assert len(root.findall(".//{http://www.w3.org/2000/svg}circle")) == len(entries)
    bad = run_cli("timeline", "--plot", str(tmp_path / "t.png"), db=demo_db, check=False)
    assert bad.returncode == 2 and "SVG" in bad.stderr
    bad = run_cli("timeline", "--from", "last week", db=demo_db, check=False)
    assert bad.returncode == 2 and "--from 'last week'" in bad.stderr
    events_csv = list(csv.DictReader(io.StringIO(run_cli("events", "--format", "csv", db=demo_db).stdout)))
    assert len(events_csv) == len(get(demo_db, "events"))


def test_date_wise_summary_is_capped_and_verbatim(demo_db):
    articles = {a["id"]: a for a in get(demo_db, "articles")}
    out = get(demo_db, "timeline", "--by-date", "--max-dates", "3", "--per-date", "2")
    assert 1 <= len(out) <= 3 and [e["date"] for e in out] == sorted(e["date"] for e in out)
    for e in out:
        assert 1 <= len(e["sentences"]) <= 2
        for s in e["sentences"]:
            assert s["text"] in articles[s["article_id"]]["text"]
    chess = get(demo_db, "timeline", "--by-date", "--keywords", "chess", "--max-dates", "5")
    assert chess and all("chess" in s["text"].lower() for e in chess for s in e["sentences"])
    ranged = get(demo_db, "timeline", "--by-date", "--from", "2024-04-01", "--to", "2024-04-30")
    assert ranged and all("2024-04-01" <= e["date"] <= "2024-04-30" for e in ranged)


def test_brief_and_compare_cite_sources(demo_db):
    articles = {a["id"]: a for a in get(demo_db, "articles")}
    events = get(demo_db, "events")
    big = max(events, key=lambda e: len(e["article_ids"]))
    b = get(demo_db, "brief", big["id"])
    assert b["kind"] == "event" and b["sentences"]
    for s in b["sentences"]:
        assert s["sources"] and all(s["text"] in articles[src["article_id"]]["text"] for src in s["sources"])
    text = run_cli("brief", big["id"], db=demo_db).stdout
    assert "[1]" in text
    c = get(demo_db, "compare", big["id"])
    assert len(c["outlets"]) >= 2
    for f in c["facts"]:
        for outlet, where in f["reported_by"].items():
            assert where["sentence"] in articles[where["article_id"]]["text"]
            assert outlet in {o["outlet"] for o in c["outlets"]}
    assert {f["kind"] for f in c["facts"]} >= {"participant", "place", "date of the event"}
    story = get(demo_db, "brief", big["storyline_id"])
    assert story["kind"] == "storyline" and [s["date"] for s in story["sentences"]] == sorted(
        s["date"] for s in story["sentences"]
    )
    missing = run_cli("compare", "ev_nonexistent", db=demo_db, check=False)
    assert missing.returncode == 2 and "no event 'ev_nonexistent'" in missing.stderr


def test_event_cards_name_the_town_the_people_and_the_kind(demo_db):
    cards = {e["date"]["start"]: e["card"] for e in get(demo_db, "events")}
    flood, visit, calafat, chess = (
        cards["2024-03-12"],
        cards["2024-03-18"],
        cards["2024-04-22"],
        cards["2024-05-06"],
    )
    assert flood["place"]["name"] == "Vidin, Bulgaria" and flood["kind"] == "DISASTER"
    # the datelines of the wire copies ("SOFIA (Balkan Wire)") are where the reports come from, not the flood
    assert [h["level"] for h in flood["place"]["hierarchy"]] == ["town", "country"]
    assert calafat["place"]["name"] == "Calafat, Romania"
    assert chess["place"]["name"] == "Oslo, Norway"
    assert [p["name"] for p in chess["who"]] == []  # "OSLO --" is a dateline, not who won
    assert {"Jakob Leitner", "Henrik Dahl"} <= {p["name"] for p in chess["participants"]}
    assert [p["name"] for p in visit["who"]] == ["Yelena Markovic"]
    for c in cards.values():
        people = {p["name"] for p in c["who"] + c["with_whom"] + c["participants"]}
        assert not people & set(c["sources"])
        assert c["title_source"] == "headline"


def test_a_briefing_gives_the_card_and_distinct_cited_facts(demo_db):
    ev = next(e for e in get(demo_db, "events") if e["date"]["start"] == "2024-03-12")
    brief = get(demo_db, "brief", ev["id"])
    assert brief["card"] == "Disaster in Vidin, Bulgaria on 2024-03-12"
    facts = [s for s in brief["sentences"] if s["role"] == "fact"]
    assert facts and len({f["text"] for f in facts}) == len(facts)
    assert any(f["also_reported_by"] for f in facts)  # the same fact from two reports, merged
    articles = {a["id"]: a["text"] for a in get(demo_db, "articles")}
    for f in facts:
        for other in f["also_reported_by"]:
            assert other["sentence"] in articles[other["article_id"]]  # each report cited in its own words
