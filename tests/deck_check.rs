//! Authoring through the real binary: `deck new` writes a deck that checks
//! clean, and `deck check` reports every problem in every file at once.

use crate::common::Env;

#[test]
fn ten_mistakes_give_ten_located_errors_in_one_run() {
    let env = Env::new(&[]);
    let (code, out, _) = env.run(&["deck", "check", "tests/fixtures/ten-mistakes"], "");
    assert_eq!(code, 1, "{out}");
    let errors: Vec<&str> = out.lines().filter(|l| l.contains(": error: ")).collect();
    let located: Vec<(u32, &str)> = errors
        .iter()
        .map(|l| {
            let rest = l
                .strip_prefix("tests/fixtures/ten-mistakes/ten.toml:")
                .unwrap_or_else(|| panic!("{l}"));
            let (line, rest) = rest.split_once(':').unwrap();
            (
                line.parse().unwrap(),
                rest.split_once(": error: ").unwrap().1,
            )
        })
        .collect();
    assert_eq!(
        located,
        [
            (11, "unknown key `anwser` in card `one`"),
            (17, "unknown card type `multiple` in card `two`"),
            (
                28,
                "card `three` has 1 wrong option(s); a choice card needs at least 2"
            ),
            (
                37,
                "the answer `neutrality pact` is also among the wrong options of card `four`"
            ),
            (44, "an empty `{{}}` gap in card `five`"),
            (
                52,
                "card `six` has 2 item(s); an order card needs at least 3"
            ),
            (
                60,
                "`a` of card `seven` must be a year as a number, like `a = 1905`"
            ),
            (68, "`a` of card `eight` must be true or false (no quotes)"),
            (73, "card id `Nine Nine` may only use a-z, 0-9 and -"),
            (81, "duplicate card id `one` (first used on line 7)"),
        ]
    );
    assert!(out.ends_with("10 errors, 0 warnings in 1 file\n"), "{out}");
}

#[test]
fn a_new_deck_checks_clean_and_can_be_studied() {
    let env = Env::new(&[]);
    let dir = env.dir.path().join("mine");
    std::fs::create_dir(&dir).unwrap();
    let file = dir.join("meiji-era.toml");
    let out = env.ok(&["deck", "new", "meiji-era", "--out", file.to_str().unwrap()]);
    assert!(out.contains("one example of every card type"));
    let text = std::fs::read_to_string(&file).unwrap();
    for t in kioku::deck::CARD_TYPES {
        assert!(text.contains(&format!("type = \"{t}\"")), "no {t} card");
    }
    assert_eq!(
        env.ok(&["deck", "check", file.to_str().unwrap()]),
        "0 errors, 0 warnings in 1 file\n"
    );
    let (code, _, err) = env.run(
        &["deck", "new", "meiji-era", "--out", file.to_str().unwrap()],
        "",
    );
    assert_eq!(code, 1);
    assert!(err.contains("already exists"), "{err}");
    let (code, out, _) = env.run(&["--decks", dir.to_str().unwrap(), "study", "--plain"], "");
    assert_eq!(code, 0);
    // 8 cards (the cloze has two gaps), 7 today: gaps of one text wait for another day.
    assert!(
        out.starts_with("kioku · study · meiji-era · 0 to review · 7 new"),
        "{out}"
    );
}

#[test]
fn sections_and_quotes_are_checked_against_the_source() {
    let env = Env::new(&[]);
    let (code, out, _) = env.run(
        &[
            "deck",
            "check",
            "tests/fixtures/sourced",
            "--source",
            "tests/fixtures/sourced/article.txt",
        ],
        "",
    );
    assert_eq!(code, 1, "{out}");
    let problems: Vec<&str> = out.lines().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(
        problems,
        [
            "tests/fixtures/sourced/sourced.toml:25:1: error: card `recognition` cites section `Later Years`, which is not a heading of the source text",
            "tests/fixtures/sourced/sourced.toml:33:1: error: the quote of card `misquoted` is not in the source text word for word",
        ]
    );
    // Without a source text, nothing is said about sections or quotes.
    assert_eq!(
        env.ok(&["deck", "check", "tests/fixtures/sourced"]),
        "0 errors, 0 warnings in 1 file\n"
    );
}

#[test]
fn json_diagnostics_for_editors() {
    let env = Env::new(&[]);
    let (code, out, _) = env.run(&["deck", "check", "--json", "tests/fixtures/broken"], "");
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["files"], 3);
    assert_eq!(v["errors"], 4);
    let first = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["severity"] == "error")
        .unwrap();
    assert_eq!(first["file"], "tests/fixtures/broken/b-broken.toml");
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(11), Some(1))
    );
    assert_eq!(first["message"], "unknown key `anwser` in card `one`");
    assert_eq!(first["hint"], "did you mean `a`?");
    assert!(first["hint"].is_string());
    let warnings = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "warning")
        .count();
    assert_eq!(v["warnings"].as_u64(), Some(warnings as u64));
}

/// No error and no warning in the shipped decks, give-aways included (no
/// card's prompt prints another card's answer in its deck).
#[test]
fn the_shipped_decks_check_clean() {
    let env = Env::new(&[]);
    assert_eq!(
        env.ok(&["deck", "check"]),
        "0 errors, 0 warnings in 9 files\n"
    );
}

#[test]
fn the_same_question_in_two_decks_is_a_warning() {
    let env = Env::new(&[]);
    let dir = env.dir.path().join("twice");
    std::fs::create_dir(&dir).unwrap();
    let deck = |id: &str| {
        format!("format = 1\n[deck]\nid = \"{id}\"\ntitle = \"T\"\n\n[[cards]]\nid = \"c\"\ntype = \"basic\"\nq = \"Who was Sorge?\"\na = \"A spy.\"\nwhy = \"He spied.\"\nsection = \"S\"\n")
    };
    std::fs::write(dir.join("a.toml"), deck("a")).unwrap();
    std::fs::write(dir.join("b.toml"), deck("b")).unwrap();
    let (code, out, _) = env.run(&["deck", "check", dir.to_str().unwrap()], "");
    assert_eq!(code, 0, "warnings alone pass: {out}");
    assert!(
        out.contains("b.toml:6:1: warning: card `c` asks the same question as "),
        "{out}"
    );
    assert!(out.contains("a.toml:6"), "{out}");
}

#[test]
fn a_deck_exports_to_csv_and_markdown() {
    let env = Env::new(&[]);
    let csv = env.ok(&["deck", "export", "tsarist-era", "--format", "csv"]);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        &lines[..3],
        [
            "#separator:Comma",
            "#html:false",
            "#columns:Front,Back,Tags"
        ]
    );
    // One row per card (a cloze with two gaps is two cards); a row may span lines inside quotes.
    let decks = env.json(&["decks", "--json"]);
    let cards = decks["decks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "tsarist-era")
        .unwrap()["cards"]
        .as_u64()
        .unwrap();
    let rows = csv
        .lines()
        .skip(3)
        .filter(|l| l.ends_with(",tsarist-era") || l.contains(",tsarist-era "))
        .count() as u64;
    assert_eq!(rows, cards, "{csv}");
    let path = env.dir.path().join("sheet.md");
    let out = env.ok(&[
        "deck",
        "export",
        "tsarist-era",
        "--out",
        path.to_str().unwrap(),
    ]);
    assert!(out.starts_with("wrote "));
    let md = std::fs::read_to_string(&path).unwrap();
    assert!(
        md.starts_with("# Early contacts and the tsarist era (to 1917)\n"),
        "{md}"
    );
    assert!(md.contains("\n## History\n"), "{md}");
    assert!(md.contains("Adam Laxman"), "{md}");
    let (code, _, err) = env.run(&["deck", "export", "nope"], "");
    assert_eq!(code, 1);
    assert!(
        err.contains("no deck `nope`; the decks are: tsarist-era"),
        "{err}"
    );
}

#[test]
fn fmt_adds_ids_orders_keys_and_keeps_comments() {
    let env = Env::new(&[]);
    let dir = env.dir.path().join("fmt");
    std::fs::create_dir(&dir).unwrap();
    let file = dir.join("d.toml");
    std::fs::write(&file, "format = 1\n\n[deck]\ntitle = \"D\"\nid = \"d\"\n\n# keep me\n[[cards]]\na = \"Laxman\"\ntype = \"typed\"\nq = \"Who sailed to Japan for Catherine?\"\n").unwrap();
    let f = file.to_str().unwrap();
    let (code, out, _) = env.run(&["deck", "fmt", "--check", f], "");
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("would be reformatted"), "{out}");
    assert_eq!(
        env.ok(&["deck", "fmt", f]).lines().last(),
        Some("1 of 1 file reformatted")
    );
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        text,
        "format = 1\n\n[deck]\nid = \"d\"\ntitle = \"D\"\n\n# keep me\n[[cards]]\nid = \"who-sailed-to-japan-for\"\ntype = \"typed\"\nq = \"Who sailed to Japan for Catherine?\"\na = \"Laxman\"\n"
    );
    // A second run, and --check after it, change nothing.
    assert_eq!(
        env.ok(&["deck", "fmt", f]).lines().last(),
        Some("0 of 1 file reformatted")
    );
    assert_eq!(
        env.ok(&["deck", "fmt", "--check", f]).lines().last(),
        Some("0 of 1 file to reformat")
    );
    // It loads: no errors (the card has no why or section, which are warnings).
    let checked = env.ok(&["deck", "check", f]);
    assert_eq!(
        checked.lines().last(),
        Some("0 errors, 2 warnings in 1 file"),
        "{checked}"
    );
}

/// A deck file with its id and its cards, its first `[[cards]]` on line 6.
fn deck_file(id: &str, cards: &str) -> String {
    format!("format = 1\n[deck]\nid = \"{id}\"\ntitle = \"T\"\n\n{cards}")
}

/// A card: `type`, `q` and what follows, with a why and a section.
fn card(id: &str, kind: &str, q: &str, rest: &str) -> String {
    format!("[[cards]]\nid = \"{id}\"\ntype = \"{kind}\"\nq = \"{q}\"\n{rest}\nwhy = \"w\"\nsection = \"S\"\n\n")
}

/// Writes `files` (name, text) into a new folder and checks it.
fn check_files(env: &Env, files: &[(&str, String)], json: bool) -> (i32, String) {
    let dir = env.dir.path().join("given");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    let dir = dir.to_str().unwrap().to_string();
    let args: Vec<&str> = if json {
        vec!["deck", "check", "--json", &dir]
    } else {
        vec!["deck", "check", &dir]
    };
    let (code, out, _) = env.run(&args, "");
    (code, out.replace(&dir, "DIR"))
}

const VISIT_YEAR: &str = "a = 1993\ntolerance = 0";

#[test]
fn a_card_that_prints_another_cards_answer_is_warned_where_it_prints_it() {
    let env = Env::new(&[]);
    let cards = [
        card("yeltsin-visit-year", "year", "In which year did Yeltsin visit Tokyo?", VISIT_YEAR),
        "[[cards]]\nid = \"yeltsin-visit-cloze\"\ntype = \"cloze\"\ntext = \"\"\"\nIn October 1993 {{Boris Yeltsin|Yeltsin}} came to Tokyo.\"\"\"\nwhy = \"w\"\nsection = \"S\"\n\n".to_string(),
    ];
    let text = deck_file("visits", &cards.concat());
    let (code, out) = check_files(&env, &[("visits.toml", text)], false);
    assert_eq!(code, 0, "warnings alone pass: {out}");
    assert_eq!(
        out,
        "DIR/visits.toml:9:24: warning: the question of card yeltsin-visit-year gives away the answer of card yeltsin-visit-cloze.1 (Yeltsin)\n\
         \x20 hint: reword one of them so the answer is not printed, or drop one\n\
         DIR/visits.toml:19:12: warning: the question of card yeltsin-visit-cloze gives away the answer of card yeltsin-visit-year (1993)\n\
         \x20 hint: reword one of them so the answer is not printed, or drop one\n\
         0 errors, 2 warnings in 1 file\n"
    );
    let (_, out) = check_files(&env, &[], true);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["warnings"], 2, "{v}");
    let year = &v["diagnostics"][1];
    assert_eq!(year["file"], "DIR/visits.toml");
    assert_eq!(
        (year["line"].as_u64(), year["column"].as_u64()),
        (Some(19), Some(12))
    );
    assert_eq!(year["severity"], "warning");
    assert_eq!(
        year["message"],
        "the question of card yeltsin-visit-cloze gives away the answer of card yeltsin-visit-year (1993)"
    );
    assert_eq!(
        year["hint"],
        "reword one of them so the answer is not printed, or drop one"
    );
}

#[test]
fn a_word_that_only_holds_the_answer_gives_nothing_away() {
    let env = Env::new(&[]);
    let cards = [
        card("ambassador", "typed", "Who was the envoy?", "a = \"Satō\""),
        card("year", "year", "When did the envoy arrive?", VISIT_YEAR),
        card(
            "zen",
            "typed",
            "Which word did Satori and Satoh use in 19930?",
            "a = \"Satori\"",
        ),
        card(
            "postcode",
            "choice",
            "Which code?",
            "a = \"1993a\"\nwrong = [\"Satoya\", \"x1993\"]",
        ),
    ];
    let (code, out) = check_files(&env, &[("d.toml", deck_file("d", &cards.concat()))], false);
    assert_eq!(
        (code, out.as_str()),
        (0, "0 errors, 0 warnings in 1 file\n")
    );
}

#[test]
fn give_aways_are_looked_for_within_one_deck_only() {
    let env = Env::new(&[]);
    let year = card(
        "yeltsin-visit-year",
        "year",
        "In which year did Yeltsin visit Tokyo?",
        VISIT_YEAR,
    );
    let prints = card(
        "tokyo-1993",
        "truefalse",
        "Did Boris Yeltsin reach Tokyo in 1993?",
        "a = true",
    );
    let files = [
        ("a.toml", deck_file("a", &year)),
        ("b.toml", deck_file("b", &prints)),
    ];
    let (code, out) = check_files(&env, &files, false);
    assert_eq!(
        (code, out.as_str()),
        (0, "0 errors, 0 warnings in 2 files\n")
    );
    // The same two cards in one deck: the true/false card prints the year.
    let both = deck_file("c", &format!("{year}{prints}"));
    std::fs::remove_file(env.dir.path().join("given/b.toml")).unwrap();
    let (_, out) = check_files(&env, &[("a.toml", both)], false);
    assert!(
        out.starts_with("DIR/a.toml:18:39: warning: the question of card tokyo-1993 gives away the answer of card yeltsin-visit-year (1993)\n"),
        "{out}"
    );
    assert!(out.ends_with("0 errors, 1 warning in 1 file\n"), "{out}");
}
