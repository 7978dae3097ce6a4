-- kioku schema, version 10: triggers a bulk write sets aside.
--
-- Every trigger on `reviews` makes SQLite keep a statement journal for
-- each review written, which a history import of a million reviews pays a
-- million times. A large import therefore drops the log's triggers in the
-- transaction that marks the card states stale, keeping what made each one
-- here, and makes them again from here in its last transaction, beside the
-- caches the triggers would have kept (the day summary and each card's
-- start), which it counts afresh. A kill in between leaves the rows and
-- the mark; the rebuild the mark calls for makes the triggers again first.
CREATE TABLE set_aside (
    name TEXT PRIMARY KEY,
    sql  TEXT NOT NULL
) STRICT;
