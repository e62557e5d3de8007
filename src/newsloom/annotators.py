"""Extraction and annotation beside the corpus stages: batches annotated in worker processes.

An ingest has one writer: the process that stores each batch and runs the corpus stages on it (entities,
events, storylines, cards). The per-document stages (`pipeline.process`: extraction, dates, fingerprints,
the language model) touch no store, so the next batches can be annotated in other processes while the
writer stores and clusters the batch before them. Results come back in the order the batches were sent,
so the store is the one an ingest in one process makes (`tests/test_pipeline.py`).

`Annotators(0)` runs every batch in this process, when its result is asked for: the order of work of an
ingest without workers. With workers, each loads the language model once; the writer then needs only
the gazetteer. A worker that dies (killed, out of memory) is not retried: its batch and the later ones
are annotated in this process, and the ingest goes on.
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.connection
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import NamedTuple

from .annotate import Resources, load_resources
from .model import AnnotatedArticle, Document

__all__ = ["Annotated", "Annotators", "default_workers"]

log = logging.getLogger(__name__)


class Annotated(NamedTuple):
    """A batch as it comes back."""

    articles: list[AnnotatedArticle]
    seconds: float  # what its extraction and annotation took (with loading the model, when it loaded)
    in_worker: bool


def default_workers() -> int:
    """One worker process when this process may use more than one core (the writer keeps the other),
    else none."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return 1 if cores > 1 else 0


def _leave_with_the_writer() -> None:
    """In a worker: exit when the process that started it is gone (killed without warning), instead of
    waiting for work that will not come."""
    parent = multiprocessing.parent_process()
    if parent is not None:

        def watch() -> None:
            multiprocessing.connection.wait([parent.sentinel])
            os._exit(1)

        threading.Thread(target=watch, daemon=True, name="newsloom-writer-watch").start()


def _annotate(docs: list[Document], repeated: dict[str, set[str]], res: Resources | None = None) -> Annotated:
    from .pipeline import process  # the pipeline imports this module

    t0 = time.perf_counter()
    done = list(process(docs, res or load_resources(), repeated=repeated))
    return Annotated(done, time.perf_counter() - t0, res is None)


class Annotators:
    """Annotates batches of documents, in `workers` processes beside this one (0: in this process).
    `submit` returns a function that gives the batch's result, waiting for it when needed; as many batches
    as there are workers may be in flight while the writer stores an earlier one."""

    def __init__(self, workers: int, res: Resources | None = None) -> None:
        self.workers = max(0, workers)
        self._res = res
        self._pool: ProcessPoolExecutor | None = None
        self._processes: list[multiprocessing.process.BaseProcess] = []

    def resources(self) -> Resources:
        """The language resources of this process, loaded on first use (with workers: only to take over
        from a worker that died)."""
        if self._res is None:
            self._res = load_resources()
        return self._res

    def submit(
        self, docs: list[Document], repeated: dict[str, set[str]], alone: bool = False
    ) -> Callable[[], Annotated]:
        """`alone`: the input's only batch, annotated here when no worker has started yet (nothing would
        run beside a worker to hide its start and its loading of the model)."""
        if alone and self._pool is None:
            self.workers = 0
        if self.workers:
            try:
                started = self._pool is None
                if self._pool is None:
                    before = set(multiprocessing.active_children())
                    # spawn, not fork: the writer's open database and threads stay out of the workers
                    self._pool = ProcessPoolExecutor(
                        self.workers,
                        mp_context=multiprocessing.get_context("spawn"),
                        initializer=_leave_with_the_writer,
                    )
                future = self._pool.submit(_annotate, docs, repeated)
                if started:  # the pool starts its workers on the first submit
                    self._processes = [p for p in multiprocessing.active_children() if p not in before]
                return lambda: self._result(future, docs, repeated)
            except (BrokenProcessPool, RuntimeError) as exc:
                self._give_up(exc)
        return lambda: self._here(docs, repeated)

    def _here(self, docs: list[Document], repeated: dict[str, set[str]]) -> Annotated:
        t0 = time.perf_counter()
        done = _annotate(docs, repeated, self.resources())
        return done._replace(seconds=time.perf_counter() - t0)  # loading the model counts too

    def _result(
        self, future: Future[Annotated], docs: list[Document], repeated: dict[str, set[str]]
    ) -> Annotated:
        try:
            return future.result()
        # cancelled: the pool was closed when an earlier batch found it broken
        except (BrokenProcessPool, CancelledError) as exc:
            self._give_up(exc)
            return self._here(docs, repeated)

    def _give_up(self, exc: BaseException) -> None:
        if self.workers:
            log.warning("annotation worker lost (%s): annotating in this process from here on", exc)
        self.workers = 0
        self.close()

    def close(self, wait: bool = True) -> None:
        """Stop the workers, dropping the batches not asked for; `wait`: let a worker finish the batch
        it is annotating (else it is stopped at once: an ingest stopped by an error or Ctrl-C)."""
        if self._pool is not None:
            if not wait:
                for p in self._processes:
                    p.terminate()
            self._pool.shutdown(wait=wait, cancel_futures=True)
            self._pool, self._processes = None, []

    def __enter__(self) -> Annotators:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        self.close(wait=exc_type is None)
