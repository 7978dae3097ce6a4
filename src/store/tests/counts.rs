//! The counts `kioku decks` reads from `deck_cards` and the indexes against
//! the same counts made by visiting every card: through syncs that add and
//! retire cards, reviews and undos, suspends and burials, and a rebuild.

use super::summary::review_one;
use super::*;
use crate::scheduler::{Config, DayClock, Scheduler};
use rand::{rngs::StdRng, Rng, SeedableRng};

pub(super) fn check(store: &Store, clock: &DayClock, at: DateTime<Utc>, case: &str) {
    let tomorrow = ms(clock.day_start(clock.day(at) + 1));
    let threshold = 2;
    let slow = crate::store::counts::counted_slowly(
        &store.conn,
        ms(at).0,
        tomorrow.0,
        cards::leech_min_lapses(threshold),
    );
    let decks: Vec<String> = slow.iter().map(|(d, _)| d.clone()).collect();
    let fast = store.deck_counts(&decks, at, clock, threshold).unwrap();
    for ((deck, expected), got) in slow.iter().zip(&fast) {
        let got_all = [
            got.total,
            got.new,
            got.learning,
            got.due,
            got.leeches,
            got.suspended,
        ];
        assert_eq!(&got_all, expected, "{case}: deck {deck}");
    }
}

/// The deck `id` with cards `c0`..`c{n}`.
fn cards_of(id: &str, n: usize) -> DeckSource {
    let cards: String = (0..n)
        .map(|i| basic(&format!("c{i}"), &format!("Q{i}")))
        .collect();
    deck(id, &cards)
}

#[test]
fn deck_counts_are_the_cards_counted() {
    let mut rng = StdRng::seed_from_u64(11);
    for case in 0..30 {
        let clock = DayClock::new(chrono::FixedOffset::east_opt(0).unwrap(), 4);
        let scheduler = Scheduler::new(&[], Config::default(), clock).unwrap();
        let mut store = Store::open_in_memory().unwrap();
        store
            .sync(&[cards_of("d", 4), cards_of("e", 4)], now())
            .unwrap();
        let session = store.start_session("study", &[], 1, now()).unwrap();
        let mut t = now();
        for step in 0..rng.random_range(10..60) {
            let case = format!("case {case} step {step}");
            match rng.random_range(0..10) {
                // A file gains or loses cards (the lost ones are retired).
                0 => {
                    let (d, e) = (rng.random_range(1..7), rng.random_range(1..7));
                    store
                        .sync(&[cards_of("d", d), cards_of("e", e)], t)
                        .unwrap();
                }
                1 | 2 => {
                    let deck = if rng.random_bool(0.5) { "d" } else { "e" };
                    let key = format!("c{}", rng.random_range(0..4));
                    if let Some(card) = store.find_card(deck, &key).unwrap() {
                        if rng.random_bool(0.5) {
                            store.set_suspended(card.row, rng.random_bool(0.7)).unwrap();
                        } else {
                            let hours = rng.random_range(1..72);
                            store.bury(card.row, t + Duration::hours(hours)).unwrap();
                        }
                    }
                }
                _ => {
                    t = review_one(&mut store, &scheduler, session, t, &mut rng);
                }
            }
            check(&store, &clock, t, &case);
        }
        store.rebuild(&scheduler).unwrap();
        check(&store, &clock, t, &format!("case {case} rebuilt"));
        check(
            &store,
            &clock,
            t + Duration::days(30),
            &format!("case {case} later"),
        );
    }
}

/// `merge` brings another machine's cards of decks this one lacks,
/// inactive: they count for nothing until the decks' files arrive, and then
/// as the cards they are, studied or not.
#[test]
fn merged_cards_count_once_their_deck_arrives() {
    let dir = tempfile::tempdir().unwrap();
    let (a_path, b_path) = (dir.path().join("a.db"), dir.path().join("b.db"));
    let clock = DayClock::new(chrono::FixedOffset::east_opt(0).unwrap(), 4);
    let scheduler = Scheduler::new(&[], Config::default(), clock).unwrap();
    let mut t = now();
    {
        let mut b = Store::open(&b_path, now()).unwrap();
        b.sync(&[cards_of("d", 4), cards_of("e", 4)], now())
            .unwrap();
        let session = b.start_session("study", &[], 1, now()).unwrap();
        let mut rng = StdRng::seed_from_u64(7);
        for _ in 0..8 {
            t = review_one(&mut b, &scheduler, session, t, &mut rng);
        }
    }
    let mut a = Store::open(&a_path, t).unwrap();
    a.sync(&[cards_of("z", 3)], t).unwrap();
    let added = a.merge(&b_path, &scheduler, t).unwrap();
    assert!(added.new_cards > 0, "{added:?}");
    check(&a, &clock, t, "merged, decks d and e absent");
    let absent = a
        .deck_counts(&["d".into(), "e".into()], t, &clock, 8)
        .unwrap();
    assert_eq!(absent.iter().map(|c| c.total).sum::<i64>(), 0);
    a.sync(&[cards_of("z", 3), cards_of("d", 4), cards_of("e", 4)], t)
        .unwrap();
    check(&a, &clock, t, "decks d and e arrived");
    let arrived = a
        .deck_counts(&["d".into(), "e".into()], t, &clock, 8)
        .unwrap();
    assert_eq!(arrived.iter().map(|c| c.total).sum::<i64>(), 8);
    let new: i64 = arrived.iter().map(|c| c.new).sum();
    assert!(new < 8, "studied cards are not new: {arrived:?}");
}

/// Counted again from nothing, the table holds the active cards only.
#[test]
fn a_recount_counts_the_active_cards() {
    let mut store = Store::open_in_memory().unwrap();
    store.sync(&[cards_of("d", 5)], now()).unwrap();
    store
        .conn
        .execute_batch("DELETE FROM deck_cards; UPDATE cards SET active = 0 WHERE card_key = 'c4';")
        .unwrap();
    crate::store::counts::recount(&store.conn).unwrap();
    let clock = DayClock::new(chrono::FixedOffset::east_opt(0).unwrap(), 4);
    let got = store.deck_counts(&["d".into()], now(), &clock, 8).unwrap();
    assert_eq!((got[0].total, got[0].new), (4, 4));
}

/// A database of version 7 with studied, retired and new cards gains
/// `deck_cards` counted from them, and the counts agree with the cards.
#[test]
fn version_7_migrates_to_deck_counts() {
    use crate::store::MIGRATION_SLICE;
    use rusqlite::Connection;
    use rusqlite_migration::Migrations;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.db");
    let seven = Migrations::new(MIGRATION_SLICE[..7].to_vec());
    let clock = DayClock::new(chrono::FixedOffset::east_opt(0).unwrap(), 4);
    let scheduler = Scheduler::new(&[], Config::default(), clock).unwrap();
    {
        let conn = Connection::open(&path).unwrap();
        let mut store =
            Store::prepare_with(conn, path.display().to_string(), &seven, 7, now()).unwrap();
        // Today's sync counts the cards it adds into `deck_cards`: a scratch
        // table takes that count while the version 7 data is written, and is
        // dropped before the migration, which makes the real one.
        store
            .conn
            .execute_batch("CREATE TABLE deck_cards (deck_id TEXT PRIMARY KEY, active, unstudied)")
            .unwrap();
        store
            .sync(&[cards_of("d", 4), cards_of("e", 4)], now())
            .unwrap();
        let session = store.start_session("study", &[], 1, now()).unwrap();
        let mut rng = StdRng::seed_from_u64(3);
        let mut t = now();
        for _ in 0..12 {
            t = review_one(&mut store, &scheduler, session, t, &mut rng);
        }
        store
            .sync(&[cards_of("d", 2), cards_of("e", 4)], t)
            .unwrap();
        store.conn.execute_batch("DROP TABLE deck_cards").unwrap();
    }
    let store = Store::open(&path, now()).unwrap();
    let got = store
        .deck_counts(&["d".into(), "e".into()], now(), &clock, 8)
        .unwrap();
    assert_eq!(got[0].total, 2);
    assert_eq!(got[1].total, 4);
    check(&store, &clock, now(), "migrated");
}
