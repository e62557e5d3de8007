"""Files that once stopped or hung an ingest, or were lost without a word."""

from __future__ import annotations

import gzip
import json
import os
import time

import pytest

from newsloom.errors import InputError
from newsloom.ingest import read_sources

from conftest import run_cli

STORY = (
    "The harbour authority of Port Alder reopened the northern quay on Monday after a storm surge in March "
    "damaged its cranes and warehouses. Crews worked for six weeks to replace the mooring posts, the authority "
    "said in a statement. The mayor said the quay would bring back two hundred jobs lost when the port closed."
)


def kinds(items):
    return [type(i).__name__ for i in items]


def test_a_file_name_that_is_not_utf8_is_read_and_reported_by_an_escaped_name(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    bad = os.path.join(os.fsencode(folder), b"caf\xe9-story.txt")
    with open(bad, "wb") as f:
        f.write(STORY.encode())
    (folder / "empty.txt").write_text("")
    db = tmp_path / "n.db"
    out = run_cli("ingest", str(folder), db=db).stdout
    assert "1 article added" in out and "1 failed" in out
    art = json.loads(run_cli("articles", "--json", db=db).stdout)[0]
    assert art["source"].endswith("caf\\xe9-story.txt")


def test_a_fifo_in_a_folder_is_skipped_with_a_reason(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "pipe.txt")
    (folder / "story.txt").write_text(STORY)
    t0 = time.monotonic()
    items = list(read_sources([str(folder)]))
    assert time.monotonic() - t0 < 5
    assert kinds(items) == ["InputError", "Document"]
    assert "FIFO" in items[0].reason


def test_a_line_over_the_article_limit_is_skipped_unread_and_the_next_line_is_read(tmp_path):
    path = tmp_path / "big.jsonl"
    with open(path, "wb") as f:
        f.write(b'{"text": "' + b"a" * (21 * 2**20) + b'"}\n')
        f.write(json.dumps({"title": "Quay", "text": STORY}).encode() + b"\n")
    items = list(read_sources([str(path)]))
    assert kinds(items) == ["InputError", "Document"]
    assert items[0].source.endswith(":1") and "over the 20 MB limit" in items[0].reason


def test_a_small_gzip_holding_a_huge_line_is_reported_without_decoding_it_whole(tmp_path):
    path = tmp_path / "bomb.jsonl.gz"
    with gzip.open(path, "wb") as f:
        f.write(b'{"text": "')
        for _ in range(8):
            f.write(b"a" * (2**22))  # 32 MB of one line
        f.write(b'"}\n')
        f.write(json.dumps({"title": "Quay", "text": STORY}).encode() + b"\n")
    assert path.stat().st_size < 2**20
    items = list(read_sources([str(path)]))
    assert kinds(items) == ["InputError", "Document"]


@pytest.mark.parametrize("n", [1, 3])
def test_lines_split_across_reads_are_whole(tmp_path, n):
    from newsloom import ingest

    path = tmp_path / "a.jsonl"
    lines = [json.dumps({"title": f"T{i}", "text": STORY * n}) for i in range(5)]
    path.write_text("\n".join(lines))  # no final newline
    with open(path, "rb") as f:
        got = list(ingest._lines_of(f, chunk=97))
    assert got == [line.encode() for line in lines]


def test_read_sources_names_a_missing_path(tmp_path):
    items = list(read_sources([str(tmp_path / "nope")]))
    assert isinstance(items[0], InputError) and "no such file" in items[0].reason


def _doc_of(tmp_path, name: str, data: bytes):
    from newsloom.extract import extract

    path = tmp_path / name
    path.write_bytes(data)
    items = list(read_sources([str(path)]))
    return [extract(i) if not isinstance(i, InputError) else i for i in items]


def test_a_feed_item_with_a_plain_text_description_keeps_its_text(tmp_path):
    body = "\n\n".join([STORY] * 2)  # over 80 words, no markup
    feed = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Coast Courier</title>
<item><title>Quay reopens</title><link>https://coast.example/q</link><description>{body}</description></item>
</channel></rss>"""
    [art] = _doc_of(tmp_path, "feed.xml", feed.encode())
    assert "mooring posts" in art.text and art.title == "Quay reopens"


@pytest.mark.parametrize(
    "markup",
    [
        "<body>{s}</body>",
        "<body><span>{s}</span></body>",
        "<body><article><h1>Quay reopens</h1>{s}</article></body>",
    ],
)
def test_html_text_outside_paragraphs_is_kept(tmp_path, markup):
    page = "<html><head><title>Quay reopens</title></head>" + markup.format(s=STORY) + "</html>"
    [art] = _doc_of(tmp_path, "page.html", page.encode())
    assert "mooring posts" in art.text


def test_a_page_with_only_a_headline_is_a_failure_not_an_empty_article(tmp_path):
    page = "<html><head><title>Quay reopens</title></head><body><h1>Quay reopens</h1></body></html>"
    with pytest.raises(InputError):
        _doc_of(tmp_path, "page.html", page.encode())


@pytest.mark.parametrize(
    "text,encoding",
    [
        ("Talks in Genève ended on Friday; the délégués agreed to meet again in the spring.", "latin-1"),
        ("Die Gespräche in Zürich über Öl endeten am Freitag ohne Ergebnis.", "latin-1"),
        ("Čeští delegáti se sešli v Brně a shodli se, že žádná strana neustoupí.", "cp1250"),
    ],
)
def test_single_byte_encodings_are_read_in_the_code_page_of_the_texts_language(tmp_path, text, encoding):
    from newsloom.extract import decode

    assert decode(text.encode(encoding), "x") == text


@pytest.mark.parametrize(
    "text,lang",
    [
        (
            "北京市政府周一宣布，新的地铁线路将于明年开通。官员表示，这条线路将连接城市东部和西部的多个区。",
            "zh",
        ),
        (
            "東京都は月曜日、新しい地下鉄路線を来年開業すると発表した。当局者によると、この路線は都市の東部と西部を結ぶという。",
            "ja",
        ),
    ],
)
def test_articles_in_other_scripts_are_stored_with_their_language(tmp_path, text, lang):
    [art] = _doc_of(tmp_path, "story.txt", (text * 3).encode())
    assert art.language == lang and text[:10] in art.text


def _warc(n: int = 3, gz: bool = False) -> bytes:
    import io as _io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = _io.BytesIO()
    w = WARCWriter(buf, gzip=gz)  # gzip: one member a record, as CC-NEWS
    for i in range(n):
        body = f"<html><head><title>Story {i}</title></head><body><p>{STORY}</p></body></html>".encode()
        h = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        w.write_record(
            w.create_warc_record(
                f"https://x.example/{i}", "response", payload=_io.BytesIO(body), http_headers=h
            )
        )
    return buf.getvalue()


@pytest.mark.parametrize("gz", [False, True])
@pytest.mark.parametrize("fraction", [0.95, 0.5])
def test_a_warc_cut_inside_a_record_stores_the_whole_ones_and_reports_the_cut(tmp_path, gz, fraction):
    data = _warc(gz=gz)
    path = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    path.write_bytes(data[: int(len(data) * fraction)])
    items = list(read_sources([str(path)]))
    assert isinstance(items[-1], InputError), [getattr(i, "reason", i) for i in items]
    whole = [i for i in items if not isinstance(i, InputError)]
    assert len(whole) == (2 if fraction > 0.9 else 1)
    assert all(b"</html>" in d.content for d in whole)


def test_control_characters_in_html_do_not_stop_extraction(tmp_path):
    filler = "".join(f"<p>{STORY}</p>" for _ in range(30))  # past the first 4 KB, where NUL means binary
    page = f"<html><head><title>Quay reopens</title></head><body>{filler}<p>A last\x00 line\x01\x0b.</p></body></html>"
    [art] = _doc_of(tmp_path, "page.html", page.encode())
    assert "mooring posts" in art.text


def test_a_megabyte_without_sentences_is_stored_whole_and_annotated_in_part(tmp_path, resources):
    from newsloom.annotate import ANNOTATED_CHARS
    from newsloom.pipeline import ingest
    from newsloom.store import Store

    path = tmp_path / "long.txt"
    path.write_text("Long report\n\n" + STORY + "\n" + "data " * (2**20 // 5))
    with Store(tmp_path / "n.db") as store:
        report = ingest(store, [str(path)], res=resources)
        assert report.added == 1 and not report.failed
        (n,) = store.query("SELECT length(text) FROM articles")[0]
        assert n > 2**20 - 100
        (last,) = store.query("SELECT MAX(end) FROM sentences")[0]
        assert last <= ANNOTATED_CHARS


def test_a_reader_library_failing_on_odd_bytes_fails_that_file_alone(tmp_path):
    """warcio raises AttributeError on a response record without a target URI: that file's failure."""
    body = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><p>"
        + STORY.encode()
        + b"</p></body></html>"
    )
    head = b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:1>\r\n"
    head += b"Content-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n" % len(body)
    (tmp_path / "a.warc").write_bytes(head + body + b"\r\n\r\n")
    (tmp_path / "b.txt").write_text(STORY)
    items = list(read_sources([str(tmp_path)]))
    assert kinds(items) == ["InputError", "Document"]
    assert items[0].reason.startswith("internal error in read")
