"""Ingest: turn paths, URLs and streams into Documents, detecting each format by its content.

Inputs: directories (recursive), plain text, HTML, JSON Lines, RSS/Atom feeds, WARC (CC-NEWS style;
HTTP 200 HTML responses only), gzip of any of these, and http(s) URLs. Yields `Document`s, `InputError`s
for inputs that cannot be read (one bad file never stops a batch), and `PendingURL`s for feed entries
that only link to an article. Large files are streamed, never read whole.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import logging
import os
import stat
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from . import __version__, jsonl, netfetch
from .errors import InputError, internal_error
from .model import FORMATS, Document
from .store import now

__all__ = [
    "FETCH_TIMEOUT_S",
    "FETCH_TOTAL_S",
    "FORMATS",
    "Item",
    "MAX_DOCUMENT_BYTES",
    "MAX_FEED_BYTES",
    "MAX_FETCH_BYTES",
    "MAX_REDIRECTS",
    "PendingURL",
    "USER_AGENT",
    "display_name",
    "doc_id",
    "documents_of_response",
    "fetch",
    "read_file",
    "read_sources",
    "sniff",
    "walk_inputs",
]

log = logging.getLogger(__name__)

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024  # one article larger than this is not an article
MAX_FEED_BYTES = 50 * 1024 * 1024
MAX_FETCH_BYTES = 10 * 1024 * 1024
FETCH_TIMEOUT_S = 20  # seconds for one connection or one read
FETCH_TOTAL_S = 60  # seconds for a whole fetch, redirects included
MAX_REDIRECTS = 5
USER_AGENT = f"newsloom/{__version__} (news analysis; +https://pypi.org/project/newsloom/)"
_SKIP_NAMES = {".DS_Store", "Thumbs.db"}
_SKIP_SUFFIXES = {
    ".db",
    ".db-wal",
    ".db-shm",
    ".pyc",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".pdf",
    ".zip",
    ".parquet",
}


@dataclass
class PendingURL:
    """A feed entry that only links to its article: to be fetched later (`newsloom ingest URL`)."""

    url: str
    title: str
    origin: str
    published: str = ""


Item = Document | InputError | PendingURL


def doc_id(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()[:24]


def sniff(head: bytes, name: str = "") -> str:
    """The format of some bytes, judged by content first and by file name only to break ties."""
    h = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:4096].lower()
    if h.startswith(b"{"):
        line = head.lstrip(b"\xef\xbb\xbf \t\r\n").split(b"\n", 1)[0]
        try:
            json.loads(line)
            return "jsonl"
        except ValueError:
            if name.endswith((".jsonl", ".ndjson", ".json")) or b"\n" not in head:
                return "jsonl"
    if h.startswith(b"warc/"):
        return "warc"
    if b"<rss" in h[:1000] or b"<rdf:rdf" in h[:1000] or (b"<feed" in h[:1000] and b"atom" in h[:2000]):
        return "rss"
    if (
        h.startswith((b"<!doctype html", b"<html"))
        or b"<html" in h
        or b"<body" in h
        or h.count(b"<p") + h.count(b"<div") >= 2
    ):
        return "html"
    if name.endswith((".html", ".htm", ".xhtml")):
        return "html"
    if name.endswith((".rss", ".atom", ".xml")) and h.startswith(b"<?xml"):
        return "rss"
    return "text"


# --- opening files ------------------------------------------------------------------------------------


class _Gunzip:
    """A reader of gzip data that hands out everything decodable before it reports a truncated end
    (Python's GzipFile drops the data decoded in the call that meets the end), and reads
    concatenated gzip members (WARC.gz) as one stream."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self.buf = b""
        self.done = False
        self.truncated = False

    STEP = 1 << 20

    def _fill(self, n: int) -> None:
        """Decode until `n` bytes are buffered (all with n < 0), at most STEP decoded bytes at a time,
        so that a small gzip holding gigabytes never decodes past what the reader asked for."""
        while (n < 0 or len(self.buf) < n) and not self.done:
            if self.d.unconsumed_tail:
                chunk = self.d.unconsumed_tail
            elif self.d.eof and self.d.unused_data:  # concatenated members (WARC.gz)
                chunk = self.d.unused_data
                self.d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            else:
                chunk = self.raw.read(1 << 16)
            if not chunk:
                self.done = True
                self.truncated = not self.d.eof
                break
            try:
                self.buf += self.d.decompress(chunk, self.STEP)
            except zlib.error as exc:
                self.done = True
                raise EOFError(f"corrupt gzip data: {exc}") from None

    def read(self, n: int = -1) -> bytes:
        self._fill(n)
        if n < 0:
            out, self.buf = self.buf, b""
        else:
            out, self.buf = self.buf[:n], self.buf[n:]
        if not out and self.truncated:
            raise EOFError("the gzip data ends before its end-of-stream marker")
        return out

    def peek(self, n: int) -> bytes:
        self._fill(n)
        if not self.buf and self.truncated:
            raise EOFError("the gzip data ends before its end-of-stream marker")
        return self.buf[:n]

    def close(self) -> None:
        self.raw.close()

    def __enter__(self) -> _Gunzip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _open_stream(path: Path) -> tuple[IO[bytes], bool]:
    """A binary stream of the file's content (gunzipped when gzip), and whether it was gzip."""
    f = open(path, "rb")
    magic = f.read(2)
    f.seek(0)
    if magic == b"\x1f\x8b":
        return _Gunzip(f), True  # type: ignore[return-value]
    return f, False


def _read_capped(stream: IO[bytes], cap: int, origin: str, what: str) -> bytes:
    try:
        data = stream.read(cap + 1)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise InputError(origin, f"truncated or corrupt gzip file ({exc})") from None
    if len(data) > cap:
        raise InputError(
            origin,
            f"{what} larger than {cap // 2**20} MB: too large for one {what}; split it or convert it to JSONL",
        )
    return data


def display_name(path: Path | str) -> str:
    """A path as text that can be stored and printed: bytes that are not UTF-8 in a file name (a
    name made on another system) are written as backslash escapes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def walk_inputs(path: Path) -> Iterator[Path]:
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


def _not_regular(p: Path) -> str | None:
    """Why a path cannot be read as a file (a FIFO would block a read forever), or None."""
    try:
        mode = p.stat().st_mode
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    if stat.S_ISREG(mode):
        return None
    kind = (
        "a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device or special file"
    )
    return f"{kind}, not a regular file: skipped"


def read_sources(
    paths: list[str],
    fmt: str = "auto",
    hints: dict[str, str] | None = None,
    allow_private: bool = False,
    as_of: str | None = None,
) -> Iterator[Item]:
    """Documents from files, directories (recursive) and URLs; errors and pending URLs in their place.
    `as_of` is the collection time recorded on every document (default: when it was read)."""
    for item in _read_sources(paths, fmt, hints, allow_private):
        if as_of and isinstance(item, Document):
            item.fetched = as_of
        yield item


def _read_sources(
    paths: list[str], fmt: str, hints: dict[str, str] | None, allow_private: bool
) -> Iterator[Item]:
    if fmt not in FORMATS:
        raise InputError("--format", f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    hints = {k: v for k, v in (hints or {}).items() if v}
    for raw_path in paths:
        if raw_path.startswith(("http://", "https://")):
            try:
                data, final_url, ctype = fetch(raw_path, allow_private=allow_private)
            except InputError as exc:
                yield exc
                continue
            yield from documents_of_response(data, raw_path, final_url, ctype, fmt, hints)
            continue
        path = Path(raw_path)
        if not path.exists():
            yield InputError(display_name(raw_path), "no such file or directory")
            continue
        for p in walk_inputs(path):
            yield from read_file(p, fmt, hints)


def documents_of_response(
    data: bytes, url: str, final_url: str, ctype: str, fmt: str = "auto", hints: dict[str, str] | None = None
) -> Iterator[Item]:
    """The documents of a fetched body (a feed's entries, a page, JSON Lines), read as `fmt` or, with
    "auto", by its content type and content; a problem is yielded in its place."""
    kind = fmt if fmt != "auto" else _kind_from_content_type(ctype) or sniff(data[:4096], final_url)
    try:
        yield from _documents_of_bytes(data, url, kind, {**(hints or {}), "url": final_url})
    except InputError as exc:
        yield exc


def read_file(p: Path, fmt: str = "auto", hints: dict[str, str] | None = None) -> Iterator[Item]:
    """The documents of one file, with an InputError in place of whatever cannot be read."""
    name = display_name(p)
    why = _not_regular(p)
    if why:
        yield InputError(name, why)
        return
    try:
        yield from _documents_of_file(p, name, fmt, hints or {})
    except InputError as exc:
        yield exc
    except OSError as exc:
        yield InputError(name, f"cannot read: {exc.strerror or exc}")
    except Exception as exc:  # a reader library's bug on odd bytes: this file's failure, not the run's
        yield InputError(name, internal_error("read", name, exc))


def _documents_of_file(p: Path, origin: str, fmt: str, hints: dict[str, str]) -> Iterator[Item]:
    stream, gz = _open_stream(p)
    with stream:
        try:
            head = stream.peek(8192)[:8192] if hasattr(stream, "peek") else b""
        except (EOFError, zlib.error, gzip.BadGzipFile, OSError) as exc:
            raise InputError(origin, f"truncated or corrupt gzip file ({exc})") from None
        name = p.name.lower().removesuffix(".gz")
        kind = sniff(head, name) if fmt == "auto" else fmt
        if not head.strip() and kind != "warc":
            raise InputError(origin, "empty file")
        if kind == "jsonl":
            yield from _jsonl_documents(origin, stream, hints)
        elif kind == "warc":
            yield from _warc_documents(origin, stream, hints)
        elif kind == "rss":
            yield from _feed_documents(origin, _read_capped(stream, MAX_FEED_BYTES, origin, "feed"), hints)
        else:
            if not gz and p.stat().st_size > MAX_DOCUMENT_BYTES:
                raise InputError(
                    origin,
                    f"{p.stat().st_size // 2**20} MB is too large for one article (limit {MAX_DOCUMENT_BYTES // 2**20} MB); split it or use JSONL",
                )
            data = _read_capped(stream, MAX_DOCUMENT_BYTES, origin, "article")
            yield from _documents_of_bytes(data, origin, kind, hints)


def _documents_of_bytes(data: bytes, origin: str, kind: str, hints: dict[str, str]) -> Iterator[Item]:
    if not data.strip():
        raise InputError(origin, "empty input")
    if kind == "jsonl":
        yield from _jsonl_documents(origin, io.BytesIO(data), hints)
    elif kind == "warc":
        yield from _warc_documents(origin, io.BytesIO(data), hints)
    elif kind == "rss":
        yield from _feed_documents(origin, data, hints)
    else:
        media = "text/html" if kind == "html" else "text/plain"
        yield Document(doc_id(data), origin, media, data, now(), dict(hints))


# --- JSON Lines -----------------------------------------------------------------------------------------


@dataclass
class _LongLine:
    """A line longer than the cap, skipped without being held: only its length is known."""

    size: int


def _lines_of(
    stream: IO[bytes], cap: int = MAX_DOCUMENT_BYTES, chunk: int = 1 << 20
) -> Iterator[bytes | _LongLine]:
    """Lines of a stream in linear time and bounded memory: a line longer than `cap` is skipped and
    reported by its length. Read in chunks, so that a truncated gzip yields every complete line before
    raising where its data ends."""
    parts: list[bytes] = []
    size = 0
    while True:
        data = stream.read(chunk)
        if not data:
            break
        start = 0
        while True:
            end = data.find(b"\n", start)
            piece = data[start:] if end < 0 else data[start:end]
            size += len(piece)
            if size <= cap:
                parts.append(piece)
            else:
                parts = []  # too long: count the rest of it, keep none
            if end < 0:
                break
            yield b"".join(parts) if size <= cap else _LongLine(size)
            parts, size, start = [], 0, end + 1
    if size:
        yield b"".join(parts) if size <= cap else _LongLine(size)


def _jsonl_documents(origin: str, stream: IO[bytes], hints: dict[str, str]) -> Iterator[Item]:
    fetched = now()
    lineno = 0
    try:
        for raw in _lines_of(stream):
            lineno += 1
            where = f"{origin}:{lineno}"
            if isinstance(raw, _LongLine):
                yield InputError(
                    where,
                    f"line {lineno} has {raw.size // 2**20} MB, over the {MAX_DOCUMENT_BYTES // 2**20} MB "
                    "limit for one article: skipped unread",
                )
                continue
            line = raw.strip()
            if not line:
                continue
            try:
                rec = json.loads(line)
            except ValueError as exc:
                yield InputError(where, f"malformed JSON on line {lineno}: {exc}")
                continue
            if not isinstance(rec, dict) or not jsonl.has_content(rec):
                yield InputError(where, jsonl.missing_content(f"line {lineno}"))
                continue
            yield Document(doc_id(line), where, "application/x-jsonl-record", line, fetched, dict(hints))
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        yield InputError(
            origin,
            f"truncated or corrupt gzip file after line {lineno} ({exc}); the lines before it were read",
        )


# --- RSS and Atom ---------------------------------------------------------------------------------------


def _entry_date(entry: dict) -> str:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        t = entry.get(key)
        if t:
            return f"{t.tm_year:04d}-{t.tm_mon:02d}-{t.tm_mday:02d}"
    return ""


def _feed_documents(origin: str, data: bytes, hints: dict[str, str]) -> Iterator[Item]:
    import feedparser

    feed = feedparser.parse(data)
    if not feed.entries:
        reason = f"not a readable feed ({feed.bozo_exception})" if feed.get("bozo") else "feed has no entries"
        raise InputError(origin, reason)
    outlet = hints.get("outlet") or (feed.feed.get("title") or "").strip()
    fetched = now()
    for i, entry in enumerate(feed.entries, start=1):
        link = entry.get("link") or ""
        title = (entry.get("title") or "").strip()
        html = ""
        if entry.get("content"):
            html = max((c.get("value") or "" for c in entry["content"]), key=len)
        summary = entry.get("summary") or ""
        if len(_visible_text(summary)) > len(_visible_text(html)):
            html = summary
        where = f"{origin}#entry{i}"
        published = hints.get("published") or _entry_date(entry)
        # An entry is an article when it carries the story itself, not just a teaser.
        if len(_visible_text(html).split()) < 80:
            if link:
                yield PendingURL(link, title, where, published)
            else:
                yield InputError(where, "feed entry has neither full content nor a link")
            continue
        page = f"<html><head><title>{_escape(title)}</title></head><body><article><h1>{_escape(title)}</h1>{html}</article></body></html>"
        content = page.encode("utf-8")
        entry_hints = {**hints, "title": title, "url": link, "outlet": outlet, "published": published}
        yield Document(
            doc_id(content), where, "text/html", content, fetched, {k: v for k, v in entry_hints.items() if v}
        )


def _visible_text(html: str) -> str:
    import re

    return re.sub(r"<[^>]+>", " ", html)


def _escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- WARC -----------------------------------------------------------------------------------------------


class _Counting:
    """A stream that counts the bytes read from it (to find where the last whole WARC record ended)."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw, self.n = raw, 0

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.n += len(data)
        return data


def _warc_documents(origin: str, stream: IO[bytes], hints: dict[str, str]) -> Iterator[Item]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    n = 0
    counted = _Counting(stream)
    records = ArchiveIterator(counted)
    end = 0  # where the last whole record ended, in the (decompressed) stream
    try:
        for record in records:
            n += 1
            if record.rec_type == "response" and record.http_headers is not None:
                yield from _warc_response(origin, record, n, hints)
            record.raw_stream.read()  # drain: a record cut short shows as a limit left unread
            if getattr(record.raw_stream, "limit", 0):
                if record.rec_type != "response":
                    yield InputError(
                        f"{origin}#{n}", f"WARC record {n} is cut short: the file ends inside it"
                    )
                break
            end = records.get_record_offset() + records.get_record_length()
    except (ArchiveLoadFailed, EOFError, zlib.error, gzip.BadGzipFile, ValueError) as exc:
        yield InputError(origin, f"WARC file cannot be read past record {n} ({exc})")
        return
    if getattr(stream, "truncated", False):
        yield InputError(
            origin, f"the gzip data ends inside a WARC record after record {n}: that record is lost"
        )
    elif counted.n - end > 4:  # more than the blank line after a record, yet no whole record
        yield InputError(origin, f"the WARC file ends inside a record after record {n}: that record is lost")


def _warc_response(origin: str, record: Any, n: int, hints: dict[str, str]) -> Iterator[Item]:
    status = record.http_headers.get_statuscode()
    ctype = (record.http_headers.get_header("Content-Type") or "").lower()
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    where = f"{origin}#{url or n}"
    data = record.content_stream().read(MAX_DOCUMENT_BYTES + 1)
    if len(data) > MAX_DOCUMENT_BYTES:
        yield InputError(where, "WARC response larger than the article size limit")
        return
    left = getattr(record.raw_stream, "limit", 0)
    if left:
        yield InputError(
            where, f"WARC record {n} is cut short ({left} bytes missing): the page is not stored"
        )
        return
    if status != "200" or "html" not in ctype:
        return
    fetched = record.rec_headers.get_header("WARC-Date") or now()
    yield Document(doc_id(data), where, "text/html", data, fetched, {**hints, "url": url})


# --- URLs -----------------------------------------------------------------------------------------------


def _kind_from_content_type(ctype: str) -> str | None:
    c = ctype.lower()
    if "html" in c:
        return "html"
    if "rss" in c or "atom" in c:
        return "rss"
    if "json" in c:
        return "jsonl"
    return None


def fetch(
    url: str,
    allow_private: bool = False,
    timeout: float = FETCH_TIMEOUT_S,
    max_bytes: int = MAX_FETCH_BYTES,
    total: float = FETCH_TOTAL_S,
) -> tuple[bytes, str, str]:
    """GET a URL: checked addresses, checked redirects, a per-read timeout and a total deadline, the
    size cap on the wire and after decompression (`netfetch.request`). Returns (body, final URL,
    content type)."""
    try:
        resp = netfetch.request(
            url,
            headers={
                "User-Agent": USER_AGENT,
                "Accept": "text/html,application/xhtml+xml,application/rss+xml,*/*;q=0.5",
            },
            timeout=timeout,
            total=total,
            max_bytes=max_bytes,
            max_redirects=MAX_REDIRECTS,
            allow_private=allow_private,
        )
    except netfetch.FetchError as exc:
        raise InputError(url, str(exc)) from None
    return resp.body, resp.url, resp.headers.get("content-type", "")
