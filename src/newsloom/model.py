"""The nouns of newsloom: plain dataclasses, no logic.

Character offsets (`start`, `end`) always index the article's stored `text` (body paragraphs joined by
blank lines), so that every derived fact can be cited verbatim.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

__all__ = [
    "FORMATS",
    "ANNOTATED_LANGUAGES",
    "CENTURY",
    "DAY",
    "DECADE",
    "MONTH",
    "QUARTER",
    "SEASON",
    "UNKNOWN",
    "WEEK",
    "YEAR",
    "AnnotatedArticle",
    "Article",
    "DateSource",
    "Day",
    "Document",
    "EVENT_TYPES",
    "Entity",
    "EntityMention",
    "Event",
    "EventMention",
    "Granularity",
    "PublishedDate",
    "Sentence",
    "Storyline",
    "TimeMention",
]

# how inputs can be read (`--format`); auto: by name and content
FORMATS = ("auto", "text", "html", "jsonl", "rss", "warc")


class Granularity(StrEnum):
    """How precise a date is, from finest to coarsest."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    SEASON = "season"
    QUARTER = "quarter"
    YEAR = "year"
    DECADE = "decade"
    CENTURY = "century"
    UNKNOWN = "unknown"


DAY, WEEK, MONTH, SEASON, QUARTER, YEAR, DECADE, CENTURY, UNKNOWN = Granularity

# the languages the pipeline annotates and clusters (English, and text too short to tell); articles in
# others are stored and searchable only
ANNOTATED_LANGUAGES = ("en", "und")


class DateSource(StrEnum):
    """Where an event's date was read: the sentence of the event, its paragraph, a photo caption, the
    publication date, or nowhere."""

    SENTENCE = "sentence"
    PARAGRAPH = "paragraph"
    CAPTION = "caption"
    PUBLISHED = "published"
    NONE = "none"


# PLOVER event categories plus STATEMENT (DESIGN.md).
EVENT_TYPES = (
    "CONSULT",
    "AGREE",
    "SUPPORT",
    "AID",
    "DEMAND",
    "DISAPPROVE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
    "FIGHT",
    "ACCIDENT",
    "DISASTER",
    "STATEMENT",
    "OTHER",
)


@dataclass
class Document:
    """Raw bytes as they came in, with where they came from."""

    id: str  # hash of the content
    origin: str  # path, path:line, or URL
    media_type: str  # text/plain, text/html, application/x-jsonl-record
    content: bytes
    fetched: str = ""  # ISO time the bytes were read
    # Metadata given alongside the content (JSONL fields, --outlet, --published).
    hints: dict[str, str] = field(default_factory=dict)


Day = date  # an alias: PublishedDate has a field named "date"


@dataclass
class PublishedDate:
    date: Day | None = None
    granularity: str = UNKNOWN
    evidence: str = ""  # the line or phrase it comes from, or how it was inferred
    inferred: bool = False
    end: Day | None = None  # for an inferred window (start = date)
    # inferred only as "on or after" the latest date the text states, with no weekday to confirm the
    # year: relative dates ("yesterday") counted from it are no better than it
    bound_only: bool = False


@dataclass
class Article:
    document_id: str
    source: str
    title: str = ""
    external_id: str | None = None
    url: str | None = None
    outlet: str | None = None
    authors: list[str] = field(default_factory=list)
    published: PublishedDate = field(default_factory=PublishedDate)
    dateline: str | None = None
    language: str = "en"
    paragraphs: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    boilerplate_removed: list[str] = field(default_factory=list)
    duplicate_of: str | None = None

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass
class Sentence:
    index: int
    start: int
    end: int
    text: str
    paragraph: int = 0


@dataclass
class EntityMention:
    start: int
    end: int
    text: str
    label: str  # PERSON, ORG, GPE, LOC, NORP, FAC, EVENT
    sentence: int = 0
    role: str | None = None  # "President", "special envoy" ... from an apposed title
    affiliation: str | None = None  # "Tajikistan" from "Tajik President"
    entity_id: str | None = None


@dataclass
class TimeMention:
    start: int
    end: int
    text: str
    value: str  # TIMEX3 value: 2021-05-04, 2021-05, 2021-W18, 2021, P3D, PRESENT_REF, XXXX-05-04
    type: str  # DATE, TIME, DURATION, SET
    granularity: str = UNKNOWN
    range_start: date | None = None
    range_end: date | None = None
    anchor: str = "none"  # "dct", "previous:<offset>", "none" (absolute)
    sentence: int = 0


@dataclass
class EventMention:
    trigger: str
    type: str
    sentence: int
    evidence_start: int  # the sentence's offsets in the article text
    evidence_end: int
    trigger_start: int = 0
    actors: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    place: str | None = None
    date_start: date | None = None
    date_end: date | None = None
    granularity: str = UNKNOWN
    date_source: str = DateSource.NONE
    negated: bool = False
    hedged: bool = False
    quote: str | None = None


@dataclass
class AnnotatedArticle:
    """The central carrier the per-document stages fill in, stage after stage."""

    document: Document
    article: Article | None = None
    sentences: list[Sentence] = field(default_factory=list)
    entities: list[EntityMention] = field(default_factory=list)
    times: list[TimeMention] = field(default_factory=list)
    events: list[EventMention] = field(default_factory=list)
    # Content terms for text similarity (lower-cased, stop words removed) with their counts.
    terms: dict[str, int] = field(default_factory=dict)
    title_event_type: str | None = None  # the kind of happening the headline names ("flood" -> DISASTER)
    minhash: Any = None  # MinHash signature of the body (numpy array), for near-duplicate detection
    repeated: set[str] = field(default_factory=set)  # lines repeated across this document's site
    error: str | None = None
    failed_stage: str = ""  # the per-document stage that set `error` (extract, fingerprint, annotate)

    def fail(self, stage: str, reason: str) -> None:
        """Mark this document failed at `stage`, dropping what the stages had added to it."""
        self.error, self.failed_stage = reason, stage
        self.sentences, self.entities, self.times, self.events, self.terms = [], [], [], [], {}
        self.title_event_type = None


@dataclass
class Entity:
    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)


@dataclass
class Event:
    id: str
    type: str
    title: str
    date_start: date | None
    date_end: date | None
    granularity: str
    place: str | None
    participants: list[str]
    article_ids: list[str]
    storyline_id: str | None = None


@dataclass
class Storyline:
    id: str
    title: str
    event_ids: list[str]
    article_ids: list[str]
    first_date: date | None = None
    last_date: date | None = None
