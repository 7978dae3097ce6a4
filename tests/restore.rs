//! Restore: a backup is checked before anything is replaced (schema,
//! triggers, every review as a merge would check it), it waits for other
//! terminals, keeps what it replaced, and rebuilds the caches from the log.

use crate::backups::{backups, edited, integrity, refused, sql, studied_with_copy};
use crate::common::{card_for, cards_in, right_answer, study_correctly, Driver, Env};
use std::path::Path;

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
        err.contains(&format!(
            "its schema is not kioku's for version {}: trigger `wipe` is not kioku's",
            kioku::store::SCHEMA_VERSION
        )),
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
        (
            "DROP TRIGGER review_days_add; INSERT INTO set_aside VALUES ('review_days_add', \
             'CREATE TRIGGER review_days_add AFTER INSERT ON reviews BEGIN DELETE FROM reviews; END');",
            "the trigger `review_days_add` set aside is not kioku's",
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
        backups(&env)
            .iter()
            .any(|n| n.ends_with(&format!("-before-v{}.db", kioku::store::SCHEMA_VERSION))),
        "{:?}",
        backups(&env)
    );
}

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
        "DROP INDEX reviews_by_time; INSERT INTO settings VALUES ('states_stale', 'history import');
         INSERT INTO set_aside SELECT name, sql FROM sqlite_master
             WHERE type = 'trigger' AND tbl_name IN ('reviews', 'card_state');
         DROP TRIGGER review_days_add; DROP TRIGGER review_days_remove;
         DROP TRIGGER review_days_forget; DROP TRIGGER card_starts_stale_add;
         DROP TRIGGER card_starts_stale_remove; DROP TRIGGER card_starts_stale_change;
         DROP TRIGGER cards_studied; DROP TRIGGER cards_unstudied;",
    );
    let triggers = |db: &std::path::Path| -> i64 {
        rusqlite::Connection::open(db)
            .unwrap()
            .query_row(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger'",
                [],
                |r| r.get(0),
            )
            .unwrap()
    };
    let made = triggers(&env.db);
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
    assert_eq!(triggers(&env.db), made, "the copy got its triggers back");
    // A backup of it is a whole kioku database again.
    let again = env.dir.path().join("again.db");
    env.ok(&["backup", again.to_str().unwrap()]);
    env.ok(&["restore", again.to_str().unwrap()]);
}
