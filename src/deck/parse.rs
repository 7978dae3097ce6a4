//! Parsing and validating one deck file.
//!
//! The file is read with toml's span-keeping parser and then walked by hand,
//! so that every problem in a file is reported at once, each at its
//! `line:column`, with what is wrong and how to fix it. Unknown keys are
//! errors: a misspelt `anwser` must never be silently ignored.
//!
//! This module walks the file (the top level, `[deck]`, each card) and
//! bounds what one file may make; `diagnostic` places the problems, `keys`
//! knows which keys go where, `kinds` reads each card type, `synonyms` the
//! deck's groups of names, `values` reads one value. Nothing here reads a
//! file or the clock: text in, deck out.

mod diagnostic;
mod keys;
mod kinds;
mod synonyms;
mod values;

pub use diagnostic::{line_col, Diagnostic, Severity};

use super::fmt::id_words;
#[cfg(test)]
use super::CARD_TYPES;
use super::{is_valid_id, Card, CardKind, Deck, Gap, FORMAT_VERSION};
use keys::DECK_KEYS;
#[cfg(test)]
use keys::{type_keys, ALL_CARD_KEYS, COMMON_KEYS};
use std::collections::HashMap;
use std::ops::Range;
use toml::de::{DeArray, DeTable, DeValue};
use toml::Spanned;
use values::{find, int};

/// The result of parsing: the deck when there were no errors, and every
/// diagnostic found either way.
#[derive(Debug)]
pub struct ParseOutcome {
    pub deck: Option<Deck>,
    pub diagnostics: Vec<Diagnostic>,
}

impl ParseOutcome {
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
    }
}

/// The most cards one deck file may hold, counting each cloze gap as one.
pub const MAX_CARDS: usize = 100_000;

/// What the cloze cards of one file may take, all together: every gap is a
/// card that carries its whole text and all its gaps, so a file of long
/// texts with many gaps grows in memory and in the database far beyond
/// its own size.
pub const MAX_CLOZE_BYTES: usize = 64 << 20;

/// Parses and validates a deck file's text.
pub fn parse_deck(src: &str) -> ParseOutcome {
    let mut cx = Cx::new(src);
    // Counted before parsing, so a huge file costs a scan, not the memory
    // of its tree.
    let tables = src.matches("[[cards]]").count();
    if tables > MAX_CARDS {
        cx.error(
            0..0,
            format!("{tables} cards in one file; a deck file holds at most {MAX_CARDS}"),
            Some("split it into several deck files".into()),
        );
        return cx.finish(None);
    }
    let (root, syntax_errors) = DeTable::parse_recoverable(src);
    if !syntax_errors.is_empty() {
        for e in syntax_errors {
            let span = e.span().unwrap_or(0..0);
            let message = e.message().trim().to_string();
            cx.error(span, format!("invalid TOML: {message}"), None);
        }
        return cx.finish(None);
    }
    let deck = cx.deck(root.get_ref());
    cx.finish(deck)
}

struct Cx<'s> {
    src: &'s str,
    diagnostics: Vec<Diagnostic>,
    /// (offset, line) of the last card seen: cards come in file order, so
    /// their lines are counted on from there, not from the top each time.
    cursor: (usize, usize),
    /// Errors so far (warnings are many in a big file; counting them each
    /// card would be quadratic).
    errors: usize,
    /// Cards made so far (cloze gaps counted one each), and the bytes the
    /// cloze cards among them carry: both are bounded.
    cards: usize,
    cloze_bytes: usize,
}

type Entry<'a, 'i> = (
    &'a Spanned<std::borrow::Cow<'i, str>>,
    &'a Spanned<DeValue<'i>>,
);

/// What every card of one table shares, whatever its type.
struct Common {
    why: Option<String>,
    section: Option<String>,
    source: Option<String>,
    quote: Option<String>,
    hint: Option<String>,
    tags: Vec<String>,
}

impl<'s> Cx<'s> {
    fn new(src: &'s str) -> Self {
        Cx {
            src,
            diagnostics: Vec::new(),
            cursor: (0, 1),
            errors: 0,
            cards: 0,
            cloze_bytes: 0,
        }
    }

    fn finish(mut self, deck: Option<Deck>) -> ParseOutcome {
        self.diagnostics.sort_by_key(|d| (d.line, d.column));
        let has_errors = self
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error);
        ParseOutcome {
            deck: if has_errors { None } else { deck },
            diagnostics: self.diagnostics,
        }
    }

    /// Counts a cloze text's cards against the file's budget; false once
    /// it is spent.
    fn expand(&mut self, text: &str, gaps: &[Gap]) -> bool {
        let per_card = text.len()
            + gaps
                .iter()
                .map(|g| g.answer.len() + g.accept.iter().map(|a| a.len() + 24).sum::<usize>() + 48)
                .sum::<usize>();
        self.cloze_bytes = self
            .cloze_bytes
            .saturating_add(per_card.saturating_mul(gaps.len()));
        self.cloze_bytes <= MAX_CLOZE_BYTES
    }

    fn error_count(&self) -> usize {
        self.errors
    }

    /// Warnings: what a careful author would fix, though the card works.
    fn lint(
        &mut self,
        t: &DeTable<'_>,
        span: &Range<usize>,
        label: &str,
        kinds: &[CardKind],
        common: &Common,
    ) {
        if common.why.is_none() {
            self.warn(
                span.clone(),
                format!("{label} has no `why`"),
                Some("one or two sentences of context make the answer stick".into()),
            );
        }
        if common.section.is_none() {
            self.warn(
                span.clone(),
                format!("{label} has no `section`"),
                Some("name the part of the source the fact comes from".into()),
            );
        }
        match kinds.first() {
            Some(CardKind::Year { a, .. }) if !(-5000..=2200).contains(a) => {
                let at = find(t, "a").map_or(span.clone(), |(_, v)| v.span());
                self.warn(
                    at,
                    format!("the year {a} in {label} is outside any plausible range"),
                    Some("write the year in full, like 1905".into()),
                );
            }
            Some(CardKind::Cloze { text, gaps, .. }) => {
                let at = find(t, "text").map_or(span.clone(), |(_, v)| v.span());
                for i in super::cloze::self_revealing(text, gaps) {
                    let gap = &gaps[i];
                    self.warn(
                        at.clone(),
                        format!("gap {} of {label} gives itself away: `{}` also appears in the rest of the text", i + 1, gap.answer),
                        Some("reword the text so the answer is only in its gap".into()),
                    );
                }
            }
            _ => {}
        }
    }

    fn deck(&mut self, root: &DeTable<'_>) -> Option<Deck> {
        self.top_keys(root);
        self.format(root);
        let meta = self.deck_table(root);
        let cards = self.card_list(root);
        let mut deck = meta?;
        // A card without its own `source` cites the deck's.
        deck.cards = cards
            .into_iter()
            .map(|mut c| {
                if c.source.is_none() {
                    c.source = deck.source.clone();
                }
                c
            })
            .collect();
        Some(deck)
    }

    /// `format = 1`, the one version this build reads.
    fn format(&mut self, root: &DeTable<'_>) {
        match find(root, "format") {
            None => self.error(
                0..0,
                "missing `format = 1`".into(),
                Some("put `format = 1` on the first line".into()),
            ),
            Some((_, v)) => match int(v.get_ref()) {
                Some(FORMAT_VERSION) => {}
                Some(n) => self.error(
                    v.span(),
                    format!(
                        "this deck is in format {n}, and this kioku reads format {FORMAT_VERSION}"
                    ),
                    Some("write `format = 1`, or update kioku".into()),
                ),
                None => self.error(v.span(), "`format` must be the number 1".into(), None),
            },
        }
    }

    /// The `[deck]` table, as a deck without its cards.
    fn deck_table(&mut self, root: &DeTable<'_>) -> Option<Deck> {
        let Some((_, v)) = find(root, "deck") else {
            self.error(
                0..0,
                "missing the [deck] section".into(),
                Some("add [deck] with at least `id` and `title`".into()),
            );
            return None;
        };
        match v.get_ref() {
            DeValue::Table(t) => self.meta(t, v.span()),
            _ => {
                self.error(
                    v.span(),
                    "`deck` must be a table: write it as a [deck] section".into(),
                    None,
                );
                None
            }
        }
    }

    /// The `[[cards]]` list, as the cards it makes.
    fn card_list(&mut self, root: &DeTable<'_>) -> Vec<Card> {
        let Some((_, v)) = find(root, "cards") else {
            self.error(
                0..0,
                "this deck has no cards".into(),
                Some("add [[cards]] sections after [deck]".into()),
            );
            return Vec::new();
        };
        match v.get_ref() {
            DeValue::Array(items) if !items.is_empty() => self.cards(items),
            DeValue::Array(_) => {
                self.error(
                    v.span(),
                    "this deck has no cards".into(),
                    Some("add a [[cards]] entry".into()),
                );
                Vec::new()
            }
            _ => {
                self.error(
                    v.span(),
                    "`cards` must be a list of tables: write each card as a [[cards]] section"
                        .into(),
                    None,
                );
                Vec::new()
            }
        }
    }

    fn meta(&mut self, t: &DeTable<'_>, span: Range<usize>) -> Option<Deck> {
        self.unknown_keys(t, &DECK_KEYS, "in [deck]");
        let id = self.required_str(t, "id", &span, "[deck]");
        if let (Some(id), Some((_, v))) = (&id, find(t, "id")) {
            self.valid_id("deck", id, v.span());
        }
        let title = self.required_str(t, "title", &span, "[deck]");
        let description = self.optional_str(t, "description");
        let source = self.optional_str(t, "source");
        let tags = self.string_list(t, "tags").unwrap_or_default();
        let synonyms = self.synonyms(t);
        Some(Deck {
            id: id?,
            title: title?,
            description,
            source,
            tags,
            synonyms: synonyms?,
            cards: Vec::new(),
        })
    }

    /// An error at `span` when `id` is not a valid deck or card id.
    fn valid_id(&mut self, what: &str, id: &str, span: Range<usize>) {
        if !is_valid_id(id) {
            self.error(
                span,
                format!("{what} id `{id}` may only use a-z, 0-9 and -"),
                Some(format!("try `{}`", id_words(id).join("-"))),
            );
        }
    }

    fn cards(&mut self, items: &DeArray<'_>) -> Vec<Card> {
        let mut cards = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for item in items.iter() {
            let DeValue::Table(t) = item.get_ref() else {
                self.error(
                    item.span(),
                    "each card must be a table: write it as a [[cards]] section".into(),
                    None,
                );
                continue;
            };
            if let Some((id, line)) = self.card(t, item.span(), &mut cards) {
                if let Some(first) = seen.get(&id) {
                    let span = find(t, "id").map(|(_, v)| v.span()).unwrap_or(item.span());
                    self.error(
                        span,
                        format!(
                            "duplicate card id `{id}` (first used on line {})",
                            line_col(self.src, *first).0
                        ),
                        Some(
                            "every card in a deck needs its own id; never reuse an old one".into(),
                        ),
                    );
                } else {
                    seen.insert(id, line);
                }
            }
        }
        cards
    }

    /// Validates one card table and pushes the card(s) it makes. Returns the
    /// card's id and byte offset for the duplicate check.
    fn card(
        &mut self,
        t: &DeTable<'_>,
        span: Range<usize>,
        out: &mut Vec<Card>,
    ) -> Option<(String, usize)> {
        let errors_before = self.error_count();
        // Where the card starts; turned into a line only if a duplicate needs it.
        let offset = span.start;
        let card_line = self.line_at(span.start);
        let id = self.required_str(t, "id", &span, "this card");
        let label = id
            .as_deref()
            .map(|i| format!("card `{i}`"))
            .unwrap_or_else(|| "this card".into());
        if let (Some(id), Some((_, v))) = (&id, find(t, "id")) {
            self.valid_id("card", id, v.span());
        }
        let kind = self.card_type(t, &span, &label);
        self.card_keys(t, kind, &label);
        let common = Common {
            why: self.optional_str(t, "why"),
            section: self.optional_str(t, "section"),
            source: self.optional_str(t, "source"),
            quote: self.optional_str(t, "quote"),
            hint: self.optional_str(t, "hint"),
            tags: self.string_list(t, "tags").unwrap_or_default(),
        };
        let kinds: Vec<CardKind> = match kind {
            Some(kind) => self.kind(kind, t, &span, &label),
            None => Vec::new(),
        };
        self.lint(t, &span, &label, &kinds, &common);
        let id = id?;
        if self.over_budget(kinds.len(), &span) || self.error_count() > errors_before {
            return Some((id, offset));
        }
        push_cards(out, &id, card_line, kinds, &common);
        Some((id, offset))
    }

    /// Counts `made` more cards against the file's limit; true once it is
    /// passed, with one error where it was.
    fn over_budget(&mut self, made: usize, span: &Range<usize>) -> bool {
        let before = self.cards;
        self.cards = self.cards.saturating_add(made);
        if self.cards <= MAX_CARDS {
            return false;
        }
        if before <= MAX_CARDS {
            self.error(
                span.clone(),
                format!(
                    "this file makes more than {MAX_CARDS} cards from here on \
                     (each cloze gap is a card)"
                ),
                Some("split it into several deck files".into()),
            );
        }
        true
    }
}

/// The cards of one table: a cloze's gaps (and any table that makes more
/// than one) are `id.1`, `id.2`, ..., sharing `id` as their note.
fn push_cards(out: &mut Vec<Card>, id: &str, line: usize, kinds: Vec<CardKind>, common: &Common) {
    let many = kinds.len() > 1 || matches!(kinds.first(), Some(CardKind::Cloze { .. }));
    for (i, kind) in kinds.into_iter().enumerate() {
        out.push(Card {
            line,
            id: if many {
                format!("{id}.{}", i + 1)
            } else {
                id.to_string()
            },
            note: id.to_string(),
            kind,
            why: common.why.clone(),
            section: common.section.clone(),
            source: common.source.clone(),
            quote: common.quote.clone(),
            hint: common.hint.clone(),
            tags: common.tags.clone(),
        });
    }
}

#[cfg(test)]
mod tests;
