//! A [`Deck`] written back as a deck file, for the commands that make decks
//! (`deck generate`, `deck import`). Keys come in the order `deck fmt` uses,
//! so a written deck is already formatted. Pure: a deck in, text out.

use super::{CardKind, Deck};
use std::fmt::Write as _;

/// The deck as TOML, after `comment` (each line written as a `#` comment).
/// Cloze siblings (cards sharing a `note`) are written once.
pub fn to_toml(deck: &Deck, comment: &str) -> String {
    let mut out = String::new();
    for line in comment.lines() {
        out.push_str(if line.is_empty() { "#" } else { "# " });
        out.push_str(line);
        out.push('\n');
    }
    deck_table(&mut out, deck);

    let mut last_note: Option<&str> = None;
    for card in &deck.cards {
        if last_note == Some(card.note.as_str()) {
            continue;
        }
        last_note = Some(&card.note);
        out.push_str("\n[[cards]]\n");
        key(&mut out, "id", &string(&card.note));
        key(&mut out, "type", &string(card.kind.type_name()));
        match &card.kind {
            CardKind::Basic { q, a } => {
                key(&mut out, "q", &string(q));
                key(&mut out, "a", &string(a));
            }
            CardKind::Typed { q, a, accept } => {
                key(&mut out, "q", &string(q));
                key(&mut out, "a", &string(a));
                if !accept.is_empty() {
                    key(&mut out, "accept", &strings(accept));
                }
            }
            CardKind::Choice { q, a, wrong } => {
                key(&mut out, "q", &string(q));
                key(&mut out, "a", &string(a));
                key(&mut out, "wrong", &strings(wrong));
            }
            CardKind::TrueFalse { q, a } => {
                key(&mut out, "q", &string(q));
                key(&mut out, "a", &a.to_string());
            }
            CardKind::Year { q, a, tolerance } => {
                key(&mut out, "q", &string(q));
                key(&mut out, "a", &a.to_string());
                key(&mut out, "tolerance", &tolerance.to_string());
            }
            CardKind::Cloze { text, .. } => key(&mut out, "text", &string(text)),
            CardKind::Order { q, items, dates } => {
                key(&mut out, "q", &string(q));
                key(&mut out, "items", &strings(items));
                if !dates.is_empty() {
                    key(&mut out, "dates", &strings(dates));
                }
            }
        }
        let optional = [
            ("hint", &card.hint),
            ("why", &card.why),
            ("section", &card.section),
            ("source", &card.source),
            ("quote", &card.quote),
        ];
        for (name, value) in optional {
            if let Some(v) = value {
                key(&mut out, name, &string(v));
            }
        }
        if !card.tags.is_empty() {
            key(&mut out, "tags", &strings(&card.tags));
        }
    }
    out
}

/// The `[deck]` table, after the format line.
fn deck_table(out: &mut String, deck: &Deck) {
    out.push_str("format = 1\n\n[deck]\n");
    key(out, "id", &string(&deck.id));
    key(out, "title", &string(&deck.title));
    if let Some(d) = &deck.description {
        key(out, "description", &string(d));
    }
    if let Some(s) = &deck.source {
        key(out, "source", &string(s));
    }
    key(out, "tags", &strings(&deck.tags));
    if !deck.synonyms.is_empty() {
        let groups: Vec<String> = deck.synonyms.iter().map(|g| strings(g)).collect();
        key(out, "synonyms", &format!("[{}]", groups.join(", ")));
    }
}

fn key(out: &mut String, name: &str, value: &str) {
    let _ = writeln!(out, "{name} = {value}");
}

/// A TOML basic string, with what TOML requires escaped.
fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn strings(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|s| string(s)).collect();
    format!("[{}]", inner.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::parse_deck;

    #[test]
    fn a_written_deck_reads_back_the_same() {
        let text = include_str!("template.toml")
            .replace("{ID}", "round-trip")
            .replace("{TITLE}", "Round \\\"trip\\\" \\\\ \\t");
        let deck = parse_deck(&text).deck.expect("the template parses");
        assert!(!deck.synonyms.is_empty(), "the template shows `synonyms`");
        let written = to_toml(&deck, "made by a test\n\nsecond paragraph");
        assert!(written.starts_with("# made by a test\n#\n# second paragraph\nformat = 1\n"));
        let outcome = parse_deck(&written);
        assert_eq!(outcome.diagnostics, vec![], "{written}");
        let again = outcome.deck.unwrap();
        // Line numbers differ; everything else is the same.
        let strip = |d: &Deck| {
            let mut d = d.clone();
            d.cards.iter_mut().for_each(|c| c.line = 0);
            d
        };
        assert_eq!(strip(&again), strip(&deck));
        assert_eq!(super::super::fmt::format(&written).unwrap(), written);
    }
}
