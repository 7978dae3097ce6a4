//! A deck written out for other tools: CSV for Anki's text import, and a
//! Markdown study sheet. Pure: a deck in, text out.

use super::{cloze_render, CardKind, Deck};

/// Front, back and tags, with the header lines Anki's import reads.
pub fn csv(deck: &Deck) -> String {
    let mut out = String::from("#separator:Comma\n#html:false\n#columns:Front,Back,Tags\n");
    for card in &deck.cards {
        let back = match &card.kind {
            CardKind::Order { items, .. } => items.join(" → "),
            CardKind::Choice { a, .. } => a.clone(),
            kind => kind.answer_text(),
        };
        let back = match &card.why {
            Some(why) => format!("{back}\n\n{why}"),
            None => back,
        };
        let mut tags = vec![deck.id.clone()];
        tags.extend(card.tags.iter().cloned());
        out.push_str(&format!(
            "{},{},{}\n",
            field(&front(&card.kind)),
            field(&back),
            field(&tags.join(" "))
        ));
    }
    out
}

fn front(kind: &CardKind) -> String {
    match kind {
        CardKind::Choice { q, a, wrong } => {
            let mut options: Vec<&String> = std::iter::once(a).chain(wrong).collect();
            options.sort();
            format!(
                "{q} ({})",
                options
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(" / ")
            )
        }
        CardKind::TrueFalse { q, .. } => format!("True or false: {q}"),
        CardKind::Order { q, items, .. } => {
            let mut shown = items.clone();
            shown.sort();
            format!("{q} {}", shown.join(" / "))
        }
        kind => kind.prompt(),
    }
}

/// A CSV field, quoted when it holds a comma, a quote or a line break.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A printable sheet: the questions by section, each with its answer and why.
pub fn markdown(deck: &Deck) -> String {
    let mut out = format!("# {}\n\n", deck.title);
    if let Some(d) = &deck.description {
        out.push_str(&format!("{d}\n\n"));
    }
    let mut sections: Vec<&str> = Vec::new();
    for c in &deck.cards {
        let s = c.section.as_deref().unwrap_or("Other");
        if !sections.contains(&s) {
            sections.push(s);
        }
    }
    for section in sections {
        out.push_str(&format!("## {section}\n\n"));
        let mut notes = std::collections::HashSet::new();
        for c in deck
            .cards
            .iter()
            .filter(|c| c.section.as_deref().unwrap_or("Other") == section)
        {
            if !notes.insert(&c.note) {
                continue;
            }
            let (q, a) = match &c.kind {
                CardKind::Cloze { text, gaps, .. } => (
                    cloze_render(text, gaps, None),
                    gaps.iter()
                        .map(|g| g.answer.as_str())
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
                CardKind::Order { q, items, .. } => (q.clone(), items.join(" → ")),
                kind => (front(kind), kind.answer_text()),
            };
            out.push_str(&format!("- **{q}**  \n  {a}"));
            if let Some(why) = &c.why {
                out.push_str(&format!(" — {why}"));
            }
            out.push('\n');
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::parse_deck;

    const DECK: &str = r#"format = 1
[deck]
id = "d"
title = "A deck"
[[cards]]
id = "c"
type = "choice"
q = "Which treaty, 1905?"
a = "Portsmouth"
wrong = ["Shimonoseki", "Versailles"]
why = "It ended the war, "in" 1905."
section = "Wars"
[[cards]]
id = "z"
type = "cloze"
text = "Signed at {{Portsmouth}} in {{1905}}."
section = "Wars"
"#;

    #[test]
    fn csv_quotes_fields_and_has_anki_headers() {
        let deck = parse_deck(&DECK.replace("\"in\"", "\\\"in\\\""))
            .deck
            .unwrap();
        let csv = csv(&deck);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            &lines[..3],
            [
                "#separator:Comma",
                "#html:false",
                "#columns:Front,Back,Tags"
            ]
        );
        assert_eq!(
            lines[3],
            "\"Which treaty, 1905? (Portsmouth / Shimonoseki / Versailles)\",\"Portsmouth"
        );
        assert!(
            csv.contains("It ended the war, \"\"in\"\" 1905.\",d\n"),
            "{csv}"
        );
        assert!(
            csv.contains("Signed at [...] in 1905.,Portsmouth,d\n"),
            "{csv}"
        );
        assert!(
            csv.contains("Signed at Portsmouth in [...].,1905,d\n"),
            "{csv}"
        );
    }

    #[test]
    fn markdown_lists_each_note_once_by_section() {
        let deck = parse_deck(&DECK.replace("\"in\"", "in")).deck.unwrap();
        let md = markdown(&deck);
        assert!(md.starts_with("# A deck\n\n## Wars\n\n"), "{md}");
        assert!(
            md.contains("- **Signed at Portsmouth in 1905.**  \n  Portsmouth; 1905\n"),
            "{md}"
        );
        assert_eq!(md.matches("Signed at").count(), 1);
    }
}
