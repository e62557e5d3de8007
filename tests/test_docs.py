"""The docs generated from the code are current."""

from pathlib import Path

from newsloom.cli import reference

DOCS = Path(__file__).resolve().parent.parent / "docs"
REGENERATE = "python -c 'from newsloom.cli import reference; print(reference(), end=\"\")' > docs/cli.md"


def test_the_cli_reference_is_the_parsers():
    written = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert written == reference(), f"docs/cli.md is stale: {REGENERATE}"
