"""Cross-source comparison of one event, and extractive briefings of events and storylines.

`compare` answers "who reports what": a matrix of facts (participants, dates, places, figures, quotes,
other events mentioned) against the outlets reporting the event, with what only one outlet reports and
where outlets disagree (different dates for the event, different figures for the same thing, different
spellings of one name). Every cell points to the sentence that supports it.

`brief` writes a short text of an event (what, who, where, when, what was said) or of a storyline (its
events in date order); every sentence is verbatim from a source and cited.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS

from .cards import Reports, background_paragraphs, event_card
from .store import EventRepository, Store
from .store.articles import ArticleRepository
from .store.mentions import MentionRepository
from .textclean import content_words
from .views import canonical_names, event_evidence

__all__ = ["FACT_PARAGRAPHS", "KIND_PHRASES", "MAX_FACTS", "SAME_FACT", "brief", "compare"]

# a figure: a number (digits or a number word) and the noun it counts, within the same sentence
_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty".split()
    )
}
_FIGURE = re.compile(
    r"(?<![\w+\-/.])(?P<num>\d[\d,.]*|"
    + "|".join(_NUMBER_WORDS)
    + r")(?:\s+(?P<scale>million|billion|thousand|hundred))?"
    r"\s+(?P<noun>[a-z]{3,})\b",
    re.IGNORECASE,
)
_YEARLIKE = re.compile(r"^(1[89]|20)\d\d$")


def _event_row(store: Store, event_id: str) -> Any:
    return EventRepository(store.db).event(store.find_id("event", event_id))


def _figures(sentence: str) -> list[tuple[str, str, str]]:
    """(noun, value, matched text) of the counted things in a sentence; years and dates are not figures."""
    out = []
    for m in _FIGURE.finditer(sentence):
        num = m.group("num").lower().rstrip(".,")
        before = sentence[: m.start()].split()[-1:]
        if (
            _YEARLIKE.match(num)
            or m.group("noun").lower() in _MONTHS
            or (before and before[0].lower() in _MONTHS)
        ):
            continue
        if m.group("noun")[0].isupper() or m.group("noun").lower() in STOP_WORDS:
            continue  # "five Central Asian states": the counted noun is further on
        value = str(_NUMBER_WORDS.get(num, num)).replace(",", "")
        if m.group("scale"):
            value += " " + m.group("scale").lower()
        noun = m.group("noun").lower()
        noun = noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun
        out.append((noun, value, m.group(0)))
    return out


_MONTHS = {
    m.lower()
    for m in "January February March April May June July August September October November December "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec percent per cent".split()
}


def _is_entity(store: Store, name: str) -> bool:
    return MentionRepository(store.db).is_person_or_org(name)


def _overlap(a: str, b: str) -> bool:
    a0, _, a1 = a.partition("..")
    b0, _, b1 = b.partition("..")
    return a0 <= (b1 or b0) and b0 <= (a1 or a0)


def compare(store: Store, event_id: str) -> dict[str, Any]:
    """The fact-by-outlet matrix of one event."""
    ev = _event_row(store, event_id)
    event_id = ev["id"]
    arts = ArticleRepository(store.db).originals_of_event(event_id)
    mentions = MentionRepository(store.db)
    outlets: list[dict[str, Any]] = []
    for a in arts:
        name = a["outlet"] or f"unknown outlet ({a['id'][:8]})"
        outlets.append({"outlet": name, "article_id": a["id"], "title": a["title"]})
    facts: dict[tuple[str, str], dict[str, Any]] = {}
    figures: dict[str, dict[str, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
    spellings: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    event_dates: dict[str, dict[str, str]] = defaultdict(dict)

    def add(kind: str, value: str, outlet: str, aid: str, sentence: str) -> None:
        f = facts.setdefault((kind, value), {"kind": kind, "value": value, "reported_by": {}})
        f["reported_by"].setdefault(outlet, {"article_id": aid, "sentence": sentence})

    for a, col in zip(arts, outlets, strict=True):
        aid, text, outlet = a["id"], a["text"], col["outlet"]
        bounds = {idx: (s, e) for idx, s, e in ArticleRepository(store.db).sentence_bounds(aid)}
        for name, etype, mtext, idx in mentions.named(aid):
            kind = "place" if etype in ("GPE", "LOC", "PLACE", "FAC") else "participant"
            s, e = bounds.get(idx, (0, 0))
            add(kind, name, outlet, aid, text[s:e])
            spellings[name][mtext].add(outlet)
        for m in mentions.of_article(aid, negated=False):
            sentence = text[m["evidence_start"] : m["evidence_end"]]
            if m["is_main"] and m["date_start"]:
                span = m["date_start"] + ("" if m["date_end"] == m["date_start"] else f"..{m['date_end']}")
                add("date of the event", span, outlet, aid, sentence)
                event_dates[outlet][span] = sentence
            elif (
                m["date_source"] == "sentence"
                and m["granularity"] == "day"
                and m["type"] != "STATEMENT"
                and ev["date_start"]
                and not (ev["date_start"] <= m["date_start"] <= (ev["date_end"] or ev["date_start"]))
            ):
                add(
                    "other event mentioned",
                    f"{m['type'].lower()} '{m['trigger']}' on {m['date_start']}",
                    outlet,
                    aid,
                    sentence,
                )
            if m["type"] == "STATEMENT":
                # who is reported saying something, quoted or in reported speech; named speakers only
                speakers = [
                    n for n in canonical_names(store, aid, json.loads(m["actors"])) if _is_entity(store, n)
                ]
                for sp in speakers:
                    said = f"\u201c{m['quote']}\u201d" if m["quote"] else sentence
                    add("statement", f"{sp}: {said}", outlet, aid, sentence)
                    add("speaker", sp, outlet, aid, sentence)
        for s, e in sorted(bounds.values()):
            sentence = text[s:e]
            for noun, value, matched in _figures(sentence):
                add("figure", matched, outlet, aid, sentence)
                figures[noun][value].append((outlet, sentence))
    rows = sorted(facts.values(), key=lambda f: (f["kind"], -len(f["reported_by"]), f["value"]))
    n_out = len({o["outlet"] for o in outlets})
    for f in rows:
        f["outlets"] = len(f["reported_by"])
        f["only"] = next(iter(f["reported_by"])) if n_out > 1 and len(f["reported_by"]) == 1 else None
    disagreements = []
    dates_by_outlet = {o: sorted(d) for o, d in event_dates.items()}
    spans = [(o, d) for o, ds in dates_by_outlet.items() for d in ds]
    if any(o1 != o2 and not _overlap(d1, d2) for o1, d1 in spans for o2, d2 in spans):
        disagreements.append({"kind": "date of the event", "values": dates_by_outlet})
    for noun, values in figures.items():
        by_outlet: dict[str, set[str]] = defaultdict(set)
        for value, where in values.items():
            for o, _ in where:
                by_outlet[o].add(value)
        if (
            len(by_outlet) > 1
            and len(values) > 1
            and not any(len(v) == len(values) for v in by_outlet.values())
        ):
            disagreements.append(
                {"kind": "figure", "about": noun, "values": {o: sorted(v) for o, v in by_outlet.items()}}
            )
    for name, forms in spellings.items():
        per_outlet: dict[str, set[str]] = defaultdict(set)
        for form, outs in forms.items():
            for o in outs:
                per_outlet[o].add(form)
        full = {o: {x for x in fs if len(x.split()) > 1} for o, fs in per_outlet.items()}
        distinct = {x for fs in full.values() for x in fs}
        if len(full) > 1 and len(distinct) > 1 and not any(fs == distinct for fs in full.values()):
            disagreements.append(
                {"kind": "spelling", "about": name, "values": {o: sorted(v) for o, v in full.items() if v}}
            )
    columns: dict[str, dict[str, Any]] = {}  # one column per outlet, however many reports it ran
    for report in outlets:
        col = columns.setdefault(report["outlet"], {**report, "article_ids": [], "reports": 0})
        col["article_ids"].append(report["article_id"])
        col["reports"] += 1
    return {
        "event_id": event_id,
        "title": ev["title"],
        "date": {"start": ev["date_start"], "end": ev["date_end"], "granularity": ev["granularity"]},
        "outlets": list(columns.values()),
        "facts": rows,
        "only_one_outlet": [f for f in rows if f["only"]],
        "disagreements": disagreements,
    }


def brief(store: Store, ident: str, max_quotes: int = 2) -> dict[str, Any]:
    """An extractive briefing of an event or a storyline; every sentence with its sources."""
    if ident.startswith("st_"):
        ident = store.find_id("storyline", ident)
    events = EventRepository(store.db)
    if events.storyline_exists(ident):
        evs = events.of_storyline(ident)
        sentences = []
        for ev in evs:
            lead = _lead(store, ev)
            if lead:
                sentences.append({**lead, "date": ev["date_start"], "event_id": ev["id"]})
        title = events.storyline_title(ident)
        return {"id": ident, "kind": "storyline", "title": title, "sentences": sentences}
    ev = _event_row(store, ident)
    reports = Reports(store.db, ev["id"])  # read once for the card and the background paragraphs
    card = event_card(store.db, ev["id"], reports)
    sentences = []
    lead = _lead(store, ev)
    if lead:
        sentences.append({**lead, "role": "what"})
    used = [content_words(s["text"]) for s in sentences]
    # when: a sentence that states the date, if the lead does not
    dated = MentionRepository(store.db).dated_in(
        ev["id"], ev["date_start"] or "", ev["date_end"] or ev["date_start"] or ""
    )
    if lead and lead.get("dated") is False:
        for s, e, text, aid, outlet in dated:
            if not _seen(content_words(text[s:e]), used):
                sentences.append(_cite(text[s:e], aid, outlet, "when"))
                used.append(content_words(text[s:e]))
                break
    quotes = _quotes(store, ev, used, max_quotes)
    background = background_paragraphs(reports, ev["date_start"], ev["date_end"])
    sentences += _facts(store, ev, used, card["kind"], background) + quotes
    return {
        "id": ev["id"],
        "kind": "event",
        "title": card["title"],
        "type": card["kind"],
        "date": {"start": ev["date_start"], "end": ev["date_end"], "granularity": ev["granularity"]},
        "place": card["place"]["name"] if card["place"] else None,
        "who": [p["name"] for p in card["who"]],
        "with_whom": [p["name"] for p in card["with_whom"]],
        "participants": [p["name"] for p in card["who"] + card["with_whom"] + card["participants"]],
        "mentioned": [p["name"] for p in card["mentioned"]],
        "card": _card_line(card),
        "sentences": sentences,
    }


# a briefing's facts: sentences of the reports' leads that hold a record of the event's kind or a figure,
# each once (sentences sharing this share of their content words state the same fact: merged, with
# all their sources)
FACT_PARAGRAPHS = 3
MAX_FACTS = 8
SAME_FACT = 0.5


_QUOTE_MARK = re.compile('["“”]')


def _seen(words: set[str], used: list[set[str]]) -> bool:
    return any(words and len(words & u) / min(len(words), len(u) or 1) >= SAME_FACT for u in used)


def _facts(
    store: Store, ev: Any, used: list[set[str]], kind: str, background: set[tuple[str, int]]
) -> list[dict[str, Any]]:
    """The distinct facts the reports give: one cited sentence each, merged across reports; not from
    background paragraphs (dated away from the event), not a quotation (see `_quotes`)."""
    rows = MentionRepository(store.db).in_first_paragraphs(ev["id"], FACT_PARAGRAPHS)
    facts: list[dict[str, Any]] = []
    words: list[set[str]] = []
    for r in rows:
        text = r["text"][r["evidence_start"] : r["evidence_end"]]
        if (
            r["hedged"]
            or r["negated"]
            or (r["article_id"], r["paragraph"]) in background
            or _QUOTE_MARK.search(text)
        ):
            continue
        if r["type"] == "STATEMENT" and not _figures(text):
            continue
        if r["type"] != kind and not _figures(text):
            continue
        w = content_words(text)
        if _seen(w, used):
            continue
        same = next((i for i, u in enumerate(words) if _seen(w, [u])), None)
        src = {"article_id": r["article_id"], "outlet": r["outlet"]}
        if same is not None:
            # the same fact in another report: cited with that report's own sentence
            f = facts[same]
            if src not in f["sources"] and all(
                a["article_id"] != src["article_id"] for a in f["also_reported_by"]
            ):
                f["also_reported_by"].append({**src, "sentence": text})
            continue
        facts.append(
            {
                "text": text,
                "role": "fact",
                "sources": [src],
                "also_reported_by": [],
                "paragraph": r["paragraph"],
            }
        )
        words.append(w)
    # what most reports say first, then by position in the reports
    facts.sort(key=lambda f: (-len(f["also_reported_by"]), f["paragraph"]))
    out = facts[:MAX_FACTS]
    for f in out:
        del f["paragraph"]
    used += [content_words(f["text"]) for f in out]
    return out


def _quotes(store: Store, ev: Any, used: list[set[str]], max_quotes: int) -> list[dict[str, Any]]:
    """What was said: one quotation per named speaker, whole (from its opening quotation mark to the
    end of the sentence that names the speaker, over sentence breaks), verbatim and cited."""
    out: list[dict[str, Any]] = []
    speakers: set[str] = set()
    for m in MentionRepository(store.db).quotations(ev["id"]):
        names = [
            n for n in canonical_names(store, m["article_id"], json.loads(m["actors"])) if n[:1].isupper()
        ]
        if not names or names[0] in speakers or len(speakers) >= max_quotes:
            continue  # a named speaker only ("the statement said" names nobody)
        art = m["article_text"]
        start, end = m["evidence_start"], m["evidence_end"]
        at = art.find(m["quote"], max(0, start - 5000), end)
        if at != -1 and at < start:
            para = art.rfind("\n\n", 0, at)
            if para < start and art.rfind("\n\n", 0, start) == para:  # the same paragraph
                start = max(0, at - 1)
        text = art[start:end]
        if _seen(content_words(text), used):
            continue
        speakers.add(names[0])
        out.append({**_cite(text, m["article_id"], m["outlet"], "said"), "speaker": names[0]})
        used.append(content_words(text))
    return out


# how a card line names each kind of happening
KIND_PHRASES = {"CONSULT": "meets", "ASSAULT": "attack", "COERCE": "arrest", "PROTEST": "protest",
                "AGREE": "agreement", "SUPPORT": "support", "AID": "aid", "DEMAND": "demand",
                "DISAPPROVE": "criticism", "REJECT": "rejection", "THREATEN": "threat", "SANCTION": "sanctions",
                "FIGHT": "fighting", "DISASTER": "disaster", "ACCIDENT": "accident", "STATEMENT": "statement",
                "OTHER": "event"}  # fmt: skip


def _card_line(card: dict[str, Any]) -> str:
    """The card as one line: who, what, with whom, where, when."""
    what = KIND_PHRASES.get(card["kind"], card["kind"].lower())
    who = ", ".join(p["name"] for p in card["who"])
    parts = [who, what] if who else [what[:1].upper() + what[1:]]
    if card["with_whom"]:
        parts.append("with " + ", ".join(p["name"] for p in card["with_whom"][:5]))
    if card["place"]:
        parts.append("in " + card["place"]["name"])
    d = card["date"]
    if d["start"]:
        parts.append("on " + (d["start"] if d["end"] in (None, d["start"]) else f"{d['start']}..{d['end']}"))
    return " ".join(parts)


def _cite(text: str, aid: str, outlet: str | None, role: str) -> dict[str, Any]:
    return {"text": text, "role": role, "sources": [{"article_id": aid, "outlet": outlet}]}


def _lead(store: Store, ev: Any) -> dict[str, Any] | None:
    ev_sources = event_evidence(store, ev["id"])
    if not ev_sources:
        return None
    dated = {e["article_id"] for e in ev_sources if e["date_source"] in ("sentence", "paragraph")}
    ev_sources.sort(key=lambda e: e["article_id"] not in dated)
    best = ev_sources[0]
    return {
        "text": best["sentence"],
        "role": "what",
        "dated": best["article_id"] in dated,
        "sources": [{"article_id": best["article_id"], "outlet": best["outlet"]}],
        # the other reports of the event, each in its own words
        "also_reported_by": [
            {"article_id": e["article_id"], "outlet": e["outlet"], "sentence": e["sentence"]}
            for e in ev_sources[1:]
        ],
    }
