"""Resolve: entity mentions -> canonical entities across the corpus, incrementally.

Within an article, a bare surname takes the full name written earlier ("Khalilzad" -> "Zalmay
Khalilzad") or in the headline, an acronym takes its long form ("State Committee for National Security
(GKNB)"), a demonym names its country. Across articles, people are blocked by surname and matched fuzzily
(transliteration variants such as Saimumin / Saymumin) unless their first names conflict.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from .gazetteer import Gazetteer
from .store.entities import EntityNames, EntityRepository, entity_keys, name_key, norm_name, surname_key

__all__ = [
    "CORPORATE_SUFFIX_RX",
    "Canon",
    "PARTICIPANT_TYPES",
    "PERSON_BLOCK",
    "PLACE_MAJORITY",
    "PeopleRead",
    "add_alias",
    "canonical",
    "entity_id",
    "headline_people",
    "lookup_entity",
    "resolve_article",
]

PARTICIPANT_TYPES = ("PERSON", "ORG", "GPE")


# the legal form after a company's name: "BP PLC" is BP
CORPORATE_SUFFIX_RX = re.compile(
    r"(?:,?\s+(?:PLC|plc|p\.l\.c\.|Inc\.?|Incorporated|Corp\.?|Corporation|Ltd\.?|Limited|LLC|L\.L\.C\.|"
    r"Co\.|AG|SA|S\.A\.|NV|N\.V\.|GmbH|SE))+$"
)


def entity_id(etype: str, name: str) -> str:
    return "ent_" + hashlib.sha1(f"{etype}|{norm_name(name)}".encode()).hexdigest()[:12]


@dataclass
class Canon:
    name: str
    type: str


def _acronyms(text: str, titles: frozenset[str] = frozenset()) -> dict[str, str]:
    """'State Committee for National Security (GKNB)' -> {'GKNB': 'State Committee for National Security'}."""
    out = {}
    for m in re.finditer(
        r"((?:[A-Z][\w'-]*\s+(?:(?:of|for|and|the|on)\s+)*){1,8})\(([A-Z][A-Z0-9&.]{1,9})\)", text
    ):
        long = m.group(1).strip()
        # "Chairman of the State Committee ...": a title before the name is not part of it
        long = re.sub(
            r"^(?:[A-Z][\w-]*\s+)+?(?:of|for)\s+(?:the\s+)?(?=[A-Z])",
            lambda t: "" if t.group(0).split()[0].lower() in titles else t.group(0),
            long,
        )
        acr = m.group(2).replace(".", "")
        words = [w for w in long.split() if w[0].isupper()]
        # the long form's initials must support the acronym (loosely: transliterations differ)
        # A parenthesised acronym right after a capitalised name is its short form, even when the initials
        # differ (transliterated acronyms: "State Committee for National Security (GKNB)").
        if len(words) >= 2:
            out[acr] = long
    return out


def canonical(
    surface: str, label: str, gaz: Gazetteer, full_people: list[str], acronyms: dict[str, str]
) -> Canon:
    """The canonical name and type a mention stands for, using only its own article."""
    if label == "NORP" and surface in gaz.demonyms:
        return Canon(gaz.demonyms[surface], "GPE")
    if label == "GPE":
        if surface.isupper() and len(surface) > 3:
            surface = surface.title()  # "DUSHANBE --" in a dateline
        m = re.match(
            r"(?:the\s+)?(?:Republic|Kingdom|State|Federation|Emirate)\s+of\s+(?:the\s+)?(.+)$", surface
        )
        inner = m.group(1) if m else surface
        if inner in gaz.places:
            return Canon(gaz.places[inner], "GPE")
        return Canon(surface, "GPE")
    if label in ("ORG", "PERSON") and len(surface.split()) == 1:
        named = {p for p in full_people if norm_name(p.split()[-1]) == norm_name(surface)}
        if len(named) == 1:
            return Canon(named.pop(), "PERSON")
    if surface.isupper() and len(surface) > 4 and surface.title() in gaz.places:
        return Canon(gaz.places[surface.title()], "GPE")
    if label == "ORG":
        bare = CORPORATE_SUFFIX_RX.sub("", surface)
        if bare and bare != surface:
            surface = bare  # "BP PLC", "BP p.l.c." and "BP" are one company
        if surface in acronyms:
            return Canon(acronyms[surface], "ORG")
        if surface in gaz.orgs:
            return Canon(gaz.orgs[surface], "ORG")
        first, _, rest = surface.partition(" ")
        if rest in gaz.orgs and (first in gaz.places or first in gaz.demonyms):
            return Canon(gaz.orgs[rest], "ORG")  # "US State Department" -> "State Department"
        if surface in gaz.places:
            return Canon(gaz.places[surface], "GPE")
        return Canon(surface, "ORG")
    if label == "PERSON":
        toks = surface.split()
        if len(toks) == 1:
            # the full name in the same article whose last (or first) part this is
            matches = [p for p in full_people if norm_name(p.split()[-1]) == norm_name(surface)]
            if len(set(matches)) == 1:
                return Canon(matches[0], "PERSON")
        return Canon(surface, "PERSON")
    return Canon(surface, label)


def _first_names_compatible(ta: list[str], tb: list[str]) -> bool:
    """Whether two normalised names' first names can be one person's (initials, spelling variants)."""
    if len(ta) < 2 or len(tb) < 2:
        return True
    fa, fb = ta[0], tb[0]
    if len(fa) == 1 or len(fb) == 1:
        return fa[0] == fb[0]
    return fuzz.ratio(fa, fb) >= 75


# People looked at per surname block, the most mentioned first: a block grows with the store (every new
# Smith), and the person a report means is, by far most often, one already often in the news.
PERSON_BLOCK = 200


# (id, normalised name tokens, surname score) of the known people carrying a surname
_Carriers = list[tuple[str, list[str], float]]


@dataclass
class PeopleRead:
    """The people lookups read, kept by a caller that looks up many names from a store nobody writes
    meanwhile (merging a block's entities: thousands of names sharing surnames and surname blocks)."""

    # surname key -> (id, normalised name tokens) of the people of that surname block
    surname_blocks: dict[str, list[tuple[str, list[str]]]] = field(default_factory=dict)
    carriers: dict[str, _Carriers] = field(default_factory=dict)  # surname -> its carriers


def _block(db: sqlite3.Connection, key: str) -> list[tuple[str, list[str]]]:
    """(id, normalised name tokens) of the people of a surname block, the PERSON_BLOCK most mentioned."""
    return [
        (eid, norm_name(ename).split())
        for eid, ename in EntityRepository(db).people_with_key(key, PERSON_BLOCK)
    ]


def _carriers(db: sqlite3.Connection, surname: str, read: PeopleRead | None) -> _Carriers:
    """The people of `surname`'s block whose surname is close to it (kept in `read` when given)."""
    if read is not None and surname in read.carriers:
        return read.carriers[surname]
    key = surname_key(surname)
    rows = read.surname_blocks.get(key) if read is not None else None
    if rows is None:
        rows = _block(db, key)
        if read is not None:
            read.surname_blocks[key] = rows
    same = []
    for eid, etoks in rows:
        if etoks:
            s_score = fuzz.ratio(surname, etoks[-1])
            if s_score >= 85:
                same.append((eid, etoks, s_score))
    if read is not None:
        read.carriers[surname] = same
    return same


def _find_person(db: sqlite3.Connection, name: str, read: PeopleRead | None) -> str | None:
    norm = norm_name(name)
    toks = norm.split()
    if not toks:
        return None
    surname = toks[-1]
    same = _carriers(db, surname, read)
    one_carrier = len({r[0] for r in same}) == 1
    best, best_score = None, 0.0
    for eid, etoks, s_score in same:
        if len(toks) == 1 or len(etoks) == 1:
            # a bare surname joins a full name only when exactly one person carries that surname
            if not one_carrier:
                return None
            score = s_score
        else:
            if not _first_names_compatible(toks, etoks):
                continue
            score = fuzz.ratio(norm, " ".join(etoks))
        if score > best_score:
            best, best_score = eid, score
    return best


# a one-word name tagged as a person or an organisation is the place of that name when the corpus has
# given it as a place this many times more than in the other type (types checked across mentions)
PLACE_MAJORITY = 2


def _known_place(db: sqlite3.Connection, canon: Canon) -> str | None:
    if canon.type not in ("PERSON", "ORG") or len(canon.name.split()) != 1:
        return None
    rows = EntityRepository(db).with_key(name_key(canon.name))
    place = max((r for r in rows if r[1] == "GPE"), key=lambda r: r[2], default=None)
    other = sum(r[2] for r in rows if r[1] == canon.type)
    return str(place[0]) if place is not None and place[2] >= PLACE_MAJORITY * max(1, other) else None


def lookup_entity(db: sqlite3.Connection, canon: Canon, read: PeopleRead | None = None) -> str | None:
    """The stored entity `canon` names, if any; `read` keeps the people read, for the next lookups (see
    `PeopleRead`)."""
    place = _known_place(db, canon)
    if place is not None:
        return place
    if canon.type == "PERSON" and len(canon.name.split()) == 1:
        return _find_person(db, canon.name, read)  # a bare surname: only when one known person carries it
    found = EntityRepository(db).one_with_key(name_key(canon.name), canon.type)
    if found is not None:
        return found
    if canon.type == "PERSON":
        return _find_person(db, canon.name, read)
    return None


def add_alias(db: sqlite3.Connection, eid: str, name: str, etype: str, alias: str, role: str | None) -> None:
    alias = " ".join(alias.split())
    repo = EntityRepository(db)
    known = repo.names(eid)
    aliases, roles = known.aliases, known.roles
    changed = False
    if alias != known.name and alias not in aliases:
        aliases.append(alias)
        changed = True
    if role and role not in roles:
        roles.append(role)
        changed = True
    # A fuller name becomes the canonical name ("Khalilzad" seen first, "Zalmay Khalilzad" later).
    new_name = known.name
    if etype == "PERSON" and len(name.split()) > len(known.name.split()):
        if known.name not in aliases:
            aliases.append(known.name)
        new_name = name
        aliases = [a for a in aliases if a != new_name]
        changed = True
    if changed:
        repo.set_names(eid, EntityNames(new_name, aliases, roles))
    repo.add_keys(eid, entity_keys(alias, etype) + entity_keys(new_name, etype))


# two capitalised words; the second is matched inside a lookahead, so that it can also start the next
# pair ("Chargers Jamal Williams": "Chargers Jamal", then "Jamal Williams")
_HEADLINE_NAME_RX = re.compile(r"\b([A-Z][\w'’.-]*)\s+(?=([A-Z][\w'’-]+)\b)")
_NOT_FIRST_NAMES = frozenset(
    "the a an in on at to for of by from with and as after over new former top".split()
)


def headline_people(title: str, surnames: set[str], gaz: Gazetteer) -> dict[str, str]:
    """Full names the headline gives to bare surnames of the text ("Esther Williams ... dies at 91" over a
    text that says only "Williams"): the capitalised word before the surname, when it is not a function
    word or a role title, and the headline gives that surname one first name only."""
    found: dict[str, set[str]] = {}
    for m in _HEADLINE_NAME_RX.finditer(title):
        first, last = m.group(1), m.group(2)
        if last in surnames and first.lower() not in _NOT_FIRST_NAMES and first.lower() not in gaz.titles:
            found.setdefault(last, set()).add(f"{first} {last}")
    return {last: names.pop() for last, names in found.items() if len(names) == 1}


def resolve_article(
    db: sqlite3.Connection, article_id: str, text: str, gaz: Gazetteer, title: str = ""
) -> None:
    """Link every entity mention of one stored article to a canonical entity, creating entities as needed."""
    repo = EntityRepository(db)
    rows = repo.mentions_of_article(article_id)
    full_people = [r[1] for r in rows if r[2] == "PERSON" and len(r[1].split()) >= 2]
    if title:
        bare = {r[1] for r in rows if r[2] == "PERSON" and len(r[1].split()) == 1}
        bare -= {p.split()[-1] for p in full_people}
        full_people += headline_people(title, bare, gaz).values()
    acronyms = _acronyms(text, gaz.titles)
    people_roles = [(r[1], (r[3] or "").lower(), r[4]) for r in rows if r[2] == "PERSON" and r[3]]
    for mid, surface, label, role, affiliation in rows:
        if label == "PERSON_NOM":
            _link_role(db, mid, role, affiliation, people_roles, full_people, gaz, acronyms)
            continue
        canon = canonical(surface, label, gaz, full_people, acronyms)
        eid = lookup_entity(db, canon)
        if eid is None:
            eid = entity_id(canon.type, canon.name)
            repo.create(eid, canon.name, canon.type)
        full_role = f"{role} ({affiliation})" if role and affiliation else role
        add_alias(db, eid, canon.name, canon.type, surface, full_role)
        repo.link_mention(mid, eid)


def _link_role(
    db: sqlite3.Connection,
    mention_id: int,
    title: str | None,
    affiliation: str | None,
    people_roles: list[tuple[str, str, str | None]],
    full_people: list[str],
    gaz: Gazetteer,
    acronyms: dict[str, str],
) -> None:
    """Link "the Tajik president" to the one person of the article named with that role (and country)."""
    if not title:
        return
    with_title = [(n, aff) for n, role, aff in people_roles if re.search(rf"\b{re.escape(title)}\b", role)]
    exact = {n for n, aff in with_title if affiliation is not None and aff == affiliation}
    # the holder from the same country; else, for an unqualified description, the one holder of the title
    holders = exact or {n for n, aff in with_title if affiliation is None or aff is None}
    if len(holders) != 1:
        return  # nobody or several: a description is not resolved by guessing
    canon = canonical(holders.pop(), "PERSON", gaz, full_people, acronyms)
    eid = lookup_entity(db, canon)
    if eid is not None:
        EntityRepository(db).link_mention(mention_id, eid)
