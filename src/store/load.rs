//! What the days ahead hold: the review cards due on each day, which the
//! scheduler's load balancing weighs (counted here, read there), and the
//! review cards of some decks, which `postpone`, `advance` and a
//! reschedule move.

use super::cards::available;
use super::{card_seed, from_ms, ms, state_from_row, Result, Store};
use crate::scheduler::{CardState, DayClock, Load};
use crate::types::CardRowId;
use chrono::{DateTime, Utc};
use rusqlite::{params_from_iter, Connection, OpenFlags, ToSql};
use std::path::PathBuf;
use std::thread::JoinHandle;

/// A review card, with what moving it needs.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewCard {
    pub row: CardRowId,
    pub deck_id: String,
    /// The card's id in its deck.
    pub key: String,
    pub seed: u64,
    /// It is counted in the load (active, not suspended).
    pub counted: bool,
    /// Its due moment is another scheduler's (Anki's, kept from its last
    /// review brought over with its history), not one kioku chose.
    pub due_from_elsewhere: bool,
    pub state: CardState,
}

/// The review cards due on each day from `now`'s day on, through `conn`.
fn count_load(conn: &Connection, now: DateTime<Utc>, clock: &DayClock) -> Result<Load> {
    let from = ms(clock.day_start(clock.day(now)));
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT s.due, COUNT(*) FROM card_state s INDEXED BY card_state_by_due
           JOIN cards c INDEXED BY cards_deck_of ON c.id = s.card_id
         WHERE {COUNTED} AND s.due >= ?1 GROUP BY s.due"
    ))?;
    let due = stmt
        .query_map([from], |r| {
            Ok((clock.day(from_ms(r.get(0)?)), r.get::<_, u32>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Load::new(due, []))
}

/// The load of the days ahead, being counted on a thread of its own or
/// counted already (see [`Store::load_ahead_soon`]).
#[derive(Debug)]
pub struct LoadAhead {
    counting: Option<JoinHandle<Result<Load>>>,
    load: Load,
    /// The moment it is counted from.
    now: DateTime<Utc>,
}

impl LoadAhead {
    /// The load, once counted: waits for the count if it is still going on.
    /// A count that failed on its thread is made again through `store`.
    pub fn wait(&mut self, store: &Store, clock: &DayClock) -> Result<&mut Load> {
        if let Some(counting) = self.counting.take() {
            self.load = match counting.join() {
                Ok(Ok(load)) => load,
                Ok(Err(_)) | Err(_) => store.load_ahead(self.now, clock)?,
            };
        }
        Ok(&mut self.load)
    }

    /// The load, or None while it is still being counted.
    pub fn counted(&self) -> Option<&Load> {
        self.counting.is_none().then_some(&self.load)
    }
}

/// A card in the load: active, in review, and not suspended.
const COUNTED: &str = "s.phase = 'review' AND c.active = 1
     AND NOT EXISTS (SELECT 1 FROM card_flags f WHERE f.card_id = c.id AND f.suspended = 1)";

impl Store {
    /// Every review card due from today on, by day: the load a session
    /// keeps up to date as it goes, or a caller placing many cards in turn
    /// starts from.
    pub fn load_ahead(&self, now: DateTime<Utc>, clock: &DayClock) -> Result<Load> {
        count_load(&self.conn, now, clock)
    }

    /// [`Store::load_ahead`] counted on a thread of its own, through a
    /// read-only connection of its own, while the caller goes on: a study
    /// session shows its first card at once and needs the load only at the
    /// first answer. A database in memory is counted here and now.
    pub fn load_ahead_soon(&self, now: DateTime<Utc>, clock: &DayClock) -> Result<LoadAhead> {
        let path = self
            .conn
            .path()
            .filter(|p| !p.is_empty())
            .map(PathBuf::from);
        let Some(path) = path else {
            return Ok(LoadAhead {
                counting: None,
                load: self.load_ahead(now, clock)?,
                now,
            });
        };
        let clock = *clock;
        let counting = std::thread::spawn(move || {
            let conn = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            conn.busy_timeout(std::time::Duration::from_secs(5))?;
            count_load(&conn, now, &clock)
        });
        Ok(LoadAhead {
            counting: Some(counting),
            load: Load::default(),
            now,
        })
    }

    /// The days from today on when the siblings of card `row` (the other
    /// cards of note `note` in deck `deck`, active and not suspended) are
    /// due, through the `cards_by_note` index.
    pub fn sibling_days(
        &self,
        (row, deck, note): (CardRowId, &str, &str),
        now: DateTime<Utc>,
        clock: &DayClock,
    ) -> Result<Vec<i64>> {
        let from = ms(clock.day_start(clock.day(now)));
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.due FROM cards c JOIN card_state s ON s.card_id = c.id
             WHERE c.deck_id = ?1 AND c.note = ?2 AND c.id != ?3 AND c.active = 1 AND s.due >= ?4
               AND NOT EXISTS (SELECT 1 FROM card_flags f WHERE f.card_id = c.id AND f.suspended = 1)",
        )?;
        let days = stmt
            .query_map((deck, note, row, from), |r| {
                Ok(clock.day(from_ms(r.get(0)?)))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(days)
    }

    /// How many review cards of `decks` that may be studied now are due
    /// before the day after `now` ends: today's reviews and the backlog.
    pub fn reviews_due_count(
        &self,
        decks: &[String],
        now: DateTime<Utc>,
        clock: &DayClock,
    ) -> Result<u32> {
        if decks.is_empty() {
            return Ok(0);
        }
        let tomorrow = ms(clock.day_start(clock.day(now) + 1));
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT COUNT(*) FROM card_state s JOIN cards c INDEXED BY cards_deck_of ON c.id = s.card_id
             WHERE {} AND s.phase = 'review' AND s.due < ?",
            available(decks.len())
        ))?;
        let now = ms(now);
        let mut args: Vec<&dyn ToSql> = decks.iter().map(|d| d as &dyn ToSql).collect();
        args.extend([&now as &dyn ToSql, &tomorrow]);
        Ok(stmt.query_row(params_from_iter(args), |r| r.get(0))?)
    }

    /// The review cards of `decks` that may be studied (active, not
    /// suspended or buried at `now`), earliest due first.
    pub fn review_cards(&self, decks: &[String], now: DateTime<Utc>) -> Result<Vec<ReviewCard>> {
        if decks.is_empty() {
            return Ok(Vec::new());
        }
        let now = ms(now);
        let mut args: Vec<&dyn ToSql> = decks.iter().map(|d| d as &dyn ToSql).collect();
        args.push(&now);
        self.review_cards_where(&available(decks.len()), &args)
    }

    /// Every review card the database holds, suspended and retired ones
    /// too, earliest due first: what a reschedule moves.
    pub fn all_review_cards(&self) -> Result<Vec<ReviewCard>> {
        self.review_cards_where("1 = 1", &[])
    }

    fn review_cards_where(&self, filter: &str, args: &[&dyn ToSql]) -> Result<Vec<ReviewCard>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT c.id, c.deck_id, c.card_key, s.phase, s.step, s.stability, s.difficulty, s.due,
                    s.last_review, s.reps, s.lapses, {COUNTED},
                    EXISTS (SELECT 1 FROM reviews r WHERE r.card_id = c.id AND r.at = s.last_review
                            AND r.kept_due IS NOT NULL)
                      AND NOT EXISTS (SELECT 1 FROM moves m WHERE m.card_id = c.id AND m.at > s.last_review)
             FROM card_state s JOIN cards c ON c.id = s.card_id
             WHERE {filter} AND s.phase = 'review' ORDER BY s.due, s.card_id"
        ))?;
        let rows = stmt.query_map(params_from_iter(args), |r| {
            let deck: String = r.get(1)?;
            let key: String = r.get(2)?;
            Ok((
                r.get(0)?,
                deck,
                key,
                state_from_row(r, 3)?,
                (r.get(11)?, r.get(12)?),
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (row, deck_id, key, state, (counted, due_from_elsewhere)) = row?;
            if let Some(state) = state {
                out.push(ReviewCard {
                    row,
                    seed: card_seed(&deck_id, &key),
                    deck_id,
                    key,
                    state,
                    counted,
                    due_from_elsewhere,
                });
            }
        }
        Ok(out)
    }
}
