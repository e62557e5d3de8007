-- A storyline's first and last dates read from indexes (a storyline can hold thousands of events).
CREATE INDEX events_storyline_start ON events(storyline_id, date_start);
CREATE INDEX events_storyline_end ON events(storyline_id, date_end);
DROP INDEX IF EXISTS events_storyline;
