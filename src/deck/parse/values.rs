//! Reading one value of a table: a required or optional string, a list of
//! strings, a number, with an error at the value when it has the wrong
//! shape. Shared by the deck table, the card table and every card type.
//!
//! These readers must never know which table or card type they read for:
//! the caller names the key and the label to use in messages.

use super::keys::misspelt;
use super::{Cx, Entry};
use std::ops::Range;
use toml::de::{DeTable, DeValue};

/// The entry of `key` in `t`, if it is there.
pub(super) fn find<'a, 'i>(t: &'a DeTable<'i>, key: &str) -> Option<Entry<'a, 'i>> {
    t.iter().find(|(k, _)| k.get_ref().as_ref() == key)
}

/// A TOML integer as a number, in whatever base it was written.
pub(super) fn int(v: &DeValue<'_>) -> Option<i64> {
    match v {
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix()).ok(),
        _ => None,
    }
}

impl Cx<'_> {
    pub(super) fn required_str(
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

    pub(super) fn optional_str(&mut self, t: &DeTable<'_>, key: &str) -> Option<String> {
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

    pub(super) fn string_list(&mut self, t: &DeTable<'_>, key: &str) -> Option<Vec<String>> {
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

    /// An error at `key` when two entries of `list` are the same words.
    pub(super) fn repeated(&mut self, t: &DeTable<'_>, key: &str, list: &[String], label: &str) {
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
}
