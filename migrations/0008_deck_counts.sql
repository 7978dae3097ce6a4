-- kioku schema, version 8: what `kioku decks` shows, read without counting
-- every card of every deck.
--
-- Each deck's cards in its file, and of them the ones never studied, kept
-- by triggers on changes and deletes in `cards` (whose `studied` flag is
-- itself kept by triggers on `card_state`). A cache like `card_state`: `rebuild` counts it again,
-- and a test checks it against the cards after syncs, reviews, undos and
-- rebuilds. The learning and due counts come from the due index, the
-- leeches from the lapses index, the held-back cards from `card_flags`.
CREATE TABLE deck_cards (
    deck_id   TEXT PRIMARY KEY,
    active    INTEGER NOT NULL,         -- cards in the deck's file
    unstudied INTEGER NOT NULL          -- of them, the ones never reviewed
) STRICT, WITHOUT ROWID;

INSERT INTO deck_cards (deck_id, active, unstudied)
SELECT deck_id, SUM(active), SUM(active = 1 AND studied = 0) FROM cards GROUP BY deck_id;

-- No trigger on insert: a trigger there makes every insert keep a
-- statement journal, which doubled the first sync of a large collection.
-- Cards are inserted by the deck sync, active and never studied, and it adds
-- its count of them to the deck's row once a file; `merge` inserts only
-- inactive cards, which count for nothing until a sync makes them active.

CREATE TRIGGER deck_cards_remove AFTER DELETE ON cards
BEGIN
    UPDATE deck_cards SET
        active = active - OLD.active,
        unstudied = unstudied - (OLD.active = 1 AND OLD.studied = 0)
    WHERE deck_id = OLD.deck_id;
END;

CREATE TRIGGER deck_cards_change AFTER UPDATE OF deck_id, active, studied ON cards
WHEN OLD.deck_id IS NOT NEW.deck_id OR OLD.active IS NOT NEW.active
     OR OLD.studied IS NOT NEW.studied
BEGIN
    UPDATE deck_cards SET
        active = active - OLD.active,
        unstudied = unstudied - (OLD.active = 1 AND OLD.studied = 0)
    WHERE deck_id = OLD.deck_id;
    INSERT INTO deck_cards (deck_id, active, unstudied)
    VALUES (NEW.deck_id, NEW.active, NEW.active = 1 AND NEW.studied = 0)
    ON CONFLICT (deck_id) DO UPDATE SET
        active = active + excluded.active,
        unstudied = unstudied + excluded.unstudied;
END;

-- Leeches counted from the few cards with many lapses.
CREATE INDEX card_state_by_lapses ON card_state (lapses);

-- A card's deck, whether it is still in its file, and its id in the deck,
-- read from a narrow index rather than from the card's row, which carries
-- its whole content: for the due and leech counts, which look up thousands
-- of cards, and for `stats`, which reads every card.
CREATE INDEX cards_deck_of ON cards (id, deck_id, active, card_key);

-- The few cards whose content has tags, in card order: `stats` reads the
-- content of these alone.
CREATE INDEX cards_tagged ON cards (id) WHERE content LIKE '%"tags"%';
