//! `kioku deck fmt`: gives every card an id and puts keys in a canonical
//! order, keeping the author's comments and layout (toml_edit). Running it
//! twice changes nothing.

use std::collections::{HashMap, HashSet};
use toml_edit::{DocumentMut, Item, Table};

/// The order keys are written in; keys not listed keep their order, after these.
const DECK_ORDER: [&str; 6] = ["id", "title", "description", "source", "tags", "synonyms"];
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
        let mut ids = Ids::with_taken(
            cards
                .iter()
                .filter_map(|c| c.get("id").and_then(Item::as_str).map(str::to_string)),
        );
        for card in cards.iter_mut() {
            if card.get("id").is_none() {
                let question = card
                    .get("q")
                    .or_else(|| card.get("text"))
                    .and_then(Item::as_str)
                    .unwrap_or("card");
                let id = ids.claim(&slug(question));
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

/// The words of a text as an id may hold them: folded (accents, case and
/// punctuation aside, a leading article dropped), ASCII letters and digits
/// only. The ids made from text (a question's `slug`, the id a bad one
/// could be) are made of these.
pub fn id_words(text: &str) -> Vec<String> {
    crate::fold::normalize(text)
        .split_whitespace()
        .map(|w| {
            w.chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// A word or sentence with its first letter in upper case, the rest as it
/// is: deck titles made from ids and file names.
pub fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// An id from a question: its first words, lower case, joined by hyphens.
pub fn slug(question: &str) -> String {
    let words: Vec<String> = id_words(&super::cloze_render(question, &[], None))
        .into_iter()
        .filter(|w| {
            !matches!(
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

/// Card ids handed out so far, so that each new one is unique: `base`,
/// then `base-2`, `base-3`, ... Each base remembers the next number to try,
/// so ten thousand cards that start with the same words cost ten thousand
/// steps, not fifty million.
#[derive(Debug, Default)]
pub(crate) struct Ids {
    used: HashSet<String>,
    next: HashMap<String, u64>,
}

impl Ids {
    /// Ids already taken, which are never handed out again.
    pub(crate) fn with_taken(taken: impl IntoIterator<Item = String>) -> Self {
        Ids {
            used: taken.into_iter().collect(),
            next: HashMap::new(),
        }
    }

    /// `base` if it is free, else the first free `base-N`; taken from now on.
    pub(crate) fn claim(&mut self, base: &str) -> String {
        if self.used.insert(base.to_string()) {
            return base.to_string();
        }
        let n = self.next.entry(base.to_string()).or_insert(2);
        loop {
            let id = format!("{base}-{n}");
            *n += 1;
            if self.used.insert(id.clone()) {
                return id;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_from_text_share_one_reading_of_its_words() {
        assert_eq!(id_words("Bad Id"), ["bad", "id"]);
        assert_eq!(id_words("Kōdayū's_ship"), ["kodayus", "ship"]);
        assert_eq!(
            slug("In which year was the Treaty of {{Shimoda}} signed?"),
            "year-treaty-shimoda-signed"
        );
        assert_eq!(slug("?!"), "card");
        assert_eq!(id_words("Café notes"), ["cafe", "notes"]);
        assert_eq!(capitalized("édo period"), "Édo period");
        assert_eq!(capitalized(""), "");
    }

    #[test]
    fn h3_ids_sharing_a_base_are_numbered_without_retrying_every_number() {
        let mut ids = Ids::with_taken(["same-words-3".to_string()]);
        let got: Vec<String> = (0..5).map(|_| ids.claim("same-words")).collect();
        assert_eq!(
            got,
            [
                "same-words",
                "same-words-2",
                "same-words-4",
                "same-words-5",
                "same-words-6"
            ]
        );
        // A base that is itself a numbered id of another stays unique too.
        assert_eq!(ids.claim("same-words-2"), "same-words-2-2");
        // Linear: 50,000 cards with the same question finish at once
        // (quadratic, this would be over a billion set lookups).
        let mut ids = Ids::default();
        for _ in 0..50_000 {
            ids.claim("translate-into-english");
        }
        assert_eq!(
            ids.claim("translate-into-english"),
            "translate-into-english-50001"
        );
    }

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
    fn synonyms_come_after_tags_in_the_deck_table() {
        let messy = "format = 1\n[deck]\nsynonyms = [[\"timber\", \"lumber\"]]  # the trade's words\ntags = [\"wood\"]\ntitle = \"Wood\"\nid = \"wood\"\n";
        let out = format(messy).unwrap();
        assert_eq!(
            out,
            "format = 1\n[deck]\nid = \"wood\"\ntitle = \"Wood\"\ntags = [\"wood\"]\nsynonyms = [[\"timber\", \"lumber\"]]  # the trade's words\n"
        );
        assert_eq!(format(&out).unwrap(), out, "a second run changes nothing");
    }

    #[test]
    fn broken_toml_is_reported() {
        assert!(format("format = \n").is_err());
    }
}
