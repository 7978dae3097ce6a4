//! The review log replayed: rebuilding the card-state cache, merging another
//! machine's log, and importing reviews from a file. All three come down to
//! adding reviews the log lacks and replaying every card's reviews in order
//! (time, then review id, so two machines replay alike).

use super::outside::Refused;
use super::pending::{clear_stale, mark_stale, restore_triggers, set_triggers_aside, Pace};
use super::reviews::{logged, logged_row, new_review_id, put_state, write_review};
use super::NewReview;
use super::{card_seed, from_ms, ms, state_from_row, Result, Store, StoreError};
use crate::scheduler::fit::History;
use crate::scheduler::{CardState, Logged, Scheduler};
use crate::types::{CardRowId, Millis, Rating};
use rusqlite::OptionalExtension;
use std::collections::{HashMap, HashSet};

/// From this many reviews on, an import rebuilds the time index afterwards.
pub(super) const BULK: usize = 50_000;

/// The narrow time index the statistics read (as the first migration made it).
pub(super) const TIME_INDEX: &str = "CREATE INDEX IF NOT EXISTS reviews_by_time ON reviews \
    (at, card_id, rating, duration_ms, phase_before, due_before, last_before, stability_after);";

/// One review of a card being replayed for an import: the log's own, or
/// one from the file (`new`).
struct Entry<'a> {
    id: String,
    review: Logged,
    new: Option<&'a Imported>,
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
    /// Reviews not taken, with the first one's reason.
    pub refused: Refused,
    /// Merged reviews kept with their duration cut to six hours.
    pub shortened: usize,
    /// Cards (and their decks) that this database did not have yet.
    pub new_cards: usize,
    pub rebuilt: Rebuilt,
}

/// A review to import into the log.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub card_row: CardRowId,
    pub at: Millis,
    pub rating: Rating,
    pub duration_ms: Option<i64>,
    /// The UTC offset the review's time was written in (seconds east).
    pub utc_offset: Option<i32>,
    /// The due moment the review's own scheduler chose (Anki's), when it
    /// is to be kept.
    pub kept_due: Option<Millis>,
    /// The day kioku's load balancer chose, as a history file keeps it.
    pub balanced_due: Option<Millis>,
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
            let card: CardRowId = r.get(0)?;
            let at = from_ms(r.get(1)?);
            let rating: u32 = r.get(2)?;
            match out.last_mut() {
                Some(h) if h.card == card.0 => h.reviews.push((at, rating)),
                _ => out.push(History {
                    card: card.0,
                    reviews: vec![(at, rating)],
                }),
            }
        }
        Ok(out)
    }

    /// Replays every card's reviews with `scheduler` and rewrites the cached
    /// states that differ. The log itself is not touched: each review keeps
    /// the states it was recorded with.
    ///
    /// The cards are taken in runs of a fraction of a second each, one
    /// transaction a run, so that a study session in another terminal waits
    /// no longer than that; a card answered there meanwhile is replayed with
    /// its new review if its run comes later, and was saved with the state
    /// the replay gives if its run came before. The last transaction clears
    /// the mark that the states are behind the log.
    pub fn rebuild(&mut self, scheduler: &Scheduler) -> Result<Rebuilt> {
        self.bulk_locked(|store| store.rebuild_locked(scheduler))
    }

    fn rebuild_locked(&mut self, scheduler: &Scheduler) -> Result<Rebuilt> {
        let mut done = Rebuilt::default();
        let mut from = CardRowId(i64::MIN);
        loop {
            let tx = self.write()?;
            // Some cards are rebuilt, some not yet, until the last run: a
            // kill in between leaves the mark for the next command.
            mark_stale(&tx, "rebuild")?;
            let reached = replay_from(&tx, scheduler, from, &mut done)?;
            tx.commit()?;
            match reached {
                Some(last) => from = CardRowId(last.0.saturating_add(1)),
                None => break,
            }
        }
        let tx = self.write()?;
        // A state without reviews (all undone elsewhere) is a new card again.
        done.changed += tx.execute(
            "DELETE FROM card_state WHERE card_id NOT IN (SELECT card_id FROM reviews)",
            [],
        )?;
        // The triggers and the time index, should an import have been cut
        // short without them, and the per-day summary, which cards are
        // studied, the deck counts and the kept starts: caches too.
        restore_triggers(&tx)?;
        tx.execute_batch(TIME_INDEX)?;
        super::stats::summarize_days(&tx, scheduler.clock().shift_ms())?;
        super::counts::recount_studied(&tx)?;
        super::starts::forget_starts(&tx)?;
        clear_stale(&tx)?;
        tx.commit()?;
        Ok(done)
    }

    /// Adds reviews read from a file, skipping any the log already has (the
    /// same card at the same moment). Each card they touch is replayed, the
    /// added reviews are written with the states the replay gives them, and
    /// the card's state is updated — one pass, one transaction.
    pub fn import_reviews(&mut self, reviews: &[Imported], scheduler: &Scheduler) -> Result<Added> {
        let mut order: Vec<&Imported> = reviews.iter().collect();
        order.sort_by_key(|r| (r.card_row, r.at));
        let seeds: HashMap<CardRowId, u64> = {
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
        let result = self.bulk_locked(|store| store.import_locked(&order, &seeds, scheduler, bulk));
        if bulk {
            self.conn.pragma_update(None, "cache_size", cache)?;
        }
        result
    }

    /// Writes the import card by card, in transactions of a fraction of a
    /// second: each card's new reviews and its state go in together, and the
    /// mark that the states are behind the log stays until the end, so a
    /// kill leaves a log the next command finishes and the same import can
    /// simply be run again (what is here already is skipped).
    fn import_locked(
        &mut self,
        order: &[&Imported],
        seeds: &HashMap<CardRowId, u64>,
        scheduler: &Scheduler,
        bulk: bool,
    ) -> Result<Added> {
        let (summary, rebuild_index) = {
            let tx = self.write()?;
            mark_stale(&tx, "history import")?;
            let prepared = prepare_bulk(&tx, bulk)?;
            tx.commit()?;
            prepared
        };
        let groups: Vec<&[&Imported]> = order.chunk_by(|a, b| a.card_row == b.card_row).collect();
        let mut added = Added::default();
        let mut next = 0;
        while next < groups.len() {
            let tx = self.write()?;
            mark_stale(&tx, "history import")?;
            let mut pace = Pace::new();
            for group in &groups[next..] {
                next += 1;
                let n = import_card(&tx, group, seeds, scheduler, &mut added)?;
                if pace.spent(n) {
                    break;
                }
            }
            tx.commit()?;
        }
        let tx = self.write()?;
        if bulk {
            finish_bulk(&tx, summary, rebuild_index)?;
        }
        clear_stale(&tx)?;
        tx.commit()?;
        Ok(added)
    }

    /// Every card's row, by deck and card id, for matching a file's reviews.
    pub fn card_rows(&self) -> Result<HashMap<(String, String), CardRowId>> {
        let mut stmt = self
            .conn
            .prepare("SELECT deck_id, card_key, id FROM cards")?;
        let rows = stmt.query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The moment of every review of deck `deck`, with the id in the deck of
    /// the card it belongs to: which card already holds a review from
    /// outside, whatever that card is called now.
    pub fn review_moments(&self, deck: &str) -> Result<HashMap<Millis, String>> {
        let mut stmt = self.conn.prepare(
            "SELECT r.at, c.card_key FROM reviews r JOIN cards c ON c.id = r.card_id WHERE c.deck_id = ?1",
        )?;
        let rows = stmt.query_map([deck], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The rows of the cards in the decks now loaded.
    pub fn active_card_rows(&self) -> Result<HashSet<CardRowId>> {
        let mut stmt = self.conn.prepare("SELECT id FROM cards WHERE active = 1")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every cached state, by card row: what a rebuild is compared against.
    pub fn all_states(&self) -> Result<HashMap<CardRowId, CardState>> {
        let mut stmt = self.conn.prepare(
            "SELECT card_id, phase, step, stability, difficulty, due, last_review, reps, lapses FROM card_state",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, state_from_row(r, 1)?)))?;
        let mut out = HashMap::new();
        for row in rows {
            let (id, state): (CardRowId, Option<CardState>) = row?;
            if let Some(s) = state {
                out.insert(id, s);
            }
        }
        Ok(out)
    }
}

/// Replays the cards from row `from` on and writes what changed, until a
/// transaction's share of work is done: returns the last card replayed
/// then, or `None` once every card is.
fn replay_from(
    tx: &rusqlite::Transaction<'_>,
    scheduler: &Scheduler,
    from: CardRowId,
    done: &mut Rebuilt,
) -> Result<Option<CardRowId>> {
    // In the order of the card index, so that SQLite sorts nothing: each
    // run reads on from where the last stopped. (Left to itself, SQLite
    // walks the cards from `from` and sorts every review after them, once
    // a run: the whole rebuild grew with the square of the log. CROSS JOIN
    // keeps the reviews outside.) Reviews of one card at the same moment
    // are put in id order here, as replay takes them.
    let mut read = tx.prepare_cached(
        "SELECT r.card_id, c.deck_id, c.card_key, r.at, r.rating, r.utc_offset, r.kept_due, r.balanced_due, r.id
         FROM reviews r INDEXED BY reviews_by_card CROSS JOIN cards c ON c.id = r.card_id
         WHERE r.card_id >= ?1
         ORDER BY r.card_id, r.at",
    )?;
    let mut rows = read.query([from])?;
    let mut card: Option<(CardRowId, u64)> = None;
    let mut reviews: Vec<(Logged, String)> = Vec::new();
    let mut pace = Pace::new();
    while let Some(r) = rows.next()? {
        let row: CardRowId = r.get(0)?;
        if let Some(c) = card.filter(|(c, _)| *c != row) {
            replay_in_order(tx, scheduler, c, &mut reviews, done)?;
            if pace.spent(reviews.len()) {
                return Ok(Some(c.0));
            }
            reviews.clear();
            card = None;
        }
        if card.is_none() {
            let deck: String = r.get(1)?;
            let key: String = r.get(2)?;
            card = Some((row, card_seed(&deck, &key)));
        }
        reviews.push((logged_row(r, 3)?, r.get(8)?));
    }
    if let Some(c) = card {
        replay_in_order(tx, scheduler, c, &mut reviews, done)?;
    }
    Ok(None)
}

/// [`replay_card`] on one card's reviews, read in time order, with those
/// at the same moment put in id order.
fn replay_in_order(
    tx: &rusqlite::Transaction<'_>,
    scheduler: &Scheduler,
    card: (CardRowId, u64),
    reviews: &mut [(Logged, String)],
    done: &mut Rebuilt,
) -> Result<()> {
    reviews.sort_by(|(a, a_id), (b, b_id)| a.at.cmp(&b.at).then_with(|| a_id.cmp(b_id)));
    let logged: Vec<Logged> = reviews.iter().map(|(l, _)| *l).collect();
    replay_card(tx, scheduler, card, &logged, done)
}

/// Replays one card and writes what changed.
fn replay_card(
    tx: &rusqlite::Transaction<'_>,
    scheduler: &Scheduler,
    (card, seed): (CardRowId, u64),
    reviews: &[Logged],
    done: &mut Rebuilt,
) -> Result<()> {
    let outcomes = scheduler
        .replay(seed, reviews.iter().copied())
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
    let state = super::moves::settle(tx, card, last.state)?;
    if current.as_ref() != Some(&stored(&state)) {
        put_state(tx, card, Some(&state))?;
        done.changed += 1;
    }
    Ok(())
}

/// A state as it reads back from the database.
fn stored(s: &CardState) -> CardState {
    CardState {
        memory: Some(s.memory.unwrap_or(super::NO_MEMORY)),
        last_review: Some(s.last_review.unwrap_or(s.due)),
        ..*s
    }
}

/// For a large import: the per-day summary is summed in one pass at the end
/// (not counted row by row by the triggers), and the time index built
/// afresh then. Returns the summary's clock and whether the index went.
pub(super) fn prepare_bulk(
    tx: &rusqlite::Transaction<'_>,
    bulk: bool,
) -> Result<(Option<i64>, bool)> {
    if !bulk {
        return Ok((None, false));
    }
    let shift = super::stats::summary_shift(tx)?;
    super::stats::forget_days(tx)?;
    super::starts::forget_starts(tx)?;
    set_triggers_aside(tx, "reviews")?;
    set_triggers_aside(tx, "card_state")?;
    let indexed: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'reviews_by_time')",
        [],
        |r| r.get(0),
    )?;
    if indexed {
        tx.execute_batch("DROP INDEX reviews_by_time")?;
    }
    Ok((shift, indexed))
}

/// The last transaction of a bulk import: the triggers made again, and
/// what they keep counted afresh, whatever another process did while they
/// were aside (a `stats` may have kept starts or summed the days): which
/// cards are studied and the deck counts, the starts emptied, the days
/// summed again in the clock they are kept in now, else in the one they
/// were kept in before.
fn finish_bulk(
    tx: &rusqlite::Transaction<'_>,
    summary: Option<i64>,
    rebuild_index: bool,
) -> Result<()> {
    restore_triggers(tx)?;
    super::counts::recount_studied(tx)?;
    super::starts::forget_starts(tx)?;
    if rebuild_index {
        tx.execute_batch(TIME_INDEX)?;
    }
    if let Some(shift) = super::stats::summary_shift(tx)?.or(summary) {
        super::stats::summarize_days(tx, shift)?;
    }
    Ok(())
}

/// Adds one card's imported reviews that the log lacks (the same card at
/// the same moment is already here), replaying the card to give them and
/// the card their states. Returns the reviews replayed.
fn import_card(
    tx: &rusqlite::Transaction<'_>,
    group: &[&Imported],
    seeds: &HashMap<CardRowId, u64>,
    scheduler: &Scheduler,
    added: &mut Added,
) -> Result<usize> {
    let card = group[0].card_row;
    let mut sequence: Vec<Entry> = logged(tx, card)?
        .into_iter()
        .map(|(id, review)| Entry {
            id,
            review,
            new: None,
        })
        .collect();
    let mut seen: HashSet<Millis> = sequence.iter().map(|e| ms(e.review.at)).collect();
    let before = sequence.len();
    for r in group {
        if seen.insert(r.at) {
            sequence.push(Entry {
                id: new_review_id(),
                review: Logged {
                    at: from_ms(r.at),
                    rating: r.rating,
                    offset: r.utc_offset,
                    kept_due: r.kept_due.map(from_ms),
                    balanced_due: r.balanced_due.map(from_ms),
                },
                new: Some(*r),
            });
        } else {
            added.known += 1;
        }
    }
    if sequence.len() == before {
        return Ok(group.len());
    }
    added.added += sequence.len() - before;
    sequence.sort_by(|a, b| (a.review.at, &a.id).cmp(&(b.review.at, &b.id)));
    let seed = seeds.get(&card).copied().unwrap_or(0);
    let outcomes = scheduler
        .replay(seed, sequence.iter().map(|e| e.review))
        .map_err(|e| StoreError::Replay(e.to_string()))?;
    for (i, entry) in sequence.iter().enumerate() {
        let (id, Some(r)) = (&entry.id, entry.new) else {
            continue;
        };
        let outcome = &outcomes[i];
        write_review(
            tx,
            id,
            &NewReview {
                card_row: card,
                session: None,
                at: from_ms(r.at),
                rating: r.rating,
                verdict: r.rating.verdict(),
                answer: None,
                duration_ms: r.duration_ms,
                interval_days: outcome.interval.whole_days(),
                before: i.checked_sub(1).map(|p| outcomes[p].state),
                after: outcome.state,
                utc_offset: r.utc_offset,
                accepted: None,
                kept_due: r.kept_due.map(from_ms),
                balanced_due: r.balanced_due.map(from_ms),
            },
        )?;
    }
    if let Some(last) = outcomes.last() {
        put_state(tx, card, Some(&last.state))?;
    }
    added.rebuilt.cards += 1;
    added.rebuilt.reviews += sequence.len();
    added.rebuilt.changed += 1;
    Ok(sequence.len())
}
