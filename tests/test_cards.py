"""Event cards: who is on a card and where; names that are not people or places of the event stay off."""

from __future__ import annotations

import json
from collections import Counter

from newsloom.cards import CREDIT_RX, _a_person, _fuller_names, _not_a_name, event_card
from newsloom.pipeline import ingest
from newsloom.store import Store


def test_a_first_name_stands_for_the_one_fuller_name_it_begins_or_ends():
    folded = _fuller_names({"Mia", "Mia Osei", "Osei", "Kofi", "Kofi Osei", "Lind", "Ada Lind", "Ada"})
    assert folded["Mia"] == "Mia Osei"
    assert folded["Lind"] == "Ada Lind"
    assert "Osei" not in folded  # the surname of two people
    assert "Kofi Osei" not in folded and "Ada" in folded


def test_call_signs_headings_handles_and_addresses_are_no_people():
    for name in ("KTHV", "SAN ANTONIO", "NBC4", "@ElsaNews9", "http://t.co/x", "P.O. Box 138"):
        assert _not_a_name(name, "PERSON"), name
    for name in ("Ann Lee", "Jo-Ann O'Neil", "Luis Gerardo Ortiz"):
        assert not _not_a_name(name, "PERSON"), name
    assert not _not_a_name("KTHV", "ORG")  # an organisation in capitals is one


def test_a_name_is_a_person_where_the_reports_use_it_more_for_people_than_for_places():
    people = Counter({"Jaden": 3, "Houston": 1, "Maurice": 2, "Cheeks": 2})
    places = Counter({"Houston": 4, "Jaden": 1})
    assert _a_person("Jaden", people, places)
    assert _a_person("Maurice Cheeks", people, places)
    assert not _a_person("Houston", people, places)  # a town that is a surname too
    assert not _a_person("Dayton", people, places)


def _credited(text: str) -> set[str]:
    return {n for m in CREDIT_RX.finditer(text) for n in m.groups() if n}


def test_journalists_at_work_are_credits():
    assert _credited("(AP Photo/Rob Kemper)") == {"Rob Kemper"}
    assert _credited("A car outside the shop. (Rob Kemper/The Daily Ledger)") == {"Rob Kemper"}
    assert _credited("Photo by Rob Kemper") == {"Rob Kemper"}
    assert _credited("Mara Quinn reports.") == {"Mara Quinn"}
    assert _credited("Mara Quinn contributed to this report.") == {"Mara Quinn"}
    assert _credited("Email Mara Quinn at mquinn@example.org") == {"Mara Quinn"}
    assert _credited("Follow Mara Quinn on Twitter") == {"Mara Quinn"}


def test_a_journalist_in_the_news_is_no_credit():
    assert not _credited("Former travel reporter Mara Quinn checked into a clinic on Monday.")
    assert not _credited("The club withdrew its offer to Dale Varga, reports the Ledger.")
    assert not _credited("Police Chief Sam Orr said the suspect fled.")
    assert not _credited(
        "Governor Ada Lind has more support than ever, and millions follow Ada Lind on Twitter."
    )


def test_the_card_keeps_credited_journalists_and_first_names_off(tmp_path, resources):
    reports = [
        {
            "id": "a",
            "title": "Man shot outside Harlow Street bakery in Millbrook",
            "published": "2024-03-04",
            "text": (
                "MILLBROOK -- Dennis Okafor, 41, was shot outside a bakery on Harlow Street in Millbrook on "
                "Sunday night, police said.\n\nOfficers arrested Victor Brandt at the scene, police said.\n\n"
                "(AP Photo/Rob Kemper)\n\nEmail Mara Quinn at mquinn@example.org"
            ),
        },
        {
            "id": "b",
            "title": "Millbrook shooting: suspect charged",
            "published": "2024-03-05",
            "text": (
                "Victor Brandt was charged on Monday with shooting Dennis Okafor outside a Millbrook bakery "
                "on Sunday night.\n\nDennis was in stable condition, his family said.\n\n"
                "Mara Quinn contributed to this report."
            ),
        },
    ]
    src = tmp_path / "reports.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in reports), encoding="utf-8")
    with Store(tmp_path / "s.db") as store:
        ingest(store, [str(src)], res=resources)
        events = [r[0] for r in store.query("SELECT DISTINCT event_id FROM articles")]
        assert len(events) == 1
        card = event_card(store.db, events[0])
    people = [p["name"] for f in ("who", "with_whom", "participants", "mentioned") for p in card[f]]
    assert "Dennis Okafor" in people and "Victor Brandt" in people
    assert "Dennis" not in people
    assert not {"Rob Kemper", "Mara Quinn"} & set(people)


def test_victims_named_below_the_lead_are_whom_it_happened_to(tmp_path, resources):
    text = (
        "COBBRIDGE -- Two people were shot at a park in Cobbridge on Sunday evening, police said.\n\n"
        "Officers found the wounded near the basketball courts.\n\n"
        "Witnesses said a gunman fired from a passing car and drove away.\n\n"
        "Lena Marsh, 19, died at Cobbridge General Hospital on Sunday night.\n\n"
        "Omar Feld, 22, was shot in his left arm and will recover, doctors at the clinic said."
    )
    report = {"id": "a", "title": "Two shot at Cobbridge park", "published": "2024-06-10", "text": text}
    src = tmp_path / "reports.jsonl"
    src.write_text(json.dumps(report) + "\n", encoding="utf-8")
    with Store(tmp_path / "s.db") as store:
        ingest(store, [str(src)], res=resources)
        (event,) = [r[0] for r in store.query("SELECT DISTINCT event_id FROM articles")]
        card = event_card(store.db, event)
    whom = [p["name"] for p in card["with_whom"]]
    assert {"Lena Marsh", "Omar Feld"} <= set(whom)
    assert not {"Lena Marsh", "Omar Feld"} & {p["name"] for p in card["who"]}
