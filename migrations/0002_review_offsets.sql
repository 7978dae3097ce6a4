-- The learner's UTC offset at each review, in seconds east of UTC, so that a
-- replay counts days as they were counted then, even after a move across
-- time zones or a daylight-saving change. NULL for reviews from before this
-- column and for reviews imported from files: those are counted in the
-- offset current at the replay.
ALTER TABLE reviews ADD COLUMN utc_offset INTEGER;
