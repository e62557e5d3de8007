"""`newsloom serve`: the store in the browser. Server-rendered Jinja2 pages, each with a `.json` twin.

Safe by construction: templates autoescape and never mark data safe; the Content-Security-Policy allows
no script at all (the pages need none); outside links are shown only for http(s) URLs; serving beyond
loopback requires an access token, checked on every request (pages, JSON, uploads).

Every request opens its own read-only connection, so pages read while an upload's ingest writes (SQLite
WAL: one writer, many readers).
"""

from __future__ import annotations

import hmac
import re
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import Depends, FastAPI, File, Form, HTTPException, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from .. import __version__, views
from ..charts import coverage_chart
from ..contract import CONTRACT
from ..errors import NewsloomError, NotFoundError
from ..export import timeline_layout
from ..store import EventRepository, Store
from ..store.articles import ArticleRepository
from ..store.browse import Browse
from ..store.search import search
from ..wording import plural

__all__ = ["CSP", "HERE", "Jobs", "MAX_PAGE", "MAX_SIZE", "MAX_UPLOAD", "PAGE_SIZE", "create_app"]

HERE = Path(__file__).parent
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
PAGE_SIZE = 20
MAX_SIZE = 200  # rows a list page may be asked for
MAX_PAGE = 100_000  # a page number past this is refused (422), never a 500 from SQLite's integer range
MAX_UPLOAD = 50 * 1024 * 1024
_FILES = File(default=[])
_URLS = Form("")


def _safe_url(url: str | None) -> str | None:
    """An article's own URL, as a link only if it is http(s)."""
    if not url:
        return None
    return url if urlsplit(url).scheme in ("http", "https") else None


def _segments(text: str, spans: list[tuple[int, int, str, str]]) -> list[dict[str, Any]]:
    """Cut text into plain and marked pieces (non-overlapping spans, earliest first); the template
    escapes every piece."""
    out: list[dict[str, Any]] = []
    pos = 0
    for s, e, kind, title in sorted(spans):
        if s < pos or e <= s:
            continue
        if s > pos:
            out.append({"text": text[pos:s], "kind": None, "title": None})
        out.append({"text": text[s:e], "kind": kind, "title": title})
        pos = e
    if pos < len(text):
        out.append({"text": text[pos:], "kind": None, "title": None})
    return out


class Jobs:
    """Uploads being ingested in the background, one at a time (a single writer)."""

    def __init__(self, db: str) -> None:
        self.db = db
        self.jobs: dict[str, dict[str, Any]] = {}
        self.lock = threading.Lock()  # one ingest writes at a time

    def start(self, paths: list[str], workdir: str) -> str:
        jid = uuid.uuid4().hex[:12]
        self.jobs[jid] = {"id": jid, "state": "queued", "processed": 0, "inputs": len(paths), "summary": None}
        threading.Thread(target=self._run, args=(jid, paths, workdir), daemon=True).start()
        return jid

    def _run(self, jid: str, paths: list[str], workdir: str) -> None:
        from ..pipeline import ingest

        job = self.jobs[jid]
        try:
            with self.lock:
                job["state"] = "running"
                store = Store(self.db)
                try:

                    def progress(n: int) -> None:
                        job["processed"] += n

                    report = ingest(store, paths, progress=progress)  # loads the models when needed
                finally:
                    store.close()
            job.update(
                state="done",
                summary=report.summary(),
                added=report.added,
                duplicates=report.duplicates,
                already_stored=report.already_stored,
                failed=[
                    {"source": Path(o).name if o.startswith(workdir) else o, "reason": r}
                    for o, r in report.failed
                ],
            )
        except Exception as exc:  # noqa: BLE001 - shown to the user on the job page
            job.update(state="failed", summary=f"ingest failed: {exc}")
        finally:
            shutil.rmtree(workdir, ignore_errors=True)


def _host_of(value: str) -> str:
    """The host[:port] of a URL (an Origin or Referer header), lower-cased."""
    from urllib.parse import urlsplit

    return (urlsplit(value).netloc or "").lower()


def create_app(db: str | Path, token: str | None = None, allowed_hosts: set[str] | None = None) -> FastAPI:
    """The web app over one database. `allowed_hosts` (host or host:port, lower case) are the Host
    headers answered; None answers any (`serve` on a loopback address without a token passes its own
    addresses, so that a page from elsewhere that rebinds a name to 127.0.0.1 gets nothing)."""
    db = str(db)
    app = FastAPI(
        title="newsloom",
        version=__version__,
        description="Events, storylines and timelines from many outlets' news. Every HTML page has a "
        "`.json` twin with the same data; these twins are the API.",
        docs_url=None,
        redoc_url=None,
    )
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.autoescape = True
    templates.env.filters["plural"] = plural
    templates.env.filters["by_outlet"] = views.by_outlet
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    jobs = Jobs(db)

    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        host = request.headers.get("host", "").lower()
        if allowed_hosts is not None and host not in allowed_hosts:
            return Response(f"unexpected Host header {host!r}\n", status_code=400, media_type="text/plain")
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            # A form posted from another site's page is refused. Browsers say where a request comes from
            # in Sec-Fetch-Site and in Origin (or Referer); an opaque origin ("null") says nothing.
            site = request.headers.get("sec-fetch-site", "")
            origin = request.headers.get("origin") or request.headers.get("referer") or ""
            if site in ("cross-site", "same-site") or (
                origin not in ("", "null") and _host_of(origin) != host
            ):
                return Response("cross-site request refused\n", status_code=403, media_type="text/plain")
        set_cookie = False
        if token:
            given = (
                request.headers.get("authorization", "").removeprefix("Bearer ").strip()
                or request.cookies.get("newsloom_token", "")
                or request.query_params.get("token", "")
            )
            if not hmac.compare_digest(given.encode(), token.encode()):
                return Response("access token required\n", status_code=401, media_type="text/plain")
            set_cookie = request.query_params.get("token") == token
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"  # nothing to other sites
        response.headers["X-Frame-Options"] = "DENY"
        if set_cookie and token:
            response.set_cookie("newsloom_token", token, httponly=True, samesite="strict")
        return response

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> Response:
        if request.url.path.endswith(".json"):
            return JSONResponse({"error": str(exc)}, status_code=404)
        return templates.TemplateResponse(
            request, "error.html", {"message": str(exc), "heading": "Not found"}, status_code=404
        )

    @app.exception_handler(NewsloomError)
    async def bad(request: Request, exc: NewsloomError) -> Response:
        if request.url.path.endswith(".json"):
            return JSONResponse({"error": str(exc)}, status_code=400)
        return templates.TemplateResponse(
            request, "error.html", {"message": str(exc), "heading": "Cannot do that"}, status_code=400
        )

    def store() -> Store:
        return Store(db, readonly=True)

    def page(request: Request, name: str, data: dict[str, Any], as_json: bool) -> Response:
        if as_json:
            return JSONResponse(data)
        return templates.TemplateResponse(request, name, {"data": data, "token": token})

    def json_twin(request: Request) -> str:
        """The address of a page's `.json` twin: its query without the access token (never echoed)."""
        from urllib.parse import urlencode

        query = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "token"])
        return (request.url.path.rstrip("/") or "/index") + ".json" + (f"?{query}" if query else "")

    templates.env.globals["json_twin"] = json_twin

    def twin(
        path: str, template: str, data: Callable[[str], dict[str, Any]], summary: str, model: Any = None
    ) -> None:
        """Register a page and its `.json` twin, both built from the same data; `path` ends in `/{param}`.
        With a `model` (newsloom/contract.py) the twin is served through it and described by it."""
        param = path.rsplit("{", 1)[1].rstrip("}").split(":")[0]  # "{name:path}": a name may hold a "/"

        def as_json(key: str = PathParam(alias=param)) -> Any:
            return data(key) if model else JSONResponse(data(key))

        def as_html(request: Request, key: str = PathParam(alias=param)) -> Response:
            return page(request, template, data(key), False)

        # exclude_unset: a field the data leaves out (one kind of entry has it, another not) stays out
        app.get(
            path + ".json",
            summary=summary,
            name=template + ".json",
            response_model=model,
            response_model_exclude_unset=True,
        )(as_json)
        app.get(path, response_class=HTMLResponse, include_in_schema=False, name=template)(as_html)

    def list_twin(path: str, template: str, data: Callable[..., dict[str, Any]], summary: str) -> None:
        """Register a page with query parameters and its `.json` twin, served through its model of
        newsloom/contract.py; `data` declares the parameters."""

        def as_json(d: dict[str, Any] = Depends(data)) -> Any:  # noqa: B008 - FastAPI's form
            return d

        def as_html(request: Request, d: dict[str, Any] = Depends(data)) -> Response:  # noqa: B008
            return page(request, template, d, False)

        model = CONTRACT[path + ".json"]
        app.get(path + ".json", summary=summary, name=template + ".json", response_model=model)(as_json)
        app.get(path, response_class=HTMLResponse, include_in_schema=False, name=template)(as_html)

    def with_query(request: Request, **changes: Any) -> str:
        """This page's address with some query parameters changed (None removes one; the access token
        is never echoed); a change of anything but the page goes back to page 1."""
        from urllib.parse import urlencode

        params = {k: v for k, v in request.query_params.items() if k != "token"}
        if set(changes) - {"page"}:
            params.pop("page", None)
        for k, v in changes.items():
            if v is None or v == "":
                params.pop(k, None)
            else:
                params[k] = str(v)
        return request.url.path + ("?" + urlencode(params) if params else "")

    templates.env.globals["with_query"] = with_query
    templates.env.globals["coverage_chart"] = coverage_chart

    # --- home ---------------------------------------------------------------------------------------
    def home_data() -> dict[str, Any]:
        with store() as st:
            sls = views.storylines(st)
            counts = {k: st.count(k) for k in ("articles", "events", "entities", "storylines")}
        return {"counts": counts, "storylines": sls}

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request) -> Response:
        return page(request, "home.html", home_data(), False)

    @app.get(
        "/index.json", summary="Storylines with date spans and counts", response_model=CONTRACT["/index.json"]
    )
    def home_json() -> Any:
        return home_data()

    # --- storyline ----------------------------------------------------------------------------------
    def storyline_data(sid: str) -> dict[str, Any]:
        from ..timeline import timeline

        with store() as st:
            sid = st.find_id("storyline", sid)
            sl = views.storyline_json(st, EventRepository(st.db).storyline(sid))
            evs = views.events(st, sid)
            entries = timeline(st, storyline=sid)
            coverage = Browse(st).coverage(sl["article_ids"])
        for e in evs:
            e["sources"] = len(e["article_ids"])
            e.pop("records", None)
        outlets: dict[str, int] = {}
        for c in coverage:
            outlets[c["outlet"]] = outlets.get(c["outlet"], 0) + c["reports"]
        grouped = [
            {"outlet": o, "reports": n} for o, n in sorted(outlets.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        return {"storyline": sl, "events": evs, "timeline": entries, "coverage": coverage, "outlets": grouped}

    @app.get(
        "/storylines/{sid}.json",
        summary="A storyline: its events and its timeline",
        response_model=CONTRACT["/storylines/{sid}.json"],
        response_model_exclude_unset=True,
    )
    def storyline_json(sid: str) -> Any:
        return storyline_data(sid)

    @app.get("/storylines/{sid}", response_class=HTMLResponse, include_in_schema=False)
    def storyline(request: Request, sid: str) -> Response:
        data = storyline_data(sid)
        layout = timeline_layout(data["timeline"], width=960)
        for m in layout["marks"]:
            eid = m["entry"].get("event_id") or (m["entry"].get("mentioned_in") or [None])[0]
            m["href"] = f"/events/{eid}" if eid else None
        return templates.TemplateResponse(request, "storyline.html", {"data": data, "layout": layout})

    # --- event --------------------------------------------------------------------------------------
    def event_data(eid: str) -> dict[str, Any]:
        from ..compare import brief, compare

        with store() as st:
            eid = st.find_id("event", eid)
            ev = views.event_json(st, EventRepository(st.db).event(eid))
            b = brief(st, eid)
            c = compare(st, eid)
            order = Browse(st).event_outlets(eid)
            arts = []
            repo = ArticleRepository(st.db)
            rows = repo.by_ids(ev["article_ids"])
            evidence = repo.main_evidence(ev["article_ids"])
            for aid in ev["article_ids"]:
                a = rows[aid]
                spans = [(s, e, "evidence", kind) for s, e, kind in evidence[aid]]
                arts.append(
                    {
                        "id": a["id"],
                        "title": a["title"],
                        "outlet": a["outlet"],
                        "published": a["published_date"],
                        "published_inferred": bool(a["published_inferred"]),
                        "segments": _segments(a["text"], spans),
                    }
                )
        return {"event": ev, "brief": b, "compare": c, "outlets": order, "articles": arts}

    twin(
        "/events/{eid}",
        "event.html",
        event_data,
        "An event: record, briefing, cross-source comparison, its articles",
        CONTRACT["/events/{eid}.json"],
    )

    # --- entity -------------------------------------------------------------------------------------
    def entity_data(name: str) -> dict[str, Any]:
        with store() as st:
            data = views.entity_detail(st, name)
            data["coverage"] = Browse(st).coverage(data["article_ids"])
            return data

    twin(
        "/entities/{name:path}",
        "entity.html",
        entity_data,
        "An entity: aliases, roles, events in date order, co-occurring entities",
        CONTRACT["/entities/{name}.json"],
    )

    # --- article ------------------------------------------------------------------------------------
    def article_data(aid: str) -> dict[str, Any]:
        with store() as st:
            art = views.articles(st, [aid])[0]
            repo = ArticleRepository(st.db)
            spans = [
                (s, e, "ent-" + label.lower(), f"{label}: {name}")
                for s, e, label, name in repo.entity_spans(art["id"])
            ]
            spans += [(s, e, "date", f"{value} ({kind})") for s, e, value, kind in repo.time_spans(art["id"])]
            copies = [{"id": i, "outlet": o, "title": t} for i, o, t in repo.copies_of(art["id"])]
        art["segments"] = _segments(art["text"], spans)
        art["link"] = _safe_url(art["url"])
        art["copies"] = copies
        return art

    @app.get(
        "/articles/{aid}.json",
        summary="An article: clean text, metadata, removed boilerplate, copies",
        response_model=CONTRACT["/articles/{aid}.json"],
    )
    def article_json(aid: str) -> Any:
        data = article_data(aid)
        data.pop("segments")
        return data

    @app.get("/articles/{aid}", response_class=HTMLResponse, include_in_schema=False)
    def article(request: Request, aid: str) -> Response:
        return page(request, "article.html", article_data(aid), False)

    # --- search -------------------------------------------------------------------------------------
    def search_data(
        q: str = Query("", description="full-text query (every word must occur)"),
        date_from: str = Query("", alias="from", description="published on or after (YYYY-MM-DD)"),
        date_to: str = Query("", alias="to", description="published on or before (YYYY-MM-DD)"),
        outlet: str = Query("", description="an outlet's name, as the outlets page lists it"),
        entity: str = Query("", description="an entity's name or alias"),
        kind: str = Query("", alias="type", description="event kind, e.g. CONSULT"),
        sort: str = Query("", description="relevance (the default with words), published or -published"),
        page_no: int = Query(1, alias="page", ge=1, le=MAX_PAGE),
    ) -> dict[str, Any]:
        with store() as st:
            data = search(st, q, date_from, date_to, outlet, entity, kind, page_no, PAGE_SIZE, sort)
            data["outlets"] = Browse(st).outlet_names()
            data["types"] = EventRepository(st.db).kinds()
        return data

    list_twin(
        "/search",
        "search.html",
        search_data,
        "Full-text search over articles (20 a page, words found marked in the snippets), the events holding "
        "most matches and the entities named so; with filters, and the matches' coverage per day",
    )

    # --- lists --------------------------------------------------------------------------------------
    def events_list(
        sort: str = Query(
            "", description="date, reports, title or kind; a leading - reverses (default -date)"
        ),
        date_from: str = Query("", alias="from", description="events on or after (YYYY-MM-DD)"),
        date_to: str = Query("", alias="to", description="events on or before (YYYY-MM-DD)"),
        kind: str = Query("", description="event kind, e.g. ASSAULT"),
        place: str = Query("", description="a place name the event's place contains"),
        entity: str = Query("", description="an entity taking part (name or alias)"),
        outlet: str = Query("", description="an outlet that reported it"),
        storyline: str = Query("", description="a storyline id"),
        page_no: int = Query(1, alias="page", ge=1, le=MAX_PAGE),
        size: int = Query(PAGE_SIZE, ge=1, le=MAX_SIZE, description="rows a page"),
    ) -> dict[str, Any]:
        with store() as st:
            b = Browse(st, size)
            data = b.events(
                sort, date_from, date_to, kind, place, entity, outlet, storyline, page_no
            ).as_dict()
            data["choices"]["outlet"] = b.outlet_names()
        return data

    list_twin("/events", "events.html", events_list, "Events, sorted, filtered and paged")

    def entities_list(
        sort: str = Query(
            "", description="mentions, name, kind or events; a leading - reverses (default -mentions)"
        ),
        kind: str = Query("", description="PERSON, ORG, GPE, LOC, NORP, FAC or EVENT"),
        name: str = Query("", description="words the name or an alias contains"),
        page_no: int = Query(1, alias="page", ge=1, le=MAX_PAGE),
        size: int = Query(PAGE_SIZE, ge=1, le=MAX_SIZE, description="rows a page"),
    ) -> dict[str, Any]:
        with store() as st:
            return Browse(st, size).entities(sort, kind, name, page_no).as_dict()

    list_twin("/entities", "entities.html", entities_list, "Entities, sorted, filtered and paged")

    def articles_list(
        sort: str = Query(
            "", description="published, outlet, title or added; a leading - reverses (default -published)"
        ),
        date_from: str = Query("", alias="from", description="published on or after (YYYY-MM-DD)"),
        date_to: str = Query("", alias="to", description="published on or before (YYYY-MM-DD)"),
        outlet: str = Query("", description="an outlet's name"),
        kind: str = Query("", description="the kind of the article's event"),
        entity: str = Query("", description="an entity the article names"),
        event: str = Query("", description="an event id"),
        page_no: int = Query(1, alias="page", ge=1, le=MAX_PAGE),
        size: int = Query(PAGE_SIZE, ge=1, le=MAX_SIZE, description="rows a page"),
    ) -> dict[str, Any]:
        with store() as st:
            b = Browse(st, size)
            return b.articles(sort, date_from, date_to, outlet, kind, entity, event, page_no).as_dict()

    list_twin(
        "/articles",
        "articles.html",
        articles_list,
        "Articles (originals, not copies), sorted, filtered, paged",
    )

    def outlets_list(
        sort: str = Query(
            "",
            description="reports, events, name, first (share of shared events reported first) or lag; "
            "a leading - reverses (default -reports)",
        ),
        page_no: int = Query(1, alias="page", ge=1, le=MAX_PAGE),
        size: int = Query(PAGE_SIZE, ge=1, le=MAX_SIZE, description="rows a page"),
    ) -> dict[str, Any]:
        with store() as st:
            return Browse(st, size).outlets(sort, page_no).as_dict()

    list_twin(
        "/outlets", "outlets.html", outlets_list, "Outlets: reports, events, how often first, median lag"
    )

    def outlet_data(name: str) -> dict[str, Any]:
        with store() as st:
            return Browse(st).outlet(name)

    twin(
        "/outlets/{name:path}",
        "outlet.html",
        outlet_data,
        "An outlet: its coverage per day, how often it reported first, how late it followed, the events it "
        "reported and the storylines three or more other outlets covered that it did not",
        CONTRACT["/outlets/{name}.json"],
    )

    # --- upload and ingest jobs -----------------------------------------------------------------------
    @app.get("/upload", response_class=HTMLResponse, include_in_schema=False)
    def upload_form(request: Request) -> Response:
        return templates.TemplateResponse(request, "upload.html", {"jobs": list(jobs.jobs.values())[-10:]})

    @app.post("/upload", summary="Ingest uploaded files and/or URLs (one per line); redirects to the job")
    async def upload(request: Request, files: list[UploadFile] = _FILES, urls: str = _URLS) -> Response:
        workdir = tempfile.mkdtemp(prefix="newsloom-upload-")
        paths: list[str] = []
        size = 0
        for i, f in enumerate(files):
            if not f.filename:
                continue
            name = re.sub(r"[^\w.\-]", "_", Path(f.filename).name)[:100] or "upload"
            dest = Path(workdir) / f"{i:03d}_{name}"
            with dest.open("wb") as out:
                while chunk := await f.read(1 << 20):
                    size += len(chunk)
                    if size > MAX_UPLOAD:
                        shutil.rmtree(workdir, ignore_errors=True)
                        raise HTTPException(413, f"uploads are limited to {MAX_UPLOAD // 2**20} MB in all")
                    out.write(chunk)
            paths.append(str(dest))
        for line in urls.splitlines():
            line = line.strip()
            if not line:
                continue
            if urlsplit(line).scheme not in ("http", "https"):
                shutil.rmtree(workdir, ignore_errors=True)
                raise HTTPException(400, f"{line!r}: only http(s) URLs can be fetched")
            paths.append(line)
        if not paths:
            shutil.rmtree(workdir, ignore_errors=True)
            raise HTTPException(400, "nothing to ingest: choose files or give URLs")
        jid = jobs.start(paths, workdir)
        if "application/json" in request.headers.get("accept", ""):
            return JSONResponse({"job": jid, "status": f"/jobs/{jid}.json"}, status_code=202)
        return RedirectResponse(f"/jobs/{jid}", status_code=303)

    def job_data(jid: str) -> dict[str, Any]:
        if jid not in jobs.jobs:
            raise NotFoundError(f"no ingest job {jid!r}")
        return dict(jobs.jobs[jid])

    twin("/jobs/{jid}", "job.html", job_data, "Progress of an ingest job")

    app.state.jobs = jobs
    app.state.started = time.time()
    return app
