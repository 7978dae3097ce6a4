-- Answers the learner said were right when the checker judged them wrong or
-- close ("I was right"). Each is kept for its card (a cloze gap is a card of
-- its own) and is accepted from then on, in study and in quizzes, on this
-- database; `deck aliases` and `deck fmt --with-aliases` hand them to the
-- deck's author.

CREATE TABLE accepted_answers (
    card_id   INTEGER NOT NULL REFERENCES cards (id),
    folded    TEXT NOT NULL,                -- the answer as the checker folds it: one row per folded answer
    answer    TEXT NOT NULL,                -- as the learner typed it, cleaned and trimmed
    at        INTEGER NOT NULL,
    answer_id TEXT,                         -- the review or quiz answer it came with; undoing that takes it back
    PRIMARY KEY (card_id, folded)
) STRICT, WITHOUT ROWID;
