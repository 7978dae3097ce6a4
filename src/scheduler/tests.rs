//! Unit tests of the scheduler: learning steps, FSRS states, limits, fuzz
//! and leeches, each on states built by hand with an explicit `now`.

use super::*;
use chrono::FixedOffset;
use Rating::*;

fn utc_clock() -> DayClock {
    DayClock::new(FixedOffset::east_opt(0).unwrap(), 4)
}

fn scheduler(fuzz: bool) -> Scheduler {
    let config = Config {
        fuzz,
        ..Config::default()
    };
    Scheduler::new(&[], config, utc_clock()).unwrap()
}

fn start() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-01-05T10:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

/// The FSRS reference: default parameters, no fuzz, each review at the moment
/// the card falls due.
#[test]
fn fsrs_reference_sequence() {
    let s = scheduler(false);
    let ratings = [
        Good, Good, Good, Good, Good, Good, Again, Again, Good, Good, Good, Good, Good,
    ];
    let mut card = CardState::new_card(start());
    let mut now = start();
    let mut intervals = Vec::new();
    for rating in ratings {
        let out = s.review(&card, rating, now, 42).unwrap();
        intervals.push(out.interval.whole_days());
        card = out.state;
        now = card.due;
    }
    assert_eq!(intervals, [0, 2, 11, 46, 163, 498, 0, 0, 2, 4, 7, 12, 21]);
    assert_eq!(card.phase, Phase::Review);
    assert_eq!(card.lapses, 1);
    assert_eq!(card.reps, 13);
}

#[test]
fn learning_steps_one_and_ten_minutes() {
    let s = scheduler(false);
    let new = CardState::new_card(start());
    let preview = s.preview(&new, start(), 1).unwrap();
    assert_eq!(preview[0].interval, Interval::Seconds(60));
    assert_eq!(preview[1].interval, Interval::Seconds(330));
    assert_eq!(preview[2].interval, Interval::Seconds(600));
    assert!(matches!(preview[3].interval, Interval::Days(d) if d >= 1));
    for o in &preview[..3] {
        assert_eq!(o.state.phase, Phase::Learning);
    }
    assert_eq!(preview[3].state.phase, Phase::Review);
    // Good at the last step graduates.
    let second = s
        .review(&preview[2].state, Good, start() + Duration::minutes(10), 1)
        .unwrap();
    assert_eq!(second.state.phase, Phase::Review);
    assert!(matches!(second.interval, Interval::Days(_)));
    // Again at the last step goes back to the first.
    let again = s
        .review(&preview[2].state, Again, start() + Duration::minutes(10), 1)
        .unwrap();
    assert_eq!(
        (again.state.phase, again.state.step, again.interval),
        (Phase::Learning, 0, Interval::Seconds(60))
    );
}

#[test]
fn a_lapse_relearns_for_ten_minutes() {
    let s = scheduler(false);
    let mut card = CardState::new_card(start());
    for r in [Good, Good, Good] {
        card = s.review(&card, r, card.due.max(start()), 1).unwrap().state;
    }
    assert_eq!(card.phase, Phase::Review);
    let lapse = s.review(&card, Again, card.due, 1).unwrap();
    assert_eq!(lapse.state.phase, Phase::Relearning);
    assert_eq!(lapse.interval, Interval::Seconds(600));
    assert_eq!(lapse.state.lapses, 1);
}

/// Property: from any reachable state, at any moment, a better rating never
/// gives a shorter interval, and no interval is negative or beyond the maximum.
#[test]
fn better_rating_never_gives_shorter_interval() {
    let s = scheduler(true);
    let mut rng_state = 7u64;
    let mut next = || {
        rng_state ^= rng_state << 13;
        rng_state ^= rng_state >> 7;
        rng_state ^= rng_state << 17;
        rng_state
    };
    let mut checked = 0;
    for card_seed in 0..300u64 {
        let mut card = CardState::new_card(start());
        let mut now = start();
        for _ in 0..12 {
            // Review early, on time or late, sometimes with the clock gone backwards.
            let shift = (next() % 200) as i64 - 20;
            now = (card.due + Duration::hours(shift)).max(now - Duration::hours(30));
            let all = s.preview(&card, now, card_seed).unwrap();
            let secs: Vec<i64> = all
                .iter()
                .map(|o| (o.state.due - now).num_seconds())
                .collect();
            for w in secs.windows(2) {
                assert!(
                    w[0] <= w[1] + 86400,
                    "ratings out of order {secs:?} for {card:?}"
                );
            }
            let days: Vec<u32> = all.iter().map(|o| o.interval.whole_days()).collect();
            assert!(days.windows(2).all(|w| w[0] <= w[1]), "{days:?}");
            assert!(days.iter().all(|&d| d <= 36500));
            for o in &all {
                assert!(o.state.due >= now, "due before the review: {o:?}");
                let m = o.state.memory.unwrap();
                assert!(m.stability.is_finite() && m.stability > 0.0);
                assert!((1.0..=10.0).contains(&m.difficulty));
            }
            checked += 1;
            card = all[(next() % 4) as usize].state;
        }
    }
    assert_eq!(checked, 3600);
}

#[test]
fn clock_going_backwards_gives_no_negative_interval() {
    let s = scheduler(false);
    let mut card = CardState::new_card(start());
    for r in [Good, Good, Good, Good] {
        card = s.review(&card, r, card.due.max(start()), 9).unwrap().state;
    }
    let past = start() - Duration::days(400);
    for o in s.preview(&card, past, 9).unwrap() {
        assert!(o.state.due >= past);
        assert!(o.state.memory.unwrap().stability.is_finite());
    }
}

#[test]
fn fuzz_is_reproducible_and_can_be_switched_off() {
    let fuzzed = scheduler(true);
    let plain = scheduler(false);
    let mut card = CardState::new_card(start());
    for r in [Good, Good, Good] {
        card = plain
            .review(&card, r, card.due.max(start()), 5)
            .unwrap()
            .state;
    }
    let a = fuzzed.review(&card, Good, card.due, 5).unwrap();
    let b = fuzzed.review(&card, Good, card.due, 5).unwrap();
    assert_eq!(a, b);
    let spread: std::collections::BTreeSet<u32> = (0..50)
        .map(|seed| {
            fuzzed
                .review(&card, Good, card.due, seed)
                .unwrap()
                .interval
                .whole_days()
        })
        .collect();
    assert!(spread.len() > 1, "fuzz should spread intervals: {spread:?}");
    let unfuzzed: std::collections::BTreeSet<u32> = (0..50)
        .map(|seed| {
            plain
                .review(&card, Good, card.due, seed)
                .unwrap()
                .interval
                .whole_days()
        })
        .collect();
    assert_eq!(unfuzzed.len(), 1);
}

#[test]
fn leech_at_eight_lapses_then_every_four() {
    let marks: Vec<u32> = (1..=20).filter(|&l| is_leech_lapse(l, 8)).collect();
    assert_eq!(marks, [8, 12, 16, 20]);
    assert!(!is_leech_lapse(5, 0));
}

#[test]
fn maximum_interval_caps_reviews() {
    let config = Config {
        fuzz: false,
        max_interval_days: 30,
        ..Config::default()
    };
    let s = Scheduler::new(&[], config, utc_clock()).unwrap();
    let mut card = CardState::new_card(start());
    for _ in 0..10 {
        let out = s.review(&card, Easy, card.due.max(start()), 3).unwrap();
        assert!(out.interval.whole_days() <= 30);
        card = out.state;
    }
    assert_eq!(
        s.review(&card, Easy, card.due, 3).unwrap().interval,
        Interval::Days(30)
    );
}

#[test]
fn retrievability_is_ninety_percent_at_the_interval_for_default_retention() {
    let s = scheduler(false);
    let mut card = CardState::new_card(start());
    for r in [Good, Good, Good] {
        card = s.review(&card, r, card.due.max(start()), 1).unwrap().state;
    }
    let stability = card.memory.unwrap().stability;
    let at = card.last_review.unwrap() + Duration::seconds((f64::from(stability) * 86400.0) as i64);
    let r = s.retrievability(&card, at).unwrap();
    assert!((r - 0.9).abs() < 0.001, "{r}");
}

#[test]
fn interval_display() {
    assert_eq!(Interval::Seconds(60).to_string(), "1m");
    assert_eq!(Interval::Seconds(330).to_string(), "6m");
    assert_eq!(Interval::Days(12).to_string(), "12d");
    assert_eq!(Interval::Days(90).to_string(), "3.0mo");
    assert_eq!(Interval::Days(730).to_string(), "2.0y");
}

/// A due moment kept from another scheduler replaces kioku's choice at that
/// review and nothing else: the memory, and every later review's state,
/// are what the same reviews give without it.
#[test]
fn a_kept_due_moment_moves_only_the_due_date() {
    let s = scheduler(true);
    let days = |d: i64| start() + Duration::days(d);
    let plain = [
        Logged::new(days(0), Good, None),
        Logged::new(days(0) + Duration::minutes(10), Good, None),
        Logged::new(days(3), Good, None),
    ];
    let mut kept = plain;
    kept[2].kept_due = Some(days(15));
    let a = s.replay(7, plain).unwrap();
    let b = s.replay(7, kept).unwrap();
    assert_eq!(b[2].state.due, days(15));
    assert_eq!(b[2].interval, Interval::Days(12));
    assert_eq!(a[2].state.memory, b[2].state.memory);
    assert_ne!(a[2].state.due, b[2].state.due);
    // The review after it counts from when it came, not from either due date.
    let next = Logged::new(days(20), Again, None);
    let a = s.replay(7, plain.into_iter().chain([next])).unwrap();
    let b = s.replay(7, kept.into_iter().chain([next])).unwrap();
    assert_eq!(a[3].state, b[3].state);
    // A kept step in learning stays a step.
    let mut learning = plain;
    learning[0].kept_due = Some(days(0) + Duration::minutes(30));
    let c = s.replay(7, learning).unwrap();
    assert_eq!(c[0].interval, Interval::Seconds(1800));
}

/// The load balancer's day is kept where the replay gives the review an
/// interval in days, and marks the outcome balanced; where other learning
/// steps make the same review a step, the step stands.
#[test]
fn a_balanced_day_is_kept_only_for_a_review_interval() {
    let s = scheduler(true);
    let days = |d: i64| start() + Duration::days(d);
    let mut reviews = [
        Logged::new(days(0), Good, None),
        Logged::new(days(0) + Duration::minutes(10), Good, None),
        Logged::new(days(3), Good, None),
    ];
    reviews[2].balanced_due = Some(utc_clock().day_start(utc_clock().day(days(14))));
    let out = s.replay(7, reviews).unwrap();
    assert!(out[2].balanced);
    assert_eq!(out[2].interval, Interval::Days(11));
    // Three learning steps: the second review is a step now, whatever
    // day the balancer had given it.
    reviews[1].balanced_due = Some(days(5));
    let longer = Scheduler::new(
        &[],
        Config {
            learning_steps: vec![60, 600, 3600],
            ..Config::default()
        },
        utc_clock(),
    )
    .unwrap();
    let out = longer.replay(7, reviews).unwrap();
    assert_eq!(out[1].interval, Interval::Seconds(3600));
    assert!(!out[1].balanced);
}
