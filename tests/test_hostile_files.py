"""Files that once stopped or hung an ingest, or were lost without a word."""

from __future__ import annotations

import gzip
import json
import os
import time
from pathlib import Path

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
    assert "1 articles added" in out and "1 failed" in out
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
