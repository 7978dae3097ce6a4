//! The edges of outside data: stored times at the ends of the integer
//! range, settings a restored database carries, the review log as CSV and
//! back, inputs that are not files, and JSON meant for people.

use crate::common::{cards_in, study_correctly, Env};
use std::path::Path;

const MINI: &str = "tests/fixtures/mini";

/// A studied database.
fn studied() -> Env {
    let cards = cards_in(MINI);
    let mut env = Env::new(&[MINI]);
    study_correctly(&env, &cards, &["--plain"]);
    env.at("2026-03-04T09:00:00+00:00");
    study_correctly(&env, &cards, &["--plain"]);
    env
}

/// Adds copies of the first `n` reviews with `at` set to `at` (as SQL).
fn add_reviews_at(db: &Path, at: &str, n: usize) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute_batch(&format!(
        "INSERT INTO reviews SELECT lower(hex(randomblob(16))), card_id, NULL, {at}, rating, verdict, answer,
           duration_ms, interval_days, phase_before, step_before, stability_before, difficulty_before, due_before,
           last_before, reps_before, lapses_before, phase_after, step_after, stability_after, difficulty_after,
           due_after, utc_offset, kept_due, balanced_due
         FROM reviews LIMIT {n};"
    ))
    .unwrap();
}

fn integrity(db: &Path) -> String {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

/// Exit 0 or 1, never a panic (101); a failure says something.
fn never_panics(env: &Env, args: &[&str]) -> (i32, String, String) {
    let (code, out, err) = env.run(args, "");
    assert!(
        code == 0 || code == 1,
        "kioku {args:?} exited {code}:\n{out}\n{err}"
    );
    assert!(!err.contains("panicked"), "kioku {args:?}: {err}");
    if code == 1 {
        assert!(err.starts_with("kioku: error:"), "kioku {args:?}: {err}");
    }
    (code, out, err)
}

#[test]
fn c2_reviews_at_the_ends_of_the_integer_range_never_panic() {
    for at in ["9223372036854775807", "(-9223372036854775807 - 1)"] {
        let env = studied();
        add_reviews_at(&env.db, at, 2);
        for args in [
            &["rebuild"][..],
            &["optimize"],
            &["evaluate"],
            &["stats"],
            &["stats", "--json"],
            &["card", "mini/laxman"],
            &["card", "mini/laxman", "--json"],
            &["history", "--csv"],
            &["decks"],
            &["simulate", "--days", "5"],
        ] {
            never_panics(&env, args);
        }
        // The hostile database merged into a healthy one.
        let other = studied();
        never_panics(&other, &["merge", env.db.to_str().unwrap()]);
        never_panics(&other, &["rebuild"]);
        never_panics(&other, &["history", "--csv"]);
        assert_eq!(integrity(&other.db), "ok");
    }
}

fn weights(change: impl FnOnce(&mut Vec<String>)) -> String {
    let mut w: Vec<String> = fsrs::DEFAULT_PARAMETERS
        .iter()
        .map(|p| p.to_string())
        .collect();
    change(&mut w);
    w.join(",")
}

#[test]
fn c3_p5_config_refuses_weights_outside_the_fsrs_bounds() {
    let env = studied();
    let before = env.review_count();
    let nan = weights(|w| w[2] = "NaN".into());
    let (code, _, err) = env.run(&["config", "fsrs_parameters", &nan], "");
    assert_eq!(code, 1);
    assert!(err.contains("parameter 3 (w2) is not a number"), "{err}");
    let huge = vec!["1e38"; 21].join(",");
    let (code, _, err) = env.run(&["config", "fsrs_parameters", &huge], "");
    assert_eq!(code, 1);
    assert!(
        err.contains("parameter 1 (w0) is 100000000000000000000000000000000000000, outside its range 0.001–100"),
        "{err}"
    );
    assert_eq!(env.ok(&["config", "fsrs_parameters"]).trim(), "default");
    assert_eq!(env.review_count(), before);
}

#[test]
fn c3_a_database_carrying_bad_weights_is_refused_without_a_panic() {
    let env = studied();
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.execute(
        "INSERT OR REPLACE INTO settings (key, value) VALUES ('fsrs_parameters', ?1)",
        [vec!["1e38"; 21].join(",")],
    )
    .unwrap();
    drop(conn);
    let before = env.review_count();
    for args in [
        &["simulate", "--days", "30"][..],
        &["optimize"],
        &["study", "--plain"],
        &["evaluate"],
    ] {
        let (code, _, err) = never_panics(&env, args);
        assert_eq!(code, 1, "{args:?}");
        assert!(err.contains("fsrs_parameters: parameter 1 (w0)"), "{err}");
    }
    // The bad value can be set right.
    env.ok(&["config", "fsrs_parameters", "default"]);
    never_panics(&env, &["simulate", "--days", "30"]);
    assert_eq!(env.review_count(), before);
    assert_eq!(integrity(&env.db), "ok");
}

/// Adds a deck and card with ids no deck file could hold (as a merge from
/// a hostile database could), and a copy of one review for that card.
fn add_hostile_card(db: &Path, deck: &str, key: &str) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute(
        "INSERT OR IGNORE INTO decks (id, title, origin, file_hash, synced_at) VALUES (?1, 't', 'x', 'h', 0)",
        [deck],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO cards (deck_id, card_key, note, kind, position, content, content_hash, active, added_at)
         SELECT ?1, ?2, ?2, kind, 99, content, content_hash, 0, added_at FROM cards LIMIT 1",
        [deck, key],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO reviews SELECT lower(hex(randomblob(16))), last_insert_rowid(), NULL, at + 7, rating, verdict,
           answer, duration_ms, interval_days, phase_before, step_before, stability_before, difficulty_before,
           due_before, last_before, reps_before, lapses_before, phase_after, step_after, stability_after,
           difficulty_after, due_after, utc_offset, kept_due, balanced_due
         FROM reviews LIMIT 1",
        [],
    )
    .unwrap();
}

#[test]
fn r2_i3_the_exported_log_reads_back_whatever_the_database_holds() {
    let env = studied();
    add_reviews_at(&env.db, "9223372036854775807", 1);
    add_reviews_at(&env.db, "-1000000000000000", 1);
    add_hostile_card(
        &env.db,
        "=cmd|' /C calc'!A0",
        "k,\"x\"=HYPERLINK(\"http://evil\")",
    );
    add_hostile_card(&env.db, "@deck", "+1,-1");
    let total = env.review_count();
    let (code, csv, err) = env.run(&["history", "--csv"], "");
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("left out 2 reviews dated outside the years 0000–9999"),
        "{err}"
    );
    assert!(!csv.contains("1970-01-01") && !csv.contains("-29"), "{csv}");
    for line in csv.lines() {
        let fields = kioku::revlog::split(line).unwrap();
        assert_eq!(fields.len(), 7, "{line}");
        // The deck and card cells; the last is a time or empty.
        for f in &fields[4..6] {
            assert!(!f.starts_with(['=', '+', '-', '@']), "{line}");
        }
    }
    assert!(
        csv.contains(",'=cmd|' /C calc'!A0,\"k,\"\"x\"\"=HYPERLINK(\"\"http://evil\"\")\","),
        "{csv}"
    );

    // Read back into the same database with its log emptied.
    let file = env.dir.path().join("h.csv");
    std::fs::write(&file, &csv).unwrap();
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.execute("DELETE FROM reviews", []).unwrap();
    drop(conn);
    // The hostile ids were let in by a merge before ids were checked; the
    // importer refuses them by line, and imports nothing.
    let (code, _, err) = env.run(&["history", "import", file.to_str().unwrap()], "");
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("2 reviews were refused, the first at line")
            && err.contains("a deck id that is not of letters a-z, digits and dashes"),
        "{err}"
    );
    assert_eq!(env.review_count(), 0);
    // Every other line reads back as it was written.
    let kept: String = csv
        .lines()
        .filter(|l| !l.contains(",'=cmd") && !l.contains(",'@deck"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&file, kept).unwrap();
    let out = env.ok(&["history", "import", file.to_str().unwrap()]);
    assert!(
        out.contains(&format!("imported {} reviews", total - 4)),
        "{out}"
    );
    assert_eq!(env.review_count(), total - 4);
    assert_eq!(integrity(&env.db), "ok");

    // Control characters in an id never reach the file.
    add_hostile_card(&env.db, "d\u{1b}[2J", "c\u{9b}31m\r\n\t");
    let csv = env.ok(&["history", "--csv"]);
    assert!(!csv.chars().any(|c| c.is_control() && c != '\n'), "{csv:?}");
    assert_eq!(csv.lines().count() as i64, total - 4 + 2);
}

#[cfg(unix)]
#[test]
fn h11_review_logs_that_are_not_regular_files_or_too_large_are_refused_at_once() {
    let env = studied();
    let before = env.review_count();
    let fifo = env.dir.path().join("log.fifo");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let huge = env.dir.path().join("huge.csv");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(1_200_000_000)
        .unwrap();
    let latin1 = env.dir.path().join("latin1.csv");
    std::fs::write(&latin1, b"card_id,review_rating,review_time\n1,3,caf\xe9\n").unwrap();
    let cases = [
        (
            "/dev/zero".into(),
            "cannot read /dev/zero: it is not a regular file",
        ),
        (fifo.clone(), "log.fifo: it is not a regular file"),
        (
            huge.clone(),
            "huge.csv: it is 1200 MB; kioku reads at most 1000 MB",
        ),
        (latin1.clone(), "latin1.csv:2:8: the text is not UTF-8"),
    ];
    for (file, message) in &cases {
        let file = file.to_str().unwrap();
        for args in [
            &["optimize", "--revlog", file][..],
            &["evaluate", "--revlog", file],
            &["history", "import", file],
        ] {
            let started = std::time::Instant::now();
            let (code, _, err) = env.run(args, "");
            assert_eq!(code, 1, "{args:?}: {err}");
            assert!(err.contains(message), "{args:?}: {err}");
            assert!(!err.contains(&env.db.display().to_string()), "{err}");
            assert!(started.elapsed().as_secs() < 10, "{args:?}");
        }
    }
    assert_eq!(env.review_count(), before);
    assert_eq!(integrity(&env.db), "ok");
}

#[test]
fn i5_json_for_people_escapes_c1_controls_and_reads_back_the_same() {
    let mut env = Env::new(&[]);
    let folder = env.dir.path().join("decks");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(
        folder.join("c1.toml"),
        "format = 1\n[deck]\nid = \"c1\"\ntitle = \"t\\u009B2J\"\n\n[[cards]]\nid = \"c\"\ntype = \"basic\"\nq = \"Who\\u009B31m signed\\u202E it?\"\na = \"Laxman\\u0085\"\n",
    )
    .unwrap();
    env.decks = vec![folder];
    for args in [
        &["card", "c1/c", "--json"][..],
        &["decks", "--json"],
        &["stats", "--json"],
    ] {
        let out = env.ok(args);
        assert!(
            !out.contains(['\u{9b}', '\u{85}', '\u{202e}']),
            "{args:?}: {out:?}"
        );
        serde_json::from_str::<serde_json::Value>(&out).unwrap();
    }
    let card: serde_json::Value =
        serde_json::from_str(&env.ok(&["card", "c1/c", "--json"])).unwrap();
    assert!(
        card.to_string().contains("Who\u{9b}31m signed\u{202e} it?"),
        "{card}"
    );
}

#[cfg(unix)]
#[test]
fn p5_a_device_as_the_database_is_refused_at_open() {
    let mut env = Env::new(&[MINI]);
    env.db = "/dev/null".into();
    for args in [&["decks"][..], &["stats"], &["config"]] {
        let (code, _, err) = env.run(args, "");
        assert_eq!(code, 1, "{err}");
        assert!(
            err.contains("/dev/null: it is not a regular file (a device or a FIFO)"),
            "{err}"
        );
        assert!(!err.contains("disk I/O"), "{err}");
    }
}

/// Rewrites the stored content of one card of a studied database, as a
/// hand edit or another program could.
fn corrupt_card(db: &Path, key: &str, content_sql: &str) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let changed = conn
        .execute(
            &format!("UPDATE cards SET content = {content_sql} WHERE card_key = ?1"),
            [key],
        )
        .unwrap();
    assert_eq!(changed, 1, "{key}");
}

#[test]
fn a_stored_card_breaking_its_type_is_an_error_not_a_panic() {
    let cases = [
        (
            "islands.1",
            "json_set(content, '$.gap', 5)",
            "a cloze card asking gap 6 of 2",
        ),
        (
            "islands.1",
            "json_set(content, '$.gaps', json('[]'))",
            "a cloze card with 0 gaps",
        ),
        (
            "war-ended-by",
            "json_set(content, '$.wrong', json('[]'))",
            "a choice card with 0 wrong option(s)",
        ),
        (
            "pacts-order",
            "json_set(content, '$.items', json('[\"one\"]'))",
            "an order card with 1 item(s)",
        ),
        ("laxman", "'{\"type\": \"typed\"'", "EOF while parsing"),
    ];
    for (key, sql, why) in cases {
        let mut env = studied();
        corrupt_card(&env.db, key, sql);
        // A year on, every card is due again.
        env.at("2027-03-04T09:00:00+00:00");
        let named = format!("the stored card `{key}` of deck `mini` cannot be used ({why}");
        for args in [
            &["study", "--plain"][..],
            &["quiz", "--plain", "--count", "7", "--seed", "1"],
            &["card", &format!("mini/{key}")],
        ] {
            let (code, _, err) = never_panics(&env, args);
            assert_eq!(code, 1, "{key} {args:?}: {err}");
            assert!(err.contains(&named), "{key} {args:?}: {err}");
        }
        // The statistics read no card's content beyond its tags.
        never_panics(&env, &["stats"]);
        never_panics(&env, &["stats", "--json"]);

        // Merged into a healthy database, the card and its reviews are
        // refused like any other unreadable row; the rest comes in.
        let mut other = Env::new(&[MINI]);
        other.at("2027-03-04T09:00:00+00:00").ok(&["decks"]);
        let (code, _, err) = never_panics(&other, &["merge", env.db.to_str().unwrap()]);
        assert_eq!(code, 0, "{key}: {err}");
        assert!(
            err.contains("a card whose stored text kioku cannot read"),
            "{key}: {err}"
        );
        assert!(other.review_count() > 0, "{key}: {err}");
        never_panics(&other, &["study", "--plain"]);
        assert_eq!(integrity(&other.db), "ok");
    }
}
