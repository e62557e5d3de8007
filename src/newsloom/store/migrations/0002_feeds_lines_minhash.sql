-- Feed entries that only link to their article, waiting to be fetched.
CREATE TABLE pending_urls (
    url TEXT PRIMARY KEY,
    title TEXT NOT NULL DEFAULT '',
    origin TEXT NOT NULL,
    published TEXT,
    added TEXT NOT NULL
);

-- How many documents of a scope (an outlet, or the folder a file came from) carry a short line:
-- lines repeated across many articles of one site are its furniture.
CREATE TABLE line_stats (
    scope TEXT NOT NULL,
    line_hash TEXT NOT NULL,
    docs INTEGER NOT NULL,
    PRIMARY KEY (scope, line_hash)
) WITHOUT ROWID;

-- MinHash signatures of article bodies and their LSH bands, for near-duplicate detection.
CREATE TABLE article_minhash (
    article_id TEXT PRIMARY KEY,
    signature BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE minhash_bands (
    band INTEGER NOT NULL,
    hash INTEGER NOT NULL,
    article_id TEXT NOT NULL
);
CREATE INDEX minhash_bands_lookup ON minhash_bands(band, hash);
