//! Which keys a deck file may use where: the top level, `[deck]`, every
//! card, and each card type's own. An unknown key is an error with a
//! suggestion, never ignored; the suggestion knows the longer words people
//! write for the short keys (`answer` for `a`).
//!
//! This module must never read a key's value: it checks names only, and the
//! readers in `kinds` and the parent module take the values.

use super::{find, Cx};
use crate::deck::CARD_TYPES;
use toml::de::DeTable;

pub(super) const TOP_KEYS: [&str; 3] = ["format", "deck", "cards"];
pub(super) const DECK_KEYS: [&str; 6] =
    ["id", "title", "description", "source", "tags", "synonyms"];
pub(super) const COMMON_KEYS: [&str; 8] = [
    "id", "type", "why", "section", "source", "quote", "tags", "hint",
];

/// Every key any card may have.
pub(super) const ALL_CARD_KEYS: [&str; 16] = [
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
pub(super) fn type_keys(kind: &str) -> &'static [&'static str] {
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

/// "did you mean `a`?" for the candidate `word` was most likely meant as,
/// an alias's short key first.
pub(super) fn did_you_mean(word: &str, candidates: &[&str]) -> Option<String> {
    let longs: Vec<&str> = KEY_ALIASES
        .iter()
        .filter(|(_, short)| candidates.contains(short))
        .map(|(long, _)| *long)
        .collect();
    let alias = crate::fold::close_matches(word, &longs)
        .first()
        .and_then(|long| KEY_ALIASES.iter().find(|(l, _)| l == long))
        .map(|(_, short)| *short);
    alias
        .or_else(|| {
            crate::fold::close_matches(word, candidates)
                .first()
                .copied()
        })
        .map(|c| format!("did you mean `{c}`?"))
}

/// Whether some unknown key in `t` reads as a misspelling of `key`.
pub(super) fn misspelt(t: &DeTable<'_>, key: &str) -> bool {
    t.iter().any(|(k, _)| {
        let k = k.get_ref().as_ref();
        !ALL_CARD_KEYS.contains(&k) && !DECK_KEYS.contains(&k) && did_you_mean(k, &[key]).is_some()
    })
}

impl Cx<'_> {
    /// Unknown keys at the top of the file.
    pub(super) fn top_keys(&mut self, root: &DeTable<'_>) {
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
    }

    /// Unknown keys in a table that allows `allowed`.
    pub(super) fn unknown_keys(&mut self, t: &DeTable<'_>, allowed: &[&str], place: &str) {
        for (key, _) in t.iter() {
            let k = key.get_ref().as_ref();
            if !allowed.contains(&k) {
                let hint = did_you_mean(k, allowed)
                    .or_else(|| Some(format!("allowed here: {}", allowed.join(", "))));
                self.error(key.span(), format!("unknown key `{k}` {place}"), hint);
            }
        }
    }

    /// Unknown keys of a card, and keys that belong to another card type
    /// than its `kind` (when the type is known).
    pub(super) fn card_keys(&mut self, t: &DeTable<'_>, kind: Option<&str>, label: &str) {
        for (key, _) in t.iter() {
            let k = key.get_ref().as_ref();
            if COMMON_KEYS.contains(&k) {
                continue;
            }
            match kind {
                Some(kind) if type_keys(kind).contains(&k) => {}
                Some(kind) if ALL_CARD_KEYS.contains(&k) => {
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
                None if ALL_CARD_KEYS.contains(&k) => {}
                _ => {
                    let candidates: Vec<&str> = match kind {
                        Some(kind) => COMMON_KEYS.iter().chain(type_keys(kind)).copied().collect(),
                        None => ALL_CARD_KEYS.to_vec(),
                    };
                    let hint = did_you_mean(k, &candidates)
                        .or_else(|| Some(format!("a card takes: {}", candidates.join(", "))));
                    self.error(key.span(), format!("unknown key `{k}` in {label}"), hint);
                }
            }
        }
    }

    /// The card's `type`, one of [`CARD_TYPES`], or `None` with an error.
    pub(super) fn card_type(
        &mut self,
        t: &DeTable<'_>,
        span: &std::ops::Range<usize>,
        label: &str,
    ) -> Option<&'static str> {
        let Some((_, v)) = find(t, "type") else {
            self.error(
                span.clone(),
                format!("{label} has no `type`"),
                Some(format!(
                    "add `type = \"...\"`, one of: {}",
                    CARD_TYPES.join(", ")
                )),
            );
            return None;
        };
        match v.get_ref().as_str() {
            Some(k) => {
                let known = CARD_TYPES.iter().find(|c| **c == k).copied();
                if known.is_none() {
                    let hint = did_you_mean(k, &CARD_TYPES)
                        .or_else(|| Some(format!("the types are: {}", CARD_TYPES.join(", "))));
                    self.error(
                        v.span(),
                        format!("unknown card type `{k}` in {label}"),
                        hint,
                    );
                }
                known
            }
            None => {
                self.error(
                    v.span(),
                    format!("`type` of {label} must be a string"),
                    None,
                );
                None
            }
        }
    }
}
