//! `kioku deck import`: decks from Anki, the tool most learners come from.
//!
//! Two readers fill one model: [`text`] reads Anki's "Notes in Plain Text"
//! export, [`apkg`] reads Anki packages (the legacy `collection.anki2` and
//! `collection.anki21`, and the zstd-compressed `collection.anki21b`).
//! [`Imported::to_deck`] then turns notes into cards: basic notes into
//! `basic` cards (one per card template, so a reversed note gives two),
//! "type in the answer" notes into `typed` cards, cloze notes into `cloze`
//! cards, with the HTML taken out.

pub mod apkg;
pub mod html;
pub mod text;

use crate::deck::fmt::{slug, Ids};
use crate::deck::{is_valid_id, parse_gaps, Card, CardKind, Deck};
use anyhow::{bail, Result};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// A note type, as far as importing needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct NoteType {
    pub name: String,
    pub cloze: bool,
    pub fields: Vec<String>,
    pub templates: Vec<Template>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    pub front: String,
    pub back: String,
}

/// One Anki note.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    /// Index into [`Imported::note_types`].
    pub note_type: usize,
    /// The fields, as HTML.
    pub fields: Vec<String>,
    pub tags: Vec<String>,
    /// The Anki deck it is in (`Parent::Child`), if known.
    pub deck: Option<String>,
}

/// What a file held.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// What kind of file it was, for the report.
    pub format: &'static str,
    pub note_types: Vec<NoteType>,
    pub notes: Vec<Note>,
}

/// Reads an Anki package or text export, by its content.
pub fn read(path: &Path) -> Result<Imported> {
    let bytes =
        std::fs::read(path).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    if bytes.starts_with(b"PK\x03\x04") {
        apkg::read(path, &bytes)
    } else if bytes.starts_with(b"SQLite format 3\0") {
        bail!(
            "{} is an Anki collection file; import the .apkg that Anki's File → Export writes",
            path.display()
        )
    } else {
        let text = String::from_utf8(bytes).map_err(|e| {
            anyhow::anyhow!(
                "{}: neither an Anki package nor UTF-8 text (invalid byte at offset {})",
                path.display(),
                e.utf8_error().valid_up_to()
            )
        })?;
        text::read(&text).map_err(|e| anyhow::anyhow!("{}:{e}", path.display()))
    }
}

/// One card to make from a note: which field asks, which answers.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Side {
    question: usize,
    answer: usize,
    typed: bool,
}

impl NoteType {
    /// The basic note types Anki starts with, for text exports that only
    /// name their note type.
    pub fn standard(name: &str, fields: usize) -> NoteType {
        let lower = name.to_lowercase();
        let mut field_names: Vec<String> = (0..fields.max(2))
            .map(|i| match i {
                0 => "Front".to_string(),
                1 => "Back".to_string(),
                i => format!("Field {}", i + 1),
            })
            .collect();
        let cloze = lower.contains("cloze");
        if cloze {
            field_names[0] = "Text".into();
            field_names[1] = "Back Extra".into();
        }
        let mut templates = vec![Template {
            front: if lower.contains("type in") {
                "{{Front}}\n{{type:Back}}".into()
            } else if cloze {
                "{{cloze:Text}}".into()
            } else {
                "{{Front}}".into()
            },
            back: "{{FrontSide}}<hr id=answer>{{Back}}".into(),
        }];
        if lower.contains("reverse") {
            templates.push(Template {
                front: "{{Back}}".into(),
                back: "{{FrontSide}}<hr id=answer>{{Front}}".into(),
            });
        }
        NoteType {
            name: name.to_string(),
            cloze,
            fields: field_names,
            templates,
        }
    }

    /// The cards a note of this type makes: for each template, the field
    /// its front shows and the field its back adds (or the one it asks to
    /// type), if the template's conditions hold for the note.
    fn sides(&self, fields: &[String]) -> Vec<Side> {
        let index = |name: &str| self.fields.iter().position(|f| f == name);
        let filled = |name: &str| {
            index(name).is_some_and(|i| fields.get(i).is_some_and(|v| !html::to_text(v).is_empty()))
        };
        let mut out = Vec::new();
        for template in &self.templates {
            let front = references(&template.front);
            let conditions_hold = front.iter().all(|r| match r {
                Ref::If(f) => filled(f),
                Ref::Unless(f) => !filled(f),
                _ => true,
            });
            if !conditions_hold {
                continue;
            }
            let typed = front.iter().find_map(|r| match r {
                Ref::Type(f) => index(f),
                _ => None,
            });
            let Some(question) = front.iter().find_map(|r| match r {
                Ref::Field(f) => index(f),
                _ => None,
            }) else {
                continue;
            };
            let answer = typed.or_else(|| {
                references(&template.back).iter().find_map(|r| match r {
                    Ref::Field(f) => index(f).filter(|&i| i != question),
                    _ => None,
                })
            });
            if let Some(answer) = answer {
                out.push(Side {
                    question,
                    answer,
                    typed: typed.is_some(),
                });
            }
        }
        out
    }
}

/// A `{{...}}` reference in a card template.
#[derive(Debug, PartialEq)]
enum Ref<'a> {
    Field(&'a str),
    Type(&'a str),
    If(&'a str),
    Unless(&'a str),
}

fn references(template: &str) -> Vec<Ref<'_>> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start + 2..].find("}}") else {
            break;
        };
        let inner = rest[start + 2..start + 2 + len].trim();
        rest = &rest[start + 2 + len + 2..];
        if let Some(f) = inner.strip_prefix('#') {
            out.push(Ref::If(f.trim()));
        } else if let Some(f) = inner.strip_prefix('^') {
            out.push(Ref::Unless(f.trim()));
        } else if inner.starts_with('/') || inner == "FrontSide" {
            continue;
        } else if let Some(f) = inner.strip_prefix("type:") {
            let f = f.rsplit(':').next().unwrap_or(f);
            out.push(Ref::Type(f.trim()));
        } else {
            // `{{text:Field}}`, `{{hint:Field}}`: the field is the last part.
            let f = inner.rsplit(':').next().unwrap_or(inner).trim();
            if !matches!(
                f,
                "Tags" | "Deck" | "Subdeck" | "Card" | "CardFlag" | "Type"
            ) {
                out.push(Ref::Field(f));
            }
        }
    }
    out
}

/// Anki's `{{c1::answer::hint}}` as a kioku cloze text (`{{answer}}`), with
/// the hints; `None` when the text has no deletion.
fn cloze_text(text: &str) -> Option<(String, Vec<String>)> {
    let mut out = String::with_capacity(text.len());
    let mut hints = Vec::new();
    let mut rest = text;
    let mut found = false;
    while let Some(start) = rest.find("{{c") {
        let after = &rest[start + 3..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || !after[digits..].starts_with("::") {
            out.push_str(&rest[..start + 3]);
            rest = after;
            continue;
        }
        let body_start = start + 3 + digits + 2;
        // The deletion ends at the `}}` that balances it (deletions nest).
        let mut depth = 1;
        let mut i = body_start;
        let bytes = rest.as_bytes();
        while i + 1 < bytes.len() && depth > 0 {
            if bytes[i] == b'{' && bytes[i + 1] == b'{' {
                depth += 1;
                i += 2;
            } else if bytes[i] == b'}' && bytes[i + 1] == b'}' {
                depth -= 1;
                i += 2;
            } else {
                i += 1;
            }
        }
        if depth > 0 {
            break;
        }
        let body = &rest[body_start..i - 2];
        // Inner deletions are shown as their answers.
        let body = match cloze_text(body) {
            Some((inner, _)) => {
                crate::deck::cloze_render(&inner, &parse_gaps(&inner).unwrap_or_default(), None)
            }
            None => body.to_string(),
        };
        let (answer, hint) = match body.split_once("::") {
            Some((a, h)) => (a, Some(h)),
            None => (body.as_str(), None),
        };
        let answer = answer.replace('|', "/").replace(['{', '}'], "");
        let answer = answer.trim();
        if answer.is_empty() {
            out.push_str(&rest[..i]);
            rest = &rest[i..];
            continue;
        }
        out.push_str(&rest[..start]);
        out.push_str("{{");
        out.push_str(answer);
        out.push_str("}}");
        if let Some(h) = hint.map(str::trim).filter(|h| !h.is_empty()) {
            hints.push(h.to_string());
        }
        found = true;
        rest = &rest[i..];
    }
    out.push_str(rest);
    found.then_some((out, hints))
}

/// Why notes were left out, and how many.
#[derive(Debug, Default)]
pub struct Skips(pub BTreeMap<&'static str, usize>);

impl Skips {
    fn add(&mut self, why: &'static str) {
        *self.0.entry(why).or_default() += 1;
    }
}

impl Imported {
    /// What became of the notes, in a few lines.
    pub fn report(&self, deck: &Deck, skips: &Skips) -> String {
        let mut by_type: BTreeMap<&str, usize> = BTreeMap::new();
        let mut seen = HashSet::new();
        for card in &deck.cards {
            if seen.insert(&card.note) {
                *by_type.entry(card.kind.type_name()).or_default() += 1;
            }
        }
        let types = by_type
            .iter()
            .map(|(t, n)| format!("{n} {t}"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut out = format!(
            "read {}: {} notes → {} cards to study ({types})",
            self.format,
            self.notes.len(),
            deck.cards.len()
        );
        for (why, n) in &skips.0 {
            out.push_str(&format!(
                "\nskipped {n} note{}: {why}",
                if *n == 1 { "" } else { "s" }
            ));
        }
        out
    }

    /// The notes as one kioku deck, and the notes left out. `id` overrides
    /// the id taken from the Anki deck's name.
    pub fn to_deck(&self, id: Option<&str>) -> Result<(Deck, Skips)> {
        let decks: Vec<&str> = {
            let mut d: Vec<&str> = self
                .notes
                .iter()
                .filter_map(|n| n.deck.as_deref())
                .collect();
            d.sort_unstable();
            d.dedup();
            d
        };
        // The deck's name: the part all the notes' decks share.
        let common = common_deck(&decks);
        let title = common
            .clone()
            .map(|c| c.replace("::", " – "))
            .unwrap_or_else(|| "Imported from Anki".to_string());
        let deck_id = match id {
            Some(id) => id.to_string(),
            None => {
                let base = common
                    .as_deref()
                    .and_then(|c| c.rsplit("::").next())
                    .unwrap_or("anki");
                let s = slug(base);
                if s == "card" {
                    "anki".to_string()
                } else {
                    s
                }
            }
        };
        if !is_valid_id(&deck_id) {
            bail!("`{deck_id}` is not a valid deck id: use a-z, 0-9 and -");
        }

        let mut cards: Vec<Card> = Vec::new();
        let mut ids = Ids::default();
        let mut skips = Skips::default();
        for note in &self.notes {
            let note_type = &self.note_types[note.note_type];
            let field = |i: usize| {
                note.fields
                    .get(i)
                    .map_or(String::new(), |f| html::to_text(f))
            };
            let mut tags: Vec<String> = note.tags.clone();
            // Subdecks below the common deck become tags.
            if let (Some(d), Some(c)) = (&note.deck, &common) {
                if let Some(rest) = d
                    .strip_prefix(c.as_str())
                    .and_then(|r| r.strip_prefix("::"))
                {
                    tags.push(slug(rest));
                }
            }
            let base = Card {
                id: String::new(),
                line: 0,
                note: String::new(),
                kind: CardKind::Basic {
                    q: String::new(),
                    a: String::new(),
                },
                why: None,
                section: None,
                source: None,
                quote: None,
                hint: None,
                tags,
            };
            if note_type.cloze {
                let Some((text, hints)) = cloze_text(&field(0)) else {
                    skips.add("a cloze note without a deletion");
                    continue;
                };
                let gaps = match parse_gaps(&text) {
                    Ok(g) if !g.is_empty() => g,
                    _ => {
                        skips.add("a cloze note whose deletions kioku cannot read");
                        continue;
                    }
                };
                let note_id = ids.claim(&slug(&text));
                let extra: Vec<String> = (1..note.fields.len())
                    .map(field)
                    .filter(|f| !f.is_empty())
                    .collect();
                for gap in 0..gaps.len() {
                    cards.push(Card {
                        id: format!("{note_id}.{}", gap + 1),
                        note: note_id.clone(),
                        kind: CardKind::Cloze {
                            text: text.clone(),
                            gaps: gaps.clone(),
                            gap,
                        },
                        why: (!extra.is_empty()).then(|| extra.join("\n")),
                        hint: (!hints.is_empty()).then(|| hints.join("; ")),
                        ..base.clone()
                    });
                }
                continue;
            }
            let sides = note_type.sides(&note.fields);
            if sides.is_empty() {
                skips.add("a note type with no question and answer kioku can tell apart");
                continue;
            }
            let mut made = 0;
            for (n, side) in sides.iter().enumerate() {
                let (q, a) = (field(side.question), field(side.answer));
                if q.is_empty() || a.is_empty() {
                    continue;
                }
                let mut note_id = slug(&q);
                if n > 0 {
                    note_id.push_str("-reverse");
                }
                let note_id = ids.claim(&note_id);
                // Fields neither asked nor answered are context.
                let extra: Vec<String> = (0..note.fields.len())
                    .filter(|&i| i != side.question && i != side.answer)
                    .map(field)
                    .filter(|f| !f.is_empty())
                    .collect();
                let kind = if side.typed {
                    CardKind::Typed {
                        q,
                        a: a.replace('\n', " "),
                        accept: Vec::new(),
                    }
                } else {
                    CardKind::Basic { q, a }
                };
                cards.push(Card {
                    id: note_id.clone(),
                    note: note_id,
                    kind,
                    why: (!extra.is_empty()).then(|| extra.join("\n")),
                    ..base.clone()
                });
                made += 1;
            }
            if made == 0 {
                skips.add("an empty question or answer (media only?)");
            }
        }
        if cards.is_empty() {
            bail!(
                "no notes kioku can study: {} notes read, none with both a question and an answer",
                self.notes.len()
            );
        }
        Ok((
            Deck {
                id: deck_id,
                title,
                description: Some(format!("Imported from {}.", self.format)),
                source: None,
                tags: vec!["anki".to_string()],
                cards,
            },
            skips,
        ))
    }
}

/// The longest `A::B` prefix shared by every deck name.
fn common_deck(decks: &[&str]) -> Option<String> {
    let first: Vec<&str> = decks.first()?.split("::").collect();
    let mut shared = first.len();
    for d in &decks[1..] {
        let parts: Vec<&str> = d.split("::").collect();
        shared = shared.min(first.iter().zip(&parts).take_while(|(a, b)| a == b).count());
    }
    (shared > 0).then(|| first[..shared].join("::"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anki_clozes_become_kioku_gaps() {
        assert_eq!(
            cloze_text("The {{c1::Neutrality Pact}} was signed in {{c2::1941::a year}}."),
            Some((
                "The {{Neutrality Pact}} was signed in {{1941}}.".to_string(),
                vec!["a year".to_string()]
            ))
        );
        assert_eq!(
            cloze_text("{{c1::outer {{c2::inner}} part}} and {{c3::a|b}}"),
            Some(("{{outer inner part}} and {{a/b}}".to_string(), vec![]))
        );
        assert_eq!(cloze_text("no deletions {{c::x}} {{Field}}"), None);
        assert_eq!(cloze_text("{{c1::}} empty"), None);
        assert_eq!(cloze_text("{{c1::unclosed"), None);
    }

    #[test]
    fn templates_tell_question_from_answer() {
        let basic = NoteType::standard("Basic (and reversed card)", 2);
        let fields = vec!["Q".to_string(), "A".to_string()];
        assert_eq!(
            basic.sides(&fields),
            [
                Side {
                    question: 0,
                    answer: 1,
                    typed: false
                },
                Side {
                    question: 1,
                    answer: 0,
                    typed: false
                }
            ]
        );
        let typed = NoteType::standard("Basic (type in the answer)", 2);
        assert_eq!(
            typed.sides(&fields),
            [Side {
                question: 0,
                answer: 1,
                typed: true
            }]
        );
        let optional = NoteType {
            name: "Basic (optional reversed card)".into(),
            cloze: false,
            fields: vec!["Front".into(), "Back".into(), "Add Reverse".into()],
            templates: vec![
                Template {
                    front: "{{Front}}".into(),
                    back: "{{FrontSide}}<hr id=answer>{{Back}}".into(),
                },
                Template {
                    front: "{{#Add Reverse}}{{Back}}{{/Add Reverse}}".into(),
                    back: "{{FrontSide}}<hr id=answer>{{Front}}".into(),
                },
            ],
        };
        assert_eq!(optional.sides(&fields).len(), 1);
        let with_flag = vec!["Q".to_string(), "A".to_string(), "y".to_string()];
        assert_eq!(optional.sides(&with_flag).len(), 2);
    }

    #[test]
    fn subdecks_share_their_parent() {
        assert_eq!(
            common_deck(&["A::B::C", "A::B::D", "A::B"]),
            Some("A::B".to_string())
        );
        assert_eq!(common_deck(&["X", "Y"]), None);
        assert_eq!(common_deck(&[]), None);
    }
}
