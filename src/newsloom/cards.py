"""The event card: title, kind, date, place, who, with whom, participants, from the event's reports.

A card is read from what the store holds about the event's reports (their records, entities, sentences
and headlines), so it is the same for the command line, the web pages and the exports. `refresh_cards`
writes each card's title and place into the events table after a batch is clustered, so that lists and
storylines show them too.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

from . import places as pl
from . import textclean
from .clustering.online import stated_date
from .errors import NotFoundError
from .gazetteer import load_gazetteer, title_words
from .records import kind_of_word, undergoing_forms
from .store import EventRepository

__all__ = [
    "BACKGROUND_DAYS",
    "BYLINE_RX",
    "DEFAULT_TEMPLATES",
    "IN_REGION",
    "LEAD_PARAGRAPHS",
    "MAX_MENTIONED",
    "MAX_PARTICIPANTS",
    "Reports",
    "SOURCE_RX",
    "STORED_CARD_REPORTS",
    "TEMPLATES",
    "TITLE_WORDS",
    "background_paragraphs",
    "card_place",
    "card_title",
    "event_card",
    "refresh_cards",
]

LEAD_PARAGRAPHS = 2  # paragraphs 0..2 of a report say what it reports; later ones give background
TITLE_WORDS = (3, 25)  # a headline has this many words
# a card's participants: the names most mentioned in the paragraphs about it, less those in who / with whom
MAX_PARTICIPANTS = 12
BACKGROUND_DAYS = 7  # a paragraph dated only this far from the event's days is background
# Evidence for the event's place counts one a mention: the place of a record of the event, a headline
# naming it, a lead naming it (a dateline is a lead's first name). A town GeoNames puts in the region the
# reports name (or anywhere, if they name none) counts this many times.
IN_REGION = 2.0
MAX_MENTIONED = 10

# outlets and the like: an organisation with such a word credited with a statement is a source
SOURCE_RX = re.compile(
    r"(?i)\b(?:news|press|agency|times|post|tribune|herald|gazette|journal|tv|radio|television|broadcasting|"
    r"daily|media|reuters|associated press|afp|network|channel|magazine|chronicle|observer|telegraph|"
    r"website|blog|twitter|facebook)\b"
)
# a byline in the body ("By Rosa Jimenez, Chicago bureau"): its name is the report's author, a source
BYLINE_RX = re.compile(r"(?m)^(?:By|BY|Written by)\s+([A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){1,3})")
# the other credits of a page: a photo's ("Photo by Ann Lee", "(Ann Lee/The Times)"), a reporter's ("Ann Lee
# reports.", "Ann Lee has more", "Ann Lee contributed to this report") and a contact ("Email Ann Lee at",
# "Follow Ann Lee on Twitter"): journalists at work, not people of the event. A journalist's title alone
# ("correspondent Ann Lee") is no credit: the journalist may be the news.
_NAME = r"([A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3})"
CREDIT_RX = re.compile(
    "|".join(
        (
            r"(?:[Pp]hoto(?:graph)?s?|[Ii]mages?|[Cc]redit|[Vv]ideo)(?:\s+by|:|/)\s*" + _NAME,
            r"\((?![^/)]*[Pp]hoto)\s*" + _NAME + r"\s*/",
            _NAME + r"\s*/\s*(?:AP|Reuters|Getty|AFP)\b",
            _NAME + r"\s+(?:(?:reports|has more|has the story)(?=\s*[.:]|\s+from\b|\s+live\b|\s+on\b)"
            r"|reported from|contributed to this report)\b",
            # an imperative, as a page writes it ("millions follow ... on Twitter" is no credit)
            r"(?:E-?mail|Contact|Follow|Write to|Reach)\s+" + _NAME + r"\s+(?:at|on|via)\b",
        )
    )
)

# generated titles, by kind: {who}, {whom}, {where}, {what} (the word the reports use most for the
# happening: "spill", "shooting", "talks"); the first whose fields are all known is used
TEMPLATES: dict[str, tuple[str, ...]] = {
    "CONSULT": (
        "{who} meets {whom} in {where}",
        "{who} meets {whom}",
        "{who} visits {where}",
        "{what} in {where}",
    ),
    "ASSAULT": ("{what} in {where}", "{who} attacks {whom}", "Attack on {whom}", "Attack in {where}"),
    "COERCE": ("{who} arrests {whom}", "{whom} arrested in {where}", "{what} in {where}"),
    "PROTEST": ("{who} protest in {where}", "{what} in {where}"),
    "AGREE": ("{who} and {whom} agree", "{what} in {where}"),
}
DEFAULT_TEMPLATES = ("{what} in {where}", "{who} and {whom} in {where}", "{who} in {where}", "{what}: {who}")


def _words(s: str) -> set[str]:
    return textclean.content_words(s, 3)


def _json(s: str | None) -> list[str]:
    return json.loads(s) if s else []


class Reports:
    """What the store holds about one event's reports, read once."""

    def __init__(self, db: sqlite3.Connection, event_id: str, latest: int | None = None) -> None:
        """`latest`: read the first report and only the latest ones of an event larger than that."""
        read = EventRepository(db).reports(event_id, latest)
        self.arts, self.paras, self.mentions = read.arts, read.paras, read.mentions
        self.ents, self.times = read.ents, read.times
        # surface -> canonical name, per article
        self.canon: dict[tuple[str, str], tuple[str, str]] = {}
        for e in self.ents:
            if e["name"]:
                self.canon[(e["article_id"], e["text"])] = (e["name"], e["type"])
        self.fuller = _fuller_names(
            {e["name"] or e["text"] for e in self.ents if (e["type"] or e["label"]) == "PERSON"}
        )

    def para(self, aid: str, sentence: int) -> int:
        return self.paras.get((aid, sentence), 99)

    def name(self, aid: str, surface: str) -> tuple[str, str]:
        """Canonical name and type of a surface name in one report; a common noun stays as it is."""
        name, typ = self.canon.get((aid, surface), (surface, "PERSON" if surface[:1].isupper() else "NOUN"))
        return self.fold(name, typ), typ

    def fold(self, name: str, typ: str | None) -> str:
        """A person's one-word name as the fuller name it stands for (`_fuller_names`); others as they are."""
        return self.fuller.get(name, name) if typ == "PERSON" else name


def _fuller_names(people: set[str]) -> dict[str, str]:
    """One-word names of people that stand for a fuller name the event's reports give ("Mia" and "Mia
    Smith" in two reports): the one fuller name whose first or last word it is. Within a report the
    resolver has joined them already; across reports a card would list one person twice. A word shared
    by two fuller names ("Smith" of two Smiths) stays as it is."""
    ends: defaultdict[str, set[str]] = defaultdict(set)  # first or last word -> the fuller names
    for m in people:
        words = m.split()
        if len(words) > 1:
            ends[words[0]].add(m)
            ends[words[-1]].add(m)
    return {n: next(iter(ends[n])) for n in people if " " not in n and len(ends.get(n, ())) == 1}


def _event_records(rep: Reports, kind: str) -> list[sqlite3.Row]:
    """The records that state the event: its kind, asserted, in the lead of each report (or the report's
    main record wherever it stands)."""
    return [
        m
        for m in rep.mentions
        if (
            m["is_main"]
            or (m["type"] == kind and rep.para(m["article_id"], m["sentence"]) <= LEAD_PARAGRAPHS)
        )
        and not m["hedged"]
        and not m["negated"]
    ]


def _who(
    acted: dict[str, float], undergone: dict[str, float], types: dict[str, str], mentions: Counter[str]
) -> list[str]:
    """Who did it: the actor the reports' records name most (main records count double), the one the
    reports mention most on a tie; a name is preferred to a common noun ("police") and a person to the
    country they act for. Others acting as much and never acted upon stand beside it."""
    pool = {n: c for n, c in acted.items() if types.get(n) != "NOUN"} or dict(acted)
    if any(types.get(n) == "PERSON" for n in pool):
        pool = {n: c for n, c in pool.items() if types.get(n) not in ("GPE", "NORP")}
    if not pool:
        return []
    ranked = sorted(pool, key=lambda n: (-pool[n], -mentions.get(n, 0), n))
    top = ranked[0]
    return [top] + [n for n in ranked[1:3] if pool[n] >= pool[top] and not undergone.get(n)]


def background_paragraphs(rep: Reports, start: str | None, end: str | None) -> set[tuple[str, int]]:
    """(report, paragraph) of an event's reports that are dated, and dated only away from the event's
    days `start`..`end`."""
    if not start:
        return set()
    lo = (date.fromisoformat(start) - timedelta(days=BACKGROUND_DAYS)).isoformat()
    hi = (date.fromisoformat(end or start) + timedelta(days=BACKGROUND_DAYS)).isoformat()
    near: dict[tuple[str, int], bool] = {}
    for t in rep.times:
        span = date.fromisoformat(t["range_end"] or t["range_start"]) - date.fromisoformat(t["range_start"])
        if span.days > BACKGROUND_DAYS:
            continue  # "in September", "this year": too vague to put a paragraph elsewhere in time
        key = (t["article_id"], rep.para(t["article_id"], t["sentence"]))
        overlaps = t["range_start"] <= hi and (t["range_end"] or t["range_start"]) >= lo
        near[key] = near.get(key, False) or overlaps
    return {k for k, v in near.items() if not v}


def _speakers(rep: Reports) -> set[tuple[str, int, str]]:
    """(report, sentence, name) where the name is the speaker of a statement: a source there."""
    return {
        (m["article_id"], m["sentence"], a)
        for m in rep.mentions
        if m["type"] == "STATEMENT"
        for a in _json(m["actors"])
    }


def _fragment(name: str) -> bool:
    """A role description, not a name: a word of a role title standing alone ("State" of "Secretary of
    State"), or titles, demonyms and linking words only ("Tajik President", "Special Representatives
    and Special Envoys")."""
    gaz = load_gazetteer()
    titles = title_words()
    if " " not in name:
        return name.lower().rstrip(".") in titles
    words = [w for w in name.split() if w.lower() not in ("and", "of", "for", "the")]
    return all(w.lower() in titles or w.lower().rstrip("s") in titles or w in gaz.demonyms for w in words)


def _not_a_name(name: str, typ: str) -> bool:
    """A "person" that cannot be one: no lower-case letter (a station's call sign, a dateline, a heading in
    capitals), or a digit, "@" or "/" (a handle, an address, a link)."""
    return typ == "PERSON" and (name.upper() == name or any(c.isdigit() or c in "@/" for c in name))


def _off_card(name: str, typ: str, sources: set[str]) -> bool:
    """Whether a name stays off a card: a source, a role, or no name of a person."""
    return _is_source(name, sources) or _fragment(name) or _not_a_name(name, typ)


def _sources(rep: Reports) -> set[str]:
    """Names credited as sources: the reports' outlets, and organisations of news-ish names that speak."""
    out = {a["outlet"] for a in rep.arts if a["outlet"]}
    for a in rep.arts:
        out.update(json.loads(a["authors"] or "[]"))
        out.update(m.group(1) for m in BYLINE_RX.finditer(a["text"] or ""))
        out.update(n for m in CREDIT_RX.finditer(a["text"] or "") for n in m.groups() if n)
    for m in rep.mentions:
        if m["type"] == "STATEMENT":
            for actor in _json(m["actors"]):
                name, typ = rep.name(m["article_id"], actor)
                if typ == "ORG" and SOURCE_RX.search(name):
                    out.add(name)
    return out


def _is_source(name: str, sources: set[str]) -> bool:
    n = name.lower()
    return any(n == s.lower() or (len(s) > 3 and (s.lower() in n or n in s.lower())) for s in sources)


def _a_person(name: str, person_words: Counter[str], place_words: Counter[str]) -> bool:
    """Whether the reports use every word of a place name more often in the names of people than in
    the names of places (the tagger takes a town for a person at times, and a person for a town)."""
    return all(person_words[w] > place_words[w] for w in name.split())


def card_place(rep: Reports, records: list[sqlite3.Row]) -> dict[str, Any] | None:
    """Where the event happens, at the finest level stated: a town over a county over a state over a
    country. Evidence: the place attached to a report's main record, the other records' places, the
    headlines, the datelines and the leads. The town must lie in the region the records name when
    GeoNames knows it ("Dushanbe" for a visit "to Tajikistan", not "Doha" of a background sentence); a
    name the reports use more often for a person than for a place is no place ("Jaden"), while a town
    that is also a surname stays one ("Houston", "Dayton")."""
    person_words: Counter[str] = Counter()  # words of the reports' people, each with its mentions
    place_words: Counter[str] = Counter()  # ... and of their places
    for e in rep.ents:
        if (e["type"] or e["label"]) == "PERSON":
            person_words.update(re.findall(r"[\w.'-]+", e["text"]))
        elif e["label"] in ("GPE", "LOC", "FAC"):
            place_words.update(re.findall(r"[\w.'-]+", e["text"]))
    score: defaultdict[str, float] = defaultdict(float)
    main_places: set[str] = set()  # the places the reports' main records name
    for m in records:
        if m["place"]:
            score[m["place"]] += 1.0
            if m["is_main"]:
                main_places.add(m["place"])
    in_headline: set[str] = set()
    for e in rep.ents:
        if rep.para(e["article_id"], e["sentence"]) > 1:
            continue
        if e["label"] in ("GPE", "LOC", "FAC"):
            score[e["text"]] += 1.0
        elif e["label"] == "NORP" and e["type"] == "GPE" and e["name"]:
            score[e["name"]] += 1.0  # "the Romanian town of Calafat": in Romania
        elif e["label"] == "ORG":
            # "Elgin Police Department", "Tulsa County Sheriff's Office": an authority named by its town
            head = pl.leading_place(e["text"])
            if head:
                score[head] += 1.0
                in_headline.add(head)  # must lie in the reports' region, like a headline's town
    for a in rep.arts:
        for name in pl.towns_named(a["title"] or "", a["text"] or ""):
            if name not in score:
                in_headline.add(name)
                score[name] = 0.0  # a candidate; the headline weight below counts it
    for name in list(score):
        score[name] += sum(bool(re.search(rf"\b{re.escape(name)}\b", a["title"] or "")) for a in rep.arts)
    for name, sc in list(score.items()):
        # "CAMDEN, N.J." of a dateline, "Gary, Indiana": a town and its region
        if ", " in name:
            head, *rest = [p for p in name.split(", ") if p.strip(" .")]
            del score[name]
            score[head] += sc
            for r in rest:
                score[r] += sc
            if name in main_places:
                main_places.add(head)
    merged: dict[tuple[str, str], tuple[float, pl.Level]] = {}
    for name, sc in score.items():
        lv = pl.level(name)
        if lv.level in ("town", "unknown"):
            if _a_person(lv.name, person_words, place_words) or not lv.name[:1].isupper():
                continue  # "Jaden", "Maurice Cheeks": a person's name, whatever the tagger said once
        key = (lv.level, lv.name)  # "CALAFAT" of a dateline and "Calafat" are one place
        merged[key] = (merged.get(key, (0.0, lv))[0] + sc, lv)
    levels: dict[str, list[tuple[float, pl.Level]]] = defaultdict(list)
    for sc, lv in merged.values():
        levels[lv.level].append((sc, lv))
    states = sorted(levels.get("state", []), key=lambda x: -x[0])
    countries = sorted(levels.get("country", []), key=lambda x: -x[0])
    # the region a main record names comes first ("a visit to Tajikistan"), and a town GeoNames puts
    # elsewhere is then no place
    main_names = {pl.level(p).name for p in main_places}
    states.sort(key=lambda x: (x[1].name not in main_names, -x[0]))
    countries.sort(key=lambda x: (x[1].name not in main_names, -x[0]))
    main_region = any(lv.name in main_names for _, lv in states + countries)
    state = states[0][1].name if states else None
    country = countries[0][1].country if countries else None
    if state and not country:
        country = "United States"
    towns: dict[str, tuple[float, str | None, str | None]] = {}
    for sc, lv in levels.get("town", []) + levels.get("unknown", []):
        st, co = pl.town_in(lv.name, state, None if state else country)
        if co is not None:
            sc *= IN_REGION
        else:
            if lv.name in in_headline:
                continue  # a capitalised headline word that is a town elsewhere ("Mobile" in Ohio)
            st, co = pl.town_in(lv.name)
            if co is not None and main_region:
                continue  # "Doha" in reports of a visit to Tajikistan
        towns[lv.name] = (sc, st, co)
    for sc, lv in levels.get("area", []):
        towns[lv.name] = (sc, None, None)  # a sea or a coast competes with the towns and stands alone
    areas = {lv.name for _, lv in levels.get("area", [])}
    best = max(towns.items(), key=lambda kv: kv[1][0]) if towns else None
    hierarchy: list[dict[str, str]] = []
    if best is not None and best[0] in areas:
        hierarchy.append({"name": best[0], "level": "area"})
    elif best is not None:
        town, (_, st, co) = best
        hierarchy.append({"name": town, "level": "town"})
        st = st or (state if co in (None, "United States") else None)
        co = co or country
        if st:
            hierarchy.append({"name": st, "level": "state"})
        if co:
            hierarchy.append({"name": co, "level": "country"})
    elif levels.get("county"):
        hierarchy.append({"name": max(levels["county"], key=lambda x: x[0])[1].name, "level": "county"})
        if state:
            hierarchy.append({"name": state, "level": "state"})
    elif state:
        hierarchy += [{"name": state, "level": "state"}, {"name": "United States", "level": "country"}]
    elif country:
        hierarchy.append({"name": country, "level": "country"})
    if not hierarchy:
        return None
    shown = [h["name"] for h in hierarchy]
    if len(shown) == 3:
        shown = shown[:2] if shown[2] == "United States" else [shown[0], shown[2]]  # "Gary, Indiana"
    return {"name": ", ".join(dict.fromkeys(shown)), "hierarchy": hierarchy}


def _headline_ok(title: str) -> bool:
    """A real headline: of headline length and shape (not a dated caption, a sentence ending in a full
    stop, page furniture), with a content word."""
    n = len(title.split())
    return (
        TITLE_WORDS[0] <= n <= TITLE_WORDS[1] and textclean.looks_like_headline(title) and bool(_words(title))
    )


def card_title(
    rep: Reports, kind: str, who: list[str], whom: list[str], place: dict[str, Any] | None
) -> tuple[str, str]:
    """The best headline among the reports (a real one, headline-shaped, not cut from the text; naming
    the kind, a participant or the place; the most shared with the other reports), else one generated
    from the card. Returns (title, source)."""
    names = _words(" ".join(who + whom + ([h["name"] for h in place["hierarchy"]] if place else [])))
    all_titles = [a["title"] or "" for a in rep.arts]
    best: tuple[float, str] | None = None
    for a in rep.arts:
        t = (a["title"] or "").strip()
        first = (a["text"] or "").split("\n\n", 1)[0]
        if not _headline_ok(t) or (first.startswith(t) and len(first) > len(t) + 1):
            continue  # not headline-shaped, or a piece cut from the text's first paragraph
        tw = _words(t)
        merit = 0.0
        merit += 2.0 if any(kind_of_word(w) == kind for w in re.findall(r"[A-Za-z]+", t)) else 0.0
        merit += 1.0 if tw & names else 0.0
        merit += sum(len(tw & _words(o)) / len(tw) for o in all_titles if o != t) / max(
            1, len(all_titles) - 1
        )
        if best is None or merit > best[0]:
            best = (merit, t)
    if best is not None:
        return best[1], "headline"
    where = place["name"].split(",")[0] if place else ""
    what = Counter(
        m["trigger"].lower() for m in rep.mentions if m["type"] == kind and " " not in m["trigger"]
    )
    nouns = [w for w, _ in what.most_common() if kind_of_word(w) == kind and not w.endswith(("ed", "ing"))]
    fields = {
        "who": " and ".join(who[:2]),
        "whom": " and ".join(whom[:2]),
        "where": where,
        "what": nouns[0] if nouns else "",
    }
    for tpl in TEMPLATES.get(kind, ()) + DEFAULT_TEMPLATES:
        keys = re.findall(r"{(\w+)}", tpl)
        if all(fields[k] for k in keys):
            t = tpl.format(**fields)
            return t[:1].upper() + t[1:], "generated"
    return (rep.arts[0]["title"] if rep.arts else ""), "first report"


def event_card(db: sqlite3.Connection, event_id: str, rep: Reports | None = None) -> dict[str, Any]:
    """The card of one stored event (`rep`: its reports, when the caller has read them already)."""
    ev = EventRepository(db).event(event_id)
    rep = rep or Reports(db, event_id)
    kind = ev["type"]
    recs = _event_records(rep, kind)
    sources = _sources(rep)
    acted: defaultdict[str, float] = defaultdict(float)
    undergone: defaultdict[str, float] = defaultdict(float)
    types: dict[str, str] = {}
    kind_recs = [m for m in recs if m["type"] == kind] or recs
    place = card_place(rep, kind_recs)
    # who did it to whom: the records that state it, and those of its kind, or of a death, in every
    # paragraph about it (a victim is often named below the lead: "X, 25, was shot in the chest")
    background = background_paragraphs(rep, ev["date_start"], ev["date_end"])
    dying = undergoing_forms()
    stating = {m["id"] for m in kind_recs}
    role_recs = kind_recs + [
        m
        for m in rep.mentions
        if (m["type"] == kind or m["trigger"].lower() in dying)
        and m["id"] not in stating
        and not m["hedged"]
        and not m["negated"]
        and (m["article_id"], rep.para(m["article_id"], m["sentence"])) not in background
    ]
    for aid in dict.fromkeys(m["article_id"] for m in role_recs):  # in report order: the first type wins
        mine = [m for m in role_recs if m["article_id"] == aid]
        actors: dict[str, float] = {}
        targets: dict[str, float] = {}
        for m in mine:
            w = 2.0 if m["is_main"] else 1.0
            undergoes = m["trigger"].lower() in dying  # "she died": whom it happens to (stores of old too)
            for field, into in (("actors", targets if undergoes else actors), ("targets", targets)):
                for a in _json(m[field]):
                    name, typ = rep.name(aid, a)
                    if _off_card(name, typ, sources):
                        continue
                    types.setdefault(name, typ)
                    into[name] = max(into.get(name, 0.0), w)
        for n, w in actors.items():
            acted[n] += w
        for n, w in targets.items():
            undergone[n] += w
    mentions = Counter(rep.fold(e["name"] or e["text"], e["type"] or e["label"]) for e in rep.ents)
    who = _who(acted, undergone, types, mentions)
    both = {n: undergone.get(n, 0.0) + acted.get(n, 0.0) for n in {*undergone, *acted}}
    whom = [n for n in sorted(both, key=lambda n: (-both[n], n)) if n not in who and types.get(n) != "NOUN"][
        :6
    ]
    # participants: the people and organisations of the paragraphs about the event; those of background
    # paragraphs (dated away from the event) and those who only speak about it are "mentioned"
    speaking = _speakers(rep)
    part: Counter[str] = Counter()
    other: Counter[str] = Counter()
    for e in rep.ents:
        name, typ = (e["name"], e["type"]) if e["name"] else (e["text"], e["label"])
        name = rep.fold(name, typ)
        if typ not in ("PERSON", "ORG") or _off_card(name, typ, sources):
            continue
        types.setdefault(name, typ)
        para = (e["article_id"], rep.para(e["article_id"], e["sentence"]))
        if para not in background and (e["article_id"], e["sentence"], e["text"]) not in speaking:
            part[name] += 1
        elif typ == "PERSON":
            other[name] += 1
    participants = [n for n, _ in part.most_common(MAX_PARTICIPANTS) if n not in who and n not in whom]
    mentioned = [n for n, _ in other.most_common() if n not in part and n not in who and n not in whom][
        :MAX_MENTIONED
    ]
    title, source = card_title(rep, kind, who, whom, place)

    def typed(names: list[str]) -> list[dict[str, str]]:
        return [{"name": n, "type": types.get(n, "PERSON")} for n in names]

    return {
        "id": event_id,
        "title": title,
        "title_source": source,
        "kind": kind,
        "date": {
            "start": ev["date_start"],
            "end": ev["date_end"],
            "granularity": ev["granularity"],
            "inferred": bool(ev["date_start"]) and not stated_date(ev["profile"]),
        },
        "place": place,
        "who": typed(who),
        "with_whom": typed(whom),
        "participants": typed(participants),
        "mentioned": typed(mentioned),
        "sources": sorted(sources),
        "reports": len(rep.arts),
    }


# The stored card of an event (listings, storyline pages) is made from its first report and at most this
# many of its latest, so refreshing the card of a large event after each batch costs no more than that of a
# small one; an event's own page computes its card from every report.
STORED_CARD_REPORTS = 48


def refresh_cards(db: sqlite3.Connection, event_ids: list[str]) -> None:
    """Write the cards (and their titles and places) into the events table; a storyline of these events
    is titled with the card of its largest event."""
    stories: set[str] = set()
    repo = EventRepository(db)
    for eid in event_ids:
        try:
            c = event_card(db, eid, Reports(db, eid, latest=STORED_CARD_REPORTS))
        except NotFoundError:
            continue
        repo.set_card(eid, c["title"], c["place"]["name"] if c["place"] else None, json.dumps(c))
        sid = repo.storyline_of(eid)
        if sid:
            stories.add(sid)
    for sid in sorted(stories):
        repo.title_storyline_by_largest_event(sid)
