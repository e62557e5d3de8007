"""Mutated real articles in every input format, ingested in one run: nothing may crash.

    python benchmarks/fuzz.py [--n 10000] [--seed 1] [--keep DIR]

Takes articles from `../shared/datasets` (seeds, ECB+, Timeline17, gva-dev, TimeBank) and makes N
documents by mutating them: truncation at a random byte, byte flips, random Unicode (right-to-left and
zero-width marks, combining signs, emoji), duplicated and shuffled lines, extreme numbers and dates,
one-megabyte lines, deeply nested HTML and broken JSON lines. They are written as plain text, HTML,
JSON Lines, RSS, WARC and gzip of these, and ingested by one `newsloom ingest` of the folder. Prints the
documents made, articles stored, inputs reported as failures (and how many of those are internal errors,
bugs that the isolation caught), pending feed links, crashes (a non-zero exit or a traceback: must be
0), the peak memory of the ingest and its wall time.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import random
import re
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kill_resume import ingest_cmd

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "datasets"

ODD = [
    "\u202e", "\u202d", "\u200f", "\u200e", "\u200b", "\u200d", "\ufeff", "\u0301", "\u0308", "\U0001f4f0",
    "\u0627\u0644\u062e\u0628\u0631", "\u05d7\u05d3\u05e9\u05d5\u05ea", "\u65b0\u95fb", "\x00", "\r", "\t", "\u2028",
]  # fmt: skip
EXTREMES = [
    "99999999999 years ago", "7000 YEARS AGO", "some 5,000 years ago", "100,000 to 125,000 years ago",
    "on 31/02/99999", "February 30, 2021", "the 99th century BC", "in the year 0", "-5e308", "10^1000",
    "1e999 people", "on 2021-13-45", "at 25:61", "Monday-Sunday (May 35-40)", "in the 1000000s",
    "18446744073709551617", "3,000,000 days later", "Q9 2020", "fiscal 99999", "year -1",
]  # fmt: skip


def base_articles(limit: int, rng: random.Random) -> list[dict[str, str]]:
    """Title and text of real articles (read here, never written into the project)."""
    out: list[dict[str, str]] = []
    for path in sorted((DATA / "seeds").glob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        out.append({"title": text.split("\n", 1)[0][:120], "text": text})
    for path in [
        DATA / "ecbplus-dev.jsonl",
        DATA / "gva-dev" / "articles.jsonl",
        *sorted(DATA.glob("t17-dev/*/articles.jsonl")),
    ]:
        if path.exists():
            with path.open(encoding="utf-8") as f:
                recs = [json.loads(line) for line in f if line.strip()]
            for r in rng.sample(recs, min(len(recs), limit)):
                out.append(
                    {
                        "title": str(r.get("title") or ""),
                        "text": str(r.get("text") or ""),
                        "published": str(r.get("published") or ""),
                    }
                )
    for path in sorted((DATA / "timebank").glob("*.tml"))[:limit]:
        raw = path.read_text(encoding="utf-8", errors="replace")
        text = re.sub(r"<[^>]+>", "", raw.split("<TEXT>", 1)[-1])
        out.append({"title": "", "text": text})
    return [a for a in out if a["text"].strip()]


# How often each mutation of the text is drawn (per hundred): megabyte lines are rare, as each costs
# seconds of annotation.
TEXT_MUTATIONS = {
    "shuffle": 18,
    "unicode": 20,
    "extreme": 20,
    "megabyte": 2,
    "start": 15,
    "tokenised": 10,
    "none": 15,
}


def mutate_text(text: str, rng: random.Random) -> str:
    names = list(TEXT_MUTATIONS)
    kind = names.index(rng.choices(names, weights=list(TEXT_MUTATIONS.values()))[0])
    if kind == 0:  # duplicated and shuffled lines
        lines = text.splitlines()
        lines += rng.sample(lines, min(len(lines), 5))
        rng.shuffle(lines)
        return "\n".join(lines)
    if kind == 1:  # odd Unicode sprinkled in
        chars = list(text)
        for _ in range(rng.randrange(1, 40)):
            chars.insert(rng.randrange(len(chars) + 1), rng.choice(ODD))
        return "".join(chars)
    if kind == 2:  # extreme numbers and dates
        sents = re.split(r"(?<=\.)\s+", text)
        for _ in range(rng.randrange(1, 6)):
            i = rng.randrange(len(sents))
            sents[i] = f"{sents[i]} It happened {rng.choice(EXTREMES)}."
        return " ".join(sents)
    if kind == 3:  # a one-megabyte line
        word = rng.choice(["data", "x", "Khalilzad", "2021", "ago"])
        return text + "\n" + (word + " ") * (2**20 // (len(word) + 1)) + "\n"
    if kind == 4:  # only the start
        return text[: rng.randrange(len(text) + 1)]
    if kind == 5:  # many short lines, as pre-tokenised text
        return "\n".join(text.split())
    return text


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    kind = rng.randrange(4)
    if kind == 0 and data:  # truncation at a random byte
        return data[: rng.randrange(len(data))]
    if kind == 1 and data:  # byte flips
        b = bytearray(data)
        for _ in range(rng.randrange(1, 20)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        return bytes(b)
    if kind == 2:  # another encoding than declared
        return data.decode("utf-8", "replace").encode("latin-1", "replace")
    return data


def html_page(a: dict[str, str], rng: random.Random) -> str:
    body = "".join(f"<p>{p}</p>" for p in a["text"].split("\n") if p.strip())
    if rng.random() < 0.15:  # deeply nested
        depth = rng.choice([500, 5000, 50000])
        body = "<div>" * depth + body + "</div>" * rng.randrange(depth + 1)
    if rng.random() < 0.15:  # text not in paragraphs
        body = a["text"]
    return f"<html><head><title>{a['title']}</title></head><body><nav>Home | News</nav><article>{body}</article></body></html>"


def warc(records: list[bytes]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=False)
    for i, body in enumerate(records):
        h = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        w.write_record(
            w.create_warc_record(
                f"https://fuzz.example/{i}", "response", payload=io.BytesIO(body), http_headers=h
            )
        )
    return buf.getvalue()


def make_corpus(folder: Path, n: int, rng: random.Random) -> int:
    """Write n mutated documents into `folder`; returns the number of files."""
    bases = base_articles(400, rng)
    files = 0
    made = 0
    while made < n:
        fmt = rng.choice(["text", "html", "jsonl", "rss", "warc", "text", "html", "jsonl"])
        group = 1 if fmt in ("text", "html") else rng.randrange(5, 60)
        group = min(group, n - made)
        arts = []
        for _ in range(group):
            a = dict(rng.choice(bases))
            a["text"] = mutate_text(a["text"], rng)
            arts.append(a)
        if fmt == "text":
            data = (arts[0]["title"] + "\n\n" + arts[0]["text"]).encode()
        elif fmt == "html":
            data = html_page(arts[0], rng).encode()
        elif fmt == "jsonl":
            lines = []
            for a in arts:
                line = json.dumps(a)
                if rng.random() < 0.1:  # a broken JSON line
                    line = line[: rng.randrange(len(line))]
                lines.append(line)
            data = "\n".join(lines).encode()
        elif fmt == "rss":
            items = "".join(
                f"<item><title>{a['title'][:80]}</title><link>https://fuzz.example/{made + i}</link>"
                f"<description><![CDATA[{a['text']}]]></description></item>"
                for i, a in enumerate(arts)
            )
            data = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Fuzz</title>{items}</channel></rss>'.encode()
        else:
            data = warc([html_page(a, rng).encode() for a in arts])
        if rng.random() < 0.3:
            data = mutate_bytes(data, rng)
        name = f"{files:05d}.{ {'text': 'txt', 'html': 'html', 'jsonl': 'jsonl', 'rss': 'xml', 'warc': 'warc'}[fmt] }"
        if rng.random() < 0.2:
            data = gzip.compress(data)
            if rng.random() < 0.3:
                data = data[: rng.randrange(len(data))]
            name += ".gz"
        (folder / name).write_bytes(data)
        files += 1
        made += group
    return files


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=10_000, help="documents to make")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", help="write the corpus and database here instead of a temporary folder")
    args = ap.parse_args()
    if not DATA.exists():
        print(f"skipped: {DATA} is absent")
        return 0
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.keep or tmp)
        folder = work / "fuzz"
        folder.mkdir(parents=True, exist_ok=True)
        files = make_corpus(folder, args.n, rng)
        db = work / "fuzz.db"
        log = work / "fuzz.log"
        t0 = time.perf_counter()
        proc = subprocess.run(
            ingest_cmd(db, folder, "2024-01-01"),
            capture_output=True,
            text=True,
            env={**os.environ, "NEWSLOOM_LOG": str(log)},
        )
        wall = time.perf_counter() - t0
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        con = sqlite3.connect(db)
        stored = con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        failed = con.execute("SELECT COUNT(*) FROM failures").fetchone()[0]
        internal = con.execute(
            "SELECT COUNT(*) FROM failures WHERE reason LIKE 'internal error%'"
        ).fetchone()[0]
        pending = con.execute("SELECT COUNT(*) FROM pending_urls").fetchone()[0]
        events = con.execute("SELECT COUNT(*) FROM events").fetchone()[0]
        # A crash: a traceback, a signal, or an internal error that ended the command (exit 1 alone is
        # also the exit of a run that added nothing).
        crashed = int(
            proc.returncode not in (0, 1) or "Traceback" in proc.stderr or "internal error (" in proc.stderr
        )
        print(f"{args.n} documents made in {files} files (seed {args.seed})")
        print(
            f"articles stored {stored}, inputs reported as failures {failed} (internal errors {internal}), pending feed links {pending}, events {events}"
        )
        print(
            f"crashes {crashed} (exit {proc.returncode}); peak memory {peak:.0f} MB; wall {wall:.0f} s ({args.n / wall:.1f} documents/s)"
        )
        if internal:
            for (reason,) in con.execute(
                "SELECT reason FROM failures WHERE reason LIKE 'internal error%' LIMIT 5"
            ):
                print(f"  {reason}")
        if crashed:
            print(proc.stderr[-3000:])
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
