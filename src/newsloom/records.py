"""Event records from the dependency parse: which words name a happening, and who, whom and where.

Two registered spaCy components and one function:

- ``newsloom_gazetteer``: a `SpanRuler` that adds the gazetteer's places, organisations and demonyms
  the statistical recogniser missed, and gives its label to a model entity of exactly a gazetteer name;
- ``newsloom_triggers``: a `Matcher` over lemma and part of speech, from ``data/triggers.tsv``, that puts
  every word naming a happening in ``doc.spans["triggers"]`` (label: the kind);
- `arguments(trigger)`: the record's actors, counterparts and place read from the dependency tree
  (subject, object, passive agent, "met with", appositions, coordination, relative clauses).

Each works alone on a parsed Doc (see tests/test_records.py).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline.span_ruler import SpanRuler
from spacy.tokens import Doc, Span, Token

from .gazetteer import load_gazetteer, title_words

__all__ = [
    "Arguments",
    "CLAUSES",
    "COUNTERPART_PREPS",
    "HEDGE_ADVERBS",
    "HEDGE_HEADS",
    "MAX_PATH",
    "MAX_PHRASE_TOKENS",
    "MODAL_HEDGES",
    "NO_SUBJECT_PREPS",
    "OBJECTS",
    "PASSIVE_SUBJECTS",
    "PLACE_LABELS",
    "PLACE_PREPS",
    "RELATIVE",
    "STOP_WORDS_OF_LIST",
    "SUBJECTS",
    "TRIGGER_KEY",
    "Trigger",
    "TriggerMatcher",
    "arguments",
    "kind_of_word",
    "load_triggers",
    "make_gazetteer_ruler",
    "make_trigger_matcher",
    "path",
    "phrase_tokens",
    "speaker",
    "trigger_table",
    "undergoing_forms",
]

TRIGGER_KEY = "triggers"


@dataclass(frozen=True)
class Trigger:
    lemma: str  # one or more lemmas, space-separated
    pos: str  # VERB or NOUN
    kind: str
    frame: str  # "", "move" (an object that is a place is where it happens), "natural", "undergo" (the data file)
    forms: tuple[str, ...] = ()  # irregular inflections ("met"), for text read without a parse


@lru_cache(maxsize=1)
def load_triggers() -> tuple[Trigger, ...]:
    """The trigger table of ``data/triggers.tsv``."""
    text = resources.files("newsloom.data").joinpath("triggers.tsv").read_text(encoding="utf-8")
    rows = [r for r in csv.reader(text.splitlines(), delimiter="\t") if r and not r[0].startswith("#")]
    out = []
    for r in rows:
        frame, forms = (r + ["", ""])[3:5]
        out.append(Trigger(r[0], r[1], r[2], frame, tuple(filter(None, forms.split(",")))))
    return tuple(out)


@lru_cache(maxsize=1)
def trigger_table() -> dict[tuple[str, str], Trigger]:
    return {(t.lemma, t.pos): t for t in load_triggers()}


@lru_cache(maxsize=1)
def undergoing_forms() -> frozenset[str]:
    """The words of the triggers whose subject undergoes what they name ("died", "deaths"), lower-case."""
    return frozenset(f for t in load_triggers() if t.frame == "undergo" for f in _written_forms(t))


def _inflections(lemma: str) -> set[str]:
    """Regular English inflections of a one-word lemma: visit visits visited visiting; shoot shooting."""
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    forms = {lemma, lemma + "s", lemma + "es", stem + "ed", stem + "ing", lemma + "d"}
    if lemma.endswith("y"):
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if len(lemma) > 2 and lemma[-1] not in "aeiouwy" and lemma[-2] in "aeiou" and lemma[-3] not in "aeiou":
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}  # stop stopped, plan planning
    return forms


@lru_cache(maxsize=1)
def _word_kinds() -> dict[str, str]:
    kinds: dict[str, str] = {}
    for t in load_triggers():
        if " " in t.lemma or t.pos == "AGENT":
            continue
        for f in sorted(_written_forms(t)):
            kinds.setdefault(f, t.kind)
    return kinds


def _written_forms(t: Trigger) -> set[str]:
    """How a trigger is written: a verb's inflections or a noun's plural, and its irregular forms; of a
    phrase, those of its first word followed by the rest ("pronounced dead")."""
    first, *rest = t.lemma.split()
    forms = _inflections(first) if t.pos == "VERB" else {first, first + "s", first + "es"}
    return {" ".join([f, *rest]) for f in forms} | set(t.forms)


def kind_of_word(word: str) -> str | None:
    """The kind a single word names in any of its forms, for text read without a parse (headlines)."""
    return _word_kinds().get(word.lower())


class TriggerMatcher:
    """Marks the words that name a happening: ``doc.spans["triggers"]``, one span a trigger, labelled
    with its kind. Keyed by lemma and coarse part of speech, so "visits" the verb and "visit" the noun
    both match while "shot" the noun does not; a participle used as an adjective ("the accused man")
    is no trigger (that reading needs the parser to have run first)."""

    def __init__(self, nlp: Language, name: str = "newsloom_triggers") -> None:
        self.name = name
        self.matcher = Matcher(nlp.vocab)
        # one pattern per part of speech for the one-word lemmas (a pattern per lemma costs a pass each)
        single: dict[str, list[str]] = {}
        for t in load_triggers():
            if t.pos == "AGENT":
                continue  # read from the parse by `annotate`, not a trigger
            lemmas = t.lemma.split()
            if len(lemmas) == 1:
                single.setdefault(t.pos, []).append(t.lemma)
                continue
            pattern: list[dict[str, Any]] = [{"LEMMA": lemmas[0], "POS": t.pos}]
            pattern += [{"LOWER": {"IN": [w, w + "s"]}} for w in lemmas[1:]]
            self.matcher.add(f"{t.kind}|{t.lemma}|{t.pos}", [pattern])
        for pos, lemmas in single.items():
            self.matcher.add(f"|{pos}", [[{"LEMMA": {"IN": sorted(lemmas)}, "POS": pos}]])
        self.table = trigger_table()

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        taken: set[int] = set()
        for match_id, start, end in sorted(self.matcher(doc), key=lambda m: (m[1], -(m[2] - m[1]))):
            if start in taken:
                continue
            tok = doc[start]
            if (
                end - start == 1
                and tok.pos_ == "VERB"
                and tok.dep_ == "amod"
                and tok.i < tok.head.i
                and tok.i > 0
                and doc[tok.i - 1].pos_ in ("DET", "ADJ", "PRON", "NUM")
            ):
                continue  # a participle describing someone ("the accused man") states no happening
            kind, _, pos = doc.vocab.strings[match_id].partition("|")
            if not kind:
                kind = self.table[(doc[start].lemma_, pos.split("|")[-1])].kind
            spans.append(Span(doc, start, end, label=kind))
            taken.update(range(start, end))
        doc.spans[TRIGGER_KEY] = spans
        return doc


@Language.factory("newsloom_triggers")
def make_trigger_matcher(nlp: Language, name: str) -> TriggerMatcher:
    return TriggerMatcher(nlp, name)


@Language.factory("newsloom_gazetteer")
def make_gazetteer_ruler(nlp: Language, name: str) -> SpanRuler:
    """A SpanRuler over the gazetteer (exact case): names the recogniser missed become entities;
    the recogniser's own entities stay (labels are corrected later, with the context)."""
    gaz = load_gazetteer()
    ruler = SpanRuler(nlp, name, spans_key=None, annotate_ents=True, ents_filter=_known_names_filter)
    patterns: list[dict[str, Any]] = []
    for label, names in (("NORP", gaz.demonyms), ("GPE", gaz.places), ("ORG", gaz.orgs)):
        patterns += [{"label": label, "pattern": n} for n in sorted(names) if n[:1].isupper()]
    ruler.add_patterns(patterns)
    return ruler


def _known_names_filter(entities: Any, spans: Any) -> list[Span]:
    """The recogniser's entities stay; where one coincides with a gazetteer name, the gazetteer's label
    wins ("Dushanbe" is a place, whatever the model guessed); gazetteer names elsewhere are added."""
    known = {(s.start, s.end): s for s in spans}
    out = [known.pop((e.start, e.end), e) for e in entities]
    taken = {i for e in out for i in range(e.start, e.end)}
    for s in sorted(known.values(), key=lambda s: (s.start, -(s.end - s.start))):
        if not any(i in taken for i in range(s.start, s.end)):
            out.append(s)
            taken.update(range(s.start, s.end))
    return sorted(out, key=lambda s: s.start)


# --- arguments from the tree ------------------------------------------------------------------------

SUBJECTS = {"nsubj", "csubj"}
PASSIVE_SUBJECTS = {"nsubjpass", "csubjpass"}
OBJECTS = {"dobj", "dative", "attr", "oprd"}
COUNTERPART_PREPS = {"with", "between", "among", "to"}  # "met with", "talks between", "spoke to"
PLACE_PREPS = {"in", "at", "near", "outside", "inside", "across", "on", "to", "into", "from"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}
HEDGE_ADVERBS = {"allegedly", "reportedly", "possibly", "apparently", "purportedly", "supposedly"}
MODAL_HEDGES = {"would", "could", "may", "might", "should", "will", "shall", "'ll", "wo"}
HEDGE_HEADS = {"plan", "expect", "schedule", "intend", "hope", "want", "seek", "propose", "try", "aim"}


@dataclass
class Arguments:
    """What the tree says about one trigger: the spans of its arguments, and its modality."""

    actors: list[Span] = field(default_factory=list)
    targets: list[Span] = field(default_factory=list)
    places: list[Span] = field(default_factory=list)
    negated: bool = False
    hedged: bool = False


def _with_conjuncts(tok: Token) -> list[Token]:
    return [tok, *tok.conjuncts]


def _phrase(tok: Token) -> Span:
    """The name a head noun stands for: its entity when it is part of one; the entity of an apposition
    ("the envoy, Zalmay Khalilzad"); else the noun with its compounds ("police", "the gunman")."""
    if tok.ent_type_:
        ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
        if ent is not None:
            return ent
    for child in tok.children:
        if child.dep_ == "appos" and child.ent_type_:
            return _phrase(child)
    # "the trade envoy for Asia Mara Quint", "Chilean President Elena Soto" with the title
    # as head: the person named inside the noun phrase
    for t in phrase_tokens(tok):
        if (
            t.ent_type_ == "PERSON"
            and t.i != tok.i
            and not any(a.dep_ in CLAUSES for a in path(t, tok) or [])
        ):
            return _phrase(t)
    left = min([c.i for c in tok.children if c.dep_ in ("compound", "amod") and c.i < tok.i] + [tok.i])
    return tok.doc[left : tok.i + 1]


CLAUSES = {"relcl", "acl", "advcl", "ccomp", "xcomp", "conj", "cc", "punct"}
RELATIVE = {"who", "that", "which", "whom"}
NO_SUBJECT_PREPS = {"after", "before", "since", "following", "until", "despite", "like", "unlike", "than"}


# how far the tree is read from a trigger: a phrase of at most this many tokens, a path of at most this
# many steps (a "sentence" of a megabyte without full stops has a tree no reader needs, and walking it
# recursively would overflow the stack)
MAX_PHRASE_TOKENS = 40
MAX_PATH = 12


def phrase_tokens(tok: Token) -> list[Token]:
    """The tokens of `tok`'s phrase (its subtree, read from the edges without recursion), bounded."""
    left, right = tok.left_edge.i, tok.right_edge.i
    left = max(left, tok.i - MAX_PHRASE_TOKENS)
    right = min(right, tok.i + MAX_PHRASE_TOKENS)
    return [t for t in tok.doc[left : right + 1] if path(t, tok) is not None]


def path(t: Token, top: Token) -> list[Token] | None:
    """The tokens from `t` up to (not including) `top`; None when `top` is not within MAX_PATH above."""
    out: list[Token] = []
    for _ in range(MAX_PATH):
        if t.i == top.i:
            return out
        if t.head.i == t.i:
            return None
        out.append(t)
        t = t.head
    return None


def _clause_subject(verb: Token) -> tuple[list[Token], bool]:
    """The subject of a verb, inherited from the verb it is coordinated with or an xcomp of
    ("arrived and met", "agreed to meet"). Returns the tokens and whether the voice is passive."""
    v = verb
    for _ in range(4):
        subj = [c for c in v.children if c.dep_ in SUBJECTS]
        psubj = [c for c in v.children if c.dep_ in PASSIVE_SUBJECTS]
        for group, passive in ((subj, False), (psubj, True)):
            if group:
                if group[0].lower_ in RELATIVE and v.dep_ == "relcl":
                    return [v.head], passive  # "a man who was arrested"
                return group, passive
        if v.dep_ in ("conj", "xcomp", "advcl") and v.head is not v:
            v = v.head
            continue
        if v.dep_ == "relcl":
            return [v.head], False  # "Khalilzad, who met Rahmon"
        break
    return [], False


def _preps(tok: Token) -> list[tuple[str, Token]]:
    out: list[tuple[str, Token]] = []
    for c in tok.children:
        if c.dep_ in ("prep", "agent"):
            for p in c.children:
                if p.dep_ == "pobj":
                    out.extend((c.lower_, x) for x in _with_conjuncts(p))
    return out


def arguments(trigger: Span, frame: str = "") -> Arguments:
    """Actors, counterparts and places of one trigger, from the dependency tree."""
    tok = trigger.root
    args = Arguments()
    head_verb = tok
    if tok.pos_ == "VERB" or tok.pos_ == "AUX":
        subj, passive = _clause_subject(tok)
        subj = [x for s in subj for x in _with_conjuncts(s)]
        if passive:
            args.targets += [_phrase(s) for s in subj]
        else:
            args.actors += [_phrase(s) for s in subj]
        for c in tok.children:
            if c.dep_ in OBJECTS:
                args.targets += [_phrase(x) for x in _with_conjuncts(c)]
        for prep, x in _preps(tok):
            if prep == "by" and passive:
                args.actors.append(_phrase(x))  # the passive agent
            elif prep in COUNTERPART_PREPS and x.ent_type_ not in PLACE_LABELS:
                args.targets.append(_phrase(x))
            elif prep in PLACE_PREPS and x.ent_type_ in PLACE_LABELS:
                args.places.append(_phrase(x))
    else:
        # a noun: "Khalilzad's visit to Dushanbe", "talks with Tajik officials", "held talks"
        for c in tok.children:
            if c.dep_ == "poss":
                args.actors.append(_phrase(c))
            if c.dep_ == "compound" and c.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
                args.targets.append(_phrase(c))
        for prep, x in _preps(tok):
            if prep in PLACE_PREPS and x.ent_type_ in PLACE_LABELS:
                args.places.append(_phrase(x))
            elif prep in COUNTERPART_PREPS or prep == "of":
                args.targets.append(_phrase(x))
        if (
            tok.dep_ in ("dobj", "pobj", "nsubjpass", "attr")
            and tok.head.pos_ in ("VERB", "AUX", "ADP")
            and tok.head.lower_ not in NO_SUBJECT_PREPS
        ):
            head_verb = tok.head if tok.head.pos_ != "ADP" else tok.head.head
            if not args.actors and head_verb.pos_ in ("VERB", "AUX"):
                subj, passive = _clause_subject(head_verb)
                if not passive:
                    args.actors += [_phrase(x) for s in subj for x in _with_conjuncts(s)]
        elif tok.dep_ in ("nsubj",):
            head_verb = tok.head
    if frame == "undergo":  # "she died", "his death": it happens to her, she does nothing
        args.targets, args.actors = args.actors + args.targets, []
    if frame == "move":
        # "visited Dushanbe": the place visited is where the meeting is
        for t in list(args.targets):
            if t.root.ent_type_ in PLACE_LABELS:
                args.targets.remove(t)
                args.places.append(t)
    if not args.places and head_verb is not tok:
        args.places += [
            _phrase(x) for p, x in _preps(head_verb) if p in PLACE_PREPS and x.ent_type_ in PLACE_LABELS
        ]
    inside = range(trigger.start, trigger.end)  # "dead" of "pronounced dead" is no counterpart of it
    args.targets = [x for t in args.targets if t.root.i not in inside for x in _represented(t)]
    args.actors = _distinct(args.actors)
    args.targets = [
        t for t in _distinct(args.targets) if (t.start, t.end) not in {(a.start, a.end) for a in args.actors}
    ]
    args.places = _distinct(args.places)
    neg_on = (tok, head_verb)
    args.negated = any(c.dep_ == "neg" for t in neg_on for c in t.children)
    args.hedged = (
        any(c.dep_ == "aux" and c.lower_ in MODAL_HEDGES for t in neg_on for c in t.children)
        or any(c.dep_ == "advmod" and c.lower_ in HEDGE_ADVERBS for t in neg_on for c in t.children)
        or (head_verb.dep_ == "xcomp" and head_verb.head.lemma_ in HEDGE_HEADS)
        or (tok.dep_ in ("xcomp",) and tok.head.lemma_ in HEDGE_HEADS)
    )
    return args


STOP_WORDS_OF_LIST = {"in", "at", "on", "under", "during", "to", "who", "which", "that", "said", "over"}


def _represented(span: Span) -> list[Span]:
    """A phrase of role titles only ("the Ministers and Deputy Ministers of Chile, Peru and
    Bolivia") stands for the countries it names: those are the counterparts."""
    words = [w.lower().rstrip("s") for w in span.text.split() if w.lower() not in ("and", "of", "for", "the")]
    titles = title_words()
    if (
        not words
        or not all(w in titles or w + "s" in titles for w in words)
        or span.root.ent_type_ == "PERSON"
    ):
        return [span]
    doc = span.doc
    # the states follow the titles after "of" ("... Ministers for Trade of Chile, Peru and Bolivia in
    # Lima"), up to the next place or time preposition
    sent_end = span.sent.end
    of = next((t.i for t in doc[span.end : min(sent_end, span.end + 8)] if t.lower_ == "of"), None)
    if of is None:
        return [span]
    stop = next((t.i for t in doc[of + 1 : sent_end] if t.lower_ in STOP_WORDS_OF_LIST), sent_end)
    found = [e for e in doc.ents if e.label_ in ("GPE", "NORP") and of < e.start and e.end <= stop]
    return found or [span]


def _distinct(spans: list[Span]) -> list[Span]:
    seen: set[tuple[int, int]] = set()
    out = []
    for sp in spans:
        if (sp.start, sp.end) not in seen and sp.root.lower_ not in RELATIVE:
            seen.add((sp.start, sp.end))
            out.append(sp)
    return out


def speaker(trigger: Span) -> Span | None:
    """Who says what a speech verb reports: its subject (a statement noun names nobody)."""
    tok = trigger.root
    if tok.pos_ == "VERB":
        subj, passive = _clause_subject(tok)
        if subj and not passive:
            return _phrase(subj[0])
    return None
