//! The renderer against Anki's own output (`cases.txt`, written by
//! `tests/fixtures/anki/render_cases.py`), and its limits.

use super::*;
use serde_json::Value;

const CASES: &str = include_str!("cases.txt");

/// One case: its `key: value` lines as JSON values.
fn cases() -> Vec<serde_json::Map<String, Value>> {
    CASES
        .split("\n\n")
        .filter(|b| !b.trim().is_empty())
        .map(|block| {
            block
                .lines()
                .map(|line| {
                    let (key, value) = line.split_once(": ").expect("a key: value line");
                    let value = serde_json::from_str(value).expect("a JSON value");
                    (key.to_string(), value)
                })
                .collect()
        })
        .collect()
}

fn text<'a>(case: &'a serde_json::Map<String, Value>, key: &str) -> &'a str {
    case[key].as_str().unwrap_or_default()
}

fn note<'a>(fields: &'a [(&'a str, &'a str)]) -> NoteView<'a> {
    NoteView {
        fields,
        tags: "",
        deck: "Default",
        note_type: "Basic",
        card: "Card 1",
        flag: 0,
        card_id: 0,
        ord: 0,
    }
}

/// Renders one case; the name and what differed when it does not match.
fn check(case: &serde_json::Map<String, Value>) -> Result<(), String> {
    let name = text(case, "name");
    let fields: Vec<(&str, &str)> = case["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| (f[0].as_str().unwrap_or(""), f[1].as_str().unwrap_or("")))
        .collect();
    let view = NoteView {
        tags: text(case, "tags"),
        deck: text(case, "deck"),
        card: text(case, "card"),
        flag: case["flag"].as_u64().unwrap_or(0) as u8,
        ..note(&fields)
    };
    let cloze = case["cloze"].as_u64().map(|n| n as u16);
    let rendered = CardTemplate::parse(text(case, "front"), text(case, "back"))
        .and_then(|t| render(&t, &view, cloze));
    let fail = |what: String| Err(format!("{name}: {what}"));
    let card = match (rendered, case.get("error")) {
        (Err(_), Some(_)) => return Ok(()),
        (Ok(card), Some(error)) => {
            return fail(format!("Anki says {error}, kioku renders {card:?}"))
        }
        (Err(e), None) => return fail(format!("kioku says {e}")),
        (Ok(card), None) => card,
    };
    let blank = case["blank"].as_bool() == Some(true);
    if card.front_has_content == blank {
        return fail(format!("front_has_content is {}", card.front_has_content));
    }
    if blank {
        return Ok(());
    }
    if card.question != text(case, "question") {
        return fail(format!(
            "question {:?}, Anki {:?}",
            card.question, case["question"]
        ));
    }
    if card.answer != text(case, "answer") {
        return fail(format!(
            "answer {:?}, Anki {:?}",
            card.answer, case["answer"]
        ));
    }
    let hints: Vec<&str> = case["hints"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    if card.hints != hints {
        return fail(format!("hints {:?}, Anki {hints:?}", card.hints));
    }
    if let Some(typed) = case.get("typed").and_then(Value::as_str) {
        let expected = card.type_answer.as_ref().map(|t| t.expected.as_str());
        if expected != Some(typed) {
            return fail(format!("typed {expected:?}, Anki {typed:?}"));
        }
    }
    Ok(())
}

#[test]
fn renders_as_anki_does() {
    let cases = cases();
    assert!(cases.len() >= 80, "{} cases", cases.len());
    let failures: Vec<String> = cases.iter().filter_map(|c| check(c).err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
