//! Anki's card templates rendered the way Anki renders them: fields,
//! sections, `{{FrontSide}}`, the special fields and the filters (`text`,
//! `hint`, `type`, `cloze`, `cloze-only`, `furigana`, `kana`, `kanji`,
//! `tts`), so an import sees each card as its learner saw it.
//!
//! Two things are left out of the HTML on purpose: the type-in box of
//! `{{type:F}}` and the click-to-show block of `{{hint:F}}`. They are
//! given apart instead ([`RenderedCard::type_answer`],
//! [`RenderedCard::hints`]), as a text card has no box to type in or link
//! to click. The renderer is pure and refuses what would cost too much:
//! sections nested more than [`MAX_SECTION_DEPTH`] deep, a side larger
//! than [`MAX_RENDERED`] bytes, more than [`MAX_WORK`] bytes of filtering.
//!
//! Where it does not do what Anki does:
//! - a filter after `hint` (`{{text:hint:F}}`) gets nothing, as the hint
//!   block it would change is left out;
//! - cloze deletions nested more than 16 deep are an error (Anki renders
//!   them, at a cost that grows with each level);
//! - a broken front is an error from [`CardTemplate::parse`] even for a
//!   cloze card whose number no field holds, which Anki calls blank;
//! - `{{tts ...:F}}` gives Anki's `[anki:tts ...]` markup, which Anki then
//!   turns into a play button; `[sound:...]` is left as written too.

mod cloze;
mod filters;
mod parse;
#[cfg(test)]
mod tests;

use std::borrow::Cow;

pub use cloze::MAX_CLOZE_DEPTH;
use filters::{field_is_empty, ruby, strip_html, Ruby};
pub use parse::MAX_SECTION_DEPTH;
use parse::{Node, Replacement};

/// The most bytes one rendered side (with its hints) may take.
pub const MAX_RENDERED: usize = 4 << 20;

/// The most bytes of field text the filters of one card may read.
pub const MAX_WORK: usize = 64 << 20;

/// What a template can show of one card of a note.
#[derive(Debug, Clone, Copy)]
pub struct NoteView<'a> {
    /// Field name and value (HTML as stored), in the note type's order.
    pub fields: &'a [(&'a str, &'a str)],
    /// As `{{Tags}}` shows them: the note's tags joined by spaces.
    pub tags: &'a str,
    /// The full deck name, parts joined by `::`.
    pub deck: &'a str,
    pub note_type: &'a str,
    /// The card template's name.
    pub card: &'a str,
    /// The card's flag, 0 for none.
    pub flag: u8,
    /// `{{CardID}}`.
    pub card_id: i64,
    /// The template's 0-based position: a `{{cloze:F}}` on a note type
    /// that is not a cloze type shows deletion `ord + 1`, as Anki does.
    pub ord: u16,
}

/// A broken template, or one too costly to render, with Anki's wording
/// where Anki has one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TemplateError(pub String);

/// Both sides of a card template, read once for a note type.
#[derive(Debug, Clone, PartialEq)]
pub struct CardTemplate {
    front: Vec<Node>,
    /// Kept broken: Anki says nothing of the back of a blank front.
    back: Result<Vec<Node>, TemplateError>,
}

impl CardTemplate {
    /// Reads both sides. A front that Anki would call broken is an error
    /// here; a broken back is one when a card is rendered, as Anki only
    /// reads the back of a card whose front is not blank.
    pub fn parse(front: &str, back: &str) -> Result<Self, TemplateError> {
        Ok(CardTemplate {
            front: parse::parse(front, "Front")?,
            back: parse::parse(back, "Back"),
        })
    }

    /// The first problem Anki would report with either side, if any.
    pub fn problem(&self) -> Option<&TemplateError> {
        self.back.as_ref().err()
    }
}

/// The `{{type:F}}` (or `{{type:cloze:F}}`) on a card's front.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeAnswer {
    pub field: String,
    pub cloze: bool,
    /// The HTML the answer is compared with: the field, or for a cloze
    /// the card's deletions joined by ", " (one repeated right after
    /// itself once).
    pub expected: String,
}

/// One card, rendered.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RenderedCard {
    /// The front as Anki shows it, without type box and hint blocks.
    pub question: String,
    /// The whole back as Anki shows it, `{{FrontSide}}` included, with
    /// the same omissions. A cloze's revealed deletions keep their
    /// `<span class="cloze">`.
    pub answer: String,
    /// The back with `{{FrontSide}}` as nothing: what the back adds.
    pub beyond_front: String,
    pub type_answer: Option<TypeAnswer>,
    /// Each `{{hint:F}}` on the front whose text is not blank.
    pub hints: Vec<String>,
    /// For a cloze: each deletion of the card's number on the front, its
    /// text (nested deletions as their text), in order.
    pub cloze_answers: Vec<String>,
    /// Their hints, one for each answer (`None` where it has none).
    pub cloze_hints: Vec<Option<String>>,
    /// Indexes of the fields put in non-empty on the front or the back.
    pub shown: Vec<usize>,
    /// False where Anki would say the front is blank: no non-empty field
    /// on it, or for a cloze, no deletion of the card's number in any
    /// field of the note (Anki makes no such card).
    pub front_has_content: bool,
}

/// Counts what a render builds, so no template makes it build too much.
pub(crate) struct Budget {
    output: usize,
    work: usize,
}

impl Budget {
    fn new(work: usize) -> Self {
        Budget { output: 0, work }
    }

    pub(crate) fn spend(&mut self, bytes: usize) -> Result<(), TemplateError> {
        self.output += bytes;
        if self.output > MAX_RENDERED {
            return Err(TemplateError(format!(
                "the card would be larger than {} MB",
                MAX_RENDERED >> 20
            )));
        }
        Ok(())
    }

    fn read(&mut self, bytes: usize) -> Result<(), TemplateError> {
        self.work = self.work.checked_sub(bytes).ok_or_else(|| {
            TemplateError(format!(
                "the card's filters would read more than {} MB",
                MAX_WORK >> 20
            ))
        })?;
        Ok(())
    }
}

/// The state of rendering one side.
struct Side<'n, 'a> {
    note: &'n NoteView<'a>,
    name: &'static str,
    question: bool,
    /// What `{{FrontSide}}` stands for.
    front_side: &'n str,
    ordinal: u16,
    budget: Budget,
    /// Whether each field is empty, worked out once.
    empty: Vec<Option<bool>>,
    shown: Vec<bool>,
    content: bool,
    hints: Vec<String>,
    found: cloze::Found,
    type_answer: Option<TypeAnswer>,
}

impl<'n, 'a> Side<'n, 'a> {
    fn new(note: &'n NoteView<'a>, question: bool, front_side: &'n str, ordinal: u16) -> Self {
        Side {
            note,
            name: if question { "Front" } else { "Back" },
            question,
            front_side,
            ordinal,
            budget: Budget::new(MAX_WORK),
            empty: vec![None; note.fields.len()],
            shown: vec![false; note.fields.len()],
            content: false,
            hints: Vec::new(),
            found: cloze::Found::default(),
            type_answer: None,
        }
    }

    /// A field's value and index, or a special field's value. A note's
    /// own field of the same name wins, as in Anki.
    fn value(&self, name: &str) -> Option<(Cow<'a, str>, Option<usize>)> {
        let note = self.note;
        if let Some(i) = note.fields.iter().position(|(n, _)| *n == name) {
            return Some((Cow::Borrowed(note.fields[i].1), Some(i)));
        }
        let special = match name {
            "Tags" => Cow::Borrowed(note.tags),
            "Type" => Cow::Borrowed(note.note_type),
            "Deck" => Cow::Borrowed(note.deck),
            "Subdeck" => Cow::Borrowed(note.deck.rsplit("::").next().unwrap_or_default()),
            "Card" => Cow::Borrowed(note.card),
            "CardFlag" => Cow::Owned(format!("flag{}", note.flag)),
            "CardID" => Cow::Owned(note.card_id.to_string()),
            _ => return None,
        };
        Some((special, None))
    }

    fn is_empty(&mut self, value: &str, index: Option<usize>) -> bool {
        match index {
            Some(i) => *self.empty[i].get_or_insert_with(|| field_is_empty(value)),
            None => field_is_empty(value),
        }
    }

    fn no_field(&self, tag: &str, name: &str) -> TemplateError {
        TemplateError(format!(
            "{} template has a problem: Found '{{{{{tag}}}}}', but there is no field called '{name}'",
            self.name
        ))
    }

    /// Anki reports a field the side names but the note lacks even where
    /// a section would not show it.
    fn check(&self, nodes: &[Node]) -> Result<(), TemplateError> {
        for node in nodes {
            match node {
                Node::Section { name, .. } if self.value(name).is_none() => {
                    return Err(self.no_field(&format!("#{name}"), name));
                }
                Node::Replacement(r) if r.names_a_field() && self.value(&r.field).is_none() => {
                    return Err(self.no_field(&r.tag, &r.field));
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn render(&mut self, nodes: &[Node]) -> Result<String, TemplateError> {
        self.check(nodes)?;
        let mut out = String::new();
        let mut i = 0;
        while i < nodes.len() {
            match &nodes[i] {
                Node::Text(text) => {
                    self.budget.spend(text.len())?;
                    out.push_str(text);
                }
                Node::Section { name, negated, end } => {
                    let (value, index) = self
                        .value(name)
                        .ok_or_else(|| self.no_field(&format!("#{name}"), name))?;
                    if self.is_empty(&value, index) != *negated {
                        i = *end;
                        continue;
                    }
                }
                Node::Replacement(r) => {
                    let text = self.replace(r)?;
                    self.budget.spend(text.len())?;
                    out.push_str(&text);
                }
            }
            i += 1;
        }
        Ok(out)
    }

    fn replace(&mut self, r: &Replacement) -> Result<String, TemplateError> {
        if r.field == "FrontSide" {
            // Anki gives it no filters, and nothing on the front.
            return Ok(self.front_side.to_string());
        }
        if r.field.is_empty() && !r.filters.is_empty() {
            return Ok(String::new());
        }
        let (value, index) = self
            .value(&r.field)
            .ok_or_else(|| self.no_field(&r.tag, &r.field))?;
        if !self.is_empty(&value, index) {
            if let Some(i) = index {
                self.shown[i] = true;
            }
            self.content |= self.question;
        }
        if let Some(at) = r.filters.iter().position(|f| f == "type") {
            let cloze = r.filters.get(at + 1).is_some_and(|f| f == "cloze");
            if self.question && self.type_answer.is_none() {
                self.budget.read(value.len())?;
                let expected = match cloze {
                    true => cloze::typed(&value, self.ordinal)?,
                    false => value.into_owned(),
                };
                self.type_answer = Some(TypeAnswer {
                    field: r.field.clone(),
                    cloze,
                    expected,
                });
            }
            return Ok(String::new());
        }
        let mut text = value.into_owned();
        for filter in r.filters.iter().rev() {
            self.budget.read(text.len())?;
            text = self.filter(filter, text)?;
        }
        Ok(text)
    }

    fn filter(&mut self, filter: &str, text: String) -> Result<String, TemplateError> {
        Ok(match filter {
            "text" => strip_html(&text),
            "furigana" => ruby(&text, Ruby::Furigana),
            "kana" => ruby(&text, Ruby::Kana),
            "kanji" => ruby(&text, Ruby::Kanji),
            "cloze" => {
                let mut found = cloze::Found::default();
                let shown = cloze::cloze(
                    &text,
                    self.ordinal,
                    self.question,
                    &mut found,
                    &mut self.budget,
                )?;
                self.found.answers.append(&mut found.answers);
                self.found.hints.append(&mut found.hints);
                shown
            }
            "cloze-only" => cloze::cloze_only(&text, self.ordinal, self.question)?,
            "hint" if text.trim().is_empty() => text,
            "hint" => {
                if self.question {
                    self.budget.spend(text.len())?;
                    self.hints.push(text);
                }
                String::new()
            }
            tts if tts.starts_with("tts ") => {
                let options = tts["tts ".len()..].trim();
                format!("[anki:tts lang={options}]{text}[/anki:tts]")
            }
            // Anki leaves text alone under a filter it does not know.
            _ => text,
        })
    }
}

/// Renders card `cloze` (1-based) of a cloze note, or with `None` a card
/// of another note type, as Anki would. When the front is blank, the back
/// is not rendered (`answer` and `beyond_front` are empty) and its
/// problems are not reported, as in Anki; a cloze card whose number no
/// field holds is all empty, its front not even read.
pub fn render(
    template: &CardTemplate,
    note: &NoteView,
    cloze: Option<u16>,
) -> Result<RenderedCard, TemplateError> {
    let ordinal = cloze.unwrap_or(note.ord.saturating_add(1));
    let mut front = Side::new(note, true, "", ordinal);
    // Anki asks this of the whole note, before it reads the front.
    if let Some(n) = cloze {
        let mut any = false;
        for (_, value) in note.fields {
            front.budget.read(value.len())?;
            if cloze::holds(value, n)? {
                any = true;
                break;
            }
        }
        if !any {
            return Ok(RenderedCard::default());
        }
    }
    let question = front.render(&template.front)?;
    let front_has_content = cloze.is_some() || front.content;
    let mut card = RenderedCard {
        front_has_content,
        ..RenderedCard::default()
    };
    let mut shown = front.shown.clone();
    if front_has_content {
        let nodes = template.back.as_ref().map_err(Clone::clone)?;
        let mut back = Side::new(note, false, &question, ordinal);
        card.answer = back.render(nodes)?;
        card.beyond_front = Side::new(note, false, "", ordinal).render(nodes)?;
        for (i, s) in back.shown.iter().enumerate() {
            shown[i] |= s;
        }
    }
    card.shown = (0..note.fields.len()).filter(|&i| shown[i]).collect();
    card.type_answer = front.type_answer;
    card.hints = front.hints;
    card.cloze_answers = front.found.answers;
    card.cloze_hints = front.found.hints;
    card.question = question;
    Ok(card)
}
