"""Web load test: rounds of 200 concurrent page requests on 127.0.0.1 while an ingest writes to the store.

    python benchmarks/web.py [--concurrency 200] [--rounds 5] [--ingest PATH]
    python benchmarks/web.py --lists STORE.db [--requests 400] [--concurrency 8]

Builds a store from the demo corpus, starts `newsloom serve` on a free port, starts `newsloom ingest` of
a larger corpus into the same store (default: ../shared/datasets/t17-dev/haiti/articles.jsonl, else the
demo corpus again into a copy), then sends rounds of concurrent GETs spread over the home, storyline,
event, article, entity and search pages and their JSON twins. Prints errors, the median and the 95th
percentile latency, and whether the ingest was still writing during each round.

--lists serves an existing store (a 10,000-article one: `python benchmarks/scale.py --n 10000 --keep
STORE.db`) and times the list pages (events, entities, articles, outlets, an outlet, search; sorted,
filtered and paged, HTML and JSON): the median and 95th percentile per page, and errors.
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

from results_record import record

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


def serve(db: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    server = cli(db, "serve", "--port", str(port), stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/index.json", timeout=1).read()
            break
        except OSError:
            time.sleep(0.1)
    return server, base


def lists(db: Path, requests: int, concurrency: int) -> int:
    """Latency of the list pages on an existing store."""
    server, base = serve(db)
    try:
        outlets = json.loads(urllib.request.urlopen(base + "/outlets.json").read())
        outlet = outlets["items"][0]["outlet"] if outlets["items"] else ""
        n = json.loads(urllib.request.urlopen(base + "/index.json").read())["counts"]["articles"]
        pages = {
            "events": "/events",
            "events by reports, page 40": "/events?sort=-reports&page=40",
            "events of a kind and place": "/events.json?kind=ATTACK&place=a",
            "entities": "/entities",
            "people by name": "/entities.json?kind=PERSON&sort=name&page=10",
            "articles": "/articles",
            "articles of an outlet, page 5": f"/articles?outlet={quote(outlet)}&page=5",
            "outlets": "/outlets",
            "outlets by first share": "/outlets.json?sort=-first",
            "an outlet": f"/outlets/{quote(outlet)}",
            "search": "/search?q=police",
        }
        print(f"store: {db} ({n} articles); {requests} requests a page, {concurrency} at a time")
        errors = 0
        figures: dict[str, dict[str, int]] = {}
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            for name, path in pages.items():
                res = list(pool.map(get, [base + path] * requests))
                lat = sorted(t for _, t in res)
                bad = sum(1 for st, _ in res if st != 200)
                errors += bad
                p95 = lat[int(0.95 * (len(lat) - 1))]
                figures[name] = {
                    "median_ms": round(statistics.median(lat) * 1000),
                    "p95_ms": round(p95 * 1000),
                }
                print(
                    f"  {name:32s} median {statistics.median(lat) * 1000:6.0f} ms  p95 {p95 * 1000:6.0f} ms"
                    f"  {bad} errors",
                    flush=True,
                )
        print(f"errors: {errors}")
        record(
            "web_lists",
            f"list pages on a store of {n} articles, {concurrency} requests at a time: p95 "
            + ", ".join(f"{k} {v['p95_ms']} ms" for k, v in figures.items())
            + f"; {errors} errors",
            {"articles": n, "errors": errors, "pages": figures},
            what="latency of the list, outlet and search pages on an existing store",
        )
        return 1 if errors else 0
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--concurrency", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--ingest", type=Path, default=T17 if T17.exists() else DEMO)
    ap.add_argument("--lists", type=Path, metavar="STORE", help="time the list pages on this store instead")
    ap.add_argument("--requests", type=int, default=200, help="with --lists: requests a page")
    args = ap.parse_args()
    if args.lists:
        if not args.lists.exists():
            print(f"--lists {args.lists}: no such store", file=sys.stderr)
            return 2
        return lists(args.lists, args.requests, min(args.concurrency, 16))
    tmp = Path(tempfile.mkdtemp(prefix="newsloom-web-"))
    db = tmp / "web.db"
    subprocess.run(
        [sys.executable, "-m", "newsloom", "--db", str(db), "ingest", "--quiet", str(DEMO)],
        check=True,
        capture_output=True,
    )
    server, base = serve(db)
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
        "/events?sort=-reports", "/entities.json?kind=PERSON", "/articles?page=2&size=5", "/outlets", "/outlets.json?sort=-first",
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
    record(
        "web",
        f"{args.rounds} rounds of {args.concurrency} concurrent page and JSON requests while an ingest writes: "
        f"{len(lat)} requests, {errors} errors, median {statistics.median(lat) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms",
        {
            "requests": len(lat),
            "errors": errors,
            "median_ms": round(statistics.median(lat) * 1000),
            "p95_ms": round(p95 * 1000),
        },
    )
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
