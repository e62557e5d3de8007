"""Read-only name lists shipped as data files: countries, capitals, demonyms, organisations, titles."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

__all__ = ["Gazetteer", "load_gazetteer", "title_words"]


@dataclass(frozen=True)
class Gazetteer:
    places: dict[str, str] = field(default_factory=dict)  # surface form -> canonical country/capital name
    capital_of: dict[str, str] = field(default_factory=dict)  # capital -> country
    demonyms: dict[str, str] = field(default_factory=dict)  # "Tajik" -> "Tajikistan"
    orgs: dict[str, str] = field(default_factory=dict)  # surface form (name or acronym) -> canonical name
    titles: frozenset[str] = frozenset()

    def country_of(self, name: str) -> str | None:
        """The country a place, capital, demonym or alias names, if any."""
        if name in self.demonyms:
            return self.demonyms[name]
        canon = self.places.get(name)
        if canon is None:
            return None
        return self.capital_of.get(canon, canon)


def _rows(filename: str) -> list[list[str]]:
    text = resources.files("newsloom.data").joinpath(filename).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The gazetteer, read once per process (it is read-only)."""
    places: dict[str, str] = {}
    capital_of: dict[str, str] = {}
    demonyms: dict[str, str] = {}
    for row in _rows("countries.tsv"):
        row += [""] * (4 - len(row))
        country, capital, dems, others = (c.strip() for c in row[:4])
        places[country] = country
        if capital:
            places.setdefault(capital, capital)
            capital_of.setdefault(capital, country)
        for d in filter(None, (x.strip() for x in dems.split(","))):
            demonyms[d] = country
        for o in filter(None, (x.strip() for x in others.split(","))):
            places.setdefault(o, country)
    orgs: dict[str, str] = {}
    for row in _rows("organisations.tsv"):
        name = row[0].strip()
        orgs[name] = name
        if len(row) > 1:
            for o in filter(None, (x.strip() for x in row[1].split(","))):
                orgs.setdefault(o, name)
    text = resources.files("newsloom.data").joinpath("titles.txt").read_text(encoding="utf-8")
    titles = frozenset(t.strip().lower() for t in text.splitlines() if t.strip() and not t.startswith("#"))
    return Gazetteer(places, capital_of, demonyms, orgs, titles)


@lru_cache(maxsize=1)
def title_words() -> frozenset[str]:
    """Every word of a role title, without abbreviation dots ("minister", "state", "sgt")."""
    return frozenset(w.rstrip(".") for t in load_gazetteer().titles for w in t.split())
