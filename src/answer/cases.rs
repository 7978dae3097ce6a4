//! The examiner's table test: `cases.txt`, one case a line, read and
//! judged; every failing line is reported with its number.

use super::{judge, Key};
use crate::types::Verdict;

/// The table: `answer ; alias ; … | question | response => verdict`.
const CASES: &str = include_str!("cases.txt");

fn verdict(word: &str) -> Option<Verdict> {
    Some(match word {
        "correct" => Verdict::Correct,
        "close" => Verdict::Close,
        "wrong" => Verdict::Wrong,
        _ => return None,
    })
}

#[test]
fn every_case_in_the_table_is_judged_as_written() {
    let mut failures = Vec::new();
    let mut count = 0;
    for (n, line) in CASES.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let parsed = line.rsplit_once("=>").and_then(|(case, want)| {
            let mut fields = case.split(" | ");
            let key = fields.next()?;
            let question = fields.next()?;
            let response = fields.next()?;
            (fields.next().is_none()).then_some(())?;
            Some((key, question.trim(), response.trim(), verdict(want.trim())?))
        });
        let Some((key, question, response, want)) = parsed else {
            failures.push(format!(
                "line {}: not `key | question | response => verdict`",
                n + 1
            ));
            continue;
        };
        let mut names = key.split(';').map(|s| s.trim().to_string());
        let answer = names.next().unwrap_or_default();
        let accept: Vec<String> = names.collect();
        let got = judge(
            response,
            &Key {
                answer: &answer,
                accept: &accept,
                question,
                synonyms: &[],
            },
        );
        count += 1;
        if got != want {
            failures.push(format!(
                "line {}: {response:?} is {got:?}, not {want:?}",
                n + 1
            ));
        }
    }
    assert!(failures.is_empty(), "cases.txt:\n{}", failures.join("\n"));
    assert!(count >= 300, "only {count} cases");
}
