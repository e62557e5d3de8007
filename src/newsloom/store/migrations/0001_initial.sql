-- newsloom schema, version 1.
CREATE TABLE documents (
    id TEXT PRIMARY KEY,              -- hash of the raw content
    origin TEXT NOT NULL,
    media_type TEXT NOT NULL,
    fetched TEXT NOT NULL,
    size INTEGER NOT NULL,
    content BLOB                      -- zlib-compressed raw bytes, for re-extraction
);

CREATE TABLE articles (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE REFERENCES documents(id),
    external_id TEXT,
    source TEXT NOT NULL,
    url TEXT,
    outlet TEXT,
    title TEXT NOT NULL,
    authors TEXT NOT NULL DEFAULT '[]',
    published_date TEXT,
    published_end TEXT,
    published_granularity TEXT NOT NULL DEFAULT 'unknown',
    published_evidence TEXT NOT NULL DEFAULT '',
    published_inferred INTEGER NOT NULL DEFAULT 0,
    dateline TEXT,
    language TEXT NOT NULL DEFAULT 'und',
    text TEXT NOT NULL,
    captions TEXT NOT NULL DEFAULT '[]',
    boilerplate TEXT NOT NULL DEFAULT '[]',
    content_hash TEXT NOT NULL,       -- hash of the normalised body, for exact duplicates
    duplicate_of TEXT,
    terms TEXT NOT NULL DEFAULT '{}', -- content-word counts, for similarity
    title_event_type TEXT,            -- the kind of happening the headline names, if any
    event_id TEXT,
    storyline_id TEXT,
    clustered INTEGER NOT NULL DEFAULT 0,
    added TEXT NOT NULL
);
CREATE INDEX articles_content_hash ON articles(content_hash);
CREATE INDEX articles_pending ON articles(clustered) WHERE clustered = 0;
CREATE INDEX articles_event ON articles(event_id);
CREATE INDEX articles_published ON articles(published_date);

CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='seq');
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
END;
CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
END;

CREATE TABLE sentences (
    article_id TEXT NOT NULL,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    paragraph INTEGER NOT NULL,
    PRIMARY KEY (article_id, idx)
) WITHOUT ROWID;

CREATE TABLE entity_mentions (
    id INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL,
    sentence INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    label TEXT NOT NULL,
    role TEXT,
    affiliation TEXT,
    entity_id TEXT
);
CREATE INDEX entity_mentions_article ON entity_mentions(article_id);
CREATE INDEX entity_mentions_entity ON entity_mentions(entity_id);

CREATE TABLE time_mentions (
    id INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL,
    sentence INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    value TEXT NOT NULL,
    type TEXT NOT NULL,
    granularity TEXT NOT NULL,
    range_start TEXT,
    range_end TEXT,
    anchor TEXT NOT NULL
);
CREATE INDEX time_mentions_article ON time_mentions(article_id);

CREATE TABLE event_mentions (
    id INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL,
    sentence INTEGER NOT NULL,
    trigger TEXT NOT NULL,
    trigger_start INTEGER NOT NULL,
    type TEXT NOT NULL,
    actors TEXT NOT NULL DEFAULT '[]',
    targets TEXT NOT NULL DEFAULT '[]',
    place TEXT,
    date_start TEXT,
    date_end TEXT,
    granularity TEXT NOT NULL,
    date_source TEXT NOT NULL,
    negated INTEGER NOT NULL DEFAULT 0,
    hedged INTEGER NOT NULL DEFAULT 0,
    quote TEXT,
    evidence_start INTEGER NOT NULL,
    evidence_end INTEGER NOT NULL,
    is_main INTEGER NOT NULL DEFAULT 0,
    event_id TEXT
);
CREATE INDEX event_mentions_article ON event_mentions(article_id);
CREATE INDEX event_mentions_event ON event_mentions(event_id);

CREATE TABLE entities (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    aliases TEXT NOT NULL DEFAULT '[]',
    roles TEXT NOT NULL DEFAULT '[]',
    mention_count INTEGER NOT NULL DEFAULT 0
);
-- Lookup keys of an entity: normalised names and, for people, surnames (blocking for fuzzy matching).
CREATE TABLE entity_keys (
    key TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    PRIMARY KEY (key, entity_id)
) WITHOUT ROWID;

CREATE TABLE events (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    type TEXT NOT NULL,
    title TEXT NOT NULL,
    date_start TEXT,
    date_end TEXT,
    granularity TEXT NOT NULL DEFAULT 'unknown',
    place TEXT,
    profile TEXT NOT NULL,            -- JSON: terms, participants, places, types, dates of members
    storyline_id TEXT,
    article_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX events_dates ON events(date_start, date_end);
CREATE INDEX events_storyline ON events(storyline_id);
-- Candidate index: events by participating entity.
CREATE TABLE event_entities (
    entity_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    PRIMARY KEY (entity_id, event_id)
) WITHOUT ROWID;

CREATE TABLE storylines (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    first_date TEXT,
    last_date TEXT
);

CREATE TABLE term_df (
    term TEXT PRIMARY KEY,
    df INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE failures (
    id INTEGER PRIMARY KEY,
    origin TEXT NOT NULL,
    reason TEXT NOT NULL,
    at TEXT NOT NULL,
    UNIQUE (origin, reason)
);

CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
