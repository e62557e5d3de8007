"""Charts drawn on the server, as geometry that a template (or the SVG export) renders with escaping: no
script in the page. The coverage chart (reports per day, stacked by outlet) and the range of a time axis
that leaves far outliers out (a 1979 comparison in a 2010 storyline is folded into an "earlier" marker,
not allowed to squash the rest into one column).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

from .wording import plural

__all__ = [
    "CORE_MARGIN",
    "CORE_SHARE",
    "COVERAGE_MARGIN",
    "MAX_BARS",
    "TICK_CHAR_W",
    "TOP_OUTLETS",
    "coverage_chart",
    "dense_range",
]

CORE_SHARE = 0.8  # the axis spans the shortest stretch of time holding this share of the points ...
CORE_MARGIN = 0.5  # ... widened by this fraction of its length on each side (at least a week);
# points beyond are folded into "earlier" and "later" counts
COVERAGE_MARGIN = 2.0  # the coverage chart folds only reports this much further out (it bins long spans)
MAX_BARS = 60  # the coverage chart bins days into weeks, months or years to keep at most this many bars
TOP_OUTLETS = 7  # outlets drawn in their own colour; the others are stacked as "other outlets"
TICK_CHAR_W = 6.0  # width in pixels of a character of the axis labels (10px sans-serif), with room to spare


def dense_range(days: list[date], margin: float = CORE_MARGIN) -> tuple[int, int]:
    """Indexes (first, last) of the sorted `days` that an axis should span: the shortest stretch holding
    CORE_SHARE of them, widened by `margin` times its length; the points outside are far outliers."""
    n = len(days)
    if n < 2:
        return 0, n - 1
    k = max(2, math.ceil(n * CORE_SHARE))
    i = min(range(n - k + 1), key=lambda s: (days[s + k - 1] - days[s]).days)
    lo, hi = days[i], days[i + k - 1]
    pad = timedelta(days=max(7.0, (hi - lo).days * margin))
    first = next(x for x in range(n) if days[x] >= lo - pad)
    last = max(x for x in range(n) if days[x] <= hi + pad)
    return first, last


def _bin(lo: date, hi: date) -> str:
    span = (hi - lo).days + 1
    if span <= MAX_BARS:
        return "day"
    if span / 7 <= MAX_BARS:
        return "week"
    if span / 30.4 <= MAX_BARS:
        return "month"
    return "year"


def _bin_start(d: date, unit: str) -> date:
    if unit == "week":
        return d - timedelta(days=d.weekday())
    if unit == "month":
        return d.replace(day=1)
    if unit == "year":
        return d.replace(month=1, day=1)
    return d


def _next(d: date, unit: str) -> date:
    if unit == "week":
        return d + timedelta(days=7)
    if unit == "month":
        return (d.replace(day=28) + timedelta(days=4)).replace(day=1)
    if unit == "year":
        return d.replace(year=d.year + 1)
    return d + timedelta(days=1)


def _label(d: date, unit: str) -> str:
    if unit == "month":
        return d.strftime("%Y-%m")
    if unit == "year":
        return str(d.year)
    return d.isoformat() if unit == "day" else f"week of {d.isoformat()}"


def coverage_chart(rows: list[dict[str, Any]], width: int = 960, height: int = 200) -> dict[str, Any]:
    """Geometry of a stacked bar chart of reports over time from `rows` ({"date", "outlet", "reports"}):
    bars per day (or week, month, year when the span is long), one colour per leading outlet, a legend,
    axis labels, and the reports left out at either end as far outliers."""
    out: dict[str, Any] = {
        "width": width,
        "height": height,
        "bars": [],
        "legend": [],
        "ticks": [],
        "unit": "day",
    }
    dated = [(date.fromisoformat(r["date"]), r["outlet"], int(r["reports"])) for r in rows if r.get("date")]
    if not dated:
        return out
    days = sorted({d for d, _, _ in dated})
    i, j = dense_range(days, COVERAGE_MARGIN)
    lo, hi = days[i], days[j]
    out["earlier"] = sum(n for d, _, n in dated if d < lo)
    out["later"] = sum(n for d, _, n in dated if d > hi)
    unit = _bin(lo, hi)
    totals: Counter[str] = Counter()
    for d, o, n in dated:
        if lo <= d <= hi:
            totals[o] += n
    top = [o for o, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_OUTLETS]]
    series = {o: k for k, o in enumerate(top)}
    other = len(top)
    stacks: dict[date, Counter[int]] = defaultdict(Counter)
    for d, o, n in dated:
        if lo <= d <= hi:
            stacks[_bin_start(d, unit)][series.get(o, other)] += n
    bins = []
    b = _bin_start(lo, unit)
    while b <= hi:
        bins.append(b)
        b = _next(b, unit)
    left, right, top_pad, bottom = 36, 12, 10, 36
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    peak = max(sum(c.values()) for c in stacks.values())
    slot = plot_w / len(bins)
    bar_w = max(1.0, slot * 0.8)
    for k, b in enumerate(bins):
        y = float(top_pad + plot_h)
        for s in sorted(stacks.get(b, {})):
            n = stacks[b][s]
            h = plot_h * n / peak
            y -= h
            name = top[s] if s < other else "other outlets"
            out["bars"].append(
                {
                    "x": round(left + k * slot + (slot - bar_w) / 2, 1),
                    "y": round(y, 1),
                    "w": round(bar_w, 1),
                    "h": round(h, 1),
                    "series": s,
                    "title": f"{_label(b, unit)}: {name}, {plural(n, 'report')}",
                }
            )
    step = max(1, len(bins) // 6)
    ticks = []
    for k in range(0, len(bins), step):
        x = round(left + k * slot + slot / 2, 1)
        label = _label(bins[k], unit).removeprefix("week of ")
        half = len(label) * TICK_CHAR_W / 2
        anchor = "end" if x + half > width - 2 else "start" if x - half < 2 else "middle"
        ticks.append({"x": min(x, width - 2) if anchor == "end" else x, "label": label, "anchor": anchor})
    out["ticks"] = ticks
    out["legend"] = [{"name": o, "reports": totals[o], "series": series[o]} for o in top]
    rest = sum(totals.values()) - sum(totals[o] for o in top)
    if rest:
        out["legend"].append({"name": "other outlets", "reports": rest, "series": other})
    out.update(
        unit=unit,
        peak=peak,
        first=lo.isoformat(),
        last=hi.isoformat(),
        plot={"left": left, "top": top_pad, "bottom": top_pad + plot_h, "right": left + plot_w},
    )
    return out
