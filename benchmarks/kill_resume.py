"""kill -9 in the middle of an ingest of Timeline17, then ingest again: every article stored exactly once.

    python benchmarks/kill_resume.py [--after SECONDS]

Prints how many articles the killed run had committed, what the second run added, and the checks:
no document or external id stored twice, every input line either stored or recorded as a failure, and
every stored article clustered (the corpus stages completed after the crash).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--after", type=float, default=90.0, help="seconds before the kill")
    args = ap.parse_args()
    files = sorted(str(p) for p in DATA.glob("*/articles.jsonl"))
    if not files:
        print(f"skipped: {DATA} is absent")
        return 0
    lines = sum(1 for f in files for line in open(f, encoding="utf-8") if line.strip())
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "kill.db"
        cmd = [sys.executable, "-m", "newsloom", "--db", str(db), "ingest", "--quiet", *files]
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(args.after)
        if proc.poll() is not None:
            print("the ingest finished before the kill; use a smaller --after")
            return 1
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        before = counts(db)
        print(
            f"killed after {args.after:.0f} s: {before[0]} articles committed, {before[3]} not yet clustered"
        )
        t0 = time.perf_counter()
        out = subprocess.run(
            [*cmd[: -len(files)], "--json", *files], capture_output=True, text=True, check=True
        ).stdout
        report = json.loads(out)
        after = counts(db)
        print(
            f"second run: {report['added']} added, {report['duplicates']} duplicates, {report['already_stored']} already stored, {len(report['failed'])} failed, {time.perf_counter() - t0:.0f} s"
        )
        total, distinct_ids, distinct_ext, pending, fails = after
        ok_once = total == distinct_ids == distinct_ext
        ok_all = total + fails == lines
        print(
            f"input lines {lines}; stored {total} (distinct ids {distinct_ids}, distinct external ids {distinct_ext}); failures {fails}; pending {pending}"
        )
        print(
            f"every article stored exactly once: {ok_once}; every line stored or failed: {ok_all}; all clustered: {pending == 0}"
        )
        return 0 if ok_once and ok_all and pending == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
