"""Ingest: turn paths (files, directories, gzip) into Documents, detecting each format by its content.

Yields `Document`s, or `InputError`s for inputs that cannot be read, so one bad file never stops a
batch. Nothing here parses articles; that is `extract`.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import zlib
from collections.abc import Iterator
from pathlib import Path

from .errors import InputError
from .model import Document
from .store import now

log = logging.getLogger(__name__)

FORMATS = ("auto", "text", "html", "jsonl")
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024  # one article larger than this is not an article
MAX_FILE_BYTES = 2 * 1024 * 1024 * 1024
_SKIP_NAMES = {".DS_Store", "Thumbs.db"}
_SKIP_SUFFIXES = {".db", ".db-wal", ".db-shm", ".pyc", ".png", ".jpg", ".jpeg", ".gif", ".pdf", ".zip"}


def doc_id(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()[:24]


def sniff(head: bytes, name: str = "") -> str:
    """The format of some bytes, judged by content first and by file name only to break ties."""
    h = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:2048].lower()
    if h.startswith(b"{"):
        line = head.lstrip(b"\xef\xbb\xbf \t\r\n").split(b"\n", 1)[0]
        try:
            json.loads(line)
            return "jsonl"
        except ValueError:
            if name.endswith((".jsonl", ".ndjson", ".json")):
                return "jsonl"
    if h.startswith(b"warc/1."):
        return "warc"
    if b"<rss" in h[:600] or (b"<feed" in h[:600] and b"atom" in h[:1200]):
        return "rss"
    if (
        h.startswith((b"<!doctype html", b"<html", b"<?xml"))
        or b"<html" in h
        or b"<body" in h
        or h.count(b"<p") + h.count(b"<div") >= 2
    ):
        return "html"
    if name.endswith((".html", ".htm", ".xhtml")):
        return "html"
    return "text"


def _read(path: Path) -> bytes:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InputError(
            str(path), f"file of {size // 2**20} MB is over the {MAX_FILE_BYTES // 2**20} MB limit"
        )
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        try:
            # bounded decompression: refuse gzip bombs
            d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            out = d.decompress(data, MAX_FILE_BYTES)
            if d.unconsumed_tail:
                raise InputError(str(path), "gzip content expands past the size limit")
            if not d.eof:
                raise InputError(str(path), "truncated gzip file (unexpected end of data)")
            return out
        except (zlib.error, gzip.BadGzipFile, EOFError) as exc:
            raise InputError(str(path), f"corrupt gzip file: {exc}") from None
    return data


def _walk(path: Path) -> Iterator[Path]:
    if path.is_dir():
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for f in sorted(files):
                p = Path(root) / f
                if f.startswith(".") or f in _SKIP_NAMES or p.suffix.lower() in _SKIP_SUFFIXES:
                    continue
                yield p
    else:
        yield path


def read_sources(
    paths: list[str], fmt: str = "auto", hints: dict[str, str] | None = None
) -> Iterator[Document | InputError]:
    """Documents from files and directories (recursive), one per article; errors in their place."""
    if fmt not in FORMATS:
        raise InputError(
            "--format", f"unknown or not yet supported format {fmt!r}; choose one of {', '.join(FORMATS)}"
        )
    hints = {k: v for k, v in (hints or {}).items() if v}
    for raw_path in paths:
        path = Path(raw_path)
        if raw_path.startswith(("http://", "https://")):
            yield InputError(
                raw_path, "fetching URLs is not supported yet; save the page and ingest the file"
            )
            continue
        if not path.exists():
            yield InputError(raw_path, "no such file or directory")
            continue
        for p in _walk(path):
            try:
                yield from _documents_of_file(p, fmt, hints)
            except InputError as exc:
                yield exc
            except OSError as exc:
                yield InputError(str(p), f"cannot read: {exc.strerror or exc}")


def _documents_of_file(p: Path, fmt: str, hints: dict[str, str]) -> Iterator[Document | InputError]:
    data = _read(p)
    name = p.name.lower().removesuffix(".gz")
    kind = sniff(data[:4096], name) if fmt == "auto" else fmt
    fetched = now()
    if kind in ("rss", "warc"):
        raise InputError(
            str(p), f"{kind.upper()} input is not supported yet; convert it to JSONL or HTML files"
        )
    if kind == "jsonl":
        yield from _jsonl_documents(p, data, hints, fetched)
        return
    if not data.strip():
        raise InputError(str(p), "empty file")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise InputError(
            str(p),
            f"{len(data) // 2**20} MB is too large for one article (limit {MAX_DOCUMENT_BYTES // 2**20} MB); split it or use JSONL",
        )
    media = "text/html" if kind == "html" else "text/plain"
    yield Document(doc_id(data), str(p), media, data, fetched, dict(hints))


def _jsonl_documents(
    p: Path, data: bytes, hints: dict[str, str], fetched: str
) -> Iterator[Document | InputError]:
    for lineno, line in enumerate(data.split(b"\n"), start=1):
        line = line.strip()
        if not line:
            continue
        origin = f"{p}:{lineno}"
        try:
            rec = json.loads(line)
        except ValueError as exc:
            yield InputError(origin, f"malformed JSON on line {lineno}: {exc}")
            continue
        if not isinstance(rec, dict) or not (rec.get("text") or rec.get("html")):
            yield InputError(origin, f"line {lineno} has neither 'text' nor 'html'")
            continue
        if len(line) > MAX_DOCUMENT_BYTES:
            yield InputError(origin, f"line {lineno} is too large for one article")
            continue
        yield Document(doc_id(line), origin, "application/x-jsonl-record", line, fetched, dict(hints))
