"""Web load test: rounds of 200 concurrent page requests on 127.0.0.1 while an ingest writes to the store.

    python benchmarks/web.py [--concurrency 200] [--rounds 5] [--ingest PATH]

Builds a store from the demo corpus, starts `newsloom serve` on a free port, starts `newsloom ingest` of
a larger corpus into the same store (default: ../shared/datasets/t17-dev/haiti/articles.jsonl, else the
demo corpus again into a copy), then sends rounds of concurrent GETs spread over the home, storyline,
event, article, entity and search pages and their JSON twins. Prints errors, the median and the 95th
percentile latency, and whether the ingest was still writing during each round.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo"
T17 = ROOT.parent / "shared" / "datasets" / "t17-dev" / "haiti" / "articles.jsonl"


def cli(db: Path, *args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "newsloom", "--db", str(db), *args], **kw)


def get(url: str) -> tuple[int, float]:
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=60) as r:
            r.read()
            status = r.status
    except Exception as exc:  # noqa: BLE001 - counted as an error
        status = getattr(exc, "code", 0) or 0
    return status, time.perf_counter() - t0


def sqlite_count(db: Path) -> int:
    import sqlite3

    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as c:
        return int(c.execute("SELECT COUNT(*) FROM articles").fetchone()[0])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--concurrency", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--ingest", type=Path, default=T17 if T17.exists() else DEMO)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="newsloom-web-"))
    db = tmp / "web.db"
    subprocess.run(
        [sys.executable, "-m", "newsloom", "--db", str(db), "ingest", "--quiet", str(DEMO)],
        check=True,
        capture_output=True,
    )
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    server = cli(db, "serve", "--port", str(port), stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/index.json", timeout=1).read()
            break
        except OSError:
            time.sleep(0.1)
    home = json.loads(urllib.request.urlopen(base + "/index.json").read())
    sid = home["storylines"][0]["id"]
    story = json.loads(urllib.request.urlopen(f"{base}/storylines/{sid}.json").read())
    eid = story["events"][0]["id"]
    event = json.loads(urllib.request.urlopen(f"{base}/events/{eid}.json").read())
    aid = event["event"]["article_ids"][0]
    person = quote(event["event"]["participants"][0])
    paths = [
        "/", "/index.json", f"/storylines/{sid}", f"/storylines/{sid}.json", f"/events/{eid}", f"/events/{eid}.json",
        f"/articles/{aid}", f"/articles/{aid}.json", f"/entities/{person}", "/search?q=flood", "/search.json?q=river&page=1",
    ]  # fmt: skip
    ingest = cli(
        db, "ingest", "--quiet", str(args.ingest), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    start_count = home["counts"]["articles"]
    for _ in range(600):  # begin once the ingest has committed its first batch: it is writing now
        counts = json.loads(urllib.request.urlopen(base + "/index.json").read())["counts"]
        if counts["articles"] > start_count or ingest.poll() is not None:
            break
        time.sleep(0.2)
    lat: list[float] = []
    errors = 0
    try:
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            for rnd in range(args.rounds):
                writing = ingest.poll() is None
                urls = [base + paths[i % len(paths)] for i in range(args.concurrency)]
                t0 = time.perf_counter()
                res = list(pool.map(get, urls))
                bad = sum(1 for s, _ in res if s != 200)
                errors += bad
                lat.extend(t for _, t in res)
                print(
                    f"round {rnd + 1}: {len(res)} concurrent requests in {time.perf_counter() - t0:.1f} s, "
                    f"{bad} errors, ingest {'writing' if writing else 'finished'}",
                    flush=True,
                )
    finally:
        ingest.kill()
        server.terminate()
        server.wait(timeout=10)
    lat.sort()
    p95 = lat[int(0.95 * (len(lat) - 1))]
    print(f"articles in the store: {start_count} before, {sqlite_count(db)} after the rounds")
    print(
        f"{len(lat)} requests, {errors} errors; latency median {statistics.median(lat) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms"
    )
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
