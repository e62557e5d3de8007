-- Candidate lookups that stay bounded as the store grows: events by entity, most recent first, and
-- the indexes the corpus stages' updates need.
CREATE TABLE event_entities_seq (
    entity_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    event_id TEXT NOT NULL,
    PRIMARY KEY (entity_id, seq, event_id)
) WITHOUT ROWID;
INSERT OR IGNORE INTO event_entities_seq(entity_id, seq, event_id)
    SELECT x.entity_id, e.seq, x.event_id FROM event_entities x JOIN events e ON e.id = x.event_id;
DROP TABLE event_entities;
ALTER TABLE event_entities_seq RENAME TO event_entities;
CREATE INDEX event_entities_event ON event_entities(event_id);
CREATE INDEX events_seq ON events(seq);
CREATE INDEX events_start ON events(date_start);
CREATE INDEX articles_storyline ON articles(storyline_id);
