"""The web interface: JSON twins and security headers through the ASGI client, and the pages in a real
browser (Playwright driving Debian's Chromium at /usr/bin/chromium; .ci/run installs it).

Screenshots of every page go to build/screenshots/ (or $NEWSLOOM_SCREENSHOTS)."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from pathlib import Path

import pytest

from conftest import DEMO, ROOT, run_cli

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(os.environ.get("NEWSLOOM_SCREENSHOTS", ROOT / "build" / "screenshots"))
HOSTILE = {
    "id": "hostile-1",
    "title": "<script>window.__pwned = 1</script> Mayor <b>opens</b> bridge",
    "outlet": "Harbour <i>Gazette</i>",
    "published": "2024-06-03",
    "url": "javascript:window.__pwned = 3",
    "text": (
        "ORTEN - The mayor of Orten opened the new harbour bridge on Monday, June 3, 2024, "
        '<img src=x onerror="window.__pwned = 2"> in front of about 2,000 residents.\n\n'
        'Officials said the bridge cost 40 million euros. <a href="javascript:window.__pwned = 4">Read more</a>'
    ),
}


@pytest.fixture(scope="module")
def web_db(tmp_path_factory):
    d = tmp_path_factory.mktemp("web")
    db = d / "web.db"
    run_cli("ingest", str(DEMO), db=db)
    hostile = d / "hostile.jsonl"
    hostile.write_text(json.dumps(HOSTILE) + "\n")
    run_cli("ingest", str(hostile), db=db)
    return db


@pytest.fixture(scope="module")
def client(web_db):
    from fastapi.testclient import TestClient

    from newsloom.web.app import create_app

    return TestClient(create_app(web_db))


def test_every_page_has_a_json_twin_and_a_strict_policy(client):
    home = client.get("/index.json").json()
    sid = home["storylines"][0]["id"]
    story = client.get(f"/storylines/{sid}.json").json()
    eid = story["events"][0]["id"]
    event = client.get(f"/events/{eid}.json").json()
    aid = event["event"]["article_ids"][0]
    person = event["event"]["participants"][0]
    for path in [
        "/",
        f"/storylines/{sid}",
        f"/events/{eid}",
        f"/articles/{aid}",
        f"/entities/{person}",
        "/search?q=flood",
        "/upload",
    ]:
        r = client.get(path)
        assert r.status_code == 200, path
        csp = r.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src" not in csp
        assert "<script" not in r.text.replace("&lt;script", "")
    assert client.get(f"/articles/{aid}.json").json()["id"] == aid
    assert client.get(f"/entities/{person}.json").json()["name"] == person
    assert client.get("/search.json", params={"q": "flood", "outlet": "Balkan Wire"}).json()["total"] >= 1
    spec = client.get("/openapi.json").json()
    assert {"/index.json", "/events/{eid}.json", "/search.json", "/upload"} <= set(spec["paths"])
    missing = client.get("/events/ev_nothing.json")
    assert missing.status_code == 404 and "no event" in missing.json()["error"]
    assert client.get("/search.json", params={"from": "yesterday"}).status_code == 400


def test_hostile_article_is_shown_as_text(client):
    hits = client.get("/search.json", params={"q": "harbour bridge"}).json()["results"]
    aid = next(h["id"] for h in hits if "Mayor" in h["title"])
    page = client.get(f"/articles/{aid}").text
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in page
    assert "<img src=x" not in page and 'href="javascript:' not in page


def test_token_is_checked_on_every_request(web_db):
    from fastapi.testclient import TestClient

    from newsloom.web.app import create_app

    c = TestClient(create_app(web_db, token="s3cret-token-123"))
    assert c.get("/").status_code == 401 and c.get("/index.json").status_code == 401
    assert c.post("/upload", data={"urls": "https://example.org/x"}).status_code == 401
    assert c.get("/index.json", headers={"Authorization": "Bearer s3cret-token-123"}).status_code == 200
    assert c.get("/?token=wrong").status_code == 401
    r = c.get("/?token=s3cret-token-123")
    assert r.status_code == 200 and c.get("/index.json").status_code == 200  # the cookie was set


def test_serving_beyond_loopback_needs_a_token(tmp_path):
    r = run_cli("serve", "--host", "0.0.0.0", db=tmp_path / "x.db", check=False)
    assert r.returncode == 2 and "--token" in r.stderr


# --- in the browser -----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(web_db):
    import uvicorn

    from newsloom.web.app import create_app

    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(web_db), host="127.0.0.1", port=port, log_level="warning"))
    t = threading.Thread(target=srv.run, daemon=True)
    t.start()
    for _ in range(100):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    t.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("NEWSLOOM_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = ctx.new_page()
    pg.dialogs = []  # type: ignore[attr-defined]
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))  # type: ignore[attr-defined]
    yield pg
    ctx.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_click_from_storyline_to_event_to_article(server, page):
    page.goto(server + "/")
    assert page.locator("a.story").count() >= 2
    shot(page, "home")
    page.locator("a.story", has_text="Danube").first.click()
    page.wait_for_url("**/storylines/*")
    assert page.locator("figure.timeline svg circle").count() >= 3
    shot(page, "storyline")
    page.locator("figure.timeline a.event-link").first.click()  # the timeline is clickable
    page.wait_for_url("**/events/*")
    assert page.locator("section.brief li").count() >= 1
    assert page.locator("table.matrix tbody tr").count() >= 3
    assert page.locator("article.report mark.evidence").count() >= 1
    shot(page, "event")
    page.locator("article.report h3 a").first.click()
    page.wait_for_url("**/articles/*")
    assert page.locator(".article-text mark").count() >= 3
    assert page.locator("details.boilerplate").count() == 1
    shot(page, "article")
    page.locator(".article-text mark.ent-person").first.wait_for()
    page.goto(server + "/entities/Yelena%20Markovic")
    assert page.locator("table.events tr").count() >= 2
    shot(page, "entity")


def test_search_filter_and_paginate(server, page):
    page.goto(server + "/")
    page.fill("header input[name=q]", "Danube")
    page.press("header input[name=q]", "Enter")
    page.wait_for_url("**/search?*")
    total = int(page.locator("p.meta").first.inner_text().split()[0])
    assert total >= 3
    page.select_option("select[name=outlet]", "Balkan Wire")
    page.click("form.filters button")
    page.wait_for_load_state()
    filtered = int(page.locator("p.meta").first.inner_text().split()[0])
    assert 1 <= filtered < total
    assert all("Balkan Wire" in t for t in page.locator("ol.results .meta").all_inner_texts())
    shot(page, "search")


def test_upload_a_file_and_watch_the_ingest(server, page, tmp_path):
    f = tmp_path / "upload.txt"
    f.write_text(
        "Ferry service resumes on the Danube after floods\n\nRUSE, May 14, 2024 - Ferry service between Ruse and "
        "Giurgiu resumed on Tuesday after the spring floods, the port authority said.\n\nAbout 40 trucks crossed "
        "on the first day, officials said.\n"
    )
    page.goto(server + "/upload")
    shot(page, "upload")
    page.set_input_files("input[type=file]", str(f))
    page.click("form.upload button")
    page.wait_for_url("**/jobs/*")
    page.wait_for_selector("p.state-done", timeout=120_000)
    assert "1 article added" in page.locator("pre.summary").inner_text()
    shot(page, "job")
    page.goto(server + "/search?q=Giurgiu")
    assert page.locator("ol.results li").count() == 1


def test_hostile_content_does_not_execute_in_the_browser(server, page):
    page.goto(server + "/search?q=harbour+bridge")
    page.locator("a.result", has_text="Mayor").click()
    page.wait_for_url("**/articles/*")
    shot(page, "hostile-article")
    assert page.evaluate("typeof window.__pwned") == "undefined" and page.dialogs == []  # type: ignore[attr-defined]
    assert "<script>window.__pwned = 1</script> Mayor <b>opens</b> bridge" in page.locator("h1").inner_text()
    body = page.locator(".article-text").inner_text()
    assert '<img src=x onerror="window.__pwned = 2">' in body and 'href="javascript:' in body
    assert (
        page.locator("a[href^='javascript:']").count() == 0 and page.locator(".article-text img").count() == 0
    )
    for link in page.locator("a").all()[:40]:  # clicking what links there are runs nothing either
        href = link.get_attribute("href") or ""
        assert not href.lower().startswith("javascript:")
    page.goto(server + "/search?q=Mayor")
    assert "<script>" in page.locator("a.result").first.inner_text()
    assert page.evaluate("typeof window.__pwned") == "undefined"


def test_a_foreign_host_header_is_refused_when_hosts_are_fixed(web_db):
    from fastapi.testclient import TestClient

    from newsloom.web.app import create_app

    c = TestClient(create_app(web_db, allowed_hosts={"127.0.0.1:8765"}), base_url="http://127.0.0.1:8765")
    assert c.get("/index.json").status_code == 200
    rebound = c.get("/index.json", headers={"host": "attacker.example:8765"})
    assert rebound.status_code == 400 and "Host" in rebound.text


def test_a_cross_site_post_is_refused(client):
    r = client.post("/upload", data={"urls": ""}, headers={"origin": "https://elsewhere.example"})
    assert r.status_code == 403
    r = client.post("/upload", data={"urls": ""}, headers={"referer": "https://elsewhere.example/page"})
    assert r.status_code == 403
    r = client.post("/upload", data={"urls": ""}, headers={"origin": "null", "sec-fetch-site": "cross-site"})
    assert r.status_code == 403


def test_an_absurd_page_number_is_a_client_error(client):
    r = client.get("/search.json", params={"q": "flood", "page": "9223372036854775807"})
    assert r.status_code == 422


def test_the_token_is_never_echoed_into_a_page(web_db):
    from fastapi.testclient import TestClient

    from newsloom.web.app import create_app

    c = TestClient(create_app(web_db, token="s3cret-token-123"))
    html = c.get("/search", params={"token": "s3cret-token-123", "q": "flood"}).text
    assert "s3cret-token-123" not in html
    assert "search.json?q=flood" in html


def test_serve_refuses_a_missing_database(tmp_path):
    proc = run_cli("serve", "--port", "1", db=tmp_path / "typo.db", check=False)
    assert proc.returncode == 2 and "no such database" in proc.stderr
    assert not (tmp_path / "typo.db").exists()


def test_a_bad_upload_fails_alone_and_the_next_upload_runs(tmp_path):
    import gzip
    import time

    from fastapi.testclient import TestClient

    from newsloom.store import Store
    from newsloom.web.app import create_app

    db = tmp_path / "up.db"
    Store(db).close()
    c = TestClient(create_app(db))
    bomb = gzip.compress(b'{"text": "' + b"a" * (40 * 2**20) + b'"}\n')  # a 40 MB line in about 40 KB
    good = (
        b"Quay reopens\n\nThe harbour authority of Port Alder reopened the northern quay on Monday after a storm "
        b"surge in March damaged its cranes. Crews worked for six weeks, the authority said on Tuesday.\n"
    )
    jobs = []
    for name, data in [("bomb.jsonl.gz", bomb), ("good.txt", good)]:
        r = c.post("/upload", files={"files": (name, data)}, headers={"accept": "application/json"})
        assert r.status_code == 202
        jobs.append(r.json()["status"])
    deadline = time.monotonic() + 180
    states = []
    while time.monotonic() < deadline:
        states = [c.get(j).json() for j in jobs]
        if all(s["state"] in ("done", "failed") for s in states):
            break
        time.sleep(0.5)
    assert [s["state"] for s in states] == ["done", "done"], states
    assert states[0]["added"] == 0 and "over the 20 MB limit" in states[0]["failed"][0]["reason"]
    assert states[1]["added"] == 1


def test_serve_answers_only_this_machines_names(web_db):
    import http.client
    import subprocess
    import sys

    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsloom", "--db", str(web_db), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:

        def status(host: str) -> int:
            con = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            con.request("GET", "/index.json", headers={"Host": host})
            return con.getresponse().status

        for _ in range(200):
            try:
                first = status(f"127.0.0.1:{port}")
                break
            except OSError:
                time.sleep(0.1)
        assert first == 200
        assert status(f"localhost:{port}") == 200
        assert status(f"rebound.example:{port}") == 400  # a DNS-rebinding page's requests
    finally:
        proc.terminate()
        proc.wait(timeout=10)


# --- lists, outlets, coverage ----------------------------------------------------------------------


def _same(served, raw, path=""):
    """Where the JSON served through a contract model differs from the read model's own (a field the
    model does not declare is dropped; a declared one the data leaves out is added)."""
    if isinstance(served, dict) and isinstance(raw, dict):
        out = [
            f"{path}.{k}: {'not served' if k in raw else 'not in the data'}" for k in set(raw) ^ set(served)
        ]
        return out + [d for k in set(raw) & set(served) for d in _same(served[k], raw[k], f"{path}.{k}")]
    if isinstance(served, list) and isinstance(raw, list) and len(served) == len(raw):
        return [d for x, y in zip(served, raw, strict=True) for d in _same(x, y, path + "[]")]
    return [] if served == raw else [f"{path}: {served!r} != {raw!r}"]


def test_detail_pages_serve_their_read_models_through_the_contract(client, web_db):
    """The event, storyline and entity twins go through their pydantic models (listed in /openapi.json)
    and give exactly what the read models give: every field declared, none added."""
    from newsloom import compare, timeline, views
    from newsloom.store import EventRepository, Store

    spec = client.get("/openapi.json").json()
    for path in ("/events/{eid}.json", "/storylines/{sid}.json", "/entities/{name}.json"):
        assert "$ref" in json.dumps(spec["paths"][path]["get"]["responses"]["200"]), path
    st = Store(web_db, readonly=True)
    raw = lambda x: json.loads(json.dumps(x))  # noqa: E731
    diffs = []
    for ev in views.events(st):
        d = client.get(f"/events/{ev['id']}.json").json()
        diffs += _same(d["event"], raw(views.event_json(st, EventRepository(st.db).event(ev["id"]))), "event")
        diffs += _same(d["brief"], raw(compare.brief(st, ev["id"])), "brief")
        diffs += _same(d["compare"], raw(compare.compare(st, ev["id"])), "compare")
    for sl in views.storylines(st):
        d = client.get(f"/storylines/{sl['id']}.json").json()
        diffs += _same(d["timeline"], raw(timeline.timeline(st, storyline=sl["id"])), "timeline")
        diffs += _same(d["storyline"], raw(sl), "storyline")
    for ent in views.entities(st)[:10]:
        d = client.get(f"/entities/{ent['name']}.json").json()
        d.pop("coverage")
        diffs += _same(d, raw(views.entity_detail(st, ent["name"])), "entity")
    st.close()
    assert not diffs, "\n".join(diffs[:20])


def test_the_command_line_prints_the_read_models_through_the_contract(web_db):
    """Every `--json` command prints its read model through its model of newsloom/contract.py: every
    field of the read model declared (none dropped), the same serialisation as the pages."""
    from newsloom import compare, datewise, timeline, views
    from newsloom.contract import COMMANDS
    from newsloom.store import Store
    from newsloom.store.browse import Browse
    from newsloom.store.search import search

    st = Store(web_db, readonly=True)
    raw = lambda x: json.loads(json.dumps(x))  # noqa: E731
    ev = views.events(st)[0]
    sl = views.storylines(st)[0]
    ent = views.entities(st)[0]
    browse = Browse(st, size=10**9)
    outlet = browse.outlets().items[0]
    found = search(st, "bridge", size=3)
    found.pop("coverage")  # the chart's data: the page shows it, the command line does not
    expected = {
        ("events",): views.events(st),
        ("storylines",): views.storylines(st),
        ("entities",): views.entities(st),
        ("articles",): views.articles(st),
        ("entity", ent["name"]): views.entity_detail(st, ent["name"]),
        ("outlets",): browse.outlets().items,
        ("outlets", outlet["outlet"]): browse.outlet(outlet["outlet"]),
        ("search", "bridge", "--limit", "3"): found,
        ("timeline", "--storyline", sl["id"]): timeline.timeline(st, storyline=sl["id"]),
        ("timeline", "--by-date"): datewise.summarise(st, max_dates=10, per_date=1),
        ("brief", ev["id"]): compare.brief(st, ev["id"]),
        ("brief", sl["id"]): compare.brief(st, sl["id"]),
        ("compare", ev["id"]): compare.compare(st, ev["id"]),
    }
    st.close()
    assert {c[0] for c in expected} == {c.split()[0] for c in COMMANDS}
    diffs = []
    for cmd, data in expected.items():
        printed = json.loads(run_cli(*cmd, "--json", db=web_db).stdout)
        diffs += _same(printed, raw(data), " ".join(cmd))
    assert not diffs, "\n".join(diffs[:20])


def test_list_pages_have_json_twins_in_the_contract(client):
    spec = client.get("/openapi.json").json()
    assert {
        "/events.json",
        "/entities.json",
        "/articles.json",
        "/outlets.json",
        "/outlets/{name}.json",
    } <= set(spec["paths"])
    params = {p["name"] for p in spec["paths"]["/events.json"]["get"]["parameters"]}
    assert {"sort", "from", "to", "kind", "place", "entity", "outlet", "page", "size"} <= params
    events = client.get("/events.json", params={"sort": "-reports", "size": 2}).json()
    assert events["size"] == 2 and len(events["items"]) == 2 and events["pages"] >= 2
    assert client.get("/events.json", params={"sort": "volume"}).status_code == 400
    assert client.get("/events", params={"sort": "volume"}).status_code == 400
    outlets = client.get("/outlets.json").json()["items"]
    name = outlets[0]["outlet"]
    one = client.get(f"/outlets/{name}.json").json()
    assert one["reports"] == outlets[0]["reports"] and sum(c["reports"] for c in one["coverage"]) >= 1
    assert client.get("/outlets/Nobody%20Weekly.json").status_code == 404
    found = client.get("/search.json", params={"q": "Danube flood"}).json()
    hit = found["results"][0]
    assert any(p["hit"] for p in hit["snippet"]) and found["events"]
    text = "".join(p["text"] for p in hit["snippet"])
    assert not text.startswith(("n ", "e ")) and "\x02" not in text  # cut at a word, marks removed
    oldest = client.get("/search.json", params={"q": "Danube", "sort": "published"}).json()["results"]
    days = [r["published"] for r in oldest if r["published"]]
    assert days == sorted(days) and len(days) >= 3
    assert client.get("/search.json", params={"sort": "relevance"}).status_code == 400  # no words to rank by


def test_the_token_is_not_carried_into_sort_and_page_links(web_db):
    from fastapi.testclient import TestClient

    from newsloom.web.app import create_app

    c = TestClient(create_app(web_db, token="s3cret-token-123"))
    page = c.get("/events?size=2&token=s3cret-token-123").text
    assert "s3cret" not in page and "size=2" in page


def _keyboard_targets(page, url: str, presses: int = 80) -> list[str]:
    """What Tab reaches on a freshly opened page, in order: each focused element's href (or its name)."""
    seen = []
    page.goto(url)
    for _ in range(presses):
        page.keyboard.press("Tab")
        seen.append(
            page.evaluate("document.activeElement.getAttribute('href') || document.activeElement.name || ''")
        )
    return seen


def test_events_list_sorts_filters_and_pages_by_mouse_and_keyboard(server, page):
    page.goto(server + "/events?size=2")
    assert page.locator("table.events tbody tr").count() == 2
    shot(page, "events")
    page.locator("a.sort", has_text="Reports").click()
    page.wait_for_url("**sort=-reports**")
    counts = [int(t) for t in page.locator("table.events td.num").all_inner_texts()]
    assert counts == sorted(counts, reverse=True)
    page.locator("a[rel=next]").click()
    page.wait_for_url("**page=2**")
    assert "page 2 of" in page.locator("p.meta").first.inner_text()
    page.select_option("select[name=outlet]", "Vienna Daily Bulletin")
    page.click("form.filters button")
    page.wait_for_url("**outlet=Vienna**")
    assert "2 events" in page.locator("p.meta").first.inner_text()
    assert all("Vienna Daily Bulletin" in t for t in page.locator("td.sources").all_inner_texts())
    # every control is reached with the keyboard alone, and the next page opens with Enter
    reached = _keyboard_targets(page, server + "/events?size=2")
    for target in ["/events", "/entities", "/articles", "/outlets", "kind", "outlet"]:
        assert any(target == r or r.startswith(target) for r in reached), target
    assert any("sort=" in r for r in reached) and any(r.startswith("/events/ev_") for r in reached)
    nxt = next(i for i, r in enumerate(reached) if "page=2" in r)
    page.goto(server + "/events?size=2")
    for _ in range(nxt + 1):
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**page=2**")


@pytest.mark.parametrize(
    "path,row",
    [
        ("/entities?size=3", "/entities/"),
        ("/articles?size=3", "/articles/"),
        ("/outlets?size=2", "/outlets/"),
    ],
)
def test_every_list_page_is_usable_by_keyboard(server, page, path, row):
    reached = _keyboard_targets(page, server + path)
    assert reached[0] == "#main"  # the first Tab offers to skip the header
    assert {"/events", "/entities", "/articles", "/outlets"} <= set(reached)
    assert any("sort=" in r for r in reached) and any(r.startswith(row) for r in reached)
    assert any("page=2" in r for r in reached)  # the next page
    page.keyboard.press("Shift+Tab")  # and back
    assert page.evaluate("document.activeElement !== document.body")


def test_entities_articles_and_outlets_pages(server, page):
    page.goto(server + "/entities")
    assert page.locator("table.entities tbody tr").count() >= 5
    page.select_option("select[name=kind]", "PERSON")
    page.click("form.filters button")
    page.wait_for_url("**kind=PERSON**")
    assert set(page.locator("table.entities td span.type").all_inner_texts()) == {"PERSON"}
    shot(page, "entities")
    page.goto(server + "/articles?sort=published")
    dates = page.locator("table.articles td.date").all_inner_texts()
    assert dates == sorted(dates) and len(dates) >= 5
    shot(page, "articles")
    page.goto(server + "/outlets")
    assert page.locator("table.outlets tbody tr").count() >= 3
    shot(page, "outlets")
    page.locator("table.outlets a", has_text="Balkan Wire").click()
    page.wait_for_url("**/outlets/Balkan*")
    assert page.locator("figure.coverage svg rect").count() >= 3
    assert page.locator("figure.coverage ul.legend li").count() >= 1
    assert "Coverage" in page.locator("figure.coverage figcaption").inner_text()
    shot(page, "outlet")


def test_storyline_and_event_show_coverage_and_reporting_order(server, page):
    page.goto(server + "/")
    page.locator("a.story", has_text="Danube").first.click()
    page.wait_for_url("**/storylines/*")
    chart = page.locator("figure.coverage svg")
    assert chart.count() == 1 and "coverage" in (chart.get_attribute("aria-label") or "")
    assert page.locator("figure.coverage svg rect").count() >= 4
    legend = page.locator("figure.coverage ul.legend li").all_inner_texts()
    assert any("Balkan Wire" in t for t in legend)
    # no timeline label runs past the drawing
    width = float(page.locator("figure.timeline svg").get_attribute("width") or 0)
    for box in page.locator("figure.timeline svg text").evaluate_all(
        "els => els.map(e => { const b = e.getBBox(); return [b.x, b.x + b.width]; })"
    ):
        assert box[0] >= 0 and box[1] <= width + 1
    shot(page, "storyline-coverage")
    page.locator("table.events a").first.click()
    page.wait_for_url("**/events/*")
    order = page.locator("ol.outlet-order li").all_inner_texts()
    assert order and "first" in order[0]
    assert page.locator("p.legend").count() == 1
    shot(page, "event-order")


def test_search_marks_the_words_found(server, page):
    page.goto(server + "/search?q=Calafat")
    assert page.locator("ol.results mark.hit").count() >= 1
    assert all(t.lower() == "calafat" for t in page.locator("ol.results mark.hit").all_inner_texts())
    assert page.locator("ul.found-events li").count() >= 1
    shot(page, "search-marked")


def test_a_name_with_a_slash_has_its_page(tmp_path, resources):
    from fastapi.testclient import TestClient

    from newsloom.pipeline import ingest
    from newsloom.store import Store
    from newsloom.web.app import create_app

    rec = {
        "id": "s1",
        "outlet": "NBC/Universal News",
        "title": "Mayor of Orten opens the harbour bridge",
        "published": "2024-06-03",
        "text": "ORTEN - The mayor of Orten, Lena Brandt, opened the new harbour bridge on Monday, June 3, 2024, "
        "in front of about 2,000 residents.\n\nOfficials said the bridge cost 40 million euros.",
    }
    (tmp_path / "a.jsonl").write_text(json.dumps(rec) + "\n")
    with Store(tmp_path / "s.db") as store:
        ingest(store, [str(tmp_path / "a.jsonl")], res=resources)
    c = TestClient(create_app(tmp_path / "s.db"))
    assert 'href="/outlets/NBC/Universal%20News"' in c.get("/outlets").text
    assert c.get("/outlets/NBC/Universal%20News").status_code == 200
    assert c.get("/outlets/NBC/Universal%20News.json").json()["outlet"] == "NBC/Universal News"
