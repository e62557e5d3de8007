"""Sharded corpus stages (`newsloom batch --corpus sharded`, here without Spark): blocks by time, merged and
stitched, give the local ingest's events, storylines and timeline; copies are found across blocks."""

import json
from collections import Counter

import numpy as np

from newsloom import dedup, shards
from newsloom.store import Store

from conftest import DEMO, needs_shared, run_cli


def views(db, ids: bool = True):
    """What a reader sees: events, storylines and the timeline. `ids=False`: with each event and
    storyline named by its place in the listing instead of its id (an event's id comes from the report
    that started it, which depends on the order the two paths met the reports in)."""
    out = {c: json.loads(run_cli(c, "--json", db=db).stdout) for c in ("events", "storylines", "timeline")}
    if ids:
        return out
    text = json.dumps(out, sort_keys=True)
    for kind in ("events", "storylines"):
        key = (lambda e: (str(e.get("date")), e["title"])) if kind == "events" else (lambda e: e["title"])
        for n, item in enumerate(sorted(out[kind], key=key)):
            text = text.replace(item["id"], f"{kind}#{n}")
    return json.loads(text)


def sharded(tmp_path, src, days=7):
    db = tmp_path / "sharded.db"
    with Store(db) as st:
        info = shards.run_local(st, shards.annotate_inputs([str(src)]), days, tmp_path)
    return db, info


def test_demo_by_blocks_equals_local_ingest(tmp_path):
    local = tmp_path / "local.db"
    run_cli("ingest", str(DEMO), db=local)
    db, info = sharded(tmp_path, DEMO)
    assert info["blocks"] >= 3 and info["storylines_joined"] >= 1  # the storyline spans blocks
    assert views(db) == views(local)
    # the blocks stay with their manifest: the driver's part alone, run again, gives the same store
    again = tmp_path / "again.db"
    with Store(again) as st:
        replayed = shards.merge_blocks(st, tmp_path)
    assert replayed["events_joined"] == info["events_joined"] and views(again) == views(db)


def test_blocks_weigh_terms_by_the_whole_input(tmp_path):
    """Each block weighs terms by the document frequencies of the whole input (not only its own few
    articles), and the merged store counts every article once: as the local ingest has counted them."""

    def frequencies(db):
        with Store(db, readonly=True) as st:
            return dict(st.query("SELECT term, df FROM term_df")), st.query(
                "SELECT value FROM meta WHERE key = 'df_articles'"
            )[0][0]

    local = tmp_path / "local.db"
    run_cli("ingest", str(DEMO), db=local)
    items = shards.annotate_inputs([str(DEMO)])
    n, df = shards.input_frequencies(it for _, it in items)
    block = tmp_path / "block.db"
    shards.cluster_block(block, [it for _, it in items[:3]], frequencies=(n, df))
    own = frequencies(block)  # the whole input's counts of its terms; none of its own articles counted
    assert own[1] == str(n) and own[0] and all(df[t] == c for t, c in own[0].items())
    db, info = sharded(tmp_path, DEMO, days=1)
    assert info["blocks"] > 3
    assert frequencies(db) == frequencies(local)
    with Store(db, readonly=True) as st:  # every report carries its event's storyline
        assert not st.query(
            "SELECT a.id FROM articles a JOIN events e ON e.id = a.event_id WHERE a.storyline_id IS NOT e.storyline_id"
        )


def test_seeds_by_blocks_equals_local_ingest(tmp_path):
    src = needs_shared("seeds")
    local = tmp_path / "local.db"
    run_cli("ingest", str(src), db=local)
    db, info = sharded(tmp_path, src)
    # the visits' reports fall in blocks of their weeks, the report with no date joins its visit on the
    # driver after stitching; a minister spelt two ways in two blocks is one entity again
    assert info["blocks"] >= 3 and info["undated"] == 1
    assert views(db, ids=False) == views(local, ids=False)


def test_a_copy_in_a_later_block_joins_its_first_copy(tmp_path):
    body = (
        "RUSE - The port of Ruse reopened on Tuesday after two weeks of floods, the harbour master said. "
        "About forty ships had waited downstream while engineers checked the quays and the cranes. "
        "Traders said grain prices had risen during the closure and expected them to fall again soon."
    )
    other = (
        "SOFIA - Parliament passed the budget on Friday after a night of debate over pensions and roads. "
        "The opposition walked out before the vote and promised to challenge two articles in court."
    )
    src = tmp_path / "in.jsonl"
    rows = [
        {
            "id": "a",
            "title": "Ruse port reopens",
            "published": "2024-05-14",
            "outlet": "River Post",
            "text": body,
        },
        {
            "id": "b",
            "title": "Budget passes",
            "published": "2024-05-20",
            "outlet": "Capital Daily",
            "text": other,
        },
        {
            "id": "c",
            "title": "Port of Ruse open again",
            "published": "2024-06-10",
            "outlet": "Wire",
            "text": body,
        },
    ]
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    db, info = sharded(tmp_path, src)
    assert info["blocks"] == 2  # the copy travelled to its first copy's block
    arts = {a["external_id"]: a for a in json.loads(run_cli("articles", "--json", db=db).stdout)}
    assert arts["c"]["duplicate_of"] == arts["a"]["id"]
    assert arts["c"]["event_id"] == arts["a"]["event_id"] != arts["b"]["event_id"]


def test_first_copies_follow_the_earliest_match():
    rng = np.random.default_rng(0)
    sig = rng.integers(0, 2**63, size=dedup.NUM_PERM, dtype=np.uint64)
    near = sig.copy()
    near[:10] += 1  # 92% of the hashes agree: a copy
    far = sig.copy()
    far[:60] += 1  # 53%: another text
    pairs = shards.copies_in_bucket([(5, near.tobytes()), (2, sig.tobytes()), (9, far.tobytes())])
    assert pairs == [(5, 2)]
    # 7 copies 5, which copies 2: both go back to 2
    assert shards.first_copies([(5, 2), (7, 5), (7, 6)]) == {5: 2, 7: 2}


def test_a_large_block_is_cut_by_the_names_its_articles_share():
    entries = [
        (0, ["chicago", "jane roe"]),
        (1, ["chicago", "acme corp"]),
        (2, ["chicago", "jane roe"]),
        (3, ["chicago", "acme corp"]),
        (4, ["chicago"]),
        (5, ["springfield"]),
    ]
    cut = shards.cut_block(entries, bound=3)
    assert set(cut) == {0, 1, 2, 3, 4, 5}
    assert max(Counter(cut.values()).values()) <= 3  # no block above the bound
    assert cut[0] == cut[2] and cut[1] == cut[3]  # the rare names keep their articles together
    assert cut[0] != cut[1]  # the common one ("chicago", 5 articles) joins nothing
    assert shards.cut_block(entries, bound=6) == dict.fromkeys(range(6), 0)  # within the bound: one block
    assert shards.cut_block(list(reversed(entries)), bound=3) == cut  # the input order does not matter


def test_a_day_cut_into_blocks_keeps_every_article_and_the_local_events(tmp_path):
    local = tmp_path / "local.db"
    run_cli("ingest", str(DEMO), db=local)
    db = tmp_path / "cut.db"
    with Store(db) as st:
        # one time block for the whole demo, cut into blocks of at most 4 articles
        info = shards.run_local(st, shards.annotate_inputs([str(DEMO)]), 10**5, tmp_path, block_articles=4)
    assert info["blocks"] >= 3
    cut, whole = views(db, ids=False), views(local, ids=False)
    for v in (cut, whole):
        for e in v["events"]:
            e.pop("storyline_id")
    assert cut["events"] == whole["events"]
    # storylines are linked across blocks only from an event to the earlier events of other blocks, so a
    # storyline that a local ingest grew through a later report may stay in parts; every report has one
    assert sorted(a for s in cut["storylines"] for a in s["article_ids"]) == sorted(
        a for s in whole["storylines"] for a in s["article_ids"]
    )


def test_joining_entities_leaves_every_report_the_features_it_would_be_given_again(tmp_path):
    """When the merge finds two ids for one entity, the reports naming the one dropped get the features a
    report naming the one kept has: the same as made again from the store (of the same type or not)."""
    from newsloom.clustering import pairmodel
    from newsloom.store.articles import ArticleRepository
    from newsloom.store.events import EventRepository

    db_path = tmp_path / "demo.db"
    run_cli("ingest", str(DEMO), db=db_path)
    with Store(db_path) as st:
        named = st.query(
            "SELECT e.id, e.type FROM entities e JOIN entity_mentions m ON m.entity_id = e.id "
            "GROUP BY e.id ORDER BY COUNT(*) DESC, e.id"
        )
        people = [eid for eid, t in named if t == "PERSON"]
        place = next(eid for eid, t in named if t == "GPE")
        with st.transaction() as db:
            shards.join_entities(db, people[1], people[0])  # the same type
            shards.join_entities(db, people[2], place)  # another type: the lists change
        events, rows = EventRepository(st.db), ArticleRepository(st.db)
        stored = events.features([r[0] for r in st.query("SELECT id FROM articles")])
        assert stored
        for aid, text in stored.items():
            old = pairmodel.ArticleFeatures.from_json(text)
            again = pairmodel.article_features(st.db, rows.by_ids([aid])[aid], old.type, old.date)
            assert old.to_json() == again.to_json(), aid
        assert not any(people[1] in t or people[2] in t for t in stored.values())
