//! What comes with another database's reviews: its accepted answers ("I
//! was right") and its moves (postpone, advance, reschedule), each checked
//! and kept only for the cards merged.

use super::{foreign, TheirLog};
use crate::store::moves::MoveReason;
use crate::store::outside;
use crate::store::Result;
use crate::types::{CardRowId, Millis};
use rusqlite::Connection;
use std::collections::HashMap;

/// The schema version that added moves.
pub const MOVES_SINCE: i64 = 7;

/// More moves than this are not one learner's (a reschedule of a large
/// collection a week for years stays well under it).
const MAX_MOVES: usize = 20_000_000;

/// One of its accepted answers ("I was right"), checked; `card` indexes
/// [`TheirLog::cards`].
#[derive(Debug, Clone)]
pub struct TheirAccepted {
    pub card: usize,
    pub folded: String,
    pub answer: String,
    pub at: Millis,
}

/// One of its moves, checked; `card` indexes [`TheirLog::cards`].
#[derive(Debug, Clone)]
pub struct TheirMove {
    pub id: String,
    pub card: usize,
    pub at: Millis,
    pub due: Millis,
    pub reason: MoveReason,
}

/// Their accepted answers of the cards kept; the others are left out, as
/// an accepted answer is no review and refusing one loses nothing learnt.
pub(super) fn read_accepted(
    conn: &Connection,
    shown: &str,
    now: Millis,
    cards: &HashMap<CardRowId, std::result::Result<usize, String>>,
    log: &mut TheirLog,
) -> Result<()> {
    let mut stmt = conn
        .prepare(
            "SELECT card_id, folded, answer, at FROM accepted_answers ORDER BY card_id, at, folded",
        )
        .map_err(|e| foreign(shown, &e))?;
    let mut rows = stmt.query([]).map_err(|e| foreign(shown, &e))?;
    while let Some(r) = rows.next().map_err(|e| foreign(shown, &e))? {
        let row = (|| -> rusqlite::Result<(CardRowId, String, String, Millis)> {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })()
        .map_err(|e| foreign(shown, &e))?;
        let (card_row, folded, answer, at) = row;
        let Some(Ok(card)) = cards.get(&card_row) else {
            continue;
        };
        if outside::check_accepted(&answer, &folded, at, now).is_ok() {
            log.accepted.push(TheirAccepted {
                card: *card,
                folded,
                answer,
                at,
            });
        }
    }
    Ok(())
}

/// Their moves of the cards kept; one that does not read as kioku writes
/// them is left out (a move is no review: refusing one loses nothing learnt).
pub(super) fn read_moves(
    conn: &Connection,
    shown: &str,
    now: Millis,
    cards: &HashMap<CardRowId, std::result::Result<usize, String>>,
    log: &mut TheirLog,
) -> Result<()> {
    let mut stmt = conn
        .prepare(
            "SELECT id, card_id, at, due, reason FROM moves
             WHERE length(id) = 32 AND length(reason) <= 16 ORDER BY card_id, at, id",
        )
        .map_err(|e| foreign(shown, &e))?;
    let mut rows = stmt.query([]).map_err(|e| foreign(shown, &e))?;
    while let Some(r) = rows.next().map_err(|e| foreign(shown, &e))? {
        let row = (|| -> rusqlite::Result<(String, CardRowId, Millis, Millis, String)> {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })()
        .map_err(|e| foreign(shown, &e))?;
        let (id, card_row, at, due, reason) = row;
        let Some(Ok(card)) = cards.get(&card_row) else {
            continue;
        };
        if log.moves.len() >= MAX_MOVES {
            return Err(super::other_file(
                shown,
                format!("it holds more than {MAX_MOVES} moves, more than one learner makes"),
            ));
        }
        let Some(reason) = MoveReason::from_name(&reason) else {
            continue;
        };
        if outside::check_move(&id, at, due, now).is_err() {
            continue;
        }
        log.moves.push(TheirMove {
            id,
            card: *card,
            at,
            due,
            reason,
        });
    }
    Ok(())
}
