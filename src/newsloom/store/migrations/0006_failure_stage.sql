-- The stage at which a document failed: read, extract, fingerprint, annotate, store, corpus.
ALTER TABLE failures ADD COLUMN stage TEXT NOT NULL DEFAULT 'read';
