//! The store's unit tests, on in-memory databases opened through the real
//! migrations: syncing, the queue, reviews and undo, replay, migrations.
//! The per-day summary has its own file (`tests/summary.rs`). Nothing here
//! touches the learner's files.

use super::*;
use crate::deck::DeckSource;
use chrono::Duration;

mod accepted;
mod bulk;
mod counts;
mod moves;
mod starts;
mod summary;
mod synonyms;

fn deck(id: &str, cards: &str) -> DeckSource {
    DeckSource::from_text(
        format!("{id}.toml"),
        format!("format = 1\n[deck]\nid = \"{id}\"\ntitle = \"Deck {id}\"\n{cards}"),
    )
}

fn basic(id: &str, q: &str) -> String {
    format!("[[cards]]\nid = \"{id}\"\ntype = \"basic\"\nq = \"{q}\"\na = \"A\"\n")
}

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-02-01T09:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

#[test]
fn migrations_are_valid() {
    MIGRATIONS.validate().unwrap();
}

#[test]
fn sync_skips_unchanged_files_and_keeps_history_of_edited_cards() {
    let mut store = Store::open_in_memory().unwrap();
    let v1 = deck("d", &format!("{}{}", basic("a", "Q1"), basic("b", "Q2")));
    let r = store.sync(std::slice::from_ref(&v1), now()).unwrap();
    assert_eq!((r.parsed, r.unchanged, r.cards_added), (1, 0, 2));
    let r = store.sync(std::slice::from_ref(&v1), now()).unwrap();
    assert_eq!((r.parsed, r.unchanged, r.cards_added), (0, 1, 0));

    let a = store.find_card("d", "a").unwrap().unwrap();
    // Edit a's question, drop b.
    let v2 = deck("d", &basic("a", "Q1 with a typo fixed"));
    let r = store.sync(&[v2], now()).unwrap();
    assert_eq!((r.cards_updated, r.cards_removed), (1, 1));
    let a2 = store.find_card("d", "a").unwrap().unwrap();
    assert_eq!(
        a.row, a2.row,
        "an edited card keeps its row and so its history"
    );
    assert!(!store.find_card("d", "b").unwrap().unwrap().active);
    // b comes back.
    let r = store.sync(&[v1], now()).unwrap();
    assert_eq!(r.cards_restored, 1);
    assert!(store.find_card("d", "b").unwrap().unwrap().active);
}

#[test]
fn broken_and_duplicate_decks_are_reported_and_skipped() {
    let mut store = Store::open_in_memory().unwrap();
    let good = deck("good", &basic("a", "Q"));
    let broken = DeckSource::from_text(
        "broken.toml",
        "format = 1\n[deck]\nid = \"x\"\ntitle = \"X\"\n[[cards]]\nid = \"a\"\ntype = \"nope\"\n",
    );
    let dup = DeckSource::from_text("dup.toml", good.read().unwrap().into_owned());
    let r = store.sync(&[good, broken, dup], now()).unwrap();
    assert_eq!(r.decks.len(), 1);
    assert_eq!(r.problems.len(), 2, "{:?}", r.problems);
    assert!(
        r.problems[0].starts_with("broken.toml:7:8: error: unknown card type `nope`"),
        "{}",
        r.problems[0]
    );
    assert!(
        r.problems[1]
            .starts_with("dup.toml:3:1: error: deck id `good` is already used by good.toml"),
        "{}",
        r.problems[1]
    );
}

#[test]
fn queue_respects_limits_and_siblings() {
    let mut store = Store::open_in_memory().unwrap();
    let mut cards = String::new();
    for i in 0..30 {
        cards.push_str(&basic(&format!("c{i}"), &format!("Q{i}")));
    }
    cards.push_str("[[cards]]\nid = \"z\"\ntype = \"cloze\"\ntext = \"{{a}} {{b}} {{c}}\"\n");
    store.sync(&[deck("d", &cards)], now()).unwrap();
    let settings = Settings::default();
    let clock = crate::scheduler::DayClock::new(chrono::FixedOffset::east_opt(0).unwrap(), 4);
    let q = store
        .study_queue(&["d".into()], now(), &clock, &settings)
        .unwrap();
    assert_eq!(q.new.len(), 20);
    let mut small = settings.clone();
    small.new_per_day = 40;
    let q = store
        .study_queue(&["d".into()], now(), &clock, &small)
        .unwrap();
    // 30 basics + only one of the three cloze siblings.
    assert_eq!(q.new.len(), 31);
    assert_eq!(q.new.iter().filter(|c| c.card.note == "z").count(), 1);
}

/// The deck `d` with its one card `a` synced, a study session started on
/// it, and the state a first good answer leaves the card in.
pub(super) fn a_card_to_review(store: &mut Store) -> (CardRecord, SessionId, CardState) {
    store.sync(&[deck("d", &basic("a", "Q"))], now()).unwrap();
    let card = store.find_card("d", "a").unwrap().unwrap();
    let session = store
        .start_session("study", &["d".into()], 1, now())
        .unwrap();
    let after = CardState {
        phase: Phase::Learning,
        step: 1,
        memory: Some(MemoryState {
            stability: 2.3,
            difficulty: 2.1,
        }),
        due: now() + Duration::minutes(10),
        last_review: Some(now()),
        reps: 1,
        lapses: 0,
    };
    (card, session, after)
}

#[test]
fn review_and_undo_restore_the_state() {
    let mut store = Store::open_in_memory().unwrap();
    let (card, session, after) = a_card_to_review(&mut store);
    let id = store
        .record_review(&NewReview {
            card_row: card.row,
            session: Some(session),
            at: now(),
            rating: crate::types::Rating::Good,
            verdict: crate::types::Verdict::SelfGraded,
            answer: None,
            duration_ms: Some(1200),
            interval_days: 0,
            before: None,
            after,
            utc_offset: Some(0),
            accepted: None,
            kept_due: None,
            balanced_due: None,
        })
        .unwrap();
    assert_eq!(
        store.find_card("d", "a").unwrap().unwrap().state,
        Some(after)
    );
    assert_eq!(store.card_reviews(card.row).unwrap().len(), 1);
    // Undo only works inside the session that wrote it.
    assert_eq!(
        store
            .undo_review(&id, crate::types::SessionId(session.0 + 1))
            .unwrap(),
        None
    );
    assert_eq!(store.undo_review(&id, session).unwrap(), Some(None));
    assert_eq!(store.find_card("d", "a").unwrap().unwrap().state, None);
    assert!(store.card_reviews(card.row).unwrap().is_empty());
}

#[test]
fn settings_are_validated_and_persisted() {
    let store = Store::open_in_memory().unwrap();
    assert!(store.set_setting("desired_retention", "2").is_err());
    store.set_setting("new_per_day", "5").unwrap();
    assert_eq!(store.settings().unwrap().new_per_day, 5);
}

#[test]
fn a_newer_database_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path, now()).err().unwrap();
    assert!(
        err.to_string().contains(&format!(
            "newer kioku (schema version 99; this build knows up to {SCHEMA_VERSION})"
        )),
        "{err}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn files_on_disk_are_read_only_when_their_stamp_changes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.toml");
    let text = |q: &str| {
        format!(
            "format = 1\n[deck]\nid = \"d\"\ntitle = \"D\"\n{}",
            basic("a", q)
        )
    };
    std::fs::write(&path, text("Q1")).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let sources = || crate::deck::load_sources(&[dir.path().to_path_buf()], true).0;
    assert_eq!(store.sync(&sources(), now()).unwrap().parsed, 1);
    assert_eq!(store.sync(&sources(), now()).unwrap().unchanged, 1);
    // Rewritten with the same text: new stamp, same fingerprint, no parse.
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&path, text("Q1")).unwrap();
    let r = store.sync(&sources(), now()).unwrap();
    assert_eq!((r.parsed, r.unchanged), (0, 1));
    // Edited: parsed, and the edit lands.
    std::fs::write(&path, text("Q2")).unwrap();
    let r = store.sync(&sources(), now()).unwrap();
    assert_eq!((r.parsed, r.cards_updated), (1, 1));
    assert_eq!(
        store
            .find_card("d", "a")
            .unwrap()
            .unwrap()
            .card
            .kind
            .prompt(),
        "Q2"
    );
}

/// Property: for random histories written the way a session writes them
/// (the state from the cache, `preview`, `record_review`), replaying the
/// log rebuilds exactly the states the live scheduler left, under random
/// settings, time zones and rollovers. (`tests/engine.rs` checks the same
/// through whole sessions, with the clock also moving back.)
#[test]
fn replaying_the_log_rebuilds_the_live_states() {
    use crate::scheduler::{Config, DayClock, Scheduler};
    use crate::types::{Rating, Verdict};
    use rand::{rngs::StdRng, Rng, SeedableRng};

    let mut rng = StdRng::seed_from_u64(2026);
    let mut checked = 0;
    for case in 0..120 {
        let config = Config {
            desired_retention: rng.random_range(0.75..0.97),
            learning_steps: if rng.random_bool(0.2) {
                vec![]
            } else {
                vec![60, 600]
            },
            relearning_steps: if rng.random_bool(0.3) {
                vec![]
            } else {
                vec![600]
            },
            max_interval_days: rng.random_range(30..36500),
            fuzz: rng.random_bool(0.7),
            leech_threshold: 8,
            ..Config::default()
        };
        let offset = chrono::FixedOffset::east_opt(rng.random_range(-12..=12) * 3600).unwrap();
        let clock = DayClock::new(offset, rng.random_range(0..6));
        let scheduler = Scheduler::new(&[], config, clock).unwrap();
        let mut store = Store::open_in_memory().unwrap();
        let cards: String = (0..4)
            .map(|i| basic(&format!("c{i}"), &format!("Q{i}")))
            .collect();
        store.sync(&[deck("d", &cards)], now()).unwrap();
        let mut t = now();
        for _ in 0..rng.random_range(10..60) {
            let key = format!("c{}", rng.random_range(0..4));
            t += match rng.random_range(0..10) {
                0..=4 => Duration::minutes(rng.random_range(1..120)),
                _ => Duration::hours(rng.random_range(4..24 * 40)),
            };
            let card = store.find_card("d", &key).unwrap().unwrap();
            let state = card.state.unwrap_or_else(|| CardState::new_card(t));
            let rating = Rating::ALL[rng.random_range(0..4)];
            let outcome =
                scheduler.preview(&state, t, card_seed("d", &key)).unwrap()[rating as usize - 1];
            store
                .record_review(&NewReview {
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
                    utc_offset: None,
                    accepted: None,
                    kept_due: None,
                    balanced_due: None,
                })
                .unwrap();
        }
        let live = store.all_states().unwrap();
        let report = store.rebuild(&scheduler).unwrap();
        assert_eq!(report.changed, 0, "case {case}: {report:?}");
        assert_eq!(store.all_states().unwrap(), live, "case {case}");
        checked += report.reviews;
    }
    assert!(checked > 2000, "{checked} reviews replayed");
}

/// A large import takes the bulk path (the time index dropped and built
/// again): the index is back, and the result equals importing in pieces.
#[test]
fn a_bulk_import_keeps_the_index_and_gives_the_same_states() {
    use crate::scheduler::{Config, DayClock, Scheduler};
    use crate::types::Rating;
    let scheduler = Scheduler::new(
        &[],
        Config::default(),
        DayClock::new(chrono::FixedOffset::east_opt(0).unwrap(), 4),
    )
    .unwrap();
    let cards: String = (0..500)
        .map(|i| basic(&format!("c{i}"), &format!("Q{i}")))
        .collect();
    let reviews: Vec<Imported> = {
        let mut store = Store::open_in_memory().unwrap();
        store.sync(&[deck("d", &cards)], now()).unwrap();
        let rows = store.card_rows().unwrap();
        (0..60_000)
            .map(|n| Imported {
                card_row: rows[&("d".to_string(), format!("c{}", n % 500))],
                at: ms(now()).saturating_add_ms(n as i64 * 3_600_000),
                rating: Rating::ALL[n % 7 % 4],
                duration_ms: Some(1000),
                utc_offset: None,
                kept_due: None,
                balanced_due: None,
            })
            .collect()
    };
    let mut bulk = Store::open_in_memory().unwrap();
    bulk.sync(&[deck("d", &cards)], now()).unwrap();
    let added = bulk.import_reviews(&reviews, &scheduler).unwrap();
    assert_eq!(added.added, 60_000);
    let index: i64 = bulk
        .conn
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE name = 'reviews_by_time'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(index, 1);
    let check: String = bulk
        .conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");

    let mut pieces = Store::open_in_memory().unwrap();
    pieces.sync(&[deck("d", &cards)], now()).unwrap();
    for chunk in reviews.chunks(7_000) {
        pieces.import_reviews(chunk, &scheduler).unwrap();
    }
    assert_eq!(pieces.all_states().unwrap(), bulk.all_states().unwrap());
    assert_eq!(
        pieces.import_reviews(&reviews, &scheduler).unwrap().added,
        0
    );
}

/// Before a migration the database is copied as it was: a version 1
/// database (as an earlier kioku left it) is backed up, then migrated.
#[test]
fn a_migration_is_preceded_by_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.db");
    let one = Migrations::new(vec![M::up(include_str!("../../migrations/0001_init.sql"))]);
    {
        let conn = Connection::open(&path).unwrap();
        let store = Store::prepare_with(conn, path.display().to_string(), &one, 1, now()).unwrap();
        synonyms::one_old_card(&store);
    }
    let store = Store::open(&path, now()).unwrap();
    let version: i64 = store
        .conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    // The new column and the per-day summary are there.
    store
        .conn
        .prepare("SELECT utc_offset FROM reviews")
        .unwrap();
    store
        .conn
        .prepare("SELECT day, reviews FROM review_days")
        .unwrap();
    assert_eq!(store.summary_shift().unwrap(), None);
    // And the moves, empty: the card's state is its reviews' alone.
    assert_eq!(store.move_count().unwrap(), 0);
    let found = list_backups(&path);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0]
            .to_string_lossy()
            .contains(&format!("-before-v{SCHEMA_VERSION}")),
        "{found:?}"
    );
    let copy = Connection::open(&found[0]).unwrap();
    let old: i64 = copy
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(old, 1);
    let cards: i64 = copy
        .query_row("SELECT COUNT(*) FROM cards", [], |r| r.get(0))
        .unwrap();
    assert_eq!(cards, 1);
    // Opening again migrates nothing and copies nothing.
    drop(store);
    Store::open(&path, now()).unwrap();
    assert_eq!(list_backups(&path).len(), 1);
}

#[test]
fn c2_stored_times_are_read_within_the_writable_years() {
    assert_eq!(
        from_ms(Millis::EARLIEST).to_rfc3339(),
        "0000-01-01T00:00:00+00:00"
    );
    assert_eq!(
        from_ms(Millis::LATEST).to_rfc3339(),
        "9999-12-31T23:59:59.999+00:00"
    );
    for v in [
        i64::MIN,
        i64::MIN + 1,
        -1_000_000_000_000_000,
        Millis::EARLIEST.0 - 1,
    ] {
        assert_eq!(ms(from_ms(Millis(v))), Millis::EARLIEST, "{v}");
    }
    for v in [
        i64::MAX,
        i64::MAX - 1,
        1_000_000_000_000_000,
        Millis::LATEST.0 + 1,
    ] {
        assert_eq!(ms(from_ms(Millis(v))), Millis::LATEST, "{v}");
    }
    for v in [0, -1, 1, 1_767_225_600_000] {
        assert_eq!(ms(from_ms(Millis(v))), Millis(v));
    }
    // Room is left for an interval of a century past either end.
    let late = from_ms(Millis(i64::MAX));
    assert!(late
        .checked_add_signed(Duration::days(36_500 * 1000))
        .is_some());
    assert!(from_ms(Millis(i64::MIN))
        .checked_sub_signed(Duration::days(36_500 * 1000))
        .is_some());
}

/// Review ids are 128 bits in lowercase hex, never the same twice, and
/// sort by when they were made, a millisecond apart or more.
#[test]
fn review_ids_are_unique_and_sort_by_when_they_were_made() {
    use super::reviews::new_review_id;
    let first: Vec<String> = (0..1000).map(|_| new_review_id()).collect();
    std::thread::sleep(std::time::Duration::from_millis(2));
    let later = new_review_id();
    let unique: std::collections::HashSet<&String> = first.iter().collect();
    assert_eq!(unique.len(), first.len());
    for id in first.iter().chain([&later]) {
        assert!(super::outside::check_review_id(id).is_ok(), "{id}");
    }
    assert!(first.iter().all(|id| *id < later), "{later} sorts last");
}
