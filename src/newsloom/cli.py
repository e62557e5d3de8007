"""The newsloom command line: a thin layer over the library (DESIGN.md "Command line")."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import textwrap
from datetime import date
from pathlib import Path
from typing import Any

from . import __version__, logs
from .errors import NewsloomError

log = logging.getLogger(__name__)


def _print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def _wrap(text: str, indent: str = "    ", width: int = 100) -> str:
    return textwrap.fill(text, width=width, initial_indent=indent, subsequent_indent=indent)


def _date_str(start: str | None, end: str | None, gran: str) -> str:
    if not start:
        return "date unknown"
    if end and end != start:
        return f"{start}..{end}"
    return start if gran in ("day", "unknown") else f"{start} ({gran})"


def _open(args: argparse.Namespace, readonly: bool = True) -> Any:
    from .store import Store

    return Store(args.db, readonly=readonly)


def cmd_ingest(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from .annotate import load_resources
    from .pipeline import ingest

    hints = {"outlet": args.outlet or "", "published": args.published or ""}
    if args.published:
        from .extract import published_from

        published_from([], "", None, args.published)  # fail early on an unreadable date
    as_of = _as_of(args)
    store = _open(args, readonly=False)
    res = load_resources()
    bar = tqdm(
        desc="ingest",
        unit="doc",
        disable=args.quiet or not sys.stderr.isatty() and not args.progress,
        file=sys.stderr,
    )
    try:
        report = ingest(
            store,
            args.paths,
            fmt=args.format,
            hints=hints,
            res=res,
            progress=bar.update,
            allow_private=args.allow_private,
            as_of=as_of,
        )
    finally:
        bar.close()
        store.close()
    if args.json:
        _print_json(
            {
                "added": report.added,
                "duplicates": report.duplicates,
                "already_stored": report.already_stored,
                "failed": [{"source": o, "reason": r} for o, r in report.failed],
                "pending_urls": report.pending,
                "non_english": report.non_english,
            }
        )
    else:
        print(report.summary())
    # Exit non-zero only when nothing could be done at all.
    nothing = (
        report.added == 0 and report.duplicates == 0 and report.already_stored == 0 and not report.pending
    )
    return 1 if report.failed and nothing else 0


def cmd_articles(args: argparse.Namespace) -> int:
    from . import views

    with _open(args) as store:
        arts = views.articles(store, args.ids or None)
    if args.json:
        _print_json(arts)
        return 0
    for a in arts:
        p = a["published"]
        when = p["date"] or "date unknown"
        if p["inferred"] and p["date"]:
            when += f" (inferred, {p['granularity']})"
        dup = f"  duplicate of {a['duplicate_of']}" if a["duplicate_of"] else ""
        print(f"{a['id']}  {when}  {a['outlet'] or '-'}  [{a['language']}]{dup}")
        print(f"    {a['title']}")
        if a["authors"]:
            print(f"    by {', '.join(a['authors'])}")
    print(f"{len(arts)} articles")
    return 0


def cmd_entities(args: argparse.Namespace) -> int:
    from . import views

    with _open(args) as store:
        ents = views.entities(store, tuple(args.type) if args.type else None)
    if args.json:
        _print_json(ents)
        return 0
    for e in ents[: args.limit]:
        aliases = f"  aka {', '.join(e['aliases'][:6])}" if e["aliases"] else ""
        roles = f"  [{'; '.join(e['roles'][:3])}]" if e["roles"] else ""
        print(f"{e['mention_count']:5d}  {e['type']:<7} {e['name']}{aliases}{roles}")
    print(f"{len(ents)} entities")
    return 0


def cmd_events(args: argparse.Namespace) -> int:
    from . import views

    with _open(args) as store:
        evs = views.events(store, args.storyline)
    fmt = _fmt(args)
    if fmt == "json":
        _print_json(evs)
        return 0
    if fmt in ("csv", "md"):
        from . import export

        sys.stdout.write(export.events_csv(evs) if fmt == "csv" else export.events_markdown(evs))
        return 0
    for e in evs:
        d = e["date"]
        print(
            f"{e['id']}  {_date_str(d['start'], d['end'], d['granularity'])}  {e['type']}  {e['place'] or '-'}  ({len(e['article_ids'])} articles)"
        )
        print(f"    {e['title']}")
        if e["participants"]:
            print(f"    participants: {', '.join(e['participants'][:8])}")
    print(f"{len(evs)} events")
    return 0


def cmd_entity(args: argparse.Namespace) -> int:
    from . import views

    with _open(args) as store:
        ent = views.entity_detail(store, args.name)
    if args.json:
        _print_json(ent)
        return 0
    print(
        f"{ent['name']} ({ent['type']}), {ent['mention_count']} mentions in {len(ent['article_ids'])} articles"
    )
    if ent["aliases"]:
        print(f"  also written: {', '.join(ent['aliases'])}")
    for r in ent["roles"]:
        print(f"  role: {r}")
    print("events:")
    for e in ent["events"]:
        d = e["date"]
        print(
            f"  {_date_str(d['start'], d['end'], d['granularity'])}  {e['type']}  {e['place'] or '-'}  {e['title']}"
        )
    if ent["statements"]:
        print("said:")
        for s in ent["statements"]:
            print(_wrap(f'"{s["quote"]}"', "  "))
    if ent["cooccurring"]:
        print("appears with: " + ", ".join(f"{c['name']} ({c['articles']})" for c in ent["cooccurring"]))
    return 0


def cmd_storylines(args: argparse.Namespace) -> int:
    from . import views

    with _open(args) as store:
        sls = views.storylines(store)
    if args.json:
        _print_json(sls)
        return 0
    for s in sls:
        span = f"{s['first_date'] or '?'} .. {s['last_date'] or '?'}"
        print(f"{s['id']}  {span}  {len(s['event_ids'])} events, {len(s['article_ids'])} articles")
        print(f"    {s['title']}")
    print(f"{len(sls)} storylines")
    return 0


def _fmt(args: argparse.Namespace) -> str:
    return "json" if args.json else args.format


def _write_plot(path: str, svg: str) -> None:
    if not path.lower().endswith(".svg"):
        raise NewsloomError(f"--plot {path!r}: only SVG plots are written; give a file name ending in .svg")
    try:
        tmp = path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(svg)
        os.replace(tmp, path)
    except OSError as exc:
        raise NewsloomError(f"--plot {path!r}: cannot write it ({exc.strerror})") from None
    print(f"plot written to {path}", file=sys.stderr)


def cmd_timeline(args: argparse.Namespace) -> int:
    from . import export
    from .timeline import scope_articles, timeline

    for name in ("date_from", "date_to"):
        v = getattr(args, name)
        if v:
            try:
                date.fromisoformat(v)
            except ValueError:
                raise NewsloomError(
                    f"--{name.removeprefix('date_')} {v!r}: not a date; use YYYY-MM-DD"
                ) from None
    for name in ("max_dates", "per_date"):
        v = getattr(args, name)
        if v is not None and v < 1:
            raise NewsloomError(f"--{name.replace('_', '-')} must be 1 or more, not {v}")
    with _open(args) as store:
        if args.by_date:
            from .datewise import summarise

            ids = scope_articles(store, args.storyline, args.entity, args.query)
            entries = summarise(
                store,
                max_dates=args.max_dates or 10,
                per_date=args.per_date or 1,
                date_from=args.date_from,
                date_to=args.date_to,
                keywords=args.keywords.split(",") if args.keywords else None,
                article_ids=ids,
            )
        else:
            entries = timeline(
                store,
                storyline=args.storyline,
                entity=args.entity,
                query=args.query,
                date_from=args.date_from,
                date_to=args.date_to,
                max_dates=args.max_dates,
                per_date=args.per_date,
                background=not args.no_background,
            )
    if args.plot:
        _write_plot(args.plot, export.timeline_svg(entries, title=args.title or "newsloom timeline"))
    fmt = _fmt(args)
    if fmt == "json":
        _print_json(entries)
    elif fmt == "csv":
        sys.stdout.write(export.timeline_csv(entries))
    elif fmt == "md":
        sys.stdout.write(export.timeline_markdown(entries, title=args.title or "Timeline"))
    else:
        if not entries:
            print("no dated events match")
        for e in entries:
            if "sentences" in e:
                print(f"{e['date']}  (named by {e['score']:g})")
                for snt in e["sentences"]:
                    print(_wrap(snt["text"]))
                    print(f"      - {snt['outlet'] or 'unknown outlet'} [{snt['article_id']}]")
                continue
            tag = "  (mentioned in passing)" if e["background"] else ""
            print(
                f"{_date_str(e['date'], e['end_date'], e['granularity'])}  {e['type']}  {e['place'] or ''}{tag}"
            )
            print(_wrap(e["text"]))
            for m in e["moments"]:
                print(_wrap(f"{m['date']}: {m['sentence']}", "      "))
            for src in e["sources"]:
                print(f"      - {src['outlet'] or 'unknown outlet'} [{src['article_id']}]")
    return 0


def cmd_brief(args: argparse.Namespace) -> int:
    from .compare import brief

    with _open(args) as store:
        out = brief(store, args.id)
    if args.llm_url:
        from .llm import abstractive

        out = abstractive(out, args.llm_url, model=args.llm_model, timeout=args.llm_timeout)
    if args.json:
        _print_json(out)
        return 0
    if out["kind"] == "event":
        d = out["date"]
        print(f"{out['title']}")
        print(
            f"  {out['type']} | {_date_str(d['start'], d['end'], d['granularity'])} | {out['place'] or 'place unknown'}"
        )
        print(f"  {out['card']}")
        if out.get("participants"):
            print(_wrap("participants: " + ", ".join(out["participants"]), "  "))
        if out.get("mentioned"):
            print(_wrap("also mentioned: " + ", ".join(out["mentioned"]), "  "))
    else:
        print(f"storyline: {out['title']}")
    print()
    notes: list[str] = []
    for snt in out["sentences"]:
        marks = []
        for src in snt["sources"]:
            label = f"{src['outlet'] or 'unknown outlet'}, {src['article_id']}"
            if label not in notes:
                notes.append(label)
            marks.append(f"[{notes.index(label) + 1}]")
        for src in snt.get("also_reported_by") or []:
            if snt.get("role") != "fact":
                break  # the lead's other reports are listed by `compare`
            label = f"{src['outlet'] or 'unknown outlet'}, {src['article_id']}"
            if label not in notes:
                notes.append(label)
            marks.append(f"[also {notes.index(label) + 1}]")
        prefix = f"{snt['date']}: " if snt.get("date") else ""
        print(_wrap(prefix + snt["text"] + " " + "".join(marks), ""))
    print()
    for i, n in enumerate(notes, 1):
        print(f"[{i}] {n}")
    for dropped in out.get("dropped", []):
        print(_wrap(f"dropped ({dropped['reason']}): {dropped['text']}", ""), file=sys.stderr)
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from .compare import compare

    with _open(args) as store:
        out = compare(store, args.event)
    if args.json:
        _print_json(out)
        return 0
    outlets = [o["outlet"] for o in out["outlets"]]
    print(f"{out['title']}  ({len(outlets)} outlets)")
    for i, o in enumerate(outlets, 1):
        print(f"  [{i}] {o}")
    kinds = args.kinds.split(",") if args.kinds else None
    last = None
    for f in out["facts"]:
        if kinds and f["kind"] not in kinds:
            continue
        if f["kind"] != last:
            print(f"\n{f['kind']}:")
            last = f["kind"]
        cells = "".join(" x " if o in f["reported_by"] else " . " for o in outlets)
        value = f["value"] if len(f["value"]) <= 90 else f["value"][:89] + "\u2026"
        print(f"  {cells}  {value}")
    if out["disagreements"]:
        print("\noutlets disagree:")
        for dis in out["disagreements"]:
            about = f" ({dis['about']})" if "about" in dis else ""
            vals = "; ".join(f"{o}: {', '.join(v)}" for o, v in dis["values"].items())
            print(_wrap(f"{dis['kind']}{about}: {vals}", "  "))
    else:
        print("\nno disagreement found between outlets")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import ipaddress

    import uvicorn

    from .store import Store
    from .web.app import create_app

    try:
        loopback = args.host == "localhost" or ipaddress.ip_address(args.host).is_loopback
    except ValueError:
        loopback = False
    if not loopback and not args.token:
        raise NewsloomError(
            f"--host {args.host}: serving beyond this machine needs an access token; add --token SECRET"
        )
    if args.token is not None and len(args.token) < 12:
        raise NewsloomError("--token: use at least 12 characters")
    if not Path(args.db).exists() and not args.create:
        raise NewsloomError(
            f"--db {args.db}: no such database; ingest articles first, or pass --create to start an empty one"
        )
    Store(args.db).close()  # create or migrate the database before serving it
    allowed = None
    if loopback and not args.token:  # answer only this machine's names (no DNS rebinding)
        names = {args.host, "localhost", "127.0.0.1", "[::1]"}
        allowed = {f"{n}:{args.port}" for n in names} | (names if args.port == 80 else set())
    app = create_app(args.db, token=args.token, allowed_hosts=allowed)
    where = f"http://{args.host}:{args.port}/" + (f"?token={args.token}" if args.token else "")
    print(f"newsloom: serving {args.db} at {where}", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def _as_of(args: argparse.Namespace) -> str | None:
    """The --as-of date as ISO text, or None (now)."""
    if not args.as_of:
        return None
    try:
        return date.fromisoformat(args.as_of).isoformat()
    except ValueError:
        raise NewsloomError(f"--as-of {args.as_of!r}: not a date; use YYYY-MM-DD") from None


def cmd_batch(args: argparse.Namespace) -> int:
    from .batch import run

    result = run(
        args.paths,
        args.out,
        master=args.master,
        into=args.into or args.db,
        fmt=args.format,
        partitions=args.partitions,
        log=lambda m: print(m, file=sys.stderr),
        corpus=args.corpus,
        block_days=args.block_days,
        as_of=_as_of(args),
    )
    if args.json:
        _print_json(result)
    else:
        print(
            f"{result['documents']} documents annotated on Spark in {result['annotate_seconds']:.0f} s, "
            f"{result['added']} articles added to {result['db']}, {result['failed']} failed; "
            f"Parquet tables in {args.out}"
        )
    return 0


def cmd_dates(args: argparse.Namespace) -> int:
    from .temporal import tag

    try:
        dct = date.fromisoformat(args.dct) if args.dct else None
    except ValueError:
        raise NewsloomError(f"--dct {args.dct!r}: not a date; use YYYY-MM-DD") from None
    text = sys.stdin.read()
    out = []
    for t in tag(text, dct):
        item: dict[str, Any] = {
            "text": t.text,
            "start": t.start,
            "end": t.end,
            "value": t.value,
            "type": t.type,
            "granularity": t.granularity,
            "anchor": t.anchor,
        }
        if t.range_start:
            item["range"] = {
                "start": t.range_start.isoformat(),
                "end": (t.range_end or t.range_start).isoformat(),
            }
        out.append(item)
    if args.json:
        _print_json(out)
    else:
        for o in out:
            rng = f"  {o['range']['start']}..{o['range']['end']}" if "range" in o else ""
            print(f"{o['start']:6d}-{o['end']:<6d} {o['type']:<8} {o['value']:<14} {o['text']!r}{rng}")
    return 0


def cmd_recluster(args: argparse.Namespace) -> int:
    from .pipeline import recluster

    with _open(args, readonly=False) as store:
        n = recluster(store)
    print(f"re-clustered {n} articles")
    return 0


def cmd_failures(args: argparse.Namespace) -> int:
    with _open(args) as store:
        rows = store.query("SELECT origin, reason, at, stage FROM failures ORDER BY id")
    if args.json:
        _print_json([{"source": r[0], "reason": r[1], "at": r[2], "stage": r[3]} for r in rows])
    else:
        for r in rows:
            print(f"{r[2]}  [{r[3]}] {r[0]}: {r[1]}")
        print(f"{len(rows)} failures")
    return 0


def cmd_pending(args: argparse.Namespace) -> int:
    with _open(args) as store:
        rows = store.query(
            "SELECT url, title, origin, published, added FROM pending_urls ORDER BY added, url"
        )
    items = [{"url": r[0], "title": r[1], "source": r[2], "published": r[3]} for r in rows]
    if args.json:
        _print_json(items)
    else:
        for i in items:
            print(f"{i['published'] or '?':<10}  {i['url']}  {i['title']}")
        print(f"{len(items)} pending URLs (ingest them with 'newsloom ingest URL...')")
    return 0


def cmd_cluster_settings(args: argparse.Namespace) -> int:
    from .clustering import pairmodel
    from .clustering.config import SETTINGS

    rows = SETTINGS.describe()
    if args.json:
        _print_json(
            {
                "settings": [{"name": n, "value": v, "kind": k, "meaning": m} for n, v, k, m in rows],
                "pair_model": {
                    "weights": pairmodel.MODEL.weights,
                    "threshold": pairmodel.MODEL.threshold,
                    "provenance": pairmodel.MODEL.provenance,
                },
            }
        )
        return 0
    for name, value, kind, meaning in rows:
        print(f"{name} = {value!r}  # {kind}: {meaning}")
    print(f"# pair model: threshold {pairmodel.MODEL.threshold}, {len(pairmodel.MODEL.weights)} weights")
    tuned = sum(1 for r in rows if r[2] == "tuned")
    print(f"# {tuned} tuned settings, {len(rows) - tuned} cost bounds")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="newsloom", description="Who did what, where and when, from many outlets' news."
    )
    p.add_argument(
        "--db",
        default=os.environ.get("NEWSLOOM_DB", "newsloom.db"),
        help="database path (default ./newsloom.db)",
    )
    p.add_argument(
        "--cluster-config",
        default=os.environ.get("NEWSLOOM_CLUSTER_CONFIG"),
        metavar="FILE",
        help="TOML file overriding clustering settings (see 'newsloom cluster-settings')",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    p.add_argument("--version", action="version", version=f"newsloom {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("ingest", help="add articles from files and directories")
    s.add_argument("paths", nargs="+", metavar="PATH")
    s.add_argument("--format", default="auto", choices=["auto", "text", "html", "jsonl", "rss", "warc"])
    s.add_argument(
        "--allow-private",
        action="store_true",
        help="allow URLs on private, loopback and link-local addresses",
    )
    s.add_argument("--outlet", help="outlet of every article in these files")
    s.add_argument("--published", help="publication date (YYYY-MM-DD) of every article in these files")
    s.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="when these files were collected (default: now); stored with each article, it bounds the "
        "publication dates inferred for undated articles",
    )
    s.add_argument("--json", action="store_true")
    s.add_argument("--quiet", action="store_true", help="no progress bar")
    s.add_argument("--progress", action="store_true", help="progress bar even when stderr is not a terminal")
    s.set_defaults(func=cmd_ingest)

    s = sub.add_parser("articles", help="list stored articles")
    s.add_argument("ids", nargs="*", help="article ids or external ids (default: all)")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_articles)

    s = sub.add_parser("entities", help="list canonical entities")
    s.add_argument("--type", action="append", choices=["PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"])
    s.add_argument("--limit", type=int, default=100, help="rows in the table view")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_entities)

    s = sub.add_parser("events", help="list real-world events")
    s.add_argument("--storyline")
    s.add_argument("--json", action="store_true")
    s.add_argument("--format", choices=["text", "json", "csv", "md"], default="text")
    s.set_defaults(func=cmd_events)

    s = sub.add_parser("entity", help="one entity: aliases, roles, events in date order, statements")
    s.add_argument("name")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_entity)

    s = sub.add_parser("storylines", help="list storylines")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_storylines)

    s = sub.add_parser("timeline", help="dated, cited timeline of events")
    s.add_argument("--storyline")
    s.add_argument("--entity")
    s.add_argument("--query")
    s.add_argument("--from", dest="date_from")
    s.add_argument("--to", dest="date_to")
    s.add_argument("--max-dates", type=int, help="keep the N most important dates")
    s.add_argument("--per-date", type=int, help="keep the K most important entries (or sentences) per date")
    s.add_argument(
        "--by-date",
        action="store_true",
        help="date-wise summary: the most reported days, each with its most central sentences",
    )
    s.add_argument("--keywords", help="with --by-date: comma-separated words a sentence must contain one of")
    s.add_argument("--no-background", action="store_true", help="leave out events mentioned only in passing")
    s.add_argument("--json", action="store_true")
    s.add_argument("--format", choices=["text", "json", "csv", "md"], default="text")
    s.add_argument("--plot", metavar="FILE.svg", help="also draw the timeline as an SVG file")
    s.add_argument("--title", help="title of the Markdown export and the plot")
    s.set_defaults(func=cmd_timeline)

    s = sub.add_parser("brief", help="short cited briefing of an event or storyline")
    s.add_argument("id", metavar="EVENT_OR_STORYLINE")
    s.add_argument("--json", action="store_true")
    s.add_argument(
        "--llm-url", help="OpenAI-compatible server for an abstractive briefing (checked against sources)"
    )
    s.add_argument("--llm-model", default="default", help="model name sent to --llm-url")
    s.add_argument("--llm-timeout", type=float, default=60.0)
    s.set_defaults(func=cmd_brief)

    s = sub.add_parser("compare", help="what each outlet reports about one event, and where they disagree")
    s.add_argument("event")
    s.add_argument("--kinds", help="comma-separated fact kinds to show (e.g. statement,figure)")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_compare)

    s = sub.add_parser("batch", help="run the pipeline on Apache Spark (needs newsloom[spark])")
    s.add_argument(
        "paths", nargs="+", metavar="PATH", help="files or directories: JSONL, WARC, HTML, text, Parquet"
    )
    s.add_argument("--out", required=True, help="directory for the Parquet tables")
    s.add_argument("--master", default="local[*]", help="Spark master (default local[*])")
    s.add_argument("--into", metavar="DB", help="newsloom store to load the results into (default: --db)")
    s.add_argument("--format", default="auto", choices=["auto", "text", "html", "jsonl", "rss", "warc"])
    s.add_argument("--partitions", type=int, help="partitions for the annotate stage (default 2 x cores)")
    s.add_argument("--as-of", metavar="YYYY-MM-DD", help="when these files were collected (default: now)")
    s.add_argument(
        "--corpus",
        default="driver",
        choices=["driver", "sharded"],
        help="where the corpus stages run: on the driver in input order (the local result, one writer) or "
        "sharded by time blocks on the executors, then merged and stitched (default driver)",
    )
    s.add_argument(
        "--block-days",
        type=int,
        default=7,
        help="days of publication per block with --corpus sharded (default 7)",
    )
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_batch)

    s = sub.add_parser("serve", help="open the store in the browser (web interface and JSON API)")
    s.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default 127.0.0.1; others need --token)"
    )
    s.add_argument("--port", type=int, default=8765)
    s.add_argument("--token", help="access token required on every request (header, cookie or ?token=)")
    s.add_argument(
        "--create", action="store_true", help="start with an empty database if --db does not exist"
    )
    s.set_defaults(func=cmd_serve)

    s = sub.add_parser("dates", help="temporal expressions of a text (stdin), normalised")
    s.add_argument("--dct", help="reference (publication) date, YYYY-MM-DD")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_dates)

    s = sub.add_parser("recluster", help="rebuild entities, events and storylines from stored articles")
    s.set_defaults(func=cmd_recluster)

    s = sub.add_parser("cluster-settings", help="every number of the clustering, its value and meaning")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_cluster_settings)

    s = sub.add_parser("pending", help="feed entries that link to articles not yet fetched")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_pending)

    s = sub.add_parser("failures", help="inputs that could not be ingested, with the reason")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_failures)
    return p


def reference() -> str:
    """The command-line reference in Markdown (docs/cli.md), from the parser itself: every command's
    help as `newsloom COMMAND --help` prints it at 100 columns."""
    columns = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "100"
    try:
        parser = build_parser()
        out = [
            "# Command-line reference",
            "",
            "Generated from the parser by `newsloom.cli.reference()`; `tests/test_docs.py` keeps it current.",
            "",
            "```text",
            parser.format_help().rstrip(),
            "```",
        ]
        commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        for name, sub in commands.choices.items():
            out += ["", f"## newsloom {name}", "", "```text", sub.format_help().rstrip(), "```"]
        return "\n".join(out) + "\n"
    finally:
        if columns is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = columns


# Modules of optional extras, and the extra that installs each.
OPTIONAL_MODULES = {
    "pyspark": "spark",
    "py4j": "spark",
    "fastapi": "web",
    "starlette": "web",
    "uvicorn": "web",
    "jinja2": "web",
    "multipart": "web",
    "python_multipart": "web",
}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logs.setup(args.verbose)
    try:
        if args.cluster_config:
            from .clustering import config

            config.load(args.cluster_config)
        return int(args.func(args) or 0)
    except NewsloomError as exc:
        print(f"newsloom: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print(
            "newsloom: interrupted; what was committed is kept, run the command again to finish",
            file=sys.stderr,
        )
        return 130
    except Exception as exc:  # a bug, not a data problem: one line here, the traceback in the log
        extra = OPTIONAL_MODULES.get((getattr(exc, "name", None) or "").split(".")[0])
        if isinstance(exc, ModuleNotFoundError) and extra:
            print(
                f"newsloom: error: this command needs {exc.name}: pip install 'newsloom[{extra}]'",
                file=sys.stderr,
            )
            return 2
        logging.getLogger("newsloom").error(
            "internal error (%s: %s); please report it", type(exc).__name__, exc, exc_info=exc
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
