import json
from datetime import date

import pytest

from newsloom.errors import InputError
from newsloom.extract import decode, detect_language, extract, infer_published
from newsloom.ingest import doc_id
from newsloom.model import Document

SCRAPED = """The Example Gazette | News you can use

Home | World | Sport

Mayor opens the new river bridge in Rivertown

Published: 14 March 2022

By: Jane Roe and John Doe

The new bridge across the river in Rivertown (Photo: Example Gazette/A. Photographer)

RIVERTOWN -- The mayor of Rivertown opened the new bridge across the river on Monday after three years of construction work.

The bridge cost 40 million euros and carries four lanes of traffic, the city council said in a statement.

"This bridge joins the two halves of our town," the mayor told the crowd at the opening ceremony.

Share this article: Facebook | Twitter | Email

Related posts
Rivertown budget approved
New bus lines from May

We use cookies to give you a better visit. Accept Read More
"""


def doc(text: str, media: str = "text/plain", **hints: str) -> Document:
    raw = text.encode()
    return Document(doc_id(raw), "test-input", media, raw, "2026-01-01T00:00:00", hints)


def test_scraped_text_metadata_and_furniture():
    a = extract(doc(SCRAPED))
    assert a.title == "Mayor opens the new river bridge in Rivertown"
    assert a.outlet == "The Example Gazette"
    assert a.authors == ["Jane Roe", "John Doe"]
    assert a.published.date == date(2022, 3, 14) and not a.published.inferred
    assert a.dateline == "Rivertown"
    assert len(a.paragraphs) == 3
    assert a.captions and "Photo" in a.captions[0]
    for furniture in (
        "Home | World | Sport",
        "Related posts",
        "Rivertown budget approved",
        "Share this article: Facebook | Twitter | Email",
    ):
        assert furniture not in a.text
        assert furniture in a.boilerplate_removed
    assert "cookies" not in a.text


def test_byline_naming_an_outlet_is_an_outlet():
    a = extract(
        doc(
            "A headline about the harbour\n\nBy Harbour News Agency\n\n"
            + "The harbour reopened on Friday after a long repair that cost the city a lot of money.\n"
        )
    )
    assert a.authors == []
    assert a.outlet == "Harbour News Agency"


def test_undated_article_says_so():
    a = extract(
        doc(
            "A headline\n\nThe harbour reopened after a long repair that cost the city a lot of money, officials said.\n"
        )
    )
    assert a.published.date is None and a.published.granularity == "unknown"
    assert "no publication date" in a.published.evidence


def test_publication_date_inferred_from_weekday_and_this_week():
    body = "The envoy came to the capital this week. He held talks Monday-Wednesday (May 3-5) with the president."
    p = infer_published(body, date(2026, 1, 1))
    assert p.inferred and p.date == date(2021, 5, 5) and p.granularity == "week"
    assert p.end == date(2021, 5, 9) and "May 3-5" in p.evidence
    assert not p.bound_only  # the weekdays confirm the year


def test_publication_date_inferred_from_the_latest_stated_date_is_only_a_bound():
    body = "Fred Lane, who was born on June 17, 1929, died yesterday at his home."
    p = infer_published(body, date(2026, 1, 1))
    assert p.inferred and p.bound_only and p.date == date(1929, 6, 17)


def test_html_page_with_nav_cookie_comments_and_caption():
    html = """<html><head><title>Bridge opens | The Example Gazette</title>
    <meta property="og:site_name" content="The Example Gazette"><meta name="author" content="Jane Roe">
    <meta property="article:published_time" content="2022-03-14"><link rel="canonical" href="https://gazette.example/bridge"></head>
    <body><nav><a href="/">Home</a> | <a href="/world">World</a></nav><div class="cookie">We use cookies. Accept</div>
    <article><h1>Bridge opens</h1>
    <figure><img src="x.jpg"><figcaption>The old ferry in 1998. (Photo: Archive)</figcaption></figure>
    <p>The mayor of Rivertown opened the new bridge across the river on Monday after three years of construction work.</p>
    <p>The bridge cost 40 million euros and carries four lanes of traffic, the city council said in a statement.</p>
    </article><section class="comments"><p>Leave a comment</p></section></body></html>"""
    a = extract(doc(html, "text/html"))
    assert a.title == "Bridge opens"
    assert a.outlet == "The Example Gazette"
    assert a.authors == ["Jane Roe"]
    assert a.url == "https://gazette.example/bridge"
    assert a.published.date == date(2022, 3, 14)
    assert len(a.paragraphs) == 2 and "1998" not in a.text
    assert any("1998" in c for c in a.captions)
    assert "cookies" not in a.text and "Leave a comment" not in a.text


def test_jsonl_record_fields_win():
    rec = {"id": "x-1", "url": "https://wire.example/a", "outlet": "Wire", "title": "Bridge opens", "published": "2022-03-14",
           "text": "Bridge opens\n\nThe mayor opened the new bridge across the river on Monday after three years of work."}  # fmt: skip
    d = Document("abc", "f.jsonl:1", "application/x-jsonl-record", json.dumps(rec).encode(), "2026-01-01", {})
    a = extract(d)
    assert (a.external_id, a.outlet, a.title, a.url) == (
        "x-1",
        "Wire",
        "Bridge opens",
        "https://wire.example/a",
    )
    assert a.published.date == date(2022, 3, 14)
    assert a.paragraphs == [
        "The mayor opened the new bridge across the river on Monday after three years of work."
    ]


def test_html_without_article_is_an_error():
    with pytest.raises(InputError, match="no article text"):
        extract(doc("<html><body><nav>Home</nav></body></html>", "text/html"))


def test_empty_and_binary_inputs_are_errors():
    with pytest.raises(InputError, match="empty"):
        decode(b"  \n ", "x")
    with pytest.raises(InputError, match="binary"):
        decode(b"\x00\x01\x02PK\x00", "x")


def test_invalid_utf8_is_decoded_by_detection():
    text = "Der Bürgermeister eröffnete die Brücke über den Fluss am Montag nach drei Jahren Bauzeit."
    assert "Bürgermeister" in decode(text.encode("latin-1"), "x")


def test_language_detection():
    assert (
        detect_language(
            "The mayor opened the new bridge across the river on Monday and said it was the best day."
        )
        == "en"
    )
    assert (
        detect_language(
            "Der Bürgermeister hat die neue Brücke über den Fluss am Montag eröffnet und sagte, es sei ein guter Tag."
        )
        == "de"
    )
