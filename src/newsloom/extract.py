"""Extract: one Document (raw bytes) -> one Article (title, outlet, authors, date, clean body, captions).

A pure function of the document: no store, no globals. Corpus statistics (lines repeated across
articles) come in as an argument.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlparse

from charset_normalizer import from_bytes

from . import jsonl, textclean
from .errors import InputError
from .model import ANNOTATED_LANGUAGES, DAY, UNKNOWN, WEEK, Article, Document, PublishedDate
from .temporal import scan, tag, weekday_anchored_years

__all__ = [
    "LEGACY_CODE_PAGES",
    "decode",
    "detect_language",
    "extract",
    "fetched_date",
    "infer_published",
    "published_from",
]

log = logging.getLogger(__name__)


def decode(raw: bytes, source: str) -> str:
    """Bytes to text: UTF-8 (with BOM) first, else the detected encoding. Binary input is an error."""
    if not raw.strip():
        raise InputError(source, "empty input: nothing to read")
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(source, "binary content (NUL bytes), not text, HTML or JSON")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    declared = _DECLARED.search(raw[:4096])
    if declared:
        try:
            return raw.decode(declared.group(1).decode("ascii").lower())
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown label: detect instead
    best = from_bytes(raw).best()
    if best is None:
        raise InputError(source, "cannot detect the text encoding (not UTF-8, no other encoding fits)")
    # Single-byte code pages often decode the same bytes equally cleanly (è is č in cp1250); the
    # language of the text's plain ASCII words decides: the legacy Windows code page of that language.
    ascii_words = re.sub(rb"[^\x00-\x7f]", b" ", raw).decode()
    page = LEGACY_CODE_PAGES.get(detect_language(ascii_words))
    if page and best.encoding != page:
        native = from_bytes(raw, cp_isolation=[page]).best()
        if native is not None and native.chaos <= best.chaos:
            best = native
    log.info("%s: not UTF-8, decoded as %s", source, best.encoding)
    return str(best)


# The legacy Windows code page of languages written in Latin script, for text that is not UTF-8.
LEGACY_CODE_PAGES = {
    **dict.fromkeys("af ca da de en es et eu fi fo fr ga gl id is it la lb ms nl nn no oc pt sq sv sw wa".split(), "cp1252"),
    **dict.fromkeys("bs cs hr hu pl ro sk sl".split(), "cp1250"),
    **dict.fromkeys("lt lv".split(), "cp1257"),
    "tr": "cp1254",
}  # fmt: skip

# A charset the document declares: <meta charset="...">, <meta http-equiv ... content="...; charset=...">,
# <?xml ... encoding="..."?>
_DECLARED = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?([A-Za-z0-9_.:-]{2,40})""", re.I)


def detect_language(text: str) -> str:
    """ISO 639-1 code (py3langid, whose model ships inside the package); 'und' when too short to tell."""
    import py3langid

    sample = text[:5000]
    if len(re.findall(r"[^\W\d_]+", sample)) < 5:
        return "und"
    lang, _ = py3langid.classify(sample)
    return str(lang)


def _clean_outlet(name: str) -> str:
    name = re.sub(r"^(?:the\s+)?(?=.)", lambda m: m.group(0), name.strip(" .,-|"))
    # "CPC - Caspian Policy Center" -> the long form; "The Paper, Some Agency" -> the first part
    parts = [p.strip() for p in re.split(r"\s+[-|–]\s+", name) if p.strip()]
    if len(parts) > 1:
        name = max(parts, key=len)
    elif "," in name:
        name = name.split(",")[0].strip()
    return name


def _outlet_from_url(url: str | None) -> str | None:
    if not url:
        return None
    host = urlparse(url).hostname or ""
    host = re.sub(r"^(?:www|m|amp|news)\.", "", host)
    return host or None


def published_from(lines: list[str], body: str, fetched: date | None, hint: str | None) -> PublishedDate:
    """The publication date: given (hint), stated in a header line, or inferred from the text."""
    if hint:
        for t in tag(hint):
            if t.range_start and t.value[:4].isdigit():
                return PublishedDate(
                    t.range_start, DAY if t.granularity == DAY else t.granularity, f"given: {hint}"
                )
        raise InputError("published", f"cannot read the date {hint!r} (use YYYY-MM-DD)")
    for line in lines:
        for t in tag(line):
            if t.granularity == DAY and t.range_start and t.value[:4].isdigit():
                return PublishedDate(t.range_start, DAY, line)
    return infer_published(body, fetched)


def infer_published(body: str, before: date | None, near: date | None = None) -> PublishedDate:
    """Infer when an undated article was written from its own dated references.

    `before` is the collection date (the article existed then), `near` the date of the articles
    collected with it, when known. A weekday written beside a month and day ("Monday-Wednesday (May
    3-5)") fixes the year among those where they agree: the one nearest `near`, else the latest not
    after `before`; the article was then written on or after the latest day it names, within that week
    if it says "this week". Otherwise the latest fully stated date is a lower bound. A bare year proves
    nothing. Neither bound known: the weekday fixes nothing.
    """
    scanned = scan(body)
    bound = before or (near + timedelta(days=366) if near else None)
    anchored = weekday_anchored_years(body, bound, scanned, near) if bound else []
    if anchored:
        years = Counter(y for y, _, _ in anchored)
        year = years.most_common(1)[0][0]
        phrases = [p for y, p, _ in anchored if y == year]
        latest = max(last for y, _, last in anchored if y == year)
        evidence = f"weekday and date agree in {year}: " + "; ".join(repr(p) for p in phrases)
        if near is not None:
            evidence += f" (of such years, the nearest to the articles collected with it, {near.isoformat()})"
        if re.search(r"\bthis week\b", body, re.I):
            start = latest - timedelta(days=latest.weekday())
            return PublishedDate(latest, WEEK, evidence + "; 'this week'", True, start + timedelta(days=6))
        return PublishedDate(latest, DAY, evidence + "; written on or after that day", True)
    full = [
        t
        for t in tag(body, None, scanned)
        if t.anchor == "none"
        and t.granularity == DAY
        and t.range_end
        and t.value[:4].isdigit()
        and (before is None or t.range_end <= before)
    ]
    if full:
        last = max(full, key=lambda t: t.range_end or date.min)
        return PublishedDate(
            last.range_end,
            DAY,
            f"on or after the latest date the text states: {last.text!r}",
            True,
            bound_only=True,
        )
    return PublishedDate(
        None, UNKNOWN, "no publication date stated, and none can be inferred from the text", False
    )


_XML_INCOMPATIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _html_to_article(doc: Document, html: str) -> Article:
    import lxml.html
    import trafilatura

    html = _XML_INCOMPATIBLE.sub("", html)  # lxml refuses NUL and other control characters
    try:
        tree = lxml.html.fromstring(html)
    except Exception as exc:  # lxml raises several types on garbage
        raise InputError(doc.origin, f"HTML cannot be parsed: {exc}") from None
    canonical = tree.xpath("//link[@rel='canonical']/@href")
    captions = [
        textclean.norm_line(c.text_content())
        for c in tree.xpath("//figcaption|//*[contains(@class,'caption')]")
    ]
    captions = [c for c in captions if c]
    for el in tree.xpath("//figure|//figcaption|//*[contains(@class,'caption')]"):
        el.drop_tree()
    cleaned = lxml.html.tostring(tree, encoding="unicode")
    # one extraction gives the text's structure and the page's metadata (the root's attributes)
    xml = trafilatura.extract(
        cleaned,
        url=doc.hints.get("url"),
        output_format="xml",
        with_metadata=True,
        include_comments=False,
        include_tables=False,
    )
    paragraphs: list[str] = []
    md: dict[str, str] = {}
    if xml:
        from lxml import etree

        root = etree.fromstring(xml.encode())
        md = dict(root.attrib)
        for el in root.iter("p", "head", "item", "quote"):
            t = textclean.norm_line("".join(el.itertext()))
            if t:
                paragraphs.append(t)
    page_ps = [textclean.norm_line(p.text_content()) for p in tree.xpath("//article//p|//main//p")] or [
        textclean.norm_line(p.text_content()) for p in tree.xpath("//body//p")
    ]
    page_ps = [p for p in page_ps if p and not textclean.is_furniture(p)]
    if len(paragraphs) <= 1 and len(page_ps) > 1:
        paragraphs = page_ps  # trafilatura flattened a small page; the page's own paragraphs are better
    title = (md.get("title") or "").strip()
    if paragraphs and title and textclean.norm_line(paragraphs[0]).lower() == title.lower():
        paragraphs = paragraphs[1:]
    removed = [p for p in paragraphs if textclean.is_furniture(p) and not textclean.looks_like_sentence(p)]
    paragraphs = [p for p in paragraphs if p not in removed]
    if not paragraphs:
        # The extractor kept only the headline (text not inside <p>: a feed's plain description, a bare
        # <body>): the page's visible text, line by line, is the body.
        paragraphs = _visible_lines(tree, title)
    if not paragraphs:
        raise InputError(doc.origin, "HTML page has no article text (only a headline or page furniture)")
    body_captions = [p for p in paragraphs if textclean.is_caption(p)]
    paragraphs = [p for p in paragraphs if p not in body_captions]
    url = (canonical[0] if canonical else None) or md.get("url") or doc.hints.get("url")
    authors = [a.strip() for a in re.split(r";|,\s*|\s+and\s+", md.get("author") or "") if a.strip()]
    art = Article(
        document_id=doc.id,
        source=doc.origin,
        title=title,
        url=url,
        outlet=md.get("sitename") or None,
        authors=[a for a in authors if textclean.is_person_name(a)],
        paragraphs=paragraphs,
        captions=captions + body_captions,
        boilerplate_removed=removed,
    )
    if art.authors != authors:
        art.outlet = art.outlet or next((a for a in authors if not textclean.is_person_name(a)), None)
    date_hint = md.get("date")
    if not date_hint:
        try:
            from htmldate import find_date

            date_hint = find_date(html, extensive_search=False, original_date=True)
        except Exception:  # htmldate fails on odd markup; the text may still date the article
            date_hint = None
    if not date_hint and not doc.hints.get("published"):
        art.published = published_from([], art.text, fetched_date(doc), None)
    if date_hint:
        try:
            art.published = PublishedDate(
                date.fromisoformat(date_hint[:10]), DAY, f"HTML metadata: {date_hint}"
            )
        except ValueError:
            pass
    if art.paragraphs:
        place, _ = textclean.dateline_of(art.paragraphs[0])
        art.dateline = place
    return art


_BLOCKS = (
    "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "tr", "pre", "blockquote", "section",
    "article", "span", "dd", "dt",
)  # fmt: skip
_NOT_TEXT = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "button")


def _visible_lines(tree: Any, title: str) -> list[str]:
    """The visible text of a page's body, one paragraph per block element or blank-line run, without
    the headline, scripts, navigation and lines that are page furniture."""
    body = tree.find(".//body")
    if body is None:
        body = tree
    for el in list(body.iter(*_NOT_TEXT)):
        el.drop_tree()
    for el in body.iter(*_BLOCKS):
        el.tail = "\n" + (el.tail or "")
    lines = [textclean.norm_line(x) for x in body.text_content().split("\n")]
    heading = title.strip().lower()
    return [
        x
        for x in lines
        if x and x.lower() != heading and (textclean.looks_like_sentence(x) or not textclean.is_furniture(x))
    ]


def fetched_date(doc: Document) -> date | None:
    """The day a document was collected (its `--as-of`), the upper bound of its publication date."""
    try:
        return date.fromisoformat(doc.fetched[:10]) if doc.fetched else None
    except ValueError:
        return None


def _text_to_article(
    doc: Document,
    text: str,
    repeated: set[str] | None,
    given_title: str | None,
    given_published: str | None = None,
) -> Article:
    text = textclean.detokenise(text)
    if given_title:
        given_title = textclean.detokenise(given_title) if textclean.is_pretokenised(text) else given_title
        # JSONL text often starts with the headline again
        first = text.lstrip().split("\n", 1)
        if first and textclean.norm_line(first[0]).lower() == textclean.norm_line(given_title).lower():
            text = first[1] if len(first) > 1 else ""
        text = given_title + "\n\n" + text
    info = textclean.clean_lines(text, repeated)
    if not info.paragraphs and info.title and len(info.title.split()) >= 4:
        info.paragraphs = [info.title]  # a headline-only report: the headline is its text
    if not info.paragraphs and detect_language(text) not in ANNOTATED_LANGUAGES:
        # The furniture rules read English lines (words, spaces, sentence shapes); a text in another
        # language or script is stored whole, line by line, with its language tag.
        lines = [textclean.norm_line(x) for x in text.splitlines()]
        info.paragraphs = [x for x in lines if x and x != info.title] or [x for x in lines if x]
        info.title = info.title or (info.paragraphs[0][:120] if info.paragraphs else "")
    if not info.paragraphs:
        raise InputError(doc.origin, "no article text left after removing page furniture")
    art = Article(
        document_id=doc.id,
        source=doc.origin,
        title=info.title,
        authors=info.authors,
        paragraphs=info.paragraphs,
        captions=info.captions,
        boilerplate_removed=info.removed,
        dateline=info.dateline,
    )
    if info.outlet_candidates:
        art.outlet = _clean_outlet(info.outlet_candidates[0])
    if given_published is None:  # a given date makes reading or inferring one from the text moot
        art.published = published_from(info.date_lines, art.text, fetched_date(doc), None)
    return art


def extract(doc: Document, repeated: set[str] | None = None) -> Article:
    """Turn one document into an article, or raise InputError saying why it cannot be one."""
    hints = dict(doc.hints)
    if doc.media_type == "application/x-jsonl-record":
        try:
            rec = json.loads(doc.content)
        except ValueError as exc:
            raise InputError(doc.origin, f"invalid JSON: {exc}") from None
        if not isinstance(rec, dict):
            raise InputError(doc.origin, "a JSONL line must be an object with 'text' or 'html'")
        rec = jsonl.fields(rec)
        for k in ("url", "outlet", "title", "published"):
            if rec.get(k) and not hints.get(k):
                hints[k] = str(rec[k])
        if rec.get("html"):
            art = _html_to_article(
                Document(doc.id, doc.origin, "text/html", b"", doc.fetched, hints), str(rec["html"])
            )
        elif rec.get("text") or rec.get("title"):
            # a headline-only record (a wire flash) is a one-sentence report
            text = str(rec.get("text") or "")
            art = _text_to_article(doc, text, repeated, hints.get("title"), hints.get("published"))
        else:
            raise InputError(doc.origin, jsonl.missing_content("the JSONL record"))
        if rec.get("id") is not None:
            art.external_id = str(rec["id"])
    elif doc.media_type == "text/html":
        art = _html_to_article(doc, decode(doc.content, doc.origin))
    else:
        art = _text_to_article(doc, decode(doc.content, doc.origin), repeated, None, hints.get("published"))
    art.document_id = doc.id
    art.source = doc.origin
    if hints.get("title") and not textclean.is_date_line(hints["title"], bool(tag(hints["title"]))):
        art.title = hints["title"]
    if hints.get("url"):
        art.url = art.url or hints["url"]
    if hints.get("outlet"):
        art.outlet = hints["outlet"]
    art.outlet = art.outlet or _outlet_from_url(art.url)
    if hints.get("published"):
        art.published = published_from([], "", None, hints["published"])
    if not art.text.strip():
        raise InputError(doc.origin, "no article text")
    if not art.title:
        art.title = art.paragraphs[0][:120]
    art.language = detect_language(art.title + "\n" + art.text)
    return art
