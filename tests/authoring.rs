//! Decks made by kioku through the real binary: `deck generate` drafts from
//! a source text, `deck import` reads what Anki writes, and both give decks
//! that check clean and can be studied.

use crate::common::{cards_in, study_correctly, Env};
use kioku::deck::{parse_deck, CardKind, Deck};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const SOURCE: &str = "tests/fixtures/sources/northern-waters.txt";
const ANKI: &str = "tests/fixtures/anki";

fn read_deck(path: &Path) -> Deck {
    let text = std::fs::read_to_string(path).unwrap();
    let outcome = parse_deck(&text);
    assert_eq!(outcome.errors().count(), 0, "{text}");
    outcome.deck.unwrap()
}

fn out_path(env: &Env, name: &str) -> PathBuf {
    let dir = env.dir.path().join("made");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn generate(out: &Path) -> [&str; 6] {
    [
        "deck",
        "generate",
        "--from",
        SOURCE,
        "--out",
        out.to_str().unwrap(),
    ]
}

#[test]
fn generate_drafts_cards_that_cite_and_quote_their_source() {
    let env = Env::new(&[]);
    let out = out_path(&env, "draft.toml");
    let (code, _, err) = env.run(&generate(&out), "");
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("15 candidates (1 year questions, 14 cloze cards; 2 left out that would give another's answer away)"),
        "{err}"
    );

    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.starts_with("# DRAFT made by `kioku deck generate`"),
        "{text}"
    );
    let deck = read_deck(&out);
    assert_eq!(deck.id, "northern-waters-draft");
    assert_eq!(
        deck.source.as_deref(),
        Some("Fishing in the northern waters")
    );
    assert_eq!(deck.tags, ["draft"]);

    assert_years_sections_and_quotes(&deck);

    // The draft checks clean against its source: sections are headings,
    // quotes are in it, and no card prints another's answer (a sentence
    // with a year and a name is one cloze note with both gaps).
    let (code, report, _) = env.run(
        &["deck", "check", out.to_str().unwrap(), "--source", SOURCE],
        "",
    );
    assert_eq!(code, 0, "{report}");
    assert!(
        report.ends_with("0 errors, 0 warnings in 1 file\n"),
        "{report}"
    );

    // A second run does not overwrite the author's edits.
    let (code, _, err) = env.run(&generate(&out), "");
    assert_eq!(code, 1);
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), text);

    // `--out -` writes the same deck to standard output.
    let (code, stdout, _) = env.run(&["deck", "generate", "--from", SOURCE, "--out", "-"], "");
    assert_eq!(code, 0);
    assert_eq!(stdout, text);
}

/// The draft asks the years of the source (as a year question, or as a
/// cloze gap beside a name), quotes whole sentences only from its sections
/// of prose, and never a link's brackets.
fn assert_years_sections_and_quotes(deck: &Deck) {
    let years: BTreeSet<i32> = deck
        .cards
        .iter()
        .filter_map(|c| match &c.kind {
            CardKind::Year { a, .. } => Some(*a),
            CardKind::Cloze { gaps, gap, .. } => gaps[*gap].answer.parse().ok(),
            _ => None,
        })
        .filter(|y| (1000..3000).contains(y))
        .collect();
    // 1928's sentence would ask for "Japan", which the first card prints:
    // that note is left out whole.
    assert_eq!(years, [1907, 1956, 1977, 1998, 2006].into());

    let sections: BTreeSet<&str> = deck
        .cards
        .iter()
        .filter_map(|c| c.section.as_deref())
        .collect();
    assert_eq!(
        sections,
        [
            "Introduction",
            "Early agreements",
            "After the war",
            "Recent decades"
        ]
        .into(),
        "nothing from See also or References"
    );
    // The sentence a link caption cut in two is whole again.
    let kamchatka = deck
        .cards
        .iter()
        .find(|c| matches!(&c.kind, CardKind::Cloze { gaps, .. } if gaps[0].answer == "Kamchatka"))
        .expect("a gap for Kamchatka");
    assert_eq!(
        kamchatka.quote.as_deref(),
        Some("Japanese crews won the right to fish off Kamchatka for another twenty years.")
    );
    assert_eq!(kamchatka.section.as_deref(), Some("Early agreements"));
    assert!(deck
        .cards
        .iter()
        .all(|c| c.quote.as_deref().is_some_and(|q| !q.contains('['))));
}

#[test]
fn generate_reports_a_source_it_cannot_use() {
    let env = Env::new(&[]);
    let bad = out_path(&env, "latin1.txt");
    std::fs::write(
        &bad,
        b"A heading\nThe treaty was signed in 1905 at Portsmouth.\nCaf\xe9 talk.\n",
    )
    .unwrap();
    let (code, _, err) = env.run(&["deck", "generate", "--from", bad.to_str().unwrap()], "");
    assert_eq!(code, 1);
    assert!(
        err.contains("latin1.txt:3:4: the source text is not UTF-8"),
        "{err}"
    );

    let empty = out_path(&env, "nothing.txt");
    std::fs::write(&empty, "just words here\n").unwrap();
    let (code, _, err) = env.run(&["deck", "generate", "--from", empty.to_str().unwrap()], "");
    assert_eq!(code, 1);
    assert!(
        err.contains("no sentence with a year, a name or a figure"),
        "{err}"
    );
}

/// The notes every fixture holds, as `make.py` wrote them.
fn expect_history_notes(deck: &Deck) {
    assert_eq!(deck.title, "Japan and Russia – History");
    assert_eq!(deck.id, "history");
    let note = |id: &str| {
        deck.cards
            .iter()
            .find(|c| c.note == id)
            .unwrap_or_else(|| panic!("no card {id} in {:#?}", deck.cards))
    };
    assert_eq!(
        note("who-led-russias-first-official").kind,
        CardKind::Basic {
            q: "Who led Russia's first official mission to Japan in 1792?".into(),
            a: "Adam Laxman\n(sent by Catherine the Great)".into()
        }
    );
    let islands = note("islands-does-japan-call-northern");
    assert_eq!(
        islands.kind.prompt(),
        "Which islands does Japan call the Northern Territories?"
    );
    let mut tags = islands.tags.clone();
    tags.sort();
    assert_eq!(tags, ["geography", "kurils"]);
    assert_eq!(
        note("soviet-spy-tokyo-reported-japans").kind,
        CardKind::Typed {
            q: "Which Soviet spy in Tokyo reported Japan's plans in 1941?".into(),
            a: "Richard Sorge".into(),
            accept: vec![]
        }
    );
    assert_eq!(
        note("country-japan-defeat-war-1904").kind.prompt(),
        "Which country did Japan defeat in the war of 1904–05?"
    );
    let declaration = note("japan-and-ussr-restored-relations");
    assert_eq!(declaration.hint.as_deref(), Some("a year"));
    assert_eq!(declaration.why.as_deref(), Some("From the history decks"));
    match &declaration.kind {
        CardKind::Cloze { text, .. } => assert_eq!(
            text,
            "Japan and the USSR restored relations with the Joint Declaration of {{1956}}; a peace treaty was never signed."
        ),
        other => panic!("{other:?}"),
    }
    let types: Vec<(&str, &str)> = deck
        .cards
        .iter()
        .map(|c| (c.id.as_str(), c.kind.type_name()))
        .collect();
    assert_eq!(
        types.iter().filter(|(_, t)| *t == "cloze").count(),
        5,
        "two two-gap notes and one one-gap note: {types:?}"
    );
    assert_eq!(deck.cards.len(), 10, "{types:?}");
}

#[test]
fn every_anki_format_imports_to_the_same_deck() {
    let env = Env::new(&[]);
    let mut decks = Vec::new();
    for (file, format) in [
        ("history.apkg", "an Anki package (collection.anki21b)"),
        ("history-legacy.apkg", "an Anki package (collection.anki21)"),
        ("genanki.apkg", "an Anki package (collection.anki2)"),
        ("history.txt", "an Anki text export"),
    ] {
        let out = out_path(&env, &format!("{file}.toml"));
        let (code, _, err) = env.run(
            &[
                "deck",
                "import",
                &format!("{ANKI}/{file}"),
                "--out",
                out.to_str().unwrap(),
            ],
            "",
        );
        assert_eq!(code, 0, "{file}: {err}");
        assert!(
            err.contains(&format!(
                "read {format}: 8 notes → 10 cards to study (3 basic, 5 cloze, 2 typed)"
            )),
            "{file}: {err}"
        );
        let deck = read_deck(&out);
        expect_history_notes(&deck);
        let (code, report, _) = env.run(&["deck", "check", out.to_str().unwrap()], "");
        assert_eq!(code, 0, "{report}");
        assert!(
            report.ends_with("0 errors, 0 warnings in 1 file\n") || report.contains("0 errors"),
            "{report}"
        );
        decks.push(deck);
    }
    // Tags may come in another order; everything else is the same.
    let normal = |d: &Deck| {
        let mut d = d.clone();
        d.description = None;
        for c in &mut d.cards {
            c.line = 0;
            c.tags.sort();
        }
        d
    };
    for d in &decks[1..] {
        assert_eq!(normal(d), normal(&decks[0]));
    }
}

#[test]
fn a_package_made_by_anki_is_imported_and_studied() {
    let folder = tempfile::tempdir().unwrap();
    let deck_file = folder.path().join("history.toml");
    let importer = Env::new(&[]);
    importer.ok(&[
        "deck",
        "import",
        &format!("{ANKI}/history.apkg"),
        "--out",
        deck_file.to_str().unwrap(),
    ]);

    let mut env = Env::new(&[folder.path().to_str().unwrap()]);
    let decks = env.json(&["decks", "--json"]);
    let listed = decks.to_string();
    assert!(listed.contains("\"history\""), "{listed}");
    let cards = cards_in(folder.path().to_str().unwrap());
    assert_eq!(cards.len(), 10);
    let studied = |env: &Env| -> i64 {
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        conn.query_row("SELECT COUNT(DISTINCT card_id) FROM reviews", [], |r| {
            r.get(0)
        })
        .unwrap()
    };
    let (answered, out) = study_correctly(&env, &cards, &["--plain", "--new", "10"]);
    assert!(answered >= 8, "{out}");
    assert_eq!(env.review_count() as usize, answered);
    // The second gap of each two-gap cloze waits for another day.
    assert_eq!(studied(&env), 8, "{out}");
    env.at("2026-03-03T09:00:00+00:00");
    let (again, out) = study_correctly(&env, &cards, &["--plain", "--new", "10"]);
    assert!(again >= 2, "{out}");
    assert_eq!(studied(&env), 10, "every imported card has been studied");
    assert_eq!(env.review_count() as usize, answered + again);
}

#[test]
fn a_deck_exported_for_anki_imports_back() {
    let env = Env::new(&[]);
    let csv = out_path(&env, "tsarist.csv");
    env.ok(&[
        "deck",
        "export",
        "tsarist-era",
        "--format",
        "csv",
        "--out",
        csv.to_str().unwrap(),
    ]);
    let out = out_path(&env, "back.toml");
    env.ok(&[
        "deck",
        "import",
        csv.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--id",
        "tsarist-again",
    ]);
    let back = read_deck(&out);
    let original = cards_in("decks")
        .into_iter()
        .filter(|c| c.id.contains('.') || !c.id.is_empty())
        .count();
    assert!(original > 0);
    let shipped = read_deck(Path::new("decks/01-tsarist-era.toml"));
    assert_eq!(back.id, "tsarist-again");
    assert_eq!(
        back.cards.len(),
        shipped.cards.len(),
        "one card per exported row"
    );
    assert!(back
        .cards
        .iter()
        .all(|c| c.tags.contains(&"tsarist-era".to_string())));
}

#[test]
fn files_that_are_not_anki_exports_are_refused_with_a_reason() {
    let env = Env::new(&[]);
    let dir = env.dir.path();
    let cases: [(&str, &[u8], &str); 4] = [
        (
            "garbage.apkg",
            b"PK\x03\x04 this is not really a zip",
            "not a readable Anki package (zip)",
        ),
        (
            "binary.txt",
            b"\xff\xfe\x00binary",
            "neither an Anki package nor UTF-8 text",
        ),
        (
            "collection.anki2",
            b"SQLite format 3\0rest",
            "is an Anki collection file",
        ),
        (
            "open-quote.txt",
            b"#separator:tab\nq\ta\n\"never closed\ta\n",
            "open-quote.txt:3: a quoted field is never closed",
        ),
    ];
    for (name, bytes, message) in cases {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        let out = dir.join(format!("{name}.toml"));
        let (code, _, err) = env.run(
            &[
                "deck",
                "import",
                path.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ],
            "",
        );
        assert_eq!(code, 1, "{name}");
        assert!(err.contains(message), "{name}: {err}");
        assert!(!out.exists(), "{name}: nothing written");
    }
    // A package cut short is reported, not half read.
    let whole = std::fs::read(format!("{ANKI}/history.apkg")).unwrap();
    let cut = dir.join("cut.apkg");
    std::fs::write(&cut, &whole[..whole.len() / 2]).unwrap();
    let (code, _, err) = env.run(&["deck", "import", cut.to_str().unwrap(), "--out", "-"], "");
    assert_eq!(code, 1);
    assert!(err.contains("cut.apkg"), "{err}");
}
