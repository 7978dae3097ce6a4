//! What `stats` reads with each card. The kept starts (each card's last
//! review before the period began, and the stability it left) against the
//! same made from the whole log: carried forward day by day, counted again
//! when the period moves back or far, and emptied when a review before the
//! kept moment is written or removed. And each card's tags, read from the
//! few cards that have any.

use super::summary::{import_some, review_one, starts, two_decks_studied};
use super::*;
use crate::scheduler::{Config, DayClock, Scheduler};
use crate::stats::starts_from_reviews;
use rand::{rngs::StdRng, SeedableRng};

fn same_as_the_log(store: &mut Store, clock: &DayClock, at: DateTime<Utc>, days: u32, case: &str) {
    let rows = store.review_rows().unwrap();
    assert_eq!(
        starts(store, &[], clock, at, days),
        starts_from_reviews(&rows, clock, at, days),
        "{case}"
    );
}

#[test]
fn kept_starts_are_the_log_read_at_the_period_start() {
    let clock = DayClock::new(chrono::FixedOffset::east_opt(0).unwrap(), 4);
    let scheduler = Scheduler::new(&[], Config::default(), clock).unwrap();
    let mut rng = StdRng::seed_from_u64(21);
    let (mut store, session) = two_decks_studied();
    let mut t = now();
    for _ in 0..150 {
        t = review_one(&mut store, &scheduler, session, t, &mut rng);
    }
    let span = (t - now()).num_days();
    assert!(span > 200, "{span} days of reviews");
    // A period whose start is in the middle of the log, then day by day.
    let mut at = now() + Duration::days(span / 2 + 30);
    for day in 0..10 {
        same_as_the_log(&mut store, &clock, at, 30, &format!("day {day}"));
        at += Duration::days(1);
    }
    // Further on than the kept starts are carried: counted again.
    at += Duration::days(60);
    same_as_the_log(&mut store, &clock, at, 30, "sixty days on");
    // Back: counted again.
    same_as_the_log(&mut store, &clock, at, 90, "a longer period");
    same_as_the_log(&mut store, &clock, at - Duration::days(100), 30, "earlier");
    let kept = store.kept_start().unwrap();
    assert!(kept.is_some());
    // Reviews written before the kept moment empty the table; the next read
    // counts it again, with them.
    import_some(&mut store, &scheduler, now() + Duration::days(3));
    assert_eq!(
        store.kept_start().unwrap(),
        None,
        "an import before the start"
    );
    same_as_the_log(
        &mut store,
        &clock,
        at - Duration::days(100),
        30,
        "after the import",
    );
    // A review after it leaves it as it is.
    review_one(&mut store, &scheduler, session, t, &mut rng);
    assert_eq!(store.kept_start().unwrap(), kept);
    // A review removed from before it empties it too.
    store
        .conn
        .execute(
            "DELETE FROM reviews WHERE id = (SELECT id FROM reviews ORDER BY at LIMIT 1)",
            [],
        )
        .unwrap();
    assert_eq!(store.kept_start().unwrap(), None, "a review removed");
    same_as_the_log(
        &mut store,
        &clock,
        at - Duration::days(100),
        30,
        "after the removal",
    );
}

/// The tags `stats` reads with each card, from the few cards whose content
/// has any, are each card's own: none for a card whose text merely says
/// "tags", none for a retired card, and a card's new tags after an edit.
#[test]
fn each_card_comes_with_its_own_tags() {
    let tagged = |id: &str, tags: &str| {
        format!("[[cards]]\nid = \"{id}\"\ntype = \"basic\"\nq = \"Q {id}\"\na = \"A\"\ntags = [{tags}]\n")
    };
    let mut store = Store::open_in_memory().unwrap();
    let read = |store: &mut Store, files: &[DeckSource]| {
        store.sync(files, now()).unwrap();
        let mut seen = Vec::new();
        store
            .each_stats_card(&[], ms(now()), |card, _| {
                seen.push((card.deck.clone(), card.key.clone(), card.tags.clone()))
            })
            .unwrap();
        seen.sort();
        seen
    };
    let d = format!(
        "{}{}{}{}",
        basic("a", "Plain"),
        tagged("b", "\"meiji\", \"treaty\""),
        basic("c", "Which word, \\\"tags\\\", is quoted here?"),
        tagged("e", "\"soviet\"")
    );
    let e = format!("{}{}", tagged("a", "\"war\""), basic("z", "Other"));
    let got = read(&mut store, &[deck("d", &d), deck("e", &e)]);
    let s = |v: &[&str]| v.iter().map(|t| t.to_string()).collect::<Vec<_>>();
    let row = |deck: &str, key: &str, tags: &[&str]| (deck.to_string(), key.to_string(), s(tags));
    assert_eq!(
        got,
        [
            row("d", "a", &[]),
            row("d", "b", &["meiji", "treaty"]),
            row("d", "c", &[]),
            row("d", "e", &["soviet"]),
            row("e", "a", &["war"]),
            row("e", "z", &[]),
        ]
    );
    // `d/b` retired, `d/e` edited to other tags, `d/a` tagged now.
    let d = format!(
        "{}{}{}",
        tagged("a", "\"new\""),
        basic("c", "Plain now"),
        tagged("e", "\"edited\"")
    );
    let got = read(&mut store, &[deck("d", &d), deck("e", &e)]);
    assert_eq!(
        got,
        [
            row("d", "a", &["new"]),
            row("d", "c", &[]),
            row("d", "e", &["edited"]),
            row("e", "a", &["war"]),
            row("e", "z", &[]),
        ]
    );
}
