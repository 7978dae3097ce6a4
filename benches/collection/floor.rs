//! `--floor`: the waits a learner feels, against the cheapest thing that
//! could be done with the same database: a bare `sqlite3` process reading
//! one indexed row. The commands run in turn (floor, first question,
//! `decks`, floor, …) on one collection, and each ratio is of medians from
//! that one run, so that the machine's speed cancels out. Skipped, saying
//! so, without the `sqlite3` program.
//!
//!     cargo bench --bench collection -- --floor            # 100k cards
//!     cargo bench --bench collection -- --floor --keep DIR # kept, or reused from DIR

use crate::history::{generate_decks, simulate_history};
use crate::{first_question, kioku, run_once, Size};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const ROUNDS: usize = 21;

pub fn main(args: &[String]) {
    if Command::new("sqlite3").arg("--version").output().is_err() {
        println!("--floor: no sqlite3 program here; skipped");
        return;
    }
    let keep = args
        .iter()
        .skip_while(|a| *a != "--keep")
        .nth(1)
        .map(PathBuf::from);
    let temp = tempfile::tempdir().unwrap();
    let root = keep.unwrap_or_else(|| temp.path().to_path_buf());
    let (db, decks) = (root.join("bench.db"), root.join("decks"));
    if !db.is_file() {
        let size = Size::standard(100_000, 100);
        std::fs::create_dir_all(&root).unwrap();
        generate_decks(&decks, size.cards, size.files);
        run_once(&db, &decks, &["decks"], false);
        simulate_history(&db, size);
    }
    // Warm the page cache and make today's backup before anything is timed.
    run_once(&db, &decks, &["decks"], false);
    let mut floor = Vec::new();
    let mut first = Vec::new();
    let mut decks_run = Vec::new();
    for _ in 0..ROUNDS {
        floor.push(sqlite_floor(&db));
        first.push(first_question(&db, &decks).0);
        decks_run.push(whole(&db, &decks, &["decks"]));
    }
    let base = median(&mut floor);
    println!("{ROUNDS} rounds, in turn; medians and their ratio to the floor:");
    println!("| measure (whole processes) | median | × floor | goal |");
    println!("|---|---|---|---|");
    println!(
        "| `sqlite3` reads one indexed row (the floor) | {:.2} ms | 1.0 | |",
        base * 1e3
    );
    for (name, mut times, goal) in [
        ("first question (`kioku study`)", first, "≤ 3×"),
        ("`kioku decks`", decks_run, "≤ 5×"),
    ] {
        let m = median(&mut times);
        println!("| {name} | {:.2} ms | {:.1} | {goal} |", m * 1e3, m / base);
    }
}

/// One `sqlite3` process reading one card's due moment by its key.
fn sqlite_floor(db: &Path) -> f64 {
    let start = Instant::now();
    let status = Command::new("sqlite3")
        .arg(db)
        .arg("SELECT due FROM card_state WHERE card_id = 5000")
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    start.elapsed().as_secs_f64()
}

/// One whole run of a command, output thrown away.
fn whole(db: &Path, decks: &Path, args: &[&str]) -> f64 {
    let start = Instant::now();
    let status = kioku(db, decks)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    start.elapsed().as_secs_f64()
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}
