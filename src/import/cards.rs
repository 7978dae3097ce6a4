//! Anki's cards as kioku cards. Each card is rendered with its note type's
//! template as Anki renders it ([`super::render`]): the front is the
//! question, what the back adds is the answer (for a type-in card, the
//! field it is checked against), the `{{hint:…}}` the hint, and the note's
//! fields that neither side shows the explanation. A cloze note whose
//! front is its cloze text alone becomes one kioku cloze, each deletion a
//! gap to type, once kioku's own rendering of every gap is seen to ask
//! what Anki's card asks; any other cloze card is a card of its own.
//!
//! What cannot come over is counted by reason, never guessed at: a broken
//! template, a front that is empty or only a picture or a sound.

use super::html;
use super::render::{render, CardTemplate, NoteView, RenderedCard, TemplateError};
use super::{AnkiCard, Built, Due, Imported, NoteType, Queue, Skips, MAX_FIELD_TEXT};
use crate::deck::fmt::{slug, Ids};
use crate::deck::{Card, CardKind, Deck};
use anyhow::{bail, Result};

mod made;
use std::borrow::Cow;
use std::collections::HashMap;

/// What a card's `why` says when Anki showed a picture or a sound with it.
const HAD_MEDIA: &str = "(In Anki this card also shows a picture or plays a sound.)";

/// One card of a note, rendered, with what making it needs.
struct Shown<'a> {
    card: &'a AnkiCard,
    rendered: RenderedCard,
    template: &'a str,
}

/// The cards made so far.
struct Made {
    cards: Vec<Card>,
    ids: Ids,
    skips: Skips,
    /// About how much text the deck file will hold.
    bytes: usize,
    /// The Anki card and template each card was made from, in step with
    /// `cards`: [`Built::cards`] is read off it once the deck is done.
    origins: Vec<(i64, String)>,
    /// What [`Made::distinguish`] did, for the report.
    notices: Vec<String>,
}

impl Imported {
    /// The notes as one kioku deck, the cards left out, and which of Anki's
    /// cards each kioku card is. `id` overrides the id taken from the Anki
    /// deck's name. Stops as soon as the deck would hold more cards, or more
    /// text, than a deck file may.
    pub fn to_deck(&self, id: Option<&str>) -> Result<Built> {
        let cards = self.listed_cards();
        let (deck_id, title, common) = self.naming(id, &cards)?;
        let parsed: Vec<Vec<Result<CardTemplate, TemplateError>>> = self
            .note_types
            .iter()
            .map(|t| {
                t.templates
                    .iter()
                    .map(|x| CardTemplate::parse(&x.front, &x.back))
                    .collect()
            })
            .collect();
        let mut made = Made {
            cards: Vec::new(),
            ids: Ids::default(),
            skips: self.skips.clone(),
            bytes: 0,
            origins: Vec::new(),
            notices: Vec::new(),
        };
        let generated = self.cards.is_empty();
        for group in cards.chunk_by(|a, b| a.note == b.note) {
            self.add_note(group, &parsed, generated, common.as_deref(), &mut made)?;
        }
        made.distinguish();
        if made.cards.is_empty() {
            bail!(
                "no notes kioku can study: {} notes read, none with both a question and an answer",
                self.notes.len()
            );
        }
        let from = made
            .origins
            .iter()
            .zip(&made.cards)
            .map(|((anki, _), card)| (*anki, card.id.clone()))
            .collect();
        Ok(Built {
            deck: Deck {
                id: deck_id,
                title,
                description: Some(format!("Imported from {}.", self.format)),
                source: None,
                tags: vec!["anki".to_string()],
                synonyms: Vec::new(),
                cards: made.cards,
            },
            skips: made.skips,
            cards: from,
            notices: made.notices,
        })
    }

    /// The cards of one note, as kioku cards: one cloze for the whole note
    /// where that asks what Anki asks, else a card for each.
    fn add_note(
        &self,
        group: &[AnkiCard],
        parsed: &[Vec<Result<CardTemplate, TemplateError>>],
        generated: bool,
        common: Option<&str>,
        made: &mut Made,
    ) -> Result<()> {
        let note = &self.notes[group[0].note];
        let note_type = &self.note_types[note.note_type];
        if let Some(why) = note_type.unusable {
            made.skips.add_many(why, group.len());
            return Ok(());
        }
        let fields: Vec<(&str, &str)> = note_type
            .fields
            .iter()
            .enumerate()
            .map(|(i, name)| (name.as_str(), note.fields.get(i).map_or("", String::as_str)))
            .collect();
        let texts: Vec<String> = fields.iter().map(|(_, v)| html::to_text(v)).collect();
        if texts.iter().any(|t| t.len() > MAX_FIELD_TEXT) {
            made.skips.add_many(
                "a card of a note with a field of more than 1 MB of text",
                group.len(),
            );
            return Ok(());
        }
        let templates = &parsed[note.note_type];
        let shown = self.render_cards(group, templates, &fields, generated, made);
        let tags = subdeck_tags(
            &note.tags,
            shown.first().map(|s| self.deck_of(s.card)),
            common,
        );
        if !(note_type.cloze && made.one_cloze(&shown, note_type, &texts, &tags)) {
            for s in &shown {
                made.single(s, note_type, &texts, &tags);
            }
        }
        self.check_size(made.cards.len(), made.bytes)
    }

    /// Each card of one note rendered as Anki renders it; those that cannot
    /// be (a broken template, an empty front) are counted in `made`. A text
    /// export's cards are only those Anki would make, so an empty front
    /// there is no card at all.
    fn render_cards<'a>(
        &'a self,
        group: &'a [AnkiCard],
        templates: &[Result<CardTemplate, TemplateError>],
        fields: &[(&str, &str)],
        generated: bool,
        made: &mut Made,
    ) -> Vec<Shown<'a>> {
        let note = &self.notes[group[0].note];
        let note_type = &self.note_types[note.note_type];
        let tags = note.tags.join(" ");
        let mut shown = Vec::new();
        for card in group {
            let at = note_type.template_of(card);
            let (Some(template), Some(parsed)) = (note_type.templates.get(at), templates.get(at))
            else {
                made.skips.add("a card whose template its note type lacks");
                continue;
            };
            let view = NoteView {
                fields,
                tags: &tags,
                deck: self.deck_of(card),
                note_type: &note_type.name,
                card: &template.name,
                flag: card.flag,
                card_id: card.id,
                ord: card.ord,
            };
            let cloze = note_type.cloze.then_some(card.ord.saturating_add(1));
            let rendered = match parsed {
                Ok(t) => render(t, &view, cloze),
                Err(e) => Err(e.clone()),
            };
            match rendered {
                Ok(r) if !r.front_has_content => {
                    if !generated {
                        made.skips.add("a card whose front is empty");
                    }
                }
                Ok(rendered) => shown.push(Shown {
                    card,
                    rendered,
                    template: &template.name,
                }),
                Err(e) => made.skips.add(unrendered(&e)),
            }
        }
        shown
    }

    /// The cards: those the package lists, or for a text export, which
    /// lists only notes, every card Anki would make of them (a template
    /// whose front comes out empty makes none).
    fn listed_cards(&self) -> Cow<'_, [AnkiCard]> {
        if !self.cards.is_empty() {
            return Cow::Borrowed(&self.cards);
        }
        let mut out = Vec::new();
        for (i, note) in self.notes.iter().enumerate() {
            let note_type = &self.note_types[note.note_type];
            let ords: Vec<u16> = if note_type.cloze {
                super::cloze::numbers(&note.fields)
                    .into_iter()
                    .map(|n| n.saturating_sub(1))
                    .collect()
            } else {
                (0..note_type.templates.len().min(usize::from(u16::MAX)) as u16).collect()
            };
            for ord in ords {
                out.push(AnkiCard {
                    id: -(out.len() as i64) - 1,
                    note: i,
                    ord,
                    deck_id: 0,
                    queue: Queue {
                        due: Due::New,
                        suspended: false,
                    },
                    interval: 0,
                    flag: 0,
                });
            }
        }
        Cow::Owned(out)
    }

    /// The name of the deck a card is in.
    pub(super) fn deck_of(&self, card: &AnkiCard) -> &str {
        self.decks
            .get(&card.deck_id)
            .map(String::as_str)
            .or(self.notes[card.note].deck.as_deref())
            .unwrap_or("")
    }
}

impl NoteType {
    /// Which template shows `card`: its own for a normal note type, the one
    /// template of a cloze type for every cloze number.
    pub(super) fn template_of(&self, card: &AnkiCard) -> usize {
        if self.cloze {
            0
        } else {
            usize::from(card.ord)
        }
    }
}

/// Why a card could not be rendered, as the report says it: Anki's own
/// words for a broken template, or the bound a card went past.
fn unrendered(e: &TemplateError) -> String {
    let message = crate::text::quote_to(&e.0, 120);
    if e.0.contains("template has a problem") {
        format!("a card whose template Anki reports as broken ({message})")
    } else {
        format!("a card too large to show ({message})")
    }
}

/// A note's tags, and a tag for the subdeck below the common deck it is in.
fn subdeck_tags(tags: &[String], deck: Option<&str>, common: Option<&str>) -> Vec<String> {
    let mut out = tags.to_vec();
    if let (Some(d), Some(c)) = (deck, common) {
        if let Some(rest) = d.strip_prefix(c).and_then(|r| r.strip_prefix("::")) {
            let tag = slug(rest);
            if !out.contains(&tag) {
                out.push(tag);
            }
        }
    }
    out
}

/// Whether an HTML side shows a picture, a sound or a video.
fn has_media(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    ["<img", "[sound:", "<audio", "<video", "<object", "<embed"]
        .iter()
        .any(|m| lower.contains(m))
}

fn blank_card(tags: &[String]) -> Card {
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
        tags: tags.to_vec(),
    }
}

/// The non-empty texts joined by line breaks, or none.
fn joined<'a>(parts: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let parts: Vec<&str> = parts.into_iter().filter(|p| !p.trim().is_empty()).collect();
    (!parts.is_empty()).then(|| parts.join("\n"))
}

/// What `deck check` compares to find two cards asking the same.
fn question(kind: &CardKind) -> String {
    match kind {
        CardKind::Cloze { text, .. } => text.clone(),
        kind => kind.prompt(),
    }
}

/// The fields `which` of a note as a card's explanation: the one field's
/// text alone, or each non-empty field on a line of its own after its name.
fn explained(note_type: &NoteType, texts: &[String], which: &[usize]) -> Option<String> {
    let filled: Vec<usize> = which
        .iter()
        .copied()
        .filter(|&i| !texts[i].trim().is_empty())
        .collect();
    match filled.as_slice() {
        [] => None,
        [one] => Some(texts[*one].clone()),
        many => Some(
            many.iter()
                .map(|&i| {
                    let name = note_type.fields.get(i).map_or("", String::as_str);
                    format!("{name}: {}", texts[i])
                })
                .collect::<Vec<_>>()
                .join("\n"),
        ),
    }
}

/// Anki's question for a cloze card with its hidden deletions written as
/// kioku writes a gap (`[...]`): Anki shows a deletion's hint in their
/// place, which kioku shows apart.
fn anki_gaps_as_ours(question: &str, r: &RenderedCard) -> String {
    let mut out = question.to_string();
    for hint in r.cloze_hints.iter().flatten() {
        out = out.replace(&format!("[{}]", html::to_text(hint)), "[...]");
    }
    out
}

impl Built {
    /// Gives each card the id its Anki card already has in kioku (`old`:
    /// Anki's card id → the kioku id that holds its reviews), so that a
    /// note edited in Anki keeps its kioku history when imported again.
    /// A cloze is renamed as a whole; an old id another card now uses is
    /// left alone. Returns how many cards were renamed.
    pub fn keep_ids(&mut self, old: &HashMap<i64, String>) -> usize {
        let anki_of: HashMap<String, i64> =
            self.cards.iter().map(|(a, id)| (id.clone(), *a)).collect();
        let order: Vec<i64> = self
            .deck
            .cards
            .iter()
            .filter_map(|c| anki_of.get(&c.id).copied())
            .collect();
        let mut by_note: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, card) in self.deck.cards.iter().enumerate() {
            by_note.entry(card.note.clone()).or_default().push(i);
        }
        let mut renamed = 0;
        for anki in order {
            let (Some(was), Some(now)) = (old.get(&anki), self.cards.get(&anki).cloned()) else {
                continue;
            };
            let (was_note, was_gap) = split_key(was);
            let (now_note, now_gap) = split_key(&now);
            if was == &now || was_gap != now_gap || by_note.contains_key(was_note) {
                continue;
            }
            let members = by_note.remove(now_note).unwrap_or_default();
            for &i in &members {
                let card = &mut self.deck.cards[i];
                let id = match split_key(&card.id).1 {
                    Some(gap) => format!("{was_note}.{gap}"),
                    None => was_note.to_string(),
                };
                if let Some(a) = anki_of.get(&card.id) {
                    self.cards.insert(*a, id.clone());
                }
                card.id = id;
                card.note = was_note.to_string();
                renamed += 1;
            }
            by_note.insert(was_note.to_string(), members);
        }
        renamed
    }
}

/// A card id split into its note's id and its gap's number, if a gap.
fn split_key(key: &str) -> (&str, Option<&str>) {
    match key.split_once('.') {
        Some((note, gap)) => (note, Some(gap)),
        None => (key, None),
    }
}
