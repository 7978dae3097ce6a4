//! `kioku deck import`: decks from Anki, the tool most learners come from.
//!
//! Two readers fill one model: [`text`] reads Anki's "Notes in Plain Text"
//! export, [`apkg`] reads Anki packages (the legacy `collection.anki2` and
//! `collection.anki21`, and the zstd-compressed `collection.anki21b`).
//! [`Imported::to_deck`] then turns notes into cards: basic notes into
//! `basic` cards (one per card template, so a reversed note gives two),
//! "type in the answer" notes into `typed` cards, cloze notes into `cloze`
//! cards, with the HTML taken out.
//!
//! Everything here reads a stranger's file: no size, count or nesting in it
//! is trusted, and no text from it reaches a message without going through
//! [`crate::text::quote`] or [`crate::text::path`].

pub mod apkg;
pub mod cloze;
pub mod html;
pub mod render;
pub mod template;
pub mod text;

use crate::deck::fmt::{slug, Ids};
use crate::deck::{is_valid_id, parse_gaps, Card, CardKind, Deck, MAX_CARDS, MAX_DECK_BYTES};
use anyhow::{anyhow, bail, Result};
use cloze::{cloze_text, Cloze, MAX_GAPS};
use std::collections::{BTreeMap, HashSet};
use std::io::Read as _;
use std::path::Path;

/// A text export larger than this is refused before it is read. A deck
/// file holds at most 16 MB; four times that leaves room for the HTML an
/// export carries, and anything larger could not fit in one deck anyway.
pub const MAX_TEXT: u64 = 64 << 20;

/// A field longer than this, once its HTML is taken out, is no flashcard.
const MAX_FIELD_TEXT: usize = 1 << 20;

/// A note type, as far as importing needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct NoteType {
    pub name: String,
    pub cloze: bool,
    pub fields: Vec<String>,
    pub templates: Vec<Template>,
    /// Why its notes cannot be imported, when they cannot (a note type
    /// with more templates, or larger ones, than kioku reads).
    pub unusable: Option<&'static str>,
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
    /// Notes the reader already had to leave out.
    pub skips: Skips,
    /// Notes read with a repair, each named, for the report.
    pub notices: Vec<String>,
}

/// Reads an Anki package or text export, by its content. Only regular
/// files are read: a package of at most [`apkg::MAX_PACKAGE`], a text
/// export of at most [`MAX_TEXT`].
pub fn read(path: &Path) -> Result<Imported> {
    let shown = crate::text::path(path);
    let (file, size) = crate::files::open_input(path, apkg::MAX_PACKAGE)
        .map_err(|e| anyhow!("cannot read {shown}: {e}"))?;
    let mut head = Vec::with_capacity(16);
    file.take(16)
        .read_to_end(&mut head)
        .map_err(|e| anyhow!("cannot read {shown}: {e}"))?;
    if head.starts_with(b"PK\x03\x04") {
        return apkg::read(path);
    }
    if head.starts_with(b"SQLite format 3\0") {
        bail!(
            "{shown} is an Anki collection file; import the .apkg that Anki's File → Export writes"
        );
    }
    if size > MAX_TEXT {
        bail!(
            "cannot read {shown}: it is {} MB, and a text export may be at most {} MB; \
             export the notes in parts",
            size >> 20,
            MAX_TEXT >> 20
        );
    }
    let bytes = crate::files::read_input(path, MAX_TEXT)
        .map_err(|e| anyhow!("cannot read {shown}: {e}"))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        anyhow!(
            "{shown}: neither an Anki package nor UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })?;
    text::read(&text).map_err(|e| anyhow!("{shown}:{e}"))
}

/// Why notes were left out, and how many.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Skips(pub BTreeMap<&'static str, usize>);

impl Skips {
    pub fn add(&mut self, why: &'static str) {
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
                crate::human::plural(*n)
            ));
        }
        const NAMED: usize = 5;
        for notice in self.notices.iter().take(NAMED) {
            out.push_str(&format!("\n{notice}"));
        }
        if self.notices.len() > NAMED {
            out.push_str(&format!(
                "\n… and {} more notes like these",
                self.notices.len() - NAMED
            ));
        }
        out
    }

    /// The deck's id, its title, and the Anki deck all the notes share.
    fn naming(&self, id: Option<&str>) -> Result<(String, String, Option<String>)> {
        let mut decks: Vec<&str> = self
            .notes
            .iter()
            .filter_map(|n| n.deck.as_deref())
            .collect();
        decks.sort_unstable();
        decks.dedup();
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
            bail!(
                "`{}` is not a valid deck id: use a-z, 0-9 and -",
                crate::text::quote(&deck_id)
            );
        }
        Ok((deck_id, title, common))
    }

    /// The notes as one kioku deck, and the notes left out. `id` overrides
    /// the id taken from the Anki deck's name. Stops as soon as the deck
    /// would hold more cards, or more text, than a deck file may.
    pub fn to_deck(&self, id: Option<&str>) -> Result<(Deck, Skips)> {
        let (deck_id, title, common) = self.naming(id)?;
        let plans: Vec<Vec<template::Plan>> = self.note_types.iter().map(NoteType::plan).collect();
        let mut made = Made {
            cards: Vec::new(),
            ids: Ids::default(),
            skips: self.skips.clone(),
            bytes: 0,
        };
        for (n, note) in self.notes.iter().enumerate() {
            let note_type = &self.note_types[note.note_type];
            if let Some(why) = note_type.unusable {
                made.skips.add(why);
                continue;
            }
            // Each field is turned into text once, however often the
            // templates name it.
            let texts: Vec<String> = note.fields.iter().map(|f| html::to_text(f)).collect();
            if texts.iter().any(|t| t.len() > MAX_FIELD_TEXT) {
                made.skips.add("a field of more than 1 MB of text");
                continue;
            }
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
            if note_type.cloze {
                made.cloze(&texts, tags);
            } else {
                made.basic(&plans[note.note_type], &texts, tags);
            }
            self.check_size(&made, n)?;
        }
        if made.cards.is_empty() {
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
                synonyms: Vec::new(),
                cards: made.cards,
            },
            made.skips,
        ))
    }

    /// Refuses, before going on, a deck that no longer fits in a deck file.
    fn check_size(&self, made: &Made, at: usize) -> Result<()> {
        let advice =
            "export the collection from Anki in parts (one deck at a time) and import each";
        if made.cards.len() > MAX_CARDS {
            bail!(
                "the notes make more than {MAX_CARDS} cards (reached at note {} of {}), \
                 and a deck file holds at most {MAX_CARDS}; {advice}",
                at + 1,
                self.notes.len()
            );
        }
        if made.bytes > MAX_DECK_BYTES as usize {
            bail!(
                "the notes make more than {} MB of text (reached at note {} of {}), \
                 and a deck file holds at most {} MB; {advice}",
                MAX_DECK_BYTES >> 20,
                at + 1,
                self.notes.len(),
                MAX_DECK_BYTES >> 20
            );
        }
        Ok(())
    }
}

/// The cards made so far.
struct Made {
    cards: Vec<Card>,
    ids: Ids,
    skips: Skips,
    /// About how much text the deck file will hold.
    bytes: usize,
}

fn blank_card(tags: Vec<String>) -> Card {
    Card {
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
    }
}

impl Made {
    /// One card for each gap of a cloze note; its other fields are context.
    fn cloze(&mut self, texts: &[String], tags: Vec<String>) {
        let first = texts.first().map_or("", String::as_str);
        let (text, hints) = match cloze_text(first) {
            Cloze::Found(text, hints) => (text, hints),
            Cloze::None => return self.skips.add("a cloze note without a deletion"),
            Cloze::TooDeep => {
                return self
                    .skips
                    .add("a cloze note with deletions nested more than 8 deep")
            }
        };
        let gaps = match parse_gaps(&text) {
            Ok(g) if g.len() > MAX_GAPS => {
                return self
                    .skips
                    .add("a cloze note with more than 100 deletions (split it into several notes)")
            }
            Ok(g) if !g.is_empty() => g,
            _ => {
                return self
                    .skips
                    .add("a cloze note whose deletions kioku cannot read")
            }
        };
        let note_id = self.ids.claim(&slug(&text));
        let extra: Vec<&str> = texts[1..]
            .iter()
            .map(String::as_str)
            .filter(|f| !f.is_empty())
            .collect();
        let why = (!extra.is_empty()).then(|| extra.join("\n"));
        let hint = (!hints.is_empty()).then(|| hints.join("; "));
        self.bytes += text.len() + why.as_ref().map_or(0, String::len);
        let base = blank_card(tags);
        for gap in 0..gaps.len() {
            self.cards.push(Card {
                id: format!("{note_id}.{}", gap + 1),
                note: note_id.clone(),
                kind: CardKind::Cloze {
                    text: text.clone(),
                    gaps: gaps.clone(),
                    gap,
                },
                why: why.clone(),
                hint: hint.clone(),
                ..base.clone()
            });
        }
    }

    /// One card for each template whose question and answer are filled.
    fn basic(&mut self, plan: &[template::Plan], texts: &[String], tags: Vec<String>) {
        let sides = NoteType::sides(plan, texts);
        if sides.is_empty() {
            return self
                .skips
                .add("a note type with no question and answer kioku can tell apart");
        }
        let base = blank_card(tags);
        let mut made = 0;
        for (n, side) in sides.iter().enumerate() {
            let field = |i: usize| texts.get(i).cloned().unwrap_or_default();
            let (q, a) = (field(side.question), field(side.answer));
            if q.is_empty() || a.is_empty() {
                continue;
            }
            let mut note_id = slug(&q);
            if n > 0 {
                note_id.push_str("-reverse");
            }
            let note_id = self.ids.claim(&note_id);
            // Fields neither asked nor answered are context.
            let extra: Vec<&str> = (0..texts.len())
                .filter(|&i| i != side.question && i != side.answer)
                .map(|i| texts[i].as_str())
                .filter(|f| !f.is_empty())
                .collect();
            let why = (!extra.is_empty()).then(|| extra.join("\n"));
            self.bytes += q.len() + a.len() + why.as_ref().map_or(0, String::len);
            let kind = if side.typed {
                CardKind::Typed {
                    q,
                    a: a.replace('\n', " "),
                    accept: Vec::new(),
                }
            } else {
                CardKind::Basic { q, a }
            };
            self.cards.push(Card {
                id: note_id.clone(),
                note: note_id,
                kind,
                why,
                ..base.clone()
            });
            made += 1;
        }
        if made == 0 {
            self.skips.add("an empty question or answer (media only?)");
        }
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
    fn subdecks_share_their_parent() {
        assert_eq!(
            common_deck(&["A::B::C", "A::B::D", "A::B"]),
            Some("A::B".to_string())
        );
        assert_eq!(common_deck(&["X", "Y"]), None);
        assert_eq!(common_deck(&[]), None);
    }
}
