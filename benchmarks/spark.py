"""Spark throughput: `newsloom batch` on local[1] and local[2], each way of running the corpus stages, against `newsloom ingest`.

    python benchmarks/spark.py [--limit 100] [--corpus driver sharded]

Input: the first --limit articles of each Timeline17 dev topic (../shared/datasets/t17-dev), written to
one JSONL file. For each way of running the corpus stages (`--corpus driver`: one writer on the driver;
`sharded`: blocks of days on the executors, merged and stitched on the driver) and each master, prints the
whole job's wall time and rate, the annotate stage's rate, the seconds of each step and the driver's
share (the steps in which the driver works alone: `batch.DRIVER_STEPS`), then the scaling from local[1]
to local[2] of the whole job and of the annotate stage. The local ingest's rate is printed beside them.
Recorded in benchmarks/results/runs/spark.json.
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

from results_record import record

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
    ap.add_argument("--limit", type=int, default=100, help="articles per topic")
    ap.add_argument("--corpus", nargs="+", default=["driver", "sharded"], choices=("driver", "sharded"))
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
    figures: dict[str, float] = {"articles": n, "local_per_s": round(n / local, 3)}
    for mode in args.corpus:
        runs = {}
        for master in ("local[1]", "local[2]"):
            name = master.replace("[", "").replace("]", "")  # Spark reads brackets in paths as globs
            t0 = time.time()
            r = subprocess.run(
                [sys.executable, "-m", "newsloom", "--db", str(tmp / f"{mode}-{name}.db"), "batch", "--master",
                 master, "--corpus", mode, "--out", str(tmp / f"out-{mode}-{name}"), "--json", str(corpus)],
                capture_output=True, text=True, env=env,
            )  # fmt: skip
            if r.returncode:
                sys.exit(f"batch --master {master} --corpus {mode} failed:\n{r.stderr[-3000:]}")
            wall = time.time() - t0  # with the start of Python and the JVM
            res = runs[master] = json.loads(r.stdout)
            steps = ", ".join(f"{k} {v:.0f} s" for k, v in res["step_seconds"].items())
            print(
                f"--corpus {mode} --master {master}: {wall:.0f} s in all ({n / wall:.2f} articles/s); "
                f"{steps}; the driver alone {res['driver_seconds']:.0f} s = {res['driver_share']:.0%} of the job"
            )
            figures[f"{mode}_{name}_per_s"] = round(n / res["total_seconds"], 3)
            figures[f"{mode}_{name}_driver_share"] = round(res["driver_share"], 3)
        one, two = runs["local[1]"], runs["local[2]"]
        whole = one["total_seconds"] / two["total_seconds"]
        annotate = one["step_seconds"]["annotate"] / two["step_seconds"]["annotate"]
        print(
            f"--corpus {mode}: scaling local[1] -> local[2]: whole job {whole:.2f}, annotate stage {annotate:.2f}"
        )
        figures[f"{mode}_scaling"] = round(whole, 3)
        figures[f"{mode}_annotate_scaling"] = round(annotate, 3)
    summary = "; ".join(
        f"--corpus {m}: whole job local[1] -> local[2] {figures[f'{m}_scaling']:.2f}x "
        f"(annotate {figures[f'{m}_annotate_scaling']:.2f}x), driver alone {figures[f'{m}_local2_driver_share']:.0%} "
        f"of local[2]'s wall time"
        for m in args.corpus
    )
    record("spark", f"{n} Timeline17 articles on {os.cpu_count()} cores: {summary}", figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
