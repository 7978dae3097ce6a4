//! Backlogs and new schedules without a review: which review cards
//! `postpone` and `advance` move and where to (the FSRS Helper's rules), and
//! the due day a card gets when its parameters or desired retention change.
//!
//! Postponing takes the cards due today or earlier whose recall would fall
//! least, relative to the desired retention, if they waited a little longer:
//! by odds, `(1/R − 1) / (1/R_desired − 1) − 1`, with `R` the recall after
//! the wait already spent plus 7.5% of the interval; the most stable first
//! among equals. Those under [`SAFE_POSTPONE`] can wait safely. Each gets an
//! interval 5–10% longer than it had, plus the days it is already late.
//!
//! Advancing takes the cards not yet due whose recall is already nearest the
//! desired retention, by `1 − (1/R − 1) / (1/R_desired − 1)` with `R` the
//! recall today; under [`SAFE_ADVANCE`] reviewing early costs little. Each is
//! made due today.
//!
//! Pure: states in, new due moments out.

use super::balance::{self, Choice, Load};
use super::{fuzz, CardState, Scheduler};
use crate::types::{recall_after, Phase};
use chrono::{DateTime, Utc};

/// Relative overdueness under which a card can be postponed safely.
pub const SAFE_POSTPONE: f64 = 0.15;

/// Relative earliness under which a card can be advanced safely.
pub const SAFE_ADVANCE: f64 = 0.13;

/// A mixing constant that keeps postpone's random stretch apart from the
/// card's fuzz number.
const POSTPONE_SALT: u64 = 0x5bd1_e995_0b4f_a3c7;

/// One card moved: its index in the cards given, its new due moment, and
/// its predicted recall at the review it had and at the one it gets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moved {
    pub index: usize,
    pub due: DateTime<Utc>,
    pub recall_before: f64,
    pub recall_after: f64,
}

/// What postponing or advancing would do.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    /// Cards that could be moved at all (due, or not yet due).
    pub candidates: usize,
    /// Of them, those that can be moved safely.
    pub safe: usize,
    /// The cards moved, most safely moved first.
    pub moved: Vec<Moved>,
}

impl Plan {
    /// Mean predicted recall at the moved cards' reviews, before and after.
    pub fn recall(&self) -> Option<(f64, f64)> {
        if self.moved.is_empty() {
            return None;
        }
        let n = self.moved.len() as f64;
        Some((
            self.moved.iter().map(|m| m.recall_before).sum::<f64>() / n,
            self.moved.iter().map(|m| m.recall_after).sum::<f64>() / n,
        ))
    }
}

/// A review card's days: its last review's, its due day's, and its
/// stability (none for a card without a memory).
struct Days {
    last: i64,
    due: i64,
    stability: f32,
}

impl Scheduler {
    fn days_of(&self, state: &CardState) -> Option<Days> {
        let memory = state.memory.filter(|m| m.stability > 0.0)?;
        let last = self.clock.day(state.last_review?);
        let due = self.clock.day(state.due);
        (state.phase == Phase::Review).then_some(Days {
            last,
            due: due.max(last + 1),
            stability: memory.stability,
        })
    }

    fn recall_in(&self, stability: f32, days: i64) -> f64 {
        f64::from(recall_after(stability, days.max(0) as f32, self.decay()))
    }

    /// The odds of forgetting at `recall`, over the odds the desired
    /// retention allows.
    fn odds(&self, recall: f64) -> f64 {
        let desired = f64::from(self.config.desired_retention);
        (1.0 / recall.max(1e-9) - 1.0) / (1.0 / desired - 1.0)
    }

    /// The review cards of `cards` that `score` gives a figure, least
    /// first (the most stable first among equals): how many there are, how
    /// many score under `safe_line`, and the first `limit` of them (the
    /// safe ones when `None`) moved by `move_one`.
    fn plan(
        &self,
        cards: &[(CardState, u64)],
        limit: Option<usize>,
        safe_line: f64,
        score: impl Fn(&Days) -> Option<f64>,
        move_one: impl Fn(usize, &Days) -> Moved,
    ) -> Plan {
        let mut ranked: Vec<(f64, usize, Days)> = cards
            .iter()
            .enumerate()
            .filter_map(|(i, (state, _))| {
                let d = self.days_of(state)?;
                Some((score(&d)?, i, d))
            })
            .collect();
        ranked.sort_by(|a, b| {
            a.0.total_cmp(&b.0)
                .then(b.2.stability.total_cmp(&a.2.stability))
                .then(a.1.cmp(&b.1))
        });
        let safe = ranked.iter().filter(|r| r.0 < safe_line).count();
        let take = limit.unwrap_or(safe).min(ranked.len());
        Plan {
            candidates: ranked.len(),
            safe,
            moved: ranked[..take]
                .iter()
                .map(|(_, i, d)| move_one(*i, d))
                .collect(),
        }
    }

    /// Postpones up to `limit` (the safe ones when `None`) of `cards`, given
    /// with their fuzz seeds, at `now`.
    pub fn postpone(
        &self,
        cards: &[(CardState, u64)],
        limit: Option<usize>,
        now: DateTime<Utc>,
    ) -> Plan {
        let today = self.clock.day(now);
        let max = i64::from(self.config.max_interval_days.max(1));
        let score = |d: &Days| {
            if d.due > today {
                return None;
            }
            let waited = (today - d.last) as f64 + (d.due - d.last) as f64 * 0.075;
            let recall = f64::from(recall_after(d.stability, waited as f32, self.decay()));
            Some(self.odds(recall) - 1.0)
        };
        let move_one = |i: usize, d: &Days| {
            let (state, seed) = &cards[i];
            let interval = d.due - d.last;
            let late = today - d.due;
            let stretch = 1.05 + 0.05 * fuzz::factor(seed ^ POSTPONE_SALT, state.reps);
            let longer = ((interval as f64 * stretch).ceil() as i64 + late).clamp(1, max);
            Moved {
                index: i,
                due: self
                    .clock
                    .day_start(d.last + longer.max(today + 1 - d.last)),
                recall_before: self.recall_in(d.stability, interval),
                recall_after: self.recall_in(d.stability, longer),
            }
        };
        self.plan(cards, limit, SAFE_POSTPONE, score, move_one)
    }

    /// Advances up to `limit` (the safe ones when `None`) of `cards` not yet
    /// due at `now`, making them due today.
    pub fn advance(
        &self,
        cards: &[(CardState, u64)],
        limit: Option<usize>,
        now: DateTime<Utc>,
    ) -> Plan {
        let today = self.clock.day(now);
        let score = |d: &Days| {
            (d.due > today).then(|| 1.0 - self.odds(self.recall_in(d.stability, today - d.last)))
        };
        let move_one = |i: usize, d: &Days| Moved {
            index: i,
            due: self.clock.day_start(today),
            recall_before: self.recall_in(d.stability, d.due - d.last),
            recall_after: self.recall_in(d.stability, today - d.last),
        };
        self.plan(cards, limit, SAFE_ADVANCE, score, move_one)
    }

    /// The due moment of review card `state` (fuzz seed `seed`) under this
    /// scheduler's parameters and desired retention, as if its last review
    /// had been given with them: its interval from that review, on a day of
    /// the fuzz range that `load` and the easy days favour, never before
    /// today unless the whole range is. The day chosen is added to `load`
    /// (the card's old day is the caller's to take out). `None` for a card
    /// not in review.
    pub fn rescheduled(
        &self,
        state: &CardState,
        seed: u64,
        now: DateTime<Utc>,
        load: &mut Load,
    ) -> Option<DateTime<Utc>> {
        let d = self.days_of(state)?;
        let today = self.clock.day(now);
        let max = self.config.max_interval_days.max(1);
        let raw = self
            .fsrs
            .next_interval(Some(d.stability), self.config.desired_retention, 0);
        let days = (raw.round() as i64).clamp(1, i64::from(max)) as u32;
        let fuzz_number = fuzz::factor(seed, state.reps.saturating_sub(1));
        let range = fuzz::range(days, max).filter(|_| self.config.fuzz);
        let chosen = match range {
            None => days,
            Some((_, hi)) if d.last + i64::from(hi) < today => fuzz::pick(range?, fuzz_number),
            Some((lo, hi)) => {
                let from_today = u32::try_from(today - d.last).unwrap_or(0);
                let lo = lo.max(from_today).min(hi);
                let choice = Choice {
                    load,
                    by_load: self.config.load_balance,
                    easy_days: &self.config.easy_days,
                };
                balance::choose(choice, d.last, (lo, hi), days, fuzz_number)
            }
        };
        let day = d.last + i64::from(chosen);
        if day >= today {
            load.add(day);
        }
        Some(self.clock.day_start(day))
    }
}

#[cfg(test)]
mod tests;
