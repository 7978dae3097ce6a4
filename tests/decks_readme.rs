//! `decks/README.md` counts the shipped decks' cards by deck and type; the
//! table is read back here and must match the decks as they are.

use crate::common::shipped_decks;
use kioku::deck::CardKind;
use std::collections::HashMap;

/// The numbers of one table row: entries, cards, then typed, choice, year,
/// cloze entries, cloze gaps, order, true/false, basic.
fn row_numbers(row: &str) -> Vec<usize> {
    row.split('|')
        .skip(2)
        .flat_map(|cell| {
            cell.replace(['*', '(', ')'], " ")
                .split_whitespace()
                .map(|n| n.parse::<usize>().unwrap())
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn the_readme_counts_the_decks_as_they_are() {
    let readme = include_str!("../decks/README.md");
    let rows: HashMap<String, Vec<usize>> = readme
        .lines()
        .filter(|l| l.starts_with("| `") && l.contains(".toml`") && l.matches('|').count() == 11)
        .map(|l| {
            let file = l.split('`').nth(1).unwrap().to_string();
            (file, row_numbers(l))
        })
        .collect();
    let mut total = vec![0; 10];
    for (origin, deck, _) in shipped_decks() {
        let file = origin.rsplit('/').next().unwrap().to_string();
        let mut notes: Vec<&CardKind> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for card in &deck.cards {
            if seen.insert(card.note.as_str()) {
                notes.push(&card.kind);
            }
        }
        let of = |name: &str| notes.iter().filter(|k| k.type_name() == name).count();
        let gaps = deck
            .cards
            .iter()
            .filter(|c| c.kind.type_name() == "cloze")
            .count();
        let counted = vec![
            notes.len(),
            deck.cards.len(),
            of("typed"),
            of("choice"),
            of("year"),
            of("cloze"),
            gaps,
            of("order"),
            of("truefalse"),
            of("basic"),
        ];
        assert_eq!(
            rows.get(&file),
            Some(&counted),
            "decks/README.md, row of {file}"
        );
        total.iter_mut().zip(&counted).for_each(|(t, c)| *t += c);
    }
    let total_row = readme
        .lines()
        .find(|l| l.starts_with("| **total**"))
        .expect("a total row");
    assert_eq!(row_numbers(total_row), total, "decks/README.md, the total");
}
