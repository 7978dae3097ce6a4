//! Hostile input, as property tests over arbitrary bytes: the deck parser
//! and the answer checker never panic; oversized and non-UTF-8 deck files
//! are refused with a located message; the counts of cases are printed.

use crate::common::{cards_in, Env};
use kioku::answer::{check, parse_response, Response};
use kioku::deck::{load_sources, parse_deck, CardKind, LoadError, MAX_DECK_BYTES};
use rand::{rngs::StdRng, Rng, SeedableRng};

/// Bytes that look a little like a deck, or not at all.
fn hostile_bytes(rng: &mut StdRng, template: &[u8]) -> Vec<u8> {
    const TOKENS: [&[u8]; 24] = [
        b"[[cards]]\n",
        b"[deck]\n",
        b"format = 1\n",
        b"id = \"x\"\n",
        b"type = \"cloze\"\n",
        b"text = \"{{",
        b"}}\"\n",
        b"\"\"\"",
        b"'''",
        b"= [",
        b"]",
        b"{",
        b"}",
        b"#",
        b"\\u{0}",
        b"\\",
        b"\n",
        b"a = 1e999\n",
        b"q = \"\x1b[2J\"\n",
        b"\xff\xfe",
        b"\xe2\x80",
        b"tolerance = -1\n",
        b"items = []\n",
        b"a = 99999999999999999999\n",
    ];
    match rng.random_range(0..3) {
        0 => (0..rng.random_range(0..600))
            .map(|_| rng.random())
            .collect(),
        1 => {
            let mut out = Vec::new();
            for _ in 0..rng.random_range(0..80) {
                out.extend_from_slice(TOKENS[rng.random_range(0..TOKENS.len())]);
            }
            out
        }
        _ => {
            let mut out = template.to_vec();
            for _ in 0..rng.random_range(1..12) {
                let at = rng.random_range(0..=out.len());
                match rng.random_range(0..3) {
                    0 => out.insert(at, rng.random()),
                    1 if at < out.len() => {
                        out.remove(at);
                    }
                    _ => {
                        let t = TOKENS[rng.random_range(0..TOKENS.len())];
                        out.splice(at..at, t.iter().copied());
                    }
                }
            }
            out
        }
    }
}

#[test]
fn the_deck_parser_takes_anything() {
    let template = std::fs::read("tests/fixtures/mini/mini.toml").unwrap();
    let mut rng = StdRng::seed_from_u64(8);
    let (mut parsed, mut not_utf8) = (0, 0);
    for _ in 0..20_000 {
        let bytes = hostile_bytes(&mut rng, &template);
        if std::str::from_utf8(&bytes).is_err() {
            not_utf8 += 1;
        }
        // Invalid UTF-8 never reaches the parser (the loader refuses it, as
        // tested below); its replacement characters do.
        let text = String::from_utf8_lossy(&bytes);
        {
            {
                let text: &str = &text;
                let out = parse_deck(text);
                let lines = text.lines().count() + 1;
                for d in &out.diagnostics {
                    assert!(
                        d.line >= 1 && d.line <= lines,
                        "{d:?} in a file of {lines} lines"
                    );
                    assert!(d.column >= 1, "{d:?}");
                }
                assert!(out.deck.is_some() || out.errors().next().is_some());
                parsed += 1;
            }
        }
    }
    println!("deck parser: {parsed} texts parsed ({not_utf8} of them from bytes that were not UTF-8), no panic");
    assert!(parsed > 10_000);
}

#[test]
fn the_answer_checker_takes_anything() {
    let cards = cards_in("decks");
    let mut rng = StdRng::seed_from_u64(9);
    let pieces = [
        "1",
        "2",
        "0",
        "-1",
        "99999999999999999999",
        " ",
        "",
        "t",
        "f",
        "true",
        "1905",
        "1 2 3",
        "3 2 1 1",
        "é",
        "e\u{301}",
        "ß",
        "ǅ",
        "\u{202e}",
        "\u{0}",
        "\x1b[31m",
        "日本",
        "\u{fe0f}",
        "Portsmouth",
        "  portsmouth. ",
        "🙂",
        "\t",
        "a".repeat(5000).leak(),
    ];
    let mut checked = 0;
    for _ in 0..40 {
        for card in &cards {
            let options = match &card.kind {
                CardKind::Choice { wrong, .. } => wrong.len() + 1,
                CardKind::Order { items, .. } => items.len(),
                _ => 0,
            };
            let shown: Vec<usize> = (0..options).collect();
            let mut line = String::new();
            for _ in 0..rng.random_range(0..6) {
                line.push_str(pieces[rng.random_range(0..pieces.len())]);
            }
            if rng.random_bool(0.2) {
                let bytes: Vec<u8> = (0..rng.random_range(0..64)).map(|_| rng.random()).collect();
                line.push_str(&String::from_utf8_lossy(&bytes));
            }
            if let Ok(response) = parse_response(&card.kind, &line, options) {
                let _ = check(&card.kind, &response, &shown);
            }
            // Responses that the parser would never make must not panic either.
            for r in [
                Response::Choice(usize::MAX),
                Response::Order(vec![options + 3, 0]),
                Response::Year(i32::MIN),
            ] {
                let _ = check(&card.kind, &r, &shown);
            }
            checked += 4;
        }
    }
    // A pasted page is checked quickly, not with a table the size of the page.
    let started = std::time::Instant::now();
    let page = "portsmouth ".repeat(200_000);
    for card in &cards {
        if let Ok(response) = parse_response(&card.kind, &page, 4) {
            let _ = check(&card.kind, &response, &[0, 1, 2, 3]);
        }
    }
    println!(
        "answer checker: {checked} responses judged, no panic; {} cards given a 2 MB answer in {:?}",
        cards.len(),
        started.elapsed()
    );
    assert!(checked > 50_000);
}

#[test]
fn oversized_and_non_utf8_deck_files_are_refused_with_their_place() {
    let env = Env::new(&[]);
    let dir = env.dir.path().join("decks");
    std::fs::create_dir(&dir).unwrap();
    std::fs::copy("tests/fixtures/mini/mini.toml", dir.join("mini.toml")).unwrap();

    // Too big: refused from its size, before it is read.
    let big = std::fs::File::create(dir.join("huge.toml")).unwrap();
    big.set_len(MAX_DECK_BYTES + 1).unwrap();
    // Not UTF-8: the place is given as line and column.
    std::fs::write(
        dir.join("latin1.toml"),
        b"format = 1\n[deck]\nid = \"caf\xe9\"\n",
    )
    .unwrap();

    let (sources, errors) = load_sources(std::slice::from_ref(&dir), true);
    assert!(errors.is_empty());
    let mut messages = Vec::new();
    for s in &sources {
        match s.read() {
            Ok(_) => {}
            Err(e) => messages.push(e.to_string()),
        }
    }
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(
        messages
            .iter()
            .any(|m| m
                .contains("huge.toml: 16.0 MB is too large for a deck file (the limit is 16 MB)")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("latin1.toml:3:10: error: not valid UTF-8 text")),
        "{messages:?}"
    );
    let err_kinds = sources
        .iter()
        .filter_map(|s| s.read().err())
        .filter(|e| matches!(e, LoadError::TooLarge(..)))
        .count();
    assert_eq!(err_kinds, 1);

    // Through the binary: the good deck loads, the bad files are reported.
    let (code, out, err) = env.run(&["--decks", dir.to_str().unwrap(), "decks"], "");
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("mini"), "{out}");
    assert!(err.contains("too large for a deck file"), "{err}");
    assert!(err.contains("latin1.toml:3:10"), "{err}");

    // A file of more cards than a deck may hold is refused before parsing.
    let many = "[[cards]]\n".repeat(kioku::deck::MAX_CARDS + 1);
    let out = parse_deck(&format!(
        "format = 1\n[deck]\nid = \"m\"\ntitle = \"M\"\n{many}"
    ));
    assert!(out.deck.is_none());
    assert!(out.errors().any(|d| d
        .message
        .contains("cards in one file; a deck file holds at most 100000")));
}

#[test]
fn deck_text_that_looks_like_sql_is_only_text() {
    let env = Env::new(&[]);
    let dir = env.dir.path().join("decks");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(
        dir.join("sql.toml"),
        "format = 1\n[deck]\nid = \"sql\"\ntitle = \"x'); DROP TABLE reviews; --\"\n\
         [[cards]]\nid = \"drop\"\ntype = \"typed\"\nq = \"Robert'); DROP TABLE cards;--\"\na = \"' OR 1=1 --\"\nwhy = \"x\"\nsection = \"y\"\n",
    )
    .unwrap();
    let decks = dir.to_str().unwrap();
    let (code, out, err) = env.run(&["--decks", decks, "study", "--plain"], "' OR 1=1 --\n\n");
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Robert'); DROP TABLE cards;--"), "{out}");
    assert!(out.contains("correct"), "{out}");
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let tables: i64 = conn
        .query_row("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('cards', 'reviews')", [], |r| r.get(0))
        .unwrap();
    assert_eq!(tables, 2);
    let answer: String = conn
        .query_row("SELECT answer FROM reviews", [], |r| r.get(0))
        .unwrap();
    assert_eq!(answer, "' OR 1=1 --");
}
