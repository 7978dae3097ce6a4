//! Load balancing and easy days: which day of a review's fuzz range a card
//! is sent to, so that the days ahead carry an even load and the learner's
//! lighter weekdays a smaller one.
//!
//! Every day of the range is weighed: a day with `c` cards already due
//! weighs `1 / (c² · interval)` (an empty day weighs 1), so the emptier
//! days win and, among equals, the nearer ones. A day is drawn by weight,
//! with the card's own seeded fuzz number, so the same load and card give
//! the same day — from the days open by the easy days (a normal weekday
//! always; a day set to 0 never; a lighter day while one more card leaves
//! it within its share of a normal day's load) on which no sibling of the
//! card (a card of the same note) is due; failing that, from the open days;
//! failing that, from them all.
//!
//! The load is how many review cards are due on each day; the store counts
//! it, the scheduler only reads it. A day chosen here depends on every other
//! card, so it cannot be worked out again from one card's log: the review
//! keeps it ([`super::Logged::balanced_due`]).

use std::collections::{BTreeMap, HashSet};
use std::fmt;

/// Intervals longer than this are not balanced by load: so far ahead, one
/// day more or less evens nothing out. Easy days still apply.
pub const MAX_BALANCED_INTERVAL: u32 = 90;

/// The learner's share of a normal day's load for each weekday, Monday first.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EasyDays([f32; 7]);

const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

impl Default for EasyDays {
    fn default() -> Self {
        EasyDays([1.0; 7])
    }
}

impl EasyDays {
    /// Reads `sat=0.5 sun=0`: weekdays by their first three letters (or in
    /// full), each with a share from 0 to 1; unnamed days are normal, and at
    /// least one day must stay normal. `none` or nothing is every day normal.
    pub fn parse(text: &str) -> Result<EasyDays, String> {
        let mut shares = [1.0f32; 7];
        let mut seen = [false; 7];
        let text = text.trim();
        if text.is_empty() || text.eq_ignore_ascii_case("none") {
            return Ok(EasyDays::default());
        }
        for part in text.split([' ', ',']).filter(|p| !p.is_empty()) {
            let Some((day, share)) = part.split_once('=') else {
                return Err(format!(
                    "`{part}` is not a day and its share: write it as `sat=0.5`"
                ));
            };
            let day = day.trim().to_ascii_lowercase();
            let Some(i) = WEEKDAYS
                .iter()
                .position(|&w| day == w || day == full_name(w))
            else {
                return Err(format!(
                    "`{day}` is not a weekday: use mon, tue, wed, thu, fri, sat or sun"
                ));
            };
            if seen[i] {
                return Err(format!("{} is given twice", WEEKDAYS[i]));
            }
            seen[i] = true;
            let share: f32 = share
                .trim()
                .parse()
                .ok()
                .filter(|s: &f32| s.is_finite() && (0.0..=1.0).contains(s))
                .ok_or_else(|| {
                    format!(
                        "the share for {} must be a number from 0 (no reviews) to 1 (a normal day), not `{}`",
                        WEEKDAYS[i],
                        share.trim()
                    )
                })?;
            shares[i] = share;
        }
        if shares.iter().all(|&s| s < 1.0) {
            return Err("at least one day of the week must stay a normal day (share 1)".into());
        }
        Ok(EasyDays(shares))
    }

    /// Every day normal: nothing to do.
    pub fn is_plain(&self) -> bool {
        self.0.iter().all(|&s| s >= 1.0)
    }

    /// The share of weekday `i` (Monday 0).
    pub fn share(&self, weekday: usize) -> f32 {
        self.0[weekday % 7]
    }
}

/// The full name of a weekday from its short one.
fn full_name(short: &str) -> &'static str {
    match short {
        "mon" => "monday",
        "tue" => "tuesday",
        "wed" => "wednesday",
        "thu" => "thursday",
        "fri" => "friday",
        "sat" => "saturday",
        _ => "sunday",
    }
}

impl fmt::Display for EasyDays {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_plain() {
            return f.write_str("none");
        }
        let parts: Vec<String> = (0..7)
            .filter(|&i| self.0[i] < 1.0)
            .map(|i| format!("{}={}", WEEKDAYS[i], self.0[i]))
            .collect();
        f.write_str(&parts.join(" "))
    }
}

/// The weekday of a day as [`crate::types::DayClock`] numbers them
/// (0001-01-01, day 1, was a Monday): Monday 0.
pub fn weekday(day: i64) -> usize {
    (day - 1).rem_euclid(7) as usize
}

/// What the days ahead already hold, as the store counted it for one card.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Load {
    /// Review cards due on each day (the clock's day numbers), the card
    /// being scheduled left out.
    due: BTreeMap<i64, u32>,
    /// Days on which a sibling of the card is due.
    siblings: HashSet<i64>,
}

impl Load {
    pub fn new(
        due: impl IntoIterator<Item = (i64, u32)>,
        siblings: impl IntoIterator<Item = i64>,
    ) -> Load {
        let mut counted: BTreeMap<i64, u32> = BTreeMap::new();
        for (day, n) in due {
            *counted.entry(day).or_default() += n;
        }
        Load {
            due: counted,
            siblings: siblings.into_iter().collect(),
        }
    }

    /// The days on which a sibling of the card being scheduled is due.
    pub fn set_siblings(&mut self, days: impl IntoIterator<Item = i64>) {
        self.siblings = days.into_iter().collect();
    }

    /// One more card due on `day`: for a caller placing many cards in turn.
    pub fn add(&mut self, day: i64) {
        *self.due.entry(day).or_default() += 1;
    }

    /// One card fewer due on `day`.
    pub fn remove(&mut self, day: i64) {
        if let Some(n) = self.due.get_mut(&day) {
            *n = n.saturating_sub(1);
        }
    }

    pub fn on(&self, day: i64) -> u32 {
        self.due.get(&day).copied().unwrap_or(0)
    }
}

/// How a day is chosen in a fuzz range.
#[derive(Debug, Clone, Copy)]
pub struct Choice<'a> {
    /// What the days ahead hold.
    pub load: &'a Load,
    /// Even the load out (load balancing on); the easy days and a day's
    /// share of the load apply either way.
    pub by_load: bool,
    pub easy_days: &'a EasyDays,
}

/// The interval, in days from `today`, chosen in `lo..=hi` for a card whose
/// plain interval is `interval`; `fuzz` is the card's number in [0, 1).
pub fn choose(
    choice: Choice<'_>,
    today: i64,
    (lo, hi): (u32, u32),
    interval: u32,
    fuzz: f64,
) -> u32 {
    if lo >= hi {
        return lo;
    }
    let by_load =
        choice.by_load && interval <= MAX_BALANCED_INTERVAL && lo <= MAX_BALANCED_INTERVAL;
    let counts: Vec<u32> = (lo..=hi)
        .map(|d| choice.load.on(today + i64::from(d)))
        .collect();
    let open = open_days(choice.easy_days, today, lo, &counts);
    let weights: Vec<f64> = (lo..=hi)
        .zip(&counts)
        .map(|(d, &c)| match (by_load, c) {
            (false, _) | (true, 0) => 1.0,
            (true, c) => 1.0 / (f64::from(c).powi(2) * f64::from(d)),
        })
        .collect();
    let sibling = |d: u32| choice.by_load && choice.load.siblings.contains(&(today + i64::from(d)));
    // The days open and free of siblings; failing that, the open days;
    // failing that, all of them.
    let tiers: [&dyn Fn(usize, u32) -> bool; 3] =
        [&|i, d| open[i] && !sibling(d), &|i, _| open[i], &|_, _| {
            true
        }];
    for allowed in tiers {
        let total: f64 = (lo..=hi)
            .enumerate()
            .filter(|&(i, d)| allowed(i, d))
            .map(|(i, _)| weights[i])
            .sum();
        if total <= 0.0 {
            continue;
        }
        let mut target = fuzz.clamp(0.0, 1.0) * total;
        let mut last = lo;
        for (i, d) in (lo..=hi).enumerate().filter(|&(i, d)| allowed(i, d)) {
            if target < weights[i] {
                return d;
            }
            target -= weights[i];
            last = d;
        }
        return last;
    }
    hi
}

/// Whether each day may take the card by the easy days: a normal day
/// always; a day set to 0 never; a lighter day while it holds no more than
/// its share of what a normal day of the rest of the range holds.
fn open_days(easy: &EasyDays, today: i64, lo: u32, counts: &[u32]) -> Vec<bool> {
    let shares: Vec<f64> = (0..counts.len())
        .map(|i| f64::from(easy.share(weekday(today + i64::from(lo) + i as i64))))
        .collect();
    let total: f64 = counts.iter().map(|&c| f64::from(c)).sum();
    let total_share: f64 = shares.iter().sum();
    shares
        .iter()
        .zip(counts)
        .map(|(&share, &count)| {
            if share >= 1.0 {
                return true;
            }
            if share <= 0.0 {
                return false;
            }
            let others = total - f64::from(count);
            let per_normal_day = others / (total_share - share).max(f64::EPSILON);
            // One more card must still leave the day within its share.
            (f64::from(count) + 1.0) / share <= per_normal_day.max(1.0 / share)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MONDAY: i64 = 739_586; // 2025-12-01

    #[test]
    fn easy_days_are_read_and_written() {
        let e = EasyDays::parse("sat=0.5 sun=0").unwrap();
        assert_eq!(e.share(5), 0.5);
        assert_eq!(e.share(6), 0.0);
        assert_eq!(e.share(0), 1.0);
        assert_eq!(e.to_string(), "sat=0.5 sun=0");
        assert_eq!(EasyDays::parse(&e.to_string()).unwrap(), e);
        assert_eq!(EasyDays::parse("Saturday=0.5,SUN=0").unwrap(), e);
        assert!(EasyDays::parse("none").unwrap().is_plain());
        assert!(EasyDays::parse("").unwrap().is_plain());
        for (bad, says) in [
            ("sat", "day and its share"),
            ("sunday=2", "from 0"),
            ("sat=x", "from 0"),
            ("satu=0", "not a weekday"),
            ("fun=0", "not a weekday"),
            ("sat=0 sat=1", "twice"),
            ("mon=0 tue=0 wed=0 thu=0 fri=0 sat=0 sun=0.9", "normal day"),
        ] {
            let e = EasyDays::parse(bad).unwrap_err();
            assert!(e.contains(says), "{bad}: {e}");
        }
    }

    #[test]
    fn weekdays_follow_the_calendar() {
        use chrono::{Datelike, NaiveDate};
        let d = NaiveDate::from_ymd_opt(2025, 12, 1).unwrap();
        assert_eq!(i64::from(d.num_days_from_ce()), MONDAY);
        for i in 0..14 {
            let day = d + chrono::Duration::days(i);
            assert_eq!(
                weekday(i64::from(day.num_days_from_ce())),
                day.weekday().num_days_from_monday() as usize
            );
        }
    }

    #[test]
    fn the_emptier_day_is_chosen() {
        let load = Load::new([(MONDAY + 10, 50), (MONDAY + 11, 3), (MONDAY + 12, 50)], []);
        let easy = EasyDays::default();
        let choice = Choice {
            load: &load,
            by_load: true,
            easy_days: &easy,
        };
        let picked: Vec<u32> = (0..100)
            .map(|i| choose(choice, MONDAY, (10, 12), 11, (f64::from(i) + 0.5) / 100.0))
            .collect();
        let on_11 = picked.iter().filter(|&&d| d == 11).count();
        assert!(on_11 >= 98, "{picked:?}");
        // The same number gives the same day.
        assert_eq!(
            choose(choice, MONDAY, (10, 12), 11, 0.5),
            choose(choice, MONDAY, (10, 12), 11, 0.5)
        );
    }

    #[test]
    fn siblings_are_kept_apart() {
        let load = Load::new([], [MONDAY + 10, MONDAY + 11]);
        let easy = EasyDays::default();
        let choice = Choice {
            load: &load,
            by_load: true,
            easy_days: &easy,
        };
        for i in 0..100 {
            assert_eq!(
                choose(choice, MONDAY, (10, 12), 11, (f64::from(i) + 0.5) / 100.0),
                12
            );
        }
    }

    #[test]
    fn a_day_off_gets_nothing_and_a_half_day_its_share() {
        // Days 5..=7 from a Monday are Saturday, Sunday and Monday.
        let easy = EasyDays::parse("sat=0.5 sun=0").unwrap();
        let empty = Load::default();
        let choice = Choice {
            load: &empty,
            by_load: true,
            easy_days: &easy,
        };
        let days: Vec<u32> = (0..200)
            .map(|i| choose(choice, MONDAY, (5, 7), 6, (f64::from(i) + 0.5) / 200.0))
            .collect();
        assert!(!days.contains(&6), "a Sunday was chosen");
        assert!(days.contains(&5) && days.contains(&7));
        // A Saturday that already holds half of a Monday's load is full.
        let load = Load::new([(MONDAY + 5, 10), (MONDAY + 7, 20)], []);
        // (One more would put it over.)
        let choice = Choice {
            load: &load,
            by_load: true,
            easy_days: &easy,
        };
        let days: Vec<u32> = (0..200)
            .map(|i| choose(choice, MONDAY, (5, 7), 6, (f64::from(i) + 0.5) / 200.0))
            .collect();
        assert!(days.iter().all(|&d| d == 7), "{days:?}");
    }

    #[test]
    fn long_intervals_are_not_balanced_by_load() {
        let load = Load::new([(MONDAY + 200, 1000)], []);
        let easy = EasyDays::default();
        let choice = Choice {
            load: &load,
            by_load: true,
            easy_days: &easy,
        };
        let days: HashSet<u32> = (0..100)
            .map(|i| {
                choose(
                    choice,
                    MONDAY,
                    (195, 205),
                    200,
                    (f64::from(i) + 0.5) / 100.0,
                )
            })
            .collect();
        assert!(days.contains(&200));
        assert_eq!(days.len(), 11);
    }
}
