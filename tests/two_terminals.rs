//! Two terminals at once on one database: both sessions work, nobody sees
//! "database is locked", no answer is lost, and a card answered in both is
//! two reviews in the log and one state — the state replaying them gives.

use crate::common::{card_for, cards_in, right_answer, Driver, Env};
use kioku::store::Store;

#[test]
fn two_sessions_on_one_database() {
    let cards = cards_in("tests/fixtures/mini");
    let env = Env::new(&["tests/fixtures/mini"]);
    env.ok(&["decks"]); // create the database before both start
                        // The same seed: both terminals show the same card first.
    let mut a = Driver::start(&env, &["--plain", "--seed", "5"]);
    let mut b = Driver::start(&env, &["--plain", "--seed", "5"]);
    let first_a = a.next_card().expect("a card in terminal A");
    let first_b = b.next_card().expect("a card in terminal B");
    let card = card_for(&cards, &first_a);
    assert_eq!(
        card.id,
        card_for(&cards, &first_b).id,
        "the same card in both"
    );

    // A answers it and saves; then B, which read the card before A's answer.
    a.send(&right_answer(card, &first_a));
    a.until(&["]: "]).expect("feedback in A");
    a.send("");
    b.send(&right_answer(card, &first_b));
    b.until(&["]: "]).expect("feedback in B");
    b.send("");

    // Both go on to the end, taking turns.
    let mut answered = 2;
    let mut open = [Some(a), Some(b)];
    while open.iter().any(Option::is_some) {
        for slot in open.iter_mut() {
            let Some(d) = slot else { continue };
            match d.next_card() {
                Some(block) => {
                    let c = card_for(&cards, &block);
                    d.send(&right_answer(c, &block));
                    d.until(&["]: "]).expect("feedback");
                    d.send("");
                    answered += 1;
                }
                None => {
                    let (out, status) = slot.take().unwrap().close();
                    assert!(status.success(), "{out}");
                    assert!(!out.to_lowercase().contains("locked"), "{out}");
                }
            }
        }
    }

    // Nothing lost: every answer is a review.
    assert_eq!(env.review_count() as usize, answered);
    let store = Store::open(
        &env.db,
        chrono::DateTime::parse_from_rfc3339(&env.now)
            .unwrap()
            .to_utc(),
    )
    .unwrap();
    let row = store.find_card("mini", &card.id).unwrap().unwrap().row;
    assert!(
        store.card_reviews(row).unwrap().len() >= 2,
        "two reviews of the shared card"
    );
    drop(store);
    // One consistent state: replaying the log changes nothing.
    let rebuilt = env.json(&["rebuild", "--json"]);
    assert_eq!(rebuilt["changed"], 0, "{rebuilt}");
    let integrity: String = rusqlite::Connection::open(&env.db)
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
}
