"""The date-wise timeline: days chosen by the articles that name them, one sentence never under two days."""

import json

from newsloom.datewise import busiest_days, summarise
from newsloom.pipeline import ingest
from newsloom.store import Store

# Invented reports of a flood: the day the levee failed is named by three reports, the day of the repair
# by three; two sentences name both days and are the most central of each.
ARTICLES = [
    ("2022-03-04", "The levee at Marlow failed on March 3 and the river flooded the lower town."),
    ("2022-03-10", "The Marlow levee failed on March 3 and was repaired on March 9, officials said."),
    ("2022-03-11", "The Marlow levee failed on March 3 and was repaired on March 9, the mayor said."),
    ("2022-03-10", "Engineers closed the breach in the Marlow levee on March 9 with sandbags."),
]  # fmt: skip


def test_days_named_by_most_articles_and_no_sentence_under_two_days(tmp_path, resources):
    src = tmp_path / "flood.jsonl"
    src.write_text(
        "".join(
            json.dumps({"id": f"f{i}", "title": f"Marlow flood report {i}", "published": day, "text": text})
            + "\n"
            for i, (day, text) in enumerate(ARTICLES)
        ),
        encoding="utf-8",
    )
    with Store(tmp_path / "s.db") as store:
        ingest(store, [str(src)], res=resources)
        entries = summarise(store, max_dates=2, per_date=1, keywords=["levee"])
        assert [e["date"] for e in entries] == ["2022-03-03", "2022-03-09"]
        texts = [s["text"] for e in entries for s in e["sentences"]]
        assert texts and len(texts) == len(set(texts))
        assert busiest_days(store, 1) == ["2022-03-10"]
