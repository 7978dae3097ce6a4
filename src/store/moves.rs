//! Moves: a card's due moment changed without a review — `postpone`,
//! `advance`, and the reschedule that new parameters bring — kept
//! append-only beside the review log and merged like it. [`settle`] is the
//! one rule for how moves bear on a card's state: the latest move made
//! after the card's last review sets its due moment, while the card is in
//! review; a later review supersedes it.

use super::reviews::{new_review_id, put_state};
use super::{from_ms, ms, state_from_row, Result, Store};
use crate::scheduler::CardState;
use crate::types::{CardRowId, Millis, Phase};
use chrono::{DateTime, Utc};
use rusqlite::OptionalExtension;

/// Why a due moment was moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MoveReason {
    Postpone,
    Advance,
    /// New parameters or a new desired retention gave the card a new interval.
    Reschedule,
}

impl MoveReason {
    pub fn as_str(self) -> &'static str {
        match self {
            MoveReason::Postpone => "postpone",
            MoveReason::Advance => "advance",
            MoveReason::Reschedule => "reschedule",
        }
    }

    pub fn from_name(name: &str) -> Option<MoveReason> {
        [
            MoveReason::Postpone,
            MoveReason::Advance,
            MoveReason::Reschedule,
        ]
        .into_iter()
        .find(|r| r.as_str() == name)
    }
}

/// A move about to be written.
#[derive(Debug, Clone, PartialEq)]
pub struct Move {
    pub card_row: CardRowId,
    pub at: DateTime<Utc>,
    pub due: DateTime<Utc>,
    pub reason: MoveReason,
}

/// A move as the database holds it: when it was made, the due moment it
/// set, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct MoveRecord {
    pub at: DateTime<Utc>,
    pub due: DateTime<Utc>,
    pub reason: MoveReason,
}

/// Moves written in one transaction: a reschedule of a large collection
/// keeps another terminal waiting no longer than one of these.
const MOVES_PER_TRANSACTION: usize = 1_000;

impl Store {
    /// Writes `moves` and the cards' new states, a thousand cards a
    /// transaction (each move with its card's state). A card that is no
    /// longer in review (answered in another terminal since) is left as it
    /// is. A move is dated after the card's last review and its last move,
    /// so that it is the one that holds, even when the clock has gone back.
    /// Returns how many moves were written.
    pub fn record_moves(&mut self, moves: &[Move]) -> Result<usize> {
        let mut written = 0;
        for chunk in moves.chunks(MOVES_PER_TRANSACTION) {
            let tx = self.write()?;
            written += record_chunk(&tx, chunk)?;
            tx.commit()?;
        }
        Ok(written)
    }

    /// One card's moves, oldest first.
    pub fn card_moves(&self, card_row: CardRowId) -> Result<Vec<MoveRecord>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT at, due, reason FROM moves WHERE card_id = ?1 ORDER BY at, id",
        )?;
        let rows = stmt.query_map([card_row], |r| {
            Ok((
                r.get::<_, Millis>(0)?,
                r.get::<_, Millis>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (at, due, reason) = row?;
            // The reason was checked when the move was written or merged.
            if let Some(reason) = MoveReason::from_name(&reason) {
                out.push(MoveRecord {
                    at: from_ms(at),
                    due: from_ms(due),
                    reason,
                });
            }
        }
        Ok(out)
    }

    /// How many moves the database holds.
    pub fn move_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM moves", [], |r| r.get(0))?)
    }
}

/// Writes one transaction's moves; returns how many were written.
fn record_chunk(tx: &rusqlite::Transaction<'_>, moves: &[Move]) -> Result<usize> {
    let mut written = 0;
    for m in moves {
        let state = tx
                .prepare_cached(
                    "SELECT phase, step, stability, difficulty, due, last_review, reps, lapses FROM card_state WHERE card_id = ?1",
                )?
                .query_row([m.card_row], |r| state_from_row(r, 0))
                .optional()?
                .flatten();
        let Some(state) = state.filter(|s| s.phase == Phase::Review) else {
            continue;
        };
        let last_move: Option<Millis> = tx
            .prepare_cached("SELECT MAX(at) FROM moves WHERE card_id = ?1")?
            .query_row([m.card_row], |r| r.get(0))?;
        let after = state
            .last_review
            .map(ms)
            .into_iter()
            .chain(last_move)
            .max()
            .map_or(ms(m.at), |t| ms(m.at).max(t.saturating_add_ms(1)));
        insert_move(tx, &new_review_id(), m.card_row, after, ms(m.due), m.reason)?;
        put_state(tx, m.card_row, Some(&state))?;
        written += 1;
    }
    Ok(written)
}

/// Adds one move; one whose id is here already is not added again.
/// Returns whether it was added.
pub(super) fn insert_move(
    conn: &rusqlite::Connection,
    id: &str,
    card: CardRowId,
    at: Millis,
    due: Millis,
    reason: MoveReason,
) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "INSERT OR IGNORE INTO moves (id, card_id, at, due, reason) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(rusqlite::params![id, card, at, due, reason.as_str()])?
        == 1)
}

/// `state`, which a replay of card `card`'s reviews gave, with its due
/// moment taken from the latest move made after its last review (the
/// latest by time, then id, so two machines agree), while it is in review.
pub(super) fn settle(
    conn: &rusqlite::Connection,
    card: CardRowId,
    mut state: CardState,
) -> Result<CardState> {
    let (Phase::Review, Some(last)) = (state.phase, state.last_review) else {
        return Ok(state);
    };
    let due: Option<Millis> = conn
        .prepare_cached(
            "SELECT due FROM moves WHERE card_id = ?1 AND at > ?2 ORDER BY at DESC, id DESC LIMIT 1",
        )?
        .query_row(rusqlite::params![card, ms(last)], |r| r.get(0))
        .optional()?;
    if let Some(due) = due {
        state.due = from_ms(due);
    }
    Ok(state)
}
