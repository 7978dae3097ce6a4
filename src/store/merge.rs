//! `merge`: the reviews of another machine's database that this one lacks,
//! written in short transactions, then the card states rebuilt.
//!
//! The other file is read and checked whole first ([`super::other`]), with no
//! lock held on the learner's database. A review is already here when its id
//! is, or when the same card has a review at the same moment with the same
//! rating (two machines that imported one history file gave its reviews
//! different ids). Their accepted answers ("I was right") come too, one per
//! card and folded answer, and their moves (postpone, advance, reschedule),
//! by id. It never writes to the other file.

use super::accepted::Accepted;
use super::other::{self, TheirCard, TheirLog, TheirReview};
use super::outside::Refused;
use super::pending::{mark_stale, Pace};
use super::replay::Added;
use super::{ms, Result, Store};
use crate::scheduler::Scheduler;
use crate::types::CardRowId;
use chrono::{DateTime, Utc};
use rusqlite::{params, Transaction};
use std::path::Path;

impl Store {
    /// Adds the reviews of another kioku database that this one lacks,
    /// bringing the cards and decks they belong to, then rebuilds. Merging
    /// twice adds nothing the second time, and A into B gives the states
    /// B into A gives.
    pub fn merge(
        &mut self,
        other: &Path,
        scheduler: &Scheduler,
        now: DateTime<Utc>,
    ) -> Result<Added> {
        let theirs = other::read(other, ms(now))?;
        self.bulk_locked(|store| store.merge_read(&theirs, scheduler))
    }

    fn merge_read(&mut self, theirs: &TheirLog, scheduler: &Scheduler) -> Result<Added> {
        let mut added = Added {
            refused: theirs.refused.clone(),
            shortened: theirs.shortened,
            ..Added::default()
        };
        let rows = {
            let tx = self.write()?;
            mark_stale(&tx, "merge")?;
            let rows = their_cards_here(&tx, &theirs.cards, &mut added)?;
            tx.commit()?;
            rows
        };
        let mut next = 0;
        while next < theirs.reviews.len() {
            let tx = self.write()?;
            mark_stale(&tx, "merge")?;
            let mut pace = Pace::new();
            for r in &theirs.reviews[next..] {
                next += 1;
                if insert_review(&tx, rows[r.card], r)? {
                    added.added += 1;
                } else {
                    added.known += 1;
                }
                if pace.spent(1) {
                    break;
                }
            }
            tx.commit()?;
        }
        // Their accepted answers, one transaction: a card keeps one answer
        // for each folded form, so merging twice adds nothing.
        if !theirs.accepted.is_empty() {
            let tx = self.write()?;
            mark_stale(&tx, "merge")?;
            for a in &theirs.accepted {
                super::accepted::add(
                    &tx,
                    rows[a.card],
                    &Accepted {
                        answer: &a.answer,
                        folded: &a.folded,
                    },
                    None,
                    super::from_ms(a.at),
                )?;
            }
            tx.commit()?;
        }
        // Their moves (postpone, advance, reschedule), by id: the rebuild
        // settles each card on the latest one after its last review.
        if !theirs.moves.is_empty() {
            let tx = self.write()?;
            mark_stale(&tx, "merge")?;
            for m in &theirs.moves {
                super::moves::insert_move(&tx, &m.id, rows[m.card], m.at, m.due, m.reason)?;
            }
            tx.commit()?;
        }
        // Merged reviews keep the states their machine recorded; only the
        // cache is rebuilt (its last transaction clears the mark).
        added.rebuilt = self.rebuild(scheduler)?;
        Ok(added)
    }
}

/// Our row for each of their cards, by deck and card id; a card of a deck
/// this machine has not seen is kept, out of the queue until its file is
/// here too.
fn their_cards_here(
    tx: &Transaction<'_>,
    cards: &[TheirCard],
    added: &mut Added,
) -> Result<Vec<CardRowId>> {
    let mut find = tx.prepare("SELECT id FROM cards WHERE deck_id = ?1 AND card_key = ?2")?;
    let mut rows = Vec::with_capacity(cards.len());
    for c in cards {
        let mine: Option<CardRowId> = find
            .query_row([&c.deck, &c.key], |r| r.get(0))
            .map(Some)
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                e => Err(e),
            })?;
        let row = match mine {
            Some(row) => row,
            None => {
                tx.execute(
                    "INSERT OR IGNORE INTO decks (id, title, description, origin, file_hash, file_stamp, synced_at)
                     VALUES (?1, ?2, ?3, ?4, '', NULL, 0)",
                    params![c.deck, c.title, c.description, c.origin],
                )?;
                tx.execute(
                    "INSERT INTO cards (deck_id, card_key, note, kind, position, content, content_hash, active, added_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8)",
                    params![c.deck, c.key, c.note, c.kind, c.position, c.content, c.content_hash, c.added_at],
                )?;
                added.new_cards += 1;
                CardRowId(tx.last_insert_rowid())
            }
        };
        rows.push(row);
    }
    Ok(rows)
}

/// Writes one of their reviews unless it is already here; returns whether
/// it was written.
fn insert_review(tx: &Transaction<'_>, card: CardRowId, r: &TheirReview) -> Result<bool> {
    let known: bool = tx
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM reviews WHERE id = ?1)
                 OR EXISTS (SELECT 1 FROM reviews WHERE card_id = ?2 AND at = ?3 AND rating = ?4)",
        )?
        .query_row(params![r.id, card, r.at, r.rating], |row| row.get(0))?;
    if known {
        return Ok(false);
    }
    tx.prepare_cached(
        "INSERT INTO reviews (id, card_id, session_id, at, rating, verdict, answer, duration_ms, interval_days,
            phase_before, step_before, stability_before, difficulty_before, due_before, last_before, reps_before, lapses_before,
            phase_after, step_after, stability_after, difficulty_after, due_after, utc_offset, kept_due, balanced_due)
         VALUES (?1, ?2, NULL, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)",
    )?
    .execute(params![
        r.id,
        card,
        r.at,
        r.rating,
        r.verdict,
        r.answer,
        r.duration_ms,
        r.interval_days,
        r.phases[0],
        r.steps[0],
        r.stability[0],
        r.difficulty[0],
        r.times[0],
        r.times[1],
        r.counts[0],
        r.counts[1],
        r.phases[1],
        r.steps[1],
        r.stability[1],
        r.difficulty[1],
        r.times[2],
        r.utc_offset,
        r.kept_due,
        r.balanced_due
    ])?;
    Ok(true)
}

/// "3 reviews were refused: at 9999-12-31T23:59:59Z, a time in the future".
pub fn describe_refused(refused: &Refused) -> Option<String> {
    let first = refused.first.as_deref()?;
    Some(format!(
        "{} {} refused: {}{}",
        refused.count,
        if refused.count == 1 {
            "review was"
        } else {
            "reviews were"
        },
        crate::text::clean_line(first),
        if refused.count > 1 {
            " (the first)"
        } else {
            ""
        }
    ))
}
