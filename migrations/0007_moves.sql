-- A card's due moment moved without a review: by `kioku postpone` and
-- `kioku advance`, and by the reschedule that new FSRS parameters or a new
-- desired retention bring. Append-only like the review log, and merged like
-- it (by id). A card's state is its reviews replayed, then the latest move
-- made after its last review, if the card is in review then; a later review
-- supersedes a move.
CREATE TABLE moves (
    id      TEXT PRIMARY KEY,           -- 128 random bits: unique across machines, for merging
    card_id INTEGER NOT NULL REFERENCES cards (id),
    at      INTEGER NOT NULL,           -- when the move was made
    due     INTEGER NOT NULL,           -- the due moment it gave
    reason  TEXT NOT NULL CHECK (reason IN ('postpone', 'advance', 'reschedule'))
) STRICT;

CREATE INDEX moves_by_card ON moves (card_id, at);

-- The day the load balancer chose at a review, among the other cards' due
-- days, which no replay of the card alone can choose again: kept by every
-- replay that gives the review an interval in days (a replay under other
-- learning steps may give a step instead, and then the step stands). NULL
-- where fuzz alone chose, and for reviews from before this column.
ALTER TABLE reviews ADD COLUMN balanced_due INTEGER;

-- A card's siblings (the cards of its note), which the load balancer keeps
-- off the day it chooses, found without reading the whole deck.
CREATE INDEX cards_by_note ON cards (deck_id, note);
