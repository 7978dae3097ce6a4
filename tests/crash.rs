//! The crash harness: study sessions on a database (a fresh one every 40
//! runs, while there is much to study), each killed with
//! SIGKILL at a random moment — while starting, syncing, showing a card,
//! saving an answer. After every kill the database must pass SQLite's
//! integrity check and hold every answer the screen had confirmed (an
//! answer is confirmed once the next card or the summary is shown, which
//! happens only after it is saved).
//!
//! The second harness strikes the other commands that write: `deck fmt`,
//! `deck import`, `history import`, `merge`, `optimize`, `rebuild` and the
//! daily backup, each killed at a random moment of its run. Afterwards no
//! file is half written (a deck is the old or the new one, an import or a
//! backup whole or absent), no review is lost or doubled, and once the next
//! command has run the card states are those the log gives.
//!
//! `KIOKU_CRASH_RUNS=N` (study sessions) and `KIOKU_CRASH_COMMAND_RUNS=N`
//! (runs of each command) with `cargo test --release --test crash --
//! --nocapture` run them longer and print the figures.
//!
//! A test crate of its own: each harness times one whole run of a command
//! and then kills later runs within that time, which holds only while the
//! heavy tests of the other crate are not running beside it.

mod common;

use common::{card_for, cards_in, right_answer, Env};
use rand::{rngs::StdRng, Rng, SeedableRng};
use std::io::{Read, Write};
use std::process::Stdio;
use std::sync::mpsc::{channel, RecvTimeoutError};
use std::time::{Duration, Instant};

#[derive(Debug, Default)]
struct Figures {
    runs: usize,
    kills: usize,
    answers_sent: usize,
    confirmed: usize,
    lost: usize,
    integrity_failures: usize,
    phantom: usize,
}

#[test]
fn killed_sessions_lose_nothing_confirmed() {
    let runs: usize = std::env::var("KIOKU_CRASH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let cards = cards_in("tests/fixtures/mini")
        .into_iter()
        .chain(cards_in("decks"))
        .collect::<Vec<_>>();
    let mut env = Env::new(&["tests/fixtures/mini", "decks"]);
    let mut rng = StdRng::seed_from_u64(0xc7a5);
    let mut figures = Figures::default();
    let mut day = first_day();
    // Answers sent and confirmed so far, across runs: the database must
    // never hold fewer than were confirmed.
    let mut tally = Tally::default();

    for run in 0..runs {
        if run > 0 && run % 40 == 0 {
            // A young collection has the most to do: start a fresh one now
            // and then (the old one was checked after its last kill).
            env = Env::new(&["tests/fixtures/mini", "decks"]);
            day = first_day();
            tally = Tally::default();
        }
        day = next_day(&mut rng, day);
        env.at(&day.to_rfc3339());
        let aim = Aim::draw(&mut rng);
        run_session(&env, &cards, &aim, &mut tally, &mut figures);
        check_session_database(&env, &tally, &mut figures);
    }
    assert_session_figures(&figures, runs);
    // The cache still agrees with the log.
    let rebuilt = env.json(&["rebuild", "--json"]);
    assert_eq!(rebuilt["changed"], 0, "{rebuilt}");
}

/// The morning the session harness's collections start on.
fn first_day() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339("2026-03-02T09:00:00+00:00").unwrap()
}

/// The moment of the next session: mostly a day or more on, so that there
/// are reviews due as well as new cards; sometimes minutes, to catch
/// learning steps.
fn next_day(
    rng: &mut StdRng,
    day: chrono::DateTime<chrono::FixedOffset>,
) -> chrono::DateTime<chrono::FixedOffset> {
    day + if rng.random_bool(0.2) {
        chrono::Duration::minutes(rng.random_range(5..120))
    } else {
        chrono::Duration::hours(rng.random_range(20..80))
    }
}

/// Answers sent and confirmed since the collection was fresh.
#[derive(Debug, Default)]
struct Tally {
    confirmed: usize,
    sent: usize,
}

/// Where to strike a session: early (mode 0: starting, syncing), or just
/// after the k-th answer was sent (mode 1: while it is being saved), or just
/// after the k-th card appeared (mode 2); `jitter` later.
struct Aim {
    mode: i32,
    k: usize,
    jitter: Duration,
    /// The kill time a run starts with (mode 0), or a bound the session
    /// never reaches (the other modes set the real one as they go).
    kill_after: Duration,
}

impl Aim {
    /// Draws where to strike, a few microseconds to milliseconds off.
    fn draw(rng: &mut StdRng) -> Aim {
        let mode = rng.random_range(0..3);
        let k = rng.random_range(0..12usize);
        let jitter = Duration::from_micros(rng.random_range(0..3000));
        let kill_after = if mode == 0 {
            Duration::from_millis(rng.random_range(0..80))
        } else {
            Duration::from_secs(30)
        };
        Aim {
            mode,
            k,
            jitter,
            kill_after,
        }
    }
}

/// A study session's screen as the harness follows it.
struct Watch<'a> {
    aim: &'a Aim,
    started: Instant,
    kill_after: Duration,
    accepts: usize,
    prompts: usize,
    output: String,
    seen: usize,
    /// An accept was sent and not yet confirmed.
    awaiting: bool,
}

impl Watch<'_> {
    /// Reacts to what the session printed since the last look: accepts the
    /// verdict on feedback, answers a card, counts what got confirmed, and
    /// moves the kill time when the aimed-at moment comes.
    fn react(
        &mut self,
        stdin: &mut std::process::ChildStdin,
        cards: &[kioku::deck::Card],
        tally: &mut Tally,
        figures: &mut Figures,
    ) {
        let fresh = &self.output[self.seen..];
        if fresh.ends_with("]: ") {
            // Feedback on screen: accept the verdict, which saves it.
            self.seen = self.output.len();
            let _ = stdin.write_all(b"\n");
            self.accepts += 1;
            if self.aim.mode == 1 && self.accepts == self.aim.k + 1 {
                self.kill_after = self.started.elapsed() + self.aim.jitter;
            }
            self.awaiting = true;
            tally.sent += 1;
            figures.answers_sent += 1;
        } else if fresh.ends_with("> ") {
            self.seen = self.output.len();
            self.prompts += 1;
            if self.aim.mode == 2 && self.prompts == self.aim.k + 1 {
                self.kill_after = self.started.elapsed() + self.aim.jitter;
            }
            if self.awaiting {
                // The next card is shown only after the last answer was saved.
                tally.confirmed += 1;
                figures.confirmed += 1;
                self.awaiting = false;
            }
            if fresh.contains("] ") {
                let card = card_for(cards, fresh);
                let _ = stdin.write_all(format!("{}\n", right_answer(card, fresh)).as_bytes());
            }
        }
    }
}

/// Starts `study --plain` with its output read on a thread of its own.
fn spawn_session(
    env: &Env,
) -> (
    std::process::Child,
    std::process::ChildStdin,
    std::sync::mpsc::Receiver<Vec<u8>>,
    std::thread::JoinHandle<()>,
) {
    let mut child = env
        .cmd()
        .args(["study", "--plain", "--new", "15"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdin = child.stdin.take().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let (tx, rx) = channel::<Vec<u8>>();
    let reader = std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    (child, stdin, rx, reader)
}

/// One study session, answered card by card and killed as `aim` says.
fn run_session(
    env: &Env,
    cards: &[kioku::deck::Card],
    aim: &Aim,
    tally: &mut Tally,
    figures: &mut Figures,
) {
    let (mut child, mut stdin, rx, reader) = spawn_session(env);
    let mut watch = Watch {
        aim,
        started: Instant::now(),
        kill_after: aim.kill_after,
        accepts: 0,
        prompts: 0,
        output: String::new(),
        seen: 0,
        awaiting: false,
    };
    let mut killed = false;
    loop {
        let left = watch.kill_after.saturating_sub(watch.started.elapsed());
        if left.is_zero() {
            let _ = child.kill(); // SIGKILL
            killed = true;
            break;
        }
        match rx.recv_timeout(left) {
            Ok(bytes) => watch.output.push_str(&String::from_utf8_lossy(&bytes)),
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => break, // the session ended
        }
        watch.react(&mut stdin, cards, tally, figures);
    }
    drop(stdin);
    let status = child.wait().unwrap();
    reader.join().unwrap();
    if !killed && watch.awaiting && status.success() {
        // A session that ended by itself printed its summary after the last save.
        tally.confirmed += 1;
        figures.confirmed += 1;
    }
    figures.runs += 1;
    figures.kills += usize::from(killed);
}

/// After a session: the database passes SQLite's check, holds every
/// confirmed answer and nothing that was never sent.
fn check_session_database(env: &Env, tally: &Tally, figures: &mut Figures) {
    let conn = rusqlite::Connection::open(&env.db);
    let Ok(conn) = conn else {
        figures.integrity_failures += 1;
        return;
    };
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap_or_else(|e| e.to_string());
    if check != "ok" {
        figures.integrity_failures += 1;
    }
    let reviews: usize = conn
        .query_row("SELECT COUNT(*) FROM reviews", [], |r| r.get::<_, i64>(0))
        .map_or(0, |n| n as usize);
    figures.lost = figures.lost.max(tally.confirmed.saturating_sub(reviews));
    // Nothing appears that was not answered (one may be saved but not yet shown).
    figures.phantom = figures.phantom.max(reviews.saturating_sub(tally.sent));
}

/// The session harness's verdict over all its runs.
fn assert_session_figures(figures: &Figures, runs: usize) {
    println!("crash harness: {figures:?}");
    assert_eq!(figures.integrity_failures, 0, "{figures:?}");
    assert_eq!(figures.lost, 0, "{figures:?}");
    assert_eq!(figures.phantom, 0, "{figures:?}");
    assert_eq!(figures.runs, runs);
    assert!(
        figures.kills > runs / 2,
        "most runs end in a kill: {figures:?}"
    );
    assert!(
        figures.confirmed > runs,
        "the sessions got far enough to answer: {figures:?}"
    );
}

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
        // What a whole rebuild has to do after a change of retention (the
        // states are not rebuilt by `config`, so until then they differ).
        env.ok(&["config", "desired_retention", "0.8"]);
        let rebuild_changes = env.json(&["rebuild", "--json"])["changed"]
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
            cmd.arg("optimize");
        }
        Op::Rebuild => {
            // Parameters that differ from those the states were made with,
            // so that the rebuild has every state to rewrite.
            env.ok(&["config", "desired_retention", "0.8"]);
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
