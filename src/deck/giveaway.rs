//! Answers given away within one deck: a card's prompt (its `q`, its cloze
//! text with the gaps filled in, a choice's options, an order's items, its
//! hint) that prints, as whole words, the answer of another card of the same
//! deck — a year, a typed answer or one of its `accept` forms, a choice's
//! answer, a cloze gap's answer or alias, a basic card's answer, each also
//! without its bracketed gloss and as the other names of its deck synonym
//! group. Words are
//! compared folded (case, accents and punctuation aside); a function word
//! alone is never looked for, and a short name (`Abe`, `US`) only where the
//! prompt writes it so, inside a sentence.
//!
//! Every answer is indexed once by its words ([`Runs`]), and each prompt is
//! read once for each length of answer, so a deck of thousands of cards
//! costs a few passes over its prompts, never a search of every pair. Each
//! warning is placed at the first place the answer stands in the prompt's
//! key in the file. Pure: a deck and its file's text in, warnings out. It
//! never compares two decks, and never looks within one cloze note (that
//! is `cloze::self_revealing`'s).

use super::cloze::blank_aliases;
use super::runs::Runs;
use super::{cloze_render, Card, CardKind, Deck, Diagnostic, Severity};
use crate::fold::{apart, fold_words, normalize, without_brackets, FUNCTION_WORDS};
use std::collections::HashMap;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

const HINT: &str = "reword one of them so the answer is not printed, or drop one";

/// One way to write a card's answer: the card (its place in the deck), the
/// form as the deck writes it, and its folded words.
struct Form {
    card: usize,
    written: String,
    words: Vec<String>,
    /// A short name (`Abe`, `US`): found only where the prompt writes it
    /// with the same letters and case, so that `us` is not `US`.
    exact: bool,
}

/// Where a prompt first gives an answer away: the field and the value in it
/// (an option, an item) by their places, the word the answer starts at, and
/// the form found.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Hit {
    field: usize,
    value: usize,
    start: usize,
    form: usize,
}

/// A warning for each (prompt card, answer card) pair of `deck` where the
/// prompt gives the answer away, placed in `src`, the deck's file.
pub fn give_aways(src: &str, deck: &Deck) -> Vec<Diagnostic> {
    let (forms, hits) = hits(deck);
    if hits.is_empty() {
        return Vec::new();
    }
    let places = Places::read(src);
    hits.into_iter()
        .map(|((prompt, _), hit)| {
            let card = &deck.cards[prompt];
            let form = &forms[hit.form];
            let (line, column) = places
                .locate(src, card, hit, &form.words)
                .unwrap_or((card.line, 1));
            Diagnostic {
                severity: Severity::Warning,
                line,
                column,
                message: format!(
                    "the question of card {} gives away the answer of card {} ({})",
                    card.note, deck.cards[form.card].id, form.written
                ),
                hint: Some(HINT.to_string()),
            }
        })
        .collect()
}

/// The (prompt card, answer card) pairs of `deck`, as indices into its
/// cards, where the prompt gives the answer away; in order, each once.
pub fn pairs(deck: &Deck) -> Vec<(usize, usize)> {
    hits(deck).1.into_iter().map(|(pair, _)| pair).collect()
}

/// A (prompt card, answer card) pair and where the prompt first prints the answer.
type Found = ((usize, usize), Hit);

/// The answers' forms and where each pair's prompt first prints one.
fn hits(deck: &Deck) -> (Vec<Form>, Vec<Found>) {
    let forms = answer_forms(&deck.cards, &deck.synonyms);
    let mut ids: HashMap<&str, u32> = HashMap::new();
    let words: Vec<Vec<u32>> = forms
        .iter()
        .map(|f| {
            f.words
                .iter()
                .map(|w| {
                    let next = ids.len() as u32;
                    *ids.entry(w.as_str()).or_insert(next)
                })
                .collect()
        })
        .collect();
    let runs = Runs::new(words.iter().map(Vec::as_slice));
    let hits = find_hits(deck, &forms, &ids, &runs);
    (forms, hits)
}

/// Every form of every card's answer that means something alone, each
/// card's forms without repeats.
fn answer_forms(cards: &[Card], synonyms: &[Vec<String>]) -> Vec<Form> {
    let mut forms = Vec::new();
    for (card, c) in cards.iter().enumerate() {
        let written = also_judged_right(c.kind.answer_forms(), synonyms);
        let first = forms.len();
        for w in written {
            let words: Vec<String> = normalize(&apart(&w))
                .split_whitespace()
                .map(str::to_string)
                .collect();
            let again = forms[first..].iter().any(|f: &Form| f.words == words);
            let written = w.trim().to_string();
            let exact = short_name(&words, &written);
            if (stands_alone(&words) || exact) && !again {
                forms.push(Form {
                    card,
                    written,
                    words,
                    exact,
                });
            }
        }
    }
    forms
}

/// The forms as written, and what a session also judges right for them:
/// a form without its bracketed gloss, and the other names of a deck
/// synonym group a form belongs to.
fn also_judged_right(written: Vec<String>, synonyms: &[Vec<String>]) -> Vec<String> {
    let mut out = Vec::new();
    for w in written {
        let bare = without_brackets(&w);
        let key = normalize(&w);
        let group = synonyms
            .iter()
            .find(|g| g.iter().any(|name| normalize(name) == key));
        out.push(w);
        if !bare.trim().is_empty() {
            out.push(bare.trim().to_string());
        }
        out.extend(group.into_iter().flatten().cloned());
    }
    out
}

/// A one-word form of three letters or fewer that is written as a name
/// (`Abe`, `Ito`, `US`): it means something alone where the prompt writes it
/// the same way.
fn short_name(words: &[String], written: &str) -> bool {
    matches!(words, [one] if one.chars().count() <= 3
        && !FUNCTION_WORDS.contains(&one.as_str())
        && !one.chars().any(|c| c.is_ascii_digit())
        && written.chars().next().is_some_and(char::is_uppercase)
        && written.chars().all(char::is_alphabetic))
}

/// False for a form that cannot mean anything alone: no words, one word of
/// three letters or fewer without a digit (`US`, `UN`), or one common
/// function word (`both`, `none`).
fn stands_alone(words: &[String]) -> bool {
    match words {
        [] => false,
        [one] => {
            let short = one.chars().count() <= 3 && !one.chars().any(|c| c.is_ascii_digit());
            !short && !FUNCTION_WORDS.contains(&one.as_str())
        }
        _ => true,
    }
}

/// What a card shows before it is answered, by field: its key in the file
/// and its values (one, or one per option or item). A cloze shows its text
/// with every gap filled in.
fn prompt_fields(card: &Card) -> Vec<(&'static str, Vec<String>)> {
    let q = |q: &String| ("q", vec![q.clone()]);
    let mut fields = match &card.kind {
        CardKind::Basic { q: text, .. }
        | CardKind::Typed { q: text, .. }
        | CardKind::TrueFalse { q: text, .. }
        | CardKind::Year { q: text, .. } => vec![q(text)],
        CardKind::Choice { q: text, a, wrong } => {
            vec![q(text), ("a", vec![a.clone()]), ("wrong", wrong.clone())]
        }
        CardKind::Order { q: text, items, .. } => vec![q(text), ("items", items.clone())],
        // Each gap is shown in its siblings' prompts; a lone gap is never
        // shown before it is answered.
        CardKind::Cloze { text, gaps, .. } => {
            let hide = (gaps.len() == 1).then_some(0);
            vec![("text", vec![cloze_render(text, gaps, hide)])]
        }
    };
    // A hint is shown before the answer, when asked for.
    if let Some(hint) = &card.hint {
        fields.push(("hint", vec![hint.clone()]));
    }
    fields
}

/// The first hit of each (prompt card, answer card) pair, in deck order.
/// The prompt card is the first card of its note; an answer of the same
/// note is never counted.
fn find_hits(
    deck: &Deck,
    forms: &[Form],
    ids: &HashMap<&str, u32>,
    runs: &Runs,
) -> Vec<((usize, usize), Hit)> {
    let mut first: HashMap<(usize, usize), Hit> = HashMap::new();
    let mut notes: HashMap<&str, ()> = HashMap::new();
    for (prompt, card) in deck.cards.iter().enumerate() {
        if notes.insert(card.note.as_str(), ()).is_some() {
            continue;
        }
        for (field, (_, values)) in prompt_fields(card).iter().enumerate() {
            for (value, text) in values.iter().enumerate() {
                let spread = apart(text);
                let placed = fold_words(&spread);
                let words: Vec<u32> = placed
                    .iter()
                    .map(|(_, w)| ids.get(w.as_str()).copied().unwrap_or(u32::MAX))
                    .collect();
                runs.find(&words, |start, form| {
                    let answer = forms[form].card;
                    if deck.cards[answer].note == card.note {
                        return;
                    }
                    if forms[form].exact
                        && !written_as(&spread, placed[start].0, &forms[form].written)
                    {
                        return;
                    }
                    let hit = Hit {
                        field,
                        value,
                        start,
                        form,
                    };
                    first
                        .entry((prompt, answer))
                        .and_modify(|h| *h = (*h).min(hit))
                        .or_insert(hit);
                });
            }
        }
    }
    let mut hits: Vec<((usize, usize), Hit)> = first.into_iter().collect();
    hits.sort_unstable_by_key(|&(pair, _)| pair);
    hits
}

/// The card tables of a deck file, and the place of each in the list by
/// the line its `[[cards]]` starts on, to find a field's value in the text
/// as written.
struct Places<'s> {
    root: Option<Spanned<DeTable<'s>>>,
    /// The line of each table's start: its place in the list and the
    /// byte offset counted from.
    by_line: HashMap<usize, (usize, usize)>,
}

impl<'s> Places<'s> {
    fn read(src: &'s str) -> Places<'s> {
        let root = DeTable::parse(src).ok();
        let mut by_line = HashMap::new();
        if let Some(cards) = root.as_ref().and_then(|r| cards(r.get_ref())) {
            // Lines counted on from the card before: the tables come in
            // file order.
            let (mut offset, mut line) = (0, 1);
            for (i, table) in cards.iter().enumerate() {
                let start = table.span().start.min(src.len());
                if start >= offset {
                    line += newlines(&src.as_bytes()[offset..start]);
                    offset = start;
                }
                by_line.insert(line, (i, offset));
            }
        }
        Places { root, by_line }
    }

    /// The line and column where `words` first stand in the field of
    /// `hit` of `card`; the start of that value when they cannot be found
    /// there as written, nothing when the field cannot be found.
    fn locate(&self, src: &str, card: &Card, hit: Hit, words: &[String]) -> Option<(usize, usize)> {
        let cards = cards(self.root.as_ref()?.get_ref())?;
        let &(index, from) = self.by_line.get(&card.line)?;
        let DeValue::Table(table) = cards.get(index)?.get_ref() else {
            return None;
        };
        let key = prompt_fields(card).get(hit.field)?.0;
        let (_, v) = table.iter().find(|(k, _)| k.get_ref().as_ref() == key)?;
        let value = match v.get_ref() {
            DeValue::Array(values) => values.get(hit.value)?,
            _ => v,
        };
        let span = value.span();
        let raw = src.get(span.clone())?;
        let at = span.start + first_place(raw, words, key == "text").unwrap_or(0);
        // Counted from the table's start, not the file's: a deck with a
        // warning on every card stays linear.
        let line = card.line + newlines(src.as_bytes().get(from..at)?);
        let line_start = src.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
        Some((line, src.get(line_start..at)?.chars().count() + 1))
    }
}

fn newlines(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count()
}

/// The `[[cards]]` list of a deck file.
fn cards<'a, 's>(root: &'a DeTable<'s>) -> Option<&'a [Spanned<DeValue<'s>>]> {
    let (_, v) = root.iter().find(|(k, _)| k.get_ref().as_ref() == "cards")?;
    match v.get_ref() {
        DeValue::Array(items) => Some(items),
        _ => None,
    }
}

/// Whether `text` writes `form` at `at` letter for letter, as a word of
/// its own, and not where any word is capitalised (the start of a sentence).
fn written_as(text: &str, at: usize, form: &str) -> bool {
    let opens = text[..at]
        .trim_end()
        .chars()
        .last()
        .is_none_or(|c| matches!(c, '.' | '?' | '!' | ':' | '"' | '“'));
    !opens
        && text.get(at..).is_some_and(|rest| {
            rest.starts_with(form)
                && !rest[form.len()..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric)
        })
}

/// The byte offset in `raw` (a TOML string as written, quotes and all)
/// where the folded `words` first stand; in a cloze text, the other
/// spellings of its gaps are not read.
fn first_place(raw: &str, words: &[String], cloze: bool) -> Option<usize> {
    let (text, offsets) = unquote(raw);
    let text = if cloze { blank_aliases(&text) } else { text };
    let found = fold_words(&apart(&text));
    let k = words.len();
    let start = (0..(found.len() + 1).saturating_sub(k))
        .find(|&i| found[i..i + k].iter().map(|(_, w)| w).eq(words.iter()))?;
    offsets.get(found[start].0).copied()
}

/// The text of a TOML string as written, escapes read, with the offset in
/// `raw` of each of its bytes.
fn unquote(raw: &str) -> (String, Vec<usize>) {
    let (open, basic) = ["\"\"\"", "'''", "\"", "'"]
        .iter()
        .find(|q| raw.starts_with(**q))
        .map_or((0, false), |q| (q.len(), q.starts_with('"')));
    let body = open..raw.len().saturating_sub(open).max(open);
    let mut text = String::new();
    let mut offsets = Vec::new();
    let Some(inner) = raw.get(body) else {
        return (text, offsets);
    };
    let mut push = |c: char, at: usize, text: &mut String| {
        text.push(c);
        offsets.extend(std::iter::repeat_n(at, c.len_utf8()));
    };
    let mut chars = inner.char_indices().map(|(i, c)| (i + open, c)).peekable();
    while let Some((at, c)) = chars.next() {
        if !(basic && c == '\\') {
            push(c, at, &mut text);
            continue;
        }
        let Some((_, e)) = chars.next() else { break };
        let read = match e {
            'u' | 'U' => {
                let n = if e == 'u' { 4 } else { 8 };
                let hex: String = (0..n)
                    .filter_map(|_| chars.next())
                    .map(|(_, c)| c)
                    .collect();
                u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32)
            }
            '"' | '\\' => Some(e),
            e if e.is_whitespace() => {
                // A backslash at a line's end joins the lines.
                while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {}
                None
            }
            _ => Some(' '),
        };
        if let Some(c) = read {
            push(c, at, &mut text);
        }
    }
    (text, offsets)
}

#[cfg(test)]
mod tests;
