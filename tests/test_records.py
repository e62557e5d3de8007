"""The record components alone: the trigger matcher, the gazetteer ruler, arguments from the tree."""

from __future__ import annotations

import pytest

from newsloom import records


@pytest.fixture(scope="module")
def nlp(resources):
    return resources.nlp


def triggers(nlp, text):
    doc = nlp(text)
    return [(s.text, s.label_) for s in doc.spans[records.TRIGGER_KEY]]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The envoy visits Dushanbe.", ("visits", "CONSULT")),
        ("Farmers protest new taxes in the capital.", ("protest", "PROTEST")),
        ("Police arrest two men in the harbour.", ("arrest", "COERCE")),
        ("The minister held talks with his counterpart.", ("held talks", "CONSULT")),
    ],
)
def test_a_word_names_a_happening_as_verb_and_as_noun(nlp, text, expected):
    assert expected in triggers(nlp, text)


def test_a_noun_that_names_no_happening_is_no_trigger(nlp):
    found = triggers(nlp, "He took a shot at the title and the accused man smiled.")
    assert not [t for t in found if t[1] in ("ASSAULT", "DISAPPROVE")]


def test_the_gazetteer_ruler_corrects_the_label_of_a_known_place(nlp):
    doc = nlp("The envoy arrived in Dushanbe on Monday.")
    assert ("Dushanbe", "GPE") in [(e.text, e.label_) for e in doc.ents]


def record(nlp, text, word):
    doc = nlp(text)
    span = next(s for s in doc.spans[records.TRIGGER_KEY] if s.text == word)
    table = records.trigger_table()
    t = table.get((" ".join(x.lemma_ for x in span), span.root.pos_)) or table.get(
        (span.root.lemma_, span.root.pos_)
    )
    args = records.arguments(span, t.frame if t else "")
    return [a.text for a in args.actors], [a.text for a in args.targets], [a.text for a in args.places], args


def test_subject_object_and_counterparts_come_from_the_tree(nlp):
    actors, targets, places, _ = record(
        nlp, "Chilean President Elena Soto met with Marco Diaz in Santiago on Tuesday.", "met"
    )
    assert actors == ["Elena Soto"] and targets == ["Marco Diaz"]


def test_a_passive_subject_is_the_target_and_the_agent_the_actor(nlp):
    actors, targets, _, _ = record(nlp, "John Smith was shot by a neighbour on Friday.", "shot")
    assert targets == ["John Smith"] and actors == ["neighbour"]


def test_a_relative_pronoun_stands_for_its_antecedent(nlp):
    actors, targets, _, _ = record(nlp, "Police found a man who was arrested by deputies.", "arrested")
    assert targets == ["man"]


def test_a_place_visited_is_where_the_meeting_is(nlp):
    actors, targets, places, _ = record(nlp, "The envoy visits Dushanbe.", "visits")
    assert places == ["Dushanbe"] and targets == []


def test_whoever_dies_undergoes_it_and_does_nothing(nlp):
    actors, targets, _, _ = record(nlp, "Lena Marsh died at the hospital on Sunday.", "died")
    assert targets == ["Lena Marsh"] and actors == []
    actors, targets, _, _ = record(nlp, "Omar Feld was pronounced dead at the scene.", "pronounced dead")
    assert targets == ["Omar Feld"] and actors == []
    assert {"died", "dies", "dying", "death", "deaths", "pronounced dead"} <= records.undergoing_forms()


def test_negation_and_hedges_are_read_from_the_verb(nlp):
    *_, args = record(nlp, "The suspect was not arrested.", "arrested")
    assert args.negated and not args.hedged
    *_, args = record(nlp, "The minister will visit Paris next week.", "visit")
    assert args.hedged


def test_titles_standing_for_states_give_the_states(nlp):
    actors, targets, _, _ = record(
        nlp,
        "The trade envoy Mara Quint met with Ministers and Deputy Ministers of Kazakhstan, "
        "Turkmenistan and Uzbekistan in Astana.",
        "met",
    )
    assert "Mara Quint" in actors
    assert set(targets) == {"Kazakhstan", "Turkmenistan", "Uzbekistan"}


def test_headline_words_are_read_in_every_form():
    assert records.kind_of_word("met") == "CONSULT"
    assert records.kind_of_word("Shooting") == "ASSAULT"
    assert records.kind_of_word("hostage") is None
