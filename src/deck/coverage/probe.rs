//! What one card can cover, read once (`Probe`), and one fact sentence
//! folded for matching (`Sentence`): the rule of [`Probe::covers`] and the
//! words it compares.

use crate::deck::{Card, CardKind, Deck};
use crate::fold::{apart, fold, without_brackets, FUNCTION_WORDS};
use std::collections::HashSet;

/// Words shorter than this (unless numbers) are not key words.
const MIN_KEY_LETTERS: usize = 3;
/// Key words are compared by this many first letters: "signed", "signing".
const STEM_LETTERS: usize = 5;
/// A quote covers a sentence when it is at least this share of its words.
const QUOTE_SHARE: f64 = 0.6;

/// Words of a question that say nothing about which fact it is on, besides
/// the function words.
#[rustfmt::skip]
const QUESTION_WORDS: &[&str] = &[
    "call", "called", "false", "following", "gave", "get", "give", "given", "got", "kind", "made",
    "make", "makes", "name", "named", "one", "said", "say", "says", "take", "taken", "thing",
    "things", "three", "took", "true", "two", "way", "ways", "what's", "year", "years",
];

/// A fact sentence, folded for matching.
pub(super) struct Sentence {
    pub line: usize,
    pub text: String,
    pub words: Vec<String>,
    pub stems: HashSet<String>,
}

impl Sentence {
    pub fn new(line: usize, text: &str) -> Sentence {
        let words = words(text);
        Sentence {
            line,
            text: text.to_string(),
            stems: key_stems(&words).collect(),
            words,
        }
    }
}

/// Why a card can cover nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Idle {
    /// A false statement, an order card, a card with no answer to find.
    AsksNoFact,
    /// Neither the card nor its deck names a `source`.
    NoSource,
    /// The card names no `section`.
    NoSection,
}

/// What a card can cover, read once.
pub(super) struct Probe<'a> {
    /// `deck/card`, as `kioku card` names it.
    pub id: String,
    /// The card's source (or its deck's), folded.
    pub source: String,
    pub section: &'a str,
    /// Each written form of the answer, as folded words.
    pub answers: Vec<Vec<String>>,
    /// A true statement: it states its fact rather than asking for it.
    statement: bool,
    keys: Vec<String>,
    quote: Option<Vec<String>>,
}

impl<'a> Probe<'a> {
    pub fn new(deck: &'a Deck, card: &'a Card) -> Result<Probe<'a>, Idle> {
        let (prompt, statement) = match &card.kind {
            CardKind::Basic { q, .. }
            | CardKind::Choice { q, .. }
            | CardKind::Typed { q, .. }
            | CardKind::Year { q, .. } => (q.clone(), false),
            CardKind::TrueFalse { q, a: true } => (q.clone(), true),
            CardKind::Cloze { text, gaps, gap } => {
                (crate::deck::cloze_render(text, gaps, Some(*gap)), false)
            }
            CardKind::TrueFalse { a: false, .. } | CardKind::Order { .. } => {
                return Err(Idle::AsksNoFact)
            }
        };
        // An answer with a gloss in brackets stands in a text without it.
        let mut answers: Vec<Vec<String>> = Vec::new();
        for form in card.kind.answer_forms() {
            for w in [words(&form), words(&without_brackets(&form))] {
                if !w.is_empty() && !answers.contains(&w) {
                    answers.push(w);
                }
            }
        }
        if answers.is_empty() && !statement {
            return Err(Idle::AsksNoFact);
        }
        let source = card.source.as_deref().or(deck.source.as_deref());
        let source = source.ok_or(Idle::NoSource)?;
        let section = card.section.as_deref().ok_or(Idle::NoSection)?.trim();
        let own: HashSet<String> = answers.iter().flat_map(|a| key_stems(a)).collect();
        let mut keys: Vec<String> = Vec::new();
        for stem in key_stems(&words(&prompt)) {
            if !own.contains(&stem) && !keys.contains(&stem) {
                keys.push(stem);
            }
        }
        Ok(Probe {
            id: format!("{}/{}", deck.id, card.id),
            source: words(source).join(" "),
            section,
            answers,
            statement,
            keys,
            quote: card.quote.as_deref().map(words).filter(|w| w.len() >= 3),
        })
    }

    /// The first word of each thing a sentence must have for this card to
    /// cover it: an answer's first word, or any key word's stem.
    pub fn needs(&self) -> Needs<'_> {
        if self.quote.is_some() {
            Needs::Nothing
        } else if self.statement {
            Needs::AnyStem(&self.keys)
        } else {
            Needs::AnyFirstWord(&self.answers)
        }
    }

    /// Whether the card tests the sentence: its quote is most of the
    /// sentence; or its answer stands in it and so do at least two of the
    /// question's distinctive key words (all of them when it has fewer) and
    /// at least 30% of them, or four of a long question's; or, for a true
    /// statement, three key words and 60%. `keys` are the card's key words
    /// that are distinctive in this text.
    pub fn covers(&self, s: &Sentence, keys: &[&String]) -> bool {
        if let Some(q) = &self.quote {
            let most = q.len() as f64 >= QUOTE_SHARE * s.words.len() as f64;
            if (most && contains(&s.words, q)) || contains(q, &s.words) {
                return true;
            }
        }
        let found = keys.iter().filter(|k| s.stems.contains(**k)).count();
        let share = found as f64 / keys.len().max(1) as f64;
        if self.statement {
            return found >= 3 && share >= 0.6;
        }
        !keys.is_empty()
            && found >= keys.len().min(2)
            && (share >= 0.3 || found >= 4)
            && self.answers.iter().any(|a| contains(&s.words, a))
    }

    /// The card's key words that say which sentence it is on in a text
    /// whose common words are `common`.
    pub fn distinctive<'k>(&'k self, common: &HashSet<String>) -> Vec<&'k String> {
        self.keys.iter().filter(|k| !common.contains(*k)).collect()
    }
}

/// What a sentence must have for a card to be tried on it.
pub(super) enum Needs<'p> {
    /// A quote is looked for in every sentence.
    Nothing,
    AnyFirstWord(&'p [Vec<String>]),
    AnyStem(&'p [String]),
}

/// Whether `run` stands in `words` as whole words, in order.
fn contains(words: &[String], run: &[String]) -> bool {
    !run.is_empty() && run.len() <= words.len() && words.windows(run.len()).any(|w| w == run)
}

/// Folded words: case, accents and punctuation gone, an apostrophe a
/// break (`Laxman's` has `laxman`).
pub(super) fn words(s: &str) -> Vec<String> {
    fold(&apart(s))
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// The key words of folded words, as stems: numbers whole, other words
/// of three letters or more that are not function words, cut to five.
pub(super) fn key_stems(words: &[String]) -> impl Iterator<Item = String> + '_ {
    words.iter().filter_map(|w| {
        if w.chars().any(|c| c.is_ascii_digit()) {
            return Some(w.clone());
        }
        let plain = w.chars().count() < MIN_KEY_LETTERS
            || FUNCTION_WORDS.contains(&w.as_str())
            || QUESTION_WORDS.contains(&w.as_str());
        (!plain).then(|| w.chars().take(STEM_LETTERS).collect())
    })
}
