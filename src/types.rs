//! Plain domain types shared by the pure modules and the store: ratings,
//! phases, verdicts, a card's state, the learner's day clock, the ids the
//! store hands out (`ids.rs`), and the small
//! rules every layer must agree on (the quiz score, the weakest order, the
//! leech rule). Nothing here does I/O or depends on another module of ours.

mod day;
mod ids;
mod state;

pub use day::{day_of_ms, DayClock, DAY_MS, UNIX_EPOCH_DAY};
pub use ids::{AnswerId, CardRowId, SessionId};
pub use state::{CardState, Interval};

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// How well a card was remembered, as FSRS counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rating {
    Again = 1,
    Hard = 2,
    Good = 3,
    Easy = 4,
}

impl Rating {
    pub const ALL: [Rating; 4] = [Rating::Again, Rating::Hard, Rating::Good, Rating::Easy];

    pub fn from_number(n: i64) -> Option<Rating> {
        match n {
            1 => Some(Rating::Again),
            2 => Some(Rating::Hard),
            3 => Some(Rating::Good),
            4 => Some(Rating::Easy),
            _ => None,
        }
    }

    pub fn number(self) -> u32 {
        self as u32
    }

    /// Reads a grade key: `a`/`h`/`g`/`e` or `1`–`4`.
    pub fn from_key(s: &str) -> Option<Rating> {
        match s.trim().to_ascii_lowercase().as_str() {
            "1" | "a" | "again" => Some(Rating::Again),
            "2" | "h" | "hard" => Some(Rating::Hard),
            "3" | "g" | "good" => Some(Rating::Good),
            "4" | "e" | "easy" => Some(Rating::Easy),
            _ => None,
        }
    }

    /// The verdict a rating stands for where no answer was checked (a
    /// self-graded card, a review from another tool): the reverse of
    /// [`Verdict::rating`].
    pub fn verdict(self) -> Verdict {
        match self {
            Rating::Again => Verdict::Wrong,
            Rating::Hard => Verdict::Close,
            Rating::Good | Rating::Easy => Verdict::Correct,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Rating::Again => "again",
            Rating::Hard => "hard",
            Rating::Good => "good",
            Rating::Easy => "easy",
        }
    }
}

impl fmt::Display for Rating {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where a card is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Phase {
    New,
    Learning,
    Review,
    Relearning,
}

impl Phase {
    pub fn name(self) -> &'static str {
        match self {
            Phase::New => "new",
            Phase::Learning => "learning",
            Phase::Review => "review",
            Phase::Relearning => "relearning",
        }
    }
}

impl FromStr for Phase {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "new" => Ok(Phase::New),
            "learning" => Ok(Phase::Learning),
            "review" => Ok(Phase::Review),
            "relearning" => Ok(Phase::Relearning),
            other => Err(format!("unknown phase `{other}`")),
        }
    }
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What the answer checker made of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verdict {
    Correct,
    Close,
    Wrong,
    /// A `basic` card: the learner graded themselves.
    SelfGraded,
}

impl Verdict {
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Correct => "correct",
            Verdict::Close => "close",
            Verdict::Wrong => "wrong",
            Verdict::SelfGraded => "self",
        }
    }

    /// The rating a verdict proposes; the learner may override it.
    pub fn rating(self) -> Rating {
        match self {
            Verdict::Correct | Verdict::SelfGraded => Rating::Good,
            Verdict::Close => Rating::Hard,
            Verdict::Wrong => Rating::Again,
        }
    }

    /// The verdict as scored: a checked answer keeps its own, a self-graded
    /// one counts as the grade the learner gave.
    pub fn scored(self, rating: Rating) -> Verdict {
        match self {
            Verdict::SelfGraded => rating.verdict(),
            checked => checked,
        }
    }
}

/// A quiz score in percent: a correct answer counts one, a close one half,
/// anything else nothing. Every quiz score kioku shows comes from here, so
/// the end-of-quiz summary, the comparison with earlier quizzes and the
/// statistics agree. No answers score 0.
pub fn quiz_score(correct: u64, close: u64, answered: u64) -> f64 {
    if answered == 0 {
        return 0.0;
    }
    100.0 * (correct as f64 + 0.5 * close as f64) / answered as f64
}

/// The leech rule: a card forgotten `threshold` times or more is a leech;
/// a threshold of 0 turns the rule off. The store counts leeches in SQL
/// with the same rule (`store::cards`), pinned to this by a test.
pub fn is_leech(lapses: u32, threshold: u32) -> bool {
    threshold > 0 && lapses >= threshold
}

/// Whether the lapse that brought a card to `lapses` is one that flags it:
/// the lapse that makes it a leech, then every half threshold after it, so
/// that a card still being forgotten is pointed out again.
pub fn is_leech_lapse(lapses: u32, threshold: u32) -> bool {
    if !is_leech(lapses, threshold) {
        return false;
    }
    let every = (threshold / 2).max(1);
    (lapses - threshold).is_multiple_of(every)
}

/// What makes a card weak: its predicted recall now and how often it was
/// forgotten. Both `kioku stats` and `quiz --weak` rank cards by
/// [`Weakness::weakest_first`], so the weakest cards the statistics list are
/// the ones a weak quiz asks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weakness {
    /// Predicted recall now, 0 to 1; `None` for a card with no prediction
    /// yet (never reviewed).
    pub recall: Option<f64>,
    pub lapses: u32,
}

impl Weakness {
    /// Weakest first: lowest predicted recall, then most lapses. A card
    /// with no prediction comes after every card that has one: nothing
    /// says it is weak, only that it is unknown.
    pub fn weakest_first(&self, other: &Weakness) -> Ordering {
        let recall = match (self.recall, other.recall) {
            (Some(a), Some(b)) => a.total_cmp(&b),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        recall.then_with(|| other.lapses.cmp(&self.lapses))
    }
}

impl FromStr for Verdict {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "correct" => Ok(Verdict::Correct),
            "close" => Ok(Verdict::Close),
            "wrong" => Ok(Verdict::Wrong),
            "self" => Ok(Verdict::SelfGraded),
            other => Err(format!("unknown verdict `{other}`")),
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_close_answer_scores_half() {
        assert_eq!(quiz_score(0, 0, 0), 0.0);
        assert_eq!(quiz_score(2, 1, 4), 62.5);
        assert_eq!(quiz_score(0, 2, 2), 50.0);
        assert_eq!(quiz_score(3, 0, 3), 100.0);
    }

    #[test]
    fn a_rating_maps_back_to_the_verdict_that_proposes_it() {
        for v in [Verdict::Correct, Verdict::Close, Verdict::Wrong] {
            assert_eq!(v.rating().verdict(), v);
            assert_eq!(
                v.scored(Rating::Again),
                v,
                "a checked answer keeps its verdict"
            );
        }
        assert_eq!(Rating::Easy.verdict(), Verdict::Correct);
        assert_eq!(Verdict::SelfGraded.scored(Rating::Hard), Verdict::Close);
        assert_eq!(Verdict::SelfGraded.scored(Rating::Again), Verdict::Wrong);
    }

    #[test]
    fn the_weakest_is_the_least_likely_recalled_then_the_most_forgotten() {
        let w = |recall, lapses| Weakness { recall, lapses };
        let mut cards = [
            w(Some(0.9), 5),
            w(None, 0),
            w(Some(0.4), 0),
            w(Some(0.9), 7),
            w(Some(0.95), 0),
        ];
        cards.sort_by(Weakness::weakest_first);
        assert_eq!(
            cards,
            [
                w(Some(0.4), 0),
                w(Some(0.9), 7),
                w(Some(0.9), 5),
                w(Some(0.95), 0),
                w(None, 0),
            ]
        );
    }
}
