//! Scheduling: FSRS-6 (the `fsrs` crate) plus what the crate leaves to
//! applications — learning and relearning steps, graduating, desired
//! retention, the maximum interval, seeded fuzz, the 04:00 day rollover and
//! leeches.
//!
//! Pure: every function takes the moment it works at; nothing here reads the
//! clock, the database or the terminal.

mod backlog;
pub mod balance;
pub mod fit;
mod fuzz;

pub use backlog::{Moved, Plan, SAFE_ADVANCE, SAFE_POSTPONE};
pub use balance::{EasyDays, Load};

// The plain types scheduling works on live in `types`, where `stats` and
// the store take them without depending on the scheduler; they are named
// here too because they are the scheduler's vocabulary.
pub use crate::types::{CardState, DayClock, Interval, UNIX_EPOCH_DAY};

use crate::types::{is_leech_lapse, Phase, Rating};
use chrono::{DateTime, Duration, Utc};
use fsrs::{MemoryState, FSRS};

/// The parameters FSRS-6 uses when the learner has not fitted their own.
pub const DEFAULT_PARAMETERS: [f32; 21] = fsrs::DEFAULT_PARAMETERS;

/// The settings that shape scheduling.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub desired_retention: f32,
    /// Learning steps, in seconds.
    pub learning_steps: Vec<u32>,
    /// Relearning steps, in seconds.
    pub relearning_steps: Vec<u32>,
    pub max_interval_days: u32,
    pub fuzz: bool,
    pub leech_threshold: u32,
    /// Send each review to the day of its fuzz range that evens out the load.
    pub load_balance: bool,
    /// Lighter weekdays: reviews moved off them within the fuzz range.
    pub easy_days: EasyDays,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            desired_retention: 0.9,
            learning_steps: vec![60, 600],
            relearning_steps: vec![600],
            max_interval_days: 36500,
            fuzz: true,
            leech_threshold: 8,
            load_balance: true,
            easy_days: EasyDays::default(),
        }
    }
}

/// What one rating would do to a card.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outcome {
    pub rating: Rating,
    pub state: CardState,
    pub interval: Interval,
    /// This lapse made the card a leech (at the threshold, then every half threshold).
    pub leech: bool,
    /// The due day was chosen for the load (load balancing, easy days), which
    /// no replay of this card alone can choose again: the review keeps it.
    pub balanced: bool,
}

/// One review of a card's log, as [`Scheduler::replay`] reads it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Logged {
    pub at: DateTime<Utc>,
    pub rating: Rating,
    /// The UTC offset (seconds east) the review was given in, when known.
    pub offset: Option<i32>,
    /// The due moment another scheduler chose at this review — Anki's, for
    /// a review brought over with its history — kept instead of this
    /// scheduler's choice, so that the cards come due when they would have.
    pub kept_due: Option<DateTime<Utc>>,
    /// The day the load balancer chose at this review (see
    /// [`Outcome::balanced`]), kept while the replay gives the review an
    /// interval in days.
    pub balanced_due: Option<DateTime<Utc>>,
}

impl Logged {
    /// A review as kioku gives them: its own scheduler chooses the due moment.
    pub fn new(at: DateTime<Utc>, rating: Rating, offset: Option<i32>) -> Logged {
        Logged {
            at,
            rating,
            offset,
            kept_due: None,
            balanced_due: None,
        }
    }
}

impl Outcome {
    /// This outcome with `due` chosen for it, and the interval that makes.
    fn keep_due(&mut self, due: DateTime<Utc>, at: DateTime<Utc>, clock: &DayClock) {
        self.state.due = due;
        self.interval = match self.interval {
            Interval::Seconds(_) => Interval::Seconds(
                u32::try_from((due - at).num_seconds().max(0)).unwrap_or(u32::MAX),
            ),
            Interval::Days(_) => Interval::Days(
                u32::try_from((clock.day(due) - clock.day(at)).max(0)).unwrap_or(u32::MAX),
            ),
        };
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SchedulerError {
    #[error("the FSRS parameters are not valid ({0}); reset them with `kioku config fsrs_parameters default`")]
    Parameters(String),
    #[error("FSRS could not compute the next state of this card: {0}")]
    Fsrs(String),
}

/// FSRS with the learner's parameters and settings, on the learner's days.
#[derive(Debug, Clone)]
pub struct Scheduler {
    fsrs: FSRS,
    parameters: Vec<f32>,
    config: Config,
    clock: DayClock,
}

impl Scheduler {
    pub fn new(
        parameters: &[f32],
        config: Config,
        clock: DayClock,
    ) -> Result<Self, SchedulerError> {
        let fsrs = FSRS::new(parameters).map_err(|e| SchedulerError::Parameters(e.to_string()))?;
        let parameters = if parameters.is_empty() {
            DEFAULT_PARAMETERS.to_vec()
        } else {
            parameters.to_vec()
        };
        Ok(Scheduler {
            fsrs,
            parameters,
            config,
            clock,
        })
    }

    pub fn clock(&self) -> &DayClock {
        &self.clock
    }

    /// The state after rating `card` at `now`. `seed` identifies the card so
    /// that fuzz is the same when the log is replayed.
    pub fn review(
        &self,
        card: &CardState,
        rating: Rating,
        now: DateTime<Utc>,
        seed: u64,
    ) -> Result<Outcome, SchedulerError> {
        let all = self.preview(card, now, seed)?;
        Ok(all[rating as usize - 1])
    }

    /// What each of the four ratings would give, again to easy.
    pub fn preview(
        &self,
        card: &CardState,
        now: DateTime<Utc>,
        seed: u64,
    ) -> Result<[Outcome; 4], SchedulerError> {
        self.preview_on(card, now, seed, &self.clock, None)
    }

    /// [`Scheduler::preview`] for a review given now: each review interval
    /// goes to the day of its fuzz range that `load` (the cards due on the
    /// days ahead, this one left out) and the easy days favour, when the
    /// settings ask for either. Such an outcome is marked
    /// [`Outcome::balanced`].
    pub fn preview_with_load(
        &self,
        card: &CardState,
        now: DateTime<Utc>,
        seed: u64,
        load: &Load,
    ) -> Result<[Outcome; 4], SchedulerError> {
        self.preview_on(card, now, seed, &self.clock, Some(load))
    }

    /// Whether review days are chosen for the load at all.
    pub fn balances(&self) -> bool {
        self.config.fuzz && (self.config.load_balance || !self.config.easy_days.is_plain())
    }

    /// [`Scheduler::preview`] with the days counted on `clock`, and review
    /// days chosen for `load` when given.
    fn preview_on(
        &self,
        card: &CardState,
        now: DateTime<Utc>,
        seed: u64,
        clock: &DayClock,
        load: Option<&Load>,
    ) -> Result<[Outcome; 4], SchedulerError> {
        let elapsed = match card.last_review {
            Some(last) => (clock.day(now) - clock.day(last)).max(0) as u32,
            None => 0,
        };
        let next = self
            .fsrs
            .next_states(card.memory, self.config.desired_retention, elapsed)
            .map_err(|e| SchedulerError::Fsrs(e.to_string()))?;
        let memories = [
            next.again.memory,
            next.hard.memory,
            next.good.memory,
            next.easy.memory,
        ];
        let fuzz = fuzz::factor(seed, card.reps);
        let choice = load
            .filter(|_| self.balances())
            .map(|load| balance::Choice {
                load,
                by_load: self.config.load_balance,
                easy_days: &self.config.easy_days,
            });
        let today = clock.day(now);
        let mut days: [u32; 4] = [0; 4];
        let mut chosen: [bool; 4] = [false; 4];
        for (i, m) in memories.iter().enumerate() {
            (days[i], chosen[i]) = self.review_days(m.stability, fuzz, today, choice);
        }
        if card.phase == Phase::Review {
            // A better rating never gives a shorter interval.
            days[2] = days[2]
                .max(days[1] + 1)
                .min(self.config.max_interval_days.max(days[1]));
            days[3] = days[3]
                .max(days[2] + 1)
                .min(self.config.max_interval_days.max(days[2]));
        }
        let mut out = [None; 4];
        for (i, rating) in Rating::ALL.into_iter().enumerate() {
            let mut o = self.transition(card, rating, memories[i], days[i], now, clock);
            o.balanced = chosen[i] && matches!(o.interval, Interval::Days(_));
            out[i] = Some(o);
        }
        Ok(out.map(|o| o.expect("all four ratings computed")))
    }

    /// Replays a card's reviews, oldest first, from new: the state after each
    /// one. The live scheduler gives each review exactly this state, so the
    /// cache can always be rebuilt from the log.
    ///
    /// Each review may carry the UTC offset (seconds east) it was given in:
    /// its days are then counted as they were counted at the time, whatever
    /// the offset now. A review whose due moment another scheduler chose
    /// ([`Logged::kept_due`]) keeps that moment; its memory is still this
    /// scheduler's.
    pub fn replay(
        &self,
        seed: u64,
        reviews: impl IntoIterator<Item = Logged>,
    ) -> Result<Vec<Outcome>, SchedulerError> {
        let mut out: Vec<Outcome> = Vec::new();
        for review in reviews {
            let before = match out.last() {
                Some(o) => o.state,
                None => CardState::new_card(review.at),
            };
            let clock = match review.offset.and_then(chrono::FixedOffset::east_opt) {
                Some(o) if o != self.clock.offset() => self.clock.with_offset(o),
                _ => self.clock,
            };
            let all = self.preview_on(&before, review.at, seed, &clock, None)?;
            let mut outcome = all[review.rating as usize - 1];
            if let Some(due) = review.kept_due {
                outcome.keep_due(due, review.at, &clock);
            }
            if let (Some(due), Interval::Days(_)) = (review.balanced_due, outcome.interval) {
                outcome.keep_due(due, review.at, &clock);
                outcome.balanced = true;
            }
            out.push(outcome);
        }
        Ok(out)
    }

    pub fn parameters(&self) -> &[f32] {
        &self.parameters
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Probability of recall at `now`, for cards that have a memory.
    pub fn retrievability(&self, card: &CardState, now: DateTime<Utc>) -> Option<f32> {
        let memory = card.memory?;
        let last = card.last_review?;
        let elapsed = (now - last).num_seconds().max(0) as f32 / 86400.0;
        Some(crate::types::recall_after(
            memory.stability,
            elapsed,
            self.decay(),
        ))
    }

    /// The forgetting curve's decay: the last FSRS-6 parameter.
    pub fn decay(&self) -> f32 {
        self.parameters
            .get(20)
            .copied()
            .unwrap_or(fsrs::FSRS6_DEFAULT_DECAY)
    }

    /// Days to the next review for a stability, with fuzz: a day of the
    /// fuzz range drawn evenly by the card's `fuzz` number, or chosen for the
    /// load by `choice` (then `true`).
    fn review_days(
        &self,
        stability: f32,
        fuzz: f64,
        today: i64,
        choice: Option<balance::Choice<'_>>,
    ) -> (u32, bool) {
        let raw = self
            .fsrs
            .next_interval(Some(stability), self.config.desired_retention, 0);
        let max = self.config.max_interval_days.max(1);
        let days = (raw.round() as i64).clamp(1, i64::from(max)) as u32;
        if !self.config.fuzz {
            return (days, false);
        }
        match (fuzz::range(days, max), choice) {
            (Some(range), Some(choice)) => {
                (balance::choose(choice, today, range, days, fuzz), true)
            }
            (Some(range), None) => (fuzz::pick(range, fuzz), false),
            (None, _) => (days, false),
        }
    }

    fn transition(
        &self,
        card: &CardState,
        rating: Rating,
        memory: MemoryState,
        days: u32,
        now: DateTime<Utc>,
        clock: &DayClock,
    ) -> Outcome {
        let steps = match card.phase {
            Phase::New | Phase::Learning => &self.config.learning_steps,
            Phase::Review | Phase::Relearning => &self.config.relearning_steps,
        };
        let mut state = CardState {
            memory: Some(memory),
            last_review: Some(now),
            reps: card.reps + 1,
            ..*card
        };
        let mut leech = false;
        let step = |i: usize| Interval::Seconds(steps[i]);
        let interval = match card.phase {
            Phase::Review => {
                if rating == Rating::Again {
                    state.lapses += 1;
                    leech = is_leech_lapse(state.lapses, self.config.leech_threshold);
                    if steps.is_empty() {
                        Interval::Days(days)
                    } else {
                        state.phase = Phase::Relearning;
                        state.step = 0;
                        step(0)
                    }
                } else {
                    Interval::Days(days)
                }
            }
            Phase::New | Phase::Learning | Phase::Relearning => {
                let (interval, at) = through_steps(steps, card.step as usize, rating, days);
                if let Some(at) = at {
                    state.step = at;
                }
                interval
            }
        };
        match interval {
            Interval::Seconds(s) => {
                if state.phase == Phase::New {
                    state.phase = Phase::Learning;
                }
                state.due = now + Duration::seconds(i64::from(s));
            }
            Interval::Days(d) => {
                state.phase = Phase::Review;
                state.step = 0;
                state.due = clock.day_start(clock.day(now) + i64::from(d));
            }
        }
        Outcome {
            rating,
            state,
            interval,
            leech,
            balanced: false,
        }
    }
}

/// The next wait of a card in its (re)learning `steps`, at step `at`: a
/// step's wait, and the step it is then at; or a review in `days` once the
/// steps are done (no step then).
fn through_steps(steps: &[u32], at: usize, rating: Rating, days: u32) -> (Interval, Option<u32>) {
    let step = |i: usize| Interval::Seconds(steps[i]);
    if steps.is_empty() || (at >= steps.len() && rating != Rating::Again) {
        return (Interval::Days(days), None);
    }
    match rating {
        Rating::Again => (step(0), Some(0)),
        Rating::Hard => {
            let at = at.min(steps.len() - 1);
            let wait = if at == 0 && steps.len() == 1 {
                Interval::Seconds(steps[0] + steps[0] / 2)
            } else if at == 0 {
                Interval::Seconds((steps[0] + steps[1]) / 2)
            } else {
                step(at)
            };
            (wait, Some(at as u32))
        }
        Rating::Good if at + 1 < steps.len() => (step(at + 1), Some(at as u32 + 1)),
        Rating::Good | Rating::Easy => (Interval::Days(days), None),
    }
}

#[cfg(test)]
mod tests;
