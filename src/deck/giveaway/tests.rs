//! The give-away rule on small decks written here: what counts as a
//! prompt and an answer, and where each warning is placed in the file.

use super::*;
use crate::deck::parse_deck;

/// A deck file of `cards`, its first `[[cards]]` on line 5.
fn file(cards: &str) -> String {
    format!("format = 1\n[deck]\nid = \"d\"\ntitle = \"T\"\n{cards}")
}

/// The give-aways of a deck file: line, column and message.
fn warned(src: &str) -> Vec<(usize, usize, String)> {
    let outcome = parse_deck(src);
    let deck = outcome
        .deck
        .unwrap_or_else(|| panic!("{:?}", outcome.diagnostics));
    give_aways(src, &deck)
        .into_iter()
        .map(|d| {
            assert_eq!(d.severity, Severity::Warning);
            assert_eq!(d.hint.as_deref(), Some(HINT));
            (d.line, d.column, d.message)
        })
        .collect()
}

/// The messages alone.
fn messages(src: &str) -> Vec<String> {
    warned(src).into_iter().map(|(_, _, m)| m).collect()
}

/// A typed card (five lines) with its `accept` list as written.
fn typed(id: &str, q: &str, a: &str, accept: &str) -> String {
    format!("[[cards]]\nid = \"{id}\"\ntype = \"typed\"\nq = \"{q}\"\na = \"{a}\"\naccept = [{accept}]\n")
}

fn message(prompt: &str, answer: &str, written: &str) -> String {
    format!("the question of card {prompt} gives away the answer of card {answer} ({written})")
}

const YEAR: &str = "[[cards]]\nid = \"visit-year\"\ntype = \"year\"\nq = \"In which year did Yeltsin visit Tokyo?\"\na = 1993\n";

#[test]
fn a_year_in_a_cloze_text_and_a_gap_in_a_question_are_placed_where_they_stand() {
    let cloze = "[[cards]]\nid = \"visit\"\ntype = \"cloze\"\ntext = \"In 1993 {{Yeltsin|Boris Yeltsin}} came to {{Tokyo}}.\"\n";
    let src = file(&format!("{YEAR}{cloze}"));
    assert_eq!(
        warned(&src),
        [
            (8, 24, message("visit-year", "visit.1", "Yeltsin")),
            (8, 38, message("visit-year", "visit.2", "Tokyo")),
            (13, 12, message("visit", "visit-year", "1993")),
        ]
    );
}

#[test]
fn answers_are_whole_words_folded() {
    let sato = typed(
        "sato",
        "Who was the ambassador?",
        "Naotake Satō",
        "\"Sato\"",
    );
    let year = "[[cards]]\nid = \"y\"\ntype = \"year\"\nq = \"When?\"\na = 1993\n";
    let quiet = [
        typed("a", "What is Satori?", "Zen", ""),
        typed("b", "Which code was 19930?", "Zip", ""),
        typed("c", "Was it 1993a or Naotake-Satōx?", "Who", ""),
    ];
    assert_eq!(
        messages(&file(&format!("{sato}{year}{}", quiet.concat()))),
        Vec::<String>::new()
    );
    let loud = typed("d", "Did SATO's envoy come in (1993)?", "Yes", "");
    let src = file(&format!("{sato}{year}{loud}"));
    assert_eq!(
        warned(&src),
        [
            (19, 10, message("d", "sato", "Sato")),
            (19, 32, message("d", "y", "1993")),
        ]
    );
    // The full name with its accent, across a dash, is the earlier form.
    let full = typed("e", "Was NAOTAKE–sato there?", "Yes", "");
    assert_eq!(
        warned(&file(&format!("{sato}{full}"))),
        [(14, 10, message("e", "sato", "Naotake Satō"))]
    );
}

#[test]
fn short_names_count_as_written_and_function_words_never() {
    let us = typed(
        "us",
        "Which power?",
        "United States",
        "\"US\", \"the U.S.\", \"G7\", \"Both\", \"Abe\"",
    );
    // `US` and `Abe` are names where the prompt writes them so; `Both`
    // is a function word however it is written.
    let other = typed("o", "Did both the US and Abe's G7 meet?", "Yes", "");
    assert_eq!(
        warned(&file(&format!("{us}{other}"))),
        [(14, 19, message("o", "us", "US"))]
    );
    let lower = typed("l", "Did they tell us, and abe the wise, both?", "Yes", "");
    assert_eq!(
        messages(&file(&format!("{us}{lower}"))),
        Vec::<String>::new()
    );
    let named = typed("a", "What did Abe propose?", "Peace", "");
    assert_eq!(
        messages(&file(&format!("{us}{named}"))),
        [message("a", "us", "Abe")]
    );
    let choice = "[[cards]]\nid = \"c\"\ntype = \"choice\"\nq = \"Which?\"\na = \"None\"\nwrong = [\"All\", \"Some\"]\n";
    let asks = typed("n", "Did none of them come?", "No", "");
    assert_eq!(
        messages(&file(&format!("{choice}{asks}"))),
        Vec::<String>::new()
    );
}

#[test]
fn a_note_never_gives_itself_away_and_a_pair_is_warned_once() {
    let choice = "[[cards]]\nid = \"pact\"\ntype = \"choice\"\nq = \"Which pact, Neutrality Pact or not?\"\na = \"Neutrality Pact\"\nwrong = [\"Anti-Comintern Pact\", \"Tripartite Pact\"]\n";
    let cloze = "[[cards]]\nid = \"pacts\"\ntype = \"cloze\"\ntext = \"The {{Tripartite Pact}} and the Tripartite Pact.\"\n";
    let order = "[[cards]]\nid = \"o\"\ntype = \"order\"\nq = \"Order them.\"\nitems = [\"Yalta\", \"Potsdam\", \"Tokyo\"]\n";
    let tf = "[[cards]]\nid = \"t\"\ntype = \"truefalse\"\nq = \"Was Potsdam in 1945, at Yalta?\"\na = true\n";
    let src = file(&format!("{choice}{cloze}{order}{tf}"));
    // The choice's options print the cloze's answer; order and
    // true/false cards have no answer to give away.
    assert_eq!(
        messages(&src),
        [message("pact", "pacts.1", "Tripartite Pact")]
    );
    let twice = typed(
        "who",
        "Gromyko or Andrei Gromyko?",
        "Andrei Gromyko",
        "\"Gromyko\"",
    );
    let asks = typed(
        "asks",
        "Was Andrei Gromyko, that is Gromyko, there?",
        "Yes",
        "",
    );
    assert_eq!(
        warned(&file(&format!("{twice}{asks}"))),
        [(14, 10, message("asks", "who", "Andrei Gromyko"))]
    );
}

#[test]
fn options_items_and_values_over_lines_are_placed_in_the_file() {
    let answer = typed("port", "Where was peace signed?", "Portsmouth", "");
    // Keys in any order, an array over lines, an escape and accents
    // before the answer: the column counts the file's characters.
    let choice = "[[cards]]\nwrong = [\n  \"Shimoda\",\n  \"Kōbe \\u00e9 at portsmouth\",\n]\nid = \"c\"\ntype = \"choice\"\na = \"Nagasaki\"\nq = \"Which port?\"\n";
    let order = "[[cards]]\nid = \"o\"\ntype = \"order\"\nq = \"\"\"Put these\nin order.\"\"\"\nitems = ['Kyoto', 'Nara', 'Old Portsmouth']\n";
    let multi = "[[cards]]\nid = \"m\"\ntype = \"basic\"\nq = \"\"\"\nWho came \\\n  to Portsmouth?\"\"\"\na = \"Witte\"\n";
    let src = file(&format!("{answer}{choice}{order}{multi}"));
    assert_eq!(
        warned(&src),
        [
            (14, 19, message("c", "port", "Portsmouth")),
            (25, 32, message("o", "port", "Portsmouth")),
            (31, 6, message("m", "port", "Portsmouth")),
        ]
    );
}

#[test]
fn an_escaped_answer_is_placed_at_its_escape_and_a_lost_card_at_its_line() {
    let answer = typed("port", "Where was peace signed?", "Portsmouth", "");
    let escaped = typed("e", "At \\u0050ortsmouth?", "Yes", "");
    let src = file(&format!("{answer}{escaped}"));
    assert_eq!(src.lines().nth(13), Some("q = \"At \\u0050ortsmouth?\""));
    assert_eq!(warned(&src), [(14, 9, message("e", "port", "Portsmouth"))]);
    // A card the file's tables do not place is not placed.
    let deck = parse_deck(&src).deck.unwrap();
    let mut lost = deck.cards[1].clone();
    lost.line = 99;
    let hit = Hit {
        field: 0,
        value: 0,
        start: 1,
        form: 0,
    };
    let words = ["portsmouth".to_string()];
    let places = Places::read(&src);
    assert_eq!(
        places.locate(&src, &deck.cards[1], hit, &words),
        Some((14, 9))
    );
    assert_eq!(places.locate(&src, &lost, hit, &words), None);
    assert!(Places::read("not = [toml").root.is_none());
}

#[test]
fn toml_strings_are_read_with_their_escapes_and_every_byte_placed() {
    let (text, offsets) = unquote(r#""a\"b \u00e9\tc""#);
    assert_eq!(text, "a\"b é c");
    assert_eq!(offsets, [1, 2, 4, 5, 6, 6, 12, 14]);
    assert_eq!(unquote(r"'''x\y'''").0, r"x\y");
    assert_eq!(unquote("\"\"\"one \\\n   two\"\"\"").0, "one two");
    // Cut inside a character nothing is read; not a string, all of it.
    assert_eq!(unquote("\"é").0, "");
    assert_eq!(unquote("12").0, "12");
}

#[test]
fn h1_five_thousand_cards_cost_a_few_passes_not_every_pair() {
    // Each card names the next one's answer: 5,000 warnings, each
    // placed, in one pass for each answer length.
    let cards: String = (0..5_000)
        .map(|i| {
            typed(
                &format!("c{i}"),
                &format!(
                    "After name{} and a long question of many words here?",
                    i + 1
                ),
                &format!("name{i}"),
                "\"Name Of Many Words Here\"",
            )
        })
        .collect();
    let src = file(&cards);
    let started = std::time::Instant::now();
    let warned = warned(&src);
    assert_eq!(warned.len(), 4_999);
    assert_eq!(warned[0], (8, 12, message("c0", "c1", "name1")));
    assert_eq!(warned[4_998].0, 5 + 6 * 4_998 + 3);
    assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
}

#[test]
fn a_lone_gap_is_hidden_in_its_own_prompt_and_a_gap_beside_others_is_shown() {
    let asked = typed("who", "Who came to Tokyo in winter?", "Yeltsin", "");
    let lone =
        "[[cards]]\nid = \"lone\"\ntype = \"cloze\"\ntext = \"{{Yeltsin}} came in the end.\"\n";
    assert_eq!(
        messages(&file(&format!("{asked}{lone}"))),
        Vec::<String>::new()
    );
    let pair =
        "[[cards]]\nid = \"pair\"\ntype = \"cloze\"\ntext = \"{{Yeltsin}} came in {{1993}}.\"\n";
    assert_eq!(
        messages(&file(&format!("{asked}{pair}"))),
        [message("pair", "who", "Yeltsin")]
    );
}
