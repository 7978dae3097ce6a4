//! `deck coverage`: which sentences of a source text state a fact, and which
//! of those a card tests.
//!
//! A sentence states a fact when it has a number (a date, a year, a
//! figure), a name inside it (a capitalised word that does not open the
//! sentence: a person, place, treaty or organisation) or a cause ("because",
//! "led to", ...). A card covers a sentence when it is about that text and
//! section and either its `quote` is the sentence, or its answer stands in
//! the sentence word for word and enough of its question's distinctive key
//! words do too (see [`Probe::covers`]). A word is distinctive when few
//! fact sentences of the text have it: "Japan" in a history of Japan says
//! nothing about which sentence a card is on.
//!
//! Pure: decks and texts in, numbers out. It never reads a file and knows
//! nothing of any one subject.

use super::source::SourceText;
use super::{CardKind, Deck};
use crate::fold::fold;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// Every source text's coverage, in the order the texts were given.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    pub facts: usize,
    pub covered: usize,
    pub texts: Vec<TextCoverage>,
}

/// One source text, section by section.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TextCoverage {
    /// The text's title, or its file's name when it has none.
    pub name: String,
    pub file: String,
    pub facts: usize,
    pub covered: usize,
    pub sections: Vec<SectionCoverage>,
}

/// The fact sentences under one heading.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionCoverage {
    pub heading: String,
    pub line: usize,
    pub facts: usize,
    pub covered: usize,
    pub sentences: Vec<Fact>,
}

/// A sentence that states a fact, and the cards that test it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fact {
    pub line: usize,
    pub text: String,
    pub cards: Vec<String>,
}

impl Fact {
    pub fn is_covered(&self) -> bool {
        !self.cards.is_empty()
    }
}

/// A share of fact sentences covered, from 0 to 1; `None` with none.
pub fn share(covered: usize, facts: usize) -> Option<f64> {
    (facts > 0).then(|| covered as f64 / facts as f64)
}

/// The coverage of `texts` (each its file name and its text) by the cards
/// of `decks`.
pub fn coverage(decks: &[Deck], texts: &[(String, String)]) -> Coverage {
    let probes: Vec<Probe> = decks
        .iter()
        .flat_map(|deck| deck.cards.iter().map(move |card| (deck, card)))
        .filter_map(|(deck, card)| Probe::new(deck, card))
        .collect();
    let texts: Vec<TextCoverage> = texts
        .iter()
        .map(|(file, text)| text_coverage(&probes, file, text))
        .collect();
    Coverage {
        facts: texts.iter().map(|t| t.facts).sum(),
        covered: texts.iter().map(|t| t.covered).sum(),
        texts,
    }
}

fn text_coverage(probes: &[Probe], file: &str, text: &str) -> TextCoverage {
    let read = SourceText::read(text);
    let name = read.title.clone().unwrap_or_else(|| file_stem(file));
    let folded_name = words(&name).join(" ");
    let folded_stem = words(&file_stem(file)).join(" ");
    // The fact sentences of each section, read once.
    let sections: Vec<(&str, usize, Vec<Sentence>)> = read
        .sections
        .iter()
        .filter(|s| !s.end_matter)
        .map(|s| {
            let facts = s
                .sentences()
                .filter(|(_, text)| states_fact(text))
                .map(|(line, text)| Sentence::new(line, text))
                .collect();
            (s.heading.as_str(), s.line, facts)
        })
        .collect();
    let common = common_stems(sections.iter().flat_map(|(_, _, s)| s));
    let about_this: Vec<&Probe> = probes
        .iter()
        .filter(|p| {
            p.source
                .as_ref()
                .is_none_or(|s| *s == folded_name || *s == folded_stem)
        })
        .collect();
    let mut out = TextCoverage {
        name,
        file: file.to_string(),
        facts: 0,
        covered: 0,
        sections: Vec::new(),
    };
    for (heading, line, facts) in sections {
        if facts.is_empty() {
            continue;
        }
        let here: Vec<&&Probe> = about_this
            .iter()
            .filter(|p| p.section.is_none_or(|s| s == heading))
            .collect();
        let sentences: Vec<Fact> = facts
            .iter()
            .map(|s| Fact {
                line: s.line,
                text: s.text.clone(),
                cards: here
                    .iter()
                    .filter(|p| p.covers(s, &common))
                    .map(|p| p.id.to_string())
                    .collect(),
            })
            .collect();
        let covered = sentences.iter().filter(|f| f.is_covered()).count();
        out.facts += sentences.len();
        out.covered += covered;
        out.sections.push(SectionCoverage {
            heading: heading.to_string(),
            line,
            facts: sentences.len(),
            covered,
            sentences,
        });
    }
    out
}

fn file_stem(file: &str) -> String {
    std::path::Path::new(file)
        .file_stem()
        .map_or_else(|| file.to_string(), |s| s.to_string_lossy().into_owned())
}

/// Words too common to say which sentence a card is on: those that more
/// than a tenth of the text's fact sentences have (and more than two).
fn common_stems<'a>(sentences: impl Iterator<Item = &'a Sentence>) -> HashSet<String> {
    let mut count: HashMap<&str, usize> = HashMap::new();
    let mut total = 0;
    for s in sentences {
        total += 1;
        for stem in &s.stems {
            *count.entry(stem).or_default() += 1;
        }
    }
    let limit = (total / 10).max(2);
    count
        .into_iter()
        .filter(|(_, n)| *n > limit)
        .map(|(stem, _)| stem.to_string())
        .collect()
}

/// A fact sentence, folded for matching.
struct Sentence {
    line: usize,
    text: String,
    words: Vec<String>,
    stems: HashSet<String>,
}

impl Sentence {
    fn new(line: usize, text: &str) -> Sentence {
        let words = words(text);
        Sentence {
            line,
            text: text.to_string(),
            stems: key_stems(&words).collect(),
            words,
        }
    }
}

/// What a card can cover, read once.
struct Probe<'a> {
    id: &'a str,
    /// The card's source (or its deck's), folded.
    source: Option<String>,
    section: Option<&'a str>,
    /// Each written form of the answer, as folded words.
    answers: Vec<Vec<String>>,
    /// A true/false card states its fact rather than asking for it.
    statement: bool,
    keys: Vec<String>,
    quote: Option<Vec<String>>,
}

/// Words shorter than this (unless numbers) are not key words.
const MIN_KEY_LETTERS: usize = 3;
/// Key words are compared by this many first letters: "signed", "signing".
const STEM_LETTERS: usize = 5;

impl<'a> Probe<'a> {
    fn new(deck: &'a Deck, card: &'a super::Card) -> Option<Probe<'a>> {
        let (prompt, answers, statement): (String, Vec<&str>, bool) = match &card.kind {
            CardKind::Basic { q, a } | CardKind::Choice { q, a, .. } => {
                (q.clone(), vec![a.as_str()], false)
            }
            CardKind::Typed { q, a, accept } => (
                q.clone(),
                std::iter::once(a.as_str())
                    .chain(accept.iter().map(String::as_str))
                    .collect(),
                false,
            ),
            CardKind::Year { q, .. } => (q.clone(), Vec::new(), false),
            CardKind::TrueFalse { q, a } => (q.clone(), Vec::new(), *a),
            CardKind::Cloze { text, gaps, gap } => {
                let g = gaps.get(*gap)?;
                let shown = super::cloze_render(text, gaps, Some(*gap));
                let forms = std::iter::once(g.answer.as_str())
                    .chain(g.accept.iter().map(String::as_str))
                    .collect();
                (shown, forms, false)
            }
            CardKind::Order { .. } => (String::new(), Vec::new(), false),
        };
        // An answer with a gloss in brackets stands in a text without it.
        let mut answers: Vec<Vec<String>> = answers
            .into_iter()
            .flat_map(|a| [words(a), words(&without_brackets(a))])
            .filter(|w| !w.is_empty())
            .collect();
        answers.dedup();
        if let CardKind::Year { a, .. } = &card.kind {
            answers.push(vec![a.to_string()]);
        }
        let by_answer = !answers.is_empty();
        let quote = card.quote.as_deref().map(words).filter(|w| w.len() >= 3);
        // Only a statement that is true says what the text says.
        if !by_answer && !statement && quote.is_none() {
            return None;
        }
        let own: HashSet<String> = answers.iter().flat_map(|a| key_stems(a)).collect();
        let mut keys: Vec<String> = Vec::new();
        for stem in key_stems(&words(&prompt)) {
            if !own.contains(&stem) && !keys.contains(&stem) {
                keys.push(stem);
            }
        }
        Some(Probe {
            id: &card.id,
            source: card
                .source
                .as_deref()
                .or(deck.source.as_deref())
                .map(|s| words(s).join(" ")),
            section: card.section.as_deref().map(str::trim),
            answers,
            statement,
            keys,
            quote,
        })
    }

    /// Whether the card tests the sentence: its quote is the sentence; or
    /// its answer stands in it and so do at least two of the question's
    /// distinctive key words (all of them when it has fewer) and at least
    /// 30% of them, or four of a long question's; or, for a true
    /// statement, three key words and 60%.
    fn covers(&self, s: &Sentence, common: &HashSet<String>) -> bool {
        if let Some(q) = &self.quote {
            if contains(&s.words, q) || contains(q, &s.words) {
                return true;
            }
        }
        let keys: Vec<&String> = self.keys.iter().filter(|k| !common.contains(*k)).collect();
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
}

/// The text with every bracketed part taken out: `Sedentarization
/// (settling nomads)` is `Sedentarization`.
fn without_brackets(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Whether `run` stands in `words` as whole words, in order.
fn contains(words: &[String], run: &[String]) -> bool {
    !run.is_empty() && words.windows(run.len()).any(|w| w == run)
}

/// Folded words: case, accents and punctuation gone.
fn words(s: &str) -> Vec<String> {
    fold(s).split_whitespace().map(str::to_string).collect()
}

/// The key words of folded words, as stems: numbers whole, other words
/// of three letters or more that are not function words, cut to five.
fn key_stems(words: &[String]) -> impl Iterator<Item = String> + '_ {
    words.iter().filter_map(|w| {
        if w.chars().any(|c| c.is_ascii_digit()) {
            return Some(w.clone());
        }
        if w.chars().count() < MIN_KEY_LETTERS || STOP_WORDS.contains(&w.as_str()) {
            return None;
        }
        Some(w.chars().take(STEM_LETTERS).collect())
    })
}

/// Whether a sentence states a fact: a number, a name inside it, or a
/// cause. A fragment of fewer than four words does not.
pub fn states_fact(sentence: &str) -> bool {
    let tokens: Vec<&str> = sentence.split_whitespace().collect();
    if tokens.len() < 4 {
        return false;
    }
    let number = tokens.iter().any(|t| t.chars().any(|c| c.is_ascii_digit()));
    let name = tokens.iter().skip(1).any(|t| {
        let t = t.trim_start_matches(|c: char| !c.is_alphanumeric());
        t.chars().next().is_some_and(char::is_uppercase) && t != "I"
    });
    let folded = format!(
        " {} ",
        fold(sentence)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    );
    let cause = CAUSES.iter().any(|c| folded.contains(&format!(" {c} ")));
    number || name || cause
}

/// Phrases that state a cause or a consequence.
const CAUSES: &[&str] = &[
    "because",
    "due to",
    "as a result",
    "led to",
    "leading to",
    "caused",
    "causing",
    "owing to",
    "therefore",
    "in response",
    "so that",
    "in order to",
    "prompted",
    "thanks to",
];

/// Words that say nothing about which fact a question is on.
const STOP_WORDS: &[&str] = &[
    "the",
    "and",
    "but",
    "nor",
    "for",
    "yet",
    "not",
    "its",
    "his",
    "her",
    "hers",
    "their",
    "them",
    "they",
    "she",
    "him",
    "was",
    "were",
    "are",
    "been",
    "being",
    "has",
    "have",
    "had",
    "does",
    "did",
    "doing",
    "done",
    "this",
    "that",
    "these",
    "those",
    "there",
    "then",
    "than",
    "which",
    "what",
    "who",
    "whom",
    "whose",
    "when",
    "where",
    "why",
    "how",
    "whether",
    "while",
    "also",
    "only",
    "other",
    "others",
    "more",
    "most",
    "some",
    "any",
    "each",
    "both",
    "either",
    "neither",
    "one",
    "two",
    "three",
    "many",
    "much",
    "very",
    "own",
    "same",
    "can",
    "could",
    "would",
    "should",
    "will",
    "shall",
    "may",
    "might",
    "must",
    "upon",
    "via",
    "per",
    "among",
    "against",
    "within",
    "without",
    "through",
    "toward",
    "towards",
    "again",
    "once",
    "into",
    "onto",
    "over",
    "under",
    "about",
    "after",
    "before",
    "between",
    "during",
    "since",
    "until",
    "from",
    "with",
    "year",
    "years",
    "name",
    "named",
    "called",
    "call",
    "following",
    "true",
    "false",
    "what's",
    "our",
    "your",
    "you",
    "all",
    "such",
    "out",
    "off",
    "down",
    "just",
    "even",
    "still",
    "well",
    "way",
    "ways",
    "thing",
    "things",
    "kind",
    "say",
    "said",
    "says",
    "make",
    "made",
    "makes",
    "take",
    "took",
    "taken",
    "give",
    "gave",
    "given",
    "get",
    "got",
];

#[cfg(test)]
mod tests;
