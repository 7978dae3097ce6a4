//! `kioku postpone` and `kioku advance` through the binary, the backlog
//! notice at the start of a study session, the reschedule that a new
//! desired retention brings, and the load-balancing settings.

use crate::common::Env;
use chrono::{DateTime, Duration, Utc};

const CARDS: usize = 60;

/// A deck of `CARDS` basic cards, each studied four times in September
/// (on days that differ from card to card), and a database that imported
/// those reviews; the clock is at `now`.
fn studied(now: &str) -> (Env, tempfile::TempDir) {
    let decks = tempfile::tempdir().unwrap();
    let mut toml = String::from("format = 1\n[deck]\nid = \"b\"\ntitle = \"Backlog\"\n");
    let mut csv = String::from("card_id,review_rating,review_time,deck,card\n");
    let start: DateTime<Utc> = "2026-09-01T09:00:00Z".parse().unwrap();
    for i in 0..CARDS {
        toml.push_str(&format!(
            "[[cards]]\nid = \"c{i}\"\ntype = \"basic\"\nq = \"Question {i}?\"\na = \"Answer {i}\"\n"
        ));
        let first = start + Duration::hours(i as i64 * 11);
        for days in [0, 1, 4, 12] {
            let at = (first + Duration::days(days)).format("%Y-%m-%dT%H:%M:%SZ");
            csv.push_str(&format!("x,3,{at},b,c{i}\n"));
        }
    }
    std::fs::write(decks.path().join("b.toml"), toml).unwrap();
    let file = decks.path().join("reviews.csv");
    std::fs::write(&file, csv).unwrap();
    let mut env = Env::new(&[]);
    env.decks = vec![decks.path().to_path_buf()];
    env.at(now);
    env.ok(&["history", "import", file.to_str().unwrap()]);
    (env, decks)
}

fn unchanged_by_rebuild(env: &Env) {
    let out = env.ok(&["rebuild"]);
    assert!(out.contains("0 cached states changed"), "{out}");
}

fn moves(env: &Env) -> i64 {
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.query_row("SELECT COUNT(*) FROM moves", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn postpone_moves_the_safe_reviews_later_and_keeps_them_moved() {
    let (env, _decks) = studied("2026-11-20T09:00:00Z");
    let dry = env.json(&["postpone", "--dry-run", "--json"]);
    assert_eq!(moves(&env), 0, "a dry run writes nothing");
    let candidates = dry["candidates"].as_u64().unwrap();
    let safe = dry["safe"].as_u64().unwrap();
    assert!(candidates > 0 && safe > 0 && safe < candidates, "{dry}");
    assert_eq!(dry["moved"], dry["safe"]);

    let done = env.json(&["postpone", "--json"]);
    assert_eq!(done["written"], dry["safe"]);
    assert_eq!(moves(&env), safe as i64);
    let today: DateTime<Utc> = "2026-11-20T04:00:00Z".parse().unwrap();
    for card in done["cards"].as_array().unwrap() {
        let after: DateTime<Utc> = card["due_after"].as_str().unwrap().parse().unwrap();
        let before: DateTime<Utc> = card["due_before"].as_str().unwrap().parse().unwrap();
        assert!(after > today && after > before, "{card}");
        assert!(card["recall_after"].as_f64() < card["recall_before"].as_f64());
    }
    // `kioku card` lists the move under the card's reviews.
    let moved = &done["cards"][0];
    let name = format!(
        "{}/{}",
        moved["deck"].as_str().unwrap(),
        moved["card"].as_str().unwrap()
    );
    let card = env.json(&["card", &name, "--json"]);
    let listed = card["moves"].as_array().unwrap();
    assert_eq!(listed.len(), 1, "{card}");
    assert_eq!(listed[0]["reason"], "postpone");
    assert_eq!(listed[0]["due"], card["state"]["due"]);
    let text = env.ok(&["card", &name]);
    let day = &moved["due_after"].as_str().unwrap()[..10];
    assert!(
        text.contains("due date moved:\n  2026-11-20  postpone    now due ") && text.contains(day),
        "{text}"
    );

    // The moved cards are no longer due, and stay so after a rebuild.
    let left = env.json(&["postpone", "--dry-run", "--json"]);
    assert_eq!(left["candidates"].as_u64().unwrap(), candidates - safe);
    unchanged_by_rebuild(&env);
    let again = env.json(&["postpone", "--dry-run", "--json"]);
    assert_eq!(again["candidates"], left["candidates"]);

    // More than the safe ones, when asked for, with a warning.
    let text = env.ok(&["postpone", "2"]);
    assert!(text.starts_with("Postponed 2 reviews"), "{text}");
    assert!(text.contains("past that line"), "{text}");
}

#[test]
fn advance_makes_reviews_due_today() {
    let (env, _decks) = studied("2026-10-15T09:00:00Z");
    let plan = env.json(&["advance", "3", "--json"]);
    assert_eq!(plan["moved"], 3, "{plan}");
    assert_eq!(plan["written"], 3);
    for card in plan["cards"].as_array().unwrap() {
        assert_eq!(card["due_after"], "2026-10-15T04:00:00+00:00", "{card}");
    }
    assert!(plan["recall_after"].as_f64() > plan["recall_before"].as_f64());
    unchanged_by_rebuild(&env);
    // Advanced cards are due now: two more make two more due.
    let due = |env: &Env| {
        env.json(&["postpone", "--dry-run", "--json"])["candidates"]
            .as_u64()
            .unwrap()
    };
    let now_due = due(&env);
    let again = env.json(&["advance", "2", "--json"]);
    assert_eq!(again["written"], 2);
    assert_eq!(due(&env), now_due + 2);
    let text = env.ok(&["advance", "--dry-run"]);
    assert!(
        text.contains("Would advance") || text.contains("None of the"),
        "{text}"
    );
    assert!(
        text.contains("Nothing was changed") || text.contains("None of the"),
        "{text}"
    );
}

#[test]
fn a_session_opened_on_a_backlog_says_so_and_names_postpone() {
    let (env, _decks) = studied("2026-11-20T09:00:00Z");
    let (_, out, _) = env.run(&["study", "--plain"], "q\n");
    assert!(!out.contains("kioku postpone"), "{out}");
    env.ok(&["config", "reviews_per_day", "5"]);
    let (_, out, _) = env.run(&["study", "--plain"], "q\n");
    let second = out.lines().nth(1).unwrap_or_default();
    assert!(second.contains("more than your 5 a day"), "{out}");
    assert!(second.contains("`kioku postpone`"), "{out}");
}

#[test]
fn a_new_desired_retention_reschedules_and_a_rebuild_keeps_it() {
    let (env, _decks) = studied("2026-10-15T09:00:00Z");
    let (code, _, err) = env.run(&["config", "desired_retention", "0.8"], "");
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("review cards a new due day"), "{err}");
    assert!(moves(&env) > 0);
    unchanged_by_rebuild(&env);
    // Setting the same value again moves nothing.
    let before = moves(&env);
    let (_, _, err) = env.run(&["config", "desired_retention", "0.8"], "");
    assert!(!err.contains("new due day"), "{err}");
    assert_eq!(moves(&env), before);
}

#[test]
fn load_balancing_settings_are_checked() {
    let env = Env::new(&["tests/fixtures/mini"]);
    assert_eq!(env.ok(&["config", "load_balance"]).trim(), "on");
    assert_eq!(
        env.ok(&["config", "load_balance", "false"]).trim(),
        "load_balance = off"
    );
    let (code, _, err) = env.run(&["config", "load_balance", "maybe"], "");
    assert_eq!(code, 1);
    assert!(
        err.contains("load_balance: `maybe` is not on or off"),
        "{err}"
    );
    let out = env.ok(&["config", "easy_days", "Sat=0.5 sunday=0"]);
    assert_eq!(out.trim(), "easy_days = sat=0.5 sun=0");
    for (bad, says) in [
        ("sat=2", "from 0 (no reviews) to 1"),
        ("caturday=0", "not a weekday"),
        (
            "mon=0 tue=0 wed=0 thu=0 fri=0 sat=0 sun=0",
            "at least one day",
        ),
    ] {
        let (code, _, err) = env.run(&["config", "easy_days", bad], "");
        assert_eq!(code, 1, "{bad}");
        assert!(err.contains(says), "{bad}: {err}");
    }
    assert_eq!(env.ok(&["config", "easy_days"]).trim(), "sat=0.5 sun=0");
}
