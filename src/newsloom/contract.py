"""The JSON contract of newsloom: pydantic models of what every page's `.json` twin and every command's
`--json` output holds. The web app uses them as FastAPI `response_model` (so `/openapi.json` describes
every twin), the command line prints its JSON through them (`serialise`), and `docs/contract.md` is
generated from them (`contract_markdown`, checked by tests/test_docs.py). A field the code adds and the
model does not declare is not served; a field the model declares and the code leaves out is an error.
One model per noun: a page that shows more than the command line (charts, links) extends the command's
model.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "Article",
    "ArticleDetail",
    "ArticleItem",
    "ArticlePage",
    "Brief",
    "BriefSentence",
    "COMMANDS",
    "CONTRACT",
    "Card",
    "CardDate",
    "CardPlace",
    "Citation",
    "ComparedOutlet",
    "Comparison",
    "Cooccurring",
    "Copy",
    "Counts",
    "CoverageRow",
    "DateSpan",
    "Day",
    "DaySentence",
    "Disagreement",
    "Entity",
    "EntityDetail",
    "EntityItem",
    "EntityPage",
    "EntityProfile",
    "Event",
    "EventArticle",
    "EventDetail",
    "EventItem",
    "EventPage",
    "Evidence",
    "Fact",
    "IndexPage",
    "MissedStoryline",
    "Moment",
    "Named",
    "OutletCount",
    "OutletDetail",
    "OutletItem",
    "OutletPage",
    "Page",
    "Piece",
    "PlaceLevel",
    "PublishedDate",
    "Record",
    "RecordDate",
    "ReportingOrder",
    "SaidIn",
    "SearchEntity",
    "SearchEvent",
    "SearchPage",
    "SearchResults",
    "SearchResult",
    "Segment",
    "Source",
    "StorylineBrief",
    "StorylineBriefSentence",
    "StorylineDetail",
    "StorylineHeader",
    "StorylineItem",
    "TimelineEntry",
    "contract_markdown",
    "serialise",
]

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


class SearchResults(_Model):
    """Search: the articles (a page of them), the events holding most matches, the entities named so
    (`newsloom search`)."""

    query: dict[str, str]
    total: int
    page: int
    pages: int
    results: list[SearchResult]
    events: list[SearchEvent] = Field(
        description="on the first page: the events holding most matching reports"
    )
    entities: list[SearchEntity] = Field(description="on the first page: entities whose name has the words")


class SearchPage(SearchResults):
    """The search page: the results, their coverage and what its filters can name."""

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


class Article(_Model):
    """One article: its metadata, clean text and the page furniture removed (`newsloom articles`)."""

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


class ArticleDetail(Article):
    """One article's page: the article, a link to it and its copies."""

    link: str | None = Field(description="the URL when it is http(s), else null")
    copies: list[Copy] = Field(description="later articles that copy this one")


# --- the detail pages: an event, a storyline, an entity --------------------------------------------------


class Named(_Model):
    name: str
    type: str = Field(description="PERSON, ORG, GPE, LOC, NORP, FAC, EVENT or NOUN (a role: 'the police')")


class PlaceLevel(_Model):
    name: str
    level: str = Field(description="city, county, state, country...")


class CardPlace(_Model):
    name: str
    hierarchy: list[PlaceLevel] = Field(description="the place and the places that hold it, smallest first")


class CardDate(DateSpan):
    inferred: bool = Field(description="true when no report states the date: taken from publication dates")


class Card(_Model):
    """What an event is, as a reader sees it: who did what to whom, where, when."""

    id: str
    title: str
    title_source: str = Field(description="how the title was made: generated, headline or first report")
    kind: str
    date: CardDate
    place: CardPlace | None
    who: list[Named] = Field(description="who acted")
    with_whom: list[Named] = Field(description="whom it was done to, or with")
    participants: list[Named] = Field(description="others taking part, from the paragraphs about the event")
    mentioned: list[Named] = Field(description="people only mentioned or speaking about it")
    sources: list[str] = Field(
        description="outlets, authors and journalists credited, never counted as participants"
    )
    reports: int = Field(description="the reports the card was made from")


class Evidence(_Model):
    article_id: str
    sentence: str = Field(description="the sentence stating the event, verbatim")
    start: int = Field(description="its first character in the article's text")
    end: int


class RecordDate(DateSpan):
    source: str = Field(
        description="where the date came from: sentence, paragraph, caption, published or none"
    )


class Record(_Model):
    """One event record of a report: who did what to whom, where, when, with its verbatim evidence."""

    article_id: str
    type: str = Field(description="the kind of happening")
    trigger: str = Field(description="the word that states it")
    actors: list[str]
    targets: list[str]
    place: str | None
    date: RecordDate
    negated: bool
    hedged: bool = Field(description="reported as possible, planned or claimed, not as done")
    quote: str | None = Field(description="what was said, for a statement with a quotation")
    sentence: str
    start: int
    end: int


class Event(_Model):
    """An event: what several reports tell as one real-world happening (`newsloom events --json`)."""

    id: str
    type: str
    title: str
    date: DateSpan
    place: str | None
    participants: list[str]
    card: Card
    article_ids: list[str] = Field(description="its reports, in the order they were stored")
    storyline_id: str | None
    evidence: list[Evidence] | None = Field(
        None, description="each report's sentence stating the event (not on an entity's page)"
    )
    records: list[Record] | None = Field(
        None, description="every event record of its reports (not on a storyline's page)"
    )
    sources: int | None = Field(None, description="on a storyline page: the number of its reports")


class Source(_Model):
    article_id: str
    outlet: str | None


class Citation(Source):
    sentence: str


class BriefSentence(_Model):
    """A sentence of a briefing, verbatim from a report, with its sources."""

    text: str
    role: str = Field(description="what, when, said or a kind of fact")
    sources: list[Source]
    dated: bool | None = Field(None, description="on the lead: whether its sentence states the date")
    also_reported_by: list[Citation] | None = Field(None, description="the same, in other reports' words")
    speaker: str | None = Field(None, description="who said it, for a quotation")


class Brief(_Model):
    """An extractive briefing of an event: every sentence from a report, cited."""

    id: str
    kind: str = Field(description="event")
    title: str
    type: str
    date: DateSpan
    place: str | None
    who: list[str]
    with_whom: list[str]
    participants: list[str]
    mentioned: list[str]
    card: str = Field(description="the card in one line")
    sentences: list[BriefSentence]


class StorylineBriefSentence(BriefSentence):
    """The lead sentence of one event of a storyline."""

    date: str | None = Field(description="the first day of its event, YYYY-MM-DD")
    event_id: str


class StorylineBrief(_Model):
    """An extractive briefing of a storyline: the lead sentence of each of its events, cited."""

    id: str
    kind: str = Field(description="storyline")
    title: str
    sentences: list[StorylineBriefSentence]


class ComparedOutlet(_Model):
    outlet: str
    article_id: str = Field(description="its first report of the event")
    title: str | None
    article_ids: list[str]
    reports: int


class SaidIn(_Model):
    article_id: str
    sentence: str


class Fact(_Model):
    kind: str = Field(description="participant, place, date of the event, figure, statement, speaker...")
    value: str
    reported_by: dict[str, SaidIn] = Field(description="outlet -> where it says so")
    outlets: int
    only: str | None = Field(description="the one outlet reporting it, when only one of several does")


class Disagreement(_Model):
    kind: str = Field(description="date of the event, figure or spelling")
    about: str | None = Field(None, description="the counted thing or the entity")
    values: dict[str, list[str]] = Field(description="outlet -> what it gives")


class Comparison(_Model):
    """What each outlet reports of an event: the facts by outlet, those only one outlet has, and where
    outlets disagree."""

    event_id: str
    title: str
    date: DateSpan
    outlets: list[ComparedOutlet]
    facts: list[Fact]
    only_one_outlet: list[Fact]
    disagreements: list[Disagreement]


class ReportingOrder(_Model):
    outlet: str
    first_report: str | None = Field(description="the day of its first report")
    reports: int
    lag_days: int | None = Field(description="days after the first outlet's first report")
    inferred: bool = Field(description="its first report's day is inferred, not stated")


class Segment(_Model):
    text: str
    kind: str | None = Field(
        description="evidence, date or ent-<label> for a marked piece; null for plain text"
    )
    title: str | None = Field(description="what the mark means")


class EventArticle(_Model):
    id: str
    title: str
    outlet: str | None
    published: str | None
    published_inferred: bool
    segments: list[Segment] = Field(description="its text cut at the marked evidence")


class EventDetail(_Model):
    """An event's page: the event, a briefing, the comparison of outlets, the order they reported it in,
    and its articles with the evidence marked."""

    event: Event
    brief: Brief
    compare: Comparison
    outlets: list[ReportingOrder]
    articles: list[EventArticle]


class Moment(_Model):
    date: str
    type: str
    trigger: str
    sentence: str
    article_id: str
    outlet: str | None


class TimelineEntry(_Model):
    """A dated entry of a timeline: an event, or a happening its reports mention in passing (background)."""

    date: str
    end_date: str | None
    granularity: str
    text: str = Field(description="the sentence shown, verbatim")
    event_id: str | None = Field(description="null for a happening mentioned in passing")
    storyline_id: str | None
    title: str
    type: str
    place: str | None
    background: bool
    outlets: int
    importance: float
    sources: list[Citation]
    moments: list[Moment] = Field(description="days within a multi-day event that a report dates precisely")
    mentioned_in: list[str] | None = Field(
        None, description="for background: the events whose reports mention it"
    )


class DaySentence(_Model):
    """A sentence of a date-wise summary, verbatim, with the report it is from."""

    text: str
    article_id: str
    outlet: str | None
    published: str | None = Field(description="the report's publication day, YYYY-MM-DD")


class Day(_Model):
    """One day of a date-wise summary (`newsloom timeline --by-date`): the day, how much the collection
    says of it, and its sentences."""

    date: str = Field(description="YYYY-MM-DD")
    score: float = Field(description="the weight of the day among the collection's days")
    sentences: list[DaySentence]


class StorylineHeader(_Model):
    id: str
    title: str
    event_ids: list[str]
    article_ids: list[str]
    first_date: str | None
    last_date: str | None


class StorylineDetail(_Model):
    """A storyline's page: its events, its timeline, its coverage per day and its outlets."""

    storyline: StorylineHeader
    events: list[Event]
    timeline: list[TimelineEntry]
    coverage: list[CoverageRow]
    outlets: list[OutletCount]


class Cooccurring(_Model):
    name: str
    type: str
    articles: int = Field(description="articles naming both")


class Entity(_Model):
    """One canonical entity: its names, its roles and the articles naming it (`newsloom entities`)."""

    id: str
    name: str = Field(description="the canonical name")
    type: str = Field(description="PERSON, ORG, GPE, LOC, NORP, FAC or EVENT")
    aliases: list[str] = Field(description="other names it is written under")
    roles: list[str] = Field(description="titles and roles the articles give it")
    mention_count: int = Field(description="mentions in all articles")
    article_ids: list[str]


class EntityProfile(Entity):
    """An entity with its events in date order, what it said and the entities named with it
    (`newsloom entity NAME`)."""

    events: list[Event]
    statements: list[Record]
    cooccurring: list[Cooccurring]


class EntityDetail(EntityProfile):
    """An entity's page: its profile and its coverage per day."""

    coverage: list[CoverageRow]


CONTRACT: dict[str, type[BaseModel]] = {
    "/index.json": IndexPage,
    "/articles/{aid}.json": ArticleDetail,
    "/events.json": EventPage,
    "/entities.json": EntityPage,
    "/articles.json": ArticlePage,
    "/outlets.json": OutletPage,
    "/outlets/{name}.json": OutletDetail,
    "/search.json": SearchPage,
    "/events/{eid}.json": EventDetail,
    "/storylines/{sid}.json": StorylineDetail,
    "/entities/{name}.json": EntityDetail,
}


# `newsloom COMMAND --json`: the model of what it prints (a list of them where the command lists)
COMMANDS: dict[str, tuple[type[BaseModel], bool]] = {
    "articles": (Article, True),
    "entities": (Entity, True),
    "entity": (EntityProfile, False),
    "events": (Event, True),
    "storylines": (StorylineItem, True),
    "outlets": (OutletItem, True),
    "outlets NAME": (OutletDetail, False),
    "search": (SearchResults, False),
    "timeline": (TimelineEntry, True),
    "timeline --by-date": (Day, True),
    "brief": (Brief, False),
    "brief STORYLINE": (StorylineBrief, False),
    "compare": (Comparison, False),
}


def serialise(command: str, data: Any) -> Any:
    """What `newsloom COMMAND --json` prints: the read model passed through the command's model (see
    COMMANDS), so that the command line and the pages give one serialisation of each noun."""
    model, many = COMMANDS[command]
    if many:
        return [model.model_validate(x).model_dump(mode="json", exclude_unset=True) for x in data]
    return model.model_validate(data).model_dump(mode="json", exclude_unset=True)


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
        "# The JSON contract of the pages and the command line",
        "",
        "Generated from `newsloom.contract` by `contract_markdown()`; `tests/test_docs.py` keeps it",
        "current. The same models are the `response_model` of these routes, so `/openapi.json` holds them too,",
        "and the command line prints its `--json` output through them.",
        "",
        "Pages:",
        "",
    ]
    out += [f"- `{path}`: {model.__name__}" for path, model in CONTRACT.items()]
    out += ["", "Commands (`newsloom COMMAND --json`):", ""]
    out += [
        f"- `newsloom {cmd} --json`: {'list of ' if many else ''}{model.__name__}"
        for cmd, (model, many) in COMMANDS.items()
    ]
    seen: dict[str, dict[str, Any]] = {}
    for model in [*CONTRACT.values(), *(m for m, _ in COMMANDS.values())]:
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
