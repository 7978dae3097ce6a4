//! The kioku cards made of a note's rendered cards: one cloze for the
//! whole note where kioku's gaps ask what Anki's cards ask, else a card for
//! each; and, once every note is in, each question made unique.

use super::{
    anki_gaps_as_ours, blank_card, explained, has_media, joined, question, Made, Shown, HAD_MEDIA,
};
use crate::deck::fmt::slug;
use crate::deck::{cloze_render, parse_gaps, Card, CardKind};
use crate::import::{cloze, html, NoteType};
use std::collections::{HashMap, HashSet};

impl Made {
    /// A cloze note as one kioku cloze, when its front is its cloze text
    /// alone: one field holds every deletion, each card's number is one
    /// deletion, no two cards carry different hints, and kioku's own
    /// rendering of each gap asks what Anki's card asks. Returns whether it
    /// was made (a note with no card to make counts as made).
    pub(super) fn one_cloze(
        &mut self,
        shown: &[Shown],
        note_type: &NoteType,
        texts: &[String],
        tags: &[String],
    ) -> bool {
        if shown.is_empty() {
            return true;
        }
        let mut with_clozes = texts.iter().filter(|t| t.contains("{{c"));
        let (Some(field), None) = (with_clozes.next(), with_clozes.next()) else {
            return false;
        };
        let Some((text, numbers)) = cloze::numbered(field) else {
            return false;
        };
        let Ok(gaps) = parse_gaps(&text) else {
            return false;
        };
        let distinct = numbers.iter().collect::<HashSet<_>>().len();
        if gaps.len() != numbers.len() || distinct != numbers.len() || gaps.len() > cloze::MAX_GAPS
        {
            return false;
        }
        // One hint for the whole cloze, so every card must carry the same
        // (a card with none differs from one with a hint).
        let hint_of = |s: &Shown| -> Vec<Option<String>> {
            s.rendered
                .cloze_hints
                .iter()
                .map(|h| h.as_deref().map(html::to_text))
                .collect()
        };
        let first_hints = hint_of(&shown[0]);
        if shown.iter().any(|s| hint_of(s) != first_hints) || first_hints.len() > 1 {
            return false;
        }
        let hint = first_hints.into_iter().flatten().next();
        // Each card: the gap of its number, asking what Anki's card asks.
        let mut gap_of = Vec::with_capacity(shown.len());
        for s in shown {
            let number = s.card.ord.saturating_add(1);
            let Some(gap) = numbers.iter().position(|&n| n == number) else {
                return false;
            };
            let ours = cloze_render(&text, &gaps, Some(gap));
            let theirs = anki_gaps_as_ours(&html::to_text(&s.rendered.question), &s.rendered);
            if crate::fold::normalize(&ours) != crate::fold::normalize(&theirs) {
                return false;
            }
            gap_of.push(gap);
        }
        let note_id = self.ids.claim(&slug(&text));
        let others: Vec<usize> = (0..texts.len())
            .filter(|&i| !texts[i].contains("{{c"))
            .collect();
        let why = explained(note_type, texts, &others);
        self.bytes += text.len() + why.as_ref().map_or(0, String::len);
        let base = blank_card(tags);
        for (s, &gap) in shown.iter().zip(&gap_of) {
            let id = format!("{note_id}.{}", gap + 1);
            self.origins.push((s.card.id, s.template.to_string()));
            self.cards.push(Card {
                id,
                note: note_id.clone(),
                kind: CardKind::Cloze {
                    text: text.clone(),
                    gaps: gaps.clone(),
                    gap,
                },
                why: why.clone(),
                hint: hint.clone(),
                ..base.clone()
            });
        }
        true
    }

    /// One kioku card for one of Anki's cards: its front the question; the
    /// field a type-in box checks, a cloze's deletions, or what the back
    /// adds the answer; the fields neither side shows the explanation.
    pub(super) fn single(
        &mut self,
        s: &Shown,
        note_type: &NoteType,
        texts: &[String],
        tags: &[String],
    ) {
        let r = &s.rendered;
        if r.cloze_answers.len() > cloze::MAX_GAPS {
            return self
                .skips
                .add("a cloze card hiding more than 100 deletions (split its note into several)");
        }
        let q = html::to_text(&r.question);
        let media = has_media(&r.question);
        if q.is_empty() {
            return self.skips.add(if media {
                "a card whose front is only a picture or a sound"
            } else {
                "a card whose front is empty"
            });
        }
        let Some(kind) = self.answer(r, note_type, &q) else {
            return;
        };
        // The fields neither side shows explain; for a cloze, so do the
        // other fields its back shows (its "Back Extra").
        let explaining: Vec<usize> = (0..texts.len())
            .filter(|&i| !(note_type.cloze && texts[i].contains("{{c")))
            .filter(|i| note_type.cloze || !r.shown.contains(i))
            .collect();
        let extra = explained(note_type, texts, &explaining);
        let why = match (extra, media || has_media(&r.beyond_front)) {
            (Some(w), true) => Some(format!("{w}\n{HAD_MEDIA}")),
            (None, true) => Some(HAD_MEDIA.to_string()),
            (w, false) => w,
        };
        let hint = joined(r.hints.iter().map(String::as_str)).map(|h| html::to_text(&h));
        let id = self.ids.claim(&slug(&q));
        self.bytes += q.len() + kind.answer_text().len() + why.as_ref().map_or(0, String::len);
        self.origins.push((s.card.id, s.template.to_string()));
        self.cards.push(Card {
            id: id.clone(),
            note: id,
            kind,
            why,
            hint,
            ..blank_card(tags)
        });
    }

    /// The card's kind with its answer, or none (counted) when it has no
    /// answer to give.
    fn answer(
        &mut self,
        r: &crate::import::render::RenderedCard,
        note_type: &NoteType,
        q: &str,
    ) -> Option<CardKind> {
        let q = q.to_string();
        Some(match (&r.type_answer, note_type.cloze) {
            (Some(typed), _) => {
                let a = html::to_text(&typed.expected).replace('\n', " ");
                if a.is_empty() {
                    self.skips.add("a type-in card whose answer field is empty");
                    return None;
                }
                CardKind::Typed {
                    q,
                    a,
                    accept: Vec::new(),
                }
            }
            (None, true) => CardKind::Basic {
                q,
                a: r.cloze_answers
                    .iter()
                    .map(|a| html::to_text(a))
                    .collect::<Vec<_>>()
                    .join("; "),
            },
            (None, false) => {
                let back = html::to_text(&r.beyond_front);
                // A back that repeats the front's text before its own.
                let a = back
                    .strip_prefix(q.as_str())
                    .map_or(back.as_str(), str::trim_start);
                if a.is_empty() {
                    self.skips
                        .add("a card whose back adds nothing to its front");
                    return None;
                }
                CardKind::Basic {
                    a: a.to_string(),
                    q,
                }
            }
        })
    }

    /// Makes every question unique: a card that asks and answers what an
    /// earlier one does goes; one that asks the same with another answer
    /// says which template it comes from (or, if that is no different, its
    /// number among them).
    pub(super) fn distinguish(&mut self) {
        let mut first: HashMap<String, usize> = HashMap::new();
        let mut gone = Vec::new();
        let mut renamed = Vec::new();
        for (i, card) in self.cards.iter().enumerate() {
            if matches!(card.kind, CardKind::Cloze { gap, .. } if gap > 0) {
                continue; // a cloze's gaps share their text
            }
            let key = crate::fold::normalize(&question(&card.kind));
            let Some(&j) = first.get(&key) else {
                first.insert(key, i);
                continue;
            };
            let same_answer = crate::fold::normalize(&card.kind.answer_text())
                == crate::fold::normalize(&self.cards[j].kind.answer_text());
            if same_answer && !matches!(card.kind, CardKind::Cloze { .. }) {
                gone.push(i);
            } else {
                renamed.push((i, j));
            }
        }
        for (i, j) in renamed {
            self.rename(i, j, &mut first);
        }
        for &i in gone.iter().rev() {
            self.cards.remove(i);
            self.origins.remove(i);
            self.skips
                .add("a card that asks and answers what another card does");
        }
    }

    /// Ends card `i`'s question, which card `j` asks too, with the name of
    /// its template where the two differ in it, or else with a number, so
    /// that no question in `first` is asked twice.
    fn rename(&mut self, i: usize, j: usize, first: &mut HashMap<String, usize>) {
        let (template, other) = (self.origins[i].1.trim(), self.origins[j].1.trim());
        let named = !template.is_empty() && template != other;
        let base = question(&self.cards[i].kind);
        let suffix_for = |n: usize| match (named, n) {
            (true, 1) => format!(" ({template})"),
            (true, n) => format!(" ({template}, {n})"),
            (false, n) => format!(" ({})", n + 1),
        };
        let mut n = 1;
        while first.contains_key(&crate::fold::normalize(&format!("{base}{}", suffix_for(n)))) {
            n += 1;
        }
        let suffix = suffix_for(n);
        if let CardKind::Basic { q, .. } | CardKind::Typed { q, .. } = &mut self.cards[i].kind {
            q.push_str(&suffix);
            first.insert(crate::fold::normalize(q), i);
            self.notices.push(format!(
                "card `{}` asks what another card asks, with another answer; its question now ends with \"{}\"",
                self.cards[i].id,
                crate::text::quote(suffix.trim())
            ));
        }
    }
}
