//! Postpone, advance and reschedule: which cards move, where to, and what it costs.

use super::*;
use crate::scheduler::{Config, DayClock};
use chrono::{Duration, FixedOffset, TimeZone};
use fsrs::MemoryState;

fn scheduler(config: Config) -> Scheduler {
    let clock = DayClock::new(FixedOffset::east_opt(0).unwrap(), 4);
    Scheduler::new(&[], config, clock).unwrap()
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, 12, 0, 0).unwrap()
}

/// A review card last seen `ago` days before now, due `due_in` days from
/// now (negative: overdue), with stability `s`.
fn card(s: &Scheduler, ago: i64, due_in: i64, stability: f32) -> CardState {
    let clock = s.clock();
    let today = clock.day(now());
    CardState {
        phase: Phase::Review,
        step: 0,
        memory: Some(MemoryState {
            stability,
            difficulty: 5.0,
        }),
        due: clock.day_start(today + due_in),
        last_review: Some(now() - Duration::days(ago)),
        reps: 4,
        lapses: 0,
    }
}

#[test]
fn postpone_takes_the_cards_that_can_wait_and_makes_them_later() {
    let s = scheduler(Config::default());
    let cards = vec![
        // Due today after a long interval: can wait.
        (card(&s, 60, 0, 60.0), 1),
        // Weeks overdue on a short interval: cannot.
        (card(&s, 30, -25, 5.0), 2),
        // Not due: not a candidate.
        (card(&s, 2, 5, 10.0), 3),
    ];
    let plan = s.postpone(&cards, None, now());
    assert_eq!(plan.candidates, 2);
    assert_eq!(plan.safe, 1);
    assert_eq!(plan.moved.len(), 1);
    let m = plan.moved[0];
    assert_eq!(m.index, 0);
    let today = s.clock().day(now());
    let new_day = s.clock().day(m.due);
    // 60 days stretched by 5–10%: 3 to 6 days later than it was due.
    assert!(
        (today + 3..=today + 6).contains(&new_day),
        "{new_day} vs {today}"
    );
    assert!(m.recall_after < m.recall_before);
    // Asked for more than the safe ones, the riskier one comes too, last.
    let all = s.postpone(&cards, Some(10), now());
    assert_eq!(
        all.moved.iter().map(|m| m.index).collect::<Vec<_>>(),
        [0, 1]
    );
    assert!(s.clock().day(all.moved[1].due) > today);
    // The same cards give the same plan.
    assert_eq!(s.postpone(&cards, Some(10), now()), all);
}

#[test]
fn advance_takes_the_cards_nearest_their_due_day_and_makes_them_due_today() {
    let s = scheduler(Config::default());
    let cards = vec![
        // Reviewed yesterday, due in a month: costly to review now.
        (card(&s, 1, 30, 30.0), 1),
        // Due tomorrow after forty days: nearly due anyway.
        (card(&s, 40, 1, 41.0), 2),
        // Due today: not a candidate.
        (card(&s, 10, 0, 10.0), 3),
    ];
    let plan = s.advance(&cards, None, now());
    assert_eq!(plan.candidates, 2);
    assert_eq!(plan.safe, 1);
    assert_eq!(plan.moved[0].index, 1);
    assert_eq!(s.clock().day(plan.moved[0].due), s.clock().day(now()));
    let (before, after) = plan.recall().unwrap();
    assert!(after > before);
    assert_eq!(s.advance(&cards, Some(5), now()).moved.len(), 2);
}

#[test]
fn a_reschedule_follows_the_new_parameters_and_spreads_the_load() {
    let spread = |load_balance: bool| {
        let s = scheduler(Config {
            load_balance,
            ..Config::default()
        });
        let mut load = Load::default();
        let today = s.clock().day(now());
        let mut per_day = std::collections::BTreeMap::new();
        for seed in 0..400u64 {
            let state = card(&s, 0, 20, 20.0);
            let due = s
                .rescheduled(&state, seed * 7919, now(), &mut load)
                .unwrap();
            *per_day.entry(s.clock().day(due) - today).or_insert(0) += 1;
        }
        let (lo, hi) = (
            *per_day.keys().next().unwrap(),
            *per_day.keys().last().unwrap(),
        );
        assert!(lo >= 15 && hi <= 25, "{per_day:?}");
        per_day.values().max().unwrap() - per_day.values().min().unwrap()
    };
    let (balanced, plain) = (spread(true), spread(false));
    assert!(balanced * 2 < plain, "balanced {balanced}, plain {plain}");

    // Overdue under the new parameters: due on its day, which has passed.
    let s = scheduler(Config::default());
    let mut load = Load::default();
    let old = card(&s, 400, -300, 20.0);
    let due = s.rescheduled(&old, 1, now(), &mut load).unwrap();
    assert!(due < now());
    // A learning card is not rescheduled.
    let learning = CardState {
        phase: Phase::Learning,
        ..old
    };
    assert!(s.rescheduled(&learning, 1, now(), &mut load).is_none());
}
