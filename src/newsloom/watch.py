"""`newsloom watch`: follow feeds as the news comes. Each poll asks every feed whose turn it is for what
is new (a conditional request: ETag and Last-Modified, so an unchanged feed costs a 304), ingests its
entries, fetches each linked article once (across restarts: the items taken are stored), and reports
the events and storylines the poll created or changed, with the alerts they raise. A feed that fails
waits longer before its next poll (doubling, at most BACKOFF_MAX_S). Stops between feeds when asked.

The schedule uses the monotonic clock; nothing a rule decides reads the wall clock.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import netfetch
from .annotate import Resources
from .errors import NewsloomError
from .ingest import USER_AGENT, PendingURL, documents_of_response, read_sources
from .model import Document
from .pipeline import IngestReport, ingest_items
from .store import EventRepository, Store
from .store.entities import EntityRepository
from .store.feeds import WatchedFeeds
from .store.search import fts_query
from .wording import plural

log = logging.getLogger(__name__)

BACKOFF_MAX_S = 6 * 3600.0  # a failing feed is asked again at most this long after its last failure
FEED_TIMEOUT_S = 20.0
FEED_MAX_BYTES = 20 * 2**20


def sources_of(args: list[str]) -> list[str]:
    """Feed URLs from the command line: URLs as given, and files listing URLs one per line (# comments)."""
    out: list[str] = []
    for a in args:
        if a.startswith(("http://", "https://")):
            out.append(a)
            continue
        p = Path(a)
        if not p.is_file():
            raise NewsloomError(f"{a}: neither an http(s) URL nor a file listing feed URLs")
        for n, line in enumerate(p.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            if not line.startswith(("http://", "https://")):
                raise NewsloomError(f"{a}, line {n}: {line!r} is not an http(s) URL")
            out.append(line)
    if not out:
        raise NewsloomError("no feed to watch: give feed URLs or a file listing them")
    return list(dict.fromkeys(out))


@dataclass
class Feed:
    url: str
    due: float = 0.0  # monotonic time of its next poll
    failures: int = 0


@dataclass
class Poll:
    """What one poll did: per feed, the items taken and errors; the events and storylines it made."""

    number: int
    feeds: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    storylines: list[dict[str, Any]] = field(default_factory=list)
    alerts: list[dict[str, Any]] = field(default_factory=list)


class Watcher:
    """Polls feeds into one store. `fetch` (for tests) has netfetch.request's signature."""

    def __init__(
        self,
        store: Store,
        urls: list[str],
        every: float,
        res: Resources | None = None,
        allow_private: bool = False,
        alerts: list[str] | None = None,
        alert_url: str | None = None,
        as_of: str | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if every <= 0:
            raise NewsloomError(f"--every must be more than 0 seconds, not {every:g}")
        self.store = store
        self.every = every
        self.res = res
        self.allow_private = allow_private
        self.alerts = alerts or []
        self.alert_url = alert_url
        self.as_of = as_of
        self.clock = clock
        self.stop = threading.Event()
        self.polls = 0
        failures = WatchedFeeds(store.db).failures()
        self.feeds = [Feed(u, 0.0, failures.get(u, 0)) for u in urls]

    # --- one feed -----------------------------------------------------------------------------------
    def _state(self, url: str) -> tuple[str | None, str | None]:
        return WatchedFeeds(self.store.db).validators(url)

    def _remember(self, url: str, **cols: Any) -> None:
        with self.store.transaction() as db:
            WatchedFeeds(db).remember(url, **cols)

    def _taken(self, feed: str, item: str) -> bool:
        return WatchedFeeds(self.store.db).taken(feed, item)

    def _take(self, feed: str, item: str) -> None:
        with self.store.transaction() as db:
            WatchedFeeds(db).take(feed, item)

    def poll_feed(self, feed: Feed) -> dict[str, Any]:
        """Ask one feed for what is new and ingest it. Returns what happened, in words and numbers."""
        etag, modified = self._state(feed.url)
        headers = {"User-Agent": USER_AGENT, "Accept": "application/rss+xml, application/atom+xml, */*;q=0.5"}
        if etag:
            headers["If-None-Match"] = etag
        if modified:
            headers["If-Modified-Since"] = modified
        out: dict[str, Any] = {"feed": feed.url, "status": None, "new_items": 0, "failed": []}
        try:
            resp = netfetch.request(
                feed.url,
                headers=headers,
                timeout=FEED_TIMEOUT_S,
                total=3 * FEED_TIMEOUT_S,
                max_bytes=FEED_MAX_BYTES,
                allow_private=self.allow_private,
            )
        except netfetch.FetchError as exc:
            return self._failed(feed, out, str(exc))
        out["status"] = resp.status
        if resp.status == 304:
            return self._succeeded(feed, out)
        docs, links, problems = [], [], []
        for item in documents_of_response(
            resp.body, feed.url, resp.url, resp.headers.get("content-type", "")
        ):
            if isinstance(item, PendingURL):
                links.append(item)
            elif isinstance(item, Document):
                key = item.id  # the content: an entry or page that changes is taken again (copies are linked)
                if not self._taken(feed.url, key):
                    docs.append((key, item))
            else:
                problems.append(item)
        if problems and not docs and not links:
            return self._failed(feed, out, str(problems[0]))
        report = self._ingest(iter(d for _, d in docs))
        for key, _ in docs:
            self._take(feed.url, key)
        fetched = 0
        for link in links:
            if self.stop.is_set():
                break
            if self._taken(feed.url, link.url):
                continue
            fetched += 1
            r = self._ingest(
                read_sources([link.url], allow_private=self.allow_private, as_of=self.as_of), link
            )
            self._take(feed.url, link.url)  # taken even when it failed: a broken link is not asked again
            report.added += r.added
            report.duplicates += r.duplicates
            report.failed += r.failed
        out["new_items"] = len(docs) + fetched
        out["added"] = report.added
        out["failed"] = [{"source": o, "reason": r} for o, r in report.failed]
        self._remember(
            feed.url, etag=resp.headers.get("etag"), last_modified=resp.headers.get("last-modified")
        )
        return self._succeeded(feed, out)

    def _ingest(self, items: Iterator[Any], link: PendingURL | None = None) -> IngestReport:
        def with_entry_hints(it: Any) -> Any:
            if link is not None and isinstance(it, Document):  # the feed entry's title and date
                for k, v in (("title", link.title), ("published", link.published)):
                    if v and not it.hints.get(k):
                        it.hints[k] = v
            if self.as_of and isinstance(it, Document):
                it.fetched = self.as_of
            return it

        # the models load (once per process) when a document needs them
        return ingest_items(self.store, (with_entry_hints(i) for i in items), self.res)

    def _succeeded(self, feed: Feed, out: dict[str, Any]) -> dict[str, Any]:
        feed.failures = 0
        feed.due = self.clock() + self.every
        self._remember(feed.url, failures=0, last_error=None)
        return out

    def _failed(self, feed: Feed, out: dict[str, Any], reason: str) -> dict[str, Any]:
        feed.failures += 1
        wait = min(self.every * 2 ** min(feed.failures, 16), max(BACKOFF_MAX_S, self.every))
        feed.due = self.clock() + wait
        self._remember(feed.url, failures=feed.failures, last_error=reason)
        out.update(error=reason, retry_in_s=round(wait))
        return out

    # --- a poll -------------------------------------------------------------------------------------
    def _snapshot(self) -> tuple[dict[str, int], dict[str, int]]:
        repo = EventRepository(self.store.db)
        return repo.report_counts(), repo.storyline_sizes()

    def poll(self, force: bool = False) -> Poll:
        """Poll every feed that is due (all of them with `force`); report what changed."""
        self.polls += 1
        result = Poll(self.polls)
        before_ev, before_st = self._snapshot()
        now = self.clock()
        for feed in self.feeds:
            if self.stop.is_set():
                break
            if force or feed.due <= now:
                result.feeds.append(self.poll_feed(feed))
        after_ev, after_st = self._snapshot()
        changed = [e for e, n in after_ev.items() if before_ev.get(e) != n]
        repo = EventRepository(self.store.db)
        for row in repo.summaries(changed):
            card = json.loads(row["card"]) if row["card"] else {}
            result.events.append(
                {
                    "change": "new" if row["id"] not in before_ev else "updated",
                    "id": row["id"],
                    "title": card.get("title") or row["title"],
                    "kind": row["type"],
                    "date": row["date_start"],
                    "place": (card.get("place") or {}).get("name") or row["place"],
                    "reports": row["article_count"],
                    "storyline_id": row["storyline_id"],
                }
            )
        for sid, n in after_st.items():
            if before_st.get(sid) != n:
                result.storylines.append(
                    {"change": "new" if sid not in before_st else "updated", "id": sid,
                     "title": repo.storyline_title(sid) or "", "events": n}
                )  # fmt: skip
        result.alerts = self._alerts(result.events)
        return result

    # --- alerts -------------------------------------------------------------------------------------
    def _alerts(self, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        ids = [e["id"] for e in events]
        if not ids or not self.alerts:
            return out
        repo = EventRepository(self.store.db)
        for alert in self.alerts:
            hits = repo.naming(ids, EntityRepository(self.store.db).find(alert))
            q = fts_query(alert)
            if q:
                hits |= repo.matching(ids, q)
            for e in events:
                if e["id"] in hits:
                    alert_item = {"alert": alert, "event": e}
                    out.append(alert_item)
                    self._post(alert_item)
        return out

    def _post(self, item: dict[str, Any]) -> None:
        if not self.alert_url:
            return
        try:  # the operator's own endpoint, named on the command line: a private address is allowed
            netfetch.request(
                self.alert_url,
                data=json.dumps(item, ensure_ascii=False).encode("utf-8"),
                headers={"Content-Type": "application/json", "User-Agent": USER_AGENT},
                timeout=10.0,
                total=20.0,
                allow_private=True,
            )
        except netfetch.FetchError as exc:
            item["posted"] = f"not posted: {exc}"
            log.warning("alert for %s not posted to %s: %s", item["event"]["id"], self.alert_url, exc)
        else:
            item["posted"] = "posted"

    # --- the loop -----------------------------------------------------------------------------------
    def run(self, once: bool, report: Callable[[Poll], None]) -> None:
        """Poll until stopped (or once); `report` is called after every poll."""
        while not self.stop.is_set():
            report(self.poll(force=once))
            if once:
                return
            wait = max(0.0, min(f.due for f in self.feeds) - self.clock())
            self.stop.wait(wait)


def describe(poll: Poll) -> list[str]:
    """A poll in lines of text for the terminal."""
    lines = []
    for f in poll.feeds:
        if f.get("error"):
            lines.append(f"{f['feed']}: {f['error']} (trying again in {f['retry_in_s']} s)")
        elif f["status"] == 304:
            lines.append(f"{f['feed']}: unchanged")
        else:
            lines.append(f"{f['feed']}: {plural(f['new_items'], 'new item')}")
        for x in f.get("failed", []):
            lines.append(f"  failed: {x['source']}: {x['reason']}")
    for e in poll.events:
        lines.append(
            f"{e['change']} event {e['id']}  {e['date'] or 'date unknown'}  {e['kind']}  {e['place'] or '-'}  "
            f"{e['title']}  ({plural(e['reports'], 'report')})"
        )
    for s in poll.storylines:
        lines.append(f"{s['change']} storyline {s['id']}  {s['title']}  ({plural(s['events'], 'event')})")
    for a in poll.alerts:
        lines.append(
            f"ALERT {a['alert']!r}: event {a['event']['id']} {a['event']['title']}"
            + (f" ({a['posted']})" if "posted" in a else "")
        )
    return lines


__all__ = ["Watcher", "Poll", "sources_of", "describe"]
