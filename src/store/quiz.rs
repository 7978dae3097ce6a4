//! Quiz answers: scored practice, kept apart from the review log so that a
//! quiz never moves the schedule.

use super::accepted::{self, Accepted};
use super::{from_ms, ms, reviews::new_review_id, Result, Store};
use crate::types::{quiz_score, AnswerId, CardRowId, SessionId, Verdict};
use chrono::{DateTime, Utc};

/// A quiz answer about to be written.
#[derive(Debug, Clone)]
pub struct NewQuizAnswer<'a> {
    pub session: SessionId,
    pub card_row: CardRowId,
    pub at: DateTime<Utc>,
    /// Correct, close or wrong (a self-graded card is mapped before this).
    pub verdict: Verdict,
    pub answer: Option<&'a str>,
    pub duration_ms: i64,
    /// The answer the learner said was right, kept for the card with this answer.
    pub accepted: Option<Accepted<'a>>,
}

/// One earlier quiz: when, on which decks, and how it went.
#[derive(Debug, Clone, PartialEq)]
pub struct QuizRecord {
    pub session: SessionId,
    pub started: DateTime<Utc>,
    pub answered: i64,
    pub correct: i64,
    pub close: i64,
    pub time_ms: i64,
}

impl QuizRecord {
    /// Score in percent: a close answer counts half.
    pub fn score(&self) -> f64 {
        // Counts read back from the database are never negative; a corrupt
        // one counts as none rather than wrapping.
        let n = |v: i64| u64::try_from(v).unwrap_or(0);
        quiz_score(n(self.correct), n(self.close), n(self.answered))
    }
}

impl Store {
    /// Writes one quiz answer in its own transaction; returns its id.
    pub fn record_quiz_answer(&mut self, a: &NewQuizAnswer<'_>) -> Result<AnswerId> {
        let id = new_review_id();
        let tx = self.write()?;
        tx.prepare_cached(
            "INSERT INTO quiz_answers (id, session_id, card_id, at, verdict, answer, duration_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(rusqlite::params![
            id,
            a.session,
            a.card_row,
            ms(a.at),
            a.verdict,
            a.answer,
            a.duration_ms
        ])?;
        if let Some(accepted) = &a.accepted {
            accepted::add(&tx, a.card_row, accepted, Some(&id), a.at)?;
        }
        tx.commit()?;
        Ok(AnswerId(id))
    }

    /// Removes a quiz answer written in `session`; whether one was removed.
    pub fn undo_quiz_answer(&mut self, id: &AnswerId, session: SessionId) -> Result<bool> {
        let tx = self.write()?;
        let n = tx.execute(
            "DELETE FROM quiz_answers WHERE id = ?1 AND session_id = ?2",
            (id, session),
        )?;
        if n > 0 {
            accepted::remove_with(&tx, &id.0)?;
        }
        tx.commit()?;
        Ok(n > 0)
    }

    /// Quizzes on exactly this set of decks (oldest first), with at least one answer.
    pub fn quiz_history(&self, decks: &[String]) -> Result<Vec<QuizRecord>> {
        let key = deck_key(decks)?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.id, s.started_at, COUNT(q.id), COALESCE(SUM(q.verdict = 'correct'), 0),
                    COALESCE(SUM(q.verdict = 'close'), 0), COALESCE(SUM(q.duration_ms), 0)
             FROM sessions s JOIN quiz_answers q ON q.session_id = s.id
             WHERE s.kind = 'quiz' AND s.decks = ?1
             GROUP BY s.id ORDER BY s.started_at, s.id",
        )?;
        let rows = stmt.query_map([key], |r| {
            Ok(QuizRecord {
                session: r.get(0)?,
                started: from_ms(r.get(1)?),
                answered: r.get(2)?,
                correct: r.get(3)?,
                close: r.get(4)?,
                time_ms: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// The stored form of a deck set: sorted, as JSON, so the same decks in
/// another order compare equal.
pub(crate) fn deck_key(decks: &[String]) -> Result<String> {
    let mut sorted = decks.to_vec();
    sorted.sort();
    sorted.dedup();
    Ok(serde_json::to_string(&sorted)?)
}
