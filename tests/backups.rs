//! Backups: one a study day (the newest N kept), one on request, and what
//! a backup killed midway or on a full disk leaves behind.

use crate::common::{cards_in, study_correctly, Env};
use std::path::Path;
use std::process::Stdio;

pub(crate) fn backups(env: &Env) -> Vec<String> {
    let dir = env.dir.path().join("backups");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok()?.file_name().into_string().ok())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn a_backup_a_day_and_only_the_newest_kept() {
    let cards = cards_in("tests/fixtures/mini");
    let mut env = Env::new(&["tests/fixtures/mini"]);
    env.ok(&["config", "backups", "2"]);
    study_correctly(&env, &cards, &["--plain"]);
    assert_eq!(
        backups(&env),
        Vec::<String>::new(),
        "nothing to keep before the first review"
    );
    env.ok(&["decks"]);
    env.ok(&["decks"]);
    assert_eq!(backups(&env), ["kioku-20260302-090000.db"], "one a day");
    for day in [
        "2026-03-03T09:00:00+00:00",
        "2026-03-04T09:00:00+00:00",
        "2026-03-05T09:00:00+00:00",
    ] {
        env.at(day);
        env.ok(&["decks"]);
    }
    assert_eq!(
        backups(&env),
        ["kioku-20260304-090000.db", "kioku-20260305-090000.db"]
    );
    env.ok(&["config", "backups", "0"]);
    env.at("2026-03-06T09:00:00+00:00");
    env.ok(&["decks"]);
    assert_eq!(backups(&env).len(), 2, "0 turns the daily backup off");
}

#[test]
fn backup_and_restore_on_request() {
    let cards = cards_in("tests/fixtures/mini");
    let mut env = Env::new(&["tests/fixtures/mini"]);
    study_correctly(&env, &cards, &["--plain"]);
    let saved = env.review_count();
    let copy = env.dir.path().join("copy.db");
    let out = env.ok(&["backup", copy.to_str().unwrap()]);
    assert!(out.contains(&format!("backed up {saved} reviews")), "{out}");
    assert!(out.contains("integrity checked"), "{out}");
    let (code, _, err) = env.run(&["backup", copy.to_str().unwrap()], "");
    assert_eq!(code, 1);
    assert!(err.contains("already exists"), "{err}");

    env.at("2026-03-04T09:00:00+00:00");
    study_correctly(&env, &cards, &["--plain"]);
    assert!(env.review_count() > saved);

    // A file that is not a sound database is refused; nothing changes.
    let later = env.review_count();
    let junk = env.dir.path().join("junk.db");
    std::fs::write(&junk, vec![7u8; 8192]).unwrap();
    let (code, _, err) = env.run(&["restore", junk.to_str().unwrap()], "");
    assert_eq!(code, 1);
    assert!(err.contains("junk.db"), "{err}");
    let mut damaged = std::fs::read(&copy).unwrap();
    for b in &mut damaged[4096 + 8..4096 + 2000] {
        *b = 0;
    }
    let broken = env.dir.path().join("broken.db");
    std::fs::write(&broken, &damaged).unwrap();
    let (code, _, err) = env.run(&["restore", broken.to_str().unwrap()], "");
    assert_eq!(code, 1);
    assert!(err.contains("broken.db"), "{err}");
    assert_eq!(env.review_count(), later, "the database is untouched");

    // The good copy goes back, and what it replaced is kept.
    let out = env.ok(&["restore", copy.to_str().unwrap()]);
    assert!(
        out.contains(&format!("({saved} reviews, integrity checked)")),
        "{out}"
    );
    assert_eq!(env.review_count(), saved);
    let kept: Vec<String> = backups(&env)
        .into_iter()
        .filter(|n| n.contains("before-restore"))
        .collect();
    assert_eq!(kept.len(), 1, "{:?}", backups(&env));
    let kept_db = env.dir.path().join("backups").join(&kept[0]);
    let n: i64 = rusqlite::Connection::open(kept_db)
        .unwrap()
        .query_row("SELECT COUNT(*) FROM reviews", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, later);
    // And kioku carries on with it.
    study_correctly(&env, &cards, &["--plain"]);
    let listed = env.ok(&["backup", "--list"]);
    assert!(listed.contains("before-restore"), "{listed}");
}

/// A database with a session's reviews, and a backup of it (`copy.db`).
pub(crate) fn studied_with_copy() -> (Env, std::path::PathBuf) {
    let cards = cards_in("tests/fixtures/mini");
    let env = Env::new(&["tests/fixtures/mini"]);
    study_correctly(&env, &cards, &["--plain"]);
    let copy = env.dir.path().join("copy.db");
    env.ok(&["backup", copy.to_str().unwrap()]);
    (env, copy)
}

pub(crate) fn sql(db: &Path, batch: &str) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute_batch(batch).unwrap();
}

/// A copy of `file` changed by `batch` (and left in rollback-journal mode,
/// as a hand-edited file would be).
pub(crate) fn edited(env: &Env, file: &Path, name: &str, batch: &str) -> std::path::PathBuf {
    let out = env.dir.path().join(name);
    std::fs::copy(file, &out).unwrap();
    sql(&out, &format!("PRAGMA journal_mode = DELETE; {batch}"));
    out
}

pub(crate) fn integrity(db: &Path) -> String {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

/// Adds `n` reviews (copies of the first, a few hundred bytes each) in one
/// transaction.
fn grow(db: &Path, n: u32) {
    sql(
        db,
        &format!(
            "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < {n})
             INSERT INTO reviews
             SELECT lower(hex(randomblob(16))), r.card_id, NULL, r.at + k.i, r.rating, r.verdict,
                    hex(randomblob(150)), r.duration_ms, r.interval_days, r.phase_before, r.step_before,
                    r.stability_before, r.difficulty_before, r.due_before, r.last_before, r.reps_before,
                    r.lapses_before, r.phase_after, r.step_after, r.stability_after, r.difficulty_after,
                    r.due_after, r.utc_offset, r.kept_due, r.balanced_due
             FROM k, (SELECT * FROM reviews LIMIT 1) AS r;"
        ),
    );
}

pub(crate) fn refused(env: &Env, file: &Path) -> String {
    let before = env.review_count();
    let (code, out, err) = env.run(&["restore", file.to_str().unwrap()], "");
    assert_eq!(code, 1, "{out}{err}");
    let name = file.file_name().unwrap().to_str().unwrap();
    assert!(err.contains(name), "the message names the file: {err}");
    assert!(
        err.contains("nothing was changed") || err.contains("the file was not changed"),
        "{err}"
    );
    for advice in ["move it aside", "--db"] {
        assert!(!err.contains(advice), "no advice to move a file: {err}");
    }
    assert_eq!(env.review_count(), before, "the database is untouched");
    assert_eq!(integrity(&env.db), "ok");
    err
}

#[test]
fn r6_a_backup_killed_midway_leaves_nothing_that_passes_for_that_days_backup() {
    let (mut env, _copy) = studied_with_copy();
    grow(&env.db, 60_000);
    let total = env.review_count();
    env.at("2026-03-03T09:00:00+00:00");
    let dir = env.dir.path().join("backups");
    let before = backups(&env);
    let mut child = env
        .cmd()
        .arg("decks")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Killed as soon as the copy has begun to be written.
    loop {
        let writing = std::fs::read_dir(&dir).is_ok_and(|mut d| {
            d.any(|e| {
                e.is_ok_and(|e| {
                    !before.contains(&e.file_name().to_string_lossy().into_owned())
                        && e.metadata().is_ok_and(|m| m.len() > 0)
                })
            })
        });
        if writing {
            child.kill().unwrap();
            break;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the backup finished before it could be killed; the database should be bigger"
        );
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    child.wait().unwrap();
    let listed = env.ok(&["backup", "--list"]);
    assert!(!listed.contains("20260303"), "{listed}");
    assert_eq!(
        backups(&env).iter().filter(|n| !n.starts_with('.')).count(),
        before.len()
    );

    // The next command makes the day's backup, whole.
    env.ok(&["decks"]);
    let made = dir.join("kioku-20260303-090000.db");
    assert_eq!(integrity(&made), "ok");
    let n: i64 = rusqlite::Connection::open(&made)
        .unwrap()
        .query_row("SELECT COUNT(*) FROM reviews", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, total);
    let listed = env.ok(&["backup", "--list"]);
    assert_eq!(listed.matches("20260303").count(), 1, "{listed}");

    // What the killed run left is removed once it is clearly nobody's.
    let leftovers: Vec<String> = backups(&env)
        .into_iter()
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(!leftovers.is_empty(), "{:?}", backups(&env));
    let long_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for name in &leftovers {
        std::fs::File::options()
            .write(true)
            .open(dir.join(name))
            .unwrap()
            .set_modified(long_ago)
            .unwrap();
    }
    env.ok(&["decks"]);
    assert!(
        backups(&env).iter().all(|n| !n.starts_with('.')),
        "{:?}",
        backups(&env)
    );
}

#[cfg(unix)]
#[test]
fn p5_a_daily_backup_on_a_full_disk_says_why() {
    let (mut env, _copy) = studied_with_copy();
    grow(&env.db, 2_000);
    env.at("2026-03-03T09:00:00+00:00");
    let mut cmd = env.cmd();
    cmd.arg("decks");
    let out = crate::common::with_file_size_limit(&cmd, 256 << 10)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("kioku: warning: the daily backup failed: cannot write the backup ")
            && err.contains("kioku-20260303-090000.db: the disk")
            && err.contains("full"),
        "{err}"
    );
    assert!(
        !backups(&env).iter().any(|n| n.contains("20260303")),
        "{:?}",
        backups(&env)
    );
}

#[test]
fn a_pending_rebuild_with_settings_that_do_not_read_leaves_config_usable() {
    let (env, copy) = studied_with_copy();
    sql(
        &env.db,
        "INSERT INTO settings VALUES ('desired_retention', '5'), ('states_stale', 'merge');",
    );
    let _ = copy;
    let (code, _, err) = env.run(&["config", "desired_retention", "0.9"], "");
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("not rebuilt until the settings read"), "{err}");
    let (code, _, err) = env.run(&["decks"], "");
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("an earlier merge was cut short"), "{err}");
    assert_eq!(env.json(&["rebuild", "--json"])["changed"], 0);
}

/// "One backup a day" counts the learner's study days, as every other day
/// is counted: in Tokyo with the rollover at 04:00, 05:00 begins a new day
/// though the UTC date has not turned, and the evening after is the same
/// day though it has.
#[test]
fn the_daily_backup_goes_by_the_learners_day_not_the_utc_date() {
    let cards = cards_in("tests/fixtures/mini");
    let mut env = Env::new(&["tests/fixtures/mini"]);
    env.at("2026-03-02T18:00:00+09:00");
    env.ok(&["config", "backups", "5"]);
    study_correctly(&env, &cards, &["--plain"]);
    env.ok(&["decks"]);
    assert_eq!(backups(&env), ["kioku-20260302-090000.db"]);
    // 03:00 is still the evening's study day.
    env.at("2026-03-03T03:00:00+09:00");
    env.ok(&["decks"]);
    assert_eq!(backups(&env), ["kioku-20260302-090000.db"]);
    // A new study day, on the same UTC date.
    env.at("2026-03-03T05:00:00+09:00");
    env.ok(&["decks"]);
    let two = ["kioku-20260302-090000.db", "kioku-20260302-200000.db"];
    assert_eq!(backups(&env), two);
    // The same study day, on the next UTC date.
    env.at("2026-03-03T19:00:00+09:00");
    env.ok(&["decks"]);
    assert_eq!(backups(&env), two);
}
