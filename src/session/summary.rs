//! The figures of a session so far: the study summary and the quiz score
//! with earlier quizzes on the same decks. It reads what the session did and
//! the store's history; it must never change either.

use super::{QuizSummary, Result, Session, Summary};
use crate::types::{Rating, Verdict};
use chrono::{DateTime, Utc};

impl Session<'_> {
    /// The study figures so far.
    pub fn summary(&self, now: DateTime<Utc>) -> Result<Summary> {
        let mut s = Summary {
            answered: self.done.len(),
            held: self.held.clone(),
            ..Summary::default()
        };
        for d in &self.done {
            match d.checked {
                Verdict::Correct => s.correct += 1,
                Verdict::Close => s.close += 1,
                Verdict::Wrong => s.wrong += 1,
                Verdict::SelfGraded => {}
            }
            if d.rating != Rating::Again {
                s.remembered += 1;
            }
            s.time_ms += d.duration_ms;
            if d.leech {
                s.leeches
                    .push(format!("{}/{}", d.item.deck_id, d.item.card.id));
            }
        }
        let (next, by_tomorrow) = self
            .store
            .next_due(&self.decks, now, self.scheduler.clock())?;
        s.next_due = next;
        s.due_by_tomorrow = by_tomorrow;
        s.learning_later = self.queue.learning_left();
        Ok(s)
    }

    /// The quiz score so far, with earlier quizzes on the same decks.
    pub fn quiz_summary(&self) -> Result<QuizSummary> {
        let history = self.store.quiz_history(&self.decks)?;
        let earlier = history
            .into_iter()
            .filter(|q| q.session != self.session_id)
            .collect();
        Ok(QuizSummary::new(
            self.done.iter().map(|d| {
                (
                    d.item.deck_id.as_str(),
                    d.item.card.kind.type_name(),
                    d.verdict,
                    d.duration_ms,
                )
            }),
            earlier,
        ))
    }
}
