"""Line rules for text that some scraper already extracted: page furniture, bylines, captions, datelines.

General rules about what page furniture looks like (short lines, widget vocabulary, lists of headlines
after a "Related" header, credits in brackets), never lists of particular outlets or sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .temporal import MONTH_PATTERN

__all__ = [
    "LineInfo",
    "clean_lines",
    "content_words",
    "dateline_of",
    "detokenise",
    "is_caption",
    "is_date_line",
    "is_furniture",
    "is_person_name",
    "is_pretokenised",
    "looks_like_headline",
    "looks_like_sentence",
    "norm_line",
    "split_byline",
]

# Vocabulary of widgets, share bars, comment boxes, cookie and newsletter prompts. A line is furniture
# when it is short and mostly made of these, or matches one of the sentence-shaped notices below.
_WIDGET_WORDS = set(
    """share shares shared on via print email e-mail facebook twitter x linkedin whatsapp telegram
    reddit pinterest comment comments comment(s) reply replies policy denotes required field fields
    subscribe newsletter sign up log in login register follow us like this article tweet tags tag
    related posts post articles article stories story latest news more read also recommended popular
    most viewed trending advertisement advertising sponsored content your you may also next previous
    prev home menu search top back to leave a the of do did for in and or with our us code sections
    section categories category copyright all rights reserved accept cookies cookie settings privacy
    terms use contact about page loading click here view gallery photos video watch listen audio
    print-friendly version font size""".split()
)
_NOTICE_PATTERNS = [
    r"\buses? cookies\b",
    r"\bcookie (?:policy|settings|notice)\b",
    r"\bsubscribe (?:to|for)\b.*\bnewsletter\b",
    r"\bsign up for\b",
    r"\ball rights reserved\b",
    r"^©|\bcopyright\b",
    r"^\d+\s*comment\(?s?\)?$",
    r"\bcomment policy\b",
    r"\brequired field\b",
    r"^\d+\s*/\s*\d+$",
    r"^(?:do you like|did you like|did you enjoy) this (?:article|story)\??$",
    r"^(?:your|leave a|post a|add a|write a) (?:comment|reply)\b",
    r"^share (?:this|on)\b",
    r"^(?:related|latest|recommended|popular|more|trending|top) (?:posts?|articles?|stories|news|reads?|from)\b",
    r"^(?:read|see) (?:also|more)\b",
    r"^(?:advertisement|sponsored|adv?)$",
    r"^(?:tags?|categories|filed under)\s*:",
    r"^(?:code|id|news id|story id)\s*[:#]?\s*\d+$",
    r"^(?:click|tap) here\b",
    r"^(?:follow|like) us\b",
]
_NOTICE_RX = [re.compile(p, re.IGNORECASE) for p in _NOTICE_PATTERNS]
# Headers after which the rest of a page is a list of other headlines.
_LIST_HEADER_RX = re.compile(
    r"^(?:related|latest|recommended|popular|more|trending|top|other|recent)\s+(?:posts?|articles?|stories|news|reads?|headlines)\s*:?$"
    r"|^(?:you may also like|read more|see also|more from|also read|most read|most viewed)\b.*$",
    re.IGNORECASE,
)
_BYLINE_RX = re.compile(
    r"^(?:by|written by|author|authors|reporter|reported by|posted by)\s*[:\-–]?\s*(?P<names>.+)$",
    re.IGNORECASE,
)
_ORG_WORDS = re.compile(
    r"\b(?:news|agency|times|press|post|media|staff|desk|reporters?|correspondents?|network|journal|daily|"
    r"herald|tribune|gazette|telegraph|wire|service|online|radio|tv|television|magazine|center|centre|"
    r"institute|editorial|team|bureau)\b",
    re.IGNORECASE,
)
_CREDIT_RX = re.compile(
    r"[\[(](?P<credit>[^\[\]()]{2,80})[\])]\s*\.?\s*$",
)
_CREDIT_WORDS = re.compile(
    r"\b(?:photo|photos|image|picture|credit|file|getty|afp|ap|reuters|epa|press office|press service|"
    r"handout|courtesy|twitter|x\.com|instagram|facebook|via)\b|/",
    re.IGNORECASE,
)
_CAPTION_PREFIX_RX = re.compile(
    r"^(?:photo|image|picture|file photo|caption|credit|photo credit)\s*[:\-–]", re.IGNORECASE
)
_FILENAME_RX = re.compile(r"^[a-z0-9]+(?:[ _\-.][a-z0-9]+){2,}(?:\.(?:jpe?g|png|gif|webp))?$")
_DATELINE_RX = re.compile(
    r"^(?P<place>[A-Z][A-Z.'\- ]{2,40}(?:,\s*[A-Z][A-Za-z.'\- ]{2,30})?)"
    r"(?:,\s*" + MONTH_PATTERN + r"\s+\d{1,2})?"  # "HOUSTON, April 29 (Reuters) -"
    r"\s*(?:\((?P<agency>[^)]{2,40})\))?\s*(?:--|—|–|-|_)\s*(?=\S)"
)
_AGENCY_LEAD_RX = re.compile(
    r"^(?P<agency>(?:[A-Z][\w'&.-]*\s+){1,5}\((?P<abbr>[A-Z]{2,8})\))\s*(?:--|—|–|-|_|:)\s*(?=\S)"
)
_DATE_LABEL_RX = re.compile(
    r"^(?:publish(?:ed)?\s*date|published(?:\s+on)?|posted(?:\s+on)?|date|updated(?:\s+on)?|last updated)\s*[:\-]?\s*",
    re.IGNORECASE,
)


@dataclass
class LineInfo:
    """What the line rules found in a text: the body, and what was set apart."""

    title: str = ""
    paragraphs: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    outlet_candidates: list[str] = field(default_factory=list)
    date_lines: list[str] = field(default_factory=list)
    dateline: str | None = None


def norm_line(line: str) -> str:
    return " ".join(line.split()).strip()


def _words(line: str) -> list[str]:
    return re.findall(r"[\w'()+-]+", line.lower())


def is_furniture(line: str) -> bool:
    """Whether a single line is page furniture by its own shape (not by its position)."""
    s = norm_line(line)
    if not s:
        return True
    if any(rx.search(s) for rx in _NOTICE_RX):
        return True
    words = _words(s)
    if not words:
        return True  # punctuation, bullets, separators
    if (
        len(words) <= 8
        and sum(w.strip("()") in _WIDGET_WORDS for w in words) >= max(1, len(words) - 1)
        and not s.endswith((".", "!", "?", '"', "”"))
    ):
        return True
    return False


def looks_like_sentence(line: str) -> bool:
    s = norm_line(line)
    return len(s.split()) >= 8 and bool(re.search(r"[.!?\"”’)]$", s))


def is_caption(line: str) -> bool:
    """A photo caption: ends with a bracketed credit, or starts with "Photo:"."""
    s = norm_line(line)
    if _CAPTION_PREFIX_RX.match(s):
        return True
    m = _CREDIT_RX.search(s)
    if m and _CREDIT_WORDS.search(m.group("credit")):
        return True
    return False


def split_byline(line: str) -> list[str] | None:
    """Names in a byline ("By: Jane Roe and John Doe"), or None if the line is not a byline."""
    m = _BYLINE_RX.match(norm_line(line))
    if not m:
        return None
    names = m.group("names").strip().strip(".")
    if len(names.split()) > 12 or names.endswith(("?", "!")):
        return None
    parts = [p.strip() for p in re.split(r",\s*|\s+and\s+|\s*&\s*", names) if p.strip()]
    return parts or None


def is_person_name(name: str) -> bool:
    """Whether a byline name looks like a person rather than an outlet or desk."""
    tokens = name.split()
    if not 2 <= len(tokens) <= 5:
        return False
    if _ORG_WORDS.search(name):
        return False
    return all(
        t[:1].isupper() or t.lower() in ("de", "van", "von", "al", "bin", "da", "la", "le") for t in tokens
    )


def is_date_line(line: str, has_full_date: bool) -> bool:
    """A header line that only gives a date ("Oct 30, 2020", "PublishDate: Wednesday, May 5, 2021 14:55")."""
    s = norm_line(line)
    if not has_full_date or len(s) > 80:
        return False
    rest = _DATE_LABEL_RX.sub("", s)
    # what is left besides date words, digits and punctuation must be short
    leftover = re.sub(
        r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?|\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?|\d+|[:,./\-| ]|\b(?:am|pm|a\.m\.|p\.m\.|gmt|utc|est|edt|cet|at|updated|published)\b",
        "",
        rest,
        flags=re.IGNORECASE,
    )
    return len(leftover) <= 4


def dateline_of(paragraph: str) -> tuple[str | None, str | None]:
    """(place, agency) of a paragraph opening with a dateline ("DUSHANBE --", "Voice Agency (VA)_")."""
    m = _DATELINE_RX.match(paragraph)
    if m:
        place = m.group("place").strip()
        place = place.rstrip(" -'.")
        town, _, region = place.partition(",")
        town = town.strip()
        if len(town) >= 3 and town.upper() == town:
            # "GARY, Ind." -> "Gary, Ind": the town in capitals, its state or country as written
            town = town.title() if len(town) > 3 else town
            region = region.strip(" .")
            return (f"{town}, {region}" if region else town), m.group("agency")
    m = _AGENCY_LEAD_RX.match(paragraph)
    if m and _ORG_WORDS.search(m.group("agency")):
        return None, m.group("agency").strip()
    return None, None


@lru_cache(maxsize=4096)
def _letters(line: str) -> str:
    """A line's letters and digits, lower-cased (a line is compared with many others of its page)."""
    return re.sub(r"\W+", "", line.lower())


def _similar(a: str, b: str) -> bool:
    return _letters(a) == _letters(b)


def clean_lines(text: str, repeated: set[str] | None = None) -> LineInfo:  # noqa: C901
    """Split scraped text into title, body paragraphs, captions and removed furniture.

    `repeated` holds normalised lines seen in many other articles of the corpus (site names, widget
    text); they are furniture wherever they occur.
    """
    from .temporal import tag  # local import: temporal is a leaf module, this keeps import order simple

    info = LineInfo()
    lines = [norm_line(x) for x in text.splitlines()]
    lines = [x for x in lines if x]
    repeated = repeated or set()

    # Tail: drop furniture from the end, and everything after a "Related posts" style header when
    # what follows it is furniture or short headline-like lines.
    end = len(lines)
    for i in range(len(lines) - 1, -1, -1):
        if _LIST_HEADER_RX.match(lines[i]) and all(
            not looks_like_sentence(x) or is_furniture(x) for x in lines[i + 1 :]
        ):
            end = i
    while end > 0 and (is_furniture(lines[end - 1]) or lines[end - 1].lower() in repeated):
        end -= 1
    tail = lines[end:]
    body_lines = lines[:end]
    # A site name repeated at head and tail is the outlet.
    for t in tail:
        if any(_similar(t, h) for h in body_lines[:4]):
            info.outlet_candidates.append(t.rstrip("."))

    # Head: everything before the first real sentence of the story (site names, navigation, headline,
    # bylines, date lines, captions, labels). Each head line is classified; what is left are headline
    # candidates.
    start = 0
    while start < len(body_lines):
        line = body_lines[start]
        if (
            looks_like_sentence(line)
            and not is_caption(line)
            and split_byline(line) is None
            and not is_furniture(line)
        ):
            break
        start += 1
    candidates: list[str] = []
    for line in body_lines[:start]:
        low = line.lower()
        names = split_byline(line)
        if names is not None:
            info.removed.append(line)
            for n in names:
                (info.authors if is_person_name(n) else info.outlet_candidates).append(n)
            continue
        times = tag(line)
        if is_date_line(line, any(t.granularity == "day" and t.value[:4].isdigit() for t in times)):
            info.date_lines.append(line)
            info.removed.append(line)
            continue
        if " | " in line:
            # "Site | tagline" or a navigation bar: never a headline
            first = line.split(" | ")[0].strip()
            if (
                not candidates
                and not info.outlet_candidates
                and len(first.split()) <= 5
                and not is_furniture(first)
            ):
                info.outlet_candidates.append(first)
            info.removed.append(line)
            continue
        if (
            low in repeated
            and not candidates
            and not info.outlet_candidates
            and _ORG_WORDS.search(line)
            and len(_words(line)) <= 6
        ):
            # the site's name, printed on every page above the headline
            info.outlet_candidates.append(line.title() if line.isupper() else line.rstrip("."))
            info.removed.append(line)
            continue
        if (
            low in repeated
            or is_furniture(line)
            or (_FILENAME_RX.match(line) and not looks_like_sentence(line))
        ):
            info.removed.append(line)
            continue
        if is_caption(line):
            info.captions.append(line)
            continue
        if any(_similar(line, x) for x in tail):
            info.outlet_candidates.append(line.rstrip("."))
            info.removed.append(line)
            continue
        if line.endswith(":") and len(line.split()) <= 4:
            info.removed.append(line)  # a stray label ("share on:")
            continue
        candidates.append(line)
    # Drop slugs and lower-cased copies of a headline; keep the better-cased one.
    deduped: list[str] = []
    for c in candidates:
        same = next((d for d in deduped if _similar(c, d)), None)
        if same is None:
            deduped.append(c)
            continue
        keep = c if sum(ch.isupper() for ch in c) > sum(ch.isupper() for ch in same) else same
        info.removed.append(same if keep is c else c)
        deduped[deduped.index(same)] = keep
    # A site name stands before the headline: short, with a separator, all capitals or an outlet word.
    while len(deduped) >= 2:
        first = deduped[0]
        if len(_words(first)) <= 6 and (
            " - " in first or "," in first or first.isupper() or _ORG_WORDS.search(first)
        ):
            info.outlet_candidates.append(first.title() if first.isupper() else first.rstrip("."))
            info.removed.append(first)
            deduped.pop(0)
        else:
            break
    if deduped:
        info.title = deduped[0]
        for extra in deduped[1:]:
            # a standfirst is part of the story; short labels are not
            (info.paragraphs if len(extra.split()) >= 8 else info.removed).append(extra)
    for line in body_lines[start:]:
        if is_caption(line):
            info.captions.append(line)
        elif is_furniture(line) and not looks_like_sentence(line):
            info.removed.append(line)
        else:
            info.paragraphs.append(line)
    info.removed.extend(tail)

    if info.paragraphs:
        place, agency = dateline_of(info.paragraphs[0])
        info.dateline = place
        if agency and not place:
            info.outlet_candidates.append(agency)
        for p in info.paragraphs[1:3]:
            place2, agency2 = dateline_of(p)
            if agency2 and not place2:
                info.outlet_candidates.append(agency2)
    return info


# Penn Treebank escapes of pre-tokenised corpora (Timeline17, CoNLL dumps); a fixed, documented list,
# so a dozen rules do what a tokenizer library's detokenizer would, without the dependency.
_PTB_BRACKETS = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}"}
_PTB_RX = re.compile(r"-[LR][RSC]B-")
_SPACED_PUNCT = re.compile(r" ([,.;:!?%)\]}]|n't\b|'(?:s|re|ve|ll|d|m)\b)")


def is_pretokenised(text: str) -> bool:
    """Text split into Treebank tokens: bracket escapes, or punctuation set off by spaces throughout."""
    return bool(_PTB_RX.search(text)) or (
        text.count(" , ") >= 3 and text.count(" . ") + text.count(" .\n") >= 2
    )


def detokenise(text: str) -> str:
    """Undo Treebank tokenisation: "NEW ORLEANS -LRB- AP -RRB- -- the judge 's ruling , `` a step ''"
    -> "NEW ORLEANS (AP) -- the judge's ruling, "a step"". Text that is not pre-tokenised is unchanged."""
    if not is_pretokenised(text):
        return text
    for k, v in _PTB_BRACKETS.items():
        text = text.replace(k, v)
    text = re.sub(r"``\s*", '"', text)
    text = re.sub(r"\s*''", '"', text)
    text = re.sub(r"(^|\s)`\s*", r"\1'", text)  # ` opens a single quotation
    text = re.sub(r"\s+'(?=[\s.,;:!?]|$)", "'", text)  # ... and ' closes it
    text = text.replace("\\/", "/").replace("\\*", "*")  # escaped slashes and stars
    text = _SPACED_PUNCT.sub(r"\1", text)
    text = re.sub(r"([(\[{$]) ", r"\1", text)
    return re.sub(r"[ \t]{2,}", " ", text)


_LEADING_DATE_RX = re.compile(
    r"^(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)"
    r"[a-z]*\.?\s+\d|\d{1,4}[/.-]\d)",
    re.I,
)


# a day with its month or a clock time inside a line: a caption's or a page's stamp, not a headline's
_FULL_DATE_RX = re.compile(
    r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}\b|"
    r"\b\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)\b"
)


def looks_like_headline(line: str) -> bool:
    """A line shaped like a headline: no caption or credit line, no separator bars, no full date or clock time (a
    dated photo caption, "June 3, 2021: The rebuilt footbridge is seen", a page stamp run into the line),
    not a sentence with a final full stop (captions and first lines of text are), opening with a
    capital, a digit or a quote."""
    t = line.strip()
    if (
        not t
        or "|" in t
        or "\n" in t
        or _LEADING_DATE_RX.match(t)
        or _FULL_DATE_RX.search(t)
        or is_caption(t)
    ):
        return False
    if t.endswith(".") and not t.endswith(("U.S.", "Inc.", "Jr.", "Co.")) and len(t.split()) >= 6:
        return False
    return t[:1].isupper() or t[:1].isdigit() or t[:1] in "\"'‘“"


def content_words(text: str, min_len: int = 2) -> set[str]:
    """The lower-cased words of a text that carry content: no stop words, at least `min_len` long."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOP_WORDS and len(w) >= min_len}
