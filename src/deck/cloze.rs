//! Cloze texts: the gap grammar (`{{answer|other spelling}}`, read by one
//! scanner for parsing, showing and checking), how many gaps one may have,
//! and which gaps the rest of the text gives away. Pure, and linear in the
//! text: a cloze comes from anyone, and one with a thousand gaps must cost
//! a thousand steps, not a million. It must never know about card files or
//! keys: it takes a text and gives gaps back.

use super::runs::{Runs, MAX_RUN_WORDS};
use super::Gap;
use crate::fold::{fold, normalize};
use std::collections::HashMap;

/// The most gaps one cloze text may have. Each gap is a card of its own
/// that shows the whole text, so a text with many more is a list to split.
pub const MAX_GAPS: usize = 100;

/// Answers longer than this many words are not looked for elsewhere: a
/// phrase that long is not given away by the words around its gap, and
/// bounding it keeps the check linear.
const MAX_ANSWER_WORDS: usize = MAX_RUN_WORDS;

/// One closed gap met by [`Scan`]: the text before it since the last gap,
/// what is between its braces, and the gap as written, braces and all.
struct Piece<'a> {
    before: &'a str,
    inner: &'a str,
    written: &'a str,
}

/// The one reading of the gap grammar: each `{{` up to the next `}}` is a
/// gap. It stops at the first `{{` that is never closed; what is left then
/// (the text after the last gap, perhaps with that `{{`) is [`Scan::rest`].
struct Scan<'a> {
    rest: &'a str,
}

impl<'a> Scan<'a> {
    fn new(text: &'a str) -> Self {
        Scan { rest: text }
    }
}

impl<'a> Iterator for Scan<'a> {
    type Item = Piece<'a>;

    fn next(&mut self) -> Option<Piece<'a>> {
        let start = self.rest.find("{{")?;
        let len = self.rest[start + 2..].find("}}")?;
        let end = start + 2 + len + 2;
        let piece = Piece {
            before: &self.rest[..start],
            inner: &self.rest[start + 2..start + 2 + len],
            written: &self.rest[start..end],
        };
        self.rest = &self.rest[end..];
        Some(piece)
    }
}

/// Splits a cloze text into its gaps: `{{answer|alias|alias}}`.
pub fn parse_gaps(text: &str) -> Result<Vec<Gap>, String> {
    const UNCLOSED: &str = "a `{{` gap is never closed with `}}`";
    let mut gaps = Vec::new();
    let mut scan = Scan::new(text);
    for piece in scan.by_ref() {
        if piece.inner.contains("{{") {
            return Err(UNCLOSED.into());
        }
        let mut parts = piece.inner.split('|').map(str::trim);
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
    }
    if scan.rest.contains("{{") {
        return Err(UNCLOSED.into());
    }
    if scan.rest.contains("}}") {
        return Err("a `}}` closes no gap".into());
    }
    Ok(gaps)
}

/// Renders a cloze text: the gap `hide` as `[...]`, every other gap as its
/// answer, and a gap beyond `gaps` as it is written.
pub fn cloze_render(text: &str, gaps: &[Gap], hide: Option<usize>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut scan = Scan::new(text);
    for (index, piece) in scan.by_ref().enumerate() {
        out.push_str(piece.before);
        match gaps.get(index) {
            Some(_) if hide == Some(index) => out.push_str("[...]"),
            Some(g) => out.push_str(&g.answer),
            None => out.push_str(piece.written),
        }
    }
    out.push_str(scan.rest);
    out
}

/// The text with each gap's braces and other spellings blanked out, byte
/// for byte, so that what is left reads as the text with its gaps filled
/// in and every place in it is where it was: in `{{Iturup|Etorofu}}`, only
/// `Iturup` is left, between spaces.
pub(super) fn blank_aliases(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let blank = |s: &str, out: &mut String| out.extend(std::iter::repeat_n(' ', s.len()));
    let mut scan = Scan::new(text);
    for piece in scan.by_ref() {
        out.push_str(piece.before);
        let (answer, others) = piece
            .inner
            .split_at(piece.inner.find('|').unwrap_or(piece.inner.len()));
        blank("{{", &mut out);
        out.push_str(answer);
        blank(others, &mut out);
        blank("}}", &mut out);
    }
    out.push_str(scan.rest);
    out
}

/// The gaps (0-based) whose answer appears, word for word, in the text as
/// shown when that gap is asked: the rest of the text with the other gaps
/// filled in.
pub fn self_revealing(text: &str, gaps: &[Gap]) -> Vec<usize> {
    // The text's words with every gap filled in, as small numbers, and the
    // range of words each gap's answer fills.
    let mut ids: HashMap<String, u32> = HashMap::new();
    let mut intern = |w: &str| {
        let next = ids.len() as u32;
        *ids.entry(w.to_string()).or_insert(next)
    };
    let mut words: Vec<u32> = Vec::new();
    let mut spans: Vec<(usize, usize)> = Vec::with_capacity(gaps.len());
    let mut push = |piece: &str, words: &mut Vec<u32>| {
        let start = words.len();
        words.extend(fold(piece).split_whitespace().map(&mut intern));
        (start, words.len())
    };
    let mut scan = Scan::new(text);
    for (index, piece) in scan.by_ref().enumerate() {
        push(piece.before, &mut words);
        match gaps.get(index) {
            Some(g) => spans.push(push(&g.answer, &mut words)),
            // More gaps written than given: read as the text it is, as
            // `cloze_render` shows it.
            None => {
                push(piece.written, &mut words);
            }
        }
    }
    push(scan.rest, &mut words);

    // An answer made of a word the text never has cannot stand in it.
    let answers: Vec<Option<Vec<u32>>> = gaps
        .iter()
        .map(|g| {
            let folded = normalize(&g.answer);
            let answer: Option<Vec<u32>> = folded
                .split_whitespace()
                .map(|w| ids.get(w).copied())
                .collect();
            answer.filter(|a| !a.is_empty() && a.len() <= MAX_ANSWER_WORDS)
        })
        .collect();
    let counts = occurrences(&words, answers.iter().flatten());
    let mut found = Vec::new();
    for (i, answer) in answers.iter().enumerate() {
        let (Some(answer), Some(&(from, to))) = (answer, spans.get(i)) else {
            continue;
        };
        let k = answer.len();
        let total = counts.get(answer.as_slice()).copied().unwrap_or(0);
        // The runs that touch the gap's own words are not "the rest".
        let first = from.saturating_sub(k - 1);
        let own = (first..to.max(from + 1))
            .filter(|&s| words.get(s..s + k) == Some(answer.as_slice()))
            .count();
        if total > own {
            found.push(i);
        }
    }
    found
}

/// How often each of `wanted` occurs in `words`, a run wanted twice
/// counted once.
fn occurrences<'a>(
    words: &[u32],
    wanted: impl Iterator<Item = &'a Vec<u32>>,
) -> HashMap<&'a [u32], usize> {
    let mut distinct: Vec<&'a [u32]> = wanted.map(Vec::as_slice).collect();
    distinct.sort_unstable();
    distinct.dedup();
    let mut counts: HashMap<&'a [u32], usize> = HashMap::new();
    Runs::new(distinct.iter().copied()).find(words, |_, run| {
        *counts.entry(distinct[run]).or_default() += 1;
    });
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::parse_gaps;

    fn revealing(text: &str) -> Vec<usize> {
        self_revealing(text, &parse_gaps(text).unwrap())
    }

    #[test]
    fn a_gap_whose_answer_stands_elsewhere_is_found() {
        assert_eq!(
            revealing("{{Sakhalin}} lies north; Sakhalin is large."),
            [0]
        );
        // The other gap filled in gives it away too.
        assert_eq!(
            revealing("{{Iturup}} and {{Kunashir}}, then {{Iturup}}."),
            [0, 2]
        );
        // Accents, case and an article do not hide it.
        assert_eq!(revealing("{{the Kurils}}: the kurils"), [0]);
        assert_eq!(
            revealing("Signed at {{Portsmouth}} in {{1905}}."),
            Vec::<usize>::new()
        );
        // Words of several words, and one that is only part of a longer name.
        assert_eq!(
            revealing("{{Treaty of Portsmouth}} (Portsmouth treaty)"),
            Vec::<usize>::new()
        );
        assert_eq!(
            revealing("{{Treaty of Portsmouth}}; the treaty of Portsmouth"),
            [0]
        );
        assert_eq!(
            revealing("{{Kuril}} Islands and Kurilsk"),
            Vec::<usize>::new()
        );
    }

    #[test]
    fn blanked_aliases_leave_the_answers_where_they_were() {
        let text = "Kōdayū saw {{Iturup|Etorofu}} and {{1993}}, {{ not";
        let blanked = blank_aliases(text);
        assert_eq!(blanked.len(), text.len());
        assert_eq!(
            blanked,
            "Kōdayū saw   Iturup           and   1993  , {{ not"
        );
        assert_eq!(&text[blanked.find("1993").unwrap()..][..4], "1993");
    }

    #[test]
    fn h1_long_answers_cost_one_pass_for_each_length() {
        // A hundred gaps of 10 to 109 words over a long text: counted window
        // by window for each answer, this is hundreds of millions of steps.
        let mut text = "filler words ".repeat(20_000);
        for i in 0..100 {
            let answer: Vec<String> = (0..10 + i).map(|j| format!("a{i}w{j}")).collect();
            text.push_str(&format!("{{{{{}}}}} and ", answer.join(" ")));
        }
        // The first answer (10 words) also stands outside its gap.
        let first: Vec<String> = (0..10).map(|j| format!("a0w{j}")).collect();
        text.push_str(&first.join(" "));
        let gaps = parse_gaps(&text).unwrap();
        assert_eq!(self_revealing(&text, &gaps), [0]);
    }

    #[test]
    fn h1_many_gaps_are_checked_in_linear_time() {
        // Rendered once per gap, this text would be 25 million words of work.
        let text: String = (0..5_000).map(|i| format!("w{i} {{{{g{i}}}}} ")).collect();
        let gaps = parse_gaps(&text).unwrap();
        assert_eq!(self_revealing(&text, &gaps), Vec::<usize>::new());
        let text = format!("{text} g17 again");
        assert_eq!(self_revealing(&text, &gaps), [17]);
    }
}
