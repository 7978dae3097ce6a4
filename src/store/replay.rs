//! The review log replayed: rebuilding the card-state cache, merging another
//! machine's log, and importing reviews from a file. All three come down to
//! adding reviews the log lacks and replaying every card's reviews in order
//! (time, then review id, so two machines replay alike).

use super::reviews::{new_review_id, put_state, write_review};
use super::NewReview;
use super::{card_seed, from_ms, state_from_row, Result, Store, StoreError};
use crate::scheduler::fit::History;
use crate::scheduler::{CardState, Scheduler};
use crate::types::{Rating, Verdict};
use rusqlite::{params, OptionalExtension};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// From this many reviews on, an import rebuilds the time index afterwards.
pub(super) const BULK: usize = 50_000;

/// One review of a card being replayed for an import: the log's own, or
/// one from the file (`new`).
struct Entry<'a> {
    id: String,
    at: i64,
    rating: Rating,
    new: Option<&'a Imported>,
    offset: Option<i32>,
}

/// What a rebuild did.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Rebuilt {
    pub cards: usize,
    pub reviews: usize,
    /// Cards whose cached state changed.
    pub changed: usize,
}

/// What a merge or an import added.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Added {
    pub added: usize,
    /// Reviews already in the log.
    pub known: usize,
    /// Cards (and their decks) that this database did not have yet.
    pub new_cards: usize,
    pub rebuilt: Rebuilt,
}

/// A review to import into the log.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub card_row: i64,
    pub at_ms: i64,
    pub rating: Rating,
    pub duration_ms: Option<i64>,
    /// The UTC offset the review's time was written in (seconds east).
    pub utc_offset: Option<i32>,
}

impl Store {
    /// Every card's reviews, oldest first (by time, then id), keyed by card row.
    pub fn histories(&self) -> Result<Vec<History>> {
        let mut stmt = self
            .conn
            .prepare("SELECT card_id, at, rating FROM reviews ORDER BY card_id, at, id")?;
        let mut rows = stmt.query([])?;
        let mut out: Vec<History> = Vec::new();
        while let Some(r) = rows.next()? {
            let card: i64 = r.get(0)?;
            let at = from_ms(r.get(1)?);
            let rating: u32 = r.get(2)?;
            match out.last_mut() {
                Some(h) if h.card == card => h.reviews.push((at, rating)),
                _ => out.push(History {
                    card,
                    reviews: vec![(at, rating)],
                }),
            }
        }
        Ok(out)
    }

    /// Replays every card's reviews with `scheduler` and rewrites the cached
    /// states that differ, in one transaction. The log itself is not
    /// touched: each review keeps the states it was recorded with.
    pub fn rebuild(&mut self, scheduler: &Scheduler) -> Result<Rebuilt> {
        let tx = self.write()?;
        let mut done = Rebuilt::default();
        {
            let mut read = tx.prepare(
                "SELECT r.card_id, c.deck_id, c.card_key, r.id, r.at, r.rating, r.utc_offset
                 FROM reviews r JOIN cards c ON c.id = r.card_id
                 ORDER BY r.card_id, r.at, r.id",
            )?;
            let mut rows = read.query([])?;
            let mut card: Option<(i64, u64)> = None;
            let mut reviews: Vec<(String, i64, Rating, Option<i32>)> = Vec::new();
            let mut finish = |card: (i64, u64),
                              reviews: &mut Vec<(String, i64, Rating, Option<i32>)>|
             -> Result<()> {
                replay_card(&tx, scheduler, card, reviews, &mut done)?;
                reviews.clear();
                Ok(())
            };
            while let Some(r) = rows.next()? {
                let row: i64 = r.get(0)?;
                if card.is_some_and(|(c, _)| c != row) {
                    finish(card.take().expect("a card in progress"), &mut reviews)?;
                }
                if card.is_none() {
                    let deck: String = r.get(1)?;
                    let key: String = r.get(2)?;
                    card = Some((row, card_seed(&deck, &key)));
                }
                let rating = Rating::from_number(r.get(5)?).unwrap_or(Rating::Good);
                reviews.push((r.get(3)?, r.get(4)?, rating, r.get(6)?));
            }
            if let Some(c) = card {
                finish(c, &mut reviews)?;
            }
        }
        // A state without reviews (all undone elsewhere) is a new card again.
        done.changed += tx.execute(
            "DELETE FROM card_state WHERE card_id NOT IN (SELECT card_id FROM reviews)",
            [],
        )?;
        // The per-day summary is a cache of the log too.
        super::stats::summarize_days(&tx, scheduler.clock().shift_ms())?;
        tx.commit()?;
        Ok(done)
    }

    /// Adds the reviews of another kioku database that this one lacks (by
    /// review id), bringing the cards and decks they belong to, then
    /// rebuilds. Merging twice adds nothing the second time.
    pub fn merge(&mut self, other: &Path, scheduler: &Scheduler) -> Result<Added> {
        let theirs = Store::open_read_only(other)?;
        let tx = self.write()?;
        let mut added = Added::default();
        {
            // Their cards, matched to ours by deck and card id.
            let mut ours: HashMap<(String, String), i64> = HashMap::new();
            {
                let mut stmt = tx.prepare("SELECT deck_id, card_key, id FROM cards")?;
                for r in stmt.query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))? {
                    let (k, v) = r?;
                    ours.insert(k, v);
                }
            }
            let mut their_cards = theirs.conn.prepare(
                "SELECT c.id, c.deck_id, c.card_key, c.note, c.kind, c.position, c.content, c.content_hash, c.added_at,
                        d.title, d.description, d.origin
                 FROM cards c JOIN decks d ON d.id = c.deck_id
                 WHERE c.id IN (SELECT DISTINCT card_id FROM reviews)",
            )?;
            let mut map: HashMap<i64, i64> = HashMap::new();
            let mut rows = their_cards.query([])?;
            while let Some(r) = rows.next()? {
                let their_id: i64 = r.get(0)?;
                let key: (String, String) = (r.get(1)?, r.get(2)?);
                let mine = match ours.get(&key) {
                    Some(id) => *id,
                    None => {
                        // A deck this machine has not seen: keep its cards, out
                        // of the queue until its file is here too.
                        tx.execute(
                            "INSERT OR IGNORE INTO decks (id, title, description, origin, file_hash, file_stamp, synced_at)
                             VALUES (?1, ?2, ?3, ?4, '', NULL, 0)",
                            params![key.0, r.get::<_, String>(9)?, r.get::<_, Option<String>>(10)?, r.get::<_, String>(11)?],
                        )?;
                        tx.execute(
                            "INSERT INTO cards (deck_id, card_key, note, kind, position, content, content_hash, active, added_at)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8)",
                            params![
                                key.0,
                                key.1,
                                r.get::<_, String>(3)?,
                                r.get::<_, String>(4)?,
                                r.get::<_, i64>(5)?,
                                r.get::<_, String>(6)?,
                                r.get::<_, String>(7)?,
                                r.get::<_, i64>(8)?
                            ],
                        )?;
                        added.new_cards += 1;
                        tx.last_insert_rowid()
                    }
                };
                map.insert(their_id, mine);
            }
            let mut their_reviews = theirs.conn.prepare(
                "SELECT id, card_id, at, rating, verdict, answer, duration_ms, interval_days,
                        phase_before, step_before, stability_before, difficulty_before, due_before, last_before, reps_before, lapses_before,
                        phase_after, step_after, stability_after, difficulty_after, due_after, utc_offset
                 FROM reviews",
            )?;
            let mut insert = tx.prepare(
                "INSERT OR IGNORE INTO reviews (id, card_id, session_id, at, rating, verdict, answer, duration_ms, interval_days,
                    phase_before, step_before, stability_before, difficulty_before, due_before, last_before, reps_before, lapses_before,
                    phase_after, step_after, stability_after, difficulty_after, due_after, utc_offset)
                 VALUES (?1, ?2, NULL, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)",
            )?;
            let mut rows = their_reviews.query([])?;
            while let Some(r) = rows.next()? {
                let id: String = r.get(0)?;
                let Some(&card) = map.get(&r.get::<_, i64>(1)?) else {
                    continue;
                };
                let n = insert.execute(params![
                    id,
                    card,
                    r.get::<_, i64>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, Option<i64>>(6)?,
                    r.get::<_, i64>(7)?,
                    r.get::<_, String>(8)?,
                    r.get::<_, i64>(9)?,
                    r.get::<_, Option<f64>>(10)?,
                    r.get::<_, Option<f64>>(11)?,
                    r.get::<_, Option<i64>>(12)?,
                    r.get::<_, Option<i64>>(13)?,
                    r.get::<_, i64>(14)?,
                    r.get::<_, i64>(15)?,
                    r.get::<_, String>(16)?,
                    r.get::<_, i64>(17)?,
                    r.get::<_, f64>(18)?,
                    r.get::<_, f64>(19)?,
                    r.get::<_, i64>(20)?,
                    r.get::<_, Option<i32>>(21)?
                ])?;
                if n == 1 {
                    added.added += 1;
                } else {
                    added.known += 1;
                }
            }
        }
        tx.commit()?;
        // Merged reviews keep the states their machine recorded; only the
        // cache is rebuilt.
        added.rebuilt = self.rebuild(scheduler)?;
        Ok(added)
    }

    /// Adds reviews read from a file, skipping any the log already has (the
    /// same card at the same moment). Each card they touch is replayed, the
    /// added reviews are written with the states the replay gives them, and
    /// the card's state is updated — one pass, one transaction.
    pub fn import_reviews(&mut self, reviews: &[Imported], scheduler: &Scheduler) -> Result<Added> {
        let mut order: Vec<&Imported> = reviews.iter().collect();
        order.sort_by_key(|r| (r.card_row, r.at_ms));
        let seeds: HashMap<i64, u64> = {
            let mut stmt = self
                .conn
                .prepare("SELECT id, deck_id, card_key FROM cards")?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get(0)?,
                    card_seed(&r.get::<_, String>(1)?, &r.get::<_, String>(2)?),
                ))
            })?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        // A large import works with a bigger page cache (64 MB), and builds
        // the time index afresh afterwards: sorting once is far cheaper
        // than a million scattered inserts into it.
        let bulk = reviews.len() >= BULK;
        let cache: i64 = self.conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
        if bulk {
            self.conn.pragma_update(None, "cache_size", -65_536)?;
        }
        let result = self.import_sorted(&order, &seeds, scheduler, bulk);
        if bulk {
            self.conn.pragma_update(None, "cache_size", cache)?;
        }
        result
    }

    fn import_sorted(
        &mut self,
        order: &[&Imported],
        seeds: &HashMap<i64, u64>,
        scheduler: &Scheduler,
        bulk: bool,
    ) -> Result<Added> {
        let tx = self.write()?;
        // A large import is summed into the per-day summary in one pass at
        // the end, not counted row by row by the triggers.
        let summary = if bulk {
            let shift = super::stats::summary_shift(&tx)?;
            super::stats::forget_days(&tx)?;
            shift
        } else {
            None
        };
        let rebuild_index: Option<String> = if bulk {
            let sql: Option<String> = tx
                .query_row(
                    "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'reviews_by_time'",
                    [],
                    |r| r.get(0),
                )
                .optional()?;
            if sql.is_some() {
                tx.execute_batch("DROP INDEX reviews_by_time")?;
            }
            sql
        } else {
            None
        };
        let mut added = Added::default();
        {
            let mut existing = tx.prepare(
                "SELECT id, at, rating, utc_offset FROM reviews WHERE card_id = ?1 ORDER BY at, id",
            )?;
            for group in order.chunk_by(|a, b| a.card_row == b.card_row) {
                let card = group[0].card_row;
                let mut sequence: Vec<Entry<'_>> = existing
                    .query_map([card], |r| {
                        Ok(Entry {
                            id: r.get(0)?,
                            at: r.get(1)?,
                            rating: Rating::from_number(r.get(2)?).unwrap_or(Rating::Good),
                            new: None,
                            offset: r.get(3)?,
                        })
                    })?
                    .collect::<rusqlite::Result<_>>()?;
                let mut seen: HashSet<i64> = sequence.iter().map(|e| e.at).collect();
                let before = sequence.len();
                for r in group {
                    if seen.insert(r.at_ms) {
                        sequence.push(Entry {
                            id: new_review_id(),
                            at: r.at_ms,
                            rating: r.rating,
                            new: Some(*r),
                            offset: r.utc_offset,
                        });
                    } else {
                        added.known += 1;
                    }
                }
                if sequence.len() == before {
                    continue;
                }
                added.added += sequence.len() - before;
                sequence.sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
                let seed = seeds.get(&card).copied().unwrap_or(0);
                let outcomes = scheduler
                    .replay(
                        seed,
                        sequence.iter().map(|e| (from_ms(e.at), e.rating, e.offset)),
                    )
                    .map_err(|e| StoreError::Replay(e.to_string()))?;
                for (i, entry) in sequence.iter().enumerate() {
                    let (id, Some(r)) = (&entry.id, entry.new) else {
                        continue;
                    };
                    let outcome = &outcomes[i];
                    write_review(
                        &tx,
                        id,
                        &NewReview {
                            card_row: card,
                            session: None,
                            at: from_ms(r.at_ms),
                            rating: r.rating,
                            verdict: match r.rating {
                                Rating::Again => Verdict::Wrong,
                                Rating::Hard => Verdict::Close,
                                Rating::Good | Rating::Easy => Verdict::Correct,
                            },
                            answer: None,
                            duration_ms: r.duration_ms,
                            interval_days: outcome.interval.whole_days(),
                            before: i.checked_sub(1).map(|p| outcomes[p].state),
                            after: outcome.state,
                            utc_offset: r.utc_offset,
                        },
                    )?;
                }
                if let Some(last) = outcomes.last() {
                    put_state(&tx, card, Some(&last.state))?;
                }
                added.rebuilt.cards += 1;
                added.rebuilt.reviews += sequence.len();
                added.rebuilt.changed += 1;
            }
        }
        if let Some(sql) = rebuild_index {
            tx.execute_batch(&sql)?;
        }
        if let Some(shift) = summary {
            super::stats::summarize_days(&tx, shift)?;
        }
        tx.commit()?;
        Ok(added)
    }

    /// Every card's row, by deck and card id, for matching a file's reviews.
    pub fn card_rows(&self) -> Result<HashMap<(String, String), i64>> {
        let mut stmt = self
            .conn
            .prepare("SELECT deck_id, card_key, id FROM cards")?;
        let rows = stmt.query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The rows of the cards in the decks now loaded.
    pub fn active_card_rows(&self) -> Result<HashSet<i64>> {
        let mut stmt = self.conn.prepare("SELECT id FROM cards WHERE active = 1")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every cached state, by card row: what a rebuild is compared against.
    pub fn all_states(&self) -> Result<HashMap<i64, CardState>> {
        let mut stmt = self.conn.prepare(
            "SELECT card_id, phase, step, stability, difficulty, due, last_review, reps, lapses FROM card_state",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, state_from_row(r, 1)?)))?;
        let mut out = HashMap::new();
        for row in rows {
            let (id, state): (i64, Option<CardState>) = row?;
            if let Some(s) = state {
                out.insert(id, s);
            }
        }
        Ok(out)
    }
}

/// Replays one card and writes what changed.
fn replay_card(
    tx: &rusqlite::Transaction<'_>,
    scheduler: &Scheduler,
    (card, seed): (i64, u64),
    reviews: &[(String, i64, Rating, Option<i32>)],
    done: &mut Rebuilt,
) -> Result<()> {
    let outcomes = scheduler
        .replay(
            seed,
            reviews
                .iter()
                .map(|(_, at, rating, offset)| (from_ms(*at), *rating, *offset)),
        )
        .map_err(|e| StoreError::Replay(e.to_string()))?;
    done.cards += 1;
    done.reviews += reviews.len();
    let Some(last) = outcomes.last() else {
        return Ok(());
    };
    let current = tx
        .prepare_cached(
            "SELECT phase, step, stability, difficulty, due, last_review, reps, lapses FROM card_state WHERE card_id = ?1",
        )?
        .query_row([card], |r| state_from_row(r, 0))
        .optional()?
        .flatten();
    if current.as_ref() != Some(&stored(&last.state)) {
        put_state(tx, card, Some(&last.state))?;
        done.changed += 1;
    }
    Ok(())
}

/// A state as it reads back from the database.
fn stored(s: &CardState) -> CardState {
    CardState {
        memory: Some(s.memory.unwrap_or(fsrs::MemoryState {
            stability: 0.0,
            difficulty: 0.0,
        })),
        last_review: Some(s.last_review.unwrap_or(s.due)),
        ..*s
    }
}
