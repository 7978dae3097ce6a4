//! A card's place in the schedule and the time until it comes back: the
//! plain values the scheduler computes and the store, the statistics and
//! the front-ends read. No scheduling rule lives here.

use super::Phase;
use chrono::{DateTime, Utc};
use fsrs::MemoryState;
use std::fmt;

/// The forgetting curve of FSRS-6, the one every layer uses: the chance of
/// recalling a card `days` after a review that left it `stability` days of
/// stability, with the curve's `decay` (the last parameter, positive). At
/// `days == stability` it is 90%. A card with no stability has nothing to
/// recall.
pub fn recall_after(stability: f32, days: f32, decay: f32) -> f32 {
    if stability <= 0.0 || decay <= 0.0 {
        return 0.0;
    }
    let factor = 0.9f32.powf(-1.0 / decay) - 1.0;
    (days.max(0.0) / stability * factor + 1.0).powf(-decay)
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forgetting_curve_is_the_fsrs_crates() {
        for (stability, days, decay) in [
            (1.0, 0.0, 0.1542),
            (3.2, 7.5, 0.1542),
            (40.0, 40.0, 0.5),
            (0.3, 900.0, 0.8),
        ] {
            let ours = recall_after(stability, days, decay);
            let theirs = fsrs::current_retrievability(
                MemoryState {
                    stability,
                    difficulty: 5.0,
                },
                days,
                decay,
            );
            assert!(
                (ours - theirs).abs() < 1e-6,
                "{stability} {days} {decay}: {ours} vs {theirs}"
            );
        }
        assert!((recall_after(12.0, 12.0, 0.3) - 0.9).abs() < 1e-6);
        assert_eq!(recall_after(0.0, 3.0, 0.3), 0.0);
    }
}
