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

fn one(front: &str, back: &str, fields: &[(&str, &str)], cloze: Option<u16>) -> RenderedCard {
    let template = CardTemplate::parse(front, back).expect("a template");
    render(&template, &note(fields), cloze).expect("a card")
}

#[test]
fn a_basic_card_gives_its_parts() {
    let fields = [
        ("Front", "Capital of Japan?"),
        ("Back", "Tokyo"),
        ("Note", ""),
    ];
    let card = one(
        "{{Front}}{{hint:Note}}{{hint:Back}}",
        "{{FrontSide}}<hr id=answer>{{Back}}{{Note}}",
        &fields,
        None,
    );
    assert_eq!(card.question, "Capital of Japan?");
    assert_eq!(card.answer, "Capital of Japan?<hr id=answer>Tokyo");
    assert_eq!(card.beyond_front, "<hr id=answer>Tokyo");
    assert_eq!(card.hints, ["Tokyo"]);
    assert_eq!(card.shown, [0, 1]);
    assert!(card.front_has_content);
    assert_eq!(card.type_answer, None);
}

#[test]
fn a_typed_card_names_its_field_and_answer() {
    let fields = [("Front", "1905 treaty?"), ("Back", "<i>Portsmouth</i>")];
    let card = one(
        "{{Front}}\n{{type:Back}}",
        "{{FrontSide}}<hr id=answer>{{type:Back}}",
        &fields,
        None,
    );
    assert_eq!(card.question, "1905 treaty?\n");
    assert_eq!(card.beyond_front, "<hr id=answer>");
    let typed = card.type_answer.expect("a type box");
    assert_eq!((typed.field.as_str(), typed.cloze), ("Back", false));
    assert_eq!(typed.expected, "<i>Portsmouth</i>");
}

#[test]
fn a_cloze_card_gives_its_deletions_and_hints() {
    let fields = [
        (
            "Text",
            "{{c1::Laxman::who}} came in {{c2::1792}}; {{c1::Rezanov}} later",
        ),
        ("Extra", "ex"),
    ];
    let card = one(
        "{{cloze:Text}}{{type:cloze:Text}}",
        "{{cloze:Text}}<br>{{Extra}}",
        &fields,
        Some(1),
    );
    assert_eq!(card.cloze_answers, ["Laxman", "Rezanov"]);
    assert_eq!(card.cloze_hints, [Some("who".to_string()), None]);
    assert!(card.question.contains("[who]") && card.question.contains("[...]"));
    assert!(card
        .answer
        .contains("<span class=\"cloze\" data-ordinal=\"1\">Laxman</span>"));
    assert_eq!(
        card.type_answer.expect("a type box").expected,
        "Laxman, Rezanov"
    );
    let none = one("{{cloze:Text}}", "{{cloze:Text}}", &fields, Some(3));
    assert!(!none.front_has_content);
    assert_eq!(none.question, "");
    let only = one(
        "{{cloze-only:Text}}",
        "{{cloze-only:Text}}",
        &fields,
        Some(2),
    );
    assert!(only.front_has_content);
    assert_eq!(
        (only.question.as_str(), only.answer.as_str()),
        ("...", "1792")
    );
}

#[test]
fn the_special_fields_and_the_template_position() {
    let fields = [("Front", "{{c1::a}} {{c2::b}}")];
    let view = NoteView {
        tags: "history japan",
        deck: "Japan::Meiji",
        note_type: "Basic (and reversed card)",
        card: "Card 2",
        flag: 0,
        card_id: 1_700_000_000_123,
        ord: 1,
        ..note(&fields)
    };
    let t = CardTemplate::parse(
        "{{Tags}}/{{Deck}}/{{Subdeck}}/{{Type}}/{{Card}}/{{CardFlag}}/{{CardID}}",
        "{{cloze:Front}}",
    )
    .expect("a template");
    let card = render(&t, &view, None).expect("a card");
    assert_eq!(
        card.question,
        "history japan/Japan::Meiji/Meiji/Basic (and reversed card)/Card 2/flag0/1700000000123"
    );
    // The second template of a note type that is no cloze type shows c2.
    assert!(card.answer.contains("data-ordinal=\"2\">b</span>"));
    assert!(card
        .answer
        .contains("cloze-inactive\" data-ordinal=\"1\">a<"));
}

#[test]
fn broken_templates_are_errors_with_anki_s_words() {
    let error = |front: &str, back: &str| {
        CardTemplate::parse(front, back)
            .and_then(|t| render(&t, &note(&[("Front", "f")]), None))
            .expect_err("broken")
            .to_string()
    };
    assert_eq!(
        error("{{Nope}}", ""),
        "Front template has a problem: Found '{{Nope}}', but there is no field called 'Nope'"
    );
    assert_eq!(
        error("{{Front}}", "{{#Front}}"),
        "Back template has a problem: Missing '{{/Front}}'"
    );
    assert_eq!(
        error("{{#Front}}{{/Back}}", ""),
        "Front template has a problem: Found '{{/Back}}', but expected '{{/Front}}'"
    );
    // Anki reads no back behind a blank front.
    let t = CardTemplate::parse("{{Front}}", "{{#Front}}").expect("a front");
    assert!(t.problem().is_some());
    let blank = render(&t, &note(&[("Front", "<br>")]), None).expect("a blank card");
    assert!(!blank.front_has_content);
    assert_eq!(
        (blank.answer.as_str(), blank.beyond_front.as_str()),
        ("", "")
    );
    assert!(render(&t, &note(&[("Front", "f")]), None).is_err());
}

#[test]
fn nesting_and_size_are_bounded() {
    let fields = [("F", "x")];
    let nested = |depth: usize| "{{#F}}".repeat(depth) + "{{F}}" + &"{{/F}}".repeat(depth);
    assert_eq!(
        one(&nested(MAX_SECTION_DEPTH), "", &fields, None).question,
        "x"
    );
    assert!(CardTemplate::parse(&nested(MAX_SECTION_DEPTH + 1), "").is_err());
    assert!(CardTemplate::parse(&nested(100_000), "").is_err());

    // One megabyte named a thousand times would be a gigabyte.
    let big = "a".repeat(1 << 20);
    let fields = [("F", big.as_str())];
    let t = CardTemplate::parse(&"{{F}}".repeat(1000), "").expect("a template");
    let start = std::time::Instant::now();
    assert!(render(&t, &note(&fields), None).is_err());
    let t = CardTemplate::parse(&"{{hint:F}}{{type:F}}{{text:F}}".repeat(1000), "")
        .expect("a template");
    assert!(render(&t, &note(&fields), None).is_err());
    let t = CardTemplate::parse(&"{{#F}}{{/F}}{{^Tags}}{{/Tags}}".repeat(100_000), "").expect("ok");
    assert!(render(&t, &note(&fields), None).is_ok());
    let t = CardTemplate::parse(&"{{kana:F}}".repeat(1000), "{{FrontSide}}").expect("ok");
    assert!(render(&t, &note(&[("F", "")]), None).is_ok());
    assert!(start.elapsed().as_secs() < 10, "{:?}", start.elapsed());

    // Each hidden deletion repeats its inside, escaped, in an attribute.
    let deep = |n: usize| "{{c1::".repeat(n) + "x" + &"}}".repeat(n);
    for n in [cloze::MAX_CLOZE_DEPTH, cloze::MAX_CLOZE_DEPTH + 1, 10_000] {
        let text = deep(n);
        let t = CardTemplate::parse("{{cloze:T}}", "{{cloze:T}}").expect("a template");
        let _ = render(&t, &note(&[("T", text.as_str())]), Some(1));
    }
    let wide = "{{c1::<b>&amp;</b> }}".repeat(200_000);
    let t = CardTemplate::parse("{{cloze:T}}", "{{cloze:T}}").expect("a template");
    assert!(render(&t, &note(&[("T", wide.as_str())]), Some(1)).is_err());
}

#[test]
fn h2_reading_takes_linear_time() {
    let start = std::time::Instant::now();
    let many = [
        "{{".repeat(200_000),
        "}}".repeat(200_000),
        "<!--".repeat(200_000),
        "<!-- -->{{F}}".repeat(50_000),
        "{{F}}<!--".repeat(50_000),
        "{{=<% %>=}}".to_string() + &"<%".repeat(200_000),
    ];
    for template in &many {
        let _ =
            CardTemplate::parse(template, template).map(|t| render(&t, &note(&[("F", "")]), None));
    }
    let fields = [
        "[".repeat(300_000),
        "a[".repeat(150_000) + "]",
        "{{c1::".repeat(100_000),
        "}}".repeat(300_000),
        "{{c".repeat(200_000),
        "<script".repeat(100_000),
        "<!--".repeat(100_000),
        "<".repeat(300_000),
    ];
    let t = CardTemplate::parse(
        "{{furigana:F}}{{text:F}}{{cloze:F}}{{cloze-only:F}}",
        "{{kanji:F}}{{type:cloze:F}}",
    )
    .expect("a template");
    for field in &fields {
        let _ = render(&t, &note(&[("F", field.as_str())]), Some(1));
    }
    assert!(start.elapsed().as_secs() < 10, "{:?}", start.elapsed());
}

#[test]
fn garbage_never_panics() {
    const PIECES: &[&str] = &[
        "{{",
        "}}",
        "{",
        "}",
        "#",
        "^",
        "/",
        "F",
        "G",
        ":",
        "::",
        "c1::",
        "{{c2::",
        "text:",
        "cloze:",
        "hint:",
        "type:",
        "furigana:",
        "kana:",
        "<!--",
        "-->",
        "{{=<% %>=}}",
        "<%",
        "%>",
        "[",
        "]",
        " ",
        "\n",
        "<br>",
        "<div>",
        "&nbsp;",
        "&amp;",
        "é",
        "日",
        "FrontSide",
        "Tags",
        "\u{0}",
        "\u{200b}",
        "sound:",
        ">",
        "<",
    ];
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut garbage = |n: u64| -> String {
        let len = next() % n;
        (0..len)
            .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
            .collect()
    };
    for _ in 0..3000 {
        let (front, back, f, g) = (garbage(40), garbage(40), garbage(30), garbage(30));
        let fields = [("F", f.as_str()), ("G", g.as_str())];
        if let Ok(t) = CardTemplate::parse(&front, &back) {
            for cloze in [None, Some(1), Some(2)] {
                let _ = render(&t, &note(&fields), cloze);
            }
        }
    }
}
