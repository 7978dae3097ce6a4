//! `kioku deck fmt`: gives every card an id and puts keys in a canonical
//! order, keeping the author's comments and layout (toml_edit). Running it
//! twice changes nothing.

use std::collections::HashSet;
use toml_edit::{DocumentMut, Item, Table};

/// The order keys are written in; keys not listed keep their order, after these.
const DECK_ORDER: [&str; 5] = ["id", "title", "description", "source", "tags"];
const CARD_ORDER: [&str; 16] = [
    "id",
    "type",
    "q",
    "text",
    "a",
    "accept",
    "wrong",
    "items",
    "dates",
    "tolerance",
    "hint",
    "why",
    "section",
    "source",
    "quote",
    "tags",
];

/// The formatted text, or the TOML error that stopped it.
pub fn format(text: &str) -> Result<String, String> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| e.to_string())?;
    if let Some(deck) = doc.get_mut("deck").and_then(Item::as_table_mut) {
        sort(deck, &DECK_ORDER);
    }
    if let Some(cards) = doc.get_mut("cards").and_then(Item::as_array_of_tables_mut) {
        let mut used: HashSet<String> = cards
            .iter()
            .filter_map(|c| c.get("id").and_then(Item::as_str).map(str::to_string))
            .collect();
        for card in cards.iter_mut() {
            if card.get("id").is_none() {
                let question = card
                    .get("q")
                    .or_else(|| card.get("text"))
                    .and_then(Item::as_str)
                    .unwrap_or("card");
                let id = unique(&slug(question), &used);
                used.insert(id.clone());
                card.insert("id", toml_edit::value(id));
            }
            sort(card, &CARD_ORDER);
        }
    }
    Ok(doc.to_string())
}

fn sort(table: &mut Table, order: &[&str]) {
    let rank = |k: &str| order.iter().position(|o| *o == k).unwrap_or(order.len());
    table.sort_values_by(|k1, _, k2, _| rank(k1.get()).cmp(&rank(k2.get())));
}

/// An id from a question: its first words, lower case, joined by hyphens.
pub fn slug(question: &str) -> String {
    let words: Vec<String> = crate::answer::normalize(&super::cloze_render(question, &[], None))
        .split_whitespace()
        .map(|w| {
            w.chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
        })
        .filter(|w| {
            !w.is_empty()
                && !matches!(
                    w.as_str(),
                    "the" | "a" | "an" | "of" | "in" | "which" | "what" | "did" | "was" | "is"
                )
        })
        .take(5)
        .collect();
    if words.is_empty() {
        "card".to_string()
    } else {
        words.join("-")
    }
}

pub(crate) fn unique(base: &str, used: &HashSet<String>) -> String {
    if !used.contains(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|id| !used.contains(id))
        .unwrap_or_else(|| base.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MESSY: &str = r#"format = 1

[deck]
title = "Messy"   # the title
id = "messy"

# A card written in a hurry.
[[cards]]
why = "Because."
a = 1925
# the question
q = "In which year did Japan recognise the Soviet Union?"
type = "year"

[[cards]]
type = "cloze"
text = "Signed at {{Portsmouth}} in {{1905}}."
id = "portsmouth"

[[cards]]
q = "In which year did Japan recognise the Soviet Union?"
type = "basic"
a = "1925"
"#;

    #[test]
    fn ids_order_and_comments() {
        let out = format(MESSY).unwrap();
        let want = r#"format = 1

[deck]
id = "messy"
title = "Messy"   # the title

# A card written in a hurry.
[[cards]]
id = "year-japan-recognise-soviet-union"
type = "year"
# the question
q = "In which year did Japan recognise the Soviet Union?"
a = 1925
why = "Because."

[[cards]]
id = "portsmouth"
type = "cloze"
text = "Signed at {{Portsmouth}} in {{1905}}."

[[cards]]
id = "year-japan-recognise-soviet-union-2"
type = "basic"
q = "In which year did Japan recognise the Soviet Union?"
a = "1925"
"#;
        assert_eq!(out, want);
        assert_eq!(format(&out).unwrap(), out, "a second run changes nothing");
        assert!(crate::deck::parse_deck(&out).deck.is_some());
    }

    #[test]
    fn broken_toml_is_reported() {
        assert!(format("format = \n").is_err());
    }
}
