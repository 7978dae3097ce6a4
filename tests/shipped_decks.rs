//! The decks that ship inside kioku: they load cleanly, cite their sources,
//! mix card types as the design asks, accept the spellings learners use, and
//! a full session answered from the source never calls a right answer wrong.

use crate::common::{shipped_decks, study_correctly, Env};
use kioku::answer::{check, check_text, Response};
use kioku::deck::{Card, CardKind, Deck};
use kioku::fold::normalize;
use kioku::types::Verdict;
use std::collections::{HashMap, HashSet};

/// The section headings of the two source texts (the lead is "Introduction").
const HEADINGS: &[(&str, &[&str])] = &[
    (
        "Japan–Russia relations",
        &[
            "Introduction",
            "History",
            "Tsarist era (1855–1917)",
            "Soviet era (1917–1991)",
            "Early post-Soviet era (1991–1999)",
            "Current relations (1999–present)",
            "Kuril Islands dispute",
            "Military cooperation",
        ],
    ),
    (
        "Japan–Soviet Union relations",
        &[
            "Introduction",
            "Russian Civil War and recognition (1917–1925)",
            "1917–1925: Sakhalin Island and the Kuril Islands",
            "1925–1930: Quiet cooperation",
            "1930–1945: Deteriorating relations and war",
            "Richard Sorge: Invaluable spy",
            "1946–1960s: Restoration of relations",
            "1960s–1975: Improving relations",
            "1975–1990: Strains on relations",
            "1990s: Dissolution of the USSR",
            "Economic relations",
            "Ambassadors",
        ],
    ),
];

/// Entries as written in the files (a cloze entry counts once), by type.
fn entry_types(deck: &Deck) -> HashMap<&'static str, usize> {
    let mut seen = HashSet::new();
    let mut counts = HashMap::new();
    for c in &deck.cards {
        if seen.insert(c.note.clone()) {
            *counts.entry(c.kind.type_name()).or_insert(0) += 1;
        }
    }
    counts
}

#[test]
fn every_shipped_deck_loads_and_ids_are_unique() {
    let decks = shipped_decks();
    assert!(decks.len() >= 9, "{} decks", decks.len());
    let mut ids = HashSet::new();
    for (origin, deck, _) in &decks {
        assert!(
            ids.insert(deck.id.clone()),
            "deck id {} used twice ({origin})",
            deck.id
        );
        let mut cards = HashSet::new();
        for c in &deck.cards {
            assert!(cards.insert(&c.id), "{origin}: card id {} twice", c.id);
        }
    }
}

#[test]
fn every_card_cites_a_real_section_and_explains_itself() {
    for (origin, deck, _) in shipped_decks() {
        for c in &deck.cards {
            let source = c
                .source
                .as_deref()
                .unwrap_or_else(|| panic!("{origin}: {} has no source", c.id));
            let headings = HEADINGS
                .iter()
                .find(|(s, _)| *s == source)
                .unwrap_or_else(|| panic!("{origin}: {} cites unknown source {source:?}", c.id))
                .1;
            let section = c
                .section
                .as_deref()
                .unwrap_or_else(|| panic!("{origin}: {} has no section", c.id));
            assert!(
                headings.contains(&section),
                "{origin}: {} cites section {section:?}, not a heading of {source:?}",
                c.id
            );
            let why = c
                .why
                .as_deref()
                .unwrap_or_else(|| panic!("{origin}: {} has no why", c.id));
            assert!(
                why.split_whitespace().count() >= 6,
                "{origin}: the why of {} is too thin: {why:?}",
                c.id
            );
            assert_ne!(
                normalize(why),
                normalize(&c.kind.prompt()),
                "{origin}: {} explains by repeating the question",
                c.id
            );
        }
    }
}

#[test]
fn at_least_three_hundred_cards_in_a_real_mix_of_types() {
    let decks = shipped_decks();
    let mut total: HashMap<&str, usize> = HashMap::new();
    for (_, deck, _) in &decks {
        for (t, n) in entry_types(deck) {
            *total.entry(t).or_insert(0) += n;
        }
    }
    let entries: usize = total.values().sum();
    let share = |t: &str| total.get(t).copied().unwrap_or(0) as f64 / entries as f64;
    assert!(entries >= 300, "{entries} cards: {total:?}");
    assert!(
        (0.18..=0.32).contains(&share("typed")),
        "typed share {:.2}: {total:?}",
        share("typed")
    );
    assert!(
        (0.14..=0.26).contains(&share("choice")),
        "choice share {:.2}: {total:?}",
        share("choice")
    );
    assert!(
        (0.11..=0.22).contains(&share("year")),
        "year share {:.2}: {total:?}",
        share("year")
    );
    assert!(total["order"] >= 20, "{total:?}");
    assert!(total["cloze"] >= 30, "{total:?}");
    assert!(
        total["truefalse"] >= 10 && total["basic"] >= 10,
        "{total:?}"
    );
    for (origin, deck, _) in &decks {
        let types = entry_types(deck);
        let n: usize = types.values().sum();
        if deck.id == "timeline" {
            assert!(
                types.get("order").copied().unwrap_or(0) * 10 >= n * 8,
                "{origin}: {types:?}"
            );
        } else {
            assert!(types.len() >= 6, "{origin} mixes only {types:?}");
        }
    }
}

#[test]
fn questions_are_not_asked_twice() {
    let mut seen: HashMap<String, String> = HashMap::new();
    for (origin, deck, _) in shipped_decks() {
        for c in &deck.cards {
            // An order card's items are part of its question.
            let q = match &c.kind {
                CardKind::Order { items, .. } => {
                    normalize(&format!("{} {}", c.kind.prompt(), items.join(" ")))
                }
                _ => normalize(&c.kind.prompt()),
            };
            if let Some(first) = seen.insert(q.clone(), format!("{origin}/{}", c.id)) {
                panic!(
                    "the same question twice: {first} and {origin}/{}: {q}",
                    c.id
                );
            }
        }
    }
}

/// Spellings in both languages that a learner may type for the same thing.
const SAME_THING: &[(&str, &str)] = &[
    ("Iturup", "Etorofu"),
    ("Kunashir", "Kunashiri"),
    ("Sakhalin", "Karafuto"),
    ("Khalkhin Gol", "Nomonhan"),
    ("Soviet Union", "USSR"),
];

fn accepted(c: &Card) -> Option<Vec<String>> {
    match &c.kind {
        CardKind::Typed { a, accept, .. } => {
            Some(std::iter::once(a).chain(accept).cloned().collect())
        }
        CardKind::Cloze { gaps, gap, .. } => Some(
            std::iter::once(&gaps[*gap].answer)
                .chain(&gaps[*gap].accept)
                .cloned()
                .collect(),
        ),
        _ => None,
    }
}

#[test]
fn typed_answers_accept_both_names_of_a_place() {
    let mut checked = 0;
    for (origin, deck, _) in shipped_decks() {
        for c in &deck.cards {
            let Some(all) = accepted(c) else { continue };
            let (answer, aliases) = all.split_first().unwrap();
            for alias in aliases {
                assert_eq!(
                    check_text(alias, answer, aliases),
                    Verdict::Correct,
                    "{origin}/{}: alias {alias:?}",
                    c.id
                );
            }
            for (one, other) in SAME_THING {
                for (x, y) in [(one, other), (other, one)] {
                    // An answer that is just one name must accept the other.
                    if all.iter().any(|s| normalize(s) == normalize(x)) {
                        assert_eq!(
                            check_text(y, answer, aliases),
                            Verdict::Correct,
                            "{origin}/{} accepts {x:?} but not {y:?}",
                            c.id
                        );
                        checked += 1;
                    }
                }
            }
        }
    }
    assert!(
        checked >= 5,
        "only {checked} cards name the disputed places by one name alone"
    );
}

#[test]
fn the_written_answer_of_every_card_is_judged_correct() {
    for (origin, deck, _) in shipped_decks() {
        for c in &deck.cards {
            let (response, shown): (Response, Vec<usize>) = match &c.kind {
                CardKind::Basic { .. } => continue,
                CardKind::Typed { a, .. } => (Response::Text(a.clone()), vec![]),
                CardKind::Cloze { gaps, gap, .. } => {
                    (Response::Text(gaps[*gap].answer.clone()), vec![])
                }
                CardKind::Choice { wrong, .. } => {
                    (Response::Choice(0), (0..=wrong.len()).collect())
                }
                CardKind::TrueFalse { a, .. } => (Response::Bool(*a), vec![]),
                CardKind::Year { a, .. } => (Response::Year(*a), vec![]),
                CardKind::Order { items, .. } => (
                    Response::Order((0..items.len()).collect()),
                    (0..items.len()).collect(),
                ),
            };
            assert_eq!(
                check(&c.kind, &response, &shown),
                Verdict::Correct,
                "{origin}/{}",
                c.id
            );
        }
    }
}

/// A full session on each deck through the real binary, answering every card
/// from the deck: no right answer is ever judged wrong.
#[test]
fn a_session_answered_from_the_source_is_all_correct() {
    let decks = shipped_decks();
    let cards: Vec<Card> = decks.iter().flat_map(|(_, d, _)| d.cards.clone()).collect();
    for (_, deck, _) in &decks {
        let env = Env::new(&[]);
        let (answered, _) =
            study_correctly(&env, &cards, &[&deck.id, "--new", "1000", "--seed", "11"]);
        let notes: HashSet<&String> = deck.cards.iter().map(|c| &c.note).collect();
        assert_eq!(
            answered,
            notes.len() * 2,
            "{}: every card once per learning step",
            deck.id
        );
    }
}
