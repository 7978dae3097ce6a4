//! Balanced reviews and moves against replay and merge: a rebuild after
//! reviews whose days the load balancer chose, postpones, advances and
//! reschedules changes nothing, and two databases that moved cards
//! differently agree once each has merged the other.

use super::{basic, deck, now};
use crate::scheduler::{Config, DayClock, EasyDays, Scheduler};
use crate::store::{card_seed, CardState, Move, MoveReason, NewReview, Store};
use crate::types::{Rating, Verdict};
use chrono::{DateTime, Duration, Utc};
use rand::{rngs::StdRng, Rng, SeedableRng};

const CARDS: usize = 12;

fn cards() -> String {
    (0..CARDS)
        .map(|i| basic(&format!("c{i}"), &format!("Q{i}")))
        .collect()
}

/// One review of `key` at `t`, given as a session gives it: the days ahead
/// counted, the outcome balanced, the chosen day kept with the review.
fn review(store: &mut Store, scheduler: &Scheduler, key: &str, rating: Rating, t: DateTime<Utc>) {
    let card = store.find_card("d", key).unwrap().unwrap();
    let state = card.state.unwrap_or_else(|| CardState::new_card(t));
    // As a session counts it: the days ahead, less the card's own day,
    // with its siblings' days.
    let clock = scheduler.clock();
    let mut load = store.load_ahead(t, clock).unwrap();
    if let Some(s) = card
        .state
        .filter(|s| s.phase == crate::types::Phase::Review)
    {
        load.remove(clock.day(s.due));
    }
    load.set_siblings(
        store
            .sibling_days((card.row, "d", &card.card.note), t, clock)
            .unwrap(),
    );
    let outcome = scheduler
        .preview_with_load(&state, t, card_seed("d", key), &load)
        .unwrap()[rating as usize - 1];
    store
        .record_review_checked(
            &NewReview {
                card_row: card.row,
                session: None,
                at: t,
                rating,
                verdict: Verdict::SelfGraded,
                answer: None,
                duration_ms: None,
                interval_days: outcome.interval.whole_days(),
                before: card.state,
                after: outcome.state,
                utc_offset: Some(0),
                accepted: None,
                kept_due: None,
                balanced_due: outcome.balanced.then_some(outcome.state.due),
            },
            scheduler,
            card_seed("d", key),
        )
        .unwrap();
}

/// Postpones or advances some review cards at `t`, as the commands do.
fn shift(store: &mut Store, scheduler: &Scheduler, t: DateTime<Utc>, postpone: bool, n: usize) {
    let cards = store.review_cards(&["d".to_string()], t).unwrap();
    let states: Vec<_> = cards.iter().map(|c| (c.state, c.seed)).collect();
    let plan = if postpone {
        scheduler.postpone(&states, Some(n), t)
    } else {
        scheduler.advance(&states, Some(n), t)
    };
    let moves: Vec<Move> = plan
        .moved
        .iter()
        .map(|m| Move {
            card_row: cards[m.index].row,
            at: t,
            due: m.due,
            reason: if postpone {
                MoveReason::Postpone
            } else {
                MoveReason::Advance
            },
        })
        .collect();
    store.record_moves(&moves).unwrap();
}

fn scheduler(rng: &mut StdRng) -> Scheduler {
    let config = Config {
        load_balance: rng.random_bool(0.8),
        easy_days: if rng.random_bool(0.5) {
            EasyDays::parse("sat=0.5 sun=0").unwrap()
        } else {
            EasyDays::default()
        },
        ..Config::default()
    };
    let clock = DayClock::new(chrono::FixedOffset::east_opt(0).unwrap(), 4);
    Scheduler::new(&[], config, clock).unwrap()
}

/// Random days of study with moves in between, from `t`.
fn study(
    store: &mut Store,
    scheduler: &Scheduler,
    rng: &mut StdRng,
    mut t: DateTime<Utc>,
    days: usize,
) {
    for _ in 0..days {
        t += Duration::hours(rng.random_range(20..60));
        for _ in 0..rng.random_range(1..8) {
            let key = format!("c{}", rng.random_range(0..CARDS));
            let rating = Rating::ALL[rng.random_range(0..4)];
            review(store, scheduler, &key, rating, t);
            t += Duration::minutes(rng.random_range(1..30));
        }
        match rng.random_range(0..6) {
            0 => shift(store, scheduler, t, true, rng.random_range(1..4)),
            1 => shift(store, scheduler, t, false, rng.random_range(1..4)),
            _ => {}
        }
    }
}

#[test]
fn replay_after_balancing_postponing_and_advancing_changes_nothing() {
    let mut rng = StdRng::seed_from_u64(19);
    let mut moved = 0;
    let mut balanced = 0;
    for case in 0..40 {
        let scheduler = scheduler(&mut rng);
        let mut store = Store::open_in_memory().unwrap();
        store.sync(&[deck("d", &cards())], now()).unwrap();
        study(&mut store, &scheduler, &mut rng, now(), 40);
        moved += store.move_count().unwrap();
        balanced += store
            .conn
            .query_row(
                "SELECT COUNT(*) FROM reviews WHERE balanced_due IS NOT NULL",
                [],
                |r| r.get::<_, i64>(0),
            )
            .unwrap();
        let live = store.all_states().unwrap();
        let report = store.rebuild(&scheduler).unwrap();
        assert_eq!(report.changed, 0, "case {case}: {report:?}");
        assert_eq!(store.all_states().unwrap(), live, "case {case}");
    }
    assert!(moved > 40, "{moved} moves");
    assert!(balanced > 1000, "{balanced} balanced reviews");
}

#[test]
fn a_moved_due_day_holds_until_the_next_review() {
    let mut rng = StdRng::seed_from_u64(7);
    let scheduler = scheduler(&mut rng);
    let mut store = Store::open_in_memory().unwrap();
    store.sync(&[deck("d", &cards())], now()).unwrap();
    let t = now();
    review(&mut store, &scheduler, "c0", Rating::Good, t);
    review(
        &mut store,
        &scheduler,
        "c0",
        Rating::Good,
        t + Duration::minutes(10),
    );
    review(
        &mut store,
        &scheduler,
        "c0",
        Rating::Good,
        t + Duration::days(3),
    );
    let row = store.find_card("d", "c0").unwrap().unwrap().row;
    let before = store.all_states().unwrap()[&row];
    let later = before.due + Duration::days(9);
    let moved = Move {
        card_row: row,
        at: t + Duration::days(4),
        due: later,
        reason: MoveReason::Postpone,
    };
    assert_eq!(store.record_moves(&[moved]).unwrap(), 1);
    assert_eq!(store.all_states().unwrap()[&row].due, later);
    store.rebuild(&scheduler).unwrap();
    assert_eq!(store.all_states().unwrap()[&row].due, later);
    // A review after the move supersedes it.
    review(&mut store, &scheduler, "c0", Rating::Again, later);
    let after = store.all_states().unwrap()[&row];
    assert!(after.due < later + Duration::days(1), "{after:?}");
    assert_eq!(store.rebuild(&scheduler).unwrap().changed, 0);
}

#[test]
fn two_databases_that_moved_cards_differently_converge_when_merged() {
    let dir = tempfile::tempdir().unwrap();
    let (a_path, b_path) = (dir.path().join("a.db"), dir.path().join("b.db"));
    let mut rng = StdRng::seed_from_u64(5);
    let scheduler = scheduler(&mut rng);
    {
        let mut a = Store::open(&a_path, now()).unwrap();
        a.sync(&[deck("d", &cards())], now()).unwrap();
        study(&mut a, &scheduler, &mut rng, now(), 20);
    }
    std::fs::copy(&a_path, &b_path).unwrap();
    let later = now() + Duration::days(60);
    let mut a = Store::open(&a_path, later).unwrap();
    let mut b = Store::open(&b_path, later).unwrap();
    // Each machine goes on alone, moving cards its own way.
    study(&mut a, &scheduler, &mut rng, later, 10);
    shift(&mut a, &scheduler, later + Duration::days(25), true, 5);
    study(&mut b, &scheduler, &mut rng, later + Duration::hours(5), 10);
    shift(&mut b, &scheduler, later + Duration::days(26), false, 5);
    shift(&mut b, &scheduler, later + Duration::days(27), true, 3);
    let end = later + Duration::days(30);
    a.merge(&b_path, &scheduler, end).unwrap();
    b.merge(&a_path, &scheduler, end).unwrap();
    assert_eq!(a.move_count().unwrap(), b.move_count().unwrap());
    assert!(a.move_count().unwrap() > 3);
    assert_eq!(a.all_states().unwrap(), b.all_states().unwrap());
    // Merging again adds nothing.
    let again = a.merge(&b_path, &scheduler, end).unwrap();
    assert_eq!(again.added, 0);
    assert_eq!(again.rebuilt.changed, 0);
}
