//! Quizzes: which cards to ask, and the score at the end. Pure functions.

use crate::scheduler::Scheduler;
use crate::store::{QueueCard, QuizRecord};
use crate::types::{quiz_score, Verdict, Weakness};
use chrono::{DateTime, Utc};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use std::collections::HashSet;

/// What a quiz asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuizDraw {
    pub count: usize,
    /// Card types to keep; empty means all.
    pub types: Vec<String>,
    /// The learner's weakest cards instead of a random draw.
    pub weak: bool,
}

/// Chooses the quiz: at most one gap of a cloze (the others would give it
/// away), of the types asked for, either at random or the weakest first
/// ([`Weakness::weakest_first`], the order `kioku stats` lists them in).
pub fn draw_quiz(
    candidates: Vec<QueueCard>,
    draw: &QuizDraw,
    seed: u64,
    scheduler: &Scheduler,
    now: DateTime<Utc>,
) -> Vec<QueueCard> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut cards: Vec<QueueCard> = candidates
        .into_iter()
        .filter(|c| {
            draw.types.is_empty() || draw.types.iter().any(|t| t == c.card.kind.type_name())
        })
        .collect();
    cards.shuffle(&mut rng);
    if draw.weak {
        let weakness = |c: &QueueCard| Weakness {
            recall: c
                .state
                .and_then(|s| scheduler.retrievability(&s, now))
                .map(f64::from),
            lapses: c.state.map_or(0, |s| s.lapses),
        };
        // A stable sort: cards equally weak keep their shuffled order.
        cards.sort_by(|a, b| weakness(a).weakest_first(&weakness(b)));
    }
    let mut notes = HashSet::new();
    let mut chosen: Vec<QueueCard> = cards
        .into_iter()
        .filter(|c| notes.insert((c.deck_id.clone(), c.card.note.clone())))
        .take(draw.count)
        .collect();
    if draw.weak {
        chosen.shuffle(&mut rng);
    }
    chosen
}

/// Answers counted by verdict.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    pub name: String,
    pub answered: usize,
    pub correct: usize,
    pub close: usize,
    pub wrong: usize,
}

impl Tally {
    fn named(name: &str) -> Self {
        Tally {
            name: name.to_string(),
            ..Tally::default()
        }
    }

    fn add(&mut self, verdict: Verdict) {
        self.answered += 1;
        match verdict {
            Verdict::Correct => self.correct += 1,
            Verdict::Close => self.close += 1,
            _ => self.wrong += 1,
        }
    }

    /// Score in percent: right counts one, close half.
    pub fn score(&self) -> f64 {
        quiz_score(self.correct as u64, self.close as u64, self.answered as u64)
    }
}

/// The end of a quiz: the score, by type and by deck, and how it compares.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QuizSummary {
    pub total: Tally,
    pub by_type: Vec<Tally>,
    pub by_deck: Vec<Tally>,
    pub time_ms: i64,
    /// Earlier quizzes on the same decks, oldest first.
    pub earlier: Vec<QuizRecord>,
}

impl QuizSummary {
    /// From (deck, card type, scored verdict, time) of each answer.
    pub fn new<'a>(
        answers: impl IntoIterator<Item = (&'a str, &'a str, Verdict, i64)>,
        earlier: Vec<QuizRecord>,
    ) -> Self {
        let mut s = QuizSummary {
            total: Tally::named("all"),
            earlier,
            ..QuizSummary::default()
        };
        for (deck, kind, verdict, ms) in answers {
            s.total.add(verdict);
            s.time_ms += ms;
            tally(&mut s.by_type, kind).add(verdict);
            tally(&mut s.by_deck, deck).add(verdict);
        }
        s
    }

    /// The score of the previous quiz on these decks, and the best one.
    pub fn previous_and_best(&self) -> Option<(f64, f64)> {
        let last = self.earlier.last()?.score();
        let best = self
            .earlier
            .iter()
            .map(QuizRecord::score)
            .fold(f64::MIN, f64::max);
        Some((last, best))
    }
}

fn tally<'v>(list: &'v mut Vec<Tally>, name: &str) -> &'v mut Tally {
    let at = match list.iter().position(|t| t.name == name) {
        Some(i) => i,
        None => {
            list.push(Tally::named(name));
            list.len() - 1
        }
    };
    &mut list[at]
}

#[cfg(test)]
mod tests {
    use super::*;
    use Verdict::*;

    #[test]
    fn score_counts_close_as_half() {
        let s = QuizSummary::new(
            [
                ("a", "typed", Correct, 1000),
                ("a", "year", Close, 2000),
                ("b", "typed", Wrong, 500),
                ("b", "typed", Correct, 500),
            ],
            Vec::new(),
        );
        assert_eq!(s.total.answered, 4);
        assert_eq!(s.total.score(), 62.5);
        assert_eq!(s.time_ms, 4000);
        let typed = s.by_type.iter().find(|t| t.name == "typed").unwrap();
        assert_eq!((typed.answered, typed.correct, typed.wrong), (3, 2, 1));
        let b = s.by_deck.iter().find(|t| t.name == "b").unwrap();
        assert_eq!(b.score(), 50.0);
        assert_eq!(s.previous_and_best(), None);
    }
}
