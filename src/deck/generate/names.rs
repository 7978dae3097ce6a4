//! The names and figures of a draft's sentences: which capitalised words
//! make a name, how many sentences name each thing, and which one a
//! sentence's gap should hide. Word lists of English as it is written in
//! history articles; pure string work that must never build a card.

use crate::fold::normalize;
use std::collections::{HashMap, HashSet};

/// Words that open a sentence in capitals without being names.
const OPENERS: [&str; 44] = [
    "The",
    "A",
    "An",
    "In",
    "On",
    "At",
    "After",
    "Before",
    "During",
    "From",
    "By",
    "As",
    "With",
    "When",
    "While",
    "Since",
    "Although",
    "Despite",
    "This",
    "These",
    "That",
    "Those",
    "Both",
    "Its",
    "His",
    "Her",
    "Their",
    "It",
    "He",
    "She",
    "They",
    "But",
    "And",
    "However",
    "Following",
    "Under",
    "Between",
    "Until",
    "Also",
    "Some",
    "Many",
    "For",
    "To",
    "Of",
];
/// Small words allowed inside a name: "Treaty of Portsmouth", "Sea of Okhotsk".
const JOINERS: [&str; 4] = ["of", "the", "de", "von"];
/// Offices that come before a name: "Prime Minister Yasuhiro Nakasone".
const TITLES: [&str; 16] = [
    "President",
    "Prime",
    "Minister",
    "Foreign",
    "Defense",
    "Defence",
    "General",
    "Chief",
    "Ambassador",
    "Emperor",
    "Princess",
    "Prince",
    "Secretary",
    "Chairman",
    "Premier",
    "Admiral",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// What the selected sentences name, counted once over all of them.
pub(super) struct Names {
    /// The words that open a name inside a sentence, where a capital means
    /// a name: "Ratifications were exchanged" does not make one.
    openers: HashSet<String>,
    /// How many sentences name each thing (folded).
    frequency: HashMap<String, usize>,
    /// More sentences than this name it: nearly every sentence does
    /// ("Japan"), and it is not worth a gap.
    too_common: usize,
}

impl Names {
    pub(super) fn count(sentences: &[&str]) -> Names {
        let openers: HashSet<String> = sentences
            .iter()
            .flat_map(|sentence| {
                let opening = sentence.split(' ').next().unwrap_or("");
                candidates(sentence, None)
                    .into_iter()
                    .filter(move |c| !opening.starts_with(c.split(' ').next().unwrap_or("")))
            })
            .filter_map(|c| c.split(' ').next().map(str::to_string))
            .collect();
        let mut frequency: HashMap<String, usize> = HashMap::new();
        for sentence in sentences {
            let names: HashSet<String> = candidates(sentence, Some(&openers))
                .into_iter()
                .map(|c| normalize(&c))
                .collect();
            for n in names {
                *frequency.entry(n).or_default() += 1;
            }
        }
        Names {
            openers,
            frequency,
            too_common: (sentences.len() / 25).max(3),
        }
    }

    fn frequency(&self, name: &str) -> usize {
        self.frequency.get(&normalize(name)).copied().unwrap_or(0)
    }

    /// The name or figure to hide in `sentence`, if one is worth a gap and
    /// not among `used`: the rarest, then the longest, then the latest (the
    /// subject opens a sentence, the fact tends to come after).
    pub(super) fn gap(&self, sentence: &str, used: &HashSet<String>) -> Option<String> {
        candidates(sentence, Some(&self.openers))
            .into_iter()
            .filter(|c| self.frequency(c) <= self.too_common)
            .filter(|c| !gives_itself_away(sentence, c) && !adjective(c))
            .filter(|c| !used.contains(&normalize(c)))
            .enumerate()
            .min_by_key(|(i, c)| {
                (
                    self.frequency(c),
                    std::cmp::Reverse((c.split_whitespace().count(), *i)),
                )
            })
            .map(|(_, c)| c)
    }
}

/// Names and figures a gap could hide, in the order the sentence has them.
/// A capitalised word that opens a sentence is only taken for a name when
/// `names` (the words that open a name inside some sentence) has it.
pub(super) fn candidates(sentence: &str, names: Option<&HashSet<String>>) -> Vec<String> {
    let tokens: Vec<&str> = sentence.split(' ').collect();
    let mut out = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    let mut run_start = 0;
    let close = |run: &mut Vec<&str>, start: usize, out: &mut Vec<String>| {
        while run.last().is_some_and(|w| JOINERS.contains(w)) {
            run.pop();
        }
        let mut words: &[&str] = run;
        while words.first().is_some_and(|w| OPENERS.contains(w)) {
            words = &words[1..];
        }
        if start == 0 && words.len() == run.len() {
            if let (Some(names), Some(first)) = (names, words.first()) {
                if !names.contains(*first) {
                    words = &words[1..];
                }
            }
        }
        if words
            .first()
            .is_some_and(|w| JOINERS.contains(w) || MONTHS.contains(w))
        {
            words = &words[1..];
        }
        // A title goes; the person's name (its last two words) stays.
        if words.len() >= 3 && TITLES.contains(&words[0]) {
            words = &words[words.len() - 2..];
            if TITLES.contains(&words[0]) || JOINERS.contains(&words[0]) {
                words = &words[1..];
            }
        }
        let lone_month = words.len() == 1 && MONTHS.contains(&words[0]);
        if !words.is_empty() && !lone_month {
            out.push(words.join(" "));
        }
        run.clear();
    };
    for (i, raw) in tokens.iter().enumerate() {
        let word = raw.trim_start_matches(['(', '"', '“']);
        let ends_clause = raw.ends_with([',', '.', ';', ':', ')', '"', '”', '?', '!']);
        let core = word
            .trim_end_matches([',', '.', ';', ':', ')', '"', '”', '?', '!'])
            .trim_end_matches("'s")
            .trim_end_matches("’s");
        let capital = core.chars().next().is_some_and(char::is_uppercase)
            && core.chars().any(char::is_lowercase)
            || core.len() >= 2 && core.chars().all(|c| c.is_ascii_uppercase());
        let joiner = !run.is_empty() && JOINERS.contains(&core) && !ends_clause;
        if capital || joiner {
            if run.is_empty() {
                run_start = i;
            }
            run.push(core);
            if ends_clause || core.len() != word.len() && !joiner {
                close(&mut run, run_start, &mut out);
            }
        } else {
            close(&mut run, run_start, &mut out);
            if let Some(figure) = figure(
                core,
                tokens.get(i + 1).copied(),
                i.checked_sub(1).map(|p| tokens[p]),
            ) {
                out.push(figure);
            }
        }
    }
    close(&mut run, run_start, &mut out);
    out.retain(|c| sentence.contains(c.as_str()));
    out
}

/// A count or an amount ("70,000", "56", "61%"), not a year or a day of a month.
fn figure(core: &str, next: Option<&str>, previous: Option<&str>) -> Option<String> {
    let digits = core.trim_end_matches('%');
    let numeric = digits.len() >= 2
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b',')
        && digits.bytes().next().is_some_and(|b| b.is_ascii_digit());
    let is_year = digits.len() == 4 && !digits.contains(',');
    let by_month =
        |w: Option<&str>| w.is_some_and(|w| MONTHS.contains(&w.trim_end_matches([',', '.'])));
    (numeric && !is_year && !by_month(next) && !by_month(previous)).then(|| core.to_string())
}

/// A lone word that describes rather than names: "Sino-Japanese",
/// "Siberian", "Western". A poor gap: many words fit it.
pub(super) fn adjective(candidate: &str) -> bool {
    !candidate.contains(' ')
        && (candidate.contains(['-', '–'])
            || ["ese", "ian", "ean", "ern", "ican", "ish"]
                .iter()
                .any(|end| candidate.ends_with(end)))
}

/// Whether the answer can be read off the rest of the sentence.
fn gives_itself_away(sentence: &str, answer: &str) -> bool {
    let rest = sentence.replacen(answer, " ", 1);
    format!(" {} ", normalize(&rest)).contains(&format!(" {} ", normalize(answer)))
}
