"""Extraction speed: pages per second for plain text, HTML and WARC input (read + extract, no NLP).

    python benchmarks/extract.py [--limit N]

Texts are Timeline17's articles (../shared/datasets/t17-dev). The datasets hold no raw HTML, so each
text is also wrapped in a news-page template with navigation, a cookie banner, a figure, related links
and comments (what trafilatura has to cut away), and those pages are also written into a WARC file as
HTTP 200 responses, as in Common Crawl's CC-NEWS.
"""

from __future__ import annotations

import argparse
import html
import io
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "datasets" / "t17-dev"

TEMPLATE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title} | Example News</title>
<meta property="og:site_name" content="Example News"><meta property="article:published_time" content="{date}">
<link rel="canonical" href="https://news.example/{n}"></head><body>
<header><nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/business">Business</a> | <a href="/sport">Sport</a></nav></header>
<div class="cookie-banner">We use cookies to improve your experience. <button>Accept</button></div>
<main><article><h1>{title}</h1><p class="byline">By Staff Reporter</p>
<figure><img src="/img/{n}.jpg"><figcaption>A file photo from 2005. (Photo: Archive)</figcaption></figure>
{paras}</article></main>
<aside class="related"><h3>Related stories</h3><ul><li><a href="/a">Markets close higher</a></li><li><a href="/b">Weather warning</a></li></ul></aside>
<section class="comments"><h3>12 comments</h3><p>Leave a reply. Your email address will not be published.</p></section>
<footer>&copy; 2026 Example News. All rights reserved.</footer></body></html>"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--limit", type=int, default=400, help="articles per format")
    args = ap.parse_args()
    files = sorted(DATA.glob("*/articles.jsonl"))
    if not files:
        print(f"skipped: {DATA} is absent")
        return 0
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from newsloom.errors import InputError
    from newsloom.extract import extract
    from newsloom.ingest import read_sources

    recs = []
    for f in files:
        for line in f.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            if rec.get("text"):
                recs.append(rec)
    recs = recs[: args.limit]
    with tempfile.TemporaryDirectory() as tmp:
        tdir, hdir = Path(tmp) / "text", Path(tmp) / "html"
        tdir.mkdir()
        hdir.mkdir()
        warc = Path(tmp) / "pages.warc.gz"
        with open(warc, "wb") as out:
            w = WARCWriter(out, gzip=True)
            for n, rec in enumerate(recs):
                text = rec["text"]
                lines = [x.strip() for x in text.splitlines() if x.strip()]
                title = lines[0][:100] if lines else "Untitled"
                (tdir / f"{n}.txt").write_text(text, encoding="utf-8")
                paras = (
                    "\n".join(f"<p>{html.escape(x)}</p>" for x in lines[1:]) or f"<p>{html.escape(title)}</p>"
                )
                page = TEMPLATE.format(
                    title=html.escape(title), date=rec.get("published", ""), n=n, paras=paras
                )
                (hdir / f"{n}.html").write_text(page, encoding="utf-8")
                headers = StatusAndHeaders(
                    "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
                )
                rec_ = w.create_warc_record(
                    f"https://news.example/{n}",
                    "response",
                    payload=io.BytesIO(page.encode()),
                    http_headers=headers,
                )
                w.write_record(rec_)
        print(f"{len(recs)} pages per format")
        for name, path in (("text", tdir), ("html", hdir), ("warc.gz", warc)):
            t0 = time.perf_counter()
            ok = bad = 0
            for item in read_sources([str(path)]):
                if isinstance(item, InputError):
                    bad += 1
                    continue
                try:
                    extract(item)  # type: ignore[arg-type]
                    ok += 1
                except InputError:
                    bad += 1
            dt = time.perf_counter() - t0
            print(f"{name:8s} {ok / dt:7.1f} pages/s  ({ok} extracted, {bad} rejected, {dt:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
