//! Reviews from outside — another machine's database (`merge`) and history
//! files (`history import`) — checked where they enter, never counted twice,
//! never blamed on the learner's own database, and written in short
//! transactions that leave nothing stale behind.

use crate::common::{cards_in, study_correctly, Env};
use rusqlite::Connection;
use std::path::{Path, PathBuf};

const DECKS: &str = "tests/fixtures/mini";

/// A database with a few days of study.
fn studied() -> Env {
    let cards = cards_in(DECKS);
    let mut env = Env::new(&[DECKS]);
    study_correctly(&env, &cards, &["--plain"]);
    env.at("2026-03-03T09:00:00+00:00");
    study_correctly(&env, &cards, &["--plain"]);
    env.at("2026-03-04T09:00:00+00:00");
    env
}

/// A copy of the learner's database, as another machine's, in DELETE mode.
fn other_copy(env: &Env, name: &str) -> PathBuf {
    let other = env.dir.path().join(name);
    let conn = Connection::open(&env.db).unwrap();
    conn.execute("VACUUM INTO ?1", [other.to_str().unwrap()])
        .unwrap();
    drop(conn);
    let conn = Connection::open(&other).unwrap();
    conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    other
}

/// Adds copies of `n` of its reviews with fresh ids and `column = value`.
fn add_copies(other: &Path, n: usize, column: &str, value: &str) {
    add_copies_with(other, n, &[(column, value)]);
}

/// Adds copies of `n` of its reviews with fresh ids and the columns changed.
fn add_copies_with(other: &Path, n: usize, changes: &[(&str, &str)]) {
    let columns = [
        "card_id",
        "session_id",
        "at",
        "rating",
        "verdict",
        "answer",
        "duration_ms",
        "interval_days",
        "phase_before",
        "step_before",
        "stability_before",
        "difficulty_before",
        "due_before",
        "last_before",
        "reps_before",
        "lapses_before",
        "phase_after",
        "step_after",
        "stability_after",
        "difficulty_after",
        "due_after",
        "utc_offset",
    ];
    let select: Vec<String> = columns
        .iter()
        .map(|c| match *c {
            "session_id" => "NULL".to_string(),
            c => match changes.iter().find(|(name, _)| *name == c) {
                Some((_, value)) => value.to_string(),
                None => c.to_string(),
            },
        })
        .collect();
    let sql = format!(
        "INSERT INTO reviews (id, {}) SELECT lower(hex(randomblob(16))), {} FROM reviews LIMIT {n}",
        columns.join(", "),
        select.join(", ")
    );
    Connection::open(other)
        .unwrap()
        .execute_batch(&sql)
        .unwrap();
}

fn integrity(db: &Path) -> String {
    Connection::open(db)
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

fn stale_mark(db: &Path) -> Option<String> {
    Connection::open(db)
        .unwrap()
        .query_row(
            "SELECT value FROM settings WHERE key = 'states_stale'",
            [],
            |r| r.get(0),
        )
        .ok()
}

#[test]
fn r1_a_merged_review_dated_in_the_future_is_refused_and_named() {
    let env = studied();
    let before = env.review_count();
    let other = other_copy(&env, "other.db");
    add_copies(&other, 3, "at", "253402300799000");
    let (code, out, err) = env.run(&["merge", other.to_str().unwrap()], "");
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.starts_with("added 0 reviews"), "{out}");
    assert!(
        err.contains("3 reviews were refused: at 9999-12-31T23:59:59Z, a time in the future"),
        "{err}"
    );
    assert_eq!(env.review_count(), before);
    let card = env.ok(&["card", "mini/laxman"]);
    assert!(!card.contains("+10000"), "{card}");
}

#[test]
fn r1_a_history_row_dated_in_the_future_stops_the_import_with_its_line() {
    let env = studied();
    let before = env.review_count();
    let csv = env.dir.path().join("fut.csv");
    std::fs::write(
        &csv,
        "card_id,review_rating,review_time,review_duration,deck,card\n\
         1,3,2026-03-01T10:00:00Z,1000,mini,laxman\n\
         1,3,9999-12-31T23:59:59Z,1000,mini,laxman\n",
    )
    .unwrap();
    let (code, _, err) = env.run(&["history", "import", csv.to_str().unwrap()], "");
    assert_eq!(code, 1);
    assert!(
        err.contains("the first at line 3, a time in the future (9999-12-31T23:59:59Z)"),
        "{err}"
    );
    assert!(err.contains("nothing was imported"), "{err}");
    assert_eq!(env.review_count(), before);
}

#[test]
fn c2_merged_reviews_at_the_ends_of_time_are_refused_and_rebuild_still_runs() {
    let env = studied();
    let before = env.review_count();
    let other = other_copy(&env, "other.db");
    add_copies(&other, 2, "at", &i64::MAX.to_string());
    add_copies(&other, 2, "at", &i64::MIN.to_string());
    add_copies(&other, 1, "stability_after", "1e308 * 10");
    let (code, out, err) = env.run(&["merge", other.to_str().unwrap()], "");
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("5 reviews were refused"), "{err}");
    assert_eq!(env.review_count(), before);
    env.ok(&["rebuild"]);
    env.ok(&["history", "--csv"]);
    assert_eq!(integrity(&env.db), "ok");
}

#[test]
fn r4_absurd_durations_never_wrap_the_study_time() {
    let env = studied();
    let csv = env.dir.path().join("long.csv");
    std::fs::write(
        &csv,
        "card_id,review_rating,review_time,review_duration,deck,card\n\
         1,3,2026-03-04T08:00:00Z,1e300,mini,laxman\n\
         1,3,2026-03-04T08:10:00Z,1e300,mini,laxman\n",
    )
    .unwrap();
    let before = env.review_count();
    let (code, _, err) = env.run(&["history", "import", csv.to_str().unwrap()], "");
    assert_eq!(code, 1);
    assert!(
        err.contains(
            "2 reviews were refused, the first at line 2, a duration of more than 6 hours"
        ),
        "{err}"
    );
    assert_eq!(env.review_count(), before);

    // A merged review keeps its place in the log, but not its absurd time.
    let other = other_copy(&env, "other.db");
    add_copies_with(
        &other,
        2,
        &[
            ("duration_ms", "9000000000000000000"),
            ("at", "at - 3600000"),
        ],
    );
    let (code, out, err) = env.run(&["merge", other.to_str().unwrap()], "");
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.starts_with("added 2 reviews"), "{out}");
    assert!(
        err.contains("2 merged reviews said they took more than 6 hours"),
        "{err}"
    );
    let longest: i64 = Connection::open(&env.db)
        .unwrap()
        .query_row("SELECT MAX(duration_ms) FROM reviews", [], |r| r.get(0))
        .unwrap();
    assert_eq!(longest, 6 * 3_600_000);
    let stats = env.json(&["stats", "--json"]);
    let text = stats.to_string();
    assert!(
        !text.contains("time_ms\":-"),
        "no negative study time: {text}"
    );
}

#[test]
fn r3_two_machines_that_imported_the_same_csv_merge_without_doubles() {
    let a = studied();
    let mut b = Env::new(&[DECKS]);
    b.at(&a.now);
    let csv = a.dir.path().join("shared.csv");
    let mut text = String::from("card_id,review_rating,review_time,review_duration,deck,card\n");
    for (i, card) in ["laxman", "vladivostok", "war-ended-by"].iter().enumerate() {
        for day in 1..=9 {
            text.push_str(&format!(
                "{i},3,2025-0{day}-10T09:00:00Z,4000,mini,{card}\n"
            ));
        }
    }
    std::fs::write(&csv, text).unwrap();
    a.ok(&["history", "import", csv.to_str().unwrap()]);
    b.ok(&["history", "import", csv.to_str().unwrap()]);
    let before = a.review_count();
    let out = a.ok(&["merge", b.db.to_str().unwrap()]);
    assert!(out.starts_with("added 0 reviews"), "{out}");
    assert!(out.contains("(27 were already here"), "{out}");
    assert_eq!(a.review_count(), before);
    let rebuilt = a.json(&["rebuild", "--json"]);
    assert_eq!(rebuilt["changed"], 0);
}

#[test]
fn p3_rows_a_kioku_would_not_write_are_refused_not_already_here() {
    let env = studied();
    let before = env.review_count();
    // A copy of the schema without STRICT or CHECK, holding bad ratings.
    let other = env.dir.path().join("loose.db");
    let conn = Connection::open(&env.db).unwrap();
    conn.execute("VACUUM INTO ?1", [other.to_str().unwrap()])
        .unwrap();
    drop(conn);
    let conn = Connection::open(&other).unwrap();
    conn.execute_batch(
        "PRAGMA journal_mode = DELETE;
         CREATE TABLE loose AS SELECT * FROM reviews;
         UPDATE loose SET id = lower(hex(randomblob(16))), rating = 9 WHERE rowid IN (SELECT rowid FROM loose LIMIT 2);
         UPDATE loose SET id = lower(hex(randomblob(16))), rating = 0 WHERE rowid IN (SELECT rowid FROM loose LIMIT 1 OFFSET 2);
         DELETE FROM loose WHERE rating BETWEEN 1 AND 4;
         PRAGMA writable_schema = ON;
         DROP TRIGGER review_days_add; DROP TRIGGER review_days_remove; DROP TRIGGER review_days_forget;
         PRAGMA writable_schema = OFF;
         ALTER TABLE reviews RENAME TO strict_reviews;
         CREATE TABLE reviews AS SELECT * FROM strict_reviews;
         INSERT INTO reviews SELECT * FROM loose;",
    )
    .unwrap();
    drop(conn);
    let (code, out, err) = env.run(&["merge", other.to_str().unwrap()], "");
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains(&format!("({before} were already here")),
        "only the reviews really here: {out}"
    );
    assert!(err.contains("3 reviews were refused"), "{err}");
    assert!(err.contains("a rating other than 1 to 4"), "{err}");
    assert_eq!(env.review_count(), before);
}

/// Damages the last leaf pages of a table, as a failing disk would.
fn damage(db: &Path, table: &str) {
    let conn = Connection::open(db).unwrap();
    let size: i64 = conn
        .query_row("PRAGMA page_size", [], |r| r.get(0))
        .unwrap();
    let pages: Vec<i64> = conn
        .prepare(&format!(
            "SELECT rootpage FROM sqlite_master WHERE name = '{table}'"
        ))
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    drop(conn);
    let mut bytes = std::fs::read(db).unwrap();
    for page in pages {
        let start = ((page - 1) * size) as usize;
        for b in &mut bytes[start..start + 200] {
            *b = 0xAB;
        }
    }
    std::fs::write(db, bytes).unwrap();
}

#[test]
fn p1_a_damaged_other_database_is_named_and_the_learners_own_is_not_blamed() {
    let env = studied();
    let before = env.review_count();
    let other = other_copy(&env, "other.db");
    damage(&other, "reviews");
    let (code, _, err) = env.run(&["merge", other.to_str().unwrap()], "");
    assert_eq!(code, 1);
    assert!(
        err.contains("other.db is damaged or is not a database"),
        "{err}"
    );
    assert!(
        err.contains("nothing was changed in your database"),
        "{err}"
    );
    assert!(
        !err.contains("kioku.db"),
        "the learner's database is not named: {err}"
    );
    assert!(
        !err.contains("move it aside") && !err.contains("kioku restore"),
        "{err}"
    );
    assert_eq!(env.review_count(), before);
    assert_eq!(integrity(&env.db), "ok");

    // A file that is not a database at all.
    let junk = env.dir.path().join("junk.db");
    std::fs::write(&junk, vec![7u8; 8192]).unwrap();
    let (code, _, err) = env.run(&["merge", junk.to_str().unwrap()], "");
    assert_eq!(code, 1);
    assert!(
        err.contains("junk.db is damaged or is not a database"),
        "{err}"
    );
    assert!(!err.contains("move it aside"), "{err}");
}

#[test]
fn p1_text_in_a_real_column_names_the_other_file() {
    let env = studied();
    let before = env.review_count();
    let other = env.dir.path().join("other.db");
    let conn = Connection::open(&env.db).unwrap();
    conn.execute("VACUUM INTO ?1", [other.to_str().unwrap()])
        .unwrap();
    drop(conn);
    let conn = Connection::open(&other).unwrap();
    conn.execute_batch(
        "PRAGMA journal_mode = DELETE;
         ALTER TABLE reviews RENAME TO strict_reviews;
         CREATE TABLE reviews AS SELECT * FROM strict_reviews;
         UPDATE reviews SET stability_after = 'lots' WHERE rowid = 1;",
    )
    .unwrap();
    drop(conn);
    let (code, _, err) = env.run(&["merge", other.to_str().unwrap()], "");
    assert_eq!(code, 1);
    assert!(
        err.contains("other.db holds a value of the wrong type"),
        "{err}"
    );
    assert!(err.contains("stability_after"), "{err}");
    assert_eq!(env.review_count(), before);
}

#[test]
fn h7_a_view_where_a_table_belongs_is_refused_without_holding_the_lock() {
    let env = studied();
    let before = env.review_count();
    let other = other_copy(&env, "other.db");
    Connection::open(&other)
        .unwrap()
        .execute_batch(
            "PRAGMA foreign_keys = OFF;
             ALTER TABLE cards RENAME TO real_cards;
             CREATE VIEW cards AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)
                SELECT i AS id, 'mini' AS deck_id, 'x' || i AS card_key, '' AS note, 'basic' AS kind, i AS position,
                       '{}' AS content, '' AS content_hash, 0 AS added_at FROM n;",
        )
        .unwrap();
    let started = std::time::Instant::now();
    let (code, _, err) = env.run(&["merge", other.to_str().unwrap()], "");
    assert_eq!(code, 1);
    assert!(err.contains("its `cards` is a view, not a table"), "{err}");
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    assert_eq!(env.review_count(), before);
}

#[test]
fn r5_a_merge_cut_short_before_its_rebuild_is_finished_by_the_next_command() {
    let env = studied();
    // What a merge killed between its reviews and its rebuild leaves: the
    // mark, and states behind the log.
    let conn = Connection::open(&env.db).unwrap();
    conn.execute_batch(
        "INSERT INTO settings (key, value) VALUES ('states_stale', 'merge');
         UPDATE card_state SET due = due + 86400000 * 400, stability = 123.0;",
    )
    .unwrap();
    drop(conn);
    let (code, out, err) = env.run(&["decks"], "");
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("an earlier merge was cut short"), "{err}");
    assert_eq!(stale_mark(&env.db), None, "the mark is cleared");
    let rebuilt = env.json(&["rebuild", "--json"]);
    assert_eq!(rebuilt["changed"], 0, "nothing left stale: {rebuilt}");
    let (_, _, err) = env.run(&["decks"], "");
    assert!(!err.contains("cut short"), "said once: {err}");
}

#[test]
fn r5_new_parameters_are_saved_with_the_mark_the_rebuild_clears() {
    let env = studied();
    let out = env.ok(&["merge", other_copy(&env, "o.db").to_str().unwrap()]);
    assert!(out.starts_with("added 0 reviews"), "{out}");
    assert_eq!(stale_mark(&env.db), None, "a finished merge leaves no mark");
    let mut store = kioku::store::Store::open(
        &env.db,
        chrono::DateTime::parse_from_rfc3339(&env.now)
            .unwrap()
            .to_utc(),
    )
    .unwrap();
    store
        .set_replay_setting(
            "fsrs_parameters",
            "0.2, 1.2, 3.2, 15.7, 7.2, 0.5, 1.5, 0.005, 1.5, 0.1, 1.0, 1.9, 0.1, 0.3, 2.3, 0.2, 3.0, 0.5, 0.6, 0.1, 0.15",
        )
        .unwrap();
    drop(store);
    assert_eq!(stale_mark(&env.db).as_deref(), Some("change of parameters"));
    let (code, _, err) = env.run(&["stats", "--json"], "");
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("an earlier change of parameters was cut short"),
        "{err}"
    );
    assert_eq!(stale_mark(&env.db), None);
    assert_eq!(env.json(&["rebuild", "--json"])["changed"], 0);
}

/// Another machine's copy with `n` more reviews of the same cards, an hour
/// apart going back from the first review.
fn other_with_many(env: &Env, n: usize) -> PathBuf {
    let other = other_copy(env, "big.db");
    let conn = Connection::open(&other).unwrap();
    conn.execute_batch(&format!(
        "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < {n})
         INSERT INTO reviews (id, card_id, session_id, at, rating, verdict, answer, duration_ms, interval_days,
             phase_before, step_before, stability_before, difficulty_before, due_before, last_before, reps_before,
             lapses_before, phase_after, step_after, stability_after, difficulty_after, due_after, utc_offset)
         SELECT lower(hex(randomblob(16))), r.card_id, NULL, r.at - k.i * 3600000, r.rating, r.verdict, NULL, 4000,
             r.interval_days, r.phase_before, r.step_before, r.stability_before, r.difficulty_before, NULL, NULL,
             r.reps_before, r.lapses_before, r.phase_after, r.step_after, r.stability_after, r.difficulty_after,
             r.due_after, r.utc_offset
         FROM k, (SELECT * FROM reviews ORDER BY at LIMIT 1) r;"
    ))
    .unwrap();
    other
}

#[test]
fn h8_study_answers_are_saved_while_a_long_merge_runs_in_another_terminal() {
    let env = studied();
    let before = env.review_count();
    let n = 150_000;
    let other = other_with_many(&env, n);
    let merge = env
        .cmd()
        .args(["merge", other.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Study while the merge writes (it reads the other file first), day
    // after day until it is done.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !merge_running(&env) && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    // The first session begins while the merge is writing (it has taken
    // its mark and not yet cleared it), so its answers meet the merge.
    assert!(merge_running(&env), "the merge never began writing");
    let mut later = Env::new(&[DECKS]);
    later.db = env.db.clone();
    let started = std::time::Instant::now();
    let (mut answered, mut sessions) = (0, 0);
    for day in 10..=28 {
        if sessions > 0 && !merge_running(&env) {
            break;
        }
        later.at(&format!("2026-03-{day}T09:00:00+00:00"));
        let (n, out) = study_correctly(&later, &cards_in(DECKS), &["--plain"]);
        assert!(!out.contains("busy"), "{out}");
        answered += n;
        sessions += 1;
    }
    eprintln!(
        "{sessions} sessions, {answered} answers in {:?}",
        started.elapsed()
    );
    let merged = merge.wait_with_output().unwrap();
    eprintln!("merge done after {:?}", started.elapsed());
    let (merge_out, merge_err) = (
        String::from_utf8_lossy(&merged.stdout),
        String::from_utf8_lossy(&merged.stderr),
    );
    assert!(merged.status.success(), "{merge_out}{merge_err}");
    assert!(answered > 0);
    assert!(
        merge_out.starts_with("added 150,000 reviews"),
        "{merge_out}"
    );
    assert_eq!(
        env.review_count() as usize,
        before as usize + n + answered,
        "every answer saved"
    );
    assert_eq!(later.json(&["rebuild", "--json"])["changed"], 0);
    assert_eq!(integrity(&env.db), "ok");
}

fn merge_running(env: &Env) -> bool {
    stale_mark(&env.db).is_some()
}

#[test]
fn r5_a_merge_killed_midway_is_finished_by_the_next_command_and_resumed_by_merging_again() {
    let env = studied();
    let before = env.review_count();
    let n = 100_000;
    let other = other_with_many(&env, n);
    let mut merge = env
        .cmd()
        .args(["merge", other.to_str().unwrap()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while env.review_count() == before && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    merge.kill().unwrap();
    merge.wait().unwrap();
    let partial = env.review_count();
    assert!(partial > before, "killed after its first batch");
    if partial < before + n as i64 {
        assert_eq!(stale_mark(&env.db).as_deref(), Some("merge"));
    }
    let (code, _, err) = env.run(&["decks"], "");
    assert_eq!(code, 0, "{err}");
    if partial < before + n as i64 {
        assert!(err.contains("an earlier merge was cut short"), "{err}");
    }
    assert_eq!(stale_mark(&env.db), None);
    assert_eq!(
        env.json(&["rebuild", "--json"])["changed"],
        0,
        "no state left stale"
    );
    // Merging again adds the rest.
    env.ok(&["merge", other.to_str().unwrap()]);
    assert_eq!(env.review_count(), before + n as i64);
    assert_eq!(integrity(&env.db), "ok");
}

/// Answers accepted on another machine ("I was right") come with its
/// reviews: checked like them, kept once however often it is merged.
#[test]
fn merge_carries_accepted_answers_once_and_leaves_out_bad_ones() {
    let theirs = crate::study::one_typed_card();
    let (code, _, err) = theirs.run(&["study", "--plain"], "Rakusuman\nr\n:q\n");
    assert_eq!(code, 0, "{err}");
    let other = other_copy(&theirs, "other.db");
    {
        let conn = Connection::open(&other).unwrap();
        // A row no kioku writes: an empty answer, and one from the future.
        conn.execute_batch(
            "INSERT INTO accepted_answers (card_id, folded, answer, at) SELECT card_id, 'x', '   ', at FROM accepted_answers;
             INSERT INTO accepted_answers (card_id, folded, answer, at) SELECT card_id, 'later', 'Later', 99999999999999 FROM accepted_answers WHERE folded = 'rakusuman';",
        )
        .unwrap();
    }
    let mut mine = crate::study::one_typed_card();
    mine.ok(&["decks"]);
    for _ in 0..2 {
        mine.ok(&["merge", other.to_str().unwrap()]);
        let card = mine.json(&["card", "navigators/laxman", "--json"]);
        assert_eq!(card["accepted"], serde_json::json!(["Rakusuman"]), "{card}");
    }
    mine.at("2026-03-03T09:00:00+00:00");
    let (code, out, err) = mine.run(&["study", "--plain"], "rakusuman\n\n:q\n");
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("✓ correct"), "{out}");
}
