//! The `cloze` and `cloze-only` filters: a field's deletions
//! (`{{c1::answer::hint}}`) read into a tree in one pass, then shown for
//! one card number: its deletions hidden on the question and revealed on
//! the answer, the others shown as they are.

use super::filters::{attribute, attribute_len};
use super::{Budget, TemplateError};

/// Deletions inside deletions deeper than this are refused: every level
/// of a hidden deletion repeats its inside, escaped, in an attribute.
pub const MAX_CLOZE_DEPTH: usize = 16;

enum Piece {
    Text(String),
    Cloze(Cloze),
}

struct Cloze {
    ordinal: u16,
    hint: Option<String>,
    inside: Vec<Piece>,
}

/// The deletions of one card, as the renderer reports them.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Found {
    /// Each deletion of the card's number, its inside as plain HTML (nested
    /// deletions as their text), in order.
    pub answers: Vec<String>,
    pub hints: Vec<Option<String>>,
}

/// Reads a field's deletions. An opening `{{cN::` never closed is dropped
/// with everything after it; a `}}` with nothing open is text.
fn read(text: &str) -> Result<Vec<Piece>, TemplateError> {
    let mut stack: Vec<Cloze> = Vec::new();
    let mut root: Vec<Piece> = Vec::new();
    let mut at = 0;
    let bytes = text.as_bytes();
    // The next opening and closing, found once and kept until passed.
    let (mut next, mut close) = (text.find("{{c"), text.find("}}"));
    while at < text.len() {
        if next.is_some_and(|o| o < at) {
            next = text[at..].find("{{c").map(|i| at + i);
        }
        if close.is_some_and(|c| c < at) {
            close = text[at..].find("}}").map(|i| at + i);
        }
        let (pos, opener) = match (next, close) {
            (Some(o), Some(c)) if o < c => (o, Some(o)),
            (Some(o), None) => (o, Some(o)),
            (_, Some(c)) => (c, None),
            (None, None) => (text.len(), None),
        };
        let pieces = stack.last_mut().map_or(&mut root, |c| &mut c.inside);
        push_text(pieces, &text[at..pos]);
        if pos == text.len() {
            break;
        }
        let Some(o) = opener else {
            match stack.pop() {
                Some(done) => {
                    let parent = stack.last_mut().map_or(&mut root, |c| &mut c.inside);
                    parent.push(Piece::Cloze(with_hint(done)));
                }
                None => push_text(&mut root, "}}"),
            }
            at = pos + 2;
            continue;
        };
        let digits = bytes[o + 3..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let number = text[o + 3..o + 3 + digits].parse::<u16>().ok();
        match number.filter(|_| text[o + 3 + digits..].starts_with("::")) {
            Some(ordinal) => {
                if stack.len() >= MAX_CLOZE_DEPTH {
                    return Err(TemplateError(format!(
                        "cloze deletions are nested more than {MAX_CLOZE_DEPTH} deep"
                    )));
                }
                stack.push(Cloze {
                    ordinal,
                    hint: None,
                    inside: Vec::new(),
                });
                at = o + 3 + digits + 2;
            }
            None => {
                let pieces = stack.last_mut().map_or(&mut root, |c| &mut c.inside);
                push_text(pieces, "{{c");
                at = o + 3;
            }
        }
    }
    Ok(root)
}

fn push_text(pieces: &mut Vec<Piece>, text: &str) {
    if text.is_empty() {
        return;
    }
    match pieces.last_mut() {
        Some(Piece::Text(last)) => last.push_str(text),
        _ => pieces.push(Piece::Text(text.to_string())),
    }
}

/// The hint is what follows the first `::` in the deletion's own text.
fn with_hint(mut cloze: Cloze) -> Cloze {
    for piece in &mut cloze.inside {
        if let Piece::Text(text) = piece {
            if let Some(at) = text.find("::") {
                cloze.hint = Some(text[at + 2..].to_string());
                text.truncate(at);
                break;
            }
        }
    }
    cloze
}

/// Whether a field holds a deletion numbered `ordinal`, nested or not.
pub fn holds(text: &str, ordinal: u16) -> Result<bool, TemplateError> {
    Ok(text.contains("{{c") && has(&read(text)?, ordinal))
}

fn has(pieces: &[Piece], ordinal: u16) -> bool {
    pieces.iter().any(|p| match p {
        Piece::Text(_) => false,
        Piece::Cloze(c) => c.ordinal == ordinal || has(&c.inside, ordinal),
    })
}

/// The `cloze` filter for card `ordinal`: "" when the field has no such
/// deletion. On the question, `found` gets the deletions.
pub fn cloze(
    text: &str,
    ordinal: u16,
    question: bool,
    found: &mut Found,
    budget: &mut Budget,
) -> Result<String, TemplateError> {
    let pieces = read(text)?;
    if !has(&pieces, ordinal) {
        return Ok(String::new());
    }
    if question {
        collect(&pieces, ordinal, found);
    }
    let mut out = String::new();
    show(&pieces, ordinal, question, &mut out, budget)?;
    Ok(out)
}

/// The `cloze-only` filter: the card's deletions alone, joined by
/// ", ": their hints (or `...`) on the question, their text on the answer.
pub fn cloze_only(text: &str, ordinal: u16, question: bool) -> Result<String, TemplateError> {
    let pieces = read(text)?;
    let mut found = Found::default();
    collect(&pieces, ordinal, &mut found);
    let parts: Vec<String> = if question {
        found
            .hints
            .into_iter()
            .map(|h| h.unwrap_or_else(|| "...".into()))
            .collect()
    } else {
        found.answers
    };
    Ok(parts.join(", "))
}

/// The answer a `{{type:cloze:F}}` box expects: the card's deletions
/// joined by ", ", a deletion the same as the one before it left out.
pub fn typed(text: &str, ordinal: u16) -> Result<String, TemplateError> {
    let mut found = Found::default();
    collect(&read(text)?, ordinal, &mut found);
    found.answers.dedup();
    Ok(found.answers.join(", "))
}

fn collect(pieces: &[Piece], ordinal: u16, found: &mut Found) {
    for piece in pieces {
        if let Piece::Cloze(c) = piece {
            if c.ordinal == ordinal {
                let mut plain = String::new();
                flatten(&c.inside, &mut plain);
                found.answers.push(plain);
                found.hints.push(c.hint.clone());
            }
            collect(&c.inside, ordinal, found);
        }
    }
}

fn flatten(pieces: &[Piece], out: &mut String) {
    for piece in pieces {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Cloze(c) => flatten(&c.inside, out),
        }
    }
}

fn show(
    pieces: &[Piece],
    ordinal: u16,
    question: bool,
    out: &mut String,
    budget: &mut Budget,
) -> Result<(), TemplateError> {
    for piece in pieces {
        let c = match piece {
            Piece::Text(t) => {
                budget.spend(t.len())?;
                out.push_str(t);
                continue;
            }
            Piece::Cloze(c) => c,
        };
        if c.ordinal != ordinal {
            out.push_str(&format!(
                "<span class=\"cloze-inactive\" data-ordinal=\"{}\">",
                c.ordinal
            ));
            show(&c.inside, ordinal, question, out, budget)?;
            out.push_str("</span>");
        } else if question {
            let mut inside = String::new();
            show(&c.inside, ordinal, question, &mut inside, budget)?;
            budget.spend(attribute_len(&inside))?;
            out.push_str("<span class=\"cloze\" data-cloze=\"");
            attribute(&inside, out);
            out.push_str(&format!("\" data-ordinal=\"{}\">[", c.ordinal));
            out.push_str(c.hint.as_deref().unwrap_or("..."));
            out.push_str("]</span>");
        } else {
            out.push_str(&format!(
                "<span class=\"cloze\" data-ordinal=\"{}\">",
                c.ordinal
            ));
            show(&c.inside, ordinal, question, out, budget)?;
            out.push_str("</span>");
        }
        budget.spend(48)?;
    }
    Ok(())
}
