//! `--balance`: a simulated year of study, the same learner three times —
//! load balancing off, on, and on with easy days (`sat=0.5 sun=0`) — and
//! how evenly the reviews fall on the days: the standard deviation of the
//! reviews a day and the busiest day against the mean, with the retention
//! the learner kept, which balancing must not cost.
//!
//! The learner takes 20 new cards a day for a year (7,300 cards), studies
//! every card due each morning, and remembers a card with the probability
//! FSRS gives it (answering Good, or Again when forgotten), all drawn from
//! one seeded generator per card and review, so that the three runs differ
//! only in the days the scheduler chooses. The scheduler is kioku's own,
//! its load counted as a session counts it.
//!
//!     cargo bench --bench collection -- --balance

use chrono::{DateTime, Duration, FixedOffset, TimeZone, Utc};
use kioku::scheduler::balance::{EasyDays, Load};
use kioku::scheduler::{Config, DayClock, Scheduler};
use kioku::types::{CardState, Interval, Phase, Rating};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::BTreeMap;

const DAYS: i64 = 365;
const NEW_A_DAY: usize = 20;
/// The first days, while the collection fills, are left out of the spread.
const WARM_UP: i64 = 60;

pub fn main() {
    let variants = [
        ("load balancing off", false, ""),
        ("load balancing on", true, ""),
        ("on, easy days sat=0.5 sun=0", true, "sat=0.5 sun=0"),
    ];
    println!(
        "a simulated year: {} cards ({NEW_A_DAY} new a day), every due card studied; \
         days {}–{DAYS} measured",
        NEW_A_DAY as i64 * DAYS,
        WARM_UP + 1
    );
    println!(
        "| | reviews | a day (mean) | std | max/mean | std around the week | max/week's mean | weekend/weekday | retention |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    let mut retentions = Vec::new();
    let mut weeks = Vec::new();
    for (name, balance, easy) in variants {
        let year = simulate(balance, easy);
        let spread = Spread::of(&year.daily);
        let retention = year.remembered as f64 / year.reviews as f64;
        println!(
            "| {name} | {} | {:.1} | {:.1} | {:.2} | {:.1} | {:.2} | {:.2} | {:.2}% |",
            year.reviews,
            spread.mean,
            spread.std,
            spread.max_over_mean,
            spread.local_std,
            spread.local_max,
            year.weekend_share(),
            retention * 100.0
        );
        retentions.push(retention);
        weeks.push((name, year.by_weekday()));
    }
    println!("\nreviews a day by weekday, Monday to Sunday:");
    for (name, week) in weeks {
        let days: Vec<String> = week.iter().map(|n| format!("{n:.0}")).collect();
        println!("  {name}: {}", days.join(" "));
    }
    let spread = retentions.iter().copied().fold(f64::MIN, f64::max)
        - retentions.iter().copied().fold(f64::MAX, f64::min);
    println!(
        "retention differs by {:.2} points between the three",
        spread * 100.0
    );
    assert!(spread < 0.005, "balancing cost retention: {retentions:?}");
}

/// How evenly reviews fall on the measured days: over the whole stretch
/// (which includes the load's growth as the collection fills), and around
/// each day's own week (the mean of the seven days centred on it), which is
/// the day-to-day spread alone.
struct Spread {
    mean: f64,
    std: f64,
    max_over_mean: f64,
    local_std: f64,
    local_max: f64,
}

impl Spread {
    fn of(daily: &[u32]) -> Spread {
        let n: Vec<f64> = daily.iter().map(|&d| f64::from(d)).collect();
        let measured = &n[WARM_UP as usize..];
        let mean = measured.iter().sum::<f64>() / measured.len() as f64;
        let std = (measured.iter().map(|x| (x - mean).powi(2)).sum::<f64>()
            / measured.len() as f64)
            .sqrt();
        let max = measured.iter().copied().fold(0.0, f64::max);
        // Days with a whole week around them.
        let around: Vec<(f64, f64)> = (WARM_UP as usize..n.len() - 3)
            .map(|d| (n[d], n[d - 3..=d + 3].iter().sum::<f64>() / 7.0))
            .collect();
        let local_std =
            (around.iter().map(|(x, m)| (x - m).powi(2)).sum::<f64>() / around.len() as f64).sqrt();
        let local_max = around.iter().map(|(x, m)| x / m).fold(0.0, f64::max);
        Spread {
            mean,
            std,
            max_over_mean: max / mean,
            local_std,
            local_max,
        }
    }
}

/// What a year of study came to.
struct Year {
    /// Review-phase cards studied on each day.
    daily: Vec<u32>,
    /// Their weekday numbers (0 Monday … 6 Sunday).
    weekdays: Vec<usize>,
    reviews: usize,
    remembered: usize,
}

impl Year {
    /// The mean reviews on each weekday, Monday first.
    fn by_weekday(&self) -> [f64; 7] {
        let mut sum = [0.0; 7];
        let mut days = [0.0; 7];
        for d in WARM_UP as usize..self.daily.len() {
            sum[self.weekdays[d]] += f64::from(self.daily[d]);
            days[self.weekdays[d]] += 1.0;
        }
        std::array::from_fn(|i| sum[i] / days[i])
    }

    /// The mean reviews on a Saturday or Sunday against those of a weekday.
    fn weekend_share(&self) -> f64 {
        let mean = |weekend: bool| {
            let days: Vec<f64> = (WARM_UP as usize..self.daily.len())
                .filter(|&d| (self.weekdays[d] >= 5) == weekend)
                .map(|d| f64::from(self.daily[d]))
                .collect();
            days.iter().sum::<f64>() / days.len() as f64
        };
        mean(true) / mean(false)
    }
}

fn simulate(balance: bool, easy: &str) -> Year {
    let clock = DayClock::new(FixedOffset::east_opt(0).unwrap(), 4);
    let config = Config {
        load_balance: balance,
        easy_days: EasyDays::parse(easy).unwrap(),
        ..Config::default()
    };
    let scheduler = Scheduler::new(&[], config, clock).unwrap();
    let start = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
    let mut cards: Vec<CardState> = Vec::new();
    // Review cards due on each day, as a session counts the load.
    let mut load = Load::new([], []);
    let mut due_days: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
    let mut year = Year {
        daily: Vec::new(),
        weekdays: Vec::new(),
        reviews: 0,
        remembered: 0,
    };
    for d in 0..DAYS {
        let morning = start + Duration::days(d);
        let today = clock.day(morning);
        let mut queue: Vec<usize> = due_days
            .range(..=today)
            .flat_map(|(_, v)| v.iter().copied())
            .collect();
        due_days.retain(|&day, _| day > today);
        let reviewed_today = queue.len();
        for _ in 0..NEW_A_DAY {
            cards.push(CardState::new_card(morning));
            queue.push(cards.len() - 1);
        }
        let mut now = morning;
        let mut round = 0;
        // Learning steps come back the same day, until every card is done.
        while !queue.is_empty() {
            let mut again = Vec::new();
            for card in std::mem::take(&mut queue) {
                now += Duration::seconds(12);
                let state = cards[card];
                if state.phase == Phase::Review {
                    load.remove(clock.day(state.due));
                }
                let (rating, remembered) = answer(&scheduler, &state, now, card);
                if state.phase == Phase::Review {
                    year.reviews += 1;
                    year.remembered += usize::from(remembered);
                }
                let outcome = scheduler
                    .preview_with_load(&state, now, seed(card), &load)
                    .unwrap()[rating as usize - 1];
                cards[card] = outcome.state;
                match outcome.interval {
                    Interval::Seconds(_) => again.push(card),
                    Interval::Days(_) => {
                        let day = clock.day(outcome.state.due);
                        load.add(day);
                        due_days.entry(day).or_default().push(card);
                    }
                }
            }
            round += 1;
            assert!(round < 50, "learning steps never end");
            queue = again;
        }
        year.daily.push(reviewed_today as u32);
        year.weekdays
            .push(kioku::scheduler::balance::weekday(today));
    }
    year
}

/// The learner's answer: remembered with the probability FSRS predicts for
/// a review card (a new or learning card is answered Good), drawn from a
/// generator seeded by the card and its review count.
fn answer(
    scheduler: &Scheduler,
    state: &CardState,
    now: DateTime<Utc>,
    card: usize,
) -> (Rating, bool) {
    let p = match state.phase {
        Phase::Review => scheduler.retrievability(state, now).unwrap_or(1.0),
        _ => 1.0,
    };
    let mut rng = StdRng::seed_from_u64(seed(card) ^ u64::from(state.reps) << 40);
    let remembered = rng.random::<f32>() < p;
    (
        if remembered {
            Rating::Good
        } else {
            Rating::Again
        },
        remembered,
    )
}

fn seed(card: usize) -> u64 {
    (card as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x5EED
}
