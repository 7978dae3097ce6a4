//! A year answer read as a fair examiner reads it: the year alone, or said
//! in a few words (`in 1905`, `1905 AD`, `the year 1905`), or a date that
//! falls in it (`5 September 1905`, `September 1905`).
//!
//! Pure string work on one line. It only finds the year the learner wrote;
//! whether that year is right, or near enough, is the checker's to say, and
//! it must never guess a year from text that does not write one in digits.

use super::tokens::{fold, month, raw_words};

/// The words a learner puts around a year that say nothing more.
const AROUND: [&str; 6] = ["in", "the", "year", "of", "on", "ad"];

/// The year written in `line`, or `None` when it writes no year or more
/// than one thing that could be one. A day goes only with a month
/// (`5 September 1905`); `BC` makes the year negative.
pub fn read_year(line: &str) -> Option<i32> {
    let plain = line.trim().trim_end_matches('.').replace('\u{2212}', "-");
    if let Ok(year) = plain.parse::<i32>() {
        return Some(year);
    }
    // Points outside numbers go first, so that `A.D.` is `AD` and `Sept.`
    // is `Sept`.
    let chars: Vec<char> = line.chars().collect();
    let digit = |i: Option<usize>| {
        i.and_then(|i| chars.get(i))
            .is_some_and(char::is_ascii_digit)
    };
    let undotted: String = chars
        .iter()
        .enumerate()
        .filter(|&(i, &c)| c != '.' || (digit(i.checked_sub(1)) && digit(Some(i + 1))))
        .map(|(_, &c)| c)
        .collect();
    let folded = fold(&undotted);
    let words = raw_words(&folded);
    let mut numbers: Vec<(u32, bool, usize)> = Vec::new();
    let mut months = 0;
    let mut before_christ = false;
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        if w.bytes().all(|b| b.is_ascii_digit()) {
            let ordinal = words
                .get(i + 1)
                .is_some_and(|n| matches!(*n, "st" | "nd" | "rd" | "th"));
            i += usize::from(ordinal);
            numbers.push((w.parse().ok()?, ordinal, w.len()));
        } else if month(w).is_some() {
            months += 1;
        } else if matches!(w, "bc" | "bce") {
            before_christ = true;
        } else if !AROUND.contains(&w) && w != "ce" {
            return None;
        }
        i += 1;
    }
    let could_be_day =
        |&(n, ordinal, len): &(u32, bool, usize)| (1..=31).contains(&n) && (ordinal || len <= 2);
    let year = match (months, numbers.as_slice()) {
        (0, [only]) => Some(*only),
        // `September 1905`: a lone number by a month is its year only when
        // it cannot be a day (`September 5` writes no year).
        (1, [only]) => Some(*only).filter(|n| !could_be_day(n)),
        (1, [first, second]) if could_be_day(first) => Some(*second),
        (1, [first, second]) if could_be_day(second) => Some(*first),
        _ => None,
    }?;
    let (n, ordinal, _) = year;
    if ordinal {
        return None;
    }
    let n = i32::try_from(n).ok()?;
    Some(if before_christ { -n } else { n })
}

#[cfg(test)]
mod tests {
    use super::read_year;
    use crate::answer::{check, parse_response, InputError};
    use crate::deck::CardKind;
    use crate::types::Verdict;

    /// One case a line: `year ±tolerance | what was typed => verdict`,
    /// where the verdict `again` is an input error: the learner is asked
    /// again.
    const TABLE: &str = "
        1905 ±0 | 1905 => correct
        1905 ±0 | in 1905 => correct
        1905 ±0 | In 1905. => correct
        1905 ±0 | 1905 AD => correct
        1905 ±0 | AD 1905 => correct
        1905 ±0 | A.D. 1905 => correct
        1905 ±0 | 1905 CE => correct
        1905 ±0 | 1905. => correct
        1905 ±0 | the year 1905 => correct
        1905 ±0 | in the year 1905 => correct
        1905 ±0 | 5 September 1905 => correct
        1905 ±0 | 5th September 1905 => correct
        1905 ±0 | September 5, 1905 => correct
        1905 ±0 | Sept. 5th, 1905 => correct
        1905 ±0 | September 1905 => correct
        1905 ±0 | in September 1905 => correct
        1905 ±0 | on 5 September 1905 => correct
        1905 ±0 | 5 Sep 1905 => correct
        1905 ±0 | 1906 => wrong
        1905 ±0 | in 1906 => wrong
        1905 ±0 | 5 September 1906 => wrong
        1905 ±0 | September 1904 => wrong
        1905 ±1 | in 1906 => close
        1905 ±1 | September 1904 => close
        1905 ±1 | 1907 AD => wrong
        1905 ±0 | 1905 BC => wrong
        -660 ±0 | 660 BC => correct
        -660 ±0 | -660 => correct
        -660 ±0 | 660 => wrong
        1905 ±0 | nineteen oh five => again
        1905 ±0 | nineteen => again
        1905 ±0 | September 5 => again
        1905 ±0 | 5th => again
        1905 ±0 | the 1905th year => again
        1905 ±0 | 1905 or 1906 => again
        1905 ±0 | 1905 1906 => again
        1905 ±0 | 1905.5 => again
        1905 ±0 | September October 1905 => again
        1905 ±0 | about 1905 => again
        1905 ±0 | the Treaty of Portsmouth => again
        1905 ±0 | 5 1905 => again
    ";

    #[test]
    fn every_year_case_in_the_table_is_read_as_written() {
        let mut failures = Vec::new();
        for line in TABLE.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let (case, want) = line.rsplit_once(" => ").unwrap();
            let (key, typed) = case.split_once(" | ").unwrap();
            let (year, tolerance) = key.split_once(" ±").unwrap();
            let card = CardKind::Year {
                q: "When?".into(),
                a: year.parse().unwrap(),
                tolerance: tolerance.parse().unwrap(),
            };
            let got = match parse_response(&card, typed, 0) {
                Err(InputError::Year) => "again",
                Err(other) => panic!("{typed:?}: {other:?}"),
                Ok(r) => match check(&card, &r, &[]) {
                    Verdict::Correct => "correct",
                    Verdict::Close => "close",
                    Verdict::Wrong => "wrong",
                    Verdict::SelfGraded => "self-graded",
                },
            };
            if got != want {
                failures.push(format!("{line}: got {got}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn a_long_line_with_no_year_is_not_read_as_one() {
        assert_eq!(read_year(&"year ".repeat(200)), None);
        assert_eq!(read_year(""), None);
        assert_eq!(read_year("99999999999"), None);
    }
}
