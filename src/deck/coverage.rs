//! `deck coverage`: which sentences of a source text state a fact, and which
//! of those a card tests.
//!
//! A sentence states a fact when it has a number (a date, a year, a
//! figure), a name inside it (a capitalised word that does not open the
//! sentence: a person, place, treaty or organisation) or a cause ("because",
//! "led to", ...). A card covers a sentence when it cites that text and
//! section and either its `quote` is most of the sentence, or its answer
//! stands in the sentence word for word and enough of its question's
//! distinctive key words do too (`probe.rs`, `Probe::covers`). A card that
//! cites no source or no section covers nothing, and is counted. A word is distinctive when few
//! fact sentences of the text have it: "Japan" in a history of Japan says
//! nothing about which sentence a card is on.
//!
//! Pure: decks and texts in, numbers out. It never reads a file and knows
//! nothing of any one subject.

mod probe;

use super::source::{Section, SourceText};
use super::Deck;
use crate::fold::fold;
use probe::{Idle, Needs, Probe, Sentence};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// Every source text's coverage, in the order the texts were given.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    pub facts: usize,
    pub covered: usize,
    pub texts: Vec<TextCoverage>,
    /// Cards that could cover a sentence but cite no `source`, nor does
    /// their deck; and cards that cite no `section`: they cover nothing.
    pub without_source: usize,
    pub without_section: usize,
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

/// The coverage of `texts` (each its file name and its text) by the cards
/// of `decks`. A deck given twice (by the same id) counts once.
pub fn coverage(decks: &[Deck], texts: &[(String, String)]) -> Coverage {
    let mut seen = HashSet::new();
    let (mut probes, mut without_source, mut without_section) = (Vec::new(), 0, 0);
    for deck in decks.iter().filter(|d| seen.insert(d.id.as_str())) {
        for card in &deck.cards {
            match Probe::new(deck, card) {
                Ok(probe) => probes.push(probe),
                Err(Idle::NoSource) => without_source += 1,
                Err(Idle::NoSection) => without_section += 1,
                Err(Idle::AsksNoFact) => {}
            }
        }
    }
    let texts: Vec<TextCoverage> = texts
        .iter()
        .map(|(file, text)| text_coverage(&probes, file, text))
        .collect();
    Coverage {
        facts: texts.iter().map(|t| t.facts).sum(),
        covered: texts.iter().map(|t| t.covered).sum(),
        texts,
        without_source,
        without_section,
    }
}

fn text_coverage(probes: &[Probe], file: &str, text: &str) -> TextCoverage {
    let read = SourceText::read(text);
    let name = read.title.clone().unwrap_or_else(|| file_stem(file));
    let cited = [
        probe::words(&name).join(" "),
        probe::words(&file_stem(file)).join(" "),
    ];
    // The fact sentences of every section, read once, with their section.
    let history: Vec<&Section> = read.sections.iter().filter(|s| !s.end_matter).collect();
    let sentences: Vec<(usize, Sentence)> = history
        .iter()
        .enumerate()
        .flat_map(|(i, s)| {
            s.sentences()
                .filter(|(_, text)| states_fact(text))
                .map(move |(line, text)| (i, Sentence::new(line, text)))
        })
        .collect();
    let common = common_stems(sentences.iter().map(|(_, s)| s));
    let by_word = index(&sentences);
    let mut cards: Vec<Vec<String>> = vec![Vec::new(); sentences.len()];
    for p in probes.iter().filter(|p| cited.contains(&p.source)) {
        let keys = p.distinctive(&common);
        for k in candidates(p, &by_word, sentences.len()) {
            let (section, s) = &sentences[k];
            if history[*section].heading == p.section && p.covers(s, &keys) {
                cards[k].push(p.id.clone());
            }
        }
    }
    let mut out = TextCoverage {
        name,
        file: file.to_string(),
        facts: 0,
        covered: 0,
        sections: Vec::new(),
    };
    let mut facts = sentences.into_iter().zip(cards).peekable();
    for (i, section) in history.into_iter().enumerate() {
        let mut here = Vec::new();
        while let Some(((_, s), cards)) = facts.next_if(|((section, _), _)| *section == i) {
            here.push(Fact {
                line: s.line,
                text: s.text,
                cards,
            });
        }
        if here.is_empty() {
            continue;
        }
        let covered = here.iter().filter(|f| f.is_covered()).count();
        out.facts += here.len();
        out.covered += covered;
        out.sections.push(SectionCoverage {
            heading: section.heading.clone(),
            line: section.line,
            facts: here.len(),
            covered,
            sentences: here,
        });
    }
    out
}

/// The sentences each folded word and each key-word stem stands in.
fn index(sentences: &[(usize, Sentence)]) -> HashMap<&str, Vec<usize>> {
    let mut by_word: HashMap<&str, Vec<usize>> = HashMap::new();
    for (k, (_, s)) in sentences.iter().enumerate() {
        let words = s.words.iter().chain(s.stems.iter());
        for w in words.map(String::as_str).collect::<HashSet<_>>() {
            by_word.entry(w).or_default().push(k);
        }
    }
    by_word
}

/// The sentences worth trying a card on, in order: those with one of the
/// words it cannot cover without.
fn candidates(p: &Probe, by_word: &HashMap<&str, Vec<usize>>, all: usize) -> Vec<usize> {
    let firsts: Vec<&str> = match p.needs() {
        Needs::Nothing => return (0..all).collect(),
        Needs::AnyFirstWord(answers) => answers
            .iter()
            .filter_map(|a| a.first())
            .map(String::as_str)
            .collect(),
        Needs::AnyStem(stems) => stems.iter().map(String::as_str).collect(),
    };
    let mut found: Vec<usize> = firsts
        .iter()
        .filter_map(|w| by_word.get(w))
        .flatten()
        .copied()
        .collect();
    found.sort_unstable();
    found.dedup();
    found
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

/// Whether a sentence states a fact: a number, a name inside it, or a
/// cause. A fragment of fewer than four words does not.
pub fn states_fact(sentence: &str) -> bool {
    let tokens: Vec<&str> = sentence.split_whitespace().collect();
    if tokens.len() < 4 {
        return false;
    }
    let number = tokens.iter().any(|t| t.chars().any(|c| c.is_ascii_digit()));
    let name = tokens.iter().skip(1).any(|t| {
        let t = t.trim_matches(|c: char| !c.is_alphanumeric());
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

#[cfg(test)]
mod tests;
