//! Cloze texts as a whole: how many gaps one may have, and which gaps the
//! rest of the text gives away. Pure, and linear in the text: a cloze comes
//! from anyone, and one with a thousand gaps must cost a thousand steps,
//! not a million.

use super::Gap;
use crate::fold::{fold, normalize};
use std::collections::HashMap;

/// The most gaps one cloze text may have. Each gap is a card of its own
/// that shows the whole text, so a text with many more is a list to split.
pub const MAX_GAPS: usize = 100;

/// The gaps (0-based) whose answer appears, word for word, in the text as
/// shown when that gap is asked: the rest of the text with the other gaps
/// filled in.
pub fn self_revealing(text: &str, gaps: &[Gap]) -> Vec<usize> {
    // The text's words with every gap filled in, and the range of words
    // each gap's answer fills.
    let mut words: Vec<String> = Vec::new();
    let mut spans: Vec<(usize, usize)> = Vec::with_capacity(gaps.len());
    let mut rest = text;
    let push = |piece: &str, words: &mut Vec<String>| {
        let start = words.len();
        words.extend(fold(piece).split_whitespace().map(str::to_string));
        (start, words.len())
    };
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start + 2..].find("}}") else {
            break;
        };
        push(&rest[..start], &mut words);
        match gaps.get(spans.len()) {
            Some(g) => spans.push(push(&g.answer, &mut words)),
            None => break,
        }
        rest = &rest[start + len + 4..];
    }
    push(rest, &mut words);

    let answers: Vec<Vec<String>> = gaps
        .iter()
        .map(|g| {
            normalize(&g.answer)
                .split(' ')
                .map(str::to_string)
                .collect()
        })
        .collect();
    // Every run of k words in the filled text, counted once for each k an
    // answer has: a few passes over the text whatever the number of gaps.
    let mut runs: HashMap<&[String], usize> = HashMap::new();
    let mut lengths: Vec<usize> = answers.iter().map(Vec::len).collect();
    lengths.sort_unstable();
    lengths.dedup();
    for k in lengths.into_iter().filter(|&k| k > 0) {
        for run in words.windows(k) {
            *runs.entry(run).or_default() += 1;
        }
    }
    let mut found = Vec::new();
    for (i, answer) in answers.iter().enumerate() {
        let Some(&(from, to)) = spans.get(i) else {
            continue;
        };
        if answer.iter().all(String::is_empty) {
            continue;
        }
        let k = answer.len();
        let total = runs.get(answer.as_slice()).copied().unwrap_or(0);
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
    fn h1_many_gaps_are_checked_in_linear_time() {
        // Rendered once per gap, this text would be 25 million words of work.
        let text: String = (0..5_000).map(|i| format!("w{i} {{{{g{i}}}}} ")).collect();
        let gaps = parse_gaps(&text).unwrap();
        assert_eq!(self_revealing(&text, &gaps), Vec::<usize>::new());
        let text = format!("{text} g17 again");
        assert_eq!(self_revealing(&text, &gaps), [17]);
    }
}
