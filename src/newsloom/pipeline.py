"""The pipeline: per-document stages over one carrier, then corpus stages in the store.

Registration is one explicit list (`STAGES`). Each stage says what it needs from the carrier and what
it adds; `check()` verifies the order before a single document runs.
"""

from __future__ import annotations

import logging
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from . import cards, dedup, resolve
from .annotate import Resources, annotate_docs
from .annotators import Annotated, Annotators
from .clustering import online
from .errors import InputError, NewsloomError, PipelineError, internal_error
from .extract import extract, fetched_date, infer_published
from .gazetteer import Gazetteer, load_gazetteer
from .ingest import PendingURL, read_sources
from .linestats import record_lines, repeated_lines
from .model import ANNOTATED_LANGUAGES, AnnotatedArticle, Document
from .store import Store, now
from .store.articles import ArticleRepository
from .store.articles import PendingURL as StoredURL
from .store.entities import EntityRepository
from .wording import plural

__all__ = [
    "BATCH_SIZE",
    "IngestReport",
    "STAGES",
    "Stage",
    "check",
    "corpus_update",
    "finish_pending",
    "ingest",
    "ingest_items",
    "process",
    "recluster",
    "store_annotated",
    "timed",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Stage:
    name: str
    needs: frozenset[str]
    adds: frozenset[str]
    run: Callable[[Iterable[AnnotatedArticle], Resources], Iterator[AnnotatedArticle]]


def _extract_stage(items: Iterable[AnnotatedArticle], res: Resources) -> Iterator[AnnotatedArticle]:
    for it in items:
        if it.error is None:
            try:
                it.article = extract(it.document, it.repeated)
            except InputError as exc:
                it.fail("extract", exc.reason)
            except Exception as exc:  # a bad document is recorded and skipped, never fatal
                it.fail("extract", internal_error("extract", it.document.origin, exc))
        yield it


def _fingerprint_stage(items: Iterable[AnnotatedArticle], res: Resources) -> Iterator[AnnotatedArticle]:
    for it in items:
        if it.article is not None and it.error is None:
            try:
                it.minhash = dedup.signature(it.article.text)
            except Exception as exc:
                it.fail("fingerprint", internal_error("fingerprint", it.document.origin, exc))
        yield it


def _collection_date_stage(items: Iterable[AnnotatedArticle], res: Resources) -> Iterator[AnnotatedArticle]:
    """Articles whose publication date was inferred take the year the articles collected with them point
    to: of the years where an inferred weekday and date agree, the one nearest the median stated date of
    the batch (not the most recent before the collection date, which moves with the clock)."""
    items = list(items)
    stated = sorted(
        it.article.published.date
        for it in items
        if it.article is not None
        and it.error is None
        and it.article.published.date
        and not it.article.published.inferred
    )
    if stated:
        near = stated[len(stated) // 2]
        for it in items:
            art = it.article
            # only a year fixed by a weekday depends on `near`; a lower bound from a stated date does not
            if (
                art is not None
                and it.error is None
                and art.published.inferred
                and not art.published.bound_only
            ):
                try:
                    art.published = infer_published(art.text, fetched_date(it.document), near)
                except Exception as exc:
                    it.fail("extract", internal_error("date inference", it.document.origin, exc))
    yield from items


def _annotate_stage(items: Iterable[AnnotatedArticle], res: Resources) -> Iterator[AnnotatedArticle]:
    yield from annotate_docs(items, res)


STAGES: list[Stage] = [
    Stage("extract", frozenset({"document"}), frozenset({"article"}), _extract_stage),
    Stage("collection dates", frozenset({"article"}), frozenset(), _collection_date_stage),
    Stage("fingerprint", frozenset({"article"}), frozenset({"minhash"}), _fingerprint_stage),
    Stage(
        "annotate",
        frozenset({"article"}),
        frozenset({"sentences", "entities", "times", "events", "terms"}),
        _annotate_stage,
    ),
]


def check(stages: list[Stage]) -> None:
    """Raise PipelineError if a stage needs something no earlier stage adds."""
    have = {"document"}
    for st in stages:
        missing = st.needs - have
        if missing:
            raise PipelineError(f"stage {st.name!r} needs {sorted(missing)}, which no earlier stage adds")
        have |= st.adds


def process(
    docs: Iterable[Document],
    res: Resources,
    stages: list[Stage] | None = None,
    repeated: dict[str, set[str]] | None = None,
) -> Iterator[AnnotatedArticle]:
    """Run the per-document stages over documents; pure: touches no store.

    `repeated` maps a document id to the lines repeated across its site (page furniture)."""
    stages = STAGES if stages is None else stages
    check(stages)
    rep = repeated or {}
    items: Iterable[AnnotatedArticle] = (AnnotatedArticle(d, repeated=rep.get(d.id, set())) for d in docs)
    for st in stages:
        items = st.run(items, res)
    yield from items


@dataclass
class IngestReport:
    added: int = 0
    duplicates: int = 0  # copies of articles already stored (same content or same body)
    already_stored: int = 0  # documents ingested before (idempotent re-ingest)
    failed: list[tuple[str, str]] = field(default_factory=list)
    non_english: int = 0
    pending: list[str] = field(default_factory=list)  # feed entries that only link to their article

    def summary(self) -> str:
        lines = [
            f"{plural(self.added, 'article')} added, {plural(self.duplicates, 'duplicate')} linked to an earlier copy, "
            f"{self.already_stored} already stored, {len(self.failed)} failed"
        ]
        if self.non_english:
            lines.append(
                f"{plural(self.non_english, 'article')} not in English: stored and flagged, not annotated"
            )
        if self.pending:
            lines.append(
                f"{plural(len(self.pending), 'feed entry', 'feed entries')} without the article's text: "
                "listed as pending URLs ('newsloom pending')"
            )
        for origin, reason in self.failed[:50]:
            lines.append(f"  failed: {origin}: {reason}")
        if len(self.failed) > 50:
            lines.append(f"  ... and {len(self.failed) - 50} more failures (see 'newsloom failures')")
        return "\n".join(lines)


def _store_documents(
    store: Store, done: list[AnnotatedArticle], line_counts: dict[tuple[str, str], int], report: IngestReport
) -> dict[str, tuple[str, bool]]:
    """Store one batch's annotated documents (inside the caller's transaction), each whole or not at all;
    returns the stored articles' ids -> (origin, whether a duplicate)."""
    record_lines(store.db, line_counts)
    added: dict[str, tuple[str, bool]] = {}
    for it in done:
        if it.error is not None or it.article is None:
            reason = it.error or "no article"
            report.failed.append((it.document.origin, reason))
            store.add_failure(it.document.origin, reason, it.failed_stage or "extract")
            continue
        if store.known_documents([it.document.id]):
            report.already_stored += 1  # stored meanwhile by another ingest into the same database
            continue
        try:
            with store.savepoint():
                it.article.duplicate_of = dedup.find_near_duplicate(store.db, it.minhash)
                duplicate = store.add_article(it)
                if not duplicate:
                    dedup.index(store.db, it.article.document_id, it.minhash)
                if it.article.url:
                    ArticleRepository(store.db).drop_pending_url(it.article.url)
        except Exception as exc:
            reason = internal_error("store", it.document.origin, exc)
            report.failed.append((it.document.origin, reason))
            store.add_failure(it.document.origin, reason, "store")
            continue
        if it.article.language not in ANNOTATED_LANGUAGES:
            report.non_english += 1
        if duplicate:
            report.duplicates += 1
        else:
            report.added += 1
        added[it.article.document_id] = (it.document.origin, bool(duplicate))
    return added


def store_annotated(
    store: Store,
    done: list[AnnotatedArticle],
    line_counts: dict[tuple[str, str], int],
    report: IngestReport,
    gaz: Gazetteer,
    timings: dict[str, float] | None = None,
) -> None:
    """Store one batch of annotated documents and run the corpus stages on it, in one transaction.
    The local ingest and `newsloom batch` (after Spark has annotated) both end here. `timings`, when
    given, adds up the seconds of storing and of each corpus stage (see `corpus_update`)."""
    with store.transaction():
        with timed(timings, "storing"):
            added = _store_documents(store, done, line_counts, report)
        for aid, reason in corpus_update(store, list(added), gaz, timings=timings):
            origin, was_duplicate = added[aid]
            report.failed.append((origin, reason))
            if was_duplicate:
                report.duplicates -= 1
            else:
                report.added -= 1
            store.add_failure(origin, reason, "corpus")


def _add_seconds(timings: dict[str, float] | None, step: str, seconds: float) -> None:
    """Add `seconds` to `timings[step]` (nothing when `timings` is None)."""
    if timings is not None:
        timings[step] = timings.get(step, 0.0) + seconds


@contextmanager
def timed(timings: dict[str, float] | None, step: str) -> Iterator[None]:
    """`with timed(timings, "events"): ...` adds the block's seconds to `timings["events"]` (nothing when
    `timings` is None): how the corpus stages and `newsloom batch` report where their time goes."""
    t0 = time.perf_counter()
    try:
        yield
    finally:
        _add_seconds(timings, step, time.perf_counter() - t0)


def corpus_update(
    store: Store,
    article_ids: list[str],
    gaz: Gazetteer,
    *,
    remove_failed: bool = True,
    timings: dict[str, float] | None = None,
) -> list[tuple[str, str]]:
    """Resolve entities and cluster events for stored articles (inside the caller's transaction). The
    corpus stages need the gazetteer, not the language models.

    Each article's corpus work lands whole or not at all: an article the corpus stages fail on is returned
    with the reason, and the others go on. A new article that fails is removed (`remove_failed`, the
    ingest's case: ingesting it again retries it); an article stored before (a rebuild, a resumed ingest)
    stays stored and waiting, and the next command that finishes pending work retries it. `timings`, when
    given, adds up the seconds of each stage (entities, events, refinement, cards)."""
    db = store.db
    batch = online.Batch()
    failed: list[tuple[str, str]] = []
    assigned = 0
    articles = ArticleRepository(db)
    for aid in article_ids:
        row = articles.get(aid)
        if row is None or row["clustered"]:
            continue
        if row["language"] not in ANNOTATED_LANGUAGES:
            articles.mark_clustered(aid)  # stored and flagged only
            continue
        links = [set(g) for g in batch.links]
        try:
            with store.savepoint():
                with timed(timings, "entities"):
                    resolve.resolve_article(db, aid, row["text"], gaz, row["title"] or "")
                with timed(timings, "events"):
                    online.assign_article(db, row, batch)
            assigned += 1
        except Exception as exc:
            batch.links = links
            failed.append((aid, internal_error("corpus stages", row["source"] or aid, exc)))
            if remove_failed:
                store.remove_article(aid)
    if not assigned:
        # Nothing new was clustered (every input of the batch stored before, or failed): refinement,
        # which also works on the groups carried from the batch before, runs once per batch that added
        # articles, so that a resumed ingest refines exactly as an uninterrupted one.
        return failed
    try:
        with store.savepoint("refine"), timed(timings, "refinement"):
            online.refine(db, batch)
    except Exception as exc:  # refinement only improves assignments already made: keep them
        internal_error("event refinement", f"a batch of {len(article_ids)} articles", exc)
    try:
        with store.savepoint("cards"), timed(timings, "cards"):
            # a card is made from its event's reports: those the batch's reports joined, or refinement changed
            touched = articles.events_of(article_ids) | batch.changed
            cards.refresh_cards(db, sorted(e for e in touched if e))
    except Exception as exc:  # the cards' titles and places are shown; the events stay as they are
        internal_error("event cards", f"a batch of {len(article_ids)} articles", exc)
    return failed


# Articles per ingest batch. Events are refined once per batch, so the batch size shapes them a little:
# a rebuild (`recluster`) goes through the stored articles in batches of the same size, and gives the
# events an ingest of the same articles in the same order gave.
BATCH_SIZE = 64


def finish_pending(store: Store, gaz: Gazetteer | None = None) -> int:
    """Complete the corpus stages for articles stored but not yet clustered (after a crash, or all of them
    after `recluster`), in batches of BATCH_SIZE, as ingest does."""
    rows = ArticleRepository(store.db).unclustered()
    pending, source = [r[0] for r in rows], dict(rows)
    gaz = gaz or load_gazetteer()
    for i in range(0, len(pending), BATCH_SIZE):
        with store.transaction():
            for aid, reason in corpus_update(store, pending[i : i + BATCH_SIZE], gaz, remove_failed=False):
                store.add_failure(source[aid] or aid, reason, "corpus")
    return len(pending)


def ingest(
    store: Store,
    paths: list[str],
    fmt: str = "auto",
    hints: dict[str, str] | None = None,
    res: Resources | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], Any] | None = None,
    allow_private: bool = False,
    as_of: str | None = None,
    timings: dict[str, float] | None = None,
    workers: int = 0,
) -> IngestReport:
    """Ingest files and directories into the store: extract, annotate, resolve, cluster.

    Idempotent (documents already stored are skipped) and transactional per batch. `as_of` (an ISO
    date or time) is when the inputs were collected, stored with each document; default now. `timings`,
    when given, adds up the seconds of each step; `workers`: processes annotating beside this one
    (`ingest_items`).
    """
    items = read_sources(paths, fmt, hints, allow_private=allow_private, as_of=as_of)
    return ingest_items(store, items, res, batch_size, progress, timings, workers)


def ingest_items(
    store: Store,
    items: Iterable[Document | PendingURL | NewsloomError],
    res: Resources | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], Any] | None = None,
    timings: dict[str, float] | None = None,
    workers: int = 0,
) -> IngestReport:
    """Ingest documents already read (with the problems and pending URLs met reading them).

    `workers`: how many processes annotate the next batches while this one stores and clusters (see
    `annotators`; the command line starts one where more than one core is free,
    `annotators.default_workers`). Workers are started by spawning: a script that calls this with
    workers must guard its own work with `if __name__ == "__main__":`. An input of one batch is
    annotated here.
    The store is the same either way. `timings`, when given, adds up the seconds of extraction and
    annotation (with the language model, wherever it ran), of waiting for it, of storing, and of each
    corpus stage: where an ingest's time goes (`benchmarks/throughput.py`)."""
    report = IngestReport()
    finish_pending(store)
    batch: list[Document] = []
    seen: set[str] = set()
    annotators = Annotators(workers, res)
    # batches sent to be annotated and not stored yet: (documents, their line counts, their result)
    in_flight: deque[tuple[int, dict[tuple[str, str], int], Callable[[], Annotated]]] = deque()
    unrecorded: Counter[tuple[str, str]] = Counter()  # the line counts of those batches

    def store_next() -> None:
        n, line_counts, result = in_flight.popleft()
        t0 = time.perf_counter()
        done = result()
        _add_seconds(timings, "extraction and annotation", done.seconds)
        if done.in_worker:  # the seconds this process waited for it
            _add_seconds(timings, "waiting for annotation", time.perf_counter() - t0)
        gaz = res.gazetteer if res is not None else load_gazetteer()
        store_annotated(store, done.articles, line_counts, report, gaz, timings)
        unrecorded.subtract(line_counts)
        for key in line_counts:
            if not unrecorded[key]:
                del unrecorded[key]
        if progress:
            progress(n)

    def flush(last: bool) -> None:
        """Send the batch to be annotated, then store the batches that may not wait longer (at the
        input's end: all)."""
        known = store.known_documents(d.id for d in batch)
        todo = [d for d in batch if d.id not in known]
        report.already_stored += len(batch) - len(todo)
        if todo:
            repeated, line_counts = repeated_lines(store.db, todo, unrecorded)
            unrecorded.update(line_counts)
            result = annotators.submit(todo, repeated, alone=last and not in_flight)
            in_flight.append((len(batch), line_counts, result))
        elif batch and progress:
            progress(len(batch))
        batch.clear()
        while len(in_flight) > (0 if last else annotators.workers):
            store_next()

    with annotators:
        for item in items:
            if isinstance(item, PendingURL):
                report.pending.append(item.url)
                with store.transaction():
                    ArticleRepository(store.db).add_pending_url(
                        StoredURL(item.url, item.title, item.origin, item.published or None, now())
                    )
                continue
            if isinstance(item, NewsloomError):
                origin = getattr(item, "source", "input")
                reason = getattr(item, "reason", str(item))
                report.failed.append((origin, reason))
                with store.transaction():
                    store.add_failure(origin, reason)
                if progress:
                    progress(1)
                continue
            if item.id in seen:
                report.already_stored += 1
                continue
            seen.add(item.id)
            batch.append(item)
            if len(batch) >= batch_size:
                flush(last=False)
        flush(last=True)
    return report


def recluster(store: Store) -> int:
    """Rebuild entities' event links, events and storylines from the stored articles, in insertion order.
    Needs no language model: the stored annotations are reused."""
    with store.transaction() as db:
        online.reset(db)
        EntityRepository(db).reset()
    return finish_pending(store)
