"""The store under concurrent writers, a full disk, a newer schema and a read-only file."""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from newsloom.errors import StoreError
from newsloom.store import Store

from conftest import DEMO, run_cli


def _open(path: str) -> int:
    with Store(path) as s:
        return s.version()


def test_concurrent_first_opens_migrate_once(tmp_path):
    path = str(tmp_path / "new.db")
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        versions = pool.map(_open, [path] * 8)
    assert len(set(versions)) == 1 and versions[0] > 0


def _open_together(path: str, barrier) -> str:  # type: ignore[no-untyped-def]
    barrier.wait()
    try:
        with Store(path):
            return "ok"
    except StoreError as exc:
        return str(exc)


def test_processes_opening_a_new_database_at_the_same_moment_all_succeed(tmp_path):
    # the switch to WAL is refused at once (not after the busy timeout) to all but one of them
    ctx = multiprocessing.get_context("fork")
    with ctx.Manager() as manager, ctx.Pool(6) as pool:
        for round_ in range(25):
            path = str(tmp_path / f"new{round_}.db")
            barrier = manager.Barrier(6, timeout=60)
            results = pool.starmap(_open_together, [(path, barrier)] * 6)
            assert results == ["ok"] * 6, results


def test_a_newer_schema_is_refused_for_writing_and_read_with_a_warning(tmp_path):
    path = tmp_path / "n.db"
    with Store(path) as s:
        newest = s.version()
        s.db.execute(f"PRAGMA user_version={newest + 1}")
    with pytest.raises(StoreError, match="newer than this newsloom"):
        Store(path)
    with Store(path, readonly=True) as s:
        assert s.count("articles") == 0
    proc = run_cli("ingest", str(DEMO / "vienna-bulletin"), db=path, check=False)
    assert (
        proc.returncode == 2 and "newer than this newsloom" in proc.stderr and "Traceback" not in proc.stderr
    )


def test_a_full_disk_is_one_message_and_the_database_stays_consistent(tmp_path):
    path = tmp_path / "n.db"
    with Store(path) as s:
        s.db.execute("CREATE TABLE filler(x BLOB)")
        pages = s.db.execute("PRAGMA page_count").fetchone()[0]
        s.db.execute(f"PRAGMA max_page_count={pages + 3}")  # a disk with room for three more pages
        with pytest.raises(StoreError, match="disk is full"):
            with s.transaction() as db:
                db.execute("INSERT INTO failures(origin, reason, at) VALUES ('a', 'b', 'c')")
                db.execute("INSERT INTO filler VALUES (zeroblob(1000000))")
        assert s.count("failures") == 0
        with s.transaction() as db:  # still usable
            db.execute("INSERT INTO failures(origin, reason, at) VALUES ('a', 'b', 'c')")
        assert s.count("failures") == 1


def test_two_ingests_of_overlapping_inputs_into_one_database(tmp_path):
    import subprocess
    import sys

    db = tmp_path / "n.db"
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "newsloom", "--db", str(db), "ingest", str(DEMO)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=600) for p in procs]
    for p, (_out, err) in zip(procs, outs, strict=True):
        assert "Traceback" not in err, err
        assert p.returncode == 0, err
    arts = sqlite3.connect(db).execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    single = tmp_path / "one.db"
    run_cli("ingest", str(DEMO), db=single)
    assert arts == sqlite3.connect(single).execute("SELECT COUNT(*) FROM articles").fetchone()[0]


def test_a_read_only_database_file_is_readable(tmp_path):
    path = tmp_path / "n.db"
    run_cli("ingest", str(DEMO / "vienna-bulletin"), db=path)
    Path(str(path) + "-wal").unlink(missing_ok=True)
    Path(str(path) + "-shm").unlink(missing_ok=True)
    path.chmod(0o444)
    with Store(path, readonly=True) as s:  # immutable fallback where no -shm can be made
        assert s.count("articles") == 2
    out = run_cli("articles", db=path).stdout
    assert "2 articles" in out or out.count("\n") >= 2


def test_a_database_on_a_read_only_file_system_is_readable(tmp_path):
    """A read-only bind mount in a mount namespace of its own (needs root and unshare; skipped otherwise)."""
    import shutil
    import subprocess
    import sys

    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "n.db"
    run_cli("ingest", str(DEMO / "vienna-bulletin"), db=db)
    probe = (
        subprocess.run(["unshare", "-m", "true"], capture_output=True) if shutil.which("unshare") else None
    )
    if probe is None or probe.returncode != 0:
        pytest.skip("no mount namespace here (unshare needs root)")
    script = (
        f"mount --bind {folder} {folder} && mount -o remount,ro,bind {folder} && "
        f"{sys.executable} -m newsloom --db {db} articles --json"
    )
    proc = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert len(json.loads(proc.stdout)) == 2
