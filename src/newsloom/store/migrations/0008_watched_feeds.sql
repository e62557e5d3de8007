-- `newsloom watch`: what each followed feed last answered (for conditional requests) and the items
-- already taken from it (each fetched once, across restarts).
CREATE TABLE watched_feeds (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    failures INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
);
CREATE TABLE watched_items (
    feed TEXT NOT NULL,
    item TEXT NOT NULL,
    PRIMARY KEY (feed, item)
) WITHOUT ROWID;
