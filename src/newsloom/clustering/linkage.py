"""Average-link agglomeration: a pure function over a similarity matrix.

Items are reports (or whole events, weighing their reports); `sim[i, j]` is the average probability that
item i and item j tell one happening (-inf: never compared). The two groups with the highest average link
join while it reaches the threshold; two groups of `group_min` reports or more each need `group_extra`
more: two groups of reports of two happenings of one kind link just above the threshold, where a single
report's link is less sure. Two groups that `apart` keeps apart (a cannot-link constraint: their stated
dates are days apart) never join, however alike their reports.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["average_link"]


def average_link(
    sim: np.ndarray,
    sizes: list[int],
    threshold: float,
    group_min: int = 0,
    group_extra: float = 0.0,
    apart: Callable[[list[int], list[int]], bool] | None = None,
) -> list[list[int]]:
    """Groups of item indexes. `sizes`: the reports each item stands for (a link between groups is the
    mean over their reports). `apart(a, b)`: whether two groups (lists of item indexes) may not join."""
    n = len(sizes)
    s = np.array(sim, dtype=float)
    np.fill_diagonal(s, -np.inf)
    size = np.array(sizes, dtype=float)
    groups: list[list[int] | None] = [[i] for i in range(n)]
    while n:
        big = size >= group_min if group_min else np.zeros(len(size), dtype=bool)
        extra = group_extra * np.outer(big, big)
        i, j = divmod(int(np.argmax(s - extra)), len(size))
        if not np.isfinite(s[i, j]) or s[i, j] < threshold + extra[i, j]:
            break
        i, j = min(i, j), max(i, j)
        gi, gj = groups[i], groups[j]
        assert gi is not None and gj is not None
        if apart is not None and apart(gi, gj):
            s[i, j] = s[j, i] = -np.inf  # and so for every group either joins later
            continue
        row = (size[i] * s[i] + size[j] * s[j]) / (size[i] + size[j])
        s[i], s[:, i] = row, row
        s[i, i] = -np.inf
        s[j], s[:, j] = -np.inf, -np.inf
        size[i] += size[j]
        gi.extend(gj)
        groups[j] = None
    return [g for g in groups if g is not None]
