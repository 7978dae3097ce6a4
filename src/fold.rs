//! Text folding: the one place that decides when two pieces of text are
//! "the same words" — Unicode, case, accents, punctuation and spacing
//! aside — and how far apart they are when they are not.
//!
//! Both the deck model (duplicate options, slugs, generated questions) and
//! the answer checker (typed answers, typos, the diff shown after a miss)
//! fold text, so it lives below both of them. It is pure string work: it
//! must never know about cards, decks, verdicts or anything else of ours.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Normal form for comparing typed text: NFKD, accents and case dropped,
/// punctuation removed (dashes and slashes become spaces), a leading article
/// dropped, white space collapsed.
pub fn normalize(s: &str) -> String {
    let out = fold(s);
    let words: Vec<&str> = out.split_whitespace().collect();
    let words = match words.as_slice() {
        [first, rest @ ..] if !rest.is_empty() && matches!(*first, "the" | "a" | "an") => rest,
        all => all,
    };
    words.join(" ")
}

/// [`normalize`] without dropping a leading article, for a piece of a
/// longer text: words separated by single or repeated spaces.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfkd() {
        match class(c) {
            Class::Letter => out.extend(c.to_lowercase()),
            Class::Gap => out.push(' '),
            Class::Dropped => {}
        }
    }
    out
}

/// The words of [`fold`]`(s)`, each with the byte offset in `s` of the
/// character it starts at: where a folded match stands in the text as
/// written.
pub fn fold_words(s: &str) -> Vec<(usize, String)> {
    let mut words: Vec<(usize, String)> = Vec::new();
    let mut open = false;
    for (at, raw) in s.char_indices() {
        for c in raw.nfkd() {
            match class(c) {
                Class::Letter => {
                    if !open {
                        words.push((at, String::new()));
                        open = true;
                    }
                    if let Some((_, word)) = words.last_mut() {
                        word.extend(c.to_lowercase());
                    }
                }
                Class::Gap => open = false,
                Class::Dropped => {}
            }
        }
    }
    words
}

/// What folding does with one character of a decomposed text.
enum Class {
    /// Kept, lower-cased.
    Letter,
    /// A space between words: white space, dashes, slashes, stops.
    Gap,
    /// Accents, quotes, apostrophes, brackets and the like: dropped.
    Dropped,
}

fn class(c: char) -> Class {
    if is_combining_mark(c) {
        Class::Dropped
    } else if c.is_alphanumeric() {
        Class::Letter
    } else if c.is_whitespace() || matches!(c, '-' | '–' | '—' | '/' | '_' | '.' | ',' | ';' | ':')
    {
        Class::Gap
    } else {
        Class::Dropped
    }
}

/// English function words: an answer made of one of them means nothing
/// alone, and a question's key words are the words that are not these.
#[rustfmt::skip]
pub const FUNCTION_WORDS: &[&str] = &[
    "about", "above", "after", "again", "against", "all", "also", "although", "among", "and",
    "another", "any", "are", "because", "been", "before", "being", "below", "between", "both",
    "but", "can", "could", "did", "does", "doing", "done", "down", "during", "each", "either",
    "even", "every", "for", "from", "had", "has", "have", "her", "here", "hers", "him", "his",
    "how", "into", "its", "just", "less", "many", "may", "might", "more", "most", "much", "must",
    "neither", "none", "nor", "not", "off", "once", "only", "onto", "other", "others", "our",
    "out", "over", "own", "per", "same", "shall", "she", "should", "since", "some", "still",
    "such", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this",
    "those", "though", "through", "toward", "towards", "under", "unless", "until", "upon", "very",
    "via", "was", "well", "were", "what", "when", "where", "whether", "which", "while", "who",
    "whom", "whose", "why", "will", "with", "within", "without", "would", "yet", "you", "your",
];

/// Apostrophes as spaces, so that folding splits `Laxman's` into
/// `laxman s` rather than joining it into `laxmans`; byte offsets stay
/// where they were.
pub fn apart(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02bc}') {
            out.extend(std::iter::repeat_n(' ', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    out
}

/// The text with every bracketed part taken out: `Sedentarization
/// (settling nomads)` is `Sedentarization`.
pub fn without_brackets(s: &str) -> String {
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

/// The letters of a folded text without its spaces, so that `soviet union`
/// and `sovietunion` compare equal.
pub fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Optimal-string-alignment distance, counted in characters: insertions,
/// deletions, substitutions and swaps of two neighbouring letters each cost
/// one (a letter is not edited twice, so `ca` to `abc` is three, not two).
pub fn edit_distance(a: &str, b: &str) -> usize {
    strsim::osa_distance(a, b)
}

/// One run of a character diff between a typed answer and the right one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffPart {
    /// In both.
    Same(String),
    /// Typed, but not in the answer.
    Extra(String),
    /// In the answer, but not typed.
    Missing(String),
}

/// Where `given` differs from `want`, letter by letter (case and accents
/// aside), as runs in reading order.
pub fn diff(given: &str, want: &str) -> Vec<DiffPart> {
    let fold = |c: char| -> char {
        c.to_lowercase()
            .next()
            .unwrap_or(c)
            .to_string()
            .nfkd()
            .find(|c| !is_combining_mark(*c))
            .unwrap_or(c)
    };
    let a: Vec<char> = given.chars().collect();
    let b: Vec<char> = want.chars().collect();
    // Longest common subsequence table, from the end.
    let mut lcs = vec![vec![0u16; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if fold(a[i]) == fold(b[j]) {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut parts: Vec<DiffPart> = Vec::new();
    let mut push = |part: DiffPart| match (parts.last_mut(), &part) {
        (Some(DiffPart::Same(s)), DiffPart::Same(t))
        | (Some(DiffPart::Extra(s)), DiffPart::Extra(t))
        | (Some(DiffPart::Missing(s)), DiffPart::Missing(t)) => s.push_str(t),
        _ => parts.push(part),
    };
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && fold(a[i]) == fold(b[j]) {
            push(DiffPart::Same(b[j].to_string()));
            i += 1;
            j += 1;
        } else if j < b.len() && (i == a.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
            push(DiffPart::Missing(b[j].to_string()));
            j += 1;
        } else {
            push(DiffPart::Extra(a[i].to_string()));
            i += 1;
        }
    }
    parts
}

/// Of an answer and its aliases, the one closest to what was typed.
pub fn closest<'a>(given: &str, answer: &'a str, accept: &'a [String]) -> &'a str {
    let g = squeeze(&normalize(given));
    std::iter::once(answer)
        .chain(accept.iter().map(String::as_str))
        .min_by_key(|c| edit_distance(&squeeze(&normalize(c)), &g))
        .unwrap_or(answer)
}

/// The candidates close enough to `word` to be what was meant, best first
/// (fewest edits, ties in the order given): the one rule behind every "did
/// you mean". A candidate is close when it is within two edits of the word,
/// or a third of its own length if that is more, without every letter being
/// edited; or when it holds a word of three letters or more whole, as
/// `recognition-year` holds `recognition`.
pub fn close_matches<'a>(word: &str, candidates: &[&'a str]) -> Vec<&'a str> {
    let letters = word.chars().count();
    let mut close: Vec<(usize, &'a str)> = candidates
        .iter()
        .filter_map(|&c| {
            let d = edit_distance(word, c);
            let length = c.chars().count();
            let near = d <= 2.max(length / 3) && d < letters.max(length);
            let holds = letters >= 3 && c.contains(word);
            (near || holds).then_some((d, c))
        })
        .collect();
    // A stable sort keeps the given order among equally close candidates.
    close.sort_by_key(|&(d, _)| d);
    close.into_iter().map(|(_, c)| c).collect()
}

/// What is wrong with groups of names for one thing (a deck's synonyms):
/// each fault names the group and the name by their places in the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupFault {
    /// A group of fewer than two names makes nothing equal to anything.
    TooFew { group: usize, names: usize },
    /// A name with no letters or digits once folded (an empty one too):
    /// it could never match what a learner types.
    NoWords { group: usize, name: usize },
    /// A name already in group `first` (its own group or an earlier one):
    /// one name can stand for one thing only.
    Repeated {
        group: usize,
        name: usize,
        first: usize,
    },
}

/// Every fault of `groups`, in the order the names come. Two names are the
/// same name when they are the same words ([`normalize`]), so `Edo` and
/// `edo` cannot sit in two groups.
pub fn group_faults(groups: &[Vec<String>]) -> Vec<GroupFault> {
    let mut faults = Vec::new();
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (group, names) in groups.iter().enumerate() {
        if names.len() < 2 {
            faults.push(GroupFault::TooFew {
                group,
                names: names.len(),
            });
        }
        for (name, text) in names.iter().enumerate() {
            let key = normalize(text);
            if key.is_empty() {
                faults.push(GroupFault::NoWords { group, name });
            } else if let Some(&first) = seen.get(&key) {
                faults.push(GroupFault::Repeated { group, name, first });
            } else {
                seen.insert(key, group);
            }
        }
    }
    faults
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_marks_extra_and_missing_letters() {
        use DiffPart::*;
        assert_eq!(
            diff("Laxmann", "Laxman"),
            vec![Same("Laxman".into()), Extra("n".into())]
        );
        assert_eq!(
            diff("laxman", "Adam Laxman"),
            vec![Missing("Adam ".into()), Same("Laxman".into())]
        );
        assert_eq!(diff("Kodayu", "Kōdayū"), vec![Same("Kōdayū".into())]);
        assert_eq!(
            diff("Iturop", "Iturup"),
            vec![
                Same("Itur".into()),
                Missing("u".into()),
                Extra("o".into()),
                Same("p".into())
            ]
        );
        assert_eq!(diff("", "ab"), vec![Missing("ab".into())]);
    }

    #[test]
    fn closest_alias_is_chosen_for_the_diff() {
        let accept = vec!["Etorofu".to_string()];
        assert_eq!(closest("Etorofo", "Iturup", &accept), "Etorofu");
        assert_eq!(closest("Iturp", "Iturup", &accept), "Iturup");
    }
    #[test]
    fn normalisation_table() {
        let table = [
            ("Kōdayū", "kodayu"),
            ("  Adam   LAXMAN ", "adam laxman"),
            ("Khalkhin-Gol", "khalkhin gol"),
            ("The Treaty of Shimoda", "treaty of shimoda"),
            ("Sato's", "satos"),
            ("Sakha (Yakutia)", "sakha yakutia"),
            ("Ｔｏｋｙｏ", "tokyo"),
            ("the", "the"),
            ("Iturup / Etorofu", "iturup etorofu"),
            ("Café", "cafe"),
        ];
        for (input, want) in table {
            assert_eq!(normalize(input), want, "normalize({input:?})");
        }
    }

    #[test]
    fn fold_words_are_the_folded_words_with_where_they_start() {
        let text = "Sato's  Kōdayū-Maru, (1993) ﬁne";
        let words = fold_words(text);
        let folded: Vec<&str> = words.iter().map(|(_, w)| w.as_str()).collect();
        assert_eq!(folded, fold(text).split_whitespace().collect::<Vec<_>>());
        let starts: Vec<&str> = words.iter().map(|&(at, _)| &text[at..]).collect();
        assert!(starts[0].starts_with("Sato"), "{starts:?}");
        assert!(starts[1].starts_with("Kōdayū"), "{starts:?}");
        assert!(starts[2].starts_with("Maru"), "{starts:?}");
        assert!(starts[3].starts_with("1993)"), "{starts:?}");
        assert_eq!(words[4].1, "fine");
        assert_eq!(fold_words(" -- "), []);
    }

    #[test]
    fn edit_distance_counts_swaps_once() {
        assert_eq!(edit_distance("laxman", "laxmna"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn edit_distance_is_counted_in_letters_not_bytes() {
        assert_eq!(edit_distance("kōdayū", "kodayu"), 2);
        assert_eq!(edit_distance("ca", "abc"), 3);
    }

    #[test]
    fn close_matches_are_near_or_hold_the_word_and_come_best_first() {
        let keys = ["q", "a", "accept", "section", "source", "tags"];
        // Two edits reach a one-letter key from any word of three, so `a`
        // comes too, after the nearer `tags`.
        assert_eq!(close_matches("tag", &keys), ["tags", "a"]);
        assert_eq!(close_matches("acept", &keys), ["accept"]);
        assert_eq!(close_matches("sect", &keys), ["section"]);
        // One letter for another is a rewrite, not a slip.
        assert_eq!(close_matches("b", &keys), Vec::<&str>::new());
        assert_eq!(close_matches("zzzzzz", &keys), Vec::<&str>::new());
        // Short words are not looked for inside longer ones.
        assert_eq!(
            close_matches("ce", &["source", "section"]),
            Vec::<&str>::new()
        );
        let decks = ["tsarist-era", "mini", "minis"];
        assert_eq!(close_matches("minni", &decks), ["mini", "minis"]);
        assert_eq!(
            close_matches("recognition", &["other-card", "recognition-year"]),
            ["recognition-year"]
        );
        // Equally close candidates keep their order.
        assert_eq!(close_matches("ab", &["ac", "ad"]), ["ac", "ad"]);
    }

    #[test]
    fn group_faults_name_each_bad_group_and_name() {
        use GroupFault::*;
        let groups = |g: &[&[&str]]| -> Vec<Vec<String>> {
            g.iter()
                .map(|names| names.iter().map(|n| n.to_string()).collect())
                .collect()
        };
        assert_eq!(
            group_faults(&groups(&[&["timber", "lumber"], &["Edo", "Tokyo"]])),
            []
        );
        assert_eq!(
            group_faults(&groups(&[&["timber"], &[]])),
            [TooFew { group: 0, names: 1 }, TooFew { group: 1, names: 0 }]
        );
        assert_eq!(
            group_faults(&groups(&[&["timber", "", "?!"]])),
            [NoWords { group: 0, name: 1 }, NoWords { group: 0, name: 2 }]
        );
        // Case, accents and punctuation aside, a name is the same name.
        assert_eq!(
            group_faults(&groups(&[
                &["Edo", "Tokyo"],
                &["Tōkyō", "capital"],
                &["a", "A."]
            ])),
            [
                Repeated {
                    group: 1,
                    name: 0,
                    first: 0
                },
                Repeated {
                    group: 2,
                    name: 1,
                    first: 2
                }
            ]
        );
    }
}
