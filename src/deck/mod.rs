//! Decks: the model, the TOML parser with located errors, and where decks
//! are found (built in, the user's folder, `--decks`).
//!
//! Nothing here touches SQLite or the terminal: parsing is a pure function
//! from a file's text to a [`Deck`] or a list of [`Diagnostic`]s.

pub mod check;
pub mod cloze;
pub mod export;
pub mod fmt;
pub mod generate;
mod load;
mod parse;
pub mod source;
pub mod write;

pub use cloze::{cloze_render, parse_gaps, MAX_GAPS};
pub use load::{builtin_sources, describe_io, load_sources, DeckSource, LoadError, MAX_DECK_BYTES};
pub use parse::{line_col, parse_deck, Diagnostic, ParseOutcome, Severity, MAX_CARDS};

use serde::{Deserialize, Serialize};

/// The version of the deck format this build reads.
pub const FORMAT_VERSION: i64 = 1;

/// A parsed, validated deck.
#[derive(Debug, Clone, PartialEq)]
pub struct Deck {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub source: Option<String>,
    pub tags: Vec<String>,
    pub cards: Vec<Card>,
}

/// One card as the learner meets it. A cloze note with three gaps is three
/// cards (`id.1`, `id.2`, `id.3`) sharing the same `note`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Card {
    pub id: String,
    /// The line of the card's `[[cards]]` in its file (not stored: moving a
    /// card within its file is not an edit).
    #[serde(skip)]
    pub line: usize,
    /// The id written in the file; siblings share it.
    pub note: String,
    #[serde(flatten)]
    pub kind: CardKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

/// What is asked and what counts as right, by card type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum CardKind {
    Basic {
        q: String,
        a: String,
    },
    Typed {
        q: String,
        a: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        accept: Vec<String>,
    },
    Choice {
        q: String,
        a: String,
        wrong: Vec<String>,
    },
    #[serde(rename = "truefalse")]
    TrueFalse {
        q: String,
        a: bool,
    },
    Year {
        q: String,
        a: i32,
        #[serde(default)]
        tolerance: u32,
    },
    /// One gap of a cloze text; `gap` is the index (0-based) into `gaps`.
    Cloze {
        text: String,
        gaps: Vec<Gap>,
        gap: usize,
    },
    Order {
        q: String,
        items: Vec<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        dates: Vec<String>,
    },
}

/// One `{{answer|alias}}` gap of a cloze text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gap {
    pub answer: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accept: Vec<String>,
}

/// The card types, as written in `type = "..."`.
pub const CARD_TYPES: [&str; 7] = [
    "basic",
    "typed",
    "choice",
    "truefalse",
    "year",
    "cloze",
    "order",
];

impl CardKind {
    pub fn type_name(&self) -> &'static str {
        match self {
            CardKind::Basic { .. } => "basic",
            CardKind::Typed { .. } => "typed",
            CardKind::Choice { .. } => "choice",
            CardKind::TrueFalse { .. } => "truefalse",
            CardKind::Year { .. } => "year",
            CardKind::Cloze { .. } => "cloze",
            CardKind::Order { .. } => "order",
        }
    }

    /// The question as shown, before any answer. Cloze texts show the asked
    /// gap as `[...]` and the other gaps filled in.
    pub fn prompt(&self) -> String {
        match self {
            CardKind::Basic { q, .. }
            | CardKind::Typed { q, .. }
            | CardKind::Choice { q, .. }
            | CardKind::TrueFalse { q, .. }
            | CardKind::Year { q, .. }
            | CardKind::Order { q, .. } => q.clone(),
            CardKind::Cloze { text, gaps, gap } => cloze_render(text, gaps, Some(*gap)),
        }
    }

    /// The right answer in words, for feedback.
    pub fn answer_text(&self) -> String {
        match self {
            CardKind::Basic { a, .. } | CardKind::Typed { a, .. } | CardKind::Choice { a, .. } => {
                a.clone()
            }
            CardKind::TrueFalse { a, .. } => if *a { "true" } else { "false" }.to_string(),
            CardKind::Year { a, .. } => a.to_string(),
            CardKind::Cloze { gaps, gap, .. } => gaps[*gap].answer.clone(),
            CardKind::Order { items, dates, .. } => items
                .iter()
                .enumerate()
                .map(|(i, item)| match dates.get(i) {
                    Some(d) => format!("{}. {item} ({d})", i + 1),
                    None => format!("{}. {item}", i + 1),
                })
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }
}

/// Whether `s` is a valid deck or card id: `[a-z0-9-]+`.
pub fn is_valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}
