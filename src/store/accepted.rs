//! Accepted answers: what the learner said was right when the checker judged
//! it wrong or close ("I was right"), kept per card on this database.
//!
//! One row per card and folded answer, so saying "I was right" twice about
//! the same words keeps one. The folding is the caller's (the examiner's
//! rule, which the store must not know); the store only keys on it. An
//! accepted answer is written in the same transaction as the review or quiz
//! answer it came with, and undoing that answer takes it back.

use super::{from_ms, ms, Result, Store};
use crate::types::CardRowId;
use chrono::{DateTime, Utc};
use rusqlite::params;

/// The longest accepted answer kept, in characters: as long as the longest
/// answer the checker reads.
pub const MAX_ACCEPTED_CHARS: usize = 1000;

/// An answer to keep as accepted, handed in with the answer it came with.
#[derive(Debug, Clone, Copy)]
pub struct Accepted<'a> {
    /// As the learner typed it.
    pub answer: &'a str,
    /// As the examiner folds it: the key that makes adding it idempotent.
    pub folded: &'a str,
}

/// An accepted answer as stored, with the card it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct AcceptedAnswer {
    pub deck_id: String,
    pub card_key: String,
    pub answer: String,
    pub at: DateTime<Utc>,
}

/// The text kept for an answer: on one line, without control characters,
/// trimmed and cut to [`MAX_ACCEPTED_CHARS`].
pub fn clean_accepted(answer: &str) -> String {
    let line = crate::text::clean_line(answer);
    let cut: String = line.trim().chars().take(MAX_ACCEPTED_CHARS).collect();
    cut.trim_end().to_string()
}

/// Writes an accepted answer unless the card already has one that folds the
/// same; returns whether it was written. Nothing is kept for an answer that
/// is empty once cleaned.
pub(super) fn add(
    conn: &rusqlite::Connection,
    card: CardRowId,
    a: &Accepted<'_>,
    answer_id: Option<&str>,
    at: DateTime<Utc>,
) -> Result<bool> {
    let answer = clean_accepted(a.answer);
    let folded: String = a.folded.trim().chars().take(MAX_ACCEPTED_CHARS).collect();
    if answer.is_empty() || folded.is_empty() {
        return Ok(false);
    }
    let n = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO accepted_answers (card_id, folded, answer, at, answer_id)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![card, folded, answer, ms(at), answer_id])?;
    Ok(n > 0)
}

/// Takes back the accepted answer that came with answer `answer_id`.
pub(super) fn remove_with(conn: &rusqlite::Connection, answer_id: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM accepted_answers WHERE answer_id = ?1")?
        .execute([answer_id])?;
    Ok(())
}

impl Store {
    /// Keeps `a` as an accepted answer for card `card`, on its own (the
    /// answers a session accepts are written with their review instead).
    /// Returns whether it was new.
    pub fn add_accepted_answer(
        &mut self,
        card: CardRowId,
        a: &Accepted<'_>,
        at: DateTime<Utc>,
    ) -> Result<bool> {
        let tx = self.write()?;
        let added = add(&tx, card, a, None, at)?;
        tx.commit()?;
        Ok(added)
    }

    /// The accepted answers of one card, oldest first.
    pub fn accepted_answers(&self, card: CardRowId) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT answer FROM accepted_answers WHERE card_id = ?1 ORDER BY at, folded",
        )?;
        let rows = stmt.query_map([card], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The accepted answers of the cards of `decks` (all decks when empty),
    /// by deck, then in the cards' order in their files, then oldest first.
    pub fn accepted_in(&self, decks: &[String]) -> Result<Vec<AcceptedAnswer>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.deck_id, c.card_key, a.answer, a.at
             FROM accepted_answers a JOIN cards c ON c.id = a.card_id
             ORDER BY c.deck_id, c.position, c.card_key, a.at, a.folded",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(AcceptedAnswer {
                deck_id: r.get(0)?,
                card_key: r.get(1)?,
                answer: r.get(2)?,
                at: from_ms(r.get(3)?),
            })
        })?;
        let all: Vec<AcceptedAnswer> = rows.collect::<rusqlite::Result<_>>()?;
        Ok(all
            .into_iter()
            .filter(|a| decks.is_empty() || decks.contains(&a.deck_id))
            .collect())
    }
}
