"""`newsloom serve`: the store in the browser. Server-rendered Jinja2 pages, each with a `.json` twin.

Safe by construction: templates autoescape and never mark data safe; the Content-Security-Policy allows
no script at all (the pages need none); outside links are shown only for http(s) URLs; serving beyond
loopback requires an access token, checked on every request (pages, JSON, uploads).

Every request opens its own read-only connection, so pages read while an upload's ingest writes (SQLite
WAL: one writer, many readers).
"""

from __future__ import annotations

import hmac
import math
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

from fastapi import FastAPI, File, Form, HTTPException, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from .. import __version__, views
from ..errors import NewsloomError, NotFoundError
from ..export import timeline_layout
from ..store import Store

HERE = Path(__file__).parent
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
PAGE_SIZE = 20
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
        from ..annotate import load_resources
        from ..pipeline import ingest

        job = self.jobs[jid]
        try:
            with self.lock:
                job["state"] = "running"
                res = load_resources()
                store = Store(self.db)
                try:

                    def progress(n: int) -> None:
                        job["processed"] += n

                    report = ingest(store, paths, res=res, progress=progress)
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
        return templates.TemplateResponse(request, "error.html", {"message": str(exc)}, status_code=404)

    @app.exception_handler(NewsloomError)
    async def bad(request: Request, exc: NewsloomError) -> Response:
        if request.url.path.endswith(".json"):
            return JSONResponse({"error": str(exc)}, status_code=400)
        return templates.TemplateResponse(request, "error.html", {"message": str(exc)}, status_code=400)

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

    def twin(path: str, template: str, data: Callable[[str], dict[str, Any]], summary: str) -> None:
        """Register a page and its `.json` twin, both built from the same data; `path` ends in `/{param}`."""
        param = path.rsplit("{", 1)[1].rstrip("}")

        def as_json(key: str = PathParam(alias=param)) -> Response:
            return JSONResponse(data(key))

        def as_html(request: Request, key: str = PathParam(alias=param)) -> Response:
            return page(request, template, data(key), False)

        app.get(path + ".json", summary=summary, name=template + ".json")(as_json)
        app.get(path, response_class=HTMLResponse, include_in_schema=False, name=template)(as_html)

    # --- home ---------------------------------------------------------------------------------------
    def home_data() -> dict[str, Any]:
        with store() as st:
            sls = views.storylines(st)
            counts = {k: st.count(k) for k in ("articles", "events", "entities", "storylines")}
        return {"counts": counts, "storylines": sls}

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request) -> Response:
        return page(request, "home.html", home_data(), False)

    @app.get("/index.json", summary="Storylines with date spans and counts")
    def home_json() -> Response:
        return JSONResponse(home_data())

    # --- storyline ----------------------------------------------------------------------------------
    def storyline_data(sid: str) -> dict[str, Any]:
        from ..timeline import timeline

        with store() as st:
            rows = st.query("SELECT * FROM storylines WHERE id = ?", (sid,))
            if not rows:
                raise NotFoundError(f"no storyline {sid!r}")
            sl = views.storyline_json(st, rows[0])
            evs = views.events(st, sid)
            entries = timeline(st, storyline=sid)
        for e in evs:
            e["sources"] = len(e["article_ids"])
            e.pop("records", None)
        return {"storyline": sl, "events": evs, "timeline": entries}

    @app.get("/storylines/{sid}.json", summary="A storyline: its events and its timeline")
    def storyline_json(sid: str) -> Response:
        return JSONResponse(storyline_data(sid))

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
            rows = st.query("SELECT * FROM events WHERE id = ?", (eid,))
            if not rows:
                raise NotFoundError(f"no event {eid!r}")
            ev = views.event_json(st, rows[0])
            b = brief(st, eid)
            c = compare(st, eid)
            arts = []
            for aid in ev["article_ids"]:
                a = st.query(
                    "SELECT id, title, outlet, published_date, text, url FROM articles WHERE id = ?", (aid,)
                )[0]
                spans = [
                    (r[0], r[1], "evidence", r[2])
                    for r in st.query(
                        "SELECT evidence_start, evidence_end, type FROM event_mentions WHERE article_id = ? AND is_main = 1",
                        (aid,),
                    )
                ]
                arts.append(
                    {
                        "id": a["id"],
                        "title": a["title"],
                        "outlet": a["outlet"],
                        "published": a["published_date"],
                        "segments": _segments(a["text"], spans),
                    }
                )
        return {"event": ev, "brief": b, "compare": c, "articles": arts}

    twin(
        "/events/{eid}",
        "event.html",
        event_data,
        "An event: record, briefing, cross-source comparison, its articles",
    )

    # --- entity -------------------------------------------------------------------------------------
    def entity_data(name: str) -> dict[str, Any]:
        with store() as st:
            return views.entity_detail(st, name)

    twin(
        "/entities/{name}",
        "entity.html",
        entity_data,
        "An entity: aliases, roles, events in date order, co-occurring entities",
    )

    # --- article ------------------------------------------------------------------------------------
    def article_data(aid: str) -> dict[str, Any]:
        with store() as st:
            art = views.articles(st, [aid])[0]
            spans = [
                (r[0], r[1], "ent-" + r[2].lower(), f"{r[2]}: {r[3] or r[4]}")
                for r in st.query(
                    """SELECT m.start, m.end, m.label, e.name, m.text FROM entity_mentions m
                       LEFT JOIN entities e ON e.id = m.entity_id WHERE m.article_id = ?""",
                    (art["id"],),
                )
            ]
            spans += [
                (r[0], r[1], "date", f"{r[2]} ({r[3]})")
                for r in st.query(
                    "SELECT start, end, value, type FROM time_mentions WHERE article_id = ?", (art["id"],)
                )
            ]
            copies = [
                {"id": r[0], "outlet": r[1], "title": r[2]}
                for r in st.query(
                    "SELECT id, outlet, title FROM articles WHERE duplicate_of = ? ORDER BY seq", (art["id"],)
                )
            ]
        art["segments"] = _segments(art["text"], spans)
        art["link"] = _safe_url(art["url"])
        art["copies"] = copies
        return art

    @app.get("/articles/{aid}.json", summary="An article: clean text, metadata, removed boilerplate, copies")
    def article_json(aid: str) -> Response:
        data = article_data(aid)
        data.pop("segments")
        return JSONResponse(data)

    @app.get("/articles/{aid}", response_class=HTMLResponse, include_in_schema=False)
    def article(request: Request, aid: str) -> Response:
        return page(request, "article.html", article_data(aid), False)

    # --- search -------------------------------------------------------------------------------------
    def search_data(
        q: str, date_from: str, date_to: str, outlet: str, entity: str, etype: str, page_no: int
    ) -> dict[str, Any]:
        from ..timeline import fts_query

        where, params = ["a.duplicate_of IS NULL"], []
        join = ""
        if q.strip():
            fq = fts_query(q)
            if not fq:
                raise NewsloomError(f"the query {q!r} has no words to search for")
            join = "JOIN articles_fts f ON f.rowid = a.seq"
            where.append("articles_fts MATCH ?")
            params.append(fq)
        for value, label in ((date_from, "from"), (date_to, "to")):
            if value and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise NewsloomError(f"{label} {value!r}: not a date; use YYYY-MM-DD")
        if date_from:
            where.append("a.published_date >= ?")
            params.append(date_from)
        if date_to:
            where.append("a.published_date <= ?")
            params.append(date_to)
        if outlet:
            where.append("a.outlet = ?")
            params.append(outlet)
        if etype:
            where.append("a.event_id IN (SELECT id FROM events WHERE type = ?)")
            params.append(etype)
        with store() as st:
            if entity:
                ids = views.find_entities(st, entity)
                if not ids:
                    raise NotFoundError(f"no entity named {entity!r}")
                where.append(
                    f"a.id IN (SELECT article_id FROM entity_mentions WHERE entity_id IN ({','.join('?' * len(ids))}))"
                )
                params.extend(ids)
            sql_where = " AND ".join(where)
            total = st.query(f"SELECT COUNT(*) FROM articles a {join} WHERE {sql_where}", params)[0][0]
            order = "ORDER BY rank" if join else "ORDER BY a.published_date DESC, a.seq"
            rows = st.query(
                f"""SELECT a.id, a.title, a.outlet, a.published_date, a.event_id, a.text FROM articles a {join}
                    WHERE {sql_where} {order} LIMIT ? OFFSET ?""",
                [*params, PAGE_SIZE, (page_no - 1) * PAGE_SIZE],
            )
            outlets = [
                r[0]
                for r in st.query("SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL ORDER BY 1")
            ]
            types = [r[0] for r in st.query("SELECT DISTINCT type FROM events ORDER BY 1")]
        words = [w.lower() for w in re.findall(r"\w+", q)]
        results = []
        for r in rows:
            text = r["text"]
            pos = min((i for w in words if (i := text.lower().find(w)) >= 0), default=0)
            start = max(0, pos - 80)
            results.append(
                {
                    "id": r["id"],
                    "title": r["title"],
                    "outlet": r["outlet"],
                    "published": r["published_date"],
                    "event_id": r["event_id"],
                    "snippet": ("\u2026" if start else "") + text[start : start + 240] + "\u2026",
                }
            )
        return {
            "query": {
                "q": q,
                "from": date_from,
                "to": date_to,
                "outlet": outlet,
                "entity": entity,
                "type": etype,
            },
            "total": total,
            "page": page_no,
            "pages": max(1, math.ceil(total / PAGE_SIZE)),
            "results": results,
            "outlets": outlets,
            "types": types,
        }

    search_params = {
        "q": Query("", description="full-text query (every word must occur)"),
        "date_from": Query("", alias="from", description="published on or after (YYYY-MM-DD)"),
        "date_to": Query("", alias="to", description="published on or before (YYYY-MM-DD)"),
        "outlet": Query(""),
        "entity": Query("", description="an entity's name or alias"),
        "etype": Query("", alias="type", description="event type, e.g. CONSULT"),
        "page_no": Query(1, alias="page", ge=1, le=MAX_PAGE),
    }

    @app.get("/search.json", summary="Full-text search with filters; 20 results a page")
    def search_json(
        q: str = search_params["q"],
        date_from: str = search_params["date_from"],
        date_to: str = search_params["date_to"],
        outlet: str = search_params["outlet"],
        entity: str = search_params["entity"],
        etype: str = search_params["etype"],
        page_no: int = search_params["page_no"],
    ) -> Response:
        return JSONResponse(search_data(q, date_from, date_to, outlet, entity, etype, page_no))

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search(
        request: Request,
        q: str = search_params["q"],
        date_from: str = search_params["date_from"],
        date_to: str = search_params["date_to"],
        outlet: str = search_params["outlet"],
        entity: str = search_params["entity"],
        etype: str = search_params["etype"],
        page_no: int = search_params["page_no"],
    ) -> Response:
        return page(
            request, "search.html", search_data(q, date_from, date_to, outlet, entity, etype, page_no), False
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
