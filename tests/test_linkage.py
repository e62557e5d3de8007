"""Average link, alone: a similarity matrix in, groups out."""

from __future__ import annotations

import numpy as np

from newsloom.clustering.linkage import average_link

NEVER = -np.inf


def test_groups_join_down_to_the_threshold_by_average_link():
    sim = np.array(
        [
            [0, 0.9, 0.6, 0.1],
            [0.9, 0, 0.5, 0.1],
            [0.6, 0.5, 0, 0.1],
            [0.1, 0.1, 0.1, 0],
        ]
    )
    assert sorted(map(sorted, average_link(sim, [1, 1, 1, 1], 0.56))) == [[0, 1], [2], [3]]
    # 0 and 1 join first (0.9); 2 then links to the pair at (0.6 + 0.5) / 2 = 0.55
    assert sorted(map(sorted, average_link(sim, [1, 1, 1, 1], 0.5))) == [[0, 1, 2], [3]]


def test_two_large_groups_need_more_than_the_threshold():
    # {0, 1} and {2, 3}: tight pairs linking each other at 0.6
    sim = np.array([[0, 0.9, 0.6, 0.6], [0.9, 0, 0.6, 0.6], [0.6, 0.6, 0, 0.9], [0.6, 0.6, 0.9, 0]])
    assert len(average_link(sim, [1, 1, 1, 1], 0.55)) == 1
    assert len(average_link(sim, [1, 1, 1, 1], 0.55, 2, 0.1)) == 2
    assert len(average_link(sim, [1, 1, 1, 1], 0.55, 3, 0.1)) == 1


def test_items_never_compared_never_join_and_sizes_weigh_the_link():
    sim = np.array([[0, 0.8, 0.2], [0.8, 0, NEVER], [0.2, NEVER, 0]])
    assert sorted(map(sorted, average_link(sim, [1, 1, 1], 0.1))) == [[0, 1], [2]]
    # item 1 stands for nine reports: the group {0, 1} links to 2 at (0.7 * 1 + 0.5 * 9) / 10 = 0.52
    sim = np.array([[0, 0.9, 0.7], [0.9, 0, 0.5], [0.7, 0.5, 0]])
    assert len(average_link(sim, [1, 9, 1], 0.52)) == 1
    assert len(average_link(sim, [1, 9, 1], 0.53)) == 2
