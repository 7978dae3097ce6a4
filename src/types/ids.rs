//! The ids the store hands out and takes back: a card's row, a session, a
//! saved answer. Each is its own type so that one cannot be passed where
//! another is meant (a card row where a session goes, say); what they look
//! like in SQLite is `store`'s business, and nothing here may know it.

use std::fmt;

/// A card's row in the database: the one id of a card across decks and
/// syncs (a card's `id` in its deck file is its name within that deck).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CardRowId(pub i64);

/// A study or quiz session, as the store numbered it when it began.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SessionId(pub i64);

/// A saved answer, a review or a quiz answer: what undo finds it by.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AnswerId(pub String);

impl fmt::Display for CardRowId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Display for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
