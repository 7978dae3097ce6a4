//! What the session hands the examiner and takes from it: a card's accepted
//! answers added to the forms it accepts, the key they are kept under, the
//! diff shown after a miss, and the learner's answer in words. It must never
//! judge an answer itself; that is `answer`'s.

use super::{DiffPart, Response};
use crate::deck::CardKind;
use crate::fold::{closest, diff, normalize, squeeze};
use crate::types::Verdict;
/// The key an accepted answer is kept under, so that two answers the
/// checker reads as the same words are kept once: folded as typed answers
/// are compared, without spaces.
pub fn accepted_key(answer: &str) -> String {
    squeeze(&normalize(answer))
}

/// The card with the learner's accepted answers added to the forms it
/// accepts (for a cloze, to the gap asked).
pub(super) fn with_accepted(kind: &CardKind, accepted: Vec<String>) -> CardKind {
    let mut kind = kind.clone();
    match &mut kind {
        CardKind::Typed { accept, .. } => accept.extend(accepted),
        CardKind::Cloze { gaps, gap, .. } => {
            if let Some(g) = gaps.get_mut(*gap) {
                g.accept.extend(accepted);
            }
        }
        _ => {}
    }
    kind
}

/// Where a typed answer that was not right differs from the closest
/// answer the card accepts. Only typed and cloze cards take free text; a
/// right answer, a reveal or an empty answer has nothing to show.
pub fn answer_diff(kind: &CardKind, verdict: Verdict, given: &str) -> Option<Vec<DiffPart>> {
    if matches!(verdict, Verdict::Correct | Verdict::SelfGraded) || given.is_empty() {
        return None;
    }
    let want = match kind {
        CardKind::Typed { a, accept, .. } => closest(given, a, accept),
        CardKind::Cloze { gaps, gap, .. } => {
            let g = gaps.get(*gap)?;
            closest(given, &g.answer, &g.accept)
        }
        _ => return None,
    };
    Some(diff(given, want))
}

/// The learner's answer in words.
pub(super) fn describe(kind: &CardKind, response: &Response, shown: &[usize]) -> String {
    match (kind, response) {
        (_, Response::Text(t)) => t.clone(),
        (CardKind::Choice { a, wrong, .. }, Response::Choice(i)) => {
            let all: Vec<&String> = std::iter::once(a).chain(wrong.iter()).collect();
            shown
                .get(*i)
                .and_then(|&k| all.get(k))
                .map(|s| s.to_string())
                .unwrap_or_default()
        }
        (_, Response::Bool(b)) => b.to_string(),
        (_, Response::Year(y)) => y.to_string(),
        (CardKind::Order { items, .. }, Response::Order(order)) => order
            .iter()
            .filter_map(|&i| shown.get(i).and_then(|&k| items.get(k)))
            .cloned()
            .collect::<Vec<_>>()
            .join(" → "),
        (_, Response::Choice(i)) => (i + 1).to_string(),
        (_, Response::Order(o)) => o
            .iter()
            .map(|i| (i + 1).to_string())
            .collect::<Vec<_>>()
            .join(" "),
    }
}
