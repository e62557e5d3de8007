"""The timeline metrics (align+ m:1 ROUGE, Date F1) and the keyword expansion of the date-wise summary."""

from datetime import date

import pytest

from newsloom.datewise import expand_keywords

from conftest import benchmark_module

tlseval = benchmark_module("tlseval")  # evaluation code lives in benchmarks/
align_m1, date_f1, rouge_tokens = tlseval.align_m1, tlseval.date_f1, tlseval.rouge_tokens

D1, D2, D3 = date(2010, 4, 20), date(2010, 4, 21), date(2010, 5, 1)


def test_tokens_are_stemmed_without_stop_words():
    assert rouge_tokens("The rigs were exploding in the Gulf") == ["rig", "explod", "gulf"]


def test_identical_timelines_score_one():
    tl = {D1: ["An explosion on the rig kills eleven workers."], D3: ["The well is capped at last."]}
    assert align_m1(tl, tl, 1) == pytest.approx((1.0, 1.0, 1.0))
    assert align_m1(tl, tl, 2)[2] == pytest.approx(1.0)
    assert date_f1(tl, tl) == 1.0


def test_a_summary_one_day_off_counts_half():
    ref = {D1: ["rig explosion kills workers"]}
    pred = {D2: ["rig explosion kills workers"]}
    p, r, f = align_m1(pred, ref, 1)
    assert (p, r, f) == pytest.approx((0.5, 0.5, 0.5))
    assert date_f1(pred, ref) == 0.0


def test_hits_are_clipped_and_unmatched_words_lower_precision():
    ref = {D1: ["oil spill spreads"], D3: ["rig capped"]}
    pred = {D1: ["oil oil spill spill reaches coast"]}
    p, r, _ = align_m1(pred, ref, 1)
    # hits: oil 1, spill 1 (clipped); system unigrams 6; reference unigrams 5, "spreads" and the May summary unmatched
    assert p == pytest.approx(2 / 6) and r == pytest.approx(2 / 5)
    assert date_f1(pred, ref) == pytest.approx(2 * (1 * 0.5) / 1.5)


def test_empty_prediction_scores_zero():
    assert align_m1({}, {D1: ["anything"]}, 1) == (0.0, 0.0, 0.0)


def test_keywords_absent_from_the_collection_are_split_into_its_words():
    texts = ["BP said the oil spill was contained.", "The oil company BP", "H1N1 cases rose"]
    assert expand_keywords(["bpoil", "H1N1"], texts) == ["bp", "oil", "h1n1"]
    assert expand_keywords(["zzzq"], texts) == ["zzzq"]  # nothing to split into: kept as given
