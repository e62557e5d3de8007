"""Spark throughput: `newsloom batch` with local[1] and local[2] against `newsloom ingest`, same input, same run.

    python benchmarks/spark.py [--limit 400]

Input: the first --limit articles of each Timeline17 dev topic (../shared/datasets/t17-dev), written to
one JSONL file. Prints articles per second of the annotate stage on Spark (the distributed part) and of
the whole command, for each master, the local path's rate, and the scaling ratio local[2] / local[1].
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "datasets" / "t17-dev"


def write_t17(path: Path, limit: int) -> int:
    """The first `limit` articles of each Timeline17 dev topic, as one JSONL file; returns how many."""
    n = 0
    with path.open("w") as out:
        for topic in sorted(p for p in DATA.iterdir() if p.is_dir()):
            for line in (topic / "articles.jsonl").read_text().splitlines()[:limit]:
                out.write(line + "\n")
                n += 1
    return n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=400, help="articles per topic")
    args = ap.parse_args()
    if not DATA.exists():
        print(f"skipped: {DATA} is absent")
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="newsloom-spark-"))
    corpus = tmp / "t17.jsonl"
    n = write_t17(corpus, args.limit)
    print(f"input: {n} Timeline17 articles, {corpus.stat().st_size / 2**20:.1f} MB; {os.cpu_count()} cores")
    env = dict(os.environ)
    t0 = time.time()
    subprocess.run(
        [sys.executable, "-m", "newsloom", "--db", str(tmp / "local.db"), "ingest", "--quiet", str(corpus)],
        check=True,
        capture_output=True,
        env=env,
    )
    local = time.time() - t0
    print(f"local path (newsloom ingest): {local:.0f} s, {n / local:.2f} articles/s")
    rates = {}
    for master in ("local[1]", "local[2]"):
        name = master.replace("[", "").replace("]", "")  # Spark reads brackets in paths as globs
        t0 = time.time()
        r = subprocess.run(
            [sys.executable, "-m", "newsloom", "--db", str(tmp / f"{name}.db"), "batch", "--master", master,
             "--out", str(tmp / f"out-{name}"), "--json", str(corpus)],
            capture_output=True, text=True, env=env,
        )  # fmt: skip
        if r.returncode:
            sys.exit(f"batch --master {master} failed:\n{r.stderr[-3000:]}")
        total = time.time() - t0
        res = json.loads(r.stdout)
        rates[master] = n / res["annotate_seconds"]
        print(
            f"batch --master {master}: annotate on Spark {res['annotate_seconds']:.0f} s ({rates[master]:.2f} articles/s), "
            f"whole command {total:.0f} s ({n / total:.2f} articles/s, corpus stages on the driver included)"
        )
    print(f"scaling local[2] / local[1] (annotate stage): {rates['local[2]'] / rates['local[1]']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
