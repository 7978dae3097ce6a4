//! What `kioku decks` shows for each deck — cards, new, learning, due,
//! leeches, suspended — read from small ranges instead of every card: the
//! trigger-kept `deck_cards` for the cards and the never studied ones, the
//! due index for learning and due cards, the lapses index for leeches, and
//! `card_flags` for the cards held back (suspended or buried), which are
//! taken off what they would otherwise count in. [`recount`] makes
//! `deck_cards` again from the cards, as `rebuild` does for every cache.

use super::cards::leech_min_lapses;
use super::{ms, Result, Store};
use crate::scheduler::DayClock;
use crate::types::Millis;
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// Counts for `kioku decks`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeckCounts {
    pub deck_id: String,
    pub total: i64,
    pub new: i64,
    pub learning: i64,
    pub due: i64,
    pub leeches: i64,
    pub suspended: i64,
}

impl Store {
    /// New / learning / due-today counts per deck, in the order given.
    pub fn deck_counts(
        &self,
        decks: &[String],
        now: DateTime<Utc>,
        clock: &DayClock,
        leech_threshold: u32,
    ) -> Result<Vec<DeckCounts>> {
        if decks.is_empty() {
            return Ok(Vec::new());
        }
        let tomorrow = ms(clock.day_start(clock.day(now) + 1));
        let now = ms(now);
        let mut by_deck: HashMap<String, DeckCounts> = HashMap::new();
        let mut rows = self
            .conn
            .prepare_cached("SELECT deck_id, active, unstudied FROM deck_cards")?;
        for row in rows.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))? {
            let (deck, total, new): (String, i64, i64) = row?;
            let c = by_deck.entry(deck).or_default();
            (c.total, c.new) = (total, new);
        }
        // Learning and review cards due before tomorrow, from the due index.
        let mut due = self.conn.prepare_cached(
            "SELECT c.deck_id, s.phase = 'review', COUNT(*)
             FROM card_state s INDEXED BY card_state_by_due
               JOIN cards c INDEXED BY cards_deck_of ON c.id = s.card_id
             WHERE s.phase IN ('learning', 'relearning', 'review') AND s.due < ?1 AND c.active = 1
             GROUP BY 1, 2",
        )?;
        for row in due.query_map([tomorrow], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))? {
            let (deck, review, n): (String, bool, i64) = row?;
            let c = by_deck.entry(deck).or_default();
            *if review { &mut c.due } else { &mut c.learning } += n;
        }
        let mut leeches = self.conn.prepare_cached(
            "SELECT c.deck_id, COUNT(*)
             FROM card_state s INDEXED BY card_state_by_lapses
               JOIN cards c INDEXED BY cards_deck_of ON c.id = s.card_id
             WHERE s.lapses >= ?1 AND c.active = 1 GROUP BY 1",
        )?;
        let at_least = leech_min_lapses(leech_threshold);
        for row in leeches.query_map([at_least], |r| Ok((r.get(0)?, r.get(1)?)))? {
            let (deck, n): (String, i64) = row?;
            by_deck.entry(deck).or_default().leeches = n;
        }
        self.take_off_held(&mut by_deck, now, tomorrow)?;
        Ok(decks
            .iter()
            .map(|d| DeckCounts {
                deck_id: d.clone(),
                ..by_deck.get(d).cloned().unwrap_or_default()
            })
            .collect())
    }

    /// Counts the suspended cards, and takes every held-back card off the
    /// new, learning or due count it would be in.
    fn take_off_held(
        &self,
        by_deck: &mut HashMap<String, DeckCounts>,
        now: Millis,
        tomorrow: Millis,
    ) -> Result<()> {
        let mut held = self.conn.prepare_cached(
            "SELECT c.deck_id, f.suspended = 1, s.card_id IS NULL,
                    s.phase = 'review', COALESCE(s.due < ?2, 0)
             FROM card_flags f JOIN cards c ON c.id = f.card_id
             LEFT JOIN card_state s ON s.card_id = f.card_id
             WHERE c.active = 1 AND (f.suspended = 1 OR f.buried_until > ?1)",
        )?;
        let rows = held.query_map([now, tomorrow], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?;
        for row in rows {
            let (deck, suspended, new, review, due): (String, bool, bool, Option<bool>, bool) =
                row?;
            let c = by_deck.entry(deck).or_default();
            c.suspended += i64::from(suspended);
            if new {
                c.new -= 1;
            } else if due && review == Some(true) {
                c.due -= 1;
            } else if due {
                c.learning -= 1;
            }
        }
        Ok(())
    }
}

/// Marks again which cards have been studied (have a state), as the
/// triggers on `card_state` do one card at a time, then counts
/// `deck_cards` again: for a bulk write that ran without those triggers.
pub(super) fn recount_studied(conn: &rusqlite::Connection) -> Result<()> {
    conn.execute_batch(
        "UPDATE cards SET studied = 1
         WHERE studied = 0 AND id IN (SELECT card_id FROM card_state);
         UPDATE cards SET studied = 0
         WHERE studied = 1 AND id NOT IN (SELECT card_id FROM card_state);",
    )?;
    recount(conn)
}

/// Counts `deck_cards` again from the cards.
pub(super) fn recount(conn: &rusqlite::Connection) -> Result<()> {
    conn.execute_batch(
        "DELETE FROM deck_cards;
         INSERT INTO deck_cards (deck_id, active, unstudied)
         SELECT deck_id, SUM(active), SUM(active = 1 AND studied = 0) FROM cards GROUP BY deck_id;",
    )?;
    Ok(())
}

/// The counts as they were computed before `deck_cards`: every card of
/// every deck visited. The tests hold the fast counts to it.
#[cfg(test)]
pub(super) fn counted_slowly(
    conn: &rusqlite::Connection,
    now: i64,
    tomorrow: i64,
    at_least: i64,
) -> Vec<(String, [i64; 6])> {
    let mut stmt = conn
        .prepare(
            "SELECT c.deck_id, COUNT(*),
                COALESCE(SUM(s.card_id IS NULL AND NOT held), 0),
                COALESCE(SUM(s.phase IN ('learning', 'relearning') AND s.due < ?1 AND NOT held), 0),
                COALESCE(SUM(s.phase = 'review' AND s.due < ?1 AND NOT held), 0),
                COALESCE(SUM(s.lapses >= ?2), 0),
                COALESCE(SUM(suspended), 0)
             FROM (SELECT c.*, COALESCE(f.suspended, 0) AS suspended,
                          COALESCE(f.suspended = 1 OR f.buried_until > ?3, 0) AS held
                   FROM cards c LEFT JOIN card_flags f ON f.card_id = c.id) c
             LEFT JOIN card_state s ON s.card_id = c.id
             WHERE c.active = 1
             GROUP BY c.deck_id ORDER BY c.deck_id",
        )
        .unwrap();
    stmt.query_map([tomorrow, at_least, now], |r| {
        Ok((
            r.get(0)?,
            [
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ],
        ))
    })
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}
