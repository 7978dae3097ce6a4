//! Backups: one a day (the newest N kept), one on request, and restore,
//! which checks a file before anything is replaced.

use crate::common::{card_for, cards_in, right_answer, study_correctly, Driver, Env};
use std::path::Path;
use std::process::Stdio;

fn backups(env: &Env) -> Vec<String> {
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
fn studied_with_copy() -> (Env, std::path::PathBuf) {
    let cards = cards_in("tests/fixtures/mini");
    let env = Env::new(&["tests/fixtures/mini"]);
    study_correctly(&env, &cards, &["--plain"]);
    let copy = env.dir.path().join("copy.db");
    env.ok(&["backup", copy.to_str().unwrap()]);
    (env, copy)
}

fn sql(db: &Path, batch: &str) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute_batch(batch).unwrap();
}

/// A copy of `file` changed by `batch` (and left in rollback-journal mode,
/// as a hand-edited file would be).
fn edited(env: &Env, file: &Path, name: &str, batch: &str) -> std::path::PathBuf {
    let out = env.dir.path().join(name);
    std::fs::copy(file, &out).unwrap();
    sql(&out, &format!("PRAGMA journal_mode = DELETE; {batch}"));
    out
}

fn integrity(db: &Path) -> String {
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
                    r.due_after, r.utc_offset
             FROM k, (SELECT * FROM reviews LIMIT 1) AS r;"
        ),
    );
}

fn refused(env: &Env, file: &Path) -> String {
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
fn d2_restore_refuses_while_a_study_session_is_open_in_another_terminal() {
    let cards = cards_in("tests/fixtures/mini");
    let env = Env::new(&["tests/fixtures/mini"]);
    env.ok(&["decks"]);
    let copy = env.dir.path().join("copy.db");
    env.ok(&["backup", copy.to_str().unwrap()]);

    let mut session = Driver::start(&env, &["--plain"]);
    let answer = |session: &mut Driver| {
        let block = session.next_card().expect("a card");
        let card = card_for(&cards, &block);
        session.send(&right_answer(card, &block));
        session.until(&["]: "]).expect("feedback");
        session.send("");
    };
    answer(&mut session);
    let started = std::time::Instant::now();
    let (code, out, err) = env.run(&["restore", copy.to_str().unwrap()], "");
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("waiting a few seconds"), "{err}");
    assert!(
        err.contains(&format!(
            "another kioku has the database {} open",
            env.db.display()
        )),
        "{err}"
    );
    assert!(err.contains("nothing was changed"), "{err}");
    assert!(started.elapsed() >= std::time::Duration::from_secs(2));
    // The session goes on, and every answer is in the database it shows.
    answer(&mut session);
    answer(&mut session);
    let (_, status) = session.close();
    assert!(status.success());
    assert_eq!(env.review_count(), 3);
    assert!(!backups(&env).iter().any(|n| n.contains("before-restore")));
    // Once it is closed, restore goes ahead.
    let out = env.ok(&["restore", copy.to_str().unwrap()]);
    assert!(out.contains("(0 reviews, integrity checked)"), "{out}");
    assert_eq!(env.review_count(), 0);
}

#[test]
fn d3_the_database_a_restore_replaced_outlives_the_daily_rotation() {
    let (mut env, copy) = studied_with_copy();
    env.at("2026-03-03T09:00:00+00:00");
    let out = env.ok(&["restore", copy.to_str().unwrap()]);
    assert!(out.contains("the database it replaced is kept as"), "{out}");
    env.ok(&["config", "backups", "2"]);
    for day in ["04", "05", "06", "07", "08"] {
        env.at(&format!("2026-03-{day}T09:00:00+00:00"));
        env.ok(&["decks"]);
    }
    assert_eq!(
        backups(&env),
        [
            "kioku-20260303-090000-before-restore.db",
            "kioku-20260307-090000.db",
            "kioku-20260308-090000.db"
        ]
    );
    let listed = env.ok(&["backup", "--list"]);
    assert!(
        listed.contains("kioku-20260303-090000-before-restore.db  0.")
            && listed.contains("kept: the database a restore replaced"),
        "{listed}"
    );
    assert!(
        !listed.contains("20260308-090000.db  0.1 MB  kept"),
        "{listed}"
    );
}

#[test]
fn d4_restore_refuses_a_database_whose_trigger_wipes_the_log() {
    let (env, copy) = studied_with_copy();
    let wipe = edited(
        &env,
        &copy,
        "wipe.db",
        "CREATE TRIGGER wipe AFTER INSERT ON reviews BEGIN DELETE FROM reviews WHERE id <> NEW.id; END;",
    );
    let err = refused(&env, &wipe);
    assert!(
        err.contains("its schema is not kioku's for version 3: trigger `wipe` is not kioku's"),
        "{err}"
    );
    // Views, tables, changed tables and missing indexes alike, each named.
    for (batch, named) in [
        ("CREATE VIEW peek AS SELECT * FROM reviews;", "view `peek` is not kioku's"),
        ("CREATE TABLE extra (x);", "table `extra` is not kioku's"),
        (
            "ALTER TABLE reviews ADD COLUMN note TEXT;",
            "table `reviews` differs from kioku's",
        ),
        ("DROP INDEX reviews_by_card;", "index `reviews_by_card` is missing"),
        (
            "DROP TRIGGER review_days_add; CREATE TRIGGER review_days_add AFTER INSERT ON reviews BEGIN SELECT 1; END;",
            "trigger `review_days_add` differs from kioku's",
        ),
    ] {
        let file = edited(&env, &copy, "changed.db", batch);
        let err = refused(&env, &file);
        assert!(err.contains(named), "{batch}: {err}");
        std::fs::remove_file(file).unwrap();
    }
}

#[test]
fn r7_restore_refuses_what_is_not_a_kioku_database_and_says_so_plainly() {
    let (env, _copy) = studied_with_copy();
    for (name, batch, says) in [
        (
            "fake3.db",
            "CREATE TABLE reviews (x); PRAGMA user_version = 3;",
            "its schema is not kioku's for version 3: table `reviews` differs from kioku's",
        ),
        (
            "fake1.db",
            "CREATE TABLE reviews (x); PRAGMA user_version = 1;",
            "its schema is not kioku's for version 1",
        ),
        (
            "other.db",
            "CREATE TABLE reviews (x);",
            "it is not a kioku database (it holds no kioku schema)",
        ),
        (
            "newer.db",
            "CREATE TABLE reviews (x); PRAGMA user_version = 99;",
            "was written by a newer kioku",
        ),
    ] {
        let file = env.dir.path().join(name);
        sql(&file, batch);
        let err = refused(&env, &file);
        assert!(err.contains(says), "{name}: {err}");
    }
    let junk = env.dir.path().join("junk.db");
    std::fs::write(&junk, vec![7u8; 8192]).unwrap();
    let err = refused(&env, &junk);
    assert!(
        err.contains("not a kioku database, or it is damaged"),
        "{err}"
    );
    let err = refused(&env, &env.dir.path().join("missing.db"));
    assert!(err.contains("cannot be opened"), "{err}");
}

/// A backup from an older kioku goes back as it is, and the next command
/// upgrades it, keeping a copy of it as it was.
#[test]
fn r7_an_older_kioku_backup_is_restored_then_upgraded() {
    let (env, _copy) = studied_with_copy();
    let old = env.dir.path().join("old.db");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let v1 = std::fs::read_to_string(root.join("migrations/0001_init.sql")).unwrap();
    sql(&old, &format!("{v1} PRAGMA user_version = 1;"));
    let out = env.ok(&["restore", old.to_str().unwrap()]);
    assert!(out.contains("(0 reviews, integrity checked)"), "{out}");
    assert!(out.contains("schema version 1"), "{out}");
    env.ok(&["decks"]);
    let version: i64 = rusqlite::Connection::open(&env.db)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, kioku::store::SCHEMA_VERSION);
    assert!(
        backups(&env).iter().any(|n| n.ends_with("-before-v3.db")),
        "{:?}",
        backups(&env)
    );
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
fn r9_a_symlinked_database_stays_a_link_and_its_target_is_restored() {
    let (mut env, copy) = studied_with_copy();
    let saved = env.review_count();
    let cloud = env.dir.path().join("cloud");
    std::fs::create_dir(&cloud).unwrap();
    let real = cloud.join("real.db");
    std::fs::rename(&env.db, &real).unwrap();
    std::os::unix::fs::symlink("cloud/real.db", &env.db).unwrap();
    env.at("2026-03-04T09:00:00+00:00");
    study_correctly(&env, &cards_in("tests/fixtures/mini"), &["--plain"]);
    assert!(env.review_count() > saved);

    env.ok(&["restore", copy.to_str().unwrap()]);
    assert!(std::fs::symlink_metadata(&env.db)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(env.review_count(), saved);
    let n: i64 = rusqlite::Connection::open(&real)
        .unwrap()
        .query_row("SELECT COUNT(*) FROM reviews", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, saved, "the link's target is what was restored");
    let beside: Vec<String> = std::fs::read_dir(&cloud)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with("-wal") || n.contains("kioku-tmp"))
        .collect();
    assert!(beside.is_empty(), "{beside:?}");
}

#[test]
fn h10_a_sparse_backup_is_restored_page_by_page() {
    let (env, copy) = studied_with_copy();
    let saved = env.review_count();
    let big = env.dir.path().join("big.db");
    std::fs::copy(&copy, &big).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&big)
        .unwrap()
        .set_len(3 << 30)
        .unwrap();
    let out = env.ok(&["restore", big.to_str().unwrap()]);
    assert!(out.contains(&format!("({saved} reviews")), "{out}");
    let size = std::fs::metadata(&env.db).unwrap().len();
    assert!(size < 10 << 20, "{size} bytes written");
    assert_eq!(integrity(&env.db), "ok");
}

#[test]
fn p2_restore_goes_on_when_the_database_is_damaged() {
    let (env, copy) = studied_with_copy();
    let saved = env.review_count();
    // The review log's first page ruined, as a failing disk might.
    let (root, page): (i64, i64) = {
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        let root = conn
            .query_row(
                "SELECT rootpage FROM sqlite_master WHERE name = 'reviews'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        (
            root,
            conn.query_row("PRAGMA page_size", [], |r| r.get(0))
                .unwrap(),
        )
    };
    let mut bytes = std::fs::read(&env.db).unwrap();
    let at = ((root - 1) * page) as usize;
    bytes[at + 3] = 0xff;
    bytes[at + 4] = 0xff;
    bytes[at + 8..at + 200].fill(0x55);
    std::fs::write(&env.db, &bytes).unwrap();
    assert_ne!(integrity(&env.db), "ok");
    let (_, _, err) = env.run(&["decks"], "");
    assert!(err.contains("is damaged"), "{err}");
    assert!(err.contains("kioku restore"), "{err}");

    let out = env.ok(&["restore", copy.to_str().unwrap()]);
    assert!(
        out.contains("the database it replaced could not be read"),
        "{out}"
    );
    let kept: Vec<String> = backups(&env)
        .into_iter()
        .filter(|n| n.ends_with("-damaged.db"))
        .collect();
    assert_eq!(kept.len(), 1, "{:?}", backups(&env));
    assert!(out.contains(&kept[0]), "{out}");
    let kept_bytes = std::fs::read(env.dir.path().join("backups").join(&kept[0])).unwrap();
    assert_eq!(kept_bytes, bytes, "its bytes, as they were");
    assert_eq!(env.review_count(), saved);
    env.ok(&["stats"]);
    let listed = env.ok(&["backup", "--list"]);
    assert!(
        listed.contains("kept: the raw bytes of a damaged database"),
        "{listed}"
    );

    // A file that is no database at all is kept aside the same way.
    std::fs::write(&env.db, b"not a database, just some notes\n").unwrap();
    let out = env.ok(&["restore", copy.to_str().unwrap()]);
    assert!(out.contains("could not be read"), "{out}");
    assert_eq!(env.review_count(), saved);
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
fn d4_restore_checks_every_review_as_a_merge_would() {
    let (env, copy) = studied_with_copy();
    let bad = edited(
        &env,
        &copy,
        "offset.db",
        "UPDATE reviews SET utc_offset = 1000000000000 WHERE rowid = (SELECT min(rowid) FROM reviews);",
    );
    let err = refused(&env, &bad);
    assert!(err.contains("a UTC offset beyond"), "{err}");
    let future = edited(
        &env,
        &copy,
        "future.db",
        "UPDATE reviews SET at = 253402300799000 WHERE rowid = (SELECT min(rowid) FROM reviews);",
    );
    refused(&env, &future);
}

#[test]
fn d4_a_restored_database_gets_its_card_states_from_its_log_not_its_cache() {
    let (env, copy) = studied_with_copy();
    // States no replay gives, and numbers nothing can read back.
    let bad = edited(
        &env,
        &copy,
        "cache.db",
        "UPDATE card_state SET stability = 1e308, reps = 9223372036854775807, due = 9223372036854775807;",
    );
    let (code, _, err) = env.run(&["restore", bad.to_str().unwrap()], "");
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("rebuilt from its review log"), "{err}");
    for args in [&["decks"][..], &["stats", "--json"], &["study", "--plain"]] {
        let (code, _, err) = env.run(args, "");
        assert_eq!(code, 0, "{args:?}: {err}");
    }
    assert_eq!(env.json(&["rebuild", "--json"])["changed"], 0);
}

#[test]
fn r6_a_backup_taken_while_an_import_had_its_index_down_can_be_restored() {
    let (env, copy) = studied_with_copy();
    // What a large history import leaves while it writes, or if killed.
    let mid_import = edited(
        &env,
        &copy,
        "mid.db",
        "DROP INDEX reviews_by_time; INSERT INTO settings VALUES ('states_stale', 'history import');",
    );
    let saved = env.review_count();
    let (code, out, err) = env.run(&["restore", mid_import.to_str().unwrap()], "");
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(env.review_count(), saved);
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let index: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE name = 'reviews_by_time'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(index, 1, "the copy got its index back");
    drop(conn);
    // A backup of it is a whole kioku database again.
    let again = env.dir.path().join("again.db");
    env.ok(&["backup", again.to_str().unwrap()]);
    env.ok(&["restore", again.to_str().unwrap()]);
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
