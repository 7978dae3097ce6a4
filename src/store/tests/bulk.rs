//! A large import writes with the log's triggers set aside: afterwards, and
//! after a kill in between, every trigger is back as the migrations made it,
//! and every cache the triggers keep (the day summary, each card's start,
//! the `studied` flags, the deck counts) agrees with the log.

use super::summary::{review_one, two_decks_studied};
use super::*;
use crate::scheduler::{Config, DayClock, Scheduler};
use crate::store::pending::mark_stale;
use crate::store::replay::{prepare_bulk, BULK};
use crate::types::Rating;
use rand::{rngs::StdRng, SeedableRng};

/// Every trigger of the schema, by name, with the statement that made it.
fn triggers(store: &Store) -> Vec<(String, String)> {
    let mut stmt = store
        .conn
        .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
        .unwrap();
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    rows.collect::<rusqlite::Result<_>>().unwrap()
}

fn set_aside(store: &Store) -> i64 {
    store
        .conn
        .query_row("SELECT COUNT(*) FROM set_aside", [], |r| r.get(0))
        .unwrap()
}

/// Enough reviews of cards `c0`..`c3` of `deck` for the bulk path, ten
/// minutes apart, the first 200 before `t`: before the starts and the days
/// already kept.
fn bulk_reviews(store: &Store, deck: &str, t: DateTime<Utc>) -> Vec<Imported> {
    let rows: Vec<_> = (0..4)
        .map(|i| {
            store
                .find_card(deck, &format!("c{i}"))
                .unwrap()
                .unwrap()
                .row
        })
        .collect();
    (0..BULK)
        .map(|n| Imported {
            card_row: rows[n % 4],
            at: ms(t).saturating_add_ms((n as i64 - 200) * 600_000),
            rating: Rating::ALL[n % 7 % 4],
            duration_ms: Some(2000 + n as i64 % 11),
            utc_offset: None,
            kept_due: None,
            balanced_due: None,
        })
        .collect()
}

fn scheduler() -> (DayClock, Scheduler) {
    let clock = DayClock::new(chrono::FixedOffset::east_opt(2 * 3600).unwrap(), 4);
    (
        clock,
        Scheduler::new(&[], Config::default(), clock).unwrap(),
    )
}

#[test]
fn a_bulk_import_puts_every_trigger_back_and_counts_what_they_keep() {
    let (clock, scheduler) = scheduler();
    let (mut store, session) = two_decks_studied();
    let made = triggers(&store);
    let mut rng = StdRng::seed_from_u64(3);
    let mut t = now();
    for _ in 0..40 {
        t = review_one(&mut store, &scheduler, session, t, &mut rng);
    }
    // The summary and the starts are kept before the import, which is of
    // cards never studied, in a deck of their own.
    summary::check(&mut store, &clock, t, 30, "before");
    let cards: String = (0..4).map(|i| basic(&format!("c{i}"), "Q")).collect();
    let decks = ["d", "e", "f"].map(|id| deck(id, &cards));
    store.sync(&decks, now()).unwrap();
    store
        .import_reviews(&bulk_reviews(&store, "f", t), &scheduler)
        .unwrap();
    assert_eq!(triggers(&store), made);
    assert_eq!(set_aside(&store), 0);
    counts::check(&store, &clock, t, "after the import");
    // The triggers count the reviews after it.
    let mut later = t + Duration::days(400);
    for _ in 0..40 {
        later = review_one(&mut store, &scheduler, session, later, &mut rng);
    }
    summary::check(&mut store, &clock, later, 30, "after");
    counts::check(&store, &clock, later, "after");
}

#[test]
fn an_import_killed_with_its_triggers_aside_is_finished_by_the_next_command() {
    let (clock, scheduler) = scheduler();
    let (mut store, session) = two_decks_studied();
    let made = triggers(&store);
    let mut rng = StdRng::seed_from_u64(4);
    let mut t = now();
    for _ in 0..40 {
        t = review_one(&mut store, &scheduler, session, t, &mut rng);
    }
    summary::check(&mut store, &clock, t, 30, "before");
    // What a large import leaves when killed after its first transaction.
    let tx = store.write().unwrap();
    mark_stale(&tx, "history import").unwrap();
    prepare_bulk(&tx, true).unwrap();
    tx.commit().unwrap();
    assert!(triggers(&store).len() < made.len());
    assert!(set_aside(&store) > 0);
    // A session in another terminal studies meanwhile, unseen by triggers.
    for _ in 0..40 {
        t = review_one(&mut store, &scheduler, session, t, &mut rng);
    }
    assert_eq!(
        store.finish_pending(&scheduler).unwrap().as_deref(),
        Some("history import")
    );
    assert_eq!(triggers(&store), made);
    assert_eq!(set_aside(&store), 0);
    summary::check(&mut store, &clock, t, 30, "finished");
    counts::check(&store, &clock, t, "finished");
    for _ in 0..40 {
        t = review_one(&mut store, &scheduler, session, t, &mut rng);
    }
    summary::check(&mut store, &clock, t, 30, "after");
    counts::check(&store, &clock, t, "after");
}
