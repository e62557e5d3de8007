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
from .wording import plural

__all__ = [
    "DATE_HELP",
    "ID_HELP",
    "OPTIONAL_MODULES",
    "build_parser",
    "cmd_articles",
    "cmd_batch",
    "cmd_brief",
    "cmd_cluster_settings",
    "cmd_compare",
    "cmd_dates",
    "cmd_entities",
    "cmd_entity",
    "cmd_events",
    "cmd_failures",
    "cmd_ingest",
    "cmd_outlets",
    "cmd_pending",
    "cmd_recluster",
    "cmd_search",
    "cmd_serve",
    "cmd_storylines",
    "cmd_timeline",
    "cmd_watch",
    "main",
    "reference",
]

log = logging.getLogger(__name__)


def _print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def _print_as(command: str, data: Any) -> None:
    """Print a read model as `newsloom COMMAND --json` gives it: through the command's model of the
    JSON contract (newsloom/contract.py), the one serialisation of its noun."""
    from .contract import serialise

    _print_json(serialise(command, data))


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

    from .annotators import default_workers
    from .pipeline import ingest

    hints = {"outlet": args.outlet or "", "published": args.published or ""}
    if args.published:
        from .extract import published_from

        published_from([], "", None, args.published)  # fail early on an unreadable date
    as_of = _as_of(args)
    store = _open(args, readonly=False)
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
            progress=bar.update,
            allow_private=args.allow_private,
            as_of=as_of,
            workers=default_workers() if args.workers is None else args.workers,
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
        _print_as("articles", arts)
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
    print(plural(len(arts), "article"))
    return 0


def cmd_entities(args: argparse.Namespace) -> int:
    from . import views

    with _open(args) as store:
        ents = views.entities(store, tuple(args.type) if args.type else None)
    if args.json:
        _print_as("entities", ents)
        return 0
    for e in ents[: args.limit]:
        aliases = f"  aka {', '.join(e['aliases'][:6])}" if e["aliases"] else ""
        roles = f"  [{'; '.join(e['roles'][:3])}]" if e["roles"] else ""
        print(f"{e['mention_count']:5d}  {e['type']:<7} {e['name']}{aliases}{roles}")
    print(plural(len(ents), "entity"))
    return 0


def cmd_events(args: argparse.Namespace) -> int:
    from . import views

    with _open(args) as store:
        evs = views.events(store, args.storyline)
    fmt = _fmt(args)
    if fmt == "json":
        _print_as("events", evs)
        return 0
    if fmt in ("csv", "md"):
        from . import export

        sys.stdout.write(export.events_csv(evs) if fmt == "csv" else export.events_markdown(evs))
        return 0
    for e in evs:
        d = e["date"]
        print(
            f"{e['id']}  {_date_str(d['start'], d['end'], d['granularity'])}  {e['type']}  {e['place'] or '-'}  ({plural(len(e['article_ids']), 'article')})"
        )
        print(f"    {e['title']}")
        if e["participants"]:
            print(f"    participants: {', '.join(e['participants'][:8])}")
    print(plural(len(evs), "event"))
    return 0


def cmd_entity(args: argparse.Namespace) -> int:
    from . import views

    with _open(args) as store:
        ent = views.entity_detail(store, args.name)
    if args.json:
        _print_as("entity", ent)
        return 0
    print(
        f"{ent['name']} ({ent['type']}), {plural(ent['mention_count'], 'mention')} in {plural(len(ent['article_ids']), 'article')}"
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
        _print_as("storylines", sls)
        return 0
    for s in sls:
        span = f"{s['first_date'] or '?'} .. {s['last_date'] or '?'}"
        print(
            f"{s['id']}  {span}  {plural(len(s['event_ids']), 'event')}, {plural(len(s['article_ids']), 'article')}"
        )
        print(f"    {s['title']}")
    print(plural(len(sls), "storyline"))
    return 0


def _pieces(ps: list[dict[str, Any]]) -> str:
    return "".join(f"[{p['text']}]" if p["hit"] else p["text"] for p in ps)


def cmd_search(args: argparse.Namespace) -> int:
    from .store.search import search

    if args.limit < 1:
        raise NewsloomError(f"--limit must be 1 or more, not {args.limit}")
    with _open(args) as store:
        out = search(store, args.query, size=args.limit)
    if args.json:
        _print_as("search", out)
        return 0
    if out["entities"]:
        print("entities: " + ", ".join(f"{e['name']} ({e['kind']})" for e in out["entities"]))
    if out["events"]:
        print("events with most matching reports:")
        for e in out["events"]:
            print(
                f"  {e['id']}  {e['date'] or 'date unknown'}  {e['kind']}  {e['title']}  ({plural(e['matching_reports'], 'report')})"
            )
    print(
        f"articles: {plural(out['total'], 'match', 'matches')}"
        + (f", the best {len(out['results'])}:" if out["results"] else "")
    )
    for r in out["results"]:
        when = (r["published"] or "date unknown") + (" (inferred)" if r["published_inferred"] else "")
        print(f"  {r['id']}  {when}  {r['outlet'] or 'unknown outlet'}")
        print(_wrap(_pieces(r["title_pieces"]), "    "))
        print(_wrap(_pieces(r["snippet"]), "      "))
    return 0


def cmd_outlets(args: argparse.Namespace) -> int:
    from .store.browse import Browse

    with _open(args) as store:
        b = Browse(store, size=10**9)
        if args.name:
            out = b.outlet(args.name)
            if args.json:
                _print_as("outlets NAME", out)
                return 0
            share = f"{out['first']} of {out['shared_events']}" if out["shared_events"] else "no shared event"
            lag = f"{plural(out['median_lag_days'], 'day')}" if out["median_lag_days"] is not None else "-"
            print(f"{out['outlet']}: {plural(out['reports'], 'report')}, {plural(out['events'], 'event')}, "
                  f"{out['first_date'] or '?'} .. {out['last_date'] or '?'}")  # fmt: skip
            print(f"  reported first: {share}; median lag when not first: {lag}")
            if out["missed_storylines"]:
                print("  storylines three or more other outlets covered and it did not:")
                for m in out["missed_storylines"]:
                    print(f"    {m['id']}  {m['title']}  ({plural(m['outlets'], 'outlet')})")
            return 0
        rows = b.outlets(sort=args.sort).items
    if args.json:
        _print_as("outlets", rows)
        return 0
    for o in rows:
        first = f"{round(100 * o['first_share'])}%" if o["first_share"] is not None else "-"
        lag = f"{o['median_lag_days']:g} d" if o["median_lag_days"] is not None else "-"
        print(
            f"{o['reports']:6d} reports {o['events']:5d} events  first {first:>4}  lag {lag:>6}  {o['outlet']}"
        )
    print(plural(len(rows), "outlet"))
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
    from .views import by_outlet

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
        _print_as("timeline --by-date" if args.by_date else "timeline", entries)
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
            for g in by_outlet(e["sources"]):
                shown = ", ".join(g["article_ids"][:3]) + (", ..." if len(g["article_ids"]) > 3 else "")
                count = f" ({g['reports']})" if g["reports"] > 1 else ""
                print(f"      - {g['outlet']}{count} [{shown}]")
    return 0


def cmd_brief(args: argparse.Namespace) -> int:
    from .compare import brief

    with _open(args) as store:
        out = brief(store, args.id)
    if args.llm_url:
        from .llm import abstractive

        out = abstractive(out, args.llm_url, model=args.llm_model, timeout=args.llm_timeout)
    if args.json:
        _print_as("brief STORYLINE" if out["kind"] == "storyline" else "brief", out)
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
        _print_as("compare", out)
        return 0
    outlets = [o["outlet"] for o in out["outlets"]]
    print(f"{out['title']}  ({plural(len(outlets), 'outlet')})")
    for i, o in enumerate(out["outlets"], 1):
        print(f"  [{i}] {o['outlet']}" + (f" ({o['reports']} reports)" if o["reports"] > 1 else ""))
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


def cmd_watch(args: argparse.Namespace) -> int:
    import dataclasses
    import signal

    from .watch import Watcher, describe, sources_of

    urls = sources_of(args.sources)
    as_of = _as_of(args)
    if args.alert_url and not args.alert_url.startswith(("http://", "https://")):
        raise NewsloomError(f"--alert-url {args.alert_url!r}: give an http(s) URL")
    with _open(args, readonly=False) as store:
        w = Watcher(
            store,
            urls,
            args.every,
            allow_private=args.allow_private,
            alerts=args.alert,
            alert_url=args.alert_url,
            as_of=as_of,
        )

        def stop(signum: int, frame: Any) -> None:
            print("newsloom: stopping after the current item (what was ingested is kept)", file=sys.stderr)
            w.stop.set()

        old = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:

            def report(poll: Any) -> None:
                if args.json:
                    sys.stdout.write(json.dumps(dataclasses.asdict(poll), ensure_ascii=False) + "\n")
                else:
                    for line in describe(poll):
                        print(line)
                sys.stdout.flush()

            if not args.once:
                print(
                    f"newsloom: watching {plural(len(urls), 'feed')} every {args.every:g} s; Ctrl-C stops",
                    file=sys.stderr,
                )
            w.run(args.once, report)
        finally:
            for sig, handler in old.items():
                signal.signal(sig, handler)
    return 0


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
        block_articles=args.block_articles,
        as_of=_as_of(args),
    )
    if args.json:
        _print_json(result)
    else:
        print(
            f"{result['documents']} documents annotated on Spark in {result['annotate_seconds']:.0f} s, "
            f"{plural(result['added'], 'article')} added to {result['db']}, {result['failed']} failed; "
            f"Parquet tables in {args.out}; {result['total_seconds']:.0f} s in all, "
            f"{result['driver_share']:.0%} of it on the driver alone"
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
    from .store.articles import ArticleRepository

    with _open(args, readonly=False) as store:
        n = recluster(store)
        waiting = len(ArticleRepository(store.db).unclustered())
    print(f"re-clustered {plural(n - waiting, 'article')}")
    if waiting:
        print(
            f"newsloom: {plural(waiting, 'article')} could not be clustered and wait in the store "
            "(reasons: newsloom failures); the next ingest or recluster retries them",
            file=sys.stderr,
        )
        return 1
    return 0


def cmd_failures(args: argparse.Namespace) -> int:
    from .store.articles import ArticleRepository

    with _open(args) as store:
        rows = ArticleRepository(store.db).failures()
    if args.json:
        _print_json([{"source": r[0], "reason": r[1], "at": r[2], "stage": r[3]} for r in rows])
    else:
        for r in rows:
            print(f"{r[2]}  [{r[3]}] {r[0]}: {r[1]}")
        print(plural(len(rows), "failure"))
    return 0


def cmd_pending(args: argparse.Namespace) -> int:
    from .store.articles import ArticleRepository

    with _open(args) as store:
        rows = ArticleRepository(store.db).pending_urls()
    items = [{"url": r[0], "title": r[1], "source": r[2], "published": r[3]} for r in rows]
    if args.json:
        _print_json(items)
    else:
        for i in items:
            print(f"{i['published'] or '?':<10}  {i['url']}  {i['title']}")
        print(f"{plural(len(items), 'pending URL')} (ingest them with 'newsloom ingest URL...')")
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


ID_HELP = "an id, or a unique start of it (at least four characters; 'ev_'/'st_' may be left out)"
DATE_HELP = "YYYY-MM-DD"


def _command(
    sub: Any, name: str, summary: str, description: str, examples: list[str], func: Any
) -> argparse.ArgumentParser:
    """A subcommand with its one-line summary (in `newsloom --help`), a description and examples (in
    `newsloom NAME --help`)."""
    s: argparse.ArgumentParser = sub.add_parser(
        name,
        help=summary,
        description="\n\n".join(textwrap.fill(part, width=100) for part in description.split("\n\n")),
        epilog="examples:\n" + "\n".join(f"  {e}" for e in examples),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    s.set_defaults(func=func)
    return s


def _non_negative(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = -1
    if n < 0:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of 0 or more")
    return n


def _json_flag(s: argparse.ArgumentParser, what: str = "print JSON instead of text") -> None:
    s.add_argument("--json", action="store_true", help=what)


def build_parser() -> argparse.ArgumentParser:
    from . import jsonl
    from .model import FORMATS

    p = argparse.ArgumentParser(
        prog="newsloom",
        description="Who did what, where and when, from many outlets' news: ingest articles, then read the "
        "events, storylines, timelines and outlet comparisons they make. 'newsloom COMMAND --help' "
        "describes each command with examples.",
        epilog="examples:\n  newsloom ingest articles/ feed.xml\n  newsloom storylines\n  newsloom serve",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--db",
        default=os.environ.get("NEWSLOOM_DB", "newsloom.db"),
        help="the database file (default ./newsloom.db, or $NEWSLOOM_DB)",
    )
    p.add_argument(
        "--cluster-config",
        default=os.environ.get("NEWSLOOM_CLUSTER_CONFIG"),
        metavar="FILE",
        help="TOML file overriding clustering settings (see 'newsloom cluster-settings')",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="log progress details to stderr")
    p.add_argument("--version", action="version", version=f"newsloom {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = _command(
        sub,
        "ingest",
        "add articles from files, directories, feeds and URLs",
        "Read articles (plain text, HTML, JSON Lines, RSS/Atom, WARC; gzip too) from files, directories "
        "(walked recursively) and http(s) URLs; extract, annotate and cluster them into events and "
        "storylines. Re-ingesting the same input adds nothing. One input's problem never stops the "
        "others: it is reported and listed by 'newsloom failures'.\n\n" + jsonl.describe(),
        [
            "newsloom ingest articles/",
            "newsloom ingest collection.jsonl.gz --as-of 2024-05-01",
            "newsloom ingest page.html --outlet 'The Daily' --published 2024-04-30",
            "newsloom ingest https://example.org/news/feed.xml",
        ],
        cmd_ingest,
    )
    s.add_argument("paths", nargs="+", metavar="PATH", help="a file, a directory or an http(s) URL")
    s.add_argument(
        "--format",
        default="auto",
        choices=FORMATS,
        help="how to read the inputs (default auto: by name and content)",
    )
    s.add_argument(
        "--allow-private",
        action="store_true",
        help="allow URLs on private, loopback and link-local addresses",
    )
    s.add_argument("--outlet", help="outlet of every article in these inputs (overrides what they say)")
    s.add_argument("--published", metavar=DATE_HELP, help="publication date of every article in these inputs")
    s.add_argument(
        "--as-of",
        metavar=DATE_HELP,
        help="when these inputs were collected (default: now); stored with each article, it bounds the "
        "publication dates inferred for undated articles",
    )
    s.add_argument(
        "--workers",
        type=_non_negative,
        metavar="N",
        help="processes annotating the next articles while this one stores and clusters (default 1 when "
        "more than one core is free to this process, else 0: everything in this process)",
    )
    _json_flag(s)
    s.add_argument("--quiet", action="store_true", help="no progress bar")
    s.add_argument("--progress", action="store_true", help="progress bar even when stderr is not a terminal")

    s = _command(
        sub,
        "articles",
        "list stored articles",
        "List stored articles with their date (marked when inferred), outlet and language, or show the "
        "articles given by id.",
        ["newsloom articles", "newsloom articles 04376e5a --json"],
        cmd_articles,
    )
    s.add_argument("ids", nargs="*", metavar="ID", help=ID_HELP + ", or an external id (default: all)")
    _json_flag(s)

    s = _command(
        sub,
        "entities",
        "list people, organisations and places",
        "List the canonical entities (one per real person, organisation or place, with the other names "
        "it is written under), most mentioned first.",
        ["newsloom entities --type PERSON --limit 20", "newsloom entities --json"],
        cmd_entities,
    )
    s.add_argument(
        "--type",
        action="append",
        choices=["PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"],
        help="only this kind (repeat for several)",
    )
    s.add_argument(
        "--limit", type=int, default=100, metavar="N", help="rows shown (default 100; --json has all)"
    )
    _json_flag(s)

    s = _command(
        sub,
        "events",
        "list real-world events",
        "List the events: what happened, when, where, who took part, and how many articles report it.",
        [
            "newsloom events",
            "newsloom events --storyline st_56d9",
            "newsloom events --format csv > events.csv",
        ],
        cmd_events,
    )
    s.add_argument("--storyline", metavar="ID", help="only the events of this storyline (" + ID_HELP + ")")
    _json_flag(s)
    s.add_argument(
        "--format", choices=["text", "json", "csv", "md"], default="text", help="output format (default text)"
    )

    s = _command(
        sub,
        "entity",
        "one entity: aliases, roles, events, statements",
        "One entity: the names it is written under, its roles, the events it took part in (in date "
        "order), what it said, and who appears with it.",
        ["newsloom entity 'Zalmay Khalilzad'", "newsloom entity Khalilzad --json"],
        cmd_entity,
    )
    s.add_argument("name", help="a name or alias (any case)")
    _json_flag(s)

    s = _command(
        sub,
        "storylines",
        "list storylines",
        "List the storylines (events that follow from one another), largest first.",
        ["newsloom storylines", "newsloom storylines --json"],
        cmd_storylines,
    )
    _json_flag(s)

    s = _command(
        sub,
        "outlets",
        "list outlets: reports, events, how often first, how late",
        "List the outlets with their reports and events, the share of the events they share with other "
        "outlets that they reported on the first day, and their median lag behind the first report when "
        "they did not; or, with a NAME, one outlet with the storylines three or more other outlets covered "
        "and it did not.",
        ["newsloom outlets --sort=-first", "newsloom outlets 'Balkan Wire'", "newsloom outlets --json"],
        cmd_outlets,
    )
    s.add_argument("name", nargs="?", metavar="NAME", help="one outlet, as the list names it")
    s.add_argument(
        "--sort",
        default="-reports",
        help="reports, events, name, first or lag; a leading - reverses, written --sort=-first "
        "(default -reports)",
    )
    _json_flag(s)

    s = _command(
        sub,
        "search",
        "find events, entities and articles by words",
        'Search the articles\' full text (every word must occur; "quoted phrases" and prefix* work) and '
        "show the events holding most matches, the entities named so, and the best matching articles "
        "with the words found marked [like this].",
        ["newsloom search 'oil spill'", "newsloom search Khalilzad --limit 5 --json"],
        cmd_search,
    )
    s.add_argument("query", metavar="QUERY", help="words to find")
    s.add_argument("--limit", type=int, default=10, metavar="N", help="articles shown (default 10)")
    _json_flag(s)

    s = _command(
        sub,
        "timeline",
        "dated, cited timeline of events",
        "A dated timeline of events (or, with --by-date, of the most reported days), each entry with the "
        "reports that state it. Scope it to a storyline, an entity or a search, and to a date range.",
        [
            "newsloom timeline --storyline st_56d9",
            "newsloom timeline --entity Khalilzad --from 2021-01-01 --to 2021-12-31",
            "newsloom timeline --query 'oil spill' --by-date --max-dates 10 --format md",
            "newsloom timeline --storyline st_56d9 --plot timeline.svg",
        ],
        cmd_timeline,
    )
    s.add_argument("--storyline", metavar="ID", help="only this storyline (" + ID_HELP + ")")
    s.add_argument("--entity", metavar="NAME", help="only events this entity takes part in")
    s.add_argument("--query", metavar="WORDS", help="only events whose reports contain these words")
    s.add_argument("--from", dest="date_from", metavar=DATE_HELP, help="only dates on or after this day")
    s.add_argument("--to", dest="date_to", metavar=DATE_HELP, help="only dates on or before this day")
    s.add_argument("--max-dates", type=int, metavar="N", help="keep the N most important dates")
    s.add_argument(
        "--per-date", type=int, metavar="K", help="keep the K most important entries (or sentences) per date"
    )
    s.add_argument(
        "--by-date",
        action="store_true",
        help="date-wise summary: the most reported days, each with its most central sentences",
    )
    s.add_argument(
        "--keywords",
        metavar="W1,W2",
        help="with --by-date: comma-separated words a sentence must contain one of",
    )
    s.add_argument("--no-background", action="store_true", help="leave out events mentioned only in passing")
    _json_flag(s)
    s.add_argument(
        "--format", choices=["text", "json", "csv", "md"], default="text", help="output format (default text)"
    )
    s.add_argument("--plot", metavar="FILE.svg", help="also draw the timeline as an SVG file")
    s.add_argument("--title", help="title of the Markdown export and the plot")

    s = _command(
        sub,
        "brief",
        "short cited briefing of an event or storyline",
        "A short briefing of an event (what, who, where, when, what was said) or of a storyline, every "
        "sentence taken from a report and cited. With --llm-url an OpenAI-compatible server rewrites it; "
        "sentences the sources do not support are dropped and listed on stderr.",
        [
            "newsloom brief ev_db4051",
            "newsloom brief st_56d9 --json",
            "newsloom brief db4051 --llm-url http://127.0.0.1:8080/v1",
        ],
        cmd_brief,
    )
    s.add_argument("id", metavar="EVENT_OR_STORYLINE", help=ID_HELP)
    _json_flag(s)
    s.add_argument(
        "--llm-url",
        metavar="URL",
        help="OpenAI-compatible server for an abstractive briefing (checked against sources)",
    )
    s.add_argument("--llm-model", default="default", metavar="NAME", help="model name sent to --llm-url")
    s.add_argument(
        "--llm-timeout",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="seconds to wait for the server (default 60)",
    )

    s = _command(
        sub,
        "compare",
        "what each outlet reports about one event, and where they disagree",
        "The facts of one event (who, where, when, figures, quotes) against the outlets that report "
        "each, the facts only one outlet has, and where outlets disagree (a different toll, date or place).",
        ["newsloom compare ev_db4051", "newsloom compare db4051 --kinds figure,statement"],
        cmd_compare,
    )
    s.add_argument("event", metavar="EVENT", help=ID_HELP)
    s.add_argument(
        "--kinds", metavar="K1,K2", help="comma-separated fact kinds to show (e.g. statement,figure)"
    )
    _json_flag(s)

    s = _command(
        sub,
        "watch",
        "follow feeds: poll them, ingest new items, report new events",
        "Poll RSS/Atom feeds (or pages) every --every seconds, ingest the items not seen before and print "
        "the events and storylines they create or update. Polite: conditional requests (ETag, "
        "Last-Modified), a longer wait after errors, each item fetched once. Stops cleanly on Ctrl-C or "
        "SIGTERM; what was ingested is kept.",
        [
            "newsloom watch https://example.org/feed.xml --every 600",
            "newsloom watch feeds.txt --once --json",
            "newsloom watch https://example.org/feed.xml --alert 'Khalilzad' --alert-url http://127.0.0.1:9000/hook",
        ],
        cmd_watch,
    )
    s.add_argument(
        "sources",
        nargs="+",
        metavar="FEED_OR_URL",
        help="a feed or page URL, or a file listing them one per line",
    )
    s.add_argument(
        "--every", type=float, default=900.0, metavar="SECONDS", help="seconds between polls (default 900)"
    )
    s.add_argument("--once", action="store_true", help="poll once and exit")
    s.add_argument(
        "--alert",
        action="append",
        metavar="ENTITY_OR_WORDS",
        help="report an event that names this entity or whose reports contain these words (repeatable)",
    )
    s.add_argument("--alert-url", metavar="URL", help="also POST each alert as JSON to this URL")
    s.add_argument(
        "--allow-private",
        action="store_true",
        help="allow URLs on private, loopback and link-local addresses",
    )
    s.add_argument("--as-of", metavar=DATE_HELP, help="the collection date to store (default: now)")
    _json_flag(s, "print one JSON object a poll (feeds, events, storylines, alerts) instead of text")

    s = _command(
        sub,
        "batch",
        "run the pipeline on Apache Spark (needs newsloom[spark])",
        "Annotate on Apache Spark and load the results into a store; the Parquet tables are written to "
        "--out. See docs/spark.md.",
        [
            "newsloom batch ccnews/ --out tables/ --master local[4]",
            "newsloom batch day.jsonl --out t/ --corpus sharded",
        ],
        cmd_batch,
    )
    s.add_argument(
        "paths", nargs="+", metavar="PATH", help="files or directories: JSONL, WARC, HTML, text, Parquet"
    )
    s.add_argument("--out", required=True, metavar="DIR", help="directory for the Parquet tables")
    s.add_argument("--master", default="local[*]", help="Spark master (default local[*])")
    s.add_argument("--into", metavar="DB", help="newsloom store to load the results into (default: --db)")
    s.add_argument(
        "--format",
        default="auto",
        choices=FORMATS,
        help="how to read the inputs (default auto)",
    )
    s.add_argument(
        "--partitions", type=int, metavar="N", help="partitions for the annotate stage (default 2 x cores)"
    )
    s.add_argument("--as-of", metavar=DATE_HELP, help="when these files were collected (default: now)")
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
        metavar="DAYS",
        help="days of publication per block with --corpus sharded (default 7)",
    )
    s.add_argument(
        "--block-articles",
        type=int,
        metavar="N",
        help="with --corpus sharded, a block of more articles is cut into blocks of at most N by the names "
        "its articles share (default: the setting block_articles, see 'newsloom cluster-settings')",
    )
    _json_flag(s)

    s = _command(
        sub,
        "serve",
        "open the store in the browser (web pages and JSON API)",
        "Serve the store as web pages (storylines, events, entities, articles, outlets, search, coverage "
        "charts), each with a .json twin; /openapi.json describes them. Beyond this machine an access "
        "token is required.",
        [
            "newsloom serve",
            "newsloom serve --port 9000",
            "newsloom serve --host 0.0.0.0 --token a-long-secret-token",
        ],
        cmd_serve,
    )
    s.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default 127.0.0.1; others need --token)"
    )
    s.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    s.add_argument("--token", help="access token required on every request (header, cookie or ?token=)")
    s.add_argument(
        "--create", action="store_true", help="start with an empty database if --db does not exist"
    )

    s = _command(
        sub,
        "dates",
        "temporal expressions of a text (stdin), normalised",
        "Find the dates, times, durations and sets in a text read from stdin and give their TIMEX3 values, "
        "resolved against --dct.",
        ["echo 'They met last Friday.' | newsloom dates --dct 2021-05-05"],
        cmd_dates,
    )
    s.add_argument("--dct", metavar=DATE_HELP, help="reference (publication) date")
    _json_flag(s)

    _command(
        sub,
        "recluster",
        "rebuild entities, events and storylines from stored articles",
        "Rebuild entities, events and storylines from the stored articles (after a change of settings); "
        "the articles and their annotations are kept.",
        ["newsloom recluster", "newsloom --cluster-config mine.toml recluster"],
        cmd_recluster,
    )

    s = _command(
        sub,
        "cluster-settings",
        "every number of the clustering, its value and meaning",
        "Every number the clustering uses, with its value and meaning, and the pair model's weights; a "
        "TOML file passed with --cluster-config overrides them.",
        ["newsloom cluster-settings", "newsloom cluster-settings --json"],
        cmd_cluster_settings,
    )
    _json_flag(s)

    s = _command(
        sub,
        "pending",
        "feed entries that link to articles not yet fetched",
        "Feed entries whose item has no article text: their URLs, to ingest when you want them.",
        ["newsloom pending", "newsloom pending --json"],
        cmd_pending,
    )
    _json_flag(s)

    s = _command(
        sub,
        "failures",
        "inputs that could not be ingested, with the reason",
        "Every input that could not be ingested, when, at which stage and why.",
        ["newsloom failures", "newsloom failures --json"],
        cmd_failures,
    )
    _json_flag(s)
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


def _parse(argv: list[str] | None) -> argparse.Namespace:
    """Parse the command line; an unknown option is reported with its own command's usage."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        commands.choices[args.command].error(f"unrecognized arguments: {' '.join(extra)}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
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
