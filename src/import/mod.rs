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
mod cards;
pub mod cloze;
pub mod history;
pub mod html;
pub mod render;
pub mod template;
pub mod text;

use crate::deck::fmt::slug;
use crate::deck::{is_valid_id, Deck, MAX_CARDS, MAX_DECK_BYTES};
use anyhow::{anyhow, bail, Result};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::io::Read as _;
use std::path::Path;

/// A text export larger than this is refused before it is read. A deck
/// file holds at most 16 MB; four times that leaves room for the HTML an
/// export carries, and anything larger could not fit in one deck anyway.
pub const MAX_TEXT: u64 = 64 << 20;

/// A field longer than this, once its HTML is taken out, is no flashcard.
pub(crate) const MAX_FIELD_TEXT: usize = 1 << 20;

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
    /// Its name (`{{Card}}`), "Card 1" in the note types Anki starts with.
    pub name: String,
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

/// One of Anki's cards: a note shown through one template (or, for a
/// cloze note, one cloze number), and where it stands in Anki's queues.
#[derive(Debug, Clone, PartialEq)]
pub struct AnkiCard {
    /// Anki's id of the card, which its reviews name.
    pub id: i64,
    /// Index into [`Imported::notes`].
    pub note: usize,
    /// The template's index, or the cloze number less one.
    pub ord: u16,
    /// Anki's id of the deck it belongs to (its own, when it is lent to a
    /// filtered deck).
    pub deck_id: i64,
    pub queue: Queue,
    /// Anki's interval in days (negative: seconds of a learning step).
    pub interval: i64,
    /// The learner's flag on it, 0 for none (`{{CardFlag}}`).
    pub flag: u8,
}

/// Where a card stands in Anki's queues.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Queue {
    pub due: Due,
    pub suspended: bool,
}

/// When Anki will show a card next.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Due {
    /// Never studied (or reset to new).
    New,
    /// A learning step: this moment, in seconds since 1970.
    Moment(i64),
    /// A review, or a learning step of a day or more: this day, counted
    /// from the collection's creation as Anki counts them.
    Day(i64),
}

impl Queue {
    /// A card row's `type`, `queue` and `due` (its own `odue` when it is in
    /// a filtered deck) as a place in the queues. Anki's card types are 0
    /// new, 1 learning, 2 review, 3 relearning; queue -1 is suspended, and a
    /// learning card's due is a day number or, when it is large enough to
    /// be one, a moment (Anki tells the two apart the same way).
    pub fn of(card_type: i64, queue: i64, due: i64) -> Queue {
        const FIRST_MOMENT: i64 = 1_000_000_000;
        let due = match card_type {
            1 | 3 if due >= FIRST_MOMENT => Due::Moment(due),
            1..=3 => Due::Day(due),
            _ => Due::New,
        };
        Queue {
            due,
            suspended: queue == -1,
        }
    }
}

/// One entry of Anki's review log.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AnkiReview {
    /// When it was answered, in milliseconds since 1970 (the entry's id).
    pub at_ms: i64,
    /// Anki's id of the card.
    pub card: i64,
    /// The button: 1 again … 4 easy; 0 for an entry that is no answer (a
    /// manual reschedule, a reset).
    pub ease: u8,
    /// 0 learning, 1 review, 2 relearning, 3 filtered (cram), 4 manual,
    /// 5 rescheduled.
    pub kind: u8,
    /// The interval Anki gave: days, or negative seconds.
    pub interval: i64,
    /// The ease factor; 0 on a filtered deck's entry that did not move the
    /// card's schedule.
    pub factor: i64,
    /// How long the answer took, in milliseconds.
    pub time_ms: i64,
}

/// How a collection counts its days.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timing {
    /// When the collection was made, in seconds since 1970.
    pub created_secs: i64,
    /// The UTC offset it was made in, in minutes west, when it says.
    pub creation_west_minutes: Option<i64>,
    pub rollover_hour: u32,
}

/// What a file held.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// What kind of file it was, for the report.
    pub format: &'static str,
    pub note_types: Vec<NoteType>,
    pub notes: Vec<Note>,
    /// The cards, when the file lists them (a package does; a text export
    /// lists only notes, whose cards are the ones Anki would make).
    pub cards: Vec<AnkiCard>,
    /// The deck names, by Anki's deck id.
    pub decks: HashMap<i64, String>,
    /// The review log, read when the history was asked for.
    pub revlog: Vec<AnkiReview>,
    /// Review-log entries left out because they were malformed.
    pub malformed_reviews: usize,
    /// How the collection counts days, when the history was read.
    pub timing: Option<Timing>,
    /// The FSRS-6 parameters its presets hold, each set once, when the
    /// history was read.
    pub fsrs_parameters: Vec<Vec<f32>>,
    /// Notes the reader already had to leave out.
    pub skips: Skips,
    /// Notes read with a repair, each named, for the report.
    pub notices: Vec<String>,
}

impl Imported {
    /// What a reader starts from: its format and note types, no notes yet,
    /// and nothing of the study read.
    pub fn new(format: &'static str, note_types: Vec<NoteType>) -> Imported {
        Imported {
            format,
            note_types,
            notes: Vec::new(),
            cards: Vec::new(),
            decks: HashMap::new(),
            revlog: Vec::new(),
            malformed_reviews: 0,
            timing: None,
            fsrs_parameters: Vec::new(),
            skips: Skips::default(),
            notices: Vec::new(),
        }
    }
}

/// Reads an Anki package or text export, by its content. Only regular
/// files are read: a package of at most [`apkg::MAX_PACKAGE`], a text
/// export of at most [`MAX_TEXT`].
pub fn read(path: &Path) -> Result<Imported> {
    read_with(path, false)
}

/// Reads an Anki package or text export as [`read`] does, and with
/// `history` also the package's review log and how it counts days.
pub fn read_with(path: &Path, history: bool) -> Result<Imported> {
    let shown = crate::text::path(path);
    let (file, size) = crate::files::open_input(path, apkg::MAX_PACKAGE)
        .map_err(|e| anyhow!("cannot read {shown}: {e}"))?;
    let mut head = Vec::with_capacity(16);
    file.take(16)
        .read_to_end(&mut head)
        .map_err(|e| anyhow!("cannot read {shown}: {e}"))?;
    if head.starts_with(b"PK\x03\x04") {
        return apkg::read(path, history);
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

/// A deck made from an import, and which of Anki's cards became which of
/// its cards.
#[derive(Debug, Clone, PartialEq)]
pub struct Built {
    pub deck: Deck,
    /// Notes and cards left out, by reason.
    pub skips: Skips,
    /// Anki's card id → the id of the kioku card made from it.
    pub cards: HashMap<i64, String>,
    /// What was changed to make the deck sound, each named, for the report.
    pub notices: Vec<String>,
}

/// Why notes were left out, and how many.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Skips(pub BTreeMap<Cow<'static, str>, usize>);

impl Skips {
    pub fn add(&mut self, why: impl Into<Cow<'static, str>>) {
        self.add_many(why, 1);
    }

    pub fn add_many(&mut self, why: impl Into<Cow<'static, str>>, n: usize) {
        *self.0.entry(why.into()).or_default() += n;
    }
}

impl Imported {
    /// What became of the notes, in a few lines.
    pub fn report(&self, built: &Built) -> String {
        let (deck, skips) = (&built.deck, &built.skips);
        let mut by_type: BTreeMap<&str, usize> = BTreeMap::new();
        for card in &deck.cards {
            *by_type.entry(card.kind.type_name()).or_default() += 1;
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
        // Each broken template has its own reason, in Anki's words: a
        // package of thousands of them says the commonest few.
        const REASONS: usize = 8;
        let mut reasons: Vec<(&Cow<str>, &usize)> = skips.0.iter().collect();
        reasons.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (why, n) in reasons.iter().take(REASONS) {
            out.push_str(&format!(
                "\nskipped {n} card{}: {why}",
                crate::human::plural(**n)
            ));
        }
        if reasons.len() > REASONS {
            let rest: usize = reasons[REASONS..].iter().map(|(_, n)| **n).sum();
            out.push_str(&format!(
                "\nskipped {rest} more card{} for {} other reasons",
                crate::human::plural(rest),
                reasons.len() - REASONS
            ));
        }
        const NAMED: usize = 5;
        let notices: Vec<&String> = self.notices.iter().chain(&built.notices).collect();
        for notice in notices.iter().take(NAMED) {
            out.push_str(&format!("\n{notice}"));
        }
        if notices.len() > NAMED {
            out.push_str(&format!(
                "\n… and {} more like these",
                notices.len() - NAMED
            ));
        }
        out
    }

    /// The deck's id, its title, and the Anki deck all the cards share.
    fn naming(
        &self,
        id: Option<&str>,
        cards: &[AnkiCard],
    ) -> Result<(String, String, Option<String>)> {
        let mut decks: Vec<&str> = cards
            .iter()
            .filter(|c| {
                let note_type = &self.note_types[self.notes[c.note].note_type];
                note_type.template_of(c) < note_type.templates.len()
            })
            .map(|c| self.deck_of(c))
            .filter(|d| !d.is_empty())
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

    /// Refuses, before going on, a deck that no longer fits in a deck file.
    fn check_size(&self, cards: usize, bytes: usize) -> Result<()> {
        let advice =
            "export the collection from Anki in parts (one deck at a time) and import each";
        if cards > MAX_CARDS {
            bail!(
                "the {} notes make more than {MAX_CARDS} cards, \
                 and a deck file holds at most {MAX_CARDS}; {advice}",
                self.notes.len()
            );
        }
        if bytes > MAX_DECK_BYTES as usize {
            bail!(
                "the {} notes make more than {} MB of text, \
                 and a deck file holds at most {} MB; {advice}",
                self.notes.len(),
                MAX_DECK_BYTES >> 20,
                MAX_DECK_BYTES >> 20
            );
        }
        Ok(())
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
