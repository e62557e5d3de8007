"""The golden table of the temporal tagger (tests/data/timex_cases.tsv), replayed row by row, and each
family's documented examples."""

import csv
from datetime import date
from pathlib import Path

import pytest

from newsloom.temporal import FAMILIES, scan, tag

TABLE = Path(__file__).parent / "data" / "timex_cases.tsv"


def _rows() -> list:
    lines = [x for x in TABLE.read_text(encoding="utf-8").splitlines() if x and not x.startswith("#")]
    out = []
    for n, row in enumerate(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE), start=1):
        marks = [pytest.mark.xfail(reason=row["status"][6:].strip(), strict=True)] if row["status"] else []
        out.append(pytest.param(row, id=f"{n}-{row['family']}-{row['expression']}", marks=marks))
    return out


@pytest.mark.parametrize("row", _rows())
def test_golden_row(row):
    text, expr = row["text"], row["expression"]
    start = text.index(expr)
    mentions = tag(text, date.fromisoformat(row["reference"]))
    if row["value"] == "-":
        assert not [m for m in mentions if m.start < start + len(expr) and start < m.end], mentions
        return
    found = {(m.start, m.end): m for m in mentions}
    assert (start, start + len(expr)) in found, [(m.text, m.value) for m in mentions]
    assert found[start, start + len(expr)].value == row["value"]
    kinds = {(c.start, c.end): c.kind for c in scan(text)}
    assert kinds[start, start + len(expr)] == row["family"]


def test_the_table_covers_every_family():
    families = {row.values[0]["family"] for row in _rows()}
    assert {f.name for f in FAMILIES} <= families


@pytest.mark.parametrize("fam", FAMILIES, ids=lambda f: f.name)
def test_each_family_tags_its_own_examples(fam):
    assert fam.examples, f"{fam.name} has no examples"
    for example in fam.examples:
        spans = {(c.start, c.end): c.kind for c in scan(example)}
        assert spans.get((0, len(example))) == fam.name, (example, spans)


def test_the_docs_list_the_families_as_the_code_has_them():
    from newsloom.temporal.families import describe

    docs = (Path(__file__).parent.parent / "docs" / "temporal.md").read_text(encoding="utf-8")
    assert docs.endswith(describe()), "docs/temporal.md: regenerate the table with families.describe()"


def test_no_span_starts_or_ends_with_a_space():
    for row in _rows():
        text = row.values[0]["text"]
        for m in tag(text, date.fromisoformat(row.values[0]["reference"])):
            assert m.text == m.text.strip(), (text, m.text)
