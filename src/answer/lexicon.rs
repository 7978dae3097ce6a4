//! The examiner's lexicon: the words it knows (fillers, names for the same
//! thing, head words, titles, words that mark a different thing,
//! negations), kept as data in `lexicon.txt`, read once, and the stage that
//! puts them into a line of tokens.
//!
//! Pure: the table is compiled into the binary. It must never read a file
//! at run time or know about cards; a deck's own synonyms come in as an
//! argument.

use super::tokens::{canon_word, dates, numbers, raw_words, Tok};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// The lexicon's text, one group a line under `[section]` headings.
pub const LEXICON: &str = include_str!("lexicon.txt");

/// The longest name, in tokens, looked for at each place in a line.
const LONGEST: usize = 6;

/// The lexicon, read.
#[derive(Debug, Default)]
pub struct Lexicon {
    fillers: HashSet<String>,
    names: HashMap<Vec<Tok>, Tok>,
    /// The first token of every name, with the most tokens a name that
    /// starts with it has: most words of a line start none, and are passed
    /// over with one look-up instead of one for each length.
    starts: HashMap<Tok, usize>,
}

/// A line of the lexicon that is not right, with its line number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexiconError {
    pub line: usize,
    pub message: String,
}

/// The built-in lexicon, read the first time it is needed.
pub fn builtin() -> &'static Lexicon {
    static TABLE: OnceLock<Lexicon> = OnceLock::new();
    TABLE.get_or_init(|| {
        parse(LEXICON)
            .unwrap_or_else(|e| panic!("lexicon.txt line {}: {}", e[0].line, e[0].message))
    })
}

/// Words of one name, before the lexicon's own groups are put in: what
/// every name in the table and every line compared goes through first.
fn plain_tokens(s: &str, fillers: &HashSet<String>) -> Vec<Tok> {
    let folded = super::tokens::fold(s);
    numbers(&raw_words(&folded))
        .into_iter()
        .filter_map(|t| match t {
            Tok::Word(w) => {
                let w = canon_word(&w);
                (!fillers.contains(&w)).then_some(Tok::Word(w))
            }
            t => Some(t),
        })
        .collect()
}

/// Reads the lexicon's text. Every error is returned, each with its line.
pub fn parse(text: &str) -> Result<Lexicon, Vec<LexiconError>> {
    let mut errors = Vec::new();
    let mut lines: Vec<(usize, &str, &str)> = Vec::new();
    let mut section = "";
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name;
            continue;
        }
        lines.push((n + 1, section, line));
    }
    let mut lex = Lexicon::default();
    for (_, _, line) in lines.iter().filter(|(_, s, _)| *s == "filler") {
        lex.fillers.insert(canon_word(line));
    }
    let mut seen: HashMap<Vec<Tok>, usize> = HashMap::new();
    for (group, (n, section, line)) in lines.iter().enumerate() {
        let tok = match *section {
            "filler" => continue,
            "same" => Tok::Same(group as u16),
            "head" => Tok::Head(group as u16),
            "title" => Tok::Title,
            "protected" => Tok::Mark(group as u16),
            "negation" => Tok::Neg,
            other => {
                errors.push(LexiconError {
                    line: *n,
                    message: format!("unknown section [{other}]"),
                });
                continue;
            }
        };
        for name in line.split(" = ") {
            let key = plain_tokens(name, &lex.fillers);
            if key.is_empty() || key.len() > LONGEST {
                errors.push(LexiconError {
                    line: *n,
                    message: format!("{name:?} is empty or longer than {LONGEST} words"),
                });
                continue;
            }
            if let Some(first) = seen.insert(key.clone(), *n) {
                errors.push(LexiconError {
                    line: *n,
                    message: format!("{name:?} is also on line {first}"),
                });
            }
            let longest = lex.starts.entry(key[0].clone()).or_insert(0);
            *longest = (*longest).max(key.len());
            lex.names.insert(key, tok.clone());
        }
    }
    if errors.is_empty() {
        Ok(lex)
    } else {
        Err(errors)
    }
}

impl Lexicon {
    /// A line read all the way: folded, cut, numbers read, words spelt one
    /// way, fillers dropped, the longest known name at each place put in
    /// (a deck's own `synonyms` before the built-in ones), dates joined.
    pub fn tokens(&self, s: &str, synonyms: &[Vec<String>]) -> Vec<Tok> {
        let plain = plain_tokens(s, &self.fillers);
        let own: Vec<(Vec<Tok>, Tok)> = synonyms
            .iter()
            .enumerate()
            .flat_map(|(g, names)| {
                names.iter().map(move |n| {
                    (
                        plain_tokens(n, &self.fillers),
                        Tok::Same(u16::MAX - g as u16),
                    )
                })
            })
            .filter(|(k, _)| !k.is_empty())
            .collect();
        let mut out = Vec::with_capacity(plain.len());
        let mut i = 0;
        'place: while i < plain.len() {
            if let Some((k, t)) = own
                .iter()
                .filter(|(k, _)| plain[i..].starts_with(k))
                .max_by_key(|(k, _)| k.len())
            {
                out.push(t.clone());
                i += k.len();
                continue;
            }
            let longest = self.starts.get(&plain[i]).copied().unwrap_or(0);
            for len in (1..=longest.min(plain.len() - i)).rev() {
                if let Some(t) = self.names.get(&plain[i..i + len]) {
                    out.push(t.clone());
                    i += len;
                    continue 'place;
                }
            }
            out.push(plain[i].clone());
            i += 1;
        }
        dates(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lexicon_parses_and_no_name_is_in_two_groups() {
        if let Err(errors) = parse(LEXICON) {
            let all: Vec<String> = errors
                .iter()
                .map(|e| format!("line {}: {}", e.line, e.message))
                .collect();
            panic!("lexicon.txt:\n{}", all.join("\n"));
        }
        assert!(builtin().names.len() > 100);
    }

    #[test]
    fn a_duplicate_is_reported_with_both_lines() {
        let errors = parse("[same]\nUS = USA\nUSA = America\n").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 3);
        assert!(errors[0].message.contains("line 2"), "{errors:?}");
    }

    #[test]
    fn names_for_one_thing_read_alike() {
        let lex = builtin();
        let t = |s: &str| lex.tokens(s, &[]);
        assert_eq!(t("United States of America"), t("the US"));
        assert_eq!(t("Group of Seven"), t("G-7"));
        assert_eq!(t("August 8th"), t("8 Aug."));
        assert_eq!(t("8th of August"), t("8 August"));
        assert_ne!(t("USSR"), t("USA"));
        let own = vec![vec!["timber".to_string(), "sawn logs".to_string()]];
        assert_eq!(lex.tokens("sawn logs", &own), lex.tokens("timber", &own));
    }
}
