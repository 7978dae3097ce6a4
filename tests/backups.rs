//! Backups: one a day (the newest N kept), one on request, and restore,
//! which checks a file before anything is replaced.

mod common;

use common::{cards_in, study_correctly, Env};

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
