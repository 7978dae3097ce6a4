//! Deck loading through the real binary: located errors, skipped files,
//! hostile text, and the database left alone when something is wrong.

use crate::common::Env;

#[test]
fn a_broken_deck_is_reported_with_locations_and_the_others_still_load() {
    let env = Env::new(&["tests/fixtures/broken"]);
    let (code, out, err) = env.run(&["decks"], "");
    assert_eq!(code, 0, "{err}");
    let problems: Vec<&str> = err.lines().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(
        problems,
        [
            "tests/fixtures/broken/b-broken.toml:11:1: error: unknown key `anwser` in card `one`",
            "tests/fixtures/broken/b-broken.toml:18:9: error: card `two` has 1 wrong option(s); a choice card needs at least 2",
            "tests/fixtures/broken/b-broken.toml:21:6: error: duplicate card id `one` (first used on line 7)",
            "tests/fixtures/broken/c-duplicate.toml:4:1: error: deck id `mini` is already used by tests/fixtures/broken/a-good.toml",
        ]
        .iter()
        .map(|p| p.replace("tests/fixtures", &format!("{}/tests/fixtures", env!("CARGO_MANIFEST_DIR"))))
        .collect::<Vec<_>>()
    );
    assert!(err.contains("hint: did you mean `a`?"), "{err}");
    assert!(out.contains("mini "), "{out}");
    assert!(!out.contains("broken"), "{out}");
}

#[test]
fn unknown_deck_names_get_suggestions() {
    let env = Env::new(&["tests/fixtures/mini"]);
    let (code, _, err) = env.run(&["study", "minni"], "");
    assert_eq!(code, 1);
    assert!(
        err.contains("no deck `minni`; did you mean `mini`?"),
        "{err}"
    );
    let (code, _, err) = env.run(&["card", "mini/recognition"], "");
    assert_eq!(code, 1);
    assert!(
        err.contains("did you mean `mini/recognition-year`?"),
        "{err}"
    );
}

#[test]
fn a_missing_deck_folder_is_an_error_that_writes_nothing() {
    let env = Env::new(&["tests/fixtures/no-such-folder"]);
    let (code, _, err) = env.run(&["decks"], "");
    assert_eq!(code, 1);
    assert!(err.contains("deck folder not found"), "{err}");
}

#[test]
fn hostile_deck_text_never_reaches_the_terminal() {
    let env = Env::new(&["tests/fixtures/hostile"]);
    let mut cmd = env.cmd();
    let out = cmd
        .args(["study", "--seed", "1"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let out = {
        use std::io::Write;
        let mut child = out;
        child.stdin.take().unwrap().write_all(b"x\n\n").unwrap();
        child.wait_with_output().unwrap()
    };
    assert!(out.status.success());
    let bytes = out.stdout;
    assert!(!bytes.is_empty());
    for (i, &b) in bytes.iter().enumerate() {
        assert!(
            b == b'\n' || b >= 0x20,
            "control byte {b:#04x} at {i} in:\n{}",
            String::from_utf8_lossy(&bytes)
        );
    }
    let text = String::from_utf8(bytes).unwrap();
    assert!(!text.contains('\u{9b}'), "C1 control in output");
    assert!(text.contains("Who[31m signed the treaty?[?1049h"), "{text}");
    // The listing is clean too.
    let listing = env.ok(&["decks"]);
    assert!(
        listing.bytes().all(|b| b == b'\n' || b >= 0x20),
        "{listing:?}"
    );
}

#[test]
fn a_database_from_a_newer_kioku_is_refused_and_untouched() {
    let env = Env::new(&["tests/fixtures/mini"]);
    {
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        conn.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 99;")
            .unwrap();
    }
    let before = std::fs::read(&env.db).unwrap();
    for args in [
        &["decks"][..],
        &["study"],
        &["config"],
        &["card", "mini/laxman"],
    ] {
        let (code, _, err) = env.run(args, "");
        assert_eq!(code, 1, "{args:?}");
        assert!(
            err.contains(&format!(
                "written by a newer kioku (schema version 99; this build knows up to {})",
                kioku::store::SCHEMA_VERSION
            )),
            "{err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
    assert_eq!(std::fs::read(&env.db).unwrap(), before);
}

#[test]
fn a_file_that_is_not_a_database_is_refused_and_untouched() {
    let env = Env::new(&["tests/fixtures/mini"]);
    std::fs::write(&env.db, b"these are my notes, not a database\n".repeat(200)).unwrap();
    let before = std::fs::read(&env.db).unwrap();
    let (code, _, err) = env.run(&["decks"], "");
    assert_eq!(code, 1);
    assert!(
        err.contains("is not a kioku database, or it is damaged"),
        "{err}"
    );
    assert_eq!(std::fs::read(&env.db).unwrap(), before);
}

#[test]
fn config_lists_validates_and_keeps_settings() {
    let env = Env::new(&["tests/fixtures/mini"]);
    let listing = env.ok(&["config"]);
    for key in [
        "desired_retention",
        "new_per_day",
        "reviews_per_day",
        "learning_steps",
        "relearning_steps",
        "rollover_hour",
        "max_interval_days",
        "fuzz",
        "leech_threshold",
    ] {
        assert!(listing.contains(key), "{key} missing from:\n{listing}");
    }
    assert_eq!(
        env.ok(&["config", "learning_steps", "30s 5m"]).trim(),
        "learning_steps = 30s 5m"
    );
    let (code, _, err) = env.run(&["config", "desired_retention", "1.5"], "");
    assert_eq!(code, 1);
    assert!(
        err.contains("desired_retention: 1.5 is outside 0.70–0.99"),
        "{err}"
    );
    let (code, _, err) = env.run(&["config", "colour", "blue"], "");
    assert_eq!(code, 1);
    assert!(err.contains("unknown setting `colour`"), "{err}");
    assert_eq!(env.ok(&["config", "desired_retention"]).trim(), "0.9");
    assert_eq!(env.ok(&["config", "learning_steps"]).trim(), "30s 5m");
}

#[test]
fn new_per_day_limits_a_session() {
    let env = Env::new(&["tests/fixtures/mini"]);
    env.ok(&["config", "new_per_day", "2"]);
    let (_, out, _) = env.run(&["study", "--seed", "5"], "");
    assert!(
        out.starts_with("kioku · study · mini · 0 to review · 2 new · 0 learning"),
        "{out}"
    );
    let (_, out, _) = env.run(&["study", "--seed", "5", "--new", "5"], "");
    assert!(
        out.starts_with("kioku · study · mini · 0 to review · 5 new"),
        "{out}"
    );
}

#[test]
fn kioku_now_must_be_rfc3339() {
    let mut env = Env::new(&["tests/fixtures/mini"]);
    env.at("next tuesday");
    let (code, _, err) = env.run(&["decks"], "");
    assert_eq!(code, 1);
    assert!(
        err.contains("KIOKU_NOW `next tuesday` is not an RFC 3339 time"),
        "{err}"
    );
}
