//! Cards and their state: the study queue, counts per deck, one card.

use super::{card_seed, from_ms, ms, state_from_row, Result, Store, StoreError};
use crate::deck::Card;
use crate::scheduler::{CardState, DayClock};
use crate::settings::Settings;
use crate::types::{CardRowId, Millis};
use chrono::{DateTime, Utc};
use rusqlite::{params_from_iter, OptionalExtension, ToSql};
use std::collections::HashSet;

/// A card with its state, ready to be asked.
#[derive(Debug, Clone)]
pub struct QueueCard {
    pub row: CardRowId,
    pub deck_id: String,
    pub card: Card,
    /// `None` while the card is new.
    pub state: Option<CardState>,
    pub seed: u64,
}

impl QueueCard {
    /// The card's state, a fresh one for a new card.
    pub fn state_or_new(&self, now: DateTime<Utc>) -> CardState {
        self.state.unwrap_or_else(|| CardState::new_card(now))
    }
}

/// Today's work on a set of decks, within the daily limits.
#[derive(Debug, Default)]
pub struct StudyQueue {
    /// Learning and relearning cards due before the day ends, earliest first.
    pub learning: Vec<QueueCard>,
    /// Review cards due today, most overdue first.
    pub reviews: Vec<QueueCard>,
    /// New cards in deck order.
    pub new: Vec<QueueCard>,
    pub new_done_today: u32,
    pub reviews_done_today: u32,
}

/// One card with everything known about it.
#[derive(Debug, Clone)]
pub struct CardRecord {
    pub row: CardRowId,
    pub deck_id: String,
    pub card: Card,
    pub state: Option<CardState>,
    pub active: bool,
    pub suspended: bool,
}

const CARD_COLUMNS: &str = "c.id, c.deck_id, c.card_key, c.content, s.phase, s.step, s.stability, s.difficulty, s.due, s.last_review, s.reps, s.lapses";
/// The note, selected after [`CARD_COLUMNS`] where siblings are skipped.
const NOTE_COLUMN: usize = 12;
/// A card out of the queue for now: suspended, or buried until after `?`.
const HELD_BACK: &str = "EXISTS (SELECT 1 FROM card_flags f WHERE f.card_id = c.id AND (f.suspended = 1 OR f.buried_until > ?))";

/// A row of [`CARD_COLUMNS`] before its content is decoded.
struct StoredCard {
    row: CardRowId,
    deck_id: String,
    key: String,
    content: String,
    state: Option<CardState>,
}

impl StoredCard {
    /// The card the content holds, checked as the deck parser would have:
    /// a database edited by hand or by another program is not trusted to
    /// hold only cards kioku wrote.
    fn decode(self) -> Result<(CardRowId, String, Card, Option<CardState>)> {
        let bad = |detail: String| StoreError::BadCard {
            deck: self.deck_id.clone(),
            card: self.key.clone(),
            detail,
        };
        let card: Card = serde_json::from_str(&self.content).map_err(|e| bad(e.to_string()))?;
        card.check_stored().map_err(bad)?;
        Ok((self.row, self.deck_id, card, self.state))
    }
}

fn queue_card(row: &rusqlite::Row<'_>) -> rusqlite::Result<StoredCard> {
    Ok(StoredCard {
        row: row.get(0)?,
        deck_id: row.get(1)?,
        key: row.get(2)?,
        content: row.get(3)?,
        state: state_from_row(row, 4)?,
    })
}

/// Steps through `rows` (selected with the note at [`NOTE_COLUMN`]) until
/// `taken` holds `limit` cards, one card a note: a card whose note is in
/// `seen` waits, and each card taken adds its note. Only the rows taken
/// are read in full.
fn take(
    rows: &mut rusqlite::Rows<'_>,
    limit: usize,
    seen: &mut HashSet<(String, String)>,
    taken: &mut Vec<StoredCard>,
) -> rusqlite::Result<()> {
    while taken.len() < limit {
        let Some(r) = rows.next()? else { break };
        if seen.insert((r.get(1)?, r.get(NOTE_COLUMN)?)) {
            taken.push(queue_card(r)?);
        }
    }
    Ok(())
}

/// Decodes rows of [`queue_card`] into cards ready to ask.
fn collect_cards(
    rows: impl Iterator<Item = rusqlite::Result<StoredCard>>,
) -> Result<Vec<QueueCard>> {
    let mut out = Vec::new();
    for row in rows {
        let (row, deck_id, card, state) = row?.decode()?;
        let seed = card_seed(&deck_id, &card.id);
        out.push(QueueCard {
            row,
            deck_id,
            card,
            state,
            seed,
        });
    }
    Ok(out)
}

/// A card of `n` decks (bound first) that may be asked now: active, and
/// not held back at the moment bound after them.
///
/// The deck is a filter, not an index key (the unary `+`): the queries
/// that use this walk the due index, and a deck list as a key of the
/// narrow card index would make SQLite seek once per deck for every due
/// card (100 decks: 174,000 seeks for 1,743 due cards, 27 ms against 3).
pub(super) fn available(n: usize) -> String {
    format!(
        "c.active = 1 AND +c.deck_id IN ({}) AND NOT {HELD_BACK}",
        placeholders(n)
    )
}

fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

impl Store {
    /// The cards to study today in `decks`, within the daily limits, one card
    /// per note (siblings wait for another day).
    pub fn study_queue(
        &self,
        decks: &[String],
        now: DateTime<Utc>,
        clock: &DayClock,
        settings: &Settings,
    ) -> Result<StudyQueue> {
        let today = clock.day(now);
        let day_start = ms(clock.day_start(today));
        let tomorrow = ms(clock.day_start(today + 1));
        let (new_done, reviews_done): (u32, u32) = self.conn.query_row(
            "SELECT COALESCE(SUM(phase_before = 'new'), 0), COALESCE(SUM(phase_before = 'review'), 0)
             FROM reviews WHERE at >= ?1 AND at < ?2",
            (day_start, tomorrow),
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let mut queue = StudyQueue {
            new_done_today: new_done,
            reviews_done_today: reviews_done,
            ..Default::default()
        };
        if decks.is_empty() {
            return Ok(queue);
        }
        let now = ms(now);
        queue.learning = self.learning_due(decks, now, tomorrow)?;
        let mut seen_notes: HashSet<(String, String)> = queue
            .learning
            .iter()
            .map(|c| (c.deck_id.clone(), c.card.note.clone()))
            .collect();
        seen_notes.extend(self.notes_studied_today(decks, day_start)?);
        let reviews_left = settings.reviews_per_day.saturating_sub(reviews_done);
        queue.reviews = self.reviews_due(decks, now, tomorrow, reviews_left, &mut seen_notes)?;
        let new_left = settings.new_per_day.saturating_sub(new_done);
        queue.new = self.new_cards(decks, now, new_left, &mut seen_notes)?;
        Ok(queue)
    }

    /// Learning and relearning cards of `decks` due before `tomorrow`,
    /// earliest first.
    fn learning_due(
        &self,
        decks: &[String],
        now: Millis,
        tomorrow: Millis,
    ) -> Result<Vec<QueueCard>> {
        let sql = format!(
            "SELECT {CARD_COLUMNS} FROM card_state s JOIN cards c ON c.id = s.card_id
             WHERE {} AND s.phase IN ('learning', 'relearning') AND s.due < ? ORDER BY s.due",
            available(decks.len())
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut args: Vec<&dyn ToSql> = decks.iter().map(|d| d as &dyn ToSql).collect();
        args.extend([&now as &dyn ToSql, &tomorrow]);
        let rows = stmt.query_map(params_from_iter(args), queue_card)?;
        collect_cards(rows)
    }

    /// Notes studied today: their other cards wait. Today's reviews are
    /// found first and their cards looked up (CROSS JOIN keeps that order),
    /// never every card of the decks.
    fn notes_studied_today(
        &self,
        decks: &[String],
        day_start: Millis,
    ) -> Result<HashSet<(String, String)>> {
        let sql = format!(
            "SELECT DISTINCT c.deck_id, c.note FROM reviews r CROSS JOIN cards c ON c.id = r.card_id
             WHERE r.at >= ? AND c.deck_id IN ({})",
            placeholders(decks.len())
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut args: Vec<&dyn ToSql> = vec![&day_start];
        args.extend(decks.iter().map(|d| d as &dyn ToSql));
        let rows = stmt.query_map(params_from_iter(args), |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Due reviews in the order of their index, decoded only as far as the
    /// daily limit: a day with thousands due costs no more than that.
    fn reviews_due(
        &self,
        decks: &[String],
        now: Millis,
        tomorrow: Millis,
        limit: u32,
        seen_notes: &mut HashSet<(String, String)>,
    ) -> Result<Vec<QueueCard>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {CARD_COLUMNS}, c.note FROM card_state s JOIN cards c ON c.id = s.card_id
             WHERE {} AND s.phase = 'review' AND s.due < ? ORDER BY s.due, s.card_id",
            available(decks.len())
        ))?;
        let mut args: Vec<&dyn ToSql> = decks.iter().map(|d| d as &dyn ToSql).collect();
        args.extend([&now as &dyn ToSql, &tomorrow]);
        let mut taken = Vec::new();
        take(
            &mut stmt.query(params_from_iter(args))?,
            limit as usize,
            seen_notes,
            &mut taken,
        )?;
        collect_cards(taken.into_iter().map(Ok))
    }

    /// New cards, deck order as given, then file order: each deck's
    /// unstudied cards are a range of the `cards_new` index, read only as
    /// far as needed, and only in the decks `deck_cards` says have any.
    fn new_cards(
        &self,
        decks: &[String],
        now: Millis,
        limit: u32,
        seen_notes: &mut HashSet<(String, String)>,
    ) -> Result<Vec<QueueCard>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {CARD_COLUMNS}, c.note FROM cards c INDEXED BY cards_new
               LEFT JOIN card_state s ON s.card_id = c.id
             WHERE c.deck_id = ? AND c.active = 1 AND c.studied = 0 AND s.card_id IS NULL AND NOT {HELD_BACK}
             ORDER BY c.position"
        ))?;
        // Decks with no card left to learn are not asked at all: most of a
        // large collection's, once it has been studied for a while.
        let with_new: HashSet<String> = self
            .conn
            .prepare_cached("SELECT deck_id FROM deck_cards WHERE unstudied > 0")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut taken = Vec::new();
        for deck in decks.iter().filter(|d| with_new.contains(*d)) {
            if taken.len() >= limit as usize {
                break;
            }
            let mut rows = stmt.query((deck, now))?;
            take(&mut rows, limit as usize, seen_notes, &mut taken)?;
        }
        collect_cards(taken.into_iter().map(Ok))
    }

    /// One card by deck and card id.
    pub fn find_card(&self, deck_id: &str, card_key: &str) -> Result<Option<CardRecord>> {
        let row = self
            .conn
            .prepare_cached(&format!(
                "SELECT {CARD_COLUMNS}, c.active, COALESCE(f.suspended, 0) FROM cards c LEFT JOIN card_state s ON s.card_id = c.id LEFT JOIN card_flags f ON f.card_id = c.id
                 WHERE c.deck_id = ?1 AND c.card_key = ?2"
            ))?
            .query_row((deck_id, card_key), |r| {
                Ok((queue_card(r)?, r.get::<_, bool>(12)?, r.get::<_, bool>(13)?))
            })
            .optional()?;
        let Some((stored, active, suspended)) = row else {
            return Ok(None);
        };
        let (row, deck_id, card, state) = stored.decode()?;
        Ok(Some(CardRecord {
            row,
            deck_id,
            card,
            state,
            active,
            suspended,
        }))
    }

    /// Card ids of a deck that start with `prefix` (for "did you mean").
    pub fn card_keys(&self, deck_id: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT card_key FROM cards WHERE deck_id = ?1 AND active = 1 ORDER BY position",
        )?;
        let keys = stmt
            .query_map([deck_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(keys)
    }

    /// When the next card in `decks` falls due after `after`, and how many
    /// cards fall due before the end of the following day.
    pub fn next_due(
        &self,
        decks: &[String],
        after: DateTime<Utc>,
        clock: &DayClock,
    ) -> Result<(Option<DateTime<Utc>>, i64)> {
        if decks.is_empty() {
            return Ok((None, 0));
        }
        let end_of_tomorrow = ms(clock.day_start(clock.day(after) + 2));
        // Both read `card_state_by_due_only` from `after` on: the first card
        // that counts, and the few due by the end of tomorrow, never every
        // card of the decks.
        let counts = format!(
            "c.active = 1 AND c.deck_id IN ({})
               AND NOT EXISTS (SELECT 1 FROM card_flags f WHERE f.card_id = c.id AND f.suspended = 1)",
            (3..decks.len() + 3).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ")
        );
        let after = ms(after);
        let mut args: Vec<&dyn ToSql> = vec![&after, &end_of_tomorrow];
        args.extend(decks.iter().map(|d| d as &dyn ToSql));
        let next: Option<Millis> = self
            .conn
            .prepare_cached(&format!(
                "SELECT s.due FROM card_state s INDEXED BY card_state_by_due_only CROSS JOIN cards c ON c.id = s.card_id
                 WHERE s.due > ?1 AND {counts} ORDER BY s.due LIMIT 1"
            ))?
            .query_row(params_from_iter(&args), |r| r.get(0))
            .optional()?;
        let count: i64 = self
            .conn
            .prepare_cached(&format!(
                "SELECT COUNT(*) FROM card_state s INDEXED BY card_state_by_due_only CROSS JOIN cards c ON c.id = s.card_id
                 WHERE s.due > ?1 AND s.due < ?2 AND {counts}"
            ))?
            .query_row(params_from_iter(&args), |r| r.get(0))?;
        Ok((next.map(from_ms), count))
    }
}

impl Store {
    /// Suspends a card (out of every queue) or lifts the suspension.
    pub fn set_suspended(&self, card_row: CardRowId, suspended: bool) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO card_flags (card_id, suspended) VALUES (?1, ?2)
                 ON CONFLICT (card_id) DO UPDATE SET suspended = excluded.suspended",
            )?
            .execute((card_row, suspended))?;
        Ok(())
    }

    /// Keeps a card out of the queue until `until` (the next study day).
    pub fn bury(&self, card_row: CardRowId, until: DateTime<Utc>) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO card_flags (card_id, buried_until) VALUES (?1, ?2)
                 ON CONFLICT (card_id) DO UPDATE SET buried_until = excluded.buried_until",
            )?
            .execute((card_row, ms(until)))?;
        Ok(())
    }

    /// Every active, unsuspended card of `decks` with its state, for drawing a quiz.
    pub fn quiz_candidates(&self, decks: &[String]) -> Result<Vec<QueueCard>> {
        if decks.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {CARD_COLUMNS} FROM cards c LEFT JOIN card_state s ON s.card_id = c.id
             WHERE c.active = 1 AND c.deck_id IN ({})
               AND NOT EXISTS (SELECT 1 FROM card_flags f WHERE f.card_id = c.id AND f.suspended = 1)
             ORDER BY c.deck_id, c.position",
            placeholders(decks.len())
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(decks.iter()), queue_card)?;
        collect_cards(rows)
    }
}

/// The leech rule of `types::is_leech` as the SQL `lapses >= ?` reads it:
/// the fewest lapses that make a leech, and with the rule off a number no
/// card reaches.
pub(crate) fn leech_min_lapses(threshold: u32) -> i64 {
    if threshold == 0 {
        i64::MAX
    } else {
        i64::from(threshold)
    }
}

#[cfg(test)]
mod tests {
    use super::leech_min_lapses;
    use crate::types::is_leech;

    #[test]
    fn the_sql_leech_count_follows_the_leech_rule() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let mut stmt = conn.prepare("SELECT ?1 >= ?2").unwrap();
        for threshold in [0, 1, 2, 7, 8, 999] {
            for lapses in [0, 1, 2, 6, 7, 8, 9, 998, 999, 1000, u32::MAX] {
                let sql: bool = stmt
                    .query_row((lapses, leech_min_lapses(threshold)), |r| r.get(0))
                    .unwrap();
                assert_eq!(
                    sql,
                    is_leech(lapses, threshold),
                    "{lapses} lapses, threshold {threshold}"
                );
            }
        }
    }
}
