//! Scores and memory over time: pure aggregations over the review log, the
//! card states and quiz answers. No SQLite, no terminal: the store loads the
//! rows, [`compute`] turns them into [`Stats`], and the front-ends draw them.
//!
//! The log itself is not read row by row: [`compute`] works from a
//! [`LogSummary`] (totals per day), which the store keeps up to date as
//! reviews are written, and from a [`CardTally`] the store feeds one card
//! at a time, each with its memory at the period's start.
//! [`LogSummary::from_reviews`] and [`starts_from_reviews`] make the same
//! from the rows; they are the definition the store is tested against.

use crate::types::{quiz_score, CardRowId, CardState, DayClock, Phase, Rating, SessionId, Verdict};
use chrono::{DateTime, Datelike, Utc};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

mod cards;
pub use cards::{AtStart, CardRow, CardTally};

/// A review, as the statistics need it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewRow {
    pub card: CardRowId,
    pub at: DateTime<Utc>,
    pub rating: Rating,
    pub duration_ms: i64,
    pub phase_before: Phase,
    /// Days the card had been scheduled for when reviewed (0 if it was new or learning).
    pub interval_before: f64,
    pub stability_after: f32,
}

/// One quiz answer.
#[derive(Debug, Clone, PartialEq)]
pub struct QuizRow {
    pub session: SessionId,
    pub started: DateTime<Utc>,
    pub deck: String,
    pub verdict: Verdict,
}

/// One day's reviews, summed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DayTotals {
    /// The day, as the clock counts days.
    pub day: i64,
    pub reviews: u64,
    pub time_ms: i64,
    /// Reviews not rated again.
    pub remembered: u64,
    /// Reviews of learnt cards scheduled under [`MATURE_DAYS`], and how many
    /// of those were remembered.
    pub young: u64,
    pub young_ok: u64,
    /// The same for cards scheduled [`MATURE_DAYS`] or more.
    pub mature: u64,
    pub mature_ok: u64,
}

impl DayTotals {
    /// Counts one review. `learnt_interval` is the interval (days) the card
    /// was scheduled for when it was a learnt card, `None` otherwise.
    pub fn count(&mut self, remembered: bool, duration_ms: i64, learnt_interval: Option<f64>) {
        let ok = u64::from(remembered);
        self.reviews += 1;
        self.time_ms = self.time_ms.saturating_add(duration_ms);
        self.remembered += ok;
        match learnt_interval {
            Some(days) if days < MATURE_DAYS => {
                self.young += 1;
                self.young_ok += ok;
            }
            Some(_) => {
                self.mature += 1;
                self.mature_ok += ok;
            }
            None => {}
        }
    }

    fn add(&mut self, r: &ReviewRow) {
        self.count(
            r.rating != Rating::Again,
            r.duration_ms,
            (r.phase_before == Phase::Review).then_some(r.interval_before),
        );
    }
}

/// What the statistics need from the review log.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LogSummary {
    /// Every day with reviews, in order.
    pub days: Vec<DayTotals>,
    /// Distinct cards reviewed today.
    pub today_cards: u64,
}

impl LogSummary {
    /// The summary of `reviews` (in time order), today being the day of `now`.
    pub fn from_reviews(reviews: &[ReviewRow], clock: &DayClock, now: DateTime<Utc>) -> LogSummary {
        let today = clock.day(now);
        let mut per_day: BTreeMap<i64, DayTotals> = BTreeMap::new();
        let mut today_cards = BTreeSet::new();
        for r in reviews {
            let day = clock.day(r.at);
            per_day
                .entry(day)
                .or_insert(DayTotals {
                    day,
                    ..DayTotals::default()
                })
                .add(r);
            if day == today {
                today_cards.insert(r.card);
            }
        }
        LogSummary {
            days: per_day.into_values().collect(),
            today_cards: today_cards.len() as u64,
        }
    }
}

/// For each card of `reviews` (in time order) reviewed before a period of
/// `days` ending today began: its last review before then, and the
/// stability that review left. The definition the store's per-card starts
/// are tested against.
pub fn starts_from_reviews(
    reviews: &[ReviewRow],
    clock: &DayClock,
    now: DateTime<Utc>,
    days: u32,
) -> HashMap<CardRowId, (DateTime<Utc>, f32)> {
    let start = period_start(clock, now, days);
    reviews
        .iter()
        .filter(|r| r.at < start)
        .map(|r| (r.card, (r.at, r.stability_after)))
        .collect()
}

/// The moment a period of `days` ending today begins: the start of its first day.
pub fn period_start(clock: &DayClock, now: DateTime<Utc>, days: u32) -> DateTime<Utc> {
    clock.day_start(first_day(clock, now, days))
}

/// The first study day of a period of `days` (at least one) ending today.
fn first_day(clock: &DayClock, now: DateTime<Utc>, days: u32) -> i64 {
    clock.day(now) - i64::from(days.max(1)) + 1
}

/// Everything [`compute`] works from.
pub struct StatsInput<'a> {
    pub log: &'a LogSummary,
    pub quizzes: &'a [QuizRow],
    pub now: DateTime<Utc>,
    pub clock: DayClock,
    /// How many days back the period reaches, today included.
    pub days: u32,
    pub leech_threshold: u32,
    /// The forgetting curve's decay (the last FSRS-6 parameter).
    pub decay: f32,
}

/// How many of the weakest cards are listed.
pub const WEAKEST: usize = 10;

/// Reviews of cards already learnt count toward true retention; a card is
/// mature once its interval reaches this many days.
pub const MATURE_DAYS: f64 = 21.0;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Stats {
    pub today: Today,
    pub streak: Streak,
    /// One entry per day of the period, oldest first.
    pub days: Vec<DayStat>,
    /// One entry per week (Monday to Sunday) touching the period, oldest first.
    pub weeks: Vec<WeekStat>,
    /// Cards falling due on each of the next 30 days; day 0 includes overdue cards.
    pub forecast: Vec<u64>,
    pub phases: Phases,
    pub mastery_by_deck: Vec<Mastery>,
    pub mastery_by_tag: Vec<Mastery>,
    pub quizzes: Vec<QuizPoint>,
    pub weakest: Vec<WeakCard>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Today {
    pub date: String,
    pub reviews: u64,
    pub cards: u64,
    /// Share of today's reviews not rated again, 0–1.
    pub accuracy: Option<f64>,
    pub time_ms: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Streak {
    /// Days in a row with at least one review, ending today (or yesterday, if
    /// today has none yet).
    pub current: u64,
    pub longest: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DayStat {
    pub date: String,
    pub reviews: u64,
    pub time_ms: i64,
    pub accuracy: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct WeekStat {
    /// The Monday that starts the week.
    pub start: String,
    pub reviews: u64,
    pub accuracy: Option<f64>,
    /// Share of reviews of learnt cards remembered, young (< 21 days) and mature.
    pub retention_young: Option<f64>,
    pub retention_mature: Option<f64>,
    pub young_reviews: u64,
    pub mature_reviews: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Phases {
    pub new: u64,
    pub learning: u64,
    pub review: u64,
    pub relearning: u64,
    pub suspended: u64,
    pub leeches: u64,
}

/// Predicted recall over a group of cards: the share of them the scheduler
/// expects you to remember right now (new cards count as not known).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Mastery {
    pub name: String,
    pub cards: u64,
    pub now: f64,
    /// The same at the start of the period.
    pub start: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuizPoint {
    pub session: SessionId,
    pub date: String,
    pub deck: String,
    pub answered: u64,
    /// Percent, a close answer counting half.
    pub score: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct WeakCard {
    pub deck: String,
    pub card: String,
    pub lapses: u32,
    pub recall: f64,
    pub reviews: u64,
}

fn ratio(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// Probability of recall `elapsed` after a review that left `stability`.
pub fn recall(stability: f32, elapsed: chrono::Duration, decay: f32) -> f64 {
    let days = (elapsed.num_seconds().max(0) as f32) / 86_400.0;
    f64::from(crate::types::recall_after(stability, days, decay))
}

/// Predicted recall now of a card with a memory; `None` before its first
/// review.
fn prediction(state: &CardState, now: DateTime<Utc>, decay: f32) -> Option<f64> {
    match state {
        CardState {
            memory: Some(m),
            last_review: Some(last),
            ..
        } => Some(recall(m.stability, now - *last, decay)),
        _ => None,
    }
}

/// All the figures, from the rows and the clock.
pub fn compute(input: &StatsInput<'_>, cards: CardTally) -> Stats {
    let clock = &input.clock;
    let today = clock.day(input.now);
    let first = first_day(clock, input.now, input.days);
    let per_day: BTreeMap<i64, DayTotals> = input
        .log
        .days
        .iter()
        .filter(|d| d.reviews > 0)
        .map(|d| (d.day, *d))
        .collect();
    let t = per_day.get(&today).copied().unwrap_or_default();
    let stats_today = Today {
        date: date(clock, today),
        reviews: t.reviews,
        cards: input.log.today_cards,
        accuracy: ratio(t.remembered, t.reviews),
        time_ms: t.time_ms,
    };
    let (days, weeks) = per_day_and_weeks(clock, &per_day, first, today);
    let cards = cards.finish();
    Stats {
        today: stats_today,
        streak: streak(&per_day, today),
        days,
        weeks,
        forecast: cards.forecast,
        phases: cards.phases,
        mastery_by_deck: cards.mastery_by_deck,
        mastery_by_tag: cards.mastery_by_tag,
        quizzes: quiz_points(input),
        weakest: cards.weakest,
    }
}

/// A study day as the learner's calendar date.
fn date(clock: &DayClock, day: i64) -> String {
    clock.date(day).to_string()
}

/// Each day of the period from `first` to `today`, and the weeks (from
/// Monday) they fall in.
fn per_day_and_weeks(
    clock: &DayClock,
    per_day: &BTreeMap<i64, DayTotals>,
    first: i64,
    today: i64,
) -> (Vec<DayStat>, Vec<WeekStat>) {
    let mut weeks: BTreeMap<i64, DayTotals> = BTreeMap::new();
    for (&day, d) in per_day.range(first..=today) {
        let weekday = i64::from(clock.date(day).weekday().num_days_from_monday());
        let w = weeks.entry(day - weekday).or_default();
        w.reviews += d.reviews;
        w.remembered += d.remembered;
        w.young += d.young;
        w.young_ok += d.young_ok;
        w.mature += d.mature;
        w.mature_ok += d.mature_ok;
    }
    let days = (first..=today)
        .map(|d| {
            let t = per_day.get(&d).copied().unwrap_or_default();
            DayStat {
                date: date(clock, d),
                reviews: t.reviews,
                time_ms: t.time_ms,
                accuracy: ratio(t.remembered, t.reviews),
            }
        })
        .collect();
    let weeks = weeks
        .into_iter()
        .map(|(start, w)| WeekStat {
            start: date(clock, start),
            reviews: w.reviews,
            accuracy: ratio(w.remembered, w.reviews),
            retention_young: ratio(w.young_ok, w.young),
            retention_mature: ratio(w.mature_ok, w.mature),
            young_reviews: w.young,
            mature_reviews: w.mature,
        })
        .collect();
    (days, weeks)
}

/// Streaks over the whole history: the one running into today (or up to
/// yesterday, while today is still open) and the longest.
fn streak(per_day: &BTreeMap<i64, DayTotals>, today: i64) -> Streak {
    let mut longest = 0u64;
    let mut run = 0u64;
    let mut prev: Option<i64> = None;
    for &d in per_day.keys() {
        run = if prev == Some(d - 1) { run + 1 } else { 1 };
        longest = longest.max(run);
        prev = Some(d);
    }
    let mut current = 0u64;
    let mut d = if per_day.contains_key(&today) {
        today
    } else {
        today - 1
    };
    while per_day.contains_key(&d) {
        current += 1;
        d -= 1;
    }
    Streak { current, longest }
}

/// Quiz scores per quiz and deck, in the order the quizzes were taken.
fn quiz_points(input: &StatsInput<'_>) -> Vec<QuizPoint> {
    #[derive(Default)]
    struct Answers {
        answered: u64,
        correct: u64,
        close: u64,
    }
    let mut quiz: BTreeMap<(DateTime<Utc>, SessionId, String), Answers> = BTreeMap::new();
    for q in input.quizzes {
        let e = quiz
            .entry((q.started, q.session, q.deck.clone()))
            .or_default();
        e.answered += 1;
        match q.verdict {
            Verdict::Correct => e.correct += 1,
            Verdict::Close => e.close += 1,
            _ => {}
        }
    }
    quiz.into_iter()
        .map(|((started, session, deck), a)| QuizPoint {
            session,
            date: date(&input.clock, input.clock.day(started)),
            deck,
            answered: a.answered,
            score: quiz_score(a.correct, a.close, a.answered),
        })
        .collect()
}

#[cfg(test)]
mod tests;
