//! The review of decks 01–06 through the real path: each right answer it
//! found judged Wrong, on the shipped card it was found on (the right gap
//! of a cloze, with the rest of the text as its question), is now correct
//! or close. A card the review found ambiguous has been reworded so that one
//! answer fits; its answer is here, and the other reading is in the list of
//! answers that stay wrong. The answers are written here, each beside its
//! finding, so the test needs nothing outside the repository. Decks 07–09
//! had a review of their own, with findings `07-…` and `08-…` in the same
//! list; a second list holds the answers on all these cards that name a
//! different thing and stay wrong.

use crate::common::shipped_decks;
use kioku::answer::{check, parse_response};
use kioku::deck::Card;
use kioku::types::Verdict;

mod findings;
mod tried;
use findings::{FINDINGS, STAY_WRONG};

fn shipped_card(deck: &str, card: &str) -> Card {
    shipped_decks()
        .into_iter()
        .map(|(_, d, _)| d)
        .find(|d| d.id == deck)
        .unwrap_or_else(|| panic!("no shipped deck {deck}"))
        .cards
        .into_iter()
        .find(|c| c.id == card)
        .unwrap_or_else(|| panic!("no card {deck}/{card}"))
}

#[test]
fn the_reviews_right_answers_are_right_on_the_shipped_cards() {
    let mut wrong = Vec::new();
    for (finding, deck, id, answers) in FINDINGS {
        let card = shipped_card(deck, id);
        for answer in *answers {
            let response = parse_response(&card.kind, answer, 0).unwrap();
            let verdict = check(&card.kind, &response, &[]);
            if !matches!(verdict, Verdict::Correct | Verdict::Close) {
                wrong.push(format!("{finding} {deck}/{id}: {answer:?} is {verdict:?}"));
            }
        }
    }
    assert!(wrong.is_empty(), "judged wrong:\n{}", wrong.join("\n"));
}

#[test]
fn the_same_cards_still_mark_a_different_thing_wrong() {
    let mut lenient = Vec::new();
    for (deck, id, answer) in STAY_WRONG {
        let card = shipped_card(deck, id);
        let response = parse_response(&card.kind, answer, 0).unwrap();
        let verdict = check(&card.kind, &response, &[]);
        if verdict != Verdict::Wrong {
            lenient.push(format!("{deck}/{id}: {answer:?} is {verdict:?}"));
        }
    }
    assert!(lenient.is_empty(), "not wrong:\n{}", lenient.join("\n"));
}
