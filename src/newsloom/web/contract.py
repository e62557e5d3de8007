"""The JSON contract of the home, list, search and article pages: pydantic models used as FastAPI
`response_model`, so that `/openapi.json` describes what every such `.json` twin returns, and
`docs/contract.md` is generated from them (`contract_markdown`, checked by tests/test_docs.py). A field
the code adds and the model does not declare is not served; a field the model declares and the code
leaves out is an error in the tests.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore")


class DateSpan(_Model):
    """When an event happened."""

    start: str | None = Field(description="first day, YYYY-MM-DD; null when unknown")
    end: str | None = Field(description="last day, YYYY-MM-DD")
    granularity: str = Field(description="day, week, month, quarter, year, decade or unknown")


class OutletCount(_Model):
    outlet: str = Field(description="the outlet's name ('unknown outlet' when none is known)")
    reports: int = Field(description="its reports in the group")


class EventItem(_Model):
    """One event in a list."""

    id: str
    kind: str = Field(description="the kind of happening (PLOVER category, e.g. ASSAULT, CONSULT)")
    title: str = Field(description="the event card's title")
    date: DateSpan
    place: str | None = Field(description="where, as the card names it")
    reports: int = Field(description="articles reporting it")
    outlets: list[OutletCount] = Field(description="its outlets, most reports first")
    storyline_id: str | None


class EntityItem(_Model):
    """One canonical entity in a list."""

    id: str
    name: str = Field(description="the canonical name")
    kind: str = Field(description="PERSON, ORG, GPE, LOC, NORP, FAC or EVENT")
    aliases: list[str] = Field(description="other names it is written under (at most six)")
    mentions: int = Field(description="mentions in all articles")
    events: int = Field(description="events it takes part in")


class ArticleItem(_Model):
    """One article (an original, not a copy) in a list."""

    id: str
    title: str
    outlet: str | None
    published: str | None = Field(description="publication day, YYYY-MM-DD")
    published_inferred: bool = Field(
        description="true when the page does not state it: inferred from the text"
    )
    event_id: str | None
    storyline_id: str | None


class OutletItem(_Model):
    """One outlet's figures."""

    outlet: str
    reports: int = Field(description="its original reports (copies of others' are not counted)")
    events: int = Field(description="events it reported")
    first_date: str | None = Field(description="its first report's day")
    last_date: str | None = Field(description="its last report's day")
    shared_events: int = Field(description="events it reported that other outlets reported too")
    first: int = Field(description="of those, how many it reported on the first day")
    first_share: float | None = Field(description="first / shared_events; null with no shared event")
    median_lag_days: float | None = Field(
        description="when not first: the median days between the first report and its own; null if always first"
    )


class Page(_Model, Generic[T]):
    """One page of a list."""

    items: list[T]
    total: int = Field(description="rows in the whole list")
    page: int = Field(description="this page, from 1")
    pages: int = Field(description="pages in all")
    size: int = Field(description="rows a page")
    sort: str = Field(description="the sort in force; a leading - is descending")
    filters: dict[str, str] = Field(description="the filters in force")
    choices: dict[str, list[str]] = Field(description="values a filter or the sort can take")


class EventPage(Page[EventItem]):
    pass


class EntityPage(Page[EntityItem]):
    pass


class ArticlePage(Page[ArticleItem]):
    pass


class OutletPage(Page[OutletItem]):
    pass


class CoverageRow(_Model):
    date: str = Field(description="publication day")
    outlet: str
    reports: int


class MissedStoryline(_Model):
    id: str
    title: str
    outlets: int = Field(description="the other outlets that covered it")
    first_date: str | None
    last_date: str | None


class OutletDetail(OutletItem):
    """One outlet's page."""

    coverage: list[CoverageRow] = Field(description="its reports per day")
    events_list: list[EventItem] = Field(description="the events it reported, latest first (the first page)")
    missed_storylines: list[MissedStoryline] = Field(
        description="storylines three or more other outlets covered and it did not"
    )


class Piece(_Model):
    text: str
    hit: bool = Field(description="true for a word the query found")


class SearchResult(_Model):
    id: str
    title: str
    title_pieces: list[Piece] = Field(description="the title, cut where the words found are")
    outlet: str | None
    published: str | None
    published_inferred: bool
    event_id: str | None
    snippet: list[Piece] = Field(description="the passage around the words found, cut at word boundaries")


class SearchEvent(_Model):
    id: str
    title: str
    kind: str
    date: str | None
    place: str | None
    matching_reports: int


class SearchEntity(_Model):
    name: str
    kind: str
    mentions: int


class SearchPage(_Model):
    """Search: the articles (a page of them), the events holding most matches, the entities named so."""

    query: dict[str, str]
    total: int
    page: int
    pages: int
    results: list[SearchResult]
    events: list[SearchEvent] = Field(
        description="on the first page: the events holding most matching reports"
    )
    entities: list[SearchEntity] = Field(description="on the first page: entities whose name has the words")
    coverage: list[CoverageRow] = Field(description="the matching articles per day and outlet")
    outlets: list[str] = Field(description="the outlets a filter can name")
    types: list[str] = Field(description="the event kinds a filter can name")


class Counts(_Model):
    articles: int
    events: int
    entities: int
    storylines: int


class StorylineItem(_Model):
    """A storyline: events that follow from one another."""

    id: str
    title: str
    event_ids: list[str] = Field(description="its events in date order")
    article_ids: list[str]
    first_date: str | None
    last_date: str | None


class IndexPage(_Model):
    """The home page: what the store holds, and its storylines, largest first."""

    counts: Counts
    storylines: list[StorylineItem]


class PublishedDate(_Model):
    date: str | None = Field(description="publication day, YYYY-MM-DD")
    end: str | None = Field(description="last day of an inferred window")
    granularity: str
    evidence: str = Field(description="the line it was read from, or how it was inferred")
    inferred: bool


class Copy(_Model):
    id: str
    outlet: str | None
    title: str


class ArticleDetail(_Model):
    """One article: its metadata, clean text, the page furniture removed, and its copies."""

    id: str
    external_id: str | None = Field(description="the id the input gave it")
    source: str = Field(description="the file, line or URL it was read from")
    url: str | None
    outlet: str | None
    title: str
    authors: list[str]
    published: PublishedDate
    dateline: str | None
    language: str = Field(description="ISO 639-1 code; only English is annotated")
    text: str = Field(description="the clean body")
    captions: list[str]
    boilerplate_removed: list[str] = Field(description="lines removed as page furniture")
    duplicate_of: str | None = Field(description="the earlier article this one copies")
    event_id: str | None
    storyline_id: str | None
    link: str | None = Field(description="the URL when it is http(s), else null")
    copies: list[Copy] = Field(description="later articles that copy this one")


CONTRACT: dict[str, type[BaseModel]] = {
    "/index.json": IndexPage,
    "/articles/{aid}.json": ArticleDetail,
    "/events.json": EventPage,
    "/entities.json": EntityPage,
    "/articles.json": ArticlePage,
    "/outlets.json": OutletPage,
    "/outlets/{name}.json": OutletDetail,
    "/search.json": SearchPage,
}


def _type(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " or ".join(_type(s) for s in schema["anyOf"])
    if schema.get("type") == "array":
        return f"list of {_type(schema.get('items', {}))}"
    if schema.get("type") == "object" and "additionalProperties" in schema:
        return f"map of {_type(schema['additionalProperties'])}"
    return str(schema.get("type", "any"))


def contract_markdown() -> str:
    """docs/contract.md: every model of CONTRACT and the models they use, field by field."""
    out = [
        "# The JSON contract of the home, list, search and article pages",
        "",
        "Generated from `newsloom.web.contract` by `contract_markdown()`; `tests/test_docs.py` keeps it",
        "current. The same models are the `response_model` of these routes, so `/openapi.json` holds them too.",
        "",
    ]
    out += [f"- `{path}`: {model.__name__}" for path, model in CONTRACT.items()]
    seen: dict[str, dict[str, Any]] = {}
    for model in CONTRACT.values():
        schema = model.model_json_schema()
        for name, sub in schema.get("$defs", {}).items():
            seen.setdefault(name, sub)
        seen.setdefault(model.__name__, schema)
    for name in sorted(seen):
        schema = seen[name]
        out += ["", f"## {name}", ""]
        if schema.get("description"):
            out += [" ".join(schema["description"].split()), ""]
        out += ["| field | type | meaning |", "| --- | --- | --- |"]
        for field, sub in schema.get("properties", {}).items():
            meaning = " ".join(str(sub.get("description", "")).split())
            out.append(f"| `{field}` | {_type(sub)} | {meaning} |")
    return "\n".join(out) + "\n"
