//! Each card's memory at the start of the period `stats` shows: its last
//! review before then and the stability that review left, kept in
//! `card_starts` for one moment (`period_start`).
//!
//! Looking each card up in the log costs a seek of `reviews_by_card` per
//! card, most of what `stats` spent at a hundred thousand cards. The table
//! is counted once from the log, then carried forward over the few reviews
//! between one day's start and the next; a review written, removed or
//! changed before the kept moment empties it (migration 9's triggers).

use super::{Result, Store};
use crate::types::Millis;
use rusqlite::OptionalExtension;

/// Up to this far forward the kept starts are carried over the reviews in
/// between; further, or backward, they are counted again from the log.
const CARRY_MS: i64 = 31 * crate::types::DAY_MS;

impl Store {
    /// Makes `card_starts` hold the starts at `start`, unless it does.
    pub(super) fn keep_starts_at(&mut self, start: Millis) -> Result<()> {
        if kept_at(&self.conn)? == Some(start.0) {
            return Ok(());
        }
        let tx = self.write()?;
        // Read again under the write lock: another process may have emptied
        // the starts since the read above.
        match kept_at(&tx)? {
            Some(from) if from < start.0 && start.0 - from <= CARRY_MS => {
                // Later reviews of a card replace earlier ones.
                tx.execute(
                    "INSERT OR REPLACE INTO card_starts (card_id, at, stability)
                     SELECT card_id, at, stability_after FROM reviews
                     WHERE at >= ?1 AND at < ?2 ORDER BY at, rowid",
                    (from, start.0),
                )?;
            }
            _ => {
                tx.execute("DELETE FROM card_starts", [])?;
                // SQLite takes the stability from the row of the latest review.
                tx.execute(
                    "INSERT INTO card_starts (card_id, at, stability)
                     SELECT card_id, MAX(at), stability_after FROM reviews INDEXED BY reviews_by_card
                     WHERE at < ?1 GROUP BY card_id",
                    [start.0],
                )?;
            }
        }
        tx.execute(
            "INSERT OR REPLACE INTO period_start (only, start_at) VALUES (1, ?1)",
            [start.0],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The moment the kept starts are for, if any are kept.
    #[cfg(test)]
    pub(super) fn kept_start(&self) -> Result<Option<chrono::DateTime<chrono::Utc>>> {
        Ok(kept_at(&self.conn)?.map(|at| super::from_ms(Millis(at))))
    }
}

/// The moment (ms) the kept starts are for, if any are kept.
fn kept_at(conn: &rusqlite::Connection) -> Result<Option<i64>> {
    Ok(conn
        .query_row("SELECT start_at FROM period_start", [], |r| r.get(0))
        .optional()?)
}

/// Empties the kept starts, as the triggers do when the log changes before
/// them: for a bulk write that runs without the triggers.
pub(super) fn forget_starts(conn: &rusqlite::Connection) -> Result<()> {
    conn.execute_batch("DELETE FROM period_start; DELETE FROM card_starts;")?;
    Ok(())
}
