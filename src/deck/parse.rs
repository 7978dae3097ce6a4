//! Parsing and validating one deck file.
//!
//! The file is read with toml's span-keeping parser and then walked by hand,
//! so that every problem in a file is reported at once, each at its
//! `line:column`, with what is wrong and how to fix it. Unknown keys are
//! errors: a misspelt `anwser` must never be silently ignored.

use super::{is_valid_id, Card, CardKind, Deck, Gap, CARD_TYPES, FORMAT_VERSION, MAX_GAPS};
use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use toml::de::{DeArray, DeTable, DeValue};
use toml::Spanned;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// One problem in a deck file, located by line and column (both 1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    /// `path:line:column: error: message`, then the hint on its own line.
    pub fn display<'a>(&'a self, path: &'a str) -> impl fmt::Display + 'a {
        DisplayWithPath { diag: self, path }
    }
}

struct DisplayWithPath<'a> {
    diag: &'a Diagnostic,
    path: &'a str,
}

impl fmt::Display for DisplayWithPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.diag;
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}:{}: {level}: {}",
            self.path, d.line, d.column, d.message
        )?;
        if let Some(hint) = &d.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

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

const TOP_KEYS: [&str; 3] = ["format", "deck", "cards"];
const DECK_KEYS: [&str; 5] = ["id", "title", "description", "source", "tags"];
const COMMON_KEYS: [&str; 8] = [
    "id", "type", "why", "section", "source", "quote", "tags", "hint",
];

/// Every key any card may have.
const ALL_CARD_KEYS: [&str; 16] = [
    "id",
    "type",
    "why",
    "section",
    "source",
    "quote",
    "tags",
    "hint",
    "q",
    "a",
    "accept",
    "wrong",
    "tolerance",
    "text",
    "items",
    "dates",
];

/// The keys each card type takes beyond the common ones.
fn type_keys(kind: &str) -> &'static [&'static str] {
    match kind {
        "basic" | "truefalse" => &["q", "a"],
        "typed" => &["q", "a", "accept"],
        "choice" => &["q", "a", "wrong"],
        "year" => &["q", "a", "tolerance"],
        "cloze" => &["text"],
        "order" => &["q", "items", "dates"],
        _ => &[],
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
        has_why: bool,
        has_section: bool,
    ) {
        if !has_why {
            self.warn(
                span.clone(),
                format!("{label} has no `why`"),
                Some("one or two sentences of context make the answer stick".into()),
            );
        }
        if !has_section {
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
                    {
                        self.warn(
                            at.clone(),
                            format!("gap {} of {label} gives itself away: `{}` also appears in the rest of the text", i + 1, gap.answer),
                            Some("reword the text so the answer is only in its gap".into()),
                        );
                    }
                }
            }
            _ => {}
        }
    }

    /// The line of `offset`, for offsets that only grow.
    fn line_at(&mut self, offset: usize) -> usize {
        let (from, line) = self.cursor;
        if offset < from {
            return line_col(self.src, offset).0;
        }
        let end = offset.min(self.src.len());
        let line = line
            + self.src.as_bytes()[from..end]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
        self.cursor = (end, line);
        line
    }

    /// Line and column of `offset`: counted on from the last place asked
    /// about, so that a file with a warning on every card stays linear.
    fn locate(&mut self, offset: usize) -> (usize, usize) {
        let offset = (0..=offset.min(self.src.len()))
            .rev()
            .find(|&i| self.src.is_char_boundary(i))
            .unwrap_or(0);
        let line = self.line_at(offset);
        let line_start = self.src[..offset].rfind('\n').map_or(0, |i| i + 1);
        (line, self.src[line_start..offset].chars().count() + 1)
    }

    fn warn(&mut self, span: Range<usize>, message: String, hint: Option<String>) {
        let (line, column) = self.locate(span.start);
        self.diagnostics.push(Diagnostic {
            severity: Severity::Warning,
            line,
            column,
            message,
            hint,
        });
    }

    fn error(&mut self, span: Range<usize>, message: String, hint: Option<String>) {
        self.errors += 1;
        let (line, column) = self.locate(span.start);
        self.diagnostics.push(Diagnostic {
            severity: Severity::Error,
            line,
            column,
            message,
            hint,
        });
    }

    fn deck(&mut self, root: &DeTable<'_>) -> Option<Deck> {
        for (key, _) in root.iter() {
            if !TOP_KEYS.contains(&key.get_ref().as_ref()) {
                let hint = did_you_mean(key.get_ref(), &TOP_KEYS).or_else(|| {
                    Some("a deck file has `format = 1`, a [deck] table and [[cards]] tables".into())
                });
                self.error(
                    key.span(),
                    format!("unknown top-level key `{}`", key.get_ref()),
                    hint,
                );
            }
        }
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
        let meta = match find(root, "deck") {
            Some((_, v)) => match v.get_ref() {
                DeValue::Table(t) => self.meta(t, v.span()),
                _ => {
                    self.error(
                        v.span(),
                        "`deck` must be a table: write it as a [deck] section".into(),
                        None,
                    );
                    None
                }
            },
            None => {
                self.error(
                    0..0,
                    "missing the [deck] section".into(),
                    Some("add [deck] with at least `id` and `title`".into()),
                );
                None
            }
        };
        let cards = match find(root, "cards") {
            Some((_, v)) => {
                match v.get_ref() {
                    DeValue::Array(items) if !items.is_empty() => {
                        self.cards(items, meta.as_ref().map(|m| m.id.as_str()))
                    }
                    DeValue::Array(_) => {
                        self.error(
                            v.span(),
                            "this deck has no cards".into(),
                            Some("add a [[cards]] entry".into()),
                        );
                        Vec::new()
                    }
                    _ => {
                        self.error(v.span(), "`cards` must be a list of tables: write each card as a [[cards]] section".into(), None);
                        Vec::new()
                    }
                }
            }
            None => {
                self.error(
                    0..0,
                    "this deck has no cards".into(),
                    Some("add [[cards]] sections after [deck]".into()),
                );
                Vec::new()
            }
        };
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

    fn meta(&mut self, t: &DeTable<'_>, span: Range<usize>) -> Option<Deck> {
        self.unknown_keys(t, &DECK_KEYS, "in [deck]", &DECK_KEYS);
        let id = self.required_str(t, "id", &span, "[deck]");
        if let Some((_, v)) = find(t, "id") {
            if let Some(id) = &id {
                if !is_valid_id(id) {
                    self.error(
                        v.span(),
                        format!("deck id `{id}` may only use a-z, 0-9 and -"),
                        Some(format!("try `{}`", slug(id))),
                    );
                }
            }
        }
        let title = self.required_str(t, "title", &span, "[deck]");
        let description = self.optional_str(t, "description");
        let source = self.optional_str(t, "source");
        let tags = self.string_list(t, "tags").unwrap_or_default();
        Some(Deck {
            id: id?,
            title: title?,
            description,
            source,
            tags,
            cards: Vec::new(),
        })
    }

    fn cards(&mut self, items: &DeArray<'_>, _deck: Option<&str>) -> Vec<Card> {
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
        let line = span.start;
        let card_line = self.line_at(span.start);
        let id = self.required_str(t, "id", &span, "this card");
        let label = id
            .as_deref()
            .map(|i| format!("card `{i}`"))
            .unwrap_or_else(|| "this card".into());
        if let (Some(id), Some((_, v))) = (&id, find(t, "id")) {
            if !is_valid_id(id) {
                self.error(
                    v.span(),
                    format!("card id `{id}` may only use a-z, 0-9 and -"),
                    Some(format!("try `{}`", slug(id))),
                );
            }
        }
        let kind = match find(t, "type") {
            None => {
                self.error(
                    span.clone(),
                    format!("{label} has no `type`"),
                    Some(format!(
                        "add `type = \"...\"`, one of: {}",
                        CARD_TYPES.join(", ")
                    )),
                );
                None
            }
            Some((_, v)) => match v.get_ref().as_str() {
                Some(k) if CARD_TYPES.contains(&k) => Some(k),
                Some(k) => {
                    let hint = did_you_mean(k, &CARD_TYPES)
                        .or_else(|| Some(format!("the types are: {}", CARD_TYPES.join(", "))));
                    self.error(
                        v.span(),
                        format!("unknown card type `{k}` in {label}"),
                        hint,
                    );
                    None
                }
                None => {
                    self.error(
                        v.span(),
                        format!("`type` of {label} must be a string"),
                        None,
                    );
                    None
                }
            },
        };
        // Unknown keys, and keys that belong to another card type.
        let all_keys = ALL_CARD_KEYS;
        for (key, _) in t.iter() {
            let k = key.get_ref().as_ref();
            if COMMON_KEYS.contains(&k) {
                continue;
            }
            match kind {
                Some(kind) if type_keys(kind).contains(&k) => {}
                Some(kind) if all_keys.contains(&k) => {
                    let owners: Vec<&str> = CARD_TYPES
                        .iter()
                        .copied()
                        .filter(|c| type_keys(c).contains(&k))
                        .collect();
                    self.error(
                        key.span(),
                        format!("`{k}` is not used by `{kind}` cards ({label})"),
                        Some(format!(
                            "`{k}` belongs to {} cards; `{kind}` cards take: {}",
                            owners.join(", "),
                            type_keys(kind).join(", ")
                        )),
                    );
                }
                None if all_keys.contains(&k) => {}
                _ => {
                    let candidates: Vec<&str> = match kind {
                        Some(kind) => COMMON_KEYS.iter().chain(type_keys(kind)).copied().collect(),
                        None => all_keys.to_vec(),
                    };
                    let hint = did_you_mean(k, &candidates)
                        .or_else(|| Some(format!("a card takes: {}", candidates.join(", "))));
                    self.error(key.span(), format!("unknown key `{k}` in {label}"), hint);
                }
            }
        }
        let why = self.optional_str(t, "why");
        let section = self.optional_str(t, "section");
        let source = self.optional_str(t, "source");
        let quote = self.optional_str(t, "quote");
        let hint = self.optional_str(t, "hint");
        let tags = self.string_list(t, "tags").unwrap_or_default();
        let kinds: Vec<CardKind> = match kind {
            Some(kind) => self.kind(kind, t, &span, &label),
            None => Vec::new(),
        };
        self.lint(t, &span, &label, &kinds, why.is_some(), section.is_some());
        let id = id?;
        let before = self.cards;
        self.cards = self.cards.saturating_add(kinds.len());
        if self.cards > MAX_CARDS {
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
            return Some((id, line));
        }
        if self.error_count() > errors_before {
            return Some((id, line));
        }
        let many = kinds.len() > 1 || matches!(kinds.first(), Some(CardKind::Cloze { .. }));
        for (i, kind) in kinds.into_iter().enumerate() {
            out.push(Card {
                line: card_line,
                id: if many {
                    format!("{id}.{}", i + 1)
                } else {
                    id.clone()
                },
                note: id.clone(),
                kind,
                why: why.clone(),
                section: section.clone(),
                source: source.clone(),
                quote: quote.clone(),
                hint: hint.clone(),
                tags: tags.clone(),
            });
        }
        Some((id, line))
    }

    fn kind(
        &mut self,
        kind: &str,
        t: &DeTable<'_>,
        span: &Range<usize>,
        label: &str,
    ) -> Vec<CardKind> {
        match kind {
            "basic" | "typed" | "choice" => {
                let q = self.required_str(t, "q", span, label);
                let a = self.required_str(t, "a", span, label);
                match kind {
                    "basic" => vec![CardKind::Basic {
                        q: q.unwrap_or_default(),
                        a: a.unwrap_or_default(),
                    }],
                    "typed" => {
                        let accept = self.string_list(t, "accept").unwrap_or_default();
                        vec![CardKind::Typed {
                            q: q.unwrap_or_default(),
                            a: a.unwrap_or_default(),
                            accept,
                        }]
                    }
                    _ => {
                        let wrong = self.choice_wrong(t, span, label, a.as_deref());
                        vec![CardKind::Choice {
                            q: q.unwrap_or_default(),
                            a: a.unwrap_or_default(),
                            wrong,
                        }]
                    }
                }
            }
            "truefalse" => {
                let q = self.required_str(t, "q", span, label);
                let a = match find(t, "a") {
                    Some((_, v)) => match v.get_ref() {
                        DeValue::Boolean(b) => *b,
                        _ => {
                            self.error(
                                v.span(),
                                format!("`a` of {label} must be true or false (no quotes)"),
                                None,
                            );
                            false
                        }
                    },
                    None => {
                        self.error(
                            span.clone(),
                            format!("{label} has no `a`"),
                            Some("add `a = true` or `a = false`".into()),
                        );
                        false
                    }
                };
                vec![CardKind::TrueFalse {
                    q: q.unwrap_or_default(),
                    a,
                }]
            }
            "year" => {
                let q = self.required_str(t, "q", span, label);
                let a = match find(t, "a") {
                    Some((_, v)) => {
                        match int(v.get_ref()).and_then(|n| i32::try_from(n).ok()) {
                            Some(n) => n,
                            None => {
                                self.error(v.span(), format!("`a` of {label} must be a year as a number, like `a = 1905`"), None);
                                0
                            }
                        }
                    }
                    None => {
                        self.error(
                            span.clone(),
                            format!("{label} has no `a`"),
                            Some("add the year, like `a = 1905`".into()),
                        );
                        0
                    }
                };
                let tolerance = match find(t, "tolerance") {
                    Some((_, v)) => match int(v.get_ref()).and_then(|n| u32::try_from(n).ok()) {
                        Some(n) if n <= 100 => n,
                        _ => {
                            self.error(v.span(), format!("`tolerance` of {label} must be a whole number of years from 0 to 100"), None);
                            0
                        }
                    },
                    None => 0,
                };
                vec![CardKind::Year {
                    q: q.unwrap_or_default(),
                    a,
                    tolerance,
                }]
            }
            "cloze" => {
                let Some(text) = self.required_str(t, "text", span, label) else {
                    return Vec::new();
                };
                let text_span = find(t, "text")
                    .map(|(_, v)| v.span())
                    .unwrap_or(span.clone());
                match parse_gaps(&text) {
                    Ok(gaps) if gaps.is_empty() => {
                        self.error(
                            text_span,
                            format!("{label} has no gap"),
                            Some("mark each gap with double braces: `Signed in {{1855}}`".into()),
                        );
                        Vec::new()
                    }
                    Ok(gaps) if gaps.len() > MAX_GAPS => {
                        self.error(
                            text_span,
                            format!(
                                "{label} has {} gaps; a cloze text may have at most {MAX_GAPS}",
                                gaps.len()
                            ),
                            Some("split the text into several cloze cards".into()),
                        );
                        Vec::new()
                    }
                    Ok(gaps) if !self.expand(&text, &gaps) => {
                        self.error(
                            text_span,
                            format!(
                                "the cloze cards of this file would take over {} MB \
                                 (each gap is a card holding the whole text)",
                                MAX_CLOZE_BYTES >> 20
                            ),
                            Some("split long cloze texts into shorter ones, or the file into several".into()),
                        );
                        Vec::new()
                    }
                    Ok(gaps) => (0..gaps.len())
                        .map(|gap| CardKind::Cloze {
                            text: text.clone(),
                            gaps: gaps.clone(),
                            gap,
                        })
                        .collect(),
                    Err(e) => {
                        self.error(text_span, format!("{e} in {label}"), Some("write each gap as {{answer}} or {{answer|other accepted spelling}}".into()));
                        Vec::new()
                    }
                }
            }
            "order" => {
                let q = self.required_str(t, "q", span, label);
                let items = match self.string_list(t, "items") {
                    Some(items) if items.len() >= 3 => items,
                    Some(items) => {
                        let s = find(t, "items")
                            .map(|(_, v)| v.span())
                            .unwrap_or(span.clone());
                        self.error(
                            s,
                            format!(
                                "{label} has {} item(s); an order card needs at least 3",
                                items.len()
                            ),
                            Some("list three or more items in their true order".into()),
                        );
                        items
                    }
                    None => {
                        if find(t, "items").is_none() {
                            self.error(span.clone(), format!("{label} has no `items`"), Some("add `items = [\"first\", \"second\", \"third\"]` in their true order".into()));
                        }
                        Vec::new()
                    }
                };
                let dates = self.string_list(t, "dates").unwrap_or_default();
                if !dates.is_empty() && dates.len() != items.len() {
                    let s = find(t, "dates")
                        .map(|(_, v)| v.span())
                        .unwrap_or(span.clone());
                    self.error(
                        s,
                        format!(
                            "{label} has {} dates for {} items",
                            dates.len(),
                            items.len()
                        ),
                        Some("give one date per item, or leave `dates` out".into()),
                    );
                }
                self.repeated(t, "items", &items, label);
                vec![CardKind::Order {
                    q: q.unwrap_or_default(),
                    items,
                    dates,
                }]
            }
            _ => Vec::new(),
        }
    }

    fn choice_wrong(
        &mut self,
        t: &DeTable<'_>,
        span: &Range<usize>,
        label: &str,
        a: Option<&str>,
    ) -> Vec<String> {
        let Some((_, v)) = find(t, "wrong") else {
            self.error(
                span.clone(),
                format!("{label} has no `wrong` options"),
                Some(
                    "add `wrong = [\"...\", \"...\"]` with at least 2 plausible distractors".into(),
                ),
            );
            return Vec::new();
        };
        let Some(wrong) = self.string_list(t, "wrong") else {
            return Vec::new();
        };
        if wrong.len() < 2 {
            self.error(
                v.span(),
                format!(
                    "{label} has {} wrong option(s); a choice card needs at least 2",
                    wrong.len()
                ),
                Some("add plausible distractors of the same kind as the answer".into()),
            );
        }
        if let Some(a) = a {
            let a_norm = crate::fold::normalize(a);
            if let Some(dup) = wrong.iter().find(|w| crate::fold::normalize(w) == a_norm) {
                self.error(
                    v.span(),
                    format!("the answer `{dup}` is also among the wrong options of {label}"),
                    Some("remove it from `wrong`".into()),
                );
            }
        }
        self.repeated(t, "wrong", &wrong, label);
        wrong
    }

    fn repeated(&mut self, t: &DeTable<'_>, key: &str, list: &[String], label: &str) {
        let mut seen = std::collections::HashSet::new();
        for item in list {
            if !seen.insert(crate::fold::normalize(item)) {
                let s = find(t, key).map(|(_, v)| v.span()).unwrap_or(0..0);
                self.error(
                    s,
                    format!("`{item}` appears twice in `{key}` of {label}"),
                    Some("each entry must be different".into()),
                );
                return;
            }
        }
    }

    fn unknown_keys(
        &mut self,
        t: &DeTable<'_>,
        allowed: &[&str],
        place: &str,
        candidates: &[&str],
    ) {
        for (key, _) in t.iter() {
            let k = key.get_ref().as_ref();
            if !allowed.contains(&k) {
                let hint = did_you_mean(k, candidates)
                    .or_else(|| Some(format!("allowed here: {}", allowed.join(", "))));
                self.error(key.span(), format!("unknown key `{k}` {place}"), hint);
            }
        }
    }

    fn required_str(
        &mut self,
        t: &DeTable<'_>,
        key: &str,
        span: &Range<usize>,
        label: &str,
    ) -> Option<String> {
        match find(t, key) {
            // A misspelling of it was already reported with "did you mean".
            None if misspelt(t, key) => None,
            None => {
                self.error(
                    span.clone(),
                    format!("{label} has no `{key}`"),
                    Some(format!("add `{key} = \"...\"`")),
                );
                None
            }
            Some(entry) => self.string(entry, label),
        }
    }

    fn optional_str(&mut self, t: &DeTable<'_>, key: &str) -> Option<String> {
        find(t, key).and_then(|entry| self.string(entry, "this entry"))
    }

    fn string(&mut self, (key, v): Entry<'_, '_>, label: &str) -> Option<String> {
        match v.get_ref() {
            DeValue::String(s) if s.trim().is_empty() => {
                self.error(
                    v.span(),
                    format!("`{}` of {label} is empty", key.get_ref()),
                    None,
                );
                None
            }
            DeValue::String(s) => Some(s.to_string()),
            other => {
                self.error(
                    v.span(),
                    format!(
                        "`{}` of {label} must be text in quotes, not {}",
                        key.get_ref(),
                        other.type_str()
                    ),
                    Some(format!("write `{} = \"...\"`", key.get_ref())),
                );
                None
            }
        }
    }

    fn string_list(&mut self, t: &DeTable<'_>, key: &str) -> Option<Vec<String>> {
        let (_, v) = find(t, key)?;
        let DeValue::Array(items) = v.get_ref() else {
            self.error(
                v.span(),
                format!("`{key}` must be a list, like `{key} = [\"one\", \"two\"]`"),
                None,
            );
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(s) if !s.trim().is_empty() => out.push(s.to_string()),
                DeValue::String(_) => {
                    self.error(item.span(), format!("empty text in `{key}`"), None)
                }
                // A year in `dates` may be written as a bare number.
                DeValue::Integer(_) if key == "dates" => {
                    out.push(int(item.get_ref()).unwrap_or_default().to_string())
                }
                other => self.error(
                    item.span(),
                    format!("`{key}` must hold text in quotes, not {}", other.type_str()),
                    None,
                ),
            }
        }
        Some(out)
    }
}

/// Whether some unknown key in `t` reads as a misspelling of `key`.
fn misspelt(t: &DeTable<'_>, key: &str) -> bool {
    t.iter().any(|(k, _)| {
        let k = k.get_ref().as_ref();
        !ALL_CARD_KEYS.contains(&k) && !DECK_KEYS.contains(&k) && did_you_mean(k, &[key]).is_some()
    })
}

fn find<'a, 'i>(t: &'a DeTable<'i>, key: &str) -> Option<Entry<'a, 'i>> {
    t.iter().find(|(k, _)| k.get_ref().as_ref() == key)
}

fn int(v: &DeValue<'_>) -> Option<i64> {
    match v {
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix()).ok(),
        _ => None,
    }
}

/// Splits a cloze text into its gaps: `{{answer|alias|alias}}`.
pub fn parse_gaps(text: &str) -> Result<Vec<Gap>, String> {
    let mut gaps = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start + 2..].find("}}") else {
            return Err("a `{{` gap is never closed with `}}`".into());
        };
        let inner = &rest[start + 2..start + 2 + len];
        if inner.contains("{{") {
            return Err("a `{{` gap is never closed with `}}`".into());
        }
        let mut parts = inner.split('|').map(str::trim);
        let answer = parts.next().unwrap_or_default();
        if answer.is_empty() {
            return Err("an empty `{{}}` gap".into());
        }
        gaps.push(Gap {
            answer: answer.to_string(),
            accept: parts
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect(),
        });
        rest = &rest[start + 2 + len + 2..];
    }
    if rest.contains("}}") {
        return Err("a `}}` closes no gap".into());
    }
    Ok(gaps)
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(src.len());
    let offset = (0..=offset)
        .rev()
        .find(|&i| src.is_char_boundary(i))
        .unwrap_or(0);
    let before = &src[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, src[line_start..offset].chars().count() + 1)
}

/// Longer words people write for the short keys.
const KEY_ALIASES: [(&str, &str); 9] = [
    ("answer", "a"),
    ("question", "q"),
    ("alias", "accept"),
    ("aliases", "accept"),
    ("distractors", "wrong"),
    ("options", "wrong"),
    ("explanation", "why"),
    ("gaps", "text"),
    ("kind", "type"),
];

fn did_you_mean(word: &str, candidates: &[&str]) -> Option<String> {
    let alias = KEY_ALIASES
        .iter()
        .filter(|(long, short)| {
            candidates.contains(short) && crate::fold::edit_distance(word, long) <= 2
        })
        .map(|(_, short)| short)
        .next();
    if let Some(short) = alias {
        return Some(format!("did you mean `{short}`?"));
    }
    candidates
        .iter()
        .map(|c| (crate::fold::edit_distance(word, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3) && *d < word.len().max(c.len()))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| format!("did you mean `{c}`?"))
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in crate::fold::normalize(s).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

#[cfg(test)]
mod tests;
