//! A shipped card's id names one fact: a learner's reviews hang on it. Every
//! shipped card is listed with its type and answer in
//! `tests/golden/card-ids.txt`, so a change of answer under an id shows in
//! review as a changed line of that file (bless it only when the fact is
//! the same, reworded); and the ids of removed cards, listed in
//! `tests/card_ids/retired.txt`, are never given to a card again.

use crate::common::{golden, shipped_decks};

/// Every shipped card as `deck/card | type | answer`, in file order.
fn listing() -> String {
    let mut out = String::new();
    for (_, deck, _) in shipped_decks() {
        for card in &deck.cards {
            let answer = card.kind.answer_text().replace('\n', " / ");
            out.push_str(&format!(
                "{}/{} | {} | {answer}\n",
                deck.id,
                card.id,
                card.kind.type_name()
            ));
        }
    }
    out
}

#[test]
fn every_shipped_card_keeps_its_answer_under_its_id() {
    golden("card-ids.txt", &listing());
}

#[test]
fn a_removed_cards_id_is_never_given_again() {
    let retired = include_str!("card_ids/retired.txt");
    let listing = listing();
    let current: Vec<&str> = listing
        .lines()
        .map(|l| l.split(" | ").next().unwrap())
        .collect();
    let back: Vec<&str> = retired
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter(|id| current.contains(id))
        .collect();
    assert!(back.is_empty(), "retired ids in use again: {back:?}");
}
