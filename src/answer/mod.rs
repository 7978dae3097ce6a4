//! Checking answers: from what the learner typed to a [`Verdict`].
//!
//! Pure functions, no I/O. Typed answers are compared after folding them
//! ([`crate::fold`]: Unicode, case, accents, punctuation and white space),
//! so `kodayu` matches `Kōdayū`; a small typo in a long enough answer is
//! `close`. Of ours it reads only the card model (and a cloze's question
//! as the model renders it) and plain types.

#[cfg(test)]
mod cases;
mod examine;
mod lexicon;
mod tokens;
mod year;

pub use examine::{judge, readings, Key};
pub use lexicon::{parse as parse_lexicon, Lexicon, LexiconError, LEXICON};

use crate::deck::{cloze_render, CardKind};
use crate::fold::normalize;
use crate::types::Verdict;

/// A learner's response, parsed for the card's type.
#[derive(Debug, Clone, PartialEq)]
pub enum Response {
    /// Typed text (typed and cloze cards), or an attempt written before
    /// revealing a basic card.
    Text(String),
    /// The 0-based position of the chosen option as displayed.
    Choice(usize),
    Bool(bool),
    Year(i32),
    /// Displayed positions (0-based) in the order the learner put them.
    Order(Vec<usize>),
}

/// Why an input line could not be read as an answer; the learner is asked again.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error("type the number of an option, 1 to {0}")]
    Choice(usize),
    #[error("answer t (true) or f (false)")]
    Bool,
    #[error("type a year, like 1905")]
    Year,
    #[error("type the numbers 1 to {0}, each once, in order (for example `{example}`)", example = order_example(*.0))]
    Order(usize),
}

fn order_example(n: usize) -> String {
    (1..=n)
        .rev()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The longest answer read; the rest of a longer line is ignored.
pub const MAX_ANSWER_CHARS: usize = 1000;

/// Reads an input line as a response to `kind`. `options` is how many options
/// or items are displayed (choice and order cards). An empty line is "I don't
/// know" and reads as a wrong answer, except for basic cards where it reveals.
pub fn parse_response(kind: &CardKind, line: &str, options: usize) -> Result<Response, InputError> {
    // No answer is this long; a pasted page is cut, so that comparing it
    // stays cheap.
    let line = match line.char_indices().nth(MAX_ANSWER_CHARS) {
        Some((cut, _)) => &line[..cut],
        None => line,
    };
    let line = line.trim();
    match kind {
        CardKind::Basic { .. } | CardKind::Typed { .. } | CardKind::Cloze { .. } => {
            Ok(Response::Text(line.to_string()))
        }
        _ if line.is_empty() => Ok(Response::Text(String::new())),
        CardKind::Choice { .. } => match line.parse::<usize>() {
            Ok(n) if (1..=options).contains(&n) => Ok(Response::Choice(n - 1)),
            Ok(_) => Err(InputError::Choice(options)),
            // The option's text typed out is accepted too.
            Err(_) => Ok(Response::Text(line.to_string())),
        },
        CardKind::TrueFalse { .. } => match normalize(line).as_str() {
            "t" | "true" | "y" | "yes" => Ok(Response::Bool(true)),
            "f" | "false" | "n" | "no" => Ok(Response::Bool(false)),
            _ => Err(InputError::Bool),
        },
        CardKind::Year { .. } => year::read_year(line)
            .map(Response::Year)
            .ok_or(InputError::Year),
        CardKind::Order { .. } => parse_order(line, options).map(Response::Order),
    }
}

fn parse_order(line: &str, n: usize) -> Result<Vec<usize>, InputError> {
    let parts: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || c == ',' || c == '-' || c == '>')
        .filter(|p| !p.is_empty())
        .collect();
    // "3142" is fine when every item number is a single digit.
    let numbers: Vec<&str> = if parts.len() == 1
        && n <= 9
        && parts[0].len() == n
        && parts[0].bytes().all(|b| b.is_ascii_digit())
    {
        (0..n).map(|i| &parts[0][i..i + 1]).collect()
    } else {
        parts
    };
    let mut seen = vec![false; n];
    let mut order = Vec::with_capacity(n);
    for p in numbers {
        match p.parse::<usize>() {
            Ok(k) if (1..=n).contains(&k) && !seen[k - 1] => {
                seen[k - 1] = true;
                order.push(k - 1);
            }
            _ => return Err(InputError::Order(n)),
        }
    }
    if order.len() == n {
        Ok(order)
    } else {
        Err(InputError::Order(n))
    }
}

/// An answer written out in full (a choice by its option's text, not a
/// shuffled number), judged as a session judges it, with the deck's
/// `synonyms`: for an author trying a card (`kioku deck try`) and for the
/// tests that keep a reader's tried answers. A basic card is graded by the
/// learner and an order card by positions: neither can be tried this way.
pub fn try_written(
    kind: &CardKind,
    answer: &str,
    synonyms: &[Vec<String>],
) -> Result<Verdict, String> {
    if let Some(why) = untriable(kind) {
        return Err(why.to_string());
    }
    let response = match kind {
        CardKind::Choice { .. } | CardKind::Typed { .. } | CardKind::Cloze { .. } => {
            Response::Text(answer.to_string())
        }
        kind => parse_response(kind, answer, 0).map_err(|e| e.to_string())?,
    };
    Ok(check_with(kind, &response, &[], synonyms))
}

/// Why no written answer can be tried on a card of this kind, if none can.
pub fn untriable(kind: &CardKind) -> Option<&'static str> {
    match kind {
        CardKind::Basic { .. } => Some("a basic card is graded by the learner, not judged"),
        CardKind::Order { .. } => {
            Some("an order card is judged by the items' positions; try it in `kioku quiz`")
        }
        _ => None,
    }
}

/// Judges a response. `shown` maps displayed positions to the card's own
/// option indices (choice: 0 is the answer, then `wrong` in order; order: the
/// items' true positions).
pub fn check(kind: &CardKind, response: &Response, shown: &[usize]) -> Verdict {
    check_with(kind, response, shown, &[])
}

/// [`check`] with the deck's own groups of names for the same thing
/// (`synonyms`), which typed and cloze answers are judged with.
pub fn check_with(
    kind: &CardKind,
    response: &Response,
    shown: &[usize],
    synonyms: &[Vec<String>],
) -> Verdict {
    match (kind, response) {
        (CardKind::Basic { .. }, _) => Verdict::SelfGraded,
        (CardKind::Typed { q, a, accept }, Response::Text(t)) => judge(
            t,
            &Key {
                answer: a,
                accept,
                question: q,
                synonyms,
            },
        ),
        (CardKind::Cloze { text, gaps, gap }, Response::Text(t)) => match gaps.get(*gap) {
            Some(g) => judge(
                t,
                &Key {
                    answer: &g.answer,
                    accept: &g.accept,
                    question: &cloze_render(text, gaps, Some(*gap)),
                    synonyms,
                },
            ),
            // A gap the card does not have: nothing typed can match it.
            None => Verdict::Wrong,
        },
        (CardKind::Choice { .. }, Response::Choice(i)) => {
            verdict_if(shown.get(*i).copied() == Some(0))
        }
        (CardKind::Choice { a, .. }, Response::Text(t)) => {
            verdict_if(!t.is_empty() && normalize(t) == normalize(a))
        }
        (CardKind::TrueFalse { a, .. }, Response::Bool(b)) => verdict_if(a == b),
        (CardKind::Year { a, tolerance, .. }, Response::Year(y)) => {
            let off = a.abs_diff(*y);
            if off == 0 {
                Verdict::Correct
            } else if off <= *tolerance {
                Verdict::Close
            } else {
                Verdict::Wrong
            }
        }
        (CardKind::Order { .. }, Response::Order(order)) => {
            let truth: Vec<usize> = order
                .iter()
                .map(|&i| shown.get(i).copied().unwrap_or(i))
                .collect();
            order_verdict(&truth)
        }
        _ => Verdict::Wrong,
    }
}

fn verdict_if(right: bool) -> Verdict {
    if right {
        Verdict::Correct
    } else {
        Verdict::Wrong
    }
}

/// Typed text against an answer and its aliases, with no question and no
/// deck synonyms: the examiner's rules and its built-in lexicon only.
pub fn check_text(given: &str, answer: &str, accept: &[String]) -> Verdict {
    judge(
        given,
        &Key {
            answer,
            accept,
            question: "",
            synonyms: &[],
        },
    )
}

/// How many edits still count as a typo: none for short answers or anything
/// with a digit in it, then one per six or so letters, at most three.
pub fn typo_allowance(normalized: &str) -> usize {
    let len = normalized.chars().filter(|c| !c.is_whitespace()).count();
    if normalized.chars().any(|c| c.is_ascii_digit()) || len <= 3 {
        0
    } else if len <= 7 {
        1
    } else if len <= 14 {
        2
    } else {
        3
    }
}

/// Order verdict from the true positions in the order the learner gave:
/// every pair right is correct; at most one pair in five wrong (and at least
/// one allowed) is close.
pub fn order_verdict(truth_in_given_order: &[usize]) -> Verdict {
    let n = truth_in_given_order.len();
    let pairs = n * n.saturating_sub(1) / 2;
    let inversions = inversions(truth_in_given_order);
    if inversions == 0 {
        Verdict::Correct
    } else if inversions <= (pairs / 5).max(1) {
        Verdict::Close
    } else {
        Verdict::Wrong
    }
}

/// Pairs out of order (Kendall tau distance to the sorted sequence).
pub fn inversions(seq: &[usize]) -> usize {
    let mut count = 0;
    for i in 0..seq.len() {
        for j in i + 1..seq.len() {
            if seq[i] > seq[j] {
                count += 1;
            }
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::Gap;

    #[test]
    fn order_input_of_wide_letters_is_refused_not_sliced() {
        // Found by the property test: two letters, two bytes each.
        assert_eq!(parse_order("ǅǅ", 4), Err(InputError::Order(4)));
        assert_eq!(parse_order("2143", 4), Ok(vec![1, 0, 3, 2]));
    }

    use Verdict::*;

    fn typed(a: &str, accept: &[&str]) -> CardKind {
        CardKind::Typed {
            q: "?".into(),
            a: a.into(),
            accept: accept.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn typed_answer_table() {
        let laxman = typed("Adam Laxman", &["Laxman"]);
        let iturup = typed("Iturup", &["Etorofu"]);
        let kodayu = typed("Daikokuya Kōdayū", &["Kodayu", "Kōdayū"]);
        let ussr = typed("Soviet Union", &["USSR"]);
        let table: Vec<(&CardKind, &str, Verdict)> = vec![
            (&laxman, "Adam Laxman", Correct),
            (&laxman, "adam laxman", Correct),
            (&laxman, "laxman", Correct),
            (&laxman, "Laxmann", Close),
            (&laxman, "Adam Laxmna", Close),
            (&laxman, "Rezanov", Wrong),
            (&laxman, "", Wrong),
            (&iturup, "ETOROFU", Correct),
            (&iturup, "Iturop", Close),
            (&iturup, "Kunashir", Wrong),
            (&kodayu, "kodayu", Correct),
            (&kodayu, "Kōdayū", Correct),
            (&kodayu, "daikokuya kodayu", Correct),
            (&kodayu, "Daikokuya Kodaiu", Close),
            (&ussr, "U.S.S.R.", Correct),
            (&ussr, "the Soviet Union", Correct),
            (&ussr, "sovietunion", Correct),
            (&ussr, "USA", Wrong),
        ];
        for (card, input, want) in table {
            assert_eq!(
                check(card, &Response::Text(input.into()), &[]),
                want,
                "{input:?} against {card:?}"
            );
        }
    }

    #[test]
    fn no_typo_tolerance_for_short_answers_or_numbers() {
        assert_eq!(check_text("Ito", "Abe", &[]), Wrong);
        assert_eq!(check_text("abd", "abe", &[]), Wrong);
        assert_eq!(check_text("70,001", "70,000", &[]), Wrong);
        assert_eq!(check_text("56 islands", "57 islands", &[]), Wrong);
        assert_eq!(typo_allowance("abcd"), 1);
        assert_eq!(typo_allowance("portsmouth"), 2);
        assert_eq!(typo_allowance("treaty of saint petersburg"), 3);
    }

    #[test]
    fn year_table() {
        let card = CardKind::Year {
            q: "?".into(),
            a: 1925,
            tolerance: 1,
        };
        let exact = CardKind::Year {
            q: "?".into(),
            a: 1855,
            tolerance: 0,
        };
        let table = [
            (&card, "1925", Correct),
            (&card, "1926", Close),
            (&card, "1924", Close),
            (&card, "1927", Wrong),
            (&exact, "1855", Correct),
            (&exact, "1856", Wrong),
            (&exact, "1855.", Correct),
        ];
        for (card, input, want) in table {
            let r = parse_response(card, input, 0).unwrap();
            assert_eq!(check(card, &r, &[]), want, "{input}");
        }
        assert_eq!(parse_response(&card, "nineteen", 0), Err(InputError::Year));
        assert_eq!(
            check(&card, &parse_response(&card, "", 0).unwrap(), &[]),
            Wrong
        );
    }

    #[test]
    fn choice_by_number_through_the_shuffle() {
        let card = CardKind::Choice {
            q: "?".into(),
            a: "Shimoda".into(),
            wrong: vec!["Nagasaki".into(), "Hakodate".into()],
        };
        // Displayed: Hakodate, Shimoda, Nagasaki.
        let shown = [2, 0, 1];
        let pick = |s: &str| check(&card, &parse_response(&card, s, 3).unwrap(), &shown);
        assert_eq!(pick("2"), Correct);
        assert_eq!(pick("1"), Wrong);
        assert_eq!(pick("3"), Wrong);
        assert_eq!(pick("shimoda"), Correct);
        assert_eq!(pick("Nagasaki"), Wrong);
        assert_eq!(parse_response(&card, "4", 3), Err(InputError::Choice(3)));
        assert_eq!(parse_response(&card, "0", 3), Err(InputError::Choice(3)));
    }

    #[test]
    fn true_false_keys() {
        let card = CardKind::TrueFalse {
            q: "?".into(),
            a: false,
        };
        for (input, want) in [
            ("f", Correct),
            ("F", Correct),
            ("false", Correct),
            ("n", Correct),
            ("no", Correct),
            ("t", Wrong),
            ("yes", Wrong),
            ("TRUE", Wrong),
        ] {
            let r = parse_response(&card, input, 2).unwrap();
            assert_eq!(check(&card, &r, &[]), want, "{input}");
        }
        assert_eq!(parse_response(&card, "maybe", 2), Err(InputError::Bool));
    }

    #[test]
    fn order_scored_by_pairs() {
        let card = CardKind::Order {
            q: "?".into(),
            items: vec!["a".into(), "b".into(), "c".into(), "d".into()],
            dates: vec![],
        };
        // Displayed as d, b, a, c.
        let shown = [3, 1, 0, 2];
        let order = |s: &str| check(&card, &parse_response(&card, s, 4).unwrap(), &shown);
        assert_eq!(order("3 2 4 1"), Correct);
        assert_eq!(order("3241"), Correct);
        assert_eq!(order("3,2,4,1"), Correct);
        assert_eq!(order("2 3 4 1"), Close); // one neighbouring swap
        assert_eq!(order("1 4 2 3"), Wrong); // reversed
        assert_eq!(
            parse_response(&card, "1 1 2 3", 4),
            Err(InputError::Order(4))
        );
        assert_eq!(parse_response(&card, "1 2 3", 4), Err(InputError::Order(4)));
        assert_eq!(
            parse_response(&card, "1 2 3 5", 4),
            Err(InputError::Order(4))
        );
    }

    #[test]
    fn order_verdict_thresholds() {
        assert_eq!(order_verdict(&[0, 1, 2]), Correct);
        assert_eq!(order_verdict(&[1, 0, 2]), Close);
        assert_eq!(order_verdict(&[2, 1, 0]), Wrong);
        assert_eq!(order_verdict(&[0, 2, 1, 4, 3]), Close); // 2 of 10 pairs
        assert_eq!(order_verdict(&[1, 0, 3, 2, 4, 5]), Close); // 2 of 15
        assert_eq!(order_verdict(&[2, 1, 0, 3, 4, 5]), Close); // 3 of 15
        assert_eq!(order_verdict(&[3, 2, 1, 0, 4, 5]), Wrong); // 6 of 15
    }

    #[test]
    fn cloze_gap_with_aliases() {
        let card = CardKind::Cloze {
            text: "{{Iturup|Etorofu}} and {{Kunashir|Kunashiri}}".into(),
            gaps: vec![
                Gap {
                    answer: "Iturup".into(),
                    accept: vec!["Etorofu".into()],
                },
                Gap {
                    answer: "Kunashir".into(),
                    accept: vec!["Kunashiri".into()],
                },
            ],
            gap: 1,
        };
        assert_eq!(
            check(&card, &Response::Text("kunashiri".into()), &[]),
            Correct
        );
        assert_eq!(check(&card, &Response::Text("Iturup".into()), &[]), Wrong);
    }

    #[test]
    fn basic_cards_are_self_graded() {
        let card = CardKind::Basic {
            q: "?".into(),
            a: "x".into(),
        };
        assert_eq!(
            check(&card, &Response::Text(String::new()), &[]),
            SelfGraded
        );
    }
}
