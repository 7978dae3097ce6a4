//! `deck import` of packages and files built to hurt: nesting, thousands of
//! gaps, views, missing indexes, bad bytes, devices and FIFOs. Each package
//! is made here, in a temporary folder, through the real binary.

use crate::common::Env;
use kioku::deck::parse_deck;
use rusqlite::{params, Connection};
use std::io::Write;
use std::path::{Path, PathBuf};

mod packages;

const MODELS: &str = r#"{
  "1": {"name": "Basic", "type": 0,
        "flds": [{"name": "Front", "ord": 0}, {"name": "Back", "ord": 1}],
        "tmpls": [{"qfmt": "{{Front}}", "afmt": "{{FrontSide}}<hr id=answer>{{Back}}", "ord": 0}]},
  "2": {"name": "Cloze", "type": 1,
        "flds": [{"name": "Text", "ord": 0}, {"name": "Back Extra", "ord": 1}],
        "tmpls": [{"qfmt": "{{cloze:Text}}", "afmt": "{{cloze:Text}}", "ord": 0}]}
}"#;

const DECKS: &str = r#"{"1": {"name": "Wrong"}, "2": {"name": "Right::Sub"}}"#;

/// A schema 11 collection as Anki's legacy export writes it, changed by
/// `build`, zipped as `name` in `dir`.
fn package(dir: &Path, name: &str, build: impl FnOnce(&Connection)) -> PathBuf {
    let db = dir.join(format!("{name}.anki2"));
    let conn = Connection::open(&db).unwrap();
    conn.execute_batch(
        "CREATE TABLE col (id INTEGER PRIMARY KEY, models TEXT, decks TEXT);
         CREATE TABLE notes (id INTEGER PRIMARY KEY, mid INTEGER, flds TEXT, tags TEXT);
         CREATE TABLE cards (id INTEGER PRIMARY KEY, nid INTEGER, did INTEGER, ord INTEGER);",
    )
    .unwrap();
    conn.execute("INSERT INTO col VALUES (1, ?1, ?2)", params![MODELS, DECKS])
        .unwrap();
    build(&conn);
    drop(conn);
    let bytes = std::fs::read(&db).unwrap();
    zip_of(dir, name, &[("collection.anki2", &bytes)])
}

fn zip_of(dir: &Path, name: &str, entries: &[(&str, &[u8])]) -> PathBuf {
    let path = dir.join(name);
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (entry, bytes) in entries {
        zip.start_file(*entry, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
    path
}

/// Adds a note of type `mid` (1 basic, 2 cloze) with one card in deck 2.
fn note(conn: &Connection, id: i64, mid: i64, fields: &[&str]) {
    conn.execute(
        "INSERT INTO notes VALUES (?1, ?2, ?3, '')",
        params![id, mid, fields.join("\u{1f}")],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO cards (nid, did, ord) VALUES (?1, 2, 0)",
        params![id],
    )
    .unwrap();
}

fn import(env: &Env, package: &Path) -> (i32, String, PathBuf) {
    let out = package.with_extension("toml");
    let (code, _, err) = env.run(
        &[
            "deck",
            "import",
            package.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        "",
    );
    (code, err, out)
}

/// The learner's database was not touched by a refused import.
fn untouched(env: &Env) {
    if env.db.exists() {
        let conn = Connection::open(&env.db).unwrap();
        let ok: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok");
        assert_eq!(env.review_count(), 0);
    }
}

fn cards_of(path: &Path) -> usize {
    let text = std::fs::read_to_string(path).unwrap();
    parse_deck(&text).deck.unwrap().cards.len()
}

#[test]
fn c1_a_deeply_nested_cloze_note_is_skipped_with_a_reason() {
    let env = Env::new(&[]);
    let nested = "{{c1::".repeat(20_000) + "x" + &"}}".repeat(20_000);
    let apkg = package(env.dir.path(), "nest.apkg", |c| {
        note(c, 1, 2, &[&nested, ""]);
        note(c, 2, 1, &["Who sailed in 1792?", "Laxman"]);
    });
    let (code, err, out) = import(&env, &apkg);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(
            "skipped 1 card: a card too large to show (cloze deletions are nested more than"
        ),
        "{err}"
    );
    assert_eq!(cards_of(&out), 1);
}

#[test]
fn h1_a_cloze_note_with_thousands_of_gaps_is_skipped_not_fatal() {
    let env = Env::new(&[]);
    let many = "{{c1::x}} ".repeat(10_000);
    let hundred = (1..=100)
        .map(|n| format!("{{{{c{n}::y{n}}}}} "))
        .collect::<String>();
    let apkg = package(env.dir.path(), "gaps.apkg", |c| {
        note(c, 1, 2, &[&many, ""]);
        note(c, 2, 2, &[&hundred, ""]);
    });
    let (code, err, out) = import(&env, &apkg);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("skipped 1 card: a cloze card hiding more than 100 deletions"),
        "{err}"
    );
    assert_eq!(
        cards_of(&out),
        100,
        "the note of 100 numbers is kept, a card each"
    );
}

#[test]
fn p4_an_import_past_the_card_limit_stops_before_writing_with_advice() {
    let env = Env::new(&[]);
    let apkg = package(env.dir.path(), "huge.apkg", |c| {
        c.execute_batch("BEGIN").unwrap();
        for i in 0..100_001 {
            note(c, i, 1, &[&format!("question {i}"), &format!("answer {i}")]);
        }
        c.execute_batch("COMMIT").unwrap();
    });
    let (code, err, out) = import(&env, &apkg);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("it holds 100001 notes, and kioku imports up to 100000 at a time"),
        "{err}"
    );
    assert!(err.contains("export one deck at a time"), "{err}");
    assert!(!err.contains("internal error"), "{err}");
    assert!(!out.exists());
    untouched(&env);
}

#[test]
fn p4_an_import_past_the_deck_file_size_stops_before_writing() {
    let env = Env::new(&[]);
    let field = "word ".repeat(180_000); // 900 KB of text
    let apkg = package(env.dir.path(), "long.apkg", |c| {
        for i in 0..20 {
            note(c, i, 1, &[&format!("question {i}"), &field]);
        }
    });
    let (code, err, out) = import(&env, &apkg);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("more than 16 MB of text"), "{err}");
    assert!(!err.contains("internal error"), "{err}");
    assert!(!out.exists());
}

#[test]
fn h4_a_collection_without_the_card_index_gives_each_note_its_first_cards_deck() {
    let env = Env::new(&[]);
    let apkg = package(env.dir.path(), "noindex.apkg", |c| {
        c.execute_batch("BEGIN").unwrap();
        for i in 0..20_000 {
            c.execute(
                "INSERT INTO notes VALUES (?1, 1, ?2, '')",
                params![i, format!("q {i}\u{1f}a {i}")],
            )
            .unwrap();
        }
        // The second card comes first in the table; the first card (ord 0)
        // is the one whose deck counts.
        c.execute_batch(
            "INSERT INTO cards (nid, did, ord) SELECT id, 1, 1 FROM notes;
             INSERT INTO cards (nid, did, ord) SELECT id, 2, 0 FROM notes;
             COMMIT;",
        )
        .unwrap();
    });
    let (code, err, out) = import(&env, &apkg);
    assert_eq!(code, 0, "{err}");
    let deck = parse_deck(&std::fs::read_to_string(&out).unwrap())
        .deck
        .unwrap();
    assert_eq!(deck.id, "sub");
    assert_eq!(deck.cards.len(), 20_000);
}

#[test]
fn h5_a_collection_whose_tables_are_views_is_refused_at_once() {
    let env = Env::new(&[]);
    let endless = "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r)";
    for (name, sql, message) in [
        (
            "view.apkg",
            format!(
                "DROP TABLE notes; CREATE VIEW notes AS {endless}
                 SELECT i AS id, 1 AS mid, 'q' AS flds, '' AS tags FROM r WHERE i < 0;"
            ),
            "its `notes` is a view, not a table",
        ),
        (
            "cards.apkg",
            format!(
                "DROP TABLE cards; CREATE VIEW CARDS AS {endless}
                 SELECT i AS id, i AS nid, 1 AS did, 0 AS ord FROM r;"
            ),
            "its `cards` is a view, not a table",
        ),
        (
            "huge.apkg",
            "DROP TABLE notes; CREATE TABLE notes (id INTEGER PRIMARY KEY, mid INTEGER,
               flds TEXT GENERATED ALWAYS AS (hex(zeroblob(40000000))) VIRTUAL, tags TEXT);
             INSERT INTO notes (id, mid, tags) VALUES (1, 1, '');"
                .to_string(),
            "it holds a value over 64 MB",
        ),
        (
            "nocol.apkg",
            "DROP TABLE col;".to_string(),
            "it has no `col` table",
        ),
    ] {
        let apkg = package(env.dir.path(), name, |c| c.execute_batch(&sql).unwrap());
        let (code, err, out) = import(&env, &apkg);
        assert_eq!(code, 1, "{name}: {err}");
        assert!(err.contains(message), "{name}: {err}");
        assert!(err.contains(name), "{name}: the package is named: {err}");
        assert!(!out.exists());
    }
    untouched(&env);
}

#[test]
fn i2_p5_a_damaged_collection_is_blamed_on_the_package_not_the_database() {
    let env = Env::new(&[]);
    env.ok(&["decks"]);
    let apkg = package(env.dir.path(), "fine.apkg", |c| {
        c.execute_batch("BEGIN").unwrap();
        for i in 0..2000 {
            note(c, i, 1, &[&format!("question {i}"), &"answer ".repeat(20)]);
        }
        c.execute_batch("COMMIT").unwrap();
    });
    // The same collection with its pages overwritten past the first.
    let mut bytes = std::fs::read(env.dir.path().join("fine.apkg.anki2")).unwrap();
    for b in &mut bytes[4096..] {
        *b = 0xA5;
    }
    let bad = zip_of(env.dir.path(), "bad.apkg", &[("collection.anki2", &bytes)]);
    let (code, err, out) = import(&env, &bad);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("bad.apkg"), "{err}");
    assert!(
        err.contains("damaged") || err.contains("malformed"),
        "{err}"
    );
    let db = env.db.display().to_string();
    assert!(
        !err.contains(&db),
        "the learner's database is not blamed: {err}"
    );
    assert!(!err.contains("kioku restore"), "{err}");
    assert_eq!(err.matches("damaged").count(), 1, "said once: {err}");
    assert!(!out.exists());
    assert!(apkg.exists());
    untouched(&env);
}

#[test]
fn i2_entry_names_of_a_package_are_quoted_cleaned_and_cut_short() {
    let env = Env::new(&[]);
    let evil = format!("evil\x1b]0;PWNED\x07\x1b[2J{}.txt", "x".repeat(300));
    let apkg = zip_of(
        env.dir.path(),
        "nocoll.apkg",
        &[(&evil, b"hi"), ("media", b"{}")],
    );
    let (code, err, _) = import(&env, &apkg);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("no Anki collection in the package"), "{err}");
    assert!(err.contains("PWNED"), "{err}");
    assert!(!err.contains('\x1b') && !err.contains('\x07'), "{err:?}");
    assert!(err.contains('…') && err.len() < 250, "{err}");
}

#[test]
fn p5_invalid_utf8_in_one_field_is_repaired_and_the_note_named() {
    let env = Env::new(&[]);
    let apkg = package(env.dir.path(), "utf8.apkg", |c| {
        note(c, 1, 1, &["Who sailed in 1792?", "Laxman"]);
        c.execute(
            "INSERT INTO notes VALUES (42, 1, CAST(X'4B6FFF646179751F416E73776572' AS TEXT), '')",
            [],
        )
        .unwrap();
        c.execute("INSERT INTO cards (nid, did, ord) VALUES (42, 2, 0)", [])
            .unwrap();
    });
    let (code, err, out) = import(&env, &apkg);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("note 42 (`Ko�dayu`) was not valid UTF-8"),
        "{err}"
    );
    assert_eq!(cards_of(&out), 2);
}

#[cfg(unix)]
#[test]
fn h11_imports_and_source_texts_refuse_devices_fifos_folders_and_huge_files() {
    let env = Env::new(&[]);
    let dir = env.dir.path();
    let fifo = dir.join("fifo");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let big = dir.join("big.txt");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(65 << 20)
        .unwrap();
    let fifo = fifo.to_str().unwrap();
    let folder = dir.to_str().unwrap();
    let big = big.to_str().unwrap();
    let out = dir.join("out.toml");
    let out = out.to_str().unwrap();
    for (args, message) in [
        (
            vec!["deck", "import", "/dev/zero"],
            "cannot read /dev/zero: it is not a regular file".to_string(),
        ),
        (
            vec!["deck", "import", fifo],
            format!("cannot read {fifo}: it is not a regular file"),
        ),
        (
            vec!["deck", "import", folder],
            format!("cannot read {folder}: it is a folder"),
        ),
        (
            vec!["deck", "import", big],
            format!("cannot read {big}: it is 65 MB, and a text export may be at most 64 MB"),
        ),
        (
            vec!["deck", "generate", "--from", "/dev/urandom"],
            "cannot read the source text /dev/urandom: it is not a regular file".to_string(),
        ),
        (
            vec!["deck", "generate", "--from", fifo],
            format!("cannot read the source text {fifo}: it is not a regular file"),
        ),
        (
            vec!["deck", "generate", "--from", big],
            format!("cannot read the source text {big}: it is 68 MB; kioku reads at most 67 MB"),
        ),
        (
            vec!["deck", "check", "tests/fixtures/mini", "--source", fifo],
            format!("cannot read the source text {fifo}: it is not a regular file"),
        ),
        (
            vec![
                "deck",
                "check",
                "tests/fixtures/mini",
                "--source",
                "/dev/zero",
            ],
            "cannot read the source text /dev/zero: it is not a regular file".to_string(),
        ),
    ] {
        let mut args = args;
        if args[1] != "check" {
            args.extend(["--out", out]);
        }
        let (code, _, err) = env.run(&args, "");
        assert_eq!(code, 1, "{args:?}: {err}");
        assert!(err.contains(&message), "{args:?}: {err}");
        assert!(!Path::new(out).exists());
    }
    untouched(&env);
}
