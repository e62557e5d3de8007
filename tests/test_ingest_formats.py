"""Each input format and each kind of bad input, with files written by the tests themselves."""

from __future__ import annotations

import gzip
import http.server
import io
import json
import threading
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsloom.errors import InputError
from newsloom.ingest import PendingURL, fetch, read_sources, sniff

from conftest import run_cli

STORY = (
    "The harbour authority of Port Alder reopened the northern quay on Monday after a storm surge in March damaged "
    "its cranes and warehouses. Crews worked for six weeks to replace the mooring posts and the electrical system, "
    "the authority said in a statement. The first ship to dock was a grain carrier from the south. The mayor said "
    "the quay would bring back two hundred jobs that were lost when the port closed, and that the town would ask "
    "the regional government for money to build a new sea wall before the next winter storms arrive on the coast."
)


def page(title: str, body: str = STORY) -> str:
    paras = "".join(f"<p>{s.strip()}.</p>" for s in body.split(".") if s.strip())
    return f"<html><head><title>{title}</title></head><body><nav>Home | News</nav><article><h1>{title}</h1>{paras}</article></body></html>"


def docs(items):
    return [i for i in items if not isinstance(i, (InputError, PendingURL))]


def test_sniff_by_content_not_name():
    assert sniff(b'{"text": "a"}\n', "x.txt") == "jsonl"
    assert sniff(b"<!DOCTYPE html><html>", "x.txt") == "html"
    assert sniff(b'<?xml version="1.0"?><rss version="2.0">', "x.html") == "rss"
    assert sniff(b"WARC/1.0\r\n", "x") == "warc"
    assert sniff(b"Plain words.", "x.html") == "html"  # a tie goes to the name
    assert sniff(b"Plain words.", "x") == "text"


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Coast Courier</title><link>https://coast.example/</link><description>News</description>
<item><title>Northern quay reopens in Port Alder</title><link>https://coast.example/quay</link>
<pubDate>Tue, 14 May 2024 08:00:00 GMT</pubDate><content:encoded><![CDATA[{html}]]></content:encoded></item>
<item><title>Council meets on budget</title><link>https://coast.example/budget</link>
<pubDate>Wed, 15 May 2024 08:00:00 GMT</pubDate><description>The council met.</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Alder Atom</title><id>urn:x</id><updated>2024-05-14T00:00:00Z</updated>
<entry><title>Northern quay reopens</title><link href="https://atom.example/quay"/><id>urn:1</id>
<updated>2024-05-14T09:00:00Z</updated><content type="html">{html}</content></entry>
<entry><title>Teaser only</title><link href="https://atom.example/teaser"/><id>urn:2</id><updated>2024-05-15T09:00:00Z</updated>
<summary>Short teaser.</summary></entry></feed>"""


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_feeds_full_entries_become_articles_link_only_entries_pending(tmp_path, kind):
    paras = "".join(f"<p>{s.strip()}.</p>" for s in STORY.split(".") if s.strip())
    if kind == "rss":
        text = RSS.replace("{html}", paras)
    else:
        text = ATOM.replace("{html}", paras.replace("<", "&lt;").replace(">", "&gt;"))
    f = tmp_path / f"feed.{kind}.xml"
    f.write_text(text)
    items = list(read_sources([str(f)]))
    articles = docs(items)
    pending = [i for i in items if isinstance(i, PendingURL)]
    assert len(articles) == 1 and len(pending) == 1
    assert articles[0].hints["url"].endswith("/quay")
    assert articles[0].hints["published"].startswith("2024-05-14")
    assert articles[0].hints["outlet"] in ("Coast Courier", "Alder Atom")
    db = tmp_path / "f.db"
    out = json.loads(run_cli("ingest", str(f), "--json", db=db).stdout)
    assert out["added"] == 1 and len(out["pending_urls"]) == 1
    arts = json.loads(run_cli("articles", "--json", db=db).stdout)
    assert arts[0]["title"].startswith("Northern quay reopens") and "Port Alder" in arts[0]["text"]
    assert json.loads(run_cli("pending", "--json", db=db).stdout)[0]["url"].endswith(("/budget", "/teaser"))


def _warc(path: Path, gz: bool) -> None:
    with open(path, "wb") as out:
        w = WARCWriter(out, gzip=gz)

        def response(url: str, status: str, ctype: str, body: bytes) -> None:
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            w.write_record(
                w.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers)
            )

        w.write_record(
            w.create_warc_record(
                "https://news.example/a", "request", payload=io.BytesIO(b"GET /a HTTP/1.1\r\n\r\n")
            )
        )
        response(
            "https://news.example/a", "200 OK", "text/html; charset=utf-8", page("Quay reopens").encode()
        )
        response("https://news.example/missing", "404 Not Found", "text/html", b"<html>not found</html>")
        response("https://news.example/logo.png", "200 OK", "image/png", b"\x89PNG\r\n")


@pytest.mark.parametrize("gz", [False, True])
def test_warc_keeps_only_http_200_html_responses(tmp_path, gz):
    f = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    _warc(f, gz)
    found = docs(read_sources([str(f)]))
    assert (
        len(found) == 1
        and found[0].hints["url"] == "https://news.example/a"
        and found[0].media_type == "text/html"
    )
    db = tmp_path / "w.db"
    run_cli("ingest", str(f), db=db)
    arts = json.loads(run_cli("articles", "--json", db=db).stdout)
    assert len(arts) == 1 and arts[0]["url"] == "https://news.example/a"


def test_gzip_jsonl_and_truncated_gzip(tmp_path):
    lines = [
        json.dumps(
            {
                "id": f"n{i}",
                "title": f"Story {i}",
                "text": STORY.replace("Monday", ["Monday", "Tuesday", "Friday"][i]),
            }
        )
        for i in range(3)
    ]
    good = tmp_path / "a.jsonl.gz"
    good.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    assert len(docs(read_sources([str(good)]))) == 3
    cut = tmp_path / "b.jsonl.gz"
    # varied lines, as real data has (identical ones compress into back-references to the end)
    many = [
        json.dumps(
            {
                "id": f"m{i}",
                "text": f"Report {i}. " + STORY + " " + " ".join(str(i * j + 7) for j in range(60)),
            }
        )
        for i in range(60)
    ]
    data = gzip.compress(("\n".join(many) + "\n").encode())
    cut.write_bytes(data[: len(data) * 2 // 3])
    items = list(read_sources([str(cut)]))
    errors = [i for i in items if isinstance(i, InputError)]
    assert docs(items) and errors and "truncated" in errors[-1].reason


def test_directories_are_read_recursively(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "one.txt").write_text("Quay reopens\n\n" + STORY)
    (tmp_path / "a" / "b" / "two.html").write_text(page("Second page"))
    (tmp_path / "a" / "b" / "image.png").write_bytes(b"\x89PNG")
    found = docs(read_sources([str(tmp_path / "a")]))
    assert sorted(d.media_type for d in found) == ["text/html", "text/plain"]


def test_very_large_file_is_refused_without_reading_it(tmp_path):
    big = tmp_path / "huge.txt"
    with open(big, "wb") as f:
        f.write(b"Headline\n\n")
        f.truncate(200 * 1024 * 1024)
    items = list(read_sources([str(big)]))
    assert len(items) == 1 and isinstance(items[0], InputError) and "too large" in items[0].reason


def test_near_duplicates_link_to_the_first_copy(tmp_path):
    folder = tmp_path / "wire"
    folder.mkdir()
    (folder / "a.txt").write_text("Quay reopens in Port Alder\n\n" + STORY)
    # a syndicated copy: another headline, a sentence of its own, the same report
    (folder / "b.txt").write_text(
        "Port Alder quay back in business\n\n" + STORY + " Our correspondent reported from the port."
    )
    db = tmp_path / "n.db"
    out = run_cli("ingest", str(folder), db=db).stdout
    assert "1 article added, 1 duplicate" in out
    arts = json.loads(run_cli("articles", "--json", db=db).stdout)
    first, copy = sorted(arts, key=lambda a: a["duplicate_of"] is not None)
    assert copy["duplicate_of"] == first["id"] and copy["event_id"] == first["event_id"]


def test_lines_repeated_across_a_site_are_furniture(tmp_path):
    site = tmp_path / "courier"
    site.mkdir()
    for i, day in enumerate(["Monday", "Tuesday", "Wednesday"]):
        body = STORY.replace("Monday", day).replace("grain", ["grain", "coal", "timber"][i])
        (site / f"{i}.txt").write_text(
            f"Harbour story {i} for the coast\n\n{body}\n\nPrairie Courier, independent since 1901\nTip us off: desk at courier dot example\n"
        )
    db = tmp_path / "l.db"
    run_cli("ingest", str(site), db=db)
    arts = json.loads(run_cli("articles", "--json", db=db).stdout)
    assert len(arts) == 3
    for a in arts:
        assert "Prairie Courier" not in a["text"] and "Tip us off" not in a["text"]
    assert any("Tip us off: desk at courier dot example" in a["boilerplate_removed"] for a in arts)


def test_non_english_articles_are_stored_and_flagged(tmp_path):
    f = tmp_path / "de.txt"
    f.write_text(
        "Hafen wieder geöffnet\n\nDie Hafenbehörde von Port Alder hat am Montag den nördlichen Kai wieder geöffnet, nachdem "
        "eine Sturmflut im März die Kräne und Lagerhäuser beschädigt hatte. Der Bürgermeister sagte, der Kai bringe "
        "zweihundert Arbeitsplätze zurück, die verloren gegangen waren, als der Hafen geschlossen wurde.\n"
    )
    db = tmp_path / "de.db"
    out = run_cli("ingest", str(f), db=db).stdout
    assert "not in English" in out
    art = json.loads(run_cli("articles", "--json", db=db).stdout)[0]
    assert art["language"] == "de" and "Bürgermeister" in art["text"] and art["event_id"] is None


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
            return
        if self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/story")
            self.end_headers()
            return
        body = page("Quay reopens").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def local_server():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()


def test_urls_loopback_refused_unless_allowed(tmp_path, local_server):
    db = tmp_path / "u.db"
    proc = run_cli("ingest", f"{local_server}/story", db=db, check=False)
    assert proc.returncode == 1 and "private, loopback, link-local" in proc.stdout
    out = run_cli("ingest", "--allow-private", f"{local_server}/moved", db=db).stdout
    assert "1 article added" in out
    art = json.loads(run_cli("articles", "--json", db=db).stdout)[0]
    assert art["url"] == f"{local_server}/story"  # the final URL after the redirect


def test_fetch_limits(local_server):
    with pytest.raises(InputError, match="redirects"):
        fetch(f"{local_server}/loop", allow_private=True)
    with pytest.raises(InputError, match="limit"):
        fetch(f"{local_server}/story", allow_private=True, max_bytes=100)
    with pytest.raises(InputError, match="only http"):
        fetch("file:///etc/passwd")
    with pytest.raises(InputError, match="private"):
        fetch("http://169.254.169.254/latest/meta-data/")
