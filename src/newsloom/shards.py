"""Corpus stages by time blocks: how `newsloom batch --corpus sharded` runs them on many machines.

The local corpus stages (near-duplicates, entity resolution, event clustering, storylines) are incremental
and have one writer. To spread them, the input is cut into independent pieces, each piece runs those same
stages, and the pieces are joined with the same decisions:

1. Near-duplicates over the whole input: articles whose MinHash band keys (`dedup.band_keys`, the local
   index's own keys) collide are candidate pairs; a pair is a copy when `dedup.is_copy` says so, the test
   the local index applies. A copy travels to the block of its first copy.
2. Blocks: articles are grouped by a time window of their publication date (`block_of`). Each block runs
   `pipeline.store_annotated`, the local ingest's final step, into its own store, in input order; inside a
   block, event candidates come from the local index by participant, place and date.
3. Merge (`merge_block`): the block stores are copied into one store; articles keep the input order,
   events the order of their first report; entities that the local resolution rule finds under two names
   (spelling variants first seen in different blocks) become one, named as first seen.
4. Stitching (`stitch`): two events from different blocks merge when the local rule would have put the
   later one's first report into the earlier one: dates compatible, and that report's average probability
   (the pairwise model of `clustering.pairmodel`) over the earlier event's latest reports above the threshold at which
   a report joins an event (`_join_link`); best pairs first. Then every event with a related event in
   another block goes through the local storyline rule, which joins the storylines it links.

Everything here is plain SQLite and Python: Spark (`batch.py`) only decides where each block runs.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
import time
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from . import cards, dedup, resolve
from .clustering import online, pairmodel
from .clustering.config import SETTINGS
from .clustering.repository import EventRepository
from .model import AnnotatedArticle
from .store import Store

UNDATED = "undated"


def block_of(it: AnnotatedArticle, days: int) -> str:
    """The time block of an article: the first day of its `days`-long window of publication."""
    d = it.article.published.date if it.article is not None else None
    if d is None:
        return UNDATED
    return date.fromordinal(max(1, (d.toordinal() // days) * days)).isoformat()


# --- 1. near-duplicates -----------------------------------------------------------------------------


def band_entries(order: int, sig: np.ndarray | None) -> list[tuple[tuple[int, int], tuple[int, bytes]]]:
    """((band, key), (order, signature)) for each LSH band of one article."""
    if sig is None:
        return []
    raw = sig.tobytes()
    return [(bk, (order, raw)) for bk in dedup.band_keys(sig)]


def copies_in_bucket(members: Iterable[tuple[int, bytes]]) -> list[tuple[int, int]]:
    """(later, earlier) pairs of one LSH bucket whose bodies are copies by the local test."""
    ms = sorted(set(members))
    sigs = [np.frombuffer(raw, dtype=np.uint64) for _, raw in ms]
    out = []
    for j in range(1, len(ms)):
        for i in range(j):
            if dedup.is_copy(sigs[i], sigs[j]):
                out.append((ms[j][0], ms[i][0]))
    return out


def first_copies(pairs: Iterable[tuple[int, int]]) -> dict[int, int]:
    """For each copy, the first copy it goes back to (the earliest match, followed to its own first copy,
    as the local index links a copy to the first copy, never to a copy of it)."""
    earliest: dict[int, int] = {}
    for later, earlier in pairs:
        if later not in earliest or earlier < earliest[later]:
            earliest[later] = earlier
    root: dict[int, int] = {}
    for later in sorted(earliest):
        e = earliest[later]
        root[later] = root.get(e, e)
    return root


# --- 2. one block ------------------------------------------------------------------------------------


def cluster_block(
    path: str | Path, items: Iterable[AnnotatedArticle], batch_size: int = 64
) -> dict[str, int]:
    """Run the local corpus stages on one block's annotated articles (in input order) into a new store at
    `path`. Returns the ingest counts."""
    from .gazetteer import load_gazetteer
    from .linestats import repeated_lines
    from .pipeline import IngestReport, store_annotated

    gaz = load_gazetteer()  # the corpus stages need no language model
    report = IngestReport()
    store = Store(path)
    try:
        stream = iter(items)
        while batch := list(itertools.islice(stream, batch_size)):
            _, counts = repeated_lines(store.db, [x.document for x in batch])
            store_annotated(store, batch, counts, report, gaz)
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.close()
    return {"added": report.added, "duplicates": report.duplicates, "failed": len(report.failed)}


# --- 3. merge ----------------------------------------------------------------------------------------

# Tables copied row for row (their integer ids renumbered by SQLite), and tables whose rows add up.
_COPIED = {
    "sentences": None,
    "entity_mentions": "id",
    "time_mentions": "id",
    "event_mentions": "id",
    "entity_keys": None,
    "article_minhash": None,
    "minhash_bands": None,
    "article_features": None,
    "storylines": None,
    "failures": "id",
}


def _columns(db: sqlite3.Connection, table: str, schema: str = "main") -> list[str]:
    return [r[1] for r in db.execute(f"PRAGMA {schema}.table_info({table})")]


def next_seq(store: Store) -> int:
    """The sequence number after the store's last article: where a merged input's numbering starts."""
    return int(store.db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM articles").fetchone()[0])


def merge_block(store: Store, path: str | Path, order: dict[str, int], base: int) -> list[str]:
    """Copy one block's store into `store` (inside one transaction). `order` gives each article's position
    in the whole input: articles get sequence numbers `base + order` (`base` from `next_seq` before the
    first block), events the number of their first report. Returns the block's event ids."""
    db = store.db
    db.execute("ATTACH DATABASE ? AS blk", (f"file:{path}?mode=ro",))
    try:
        with store.transaction():
            # articles first (documents before them: the foreign key), in input order
            db.execute("INSERT OR IGNORE INTO documents SELECT * FROM blk.documents")
            cols = [c for c in _columns(db, "articles") if c != "seq"]
            rows = db.execute(f"SELECT {', '.join(cols)} FROM blk.articles ORDER BY seq").fetchall()
            marks = ", ".join("?" * (len(cols) + 1))
            db.executemany(
                f"INSERT INTO articles(seq, {', '.join(cols)}) VALUES ({marks})",
                [(base + order[r["id"]], *r) for r in rows],
            )
            for table, key in _COPIED.items():
                cs = [c for c in _columns(db, table) if c != key]
                db.execute(
                    f"INSERT OR IGNORE INTO {table}({', '.join(cs)}) SELECT {', '.join(cs)} FROM blk.{table}"
                )
            for term, df in db.execute("SELECT term, df FROM blk.term_df").fetchall():
                db.execute(
                    "INSERT INTO term_df(term, df) VALUES (?, ?) ON CONFLICT(term) DO UPDATE SET df = df + excluded.df",
                    (term, df),
                )
            db.execute(
                "INSERT INTO line_stats SELECT * FROM blk.line_stats WHERE true "
                "ON CONFLICT(scope, line_hash) DO UPDATE SET docs = docs + excluded.docs"
            )
            n = db.execute("SELECT value FROM blk.meta WHERE key = 'df_articles'").fetchone()
            if n:
                db.execute(
                    "INSERT INTO meta(key, value) VALUES ('df_articles', ?) ON CONFLICT(key) "
                    "DO UPDATE SET value = CAST(value AS INTEGER) + CAST(excluded.value AS INTEGER)",
                    (n[0],),
                )
            same = _entity_matches(db)
            _merge_entities(db)
            events = []
            ecols = [c for c in _columns(db, "events") if c != "seq"]
            for r in db.execute(f"SELECT {', '.join(ecols)} FROM blk.events").fetchall():
                first = json.loads(r["profile"])["articles"][0]
                seq = base + order[first]
                db.execute(
                    f"INSERT INTO events(seq, {', '.join(ecols)}) VALUES ({', '.join('?' * (len(ecols) + 1))})",
                    (seq, *r),
                )
                events.append(r["id"])
            db.execute(
                "INSERT OR IGNORE INTO event_entities(entity_id, seq, event_id) "
                "SELECT x.entity_id, e.seq, x.event_id FROM blk.event_entities x JOIN main.events e ON e.id = x.event_id"
            )
            joined: dict[str, str] = {}
            for new_id, old_id in same.items():
                new_id, old_id = _current(new_id, joined), _current(old_id, joined)
                if new_id == old_id:
                    continue
                # the one first mentioned keeps its id and name, as in a local ingest
                first = {
                    eid: db.execute(
                        "SELECT MIN(a.seq) FROM entity_mentions m JOIN articles a ON a.id = m.article_id "
                        "WHERE m.entity_id = ?",
                        (eid,),
                    ).fetchone()[0]
                    or 0
                    for eid in (new_id, old_id)
                }
                keep, drop = sorted((new_id, old_id), key=lambda e: (first[e], e))
                join_entities(db, drop, keep)
                joined[drop] = keep
    finally:
        db.execute("DETACH DATABASE blk")
    return events


def _entity_matches(db: sqlite3.Connection) -> dict[str, str]:
    """Entities of the attached block that the local resolution rule (`resolve.lookup_entity`, by normalised
    name, and for people by surname and compatible first names) finds under another id in the store."""
    same = {}
    for eid, name, etype in db.execute("SELECT id, name, type FROM blk.entities").fetchall():
        if db.execute("SELECT 1 FROM main.entities WHERE id = ?", (eid,)).fetchone():
            continue
        found = resolve.lookup_entity(db, resolve.Canon(name, etype))
        if found is not None and found != eid:
            same[eid] = found
    return same


def join_entities(db: sqlite3.Connection, drop: str, keep: str) -> None:
    """Make entity `drop` part of entity `keep`: its names become aliases, its mentions, events and the
    features that name it point to `keep`."""
    row = db.execute(
        "SELECT name, type, aliases, roles, mention_count FROM entities WHERE id = ?", (drop,)
    ).fetchone()
    if row is None or drop == keep:
        return
    ktype = db.execute("SELECT type FROM entities WHERE id = ?", (keep,)).fetchone()[0]
    for alias in [row[0], *json.loads(row[2])]:
        resolve.add_alias(db, keep, alias, ktype, alias, None)
    for role in json.loads(row[3]):
        resolve.add_alias(db, keep, row[0], ktype, row[0], role)
    db.execute("UPDATE entities SET mention_count = mention_count + ? WHERE id = ?", (row[4], keep))
    articles = [
        r[0]
        for r in db.execute("SELECT DISTINCT article_id FROM entity_mentions WHERE entity_id = ?", (drop,))
    ]
    db.execute("UPDATE entity_mentions SET entity_id = ? WHERE entity_id = ?", (keep, drop))
    events = [r[0] for r in db.execute("SELECT event_id FROM event_entities WHERE entity_id = ?", (drop,))]
    for eid in events:
        prof = _profile(db, eid)
        for attr in ("participants", "places"):
            weights: dict[str, float] = getattr(prof, attr)
            if drop in weights:
                weights[keep] = weights.get(keep, 0.0) + weights.pop(drop)
        db.execute("UPDATE events SET profile = ? WHERE id = ?", (prof.to_json(), eid))
    db.execute(
        "INSERT OR IGNORE INTO event_entities(entity_id, seq, event_id) "
        "SELECT ?, seq, event_id FROM event_entities WHERE entity_id = ?",
        (keep, drop),
    )
    db.execute("DELETE FROM event_entities WHERE entity_id = ?", (drop,))
    for aid in articles:
        feats = db.execute("SELECT features FROM article_features WHERE article_id = ?", (aid,)).fetchone()
        art = db.execute("SELECT * FROM articles WHERE id = ?", (aid,)).fetchone()
        if feats is None or art is None:
            continue
        old = pairmodel.ArticleFeatures.from_json(feats[0])
        new = pairmodel.article_features(db, art, old.type, old.date)
        db.execute("UPDATE article_features SET features = ? WHERE article_id = ?", (new.to_json(), aid))
    db.execute("DELETE FROM entity_keys WHERE entity_id = ?", (drop,))
    db.execute("DELETE FROM entities WHERE id = ?", (drop,))


def _merge_entities(db: sqlite3.Connection) -> None:
    """Entities have the same id in every block (a hash of type and canonical name): union their aliases
    and roles, add up their mentions."""
    for r in db.execute("SELECT id, name, type, aliases, roles, mention_count FROM blk.entities").fetchall():
        old = db.execute(
            "SELECT aliases, roles, mention_count FROM entities WHERE id = ?", (r[0],)
        ).fetchone()
        if old is None:
            db.execute(
                "INSERT INTO entities(id, name, type, aliases, roles, mention_count) VALUES (?,?,?,?,?,?)",
                tuple(r),
            )
            continue
        aliases = json.loads(old[0]) + [a for a in json.loads(r[3]) if a not in json.loads(old[0])]
        roles = json.loads(old[1]) + [x for x in json.loads(r[4]) if x not in json.loads(old[1])]
        db.execute(
            "UPDATE entities SET aliases = ?, roles = ?, mention_count = ? WHERE id = ?",
            (json.dumps(aliases), json.dumps(roles), old[2] + r[5], r[0]),
        )


# --- 4. stitching ------------------------------------------------------------------------------------


def _profile(db: sqlite3.Connection, eid: str) -> online.Profile:
    return online.Profile.from_json(
        db.execute("SELECT profile FROM events WHERE id = ?", (eid,)).fetchone()[0]
    )


def _current(eid: str, joined: dict[str, str]) -> str:
    while eid in joined:
        eid = joined[eid]
    return eid


def _join_link(db: sqlite3.Connection, a: str, b: str) -> float:
    """The local joining decision across a boundary: the average probability that the later event's first
    report tells the same happening as the earlier event's latest reports before it (`max_members` of the clustering settings),
    which is what `online.assign_article` computes when that report arrives."""
    seq = {e: db.execute("SELECT seq FROM events WHERE id = ?", (e,)).fetchone()[0] for e in (a, b)}
    early, late = sorted((a, b), key=lambda e: (seq[e], e))
    first = _profile(db, late).articles[0]
    members = [
        r[0]
        for r in db.execute(
            "SELECT f.features FROM articles a JOIN article_features f ON f.article_id = a.id "
            "WHERE a.event_id = ? AND a.seq < (SELECT seq FROM articles WHERE id = ?) ORDER BY a.seq DESC LIMIT ?",
            (early, first, SETTINGS.max_members),
        )
    ]
    row = db.execute("SELECT features FROM article_features WHERE article_id = ?", (first,)).fetchone()
    if row is None or not members:
        return 0.0
    feats = pairmodel.ArticleFeatures.from_json(row[0])
    ms = [pairmodel.parsed(m) for m in members]
    vocab = pairmodel.vocabulary(feats).union(*(pairmodel.vocabulary(m) for m in ms))
    idf = online.idf_map(db, sorted(vocab))
    return sum(pairmodel.probability(feats, m, idf) for m in ms) / len(ms)


def stitch(store: Store, blocks: dict[str, set[str]]) -> dict[str, int]:
    """Join what the block boundaries split. `blocks` maps each event id to the blocks it came from
    (updated as events merge). Returns how many events and storylines were joined."""
    db = store.db
    merged = stories = 0
    joined: dict[str, str] = {}  # event merged away -> the event it joined
    with store.transaction():
        # every cross-block pair the local rule would consider: candidates by participant, place and date,
        # dates compatible, the later event's first report joining the earlier event by the local rule
        links: dict[tuple[str, str], float] = {}
        for (eid,) in db.execute("SELECT id FROM events ORDER BY seq").fetchall():
            if eid not in blocks:
                continue
            prof = _profile(db, eid)
            for cand in online.candidate_events(EventRepository(db), prof, limit=SETTINGS.scored_candidates):
                pair = (min(eid, cand), max(eid, cand))
                if cand == eid or cand not in blocks or blocks[cand] & blocks[eid] or pair in links:
                    continue  # the same block already judged this pair
                if online.dates_compatible(prof, _profile(db, cand), SETTINGS.veto_days):
                    links[pair] = _join_link(db, eid, cand)
        # best pairs first (average-link agglomeration): a pair whose side has grown is judged again
        grown: set[str] = set()
        for (a, b), link in sorted(links.items(), key=lambda kv: (-kv[1], kv[0])):
            if link <= pairmodel.MODEL.threshold:
                break
            a, b = _current(a, joined), _current(b, joined)
            if a == b or blocks[a] & blocks[b]:
                continue
            if (a in grown or b in grown) and not (
                online.dates_compatible(_profile(db, a), _profile(db, b), SETTINGS.veto_days)
                and _join_link(db, a, b) > pairmodel.MODEL.threshold
            ):
                continue
            keep, _ = online.merge_events(db, a, b)
            drop = b if keep == a else a
            joined[drop] = keep
            blocks[keep] = blocks.pop(a) | blocks.pop(b)
            grown.add(keep)
            merged += 1
        before = db.execute("SELECT COUNT(*) FROM storylines").fetchone()[0]
        for eid, profile in db.execute("SELECT id, profile FROM events ORDER BY seq").fetchall():
            prof = online.Profile.from_json(profile)
            near = [
                c
                for c in online.candidate_events(EventRepository(db), prof, limit=40)
                if c != eid and c in blocks
            ]
            if any(not (blocks[c] & blocks[eid]) for c in near):
                terms = sorted(prof.terms)
                online.assign_storyline(db, eid, prof, online.idf_map(db, terms) if terms else {})
        stories = before - db.execute("SELECT COUNT(*) FROM storylines").fetchone()[0]
        # the cards of the merged store: entities and events joined across blocks change titles and places
        cards.refresh_cards(db, [r[0] for r in db.execute("SELECT id FROM events ORDER BY seq")])
    return {"events_joined": merged, "storylines_joined": stories}


def annotate_inputs(
    paths: list[str], fmt: str = "auto", as_of: str | None = None
) -> list[tuple[int, AnnotatedArticle]]:
    """(input order, annotated article) for the articles of `paths`, made in this process by the functions
    `newsloom batch` runs on its executors (same reading, same corpus-wide furniture counts); `as_of` is
    the collection time (default now)."""
    import pickle
    from collections import Counter
    from types import SimpleNamespace

    from .batch import annotate_partition, documents_of, input_files, line_key_counts
    from .store import now

    fetched = as_of or now()
    items = [d for f in input_files(paths) for d in documents_of(f, fmt, {}, fetched)]
    counts: Counter[tuple[str, str]] = Counter()
    for d in items:
        for k, n in line_key_counts(d):
            counts[k] += n
    frequent = SimpleNamespace(value={k: n for k, n in counts.items() if n >= 3})
    out = []
    seen: set[str] = set()
    for i, payload in sorted(annotate_partition(list(zip(items, range(len(items)), strict=True)), frequent)):
        kind, *rest = pickle.loads(payload)
        if (
            kind == "ok"
            and rest[0].article is not None
            and rest[0].error is None
            and rest[0].document.id not in seen
        ):
            seen.add(rest[0].document.id)
            out.append((i, rest[0]))
    return out


def run_local(
    store: Store, items: list[tuple[int, AnnotatedArticle]], days: int, workdir: str | Path
) -> dict[str, Any]:
    """The sharded corpus stages without Spark (one process runs every block in turn): for tests and for
    comparing with the local path. `items` are (input order, annotated article)."""
    pairs = []
    buckets: dict[tuple[int, int], list[tuple[int, bytes]]] = {}
    for i, it in items:
        for bk, m in band_entries(i, it.minhash):
            buckets.setdefault(bk, []).append(m)
    for ms in buckets.values():
        if len(ms) > 1:
            pairs.extend(copies_in_bucket(ms))
    roots = first_copies(pairs)
    block_at = {i: block_of(it, days) for i, it in items}
    groups: dict[str, list[tuple[int, AnnotatedArticle]]] = {}
    for i, it in items:
        groups.setdefault(block_at[roots.get(i, i)], []).append((i, it))
    order = {it.document.id: i for i, it in items}
    blocks: dict[str, set[str]] = {}
    base = next_seq(store)
    seconds = {}
    merging = 0.0
    for key in sorted(groups):
        path = Path(workdir) / f"block-{key}.db"
        t0 = time.perf_counter()
        cluster_block(path, [it for _, it in sorted(groups[key], key=lambda x: x[0])])
        seconds[key] = time.perf_counter() - t0
        t0 = time.perf_counter()
        for eid in merge_block(store, path, order, base):
            blocks[eid] = {key}
        merging += time.perf_counter() - t0
    t0 = time.perf_counter()
    joined = stitch(store, blocks)
    return {
        "blocks": len(groups),
        **joined,
        "block_seconds": seconds,
        "merge_seconds": merging,
        "stitch_seconds": time.perf_counter() - t0,
    }
