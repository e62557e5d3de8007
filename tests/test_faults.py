"""One document's problem never stops the others: failures at each per-document and corpus stage."""

from __future__ import annotations

import json
from pathlib import Path

from newsloom import annotate, resolve
from newsloom.pipeline import ingest
from newsloom.store import Store

from conftest import run_cli

STORIES = {
    "quay": (
        "Port Alder, 14 May 2024. The harbour authority of Port Alder reopened the northern quay on Monday "
        "after a storm surge in March damaged its cranes. Crews worked for six weeks to replace the mooring "
        "posts, the authority said. The mayor, Ines Varga, said the quay would bring back two hundred jobs."
    ),
    "bridge": (
        "Millbrook, 15 May 2024. Engineers closed the old rail bridge over the Keld river on Tuesday after "
        "inspectors found cracks in two of its piers. Trains between Millbrook and Ostend Halt will run on a "
        "detour for a month, the rail company said. Its director, Paulo Renner, apologised to travellers."
    ),
    "pharaoh": (
        "Cairo, 2 February 2011. Protesters filled the square for a ninth day on Wednesday, and the army "
        "said it would not use force. A reader wrote under the report: WHAT OUR PHARAOH DID TO YOU 7000 "
        "YEARS AGO, and another that the city was founded some 5,000 years ago. Talks were due on Thursday."
    ),
}


def write_corpus(folder: Path) -> Path:
    folder.mkdir()
    for name, text in STORIES.items():
        (folder / f"{name}.txt").write_text(f"{name.title()} story\n\n{text}\n", encoding="utf-8")
    return folder


def test_an_expression_before_the_calendar_no_longer_stops_an_ingest(tmp_path, resources):
    with Store(tmp_path / "n.db") as store:
        report = ingest(store, [str(write_corpus(tmp_path / "in"))], res=resources)
        assert report.added == 3 and not report.failed
        values = {r[0] for r in store.query("SELECT value FROM time_mentions")}
    assert "BC4990" in values and "BC2990" in values


def test_an_annotation_error_fails_that_document_alone(tmp_path, resources, monkeypatch):
    real = annotate.annotate_one

    def flaky(it, doc, res):
        if "bridge" in it.article.text:
            raise RuntimeError("a bug met on this text")
        return real(it, doc, res)

    monkeypatch.setattr(annotate, "annotate_one", flaky)
    with Store(tmp_path / "n.db") as store:
        report = ingest(store, [str(write_corpus(tmp_path / "in"))], res=resources)
        assert report.added == 2
        assert [(Path(o).name, r.split(":")[0]) for o, r in report.failed] == [
            ("bridge.txt", "internal error in annotate")
        ]
        rows = store.query("SELECT origin, stage FROM failures")
        assert [(Path(r[0]).name, r[1]) for r in rows] == [("bridge.txt", "annotate")]
        assert store.count("articles") == 2 and store.count("documents") == 2
        assert not store.query("SELECT 1 FROM entity_mentions WHERE text LIKE '%Renner%'")


def test_a_corpus_stage_error_removes_that_article_and_a_rerun_retries_it(tmp_path, resources, monkeypatch):
    real = resolve.resolve_article

    def flaky(db, aid, text, gaz, title=""):
        if "Keld" in text:
            db.execute("INSERT INTO term_df(term, df) VALUES ('half-done', 1)")  # work to roll back
            raise RuntimeError("a bug met in the corpus stages")
        return real(db, aid, text, gaz, title)

    folder = write_corpus(tmp_path / "in")
    monkeypatch.setattr(resolve, "resolve_article", flaky)
    with Store(tmp_path / "n.db") as store:
        report = ingest(store, [str(folder)], res=resources)
        assert report.added == 2 and len(report.failed) == 1
        assert store.query("SELECT stage FROM failures")[0][0] == "corpus"
        assert store.count("articles") == 2 and store.count("documents") == 2
        assert not store.query("SELECT 1 FROM term_df WHERE term = 'half-done'")
        assert not store.query("SELECT 1 FROM sentences WHERE article_id NOT IN (SELECT id FROM articles)")
        events = store.count("events")
        monkeypatch.setattr(resolve, "resolve_article", real)
        again = ingest(store, [str(folder)], res=resources)  # the bug fixed: the failed one is retried
        assert again.added == 1 and again.already_stored == 2
        assert store.count("articles") == 3 and store.count("events") >= events


def test_a_corpus_stage_error_in_a_rebuild_keeps_every_stored_article(tmp_path, resources, monkeypatch):
    from newsloom.pipeline import recluster

    real = resolve.resolve_article
    with Store(tmp_path / "n.db") as store:
        ingest(store, [str(write_corpus(tmp_path / "in"))], res=resources)

        def broken(db, aid, text, gaz, title=""):
            raise RuntimeError("a bug in the corpus stages")

        monkeypatch.setattr(resolve, "resolve_article", broken)
        recluster(store)  # every article fails: none may be lost
        assert store.count("articles") == 3 and store.count("documents") == 3
        assert store.count("sentences") > 0
        assert {r[0] for r in store.query("SELECT stage FROM failures")} == {"corpus"}
        monkeypatch.setattr(resolve, "resolve_article", real)
        recluster(store)  # the bug fixed: all of them clustered again
        assert store.count("articles") == 3
        assert not store.query("SELECT 1 FROM articles WHERE clustered = 0 OR event_id IS NULL")


def test_the_failures_command_names_the_stage(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.txt").write_text("")
    db = tmp_path / "n.db"
    assert run_cli("ingest", str(folder), db=db, check=False).returncode == 1  # nothing could be added
    rows = json.loads(run_cli("failures", "--json", db=db).stdout)
    assert [(Path(r["source"]).name, r["stage"]) for r in rows] == [("empty.txt", "read")]


def test_an_internal_error_prints_one_line_and_logs_the_traceback(tmp_path, monkeypatch):
    db = tmp_path / "n.db"
    run_cli("ingest", str(write_corpus(tmp_path / "in")), db=db)
    with Store(db) as store:  # a store damaged by hand: a bug's consequence, not a data problem
        store.db.execute("DROP TABLE storylines")
    log = tmp_path / "trace.log"
    monkeypatch.setenv("NEWSLOOM_LOG", str(log))
    proc = run_cli("storylines", db=db, check=False)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert str(log) in proc.stderr and "Traceback" in log.read_text()


def test_a_missing_optional_extra_is_one_line_naming_it(tmp_path, monkeypatch, capsys):
    import sys

    from newsloom.cli import main

    monkeypatch.setitem(sys.modules, "pyspark", None)  # as if the spark extra were not installed
    monkeypatch.setenv("NEWSLOOM_LOG", str(tmp_path / "log"))
    rc = main(["--db", str(tmp_path / "n.db"), "batch", str(tmp_path), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert rc == 2 and "pip install 'newsloom[spark]'" in err and "Traceback" not in err
