//! The plain data a session hands its front-ends and its callers: what to
//! ask (`Prompt`), what to show after an answer (`Feedback`), what undo took
//! back, the figures at the end, and how a card is held back. Values only:
//! nothing here touches the store, the scheduler or a clock.

use crate::deck::Card;
use crate::fold::DiffPart;
use crate::types::{Interval, Phase, Rating, Verdict};
use chrono::{DateTime, Utc};

/// Study moves the schedule; a quiz only scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Study,
    Quiz,
}

/// Cards by phase.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub new: usize,
    pub learning: usize,
    pub review: usize,
}

impl Counts {
    pub fn total(&self) -> usize {
        self.new + self.learning + self.review
    }

    /// Counts one more card in the bucket its phase belongs to (a
    /// relearning card counts as learning).
    pub fn add(&mut self, phase: Phase) {
        match phase {
            Phase::New => self.new += 1,
            Phase::Learning | Phase::Relearning => self.learning += 1,
            Phase::Review => self.review += 1,
        }
    }
}

/// A card as the learner is asked it.
#[derive(Debug, Clone)]
pub struct Prompt {
    /// Position in the session, from 1.
    pub number: usize,
    /// Cards answered plus cards left (grows when learning cards come back).
    pub total: usize,
    pub deck_id: String,
    pub card: Card,
    pub phase: Phase,
    pub question: String,
    /// Choice options or order items, in the order displayed.
    pub options: Vec<String>,
    /// New, learning and review cards left, this one included.
    pub left: Counts,
}

/// What the learner sees after answering.
#[derive(Debug, Clone)]
pub struct Feedback {
    pub verdict: Verdict,
    /// The rating that accepting would record (the verdict's, or a regrade).
    pub rating: Rating,
    /// The learner's answer, in words.
    pub given: String,
    /// A typed answer that was not right, letter by letter against the
    /// closest accepted answer; `None` for every other answer.
    pub diff: Option<Vec<DiffPart>>,
    /// The right answer, in words.
    pub answer: String,
    pub why: Option<String>,
    pub section: Option<String>,
    pub source: Option<String>,
    /// The next interval for each rating, again to easy (study only).
    pub intervals: Option<[Interval; 4]>,
    /// Accepting with the current rating would mark the card a leech.
    pub leech: bool,
    /// The learner may say the answer was right ("I was right"): a typed
    /// answer the checker judged wrong or close. See `Session::overrule`.
    pub overrulable: bool,
}

/// What undo took back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Undone {
    /// The answer just given, not yet saved: the same card is asked again.
    Answer,
    /// The last saved answer of this session: that card is asked again.
    Saved {
        deck_id: String,
        card_id: String,
    },
    Nothing,
}

/// Figures for the end of a study session.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    pub answered: usize,
    pub correct: usize,
    pub close: usize,
    pub wrong: usize,
    /// Answers rated hard, good or easy.
    pub remembered: usize,
    pub time_ms: i64,
    /// Cards that became leeches in this session, as `deck/card`.
    pub leeches: Vec<String>,
    /// Cards suspended or buried in this session, as `deck/card`.
    pub held: Vec<String>,
    pub next_due: Option<DateTime<Utc>>,
    pub due_by_tomorrow: i64,
    /// Learning cards still due later today that this session did not reach.
    pub learning_later: usize,
}

impl Summary {
    /// Share of answers remembered, 0–100.
    pub fn accuracy(&self) -> Option<f64> {
        (self.answered > 0).then(|| 100.0 * self.remembered as f64 / self.answered as f64)
    }
}

/// How to hold a card back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hold {
    /// Out of every queue until unsuspended.
    Suspend,
    /// Out of the queue until the next study day.
    Bury,
}

/// A card that was suspended or buried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    /// The card, as `deck/card`.
    pub card: String,
    /// Whether a checked answer to it was saved first.
    pub saved: bool,
}

impl Hold {
    /// What happened to the card, in words: "suspended", "buried until tomorrow".
    pub fn done(self) -> &'static str {
        match self {
            Hold::Suspend => "suspended",
            Hold::Bury => "buried until tomorrow",
        }
    }
}
