//! A card's place in the schedule and the time until it comes back: the
//! plain values the scheduler computes and the store, the statistics and
//! the front-ends read. No scheduling rule lives here.

use super::Phase;
use chrono::{DateTime, Utc};
use fsrs::MemoryState;
use std::fmt;

/// A card's memory and place in the schedule: the cache that replaying its
/// reviews rebuilds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CardState {
    pub phase: Phase,
    /// Index into the learning or relearning steps.
    pub step: u32,
    /// FSRS memory; `None` while the card is new.
    pub memory: Option<MemoryState>,
    pub due: DateTime<Utc>,
    pub last_review: Option<DateTime<Utc>>,
    pub reps: u32,
    pub lapses: u32,
}

impl CardState {
    /// A card never reviewed; `now` is when it was first seen.
    pub fn new_card(now: DateTime<Utc>) -> Self {
        CardState {
            phase: Phase::New,
            step: 0,
            memory: None,
            due: now,
            last_review: None,
            reps: 0,
            lapses: 0,
        }
    }
}

/// How long until a card comes back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interval {
    /// A learning or relearning step.
    Seconds(u32),
    /// A review interval, in local days.
    Days(u32),
}

impl Interval {
    /// Whole days, as the review log counts them (steps are 0).
    pub fn whole_days(self) -> u32 {
        match self {
            Interval::Seconds(_) => 0,
            Interval::Days(d) => d,
        }
    }
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Interval::Seconds(s) if s < 3600 => write!(f, "{}m", s.div_ceil(60)),
            Interval::Seconds(s) if s < 86400 => write!(f, "{}h", s / 3600),
            Interval::Seconds(s) => write!(f, "{}d", s / 86400),
            Interval::Days(d) if d < 60 => write!(f, "{d}d"),
            Interval::Days(d) if d < 365 => write!(f, "{:.1}mo", f64::from(d) / 30.4),
            Interval::Days(d) => write!(f, "{:.1}y", f64::from(d) / 365.25),
        }
    }
}
