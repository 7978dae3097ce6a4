//! `--fit`: `kioku evaluate` and `kioku optimize --dry-run` at ten million
//! reviews, timed and their peak memory read, on two collections with the
//! same number of reviews and very different histories: a million cards
//! with about ten reviews each, and 100,000 cards studied for ten years
//! with about a hundred each (whose fitting data, a card's whole history
//! with every review, grows with the square of its reviews).
//!
//! With `--unbounded`, the same out-of-sample figures are also computed
//! in-process from every item of the million-card collection, unsampled,
//! to show what the bound changes (this needs several gigabytes; the
//! ten-year collection would need well over ten, and is not tried).
//!
//!     cargo bench --bench collection -- --fit
//!     cargo bench --bench collection -- --fit --unbounded
//!     cargo bench --bench collection -- --fit --keep DIR   # collections kept

use crate::history::{generate_decks, simulate_history};
use crate::{kioku, run_once, vm_hwm, Size, NOW};
use chrono::{DateTime, FixedOffset, Utc};
use kioku::scheduler::fit::{self, Dataset};
use kioku::scheduler::DayClock;
use kioku::store::Store;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Instant;

/// The goal: under a gigabyte at ten million reviews.
const GOAL_KIB: i64 = 1 << 20;

pub fn main(args: &[String]) {
    let unbounded = args.iter().any(|a| a == "--unbounded");
    let keep = args
        .iter()
        .skip_while(|a| *a != "--keep")
        .nth(1)
        .map(PathBuf::from);
    let sizes = [
        Size::standard(1_000_000, 1000),
        Size {
            days: 3650,
            max_interval: 30,
            ..Size::standard(100_000, 100)
        },
    ];
    println!("| collection | reviews | predictions used | command | time | peak memory |");
    println!("|---|---|---|---|---|---|");
    let mut over = Vec::new();
    for size in sizes {
        let temp = tempfile::tempdir().unwrap();
        let root = match &keep {
            Some(dir) => dir.join(format!("{}k-{}d", size.cards / 1000, size.days)),
            None => temp.path().to_path_buf(),
        };
        let (db, decks) = (root.join("bench.db"), root.join("decks"));
        if !db.is_file() {
            std::fs::create_dir_all(&root).unwrap();
            generate_decks(&decks, size.cards, size.files);
            run_once(&db, &decks, &["decks"], false);
            simulate_history(&db, size);
        }
        let name = format!("{}k cards, {} days", size.cards / 1000, size.days);
        let mut evaluated: Option<Value> = None;
        for command in [
            &["evaluate", "--json"][..],
            &["optimize", "--dry-run", "--json"],
        ] {
            let (seconds, kib, doc) = watched(&db, &decks, command);
            println!(
                "| {name} | {} | {} of {} | `kioku {}` | {seconds:.1} s | {:.0} MB |",
                evaluated.as_ref().unwrap_or(&doc)["reviews"],
                doc["predictions"],
                doc["predictions_in_log"],
                command.join(" "),
                kib as f64 * 1.024 / 1000.0
            );
            if kib >= GOAL_KIB {
                over.push(format!("{name}: kioku {}", command.join(" ")));
            }
            if command[0] == "evaluate" {
                evaluated = Some(doc);
            }
        }
        if unbounded && size.days < 3650 {
            compare_unbounded(&db, &evaluated.expect("evaluated"));
        }
    }
    assert!(over.is_empty(), "over a gigabyte: {over:?}");
}

/// One run of a command: its wall time, peak memory (KiB) and JSON output.
fn watched(db: &Path, decks: &Path, args: &[&str]) -> (f64, i64, Value) {
    let start = Instant::now();
    let child = kioku(db, decks)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let pid = child.id();
    let watcher = std::thread::spawn(move || {
        let mut peak = 0;
        while let Some(kb) = vm_hwm(pid) {
            peak = peak.max(kb);
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        peak
    });
    let out = child.wait_with_output().unwrap();
    let seconds = start.elapsed().as_secs_f64();
    assert!(out.status.success(), "kioku {args:?} failed");
    let peak = watcher.join().unwrap();
    (seconds, peak, serde_json::from_slice(&out.stdout).unwrap())
}

/// The out-of-sample figures of every item, unsampled, in-process, beside
/// the bounded ones `evaluate` reported.
fn compare_unbounded(db: &Path, bounded: &Value) {
    let now = DateTime::parse_from_rfc3339(NOW)
        .unwrap()
        .with_timezone(&Utc);
    let store = Store::open(db, now).unwrap();
    let clock = DayClock::new(FixedOffset::east_opt(0).unwrap(), 4);
    let data = Dataset::bounded(&store.histories().unwrap(), &clock, usize::MAX);
    let started = Instant::now();
    let all = fit::out_of_sample(&data, |_, _| ()).unwrap();
    let o = &bounded["out_of_sample"]["fitted"];
    let figure = |v: &Value| v.as_f64().expect("a figure");
    println!(
        "  unbounded, in-process ({} predictions, {:.0} s): log loss {:.5} against {:.5} bounded, \
         RMSE(bins) {:.5} against {:.5}, AUC {:.4} against {:.4}",
        data.items.len(),
        started.elapsed().as_secs_f64(),
        all.fitted.log_loss,
        figure(&o["log_loss"]),
        all.fitted.rmse_bins,
        figure(&o["rmse_bins"]),
        all.fitted.auc,
        figure(&o["auc"]),
    );
}
