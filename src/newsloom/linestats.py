"""Lines repeated across many articles of one site: its furniture (site names, widgets, footers).

Counted per scope (the outlet when known, else the folder a file came from) across everything ingested
so far, in the store, so that the statistic improves as a site's articles accumulate.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections import defaultdict
from collections.abc import Mapping

from . import jsonl
from .model import Document
from .store.linestats import LineStats
from .textclean import looks_like_sentence, norm_line

__all__ = ["MAX_LINE", "MIN_DOCS", "line_keys", "record_lines", "repeated_lines", "repeated_of", "scope_of"]

MIN_DOCS = 3  # a line in at least this many documents of a scope is furniture (at the head or tail)
MAX_LINE = 200


def scope_of(doc: Document) -> str:
    if doc.hints.get("outlet"):
        return "outlet:" + doc.hints["outlet"].lower()
    if doc.media_type == "application/x-jsonl-record":
        try:
            rec = json.loads(doc.content)
            outlet = jsonl.fields(rec).get("outlet") if isinstance(rec, dict) else None
            if outlet:
                return "outlet:" + str(outlet).lower()
        except ValueError:
            pass
    origin = doc.origin.split("#")[0]
    origin = origin.rsplit(":", 1)[0] if origin.rsplit(":", 1)[-1].isdigit() else origin
    return "dir:" + os.path.dirname(os.path.abspath(origin))


def _lines(doc: Document) -> set[str]:
    try:
        if doc.media_type == "application/x-jsonl-record":
            rec = json.loads(doc.content)
            text = str(jsonl.fields(rec).get("text") or "") if isinstance(rec, dict) else ""
        elif doc.media_type == "text/plain":
            text = doc.content.decode("utf-8", errors="replace")
        else:
            return set()
    except ValueError:
        return set()
    out = set()
    for raw in text.splitlines():
        line = norm_line(raw)
        if line and len(line) <= MAX_LINE:
            out.add(line.lower())
    return out


def _key(line: str) -> str:
    return hashlib.blake2b(line.encode(), digest_size=12).hexdigest()


def repeated_lines(
    db: sqlite3.Connection, docs: list[Document], unrecorded: Mapping[tuple[str, str], int] | None = None
) -> tuple[dict[str, set[str]], dict[tuple[str, str], int]]:
    """For each document id, its lines repeated across its scope (counting this batch, the store and
    `unrecorded`: the counts of earlier batches not stored yet, still being annotated), and the batch's
    own counts, to be recorded with `record_lines` in the batch's transaction."""
    per_doc = {d.id: (scope_of(d), _lines(d)) for d in docs}
    batch: dict[tuple[str, str], int] = defaultdict(int)
    for scope, lines in per_doc.values():
        for line in lines:
            batch[(scope, _key(line))] += 1
    total: dict[tuple[str, str], int] = {}
    stats = LineStats(db)
    for (scope, key), n in batch.items():
        total[(scope, key)] = (
            stats.docs(scope, key) + n + (unrecorded.get((scope, key), 0) if unrecorded else 0)
        )
    out = {doc_id: repeated_of(scope, lines, total) for doc_id, (scope, lines) in per_doc.items()}
    return out, dict(batch)


def line_keys(doc: Document) -> tuple[str, set[str], list[tuple[str, str]]]:
    """A document's scope, its short lines and their (scope, hash) keys."""
    scope, lines = scope_of(doc), _lines(doc)
    return scope, lines, [(scope, _key(line)) for line in lines]


def repeated_of(scope: str, lines: set[str], counts: dict[tuple[str, str], int]) -> set[str]:
    """The lines of one document that are furniture, given how many documents of its scope carry each."""
    rep = set()
    for line in lines:
        n = counts.get((scope, _key(line)), 1)
        # short non-sentences repeated a few times are furniture; sentences only when very common
        if n >= 2 * MIN_DOCS or (n >= MIN_DOCS and not looks_like_sentence(line)):
            rep.add(line)
    return rep


def record_lines(db: sqlite3.Connection, counts: dict[tuple[str, str], int]) -> None:
    """Add a batch's line counts to the store (inside the caller's transaction)."""
    LineStats(db).add(counts)
