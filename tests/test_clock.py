"""Time is an input: no result depends on the wall clock."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys

import pytest

from newsloom.pipeline import ingest
from newsloom.store import Store

from conftest import DEMO, ROOT, needs_shared

time_machine = pytest.importorskip("time_machine")

TODAY = dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC)
LATER = dt.datetime(2031, 6, 1, 12, tzinfo=dt.UTC)


def _results(path, when, tmp_path, resources, as_of=None):
    db = tmp_path / f"{when:%Y}-{as_of}.db"
    with time_machine.travel(when, tick=False), Store(db) as store:
        ingest(store, [str(path)], res=resources, as_of=as_of)
        return {
            "articles": store.query(
                "SELECT source, published_date, published_end, published_inferred FROM articles ORDER BY source"
            ),
            "events": store.query(
                "SELECT title, type, date_start, date_end, place FROM events ORDER BY title"
            ),
            "storylines": store.query("SELECT title FROM storylines ORDER BY title"),
            "times": store.query(
                "SELECT article_id, start, value FROM time_mentions ORDER BY article_id, start"
            ),
        }


def _plain(results):
    return {k: [tuple(r) for r in v] for k, v in results.items()}


@pytest.mark.parametrize("corpus", ["demo", "seeds"])
def test_results_under_a_clock_years_ahead_equal_todays(corpus, tmp_path, resources):
    path = DEMO if corpus == "demo" else needs_shared("seeds")
    today = _plain(_results(path, TODAY, tmp_path, resources))
    later = _plain(_results(path, LATER, tmp_path, resources))
    assert today == later
    assert any(inferred for *_, inferred in today["articles"])  # the test covers inferred dates


def test_the_collection_date_is_an_input(tmp_path, resources):
    """One undated article alone: its weekday and date agree in several years; --as-of picks the
    latest not after it, whatever the clock says."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "talks.txt").write_text(
        "Envoy meets ministers\n\nThe envoy arrived on Monday (May 3) and met the foreign minister. The talks "
        "went on until Wednesday, the ministry said, and both sides called them useful.\n"
    )
    a = _plain(_results(folder, TODAY, tmp_path, resources, as_of="2021-06-01"))
    b = _plain(_results(folder, LATER, tmp_path, resources, as_of="2021-06-01"))
    assert a == b and a["articles"][0][1] == "2021-05-03"


def test_no_rule_reads_the_wall_clock():
    """The clock may stamp when something was stored, never decide a result."""
    src = ROOT / "src" / "newsloom"
    hits = []
    for path in src.rglob("*.py"):
        for n, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"\bdate\.today\(|datetime\.today\(|datetime\.utcnow\(", line):
                hits.append(f"{path.name}:{n}")
    assert hits == []


def test_the_temporal_tests_pass_under_a_later_clock():
    code = (
        "import datetime as dt, sys, time_machine, pytest\n"
        "with time_machine.travel(dt.datetime(2031, 6, 1, tzinfo=dt.UTC), tick=False):\n"
        f"    sys.exit(pytest.main(['-q', '-p', 'no:cacheprovider', {str(ROOT / 'tests' / 'test_temporal.py')!r}]))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT / "tests")
    assert proc.returncode == 0, proc.stdout[-2000:]


def test_as_of_on_the_command_line(tmp_path):
    from conftest import run_cli

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "talks.txt").write_text(
        "Envoy meets ministers\n\nThe envoy arrived on Monday (May 3) and met the foreign minister. The talks "
        "went on until Wednesday, the ministry said, and both sides called them useful.\n"
    )
    db = tmp_path / "n.db"
    bad = run_cli("ingest", "--as-of", "June 2021", str(folder), db=db, check=False)
    assert bad.returncode == 2 and "--as-of" in bad.stderr and "YYYY-MM-DD" in bad.stderr
    run_cli("ingest", "--as-of", "2016-01-01", str(folder), db=db)
    art = json.loads(run_cli("articles", "--json", db=db).stdout)[0]
    assert art["published"]["date"] == "2010-05-03"  # the latest Monday, May 3 before 2016
