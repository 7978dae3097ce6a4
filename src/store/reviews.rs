//! The review log: one row per answer, never updated. Writing a review and
//! moving the card's cached state happen in one transaction.

use super::accepted::{self, Accepted};
use super::sql_types::RowExt;
use super::{from_ms, ms, Result, Store};
use crate::scheduler::{CardState, Logged, Scheduler};
use crate::types::{AnswerId, CardRowId, Millis, Phase, Rating, SessionId, Verdict};
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};

/// A review about to be written.
#[derive(Debug, Clone)]
pub struct NewReview<'a> {
    pub card_row: CardRowId,
    pub session: Option<SessionId>,
    pub at: DateTime<Utc>,
    pub rating: Rating,
    pub verdict: Verdict,
    pub answer: Option<&'a str>,
    pub duration_ms: Option<i64>,
    pub interval_days: u32,
    pub before: Option<CardState>,
    pub after: CardState,
    /// The learner's UTC offset then (seconds east), when known.
    pub utc_offset: Option<i32>,
    /// The answer the learner said was right, kept for the card with this review.
    pub accepted: Option<Accepted<'a>>,
    /// Another scheduler's due moment, kept on every replay (see
    /// [`Logged::kept_due`]).
    pub kept_due: Option<DateTime<Utc>>,
    /// The day the load balancer chose (see [`Logged::balanced_due`]).
    pub balanced_due: Option<DateTime<Utc>>,
}

/// A review as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewRecord {
    pub id: String,
    pub at: DateTime<Utc>,
    pub rating: Rating,
    pub verdict: Verdict,
    pub answer: Option<String>,
    pub duration_ms: Option<i64>,
    pub interval_days: u32,
    pub phase_before: Phase,
    pub phase_after: Phase,
    pub due_after: DateTime<Utc>,
}

/// A fresh review id, 32 hex digits: the moment it is made (48 bits of
/// milliseconds since the epoch), then 80 random bits. Two machines never
/// make the same one, and ids made one after another sort together, so the
/// log's index of ids grows at its end: with ids random throughout, every
/// insert (a bulk import's million) landed on a page of its own somewhere
/// in the index.
pub(crate) fn new_review_id() -> String {
    let made = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    let random = rand::random::<u128>() >> 48;
    format!("{:032x}", ((made & ((1 << 48) - 1)) << 80) | random)
}

impl Store {
    /// Appends a review and updates the card's state, atomically. Returns the review's id.
    pub fn record_review(&mut self, r: &NewReview<'_>) -> Result<AnswerId> {
        let id = new_review_id();
        let tx = self.write()?;
        write_review(&tx, &id, r)?;
        put_state(&tx, r.card_row, Some(&r.after))?;
        tx.commit()?;
        Ok(AnswerId(id))
    }

    /// Appends a review as [`Store::record_review`] does, unless another
    /// process (a second terminal) reviewed the card since this one read
    /// its state: then the card's reviews, this one included, are replayed
    /// and the review and the card get the states the replay gives. The
    /// check and the writes happen under one write lock. Returns the id and
    /// the card's state after the review.
    pub fn record_review_checked(
        &mut self,
        r: &NewReview<'_>,
        scheduler: &Scheduler,
        seed: u64,
    ) -> Result<(AnswerId, CardState)> {
        let id = new_review_id();
        let tx = self.write()?;
        let stored = tx
            .prepare_cached(
                "SELECT phase, step, stability, difficulty, due, last_review, reps, lapses FROM card_state WHERE card_id = ?1",
            )?
            .query_row([r.card_row], |row| super::state_from_row(row, 0))
            .optional()?
            .flatten();
        if stored == r.before {
            write_review(&tx, &id, r)?;
            put_state(&tx, r.card_row, Some(&r.after))?;
            tx.commit()?;
            return Ok((AnswerId(id), r.after));
        }
        // Someone else got there first: this review joins theirs in the log
        // and the replay decides the state.
        let mut reviews = logged(&tx, r.card_row)?;
        // The day balanced for the state this process read may not suit
        // the one the replay gives: fuzz alone chooses this review's day.
        reviews.push((
            id.clone(),
            Logged {
                kept_due: r.kept_due,
                ..Logged::new(r.at, r.rating, r.utc_offset)
            },
        ));
        reviews.sort_by(|a, b| (a.1.at, &a.0).cmp(&(b.1.at, &b.0)));
        let outcomes = scheduler
            .replay(seed, reviews.iter().map(|(_, l)| *l))
            .map_err(|e| super::StoreError::Replay(e.to_string()))?;
        let at = reviews
            .iter()
            .position(|x| x.0 == id)
            .unwrap_or(reviews.len() - 1);
        let replayed = NewReview {
            interval_days: outcomes[at].interval.whole_days(),
            before: at.checked_sub(1).map(|p| outcomes[p].state),
            after: outcomes[at].state,
            balanced_due: None,
            ..r.clone()
        };
        write_review(&tx, &id, &replayed)?;
        let last = outcomes.last().map_or(replayed.after, |o| o.state);
        put_state(&tx, r.card_row, Some(&last))?;
        tx.commit()?;
        Ok((AnswerId(id), last))
    }

    /// Removes review `id` written in `session` and puts the card back in the
    /// state it had before. Returns the restored state (`None`: new again),
    /// or an error if no such review exists in that session.
    pub fn undo_review(
        &mut self,
        id: &AnswerId,
        session: SessionId,
    ) -> Result<Option<Option<CardState>>> {
        let tx = self.write()?;
        let found = tx
            .query_row(
                "SELECT card_id, phase_before, step_before, stability_before, difficulty_before, due_before, last_before, reps_before, lapses_before
                 FROM reviews WHERE id = ?1 AND session_id = ?2",
                (id, session),
                |r| {
                    let card: CardRowId = r.get(0)?;
                    let phase: String = r.get(1)?;
                    if phase == "new" {
                        return Ok((card, None));
                    }
                    Ok((card, super::state_from_row(r, 1)?))
                },
            )
            .optional()?;
        let Some((card, before)) = found else {
            return Ok(None);
        };
        tx.execute("DELETE FROM reviews WHERE id = ?1", [id])?;
        accepted::remove_with(&tx, &id.0)?;
        put_state(&tx, card, before.as_ref())?;
        tx.commit()?;
        Ok(Some(before))
    }

    /// Every review of one card, oldest first.
    pub fn card_reviews(&self, card_row: CardRowId) -> Result<Vec<ReviewRecord>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, at, rating, verdict, answer, duration_ms, interval_days, phase_before, phase_after, due_after
             FROM reviews WHERE card_id = ?1 ORDER BY at, rowid",
        )?;
        let rows = stmt.query_map([card_row], |r| {
            Ok(ReviewRecord {
                id: r.get(0)?,
                at: from_ms(r.get(1)?),
                rating: r.column(2)?,
                verdict: r.column(3)?,
                answer: r.get(4)?,
                duration_ms: r.get(5)?,
                interval_days: r.get(6)?,
                phase_before: r.column(7)?,
                phase_after: r.column(8)?,
                due_after: from_ms(r.get(9)?),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many reviews the log holds.
    pub fn review_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM reviews", [], |r| r.get(0))?)
    }
}

/// Writes (or, for `None`, removes) a card's cached state.
pub(super) fn put_state(
    conn: &rusqlite::Connection,
    card: CardRowId,
    state: Option<&CardState>,
) -> Result<()> {
    match state {
        None => {
            conn.prepare_cached("DELETE FROM card_state WHERE card_id = ?1")?
                .execute([card])?;
        }
        Some(s) => {
            // A move made after the last review still holds.
            let s = &super::moves::settle(conn, card, *s)?;
            let m = s.memory.unwrap_or(super::NO_MEMORY);
            conn.prepare_cached(
                "INSERT INTO card_state (card_id, phase, step, stability, difficulty, due, last_review, reps, lapses)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                 ON CONFLICT (card_id) DO UPDATE SET phase = excluded.phase, step = excluded.step,
                   stability = excluded.stability, difficulty = excluded.difficulty, due = excluded.due,
                   last_review = excluded.last_review, reps = excluded.reps, lapses = excluded.lapses",
            )?
            .execute(params![
                card,
                s.phase,
                s.step,
                f64::from(m.stability),
                f64::from(m.difficulty),
                ms(s.due),
                ms(s.last_review.unwrap_or(s.due)),
                s.reps,
                s.lapses
            ])?;
        }
    }
    Ok(())
}

/// Appends one review row, with the states before and after it.
/// A card's reviews as the log holds them, with their ids, in no order:
/// the one reading of the log for a replay of one card.
pub(super) fn logged(
    conn: &rusqlite::Connection,
    card: CardRowId,
) -> Result<Vec<(String, Logged)>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, at, rating, utc_offset, kept_due, balanced_due FROM reviews WHERE card_id = ?1",
        )?
        .query_map([card], |row| Ok((row.get(0)?, logged_row(row, 1)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

/// A review read for replay from columns `at, rating, utc_offset,
/// kept_due, balanced_due` starting at `first`.
pub(super) fn logged_row(row: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<Logged> {
    let at: Millis = row.get(first)?;
    let kept: Option<Millis> = row.get(first + 3)?;
    let balanced: Option<Millis> = row.get(first + 4)?;
    Ok(Logged {
        at: from_ms(at),
        rating: row.column(first + 1)?,
        offset: row.get(first + 2)?,
        kept_due: kept.map(from_ms),
        balanced_due: balanced.map(from_ms),
    })
}

/// Writes review `id`, with the due moment every replay keeps, if any.
pub(super) fn write_review(conn: &rusqlite::Connection, id: &str, r: &NewReview<'_>) -> Result<()> {
    let before = r.before;
    let b_mem = before.and_then(|b| b.memory);
    let a_mem = r.after.memory.unwrap_or(super::NO_MEMORY);
    conn.prepare_cached(
        "INSERT INTO reviews (id, card_id, session_id, at, rating, verdict, answer, duration_ms, interval_days,
            phase_before, step_before, stability_before, difficulty_before, due_before, last_before, reps_before, lapses_before,
            phase_after, step_after, stability_after, difficulty_after, due_after, utc_offset, kept_due, balanced_due)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25)",
    )?
    .execute(params![
        id,
        r.card_row,
        r.session,
        ms(r.at),
        r.rating,
        r.verdict,
        r.answer,
        r.duration_ms,
        r.interval_days,
        before.map_or(Phase::New, |b| b.phase),
        before.map_or(0, |b| b.step),
        b_mem.map(|m| f64::from(m.stability)),
        b_mem.map(|m| f64::from(m.difficulty)),
        before.map(|b| ms(b.due)),
        before.and_then(|b| b.last_review).map(ms),
        before.map_or(0, |b| b.reps),
        before.map_or(0, |b| b.lapses),
        r.after.phase,
        r.after.step,
        f64::from(a_mem.stability),
        f64::from(a_mem.difficulty),
        ms(r.after.due),
        r.utc_offset,
        r.kept_due.map(ms),
        r.balanced_due.map(ms),
    ])?;
    if let Some(a) = &r.accepted {
        accepted::add(conn, r.card_row, a, Some(id), r.at)?;
    }
    Ok(())
}
