//! The second harness: the commands that write (`deck fmt`, `deck import`,
//! `history import`, `merge`, `optimize`, `rebuild`, the daily backup), each
//! killed at a random moment of its run, and what must hold afterwards.

use crate::common::{cards_in, Env};
use rand::{rngs::StdRng, Rng, SeedableRng};
use std::process::Stdio;
use std::time::{Duration, Instant};

/// What a killed command may have left, and what must hold afterwards.
#[derive(Debug, Default)]
struct Struck {
    kills: usize,
    completed: usize,
    /// Files that are neither the old nor the new version, or a backup or
    /// deck that does not read back whole.
    half_written: usize,
    /// Reviews that were in the log before and are gone.
    lost: usize,
    /// Databases failing SQLite's check, or the same review twice.
    corrupt: usize,
    /// Card states that disagree with the log after the next command ran.
    inconsistent: usize,
    /// Hidden temporary files a kill left behind (harmless, counted).
    leftovers: usize,
}

/// A collection to strike at: the shipped decks, a log of some thousands of
/// reviews, a second machine's database with more, a CSV of those, a big
/// deck without ids, and a text export to import.
struct Arena {
    dir: tempfile::TempDir,
    base: std::path::PathBuf,
    base_reviews: usize,
    other: std::path::PathBuf,
    extra_csv: std::path::PathBuf,
    extra: usize,
    unformatted: String,
    formatted: String,
    notes: std::path::PathBuf,
    /// The states a whole `rebuild` rewrites after the retention changes.
    rebuild_changes: u64,
}

fn review_csv(
    cards: &[kioku::deck::Card],
    deck_of: &dyn Fn(&str) -> String,
    days: std::ops::Range<i64>,
    start: &str,
) -> (String, usize) {
    let start = chrono::DateTime::parse_from_rfc3339(start).unwrap();
    let mut csv = String::from("card_id,review_rating,review_time,review_duration,deck,card\n");
    let mut n = 0;
    for (i, card) in cards.iter().enumerate() {
        for day in days.clone().step_by(9) {
            let at = start + chrono::Duration::days(day) + chrono::Duration::seconds(i as i64 * 7);
            let rating = if (i + day as usize).is_multiple_of(7) {
                1
            } else {
                3
            };
            csv.push_str(&format!(
                "{i},{rating},{},4000,{},{}\n",
                at.to_rfc3339(),
                deck_of(&card.id),
                card.id
            ));
            n += 1;
        }
    }
    (csv, n)
}

impl Arena {
    fn build() -> Arena {
        let env = Env::new(&["decks"]);
        let dir = tempfile::tempdir().unwrap();
        // Which deck each shipped card is in.
        let mut decks = std::collections::HashMap::new();
        for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/decks")).unwrap() {
            let path = entry.unwrap().path();
            if let Some(deck) =
                kioku::deck::parse_deck(&std::fs::read_to_string(&path).unwrap()).deck
            {
                for c in deck.cards {
                    decks.insert(c.id, deck.id.clone());
                }
            }
        }
        let cards: Vec<kioku::deck::Card> = cards_in("decks");
        let deck_of = |id: &str| decks[id].clone();
        let (old, base_reviews) = review_csv(&cards, &deck_of, 0..100, "2025-10-01T08:00:00+00:00");
        let (new, extra) = review_csv(&cards, &deck_of, 0..50, "2026-01-10T08:00:00+00:00");
        let old_csv = dir.path().join("old.csv");
        let extra_csv = dir.path().join("extra.csv");
        std::fs::write(&old_csv, old).unwrap();
        std::fs::write(&extra_csv, new).unwrap();
        let mut env = env;
        env.at("2026-03-01T09:00:00+00:00");
        env.ok(&["config", "backups", "0"]);
        env.ok(&["history", "import", old_csv.to_str().unwrap()]);
        let base = dir.path().join("base.db");
        std::fs::copy(&env.db, &base).unwrap();
        env.ok(&["history", "import", extra_csv.to_str().unwrap()]);
        let other = dir.path().join("other.db");
        std::fs::copy(&env.db, &other).unwrap();

        let mut unformatted = String::from("format = 1\n\n[deck]\nid = \"big\"\ntitle = \"Big\"\n");
        for i in 0..4000 {
            unformatted.push_str(&format!(
                "\n# card {i}\n[[cards]]\nwhy = \"Because.\"\ntype = \"typed\"\na = \"Answer {i}\"\nq = \"Translate into English: word number {i}\"\n"
            ));
        }
        let formatted = kioku::deck::fmt::format(&unformatted).unwrap();
        let notes = dir.path().join("notes.txt");
        let text: String = (0..4000)
            .map(|i| format!("Front {i}\tBack {i}\n"))
            .collect();
        std::fs::write(&notes, text).unwrap();
        // What a whole rebuild has to do after a change of retention made
        // behind kioku's back (`config` would give the cards their new days
        // itself), on the database the struck runs start from.
        let mut probe = Env::new(&["decks"]);
        probe.at("2026-03-01T09:00:00+00:00");
        std::fs::copy(&base, &probe.db).unwrap();
        retention_behind(&probe.db);
        let rebuild_changes = probe.json(&["rebuild", "--json"])["changed"]
            .as_u64()
            .unwrap();
        assert!(rebuild_changes > 100, "{rebuild_changes}");
        Arena {
            rebuild_changes,
            dir,
            base,
            base_reviews,
            other,
            extra_csv,
            extra,
            unformatted,
            formatted,
            notes,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Fmt,
    Import,
    History,
    Merge,
    Optimize,
    Rebuild,
    Backup,
}

/// One run of `op` in a fresh copy of the arena, killed after `delay`
/// (`None`: let it finish). Returns the time it ran and whether it was killed.
fn strike(arena: &Arena, op: Op, delay: Option<Duration>, struck: &mut Struck) -> Duration {
    let mut env = Env::new(&["decks"]);
    env.at("2026-03-01T09:00:00+00:00");
    std::fs::copy(&arena.base, &env.db).unwrap();
    let work = env.dir.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    let deck = work.join("big.toml");
    let made = work.join("made.toml");
    let mut cmd = env.cmd();
    match op {
        Op::Fmt => {
            std::fs::write(&deck, &arena.unformatted).unwrap();
            cmd.args(["deck", "fmt"]).arg(&deck);
        }
        Op::Import => {
            cmd.args(["deck", "import"])
                .arg(&arena.notes)
                .arg("--out")
                .arg(&made);
        }
        Op::History => {
            cmd.args(["history", "import"]).arg(&arena.extra_csv);
        }
        Op::Merge => {
            cmd.arg("merge").arg(&arena.other);
        }
        Op::Optimize => {
            // Forced, so that every run saves what it fitted, whether or not
            // it predicts better than what the arena has.
            cmd.args(["optimize", "--force"]);
        }
        Op::Rebuild => {
            // A retention that differs from the one the states were made
            // with, so that the rebuild has every state to rewrite.
            retention_behind(&env.db);
            cmd.arg("rebuild");
        }
        Op::Backup => {
            env.ok(&["config", "backups", "7"]);
            env.at("2026-03-02T09:00:00+00:00");
            cmd = env.cmd();
            cmd.arg("decks");
        }
    }
    let started = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut killed = false;
    if let Some(delay) = delay {
        while started.elapsed() < delay {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_micros(200).min(delay));
        }
        if child.try_wait().unwrap().is_none() {
            let _ = child.kill();
            killed = true;
        }
    }
    let status = child.wait().unwrap();
    let took = started.elapsed();
    if killed {
        struck.kills += 1;
    } else {
        assert!(status.success(), "{op:?} failed on its own");
        struck.completed += 1;
    }
    check_after(arena, op, &env, &work, struck);
    took
}

/// The names in `dir` (none when it cannot be read).
fn visible(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// How many hidden (temporary) files `dir` holds.
fn hidden(dir: &std::path::Path) -> usize {
    visible(dir).iter().filter(|n| n.starts_with('.')).count()
}

/// What must hold after a struck run of `op`, counted into `struck`.
fn check_after(arena: &Arena, op: Op, env: &Env, work: &std::path::Path, struck: &mut Struck) {
    check_work_files(arena, op, work, struck);
    check_database_after(arena, env, struck);
    if op == Op::Backup {
        check_backups(arena, env, struck);
    }
    check_next_commands(arena, op, env, struck);
}

/// The files the command writes are the old or the new version, whole.
fn check_work_files(arena: &Arena, op: Op, work: &std::path::Path, struck: &mut Struck) {
    struck.leftovers += hidden(work);
    match op {
        Op::Fmt => {
            let text = std::fs::read_to_string(work.join("big.toml")).unwrap_or_default();
            if text != arena.unformatted && text != arena.formatted {
                struck.half_written += 1;
            }
        }
        Op::Import => {
            if let Ok(text) = std::fs::read_to_string(work.join("made.toml")) {
                let whole = kioku::deck::parse_deck(&text)
                    .deck
                    .is_some_and(|d| d.cards.len() == 4000);
                struck.half_written += usize::from(!whole);
            }
        }
        _ => {}
    }
    let names: Vec<String> = visible(work)
        .into_iter()
        .filter(|n| !n.starts_with('.'))
        .collect();
    if names.iter().any(|n| n != "big.toml" && n != "made.toml") {
        struck.half_written += 1;
    }
}

/// The database: whole, nothing lost, no review twice.
fn check_database_after(arena: &Arena, env: &Env, struck: &mut Struck) {
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap_or_else(|e| e.to_string());
    let count = |sql: &str| {
        conn.query_row(sql, [], |r| r.get::<_, i64>(0))
            .unwrap_or(-1) as usize
    };
    let reviews = count("SELECT COUNT(*) FROM reviews");
    let distinct = count("SELECT COUNT(*) FROM (SELECT DISTINCT card_id, at FROM reviews)");
    struck.corrupt += usize::from(check != "ok" || reviews != distinct);
    struck.lost += arena.base_reviews.saturating_sub(reviews);
}

/// Every backup the daily backup left reads back whole.
fn check_backups(arena: &Arena, env: &Env, struck: &mut Struck) {
    let backups = env.db.parent().unwrap().join("backups");
    struck.leftovers += hidden(&backups);
    for name in visible(&backups)
        .into_iter()
        .filter(|n| !n.starts_with('.'))
    {
        let whole = rusqlite::Connection::open_with_flags(
            backups.join(&name),
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .and_then(|c| c.query_row("SELECT COUNT(*) FROM reviews", [], |r| r.get::<_, i64>(0)))
        .is_ok_and(|n| n as usize == arena.base_reviews);
        struck.half_written += usize::from(!whole);
    }
}

/// The next command finds the states as the log has them (repairing what
/// a kill left half done), and a second try of the command completes it.
fn check_next_commands(arena: &Arena, op: Op, env: &Env, struck: &mut Struck) {
    let (code, _, _) = env.run(&["decks"], "");
    struck.inconsistent += usize::from(code != 0);
    if matches!(op, Op::History | Op::Merge) {
        let again = match op {
            Op::History => env.run(
                &["history", "import", arena.extra_csv.to_str().unwrap()],
                "",
            ),
            _ => env.run(&["merge", arena.other.to_str().unwrap()], ""),
        };
        let total = rusqlite::Connection::open(&env.db)
            .unwrap()
            .query_row("SELECT COUNT(*) FROM reviews", [], |r| r.get::<_, i64>(0))
            .unwrap() as usize;
        struck.lost += usize::from(again.0 != 0 || total != arena.base_reviews + arena.extra);
    }
    let (code, out, _) = env.run(&["rebuild", "--json"], "");
    let changed = serde_json::from_str::<serde_json::Value>(&out)
        .ok()
        .and_then(|v| v["changed"].as_u64());
    // After a killed rebuild the states are all as they were (the whole
    // rebuild is still to do) or all rebuilt; never some of each.
    let fine = match op {
        Op::Rebuild => changed == Some(0) || changed == Some(arena.rebuild_changes),
        _ => changed == Some(0),
    };
    struck.inconsistent += usize::from(code != 0 || !fine);
}

#[test]
fn killed_commands_leave_whole_files_and_consistent_states() {
    let per_op: usize = std::env::var("KIOKU_CRASH_COMMAND_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30);
    let arena = Arena::build();
    let mut rng = StdRng::seed_from_u64(0x6b10);
    let mut struck = Struck::default();
    let ops = [
        Op::Fmt,
        Op::Import,
        Op::History,
        Op::Merge,
        Op::Optimize,
        Op::Rebuild,
        Op::Backup,
    ];
    let mut per = Vec::new();
    for op in ops {
        // Whole runs, to learn how long the command takes here (the
        // quickest of three, as a busy machine only makes runs slower).
        let full = (0..3)
            .map(|_| strike(&arena, op, None, &mut struck))
            .min()
            .unwrap();
        // Runs until `per_op` of them were killed before they finished.
        let (before, mut runs) = (struck.kills, 0);
        while struck.kills - before < per_op && runs < per_op * 3 {
            let delay = full.mul_f64(rng.random_range(0.0..0.95));
            strike(&arena, op, Some(delay), &mut struck);
            runs += 1;
        }
        per.push((op, full, struck.kills - before, runs, format!("{struck:?}")));
    }
    println!("killed commands: {struck:?}");
    for (op, full, kills, runs, so_far) in &per {
        println!("  {op:?}: a whole run {full:?}, {kills} of {runs} runs killed; so far {so_far}");
    }
    assert_eq!(struck.half_written, 0, "{struck:?}");
    assert_eq!(struck.lost, 0, "{struck:?}");
    assert_eq!(struck.corrupt, 0, "{struck:?}");
    assert_eq!(struck.inconsistent, 0, "{struck:?}");
    assert!(
        per.iter().all(|(_, _, kills, _, _)| *kills == per_op),
        "every command was killed {per_op} times: {per:?}"
    );
    let _ = &arena.dir;
}

/// Sets the desired retention in the database directly, as if by an older
/// kioku: the cached states then lag the settings until a rebuild.
fn retention_behind(db: &std::path::Path) {
    rusqlite::Connection::open(db)
        .unwrap()
        .execute(
            "INSERT INTO settings (key, value) VALUES ('desired_retention', '0.8')
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [],
        )
        .unwrap();
}
