"""Where a benchmark script leaves its figures: `benchmarks/results/runs/<script>.json`, one file per
script (the latest run; git keeps the earlier ones), with the commit, the date, the versions and the
arguments it ran with. `benchmarks/report.py` builds the table of docs/benchmarks.md from these files.

    from results_record import record
    record("timex", "value F1 0.811 (folds ...)", {"value_f1": 0.811, ...})
"""

from __future__ import annotations

import json
import platform
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RUNS = ROOT / "benchmarks" / "results" / "runs"
PACKAGES = ("newsloom", "spacy", "en_core_web_sm", "pyspark", "scikit-learn", "fastapi")


def _commit() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True
        )
    except OSError:
        return "unknown"
    commit = head.stdout.strip() or "unknown"
    return commit + ("+changes" if dirty.stdout.strip() else "")


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version(), "sqlite": sqlite3.sqlite_version}
    for p in PACKAGES:
        try:
            out[p] = version(p)
        except PackageNotFoundError:
            pass
    return out


def record(name: str, summary: str, figures: dict[str, Any], what: str | None = None) -> Path:
    """Write a run under `name` (the script's name, or the name of one of its modes): a one-line summary
    for the docs' table, the figures as numbers, and what it measures (default: the first sentence of
    the script's docstring). Prints where it wrote."""
    RUNS.mkdir(parents=True, exist_ok=True)
    path = RUNS / f"{name}.json"
    run = {
        "name": name,
        "script": Path(sys.argv[0]).name,
        "what": what,
        "summary": summary,
        "figures": figures,
        "commit": _commit(),
        "date": datetime.now(UTC).date().isoformat(),
        "arguments": sys.argv[1:],
        "versions": _versions(),
    }
    path.write_text(json.dumps(run, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"recorded: {path.relative_to(ROOT)}")
    return path
