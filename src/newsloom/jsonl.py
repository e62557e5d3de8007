"""The fields of a JSON Lines (or Parquet) record that newsloom reads, under the names collections use.

One record per line, an object. The first name of each field that holds a value is read; the others
are ignored. A field whose value is an object (NewsAPI's ``"source": {"id": ..., "name": ...}``) gives
its ``name``. With no outlet field the outlet is the host of the record's URL (``www.`` dropped).
"""

from __future__ import annotations

from typing import Any

__all__ = ["FIELDS", "describe", "fields", "has_content", "missing_content"]

# field -> the names it is read from, first match wins
FIELDS: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article"),
    "html": ("html", "raw_html"),
    "title": ("title", "headline"),
    "url": ("url", "link", "uri"),
    "outlet": ("outlet", "source", "site", "publisher", "domain", "source_name", "sitename"),
    "published": ("published", "published_date", "publish_date", "date", "pubdate", "published_at"),
    "id": ("id", "doc_id", "article_id"),
}


def _value(v: Any) -> Any:
    if isinstance(v, dict):
        v = v.get("name") or v.get("title") or v.get("id")
    if isinstance(v, str):
        v = v.strip()
    return v if v not in (None, "", [], {}) else None


def fields(rec: dict[str, Any]) -> dict[str, Any]:
    """The record's fields under their newsloom names (absent when no accepted name holds a value)."""
    out: dict[str, Any] = {}
    for name, names in FIELDS.items():
        for key in names:
            v = _value(rec.get(key))
            if v is not None:
                out[name] = v
                break
    return out


def has_content(rec: dict[str, Any]) -> bool:
    """Whether a record can become an article: it has a text, an HTML page or at least a title."""
    f = fields(rec)
    return any(k in f for k in ("text", "html", "title"))


def missing_content(what: str) -> str:
    """The error for a record without content, naming the accepted fields."""
    names = ", ".join(repr(n) for k in ("text", "html", "title") for n in FIELDS[k])
    return f"{what} has no article text: none of {names}"


def describe() -> str:
    """The accepted fields in one paragraph (for `newsloom ingest --help` and the docs)."""
    parts = [f"{k} ({', '.join(v)})" for k, v in FIELDS.items()]
    return (
        "JSON Lines fields read, each from the first of its names that has a value: "
        + "; ".join(parts)
        + ". Without an outlet field the outlet is the URL's host."
    )
