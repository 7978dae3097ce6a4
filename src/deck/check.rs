//! `deck check` across files: the parser's own diagnostics for each file,
//! and what only a view of them all (and of the source texts) can find:
//! a deck id used twice, the same question in two places, a `section`
//! that is no heading of the sources, a `quote` that is not in them word
//! for word; and, deck by deck, the answers other cards' prompts give away
//! (the rule is `giveaway`'s). Pure: texts in, located problems out; it never reads a file.

use super::source::{SourceText, INTRODUCTION};
use super::{parse_deck, CardKind, Deck, Diagnostic, Severity};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// One problem, located in its file; `--json` gives it as it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Found {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub severity: &'static str,
    pub message: String,
    pub hint: Option<String>,
}

impl Found {
    fn new(file: &str, d: &Diagnostic) -> Found {
        Found {
            file: file.to_string(),
            line: d.line,
            column: d.column,
            severity: match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
            message: d.message.clone(),
            hint: d.hint.clone(),
        }
    }

    fn at(file: &str, line: usize, severity: Severity, message: String, hint: &str) -> Found {
        let d = Diagnostic {
            severity,
            line,
            column: 1,
            message,
            hint: Some(hint.to_string()),
        };
        Found::new(file, &d)
    }

    pub fn is_error(&self) -> bool {
        self.severity == "error"
    }
}

/// Every problem in `files` (each its origin and its text), checked against
/// the source texts `sources` when there are any; sorted by file and place.
pub fn check(files: &[(String, String)], sources: &[String]) -> Vec<Found> {
    let sources = Sources::read(sources);
    let mut found = Vec::new();
    let mut deck_ids: HashMap<String, String> = HashMap::new();
    let mut questions: HashMap<String, (String, usize)> = HashMap::new();
    for (origin, text) in files {
        let outcome = parse_deck(text);
        found.extend(outcome.diagnostics.iter().map(|d| Found::new(origin, d)));
        let Some(deck) = outcome.deck else { continue };
        if let Some(first) = deck_ids.get(&deck.id) {
            let line = text
                .lines()
                .position(|l| l.trim_start().starts_with("id"))
                .map_or(1, |i| i + 1);
            found.push(Found::at(
                origin,
                line,
                Severity::Error,
                format!("deck id `{}` is already used by {first}", deck.id),
                "give each deck its own id",
            ));
        } else {
            deck_ids.insert(deck.id.clone(), origin.clone());
        }
        same_questions(origin, &deck, &mut questions, &mut found);
        found.extend(
            super::giveaway::give_aways(text, &deck)
                .iter()
                .map(|d| Found::new(origin, d)),
        );
        if let Some(sources) = &sources {
            sources.cited(origin, &deck, &mut found);
        }
    }
    found.sort_by(|a, b| {
        a.file
            .cmp(&b.file)
            .then(a.line.cmp(&b.line))
            .then(a.column.cmp(&b.column))
    });
    found
}

/// A warning for each note that asks what a note seen before asked.
fn same_questions(
    origin: &str,
    deck: &Deck,
    seen: &mut HashMap<String, (String, usize)>,
    found: &mut Vec<Found>,
) {
    let mut notes = HashSet::new();
    for card in &deck.cards {
        if !notes.insert(card.note.as_str()) {
            continue; // a cloze's gaps share their text
        }
        let question = match &card.kind {
            CardKind::Order { items, .. } => format!("{} {}", card.kind.prompt(), items.join(" ")),
            CardKind::Cloze { text, .. } => text.clone(),
            kind => kind.prompt(),
        };
        let key = crate::fold::normalize(&question);
        match seen.get(&key) {
            Some((file, line)) => found.push(Found::at(
                origin,
                card.line,
                Severity::Warning,
                format!(
                    "card `{}` asks the same question as {file}:{line}",
                    card.note
                ),
                "reword one of them, or remove it",
            )),
            None => {
                seen.insert(key, (origin.to_string(), card.line));
            }
        }
    }
}

/// The source texts as `section` and `quote` are checked against them.
struct Sources {
    headings: HashSet<String>,
    /// Each text with its white space squashed, as written and as read
    /// with link captions cut: a quote may be either.
    bodies: Vec<String>,
}

impl Sources {
    fn read(texts: &[String]) -> Option<Sources> {
        if texts.is_empty() {
            return None;
        }
        let read: Vec<SourceText> = texts.iter().map(|t| SourceText::read(t)).collect();
        Some(Sources {
            headings: read
                .iter()
                .flat_map(|r| r.headings())
                .map(str::to_string)
                .collect(),
            bodies: texts
                .iter()
                .map(|t| squash(t))
                .chain(read.iter().map(|r| squash(&r.body())))
                .collect(),
        })
    }

    /// An error for each section that is no heading, and each quote that is
    /// not in the texts word for word.
    fn cited(&self, origin: &str, deck: &Deck, found: &mut Vec<Found>) {
        let mut notes = HashSet::new();
        for card in deck.cards.iter().filter(|c| notes.insert(c.note.as_str())) {
            if let Some(section) = &card.section {
                if section != INTRODUCTION && !self.headings.contains(section.trim()) {
                    found.push(Found::at(
                        origin,
                        card.line,
                        Severity::Error,
                        format!(
                            "card `{}` cites section `{section}`, which is not a heading of the source text",
                            card.note
                        ),
                        "copy the heading exactly as the text writes it",
                    ));
                }
            }
            if let Some(quote) = &card.quote {
                let q = squash(quote);
                if !self.bodies.iter().any(|b| b.contains(&q)) {
                    found.push(Found::at(
                        origin,
                        card.line,
                        Severity::Error,
                        format!(
                            "the quote of card `{}` is not in the source text word for word",
                            card.note
                        ),
                        "copy the sentence exactly, or remove `quote`",
                    ));
                }
            }
        }
    }
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deck(id: &str, cards: &str) -> String {
        format!("format = 1\n[deck]\nid = \"{id}\"\ntitle = \"T\"\n{cards}")
    }

    const CARD: &str = "[[cards]]\nid = \"c\"\ntype = \"typed\"\nq = \"Who sailed to Nemuro?\"\na = \"Laxman\"\nwhy = \"w\"\nsection = \"Early contacts\"\nquote = \"Laxman sailed to Nemuro in 1792.\"\n";

    #[test]
    fn a_deck_id_used_twice_and_a_question_asked_twice_are_found_across_files() {
        let files = vec![
            ("a.toml".to_string(), deck("same", CARD)),
            ("b.toml".to_string(), deck("same", CARD)),
        ];
        let found = check(&files, &[]);
        let messages: Vec<(&str, usize, &str)> = found
            .iter()
            .map(|f| (f.file.as_str(), f.line, f.message.as_str()))
            .collect();
        assert_eq!(
            messages,
            [
                ("b.toml", 3, "deck id `same` is already used by a.toml"),
                ("b.toml", 5, "card `c` asks the same question as a.toml:5"),
            ]
        );
        assert!(found[0].is_error() && !found[1].is_error());
    }

    #[test]
    fn sections_and_quotes_are_checked_against_the_sources_only_when_given() {
        let files = vec![("a.toml".to_string(), deck("a", CARD))];
        assert_eq!(check(&files, &[]), vec![]);
        let source = "Japan and Russia\nThe two countries met at sea long ago.\nEarly contacts\nLaxman sailed to Nemuro in 1792. He came back.\n".to_string();
        assert_eq!(check(&files, &[source]), vec![]);
        let other = "Other\n\nSomething else entirely happened here.\n".to_string();
        let found = check(&files, &[other]);
        let messages: Vec<&str> = found.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "card `c` cites section `Early contacts`, which is not a heading of the source text",
                "the quote of card `c` is not in the source text word for word",
            ]
        );
    }

    #[test]
    fn the_parsers_own_problems_are_reported_in_file_order() {
        let files = vec![(
            "a.toml".to_string(),
            deck(
                "a",
                "[[cards]]\nid = \"x\"\ntype = \"basic\"\nq = \"q\"\na = \"a\"\nanwser = 1\n",
            ),
        )];
        let found = check(&files, &[]);
        assert!(
            found
                .iter()
                .any(|f| f.is_error() && f.message == "unknown key `anwser` in card `x`"),
            "{found:?}"
        );
        assert!(found.windows(2).all(|w| w[0].line <= w[1].line));
    }
}
