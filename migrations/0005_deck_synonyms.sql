-- A deck's own groups of names for one thing, the `synonyms` of its file's
-- [deck] table, kept as JSON: a list of groups, each a list of names. The
-- examiner reads them with every typed answer of the deck. A deck synced
-- before this version had none (the key did not exist), so nothing needs
-- reading again.
ALTER TABLE decks ADD COLUMN synonyms TEXT NOT NULL DEFAULT '[]';
