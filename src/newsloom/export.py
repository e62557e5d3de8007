"""Exports of timelines and events: CSV, Markdown and an SVG timeline plot.

All article text is data: Markdown output escapes the characters that would be read as markup, and the
SVG escapes every string it draws.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def md(text: str | None) -> str:
    """Text safe inside a Markdown table cell or paragraph."""
    return _MD_SPECIAL.sub(r"\\\1", (text or "").replace("\n", " "))


def _span(e: dict[str, Any]) -> str:
    start, end = e.get("date"), e.get("end_date")
    return f"{start}..{end}" if end and end != start else str(start or "")


def timeline_csv(entries: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(
        [
            "date",
            "end_date",
            "granularity",
            "type",
            "place",
            "background",
            "importance",
            "text",
            "outlets",
            "article_ids",
        ]
    )
    for e in entries:
        w.writerow(
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
        )
    return buf.getvalue()


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
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(
        [
            "id",
            "type",
            "date_start",
            "date_end",
            "granularity",
            "place",
            "title",
            "participants",
            "articles",
            "storyline_id",
        ]
    )
    for e in events:
        w.writerow(
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
        )
    return buf.getvalue()


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


def timeline_svg(entries: list[dict[str, Any]], title: str = "newsloom timeline", width: int = 1000) -> str:
    """A horizontal timeline: one mark per entry at its date (a bar for a span), sized by importance,
    labels stacked in rows so that they do not overlap."""
    dated = [e for e in entries if e.get("date")]
    margin, row_h, label_w = 40, 18, 220
    if not dated:
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="60"><text x="10" y="30" '
            f'font-family="sans-serif" font-size="13">{escape(title)}: no dated entries</text></svg>\n'
        )
    starts = [date.fromisoformat(e["date"]) for e in dated]
    ends = [date.fromisoformat(e.get("end_date") or e["date"]) for e in dated]
    lo, hi = min(starts), max(ends)
    span = max((hi - lo).days, 1)

    def x(d: date) -> float:
        return margin + (width - 2 * margin - label_w) * (d - lo).days / span

    rows_end: list[float] = []  # right edge of the last label in each row
    marks = []
    for e, s, t in sorted(zip(dated, starts, ends, strict=True), key=lambda z: z[1]):
        x0, x1 = x(s), x(t)
        row = next((i for i, r in enumerate(rows_end) if r < x0), len(rows_end))
        if row == len(rows_end):
            rows_end.append(0.0)
        rows_end[row] = x0 + label_w
        marks.append((e, x0, x1, row))
    axis_y = 50
    height = axis_y + 30 + row_h * (len(rows_end) + 1)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="11">',
        f'<text x="{margin}" y="20" font-size="14" font-weight="bold">{escape(title)}</text>',
        f'<line x1="{margin}" y1="{axis_y}" x2="{width - margin - label_w}" y2="{axis_y}" stroke="#444"/>',
        f'<text x="{margin}" y="{axis_y - 6}">{lo.isoformat()}</text>',
        f'<text x="{width - margin - label_w}" y="{axis_y - 6}" text-anchor="end">{hi.isoformat()}</text>',
    ]
    for e, x0, x1, row in marks:
        y = axis_y + 24 + row * row_h
        imp = float(e.get("importance", e.get("score", 1)) or 1)
        r = min(3 + imp, 9)
        colour = "#999" if e.get("background") else "#1f5fa8"
        out.append(f'<line x1="{x0:.1f}" y1="{axis_y}" x2="{x0:.1f}" y2="{y}" stroke="#ccc"/>')
        if x1 - x0 > 1:
            out.append(f'<rect x="{x0:.1f}" y="{y - 3}" width="{x1 - x0:.1f}" height="6" fill="{colour}"/>')
        out.append(f'<circle cx="{x0:.1f}" cy="{y}" r="{r:.1f}" fill="{colour}"/>')
        label = e.get("title") or e.get("text") or (e.get("sentences") or [{"text": ""}])[0]["text"]
        label = label if len(label) <= 40 else label[:39] + "\u2026"
        out.append(f'<text x="{x0 + r + 3:.1f}" y="{y + 4}">{escape(_span(e) + "  " + label)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
