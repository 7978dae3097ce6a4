//! The crash harness: study sessions on a database (a fresh one every 40
//! runs, while there is much to study), each killed with
//! SIGKILL at a random moment — while starting, syncing, showing a card,
//! saving an answer. After every kill the database must pass SQLite's
//! integrity check and hold every answer the screen had confirmed (an
//! answer is confirmed once the next card or the summary is shown, which
//! happens only after it is saved).
//!
//! `KIOKU_CRASH_RUNS=N cargo test --release --test crash -- --nocapture`
//! runs it longer and prints the figures.

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
    let mut day = chrono::DateTime::parse_from_rfc3339("2026-03-02T09:00:00+00:00").unwrap();
    // Confirmed answers so far, across runs: the database must never hold fewer.
    let mut confirmed_total = 0usize;
    let mut sent_total = 0usize;

    for run in 0..runs {
        if run > 0 && run % 40 == 0 {
            // A young collection has the most to do: start a fresh one now
            // and then (the old one was checked after its last kill).
            env = Env::new(&["tests/fixtures/mini", "decks"]);
            day = chrono::DateTime::parse_from_rfc3339("2026-03-02T09:00:00+00:00").unwrap();
            confirmed_total = 0;
            sent_total = 0;
        }
        // Mostly a day or more on, so that there are reviews due as well as
        // new cards; sometimes minutes, to catch learning steps.
        day += if rng.random_bool(0.2) {
            chrono::Duration::minutes(rng.random_range(5..120))
        } else {
            chrono::Duration::hours(rng.random_range(20..80))
        };
        env.at(&day.to_rfc3339());
        // Where to strike: early (starting, syncing), or just after the
        // k-th answer was sent (while it is being saved), or just after the
        // k-th card appeared; a few microseconds to milliseconds later.
        let mode = rng.random_range(0..3);
        let k = rng.random_range(0..12usize);
        let jitter = Duration::from_micros(rng.random_range(0..3000));
        let mut kill_after = if mode == 0 {
            Duration::from_millis(rng.random_range(0..80))
        } else {
            Duration::from_secs(30)
        };
        let (mut accepts, mut prompts) = (0usize, 0usize);
        let mut child = env
            .cmd()
            .args(["study", "--plain", "--new", "15"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
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
        let started = Instant::now();
        let mut output = String::new();
        let mut seen = 0;
        let mut awaiting = false; // an accept was sent and not yet confirmed
        let mut killed = false;
        loop {
            let left = kill_after.saturating_sub(started.elapsed());
            if left.is_zero() {
                let _ = child.kill(); // SIGKILL
                killed = true;
                break;
            }
            match rx.recv_timeout(left) {
                Ok(bytes) => output.push_str(&String::from_utf8_lossy(&bytes)),
                Err(RecvTimeoutError::Timeout) => continue,
                Err(RecvTimeoutError::Disconnected) => break, // the session ended
            }
            let fresh = &output[seen..];
            if fresh.ends_with("]: ") {
                // Feedback on screen: accept the verdict, which saves it.
                seen = output.len();
                let _ = stdin.write_all(b"\n");
                accepts += 1;
                if mode == 1 && accepts == k + 1 {
                    kill_after = started.elapsed() + jitter;
                }
                awaiting = true;
                sent_total += 1;
                figures.answers_sent += 1;
            } else if fresh.ends_with("> ") {
                seen = output.len();
                prompts += 1;
                if mode == 2 && prompts == k + 1 {
                    kill_after = started.elapsed() + jitter;
                }
                if awaiting {
                    // The next card is shown only after the last answer was saved.
                    confirmed_total += 1;
                    figures.confirmed += 1;
                    awaiting = false;
                }
                if fresh.contains("] ") {
                    let card = card_for(&cards, fresh);
                    let _ = stdin.write_all(format!("{}\n", right_answer(card, fresh)).as_bytes());
                }
            }
        }
        drop(stdin);
        let status = child.wait().unwrap();
        reader.join().unwrap();
        if !killed && awaiting && status.success() {
            // A session that ended by itself printed its summary after the last save.
            confirmed_total += 1;
            figures.confirmed += 1;
        }
        figures.runs += 1;
        figures.kills += usize::from(killed);

        let conn = rusqlite::Connection::open(&env.db);
        let Ok(conn) = conn else {
            figures.integrity_failures += 1;
            continue;
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
        figures.lost = figures.lost.max(confirmed_total.saturating_sub(reviews));
        // Nothing appears that was not answered (one may be saved but not yet shown).
        figures.phantom = figures.phantom.max(reviews.saturating_sub(sent_total));
    }
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
    // The cache still agrees with the log.
    let rebuilt = env.json(&["rebuild", "--json"]);
    assert_eq!(rebuilt["changed"], 0, "{rebuilt}");
}
