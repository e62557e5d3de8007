"""A kill -9 in the middle of an ingest leaves a consistent store; running again completes the job."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import DEMO, SHARED, run_cli


def _corpus(tmp_path, n: int = 120):
    """Real articles when the evaluation data is beside the checkout, else generated ones."""
    src = SHARED / "t17-dev" / "haiti" / "articles.jsonl"
    out = tmp_path / "corpus.jsonl"
    if src.exists():
        with open(src) as f, open(out, "w") as g:
            for i, line in enumerate(f):
                if i >= n:
                    break
                g.write(line)
    else:
        with open(out, "w") as g:
            for i in range(n):
                text = f"The council of town number {i} met on Monday and approved a budget of {i} million euros for new schools."
                g.write(
                    json.dumps({"id": f"gen-{i}", "title": f"Town {i} approves budget", "text": text}) + "\n"
                )
    return out, n


def _wait_for_a_batch(db, proc):
    import sqlite3

    deadline = time.time() + 300
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.5)
        try:
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as con:
                if con.execute("SELECT COUNT(*) FROM articles").fetchone()[0] > 0:
                    return
        except Exception:
            continue


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as f:
            return "\tZ" not in next(line for line in f if line.startswith("State:"))
    except (FileNotFoundError, StopIteration):
        return False


def test_kill_during_ingest_then_resume(tmp_path):
    corpus, n = _corpus(tmp_path)
    db = tmp_path / "k.db"
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsloom", "--db", str(db), "ingest", str(corpus)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait_for_a_batch(db, proc)  # at least one batch committed; then kill without warning
    assert proc.poll() is None, "ingest finished before it could be killed; use a larger corpus"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    run_cli("ingest", str(corpus), db=db)
    arts = json.loads(run_cli("articles", "--json", db=db).stdout)
    ext = [a["external_id"] for a in arts]
    assert len(ext) == len(set(ext)), "an article was stored twice"
    fails = json.loads(run_cli("failures", "--json", db=db).stdout)
    assert len(arts) + len(fails) == n
    assert all(a["event_id"] for a in arts), "corpus stages were not completed after the kill"


@pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="reads processes from /proc")
@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGKILL])
def test_an_ingest_stopped_takes_its_annotation_worker_with_it(tmp_path, how):
    # Ctrl-C stops the worker too (not after the batches it holds); a kill -9 leaves it no work, and it
    # exits; what was committed stays, and running again completes the job
    corpus, n = _corpus(tmp_path)
    db = tmp_path / "w.db"
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsloom", "--db", str(db), "ingest", "--workers", "1", str(corpus)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        # Ctrl-C as a terminal sends it, even where this test runs in the background (SIGINT ignored)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    _wait_for_a_batch(db, proc)
    assert proc.poll() is None, "ingest finished before it could be stopped; use a larger corpus"
    with open(f"/proc/{proc.pid}/task/{proc.pid}/children") as f:
        workers = [int(pid) for pid in f.read().split()]
    assert workers, "no worker process"
    proc.send_signal(how)
    assert proc.wait(timeout=120) == (130 if how == signal.SIGINT else -signal.SIGKILL)
    deadline = time.time() + 60
    while any(_alive(pid) for pid in workers) and time.time() < deadline:
        time.sleep(0.5)
    assert not any(_alive(pid) for pid in workers), "a worker outlived its ingest"
    run_cli("ingest", str(corpus), db=db)
    arts = json.loads(run_cli("articles", "--json", db=db).stdout)
    fails = json.loads(run_cli("failures", "--json", db=db).stdout)
    assert len(arts) + len(fails) == n and all(a["event_id"] for a in arts)


def _partitions(store):
    def part(column):
        groups: dict[str, set[str]] = {}
        for aid, key in store.query(f"SELECT id, {column} FROM articles WHERE {column} IS NOT NULL"):
            groups.setdefault(key, set()).add(aid)
        return sorted(sorted(g) for g in groups.values())

    return part("event_id"), part("storyline_id")


@pytest.mark.parametrize("stop_at", [1, 2, 3])
def test_an_interrupted_ingest_run_again_equals_an_uninterrupted_one(
    tmp_path, resources, monkeypatch, stop_at
):
    """Interrupted inside the transaction of batch `stop_at` (during refinement, after its articles were
    stored and clustered), then run again: the same events and storylines as one uninterrupted run."""
    from newsloom.clustering import online as cluster
    from newsloom.pipeline import ingest
    from newsloom.store import Store

    with Store(tmp_path / "whole.db") as store:
        ingest(store, [str(DEMO)], res=resources, batch_size=4)
        whole = _partitions(store)
    real = cluster.refine
    calls = []

    def interrupted(db, batch):
        calls.append(1)
        if len(calls) == stop_at:
            raise KeyboardInterrupt
        return real(db, batch)

    with Store(tmp_path / "resumed.db") as store:
        monkeypatch.setattr(cluster, "refine", interrupted)
        with pytest.raises(KeyboardInterrupt):
            ingest(store, [str(DEMO)], res=resources, batch_size=4)
        assert store.count("articles") == 4 * (stop_at - 1)  # the interrupted batch left nothing
        monkeypatch.setattr(cluster, "refine", real)
        ingest(store, [str(DEMO)], res=resources, batch_size=4)
        assert _partitions(store) == whole


def test_running_an_ingest_again_that_adds_nothing_changes_nothing(tmp_path, resources):
    """What made a resumed ingest differ: batches whose inputs were all stored before still refined the
    groups carried from the batch before, and dropped them."""
    from newsloom.pipeline import ingest
    from newsloom.store import Store

    def state(store):
        return (
            _partitions(store),
            [tuple(r) for r in store.query("SELECT id, title, date_start, date_end FROM events ORDER BY id")],
            [tuple(r) for r in store.query("SELECT key, value FROM meta ORDER BY key")],
        )

    with Store(tmp_path / "n.db") as store:
        ingest(store, [str(DEMO)], res=resources, batch_size=4)
        before = state(store)
        again = ingest(store, [str(DEMO)], res=resources, batch_size=4)
        assert again.added == 0 and again.already_stored == 12
        assert state(store) == before
