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
import ipaddress
import json
import logging
import os
import socket
import urllib.error
import urllib.parse
import urllib.request
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from . import __version__
from .errors import InputError
from .model import Document
from .store import now

log = logging.getLogger(__name__)

FORMATS = ("auto", "text", "html", "jsonl", "rss", "warc")
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024  # one article larger than this is not an article
MAX_FEED_BYTES = 50 * 1024 * 1024
MAX_FETCH_BYTES = 10 * 1024 * 1024
FETCH_TIMEOUT_S = 20
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

    def _fill(self, n: int) -> None:
        while (n < 0 or len(self.buf) < n) and not self.done:
            chunk = self.raw.read(1 << 16)
            if not chunk:
                self.done = True
                self.truncated = not self.d.eof
                break
            try:
                out = self.d.decompress(chunk)
                while self.d.eof and self.d.unused_data:
                    rest = self.d.unused_data
                    self.d = zlib.decompressobj(16 + zlib.MAX_WBITS)
                    out += self.d.decompress(rest)
            except zlib.error as exc:
                self.done = True
                raise EOFError(f"corrupt gzip data: {exc}") from None
            self.buf += out

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
    paths: list[str], fmt: str = "auto", hints: dict[str, str] | None = None, allow_private: bool = False
) -> Iterator[Item]:
    """Documents from files, directories (recursive) and URLs; errors and pending URLs in their place."""
    if fmt not in FORMATS:
        raise InputError("--format", f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    hints = {k: v for k, v in (hints or {}).items() if v}
    for raw_path in paths:
        if raw_path.startswith(("http://", "https://")):
            try:
                data, final_url, ctype = fetch(raw_path, allow_private=allow_private)
                kind = (
                    fmt if fmt != "auto" else _kind_from_content_type(ctype) or sniff(data[:4096], final_url)
                )
                yield from _documents_of_bytes(data, raw_path, kind, {**hints, "url": final_url})
            except InputError as exc:
                yield exc
            continue
        path = Path(raw_path)
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


def _documents_of_file(p: Path, fmt: str, hints: dict[str, str]) -> Iterator[Item]:
    stream, gz = _open_stream(p)
    with stream:
        try:
            head = stream.peek(8192)[:8192] if hasattr(stream, "peek") else b""
        except (EOFError, zlib.error, gzip.BadGzipFile, OSError) as exc:
            raise InputError(str(p), f"truncated or corrupt gzip file ({exc})") from None
        name = p.name.lower().removesuffix(".gz")
        kind = sniff(head, name) if fmt == "auto" else fmt
        if not head.strip() and kind != "warc":
            raise InputError(str(p), "empty file")
        if kind == "jsonl":
            yield from _jsonl_documents(str(p), stream, hints)
        elif kind == "warc":
            yield from _warc_documents(str(p), stream, hints)
        elif kind == "rss":
            yield from _feed_documents(str(p), _read_capped(stream, MAX_FEED_BYTES, str(p), "feed"), hints)
        else:
            if not gz and p.stat().st_size > MAX_DOCUMENT_BYTES:
                raise InputError(
                    str(p),
                    f"{p.stat().st_size // 2**20} MB is too large for one article (limit {MAX_DOCUMENT_BYTES // 2**20} MB); split it or use JSONL",
                )
            data = _read_capped(stream, MAX_DOCUMENT_BYTES, str(p), "article")
            yield from _documents_of_bytes(data, str(p), kind, hints)


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


def _lines_of(stream: IO[bytes], chunk: int = 1 << 13) -> Iterator[bytes]:
    """Lines of a stream, read in chunks, so that a truncated gzip yields every complete line before
    raising at the point where the data ends."""
    buf = b""
    while True:
        data = stream.read(chunk)
        if not data:
            break
        buf += data
        *lines, buf = buf.split(b"\n")
        yield from lines
    if buf:
        yield buf


def _jsonl_documents(origin: str, stream: IO[bytes], hints: dict[str, str]) -> Iterator[Item]:
    fetched = now()
    lineno = 0
    try:
        for raw in _lines_of(stream):
            lineno += 1
            line = raw.strip()
            if not line:
                continue
            where = f"{origin}:{lineno}"
            if len(line) > MAX_DOCUMENT_BYTES:
                yield InputError(
                    where,
                    f"line {lineno} is larger than {MAX_DOCUMENT_BYTES // 2**20} MB: too large for one article",
                )
                continue
            try:
                rec = json.loads(line)
            except ValueError as exc:
                yield InputError(where, f"malformed JSON on line {lineno}: {exc}")
                continue
            if not isinstance(rec, dict) or not (rec.get("text") or rec.get("html") or rec.get("title")):
                yield InputError(where, f"line {lineno} has neither 'text', 'html' nor 'title'")
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


def _warc_documents(origin: str, stream: IO[bytes], hints: dict[str, str]) -> Iterator[Item]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    n = 0
    try:
        for record in ArchiveIterator(stream):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            n += 1
            status = record.http_headers.get_statuscode()
            ctype = (record.http_headers.get_header("Content-Type") or "").lower()
            if status != "200" or "html" not in ctype:
                continue
            url = record.rec_headers.get_header("WARC-Target-URI") or ""
            data = record.content_stream().read(MAX_DOCUMENT_BYTES + 1)
            where = f"{origin}#{url or n}"
            if len(data) > MAX_DOCUMENT_BYTES:
                yield InputError(where, "WARC response larger than the article size limit")
                continue
            fetched = record.rec_headers.get_header("WARC-Date") or now()
            yield Document(doc_id(data), where, "text/html", data, fetched, {**hints, "url": url})
    except (ArchiveLoadFailed, EOFError, zlib.error, gzip.BadGzipFile, ValueError) as exc:
        yield InputError(origin, f"WARC file cannot be read past record {n} ({exc})")


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


def check_host(url: str, allow_private: bool = False) -> None:
    """Refuse URLs whose host resolves to a private, loopback, link-local or otherwise internal address."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise InputError(url, f"only http and https URLs can be fetched, not {parts.scheme or 'a bare path'}")
    host = parts.hostname
    if not host:
        raise InputError(url, "URL has no host")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(
            host, parts.port or (443 if parts.scheme == "https" else 80), proto=socket.IPPROTO_TCP
        )
    except socket.gaierror as exc:
        raise InputError(url, f"cannot resolve host {host!r}: {exc}") from None
    for info in infos:
        addr = ipaddress.ip_address(info[4][0])
        if (
            addr.is_private
            or addr.is_loopback
            or addr.is_link_local
            or addr.is_reserved
            or addr.is_multicast
            or addr.is_unspecified
        ):
            raise InputError(
                url,
                f"refusing to fetch {host} ({addr}): a private, loopback or link-local address; pass --allow-private to allow it",
            )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # redirects are followed by fetch() itself, checking each hop


def fetch(
    url: str, allow_private: bool = False, timeout: float = FETCH_TIMEOUT_S, max_bytes: int = MAX_FETCH_BYTES
) -> tuple[bytes, str, str]:
    """GET a URL with a timeout, a size cap, at most MAX_REDIRECTS checked redirects and our user agent.

    Returns (body, final URL, content type)."""
    opener = urllib.request.build_opener(_NoRedirect)
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        check_host(current, allow_private)
        req = urllib.request.Request(
            current,
            headers={
                "User-Agent": USER_AGENT,
                "Accept": "text/html,application/xhtml+xml,application/rss+xml,*/*;q=0.5",
            },
        )
        try:
            resp = opener.open(req, timeout=timeout)
        except urllib.error.HTTPError as exc:
            if exc.code in (301, 302, 303, 307, 308) and exc.headers.get("Location"):
                current = urllib.parse.urljoin(current, exc.headers["Location"])
                continue
            raise InputError(url, f"HTTP {exc.code} {exc.reason}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise InputError(url, f"cannot fetch: {getattr(exc, 'reason', exc)}") from None
        with resp:
            declared = resp.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise InputError(
                    url, f"response of {int(declared) // 2**20} MB is over the {max_bytes // 2**20} MB limit"
                )
            data = resp.read(max_bytes + 1)
            if len(data) > max_bytes:
                raise InputError(url, f"response is over the {max_bytes // 2**20} MB limit")
            if resp.headers.get("Content-Encoding") == "gzip":
                data = gzip.decompress(data)
            return data, current, resp.headers.get("Content-Type", "")
    raise InputError(url, f"more than {MAX_REDIRECTS} redirects")
