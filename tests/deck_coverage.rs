//! `kioku deck coverage` through the real binary: a deck and a text written
//! here, the sentences no card tests listed under their section with their
//! line, the shares per section, per text and overall, the JSON, and
//! `--min` failing below its share.

use crate::common::Env;
use std::path::Path;

const TEXT: &str = "\
Harbour towns
A short history of the harbour towns of the northern coast, told one town at a time here.
Founding
The town of Nemuro was founded in 1790 by fishermen from the south. The first church was built by Ada Ross.
Trade
In 1801 the merchants of Nemuro sold kelp to Osaka. Prices rose because the catch was small. Things were quiet then.
See also
- Other towns (1999)
";

const DECK: &str = r#"format = 1
[deck]
id = "harbours"
title = "Harbour towns"
source = "Harbour towns"

[[cards]]
id = "founded"
type = "year"
q = "When did fishermen found the town of Nemuro?"
a = 1790
section = "Founding"

[[cards]]
id = "kelp"
type = "typed"
q = "What did the Nemuro merchants sell to Osaka?"
a = "kelp"
section = "Trade"
"#;

fn setup(env: &Env) -> (String, String) {
    let deck = env.dir.path().join("harbours.toml");
    let text = env.dir.path().join("harbours.txt");
    std::fs::write(&deck, DECK).unwrap();
    std::fs::write(&text, TEXT).unwrap();
    let s = |p: &Path| p.to_str().unwrap().to_string();
    (s(&deck), s(&text))
}

#[test]
fn the_uncovered_sentences_are_listed_under_their_section_with_the_shares() {
    let env = Env::new(&[]);
    let (deck, text) = setup(&env);
    let out = env.ok(&["deck", "coverage", &deck, "--source", &text]);
    let expected = format!(
        "Harbour towns ({text})
   50.0%        1/2  Founding
            line 4: The first church was built by Ada Ross.
   50.0%        1/2  Trade
            line 6: Prices rose because the catch was small.
   50.0%        2/4  in all
2 of 4 fact sentences covered (50.0%)
"
    );
    assert_eq!(out, expected);
}

#[test]
fn the_json_names_the_cards_that_cover_each_sentence() {
    let env = Env::new(&[]);
    let (deck, text) = setup(&env);
    let v = env.json(&["deck", "coverage", &deck, "--source", &text, "--json"]);
    assert_eq!(
        (v["facts"].as_u64(), v["covered"].as_u64()),
        (Some(4), Some(2))
    );
    assert_eq!(v["percent"].as_f64(), Some(50.0));
    let trade = &v["texts"][0]["sections"][1];
    assert_eq!(trade["heading"], "Trade");
    assert_eq!(trade["sentences"][0]["line"], 6);
    assert_eq!(
        trade["sentences"][0]["cards"],
        serde_json::json!(["harbours/kelp"])
    );
    assert_eq!(trade["sentences"][1]["cards"], serde_json::json!([]));
}

#[test]
fn min_fails_below_its_share_and_a_broken_deck_is_refused_with_its_place() {
    let env = Env::new(&[]);
    let (deck, text) = setup(&env);
    let (code, _, _) = env.run(
        &["deck", "coverage", &deck, "--source", &text, "--min", "50"],
        "",
    );
    assert_eq!(code, 0);
    let (code, out, _) = env.run(
        &["deck", "coverage", &deck, "--source", &text, "--min", "51"],
        "",
    );
    assert_eq!(code, 1, "{out}");
    std::fs::write(&deck, DECK.replace("a = 1790", "a = \"1790\"")).unwrap();
    let (code, out, err) = env.run(&["deck", "coverage", &deck, "--source", &text], "");
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(
        err.contains("harbours.toml:11:5: error: `a` of card `founded`"),
        "{err}"
    );
    let (code, _, err) = env.run(&["deck", "coverage", &deck], "");
    assert_eq!(code, 2, "--source is required: {err}");
}

#[test]
fn a_deck_is_named_by_its_id_as_well_as_by_its_file() {
    let mut env = Env::new(&[]);
    let (deck, text) = setup(&env);
    let by_file = env.ok(&["deck", "coverage", &deck, "--source", &text]);
    env.decks = vec![env.dir.path().to_path_buf()];
    let by_id = env.ok(&["deck", "coverage", "harbours", "--source", &text]);
    assert_eq!(by_id, by_file);
    let (code, _, err) = env.run(&["deck", "coverage", "harbour", "--source", &text], "");
    assert_eq!(code, 1);
    assert!(
        err.contains("no deck `harbour`; did you mean `harbours`?"),
        "{err}"
    );
}

#[test]
fn a_text_with_no_fact_fails_min_and_cards_that_cite_nothing_are_counted() {
    let env = Env::new(&[]);
    let (deck, _) = setup(&env);
    let empty = env.dir.path().join("empty.txt");
    std::fs::write(
        &empty,
        "Nothing here\nthe end of it all came quietly and went.\n",
    )
    .unwrap();
    let empty = empty.to_str().unwrap();
    let (code, _, _) = env.run(&["deck", "coverage", &deck, "--source", empty], "");
    assert_eq!(code, 0, "without --min a share of nothing is only shown");
    let (code, _, err) = env.run(
        &["deck", "coverage", &deck, "--source", empty, "--min", "0"],
        "",
    );
    assert_eq!(code, 1);
    assert!(err.contains("no sentence that states a fact"), "{err}");
    std::fs::write(&deck, DECK.replace("section = \"Trade\"\n", "")).unwrap();
    let text = env.dir.path().join("harbours.txt");
    let (code, out, err) = env.run(
        &[
            "deck",
            "coverage",
            &deck,
            "--source",
            text.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(code, 0);
    assert!(
        out.ends_with("1 of 4 fact sentences covered (25.0%)\n"),
        "{out}"
    );
    assert!(
        err.contains("0 card(s) cite no source and 1 no section"),
        "{err}"
    );
}

#[test]
fn a_byte_order_mark_is_not_part_of_the_first_line() {
    let env = Env::new(&[]);
    let (deck, text) = setup(&env);
    let plain = env.ok(&["deck", "coverage", &deck, "--source", &text]);
    std::fs::write(&text, format!("\u{feff}{TEXT}")).unwrap();
    assert_eq!(
        env.ok(&["deck", "coverage", &deck, "--source", &text]),
        plain
    );
}
