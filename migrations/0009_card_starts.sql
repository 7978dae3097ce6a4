-- kioku schema, version 9: each card's memory at the start of the period
-- `stats` last showed, kept so that `stats` does not look each card up in
-- the log.
--
-- `card_starts` holds, for every card with a review before
-- `period_start.start_at`, its last review before then and the stability
-- that review left. A cache like `card_state`: `stats` counts it for the
-- moment it is asked about (from nothing, or by carrying it forward over
-- the reviews since), and a review written, removed or changed before that
-- moment (an import, a merge) empties it. A test checks it against the log.
CREATE TABLE period_start (
    only     INTEGER PRIMARY KEY CHECK (only = 1),
    start_at INTEGER NOT NULL           -- ms since the epoch
) STRICT;

CREATE TABLE card_starts (
    card_id   INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,         -- the card's last review before start_at
    stability REAL NOT NULL             -- the stability that review left
) STRICT;

CREATE TRIGGER card_starts_stale_add AFTER INSERT ON reviews
WHEN NEW.at < (SELECT start_at FROM period_start)
BEGIN
    DELETE FROM period_start;
    DELETE FROM card_starts;
END;

CREATE TRIGGER card_starts_stale_remove AFTER DELETE ON reviews
WHEN OLD.at < (SELECT start_at FROM period_start)
BEGIN
    DELETE FROM period_start;
    DELETE FROM card_starts;
END;

CREATE TRIGGER card_starts_stale_change AFTER UPDATE OF card_id, at, stability_after ON reviews
WHEN OLD.at < (SELECT start_at FROM period_start) OR NEW.at < (SELECT start_at FROM period_start)
BEGIN
    DELETE FROM period_start;
    DELETE FROM card_starts;
END;
