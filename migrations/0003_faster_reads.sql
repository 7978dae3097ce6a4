-- Reads that stay fast however long the history grows.
--
-- First, the review log summed by deck and day, so that `stats` reads a few
-- thousand rows instead of every review. Like `card_state`, it is a cache:
-- the log stays the truth, and the summary can be dropped and rebuilt from it
-- at any time (`kioku rebuild` does).
--
-- Which day a review falls on depends on the learner's UTC offset and the
-- hour the day rolls over. The summary is counted in one such clock, kept in
-- `day_clock` as a shift in milliseconds (offset minus rollover). While that
-- row is missing the triggers do nothing, and the summary is rebuilt in the
-- clock of whoever next needs it.

CREATE TABLE day_clock (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    shift_ms INTEGER NOT NULL
) STRICT;

CREATE TABLE review_days (
    deck_id    TEXT NOT NULL,
    day        INTEGER NOT NULL,            -- days from the Common Era, as the day clock counts them
    reviews    INTEGER NOT NULL,
    time_ms    INTEGER NOT NULL,
    remembered INTEGER NOT NULL,            -- rated anything but again
    young      INTEGER NOT NULL,            -- reviews of learnt cards scheduled under 21 days
    young_ok   INTEGER NOT NULL,
    mature     INTEGER NOT NULL,            -- ... and at 21 days or more
    mature_ok  INTEGER NOT NULL,
    -- Day first: the statistics sum all decks' rows day by day, in key order.
    PRIMARY KEY (day, deck_id)
) STRICT, WITHOUT ROWID;

-- A review's day: the floor of (time + shift) in whole days, numbered like
-- chrono's `num_days_from_ce` (1970-01-01 is day 719163).
CREATE TRIGGER review_days_add AFTER INSERT ON reviews
WHEN EXISTS (SELECT 1 FROM day_clock)
BEGIN
    INSERT INTO review_days (deck_id, day, reviews, time_ms, remembered, young, young_ok, mature, mature_ok)
    SELECT c.deck_id,
           719163 + ((NEW.at + k.shift_ms) - (((NEW.at + k.shift_ms) % 86400000) + 86400000) % 86400000) / 86400000,
           1,
           COALESCE(NEW.duration_ms, 0),
           NEW.rating > 1,
           NEW.phase_before = 'review' AND COALESCE(NEW.due_before - NEW.last_before, 0) < 1814400000,
           NEW.phase_before = 'review' AND COALESCE(NEW.due_before - NEW.last_before, 0) < 1814400000 AND NEW.rating > 1,
           NEW.phase_before = 'review' AND COALESCE(NEW.due_before - NEW.last_before, 0) >= 1814400000,
           NEW.phase_before = 'review' AND COALESCE(NEW.due_before - NEW.last_before, 0) >= 1814400000 AND NEW.rating > 1
    FROM cards c, day_clock k
    WHERE c.id = NEW.card_id
    ON CONFLICT (day, deck_id) DO UPDATE SET
        reviews = reviews + excluded.reviews,
        time_ms = time_ms + excluded.time_ms,
        remembered = remembered + excluded.remembered,
        young = young + excluded.young,
        young_ok = young_ok + excluded.young_ok,
        mature = mature + excluded.mature,
        mature_ok = mature_ok + excluded.mature_ok;
END;

-- An undone review is taken out again.
CREATE TRIGGER review_days_remove AFTER DELETE ON reviews
WHEN EXISTS (SELECT 1 FROM day_clock)
BEGIN
    UPDATE review_days SET
        reviews = reviews - 1,
        time_ms = time_ms - COALESCE(OLD.duration_ms, 0),
        remembered = remembered - (OLD.rating > 1),
        young = young - (OLD.phase_before = 'review' AND COALESCE(OLD.due_before - OLD.last_before, 0) < 1814400000),
        young_ok = young_ok - (OLD.phase_before = 'review' AND COALESCE(OLD.due_before - OLD.last_before, 0) < 1814400000 AND OLD.rating > 1),
        mature = mature - (OLD.phase_before = 'review' AND COALESCE(OLD.due_before - OLD.last_before, 0) >= 1814400000),
        mature_ok = mature_ok - (OLD.phase_before = 'review' AND COALESCE(OLD.due_before - OLD.last_before, 0) >= 1814400000 AND OLD.rating > 1)
    WHERE deck_id = (SELECT deck_id FROM cards WHERE id = OLD.card_id)
      AND day = (SELECT 719163 + ((OLD.at + shift_ms) - (((OLD.at + shift_ms) % 86400000) + 86400000) % 86400000) / 86400000 FROM day_clock);
    DELETE FROM review_days WHERE reviews = 0
      AND deck_id = (SELECT deck_id FROM cards WHERE id = OLD.card_id);
END;

-- The log is append-only; should a row ever be changed, the summary is
-- dropped rather than trusted.
CREATE TRIGGER review_days_forget AFTER UPDATE ON reviews
WHEN EXISTS (SELECT 1 FROM day_clock)
BEGIN
    DELETE FROM day_clock;
    DELETE FROM review_days;
END;

-- A card's deck is part of its identity and never changes; if it did, the
-- summary would be counted under the wrong deck.
CREATE TRIGGER review_days_forget_deck AFTER UPDATE OF deck_id ON cards
WHEN EXISTS (SELECT 1 FROM day_clock)
BEGIN
    DELETE FROM day_clock;
    DELETE FROM review_days;
END;

-- The statistics look up each card's last review before a moment; with the
-- stability after it in the index, that is one seek and no row read.
DROP INDEX reviews_by_card;
CREATE INDEX reviews_by_card ON reviews (card_id, at, stability_after);

-- New cards are the ones without a state. Finding the day's first new cards
-- used to mean passing over every studied card of the decks; a flag kept by
-- triggers and a partial index over the unstudied ones make it a short
-- range read, however large the collection.
ALTER TABLE cards ADD COLUMN studied INTEGER NOT NULL DEFAULT 0;
UPDATE cards SET studied = 1 WHERE id IN (SELECT card_id FROM card_state);
CREATE INDEX cards_new ON cards (deck_id, position) WHERE active = 1 AND studied = 0;

CREATE TRIGGER cards_studied AFTER INSERT ON card_state
BEGIN
    UPDATE cards SET studied = 1 WHERE id = NEW.card_id AND studied = 0;
END;

CREATE TRIGGER cards_unstudied AFTER DELETE ON card_state
BEGIN
    UPDATE cards SET studied = 0 WHERE id = OLD.card_id;
END;

-- When the next card falls due, read in due order from a moment on.
CREATE INDEX card_state_by_due_only ON card_state (due);
