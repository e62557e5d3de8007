-- What the same-event decision compares between two articles: content terms, canonical entities by
-- type, numbers, years, main event type and date (JSON), one row per clustered article.
CREATE TABLE article_features (
    article_id TEXT PRIMARY KEY,
    features TEXT NOT NULL
) WITHOUT ROWID;
