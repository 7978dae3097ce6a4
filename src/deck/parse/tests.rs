//! Unit tests of the deck parser: one table of deck texts and the deck or
//! the located diagnostics each must give.

use super::*;
use crate::deck::MAX_SYNONYM_NAMES;

const HEADER: &str = "format = 1\n\n[deck]\nid = \"d\"\ntitle = \"T\"\n\n";

fn errors_of(src: &str) -> Vec<(usize, usize, String)> {
    let out = parse_deck(src);
    out.errors()
        .map(|d| (d.line, d.column, d.message.clone()))
        .collect()
}

/// Each bad card, placed after a valid header, gives one error at the
/// expected line:column that says what is wrong.
#[test]
fn deck_error_table() {
    let table: &[(&str, usize, usize, &str)] = &[
        ("[[cards]]\nid = \"x\"\ntype = \"typed\"\nq = \"Q\"\nanwser = \"A\"\na = \"A\"\n", 11, 1, "unknown key `anwser` in card `x`"),
        ("[[cards]]\nid = \"x\"\ntype = \"typo\"\nq = \"Q\"\na = \"A\"\n", 9, 8, "unknown card type `typo`"),
        ("[[cards]]\nid = \"x\"\ntype = \"choice\"\nq = \"Q\"\na = \"A\"\nwrong = [\"B\"]\n", 12, 9, "1 wrong option(s); a choice card needs at least 2"),
        ("[[cards]]\nid = \"x\"\ntype = \"choice\"\nq = \"Q\"\na = \"Shimoda\"\nwrong = [\"Nagasaki\", \"shimoda\"]\n", 12, 9, "the answer `shimoda` is also among the wrong options"),
        ("[[cards]]\nid = \"x\"\ntype = \"cloze\"\ntext = \"No gap here\"\n", 10, 8, "card `x` has no gap"),
        ("[[cards]]\nid = \"x\"\ntype = \"cloze\"\ntext = \"An {{}} gap\"\n", 10, 8, "an empty `{{}}` gap"),
        ("[[cards]]\nid = \"x\"\ntype = \"cloze\"\ntext = \"An {{open gap\"\n", 10, 8, "never closed"),
        ("[[cards]]\nid = \"x\"\ntype = \"order\"\nq = \"Q\"\nitems = [\"a\", \"b\"]\n", 11, 9, "2 item(s); an order card needs at least 3"),
        ("[[cards]]\nid = \"x\"\ntype = \"year\"\nq = \"Q\"\na = \"1905\"\n", 11, 5, "must be a year as a number"),
        ("[[cards]]\nid = \"x\"\ntype = \"truefalse\"\nq = \"Q\"\na = \"yes\"\n", 11, 5, "must be true or false"),
        ("[[cards]]\nid = \"Bad Id\"\ntype = \"basic\"\nq = \"Q\"\na = \"A\"\n", 8, 6, "may only use a-z, 0-9 and -"),
        ("[[cards]]\nid = \"x\"\ntype = \"typed\"\nq = \"Q\"\na = \"A\"\nwrong = [\"B\", \"C\"]\n", 12, 1, "`wrong` is not used by `typed` cards"),
        ("[[cards]]\nid = \"x\"\ntype = \"basic\"\na = \"A\"\n", 7, 1, "card `x` has no `q`"),
        ("[[cards]]\ntype = \"basic\"\nq = \"Q\"\na = \"A\"\n", 7, 1, "this card has no `id`"),
        ("[[cards]]\nid = \"x\"\ntype = \"basic\"\nq = \"\"\na = \"A\"\n", 10, 5, "`q` of card `x` is empty"),
        ("[[cards]]\nid = \"x\"\ntype = \"order\"\nq = \"Q\"\nitems = [\"a\", \"b\", \"c\"]\ndates = [\"1\"]\n", 12, 9, "1 dates for 3 items"),
    ];
    for (card, line, col, msg) in table {
        let src = format!("{HEADER}{card}");
        let errors = errors_of(&src);
        assert_eq!(
            errors.len(),
            1,
            "one error expected for:\n{card}\ngot {errors:?}"
        );
        let (l, c, m) = &errors[0];
        assert!(m.contains(msg), "message {m:?} should contain {msg:?}");
        assert_eq!((*l, *c), (*line, *col), "location of {msg:?}");
    }
}

#[test]
fn misspelt_key_gets_a_suggestion() {
    let src = format!(
        "{HEADER}[[cards]]\nid = \"x\"\ntype = \"typed\"\nq = \"Q\"\nanwser = \"A\"\na = \"A\"\n"
    );
    let out = parse_deck(&src);
    let d = out.errors().next().unwrap();
    assert_eq!(d.hint.as_deref(), Some("did you mean `a`?"));
    assert_eq!(
        d.display("decks/x.toml")
            .to_string()
            .lines()
            .next()
            .unwrap(),
        "decks/x.toml:11:1: error: unknown key `anwser` in card `x`"
    );
}

#[test]
fn duplicate_card_ids_point_at_the_second() {
    let src = format!(
        "{HEADER}[[cards]]\nid = \"x\"\ntype = \"basic\"\nq = \"Q\"\na = \"A\"\n\n[[cards]]\nid = \"x\"\ntype = \"basic\"\nq = \"Q2\"\na = \"A\"\n"
    );
    let errors = errors_of(&src);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, 14);
    assert!(
        errors[0]
            .2
            .contains("duplicate card id `x` (first used on line 7)"),
        "{errors:?}"
    );
}

#[test]
fn every_problem_in_a_file_is_reported_at_once() {
    let src = format!(
        "{HEADER}[[cards]]\nid = \"a\"\ntype = \"typo\"\n\n[[cards]]\nid = \"b\"\ntype = \"choice\"\nq = \"Q\"\na = \"A\"\nwrong = [\"B\"]\n\n[[cards]]\nid = \"c\"\ntype = \"year\"\nq = \"Q\"\na = \"x\"\n"
    );
    let errors = errors_of(&src);
    assert_eq!(errors.len(), 3, "{errors:?}");
    let lines: Vec<usize> = errors.iter().map(|e| e.0).collect();
    assert_eq!(lines, vec![9, 16, 22]);
}

#[test]
fn syntax_errors_are_located() {
    let errors = errors_of("format = 1\n[deck]\nid = \"d\"\ntitle = \"unterminated\n");
    assert!(!errors.is_empty());
    assert_eq!(errors[0].0, 4, "{errors:?}");
    assert!(errors[0].2.starts_with("invalid TOML"), "{errors:?}");
}

#[test]
fn wrong_format_version_is_refused() {
    let errors = errors_of("format = 2\n[deck]\nid = \"d\"\ntitle = \"T\"\n[[cards]]\nid = \"x\"\ntype = \"basic\"\nq = \"Q\"\na = \"A\"\n");
    assert_eq!(errors.len(), 1);
    assert!(errors[0].2.contains("format 2"), "{errors:?}");
}

#[test]
fn a_valid_deck_of_every_type_parses() {
    let src = format!(
        "{HEADER}{}",
        r#"
[[cards]]
id = "b"
type = "basic"
q = "Who?"
a = "Laxman"
why = "Because."
section = "History"

[[cards]]
id = "t"
type = "typed"
q = "Island?"
a = "Iturup"
accept = ["Etorofu"]

[[cards]]
id = "c"
type = "choice"
q = "Port?"
a = "Shimoda"
wrong = ["Nagasaki", "Hakodate"]

[[cards]]
id = "tf"
type = "truefalse"
q = "Japan won in 1905."
a = true

[[cards]]
id = "y"
type = "year"
q = "When?"
a = 1925
tolerance = 1

[[cards]]
id = "z"
type = "cloze"
text = "Signed at {{Shimoda}} in {{1855}}."

[[cards]]
id = "o"
type = "order"
q = "Order these."
items = ["Shimoda", "Portsmouth", "Basic Convention"]
dates = ["1855", 1905, "1925"]
"#
    );
    let out = parse_deck(&src);
    assert_eq!(out.errors().count(), 0, "{:?}", out.diagnostics);
    // Only the first card has `why` and `section`: the others get warnings.
    let warnings: Vec<&str> = out.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(warnings.len(), 12, "{warnings:?}");
    let deck = out.deck.unwrap();
    // Each card's line is where its [[cards]] stands (a cloze's gaps share it).
    let headers: Vec<usize> = src
        .lines()
        .enumerate()
        .filter(|(_, l)| *l == "[[cards]]")
        .map(|(i, _)| i + 1)
        .collect();
    let lines: Vec<usize> = deck.cards.iter().map(|c| c.line).collect();
    let mut expected = headers.clone();
    expected.insert(6, headers[5]);
    assert_eq!(lines, expected);
    let ids: Vec<&str> = deck.cards.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["b", "t", "c", "tf", "y", "z.1", "z.2", "o"]);
    assert_eq!(deck.cards[5].note, "z");
    assert_eq!(deck.cards[6].kind.prompt(), "Signed at Shimoda in [...].");
    assert_eq!(deck.cards[6].kind.answer_text(), "1855");
    match &deck.cards[7].kind {
        CardKind::Order { dates, .. } => assert_eq!(dates, &["1855", "1905", "1925"]),
        other => panic!("{other:?}"),
    }
}

#[test]
fn arbitrary_bytes_never_panic() {
    // A cheap fuzz: every prefix of a valid deck, and byte-level mutations of it.
    let src =
        format!("{HEADER}[[cards]]\nid = \"x\"\ntype = \"cloze\"\ntext = \"A {{{{b|c}}}} d\"\n");
    for end in 0..=src.len() {
        if src.is_char_boundary(end) {
            let _ = parse_deck(&src[..end]);
        }
    }
    let mut seed = 0x9e3779b97f4a7c15u64;
    for _ in 0..2000 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let mut bytes = src.clone().into_bytes();
        let at = (seed as usize) % bytes.len();
        let alphabet = b"{}[]\"=\n#|.x1 ";
        bytes[at] = alphabet[(seed >> 32) as usize % alphabet.len()];
        if let Ok(s) = String::from_utf8(bytes) {
            let out = parse_deck(&s);
            assert!(out.deck.is_some() || out.errors().next().is_some());
        }
    }
}

#[test]
fn line_col_counts_characters() {
    let src = "ab\nkō x";
    assert_eq!(line_col(src, 0), (1, 1));
    assert_eq!(line_col(src, 3), (2, 1));
    assert_eq!(line_col(src, src.find('x').unwrap()), (2, 4));
}

#[test]
fn every_card_type_key_is_known() {
    let mut from_types: Vec<&str> = COMMON_KEYS.to_vec();
    for t in CARD_TYPES {
        from_types.extend(type_keys(t));
    }
    from_types.sort();
    from_types.dedup();
    let mut all = ALL_CARD_KEYS.to_vec();
    all.sort();
    assert_eq!(all, from_types);
}

#[test]
fn warnings_do_not_stop_a_deck_from_loading() {
    let src = format!(
        "{HEADER}{}",
        r#"[[cards]]
id = "y"
type = "year"
q = "When?"
a = 19050
why = "Because."
section = "S"

[[cards]]
id = "z"
type = "cloze"
text = "{{Portsmouth}} gave its name to the Treaty of Portsmouth of {{1905}}."
why = "Because."
section = "S"
"#
    );
    let out = parse_deck(&src);
    assert!(out.deck.is_some());
    let warnings: Vec<(usize, &str)> = out
        .diagnostics
        .iter()
        .map(|d| (d.line, d.message.as_str()))
        .collect();
    assert_eq!(
        warnings,
        vec![
            (11, "the year 19050 in card `y` is outside any plausible range"),
            (18, "gap 1 of card `z` gives itself away: `Portsmouth` also appears in the rest of the text"),
        ]
    );
    assert!(out
        .diagnostics
        .iter()
        .all(|d| d.severity == Severity::Warning));
}

/// A typed card after the deck's `synonyms` line, which is line 7.
const TYPED_CARD: &str = "\n[[cards]]\nid = \"x\"\ntype = \"typed\"\nq = \"Q\"\na = \"timber\"\nwhy = \"W\"\nsection = \"S\"\n";

/// Each bad `synonyms` value gives the errors listed, each at its
/// line:column, and no deck.
/// Bad `synonyms` values, and the errors each must give: (column, message).
const SYNONYM_ERRORS: &[(&str, &[(usize, &str)])] = &[
    (
        "\"timber\"",
        &[(
            12,
            "`synonyms` must be a list of groups of names, not string",
        )],
    ),
    (
        "[\"timber\", \"lumber\"]",
        &[(
            12,
            "`synonyms` must be a list of groups: each group is a list of its own",
        )],
    ),
    (
        "[[\"timber\", \"lumber\"], \"Edo\"]",
        &[(
            35,
            "each group of `synonyms` must be a list of names, not string",
        )],
    ),
    (
        "[[\"timber\", 3]]",
        &[
            (
                24,
                "a name in `synonyms` must be text in quotes, not integer",
            ),
            (
                13,
                "group 1 of `synonyms` has 1 name(s); a group needs at least 2",
            ),
        ],
    ),
    (
        "[[\"timber\"]]",
        &[(
            13,
            "group 1 of `synonyms` has 1 name(s); a group needs at least 2",
        )],
    ),
    (
        "[[]]",
        &[(
            13,
            "group 1 of `synonyms` has 0 name(s); a group needs at least 2",
        )],
    ),
    (
        "[[\"timber\", \"\"]]",
        &[(24, "an empty name in group 1 of `synonyms`")],
    ),
    (
        "[[\"timber\", \"  \"]]",
        &[(24, "an empty name in group 1 of `synonyms`")],
    ),
    (
        "[[\"timber\", \"?!\"]]",
        &[(
            24,
            "the name `?!` in group 1 of `synonyms` has no letters or digits",
        )],
    ),
    (
        "[[\"timber\", \"Timber.\"]]",
        &[(24, "`Timber.` appears twice in group 1 of `synonyms`")],
    ),
    (
        "[[\"Edo\", \"Tokyo\"], [\"Tōkyō\", \"capital\"]]",
        &[(32, "`Tōkyō` of group 2 of `synonyms` is also in group 1")],
    ),
];

#[test]
fn synonyms_error_table() {
    for (value, want) in SYNONYM_ERRORS {
        let src = format!("{HEADER}synonyms = {value}\n{TYPED_CARD}");
        let out = parse_deck(&src);
        assert!(out.deck.is_none(), "no deck for synonyms = {value}");
        let mut got: Vec<(usize, usize, String)> = errors_of(&src);
        got.sort_by_key(|e| std::cmp::Reverse(e.1));
        let mut want: Vec<(usize, usize, String)> =
            want.iter().map(|(c, m)| (7, *c, m.to_string())).collect();
        want.sort_by_key(|e| std::cmp::Reverse(e.1));
        assert_eq!(got, want, "synonyms = {value}");
    }
}

#[test]
fn too_many_synonyms_are_refused_at_the_value() {
    let groups: Vec<String> = (0..=MAX_SYNONYM_NAMES / 2)
        .map(|i| format!("[\"a{i}\", \"b{i}\"]"))
        .collect();
    let src = format!("{HEADER}synonyms = [{}]\n{TYPED_CARD}", groups.join(", "));
    let errors = errors_of(&src);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!((errors[0].0, errors[0].1), (7, 12));
    assert!(
        errors[0]
            .2
            .contains(&format!("a deck holds at most {MAX_SYNONYM_NAMES}")),
        "{errors:?}"
    );
}

#[test]
fn an_overlong_synonym_is_refused_at_the_name() {
    let long = "w".repeat(crate::deck::MAX_SYNONYM_CHARS + 1);
    let src = format!("{HEADER}synonyms = [[\"timber\", \"lumber\", \"{long}\"]]\n{TYPED_CARD}");
    let errors = errors_of(&src);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!((errors[0].0, errors[0].1), (7, 34));
    assert!(errors[0].2.contains("longer than"), "{errors:?}");
}

#[test]
fn synonyms_are_read_into_the_deck_in_their_order() {
    let src = format!(
        "{HEADER}synonyms = [[\"timber\", \"lumber\", \"sawn wood\"], [\"Edo\", \"Tokyo\"]]\n{TYPED_CARD}"
    );
    let out = parse_deck(&src);
    assert_eq!(out.diagnostics, vec![]);
    let deck = out.deck.unwrap();
    assert_eq!(
        deck.synonyms,
        vec![
            vec!["timber".to_string(), "lumber".into(), "sawn wood".into()],
            vec!["Edo".to_string(), "Tokyo".into()],
        ]
    );
    // No key, or an empty list, is no groups.
    for line in ["", "synonyms = []\n"] {
        let src = format!("{HEADER}{line}{TYPED_CARD}");
        let out = parse_deck(&src);
        assert_eq!(out.diagnostics, vec![], "{line:?}");
        assert!(out.deck.unwrap().synonyms.is_empty());
    }
}

#[test]
fn a_misspelt_synonyms_key_gets_a_suggestion() {
    let src = format!("{HEADER}synonym = [[\"timber\", \"lumber\"]]\n{TYPED_CARD}");
    let out = parse_deck(&src);
    let d = out.errors().next().unwrap();
    assert_eq!(d.message, "unknown key `synonym` in [deck]");
    assert_eq!(d.hint.as_deref(), Some("did you mean `synonyms`?"));
}
