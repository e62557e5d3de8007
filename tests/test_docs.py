"""The docs generated from the code are current."""

from pathlib import Path

import pytest

from newsloom.cli import reference

DOCS = Path(__file__).resolve().parent.parent / "docs"
REGENERATE = "python -c 'from newsloom.cli import reference; print(reference(), end=\"\")' > docs/cli.md"


def test_the_cli_reference_is_the_parsers():
    written = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert written == reference(), f"docs/cli.md is stale: {REGENERATE}"


def test_the_architecture_names_every_module():
    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    package = DOCS.parent / "src" / "newsloom"
    missing = []
    for f in sorted(package.rglob("*.py")):
        rel = f.relative_to(package)
        if f.name in ("__init__.py", "__main__.py"):
            continue
        wanted = f.name if len(rel.parts) == 1 else f"{rel.parts[0]}/"
        if f"`{wanted}" not in text and f"{wanted}`" not in text:
            missing.append(str(rel))
    assert not missing, f"docs/architecture.md does not say where these belong: {missing}"


def test_the_jsonl_fields_in_the_docs_are_the_ones_read():
    from newsloom import jsonl

    text = (DOCS / "usage.md").read_text(encoding="utf-8")
    for field, names in jsonl.FIELDS.items():
        row = next((line for line in text.splitlines() if line.startswith(f"| {field} |")), None)
        assert row is not None, f"docs/usage.md has no row for the JSON Lines field {field!r}"
        documented = [n.strip().strip("`") for n in row.split("|")[2].split(" (")[0].split(", ")]
        assert documented == list(names), field


def test_the_json_contract_is_current():
    pytest.importorskip("fastapi")
    from newsloom.contract import contract_markdown

    assert (DOCS / "contract.md").read_text(encoding="utf-8") == contract_markdown(), (
        "docs/contract.md is stale: python -c 'from newsloom.contract import contract_markdown; "
        'open("docs/contract.md", "w").write(contract_markdown())\''
    )


def test_the_benchmark_table_is_generated_from_the_recorded_runs():
    from conftest import benchmark_module

    report = benchmark_module("report")
    doc = (DOCS / "benchmarks.md").read_text(encoding="utf-8")
    assert report.render(doc) == doc, "docs/benchmarks.md is stale: python benchmarks/report.py"
