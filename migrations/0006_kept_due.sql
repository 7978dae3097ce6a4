-- The due moment another scheduler chose at a review, kept by every replay
-- instead of kioku's own choice: Anki's, for the reviews that
-- `deck import --with-history` brings over, so that the cards come due when
-- Anki said. NULL for kioku's own reviews. The memory a replay gives is
-- kioku's either way.
ALTER TABLE reviews ADD COLUMN kept_due INTEGER;
