-- Each event's card (cards.event_card) as JSON, written after every batch with its title and place, so
-- that listings read it instead of computing it from all the reports again.
ALTER TABLE events ADD COLUMN card TEXT;
