from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo"
SHARED = ROOT.parent / "shared" / "datasets"


def benchmark_module(name: str):
    """A module of benchmarks/ (evaluation code, not part of the installed package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"benchmarks_{name}", ROOT / "benchmarks" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def resources():
    from newsloom.annotate import load_resources

    return load_resources()


def run_cli(
    *args: str, db: Path, check: bool = True, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real command line in a subprocess, as a user would."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.run(
        [sys.executable, "-m", "newsloom", "--db", str(db), *args],
        capture_output=True,
        text=True,
        input=input,
        env=env,
        timeout=900,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"newsloom {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}")
    return proc


def needs_shared(sub: str) -> Path:
    path = SHARED / sub
    if not path.exists():
        pytest.skip(f"{path} is absent (the evaluation data sits beside the project checkout only)")
    return path
