//! `kioku deck try` through the real binary: answers judged on one card as
//! a session judges them, from arguments or standard input, by deck file or
//! deck id, with the deck's synonyms; cards it cannot judge are refused.

use crate::common::Env;

const DECK: &str = r#"format = 1
[deck]
id = "envoys"
title = "Envoys"
synonyms = [["Edo", "Tokyo"]]

[[cards]]
id = "rezanov"
type = "typed"
q = "Which envoy did the emperor send to open trade?"
a = "Nikolai Rezanov"
accept = ["Rezanov"]

[[cards]]
id = "capital"
type = "cloze"
text = "The envoy was kept waiting far from {{Edo}} for months, and {{Nagasaki}} was where he landed."

[[cards]]
id = "year"
type = "year"
q = "In which year did the envoy reach Japan?"
a = 1804
tolerance = 1

[[cards]]
id = "ship"
type = "choice"
q = "On which ship did he sail?"
a = "Nadezhda"
wrong = ["Neva", "Pallada"]

[[cards]]
id = "order"
type = "order"
q = "Put them in order."
items = ["a", "b", "c"]
"#;

fn deck(env: &Env) -> String {
    let path = env.dir.path().join("envoys.toml");
    std::fs::write(&path, DECK).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn answers_are_judged_as_a_session_judges_them() {
    let env = Env::new(&[]);
    let file = deck(&env);
    let out = env.ok(&[
        "deck", "try", &file, "rezanov", "Rezanov", "rezanof", "Laxman",
    ]);
    assert_eq!(out, "correct  Rezanov\nclose    rezanof\nwrong    Laxman\n");
    // The deck's own synonyms count, a gap is named by its number.
    let out = env.ok(&["deck", "try", &file, "capital.1", "Tokyo", "Kyoto"]);
    assert_eq!(out, "correct  Tokyo\nwrong    Kyoto\n");
    let out = env.ok(&["deck", "try", &file, "year", "in 1804", "1805", "1807"]);
    assert_eq!(out, "correct  in 1804\nclose    1805\nwrong    1807\n");
    let out = env.ok(&["deck", "try", &file, "ship", "nadezhda", "Neva"]);
    assert_eq!(out, "correct  nadezhda\nwrong    Neva\n");
}

#[test]
fn answers_come_from_standard_input_too_and_json_is_there() {
    let env = Env::new(&[]);
    let file = deck(&env);
    let (code, out, _) = env.run(
        &["deck", "try", &file, "rezanov"],
        "Nikolai Rezanov\n\nRezanov\n",
    );
    assert_eq!(
        (code, out.as_str()),
        (0, "correct  Nikolai Rezanov\ncorrect  Rezanov\n")
    );
    let v = env.json(&["deck", "try", &file, "rezanov", "Laxman", "--json"]);
    assert_eq!(
        v,
        serde_json::json!({"card": "rezanov", "answers": [{"answer": "Laxman", "verdict": "wrong"}]})
    );
}

#[test]
fn a_loaded_deck_is_found_by_its_id() {
    let env = Env::new(&[]);
    let out = env.ok(&[
        "deck",
        "try",
        "tsarist-era",
        "rezanov-commissioned-by",
        "Alexander I",
    ]);
    assert_eq!(out, "correct  Alexander I\n");
}

#[test]
fn cards_it_cannot_judge_are_refused_with_the_reason() {
    let env = Env::new(&[]);
    let file = deck(&env);
    for (card, answer, message) in [
        (
            "capital",
            "Edo",
            "card `capital` has 2 gaps; name one, `capital.1` to `capital.2`",
        ),
        (
            "order",
            "1 2 3",
            "an order card is judged by the items' positions",
        ),
        ("missing", "x", "deck `envoys` has no card `missing`"),
    ] {
        let (code, out, err) = env.run(&["deck", "try", &file, card, answer], "");
        assert_eq!((code, out.as_str()), (1, ""), "{card}");
        assert!(err.contains(message), "{card}: {err}");
    }
    let (code, _, err) = env.run(&["deck", "try", "tsarist-eras", "x", "y"], "");
    assert_eq!(code, 1);
    assert!(
        err.contains("no deck `tsarist-eras`; did you mean `tsarist-era`?"),
        "{err}"
    );
}

#[test]
fn an_answer_that_cannot_be_read_is_said_so_and_the_rest_are_judged() {
    let env = Env::new(&[]);
    let file = deck(&env);
    let out = env.ok(&["deck", "try", &file, "year", "1804", "soon", "1805"]);
    assert_eq!(
        out,
        "correct  1804\ninvalid  soon  (type a year, like 1905)\nclose    1805\n"
    );
    let v = env.json(&["deck", "try", &file, "year", "soon", "--json"]);
    assert_eq!(v["answers"][0]["verdict"], "invalid");
    assert_eq!(v["answers"][0]["reason"], "type a year, like 1905");
}
