//! Whole-process benchmark on a generated collection: 100,000 cards in 100
//! deck files with about a million reviews of simulated study history.
//!
//!     cargo bench --bench collection                       # the default size
//!     cargo bench --bench collection -- --cards 20000 --files 20
//!     cargo bench --bench collection -- --years 10 --max-interval 30
//!     cargo bench --bench collection -- --scale            # 10k, 100k and 1M cards
//!     cargo bench --bench collection -- --history          # 100k cards after one year and after ten
//!     cargo bench --bench collection -- --anki-import      # a 50,000-note Anki package imported
//!     cargo bench --bench collection -- --real-log [FILE]  # evaluate a real log, checked against the crate
//!     cargo bench --bench collection -- --fit              # evaluate and optimize at ten million reviews
//!     cargo bench --bench collection -- --balance          # a simulated year, with and without load balancing
//!     cargo bench --bench collection -- --floor            # first question and decks against a bare sqlite3 read
//!
//! Prints the first (cold) sync, warm start to the first question, `decks`,
//! `stats`, `rebuild`, `evaluate`, `optimize`, the log exported and imported
//! into an empty database, and each run's peak memory. Times are medians over several runs of the real
//! binary; the history is simulated with kioku's own scheduler.

use chrono::{DateTime, FixedOffset, Utc};
use kioku::scheduler::DayClock;
use kioku::store::Store;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

#[path = "collection/anki_import.rs"]
mod anki_import;
#[path = "collection/anki_package.rs"]
mod anki_package;
#[path = "collection/balance.rs"]
mod balance;
#[path = "collection/fit.rs"]
mod fit;
#[path = "collection/floor.rs"]
mod floor;
#[path = "collection/history.rs"]
mod history;
#[path = "collection/real_log.rs"]
mod real_log;
use history::{generate_decks, simulate_history};

const BIN: &str = env!("CARGO_BIN_EXE_kioku");
const NOW: &str = "2026-06-01T09:00:00+00:00";
const RUNS: usize = 9;

/// A collection to generate: its cards, and how long and how densely they
/// have been studied.
#[derive(Clone, Copy)]
struct Size {
    cards: usize,
    files: usize,
    /// Days of history before the bench's "now"; cards are introduced
    /// evenly over them.
    days: i64,
    /// The learner's maximum interval, in days: shorter means more reviews a card.
    max_interval: u32,
}

impl Size {
    /// About ten reviews a card: a year and a half of study.
    fn standard(cards: usize, files: usize) -> Size {
        Size {
            cards,
            files,
            days: 540,
            max_interval: 36500,
        }
    }
}

fn main() {
    let mut size = Size::standard(100_000, 100);
    let mut scale = false;
    let mut history = false;
    // `--keep DIR`: build the collection there and leave it, for profiling.
    let mut keep: Option<std::path::PathBuf> = None;
    let all: Vec<String> = std::env::args().skip(1).collect();
    if all.iter().any(|a| a == "--anki-import") {
        return anki_import::main(&all);
    }
    if all.iter().any(|a| a == "--real-log") {
        return real_log::main(&all);
    }
    if all.iter().any(|a| a == "--balance") {
        return balance::main();
    }
    if all.iter().any(|a| a == "--floor") {
        return floor::main(&all);
    }
    if all.iter().any(|a| a == "--fit") {
        return fit::main(&all);
    }
    let mut args = all.into_iter();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--cards" => size.cards = args.next().and_then(|v| v.parse().ok()).expect("--cards N"),
            "--files" => size.files = args.next().and_then(|v| v.parse().ok()).expect("--files N"),
            "--years" => {
                size.days = 365
                    * args
                        .next()
                        .and_then(|v| v.parse::<i64>().ok())
                        .expect("--years N")
            }
            "--max-interval" => {
                size.max_interval = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("--max-interval DAYS")
            }
            "--keep" => keep = Some(std::path::PathBuf::from(args.next().expect("--keep DIR"))),
            "--scale" => scale = true,
            "--history" => history = true,
            _ => {} // cargo bench passes --bench
        }
    }
    if scale || history {
        let measured: Vec<Measured> = series(scale)
            .into_iter()
            .map(|size| {
                let temp = tempfile::tempdir().unwrap();
                let root = match &keep {
                    Some(dir) => dir.join(format!("{}k-{}d", size.cards / 1000, size.days)),
                    None => temp.path().to_path_buf(),
                };
                std::fs::create_dir_all(&root).unwrap();
                let m = measure(size, &root, scale);
                m.print();
                m
            })
            .collect();
        print_growth(&measured);
        return;
    }
    let temp = tempfile::tempdir().unwrap();
    let root = match &keep {
        Some(dir) => {
            std::fs::create_dir_all(dir).unwrap();
            dir.clone()
        }
        None => temp.path().to_path_buf(),
    };
    measure(size, &root, true).print();
}

/// The sizes of `--scale` (when `scale`) or of `--history`.
fn series(scale: bool) -> Vec<Size> {
    if scale {
        // 10k, 100k and 1M cards with about ten reviews a card.
        vec![
            Size::standard(10_000, 10),
            Size::standard(100_000, 100),
            Size::standard(1_000_000, 1000),
        ]
    } else {
        // The same 100k cards and the same daily work (intervals capped
        // at a month, so about 3,500 reviews due a day), after one year
        // and after ten: what grows with the history alone.
        [365, 3650]
            .map(|days| Size {
                days,
                max_interval: 30,
                ..Size::standard(100_000, 100)
            })
            .to_vec()
    }
}

/// What one collection measured: (label, seconds, peak KiB, goal).
#[derive(Clone)]
struct Measured {
    cards: usize,
    days: i64,
    files: usize,
    reviews: usize,
    rows: Vec<Row>,
}

impl Measured {
    fn print(&self) {
        println!();
        println!(
            "collection: {} cards, {} deck files, {} reviews over {} days",
            self.cards, self.files, self.reviews, self.days
        );
        println!(
            "{:<40} {:>10} {:>12}  goal",
            "measure", "time", "peak memory"
        );
        for (label, secs, kb, goal) in &self.rows {
            match kb {
                Some(kb) if label.starts_with("peak memory") => {
                    println!(
                        "{label:<40} {:>10} {:>9.1} MB  {goal}",
                        "",
                        *kb as f64 / 1024.0
                    )
                }
                Some(kb) => println!(
                    "{label:<40} {:>10} {:>9.1} MB  {goal}",
                    millis(*secs),
                    *kb as f64 / 1024.0
                ),
                None => println!("{label:<40} {:>10} {:>12}  {goal}", millis(*secs), ""),
            }
        }
    }
}

/// Milliseconds, with two decimals below ten.
fn millis(secs: f64) -> String {
    let ms = secs * 1000.0;
    if ms < 10.0 {
        format!("{ms:.2} ms")
    } else {
        format!("{ms:.1} ms")
    }
}

/// The sizes side by side, with how much each cost grows from one size to
/// the next (ten times the cards and reviews each step).
fn print_growth(sizes: &[Measured]) {
    println!();
    print!("{:<40}", "measure (time)");
    for m in sizes {
        let label = format!("{}k/{:.1}M", m.cards / 1000, m.reviews as f64 / 1e6);
        print!(" {label:>12}");
    }
    for _ in 1..sizes.len() {
        print!(" {:>8}", "growth");
    }
    println!();
    for (i, (label, _, _, _)) in sizes[0].rows.iter().enumerate() {
        if label.starts_with("peak memory") {
            print!("{label:<40}");
            let peaks: Vec<f64> = sizes
                .iter()
                .map(|m| m.rows[i].2.unwrap_or(0) as f64 / 1024.0)
                .collect();
            for p in &peaks {
                print!(" {p:>9.1} MB");
            }
            for w in peaks.windows(2) {
                print!(" {:>7.1}×", w[1] / w[0]);
            }
            println!();
            continue;
        }
        print!("{label:<40}");
        let secs: Vec<f64> = sizes.iter().map(|m| m.rows[i].1).collect();
        for s in &secs {
            print!(" {:>12}", millis(*s));
        }
        for w in secs.windows(2) {
            print!(" {:>7.1}×", w[1] / w[0]);
        }
        println!();
    }
    print!("{:<40}", "reviews");
    for m in sizes {
        print!(" {:>12}", m.reviews);
    }
    println!();
}

/// One row of the report: what was measured, seconds, peak memory in kB
/// when watched, and the goal.
type Row = (String, f64, Option<i64>, &'static str);

/// A row for a run whose peak memory was watched.
fn with_peak(label: &str, (secs, kb): (f64, i64), goal: &'static str) -> Row {
    (label.to_string(), secs, Some(kb), goal)
}

/// A row for a time alone.
fn time_only(label: &str, secs: f64, goal: &'static str) -> Row {
    (label.to_string(), secs, None, goal)
}

/// Measures one collection; `whole` adds the commands that replay, export
/// and import the whole log (minutes at ten million reviews).
fn measure(size: Size, root: &Path, whole: bool) -> Measured {
    let Size { cards, files, .. } = size;
    let decks = root.join("decks");
    let db = root.join("bench.db");
    let t = Instant::now();
    let bytes = generate_decks(&decks, cards, files);
    println!(
        "generated {cards} cards in {files} files ({:.1} MB of TOML) in {:.1} s",
        bytes as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );

    let cold = run_once(&db, &decks, &["decks"], true);
    let reviews = simulate_history(&db, size);
    let warm_sync = runs(&db, &decks, &["decks"], RUNS);
    let sync_work = sync_in_process(&db, &decks);
    let first_question = (0..RUNS)
        .map(|_| first_question(&db, &decks))
        .collect::<Vec<_>>();
    let stats_runs = runs(&db, &decks, &["stats", "--json"], 5);
    let (load, compute, recount) = stats_in_process(&db);

    // Replaying the log: rebuild, fitting and evaluating, and the log
    // written out and read back into an empty database.
    let rebuild = run(&db, &decks, &["rebuild"]);

    // The goal is for a study session; the heavier commands show their own
    // peaks in their rows.
    let peak = first_question
        .iter()
        .map(|m| m.1)
        .chain([warm_sync.1, cold.1])
        .max()
        .unwrap_or(0);
    let mut rows = vec![
        with_peak("first sync (cold `kioku decks`)", cold, "≤ 1 s at 100k"),
        with_peak(
            "warm start to first question",
            median(&first_question),
            "≤ 20 ms",
        ),
        time_only("  sync work, decks unchanged", sync_work, "≤ 10 ms"),
        with_peak("`kioku decks` (warm)", warm_sync, ""),
        with_peak(
            "`kioku stats --json` (whole run)",
            stats_runs,
            "≤ 300 ms at 100k",
        ),
        time_only("  stats: the log's summary read", load, ""),
        time_only("  stats: cards read and tallied, figures", compute, ""),
        time_only("  stats: in a new clock (log summed again)", recount, ""),
        with_peak("`kioku rebuild`", rebuild, ""),
    ];
    if whole {
        rows.extend(measure_whole_log(root, &db, &decks));
    }
    rows.push((
        "peak memory, study and decks".to_string(),
        0.0,
        Some(peak),
        "≤ 64 MB",
    ));
    Measured {
        cards,
        days: size.days,
        files,
        reviews,
        rows,
    }
}

/// Replaying the log to fit and evaluate, and the log written out and read
/// back into an empty database.
fn measure_whole_log(root: &Path, db: &Path, decks: &Path) -> [Row; 4] {
    let evaluate = run(db, decks, &["evaluate", "--json"]);
    let optimize = run(db, decks, &["optimize", "--dry-run", "--json"]);
    let csv = root.join("history.csv");
    let export = export_history(db, decks, &csv);
    let empty = root.join("empty.db");
    run_once(&empty, decks, &["decks"], false); // the cards, not yet their history
    let import = run_once(
        &empty,
        decks,
        &["history", "import", csv.to_str().unwrap()],
        true,
    );
    [
        with_peak("`kioku evaluate --json`", evaluate, ""),
        with_peak("`kioku optimize --dry-run`", optimize, "≤ 30 s at 100k"),
        time_only("`kioku history --csv`", export, ""),
        with_peak("`kioku history import` (empty database)", import, ""),
    ]
}

/// Writes the whole log to `csv` with `kioku history --csv`; the seconds it
/// took.
fn export_history(db: &Path, decks: &Path, csv: &Path) -> f64 {
    let start = Instant::now();
    let out = kioku(db, decks)
        .args(["history", "--csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    std::fs::write(csv, &out.stdout).unwrap();
    start.elapsed().as_secs_f64()
}

fn median(v: &[(f64, i64)]) -> (f64, i64) {
    let mut times: Vec<f64> = v.iter().map(|m| m.0).collect();
    times.sort_by(f64::total_cmp);
    (
        times[times.len() / 2],
        v.iter().map(|m| m.1).max().unwrap_or(0),
    )
}

fn kioku(db: &Path, decks: &Path) -> Command {
    let mut c = Command::new(BIN);
    // As a learner runs it: a backtrace asked for in the environment would
    // be captured with every error made along the way.
    c.env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE")
        .env("KIOKU_NOW", NOW)
        .arg("--db")
        .arg(db)
        .arg("--decks")
        .arg(decks);
    c
}

/// The median wall time of `n` runs of a command, and its peak resident
/// memory (KiB) from one more run that is watched (watching costs a little
/// CPU, which would show in short times).
fn runs(db: &Path, decks: &Path, args: &[&str], n: usize) -> (f64, i64) {
    let mut times: Vec<f64> = (0..n).map(|_| run_once(db, decks, args, false).0).collect();
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], run_once(db, decks, args, true).1)
}

/// One timed run, and one watched for memory.
fn run(db: &Path, decks: &Path, args: &[&str]) -> (f64, i64) {
    runs(db, decks, args, 1)
}

/// One run: its wall time and, when `watch`, its peak memory. Watched
/// alone, for what cannot be run twice alike (the first sync of a new
/// database, an import).
fn run_once(db: &Path, decks: &Path, args: &[&str], watch: bool) -> (f64, i64) {
    let start = Instant::now();
    let child = kioku(db, decks)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let kb = reap(child, watch);
    (start.elapsed().as_secs_f64(), kb)
}

/// Time from start until the first question's prompt is on standard
/// output, and the peak memory at that moment.
fn first_question(db: &Path, decks: &Path) -> (f64, i64) {
    let start = Instant::now();
    let mut child = kioku(db, decks)
        .args(["study", "--seed", "1"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    let elapsed = loop {
        let n = out.read(&mut buf).unwrap();
        assert!(
            n > 0,
            "no question was asked:\n{}",
            String::from_utf8_lossy(&seen)
        );
        seen.extend_from_slice(&buf[..n]);
        if seen.ends_with(b"> ") {
            break start.elapsed().as_secs_f64();
        }
    };
    let kb = vm_hwm(child.id()).unwrap_or(0);
    drop(child.stdin.take());
    reap(child, false);
    (elapsed, kb)
}

/// Waits for a child; when `watch`, returns its peak resident set size in
/// KiB (else 0).
///
/// The peak is read from the child's own `VmHWM` while it runs, not from
/// `wait4`'s `ru_maxrss`: that one starts from the parent's high-water mark
/// (Linux carries it over a fork and exec), so a bench that has grown would
/// be counted in every child.
fn reap(mut child: std::process::Child, watch: bool) -> i64 {
    use std::sync::atomic::{AtomicBool, Ordering};
    let pid = child.id();
    let done = std::sync::Arc::new(AtomicBool::new(false));
    let watcher = watch.then(|| {
        let done = done.clone();
        std::thread::spawn(move || {
            let mut peak = 0;
            while !done.load(Ordering::Relaxed) {
                if let Some(kb) = vm_hwm(pid) {
                    peak = peak.max(kb);
                }
                std::thread::sleep(std::time::Duration::from_micros(500));
            }
            peak
        })
    });
    child.wait().unwrap();
    done.store(true, Ordering::Relaxed);
    watcher.map_or(0, |w| w.join().unwrap())
}

/// The peak resident set of a live process, in KiB.
fn vm_hwm(pid: u32) -> Option<i64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The sync of an unchanged deck folder in-process, as every command does
/// it first: the files are listed and their stamps compared, nothing is read
/// (median of `RUNS`).
fn sync_in_process(db: &Path, decks: &Path) -> f64 {
    let now = DateTime::parse_from_rfc3339(NOW)
        .unwrap()
        .with_timezone(&Utc);
    let mut store = Store::open(db, now).unwrap();
    let mut times: Vec<f64> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            let (sources, errors) = kioku::deck::load_sources(&[decks.to_path_buf()], true);
            let report = store.sync(&sources, now).unwrap();
            let took = t.elapsed().as_secs_f64();
            assert!(
                errors.is_empty() && report.parsed == 0,
                "the decks were read again"
            );
            took
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// The statistics in-process (best of 3 each): reading the log's summary
/// from SQLite; reading the cards one by one into the tally and computing
/// the figures; and reading the summary again in a new clock (another UTC
/// offset), which first counts the whole log again into the per-day
/// summary.
fn stats_in_process(db: &Path) -> (f64, f64, f64) {
    use kioku::stats::{compute, CardTally, StatsInput};
    let now = DateTime::parse_from_rfc3339(NOW)
        .unwrap()
        .with_timezone(&Utc);
    let clock = DayClock::new(FixedOffset::east_opt(0).unwrap(), 4);
    let mut store = Store::open(db, now).unwrap();
    let best = |f: &mut dyn FnMut()| {
        (0..3)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64()
            })
            .fold(f64::MAX, f64::min)
    };
    let mut rows = None;
    let load = best(&mut || rows = Some(store.stats_rows(&[], &clock, now).unwrap()));
    let (log, quizzes) = rows.unwrap();
    let computed = best(&mut || {
        let input = StatsInput {
            log: &log,
            quizzes: &quizzes,
            now,
            clock,
            days: 365,
            leech_threshold: 8,
            decay: 0.1542,
        };
        let mut cards = CardTally::new(&input);
        store.tally_cards(&[], &mut cards).unwrap();
        let s = compute(&input, cards);
        assert!(!s.days.is_empty());
    });
    let mut hours = 0;
    let recount = best(&mut || {
        hours += 1;
        let moved = DayClock::new(FixedOffset::east_opt(hours * 3600).unwrap(), 4);
        store.stats_rows(&[], &moved, now).unwrap();
    });
    // Leave the summary in the clock the timed runs use.
    store.stats_rows(&[], &clock, now).unwrap();
    (load, computed, recount)
}
