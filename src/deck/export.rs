//! A deck written out for other tools: CSV for Anki's text import, and a
//! Markdown study sheet. Pure: a deck in, text out.
//!
//! A deck may come from anyone, so what is written can do nothing but show
//! text: control characters are dropped, a CSV cell that a spreadsheet
//! would run as a formula is made plain text, and Markdown gets no raw HTML.

use super::{cloze_render, CardKind, Deck};
use crate::csvio;
use crate::text::clean;

/// Front, back and tags, with the header lines Anki's import reads.
pub fn csv(deck: &Deck) -> String {
    let mut out = String::from("#separator:Comma\n#html:false\n#columns:Front,Back,Tags\n");
    let mut rows = csvio::writer(Vec::new(), b',');
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
        // Writing to memory cannot fail.
        let _ = rows.write_record([
            field(&front(&card.kind)),
            field(&back),
            field(&tags.join(" ")),
        ]);
    }
    let rows = rows.into_inner().unwrap_or_default();
    out.push_str(&String::from_utf8_lossy(&rows));
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

/// A CSV cell: cleaned, and one that begins like a formula and is not a
/// plain number marked as text (the writer quotes it where needed).
fn field(s: &str) -> String {
    let s = clean(s).into_owned();
    if s.parse::<f64>().is_ok() {
        s
    } else {
        csvio::mark_formula(s)
    }
}

/// Text for Markdown: no control characters, and `<` and `&` written as
/// entities, so that no viewer renders a tag or a script from the deck.
fn md(s: &str) -> String {
    clean(s).replace('&', "&amp;").replace('<', "&lt;")
}

/// A printable sheet: the questions by section, each with its answer and why.
pub fn markdown(deck: &Deck) -> String {
    let mut out = format!("# {}\n\n", md(&deck.title));
    if let Some(d) = &deck.description {
        out.push_str(&format!("{}\n\n", md(d)));
    }
    let mut sections: Vec<&str> = Vec::new();
    for c in &deck.cards {
        let s = c.section.as_deref().unwrap_or("Other");
        if !sections.contains(&s) {
            sections.push(s);
        }
    }
    for section in sections {
        out.push_str(&format!("## {}\n\n", md(section)));
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
            out.push_str(&format!("- **{}**  \n  {}", md(&q), md(&a)));
            if let Some(why) = &c.why {
                out.push_str(&format!(" — {}", md(why)));
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
    fn i4_exports_carry_no_formulas_controls_or_html() {
        let hostile = r#"format = 1
[deck]
id = "d"
title = "Title <script>alert(1)</script> & co"
[[cards]]
id = "f"
type = "basic"
q = "=cmd|' /C calc'!A0"
a = "-1+1\u001b[2J"
tags = ["@x"]
[[cards]]
id = "n"
type = "basic"
q = "+SUM(1,2)"
a = "-5"
"#;
        let deck = parse_deck(hostile).deck.unwrap();
        let csv = csv(&deck);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[3], "'=cmd|' /C calc'!A0,'-1+1[2J,d @x");
        // A plain number stays a number; a quoted formula is still neutralised.
        assert_eq!(lines[4], "\"'+SUM(1,2)\",-5,d");
        assert!(!csv.contains('\u{1b}'));
        let md = markdown(&deck);
        assert!(
            md.starts_with("# Title &lt;script>alert(1)&lt;/script> &amp; co\n"),
            "{md}"
        );
        assert!(!md.contains('\u{1b}') && !md.contains("<script"), "{md}");
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
