//! Decks: the model, the TOML parser with located errors, and where decks
//! are found (built in, the user's folder, `--decks`).
//!
//! Nothing here touches SQLite or the terminal: parsing is a pure function
//! from a file's text to a [`Deck`] or a list of [`Diagnostic`]s.

pub mod check;
pub mod cloze;
pub mod coverage;
pub mod export;
pub mod fmt;
pub mod generate;
mod giveaway;
mod load;
mod parse;
mod runs;
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
    /// The subject's own groups of names for one thing (`timber`,
    /// `lumber`), judged alike in every typed answer and gap of the deck.
    pub synonyms: Vec<Vec<String>>,
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

    /// Every way the deck writes the answer a learner types or picks: a
    /// typed answer and its `accept` forms, a choice's answer, the year, a
    /// gap's answer and its aliases, a basic card's answer. A true/false or
    /// order card has none. The one list that `deck check`'s give-aways and
    /// `deck coverage` look for.
    pub fn answer_forms(&self) -> Vec<String> {
        match self {
            CardKind::Typed { a, accept, .. } => {
                std::iter::once(a).chain(accept).cloned().collect()
            }
            CardKind::Choice { a, .. } | CardKind::Basic { a, .. } => vec![a.clone()],
            CardKind::Year { a, .. } => vec![a.to_string()],
            CardKind::Cloze { gaps, gap, .. } => gaps
                .get(*gap)
                .map(|g| {
                    std::iter::once(&g.answer)
                        .chain(&g.accept)
                        .cloned()
                        .collect()
                })
                .unwrap_or_default(),
            CardKind::TrueFalse { .. } | CardKind::Order { .. } => Vec::new(),
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
            CardKind::Cloze { gaps, gap, .. } => {
                gaps.get(*gap).map(|g| g.answer.clone()).unwrap_or_default()
            }
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

impl Card {
    /// What the deck parser guarantees of each card type, checked again for
    /// a card read back from a database: a hand-edited or foreign file can
    /// hold a cloze whose gap is past its gaps, or a choice with no wrong
    /// options, and nothing downstream should have to guess.
    pub fn check_stored(&self) -> Result<(), String> {
        match &self.kind {
            CardKind::Choice { wrong, .. } if wrong.len() < 2 => Err(format!(
                "a choice card with {} wrong option(s), fewer than 2",
                wrong.len()
            )),
            CardKind::Year { tolerance, .. } if *tolerance > 100 => Err(format!(
                "a year card with a tolerance of {tolerance} years, more than 100"
            )),
            CardKind::Cloze { gaps, .. } if gaps.is_empty() || gaps.len() > MAX_GAPS => Err(
                format!("a cloze card with {} gaps, not 1 to {MAX_GAPS}", gaps.len()),
            ),
            CardKind::Cloze { gaps, gap, .. } if *gap >= gaps.len() => Err(format!(
                "a cloze card asking gap {} of {}",
                gap.saturating_add(1),
                gaps.len()
            )),
            CardKind::Order { items, .. } if items.len() < 3 => Err(format!(
                "an order card with {} item(s), fewer than 3",
                items.len()
            )),
            CardKind::Order { items, dates, .. }
                if !dates.is_empty() && dates.len() != items.len() =>
            {
                Err(format!(
                    "an order card with {} dates for {} items",
                    dates.len(),
                    items.len()
                ))
            }
            _ => Ok(()),
        }
    }
}

/// The most names a deck's `synonyms` may hold, all groups together: every
/// typed answer of the deck is read against each of them.
pub const MAX_SYNONYM_NAMES: usize = 500;

/// The longest name in a deck's `synonyms`, in characters: a name, not a
/// sentence.
pub const MAX_SYNONYM_CHARS: usize = 200;

/// What the deck parser guarantees of a deck's `synonyms`, checked again for
/// groups read back from a database: at most [`MAX_SYNONYM_NAMES`] names of
/// at most [`MAX_SYNONYM_CHARS`] characters, and no fault of
/// [`crate::fold::group_faults`].
pub fn check_synonyms(groups: &[Vec<String>]) -> Result<(), String> {
    let names: usize = groups.iter().map(Vec::len).sum();
    if names > MAX_SYNONYM_NAMES {
        return Err(format!("{names} synonyms, more than {MAX_SYNONYM_NAMES}"));
    }
    if groups
        .iter()
        .flatten()
        .any(|n| n.chars().count() > MAX_SYNONYM_CHARS)
    {
        return Err(format!(
            "a synonym longer than {MAX_SYNONYM_CHARS} characters"
        ));
    }
    match crate::fold::group_faults(groups).first() {
        None => Ok(()),
        Some(fault) => Err(describe_fault(groups, fault)),
    }
}

/// A fault of a deck's `synonyms` in words, without its place in a file.
pub(crate) fn describe_fault(groups: &[Vec<String>], fault: &crate::fold::GroupFault) -> String {
    use crate::fold::GroupFault;
    let name = |g: usize, n: usize| {
        groups
            .get(g)
            .and_then(|names| names.get(n))
            .map_or("", String::as_str)
    };
    match *fault {
        GroupFault::TooFew { group, names } => format!(
            "group {} of `synonyms` has {names} name(s); a group needs at least 2",
            group + 1
        ),
        GroupFault::NoWords { group, name: n } if name(group, n).trim().is_empty() => {
            format!("an empty name in group {} of `synonyms`", group + 1)
        }
        GroupFault::NoWords { group, name: n } => format!(
            "the name `{}` in group {} of `synonyms` has no letters or digits",
            name(group, n),
            group + 1
        ),
        GroupFault::Repeated {
            group,
            name: n,
            first,
        } if first == group => format!(
            "`{}` appears twice in group {} of `synonyms`",
            name(group, n),
            group + 1
        ),
        GroupFault::Repeated {
            group,
            name: n,
            first,
        } => format!(
            "`{}` of group {} of `synonyms` is also in group {}",
            name(group, n),
            group + 1,
            first + 1
        ),
    }
}

/// Whether `s` is a valid deck or card id: `[a-z0-9-]+`.
pub fn is_valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}
