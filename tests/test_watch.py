"""`newsloom watch` against a feed served on 127.0.0.1 that gains items between polls."""

from __future__ import annotations

import email.utils
import hashlib
import html
import json
import threading
from collections import Counter
from datetime import UTC
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from newsloom.store import Store
from newsloom.watch import Watcher, describe, sources_of

from conftest import DEMO, run_cli


def _demo_records() -> list[dict]:
    return [
        json.loads(line) for line in (DEMO / "balkan-wire.jsonl").read_text(encoding="utf-8").splitlines()
    ]


class FeedServer:
    """A news site: /feed.xml lists the items published so far (title, link, a short teaser: the article
    is on its page), with an ETag; /a/<id> is each article's page. Counts every request."""

    def __init__(self) -> None:
        self.items: list[dict] = []
        self.hits: Counter[str] = Counter()
        self.not_modified = 0
        self.posted: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a: object) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802 - the alert hook
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                server.posted.append(json.loads(body))
                self.send_response(204)
                self.end_headers()

            def do_GET(self) -> None:  # noqa: N802
                server.hits[self.path] += 1
                if self.path == "/feed.xml":
                    body = server.feed().encode()
                    etag = '"' + hashlib.sha1(body).hexdigest() + '"'
                    if self.headers.get("If-None-Match") == etag:
                        server.not_modified += 1
                        self.send_response(304)
                        self.send_header("ETag", etag)
                        self.end_headers()
                        return
                    self.send_response(200)
                    self.send_header("Content-Type", "application/rss+xml")
                    self.send_header("ETag", etag)
                elif self.path.startswith("/a/"):
                    rec = next((r for r in server.items if r["id"] == self.path[3:]), None)
                    if rec is None:
                        self.send_error(404)
                        return
                    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in rec["text"].split("\n\n")[1:])
                    body = (
                        f"<html><head><title>{html.escape(rec['title'])}</title>"
                        f'<meta property="article:published_time" content="{rec["published"]}">'
                        f"</head><body><article><h1>{html.escape(rec['title'])}</h1>{paragraphs}"
                        "</article></body></html>"
                    ).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                else:
                    self.send_error(404)
                    return
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def feed(self) -> str:
        entries = "".join(
            f"<item><title>{html.escape(r['title'])}</title><link>{self.base}/a/{r['id']}</link>"
            f"<guid>{r['id']}</guid><pubDate>{_rfc822(r['published'])}</pubDate>"
            f"<description>{html.escape(r['title'])}</description></item>"
            for r in self.items
        )
        return (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Balkan Wire</title>'
            f"<link>{self.base}/</link><description>news</description>{entries}</channel></rss>"
        )

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _rfc822(day: str) -> str:
    from datetime import datetime

    return email.utils.format_datetime(datetime.fromisoformat(day).replace(hour=12, tzinfo=UTC))


@pytest.fixture()
def site():
    s = FeedServer()
    yield s
    s.close()


def test_each_item_is_ingested_once_and_new_events_are_reported(site, tmp_path, resources):
    recs = _demo_records()
    site.items = recs[:1]
    store = Store(tmp_path / "w.db")
    w = Watcher(
        store, [site.base + "/feed.xml"], every=60, res=resources, allow_private=True, alerts=["Markovic"]
    )

    first = w.poll(force=True)
    assert first.feeds[0]["new_items"] == 1 and first.feeds[0]["status"] == 200
    assert [e["change"] for e in first.events] == ["new"]
    assert "Vidin" in first.events[0]["place"] or "Vidin" in first.events[0]["title"]
    assert first.alerts == []  # the flood report does not name the commissioner
    assert any(line.startswith("new event ev_") for line in describe(first))

    unchanged = w.poll(force=True)  # the feed has not changed: a conditional request, a 304
    assert unchanged.feeds[0]["status"] == 304 and site.not_modified == 1
    assert unchanged.events == [] and unchanged.feeds[0]["new_items"] == 0

    site.items = recs[:2]  # the site publishes a second article
    second = w.poll(force=True)
    assert second.feeds[0]["new_items"] == 1
    assert {e["id"] for e in second.events} and all(e["id"] != first.events[0]["id"] for e in second.events)
    assert [(a["alert"], a["event"]["id"]) for a in second.alerts] == [("Markovic", second.events[0]["id"])]

    # every article page was fetched exactly once, and each is stored once
    assert all(n == 1 for path, n in site.hits.items() if path.startswith("/a/"))
    assert sum(1 for p in site.hits if p.startswith("/a/")) == 2
    assert store.count("articles") == 2
    store.close()

    # a new watcher on the same store (a restart) takes nothing again
    store = Store(tmp_path / "w.db")
    again = Watcher(store, [site.base + "/feed.xml"], every=60, res=resources, allow_private=True).poll(
        force=True
    )
    assert again.feeds[0]["status"] == 304 and again.events == []
    assert all(n == 1 for path, n in site.hits.items() if path.startswith("/a/"))
    store.close()


def test_an_alert_is_posted_to_the_hook(site, tmp_path, resources):
    site.items = _demo_records()[:2]
    store = Store(tmp_path / "a.db")
    w = Watcher(
        store,
        [site.base + "/feed.xml"],
        every=60,
        res=resources,
        allow_private=True,
        alerts=["Markovic", "dike breach"],
        alert_url=site.base + "/hook",
    )
    poll = w.poll(force=True)
    assert [a["alert"] for a in poll.alerts] == ["Markovic"]  # no report has the words "dike breach"
    assert poll.alerts[0]["posted"] == "posted"
    assert [p["alert"] for p in site.posted] == ["Markovic"]
    assert site.posted[0]["event"]["id"] == poll.alerts[0]["event"]["id"]
    store.close()


def test_a_failing_feed_waits_longer_each_time(tmp_path, resources):
    now = [1000.0]
    store = Store(tmp_path / "f.db")
    w = Watcher(
        store,
        ["http://127.0.0.1:9/feed.xml"],
        every=60,
        res=resources,
        allow_private=True,
        clock=lambda: now[0],
    )
    waits = []
    for _ in range(3):
        r = w.poll(force=True)
        assert r.feeds[0]["error"]
        waits.append(w.feeds[0].due - now[0])
    assert waits == [120, 240, 480]
    assert store.query("SELECT failures FROM watched_feeds")[0][0] == 3
    store.close()


def test_the_command_polls_once_and_reports(site, tmp_path):
    site.items = _demo_records()[:1]
    listing = tmp_path / "feeds.txt"
    listing.write_text(f"# our feeds\n{site.base}/feed.xml\n", encoding="utf-8")
    db = tmp_path / "c.db"
    out = run_cli("watch", str(listing), "--once", "--allow-private", "--json", db=db).stdout
    poll = json.loads(out.splitlines()[-1])
    assert poll["feeds"][0]["new_items"] == 1 and poll["events"][0]["change"] == "new"
    text = run_cli("watch", str(listing), "--once", "--allow-private", db=db).stdout
    assert "unchanged" in text


def test_sources_are_checked(tmp_path):
    from newsloom.errors import NewsloomError

    with pytest.raises(NewsloomError, match="neither an http"):
        sources_of(["feeds-that-do-not-exist.txt"])
    bad = tmp_path / "list.txt"
    bad.write_text("ftp://example.org/feed\n", encoding="utf-8")
    with pytest.raises(NewsloomError, match="line 1"):
        sources_of([str(bad)])


def test_the_command_stops_cleanly_on_sigterm(site, tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    site.items = _demo_records()[:1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsloom", "--db", str(tmp_path / "s.db"), "watch", site.base + "/feed.xml",
         "--every", "3600", "--allow-private"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ, PYTHONUNBUFFERED="1"),
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()  # the first poll's report: the watcher now waits an hour
        assert "1 new item" in first
        time.sleep(0.5)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 0 and "stopping" in err
    from newsloom.store import Store

    with Store(tmp_path / "s.db", readonly=True) as store:  # what was ingested is kept
        assert store.count("articles") == 1
