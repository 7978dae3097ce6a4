//! `--real-log [FILE]`: `kioku evaluate --revlog FILE --timezone UTC
//! --json` on one real learner's review log, timed, with its out-of-sample
//! figures checked against the `fsrs` crate's own
//! `evaluate_with_time_series_splits`, run here on the same items. The log
//! is FILE, else `KIOKU_REVIEW_LOG`, else the shared sample beside the
//! project (`../shared/data/review-log-sample.csv`); when it is absent the
//! check says so and is skipped.
//!
//!     cargo bench --bench collection -- --real-log
//!     cargo bench --bench collection -- --real-log ~/reviews.csv

use crate::{BIN, NOW};
use chrono::FixedOffset;
use fsrs::ComputeParametersInput;
use kioku::scheduler::fit::Dataset;
use kioku::scheduler::DayClock;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// How far kioku's out-of-sample figures may be from the crate's.
const AGREE: f64 = 0.002;

/// The log to read: the argument after `--real-log`, the environment, or
/// the shared sample.
fn log_path(args: &[String]) -> PathBuf {
    let given = args
        .iter()
        .skip_while(|a| *a != "--real-log")
        .nth(1)
        .filter(|a| !a.starts_with("--"))
        .map(PathBuf::from);
    given
        .or_else(|| std::env::var_os("KIOKU_REVIEW_LOG").map(PathBuf::from))
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/review-log-sample.csv")
        })
}

pub fn main(args: &[String]) {
    let path = log_path(args);
    if !path.is_file() {
        println!(
            "--real-log: {} is not there; skipped (give a log, or set KIOKU_REVIEW_LOG)",
            path.display()
        );
        return;
    }
    let (ours, seconds) = kioku_evaluate(&path);
    let started = Instant::now();
    let (theirs, items) = crate_time_series(&path);
    let crate_seconds = started.elapsed().as_secs_f64();
    assert_eq!(
        ours["predictions"].as_u64(),
        Some(items as u64),
        "the same items"
    );
    let o = &ours["out_of_sample"];
    let figure = |v: &Value| v.as_f64().expect("a figure");
    let rows = [
        (
            "log loss",
            figure(&o["fitted"]["log_loss"]),
            f64::from(theirs.log_loss),
        ),
        (
            "RMSE(bins)",
            figure(&o["fitted"]["rmse_bins"]),
            f64::from(theirs.rmse_bins),
        ),
    ];
    println!(
        "{}: {} reviews, {} predictions, {} of them out of sample",
        path.display(),
        ours["reviews"],
        items,
        o["predictions"]
    );
    println!("| out of sample | kioku | fsrs crate | difference |");
    println!("|---|---|---|---|");
    for (name, k, c) in rows {
        println!("| {name} | {k:.6} | {c:.6} | {:.1e} |", (k - c).abs());
    }
    println!("| AUC | {:.4} | — | |", figure(&o["fitted"]["auc"]));
    println!(
        "in sample, default parameters: log loss {:.4}, RMSE(bins) {:.4}; health: {}",
        figure(&ours["default"]["log_loss"]),
        figure(&ours["default"]["rmse_bins"]),
        ours["health"]["verdict"]
    );
    println!(
        "`kioku evaluate --json` (its own fits and the crate's check): {seconds:.2} s; \
         the crate's time-series evaluation alone, in-process: {crate_seconds:.2} s"
    );
    for (name, k, c) in rows {
        assert!(
            (k - c).abs() < AGREE,
            "{name}: kioku {k} and the crate {c} differ by more than {AGREE}"
        );
    }
}

/// kioku's figures for the log, from the binary, and the seconds it took.
fn kioku_evaluate(path: &Path) -> (Value, f64) {
    let temp = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let out = Command::new(BIN)
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE")
        .env("KIOKU_NOW", NOW)
        .arg("--db")
        .arg(temp.path().join("none.db"))
        .args(["evaluate", "--revlog"])
        .arg(path)
        .args(["--timezone", "UTC", "--json"])
        .output()
        .unwrap();
    let seconds = started.elapsed().as_secs_f64();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (serde_json::from_slice(&out.stdout).unwrap(), seconds)
}

/// The crate's time-series evaluation of the items kioku reads from the
/// log (days from 04:00 UTC, as the binary counts them with no database),
/// and how many items there are.
fn crate_time_series(path: &Path) -> (fsrs::ModelEvaluation, usize) {
    let text = std::fs::read_to_string(path).unwrap();
    let rows = kioku::revlog::parse(&text).unwrap();
    let clock = DayClock::new(FixedOffset::east_opt(0).unwrap(), 4);
    let data = Dataset::from_histories(&kioku::revlog::histories(&rows), &clock);
    let items = data.items.len();
    let input = ComputeParametersInput {
        train_set: data.items,
        card_ids: Some(data.card_ids),
        ..ComputeParametersInput::default()
    };
    let evaluation = fsrs::evaluate_with_time_series_splits(input, |_| true).unwrap();
    (evaluation, items)
}
