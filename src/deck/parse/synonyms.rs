//! Reading `[deck] synonyms`: the subject's own groups of names for one
//! thing, as `synonyms = [["timber", "lumber"], ["Edo", "Tokyo"]]`.
//!
//! The shape (a list of lists of text) is checked here, each problem at the
//! value it is about; the rules a group must keep (two names at least, no
//! name without words, no name in two groups) are `fold::group_faults`, the
//! same rules a stored deck is checked with. This module must never judge
//! an answer: what the groups mean is the examiner's business.

use super::{find, Cx};
use crate::deck::{describe_fault, MAX_SYNONYM_CHARS, MAX_SYNONYM_NAMES};
use crate::fold::{group_faults, GroupFault};
use std::ops::Range;
use toml::de::{DeArray, DeTable, DeValue};

const EXAMPLE: &str = "synonyms = [[\"timber\", \"lumber\"], [\"Edo\", \"Tokyo\"]]";

impl Cx<'_> {
    /// The deck's groups, empty when the key is absent; `None` after an
    /// error (which stops the deck from loading).
    pub(super) fn synonyms(&mut self, t: &DeTable<'_>) -> Option<Vec<Vec<String>>> {
        let Some((_, v)) = find(t, "synonyms") else {
            return Some(Vec::new());
        };
        let DeValue::Array(items) = v.get_ref() else {
            self.error(
                v.span(),
                format!(
                    "`synonyms` must be a list of groups of names, not {}",
                    v.get_ref().type_str()
                ),
                Some(format!("write `{EXAMPLE}`")),
            );
            return None;
        };
        // A flat list of names is one group written without its brackets.
        if !items.is_empty()
            && items
                .iter()
                .all(|i| matches!(i.get_ref(), DeValue::String(_)))
        {
            self.error(
                v.span(),
                "`synonyms` must be a list of groups: each group is a list of its own".into(),
                Some("put the names in brackets of their own, like `synonyms = [[\"timber\", \"lumber\"]]`".into()),
            );
            return None;
        }
        let errors_before = self.error_count();
        let mut groups: Vec<Vec<String>> = Vec::with_capacity(items.len());
        let mut spans: Vec<(Range<usize>, Vec<Range<usize>>)> = Vec::with_capacity(items.len());
        for item in items.iter() {
            let DeValue::Array(names) = item.get_ref() else {
                self.error(
                    item.span(),
                    format!(
                        "each group of `synonyms` must be a list of names, not {}",
                        item.get_ref().type_str()
                    ),
                    Some("write a group as `[\"timber\", \"lumber\"]`".into()),
                );
                continue;
            };
            let (group, at) = self.group_names(names);
            groups.push(group);
            spans.push((item.span(), at));
        }
        let names: usize = groups.iter().map(Vec::len).sum();
        if names > MAX_SYNONYM_NAMES {
            self.error(
                v.span(),
                format!("{names} names in `synonyms`; a deck holds at most {MAX_SYNONYM_NAMES}"),
                Some("keep the names a learner of this subject would write".into()),
            );
            return None;
        }
        self.report_faults(&groups, &spans);
        (self.error_count() == errors_before).then_some(groups)
    }

    /// The names of one group and where each is, every name that is not
    /// text, or is too long, reported.
    fn group_names(&mut self, names: &DeArray<'_>) -> (Vec<String>, Vec<Range<usize>>) {
        let mut group = Vec::with_capacity(names.len());
        let mut at = Vec::with_capacity(names.len());
        for name in names.iter() {
            match name.get_ref() {
                DeValue::String(s) if s.chars().count() > MAX_SYNONYM_CHARS => self.error(
                    name.span(),
                    format!("a name in `synonyms` longer than {MAX_SYNONYM_CHARS} characters"),
                    Some("a group lists names, not sentences".into()),
                ),
                DeValue::String(s) => {
                    group.push(s.to_string());
                    at.push(name.span());
                }
                other => self.error(
                    name.span(),
                    format!(
                        "a name in `synonyms` must be text in quotes, not {}",
                        other.type_str()
                    ),
                    None,
                ),
            }
        }
        (group, at)
    }

    /// The rules every group keeps (`fold::group_faults`), each break
    /// reported at the group or name it is about.
    fn report_faults(
        &mut self,
        groups: &[Vec<String>],
        spans: &[(Range<usize>, Vec<Range<usize>>)],
    ) {
        for fault in group_faults(groups) {
            let (span, hint) = match fault {
                GroupFault::TooFew { group, .. } => (
                    spans[group].0.clone(),
                    "a group lists two or more names for the same thing",
                ),
                GroupFault::NoWords { group, name } => (
                    spans[group].1[name].clone(),
                    "remove it, or write the name out",
                ),
                GroupFault::Repeated { group, name, .. } => (
                    spans[group].1[name].clone(),
                    "a name stands for one thing: keep it in one group",
                ),
            };
            self.error(span, describe_fault(groups, &fault), Some(hint.into()));
        }
    }
}
