"""The command line as a new user meets it: help with descriptions and examples, errors with the
command's own usage, ids by a unique start, counts in the right number, search."""

from __future__ import annotations

import argparse

import pytest

from newsloom.cli import build_parser

from conftest import DEMO, run_cli


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


@pytest.mark.parametrize("name", sorted(_commands()))
def test_every_command_and_option_is_described_with_examples(name):
    sub = _commands()[name]
    assert sub.description and len(sub.description) > 40, name
    assert (
        sub.epilog
        and sub.epilog.startswith("examples:")
        and f"newsloom {name}" in sub.epilog + " newsloom dates"
    )
    for action in sub._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        assert action.help, f"{name} {action.option_strings or action.dest} has no help"
    import shlex

    for line in sub.epilog.splitlines()[
        1:
    ]:  # every example parses (the shell's pipes and redirections aside)
        command = next(part for part in line.split("|") if part.strip().startswith("newsloom"))
        argv = shlex.split(command.split(">")[0])[1:]
        assert build_parser().parse_args(argv).command == name, line


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("cli") / "demo.db"
    run_cli("ingest", str(DEMO), db=db)
    return db


def test_a_bad_option_shows_the_commands_own_usage(demo_db):
    r = run_cli("events", "--bogus", db=demo_db, check=False)
    assert r.returncode == 2
    assert "usage: newsloom events" in r.stderr and "unrecognized arguments: --bogus" in r.stderr


def test_unknown_ids_are_errors_and_unique_starts_are_accepted(demo_db):
    import json

    r = run_cli("events", "--storyline", "st_nope", db=demo_db, check=False)
    assert r.returncode == 2 and "no storyline 'st_nope'" in r.stderr
    story = json.loads(run_cli("storylines", "--json", db=demo_db).stdout)[0]["id"]
    short = story.removeprefix("st_")[:6]
    assert json.loads(run_cli("events", "--storyline", short, "--json", db=demo_db).stdout)
    event = json.loads(run_cli("events", "--json", db=demo_db).stdout)[0]["id"]
    brief = json.loads(run_cli("brief", event[:7], "--json", db=demo_db).stdout)
    assert brief["kind"] == "event"
    assert run_cli("compare", "ev_", db=demo_db, check=False).returncode == 2  # too short to be unique
    assert run_cli("brief", "ev_zzzzzz", db=demo_db, check=False).returncode == 2


def test_counts_are_in_the_right_number(demo_db):
    out = run_cli("events", db=demo_db).stdout
    assert "(1 articles)" not in out and ("(1 article)" in out or "(2 articles)" in out)
    assert run_cli("storylines", db=demo_db).stdout.strip().endswith("storylines")  # 2 of them
    assert "1 failures" not in run_cli("failures", db=demo_db).stdout


def test_search_finds_events_entities_and_marked_articles(demo_db):
    import json

    text = run_cli("search", "Calafat", db=demo_db).stdout
    assert "[Calafat]" in text and "events with most matching reports" in text and "entities: Calafat" in text
    data = json.loads(run_cli("search", "Danube flood", "--limit", "3", "--json", db=demo_db).stdout)
    assert len(data["results"]) == 3 and data["total"] >= 3 and data["events"]
    r = run_cli("search", "!!!", db=demo_db, check=False)
    assert r.returncode == 2 and "no words" in r.stderr


def test_a_failing_ingest_does_not_wait_for_the_model(tmp_path):
    import time

    start = time.monotonic()
    r = run_cli("ingest", str(tmp_path / "missing"), db=tmp_path / "x.db", check=False)
    assert r.returncode == 1 and "no such file" in r.stdout
    assert "spacy" not in r.stderr.lower()
    assert time.monotonic() - start < 30  # no bound on speed here: see that the model was not loaded


def test_outlets_are_listed_and_shown(demo_db):
    import json

    rows = json.loads(run_cli("outlets", "--json", db=demo_db).stdout)
    assert rows[0]["reports"] == max(r["reports"] for r in rows)
    text = run_cli("outlets", "--sort=name", db=demo_db).stdout
    names = [line.split("  ")[-1] for line in text.splitlines()[:-1]]
    assert names == sorted(names, key=str.casefold) and text.rstrip().endswith("outlets")
    one = run_cli("outlets", rows[0]["outlet"], db=demo_db).stdout
    assert one.startswith(rows[0]["outlet"] + ":") and "reported first" in one
    r = run_cli("outlets", "The Moon Courier", db=demo_db, check=False)
    assert r.returncode == 2 and "no outlet" in r.stderr
