"""Exports of timelines and events: CSV, Markdown and an SVG timeline plot.

All article text is data: Markdown output escapes the characters that would be read as markup, and the
SVG escapes every string it draws.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any
from xml.sax.saxutils import escape

from .charts import dense_range

__all__ = [
    "CHAR_W",
    "LABEL_CHARS",
    "events_csv",
    "events_markdown",
    "md",
    "timeline_csv",
    "timeline_layout",
    "timeline_markdown",
    "timeline_svg",
]

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def md(text: str | None) -> str:
    """Text safe inside a Markdown table cell or paragraph."""
    return _MD_SPECIAL.sub(r"\\\1", (text or "").replace("\n", " "))


def _span(e: dict[str, Any]) -> str:
    start, end = e.get("date"), e.get("end_date")
    return f"{start}..{end}" if end and end != start else str(start or "")


def _csv(header: list[str], rows: Iterable[list[Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def timeline_csv(entries: list[dict[str, Any]]) -> str:
    header = ["date", "end_date", "granularity", "type", "place", "background", "importance", "text",
              "outlets", "article_ids"]  # fmt: skip
    return _csv(
        header,
        (
            [
                e.get("date"),
                e.get("end_date") or e.get("date"),
                e.get("granularity", "day"),
                e.get("type", ""),
                e.get("place") or "",
                int(bool(e.get("background"))),
                e.get("importance", e.get("score", "")),
                e.get("text") or " ".join(s["text"] for s in e.get("sentences", [])),
                "; ".join(sorted({s.get("outlet") or "" for s in _sources(e)})),
                "; ".join(s["article_id"] for s in _sources(e)),
            ]
            for e in entries
        ),
    )


def _sources(e: dict[str, Any]) -> list[dict[str, Any]]:
    return e.get("sources") or e.get("sentences") or []


def timeline_markdown(entries: list[dict[str, Any]], title: str = "Timeline") -> str:
    lines = [f"# {md(title)}", ""]
    for e in entries:
        tag = " (mentioned in passing)" if e.get("background") else ""
        lines.append(f"## {_span(e)}{tag}")
        lines.append("")
        if "sentences" in e:  # date-wise summary
            for s in e["sentences"]:
                lines.append(
                    f"- {md(s['text'])} ({md(s.get('outlet') or 'unknown outlet')}, `{s['article_id']}`)"
                )
        else:
            lines.append(md(e["text"]))
            lines.append("")
            for s in e["sources"]:
                lines.append(
                    f"- {md(s.get('outlet') or 'unknown outlet')} `{s['article_id']}`: {md(s['sentence'])}"
                )
        lines.append("")
    return "\n".join(lines)


def events_csv(events: list[dict[str, Any]]) -> str:
    header = ["id", "type", "date_start", "date_end", "granularity", "place", "title", "participants",
              "articles", "storyline_id"]  # fmt: skip
    return _csv(
        header,
        (
            [
                e["id"],
                e["type"],
                e["date"]["start"] or "",
                e["date"]["end"] or "",
                e["date"]["granularity"],
                e["place"] or "",
                e["title"],
                "; ".join(e["participants"]),
                len(e["article_ids"]),
                e["storyline_id"] or "",
            ]
            for e in events
        ),
    )


def events_markdown(events: list[dict[str, Any]]) -> str:
    lines = [
        "| date | type | place | event | participants | articles |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for e in events:
        d = e["date"]
        span = (
            "unknown" if not d["start"] else d["start"] + (f"..{d['end']}" if d["end"] != d["start"] else "")
        )
        lines.append(
            f"| {span} | {e['type']} | {md(e['place'])} | {md(e['title'])} | {md(', '.join(e['participants'][:5]))} "
            f"| {len(e['article_ids'])} |"
        )
    return "\n".join(lines) + "\n"


LABEL_CHARS = 64  # a timeline label longer than this is cut (the whole title is its tooltip)
CHAR_W = 6.4  # width in pixels of a character at the timeline's 11px sans-serif, with room to spare


def timeline_layout(entries: list[dict[str, Any]], width: int = 1000) -> dict[str, Any]:
    """Positions of a horizontal timeline: one mark per dated entry (a bar for a span), sized by
    importance, labels stacked in rows so that they do not overlap, each to the right of its mark or, near
    the right edge, to its left, so that none is clipped. Far outliers (`charts.dense_range`) are not
    drawn on the axis but counted in "earlier" and "later" markers. Shared by the SVG export and the web
    page, which render it with escaping."""
    dated = [e for e in entries if e.get("date")]
    margin, row_h, axis_y = 40, 18, 62
    out: dict[str, Any] = {
        "width": width,
        "height": 60,
        "axis_y": axis_y,
        "marks": [],
        "first": None,
        "last": None,
        "earlier": None,
        "later": None,
    }
    if not dated:
        return out
    dated.sort(key=lambda e: e["date"])
    starts = [date.fromisoformat(e["date"]) for e in dated]
    i, j = dense_range(starts)
    for key, part in (("earlier", dated[:i]), ("later", dated[j + 1 :])):
        if part:
            out[key] = {"count": len(part), "first": part[0]["date"], "last": part[-1]["date"]}
    shown = dated[i : j + 1]
    starts = starts[i : j + 1]
    ends = [
        max(s, date.fromisoformat(e.get("end_date") or e["date"])) for e, s in zip(shown, starts, strict=True)
    ]
    lo, hi = starts[0], max(ends)
    hi = min(hi, starts[-1] + (starts[-1] - lo) + timedelta(days=1))  # a long span does not stretch the axis
    span = max((hi - lo).days, 1)
    x_end = width - margin

    def x(d: date) -> float:
        return round(margin + (x_end - margin) * min(max((d - lo).days, 0), span) / span, 1)

    rows: list[list[tuple[float, float]]] = []  # the extents taken in each row
    for e, s, t in zip(shown, starts, ends, strict=True):
        x0, x1 = x(s), x(t)
        imp = float(e.get("importance", e.get("score", 1)) or 1)
        r = round(min(3 + imp, 9), 1)
        text = e.get("title") or e.get("text") or (e.get("sentences") or [{"text": ""}])[0]["text"]
        label = _span(e) + "  " + text
        right_room, left_room = width - 4 - (x1 + r + 3), x0 - r - 3 - 4
        left = len(label[:LABEL_CHARS]) * CHAR_W > right_room and left_room > right_room
        room = left_room if left else right_room  # the label ends at the mark when the right has no room
        keep = max(8, min(LABEL_CHARS, int(room / CHAR_W)))
        label = label if len(label) <= keep else label[: keep - 1] + "\u2026"
        lw = len(label) * CHAR_W + r + 3
        extent = (x0 - lw, x1 + r) if left else (x0 - r, x1 + lw)  # the mark, its bar and its label
        row = next(
            (k for k, taken in enumerate(rows) if all(b <= extent[0] or a >= extent[1] for a, b in taken)),
            len(rows),
        )
        if row == len(rows):
            rows.append([])
        rows[row].append(extent)
        out["marks"].append(
            {
                "entry": e,
                "x": x0,
                "x1": x1,
                "bar": x1 - x0 > 1,
                "y": axis_y + 24 + row * row_h,
                "r": r,
                "background": bool(e.get("background")),
                "label": label,
                "title": text,
                "label_x": round(x0 - r - 3, 1) if left else round(x1 + r + 3, 1),
                "anchor": "end" if left else "start",
            }
        )
    out.update(
        height=axis_y + 30 + row_h * (len(rows) + 1),
        first=lo.isoformat(),
        last=hi.isoformat(),
        x_end=x_end,
        margin=margin,
    )
    return out


def timeline_svg(entries: list[dict[str, Any]], title: str = "newsloom timeline", width: int = 1000) -> str:
    """The timeline as a standalone SVG document."""
    lay = timeline_layout(entries, width)
    if not lay["marks"]:
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="60"><text x="10" y="30" '
            f'font-family="sans-serif" font-size="13">{escape(title)}: no dated entries</text></svg>\n'
        )
    ay = lay["axis_y"]
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{lay["height"]}" font-family="sans-serif" font-size="11">',
        f'<text x="{lay["margin"]}" y="20" font-size="14" font-weight="bold">{escape(title)}</text>',
        f'<line x1="{lay["margin"]}" y1="{ay}" x2="{lay["x_end"]}" y2="{ay}" stroke="#444"/>',
        f'<text x="{lay["margin"]}" y="{ay - 6}">{lay["first"]}</text>',
        f'<text x="{lay["x_end"]}" y="{ay - 6}" text-anchor="end">{lay["last"]}</text>',
    ]
    for key, x, anchor, arrow in (
        ("earlier", lay["margin"], "start", "\u00ab "),
        ("later", lay["x_end"], "end", ""),
    ):
        fold = lay[key]
        if fold:
            words = f"{fold['count']} {key} ({fold['first']}" + (
                f" to {fold['last']})" if fold["last"] != fold["first"] else ")"
            )
            words = arrow + words + ("" if arrow else " \u00bb")
            out.append(
                f'<text x="{x}" y="{ay - 22}" text-anchor="{anchor}" fill="#666">{escape(words)}</text>'
            )
    for m in lay["marks"]:
        colour = "#999" if m["background"] else "#1f5fa8"
        out.append(f'<line x1="{m["x"]}" y1="{ay}" x2="{m["x"]}" y2="{m["y"]}" stroke="#ccc"/>')
        if m["bar"]:
            out.append(
                f'<rect x="{m["x"]}" y="{m["y"] - 3}" width="{m["x1"] - m["x"]:.1f}" height="6" fill="{colour}"/>'
            )
        out.append(f'<circle cx="{m["x"]}" cy="{m["y"]}" r="{m["r"]}" fill="{colour}"/>')
        out.append(
            f'<text x="{m["label_x"]}" y="{m["y"] + 4}" text-anchor="{m["anchor"]}">{escape(m["label"])}'
            f"<title>{escape(m['title'])}</title></text>"
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"
