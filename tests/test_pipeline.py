import pytest

from newsloom.errors import PipelineError
from newsloom.pipeline import STAGES, Stage, check


def test_registered_stages_are_in_a_valid_order():
    check(STAGES)


def test_a_stage_that_needs_what_nothing_adds_is_refused():
    bad = [Stage("annotate", frozenset({"article"}), frozenset({"events"}), lambda items, res: iter(items))]
    with pytest.raises(PipelineError, match="annotate"):
        check(bad)
