"""Interrupt an ingest of real articles at three points, run it again: the same events as without a stop.

    python benchmarks/kill_resume.py [--topic haiti] [--articles 300] [--signal INT|KILL]

Ingests the first N articles of a Timeline17 topic once without interruption (the reference), then, for
kills at a quarter, a half and three quarters of the reference's wall time, starts the same ingest into a
new database, stops it with the signal, runs the same command again, and prints for each: articles
committed at the stop, the checks (no document stored twice, every line stored or recorded as a failure,
every article clustered) and the B-cubed agreement of the resumed run's events and storylines with the
reference (1.0 expected: resuming gives what an uninterrupted run gives).
"""

from __future__ import annotations

import argparse
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from clustering import bcubed

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "datasets" / "t17-dev"


def counts(db: Path) -> tuple[int, int, int, int, int]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        arts = con.execute(
            "SELECT COUNT(*), COUNT(DISTINCT id), COUNT(DISTINCT external_id) FROM articles"
        ).fetchone()
        pending = con.execute("SELECT COUNT(*) FROM articles WHERE clustered = 0").fetchone()[0]
        fails = con.execute("SELECT COUNT(DISTINCT origin) FROM failures").fetchone()[0]
    return arts[0], arts[1], arts[2], pending, fails


def partition(db: Path, column: str) -> dict[str, str]:
    """External id -> event (or storyline) id."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        rows = con.execute(f"SELECT external_id, {column} FROM articles").fetchall()
    return {ext: str(key) for ext, key in rows}


def ingest_cmd(db: Path, src: Path, as_of: str = "2020-01-01") -> list[str]:
    """The command line of a quiet ingest of `src` into `db` (fixed collection date)."""
    return [sys.executable, "-m", "newsloom", "--db", str(db), "ingest", "--quiet", "--as-of", as_of, str(src)]  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--topic", default="haiti")
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--signal", default="INT", choices=["INT", "KILL"])
    args = ap.parse_args()
    source = DATA / args.topic / "articles.jsonl"
    if not source.exists():
        print(f"skipped: {source} is absent")
        return 0
    sig = signal.SIGINT if args.signal == "INT" else signal.SIGKILL
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "input.jsonl"
        lines = [line for line in source.open(encoding="utf-8") if line.strip()][: args.articles]
        src.write_text("".join(lines), encoding="utf-8")
        ref = Path(tmp) / "ref.db"
        t0 = time.perf_counter()
        subprocess.run(ingest_cmd(ref, src), check=True, stdout=subprocess.DEVNULL)
        total = time.perf_counter() - t0
        ref_events, ref_stories = partition(ref, "event_id"), partition(ref, "storyline_id")
        print(
            f"reference: {len(lines)} articles of {args.topic}, {len(set(ref_events.values()))} events, "
            f"{len(set(ref_stories.values()))} storylines, {total:.0f} s"
        )
        for share in (0.25, 0.5, 0.75):
            db = Path(tmp) / f"stop{share}.db"
            proc = subprocess.Popen(ingest_cmd(db, src), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(total * share)
            if proc.poll() is not None:
                print(f"stop at {share:.0%}: the ingest had finished; skipped")
                continue
            os.kill(proc.pid, sig)
            proc.wait()
            committed = counts(db)[0]
            subprocess.run(ingest_cmd(db, src), check=True, stdout=subprocess.DEVNULL)
            stored, ids, exts, pending, fails = counts(db)
            events, stories = partition(db, "event_id"), partition(db, "storyline_id")
            ev = bcubed(events, ref_events)[2]
            st = bcubed(stories, ref_stories)[2]
            checks = stored == ids == exts and stored + fails == len(lines) and pending == 0
            ok &= checks and ev == 1.0 and st == 1.0
            print(
                f"SIG{args.signal} at {share:.0%} ({total * share:.0f} s): {committed} articles committed; after the "
                f"second run {stored} stored, {fails} failed, {pending} unclustered, checks {'pass' if checks else 'FAIL'}; "
                f"{len(set(events.values()))} events, {len(set(stories.values()))} storylines; agreement with the "
                f"reference, B-cubed F1: events {ev:.3f}, storylines {st:.3f}"
            )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
