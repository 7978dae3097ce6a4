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

#[path = "crash/commands.rs"]
mod commands;
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
