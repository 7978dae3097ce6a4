//! The per-day summary `stats` reads against the log it sums: the triggers,
//! a change of clock, imports small and bulk, and a rebuild must all leave
//! the two equal. It must never test anything but the summary.

use super::*;
use crate::scheduler::{Config, DayClock, Scheduler};
use crate::stats::{period_start, starts_from_reviews, LogSummary};
use crate::types::{CardRowId, Rating, SessionId, Verdict};
use chrono::{DateTime, Utc};
use rand::{rngs::StdRng, Rng, SeedableRng};
use std::collections::{HashMap, HashSet};

/// Each card's memory at the start of a period of `days` ending at `at`,
/// as the store gives it with the card.
pub(super) fn starts(
    store: &mut Store,
    decks: &[String],
    clock: &DayClock,
    at: DateTime<Utc>,
    days: u32,
) -> HashMap<CardRowId, (DateTime<Utc>, f32)> {
    let mut seen = HashMap::new();
    let start = ms(period_start(clock, at, days));
    store
        .each_stats_card(decks, start, |card, at_start| {
            if let Some(s) = at_start {
                seen.insert(card.card, s);
            }
        })
        .unwrap();
    seen
}

/// Any whole quarter-hour offset a learner can have, and any rollover hour.
fn random_clock(rng: &mut StdRng) -> DayClock {
    let quarters = rng.random_range(-12 * 4..=14 * 4);
    let offset = chrono::FixedOffset::east_opt(quarters * 900).unwrap();
    DayClock::new(offset, rng.random_range(0..24))
}

/// The store's summary against the rows', for all decks and for `d`; and
/// the flag that finds new cards against the states. Returns the rows
/// compared.
pub(super) fn check(
    store: &mut Store,
    clock: &DayClock,
    at: DateTime<Utc>,
    days: u32,
    case: &str,
) -> usize {
    let rows = store.review_rows().unwrap();
    let of_d: HashSet<CardRowId> = (0..4)
        .map(|i| store.find_card("d", &format!("c{i}")).unwrap().unwrap().row)
        .collect();
    for (decks, filter) in [(vec![], None), (vec!["d".to_string()], Some(&of_d))] {
        let rows: Vec<_> = rows
            .iter()
            .filter(|r| filter.is_none_or(|f| f.contains(&r.card)))
            .cloned()
            .collect();
        let (log, _) = store.stats_rows(&decks, clock, at).unwrap();
        let expected = LogSummary::from_reviews(&rows, clock, at);
        assert_eq!(log.days, expected.days, "{case} {decks:?}: days");
        assert_eq!(log.today_cards, expected.today_cards, "{case} {decks:?}");
        assert_eq!(
            starts(store, &decks, clock, at, days),
            starts_from_reviews(&rows, clock, at, days),
            "{case} {decks:?}: at start"
        );
    }
    let wrong: i64 = store
        .conn
        .query_row(
            "SELECT COUNT(*) FROM cards WHERE studied != (id IN (SELECT card_id FROM card_state))",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(wrong, 0, "{case}: cards whose `studied` flag is wrong");
    rows.len()
}

/// One review of a random card of `d` or `e`, some time after `t`, written
/// as a session writes it; now and then undone. Returns its moment.
pub(super) fn review_one(
    store: &mut Store,
    scheduler: &Scheduler,
    session: SessionId,
    t: DateTime<Utc>,
    rng: &mut StdRng,
) -> DateTime<Utc> {
    let deck_id = if rng.random_bool(0.5) { "d" } else { "e" };
    let key = format!("c{}", rng.random_range(0..4));
    let t = t + match rng.random_range(0..10) {
        0..=4 => Duration::minutes(rng.random_range(1..300)),
        _ => Duration::hours(rng.random_range(4..24 * 40)),
    };
    let card = store.find_card(deck_id, &key).unwrap().unwrap();
    let state = card.state.unwrap_or_else(|| CardState::new_card(t));
    let rating = Rating::ALL[rng.random_range(0..4)];
    let outcome = scheduler
        .preview(&state, t, card_seed(deck_id, &key))
        .unwrap()[rating as usize - 1];
    let id = store
        .record_review(&NewReview {
            card_row: card.row,
            session: Some(session),
            at: t,
            rating,
            verdict: Verdict::SelfGraded,
            answer: None,
            duration_ms: rng.random_bool(0.8).then(|| rng.random_range(500..60_000)),
            interval_days: outcome.interval.whole_days(),
            before: card.state,
            after: outcome.state,
            utc_offset: None,
            accepted: None,
            kept_due: None,
            balanced_due: None,
        })
        .unwrap();
    if rng.random_bool(0.1) {
        store.undo_review(&id, session).unwrap().unwrap();
    }
    t
}

/// A store with decks `d` and `e` of cards `c0`..`c3` each, which
/// [`review_one`] reviews, and a study session open on them.
pub(super) fn two_decks_studied() -> (Store, SessionId) {
    let mut store = Store::open_in_memory().unwrap();
    let cards: String = (0..4)
        .map(|i| basic(&format!("c{i}"), &format!("Q{i}")))
        .collect();
    store
        .sync(&[deck("d", &cards), deck("e", &cards)], now())
        .unwrap();
    let session = store.start_session("study", &[], 1, now()).unwrap();
    (store, session)
}

/// Twenty reviews of `d/c0` imported after `t`, two hours apart.
pub(super) fn import_some(store: &mut Store, scheduler: &Scheduler, t: DateTime<Utc>) {
    let d0 = store.find_card("d", "c0").unwrap().unwrap().row;
    let imported: Vec<Imported> = (0..20)
        .map(|n| Imported {
            card_row: d0,
            at: ms(t).saturating_add_ms((n + 1) * 7_200_000),
            rating: Rating::ALL[n as usize % 4],
            duration_ms: Some(900),
            utc_offset: None,
            kept_due: None,
            balanced_due: None,
        })
        .collect();
    store.import_reviews(&imported, scheduler).unwrap();
}

/// What `stats` reads from the store equals the summary made from the whole
/// log, row by row: through reviews, undos, a change of clock, small and
/// bulk imports, a rebuild, and with a deck filter. The `studied` flag that
/// finds new cards agrees with the states all along.
#[test]
fn the_day_summary_is_the_log_summed() {
    let mut rng = StdRng::seed_from_u64(7);
    let mut checked = 0;
    for case in 0..40 {
        let clock = random_clock(&mut rng);
        let scheduler = Scheduler::new(&[], Config::default(), clock).unwrap();
        let (mut store, session) = two_decks_studied();
        let mut t = now();
        // Some reviews before the summary exists, then the rest counted by
        // the triggers; halfway the clock changes.
        let (mut clock, mut days) = (clock, rng.random_range(1..60));
        for step in 0..rng.random_range(20..80) {
            if step == 5 || step == 30 {
                let case = format!("case {case} step {step}");
                checked += check(&mut store, &clock, t, days, &case);
            }
            if step == 30 {
                clock = random_clock(&mut rng);
                days = rng.random_range(1..60);
            }
            t = review_one(&mut store, &scheduler, session, t, &mut rng);
        }
        checked += check(&mut store, &clock, t, days, &format!("case {case} end"));
        // A small import is counted by the triggers.
        import_some(&mut store, &scheduler, t);
        let later = t + Duration::days(2);
        checked += check(
            &mut store,
            &clock,
            later,
            days,
            &format!("case {case} import"),
        );
        store.rebuild(&scheduler).unwrap();
        checked += check(
            &mut store,
            &clock,
            later,
            days,
            &format!("case {case} rebuild"),
        );
    }
    assert!(checked > 5000, "{checked} rows compared");
}

/// A bulk import sums the summary again in one pass, in the clock it was
/// kept in.
#[test]
fn a_bulk_import_leaves_the_day_summary_whole() {
    let clock = DayClock::new(chrono::FixedOffset::east_opt(9 * 3600).unwrap(), 4);
    let scheduler = Scheduler::new(&[], Config::default(), clock).unwrap();
    let cards: String = (0..300)
        .map(|i| basic(&format!("c{i}"), &format!("Q{i}")))
        .collect();
    let mut store = Store::open_in_memory().unwrap();
    store.sync(&[deck("d", &cards)], now()).unwrap();
    store.stats_rows(&[], &clock, now()).unwrap();
    assert_eq!(store.summary_shift().unwrap(), Some(clock.shift_ms()));
    let rows = store.card_rows().unwrap();
    let reviews: Vec<Imported> = (0..crate::store::replay::BULK)
        .map(|n| Imported {
            card_row: rows[&("d".to_string(), format!("c{}", n % 300))],
            at: ms(now()).saturating_add_ms(n as i64 * 600_000),
            rating: Rating::ALL[n % 5 % 4],
            duration_ms: Some(1000 + n as i64 % 7),
            utc_offset: None,
            kept_due: None,
            balanced_due: None,
        })
        .collect();
    store.import_reviews(&reviews, &scheduler).unwrap();
    assert_eq!(store.summary_shift().unwrap(), Some(clock.shift_ms()));
    let at = now() + Duration::days(400);
    let rows = store.review_rows().unwrap();
    let (log, _) = store.stats_rows(&[], &clock, at).unwrap();
    assert_eq!(log.days, LogSummary::from_reviews(&rows, &clock, at).days);
    assert_eq!(
        starts(&mut store, &[], &clock, at, 365),
        starts_from_reviews(&rows, &clock, at, 365)
    );
    assert_eq!(
        log.days.iter().map(|d| d.reviews).sum::<u64>(),
        crate::store::replay::BULK as u64
    );
}
