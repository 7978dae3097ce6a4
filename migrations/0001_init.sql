-- kioku schema, version 1.
-- `reviews` is the truth and is append-only; `card_state` is a cache that
-- replaying a card's reviews rebuilds. Times are Unix milliseconds (UTC).

CREATE TABLE decks (
    id          TEXT PRIMARY KEY,           -- the deck's `id` from its file
    title       TEXT NOT NULL,
    description TEXT,
    origin      TEXT NOT NULL,              -- builtin/NAME.toml, or the file's path
    file_hash   TEXT NOT NULL,              -- skip unchanged files without parsing them
    file_stamp  TEXT,                       -- size and mtime: skip unchanged files without reading them
    synced_at   INTEGER NOT NULL
) STRICT;

CREATE TABLE cards (
    id           INTEGER PRIMARY KEY,
    deck_id      TEXT NOT NULL REFERENCES decks (id),
    card_key     TEXT NOT NULL,             -- the card's id in its deck (`x`, or `x.2` for a cloze gap)
    note         TEXT NOT NULL,             -- siblings (gaps of one cloze) share it
    kind         TEXT NOT NULL,
    position     INTEGER NOT NULL,          -- order in the file
    content      TEXT NOT NULL,             -- the card as JSON
    content_hash TEXT NOT NULL,
    active       INTEGER NOT NULL DEFAULT 1,-- 0 once the card is gone from its file; its history stays
    added_at     INTEGER NOT NULL,
    UNIQUE (deck_id, card_key)
) STRICT;

CREATE INDEX cards_by_position ON cards (deck_id, active, position);

CREATE TABLE card_state (
    card_id      INTEGER PRIMARY KEY REFERENCES cards (id),
    phase        TEXT NOT NULL CHECK (phase IN ('learning', 'review', 'relearning')),
    step         INTEGER NOT NULL,
    stability    REAL NOT NULL,
    difficulty   REAL NOT NULL,
    due          INTEGER NOT NULL,
    last_review  INTEGER NOT NULL,
    reps         INTEGER NOT NULL,
    lapses       INTEGER NOT NULL
) STRICT;

CREATE INDEX card_state_by_due ON card_state (phase, due);

-- The learner's own marks on a card; not part of the memory state.
CREATE TABLE card_flags (
    card_id      INTEGER PRIMARY KEY REFERENCES cards (id),
    suspended    INTEGER NOT NULL DEFAULT 0,  -- out of every queue until unsuspended
    buried_until INTEGER                      -- out of the queue until this moment
) STRICT;

CREATE TABLE sessions (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,               -- study | quiz
    started_at INTEGER NOT NULL,
    ended_at   INTEGER,
    decks      TEXT NOT NULL,               -- JSON list of deck ids, sorted
    seed       INTEGER NOT NULL
) STRICT;

CREATE TABLE reviews (
    id                TEXT PRIMARY KEY,     -- 128 random bits: unique across machines, for merging
    card_id           INTEGER NOT NULL REFERENCES cards (id),
    session_id        INTEGER REFERENCES sessions (id),
    at                INTEGER NOT NULL,
    rating            INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
    verdict           TEXT NOT NULL,
    answer            TEXT,
    duration_ms       INTEGER,
    interval_days     INTEGER NOT NULL,
    phase_before      TEXT NOT NULL,
    step_before       INTEGER NOT NULL,
    stability_before  REAL,
    difficulty_before REAL,
    due_before        INTEGER,
    last_before       INTEGER,
    reps_before       INTEGER NOT NULL,
    lapses_before     INTEGER NOT NULL,
    phase_after       TEXT NOT NULL,
    step_after        INTEGER NOT NULL,
    stability_after   REAL NOT NULL,
    difficulty_after  REAL NOT NULL,
    due_after         INTEGER NOT NULL
) STRICT;

CREATE INDEX reviews_by_card ON reviews (card_id, at);
-- In time order, with every column the statistics read: they scan this
-- narrow index instead of the wide rows.
CREATE INDEX reviews_by_time ON reviews (at, card_id, rating, duration_ms, phase_before, due_before, last_before, stability_after);

-- Quiz answers: scored practice that leaves the schedule alone.
CREATE TABLE quiz_answers (
    id          TEXT PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES sessions (id),
    card_id     INTEGER NOT NULL REFERENCES cards (id),
    at          INTEGER NOT NULL,
    verdict     TEXT NOT NULL CHECK (verdict IN ('correct', 'close', 'wrong')),
    answer      TEXT,
    duration_ms INTEGER
) STRICT;

CREATE INDEX quiz_answers_by_session ON quiz_answers (session_id);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
