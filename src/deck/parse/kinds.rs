//! One reader for each card type: the type's own keys read into a
//! [`CardKind`], each problem reported at its key. A cloze text makes one
//! card per gap; every other type makes one.
//!
//! The readers must never look at the common keys (`id`, `why`, ...) or
//! decide which keys are allowed: the card reader and `keys` do that.

use super::{find, int, Cx, MAX_CLOZE_BYTES};
use crate::deck::{parse_gaps, CardKind, MAX_GAPS};
use std::ops::Range;
use toml::de::{DeTable, DeValue};

impl Cx<'_> {
    /// The card(s) a table of type `kind` makes.
    pub(super) fn kind(
        &mut self,
        kind: &str,
        t: &DeTable<'_>,
        span: &Range<usize>,
        label: &str,
    ) -> Vec<CardKind> {
        match kind {
            "basic" | "typed" | "choice" => vec![self.written(kind, t, span, label)],
            "truefalse" => vec![self.truefalse(t, span, label)],
            "year" => vec![self.year(t, span, label)],
            "cloze" => self.cloze(t, span, label),
            "order" => vec![self.order(t, span, label)],
            _ => Vec::new(),
        }
    }

    /// The types whose answer is written text: `basic`, `typed`, `choice`.
    fn written(
        &mut self,
        kind: &str,
        t: &DeTable<'_>,
        span: &Range<usize>,
        label: &str,
    ) -> CardKind {
        let q = self.required_str(t, "q", span, label);
        let a = self.required_str(t, "a", span, label);
        match kind {
            "basic" => CardKind::Basic {
                q: q.unwrap_or_default(),
                a: a.unwrap_or_default(),
            },
            "typed" => {
                let accept = self.string_list(t, "accept").unwrap_or_default();
                CardKind::Typed {
                    q: q.unwrap_or_default(),
                    a: a.unwrap_or_default(),
                    accept,
                }
            }
            _ => {
                let wrong = self.choice_wrong(t, span, label, a.as_deref());
                CardKind::Choice {
                    q: q.unwrap_or_default(),
                    a: a.unwrap_or_default(),
                    wrong,
                }
            }
        }
    }

    fn truefalse(&mut self, t: &DeTable<'_>, span: &Range<usize>, label: &str) -> CardKind {
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
        CardKind::TrueFalse {
            q: q.unwrap_or_default(),
            a,
        }
    }

    fn year(&mut self, t: &DeTable<'_>, span: &Range<usize>, label: &str) -> CardKind {
        let q = self.required_str(t, "q", span, label);
        let a = match find(t, "a") {
            Some((_, v)) => match int(v.get_ref()).and_then(|n| i32::try_from(n).ok()) {
                Some(n) => n,
                None => {
                    self.error(
                        v.span(),
                        format!("`a` of {label} must be a year as a number, like `a = 1905`"),
                        None,
                    );
                    0
                }
            },
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
                    self.error(
                        v.span(),
                        format!(
                            "`tolerance` of {label} must be a whole number of years from 0 to 100"
                        ),
                        None,
                    );
                    0
                }
            },
            None => 0,
        };
        CardKind::Year {
            q: q.unwrap_or_default(),
            a,
            tolerance,
        }
    }

    /// One card per gap of the text, or none when the text is not a cloze
    /// text kioku can take.
    fn cloze(&mut self, t: &DeTable<'_>, span: &Range<usize>, label: &str) -> Vec<CardKind> {
        let Some(text) = self.required_str(t, "text", span, label) else {
            return Vec::new();
        };
        let text_span = find(t, "text")
            .map(|(_, v)| v.span())
            .unwrap_or(span.clone());
        let gaps = match parse_gaps(&text) {
            Ok(gaps) => gaps,
            Err(e) => {
                self.error(
                    text_span,
                    format!("{e} in {label}"),
                    Some(
                        "write each gap as {{answer}} or {{answer|other accepted spelling}}".into(),
                    ),
                );
                return Vec::new();
            }
        };
        let refused = if gaps.is_empty() {
            Some((
                format!("{label} has no gap"),
                "mark each gap with double braces: `Signed in {{1855}}`",
            ))
        } else if gaps.len() > MAX_GAPS {
            Some((
                format!(
                    "{label} has {} gaps; a cloze text may have at most {MAX_GAPS}",
                    gaps.len()
                ),
                "split the text into several cloze cards",
            ))
        } else if !self.expand(&text, &gaps) {
            Some((
                format!(
                    "the cloze cards of this file would take over {} MB \
                     (each gap is a card holding the whole text)",
                    MAX_CLOZE_BYTES >> 20
                ),
                "split long cloze texts into shorter ones, or the file into several",
            ))
        } else {
            None
        };
        if let Some((message, hint)) = refused {
            self.error(text_span, message, Some(hint.into()));
            return Vec::new();
        }
        (0..gaps.len())
            .map(|gap| CardKind::Cloze {
                text: text.clone(),
                gaps: gaps.clone(),
                gap,
            })
            .collect()
    }

    fn order(&mut self, t: &DeTable<'_>, span: &Range<usize>, label: &str) -> CardKind {
        let q = self.required_str(t, "q", span, label);
        let at = |key: &str| find(t, key).map(|(_, v)| v.span()).unwrap_or(span.clone());
        let items = match self.string_list(t, "items") {
            Some(items) if items.len() >= 3 => items,
            Some(items) => {
                self.error(
                    at("items"),
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
                    self.error(
                        span.clone(),
                        format!("{label} has no `items`"),
                        Some(
                            "add `items = [\"first\", \"second\", \"third\"]` in their true order"
                                .into(),
                        ),
                    );
                }
                Vec::new()
            }
        };
        let dates = self.string_list(t, "dates").unwrap_or_default();
        if !dates.is_empty() && dates.len() != items.len() {
            self.error(
                at("dates"),
                format!(
                    "{label} has {} dates for {} items",
                    dates.len(),
                    items.len()
                ),
                Some("give one date per item, or leave `dates` out".into()),
            );
        }
        self.repeated(t, "items", &items, label);
        CardKind::Order {
            q: q.unwrap_or_default(),
            items,
            dates,
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
}
