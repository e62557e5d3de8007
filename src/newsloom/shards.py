"""Corpus stages by time blocks: how `newsloom batch --corpus sharded` runs them on many machines.

The local corpus stages (near-duplicates, entity resolution, event clustering, storylines) are incremental
and have one writer. To spread them, the input is cut into independent pieces, each piece runs those same
stages, and the pieces are joined with the same decisions:

1. Near-duplicates over the whole input: articles whose MinHash band keys (`dedup.band_keys`, the local
   index's own keys) collide are candidate pairs; a pair is a copy when `dedup.is_copy` says so, the test
   the local index applies. A copy travels to the block of its first copy.
2. Blocks: articles are grouped by a time window of their publication date (`block_of`). Each block runs
   `pipeline.store_annotated`, the local ingest's final step, into its own store, in input order; inside a
   block, event candidates come from the local index by participant, place and date. A time block of
   more than `block_articles` articles (a busy day) is cut further by the names its articles share
   (`blocking_keys`, `cut_block`: articles sharing a rare name stay together). When the input is
   cut into several blocks, each weighs terms by the document frequencies of the whole input (and of the
   store it goes into: `input_frequencies`, `with_stored`), as the local path weighs them at the input's
   end, not by its own few articles (in which every term looks rare). An article with no
   publication date has no block: it may report any day's happening, so it is compared with all of them,
   on the driver after stitching (5.).
3. Merge (`merge_block`): the block stores are copied into one store; articles keep the input order,
   events the order of their first report; entities that the local resolution rule finds under two names
   (spelling variants first seen in different blocks) become one, named as first seen.
4. Stitching (`stitch`): two events from different blocks merge when the local rule would have put the
   later one's first report into the earlier one: dates compatible, and that report's average probability
   (the pairwise model of `clustering.pairmodel`) over the earlier event's latest reports above the threshold at which
   a report joins an event (`_join_link`); best pairs first. Then the local refinement (`online.refine`)
   re-clusters the reports of each pair across a boundary that came close (`refine_link`), block by block
   in time, as a local batch does with the events its reports came close to. Then every event with a
   related earlier event in other blocks goes through the local storyline rule, linking to those events
   only (as in a local ingest, an event links to the events before it; in a block they share, the rule
   has run); every report then carries its event's storyline.
5. Undated articles (`UNDATED`) go through the local corpus stages on the merged store (`add_annotated`),
   in input order, as a local ingest would take them.

Everything here is plain SQLite and Python: Spark (`batch.py`) only decides where each block runs.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
import time
from collections import Counter
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from . import cards, dedup, resolve
from .clustering import online, pairmodel
from .clustering.config import SETTINGS
from .model import ANNOTATED_LANGUAGES, AnnotatedArticle
from .store import Store
from .store.articles import ArticleRepository
from .store.entities import EntityRepository
from .store.events import EventRepository
from .store.merge import BlockCopy

__all__ = [
    "BLOCKS_MANIFEST",
    "UNDATED",
    "add_annotated",
    "add_undated",
    "annotate_inputs",
    "band_entries",
    "block_of",
    "blocking_keys",
    "cluster_block",
    "copies_in_bucket",
    "counted_terms",
    "cut_block",
    "first_copies",
    "input_frequencies",
    "join_entities",
    "merge_block",
    "merge_blocks",
    "next_seq",
    "part_key",
    "run_local",
    "stitch",
    "with_stored",
]

UNDATED = "undated"
Frequencies = tuple[int, dict[str, int]]  # articles counted, and the articles using each term
BLOCKS_MANIFEST = "blocks.json"  # what `run_local` leaves beside its blocks for the driver's part


def block_of(it: AnnotatedArticle, days: int) -> str:
    """The time block of an article: the first day of its `days`-long window of publication."""
    d = it.article.published.date if it.article is not None else None
    if d is None:
        return UNDATED
    return date.fromordinal(max(1, (d.toordinal() // days) * days)).isoformat()


_KEY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC"})


def blocking_keys(it: AnnotatedArticle) -> list[str]:
    """The names an article mentions (people, organisations, places), lowercased: two articles that share
    one may report one happening, so a cut block keeps them together where it can."""
    return sorted({" ".join(e.text.lower().split()) for e in it.entities if e.label in _KEY_LABELS})


def cut_block(entries: list[tuple[int, list[str]]], bound: int) -> dict[int, int]:
    """Cut one time block of (input order, `blocking_keys`) into parts of at most `bound` articles:
    articles sharing a name are joined, rarest names first (the strongest evidence), unless the join
    would make a part larger than `bound` (a name that common is left to stitching); the parts are then
    packed, in order of their first article, into blocks of at most `bound`. Returns each article's block
    number (all 0 when the block is within the bound)."""
    if len(entries) <= bound:
        return {o: 0 for o, _ in entries}
    parent = {o: o for o, _ in entries}
    size = dict.fromkeys(parent, 1)

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    having: dict[str, list[int]] = {}
    for o, keys in entries:
        for k in set(keys):
            having.setdefault(k, []).append(o)
    for k in sorted(having, key=lambda k: (len(having[k]), k)):
        members = having[k]
        if len(members) > bound:
            break  # every name after this one is as common or more
        roots = {find(o) for o in members}
        if len(roots) < 2 or sum(size[r] for r in roots) > bound:
            continue
        first = min(roots)
        for r in roots - {first}:
            parent[r] = first
            size[first] += size[r]
    parts: dict[int, list[int]] = {}
    for o, _ in sorted(entries):
        parts.setdefault(find(o), []).append(o)
    out: dict[int, int] = {}
    n = filled = 0
    for members in sorted(parts.values(), key=lambda m: m[0]):
        if filled and filled + len(members) > bound:
            n, filled = n + 1, 0
        out.update(dict.fromkeys(members, n))
        filled += len(members)
    return out


def part_key(block: str, n: int) -> str:
    """The key of part `n` of a cut time block (sorts after the block's own key, in order of parts)."""
    return f"{block}.{n:05d}"


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


def add_annotated(store: Store, items: Iterable[AnnotatedArticle], batch_size: int = 64) -> dict[str, int]:
    """Run the local corpus stages on annotated articles (in input order) into `store`, in batches as an
    ingest does. Returns the ingest counts."""
    from .gazetteer import load_gazetteer
    from .linestats import repeated_lines
    from .pipeline import IngestReport, store_annotated

    gaz = load_gazetteer()  # the corpus stages need no language model
    report = IngestReport()
    stream = iter(items)
    while batch := list(itertools.islice(stream, batch_size)):
        _, counts = repeated_lines(store.db, [x.document for x in batch])
        store_annotated(store, batch, counts, report, gaz)
    return {"added": report.added, "duplicates": report.duplicates, "failed": len(report.failed)}


def add_undated(store: Store, items: list[tuple[int, AnnotatedArticle]], base: int) -> dict[str, int]:
    """Step 5: the undated articles (input order, article) through the local corpus stages on the merged
    store, then numbered by their place in the input (`base + order`, as `merge_block` numbers the
    blocks' articles), so that lists read in the local ingest's order."""
    items = sorted(items, key=lambda x: x[0])
    counts = add_annotated(store, [it for _, it in items])
    with store.transaction():
        ArticleRepository(store.db).renumber({it.document.id: base + i for i, it in items})
    return counts


def counted_terms(it: AnnotatedArticle) -> list[str] | None:
    """What the article adds to the document frequencies when the corpus stages cluster it (None: it is
    not clustered)."""
    if it.error is not None or it.article is None or it.article.language not in ANNOTATED_LANGUAGES:
        return None
    return pairmodel.counted_keys(it.terms, it.article.title or "", it.article.text)


def input_frequencies(items: Iterable[AnnotatedArticle]) -> Frequencies:
    """The document frequencies of the articles (not their copies) that the blocks will cluster: what the
    local path has counted when it has taken the whole input."""
    n, counts = 0, Counter[str]()
    for it in items:
        keys = counted_terms(it)
        if keys is not None:
            n += 1
            counts.update(keys)
    return n, dict(counts)


def with_stored(store: Store, frequencies: Frequencies) -> Frequencies:
    """The input's frequencies plus those of the articles the store holds already: by what a block weighs
    terms (each block then weighs them as the local path weighs them at the end of the input)."""
    repo = EventRepository(store.db)
    n, counts = frequencies
    stored = repo.document_frequencies(sorted(counts))
    return n + repo.articles_counted(default=0), {t: c + stored.get(t, 0) for t, c in counts.items()}


def _block_vocabulary(items: list[AnnotatedArticle]) -> set[str]:
    """Every key a block's comparisons look up in the frequencies: counted terms, names and numbers."""
    out: set[str] = set()
    for it in items:
        if (keys := counted_terms(it)) is not None and it.article is not None:
            out.update(keys, pairmodel.names(f"{it.article.title}\n{it.article.text}"))
    return out


def cluster_block(
    path: str | Path,
    items: Iterable[AnnotatedArticle],
    batch_size: int = 64,
    frequencies: Frequencies | None = None,
) -> dict[str, int]:
    """Run the local corpus stages on one block's annotated articles (in input order) into a new store at
    `path`, weighing terms by `frequencies` (`input_frequencies`) when given, else by the block's own
    articles. Returns the ingest counts."""
    store = Store(path)
    try:
        if frequencies is not None:
            items = list(items)
            n, df = frequencies
            used = _block_vocabulary(items)
            with store.transaction():
                EventRepository(store.db).fix_document_frequencies(
                    n, {t: c for t, c in df.items() if t in used}
                )
        counts = add_annotated(store, items, batch_size)
        store.checkpoint()
    finally:
        store.close()
    return counts


# --- 3. merge ----------------------------------------------------------------------------------------


def next_seq(store: Store) -> int:
    """The sequence number after the store's last article: where a merged input's numbering starts."""
    return ArticleRepository(store.db).next_seq()


def merge_block(store: Store, path: str | Path, order: dict[str, int], base: int) -> list[str]:
    """Copy one block's store into `store` (inside one transaction). `order` gives each article's position
    in the whole input: articles get sequence numbers `base + order` (`base` from `next_seq` before the
    first block), events the number of their first report. Returns the block's event ids."""
    db = store.db
    with BlockCopy(db).attached(path) as block, store.transaction():
        block.copy_articles(order, base)  # articles first, in input order
        same = _entity_matches(db, block)
        block.merge_entities()
        events = block.copy_events(order, base)
        joined: dict[str, str] = {}
        entities = EntityRepository(db)
        for new_id, old_id in same.items():
            new_id, old_id = _current(new_id, joined), _current(old_id, joined)
            if new_id == old_id:
                continue
            # the one first mentioned keeps its id and name, as in a local ingest
            keep, drop = sorted((new_id, old_id), key=lambda e: (entities.first_mentioned(e), e))
            join_entities(db, drop, keep)
            joined[drop] = keep
    return events


def _entity_matches(db: sqlite3.Connection, block: BlockCopy) -> dict[str, str]:
    """Entities of the attached block that the local resolution rule (`resolve.lookup_entity`, by normalised
    name, and for people by surname and compatible first names) finds under another id in the store."""
    same = {}
    read = resolve.PeopleRead()  # nothing is written while they are looked up
    for eid, name, etype in block.new_entities():
        found = resolve.lookup_entity(db, resolve.Canon(name, etype), read)
        if found is not None and found != eid:
            same[eid] = found
    return same


def join_entities(db: sqlite3.Connection, drop: str, keep: str) -> None:
    """Make entity `drop` part of entity `keep`: its names become aliases, its mentions, events and the
    features that name it point to `keep`."""
    entities, events = EntityRepository(db), EventRepository(db)
    ktype, dtype = entities.type_of(keep), entities.type_of(drop)
    if drop == keep or ktype is None or dtype is None:
        return
    gone = entities.names(drop)
    for alias in [gone.name, *gone.aliases]:
        resolve.add_alias(db, keep, alias, ktype, alias, None)
    for role in gone.roles:
        resolve.add_alias(db, keep, gone.name, ktype, gone.name, role)
    articles, naming = entities.move_mentions(drop, keep)
    for eid in naming:
        prof = _profile(db, eid)
        for attr in ("participants", "places"):
            weights: dict[str, float] = getattr(prof, attr)
            if drop in weights:
                weights[keep] = weights.get(keep, 0.0) + weights.pop(drop)
        events.set_profile(eid, prof.to_json())
    stored = events.features(articles)
    rows = ArticleRepository(db).by_ids(articles) if ktype != dtype else {}
    for aid in articles:
        if aid not in stored:
            continue
        old = pairmodel.ArticleFeatures.from_json(stored[aid])
        if ktype == dtype:  # the same lists, `keep` where `drop` was
            old.replace_entity(drop, keep)
            events.store_features(aid, old.to_json())
        elif aid in rows:  # the mentions change list (a person found to be a place): made again
            events.store_features(
                aid, pairmodel.article_features(db, rows[aid], old.type, old.date).to_json()
            )
    entities.delete(drop)


# --- 4. stitching ------------------------------------------------------------------------------------


def _profile(db: sqlite3.Connection, eid: str) -> online.Profile:
    return online.Profile.from_json(EventRepository(db).profile(eid) or "{}")


def _current(eid: str, joined: dict[str, str]) -> str:
    while eid in joined:
        eid = joined[eid]
    return eid


def _join_link(db: sqlite3.Connection, a: str, b: str, idf_cache: online.Batch) -> float:
    """The local joining decision across a boundary: the average probability that the later event's first
    report tells the same happening as the earlier event's latest reports before it (`max_members` of the clustering settings),
    which is what `online.assign_article` computes when that report arrives. `idf_cache` keeps the idf of
    the terms already looked up (stitching counts no new article, so one map serves it all)."""
    repo = EventRepository(db)
    early, late = sorted((a, b), key=lambda e: (repo.seq(e), e))
    first = _profile(db, late).articles[0]
    members = repo.features_before(early, first, SETTINGS.max_members)
    row = repo.features([first]).get(first)
    if row is None or not members:
        return 0.0
    feats = pairmodel.ArticleFeatures.from_json(row)
    ms = [pairmodel.parsed(m) for m in members]
    idf = idf_cache.idf_for_reports(db, [feats, *ms])
    return sum(pairmodel.probability(feats, m, idf) for m in ms) / len(ms)


def stitch(
    store: Store, blocks: dict[str, set[str]], frequencies: Frequencies | None = None
) -> dict[str, int]:
    """Join what the block boundaries split. `blocks` maps each event id to the blocks it came from
    (changed in place as events merge); `frequencies`: the input's, when the blocks weighed terms by them (and so
    counted none of their articles). Returns how many events and storylines were joined."""
    db = store.db
    merged = stories = 0
    joined: dict[str, str] = {}  # event merged away -> the event it joined
    with store.transaction():
        if frequencies is not None:
            EventRepository(db).add_document_frequencies(*frequencies)
        # every cross-block pair the local rule would consider: candidates by participant, place and date,
        # dates compatible, the later event's first report joining the earlier event by the local rule
        links: dict[tuple[str, str], float] = {}
        idf_cache = online.Batch()
        repo = EventRepository(db)
        at_start = {e: set(bs) for e, bs in blocks.items()}
        block_of_report = {a: b for eid, bs in blocks.items() for a in _profile(db, eid).articles for b in bs}
        for eid in repo.ids():
            if eid not in blocks:
                continue
            prof = _profile(db, eid)
            for cand in online.candidate_events(EventRepository(db), prof, limit=SETTINGS.scored_candidates):
                pair = (min(eid, cand), max(eid, cand))
                if cand == eid or cand not in blocks or blocks[cand] & blocks[eid] or pair in links:
                    continue  # the same block already judged this pair
                if online.dates_compatible(prof, _profile(db, cand), SETTINGS.veto_days):
                    links[pair] = _join_link(db, eid, cand, idf_cache)
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
                and _join_link(db, a, b, idf_cache) > pairmodel.MODEL.threshold
            ):
                continue
            keep, _ = online.merge_events(db, a, b)
            drop = b if keep == a else a
            joined[drop] = keep
            blocks[keep] = blocks.pop(a) | blocks.pop(b)
            grown.add(keep)
            merged += 1
        # then the local refinement: each pair across a boundary that came close (`refine_link`) has the
        # reports of both sides re-clustered together, block by block in time, as a local batch has the
        # events its reports came close to re-clustered
        close: dict[str, list[set[str]]] = {}
        for (a, b), link in links.items():
            later = max(min(at_start[a]), min(at_start[b]))
            a, b = _current(a, joined), _current(b, joined)
            if a != b and link > SETTINGS.refine_link:
                close.setdefault(later, []).append({a, b})
        for key in sorted(close):
            online.refine(db, online.Batch(links=close[key]))
        if close:  # reports may have moved, events may be new or gone
            blocks = {
                eid: {block_of_report[a] for a in _profile(db, eid).articles if a in block_of_report}
                for eid in repo.ids()
            }
        before = repo.storyline_count()
        place = {eid: i for i, eid in enumerate(repo.ids())}  # creation order; storylines do not change it
        for eid, profile in repo.profiles():
            prof = online.Profile.from_json(profile)
            near = [
                c
                for c in online.candidate_events(EventRepository(db), prof, limit=40)
                if c != eid and c in blocks
            ]
            # as in a local ingest, an event links to the events before it; in a block they share, the rule ran
            earlier = {c for c in near if not (blocks[c] & blocks[eid]) and place[c] < place[eid]}
            if earlier:
                online.assign_storyline(db, eid, prof, idf_cache.idf_for(db, prof.terms), among=earlier)
        stories = before - repo.storyline_count()
        repo.align_article_storylines()  # the reports of events merged above carry their storyline
        # the cards of the merged store: entities and events joined across blocks change titles and places
        cards.refresh_cards(db, repo.ids())
    return {"events_joined": merged, "storylines_joined": stories}


def annotate_inputs(
    paths: list[str], fmt: str = "auto", as_of: str | None = None
) -> list[tuple[int, AnnotatedArticle]]:
    """(input order, annotated article) for the articles of `paths`, made in this process by the functions
    `newsloom batch` runs on its executors (same reading, same corpus-wide furniture counts); `as_of` is
    the collection time (default now)."""
    import pickle
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
    store: Store,
    items: list[tuple[int, AnnotatedArticle]],
    days: int,
    workdir: str | Path,
    block_articles: int | None = None,
) -> dict[str, Any]:
    """The sharded corpus stages without Spark (one process runs every block in turn): for tests and for
    comparing with the local path. `items` are (input order, annotated article); a time block of more
    than `block_articles` articles (default: the clustering setting) is cut (`cut_block`). The blocks and
    their manifest stay in `workdir` (`merge_blocks` can merge them again)."""
    bound = block_articles or SETTINGS.block_articles
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
    undated = groups.pop(UNDATED, [])
    for key in [k for k, g in groups.items() if len(g) > bound]:
        cut = cut_block([(i, blocking_keys(it)) for i, it in groups[key] if i not in roots], bound)
        for i, it in groups.pop(key):  # a copy goes where its first copy goes
            groups.setdefault(part_key(key, cut[roots.get(i, i)]), []).append((i, it))
    order = {it.document.id: i for i, it in items}
    base = next_seq(store)
    seconds = {}
    # one block is the local path; several weigh terms as the local path does at the end of the input
    frequencies = input_frequencies(it for g in groups.values() for i, it in g if i not in roots)
    weights = with_stored(store, frequencies) if len(groups) > 1 else None
    for key in sorted(groups):
        t0 = time.perf_counter()
        cluster_block(
            _block_path(workdir, key),
            [it for _, it in sorted(groups[key], key=lambda x: x[0])],
            frequencies=weights,
        )
        seconds[key] = time.perf_counter() - t0
    manifest = {
        "blocks": sorted(groups),
        "order": order,
        "base": base,
        "frequencies": frequencies if weights else None,
    }
    (Path(workdir) / BLOCKS_MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    joined = merge_blocks(store, workdir)
    t0 = time.perf_counter()
    add_undated(store, undated, base)
    return {
        "blocks": len(groups),
        **joined,
        "block_seconds": seconds,
        "undated": len(undated),
        "undated_seconds": time.perf_counter() - t0,
    }


def _block_path(workdir: str | Path, key: str) -> Path:
    return Path(workdir) / f"block-{key}.db"


def merge_blocks(store: Store, workdir: str | Path) -> dict[str, Any]:
    """The driver's part of `run_local`: merge the blocks it left in `workdir` (listed in its manifest,
    `BLOCKS_MANIFEST`) into `store` one after another, then stitch them. Run again on kept blocks, it
    measures the driver alone (`benchmarks/scale.py --replay`). Returns what `stitch` joined and the
    seconds of each step."""
    manifest = json.loads((Path(workdir) / BLOCKS_MANIFEST).read_text(encoding="utf-8"))
    order, base = manifest["order"], manifest["base"]
    frequencies = manifest["frequencies"]
    blocks: dict[str, set[str]] = {}
    t0 = time.perf_counter()
    for key in manifest["blocks"]:
        for eid in merge_block(store, _block_path(workdir, key), order, base):
            blocks[eid] = {key}
    merging = time.perf_counter() - t0
    t0 = time.perf_counter()
    joined = stitch(store, blocks, (frequencies[0], frequencies[1]) if frequencies else None)
    return {**joined, "merge_seconds": merging, "stitch_seconds": time.perf_counter() - t0}
